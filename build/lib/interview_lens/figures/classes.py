"""Figures of Reinert's classification: the dendrogram with each class' words (the IRaMuTeQ figure
researchers cite) and the classes along the interview (which class each Q/A pair speaks in).

Both take the tables of :mod:`interview_lens.analysis.classes` and
:mod:`interview_lens.analysis.class_profiles`, draw in the house style and attach the numbers
they drew, so ``save_figure`` writes them as CSV beside the figure.
"""
from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from interview_lens.figures.style import (
    NEUTRAL,
    PALETTE,
    Width,
    attach_data,
    house_style,
    new_figure,
    title,
)

#: Okabe-Ito without its yellow (too pale for words on white), then three of Paul Tol's "muted"
#: colours, so that ten classes stay distinct for colour-blind readers.
CLASS_COLOURS = (PALETTE[0], PALETTE[3], PALETTE[2], PALETTE[4], PALETTE[1], PALETTE[5],
                 PALETTE[7], "#882255", "#44AA99", "#999933")
_ROW_MM = 9.0  # room per class: two lines of words at 6.5 pt


def class_colour(c: int) -> str:
    """The colour of class ``c`` (1..) in every figure of the classification."""
    return CLASS_COLOURS[(int(c) - 1) % len(CLASS_COLOURS)] if c >= 1 else NEUTRAL


def _tree_xy(classes: pd.DataFrame) -> tuple[dict, dict, list[dict]]:
    """Positions of the dendrogram's nodes: leaves at x = 1 and y = class (1 at the top);
    a split at x = (step - 1) / number of splits, halfway between its children in y."""
    splits = classes.attrs.get("splits") or []
    leaf_class = classes.attrs.get("leaf_class") or {0: 1}
    children = {s["node"]: (s["left"], s["right"]) for s in splits}
    step = {s["node"]: s["step"] for s in splits}
    n = max(len(splits), 1)
    x, y = {}, {}

    def place(node: int) -> None:
        if node in leaf_class:
            x[node], y[node] = 1.0, float(leaf_class[node])
            return
        left, right = children[node]
        place(left)
        place(right)
        x[node] = 0.85 * (step[node] - 1) / n
        y[node] = (y[left] + y[right]) / 2

    place(0)
    return x, y, splits


def plot_dendrogram(classes: pd.DataFrame, profiles: pd.DataFrame, *, n_words: int = 12,
                    p_max: float = 0.05, document: str | None = None, ax: Axes | None = None,
                    width: Width = "two") -> Figure:
    """The classes' dendrogram, each class with its share of segments and its top words.

    Parameters
    ----------
    classes : ``stat_classes``' table (its ``splits`` in ``attrs``).
    profiles : ``stat_class_profiles``' table; a class' words are those with the highest
        positive χ² and ``p <= p_max``, written largest first with their χ².
    n_words : words per class.

    The tree is drawn by split order (the first split on the left; the χ² of each split at its
    node); the share is of all segments, the unclassified ones named in the caption.
    """
    x, y, splits = _tree_xy(classes)
    k = int(classes.attrs.get("n_classes", classes["class"].max()))
    counts = classes["class"].value_counts()
    total = len(classes)
    keep = profiles[(profiles["chi2"] > 0) & (profiles["p"] <= p_max)]
    rows = []
    for c in range(1, k + 1):
        top = keep[keep["class"] == c].head(n_words)
        rows.append({"class": c, "n_segments": int(counts.get(c, 0)),
                     "pct": 100 * counts.get(c, 0) / total if total else 0.0,
                     "words": ", ".join(top["term"]),
                     "chi2": ", ".join(f"{v:.1f}" for v in top["chi2"])})
    table = pd.DataFrame(rows)
    with house_style():
        fig, ax = new_figure(ax, width=width, height_mm=28 + _ROW_MM * max(k, 1))
        ax.set_xlim(0, 1)
        ax.set_ylim(k + 0.6, 0.4)
        ax.set_axis_off()
        double = classes.attrs.get("double")
        tree_w = 0.22 if splits else 0.0  # the tree takes the left 22 % of the axes
        for s in splits:
            px, py = x[s["node"]] * tree_w, y[s["node"]]
            for child in (s["left"], s["right"]):
                cx, cy = x[child] * tree_w, y[child]
                ax.plot([px, px, cx], [py, cy, cy], color="#555555", linewidth=0.8,
                        solid_capstyle="butt")
            ax.text(px + 0.004, py - 0.12, f"χ² {s['chi2']:.0f}", fontsize=5.5,
                    color="#666666", va="bottom", ha="left")
        wrap = max(30, int(fig.get_figwidth() * 25.4 * 0.62 / 1.35))  # ~characters per line
        for r in table.itertuples(index=False):
            colour = class_colour(r[0])
            ax.plot([tree_w, tree_w + 0.01], [r[0], r[0]], color=colour, linewidth=3,
                    solid_capstyle="butt")
            ax.text(tree_w + 0.018, r[0], f"Class {r[0]}\n{r[2]:.1f} % ({r[1]})",
                    color=colour, fontweight="bold", fontsize=7, va="center", ha="left")
            words = textwrap.shorten(r[3], 2 * wrap, placeholder=" …") if r[3] else "—"
            ax.text(tree_w + 0.13, r[0], textwrap.fill(words, wrap), color=colour,
                    fontsize=6.5, va="center", ha="left", linespacing=1.15)
        unclassified = int(counts.get(0, 0))
        if k == 0:
            ax.set_ylim(1, 0)
            ax.text(0.5, 0.5, "no class: too few segments share a term", ha="center",
                    va="center", color="#555555", transform=ax.transAxes)
        unit = classes.attrs.get("unit", "segment")
        what = f"Reinert classes ({k}) of {total} text {unit}s"
        why = "no term left"
        if double:
            sizes = " and ".join(str(v) for v in double["min_segment_size"])
            what += f", double classification (units of {sizes} terms)"
            why = "the two classifications disagree"
        ax.set_title(title(document or classes.attrs.get("doc_id") or "", what), loc="left")
        note = (f"Words: the {n_words} with the highest χ² of the class (p ≤ {p_max}), "
                f"highest first. % of all {total} {unit}s"
                + (f"; {unclassified} not classified ({why})." if unclassified else "."))
        if k:
            ax.text(0.0, k + 0.55, note, fontsize=6, color="#444444", va="top", ha="left")
    attach_data(fig, table)
    return fig


def plot_classes_along(classes: pd.DataFrame, *, by: str = "qa_id",
                       document: str | None = None, ax: Axes | None = None,
                       width: Width = "two") -> Figure:
    """Which class each Q/A pair (or another part) speaks in: the share of its segments per class.

    One stacked bar per value of ``by`` in document order (Q/A pair 0, the narration, is left
    out), coloured as the dendrogram; unclassified segments are grey.
    """
    parts = classes if by != "qa_id" else classes[classes["qa_id"] >= 1]
    table = pd.crosstab(parts[by], parts["class"])
    shares = table.div(table.sum(axis=1), axis=0) * 100
    order = list(dict.fromkeys(parts[by]))
    shares, table = shares.loc[order], table.loc[order]
    labels = [f"Q{v}" if by == "qa_id" else str(v) for v in order]
    with house_style():
        fig, ax = new_figure(ax, width=width, aspect=0.42)
        xs = np.arange(len(order))
        bottom = np.zeros(len(order))
        for c in shares.columns:
            ax.bar(xs, shares[c].to_numpy(), bottom=bottom, width=0.8,
                   color=class_colour(int(c)), edgecolor="white", linewidth=0.4,
                   label=f"Class {c}" if c >= 1 else "not classified")
            bottom += shares[c].to_numpy()
        ax.set_xticks(xs, labels, rotation=90 if len(xs) > 25 else 0, fontsize=6.5)
        ax.set_ylim(0, 100)
        ax.set_ylabel("% of the pair's segments" if by == "qa_id" else "% of segments")
        ax.set_xlabel("Q/A pair, in interview order" if by == "qa_id" else by)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=6.5,
                  handlelength=1.0)
        part = "Q/A pair" if by == "qa_id" else by
        ax.set_title(title(document or classes.attrs.get("doc_id") or "",
                           "Reinert classes along the interview", part), loc="left")
    data = table.reset_index().melt(id_vars=by, var_name="class", value_name="n_segments")
    attach_data(fig, data)
    return fig
