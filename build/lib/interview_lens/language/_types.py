"""What a word form decides, once per distinct form: norm, lemma, stopword, and the words that
are a speaker's name (stopwords in that speaker's document)."""
from __future__ import annotations

import difflib
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from interview_lens.language._arrays import _KEY
from interview_lens.language._spans import _pieces, _word_spans
from interview_lens.language.lexicon import is_number, lemmatize, load_lexicon
from interview_lens.model import Interview
from interview_lens.text import is_acronym, normalise_token

# Name variants: capitalised words sharing their first three letters with a speaker name and
# spelled almost alike (ratio >= 0.75): transcripts and translations misspell names
# (Kurbalija / Kurbariya / Kurubariya).
_NAME_RATIO = 0.75


@lru_cache(maxsize=500_000)
def _lemma(norm: str, language: str) -> str:
    return lemmatize(norm, language)


def _speaker_names(interview: Interview) -> frozenset[str]:
    """Normalised words of the speakers' canonical names, labels and aliases."""
    values: set = set()
    for table, cols in ((interview.turns, ("speaker", "label")),
                        (interview.qa, ("interviewer", "interviewee"))):
        for col in cols:
            if col in table:
                values.update(table[col].tolist())  # a plain list: no pandas per-call cost
    names = [str(v) for v in values if isinstance(v, str) or not pd.isna(v)]
    for canonical, variants in (interview.meta.get("aliases") or {}).items():
        names.append(str(canonical))
        names += [str(v) for v in ([variants] if isinstance(variants, str) else variants or [])]
    return frozenset(normalise_token(w) for name in names for w in re.findall(r"[^\W_]+", name))


def _is_name_variant(form: str, names: frozenset[str]) -> bool:
    if len(form) < 6 or not form[0].isupper():
        return False
    low = form.lower()
    return any(len(n) >= 6 and n[:3] == low[:3]
               and difflib.SequenceMatcher(None, n, low).ratio() >= _NAME_RATIO for n in names)


def _name_stops(pairs: np.ndarray, forms, norm_of, stop_of, names: list[frozenset[str]]
                ) -> np.ndarray:
    """The (document, form) pair codes whose form is a speaker's name in that document (then a
    stopword there): a word of a speaker's name, label or alias, or a near spelling of one.

    ``_type_attributes`` gave every form its stopword flag without names; only forms that could
    match some document's names are looked at, each against its own documents' names."""
    every = frozenset().union(*names) if names else frozenset()
    if not every or not len(pairs):
        return np.zeros(0, dtype=np.int64)
    prefixes = {n[:3] for n in every if len(n) >= 6}
    maybe = np.zeros(len(forms), dtype=bool)
    for i, form in enumerate(forms):
        if stop_of[i]:
            continue
        if norm_of[i] in every or (len(form) >= 6 and form[0].isupper()
                                   and form.lower()[:3] in prefixes):
            maybe[i] = not is_number(form)
    codes = pairs % _KEY
    hits = []
    for key in pairs[maybe[codes]].tolist():
        doc, i = divmod(key, int(_KEY))
        form, doc_names = forms[i], names[doc]
        if norm_of[i] in doc_names or (not is_acronym(form, token=True)
                                       and _is_name_variant(form, doc_names)):
            hits.append(key)
    return np.sort(np.asarray(hits, dtype=np.int64))


def _type_attributes(forms, language, stop, terms):
    """norm, lemma and is_stop of each distinct form (lists aligned with ``forms``), before
    speakers' names, which differ by document (:func:`_name_stops`)."""
    lex = load_lexicon(language)
    single = {}
    for variant, canonical in terms:
        words = _words(variant, language)
        if len(words) == 1:
            single[_lemma(normalise_token(words[0]), language)] = canonical
    norm_of, lemma_of, stop_of = [], [], []
    for form in forms:
        norm = normalise_token(form)
        if is_number(form):
            lemma, is_stop = norm, True
        elif is_acronym(form, token=True):
            lemma = form
            is_stop = norm in lex.added or norm in lex.fillers
        else:
            lemma = _lemma(norm, language)
            if lemma in single:
                norm = lemma = single[lemma]
            is_stop = norm in stop or lemma in stop
        norm_of.append(norm)
        lemma_of.append(lemma)
        stop_of.append(is_stop)
    return norm_of, lemma_of, stop_of


@lru_cache(maxsize=1024)
def _words(phrase: str, language: str) -> tuple[str, ...]:
    """The token forms of a short phrase, cut exactly as in a document."""
    starts, ends, _ = _word_spans(phrase, np.array([0]), np.array([len(phrase)]))
    out = []
    for s, e in zip(starts.tolist(), ends.tolist()):
        out += [phrase[s + a:s + b] for a, b in _pieces(phrase[s:e], language)]
    return tuple(out)
