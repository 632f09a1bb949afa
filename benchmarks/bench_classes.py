"""Benchmark of Reinert's classification at corpus scale: ``stat_classes`` on 100,000 segments.

``run()`` builds a synthetic segments x terms 0/1 matrix of the density of real interviews
(about 15 distinct content lemmas in a 40-word segment, 2,000 lemmas whose frequencies follow
Zipf's law, ten latent themes that each favour 150 lemmas so that there are classes to find),
then measures

* ``stat_classes`` at ``k=10`` (seconds, and peak memory: Python allocations by tracemalloc,
  which numpy's and scipy's arrays report, and the process' peak resident set);
* the first split alone, as the library does it (sparse, vectorised over the non-zeros);
* the same first split in plain numpy (dense blocks of rows, no scipy.sparse), its floor: the
  CA axis from the same p x p matrix and the χ² of every cut along it, without the moves.

It returns a dict (nothing is asserted: timing belongs here, never in a test)::

    python -m benchmarks.bench_classes [n_segments [seed]]
"""
from __future__ import annotations

import json
import resource
import sys
import time
import tracemalloc

import numpy as np
import pandas as pd
from scipy import sparse

from interview_lens.analysis import _chd
from interview_lens.analysis.classes import stat_classes

N_TERMS = 2000
TERMS_PER_SEGMENT = 12
N_THEMES = 10
THEME_TERMS = 150
THEME_SHARE = 0.5  # half of a segment's words come from its theme's lemmas


def synthetic_matrix(n_segments: int, *, random_state: int = 0) -> sparse.csr_matrix:
    """A segments x terms 0/1 matrix with Zipf frequencies and latent themes (deterministic)."""
    rng = np.random.default_rng(random_state)
    zipf = 1.0 / np.arange(1, N_TERMS + 1)
    zipf /= zipf.sum()
    themes = [rng.choice(N_TERMS, THEME_TERMS, replace=False) for _ in range(N_THEMES)]
    theme_of = rng.integers(0, N_THEMES, n_segments)
    draws = TERMS_PER_SEGMENT + 4  # a few duplicates are dropped below
    from_theme = rng.random((n_segments, draws)) < THEME_SHARE
    general = rng.choice(N_TERMS, size=(n_segments, draws), p=zipf)
    own = np.stack(themes)[theme_of[:, None], rng.integers(0, THEME_TERMS, (n_segments, draws))]
    cols = np.where(from_theme, own, general)
    rows = np.repeat(np.arange(n_segments), draws)
    m = sparse.csr_matrix((np.ones(rows.size, dtype=np.int8), (rows, cols.ravel())),
                          shape=(n_segments, N_TERMS))
    m.sum_duplicates()
    m.data[:] = 1
    keep = np.asarray(m.sum(axis=0)).ravel() >= 3
    return m[:, keep].tocsr()


def numpy_first_split(m: sparse.csr_matrix, block: int = 4096) -> tuple[int, float]:
    """The first split's CA order and best cut in plain numpy (dense row blocks)."""
    n, p = m.shape
    col = np.zeros(p)
    row = np.empty(n)
    for a in range(0, n, block):
        x = m[a:a + block].toarray().astype(np.float64)
        col += x.sum(axis=0)
        row[a:a + block] = x.sum(axis=1)
    total = col.sum()
    r, c = row / total, col / total
    gram = np.zeros((p, p))
    for a in range(0, n, block):
        x = m[a:a + block].toarray().astype(np.float64) / total
        y = x / np.sqrt(r[a:a + block])[:, None] / np.sqrt(c)[None, :]
        gram += y.T @ y
    gram -= np.outer(np.sqrt(c), np.sqrt(c))
    _, vecs = np.linalg.eigh(gram)
    v = vecs[:, -1]
    coord = np.empty(n)
    for a in range(0, n, block):
        x = m[a:a + block].toarray().astype(np.float64) / total
        y = x / np.sqrt(r[a:a + block])[:, None] / np.sqrt(c)[None, :]
        coord[a:a + block] = (y @ v - np.sqrt(r[a:a + block]) * (np.sqrt(c) @ v)) / np.sqrt(
            r[a:a + block])
    if coord[np.argmax(np.abs(coord))] > 0:
        coord = -coord
    order = np.argsort(coord, kind="stable")
    t1 = np.zeros(p)
    best, best_i = -np.inf, 0
    n1 = 0.0
    for a in range(0, n, block):
        x = m[order[a:a + block]].toarray().astype(np.float64)
        cum = t1 + np.cumsum(x, axis=0)
        q = (cum ** 2 / col).sum(axis=1)
        n1s = n1 + np.cumsum(x.sum(axis=1))
        with np.errstate(divide="ignore", invalid="ignore"):
            chi = (q - n1s ** 2 / total) * total ** 2 / (n1s * (total - n1s))
        chi[(n1s <= 0) | (n1s >= total)] = -np.inf
        i = int(np.argmax(chi))
        if chi[i] > best:
            best, best_i = float(chi[i]), a + i + 1
        t1, n1 = cum[-1], n1s[-1]
    return best_i, best


def _timed(fn):
    """``(result, seconds, peak MiB)``: timed alone, then run again under tracemalloc for the
    peak (tracing slows numpy's allocations down, so it never runs while the clock does)."""
    t0 = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - t0
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return out, seconds, peak / 2 ** 20


def run(n_segments: int = 100_000, *, random_state: int = 0) -> dict:
    """Time and memory of ``stat_classes`` (k=10) on ``n_segments`` synthetic segments."""
    t0 = time.perf_counter()
    m = synthetic_matrix(n_segments, random_state=random_state)
    build = time.perf_counter() - t0
    frame = pd.DataFrame.sparse.from_spmatrix(m)
    classes, seconds, peak = _timed(lambda: stat_classes(frame, k=10))
    live = m[np.asarray(m.sum(axis=1)).ravel() > 0]
    (cut, chi), split_s, split_peak = _timed(lambda: _chd.best_cut(
        live, np.argsort(_chd.first_axis(live), kind="stable")))
    (np_cut, np_chi), numpy_s, numpy_peak = _timed(lambda: numpy_first_split(live))
    sizes = classes["class"].value_counts().sort_index()
    return {
        "n_segments": n_segments, "n_terms": int(m.shape[1]), "nnz": int(m.nnz),
        "density": float(m.nnz / (m.shape[0] * m.shape[1])), "build_s": build,
        "stat_classes_s": seconds, "stat_classes_peak_mib": peak,
        "n_classes": int(classes.attrs["n_classes"]),
        "class_sizes": {int(k): int(v) for k, v in sizes.items()},
        "first_split_s": split_s, "first_split_peak_mib": split_peak,
        "numpy_first_split_s": numpy_s, "numpy_first_split_peak_mib": numpy_peak,
        "same_cut": bool(cut == np_cut and np.isclose(chi, np_chi)),
        "first_split_chi2": chi,
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


if __name__ == "__main__":  # python -m benchmarks.bench_classes [n_segments [seed]]
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    print(json.dumps(run(n, random_state=seed), indent=2))
