"""One house style for every figure: article column widths, a colour-blind-safe palette.

Widths follow common journal layouts: one column is 85 mm, two columns 175 mm.  Colours are
the Okabe-Ito palette (safe for the common colour-vision deficiencies); sequential maps use
``cividis`` and diverging ones ``PuOr``, both readable in greyscale and by colour-blind readers.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Literal

import matplotlib

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

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
    """Install the house style globally (notebooks call this once, through the pipeline)."""
    matplotlib.rcParams.update(RC)


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
    fig, new_ax = plt.subplots(figsize=figsize(width, height_mm, aspect=aspect), layout="constrained")
    return fig, new_ax


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
