"""Concept figures: co-occurrence heatmap and network, concept profile per Q/A pair, dispersion.

Every function returns a :class:`matplotlib.figure.Figure`, accepts ``ax=None``, draws in the
house style, names the document and the unit in its title and attaches the numbers it drew
(:func:`interview_lens.figures.style.attach_data`), so :func:`interview_lens.figures.export.save_figure` writes
them as CSV beside the figure.  Concept labels are taken in the document's language from the
dictionary (carried in the tables' ``attrs`` by :func:`~interview_lens.analysis.concepts.code_concepts`),
colours from the dictionary too.
"""
from __future__ import annotations

import textwrap
from typing import Literal, Mapping, Sequence

import matplotlib
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from scipy.cluster.hierarchy import leaves_list, linkage
from scipy.spatial.distance import squareform

from interview_lens.analysis.cooccurrence import cooccurrence_matrix
from interview_lens.figures._labels import place_node_labels
from interview_lens.figures.style import (
    DIVERGING_CMAP,
    NEUTRAL,
    SEQUENTIAL_CMAP,
    Width,
    attach_data,
    house_style,
    new_figure,
    title,
)

MEASURE_LABELS = {"npmi": "NPMI", "pmi": "PMI (bits)", "jaccard": "Jaccard", "dice": "Dice",
                  "n_ab": "units together (n_ab)", "g2": "log-likelihood G²",
                  "expected_ab": "expected n_ab"}
UNIT_LABELS = {"qa": "Q/A pair", "sentence": "sentence", "paragraph": "paragraph",
               "turn": "turn", "window": "token window"}
_SIGNED = {"npmi", "pmi"}
_FORMATS = {"n_ab": "{:.0f}", "g2": "{:.1f}", "expected_ab": "{:.1f}", "pmi": "{:.1f}"}


# --------------------------------------------------------------------------- helpers
def _labels(attrs: Mapping, language: str | None) -> dict[str, str]:
    labels = attrs.get("labels") or {}
    lang = language or attrs.get("language") or "en"
    return dict(labels.get(lang) or labels.get("en") or {})


def _colours(attrs: Mapping) -> dict[str, str]:
    return dict(attrs.get("colours") or {})


def _document(attrs: Mapping, document: str | None, fallback: str = "") -> str:
    return document or attrs.get("doc_id") or fallback


def _unit_label(attrs: Mapping) -> str | None:
    unit = attrs.get("unit")
    if unit == "window" and attrs.get("window") is not None:
        return f"±{attrs['window']}-token window"
    return UNIT_LABELS.get(unit, unit)


def _number(fmt: str, value: float, measure: str) -> str:
    """A cell's number; bounded measures drop the leading zero (.61, −.06) to fit small cells."""
    text = fmt.format(value)
    if measure in ("npmi", "jaccard", "dice") and abs(value) < 1:
        text = text.replace("0.", ".", 1)
    return text.replace("-", "−")


def _text_colour(rgba) -> str:
    r, g, b = rgba[:3]
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def _cluster_order(matrix: pd.DataFrame, measure: str) -> list[int]:
    """Leaf order of average-linkage clustering on a distance derived from the measure."""
    m = matrix.to_numpy(dtype=float).copy()
    if len(m) < 3:
        return list(range(len(m)))
    off = ~np.eye(len(m), dtype=bool)
    finite = np.isfinite(m) & off
    if measure in ("npmi", "jaccard", "dice"):
        top = 1.0  # bounded similarities: distance = 1 - measure
    else:
        top = float(np.nanmax(np.where(finite, m, np.nan))) if finite.any() else 0.0
    floor = -1.0 if measure == "npmi" else (float(np.nanmin(np.where(finite, m, np.nan)))
                                            if finite.any() else 0.0)
    m = np.where(finite, m, floor)  # never together / undefined = farthest
    dist = top - m
    dist = (dist + dist.T) / 2
    np.fill_diagonal(dist, 0.0)
    dist = np.clip(dist, 0.0, None)
    # optimal_ordering makes the leaf order a deterministic function of the distances
    return list(leaves_list(linkage(squareform(dist, checks=False), method="average",
                                    optimal_ordering=True)))


# --------------------------------------------------------------------------- heatmap
def plot_cooccurrence_heatmap(pairs: pd.DataFrame, *, measure: str = "npmi",
                              order: Literal["cluster", "dictionary", "alphabetical"] = "cluster",
                              annotate: bool = True, language: str | None = None,
                              document: str | None = None, ax: Axes | None = None,
                              width: Width = "two") -> Figure:
    """Concept x concept heatmap of one association measure.

    ``order="cluster"`` orders concepts by average-linkage hierarchical clustering on
    ``1 - measure`` (for NPMI, Jaccard, Dice; ``max - measure`` for unbounded measures), so
    ideas voiced together sit together.  The diagonal is shaded grey and shows ``n_a``, the number
    of units in which each concept is voiced.  Signed measures (NPMI, PMI) use the diverging map
    centred on 0 (independence); the others the sequential map.
    """
    matrix = cooccurrence_matrix(pairs, measure)
    counts = cooccurrence_matrix(pairs, "n_ab")
    names = list(matrix.index)
    if order == "cluster":
        idx = _cluster_order(matrix, measure)
    elif order == "alphabetical":
        idx = list(np.argsort(names, kind="stable"))
    elif order == "dictionary":
        idx = list(range(len(names)))
    else:
        raise ValueError(f"order must be 'cluster', 'dictionary' or 'alphabetical', not {order!r}")
    names = [names[i] for i in idx]
    matrix, counts = matrix.loc[names, names], counts.loc[names, names]
    labels = _labels(pairs.attrs, language)
    shown = [labels.get(c, c) for c in names]
    values = matrix.to_numpy(dtype=float).copy()
    np.fill_diagonal(values, np.nan)
    if measure == "npmi":
        vmin, vmax, cmap = -1.0, 1.0, DIVERGING_CMAP
    elif measure in _SIGNED:
        lim = np.nanmax(np.abs(np.where(np.isfinite(values), values, np.nan))) if np.isfinite(
            values).any() else 1.0
        vmin, vmax, cmap = -lim, lim, DIVERGING_CMAP
    elif measure in ("jaccard", "dice"):
        vmin, vmax, cmap = 0.0, 1.0, SEQUENTIAL_CMAP
    else:
        vmin = 0.0
        vmax = float(np.nanmax(values)) if np.isfinite(values).any() else 1.0
        cmap = SEQUENTIAL_CMAP
    # Pairs never in the same unit (n_ab = 0: NPMI -1, PMI -inf, Jaccard 0) are left white with a
    # dash, so that the eye goes to the associations that exist.
    never = counts.to_numpy(dtype=float) == 0
    np.fill_diagonal(never, False)
    plotted = np.where(never | ~np.isfinite(values), np.nan, values)
    n = len(names)
    with house_style():
        side = min(175.0, 40.0 + 7.5 * n)
        fig, ax = new_figure(ax, width=width, height_mm=side * 0.92)
        colormap = matplotlib.colormaps[cmap].with_extremes(bad="white")
        image = ax.imshow(np.ma.masked_invalid(plotted), cmap=colormap, vmin=vmin, vmax=vmax,
                          aspect="equal", interpolation="nearest")
        for i in range(n):
            ax.add_patch(Rectangle((i - 0.5, i - 0.5), 1, 1, facecolor="#E0E0E0",
                                   edgecolor="none", zorder=2))
        ax.set_xticks(range(n), shown, rotation=45, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(n), shown)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_xticks(np.arange(-0.5, n, 1), minor=True)
        ax.set_yticks(np.arange(-0.5, n, 1), minor=True)
        ax.grid(which="minor", color="white", linewidth=0.8)
        ax.tick_params(which="minor", length=0)
        ax.set_xlim(-0.5, n - 0.5)
        ax.set_ylim(n - 0.5, -0.5)
        # cell text sized to the cell: the data area is the width less ~45 mm of labels
        cell_mm = (fig.get_figwidth() * 25.4 - 45.0) / max(n, 1)
        fontsize = float(np.clip(cell_mm * 0.85, 4.0, 6.5))
        fmt = _FORMATS.get(measure, "{:.2f}")
        for i in range(n):
            for j in range(n):
                if i == j:
                    d = counts.iat[i, i]
                    ax.text(j, i, "" if pd.isna(d) else f"{d:.0f}", ha="center", va="center",
                            fontsize=fontsize, color="#333333", style="italic", zorder=3)
                elif never[i, j]:
                    ax.text(j, i, "–", ha="center", va="center", fontsize=fontsize,
                            color="#999999", zorder=3)
                elif annotate and np.isfinite(plotted[i, j]):
                    rgba = image.cmap(image.norm(plotted[i, j]))
                    ax.text(j, i, _number(fmt, plotted[i, j], measure), ha="center",
                            va="center", fontsize=fontsize, color=_text_colour(rgba), zorder=3)
        bar = fig.colorbar(image, ax=ax, shrink=0.7, pad=0.02)
        bar.set_label(MEASURE_LABELS.get(measure, measure))
        bar.outline.set_linewidth(0.4)
        unit = _unit_label(pairs.attrs)
        what = f"Co-occurrence ({MEASURE_LABELS.get(measure, measure)})"
        ax.set_title(title(_document(pairs.attrs, document), what, unit), loc="left")
        caption = (f"Diagonal (grey): number of {unit or 'unit'}s voicing the concept; "
                   f"–: never in the same {unit or 'unit'}.")
        ax.set_xlabel(textwrap.fill(caption, int(fig.get_figwidth() * 25.4 / 1.6)),
                      fontsize=6, color="#444444")
    attach_data(fig, pairs.reset_index(drop=True))
    return fig


# --------------------------------------------------------------------------- network
def network_edges(pairs: pd.DataFrame, *, measure: str = "npmi", p_max: float | None = None,
                  top_k: int | None = 2, min_n_ab: int = 2) -> pd.DataFrame:
    """The rows of ``pairs`` that :func:`plot_concept_network` draws as edges (same options);
    empty when no association passes, and then there is no network to draw."""
    return _select_edges(pairs, measure, p_max, top_k, min_n_ab)


def _select_edges(pairs: pd.DataFrame, measure: str, p_max: float | None, top_k: int | None,
                  min_n_ab: int) -> pd.DataFrame:
    """Positive associations that pass the threshold (see :func:`plot_concept_network`)."""
    edges = pairs[(pairs["n_ab"] >= max(min_n_ab, 1)) & (pairs["n_ab"] > pairs["expected_ab"])]
    edges = edges[np.isfinite(edges[measure].astype(float)) & (edges[measure] > 0)]
    if p_max is not None:
        p = edges["fisher_p"].where(edges["fisher_p"].notna(), edges["p_value"])
        edges = edges[p <= p_max]
    if top_k is not None:
        # each edge seen from both of its ends; a concept keeps its top_k strongest
        ends = pd.concat([edges.assign(node=edges["concept_a"]),
                          edges.assign(node=edges["concept_b"])])
        ranked = ends.sort_values([measure, "n_ab", "concept_a", "concept_b"],
                                  ascending=[False, False, True, True], kind="stable")
        keep = set(ranked.groupby("node", sort=False).head(top_k).index)
        edges = edges.loc[sorted(keep)]
    return edges.sort_values(["concept_a", "concept_b"]).reset_index(drop=True)


def plot_concept_network(pairs: pd.DataFrame, totals: Mapping[str, int] | pd.Series | None = None,
                         *, measure: str = "npmi", p_max: float | None = None,
                         top_k: int | None = 2, min_n_ab: int = 2, random_state: int = 0,
                         language: str | None = None, document: str | None = None,
                         ax: Axes | None = None, width: Width = "two") -> Figure:
    """Network of concepts: node size by frequency, edge width by the association measure.

    Edges are *positive* associations only (``n_ab > expected_ab`` and ``measure > 0``) seen
    together in at least ``min_n_ab`` units (default 2: one shared unit is anecdote), then

    * ``p_max`` given: only pairs whose test passes, ``fisher_p`` where it was computed (small
      expected counts), else the G² ``p_value``;
    * ``top_k`` (default 2): each concept keeps its ``top_k`` strongest edges (an edge stays if
      either end keeps it).  This default still draws the strongest associations of a single
      interview, where a handful of Q/A pairs rarely makes anything significant.

    Both can be combined; ``top_k=None, p_max=None`` keeps every positive edge.  The rule used
    is written under the title.  ``totals`` (``{concept: hits}``) sizes the nodes; by default the
    number of units voicing each concept.  The layout is ``spring_layout(seed=random_state)``.
    """
    labels = _labels(pairs.attrs, language)
    colours = _colours(pairs.attrs)
    if totals is None:
        totals = pairs.attrs.get("concept_totals") or {}
    totals = {str(k): float(v) for k, v in dict(totals).items()}
    # the concepts analysed in ``pairs``; ``totals`` only sizes them
    present = (set(pairs["concept_a"]) | set(pairs["concept_b"])
               | set(pairs.attrs.get("concept_totals") or {}))
    known = [c for c in pairs.attrs.get("concepts", []) if c in present]
    nodes = [c for c in known + sorted(present - set(known)) if totals.get(c, 1) > 0]
    edges = _select_edges(pairs, measure, p_max, top_k, min_n_ab)
    graph = nx.Graph()
    for e in edges.itertuples(index=False):
        graph.add_edge(e.concept_a, e.concept_b, weight=float(getattr(e, measure)))
    linked = [c for c in nodes if c in graph]
    isolated = [c for c in nodes if c not in graph]
    graph.add_nodes_from(linked)  # keeps the dictionary order for drawing
    with house_style():
        fig, ax = new_figure(ax, width=width, aspect=0.62)
        pos = _layout(graph, random_state)
        sizes = np.array([totals.get(c, 1.0) for c in linked], dtype=float)
        top = max(totals.values(), default=1.0) or 1.0
        area = 40 + 360 * sizes / top
        if graph.number_of_edges():
            w = np.array([graph.edges[u, v]["weight"] for u, v in graph.edges()])
            wmax = w.max() if w.max() > 0 else 1.0
            nx.draw_networkx_edges(graph, pos, ax=ax, width=0.6 + 3.4 * w / wmax,
                                   edge_color=NEUTRAL, alpha=0.7)
        nx.draw_networkx_nodes(graph, pos, nodelist=linked, ax=ax, node_size=area,
                               node_color=[colours.get(c, NEUTRAL) for c in linked],
                               edgecolors="white", linewidths=0.8)
        ax.set_axis_off()
        ax.margins(x=0.08, y=0.1)
        if p_max is not None and top_k is not None:
            rule = f"the {top_k} strongest per concept with p ≤ {p_max}"
        elif p_max is not None:
            rule = f"p ≤ {p_max} (Fisher where expected counts < 5, else G²)"
        elif top_k is not None:
            rule = f"the {top_k} strongest per concept"
        else:
            rule = "every positive association"
        unit = _unit_label(pairs.attrs)
        caption = (f"Edges: {rule}, {MEASURE_LABELS.get(measure, measure)} > 0, together in "
                   f"≥ {max(min_n_ab, 1)} {unit or 'unit'}s; width ∝ "
                   f"{MEASURE_LABELS.get(measure, measure)}, node area ∝ frequency.")
        if isolated:
            caption += "\nNo such edge: " + ", ".join(labels.get(c, c) for c in isolated) + "."
        if not linked:
            ax.text(0.5, 0.5, "no association passes the threshold", ha="center",
                    va="center", transform=ax.transAxes, color="#555555")
        note = ax.text(0.0, -0.02, caption, transform=ax.transAxes, ha="left", va="top",
                       fontsize=6, color="#444444", wrap=True)
        ax.set_title(title(_document(pairs.attrs, document), "Concept network", unit),
                     loc="left")
        fig.canvas.draw()  # settle the layout so label collisions are judged where they land
        ax.set_xlim(ax.get_xlim())
        ax.set_ylim(ax.get_ylim())
        place_node_labels(ax, fig, {c: pos[c] for c in linked}, {c: labels.get(c, c) for c in linked},
                      {c: float(np.sqrt(a) / 2) for c, a in zip(linked, area)}, avoid=[note])
    table = edges.copy()
    attach_data(fig, table)
    return fig


def _layout(graph: nx.Graph, random_state: int) -> dict:
    """Kamada-Kawai (even spacing, readable labels) started from a seeded spring layout, so the
    same graph and ``random_state`` always give the same picture."""
    if graph.number_of_nodes() == 0:
        return {}
    if graph.number_of_nodes() == 1:
        return {next(iter(graph)): np.zeros(2)}
    start = nx.spring_layout(graph, seed=random_state, weight="weight")
    # path lengths with strong associations short; separate components sit a little farther
    # than the longest path (networkx would put them 1e6 apart and squash each component)
    lengths = dict(nx.all_pairs_dijkstra_path_length(
        graph, weight=lambda u, v, d: 1.0 / (0.5 + d["weight"])))
    far = 1.3 * max((d for row in lengths.values() for d in row.values()), default=1.0)
    lengths = {u: {v: lengths[u].get(v, far) for v in graph} for u in graph}
    return nx.kamada_kawai_layout(graph, dist=lengths, pos=start)


# --------------------------------------------------------------------------- profile
def _qa_labels(tokens: pd.DataFrame, max_theme: int = 28) -> dict[int, str]:
    """``Q1 · theme``; a long theme wraps onto a second line of ``max_theme`` characters (then
    is shortened with …), so that a label names the pair's whole subject."""
    out = {}
    for qa_id, theme in tokens[tokens["qa_id"] >= 1].groupby("qa_id")["theme"].first().items():
        lines = textwrap.wrap(str(theme or "").strip(), max_theme)
        if len(lines) > 2:
            lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), max_theme, placeholder="…")]
        out[int(qa_id)] = f"Q{qa_id} · " + "\n".join(lines) if lines else f"Q{qa_id}"
    return out


def _present(hits: pd.DataFrame, concepts: Sequence[str] | None) -> list[str]:
    if concepts is not None:
        return list(concepts)
    present = set(hits["concept"].astype(str))
    known = [c for c in hits.attrs.get("concepts", []) if c in present]
    return known + sorted(present - set(known))


def plot_concept_profile(tokens: pd.DataFrame, hits: pd.DataFrame, *, by: str = "qa_id",
                         concepts: Sequence[str] | None = None, language: str | None = None,
                         document: str | None = None, ax: Axes | None = None,
                         width: Width = "two") -> Figure:
    """Concepts per Q/A pair (or ``theme``/``role``): hits per 1,000 tokens, annotated heatmap.

    The denominator is every word token of the group (stopwords included), as in the term
    tables, so rates compare across answers of different length.  Rows are labelled
    ``Q1 · theme``; the attached table has the counts, the token totals and the rates.
    """
    if by not in ("qa_id", "theme", "role", "turn_id"):
        raise ValueError(f"by must be 'qa_id', 'theme', 'role' or 'turn_id', not {by!r}")
    inside = tokens[tokens["qa_id"] >= 1] if by == "qa_id" else tokens[
        tokens[by].astype(str).str.len() > 0] if by in ("theme", "role") else tokens[
        tokens["turn_id"] >= 1]
    groups = list(pd.unique(inside[by]))
    size = inside.groupby(by, sort=False).size().reindex(groups)
    names = _present(hits, concepts)
    h = hits[hits["concept"].isin(names) & hits[by].isin(groups)]
    counts = (h.groupby([by, "concept"]).size().unstack("concept")
              .reindex(index=groups, columns=names).fillna(0).astype(int))
    rates = counts.div(size, axis=0) * 1000
    labels = _labels(hits.attrs, language)
    row_labels = ([_qa_labels(tokens).get(int(g), f"Q{g}") for g in groups] if by == "qa_id"
                  else [f"turn {g}" if by == "turn_id" else str(g) for g in groups])
    with house_style():
        height = 30 + 7 * len(groups) + 2.2 * max((len(labels.get(c, c)) for c in names),
                                                   default=5)
        fig, ax = new_figure(ax, width=width, height_mm=min(height, 200))
        values = rates.to_numpy(dtype=float)
        # a concept absent from a pair is blank, not "low"
        colormap = matplotlib.colormaps[SEQUENTIAL_CMAP].with_extremes(bad="white")
        image = ax.imshow(np.ma.masked_equal(values, 0.0), cmap=colormap, aspect="auto", vmin=0,
                          vmax=max(values.max(), 1e-9) if values.size else 1)
        ax.set_xticks(np.arange(-0.5, len(names), 1), minor=True)
        ax.set_yticks(np.arange(-0.5, len(groups), 1), minor=True)
        ax.grid(which="minor", color="#DDDDDD", linewidth=0.5)
        ax.tick_params(which="minor", length=0)
        ax.set_xticks(range(len(names)), [labels.get(c, c) for c in names], rotation=45,
                      ha="right", rotation_mode="anchor")
        ax.set_yticks(range(len(groups)), row_labels)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                if counts.iat[i, j]:
                    ax.text(j, i, f"{values[i, j]:.0f}", ha="center", va="center", fontsize=6,
                            color=_text_colour(image.cmap(image.norm(values[i, j]))))
        bar = fig.colorbar(image, ax=ax, shrink=0.8, pad=0.02)
        bar.set_label("hits per 1,000 tokens (blank: none)")
        bar.outline.set_linewidth(0.4)
        unit = {"qa_id": "Q/A pair", "theme": "theme", "role": "role", "turn_id": "turn"}[by]
        doc = _document(hits.attrs, document, ", ".join(map(str, pd.unique(tokens["doc_id"]))))
        ax.set_title(title(doc, "Concept profile (hits per 1,000 tokens)", unit), loc="left")
    long = counts.stack().rename("hits").reset_index()
    long["tokens"] = long[by].map(size).astype(int)
    long["per_1000"] = long["hits"] / long["tokens"] * 1000
    attach_data(fig, long)
    return fig


# --------------------------------------------------------------------------- dispersion
def plot_dispersion(tokens: pd.DataFrame, hits: pd.DataFrame, *,
                    concepts: Sequence[str] | None = None, language: str | None = None,
                    document: str | None = None, ax: Axes | None = None,
                    width: Width = "two") -> Figure:
    """Where each concept is voiced along the interview: one row per concept, a tick per hit.

    x is the token position; dotted lines mark where each Q/A pair starts and the pairs are
    labelled ``Q1``, ``Q2`` ... (with a short theme) along the top.  Row labels give the number
    of hits.  One document at a time (positions restart in each document).
    """
    docs = pd.unique(tokens["doc_id"].astype(str))
    if len(docs) != 1:
        raise ValueError(f"plot_dispersion draws one document at a time; got {len(docs)}")
    names = _present(hits, concepts)
    labels = _labels(hits.attrs, language)
    colours = _colours(hits.attrs)
    n_tokens = int(tokens["position"].max()) + 1 if len(tokens) else 0
    starts = tokens[tokens["qa_id"] >= 1].groupby("qa_id")["position"].min()
    with house_style():
        fig, ax = new_figure(ax, width=width, height_mm=22 + 5.2 * len(names))
        for row, c in enumerate(names):
            h = hits[hits["concept"] == c]
            mid = ((h["position"] + h["end_position"]) / 2).to_numpy(dtype=float)
            ax.eventplot([mid], lineoffsets=row, linelengths=0.7, linewidths=1.0,
                         colors=[colours.get(c, "#000000")])
        ax.set_yticks(range(len(names)),
                      [f"{labels.get(c, c)} ({int((hits['concept'] == c).sum())})"
                       for c in names])
        ax.set_ylim(len(names) - 0.5, -0.5)
        ax.set_xlim(0, max(n_tokens, 1))
        ax.set_xlabel("token position in the interview (one tick per hit)")
        for qa_id, start in starts.items():
            ax.axvline(start, color="#777777", linewidth=0.5, linestyle=":", zorder=0)
        bounds = list(starts.to_numpy()) + [n_tokens]
        top = ax.secondary_xaxis("top")
        centres = [(bounds[i] + bounds[i + 1]) / 2 for i in range(len(starts))]
        themes = tokens[tokens["qa_id"] >= 1].groupby("qa_id")["theme"].first()
        axis_mm = fig.get_figwidth() * 25.4 - 45  # roughly the data area (tick labels aside)
        tick_labels = []
        for i, q in enumerate(starts.index):
            share = (bounds[i + 1] - bounds[i]) / max(n_tokens, 1)
            chars = max(6, int(share * axis_mm / 1.25))  # ~1.25 mm per character at 6 pt
            lines = textwrap.wrap(str(themes.get(q, "") or ""), chars)
            if len(lines) > 2:
                lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), chars, placeholder="…")]
            tick_labels.append("\n".join([f"Q{q}", *lines]))
        top.set_xticks(centres, tick_labels, fontsize=6)
        top.tick_params(length=0)
        top.spines["top"].set_visible(False)
        if len(starts) and starts.iloc[0] > 0:
            ax.axvspan(0, starts.iloc[0], color="#F2F2F2", zorder=0, linewidth=0)
            ax.text(starts.iloc[0] / 2, 1.0, "lede", transform=ax.get_xaxis_transform(),
                    ha="center", va="bottom", fontsize=6, color="#777777")
        doc = _document(hits.attrs, document, docs[0])
        ax.set_title(title(doc, "Concept dispersion", None), loc="left")
    table = hits[hits["concept"].isin(names)][["concept", "term", "position", "end_position",
                                                "qa_id", "theme"]].reset_index(drop=True)
    attach_data(fig, table)
    return fig
