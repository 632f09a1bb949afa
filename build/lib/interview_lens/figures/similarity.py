"""The word similarity network (IRaMuTeQ's "analyse de similitudes", KH Coder's co-occurrence
network): words sized by frequency, coloured by community, edges as wide as they are strong.

Each connected part is laid out on its own (Kamada-Kawai on path lengths, started from a spring
layout seeded by ``random_state``); the largest fills a square on the left and the others are
stacked beside it, so that a small separate part does not squash the rest; labels are set just
outside their node where they overlap nothing (the concept network's placement,
:mod:`interview_lens.figures.concepts`).  Same network and seed, same figure.
"""
from __future__ import annotations

import networkx as nx
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from interview_lens.analysis.similarity import SimilarityNetwork
from interview_lens.figures._labels import place_node_labels
from interview_lens.figures.style import (
    NEUTRAL,
    PALETTE,
    Width,
    attach_data,
    house_style,
    new_figure,
    title,
)

#: Okabe-Ito without yellow (pale on white) and black (reserved for text); then grey.
COMMUNITY_COLOURS = (PALETTE[0], PALETTE[3], PALETTE[2], PALETTE[4], PALETTE[1], PALETTE[5],
                     "#882255", "#44AA99", "#999933")
_UNITS = {"segment": "text segment", "sentence": "sentence", "qa": "Q/A pair"}
_MEASURES = {"count": "units together (n_ab)", "jaccard": "Jaccard"}


def community_colour(c: int) -> str:
    """The colour of community ``c`` (1 = the largest); the rest beyond nine are grey."""
    return COMMUNITY_COLOURS[c - 1] if 1 <= c <= len(COMMUNITY_COLOURS) else NEUTRAL


def plot_similarity(network: SimilarityNetwork, *, document: str | None = None,
                    random_state: int | None = None, ax: Axes | None = None,
                    width: Width = "two") -> Figure:
    """Draw a :func:`~interview_lens.analysis.similarity.stat_similarity` network.

    Node area is proportional to the number of units holding the word, edge width to the
    edge's weight, node colour to its Louvain community.  ``random_state`` seeds the layout
    (default: the network's own).
    """
    attrs = network.attrs
    seed = attrs.get("random_state", 0) if random_state is None else random_state
    g = nx.Graph()
    g.add_nodes_from(network.nodes["term"])
    for e in network.edges.itertuples(index=False):
        g.add_edge(e.source, e.target, weight=float(e.weight))
    community = dict(zip(network.nodes["term"], network.nodes["community"]))
    count = dict(zip(network.nodes["term"], network.nodes["n_units"]))
    with house_style():
        fig, ax = new_figure(ax, width=width, aspect=0.75)
        ax.set_axis_off()
        nodes = list(g.nodes)
        if not nodes:
            ax.text(0.5, 0.5, "no two words share a unit", ha="center", va="center",
                    transform=ax.transAxes, color="#555555")
            radius = {}
            pos = {}
        else:
            # weights rescaled to 0..1 for the layout's path lengths, whatever the measure
            w = np.array([d["weight"] for _, _, d in g.edges(data=True)] or [1.0])
            top = float(w.max()) or 1.0
            h = nx.Graph()
            h.add_nodes_from(nodes)
            h.add_weighted_edges_from((u, v, d["weight"] / top) for u, v, d in g.edges(data=True))
            pos = _layout(h, seed)
            most = max(count.values()) or 1
            area = np.array([30 + 330 * count[t] / most for t in nodes])
            radius = {t: float(np.sqrt(a) / 2) for t, a in zip(nodes, area)}
            widths = [0.5 + 3.5 * g.edges[u, v]["weight"] / top for u, v in g.edges()]
            nx.draw_networkx_edges(g, pos, ax=ax, width=widths, edge_color=NEUTRAL, alpha=0.75)
            nx.draw_networkx_nodes(g, pos, nodelist=nodes, ax=ax, node_size=area,
                                   node_color=[community_colour(community[t]) for t in nodes],
                                   edgecolors="white", linewidths=0.8)
            ax.margins(x=0.06, y=0.08)
        unit = _UNITS.get(attrs.get("unit"), attrs.get("unit", "unit"))
        measure = _MEASURES.get(attrs.get("measure"), attrs.get("measure"))
        rule = ("maximum spanning tree" if attrs.get("graph") == "tree"
                else f"the {attrs.get('top_n')} strongest edges")
        caption = (f"{len(nodes)} words, {g.number_of_edges()} edges ({rule} of {measure}); "
                   f"node area ∝ {unit}s holding the word, edge width ∝ {measure}, colour: "
                   f"community (Louvain, seed {attrs.get('random_state', 0)}).")
        note = ax.text(0.0, -0.01, caption, transform=ax.transAxes, ha="left", va="top",
                       fontsize=6, color="#444444", wrap=True)
        ax.set_title(title(document or attrs.get("doc_id") or "", "Word similarity network",
                           unit), loc="left")
        if nodes:
            fig.canvas.draw()  # settle the layout so labels are judged where they land
            ax.set_xlim(ax.get_xlim())
            ax.set_ylim(ax.get_ylim())
            place_node_labels(ax, fig, pos, {t: t for t in nodes}, radius, avoid=[note])
    attach_data(fig, network.edges)
    return fig


def _layout(g: nx.Graph, seed: int) -> dict:
    """Positions of ``g``'s nodes: the largest component in a square on the left, the others
    stacked in columns on its right (a side of 2 √nodes each, smaller ones at 80 %), so that
    the main network keeps most of the figure."""
    parts = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    pos: dict = {}
    main = 2 * np.sqrt(len(parts[0]))
    x_col, y_top, col_w = main + 0.5, main / 2, 0.0
    for i, nodes in enumerate(parts):
        side = main if i == 0 else max(1.6 * np.sqrt(len(nodes)), 1.0)
        if i == 0:
            centre = np.array([main / 2, 0.0])
        else:
            if y_top - side < -main / 2 and col_w > 0:  # this column is full: start another
                x_col, y_top, col_w = x_col + col_w + 0.8, main / 2, 0.0
            centre = np.array([x_col + side / 2, y_top - side / 2])
            y_top -= side + 0.6
            col_w = max(col_w, side)
        for t, p in _component(g.subgraph(nodes), nodes, seed).items():
            pos[t] = centre + p * side / 2
    return pos


def _component(sub: nx.Graph, nodes: list, seed: int) -> dict:
    """One connected component laid out in [-1, 1]²."""
    if len(nodes) == 1:
        return {nodes[0]: np.zeros(2)}
    start = nx.spring_layout(sub, seed=seed)
    if sub.number_of_edges() == len(nodes) - 1:
        # a tree: an edge as long as its hub needs, so that a word linked to twenty
        # others sets them on a circle wide enough for their labels
        deg = dict(sub.degree())
        length = lambda u, v, d: 0.5 + 0.7 * np.sqrt(max(deg[u], deg[v]))
    else:  # strong links short, weights already 0..1
        length = lambda u, v, d: 1.0 / (0.5 + d["weight"])
    dist = dict(nx.all_pairs_dijkstra_path_length(sub, weight=length))
    local = nx.kamada_kawai_layout(sub, dist=dist, pos=start)
    xy = np.array([local[t] for t in nodes], dtype=float)
    xy -= (xy.max(axis=0) + xy.min(axis=0)) / 2
    xy /= np.abs(xy).max() or 1.0
    return dict(zip(nodes, xy))
