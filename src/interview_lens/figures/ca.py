"""The first plane of a correspondence analysis: terms and parts, KH Coder / IRaMuTeQ style.

Parts (Q/A pairs, classes, speakers, documents) are coloured squares, all labelled; terms are
grey points and only those that contribute most to the plane are labelled (KH Coder labels 60),
their labels pushed apart with adjustText (Flavian, adjustText 1.4) run for a fixed number of
iterations, never against the clock, so the same table always gives the same figure.
"""
from __future__ import annotations

import pandas as pd
from adjustText import adjust_text
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from interview_lens.analysis.ca import CAResult
from interview_lens.style import (NEUTRAL, PALETTE, Width, attach_data, house_style, new_figure,
                                  title)

_ITERATIONS = 1000


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
    shown = set(ranked["label"].head(n_terms))
    rows["labelled"] = rows["label"].isin(shown)
    with house_style():
        fig, ax = new_figure(ax, width=width, aspect=0.8)
        ax.axhline(0, color="#BBBBBB", linewidth=0.5, zorder=0)
        ax.axvline(0, color="#BBBBBB", linewidth=0.5, zorder=0)
        ax.scatter(rows["dim1"], rows["dim2"], s=6, color=NEUTRAL, linewidths=0, zorder=2,
                   label="terms")
        cols = ca.columns
        ax.scatter(cols["dim1"], cols["dim2"], s=22, marker="s", color=PALETTE[0], zorder=3,
                   label=parts)
        texts = []
        for r in rows[rows["labelled"]].itertuples(index=False):
            texts.append(ax.text(r.dim1, r.dim2, r.label, fontsize=6, color="#333333",
                                 zorder=4))
        for r in cols.itertuples(index=False):
            texts.append(ax.text(r.dim1, r.dim2, part_format.format(r.label), fontsize=7,
                                 fontweight="bold", color=PALETTE[0], zorder=5))
        ax.set_xlabel(f"Axis 1 ({eig['inertia_pct'].iloc[0]:.1f} % of inertia, "
                      f"λ = {lam[0]:.3f})")
        ax.set_ylabel(f"Axis 2 ({eig['inertia_pct'].iloc[1]:.1f} % of inertia, "
                      f"λ = {lam[1]:.3f})")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
                  handletextpad=0.3)
        ax.set_title(title(document, f"Correspondence analysis: terms × {parts}, first plane"),
                     loc="left")
        ax.margins(x=0.14, y=0.08)  # room for the labels of the outermost points
        fig.canvas.draw()
        adjust_text(texts, ax=ax, iter_lim=_ITERATIONS, time_lim=None, expand=(1.15, 1.4),
                    arrowprops=dict(arrowstyle="-", color="#999999", linewidth=0.4))
        n_rows = len(rows)
        ax.text(1.0, -0.13, f"{min(n_terms, n_rows)} of {n_rows} terms labelled "
                f"(largest contribution to the plane).", transform=ax.transAxes, ha="right",
                va="top", fontsize=6, color="#444444")
    data = pd.concat([rows.assign(kind="term"), cols.assign(kind="part", labelled=True)],
                     ignore_index=True)
    attach_data(fig, data)
    return fig

