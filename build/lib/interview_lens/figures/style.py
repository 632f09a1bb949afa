"""One house style for every figure: article column widths, a colour-blind-safe palette.

Widths follow common journal layouts: one column is 85 mm, two columns 175 mm.  Colours are
the Okabe-Ito palette (safe for the common colour-vision deficiencies); sequential maps use
``cividis`` and diverging ones ``PuOr``, both readable in greyscale and by colour-blind readers.
"""
from __future__ import annotations

from contextlib import contextmanager
from functools import partial
from typing import Iterator, Literal

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from interview_lens.figures._layout import as_saved

MM_PER_INCH = 25.4
WIDTHS_MM = {"one": 85.0, "two": 175.0}
Width = Literal["one", "two"]

#: Okabe & Ito (2008), "Color Universal Design".
PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
SEQUENTIAL_CMAP = "cividis"
DIVERGING_CMAP = "PuOr"
POSITIVE, NEGATIVE, NEUTRAL = PALETTE[0], PALETTE[3], "#999999"

RC = {
    "font.family": "DejaVu Sans",  # ships with matplotlib; renders French diacritics and « » ’
    "font.size": 7.5,
    "axes.titlesize": 8.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 7.5,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "figure.titlesize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.6,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "axes.prop_cycle": matplotlib.cycler(color=list(PALETTE)),
    "figure.dpi": 100,
    "savefig.dpi": 300,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.03,
    "svg.fonttype": "none",  # text stays text (editable) in SVG
    "pdf.fonttype": 42,  # TrueType: text stays editable in PDF
    "ps.fonttype": 42,
    "svg.hashsalt": "interview-lens",  # fixed SVG ids: identical files for identical inputs
    "path.simplify": True,
}


def apply_style() -> None:
    """Install the house style globally (the notebooks call this once, first).

    In a Jupyter kernel it also switches on the inline backend's figure formatters (what
    ``%matplotlib inline`` does), so a ``Figure`` returned by a ``plot_*`` function renders when
    it ends a cell, a saved one as its files show it (:func:`show_as_saved`); outside IPython
    nothing else changes.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        shell = None
    else:
        shell = get_ipython()
    if shell is not None and getattr(shell, "kernel", None) is not None:
        shell.run_line_magic("matplotlib", "inline")
        show_as_saved(shell)
    matplotlib.rcParams.update(RC)


def show_as_saved(shell) -> None:
    """Show a figure that :func:`~interview_lens.figures.export.save_figure` has just written in the
    layout of its files, measured and drawn once at screen resolution.

    Wraps the PNG formatter that ``%matplotlib inline`` registered for figures (keeping its
    settings): the inline backend would otherwise solve the figure's layout again and draw it
    twice, once only to measure its tight box.  A figure never saved, or changed since, is
    shown exactly as before.  Calling this again does not wrap twice.
    """
    formatter = shell.display_formatter.formatters["image/png"]
    try:
        show = formatter.lookup_by_type(Figure)
    except KeyError:  # the inline backend shows figures in another format
        return
    if isinstance(show, partial) and show.func is _png_as_saved:
        return
    formatter.for_type(Figure, partial(_png_as_saved, show))


def _png_as_saved(show, fig: Figure):
    with as_saved(fig) as box:
        return show(fig, bbox_inches=box)


@contextmanager
def house_style() -> Iterator[None]:
    """Temporarily apply the house style (used inside every ``plot_*`` function)."""
    with matplotlib.rc_context(RC):
        yield


def figsize(width: Width = "one", height_mm: float | None = None, *, aspect: float = 0.75):
    """Figure size in inches for a column width and an optional height in millimetres."""
    w = WIDTHS_MM[width]
    h = height_mm if height_mm is not None else w * aspect
    return (w / MM_PER_INCH, h / MM_PER_INCH)


def new_figure(
    ax: Axes | None = None,
    *,
    width: Width = "one",
    height_mm: float | None = None,
    aspect: float = 0.75,
) -> tuple[Figure, Axes]:
    """Return ``(fig, ax)``: the given axes and its figure, or a new figure in house style."""
    if ax is not None:
        return ax.figure, ax
    # a bare Figure, not pyplot's: nothing global to close, and in Jupyter it is shown once,
    # when the notebook returns it, never a second time by the inline backend
    fig = blank_figure(figsize(width, height_mm, aspect=aspect))
    return fig, fig.add_subplot()


def blank_figure(size: tuple[float, float]) -> Figure:
    """A constrained-layout figure on an Agg canvas, outside pyplot's global registry."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def title(document: str, what: str, unit: str | None = None) -> str:
    """A figure title naming what is shown, the unit of analysis and the document."""
    unit_part = f" per {unit}" if unit else ""
    return f"{what}{unit_part}\n{document}"


def attach_data(fig: Figure, data) -> Figure:
    """Keep the numbers behind a figure on it, so :func:`save_figure` writes them as CSV."""
    fig._interview_lens_data = data  # noqa: SLF001 - our own attribute
    return fig


def figure_data(fig: Figure):
    """The table attached with :func:`attach_data`, or ``None``."""
    return getattr(fig, "_interview_lens_data", None)


def _text_width_mm(text: str, fontsize: float, bold: bool) -> float:
    props = FontProperties(family=RC["font.family"], size=fontsize,
                           weight="bold" if bold else "normal")
    width_pt, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, props, ismath=False)
    return width_pt * 25.4 / 72.0


_TEXT_TO_PATH = TextToPath()


def wrap(text: str, width_mm: float, fontsize: float, bold: bool = False) -> str:
    """Wrap each line of ``text`` at word boundaries so it fits ``width_mm`` (measured with the
    font's metrics, so a title never runs past the column width)."""
    lines = []
    for line in text.split("\n"):
        current = ""
        for word in line.split(" "):
            trial = f"{current} {word}" if current else word
            if current and _text_width_mm(trial, fontsize, bold) > width_mm:
                lines.append(current)
                current = word
            else:
                current = trial
        lines.append(current)
    return "\n".join(lines)


def fitted_title(document: str, what: str, unit: str | None, width_mm: float) -> str:
    """:func:`title`, wrapped to fit a figure ``width_mm`` wide."""
    text = title(document, what, unit).rstrip("\n")
    return wrap(text, width_mm - 2, RC["axes.titlesize"], bold=True)


def set_title(fig: Figure, ax: Axes, owned: bool, text: str) -> None:
    """Title at the figure's left edge when we own the figure (so long y labels do not push it
    past the column width), else on the caller's axes."""
    if owned:
        fig.suptitle(text, x=0.01, ha="left", fontsize=RC["axes.titlesize"],
                     fontweight="bold")
    else:
        ax.set_title(text, loc="left")
