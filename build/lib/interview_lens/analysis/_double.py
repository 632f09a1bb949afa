"""Reinert's double classification (rainette2; Barnier, ``R/rainette2.R``; Reinert 1990).

Two classifications of the same segments, on units of two sizes, are crossed: every class of
the first tree (at any level) meets every class of the second; a crossing is kept when it holds
more than ``min_members`` segments and its 2 x 2 χ² (Yates-corrected, as R's ``chisq.test``)
exceeds ``min_chi2``, with the sign + when the two classes share more than chance.  The result
is the set of ``k`` pairwise disjoint crossings with the largest sum of χ² (``criterion="chi2"``,
then the most segments) or the most segments (``"n"``, then χ²): segments outside them, those
on which the two classifications disagree, are left unclassified.  As in rainette2's default
(``full = TRUE``) every crossing is a candidate; ``full=False`` keeps only the mutually best ones.
"""
from __future__ import annotations

import numpy as np

from interview_lens.errors import ConfigError

_MAX_VISITS = 2_000_000  # partitions examined before giving up (full search on a large tree)


def _yates_signed(n_both: np.ndarray, n1: np.ndarray, n2: np.ndarray, n: int) -> np.ndarray:
    """Signed 2 x 2 χ² with R's continuity correction ``min(0.5, |O - E|)``."""
    obs = np.stack([n_both, n1 - n_both, n2 - n_both, n - n1 - n2 + n_both]).astype(float)
    rows = np.stack([n1, n1, n - n1, n - n1]).astype(float)
    cols = np.stack([n2, n - n2, n2, n - n2]).astype(float)
    exp = rows * cols / n
    dev = np.abs(obs[0] - exp[0])
    yates = np.minimum(0.5, dev)
    with np.errstate(divide="ignore", invalid="ignore"):
        chi = np.where(exp.min(axis=0) > 0, ((dev - yates) ** 2 / exp).sum(axis=0), 0.0)
    return np.where(exp[0] > n_both, -chi, chi)


def crossings(members1: dict, members2: dict, n: int, *, min_members: int = 10,
              min_chi2: float = 3.84, full: bool = True) -> list[dict]:
    """The crossings of the two trees' classes that pass the thresholds, in (node1, node2) order."""
    nodes1 = sorted(k for k in members1 if k != 0)
    nodes2 = sorted(k for k in members2 if k != 0)
    m1 = np.zeros((len(nodes1), n), dtype=bool)
    m2 = np.zeros((len(nodes2), n), dtype=bool)
    for i, node in enumerate(nodes1):
        m1[i, members1[node]] = True
    for j, node in enumerate(nodes2):
        m2[j, members2[node]] = True
    both = m1.astype(np.int64) @ m2.T.astype(np.int64)
    n1 = np.broadcast_to(m1.sum(axis=1)[:, None], both.shape)
    n2 = np.broadcast_to(m2.sum(axis=1)[None, :], both.shape)
    chi = _yates_signed(both.ravel(), n1.ravel(), n2.ravel(), n).reshape(both.shape)
    out, seen = [], set()
    for i, j in zip(*np.nonzero((both > min_members) & (chi > min_chi2))):
        rows = np.flatnonzero(m1[i] & m2[j])
        key = rows.tobytes()
        if key in seen:  # the same segments reached at two levels
            continue
        seen.add(key)
        out.append({"node1": nodes1[i], "node2": nodes2[j], "n_both": int(both[i, j]),
                    "chi2": float(chi[i, j]), "rows": rows})
    if not full:  # rainette2's crosstab_keep_max: each the other's best partner
        best1 = {c["node1"]: max((d for d in out if d["node1"] == c["node1"]),
                                 key=lambda d: d["chi2"])["node2"] for c in out}
        best2 = {c["node2"]: max((d for d in out if d["node2"] == c["node2"]),
                                 key=lambda d: d["chi2"])["node1"] for c in out}
        out = [c for c in out if best1[c["node1"]] == c["node2"] and best2[c["node2"]] == c["node1"]]
    return out


def best_partition(groups: list[dict], n: int, *, k: int,
                   criterion: str = "chi2") -> tuple[np.ndarray, list[dict]]:
    """The best set of at most ``k`` pairwise disjoint crossings (the largest size found, up to
    ``k``); returns each segment's class (1.. in the crossings' order, 0 elsewhere) and them."""
    if criterion not in ("chi2", "n"):
        raise ConfigError(None, f"criterion must be 'chi2' or 'n', not {criterion!r}")
    sets = [set(g["rows"].tolist()) for g in groups]
    disjoint = [[not (sets[a] & sets[b]) for b in range(len(groups))] for a in range(len(groups))]
    best: dict[int, tuple] = {}
    visits = 0

    def score(chosen):
        chi = sum(groups[i]["chi2"] for i in chosen)
        size = sum(groups[i]["n_both"] for i in chosen)
        return (chi, size) if criterion == "chi2" else (size, chi)

    def extend(chosen: list[int], start: int) -> None:
        nonlocal visits
        visits += 1
        if visits > _MAX_VISITS:
            raise ConfigError(None, "double classification: too many candidate partitions; use "
                                    "a smaller k, a larger min_members or full=False")
        if chosen:
            s = score(chosen)
            if len(chosen) not in best or s > best[len(chosen)][0]:
                best[len(chosen)] = (s, list(chosen))
        if len(chosen) == k:
            return
        for i in range(start, len(groups)):
            if all(disjoint[i][c] for c in chosen):
                chosen.append(i)
                extend(chosen, i + 1)
                chosen.pop()

    extend([], 0)
    classes = np.zeros(n, dtype=np.int64)
    if not best:
        return classes, []
    _, chosen = best[max(best)]
    for number, i in enumerate(chosen, start=1):
        classes[groups[i]["rows"]] = number
    return classes, [groups[i] for i in chosen]
