"""Term figures: assert on what was drawn (bars, widths, labels, panels), then close the figure.

Counts of the invented fixture (tests/fixtures/terms/token_table.py) are worked out in
tests/test_terms.py: jardin 5, budget 3, partager 3, lien 2, modeste 2, quartier 2, then six 1s.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from interview_lens.analysis.terms import stat_frequency, stat_keyness, stat_ngrams  # noqa: E402
from interview_lens.figures import style  # noqa: E402
from interview_lens.figures.style import figure_data  # noqa: E402
from interview_lens.figures.terms import (  # noqa: E402
    plot_keyness,
    plot_ngrams,
    plot_terms,
    plot_terms_by_theme,
    plot_wordcloud,
    plot_wordclouds_by_theme,
)

_spec = importlib.util.spec_from_file_location(
    "terms_token_table", Path(__file__).parents[1] / "fixtures" / "terms" / "token_table.py")
token_table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(token_table)

DOC = "Jardin partagé — « entretien » (2025, fr)"


@pytest.fixture
def toks():
    return token_table.jardins()


def _bars(ax):
    """Bars of a barh chart from top to bottom: (label, width, colour)."""
    patches = [p for p in ax.patches if isinstance(p, Rectangle)]
    patches.sort(key=lambda p: -p.get_y())
    labels = {round(t, 6): lab.get_text() for t, lab in zip(ax.get_yticks(),
                                                            ax.get_yticklabels())}
    return [(labels[round(p.get_y() + p.get_height() / 2, 6)], p.get_width(),
             to_hex(p.get_facecolor())) for p in patches]


def _title(fig, ax):
    return (fig._suptitle.get_text() if fig._suptitle else "") + ax.get_title(loc="left")


def test_plot_terms_bars(toks):
    freq = stat_frequency(toks)
    fig = plot_terms(freq, top_n=4, document=DOC)
    ax = fig.axes[0]
    # top 4 by count then lemma: jardin 5, budget 3, partager 3, lien 2 -- largest at the top
    assert [(lab, w) for lab, w, _ in _bars(ax)] == [
        ("jardin", 5), ("budget", 3), ("partager", 3), ("lien", 2)]
    assert ax.get_xlabel() == "Occurrences (lemmas)"
    # counts written at the bar ends, right of each bar
    assert [t.get_text() for t in ax.texts] == ["5", "3", "3", "2"]
    assert [t.xy[0] for t in ax.texts] == [5, 3, 3, 2]
    title = _title(fig, ax)
    assert "Most frequent lemmas" in title and "stopwords removed" in title
    assert title.replace("\n", " ").endswith(DOC)
    pd.testing.assert_frame_equal(figure_data(fig), freq.head(4), check_like=False)
    # 85 mm wide
    assert fig.get_figwidth() == pytest.approx(85 / 25.4)
    plt.close(fig)


def test_plot_terms_with_stopwords_says_so_and_draws_on_given_axes(toks):
    fig0, ax0 = plt.subplots()
    fig = plot_terms(stat_frequency(toks, content_only=False), top_n=3, ax=ax0, document=DOC)
    assert fig is fig0
    assert [lab for lab, _, _ in _bars(ax0)] == ["jardin", "le", "budget"]
    assert "stopwords" not in ax0.get_title(loc="left")  # on the given axes, not suptitle
    plt.close(fig)


def test_plot_terms_refuses_a_table_with_several_groups(toks):
    with pytest.raises(ValueError, match="several theme"):
        plot_terms(stat_frequency(toks, by="theme"))


def test_plot_terms_by_theme_panels(toks):
    freq = stat_frequency(toks, by="theme")
    fig = plot_terms_by_theme(freq, top_n=2, document=DOC)
    assert len(fig.axes) == 2  # two themes, unused grid cells removed
    assert [a.get_title(loc="left") for a in fig.axes] == ["jardins", "budget"]
    assert [(lab, w) for lab, w, _ in _bars(fig.axes[0])] == [("jardin", 3), ("partager", 2)]
    assert [(lab, w) for lab, w, _ in _bars(fig.axes[1])] == [("budget", 3), ("modeste", 2)]
    assert fig.axes[0].get_xlim() == fig.axes[1].get_xlim()  # shared x scale
    assert "per theme" in fig._suptitle.get_text()
    assert list(figure_data(fig)["lemma"]) == ["jardin", "partager", "budget", "modeste"]
    assert fig.get_figwidth() == pytest.approx(175 / 25.4)
    plt.close(fig)


def test_plot_terms_by_theme_long_theme_label_is_wrapped(toks):
    long = "Financement participatif et budget municipal des jardins collectifs"
    freq = stat_frequency(toks.assign(theme=toks["theme"].replace("budget", long)), by="theme")
    fig = plot_terms_by_theme(freq, top_n=2)
    assert "\n" in fig.axes[1].get_title(loc="left")
    assert fig.axes[1].get_title(loc="left").replace("\n", " ") == long
    plt.close(fig)


def test_plot_keyness_diverging(toks):
    key = stat_keyness(toks, by="theme")
    fig = plot_keyness(key, top_n=2, top_n_under=1, document=DOC)
    assert len(fig.axes) == 2
    bars = _bars(fig.axes[1])  # theme "budget" (see test_terms: budget 4.909862, modeste
    # 3.273241 overused; quartier 2.327686 the strongest underused)
    assert [lab for lab, _, _ in bars] == ["budget", "modeste", "quartier"]
    assert [w for _, w, _ in bars] == pytest.approx([4.909862, 3.273241, -2.327686], abs=1e-6)
    assert [c for _, _, c in bars] == [style.POSITIVE.lower()] * 2 + [style.NEGATIVE.lower()]
    # "jardins": overused partager 0.617999, jardin 0.507431; underused budget 3.491529
    assert [(lab, round(w, 6)) for lab, w, _ in _bars(fig.axes[0])] == [
        ("partager", 0.617999), ("jardin", 0.507431), ("budget", -3.491529)]
    assert "G²" in fig._supxlabel.get_text()
    assert list(figure_data(fig)["signed_g2"].round(6)) == [
        0.617999, 0.507431, -3.491529, 4.909862, 3.273241, -2.327686]
    plt.close(fig)


def test_plot_ngrams(toks):
    fig = plot_ngrams(stat_ngrams(toks, n=2, min_count=1), top_n=3, document=DOC)
    bars = _bars(fig.axes[0])
    assert len(bars) == 3 and bars[0][:2] == ("jardin partager", 3)
    assert {w for _, w, _ in bars[1:]} == {1}
    assert "bigrams" in _title(fig, fig.axes[0])
    plt.close(fig)
    fig = plot_ngrams(stat_ngrams(toks, n=3, min_count=1), top_n=20)
    assert len(_bars(fig.axes[0])) == 9 and "trigrams" in _title(fig, fig.axes[0])
    plt.close(fig)


def test_plot_wordcloud_draws_the_frequency_table(toks):
    freq = stat_frequency(toks)
    fig = plot_wordcloud(freq, document=DOC, random_state=3)
    ax = fig.axes[0]
    image = ax.images[0].get_array()
    # 85 mm at 300 dpi = 1003.9 -> 1004 px wide; height 85*0.62 = 52.7 mm -> 622 px
    assert image.shape[:2] == (622, 1004)
    assert np.all(image[0, 0] == 255)  # white background
    drawn = figure_data(fig)
    # every word placed comes from the table, with the table's count; bigger count, bigger font
    assert set(drawn["lemma"]) <= set(freq["lemma"]) and "jardin" in set(drawn["lemma"])
    assert drawn.set_index("lemma")["count"].to_dict() == {
        k: v for k, v in freq.set_index("lemma")["count"].items() if k in set(drawn["lemma"])}
    sizes = drawn.groupby("count")["font_size_px"].min().sort_index()
    assert sizes.is_monotonic_increasing
    plt.close(fig)


def test_plot_wordcloud_random_state_fixes_layout(toks):
    freq = stat_frequency(toks)
    figs = [plot_wordcloud(freq, random_state=s) for s in (1, 1, 2)]
    arrays = [f.axes[0].images[0].get_array() for f in figs]
    assert np.array_equal(arrays[0], arrays[1])
    assert not np.array_equal(arrays[0], arrays[2])
    for f in figs:
        plt.close(f)


def test_plot_wordcloud_font_has_french_glyphs():
    # the cloud is drawn with matplotlib's DejaVu Sans, which has a glyph (index != 0) for every
    # French letter and typographic sign; a font without them would draw empty boxes
    from matplotlib.ft2font import FT2Font

    from interview_lens.figures.terms import _font_path
    path = _font_path()
    assert Path(path).name == "DejaVuSans.ttf"
    font = FT2Font(path)
    letters = "éèêëàâçîïôûùüÿœæÉÀÇ«»’"
    assert all(font.get_char_index(ord(ch)) != 0 for ch in letters)


def test_plot_wordclouds_by_theme_panels(toks):
    fig = plot_wordclouds_by_theme(stat_frequency(toks, by="theme"), max_words=5, document=DOC)
    assert len(fig.axes) == 2 and all(len(a.images) == 1 for a in fig.axes)
    assert [a.get_title(loc="left") for a in fig.axes] == ["jardins", "budget"]
    drawn = figure_data(fig)
    assert set(drawn["theme"]) == {"jardins", "budget"}
    assert drawn.groupby("theme").size().max() <= 5
    plt.close(fig)


# --- the sample interview: every figure fits its column width ----------------------------------

@pytest.fixture(scope="module")
def sample():
    from interview_lens.analysis.themes import label_themes
    from interview_lens.language.tokens import tokens_from
    from interview_lens.reading.segment import read_interview

    root = Path(__file__).resolve().parents[2]
    interview = read_interview(root / "data" / "interviews" / "gt-kurbalija-2025-fr.txt")
    toks = tokens_from(interview)
    qa = label_themes(interview, toks)
    return toks.assign(theme=toks["qa_id"].map(dict(zip(qa["qa_id"], qa["theme"]))).fillna(""))


def test_sample_plot_terms(sample):
    fig = plot_terms(stat_frequency(sample), document="GT — Jovan Kurbalija (2025, fr)")
    bars = _bars(fig.axes[0])
    # IA 27 (grep -o 'IA\b'), then numérique 12, cyberespace 11 (grep -oi), communauté 10
    assert len(bars) == 20
    assert [(lab, w) for lab, w, _ in bars[:4]] == [
        ("IA", 27), ("numérique", 12), ("cyberespace", 11), ("communauté", 10)]
    plt.close(fig)


@pytest.mark.parametrize("name,build,width", [
    ("terms", lambda t: plot_terms(stat_frequency(t), document=DOC), "one"),
    ("ngrams", lambda t: plot_ngrams(stat_ngrams(t, n=3), document=DOC), "one"),
    ("cloud", lambda t: plot_wordcloud(stat_frequency(t), document=DOC), "one"),
    ("by_theme", lambda t: plot_terms_by_theme(stat_frequency(t, by="theme"), document=DOC),
     "two"),
    ("keyness", lambda t: plot_keyness(stat_keyness(t, by="theme"), document=DOC), "two"),
    ("clouds", lambda t: plot_wordclouds_by_theme(stat_frequency(t, by="theme"), document=DOC),
     "two"),
])
def test_sample_figures_fit_the_column(sample, tmp_path, name, build, width):
    from PIL import Image

    from interview_lens.figures.export import save_figure
    fig = build(sample)
    try:
        save_figure(fig, name, tmp_path, formats=("png",))
    finally:
        plt.close(fig)
    # saved with a tight bounding box: anything drawn past the column (a long title, a label)
    # would widen the PNG beyond 85 / 175 mm at 300 dpi
    px = Image.open(tmp_path / f"{name}.png").size[0]
    assert px <= round(style.WIDTHS_MM[width] / 25.4 * 300) + 2
