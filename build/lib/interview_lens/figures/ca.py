"""The first plane of a correspondence analysis: terms and parts, KH Coder / IRaMuTeQ style.

Parts (Q/A pairs, classes, speakers, documents) are coloured squares, all labelled; terms are
grey points and only those that contribute most to the plane are labelled (KH Coder labels 60).
Labels never overlap: each is set, most contributing first, at the first of sixteen places
around its point (beside, above, below, then farther out with a thin leader) that overlaps no
label, part or labelled point already there; a term that finds no free place stays a point, and the note
under the figure says how many did.  Deterministic and fast (no iterative solver).
"""
from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from interview_lens.analysis.ca import CAResult
from interview_lens.figures._labels import place_point_labels
from interview_lens.figures.style import (
    NEUTRAL,
    PALETTE,
    Width,
    attach_data,
    house_style,
    new_figure,
    title,
)


# offsets in points, with the alignment that keeps the text clear of its point
def plot_ca(ca: CAResult, *, n_terms: int = 60, parts: str = "parts", part_format: str = "{}",
            document: str = "", ax: Axes | None = None, width: Width = "two") -> Figure:
    """Terms (rows) and parts (columns) of ``stat_ca`` on its first two axes.

    Parameters
    ----------
    ca : ``stat_ca(table)`` with terms as rows and parts as columns (``n_components >= 2``).
    n_terms : the terms labelled: those with the largest contribution to the plane
        (``λ1 contrib_1 + λ2 contrib_2``, i.e. their share of the plane's inertia).
    parts : what the columns are, plural, for the title and legend (``"Q/A pairs"``,
        ``"classes"``...).
    part_format : how a part's label is written (``"Q{}"`` for Q/A pairs).

    Axis titles give each axis' share of the total inertia.
    """
    if "dim2" not in ca.rows.columns:
        raise ValueError("plot_ca needs two axes: stat_ca(table, n_components=2) on a table "
                         "with at least 3 rows and 3 columns")
    eig = ca.eigenvalues
    lam = eig["eigenvalue"].to_numpy()
    rows = ca.rows.copy()
    rows["plane_contrib"] = (lam[0] * rows["contrib_1"] + lam[1] * rows["contrib_2"]) / (
        lam[0] + lam[1])
    ranked = rows.sort_values(["plane_contrib", "label"], ascending=[False, True],
                              kind="stable")
    with house_style():
        fig, ax = new_figure(ax, width=width, aspect=0.8)
        ax.axhline(0, color="#BBBBBB", linewidth=0.5, zorder=0)
        ax.axvline(0, color="#BBBBBB", linewidth=0.5, zorder=0)
        ax.scatter(rows["dim1"], rows["dim2"], s=6, color=NEUTRAL, linewidths=0, zorder=2,
                   label="terms")
        cols = ca.columns
        ax.scatter(cols["dim1"], cols["dim2"], s=22, marker="s", color=PALETTE[0], zorder=3,
                   label=parts)
        ax.set_xlabel(f"Axis 1 ({eig['inertia_pct'].iloc[0]:.1f} % of inertia, "
                      f"λ = {lam[0]:.3f})")
        ax.set_ylabel(f"Axis 2 ({eig['inertia_pct'].iloc[1]:.1f} % of inertia, "
                      f"λ = {lam[1]:.3f})")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
                  handletextpad=0.3)
        ax.set_title(title(document, f"Correspondence analysis: terms × {parts}, first plane"),
                     loc="left")
        ax.margins(x=0.14, y=0.08)  # room for the labels of the outermost points
        if not hasattr(fig.canvas, "get_renderer"):  # a bare Figure(): measure on Agg
            FigureCanvasAgg(fig)
        fig.canvas.draw()  # fix the transforms before measuring the labels
        ax.set_xlim(ax.get_xlim())
        ax.set_ylim(ax.get_ylim())
        wanted = rows.loc[ranked.index[:n_terms]]
        # the points to label and the parts are obstacles; a label may cover an unlabelled
        # point (as KH Coder's), else a dense centre would leave most terms unnamed
        obstacles = []
        for px, py, r in ([(a, b, 2.5) for a, b in zip(wanted["dim1"], wanted["dim2"])]
                          + [(a, b, 4.0) for a, b in zip(cols["dim1"], cols["dim2"])]):
            cx, cy = ax.transData.transform((px, py))
            r *= fig.dpi / 72
            obstacles.append((cx - r, cy - r, cx + r, cy + r, "point"))
        part_style = {"fontsize": 7, "fontweight": "bold", "color": PALETTE[0]}
        term_style = {"fontsize": 6, "color": "#333333"}
        points = ([(r.dim1, r.dim2, part_format.format(r.label), part_style)
                   for r in cols.itertuples(index=False)]
                  + [(r.dim1, r.dim2, r.label, term_style) for r in wanted.itertuples(index=False)])
        written = place_point_labels(ax, points, obstacles)
        rows["labelled"] = rows["label"].isin(
            [p[2] for p, ok in zip(points[len(cols):], written[len(cols):]) if ok])
        n_rows = len(rows)
        n_shown = int(rows["labelled"].sum())
        crowded = min(n_terms, n_rows) - n_shown
        ax.text(1.0, -0.13, f"{n_shown} of {n_rows} terms labelled (largest contribution to the "
                f"plane)" + (f"; {crowded} more had no free place" if crowded else "") + ".",
                transform=ax.transAxes, ha="right", va="top", fontsize=6, color="#444444")
    data = pd.concat([rows.assign(kind="term"),
                      cols.assign(kind="part", labelled=written[:len(cols)])],
                     ignore_index=True)
    attach_data(fig, data)
    return fig

