"""Text segments of about 40 words and their binary segment x lemma matrix (Reinert's units).

Reinert's method (Alceste, IRaMuTeQ, the R package rainette) classifies *text segments*
("unités de contexte élémentaires") of a few dozen words, not whole answers.  The cut follows
rainette's ``split_segments``: within a window of ``size ± 0.4 size`` words the cut goes after
the word that maximises ``weight / (|i - size| + 1)``, with the punctuation after the word
weighing ``.?!…`` 6, ``:`` 5, ``;`` 4, ``,`` 1 and none 0.01 (Barnier, rainette,
``R/split_segments.R``).  Unlike rainette, a segment never crosses a turn (a question and its
answer are different speech), and the punctuation is read in the document text between the
tokens, since the token table has none.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import sparse

from interview_lens.errors import InputError

SEGMENT_COLUMNS = ["segment_id", "doc_id", "qa_id", "turn_id", "speaker", "start_char",
                   "end_char", "n_words", "text"]
_WEIGHTS = {".": 6.0, "?": 6.0, "!": 6.0, "…": 6.0, ":": 5.0, ";": 4.0, ",": 1.0}
_NO_PUNCT = 0.01
_NEEDED = ["doc_id", "qa_id", "turn_id", "speaker", "start_char", "end_char"]


def _texts_by_doc(tokens: pd.DataFrame, texts) -> dict[str, str]:
    docs = list(dict.fromkeys(tokens["doc_id"].astype(str)))
    if isinstance(texts, str):
        if len(docs) > 1:
            raise InputError(None, "one text given for several documents; pass {doc_id: text}")
        return {d: texts for d in docs}
    if hasattr(texts, "text") and hasattr(texts, "doc_id"):  # an Interview
        return {str(texts.doc_id): texts.text}
    if isinstance(texts, Mapping):
        out = {str(k): (v.text if hasattr(v, "text") else str(v)) for k, v in texts.items()}
    else:  # several Interviews
        out = {str(iv.doc_id): iv.text for iv in texts}
    missing = [d for d in docs if d not in out]
    if missing:
        raise InputError(None, f"no text given for document(s) {', '.join(missing)}")
    return out


def _gap_weights(text: str, ends: np.ndarray, next_starts: np.ndarray) -> np.ndarray:
    """The strongest punctuation weight in the text between each token and the next."""
    out = np.full(len(ends), _NO_PUNCT)
    for i, (a, b) in enumerate(zip(ends.tolist(), next_starts.tolist())):
        best = _NO_PUNCT
        for ch in text[a:b]:
            w = _WEIGHTS.get(ch)
            if w is not None and w > best:
                best = w
        out[i] = best
    return out


def _cuts(weights: np.ndarray, size: int, window: float) -> list[int]:
    """Segment lengths of one turn of ``len(weights)`` words (rainette's loop, 0-based)."""
    n = len(weights)
    if n <= size:
        return [n]
    span = int(size + window)
    slice_idx = np.arange(1, span + 1)
    score_div = np.abs(slice_idx - size) + 1.0
    lengths, last = [], 0
    stop = n - span  # rainette: while last_index < length - span + 1 (1-based)
    while last < stop:
        cut = int(np.argmax(weights[last:last + span] / score_div)) + 1
        lengths.append(cut)
        last += cut
    lengths.append(n - last)
    return lengths


def _merge_short(lengths: list[int], min_words: int) -> list[int]:
    """Merge segments shorter than ``min_words`` into the previous one of the turn (the next one
    for the first), so that no segment is a stray clause."""
    out = list(lengths)
    i = 0
    while len(out) > 1 and i < len(out):
        if out[i] < min_words:
            short = out.pop(i)
            j = i - 1 if i > 0 else 0  # after the pop, the next one sits at i
            out[j] += short
            i = j
        else:
            i += 1
    return out


def text_segments(tokens: pd.DataFrame, texts, *, size: int = 40, window: float | None = None,
                  min_words: int = 10) -> pd.DataFrame:
    """Cut the token table into text segments of about ``size`` words, never across a turn.

    Parameters
    ----------
    tokens : a token table (``tokens_from``): every word counts, stopwords included.
    texts : the document text the offsets point into: ``interview.text``, an ``Interview``, a
        list of them or a mapping ``doc_id -> text`` for several documents.
    size : target number of words (rainette and IRaMuTeQ: 40).
    window : how far from ``size`` a cut may go (default ``0.4 * size``, as rainette).
    min_words : a segment shorter than this is merged into its neighbour in the same turn.

    Returns one row per segment, in document order: ``segment_id`` (1..), ``doc_id, qa_id,
    turn_id, speaker``, ``start_char, end_char`` (``text[start_char:end_char]`` is the segment,
    its closing punctuation included), ``n_words``, ``text``.
    """
    missing = [c for c in _NEEDED if c not in tokens.columns]
    if missing:
        raise InputError(None, f"token table lacks column(s) {', '.join(missing)}")
    if size < 1:
        raise InputError(None, f"segment size must be at least 1, not {size}")
    window = 0.4 * size if window is None else float(window)
    by_doc = _texts_by_doc(tokens, texts)
    rows = []
    for doc_id, doc in tokens.groupby("doc_id", sort=False):
        text = by_doc[str(doc_id)]
        doc = doc.sort_values("start_char", kind="stable")
        for turn_id, turn in doc.groupby("turn_id", sort=False):
            starts = turn["start_char"].to_numpy()
            ends = turn["end_char"].to_numpy()
            turn_end = int(ends[-1])
            nxt = np.append(starts[1:], turn_end)
            weights = _gap_weights(text, ends, nxt)
            lengths = _merge_short(_cuts(weights, size, window), min_words)
            first = turn.iloc[0]
            pos = 0
            for n in lengths:
                a, b = int(starts[pos]), int(ends[pos + n - 1])
                b += _trailing_punct(text, b, int(nxt[pos + n - 1]) if pos + n < len(starts)
                                     else len(text))
                rows.append((doc_id, first["qa_id"], turn_id, first["speaker"], a, b, n,
                             text[a:b]))
                pos += n
    out = pd.DataFrame(rows, columns=SEGMENT_COLUMNS[1:])
    out.insert(0, "segment_id", np.arange(1, len(out) + 1))
    return out


def _trailing_punct(text: str, end: int, limit: int) -> int:
    """Length of the punctuation right after a segment's last word (up to a space)."""
    k = end
    while k < limit and k < len(text) and not text[k].isspace() and not text[k].isalnum():
        k += 1
    return k - end


def segment_of_tokens(tokens: pd.DataFrame, segments: pd.DataFrame) -> np.ndarray:
    """For each token row, the row position in ``segments`` of the segment holding it (-1: none)."""
    out = np.full(len(tokens), -1, dtype=np.int64)
    seg_doc = segments["doc_id"].astype(str).to_numpy()
    tok_doc = tokens["doc_id"].astype(str).to_numpy()
    tok_start = tokens["start_char"].to_numpy()
    for doc in np.unique(seg_doc):
        rows = np.flatnonzero(seg_doc == doc)
        s = segments["start_char"].to_numpy()[rows]
        e = segments["end_char"].to_numpy()[rows]
        order = np.argsort(s, kind="stable")
        rows, s, e = rows[order], s[order], e[order]
        t = np.flatnonzero(tok_doc == doc)
        k = np.searchsorted(s, tok_start[t], side="right") - 1
        ok = (k >= 0) & (tok_start[t] < e[np.clip(k, 0, None)])
        out[t[ok]] = rows[k[ok]]
    return out


def segment_matrix(tokens: pd.DataFrame, segments: pd.DataFrame, *, min_frequency: int = 3,
                   content_only: bool = True) -> tuple[sparse.csr_matrix, list[str]]:
    """The binary segment x lemma matrix of content words, as CSR (rows = ``segments`` rows).

    A lemma is kept when it is not a stopword (``is_stop`` False, when ``content_only``) and
    appears in at least ``min_frequency`` segments (rainette's and IRaMuTeQ's default 3: a
    rarer word cannot characterise a class).  Returns ``(matrix, terms)``, terms sorted.
    """
    seg = segment_of_tokens(tokens, segments)
    keep = seg >= 0
    if content_only and "is_stop" in tokens.columns:
        keep &= ~tokens["is_stop"].to_numpy(dtype=bool)
    lemmas = tokens["lemma"].astype(str).to_numpy()
    keep &= lemmas != ""
    codes, uniques = pd.factorize(lemmas[keep], sort=True)
    m = sparse.csr_matrix((np.ones(len(codes), dtype=np.int8), (seg[keep], codes)),
                          shape=(len(segments), len(uniques)))
    m.sum_duplicates()
    m.data[:] = 1
    df = np.asarray((m > 0).sum(axis=0)).ravel()
    cols = np.flatnonzero(df >= min_frequency)
    m = m[:, cols].tocsr()
    m.data = np.ones_like(m.data, dtype=np.int8)
    return m, [str(uniques[c]) for c in cols]
