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
measured and drawn once at screen resolution (:func:`interview_lens.style.apply_style` sets
that up).
"""
from __future__ import annotations

import io
import math
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import matplotlib
import matplotlib.image
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from .style import RC, figure_data

_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}
SUPPORTED_FORMATS = tuple(_METADATA)
PAD_INCHES = 0.03  # white margin around the tight box


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _atomic_write(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_table(df: pd.DataFrame, path: str | Path) -> Path:
    """Write a DataFrame as UTF-8 CSV, atomically and deterministically."""
    path = Path(path)
    _atomic_write(
        path,
        lambda tmp: df.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n",
                              float_format="%.6g"),
    )
    return path


@contextmanager
def laid_out(fig: Figure, *, dpi: float, pad_inches: float = PAD_INCHES) -> Iterator[Bbox | str]:
    """Solve ``fig``'s layout once at ``dpi`` and hold it; yields the padded tight box in inches.

    Inside the block the figure has no layout engine, so ``savefig(bbox_inches=<the box>)``
    draws it exactly once per file and every file shares one layout; on leaving, the figure gets
    its layout engine back (later edits are laid out again).  On a canvas that cannot measure
    text without a file (not Agg-based), yields ``"tight"`` and changes nothing.
    """
    if not isinstance(fig.canvas, FigureCanvasAgg):
        yield "tight"
        return
    screen_dpi = fig.dpi
    try:
        fig.dpi = dpi  # measure text as the PNG will render it
        fig.draw_without_rendering()  # runs the layout engine
        box = fig.get_tightbbox(fig.canvas.get_renderer()).padded(pad_inches)
    finally:
        fig.dpi = screen_dpi
    with _held(fig):
        yield box


@contextmanager
def _held(fig: Figure) -> Iterator[None]:
    """No layout engine inside the block: the figure is drawn as it is laid out now."""
    engine = fig.get_layout_engine()
    fig.set_layout_engine(None)
    try:
        yield
    finally:
        fig.set_layout_engine(engine)


_SAVED = "_interview_lens_saved"  # axes positions of the last save_figure


def _positions(fig: Figure) -> tuple:
    # where the layout put each axes (original=True: the active position would apply the
    # aspect ratio first, which marks the figure stale)
    return tuple(tuple(ax.get_position(original=True).bounds) for ax in fig.axes)


def _remember(fig: Figure) -> None:
    setattr(fig, _SAVED, _positions(fig))
    # savefig leaves the figure marked stale (it puts the figure's own box back after each
    # file) although nothing in it changed: it stands as the files show it
    fig.stale = False


@contextmanager
def as_saved(fig: Figure, pad_inches: float | None = None) -> Iterator[Bbox | str]:
    """Hold the layout ``fig`` was last saved in by :func:`save_figure`; yields its tight box
    measured at the figure's own (screen) resolution, padded by ``pad_inches`` (default
    :rc:`savefig.pad_inches`, as ``bbox_inches="tight"``).

    For showing a saved figure in the layout of its files, in one draw: ``savefig(...,
    bbox_inches=<the box>)`` inside the block.  The box is measured again because text drawn
    at 100 dpi is wider, by up to a few pixels, than at the files' 300.  Yields ``"tight"`` and
    holds nothing when the figure was never saved, or has changed (it is stale) or been laid
    out again (an axes moved) since.
    """
    if (getattr(fig, _SAVED, None) is None or fig.stale or getattr(fig, _SAVED) != _positions(fig)
            or not isinstance(fig.canvas, FigureCanvasAgg)):
        yield "tight"
        return
    pad = matplotlib.rcParams["savefig.pad_inches"] if pad_inches is None else pad_inches
    with _held(fig):
        box = fig.get_tightbbox(fig.canvas.get_renderer()).padded(pad)
        fig.stale = False  # measuring applied the axes' aspect again: nothing changed
        yield box


def render_png(fig: Figure, *, dpi: float, pad_inches: float = PAD_INCHES) -> bytes:
    """``fig`` as PNG bytes at ``dpi``, cropped to its padded tight box, in a single draw.

    ``savefig(bbox_inches="tight")`` on a figure not yet laid out draws it twice: once to solve
    the layout and measure the box, once to render inside it.  This renders the whole figure
    once (solving the layout on the way), measures the box on that render and crops its
    pixels, the box widened to whole pixels: the pixels ``savefig`` gives for that box.  For
    images shown on screen (the explorers); when the box reaches past the canvas, or on a canvas
    that is not Agg-based, it is ``savefig`` that draws.
    """
    facecolor, screen_dpi = fig.get_facecolor(), fig.dpi
    crop = None
    if isinstance(fig.canvas, FigureCanvasAgg):
        try:
            fig.dpi = dpi
            fig.set_facecolor("white")
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()
            box = fig.get_tightbbox(renderer).padded(pad_inches)
            x0, y0 = math.floor(box.x0 * dpi), math.floor(box.y0 * dpi)
            x1, y1 = math.ceil(box.x1 * dpi), math.ceil(box.y1 * dpi)
            width, height = renderer.width, renderer.height
            if 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height:
                crop = np.asarray(renderer.buffer_rgba())[height - y1:height - y0, x0:x1].copy()
        finally:
            fig.dpi = screen_dpi
            fig.set_facecolor(facecolor)
    buffer = io.BytesIO()
    if crop is None:
        fig.savefig(buffer, format="png", dpi=dpi, metadata=_METADATA["png"],
                    bbox_inches="tight", pad_inches=pad_inches, facecolor="white")
    else:
        matplotlib.image.imsave(buffer, crop, format="png", origin="upper", dpi=dpi,
                                metadata=_METADATA["png"])
    return buffer.getvalue()


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
            _atomic_write(
                path,
                lambda tmp, fmt=fmt: fig.savefig(
                    tmp, format=fmt, dpi=dpi, metadata=_METADATA[fmt], bbox_inches=box,
                    pad_inches=PAD_INCHES, facecolor="white",
                ),
            )
            written.append(path)
    if formats and not isinstance(box, str):
        _remember(fig)
    table = data if data is not None else figure_data(fig)
    if table is not None:
        written.append(save_table(pd.DataFrame(table), out_dir / f"{name}.csv"))
    return written
