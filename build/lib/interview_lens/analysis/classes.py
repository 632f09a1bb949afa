"""Reinert's descending hierarchical classification of text segments (IRaMuTeQ's "CHD",
the R package rainette; Reinert, *Cahiers de l'analyse des données* 8(2), 1983).

The segments of a token table (:func:`~interview_lens.analysis.segments.text_segments`) or
the rows of a segments x terms 0/1 table are split in two again and again: the largest class
next, each split along the first axis of a correspondence analysis where the χ² of the
2 x terms table is largest, then refined by moving one segment at a time while the χ² rises
(see :mod:`interview_lens.analysis._chd`).  Classes read as themes found *from the words*:
:func:`~interview_lens.analysis.class_profiles.stat_class_profiles` says which words make each.
"""
from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse

from interview_lens.analysis import _chd, _double
from interview_lens.analysis.segments import segment_matrix, text_segments
from interview_lens.errors import InputError

CLASS_COLUMNS = ["segment_id", "doc_id", "qa_id", "turn_id", "speaker", "start_char",
                 "end_char", "text", "class"]


def _is_tokens(x: pd.DataFrame) -> bool:
    return {"lemma", "start_char", "end_char", "turn_id", "doc_id"} <= set(x.columns)


def _binary(x: pd.DataFrame) -> sparse.csr_matrix:
    """The 0/1 CSR matrix of a segments x terms table (a sparse-dtype frame stays sparse)."""
    problem = "a segments x terms table must hold non-negative numbers (0/1)"
    if len(x.columns) and all(isinstance(d, pd.SparseDtype) for d in x.dtypes):
        m = sparse.csr_matrix(x.sparse.to_coo())
        values = m.data
    else:
        try:
            values = x.to_numpy().astype(float)
        except (TypeError, ValueError):
            raise InputError(None, problem) from None
        m = sparse.csr_matrix(values)
        values = m.data
    if not np.isfinite(values).all() or (values < 0).any():
        raise InputError(None, problem)
    m.eliminate_zeros()
    m = m.astype(np.int8)
    m.data[:] = 1
    return m


def _merge_units(m: sparse.csr_matrix, turn_keys: np.ndarray, min_size: int) -> np.ndarray:
    """Unit of each segment: consecutive segments of a turn joined until the unit has
    ``min_size`` distinct terms (rainette's ``merge_segments``, within a turn instead of a
    document); a short last unit of a turn joins the one before it."""
    unit = np.arange(m.shape[0])
    if min_size <= 1:
        return unit
    i, n = 0, m.shape[0]
    while i < n:
        j, cols = i, set(m.indices[m.indptr[i]:m.indptr[i + 1]])
        while len(cols) < min_size and j + 1 < n and turn_keys[j + 1] == turn_keys[i]:
            j += 1
            cols |= set(m.indices[m.indptr[j]:m.indptr[j + 1]])
        unit[i:j + 1] = i
        if len(cols) < min_size and i > 0 and turn_keys[i - 1] == turn_keys[i]:
            unit[i:j + 1] = unit[i - 1]
        i = j + 1
    return unit


def stat_classes(x: pd.DataFrame, *, texts=None, k: int = 10, min_segment_size: int = 0,
                 min_split_members: int = 5, size: int = 40, min_words: int = 10,
                 min_frequency: int = 3, cc_test: float = 0.3, tsj: int = 3,
                 double: tuple[int, int] | None = None, min_members: int = 10,
                 min_chi2: float = 3.84, criterion: Literal["chi2", "n"] = "chi2",
                 full: bool = True) -> pd.DataFrame:
    """Classes of text segments by Reinert's descending hierarchical classification.

    Parameters
    ----------
    x : a token table (``tokens_from``; segments are cut with ``text_segments``) or a
        segments x terms table of 0/1 (one row per segment, its index the segment ids).
    texts : for a token table, the text(s) its offsets point into (``interview``,
        ``interview.text``, a list of interviews or ``{doc_id: text}``).
    k : the largest number of classes (IRaMuTeQ and rainette: 10).
    min_segment_size : consecutive segments of one turn are classified together until they
        hold this many distinct terms (rainette's ``min_segment_size``; 0: never).
    min_split_members : a largest class with fewer segments stops the classification.
    size, min_words : the segments' target and smallest length in words.
    min_frequency : terms kept when in at least this many segments (token table only).
    cc_test, tsj : rainette's term selection after each split.
    double : two unit sizes (rainette2's ``min_segment_size1, min_segment_size2``, e.g.
        ``(10, 15)``) for Reinert's double classification: both trees are crossed and the ``k``
        disjoint crossings with the best ``criterion`` kept (see ``_double``); the segments
        the two disagree on are left unclassified.  ``min_members``, ``min_chi2`` and ``full``
        are rainette2's options of the same names.

    Returns one row per segment: ``segment_id`` and, for a token table, ``doc_id, qa_id,
    turn_id, speaker, start_char, end_char, text``, then ``class`` (1..k in the dendrogram's
    leaf order; 0: not classified, no term left).  ``.attrs``: ``splits`` (``step, node, left,
    right, chi2, n_left, n_right``, node 0 the root, in split order), ``leaf_class``
    (``{node: class}``), ``terms`` (the matrix' columns), ``n_classes``, ``doc_id``,
    ``options`` (the parameters, for the manifest).  A double
    classification has no single tree (``splits`` empty) and ``attrs["double"]``: the sizes
    and, per class, the crossed nodes of the two trees, ``n_both`` and ``chi2``.
    """
    if k < 1:
        raise InputError(None, f"k must be at least 1, not {k}")
    if _is_tokens(x):
        if texts is None:
            raise InputError(None, "stat_classes on a token table needs texts= (the interview)")
        segments = text_segments(x, texts, size=size, min_words=min_words)
        m, terms = segment_matrix(x, segments, min_frequency=min_frequency)
        out = segments[CLASS_COLUMNS[:-1]].copy()
        keys = (segments["doc_id"].astype(str) + "\x1f" + segments["turn_id"].astype(str))
        keys = keys.to_numpy()
    else:
        m = _binary(x)
        terms = [str(c) for c in x.columns]
        out = pd.DataFrame({"segment_id": x.index.to_numpy()})
        keys = np.zeros(m.shape[0])
    options = {"k": k, "min_split_members": min_split_members, "cc_test": cc_test, "tsj": tsj}
    extra = {}
    if double is None:
        classes, splits, leaf_class, _ = _classify(m, keys, min_segment_size, **options)
        if not (classes > 0).any():  # no segment holds a term: no class at all
            leaf_class = {}
        n_classes = len(leaf_class)
    else:
        one, two = (_classify(m, keys, s, **options)[3] for s in double)
        groups = _double.crossings(one, two, m.shape[0], min_members=min_members,
                                   min_chi2=min_chi2, full=full)
        classes, chosen = _double.best_partition(groups, m.shape[0], k=k, criterion=criterion)
        splits, leaf_class, n_classes = [], {}, len(chosen)
        extra["double"] = {"min_segment_size": list(double), "criterion": criterion,
                           "classes": [{"class": i, "node1": int(g["node1"]),
                                        "node2": int(g["node2"]), "n_both": g["n_both"],
                                        "chi2": g["chi2"]} for i, g in enumerate(chosen, 1)]}
    out["class"] = classes
    out = out.reset_index(drop=True)
    doc_ids = list(dict.fromkeys(out["doc_id"].astype(str))) if "doc_id" in out else []
    out.attrs.update({"splits": splits, "leaf_class": leaf_class, "terms": terms,
                      "n_classes": n_classes, "unit": "segment", **extra,
                      "doc_id": doc_ids[0] if len(doc_ids) == 1 else "",
                      "min_frequency": min_frequency,
                      "options": {"k": k, "min_segment_size": min_segment_size,
                                  "min_split_members": min_split_members, "size": size,
                                  "min_words": min_words, "min_frequency": min_frequency,
                                  "cc_test": cc_test, "tsj": tsj,
                                  "double": list(double) if double else None}})
    return out


def _classify(m: sparse.csr_matrix, keys: np.ndarray, min_segment_size: int, **options):
    """Classify the units of ``min_segment_size`` made of the segments (rows of ``m``);
    returns per segment: classes, and the tree's splits, leaf classes and node members."""
    unit = _merge_units(m, keys, min_segment_size)
    codes, first = np.unique(unit, return_inverse=True)
    # the units' matrix: a term is present in a unit when in one of its segments
    grouping = sparse.csr_matrix((np.ones(len(unit)), (first, np.arange(len(unit)))),
                                 shape=(len(codes), len(unit)))
    um = (grouping @ m).tocsr()
    um.data[:] = 1
    classes, splits, leaf_class, members = _chd.classify(um, **options)
    segments = {node: np.flatnonzero(np.isin(first, rows)) for node, rows in members.items()}
    return classes[first], splits, leaf_class, segments


def class_matrix(classes: pd.DataFrame, x: pd.DataFrame) -> tuple[sparse.csr_matrix, list[str]]:
    """The segment x term 0/1 matrix behind ``classes`` (its rows in ``classes``' order)."""
    if _is_tokens(x):
        return segment_matrix(x, classes, min_frequency=classes.attrs.get("min_frequency", 3))
    m = _binary(x.loc[classes["segment_id"]])
    return m, [str(c) for c in x.columns]
