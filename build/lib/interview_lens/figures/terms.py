"""Figures of the term tables: frequency bars, small multiples per theme, keyness, n-grams, clouds.

Every function draws from a table of :mod:`interview_lens.analysis.terms` (never from raw tokens), so a bar
chart and a word cloud of the same table show the same counts; each returns its Figure with the
numbers it drew attached (:func:`style.attach_data`), ready for :func:`export.save_figure`.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from wordcloud import WordCloud

from interview_lens.figures import style
from interview_lens.figures.style import MM_PER_INCH, WIDTHS_MM, Width

_GROUPS = ("theme", "role", "speaker", "qa_id")
#: Okabe-Ito colours legible on white (yellow and sky blue are too pale for words in a cloud).
_CLOUD_COLOURS = tuple(style.PALETTE[i] for i in (0, 3, 2, 4, 1, 7))
_BAR_PITCH_MM = 3.6  # vertical room per bar: a 7 pt label plus a gap
_CLOUD_DPI = 300


def _font_path() -> str:
    """DejaVu Sans from matplotlib's own data: always present, covers é à ç « » ’."""
    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    if path.exists():
        return str(path)
    return matplotlib.font_manager.findfont("DejaVu Sans")


def _group_col(table: pd.DataFrame) -> str | None:
    return next((c for c in _GROUPS if c in table.columns), None)


def _single_group(table: pd.DataFrame, fn: str) -> pd.DataFrame:
    col = _group_col(table)
    if col is not None and table[col].nunique() > 1:
        raise ValueError(f"{fn} draws one table; this one has several {col}s "
                         f"(use the *_by_theme function or filter it first)")
    return table


def _terms_what(freq: pd.DataFrame) -> str:
    content_only = freq.attrs.get("content_only", True)
    return "Most frequent lemmas" + (" (stopwords removed)" if content_only else "")


def _hbars(ax: Axes, labels: Sequence[str], values: Sequence[float], *, color: str,
           fmt: str = "{:g}") -> None:
    """Horizontal bars, first item at the top, each labelled with its value at the bar end."""
    y = np.arange(len(labels))[::-1]
    bars = ax.barh(y, values, color=color, height=0.72)
    ax.bar_label(bars, labels=[fmt.format(v) for v in values], padding=1.5,
                 fontsize=style.RC["xtick.labelsize"] - 0.5)
    ax.set_yticks(y, labels=list(labels))
    ax.set_ylim(-0.6, len(labels) - 0.4)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    # room for the value labels; bars' sticky edge keeps 0 at the left, and no set_xlim here so
    # that panels sharing x autoscale to the largest bar of all of them
    ax.margins(x=0.14)
    # counts are whole numbers: no 2.5 ticks
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))


def _height(n_bars: int, extra_mm: float = 22.0) -> float:
    return extra_mm + _BAR_PITCH_MM * max(n_bars, 1)


def plot_terms(
    freq: pd.DataFrame,
    *,
    top_n: int = 20,
    ax: Axes | None = None,
    document: str = "",
    width: Width = "one",
) -> Figure:
    """Horizontal bar chart of the ``top_n`` most frequent lemmas of :func:`stat_frequency`.

    Largest at the top, each bar labelled with its count; x axis "Occurrences (lemmas)".
    Attached data: ``lemma, count`` (+ ``rate_per_1000, n_qa``) of the bars drawn.
    """
    _single_group(freq, "plot_terms")
    top = freq.sort_values(["count", "lemma"], ascending=[False, True], kind="mergesort")
    top = top.head(top_n).reset_index(drop=True)
    owned = ax is None
    with style.house_style():
        fig, ax = style.new_figure(ax, width=width, height_mm=_height(len(top)))
        _hbars(ax, top["lemma"].astype(str), top["count"].astype(int), color=style.PALETTE[0])
        ax.set_xlabel("Occurrences (lemmas)")
        style.set_title(fig, ax, owned, style.fitted_title(document, _terms_what(freq), None,
                                               WIDTHS_MM[width]))
    return style.attach_data(fig, top)


def _panels(n: int, width: Width, ax, *, panel_height_mm: float, ncols: int | None = None,
            sharex: bool = True):
    """A figure with one panel per group (or the caller's axes), unused panels removed."""
    if ax is not None:
        axes = list(np.ravel(ax))
        if len(axes) < n:
            raise ValueError(f"need {n} axes (one per group), got {len(axes)}")
        return axes[0].figure, axes[:n]
    ncols = ncols or min(n, 3 if width == "two" else 2)
    nrows = math.ceil(n / ncols)
    fig = style.blank_figure(style.figsize(width, 16 + panel_height_mm * nrows))
    grid = fig.subplots(nrows, ncols, sharex=sharex, squeeze=False)
    flat = list(grid.ravel())
    for extra in flat[n:]:
        extra.remove()
    # after removing empty panels, show x tick labels on the lowest panel of each column
    for a in flat[:n]:
        a.xaxis.set_tick_params(labelbottom=True)
    return fig, flat[:n]


def _panel_title(ax: Axes, label, width: Width, ncols: int, *, label_mm: float = 20) -> None:
    """Group label above a panel, wrapped to the panel's width minus its y tick labels."""
    panel_mm = WIDTHS_MM[width] / ncols - label_mm
    ax.set_title(style.wrap(str(label), panel_mm, style.RC["axes.labelsize"], bold=True),
                 loc="left", fontsize=style.RC["axes.labelsize"])


def plot_terms_by_theme(
    freq_by_theme: pd.DataFrame,
    *,
    top_n: int = 8,
    ax: Sequence[Axes] | None = None,
    document: str = "",
    width: Width = "two",
) -> Figure:
    """Small multiples of the most frequent lemmas, one panel per group, on a shared x scale.

    ``freq_by_theme`` is :func:`stat_frequency` with ``by=`` (``theme``, or any other group);
    panels follow the table's group order.  ``ax``: optional sequence of axes, one per group.
    Attached data: the group column, ``lemma, count`` (+ rate, n_qa) of the bars drawn.
    """
    col = _group_col(freq_by_theme)
    if col is None:
        raise ValueError("plot_terms_by_theme needs stat_frequency(..., by='theme') output")
    groups = list(pd.unique(freq_by_theme[col]))
    top = (freq_by_theme.sort_values(["count", "lemma"], ascending=[False, True], kind="mergesort")
           .groupby(col, sort=False).head(top_n))
    top = pd.concat([top.loc[top[col] == g] for g in groups]).reset_index(drop=True)
    ncols = min(len(groups), 3 if width == "two" else 2)
    with style.house_style():
        fig, axes = _panels(len(groups), width, ax, ncols=ncols,
                            panel_height_mm=_height(top_n, extra_mm=9))
        for a, g in zip(axes, groups):
            rows = top.loc[top[col] == g]
            _hbars(a, rows["lemma"].astype(str), rows["count"].astype(int),
                   color=style.PALETTE[0])
            _panel_title(a, g, width, ncols)
        if ax is None:
            fig.supxlabel("Occurrences (lemmas)", fontsize=style.RC["axes.labelsize"])
            style.set_title(fig, axes[0], True, style.fitted_title(document, "Most frequent lemmas",
                                                       f"{col} (stopwords removed)",
                                                       WIDTHS_MM[width]))
    return style.attach_data(fig, top)


def plot_keyness(
    keyness: pd.DataFrame,
    *,
    top_n: int = 10,
    top_n_under: int = 5,
    ax: Sequence[Axes] | None = None,
    document: str = "",
    width: Width = "two",
) -> Figure:
    """Diverging bars of key lemmas per group: signed log-likelihood G² on the x axis.

    For each group (one panel, shared x scale) the ``top_n`` overused lemmas (``direction ==
    "+"``) are drawn to the right in blue and the ``top_n_under`` underused ones to the left in
    vermillion, by decreasing G²; the dotted lines mark G² = 3.84 (p = 0.05, 1 df).  The x axis
    is G² (not the log ratio) because G² says how much evidence there is, which is what ranks the
    terms; the log ratio (effect size) stays in the attached table.
    Attached data: the rows of :func:`stat_keyness` drawn, plus ``signed_g2``.
    """
    col = _group_col(keyness)
    if col is None:
        raise ValueError("plot_keyness needs stat_keyness output (a theme/role/speaker column)")
    groups = list(pd.unique(keyness[col]))
    ordered = keyness.sort_values("g2", ascending=False, kind="mergesort")
    parts = []
    for g in groups:
        rows = ordered.loc[ordered[col] == g]
        over = rows.loc[(rows["direction"] == "+") & (rows["g2"] > 0)].head(top_n)
        under = rows.loc[(rows["direction"] == "-") & (rows["g2"] > 0)].head(top_n_under)
        parts.append(pd.concat([over, under.iloc[::-1]]))
    drawn = pd.concat(parts).reset_index(drop=True)
    drawn["signed_g2"] = np.where(drawn["direction"] == "+", drawn["g2"], -drawn["g2"])
    ncols = min(len(groups), 3 if width == "two" else 2)
    with style.house_style():
        fig, axes = _panels(len(groups), width, ax, ncols=ncols,
                            panel_height_mm=_height(top_n + top_n_under, extra_mm=9))
        for a, g in zip(axes, groups):
            rows = drawn.loc[drawn[col] == g]
            y = np.arange(len(rows))[::-1]
            colours = np.where(rows["direction"] == "+", style.POSITIVE, style.NEGATIVE)
            a.barh(y, rows["signed_g2"], color=colours, height=0.72)
            a.set_yticks(y, labels=rows["lemma"].astype(str))
            a.set_ylim(-0.6, max(len(rows), 1) - 0.4)
            a.tick_params(axis="y", length=0)
            a.spines["left"].set_visible(False)
            a.axvline(0, color="black", linewidth=0.6)
            for x in (-3.84, 3.84):
                a.axvline(x, color=style.NEUTRAL, linewidth=0.6, linestyle=":")
            _panel_title(a, g, width, ncols)
        if ax is None:
            fig.supxlabel("Log-likelihood G²  (right: overused in the group, left: underused; "
                          "dotted: p = 0.05)", fontsize=style.RC["axes.labelsize"])
            style.set_title(fig, axes[0], True, style.fitted_title(
                document, "Key lemmas", f"{col} (log-likelihood G² against the rest of the "
                "interview)", WIDTHS_MM[width]))
    return style.attach_data(fig, drawn)


def plot_ngrams(
    ngrams: pd.DataFrame,
    *,
    top_n: int = 15,
    ax: Axes | None = None,
    document: str = "",
    width: Width = "one",
) -> Figure:
    """Horizontal bars of the ``top_n`` most frequent n-grams of :func:`stat_ngrams`.

    Attached data: the rows drawn (``ngram, w1, w2[, w3], count, llr, pmi``).
    """
    top = ngrams.head(top_n).reset_index(drop=True)
    kind = "trigrams" if "w3" in ngrams.columns else "bigrams"
    owned = ax is None
    with style.house_style():
        fig, ax = style.new_figure(ax, width=width, height_mm=_height(len(top)))
        _hbars(ax, top["ngram"].astype(str), top["count"].astype(int), color=style.PALETTE[2])
        ax.set_xlabel("Occurrences")
        style.set_title(fig, ax, owned, style.fitted_title(
            document, f"Most frequent {kind} (content lemmas)", None,
            WIDTHS_MM[width]))
    return style.attach_data(fig, top)


def _cloud(freq: pd.DataFrame, *, max_words: int, random_state: int, width_px: int,
           height_px: int) -> tuple[WordCloud, pd.DataFrame]:
    top = freq.sort_values(["count", "lemma"], ascending=[False, True], kind="mergesort")
    top = top.loc[top["count"] > 0].head(max_words)
    if top.empty:
        raise ValueError("no term to draw in the word cloud")
    rank = {w: i for i, w in enumerate(top["lemma"].astype(str))}

    def colour(word, **_):  # by rank, so the same lemma keeps its colour across redraws
        return _CLOUD_COLOURS[rank.get(word, 0) % len(_CLOUD_COLOURS)]

    wc = WordCloud(
        font_path=_font_path(), width=width_px, height=height_px, background_color="white",
        max_words=max_words, random_state=random_state, collocations=False,
        normalize_plurals=False, color_func=colour, prefer_horizontal=0.9, margin=4,
        min_font_size=int(5 / 72 * _CLOUD_DPI),  # 5 pt at 300 dpi: still legible in print
        relative_scaling=0.5,
    )
    wc.generate_from_frequencies(dict(zip(top["lemma"].astype(str), top["count"].astype(int))))
    placed = pd.DataFrame([(w, size) for (w, _), size, *_ in wc.layout_],
                          columns=["lemma", "font_size_px"])
    drawn = top.merge(placed, on="lemma", how="inner")
    return wc, drawn


def _px(mm: float) -> int:
    return int(round(mm / MM_PER_INCH * _CLOUD_DPI))


def plot_wordcloud(
    freq: pd.DataFrame,
    *,
    max_words: int = 80,
    random_state: int = 0,
    ax: Axes | None = None,
    document: str = "",
    width: Width = "one",
) -> Figure:
    """Word cloud of the lemma counts of :func:`stat_frequency` (the same counts as the bars).

    Stopwords are already out of the table; no collocation or plural guessing by ``wordcloud``;
    DejaVu Sans so French diacritics and « » ’ render; colours from the house palette;
    ``random_state`` fixes the layout.  The cloud is a bitmap sized for the column width at
    300 dpi (SVG/PDF embed it as an image).
    Attached data: ``lemma, count`` (+ rate, n_qa) and ``font_size_px`` of the words placed
    (a word that did not fit is absent).
    """
    _single_group(freq, "plot_wordcloud")
    width_mm = WIDTHS_MM[width]
    height_mm = width_mm * (0.62 if width == "one" else 0.45)
    wc, drawn = _cloud(freq, max_words=max_words, random_state=random_state,
                       width_px=_px(width_mm), height_px=_px(height_mm))
    owned = ax is None
    with style.house_style():
        fig, ax = style.new_figure(ax, width=width, height_mm=height_mm + 14)
        ax.imshow(wc.to_array(), interpolation="nearest")
        ax.set_axis_off()
        style.set_title(fig, ax, owned, style.fitted_title(
            document, "Lemmas, size ~ count (stopwords removed)", None, width_mm))
    return style.attach_data(fig, drawn)


def plot_wordclouds_by_theme(
    freq_by_theme: pd.DataFrame,
    *,
    max_words: int = 30,
    random_state: int = 0,
    ax: Sequence[Axes] | None = None,
    document: str = "",
    width: Width = "two",
) -> Figure:
    """One word cloud per group of ``stat_frequency(..., by='theme')``, in small multiples.

    Same drawing rules as :func:`plot_wordcloud`; word sizes are relative within each panel.
    Attached data: the group column, ``lemma, count`` (+ rate, n_qa) and ``font_size_px``.
    """
    col = _group_col(freq_by_theme)
    if col is None:
        raise ValueError("plot_wordclouds_by_theme needs stat_frequency(..., by='theme') output")
    groups = list(pd.unique(freq_by_theme[col]))
    ncols = min(len(groups), 3 if width == "two" else 2)
    panel_w_mm = WIDTHS_MM[width] / ncols - 3
    panel_h_mm = panel_w_mm * 0.65
    parts = []
    with style.house_style():
        fig, axes = _panels(len(groups), width, ax, ncols=ncols, sharex=False,
                            panel_height_mm=panel_h_mm + 8)
        for a, g in zip(axes, groups):
            wc, drawn = _cloud(freq_by_theme.loc[freq_by_theme[col] == g],
                               max_words=max_words, random_state=random_state,
                               width_px=_px(panel_w_mm), height_px=_px(panel_h_mm))
            a.imshow(wc.to_array(), interpolation="nearest")
            a.set_axis_off()
            _panel_title(a, g, width, ncols, label_mm=4)
            parts.append(drawn)
        if ax is None:
            style.set_title(fig, axes[0], True, style.fitted_title(
                document, "Lemmas", f"{col}, size ~ count within a panel (stopwords removed)",
                WIDTHS_MM[width]))
    return style.attach_data(fig, pd.concat(parts).reset_index(drop=True))
