"""Figures of the group comparisons: what is drawn, on invented tables."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from interview_lens.figures.groups import plot_group_keyness, plot_group_rates, plot_guide_heatmap
from interview_lens.figures.style import figure_data


def _keyness() -> pd.DataFrame:
    key = pd.DataFrame({"lemma": ["partage", "commun", "loi", "état", "nul"],
                        "n_target": [5, 3, 0, 0, 1], "n_reference": [0, 1, 1, 6, 1],
                        "statistic": [6.0, 1.0, 0.2, 7.5, 0.0], "p": [0.01, 0.3, 0.6, 0.006, 1],
                        "log_ratio": [3.0, 1.6, -1.0, -3.6, 0.0],
                        "sign": ["+", "+", "-", "-", "-"]})
    key.attrs = {"by": "sector", "target": "NGO", "reference": "government",
                 "measure": "chi2", "role": "interviewee"}
    return key


def test_group_keyness_bars_and_title():
    fig = plot_group_keyness(_keyness(), document="3 interviews")
    ax = fig.axes[0]
    bars = [p for p in ax.patches]
    # nul (statistic 0) is not drawn; the target's lemmas on top, the reference's below,
    # strongest at the bottom (so the longest left bar ends the list)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["partage", "commun", "loi", "état"]
    assert [round(b.get_width(), 6) for b in bars] == [6.0, 1.0, -0.2, -7.5]
    title = fig._suptitle.get_text()
    assert "Key lemmas of sector = NGO against government" in title.replace("\n", " ")
    assert title.endswith("3 interviews")
    assert "more in government" in ax.get_xlabel().replace("\n", " ")
    drawn = figure_data(fig)
    assert drawn["signed"].tolist() == [6.0, 1.0, -0.2, -7.5]
    plt.close(fig)


def test_group_keyness_of_an_empty_group_says_why():
    key = pd.DataFrame(columns=_keyness().columns)
    key.attrs = {"by": "sector", "target": "ONG", "reference": None, "measure": "g2",
                 "role": "interviewee", "message": "the target group (sector = 'ONG') has no "
                 "interviewee words"}
    fig = plot_group_keyness(key)
    assert any("has no interviewee words" in t.get_text() for t in fig.axes[0].texts)
    assert "all others" in fig._suptitle.get_text().replace("\n", " ")
    plt.close(fig)


def _rates() -> pd.DataFrame:
    rates = pd.DataFrame({"sector": ["NGO", "NGO", "gov", "gov"],
                          "concept": ["sharing", "cooperation"] * 2, "hits": [1, 1, 0, 2],
                          "words": [800, 800, 400, 400], "documents": [2, 2, 1, 1],
                          "rate_per_1000": [1.25, 1.25, 0.0, 5.0],
                          "ci_low": [0.03, 0.03, 0.0, 0.6], "ci_high": [7.0, 7.0, 9.2, 18.1]})
    rates.attrs = {"by": "sector", "role": "interviewee", "level": 0.95,
                   "labels": {"en": {"sharing": "Sharing", "cooperation": "Cooperation"}}}
    return rates


def test_group_rates_dots_intervals_and_legend():
    fig = plot_group_rates(_rates(), document="3 interviews")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Sharing", "Cooperation"]
    lines = [c for c in ax.containers]  # one errorbar container per group
    assert len(lines) == 2
    x = lines[1].lines[0].get_xdata()
    assert list(x) == [0.0, 5.0]  # gov: sharing 0, cooperation 5 per 1,000
    # the error bar of gov cooperation spans its interval 0.6 .. 18.1
    segments = lines[1].lines[2][0].get_segments()
    assert segments[1][:, 0].tolist() == pytest.approx([0.6, 18.1])
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["NGO (2 docs, 800 words)", "gov (1 doc, 400 words)"]
    assert "95% CI, exact Poisson" in ax.get_xlabel()
    plt.close(fig)


def _themes_table() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["a", "b", "a", "b"], "guide_id": [1, 1, 2, 2],
        "theme": ["Cooperation", "Cooperation", "Funding", "Funding"],
        "qa_ids": ["2", "1", "1", ""], "answer": ["x", "y", "z", ""],
        "words": [5, 6, 4, 0], "hits": [1, 3, 2, 0], "rate_per_1000": [200.0, 500.0, 500.0, 0],
        "concepts": ["", "", "", ""]})


@pytest.mark.parametrize("value, texts", [
    ("rate_per_1000", ["200.0", "500.0", "500.0", "–"]),
    ("words", ["5", "6", "4", "–"]),
])
def test_guide_heatmap_cells(value, texts):
    fig = plot_guide_heatmap(_themes_table(), value=value, labels={"a": "Alice"},
                             document="2 interviews")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == texts  # b was not asked about funding: "–"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Alice", "b"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Cooperation", "Funding"]
    image = ax.images[0].get_array()
    assert bool(np.ma.getmaskarray(image)[1, 1]) and not np.ma.getmaskarray(image)[0, 0]
    assert "guide theme and respondent" in fig._suptitle.get_text()
    plt.close(fig)


def test_figures_draw_on_given_axes():
    from interview_lens.figures.style import blank_figure

    fig = blank_figure((6, 3))
    axes = fig.subplots(1, 3)
    assert plot_group_keyness(_keyness(), ax=axes[0]) is fig
    assert plot_group_rates(_rates(), ax=axes[1]) is fig
    assert plot_guide_heatmap(_themes_table(), ax=axes[2]) is fig
    assert "Concept rates" in axes[1].get_title(loc="left")
    with pytest.raises(ValueError, match="value must be"):
        plot_guide_heatmap(_themes_table(), value="hits")


def test_empty_tables_draw_a_message_not_an_error():
    import warnings

    rates = _rates().iloc[:0]
    themes = _themes_table().iloc[:0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no matplotlib warning either
        fig = plot_group_rates(rates)
        assert fig.axes[0].texts[0].get_text() == "no document has a value of sector"
        fig2 = plot_guide_heatmap(themes)
        assert fig2.axes[0].texts[0].get_text() == "no theme to show"
    plt.close(fig)
    plt.close(fig2)


def test_cell_ink_follows_the_cell_colour():
    from interview_lens.figures.groups import _ink

    # cividis runs from dark blue (luminance ~0.003) to yellow (~0.8)
    assert _ink(0.0, 0.0, 10.0) == "white" and _ink(10.0, 0.0, 10.0) == "black"
    assert _ink(5.0, 5.0, 5.0) == "white"  # one value only: the low end of the map


def test_class_variables_heatmap():
    from interview_lens.analysis.groups import stat_class_variables
    from interview_lens.figures.groups import plot_class_variables

    classes = pd.DataFrame({"doc_id": ["a", "a", "a", "b", "c", "c"],
                            "class": [1, 1, 2, 1, 2, 2]})
    variables = pd.DataFrame({"doc_id": ["a", "b", "c"], "sector": ["NGO", "NGO", "gov"]})
    # the 2 x 2 of test_groups.test_class_crosstab_by_hand: chi2 3, adjusted residuals ±√3
    fig = plot_class_variables(stat_class_variables(classes, variables, by="sector"),
                               document="3 interviews")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["3\n(+1.7)", "0\n(-1.7)", "1\n(-1.7)",
                                                "2\n(+1.7)"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["class 1", "class 2"]
    assert "χ² = 3.0, 1 df, p = 0.083" in fig._suptitle.get_text().replace("\n", " ")
    plt.close(fig)
