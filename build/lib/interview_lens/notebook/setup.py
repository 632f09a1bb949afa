"""The first cell of every notebook: process settings for a kernel that draws many figures, and
the house style.

A notebook keeps every figure it shows: IPython's output history holds each one, with its tens
of thousands of matplotlib objects (texts, lines, transforms).  CPython's cyclic garbage
collector starts a young-generation pass every 700 net allocations and, as the heap grows, full
passes that walk every one of those objects again: on the sample, about 0.8 s of the 6 s that
notebook 02 spends on its seven figures, and as much in notebook 04.  A higher first threshold
makes all passes rarer.  Nothing else changes: reference counting still frees at once whatever
is not in a reference cycle; only cycles wait a little longer to be collected.
"""
from __future__ import annotations

import gc

from interview_lens.figures.style import apply_style

#: net allocations of container objects between two young-generation collections
#: (CPython's default is 700)
GC_THRESHOLD = 50_000


def relax_garbage_collector(threshold: int = GC_THRESHOLD) -> tuple[int, int, int]:
    """Let the cyclic garbage collector run less often in this process.

    Sets the first threshold of :func:`gc.set_threshold` to ``threshold`` (the older generations'
    thresholds are kept) and returns the previous three thresholds, so a caller can put them
    back with ``gc.set_threshold(*previous)``.
    """
    if threshold < 1:
        raise ValueError(f"threshold must be a positive number of allocations, not {threshold}")
    previous = gc.get_threshold()
    gc.set_threshold(threshold, *previous[1:])
    return previous


def setup_notebook() -> None:
    """What every notebook does first: fewer collector passes over its figures, the house style
    (and, in a Jupyter kernel, figures shown as their saved files show them)."""
    relax_garbage_collector()
    apply_style()
