"""Units of analysis (sentence, paragraph, turn, Q/A pair, window of tokens) and the sparse
unit x concept presence matrix that :mod:`interview_lens.analysis.cooccurrence` works on."""
from __future__ import annotations

from typing import Literal, Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from interview_lens.analysis.concepts import _check_tokens

Unit = Literal["sentence", "paragraph", "turn", "qa", "window"]
UNITS: tuple[str, ...] = ("sentence", "paragraph", "turn", "qa", "window")
_UNIT_COLUMN = {"sentence": "sentence_id", "paragraph": "paragraph_id", "turn": "turn_id",
                "qa": "qa_id", "window": "position"}
_SHIFT = np.int64(40)  # unit ids below 2**40; document codes above
_MASK = np.int64((1 << 40) - 1)


# --------------------------------------------------------------------------- unit matrices
def _concept_order(hits: pd.DataFrame, concepts: Sequence[str] | None) -> list[str]:
    if concepts is not None:
        return list(dict.fromkeys(concepts))
    present = {str(c) for c in pd.unique(hits["concept"])}  # per type, not per hit
    known = [c for c in hits.attrs.get("concepts", []) if c in present]
    return known + sorted(present - set(known))


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    """``np.unique`` for int64 by sorting (numpy's hash-based path is several times slower)."""
    if len(a) and not (a[1:] >= a[:-1]).all():
        a = np.sort(a)
    return a[np.r_[True, a[1:] != a[:-1]]] if len(a) else a


def _codes(values: pd.Series, index: pd.Index) -> np.ndarray:
    """Position of each value in ``index`` (-1 if absent), looking each distinct value up once."""
    codes, uniques = pd.factorize(values)
    lookup = index.get_indexer(pd.Index(uniques).astype(str)) if len(uniques) else \
        np.zeros(0, dtype=np.intp)
    out = np.where(codes >= 0, lookup[np.maximum(codes, 0)] if len(lookup) else -1, -1)
    return out.astype(np.int64)


def unit_matrix(hits: pd.DataFrame, tokens: pd.DataFrame, *, unit: Unit = "sentence",
                window: int = 5, concepts: Sequence[str] | None = None,
                ) -> tuple[sparse.csr_matrix, pd.MultiIndex, pd.Index]:
    """Presence (0/1) of each concept in each unit, as a sparse units x concepts matrix.

    Units (every unit counts in the total, also those where no concept is voiced, otherwise the
    association measures are biased upwards):

    * ``sentence`` / ``paragraph``: every sentence / paragraph of the token table (lede
      included);
    * ``turn``: every speaker turn (``turn_id >= 1``; narration outside turns is not a turn);
    * ``qa``: every question/answer pair, question and answer together (``qa_id >= 1``);
    * ``window``: a window of ``±window`` tokens centred on *every* token position (stride 1,
      within a document, stopwords counted), the sliding collocation window of quanteda's
      ``fcm(window=)``/KH Coder.  A concept is in a window when one of its hits overlaps it, so
      two hits ``d`` tokens apart share ``2*window + 1 - d`` windows: nearness is weighted.
      Windows overlap, so significance tests treat them as more independent than they are
      (p-values are optimistic); use the effect sizes (npmi, dice) for windows.

    Returns ``(X, units, concepts)``: ``X`` a ``scipy.sparse.csr_matrix`` of int64 0/1,
    ``units`` a MultiIndex ``(doc_id, <unit column>)`` of its rows, ``concepts`` an Index of its
    columns (``concepts``' order, default: the concepts present in ``hits`` in dictionary order).
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    if unit == "window" and (not isinstance(window, (int, np.integer)) or window < 0):
        raise ValueError(f"window must be a non-negative number of tokens, not {window!r}")
    col = _UNIT_COLUMN[unit]
    _check_tokens(tokens, ("doc_id", col))
    order = _concept_order(hits, concepts)
    cindex = pd.Index(order, name="concept", dtype="str")
    # Units are keyed by one int64 (document code in the high bits, unit id in the low ones):
    # sorting/searching int64 keeps the 50,000-sentence path in milliseconds.
    # one pass over the tokens' doc_id gives both the documents (in order of appearance, as
    # pd.unique) and each token's code: a corpus of 1M tokens pays for it once, not twice
    doc_codes, doc_uniques = pd.factorize(tokens["doc_id"], use_na_sentinel=False)
    doc_names = pd.Index(doc_uniques, dtype="str")
    doc_codes = np.asarray(doc_codes, dtype=np.int64)
    tval = tokens[col].to_numpy(dtype=np.int64)
    keys = (doc_codes << _SHIFT) | tval
    if unit in ("turn", "qa"):
        keys = keys[tval >= 1]
    ukeys = _sorted_unique(keys)
    values = ukeys & _MASK
    levels = _sorted_unique(values)
    units = pd.MultiIndex(levels=[doc_names, levels],
                          codes=[ukeys >> _SHIFT, np.searchsorted(levels, values)],
                          names=["doc_id", col], verify_integrity=False)
    ccode = _codes(hits["concept"], cindex)
    hdoc = _codes(hits["doc_id"], doc_names)
    sel = (ccode >= 0) & (hdoc >= 0)
    ccode, hdoc = ccode[sel], hdoc[sel]
    if unit == "window":
        start = hits["position"].to_numpy(dtype=np.int64)[sel] - window
        end = hits["end_position"].to_numpy(dtype=np.int64)[sel] + window
        lengths = end - start + 1
        rep = np.repeat(np.arange(len(start)), lengths)
        offsets = np.arange(len(rep)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        hval = start[rep] + offsets
        hdoc, ccode = hdoc[rep], ccode[rep]
    else:
        hval = hits[col].to_numpy(dtype=np.int64)[sel]
    hkeys = (hdoc << _SHIFT) | np.where(hval >= 0, hval, _MASK)
    rows = np.searchsorted(ukeys, hkeys)
    inside = rows < len(ukeys)
    inside[inside] = ukeys[rows[inside]] == hkeys[inside]
    # presence, not counts: one entry per distinct (unit, concept), already in CSR order
    n_rows, n_cols = len(ukeys), len(cindex)
    cell = _sorted_unique(rows[inside].astype(np.int64) * max(n_cols, 1) + ccode[inside])
    r, c = np.divmod(cell, max(n_cols, 1))
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(r, minlength=n_rows), out=indptr[1:])
    x = sparse.csr_matrix((np.ones(len(cell), dtype=np.int64), c, indptr),
                          shape=(n_rows, n_cols))
    return x, units, cindex
