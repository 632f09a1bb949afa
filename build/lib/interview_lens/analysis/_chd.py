"""The splitting engine of Reinert's descending hierarchical classification, on sparse 0/1 rows.

It follows rainette (Barnier, ``R/rainette.R`` and ``src/Rcpp_functions.cpp``), itself after
Reinert (1983, 1990): order the rows on the first axis of a correspondence analysis, cut where
the χ² of the 2 x terms table of the two groups' column sums is largest, move rows one at a time
to the other group while that χ² rises, then keep in each group the terms it still
characterises (contingency coefficient test, ``cc_test`` 0.3, ``tsj`` 3).

Everything is vectorised over the non-zeros.  With ``T1`` a group's column sums, ``T`` the
totals, ``n1`` and ``N`` the group's and the table's sums, the 2 x p χ² is
``(Q - n1²/N) N² / (n1 (N - n1))`` with ``Q = Σ_j T1_j² / T_j`` (expand ``Σ (O - E)²/E``
using ``T2 = T - T1``), so every cut along the CA order is one cumulative sum, and every
one-row move is one sparse product.  One deliberate difference: rainette's ``switch_docs``
picks the moved row as ``indices[which.max(chisq)]``, the CA order, whereas its χ² values are
in group order; after the first move these differ, and here the row that raises χ² most moves.
"""
from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.linalg import eigh
from scipy.sparse.linalg import LinearOperator, eigsh

# up to this many terms (an interview's table) the p x p Gram matrix is solved exactly by LAPACK;
# above it ARPACK from a fixed start vector, 10x faster at 2,000 terms x 100,000 segments and
# equal to LAPACK there to 1e-13 (the benchmark's matrix: same row order)
DENSE_MAX_TERMS = 500


def first_axis(m: sparse.csr_matrix) -> np.ndarray:
    """Row coordinates on the first CA axis of a 0/1 matrix without empty rows or columns.

    The axis is the top eigenvector of ``S^T S`` (``S`` the standardised residuals), computed
    exactly (LAPACK) for up to ``DENSE_MAX_TERMS`` terms, else by ARPACK (tolerance 1e-10) from a
    constant start vector, which makes it deterministic.  Sign rule: the row farthest from the origin lies on the negative
    side, so the first class of a split holds the most extreme rows (on rainette's test matrix
    this gives rainette's own numbering).
    """
    total = float(m.sum())
    r = np.asarray(m.sum(axis=1)).ravel() / total
    c = np.asarray(m.sum(axis=0)).ravel() / total
    # A = D_r^-1/2 P D_c^-1/2; S = A - sqrt(r) sqrt(c)^T
    a = sparse.diags(1 / np.sqrt(r)) @ (m.astype(float) / total) @ sparse.diags(1 / np.sqrt(c))
    a = a.tocsr()
    sc = np.sqrt(c)
    p = m.shape[1]
    if p <= DENSE_MAX_TERMS:
        gram = (a.T @ a).toarray() - np.outer(sc, sc)
        _, vec = eigh(gram, subset_by_index=[p - 1, p - 1])
        v = vec[:, 0]
    else:
        op = LinearOperator((p, p), dtype=float,
                            matvec=lambda x: a.T @ (a @ x) - sc * (sc @ x))
        _, vec = eigsh(op, k=1, which="LA", v0=np.ones(p) / np.sqrt(p), tol=1e-10)
        v = vec[:, 0]
    sv = a @ v - np.sqrt(r) * (sc @ v)
    coord = sv / np.sqrt(r)
    if coord[np.argmax(np.abs(coord))] > 0:
        coord = -coord
    return coord


def _chi2(q: np.ndarray, n1: np.ndarray, n: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (q - n1 ** 2 / n) * n ** 2 / (n1 * (n - n1))
    out[(n1 <= 0) | (n1 >= n)] = -np.inf
    return out


def best_cut(m: sparse.csr_matrix, order: np.ndarray) -> tuple[int, float]:
    """The number of rows, taken in ``order``, of the first group at the largest χ², and it."""
    tsum = np.asarray(m.sum(axis=0)).ravel().astype(float)
    mc = m[order].tocsc()
    mc.sort_indices()
    cols = np.repeat(np.arange(mc.shape[1]), np.diff(mc.indptr))
    rank = np.arange(mc.nnz) - mc.indptr[cols]  # rows of this column already in group 1
    dq = np.bincount(mc.indices, weights=(2 * rank + 1) / tsum[cols], minlength=mc.shape[0])
    q = np.cumsum(dq)
    n1 = np.cumsum(np.asarray(m.sum(axis=1)).ravel()[order]).astype(float)
    chi = _chi2(q, n1, float(tsum.sum()))
    i = int(np.argmax(chi))  # first maximum, as rainette's strict ">"
    return i + 1, float(chi[i])


def switch_rows(m: sparse.csr_matrix, in1: np.ndarray, chi: float) -> tuple[np.ndarray, float]:
    """Move one row at a time to the other group while that raises the χ²; the final groups."""
    in1 = in1.copy()
    mc = m.tocsc()
    tsum = np.asarray(m.sum(axis=0)).ravel().astype(float)
    n = float(tsum.sum())
    size = np.asarray(m.sum(axis=1)).ravel().astype(float)
    inv = 1.0 / tsum
    t1 = np.asarray(m[in1].sum(axis=0)).ravel().astype(float)
    q = float((t1 ** 2 * inv).sum())
    n1 = float(t1.sum())
    a = m @ (t1 * inv)  # Σ_j∈row T1_j / T_j
    b = m @ inv  # Σ_j∈row 1 / T_j
    while True:
        sign = np.where(in1, -1.0, 1.0)
        q_new = q + sign * 2 * a + b
        chis = _chi2(q_new, n1 + sign * size, n)
        i = int(np.argmax(chis))
        if not chis[i] > chi * (1 + 1e-12):  # float noise must not move rows back and forth
            return in1, chi
        s = sign[i]
        cols = m.indices[m.indptr[i]:m.indptr[i + 1]]
        t1[cols] += s
        q, n1, chi = float(q_new[i]), n1 + s * size[i], float(chis[i])
        a += s * (mc[:, cols] @ inv[cols])
        in1[i] = not in1[i]


def keep_terms(m: sparse.csr_matrix, in1: np.ndarray, *, cc_test: float = 0.3,
               tsj: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Terms kept in each group (rainette's ``select_features``): those seen ``tsj`` times in
    it, and when their contingency coefficient exceeds ``cc_test`` only in the group where they
    are over-represented."""
    tab1 = np.asarray(m[in1].sum(axis=0)).ravel().astype(float)
    tab2 = np.asarray(m[~in1].sum(axis=0)).ravel().astype(float)
    tot = tab1 + tab2
    prop = tot / tot.sum()
    e1, e2 = prop * tab1.sum(), prop * tab2.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        chi = np.nan_to_num((tab1 - e1) ** 2 / e1) + np.nan_to_num((tab2 - e2) ** 2 / e2)
    cc = np.sqrt(chi / (chi + tot))
    low = cc <= cc_test
    keep1 = (tab1 >= tsj) & (low | (tab1 > e1))
    keep2 = (tab2 >= tsj) & (low | (tab2 > e2))
    return keep1, keep2


def split(m: sparse.csr_matrix, *, cc_test: float = 0.3, tsj: int = 3):
    """One Reinert split of a 0/1 matrix without empty rows or columns.

    Returns ``(in1, chi2, keep1, keep2)``: the rows of the first group (the low side of the CA
    axis), the split's χ² after the moves, and the terms each group keeps.
    """
    order = np.argsort(first_axis(m), kind="stable")
    cut, chi = best_cut(m, order)
    in1 = np.zeros(m.shape[0], dtype=bool)
    in1[order[:cut]] = True
    in1, chi = switch_rows(m, in1, chi)
    keep1, keep2 = keep_terms(m, in1, cc_test=cc_test, tsj=tsj)
    return in1, chi, keep1, keep2


def classify(m: sparse.csr_matrix, *, k: int = 10, min_split_members: int = 5,
             cc_test: float = 0.3, tsj: int = 3) -> tuple[np.ndarray, list[dict], dict, dict]:
    """Descending classification of the rows of ``m`` into at most ``k`` classes.

    The largest class (in rows) is split next; the classification stops when it has fewer than
    ``min_split_members`` rows or fewer than 3 rows or terms (rainette's rules).  Rows left without
    a term when their class is split are not classified.  Returns the class of each row (1..,
    in the dendrogram's leaf order; 0 = not classified), the splits in order (``step, node, left,
    right, chi2, n_left, n_right``; node 0 is the root), ``{leaf node: class}`` and
    ``{node: rows}`` (the rows each node held when it was made, for the double classification).
    """
    m = sparse.csr_matrix(m, dtype=np.int8)
    m.data[:] = 1
    leaves = [(np.arange(m.shape[0]), np.arange(m.shape[1]), 0)]  # rows, terms, node
    splits: list[dict] = []
    members = {0: leaves[0][0]}
    next_node = 1
    for step in range(1, k):
        big = int(np.argmax([len(rows) for rows, _, _ in leaves]))
        rows, cols, node = leaves[big]
        if len(rows) < max(min_split_members, 3) or len(cols) < 3:
            break
        sub = m[rows][:, cols].tocsr()
        live_r = np.asarray(sub.sum(axis=1)).ravel() > 0
        live_c = np.asarray(sub.sum(axis=0)).ravel() > 0
        sub = sub[live_r][:, live_c].tocsr()
        if min(sub.shape) < 2:
            break
        rows, cols = rows[live_r], cols[live_c]
        in1, chi, keep1, keep2 = split(sub, cc_test=cc_test, tsj=tsj)
        left, right = next_node, next_node + 1
        next_node += 2
        splits.append({"step": step, "node": node, "left": left, "right": right,
                       "chi2": chi, "n_left": int(in1.sum()), "n_right": int((~in1).sum())})
        leaves[big:big + 1] = [(rows[in1], cols[keep1], left), (rows[~in1], cols[keep2], right)]
        members[left], members[right] = rows[in1], rows[~in1]
    classes = np.zeros(m.shape[0], dtype=np.int64)
    for number, (rows, _, node) in enumerate(leaves, start=1):
        classes[rows] = number
    classes[np.asarray(m.sum(axis=1)).ravel() == 0] = 0  # a row without a term has no class
    leaf_class = {node: number for number, (_, _, node) in enumerate(leaves, start=1)}
    return classes, splits, leaf_class, members
