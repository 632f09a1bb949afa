"""Multi-word terms of the token table: consecutive tokens of a listed phrase (``open source``,
``intelligence artificielle``, ``en matière de``) merged into one row."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from interview_lens.language._spans import _factorize_spans
from interview_lens.language._types import _lemma, _words
from interview_lens.text import is_acronym, normalise_token


def _merge_multiword(text, chars, starts, ends, codes, turn_idx, forms, norm_of, lemma_of,
                     stop_of, phrases, language):
    """Merge consecutive tokens whose lemmas spell a multi-word phrase into one row.

    ``phrases``: ``(variant, canonical, is_stop)``: terms (``open source``) and function
    expressions (``en matière de``, ``is_stop`` True).  Matching is on lemmas (``sociétés
    civiles`` = ``société civile``), only across spaces or tabs (never a line break, punctuation
    or a turn boundary); overlapping matches go to the longer phrase, then the earlier one.  The
    merged row's form is the text span; norm and lemma are the canonical phrase; a term is never
    a stopword, an expression always is.
    """
    multi = [(_words(v, language), c, stop) for v, c, stop in phrases]
    multi = [(w, c, stop) for w, c, stop in multi if len(w) > 1]
    if not multi or not len(codes):
        return starts, ends, codes, turn_idx
    lemma_codes, lemma_uniques = pd.factorize(np.asarray(lemma_of, dtype=object))
    lemma_index = {lem: i for i, lem in enumerate(lemma_uniques)}
    token_lemma = lemma_codes[codes]
    n = len(codes)
    # Each phrase is anchored on its rarest word: candidates are that word's positions only, so
    # the cost grows with the phrases' occurrences, not with (phrases x tokens).
    freq = np.bincount(token_lemma, minlength=len(lemma_uniques))
    plans = []
    for words, canonical, stop in multi:
        wanted = [lemma_index.get(_lemma(normalise_token(w), language) if not is_acronym(w, token=True) else w)
                  for w in words]
        if None in wanted or len(wanted) > n:
            continue
        anchor = min(range(len(wanted)), key=lambda j: freq[wanted[j]])
        plans.append((wanted, anchor, canonical, stop))
    if not plans:
        return starts, ends, codes, turn_idx
    anchors = np.unique([w[a] for w, a, _, _ in plans])
    is_anchor = np.zeros(len(lemma_uniques), dtype=bool)
    is_anchor[anchors] = True
    at = np.flatnonzero(is_anchor[token_lemma])
    at = at[np.argsort(token_lemma[at], kind="stable")]
    bounds = np.searchsorted(token_lemma[at], np.append(anchors, anchors[-1] + 1))
    where = {int(c): at[bounds[i]:bounds[i + 1]] for i, c in enumerate(anchors.tolist())}
    hit_start, hit_len, hit_phrase = [], [], []
    phrase_ids: dict[tuple[str, bool], int] = {}
    for wanted, anchor, canonical, stop in plans:
        k = len(wanted)
        cand = where[wanted[anchor]] - anchor
        cand = np.sort(cand[(cand >= 0) & (cand <= n - k)])
        for j in range(k):
            if j != anchor and len(cand):
                cand = cand[token_lemma[cand + j] == wanted[j]]
        for j in range(k - 1):
            if len(cand):
                cand = cand[_joined(chars, starts, ends, turn_idx, cand + j)]
        if len(cand):
            hit_start.append(cand)
            hit_len.append(np.full(len(cand), k, dtype=np.int64))
            pid = phrase_ids.setdefault((canonical, stop), len(phrase_ids))
            hit_phrase.append(np.full(len(cand), pid, dtype=np.int64))
    if not hit_start:
        return starts, ends, codes, turn_idx
    first, k, pid = (np.concatenate(x) for x in (hit_start, hit_len, hit_phrase))
    order = np.lexsort((-k, first))  # by position, the longer phrase first
    first, k, pid = first[order], k[order], pid[order]
    last = first + k - 1
    reach = np.maximum.accumulate(last)
    if (first[1:] <= reach[:-1]).any():
        # overlapping matches (rare): left to right, a match is taken when it starts after
        # the last taken one ends
        take, taken_until = [], -1
        for f, e in zip(first.tolist(), last.tolist()):
            take.append(f > taken_until)
            taken_until = e if f > taken_until else taken_until
        take = np.asarray(take)
        first, k, pid, last = first[take], k[take], pid[take], last[take]
    keep = np.ones(n, dtype=bool)
    inner = np.repeat(first - np.cumsum(k - 1) + (k - 1), k - 1) + np.arange(int((k - 1).sum()))
    keep[inner + 1] = False
    starts, ends, codes = starts.copy(), ends.copy(), codes.copy()
    ends[first] = ends[last]
    # the merged rows' forms are text spans: factorized like the words, then paired with
    # their phrase, so one new type per (written span, canonical)
    span_codes, span_forms = _factorize_spans(text, chars, starts[first], ends[first])
    pair_codes, pairs = pd.factorize(span_codes * len(phrase_ids) + pid)
    phrases_by_id = list(phrase_ids)
    for key in pairs.tolist():
        canonical, stop = phrases_by_id[key % len(phrase_ids)]
        forms.append(span_forms[key // len(phrase_ids)])
        norm_of.append(canonical)
        lemma_of.append(canonical)
        stop_of.append(stop)
    codes[first] = len(forms) - len(pairs) + pair_codes
    return starts[keep], ends[keep], codes[keep], turn_idx[keep]


def _gap_has(chars: np.ndarray, lo: np.ndarray, hi: np.ndarray, lut: np.ndarray,
             *, invert: bool = False) -> np.ndarray:
    """For each gap ``chars[lo:hi]``: does it hold a character flagged in ``lut`` (or, with
    ``invert``, one NOT flagged)?  Gathered with numpy: the cost is the gaps' total length."""
    lengths = np.maximum(hi - lo, 0)
    total = int(lengths.sum())
    if not total:
        return np.zeros(len(lo), dtype=bool)
    offsets = np.cumsum(lengths) - lengths
    gather = np.repeat(lo - offsets, lengths) + np.arange(total, dtype=np.int64)
    gap = chars[gather]
    inside = gap < len(lut)
    flagged = inside & lut[np.where(inside, gap, 0)]
    if invert:
        flagged = ~flagged
    owner = np.repeat(np.arange(len(lo)), lengths)
    return np.bincount(owner, weights=flagged, minlength=len(lo)) > 0


@lru_cache(maxsize=8)
def _lut(chars: str) -> np.ndarray:
    lut = np.zeros(max(map(ord, chars)) + 1, dtype=bool)
    lut[[ord(c) for c in chars]] = True
    return lut


def _joined(chars, starts, ends, turn_idx, idx: np.ndarray) -> np.ndarray:
    """For each i in ``idx``: tokens i and i+1 are in one turn with only spaces/tabs (or
    nothing) between them.  Called on candidate matches only, never on every token."""
    nxt = idx + 1
    same = turn_idx[idx] == turn_idx[nxt]
    return same & ~_gap_has(chars, ends[idx], starts[nxt], _lut(" \t"), invert=True)
