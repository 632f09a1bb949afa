"""Concept figures (src/interview_lens/figures/concepts.py): what was drawn, on the invented
interview FOUR (tests/fixtures/concepts/token_table.py) and on the sample."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import EventCollection, LineCollection, PathCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from interview_lens.analysis.concepts import code_concepts
from interview_lens.analysis.cooccurrence import stat_cooccurrence  # noqa: E402
from interview_lens.analysis.dictionary import load_dictionary
from interview_lens.figures.concepts import (  # noqa: E402
    plot_concept_network,
    plot_concept_profile,
    plot_cooccurrence_heatmap,
    plot_dispersion,
)
from interview_lens.figures.style import figure_data  # noqa: E402

HERE = Path(__file__).parents[1]
FIXTURES = HERE / "fixtures" / "concepts"
SAMPLE = HERE.parent / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"
_spec = importlib.util.spec_from_file_location("concepts_token_table",
                                               FIXTURES / "token_table.py")
token_table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(token_table)


@pytest.fixture(scope="module")
def four():
    tokens, _ = token_table.four()
    hits = code_concepts(tokens, load_dictionary(FIXTURES / "mini.yaml"), language="fr")
    return tokens, hits, stat_cooccurrence(hits, tokens, unit="sentence")


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_heatmap_labels_order_cells_and_colour_bar(four):
    _, _, pairs = four
    fig = plot_cooccurrence_heatmap(pairs, measure="npmi", order="dictionary")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["coopération", "communauté", "partage", "open source", "IA"]  # French
    texts = _texts(ax)
    # diagonal: sentences voicing each concept (2, 3, 3, 2, 1)
    assert texts[0] == "2" and texts[6] == "3" and texts[24] == "1"
    # community-cooperation NPMI 0.676 -> ".68" (no leading zero); AI never with sharing -> "–"
    assert texts[1] == ".68" and texts[5] == ".68"
    assert texts[4 * 5 + 2] == "–"
    assert fig.axes[1].get_ylabel() == "NPMI"
    assert ax.get_title(loc="left") == "Co-occurrence (NPMI) per sentence\nfour"
    assert figure_data(fig).equals(pairs.reset_index(drop=True))


def test_heatmap_cluster_order_is_deterministic_and_groups_associated_concepts(four):
    _, _, pairs = four
    orders = [[t.get_text() for t in plot_cooccurrence_heatmap(pairs).axes[0].get_yticklabels()]
              for _ in range(2)]
    assert orders[0] == orders[1]
    order = orders[0]
    # community and cooperation (NPMI 0.68, the strongest pair) are neighbours
    assert abs(order.index("communauté") - order.index("coopération")) == 1
    assert sorted(order) == sorted(["coopération", "communauté", "partage", "open source", "IA"])


@pytest.mark.parametrize("measure, bar", [("jaccard", "Jaccard"), ("n_ab", "units together (n_ab)"),
                                          ("g2", "log-likelihood G²")])
def test_heatmap_other_measures(four, measure, bar):
    _, _, pairs = four
    fig = plot_cooccurrence_heatmap(pairs, measure=measure, order="alphabetical")
    assert fig.axes[1].get_ylabel() == bar


def test_heatmap_draws_into_given_axes(four):
    _, _, pairs = four
    fig, ax = plt.subplots()
    assert plot_cooccurrence_heatmap(pairs, ax=ax) is fig


def test_network_edges_follow_the_documented_rule(four):
    _, hits, pairs = four
    totals = hits["concept"].value_counts().to_dict()
    fig = plot_concept_network(pairs, totals, top_k=None)
    ax = fig.axes[0]
    edges = figure_data(fig)
    # positive associations seen together in >= 2 sentences: only community-cooperation (2,
    # NPMI 0.68) and community-open_source (2, NPMI 0.68)
    assert edges[["concept_a", "concept_b"]].values.tolist() == [
        ["community", "cooperation"], ["community", "open_source"]]
    nodes = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(nodes[0].get_offsets()) == 3
    assert len([c for c in ax.collections if isinstance(c, LineCollection)][0].get_paths()) == 2
    texts = _texts(ax)
    assert {"communauté", "coopération", "open source"} <= set(texts)
    assert any("No such edge: partage, IA." in t for t in texts)
    # min_n_ab=1 admits the single-sentence pairs seen more often than expected:
    # cooperation-open_source (1 > 2*2/7, NPMI 0.29), cooperation-sharing (1 > 2*3/7, NPMI 0.08)
    fig = plot_concept_network(pairs, totals, top_k=None, min_n_ab=1)
    assert figure_data(fig)[["concept_a", "concept_b"]].values.tolist() == [
        ["community", "cooperation"], ["community", "open_source"],
        ["cooperation", "open_source"], ["cooperation", "sharing"]]
    # ... but community-sharing (1 < 3*3/7) is a negative association and never an edge
    # top_k=1: each concept keeps its strongest edge (ties broken by n_ab then name)
    fig = plot_concept_network(pairs, totals, top_k=1, min_n_ab=1)
    assert figure_data(fig)[["concept_a", "concept_b"]].values.tolist() == [
        ["community", "cooperation"], ["community", "open_source"], ["cooperation", "sharing"]]
    # a significance threshold: community-cooperation Fisher p = 1/7 > 0.05 -> nothing
    fig = plot_concept_network(pairs, totals, p_max=0.05)
    assert figure_data(fig).empty


def test_network_edges_are_what_the_network_draws(four):
    from interview_lens.figures.concepts import network_edges

    _, _, pairs = four
    edges = network_edges(pairs, top_k=None)
    assert edges[["concept_a", "concept_b"]].values.tolist() == [
        ["community", "cooperation"], ["community", "open_source"]]
    # nothing is seen together in 3 sentences: no edge, so notebook 04 draws no network
    assert network_edges(pairs, top_k=None, min_n_ab=3).empty


def test_network_layout_is_seeded(four):
    _, hits, pairs = four

    def positions(seed):
        fig = plot_concept_network(pairs, min_n_ab=1, random_state=seed)
        return np.asarray(fig.axes[0].collections[-1].get_offsets()).round(6).tolist()

    assert positions(0) == positions(0)


def test_profile_rates_per_thousand_tokens(four):
    tokens, hits, _ = four
    fig = plot_concept_profile(tokens, hits)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Q1 · four", "Q2 · outils"]
    data = figure_data(fig)
    # Q/A 1 has 19 tokens (positions 4-22); sharing 3 hits -> 3/19*1000 = 157.89
    row = data[(data["qa_id"] == 1) & (data["concept"] == "sharing")].iloc[0]
    assert (row["hits"], row["tokens"]) == (3, 19)
    assert row["per_1000"] == pytest.approx(3000 / 19)
    assert "158" in _texts(ax)
    assert fig.axes[1].get_ylabel().startswith("hits per 1,000 tokens")


def test_dispersion_one_row_per_concept(four):
    tokens, hits, _ = four
    fig = plot_dispersion(tokens, hits)
    ax = fig.axes[0]
    rows = [c for c in ax.collections if isinstance(c, EventCollection)]
    assert len(rows) == 5
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "coopération (2)", "communauté (3)", "partage (3)", "open source (2)", "IA (1)"]
    # the phrase "mise en commun" (18-20) is drawn at its middle
    assert 19.0 in rows[2].get_positions()
    assert len(ax.lines) == 2  # a dotted line where each Q/A pair starts
    with pytest.raises(ValueError, match="one document"):
        other = tokens.assign(doc_id="other")
        plot_dispersion(pd.concat([tokens, other]), hits)


def test_every_figure_on_the_sample_in_french(tmp_path):
    from interview_lens.figures.export import save_figure
    from interview_lens.language.tokens import tokens_from
    from interview_lens.reading.segment import read_interview

    tokens = tokens_from(read_interview(SAMPLE))
    hits = code_concepts(tokens, load_dictionary())
    pairs = stat_cooccurrence(hits, tokens, unit="qa")
    figs = {
        "heatmap": plot_cooccurrence_heatmap(pairs),
        "network": plot_concept_network(pairs, hits["concept"].value_counts()),
        "profile": plot_concept_profile(tokens, hits),
        "dispersion": plot_dispersion(tokens, hits),
    }
    labels = [t.get_text() for t in figs["heatmap"].axes[0].get_yticklabels()]
    assert "coopération" in labels and "communauté" in labels and "développement" in labels
    rows = [t.get_text() for t in figs["dispersion"].axes[0].get_yticklabels()]
    assert "communauté (10)" in rows and "partage (9)" in rows and "open source (8)" in rows
    for name, fig in figs.items():
        written = save_figure(fig, name, tmp_path, formats=("png",))
        assert [p.suffix for p in written] == [".png", ".csv"]


def test_qa_labels_wrap_long_themes_onto_two_lines():
    from interview_lens.figures.concepts import _qa_labels

    tokens = pd.DataFrame({"qa_id": [0, 1, 2, 3],
                           "theme": ["", "Concept · communauté · cyberespace", "Court",
                                     "aaa bbb ccc ddd eee fff ggg"]})
    assert _qa_labels(tokens, max_theme=28) == {
        1: "Q1 · Concept · communauté ·\ncyberespace", 2: "Q2 · Court",
        3: "Q3 · aaa bbb ccc ddd eee fff ggg"}
    assert _qa_labels(tokens, max_theme=10)[3] == "Q3 · aaa bbb\nccc ddd…"
