"""Figures of the group comparisons: group keyness, concept rates per group, theme × respondent.

Each draws from a table of :mod:`interview_lens.analysis.groups` or
:mod:`interview_lens.analysis.guide` and returns its Figure with the numbers it drew attached
(:func:`style.attach_data`), ready for :func:`export.save_figure`; titles name the collection and
the unit of analysis, in the house style of ``plots_terms``.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from interview_lens.figures import style
from interview_lens.figures.style import WIDTHS_MM, Width

_PITCH_MM = 3.6  # vertical room per bar or concept row: a 7 pt label plus a gap
_SIGNIFICANT = 3.84  # χ²(1 df) at p = 0.05, for χ² and G² alike


def plot_group_keyness(keyness: pd.DataFrame, *, top_n: int = 10, document: str = "",
                       ax: Axes | None = None, width: Width = "one") -> Figure:
    """Diverging bars: the target group's key lemmas to the right (blue), the reference's to
    the left (vermillion), by signed statistic; dotted lines at p = 0.05 (3.84, 1 df).

    ``keyness`` is :func:`interview_lens.analysis.terms.stat_keyness` with a ``target``; the ``top_n`` strongest
    of each side are drawn.  Attached data: the rows drawn, plus ``signed``.
    """
    attrs = keyness.attrs
    target = f"{attrs.get('by', 'group')} = {attrs.get('target', 'target')}"
    reference = "all others" if attrs.get("reference") is None else str(attrs["reference"])
    rows = keyness.loc[keyness["statistic"] > 0]
    over = rows.loc[rows["sign"] == "+"].head(top_n)
    under = rows.loc[rows["sign"] == "-"].sort_values("statistic", ascending=False,
                                                      kind="mergesort").head(top_n)
    drawn = pd.concat([over, under.iloc[::-1]]).reset_index(drop=True)
    drawn["signed"] = np.where(drawn["sign"] == "+", drawn["statistic"], -drawn["statistic"])
    measure = "χ²" if attrs.get("measure", "chi2") == "chi2" else "G²"
    with style.house_style():
        owned = ax is None
        fig, ax = style.new_figure(ax, width=width,
                                   height_mm=30 + _PITCH_MM * max(len(drawn), 2))
        y = np.arange(len(drawn))[::-1]
        colours = np.where(drawn["sign"] == "+", style.POSITIVE, style.NEGATIVE)
        ax.barh(y, drawn["signed"], color=colours, height=0.72)
        ax.set_yticks(y, labels=drawn["lemma"].astype(str))
        ax.set_ylim(-0.6, max(len(drawn), 1) - 0.4)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.axvline(0, color="black", linewidth=0.6)
        for x in (-_SIGNIFICANT, _SIGNIFICANT):
            ax.axvline(x, color=style.NEUTRAL, linewidth=0.6, linestyle=":")
        if drawn.empty:
            ax.text(0.5, 0.5, attrs.get("message") or "no lemma to show", ha="center",
                    va="center", transform=ax.transAxes, wrap=True)
        ax.set_xlabel(style.wrap(f"{measure}  (right: more in {target}; left: more in {reference}; "
                            "dotted: p = 0.05)", WIDTHS_MM[width] - 25,
                            style.RC["axes.labelsize"]))
        role = attrs.get("role")
        what = (f"Key lemmas of {target} against {reference} "
                f"({f'{role} words, ' if role else ''}{measure})")
        style.set_title(fig, ax, owned, style.fitted_title(document, what, None, WIDTHS_MM[width]))
    return style.attach_data(fig, drawn)


def plot_group_rates(rates: pd.DataFrame, *, labels: Mapping[str, str] | None = None,
                     document: str = "", ax: Axes | None = None, width: Width = "two"
                     ) -> Figure:
    """Concept rates per group: one dot per group and concept, with its confidence interval.

    ``rates`` is :func:`interview_lens.analysis.groups.stat_group_rates`; concepts are rows (in
    the table's order), groups side by side in the Okabe-Ito colours, the legend giving each
    group's documents and words.  ``labels`` names the concepts (default: the hits' English
    labels, else the ids).  Attached data: ``rates``.
    """
    by = rates.attrs.get("by") or rates.columns[0]
    groups = list(pd.unique(rates[by]))
    concepts = list(pd.unique(rates["concept"]))
    labels = dict(labels or rates.attrs.get("labels", {}).get("en", {}) or {})
    level = rates.attrs.get("level", 0.95)
    n = len(groups)
    with style.house_style():
        owned = ax is None
        rows = -(-n // (3 if width == "two" else 1))
        fig, ax = style.new_figure(ax, width=width, height_mm=36 + 1.6 * _PITCH_MM * max(
            len(concepts), 1) + 4 * rows)
        base = np.arange(len(concepts))[::-1].astype(float)
        step = 0.7 / max(n, 1)
        for i, group in enumerate(groups):
            part = rates.loc[rates[by] == group].set_index("concept").reindex(concepts)
            y = base + 0.35 - step * (i + 0.5)
            rate = part["rate_per_1000"].to_numpy(dtype=float)
            err = np.vstack([rate - part["ci_low"].to_numpy(dtype=float),
                             part["ci_high"].to_numpy(dtype=float) - rate])
            colour = style.PALETTE[i % len(style.PALETTE)]
            docs, words = int(part["documents"].iloc[0]), int(part["words"].iloc[0])
            ax.errorbar(rate, y, xerr=err, fmt="o", color=colour, markersize=3.2,
                        elinewidth=0.9, capsize=1.5,
                        label=f"{group} ({docs} doc{'s' if docs != 1 else ''}, "
                              f"{words:,} words)")
        ax.set_yticks(base, labels=[labels.get(c, c) for c in concepts])
        ax.set_ylim(-0.6, len(concepts) - 0.4)
        ax.tick_params(axis="y", length=0)
        right = ax.get_xlim()[1] if groups else 1.0
        ax.set_xlim(-0.015 * right, right)  # a rate of 0 is a whole dot, not half of one
        ax.grid(axis="x", color="#dddddd", linewidth=0.5)
        ax.set_axisbelow(True)
        ax.set_xlabel(f"Concept hits per 1,000 words ({level:.0%} CI, exact Poisson)")
        legend = {"title": str(by), "ncols": min(n, 3 if width == "two" else 1),
                  "frameon": False, "title_fontsize": style.RC["legend.fontsize"]}
        if not groups:
            ax.text(0.5, 0.5, f"no document has a value of {by}", ha="center", va="center",
                    transform=ax.transAxes)
        elif owned:  # below the axes, in the room constrained layout makes for it
            fig.legend(loc="outside lower center", **legend)
        else:
            ax.legend(loc="best", **legend)
        role = rates.attrs.get("role")
        unit = f"{by} ({role} words)" if role else str(by)
        style.set_title(fig, ax, owned, style.fitted_title(document, "Concept rates", unit,
                                               WIDTHS_MM[width]))
    return style.attach_data(fig, rates)


def plot_guide_heatmap(table: pd.DataFrame, *,
                       value: Literal["rate_per_1000", "words"] = "rate_per_1000",
                       labels: Mapping[str, str] | None = None, document: str = "",
                       ax: Axes | None = None, width: Width = "two") -> Figure:
    """Theme × respondent heatmap of concept rates (or answer length), every cell annotated.

    ``table`` is :func:`interview_lens.analysis.guide.stat_guide_themes`; themes are rows in
    guide order, respondents columns (``labels`` maps a doc_id to a shorter name).  A theme a
    respondent was not asked is an empty cell marked ``–``, not a zero.  Attached data: the
    table.
    """
    if value not in ("rate_per_1000", "words"):
        raise ValueError(f"value must be 'rate_per_1000' or 'words', not {value!r}")
    themes = list(dict.fromkeys(table["theme"]))
    docs = list(dict.fromkeys(table["doc_id"]))
    grid = table.pivot(index="theme", columns="doc_id", values=value).reindex(
        index=themes, columns=docs)
    asked = table.assign(_a=table["qa_ids"].astype(str).str.len() > 0).pivot(
        index="theme", columns="doc_id", values="_a").reindex(index=themes, columns=docs)
    values = np.where(asked.to_numpy(dtype=bool), grid.to_numpy(dtype=float), np.nan)
    names = [(labels or {}).get(d, d) for d in docs]
    with style.house_style():
        owned = ax is None
        fig, ax = style.new_figure(ax, width=width,
                                   height_mm=min(40 + 7 * len(themes) + 1.6 * max(
                                       len(n) for n in names) if names else 60, 220))
        if values.size:
            cmap = matplotlib.colormaps[style.SEQUENTIAL_CMAP].with_extremes(bad="#f0f0f0")
            ax.imshow(np.ma.masked_invalid(values), aspect="auto", cmap=cmap)
        else:
            ax.text(0.5, 0.5, "no theme to show", ha="center", va="center",
                    transform=ax.transAxes)
        ax.set_xticks(range(len(docs)), names, rotation=40, ha="right")
        ax.set_yticks(range(len(themes)), [style.wrap(t, 38, style.RC["ytick.labelsize"])
                                           for t in themes])
        finite = values[np.isfinite(values)]
        low, top = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        for (i, j), v in np.ndenumerate(values):
            text = "–" if np.isnan(v) else (f"{v:.1f}" if value == "rate_per_1000"
                                            else f"{int(v)}")
            ax.text(j, i, text, ha="center", va="center", fontsize=6,
                    color="black" if np.isnan(v) else _ink(v, low, top))
        ax.spines[:].set_visible(False)
        ax.tick_params(length=0)
        what = ("Concept hits per 1,000 words of the answers" if value == "rate_per_1000"
                else "Words of the answers")
        style.set_title(fig, ax, owned, style.fitted_title(document, what, "guide theme and respondent",
                                               WIDTHS_MM[width]))
    return style.attach_data(fig, table)


def plot_class_variables(crosstab: pd.DataFrame, *, document: str = "",
                         ax: Axes | None = None, width: Width = "one") -> Figure:
    """Classes × modalities heatmap of adjusted residuals (diverging, centred on 0), each cell
    annotated with its count and residual; the title gives the χ² test.

    ``crosstab`` is :func:`interview_lens.analysis.groups.stat_class_variables`.  Beyond ±1.96
    a class over- (purple) or under-represents (orange) a modality at p < 0.05.  Attached data:
    ``crosstab``.
    """
    by = next(c for c in crosstab.columns if c not in ("class", "n", "expected", "residual",
                                                        "adjusted_residual"))
    classes = list(dict.fromkeys(crosstab["class"]))
    values = list(dict.fromkeys(crosstab[by]))
    grid = crosstab.pivot(index="class", columns=by, values="adjusted_residual").reindex(
        index=classes, columns=values).to_numpy(dtype=float)
    counts = crosstab.pivot(index="class", columns=by, values="n").reindex(
        index=classes, columns=values).to_numpy()
    attrs = crosstab.attrs
    with style.house_style():
        owned = ax is None
        fig, ax = style.new_figure(ax, width=width, height_mm=min(40 + 7 * len(classes), 200))
        if grid.size:
            bound = max(float(np.nanmax(np.abs(grid))), 1.96)
            ax.imshow(grid, aspect="auto", cmap=style.DIVERGING_CMAP, vmin=-bound, vmax=bound)
            for (i, j), v in np.ndenumerate(grid):
                ax.text(j, i, f"{int(counts[i, j])}\n({v:+.1f})", ha="center", va="center",
                        fontsize=6, color="white" if abs(v) > 0.7 * bound else "black")
        else:
            ax.text(0.5, 0.5, "fewer than two classes or modalities", ha="center",
                    va="center", transform=ax.transAxes)
        ax.set_xticks(range(len(values)), [str(v) for v in values], rotation=30, ha="right")
        ax.set_yticks(range(len(classes)), [f"class {c}" for c in classes])
        ax.spines[:].set_visible(False)
        ax.tick_params(length=0)
        ax.set_xlabel(f"{by}  (cells: units and adjusted residual)")
        test = (f"χ² = {attrs['chi2']:.1f}, {attrs['dof']} df, p = {attrs['p']:.2g}"
                if grid.size else "no test")
        style.set_title(fig, ax, owned, style.fitted_title(document, f"Classes by {by} ({test})", None,
                                               WIDTHS_MM[width]))
    return style.attach_data(fig, crosstab)


def _ink(value: float, low: float, top: float) -> str:
    """Black or white, whichever reads better on the cell's colour (its relative luminance,
    WCAG 2.1: black on cells lighter than 0.18, the luminance where both contrast alike)."""
    share = 0.0 if top <= low else (value - low) / (top - low)
    r, g, b, _ = matplotlib.colormaps[style.SEQUENTIAL_CMAP](share)
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "black" if luminance > 0.18 else "white"
