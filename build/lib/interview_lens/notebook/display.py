"""What a notebook cell shows when there is nothing to show: one sentence, never an empty figure.

A document may have no Q/A pair (narration), no content word (emoji only), no concept of the
dictionary or no other document to compare with.  The notebooks then build no figure
(``fig = plot_x(...) if len(table) else None``) and show, in place of the figure or table, the
one sentence that says why; no file is written for a figure that was not drawn, so a
regeneration's manifest lists exactly the figures a document has.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import pandas as pd
from matplotlib.figure import Figure

from interview_lens.figures.export import save_figure


class Note(str):
    """One sentence shown as Markdown in a notebook and as itself in a terminal."""

    def _repr_markdown_(self) -> str:
        return f"*{self}*"


def is_empty(value: Any) -> bool:
    """``None``, an empty DataFrame/Series or an empty list: nothing to show."""
    if value is None:
        return True
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.empty
    if isinstance(value, (list, tuple, dict, set)):
        return not value
    return False


def or_note(value: Any, note: str) -> Any:
    """``value`` itself, or the sentence ``note`` (as a :class:`Note`) when it is empty."""
    return Note(note) if is_empty(value) else value


def save_or_note(fig: Figure | None, name: str, out_dir: str | Path,
                 formats: Iterable[str] = ("png", "svg", "pdf"), dpi: int = 300, *,
                 note: str) -> Figure | Note:
    """Save ``fig`` with :func:`~interview_lens.figures.export.save_figure` and return it; with no
    figure (``None``: nothing to draw) write nothing and return the sentence ``note``."""
    if fig is None:
        return Note(note)
    save_figure(fig, name, out_dir, formats, dpi)
    return fig
