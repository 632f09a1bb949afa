"""Saving figures for articles: PNG, SVG and PDF with the CSV of the numbers behind them.

Same inputs give byte-identical PNG and SVG (and PDF): no timestamps or software versions in the
metadata, fixed SVG ids (``svg.hashsalt``); text stays editable in SVG (``svg.fonttype='none'``)
and PDF (TrueType fonts).  Every file is written to a temporary name and moved into place, so an
interrupted run never leaves a half-written figure.

The layout is worked out once per figure, not once per file: ``savefig(bbox_inches="tight")``
draws a figure twice for every file (once to measure it, once to render it) and a
constrained-layout figure solves its layout again each time, so three formats cost six draws and
three layouts.  :func:`save_figure` solves the layout and measures the tight box once, at the
PNG's resolution, and every format is then drawn once inside that box.  The figure keeps that
layout while it stays unchanged (:func:`as_saved`), so a notebook shows it in the same layout,
measured and drawn once at screen resolution (:func:`interview_lens.figures.style.apply_style` sets
that up); the layout itself is held by :mod:`interview_lens.figures._layout`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import matplotlib
import matplotlib.image
import pandas as pd
from matplotlib.figure import Figure

from interview_lens.figures._layout import PAD_INCHES, laid_out, remember_layout
from interview_lens.figures.style import RC, figure_data
from interview_lens.project import atomic_write

_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}
SUPPORTED_FORMATS = tuple(_METADATA)


def save_table(df: pd.DataFrame, path: str | Path) -> Path:
    """Write a DataFrame as UTF-8 CSV, atomically and deterministically."""
    path = Path(path)
    atomic_write(
        path,
        lambda tmp: df.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n",
                              float_format="%.6g"),
    )
    return path


def save_figure(
    fig: Figure,
    name: str,
    out_dir: str | Path,
    formats: Iterable[str] = ("png", "svg", "pdf"),
    dpi: int = 300,
    *,
    data: pd.DataFrame | None = None,
) -> list[Path]:
    """Write ``fig`` as ``out_dir/name.<fmt>`` for each format, plus ``name.csv`` with its data.

    ``data`` defaults to the table the ``plot_*`` function attached to the figure.
    Returns the paths written (figures first, then the CSV).
    """
    out_dir = Path(out_dir)
    formats = tuple(formats)
    unknown = [f for f in formats if f not in _METADATA]
    if unknown:
        raise ValueError(f"unsupported figure format(s) {unknown}; use {SUPPORTED_FORMATS}")
    written: list[Path] = []
    keys = ("svg.fonttype", "pdf.fonttype", "svg.hashsalt")
    with matplotlib.rc_context({k: RC[k] for k in keys}), laid_out(fig, dpi=dpi) as box:
        for fmt in formats:
            path = out_dir / f"{name}.{fmt}"
            atomic_write(
                path,
                lambda tmp, fmt=fmt: fig.savefig(
                    tmp, format=fmt, dpi=dpi, metadata=_METADATA[fmt], bbox_inches=box,
                    pad_inches=PAD_INCHES, facecolor="white",
                ),
            )
            written.append(path)
    if formats and not isinstance(box, str):
        remember_layout(fig)
    table = data if data is not None else figure_data(fig)
    if table is not None:
        written.append(save_table(pd.DataFrame(table), out_dir / f"{name}.csv"))
    return written
