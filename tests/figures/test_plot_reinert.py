"""Figures of issue 18 on the sample: dendrogram, classes along the interview, CA plane,
similarity network.  Agg backend (tests/conftest.py); assertions on what was drawn."""
from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from matplotlib.collections import LineCollection, PathCollection

from interview_lens.analysis.ca import lexical_table, stat_ca
from interview_lens.analysis.class_profiles import stat_class_profiles, top_terms
from interview_lens.analysis.classes import stat_classes
from interview_lens.analysis.similarity import stat_similarity
from interview_lens.figures.ca import plot_ca
from interview_lens.figures.classes import plot_classes_along, plot_dendrogram
from interview_lens.figures.similarity import plot_similarity
from interview_lens.figures.style import figure_data
from interview_lens.language.tokens import tokens_from
from interview_lens.reading.segment import read_interview

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"


@pytest.fixture(scope="module")
def sample():
    interview = read_interview(SAMPLE)
    tokens = tokens_from(interview)
    classes = stat_classes(tokens, texts=interview, k=5)
    return interview, tokens, classes, stat_class_profiles(classes, tokens)


def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_dendrogram_names_each_class_its_share_and_words(sample):
    _, _, classes, profiles = sample
    fig = plot_dendrogram(classes, profiles, n_words=6)
    texts = _texts(fig)
    heads = [t for t in texts if t.startswith("Class ")]
    assert len(heads) == 5
    share = 100 * (classes["class"] == 1).sum() / len(classes)
    assert heads[0] == f"Class 1\n{share:.1f} % ({(classes['class'] == 1).sum()})"
    words = top_terms(profiles, n=6)
    for c in range(1, 6):
        # the words line of class c holds its top words, in χ² order
        line = next(t for t in texts if t.replace("\n", " ").startswith(words[c][0]))
        assert line.replace("\n", " ") == ", ".join(words[c])
    # 4 splits, 2 elbows each; a χ² label at each split
    assert sum(t.startswith("χ² ") for t in texts) == 4
    assert "gt-kurbalija-2025-fr" in fig.axes[0].get_title(loc="left")
    assert list(figure_data(fig)["class"]) == [1, 2, 3, 4, 5]
    plt.close(fig)


def test_classes_along_draws_one_stack_per_pair(sample):
    _, _, classes, _ = sample
    fig = plot_classes_along(classes)
    ax = fig.axes[0]
    pairs = classes.loc[classes["qa_id"] >= 1, "qa_id"].nunique()
    stacks = classes.loc[classes["qa_id"] >= 1, "class"].nunique()
    assert len(ax.patches) == pairs * stacks
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"Q{i}" for i in range(1, 6)]
    tops, heights = {}, {}
    for p in ax.patches:  # stacked: the bars of a pair end at 100 %, one above the other
        x = round(p.get_x(), 3)
        heights[x] = heights.get(x, 0) + p.get_height()
        tops[x] = max(tops.get(x, 0), p.get_y() + p.get_height())
    assert all(h == pytest.approx(100.0) for h in heights.values())
    assert all(t == pytest.approx(100.0) for t in tops.values())
    plt.close(fig)


def test_ca_plane_labels_the_top_contributors_and_names_inertia(sample):
    interview, tokens, _, _ = sample
    ca = stat_ca(lexical_table(tokens, by="qa_id", min_frequency=3))
    fig = plot_ca(ca, n_terms=10, parts="Q/A pairs", part_format="Q{}",
                  document=interview.doc_id)
    ax = fig.axes[0]
    data = figure_data(fig)
    labelled = set(data.loc[(data["kind"] == "term") & data["labelled"], "label"])
    lam = ca.eigenvalues["eigenvalue"]
    plane = (lam[0] * ca.rows["contrib_1"] + lam[1] * ca.rows["contrib_2"])
    top = set(ca.rows.loc[plane.sort_values(ascending=False).index[:10], "label"])
    assert labelled <= top and len(labelled) >= 8  # only top contributors, nearly all placed
    texts = [t.get_text() for t in ax.texts]
    assert labelled <= set(texts) and not (set(ca.rows["label"]) - labelled) & set(texts)
    assert {f"Q{i}" for i in range(1, 6)} <= set(texts)
    # no two labels overlap
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_text() in
             labelled | {f"Q{i}" for i in range(1, 6)}]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)
    pct = ca.eigenvalues["inertia_pct"]
    assert ax.get_xlabel().startswith(f"Axis 1 ({pct[0]:.1f} % of inertia")
    assert ax.get_ylabel().startswith(f"Axis 2 ({pct[1]:.1f} % of inertia")
    assert "terms × Q/A pairs" in ax.get_title(loc="left")
    plt.close(fig)


def test_similarity_network_draws_every_node_and_edge(sample):
    interview, tokens, _, _ = sample
    net = stat_similarity(tokens, texts=interview)
    fig = plot_similarity(net)
    ax = fig.axes[0]
    nodes = [c for c in ax.collections if isinstance(c, PathCollection)]
    edges = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(nodes) == 1 and len(nodes[0].get_offsets()) == len(net.nodes)
    assert len(edges) == 1 and len(edges[0].get_segments()) == len(net.edges)
    labels = {t.get_text() for t in ax.texts}
    assert set(net.nodes["term"]) <= labels
    assert "maximum spanning tree" in " ".join(labels)
    # same network and seed, same picture
    again = plot_similarity(net)
    assert (again.axes[0].collections[-1].get_offsets() == nodes[0].get_offsets()).all()
    plt.close(fig)
    plt.close(again)


def test_dendrogram_of_a_double_classification_has_no_tree(sample):
    interview, tokens, _, _ = sample
    classes = stat_classes(tokens, texts=interview, k=3, double=(3, 5), min_members=2)
    fig = plot_dendrogram(classes, stat_class_profiles(classes, tokens))
    ax = fig.axes[0]
    texts = _texts(fig)
    assert sum(t.startswith("Class ") for t in texts) == classes.attrs["n_classes"]
    assert not any(t.startswith("χ² ") for t in texts)  # no split, no tree
    assert "double classification (units of 3 and 5 terms)" in ax.get_title(loc="left")
    if (classes["class"] == 0).any():
        assert any("the two classifications disagree" in t for t in texts)
    plt.close(fig)


def test_a_tiny_interview_has_no_class_and_says_so(tmp_path):
    path = tmp_path / "tiny.txt"
    path.write_text("Q : Que pensez-vous de la coopération numérique ?\n\n"
                    "R : La coopération numérique est une bonne chose pour tous.\n",
                    encoding="utf-8")
    interview = read_interview(path)
    tokens = tokens_from(interview)
    classes = stat_classes(tokens, texts=interview)
    # two segments (one per turn), no lemma in 3 of them: nothing to classify
    assert classes["class"].tolist() == [0, 0] and classes.attrs["n_classes"] == 0
    profiles = stat_class_profiles(classes, tokens)
    assert profiles.empty
    fig = plot_dendrogram(classes, profiles)
    assert "no class: too few segments share a term" in _texts(fig)
    net = stat_similarity(tokens, texts=interview)
    assert net.edges.empty and net.nodes.empty
    fig2 = plot_similarity(net)
    assert "no two words share a unit" in _texts(fig2)
    plt.close(fig)
    plt.close(fig2)


def test_ca_of_the_classes_draws_on_a_given_axes(sample):
    from matplotlib.figure import Figure

    from interview_lens.analysis.class_profiles import class_term_table

    *_, profiles = sample
    ca = stat_ca(class_term_table(profiles))
    outer = Figure(figsize=(7, 5))
    ax = outer.add_subplot()
    fig = plot_ca(ca, parts="classes", part_format="Class {}", ax=ax)
    assert fig is outer
    texts = {t.get_text() for t in ax.texts}
    assert {f"Class {c}" for c in range(1, 6)} <= texts
    assert "terms × classes" in ax.get_title(loc="left")
