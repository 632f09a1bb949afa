"""Concept coding of a token table: one row per place a concept of the dictionary is voiced.

The dictionary and its format: :mod:`interview_lens.analysis.dictionary`.

Matching rules (why they are so):

* Case is ignored, except for a pattern written in capitals (``IA``, ``AI``, ``ONU``), which is an
  acronym and is compared case-sensitively with the token as written and its lemma: French
  ``ai`` (from *avoir*) must not be English *AI*.
* A single-word pattern matches a token whose lemma *or* norm equals it: a lemmatiser that misses
  a form (``partagés`` -> ``partagé``) must not make a concept disappear.
* A pattern of several words (a phrase, or a lemma/wildcard with a space, hyphen or apostrophe:
  ``open source``, ``co-construction``, ``l'IA``) is matched word by word on consecutive tokens,
  each word against the norm or the lemma.  Hyphens separate words on both sides, so
  ``open-source`` and ``open source`` match each other, whether the token layer kept them as one
  token or two.  Apostrophes are unified (’ -> ') and end a word (``d'avenir`` = ``d'`` +
  ``avenir``), mirroring the token layer's elision split.  A phrase never crosses a sentence
  boundary and always starts and ends on token boundaries.
* A token is coded at most once per concept: phrase hits are found first (longest match wins, then
  the leftmost), and single-word hits inside a phrase hit of the same concept are dropped.
* ``exclude`` lists words (lemmas or wildcards) that single-word patterns must not code, e.g.
  ``developer*`` under ``develop*``.  Phrases are explicit and are not subject to ``exclude``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from interview_lens.analysis.dictionary import (
    _PATTERN_KEYS,
    ConceptDictionary,
    Patterns,
    _fold,
    _nfc,
    _split_words,
    _wildcard_regex,
    _Word,
)
from interview_lens.errors import ConfigError

HIT_COLUMNS = ["doc_id", "concept", "term", "lemma", "position", "end_position", "sentence_id",
               "paragraph_id", "turn_id", "qa_id", "theme", "role", "start_char", "end_char"]
_NEEDED = ("doc_id", "position", "token", "norm", "lemma", "sentence_id", "start_char",
           "end_char")
_CARRIED = ("sentence_id", "paragraph_id", "turn_id", "qa_id", "theme", "role", "start_char")


# --------------------------------------------------------------------------- matching
def _words_matcher(words: Sequence[_Word]):
    """Split pattern words into literal/acronym sets and one wildcard regex."""
    literal = {w.text for w in words if w.kind == "literal"}
    acronym = {w.text for w in words if w.kind == "acronym"}
    wild = [w.text for w in words if w.kind == "wildcard"]
    regex = re.compile("|".join(f"(?:{_wildcard_regex(w)})" for w in wild)) if wild else None
    return literal, acronym, regex


def _match_uniques(words: Sequence[_Word], folded: np.ndarray, raw: np.ndarray) -> np.ndarray:
    """Boolean per unique value: does any of ``words`` match it (folded, or raw for acronyms)?"""
    literal, acronym, regex = _words_matcher(words)
    hit = np.zeros(len(folded), dtype=bool)
    if literal:
        hit |= np.isin(folded, list(literal))
    if acronym:
        hit |= np.isin(raw, list(acronym))
    if regex is not None:
        hit |= np.fromiter((regex.fullmatch(v) is not None for v in folded), bool, len(folded))
    return hit


@dataclass
class _Lexicon:
    """Per-type views of a token table: every string is factorised once, matched once."""

    tokens: pd.DataFrame

    @cached_property
    def token_types(self):
        # One type per distinct (lemma, norm, token): a pattern is tested once per type.
        # each column factorised on its own (in C), the three codes combined into one integer:
        # a MultiIndex would build a tuple per token
        key = np.zeros(len(self.tokens), dtype=np.int64)
        levels = []
        for col in ("lemma", "norm", "token"):
            col_codes, col_uniques = pd.factorize(self.tokens[col].astype(str))
            key, _ = pd.factorize(key * max(len(col_uniques), 1) + col_codes)
            levels.append((np.asarray(col_codes), np.asarray(col_uniques, dtype=object)))
        codes = np.asarray(key, dtype=np.int64)
        # the types in order of first appearance, as the codes number them
        first = np.unique(codes, return_index=True)[1]
        (lc, lu), (nc, nu), (tc, tu) = levels
        lemma = np.array([_nfc(v) for v in lu[lc[first]]], dtype=object)
        norm = np.array([_fold(v) for v in nu[nc[first]]], dtype=object)
        token = np.array([_nfc(v) for v in tu[tc[first]]], dtype=object)
        lemma_f = np.array([v.casefold() for v in lemma], dtype=object)
        single = np.array([len(_split_words(n)) <= 1 for n in norm], dtype=bool)
        return codes, lemma, lemma_f, norm, token, single

    def single_word_mask(self, words: Sequence[_Word]) -> np.ndarray:
        """Per token: does a one-word pattern match its lemma or norm (acronyms: lemma/token)?"""
        codes, lemma, lemma_f, norm, token, single = self.token_types
        if not words:
            return np.zeros(len(codes), dtype=bool)
        per_type = (_match_uniques(words, lemma_f, lemma) | _match_uniques(words, norm, token))
        return (per_type & single)[codes]

    @cached_property
    def words(self):
        """Word-level arrays (multi-word tokens exploded) for phrase matching."""
        codes, lemma, lemma_f, norm, token, single = self.token_types
        per_type = []
        for lem, nor, tok in zip(lemma, norm, token):
            n_words = _split_words(nor)
            if not n_words:
                n_words = [nor]
            l_words = [w.casefold() for w in _split_words(lem)]
            t_words = _split_words(tok)
            l_raw = _split_words(lem)
            if len(l_words) != len(n_words):  # lemmatiser changed the word count: trust norm
                l_words, l_raw = n_words, t_words if len(t_words) == len(n_words) else n_words
            if len(t_words) != len(n_words):
                t_words = n_words
            per_type.append((n_words, l_words, t_words, l_raw))
        type_len = np.array([len(p[0]) for p in per_type], dtype=np.int64)
        type_start = np.concatenate([[0], np.cumsum(type_len)[:-1]]).astype(np.int64)
        lengths = type_len[codes]
        row = np.repeat(np.arange(len(codes)), lengths)
        first = np.ones(len(row), dtype=bool)
        first[1:] = row[1:] != row[:-1]
        last = np.ones(len(row), dtype=bool)
        last[:-1] = row[1:] != row[:-1]
        # word k of token i is word k of its type: gather per-type word codes, no per-token loop
        within = np.arange(len(row)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        gather = type_start[codes[row]] + within if len(row) else np.zeros(0, dtype=np.int64)
        cols = []
        for j in range(4):
            type_words = np.array([w for p in per_type for w in p[j]], dtype=object)
            word_codes, uniques = (pd.factorize(type_words) if len(type_words) else
                                   (np.zeros(0, dtype=np.int64), np.array([], dtype=object)))
            cols.append((np.asarray(word_codes)[gather], np.asarray(uniques, dtype=object)))
        return row, first, last, cols

    def phrase_spans(self, phrase: Sequence[_Word]) -> tuple[np.ndarray, np.ndarray]:
        """Token rows ``(start, end)`` of every occurrence of a multi-word pattern."""
        row, first, last, cols = self.words
        (n_codes, n_uniq), (l_codes, l_uniq), (t_codes, t_uniq), (r_codes, r_uniq) = cols
        m, n = len(phrase), len(row)
        if n < m:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        ok = first[: n - m + 1] & last[m - 1:]
        for k, word in enumerate(phrase):
            if word.kind == "acronym":
                match = (np.isin(t_uniq, [word.text])[t_codes]
                         | np.isin(r_uniq, [word.text])[r_codes])
            else:
                match = (_match_uniques([word], n_uniq, n_uniq)[n_codes]
                         | _match_uniques([word], l_uniq, l_uniq)[l_codes])
            ok &= match[k: n - m + 1 + k]
        starts = np.flatnonzero(ok)
        start_rows, end_rows = row[starts], row[starts + m - 1]
        sent, doc = self.sentences
        same = (sent[start_rows] == sent[end_rows]) & (doc[start_rows] == doc[end_rows])
        return start_rows[same], end_rows[same]

    @cached_property
    def sentences(self) -> tuple[np.ndarray, np.ndarray]:
        """Per token: sentence id and document code (a phrase stays inside one sentence);
        read once, not once per phrase: an Arrow string column costs to convert."""
        doc_codes, _ = pd.factorize(self.tokens["doc_id"])
        return self.tokens["sentence_id"].to_numpy(), np.asarray(doc_codes)


def _compile(patterns: Patterns):
    """Single-word matchers, multi-word phrases and exclusions of one concept-language."""
    single: list[_Word] = []
    phrases: list[tuple[_Word, ...]] = []
    for p in (*patterns.lemmas, *patterns.wildcards, *patterns.phrases):
        words = tuple(_Word.of(w) for w in _split_words(p))
        if len(words) == 1:
            single.append(words[0])
        elif words:
            phrases.append(words)
    exclude = [_Word.of(w) for p in patterns.exclude for w in _split_words(p)]
    return single, phrases, exclude


def _merge(parts: Iterable[Patterns]) -> Patterns:
    parts = list(parts)
    return Patterns(*(tuple(dict.fromkeys(x for p in parts for x in getattr(p, k)))
                      for k in _PATTERN_KEYS))


def _select_spans(starts: np.ndarray, ends: np.ndarray) -> list[tuple[int, int]]:
    """Non-overlapping spans: longest first at each start, then leftmost."""
    order = np.lexsort((-(ends - starts), starts))
    chosen, last_end = [], -1
    for s, e in zip(starts[order], ends[order]):
        if s > last_end:
            chosen.append((int(s), int(e)))
            last_end = e
    return chosen


def _check_tokens(tokens: pd.DataFrame, needed=_NEEDED) -> None:
    missing = [c for c in needed if c not in tokens.columns]
    if missing:
        raise ValueError(f"token table lacks column(s) {missing}; build it with tokens.tokens_from")


def _term(norms: Sequence[str]) -> str:
    """Norms of consecutive tokens as one string; no space after an elided article (l'ia)."""
    out = ""
    for w in norms:
        out += w if (not out or out.endswith("'")) else " " + w
    return out


def code_concepts(tokens: pd.DataFrame, dictionary: ConceptDictionary, *,
                  language: str | None = None) -> pd.DataFrame:
    """Code a token table with a concept dictionary: one row per concept hit.

    Parameters
    ----------
    tokens : the token table of :func:`interview_lens.language.tokens.tokens_from`.
    dictionary : from :func:`load_dictionary`.
    language : which language's patterns to use (``"fr"``, ``"en"``); ``None`` takes
        ``tokens.attrs["language"]`` when the token layer set it, else every language of the
        dictionary together (mixed-language corpora).

    Returns
    -------
    DataFrame with ``doc_id, concept, term`` (the matched tokens' norms), ``lemma`` (their
    lemmas), ``position, end_position`` (first and last token, inclusive), ``sentence_id,
    paragraph_id, turn_id, qa_id, theme, role`` (of the first token), ``start_char, end_char``
    (offsets into the interview text), in document order.  ``attrs`` keep the dictionary's
    concept order, labels and colours for the figures.
    """
    _check_tokens(tokens)
    if language is None:
        language = tokens.attrs.get("language")
        if language not in dictionary.languages:
            language = None
    elif language not in dictionary.languages:
        raise ConfigError(dictionary.path, f"no patterns for language {language!r}; the "
                          f"dictionary has {dictionary.languages}")
    tokens = tokens.reset_index(drop=True)
    lex = _Lexicon(tokens)
    # every concept's hits, gathered from the token table once at the end
    found_starts, found_ends, found_ids, terms, lemmas = [], [], [], [], []
    pos = tokens["position"].to_numpy()
    # folded norms and NFC lemmas per token, gathered from the per-type arrays
    codes, type_lemma, _, type_norm, _, _ = lex.token_types
    norm, lemma = type_norm[codes], type_lemma[codes]
    for concept in dictionary:
        langs = [language] if language else list(concept.patterns)
        pats = _merge(concept.patterns[lang] for lang in langs if lang in concept.patterns)
        if not pats:
            continue
        single, phrases, exclude = _compile(pats)
        spans: list[tuple[int, int]] = []
        if phrases:
            found = [lex.phrase_spans(p) for p in phrases]
            starts = np.concatenate([f[0] for f in found])
            ends = np.concatenate([f[1] for f in found])
            spans = _select_spans(starts, ends)
        covered = np.zeros(len(tokens), dtype=bool)
        for s, e in spans:
            covered[s:e + 1] = True
        mask = lex.single_word_mask(single) & ~covered
        if exclude:
            mask &= ~lex.single_word_mask(exclude)
        rows = np.flatnonzero(mask)
        starts = np.concatenate([rows, np.array([s for s, _ in spans], dtype=np.int64)])
        ends = np.concatenate([rows, np.array([e for _, e in spans], dtype=np.int64)])
        if not len(starts):
            continue
        terms += list(norm[rows]) + [_term(norm[s:e + 1]) for s, e in spans]
        lemmas += list(lemma[rows]) + [_term(lemma[s:e + 1]) for s, e in spans]
        found_starts.append(starts)
        found_ends.append(ends)
        found_ids += [concept.id] * len(starts)
    order = {cid: i for i, cid in enumerate(dictionary.ids)}
    if found_starts:
        starts, ends = np.concatenate(found_starts), np.concatenate(found_ends)
        hits = tokens.loc[starts, ["doc_id", *[c for c in _CARRIED if c in tokens]]]
        hits = hits.reset_index(drop=True)
        hits.insert(1, "concept", pd.array(found_ids, dtype="str"))
        hits["term"] = terms
        hits["lemma"] = lemmas
        hits["position"] = pos[starts]
        hits["end_position"] = pos[ends]
        hits["end_char"] = tokens["end_char"].to_numpy()[ends]
    else:
        hits = pd.DataFrame({c: pd.Series(dtype=tokens[c].dtype) if c in tokens else
                             pd.Series(dtype="int64") for c in HIT_COLUMNS if c != "concept"})
        hits.insert(1, "concept", pd.Series(dtype="str"))
        for c in ("term", "lemma"):
            hits[c] = hits[c].astype("str")
    for c in HIT_COLUMNS:
        if c not in hits:
            hits[c] = "" if c in ("theme", "role") else 0
    hits["_rank"] = hits["concept"].map(order)
    hits = (hits.sort_values(["doc_id", "position", "_rank"], kind="stable")
            .drop(columns="_rank")[HIT_COLUMNS].reset_index(drop=True))
    for c in ("position", "end_position", "start_char", "end_char"):
        hits[c] = hits[c].astype("int64")
    hits.attrs = hit_attrs(dictionary, language)
    return hits


def hit_attrs(dictionary: ConceptDictionary, language: str | None) -> dict:
    """What the figures need from a dictionary (ids, labels per language, colours), kept in the
    ``attrs`` of hit tables and of the corpus tables."""
    return {"concepts": dictionary.ids, "language": language,
            "labels": {lang: dictionary.labels(lang) for lang in dictionary.languages},
            "colours": dictionary.colours(),
            "dictionary": str(dictionary.path) if dictionary.path else None}
