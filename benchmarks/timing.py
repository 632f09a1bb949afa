"""Repeat a measurement and keep every run: the benchmark reports medians, never the best run."""
from __future__ import annotations

import gc
import statistics
import time
from typing import Any, Callable, Mapping


def measure(fn: Callable[[], Any], *, repeat: int) -> tuple[list[float], Any]:
    """Call ``fn`` ``repeat`` times; wall-clock seconds of each call and the last result.

    The garbage collector runs between calls (not during): a run should not pay for the
    previous run's garbage.
    """
    seconds: list[float] = []
    result = None
    for _ in range(max(1, repeat)):
        result = None
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        seconds.append(time.perf_counter() - t0)
    return seconds, result


def measure_interleaved(fns: Mapping[str, Callable[[], Any]], *,
                        repeat: int) -> dict[str, tuple[list[float], Any]]:
    """Like :func:`measure` for several functions, run in turn within each round (``a b c a b
    c ...``), so a change in the machine's load (other processes share the cores) falls on
    every contender alike instead of on whichever ran last.  ``name -> (seconds, last result)``.
    """
    seconds: dict[str, list[float]] = {name: [] for name in fns}
    results: dict[str, Any] = {name: None for name in fns}
    for _ in range(max(1, repeat)):
        for name, fn in fns.items():
            results[name] = None
            gc.collect()
            t0 = time.perf_counter()
            results[name] = fn()
            seconds[name].append(time.perf_counter() - t0)
    return {name: (seconds[name], results[name]) for name in fns}


def summary(seconds: list[float]) -> dict[str, Any]:
    """``median_s``, ``min_s``, ``max_s`` and every run (``runs_s``), rounded to the microsecond."""
    return {"median_s": round(statistics.median(seconds), 6), "min_s": round(min(seconds), 6),
            "max_s": round(max(seconds), 6), "runs_s": [round(s, 6) for s in seconds]}
