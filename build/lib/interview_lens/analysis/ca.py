"""Correspondence analysis of a lexical table (Benzécri; Greenacre, *Correspondence Analysis in
Practice*, 3rd ed., 2017, ch. 4-12), by an exact SVD of the standardised residuals.

For a table ``N`` with total ``n``: ``P = N / n``, row and column masses ``r``, ``c``, and
``S = D_r^-1/2 (P - r c^T) D_c^-1/2 = U Σ V^T``.  The principal inertias (eigenvalues) are
``σ²``; principal coordinates are ``F = D_r^-1/2 U Σ`` (rows) and ``G = D_c^-1/2 V Σ``
(columns); a point's contribution to an axis is ``mass · coord² / eigenvalue`` and its quality
(cos²) ``coord² / squared distance to the centroid``.  Each axis' sign is fixed so that the
column with the largest absolute coordinate on it is positive (ties: the first such column), so
the same table always gives the same picture.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from interview_lens.errors import InputError


@dataclass(frozen=True)
class CAResult:
    """The result of :func:`stat_ca`.

    ``eigenvalues``: ``dim, eigenvalue, inertia_pct, cumulative_pct`` (every non-trivial axis).
    ``rows`` / ``columns``: ``label, mass, dim1..dimK`` (principal coordinates), ``contrib_1..K``
    (% of the axis' inertia), ``cos2_1..K`` (share of the point's inertia on the axis).
    ``dropped``: row and column labels left out because their total is 0.
    """

    eigenvalues: pd.DataFrame
    rows: pd.DataFrame
    columns: pd.DataFrame
    total_inertia: float
    dropped: dict = field(default_factory=dict)


def stat_ca(table: pd.DataFrame, *, n_components: int = 2) -> CAResult:
    """Correspondence analysis of a non-negative table (terms x parts, classes, speakers...).

    Parameters
    ----------
    table : counts, rows and columns labelled; rows or columns that sum to 0 are left out
        (listed in ``.dropped``).
    n_components : how many axes get coordinates in ``.rows`` / ``.columns``.

    Returns a :class:`CAResult` (see there for the columns).
    """
    values = table.to_numpy(dtype=float)
    if values.ndim != 2 or not np.isfinite(values).all() or (values < 0).any():
        raise InputError(None, "correspondence analysis needs a finite, non-negative table")
    row_ok, col_ok = values.sum(axis=1) > 0, values.sum(axis=0) > 0
    dropped = {"rows": [str(x) for x in table.index[~row_ok]],
               "columns": [str(x) for x in table.columns[~col_ok]]}
    values = values[row_ok][:, col_ok]
    row_labels = [str(x) for x in table.index[row_ok]]
    col_labels = [str(x) for x in table.columns[col_ok]]
    if min(values.shape) < 2:
        raise InputError(None, "correspondence analysis needs at least 2 non-empty rows and "
                               f"2 non-empty columns, got {values.shape[0]} x {values.shape[1]}")
    p = values / values.sum()
    r, c = p.sum(axis=1), p.sum(axis=0)
    s = (p - np.outer(r, c)) / np.sqrt(np.outer(r, c))
    u, sigma, vt = np.linalg.svd(s, full_matrices=False)  # exact (LAPACK gesdd)
    n_dims = min(values.shape) - 1  # the trivial axis is already removed by centring
    u, sigma, v = u[:, :n_dims], sigma[:n_dims], vt[:n_dims].T
    f = u * sigma / np.sqrt(r)[:, None]
    g = v * sigma / np.sqrt(c)[:, None]
    # sign rule: the column farthest from the origin on an axis lies on its positive side
    flip = np.sign(g[np.argmax(np.abs(g), axis=0), np.arange(n_dims)])
    flip[flip == 0] = 1.0
    f, g = f * flip, g * flip
    eig = sigma ** 2
    total = float(eig.sum())
    pct = 100 * eig / total if total > 0 else np.zeros_like(eig)
    eigen = pd.DataFrame({"dim": np.arange(1, n_dims + 1), "eigenvalue": eig,
                          "inertia_pct": pct, "cumulative_pct": np.cumsum(pct)})
    k = min(n_components, n_dims)
    return CAResult(eigen, _points(row_labels, r, f, eig, k), _points(col_labels, c, g, eig, k),
                    total, dropped)


def _points(labels: list[str], mass: np.ndarray, coord: np.ndarray, eig: np.ndarray,
            k: int) -> pd.DataFrame:
    dist2 = (coord ** 2).sum(axis=1)
    out = {"label": labels, "mass": mass}
    for d in range(k):
        out[f"dim{d + 1}"] = coord[:, d]
    for d in range(k):
        out[f"contrib_{d + 1}"] = (100 * mass * coord[:, d] ** 2 / eig[d] if eig[d] > 0
                                   else np.zeros(len(labels)))
    for d in range(k):
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"cos2_{d + 1}"] = np.where(dist2 > 0, coord[:, d] ** 2 / dist2, 0.0)
    return pd.DataFrame(out)


def lexical_table(tokens: pd.DataFrame, *, by: str = "qa_id", min_frequency: int = 5,
                  max_terms: int | None = 200) -> pd.DataFrame:
    """The terms x parts count table of content lemmas that :func:`stat_ca` takes.

    Parameters
    ----------
    tokens : a token table; stopwords are left out, so is the narration (``qa_id`` 0) when
        ``by="qa_id"``.
    by : the parts: ``qa_id``, ``theme``, ``speaker``, ``doc_id`` or any token column.
    min_frequency : a lemma counted fewer times is left out (too rare to place reliably).
    max_terms : the most frequent lemmas only (ties: alphabetical); ``None``: all.

    Returns counts, one row per lemma (index ``term``), one column per part, parts in order
    of first appearance.
    """
    words = tokens[~tokens["is_stop"].astype(bool) & (tokens["lemma"].astype(str) != "")]
    if by == "qa_id":
        words = words[words["qa_id"] >= 1]
    if by not in words.columns:
        raise InputError(None, f"the token table has no column {by!r}")
    table = pd.crosstab(words["lemma"].astype(str), words[by])
    table = table[list(dict.fromkeys(words[by]))]
    totals = table.sum(axis=1)
    table = table[totals >= min_frequency]
    order = sorted(table.index, key=lambda t: (-totals[t], t))
    if max_terms is not None:
        order = order[:max_terms]
    table = table.loc[sorted(order)]
    table.index.name, table.columns.name = "term", by
    return table
