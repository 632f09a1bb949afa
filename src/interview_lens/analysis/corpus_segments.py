"""The corpus' text segments, for Reinert's classification of a whole collection.

The map step of ``interview-lens corpus`` (:mod:`interview_lens.analysis.corpus`) cuts each
batch's documents into text segments (:func:`~interview_lens.analysis.segments.text_segments`,
never across a turn) and keeps, per segment, its distinct content lemmas; the reduce step only
concatenates them, in the documents' order.  Notebook 06 then builds the segments x lemmas 0/1
table (:func:`segment_term_table`) and classifies it (:func:`stat_corpus_classes`) as notebook 03
does one document.
"""
from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
from scipy import sparse

from interview_lens.analysis.classes import stat_classes
from interview_lens.analysis.segments import SEGMENT_COLUMNS, segment_of_tokens, text_segments

CORPUS_SEGMENT_COLUMNS = [*SEGMENT_COLUMNS, "lemmas"]
_KEPT = ["doc_id", "qa_id", "turn_id", "speaker", "start_char", "end_char", "text"]


def document_segments(tokens: pd.DataFrame, interviews, *, size: int = 40) -> pd.DataFrame:
    """The text segments of ``interviews`` (their token table ``tokens``), each with ``lemmas``:
    its distinct content lemmas (not stopwords), sorted.  ``segment_id`` counts 1.. within this
    call; :mod:`~interview_lens.analysis.corpus` renumbers them over the corpus."""
    segments = text_segments(tokens, list(interviews), size=size)
    seg = segment_of_tokens(tokens, segments)
    keep = (seg >= 0) & ~tokens["is_stop"].to_numpy(dtype=bool)
    lemmas = tokens["lemma"].astype(str).to_numpy()
    keep &= lemmas != ""
    held = pd.Series(lemmas[keep]).groupby(seg[keep]).agg(lambda s: sorted(set(s)))
    segments["lemmas"] = [held.get(i, []) for i in range(len(segments))]
    segments["qa_id"] = segments["qa_id"].astype("int64")
    segments["turn_id"] = segments["turn_id"].astype("int64")
    return segments[CORPUS_SEGMENT_COLUMNS]


def empty_segments() -> pd.DataFrame:
    """A segments table with no row (the columns of :func:`document_segments`)."""
    return pd.DataFrame({c: pd.Series(dtype="object" if c in ("doc_id", "speaker", "text",
                                                               "lemmas") else "int64")
                         for c in CORPUS_SEGMENT_COLUMNS})


def segment_term_table(segments: pd.DataFrame, *, min_frequency: int = 3,
                       max_terms: int | None = None) -> pd.DataFrame:
    """The segments x lemmas 0/1 table (sparse columns, index ``segment_id``) that
    ``stat_classes`` and ``stat_similarity`` take: lemmas held by at least ``min_frequency``
    segments (IRaMuTeQ's 3), the ``max_terms`` held by most (ties: alphabetical) when given,
    columns sorted."""
    counts = Counter(t for held in segments["lemmas"] for t in held)
    terms = sorted((t for t, n in counts.items() if n >= min_frequency),
                   key=lambda t: (-counts[t], t))
    terms = sorted(terms[:max_terms] if max_terms is not None else terms)
    index = {t: j for j, t in enumerate(terms)}
    rows, cols = [], []
    for i, held in enumerate(segments["lemmas"]):
        for t in held:
            j = index.get(t)
            if j is not None:
                rows.append(i)
                cols.append(j)
    m = sparse.csr_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)),
                          shape=(len(segments), len(terms)))
    table = pd.DataFrame.sparse.from_spmatrix(m, index=segments["segment_id"].to_numpy(),
                                              columns=terms)
    table.index.name = "segment_id"
    return table


def stat_corpus_classes(segments: pd.DataFrame, x: pd.DataFrame, *, k: int = 10,
                        min_split_members: int = 5) -> pd.DataFrame:
    """``stat_classes`` of the corpus' segments (``x = segment_term_table(segments)``), with
    each segment's ``doc_id, qa_id, turn_id, speaker, start_char, end_char, text`` put back
    (the columns of a one-document classification); ``attrs`` as ``stat_classes``'."""
    classes = stat_classes(x, k=k, min_split_members=min_split_members)
    attrs = dict(classes.attrs)
    where = segments.set_index("segment_id")[_KEPT]
    out = pd.concat([classes[["segment_id"]],
                     where.loc[classes["segment_id"]].reset_index(drop=True),
                     classes[["class"]]], axis=1)
    out.attrs = attrs
    return out
