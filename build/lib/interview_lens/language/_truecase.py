"""Truecasing of the token table: a capital that only begins a sentence is not a name
(``Nous``), one that the text keeps elsewhere is (``Genève``)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from interview_lens.language._arrays import _KEY, _index_of
from interview_lens.language._multiword import _gap_has, _lut
from interview_lens.text import normalise_token

# Characters that, in the gap before a word, make its capital uninformative: sentence ends not
# cut (abbreviations), quotes, colons, brackets, dashes and list marks start a new utterance.
_RESET_CHARS = ".!?…:;«»\"“”„‘’'([{—–-•*/"


def _truecase(chars, starts, ends, codes, tok_doc, breaks, forms, norm_of, lemma_of, stop_of,
              n_single, cased, pairs, name_stops) -> dict[int, str]:
    """Give proper nouns their written form as lemma (``Chine``, ``DeepSeek``, ``Internet``).

    Decided per word TYPE (normalised form) and per document, from the document's own evidence,
    as a truecaser does: every occurrence of the type is capitalised (or mixed-case), at least
    one occurrence is NOT in a position that capitalises anyway (a sentence's or turn's first
    word, or a word after a quote, colon, dash or bracket), and its lemma is not the lemma of any
    word the document writes in lower case (``l’Initiative de gouvernance mondiale`` stays
    ``initiative`` when ``cette initiative`` occurs).  The lemma becomes the type's most frequent
    written form in the document.  Stopwords, acronyms (which keep their case anyway),
    all-capital words and words mapped to a multi-word term are left alone.  A multi-word NAME
    (a capitalised canonical in ``multiword.txt``: ``Nations unies``) gets that spelling as lemma
    when every occurrence in the document is written with a capital.

    ``pairs``: the (document, form) pair codes before merging, in each document's order of first
    appearance; ``name_stops``: the pairs that are stopwords as speakers' names.  Returns the new
    lemmas: ``{pair code: lemma}`` (forms keep ``lemma_of`` everywhere else).
    """
    fixes = _truecase_names(codes, tok_doc, forms, norm_of, n_single, cased)
    if not len(pairs):
        return fixes
    is_lower = np.zeros(n_single, dtype=bool)
    maybe = np.zeros(n_single, dtype=bool)
    for i in range(n_single):  # once per distinct form
        form = forms[i]
        if form == form.lower():
            is_lower[i] = True
        else:
            maybe[i] = not (stop_of[i] or form.isupper() or lemma_of[i] != lemma_of[i].lower()
                            or norm_of[i] != normalise_token(form))
    # norms and lemmas coded in one space, so that "a norm equals a lemma" compares codes
    strings = pd.factorize(np.asarray(norm_of[:n_single] + lemma_of[:n_single], dtype=object))
    n_strings = len(strings[1])
    norm_c, lemma_c = strings[0][:n_single], strings[0][n_single:]
    p_doc, p_code = pairs // _KEY, pairs % _KEY
    lower = is_lower[p_code]
    lower_norms = p_doc[lower] * n_strings + norm_c[p_code[lower]]
    lower_lemmas = p_doc[lower] * n_strings + lemma_c[p_code[lower]]
    cand = maybe[p_code] & ~np.isin(pairs, name_stops)
    c_norm = p_doc[cand] * n_strings + norm_c[p_code[cand]]
    c_lemma = p_doc[cand] * n_strings + lemma_c[p_code[cand]]
    keep = ~(np.isin(c_norm, lower_norms) | np.isin(c_lemma, lower_lemmas)
             | np.isin(c_norm, lower_lemmas))
    cand_pairs = pairs[cand][keep]  # still in each document's order of first appearance
    if not len(cand_pairs) or not len(codes):
        return fixes
    group = c_norm[keep]
    at = _index_of(cand_pairs, tok_doc * _KEY + codes)
    idx = np.flatnonzero(at >= 0)
    which = at[idx]  # index into cand_pairs of each candidate token
    free = _not_initial(chars, starts, ends, breaks, idx)
    counts = np.bincount(which, minlength=len(cand_pairs))
    evidence = np.bincount(which[free], minlength=len(cand_pairs))
    g_codes, g_uniques = pd.factorize(group)
    g_evidence = np.bincount(g_codes, weights=evidence, minlength=len(g_uniques))
    # the most frequent written variant of each group; ties go to the first seen in the document
    rank = np.arange(len(cand_pairs))
    best = np.lexsort((rank, -counts, g_codes))
    first = np.ones(len(best), dtype=bool)
    first[1:] = g_codes[best][1:] != g_codes[best][:-1]
    winner = np.empty(len(g_uniques), dtype=np.int64)
    winner[g_codes[best][first]] = best[first]
    for k in np.flatnonzero(g_evidence[g_codes] > 0).tolist():
        fixes[int(cand_pairs[k])] = forms[int(cand_pairs[winner[g_codes[k]]] % _KEY)]
    return fixes


def _not_initial(chars, starts, ends, breaks, idx: np.ndarray) -> np.ndarray:
    """For each token index in ``idx``: it is neither its sentence's first word nor preceded
    (across the gap from the previous token) by a character of ``_RESET_CHARS``."""
    if not len(idx):
        return np.zeros(0, dtype=bool)
    prev = np.maximum(idx - 1, 0)
    sid = np.searchsorted(breaks, starts[idx], side="right")
    sid_prev = np.searchsorted(breaks, starts[prev], side="right")
    free = (idx > 0) & (sid == sid_prev)
    gap_start = np.where(idx > 0, ends[prev], starts[idx])
    return free & ~_gap_has(chars, gap_start, starts[idx], _lut(_RESET_CHARS))


def _truecase_names(codes, tok_doc, forms, norm_of, n_single, cased) -> dict[int, str]:
    """Multi-word names (merged rows, codes >= ``n_single``) that a document writes with a
    capital every time take the canonical's spelling from the lexicon (``Nations unies``)."""
    if not cased:
        return {}
    merged = codes >= n_single
    keys = pd.unique(tok_doc[merged] * _KEY + codes[merged])
    groups: dict[tuple[int, str], list[int]] = {}
    for key in keys.tolist():
        doc, i = divmod(key, int(_KEY))
        if norm_of[i] in cased:
            groups.setdefault((doc, norm_of[i]), []).append(key)
    fixes = {}
    for (_, canonical), group in groups.items():
        if all(forms[k % int(_KEY)][:1].isupper() for k in group):
            fixes.update(dict.fromkeys(group, cased[canonical]))
    return fixes
