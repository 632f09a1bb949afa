"""Array helpers of the token table: (document, form) pairs coded as one int64
(``document * _KEY + form``), look-ups among such codes, dense numbering."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

_KEY = np.int64(1) << np.int64(32)


def _index_of(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Index in ``keys`` (distinct int64 codes, any order) of each of ``values``; -1 where a
    value is not among them."""
    if not len(keys):
        return np.full(len(values), -1, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    at = np.minimum(np.searchsorted(keys[order], values), len(keys) - 1)
    return np.where(keys[order][at] == values, order[at], -1)


def _dense(values: np.ndarray) -> np.ndarray:
    """1.. numbering of a non-decreasing array (equal values share a number)."""
    if not len(values):
        return values.astype(np.int64)
    return np.concatenate([[1], 1 + np.cumsum(values[1:] != values[:-1])]).astype(np.int64)


class WordTypes(NamedTuple):
    """What each distinct word form (its code) decides: index = the form's code."""

    forms: list[str]  # as written
    norm_of: list[str]
    lemma_of: list[str]
    stop_of: list[bool]


class Spans(NamedTuple):
    """The tokens of a batch, parallel arrays in text order (offsets into the joined text)."""

    starts: np.ndarray
    ends: np.ndarray
    codes: np.ndarray  # the form's code (index into WordTypes)
    tok_doc: np.ndarray  # the document (index into the batch)
    turn_idx: np.ndarray  # the turn (index into the batch's turn arrays)
