"""Word similarity network: IRaMuTeQ's "analyse de similitudes", KH Coder's co-occurrence network.

Lemmas are linked by how often they occur in the same unit (text segment, sentence or Q/A pair):
the count ``n_ab`` of units holding both, or Jaccard's ``n_ab / (n_a + n_b - n_ab)`` (KH Coder's
default, which does not favour frequent words).  The graph kept is either the maximum spanning
tree (IRaMuTeQ's default, after Flament's similarity analysis: the strongest links that connect
every word, no cycle) or the ``top_n`` strongest edges (KH Coder draws 60).  Communities are
Louvain's modularity optimisation (Blondel et al. 2008) in networkx, seeded by ``random_state``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

from interview_lens.analysis.segments import segment_matrix, text_segments
from interview_lens.errors import InputError

EDGE_COLUMNS = ["source", "target", "n_ab", "jaccard", "weight", "community"]
NODE_COLUMNS = ["term", "n_units", "degree", "strength", "community"]


@dataclass(frozen=True)
class SimilarityNetwork:
    """The result of :func:`stat_similarity`.

    ``edges``: ``source, target`` (terms, source < target), ``n_ab`` (units holding both),
    ``jaccard``, ``weight`` (the measure the graph was built on), ``community`` (the ends'
    community when they share one, else 0).  ``nodes``: ``term, n_units, degree, strength``
    (sum of the weights of its edges), ``community`` (1 = the largest).  ``attrs``: the options.
    """

    edges: pd.DataFrame
    nodes: pd.DataFrame
    attrs: dict


def _presence(x: pd.DataFrame, unit: str, texts, segments, min_frequency: int):
    if not {"lemma", "doc_id", "start_char"} <= set(x.columns):  # a units x terms 0/1 table
        values = x.to_numpy(dtype=float)
        return sparse.csr_matrix((values > 0).astype(np.int8)), [str(c) for c in x.columns]
    if unit == "segment":
        if segments is None:
            if texts is None:
                raise InputError(None, "a network of segments needs texts= or segments=")
            segments = text_segments(x, texts)
        return segment_matrix(x, segments, min_frequency=min_frequency)
    key = {"sentence": "sentence_id", "qa": "qa_id"}.get(unit)
    if key is None:
        raise InputError(None, f"unit must be 'segment', 'sentence' or 'qa', not {unit!r}")
    words = x[~x["is_stop"].astype(bool) & (x["lemma"].astype(str) != "")]
    if unit == "qa":
        words = words[words["qa_id"] >= 1]  # narration is no Q/A pair
    units = pd.MultiIndex.from_arrays([words["doc_id"], words[key]]).factorize()[0]
    codes, terms = pd.factorize(words["lemma"].astype(str), sort=True)
    m = sparse.csr_matrix((np.ones(len(codes), dtype=np.int8), (units, codes)),
                          shape=(units.max() + 1 if len(units) else 0, len(terms)))
    m.sum_duplicates()
    m.data[:] = 1
    cols = np.flatnonzero(np.asarray(m.sum(axis=0)).ravel() >= min_frequency)
    return m[:, cols].tocsr(), [str(terms[c]) for c in cols]


def stat_similarity(x: pd.DataFrame, *, unit: Literal["segment", "sentence", "qa"] = "segment",
                    texts=None, segments: pd.DataFrame | None = None,
                    measure: Literal["count", "jaccard"] = "count",
                    graph: Literal["tree", "top"] = "tree", top_n: int = 60,
                    max_terms: int = 50, min_frequency: int = 3,
                    random_state: int = 0) -> SimilarityNetwork:
    """The word similarity network of a token table (or of a units x terms 0/1 table).

    Parameters
    ----------
    x : a token table (content lemmas, ``is_stop`` False) or a units x terms 0/1 table.
    unit : the unit of co-occurrence; segments are cut by ``text_segments`` from ``texts``
        unless ``segments`` (e.g. the ``stat_classes`` table) is given.
    measure : ``"count"`` (n_ab, IRaMuTeQ's default) or ``"jaccard"`` (KH Coder's).
    graph : ``"tree"`` the maximum spanning tree (a forest when the words fall apart) or
        ``"top"`` the ``top_n`` strongest edges.
    max_terms : the most frequent terms only (ties: alphabetical), for a legible figure.
    min_frequency : a term is kept when in at least this many units.
    random_state : seed of the Louvain communities.

    Returns a :class:`SimilarityNetwork` (tidy ``edges`` and ``nodes``).  Ties between equal
    weights break by ``n_ab`` then alphabetically, so the same input gives the same graph.
    """
    m, terms = _presence(x, unit, texts, segments, min_frequency)
    n_units = np.asarray(m.sum(axis=0)).ravel()
    order = sorted(range(len(terms)), key=lambda j: (-n_units[j], terms[j]))[:max_terms]
    keep = np.array(sorted(order, key=lambda j: terms[j]), dtype=int)
    m, terms, n_units = m[:, keep].tocsc(), [terms[j] for j in keep], n_units[keep]
    co = sparse.triu((m.T @ m).tocoo(), k=1).tocoo()
    a, b, nab = co.row, co.col, co.data.astype(float)
    jac = nab / (n_units[a] + n_units[b] - nab)
    pairs = pd.DataFrame({"source": np.array(terms, dtype=object)[a],
                          "target": np.array(terms, dtype=object)[b],
                          "n_ab": nab.astype(int), "jaccard": jac,
                          "weight": nab if measure == "count" else jac})
    pairs = pairs[pairs["n_ab"] > 0].sort_values(
        ["weight", "n_ab", "source", "target"], ascending=[False, False, True, True],
        kind="stable").reset_index(drop=True)
    if graph == "top":
        chosen = pairs.head(top_n)
    elif graph == "tree":
        chosen = _spanning_tree(pairs)
    else:
        raise InputError(None, f"graph must be 'tree' or 'top', not {graph!r}")
    g = nx.Graph()
    g.add_weighted_edges_from(chosen[["source", "target", "weight"]].itertuples(index=False))
    community = _communities(g, random_state)
    edges = chosen.copy()
    ca, cb = edges["source"].map(community), edges["target"].map(community)
    edges["community"] = np.where(ca == cb, ca, 0).astype(int)
    edges = edges.sort_values(["source", "target"]).reset_index(drop=True)[EDGE_COLUMNS]
    count = dict(zip(terms, n_units.astype(int)))
    linked = sorted(g.nodes)
    nodes = pd.DataFrame({"term": linked, "n_units": [count[t] for t in linked],
                          "degree": [g.degree(t) for t in linked],
                          "strength": [float(g.degree(t, weight="weight")) for t in linked],
                          "community": [community[t] for t in linked]}, columns=NODE_COLUMNS)
    doc_ids = sorted(set(x["doc_id"].astype(str))) if "doc_id" in x.columns else []
    attrs = {"unit": unit, "measure": measure, "graph": graph, "top_n": top_n,
             "n_unit_total": int(m.shape[0]), "random_state": random_state,
             "doc_id": doc_ids[0] if len(doc_ids) == 1 else ""}
    return SimilarityNetwork(edges, nodes, attrs)


def _spanning_tree(pairs: pd.DataFrame) -> pd.DataFrame:
    """Kruskal's maximum spanning forest over ``pairs`` already sorted strongest first."""
    parent: dict[str, str] = {}

    def root(t: str) -> str:
        while parent.setdefault(t, t) != t:
            parent[t] = parent[parent[t]]
            t = parent[t]
        return t

    keep = []
    for i, (s, t) in enumerate(zip(pairs["source"], pairs["target"])):
        rs, rt = root(s), root(t)
        if rs != rt:
            parent[rs] = rt
            keep.append(i)
    return pairs.iloc[keep]


def _communities(g: nx.Graph, random_state: int) -> dict[str, int]:
    """Louvain communities numbered 1.. by size, then by their first term."""
    if g.number_of_nodes() == 0:
        return {}
    found = nx.community.louvain_communities(g, weight="weight", seed=random_state)
    ranked = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    return {t: i for i, c in enumerate(ranked, start=1) for t in c}
