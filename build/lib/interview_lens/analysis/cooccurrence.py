"""Concept co-occurrence: which ideas are voiced in the same unit, several measures side by side.

For every pair of concepts ``a < b`` the 2 x 2 table over the ``N`` units is::

                 b in unit     b not in unit
    a in unit    n_ab          n_a - n_ab
    a not        n_b - n_ab    N - n_a - n_b + n_ab

and the measures are, with ``p(x) = n_x / N``:

* ``jaccard = n_ab / (n_a + n_b - n_ab)`` and ``dice = 2 n_ab / (n_a + n_b)``: overlap, in
  [0, 1], blind to ``N`` (KH Coder's default is Jaccard);
* ``pmi = log2(n_ab N / (n_a n_b))`` (Church & Hanks 1990): ``-inf`` when ``n_ab = 0``;
* ``npmi = pmi / -log2(n_ab / N)`` (Bouma 2009), in [-1, 1]: ``-1`` when ``n_ab = 0`` (never
  together), ``1`` when ``n_ab = N`` (together in every unit, where the formula is 0/0);
* ``g2``: the log-likelihood ratio ``2 Σ O ln(O / E)`` over the four cells (Dunning 1993), with
  ``p_value`` from chi-square with 1 df.  It is two-sided: a pair seen together *less* often
  than expected (``n_ab < expected_ab``) can be significant too;
* ``fisher_p``: Fisher's exact test, one-sided (``alternative="greater"``: together more often
  than chance), computed where an expected cell is below 5, i.e. where chi-square
  approximations are not to be trusted (Cochran's rule); ``NaN`` elsewhere.  Computed as the
  hypergeometric upper tail ``P(X >= n_ab)``, which is exactly what
  ``scipy.stats.fisher_exact(table, alternative="greater")`` returns, vectorised over pairs;
* ``expected_ab = n_a n_b / N``: the count under independence.

Every number can be traced: :func:`interview_lens.analysis.units.unit_matrix` gives the units, the hits
table gives the words, :func:`interview_lens.analysis.kwic.concordance` shows them in context.
"""
from __future__ import annotations

from typing import Literal, Sequence

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import xlogy

from interview_lens.analysis.units import Unit, unit_matrix

Measure = Literal["n_ab", "jaccard", "dice", "pmi", "npmi", "g2", "expected_ab"]
MEASURES: tuple[str, ...] = ("n_ab", "jaccard", "dice", "pmi", "npmi", "g2", "expected_ab")
PAIR_COLUMNS = ["concept_a", "concept_b", "n_ab", "n_a", "n_b", "n_units", "expected_ab",
                "jaccard", "dice", "pmi", "npmi", "g2", "p_value", "fisher_p"]


def pair_measures(n_ab: np.ndarray, n_a: np.ndarray, n_b: np.ndarray, n: int) -> dict:
    """All measures for arrays of pair counts (vectorised; NaN where a concept is absent)."""
    n_ab, n_a, n_b = (np.asarray(v, dtype=float) for v in (n_ab, n_a, n_b))
    with np.errstate(divide="ignore", invalid="ignore"):
        union = n_a + n_b - n_ab
        jaccard = np.where(union > 0, n_ab / union, np.nan)
        dice = np.where(n_a + n_b > 0, 2 * n_ab / (n_a + n_b), np.nan)
        expected = n_a * n_b / n if n else np.full_like(n_ab, np.nan)
        defined = (n_a > 0) & (n_b > 0) & (n > 0)
        pmi = np.where(defined, np.log2(n_ab * n / (n_a * n_b)), np.nan)
        p_ab = n_ab / n if n else np.full_like(n_ab, np.nan)
        npmi = np.where(n_ab == 0, -1.0, np.where(p_ab >= 1, 1.0, pmi / -np.log2(p_ab)))
        # NPMI is bounded by [-1, 1] (Bouma 2009); clipping only removes rounding (1 + 2e-16
        # when n_ab = n_a = n_b), so that "perfect association" reads exactly 1
        npmi = np.where(defined, np.clip(npmi, -1.0, 1.0), np.nan)
        observed = np.stack([n_ab, n_a - n_ab, n_b - n_ab, n - n_a - n_b + n_ab])
        row = np.stack([n_a, n_a, n - n_a, n - n_a])
        col = np.stack([n_b, n - n_b, n_b, n - n_b])
        exp_cells = row * col / n if n else np.full_like(observed, np.nan)
        # xlogy(0, 0) = 0: an empty cell contributes nothing, as in Dunning's definition.
        g2 = 2 * np.sum(xlogy(observed, observed) - xlogy(observed, exp_cells), axis=0)
        g2 = np.where(defined, np.maximum(g2, 0.0), np.nan)  # rounding can give -1e-16
        p_value = np.where(defined, stats.chi2.sf(g2, 1), np.nan)
        small = defined & (exp_cells < 5).any(axis=0)
        fisher = np.full_like(n_ab, np.nan)
        if small.any():
            fisher[small] = stats.hypergeom.sf(n_ab[small] - 1, n, n_a[small], n_b[small])
            fisher[small] = np.clip(fisher[small], 0.0, 1.0)
    return {"expected_ab": expected, "jaccard": jaccard, "dice": dice, "pmi": pmi,
            "npmi": npmi, "g2": g2, "p_value": p_value, "fisher_p": fisher}


def pair_table(counts: np.ndarray, names: Sequence[str], n: int) -> pd.DataFrame:
    """The pair rows (``PAIR_COLUMNS``) from a concept x concept count matrix over ``n`` units.

    ``counts`` is ``XᵀX`` of a binary unit x concept matrix: ``n_ab`` off the diagonal, ``n_a``
    on it; ``names`` label its rows.  Concepts are sorted by id, pairs are ``concept_a <
    concept_b``; ``attrs["concept_totals"]`` maps each concept to its ``n_a``.  Shared by
    :func:`stat_cooccurrence` and the corpus statistics (which sum ``counts`` over partitions).
    """
    names = np.asarray(names, dtype=object)
    order = np.argsort(names, kind="stable")
    counts, names = np.asarray(counts)[np.ix_(order, order)], names[order]
    ia, ib = np.triu_indices(len(names), k=1)
    n_a = np.diag(counts)
    pairs = pd.DataFrame({
        "concept_a": pd.array(names[ia], dtype="str"),
        "concept_b": pd.array(names[ib], dtype="str"),
        "n_ab": counts[ia, ib].astype(np.int64),
        "n_a": n_a[ia].astype(np.int64),
        "n_b": n_a[ib].astype(np.int64),
        "n_units": np.full(len(ia), n, dtype=np.int64),
    })
    for name, values in pair_measures(pairs["n_ab"], pairs["n_a"], pairs["n_b"], n).items():
        pairs[name] = values
    pairs = pairs[PAIR_COLUMNS]
    pairs.attrs = {"concept_totals": dict(zip(map(str, names), map(int, n_a)))}
    return pairs


def stat_cooccurrence(hits: pd.DataFrame, tokens: pd.DataFrame, *, unit: Unit = "qa",
                      window: int = 5, concepts: Sequence[str] | None = None,
                      min_n_ab: int = 0) -> pd.DataFrame:
    """Co-occurrence of every pair of concepts in the chosen units, with several measures.

    Parameters
    ----------
    hits : from :func:`interview_lens.analysis.concepts.code_concepts`.
    tokens : the token table the hits come from (it defines the units, those without any
        concept included).
    unit : ``sentence``, ``paragraph``, ``turn``, ``qa`` (question + answer) or ``window``
        (``±window`` tokens around every token; see :func:`~interview_lens.analysis.units.unit_matrix`).
    concepts : restrict to (and order by) these ids; default every concept with a hit.
    min_n_ab : drop pairs seen together in fewer units.

    Returns
    -------
    One row per pair, ``concept_a < concept_b`` (alphabetical): ``concept_a, concept_b, n_ab,
    n_a, n_b, n_units, expected_ab, jaccard, dice, pmi, npmi, g2, p_value, fisher_p`` (see the
    module docstring for the definitions and edge cases).  ``attrs`` hold ``unit``, ``window``,
    ``n_units`` and the dictionary's labels and colours for the figures.
    """
    x, units, cindex = unit_matrix(hits, tokens, unit=unit, window=window, concepts=concepts)
    n = x.shape[0]
    pairs = pair_table((x.T @ x).toarray(), cindex, n)
    totals = pairs.attrs["concept_totals"]
    if min_n_ab:
        pairs = pairs[pairs["n_ab"] >= min_n_ab].reset_index(drop=True)
    pairs.attrs = {**{k: v for k, v in hits.attrs.items() if k != "dictionary"},
                   "unit": unit, "window": window if unit == "window" else None,
                   "n_units": n, "concept_totals": totals,
                   "doc_id": ", ".join(map(str, units.levels[0]))}
    return pairs


def cooccurrence_matrix(pairs: pd.DataFrame, measure: Measure | str = "npmi") -> pd.DataFrame:
    """The pair table as a square, symmetric concept x concept DataFrame of one measure.

    The diagonal is ``n_a`` for ``n_ab`` (a concept co-occurs with itself in every unit where it
    is voiced) and ``NaN`` for the other measures (self-association is not informative).
    Concepts are ordered as in ``attrs["concepts"]`` (the dictionary), else alphabetically.
    """
    if measure not in pairs.columns or measure in ("concept_a", "concept_b"):
        raise ValueError(f"measure must be a column of the pair table, such as {MEASURES}; "
                         f"not {measure!r}")
    present = set(pairs["concept_a"].astype(str)) | set(pairs["concept_b"].astype(str))
    totals = pairs.attrs.get("concept_totals", {})
    present |= set(totals)
    known = [c for c in pairs.attrs.get("concepts", []) if c in present]
    names = known + sorted(present - set(known))
    m = pd.DataFrame(np.nan, index=pd.Index(names, name="concept", dtype="str"),
                     columns=pd.Index(names, name="concept", dtype="str"))
    a, b = pairs["concept_a"].astype(str), pairs["concept_b"].astype(str)
    ia, ib = m.index.get_indexer(a), m.columns.get_indexer(b)
    values = m.to_numpy(copy=True)
    values[ia, ib] = pairs[measure].to_numpy(dtype=float)
    values[ib, ia] = pairs[measure].to_numpy(dtype=float)
    if measure == "n_ab":
        diag = {**dict(zip(a, pairs["n_a"])), **dict(zip(pairs["concept_b"].astype(str),
                                                          pairs["n_b"])), **totals}
        for i, c in enumerate(names):
            values[i, i] = diag.get(c, np.nan)
    out = pd.DataFrame(values, index=m.index, columns=m.columns)
    out.attrs = dict(pairs.attrs, measure=measure)
    return out
