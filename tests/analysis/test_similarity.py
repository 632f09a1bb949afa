"""Word similarity network: a presence table whose tree and top edges are listed by hand."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from interview_lens.analysis.similarity import stat_similarity
from interview_lens.language.tokens import tokens_from
from interview_lens.reading.segment import read_interview

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"

# units u1: a b c, u2: a b, u3: a c, u4: b d, u5: a b d
# n_a = 4, n_b = 4, n_c = 2, n_d = 2; together: ab 3 (u1 u2 u5), ac 2 (u1 u3), bd 2 (u4 u5),
# ad 1 (u5), bc 1 (u1), cd 0.  Jaccard n_ab / (n_a + n_b - n_ab): ab 3/5 = .6, ac 2/4 = .5,
# bd 2/4 = .5, ad 1/5 = .2, bc 1/5 = .2.
UNITS = pd.DataFrame([[1, 1, 1, 0], [1, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [1, 1, 0, 1]],
                     columns=list("abcd"))


def _pairs(net):
    return [tuple(x) for x in net.edges[["source", "target", "n_ab"]].itertuples(index=False)]


def test_maximum_spanning_tree_by_count():
    # strongest first: ab 3, then ac 2 and bd 2 (tie: alphabetical), then ad 1, bc 1.
    # Kruskal keeps ab, ac, bd (3 edges join the 4 words); ad and bc would close a cycle.
    net = stat_similarity(UNITS)
    assert _pairs(net) == [("a", "b", 3), ("a", "c", 2), ("b", "d", 2)]
    assert net.edges["jaccard"].tolist() == pytest.approx([0.6, 0.5, 0.5])
    assert net.nodes[["term", "n_units", "degree"]].values.tolist() == [
        ["a", 4, 2], ["b", 4, 2], ["c", 2, 1], ["d", 2, 1]]
    assert net.nodes["strength"].tolist() == [5.0, 5.0, 2.0, 2.0]


def test_top_edges_by_count_and_by_jaccard():
    assert _pairs(stat_similarity(UNITS, graph="top", top_n=2)) == [("a", "b", 3),
                                                                     ("a", "c", 2)]
    net = stat_similarity(UNITS, graph="top", top_n=4, measure="jaccard")
    # .6, .5, .5, then the .2 tie of ad and bc broken by n_ab (1 = 1) then alphabetically: ad
    assert _pairs(net) == [("a", "b", 3), ("a", "c", 2), ("a", "d", 1), ("b", "d", 2)]
    assert net.edges["weight"].tolist() == pytest.approx([0.6, 0.5, 0.2, 0.5])


def test_two_cliques_make_two_communities():
    # three units hold x1 x2 x3, three hold y1 y2 y3, one holds x3 and y1: every edge within a
    # triangle has n_ab 3, the bridge 1; modularity puts each triangle in its community.
    rows = [[1, 1, 1, 0, 0, 0]] * 3 + [[0, 0, 0, 1, 1, 1]] * 3 + [[0, 0, 1, 1, 0, 0]]
    units = pd.DataFrame(rows, columns=["x1", "x2", "x3", "y1", "y2", "y3"])
    net = stat_similarity(units, graph="top", top_n=100)
    groups = net.nodes.groupby("community")["term"].apply(list).to_dict()
    assert sorted(groups.values()) == [["x1", "x2", "x3"], ["y1", "y2", "y3"]]
    bridge = net.edges[(net.edges["source"] == "x3") & (net.edges["target"] == "y1")]
    assert bridge["community"].tolist() == [0]  # an edge between communities


@pytest.mark.parametrize("unit", ["segment", "sentence", "qa"])
def test_sample_networks_are_deterministic(unit):
    interview = read_interview(SAMPLE)
    tokens = tokens_from(interview)
    one = stat_similarity(tokens, unit=unit, texts=interview, random_state=3)
    two = stat_similarity(tokens, unit=unit, texts=interview, random_state=3)
    pd.testing.assert_frame_equal(one.edges, two.edges)
    pd.testing.assert_frame_equal(one.nodes, two.nodes)
    # a spanning forest: edges = nodes - components
    import networkx as nx
    g = nx.from_pandas_edgelist(one.edges, "source", "target")
    assert nx.is_forest(g) and len(one.nodes) == g.number_of_nodes()
    assert one.attrs["unit"] == unit and one.attrs["doc_id"] == "gt-kurbalija-2025-fr"


def test_segments_of_a_classification_are_the_units():
    from interview_lens.analysis.classes import stat_classes

    interview = read_interview(SAMPLE)
    tokens = tokens_from(interview)
    classes = stat_classes(tokens, texts=interview, k=3)
    from_classes = stat_similarity(tokens, segments=classes)
    from_texts = stat_similarity(tokens, texts=interview)
    pd.testing.assert_frame_equal(from_classes.edges, from_texts.edges)
    assert from_classes.attrs["n_unit_total"] == len(classes)
