"""A figure's layout solved once and held: for saving every format in one layout
(:func:`laid_out`), and for showing a saved figure as its files show it (:func:`as_saved`).
Both :mod:`~interview_lens.figures.export` and :mod:`~interview_lens.figures.style` use it.
"""
from __future__ import annotations

import io
import math
from contextlib import contextmanager
from typing import Iterator

import matplotlib
import matplotlib.image
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

PAD_INCHES = 0.03  # white margin around the tight box
# no date or software version in a PNG: the same figure gives the same bytes
_PNG_METADATA = {"Software": None}


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


def remember_layout(fig: Figure) -> None:
    """Record the layout ``fig`` was just saved in, for :func:`as_saved`."""
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
        fig.savefig(buffer, format="png", dpi=dpi, metadata=_PNG_METADATA,
                    bbox_inches="tight", pad_inches=pad_inches, facecolor="white")
    else:
        matplotlib.image.imsave(buffer, crop, format="png", origin="upper", dpi=dpi,
                                metadata=_PNG_METADATA)
    return buffer.getvalue()
