"""Concept dictionaries, concept coding of a token table, and unit x concept matrices.

A *concept* (``cooperation``, ``community``, ``sharing`` ...) is a named idea with per-language
patterns.  :func:`load_dictionary` reads a YAML dictionary (the package's
``data/concepts/default.yaml`` ships), :func:`code_concepts` finds every place a concept is
voiced (one row per *hit*, with offsets, so every count can be traced back to its words) and
:func:`unit_matrix` turns hits into the sparse presence matrix that
:mod:`interview_lens.cooccurrence` works on.

Dictionary format (one file)::

    name: default                  # optional
    description: ...               # optional
    concepts:
      - id: cooperation            # English snake_case, unique
        labels: {en: cooperation, fr: coopération}
        colour: "#0072B2"          # hex; ``color`` is accepted too
        description: ...           # optional
        fr:
          lemmas: [coopération, collaborer]      # exact lemma (or norm) of one token
          wildcards: ["coopér*"]                 # fnmatch ``*`` and ``?`` on norm or lemma
          phrases: [mise en commun]              # consecutive tokens, stopwords included
          exclude: [coopérative]                 # words that must not be coded
        en: {...}

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
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable, Iterator, Literal, Mapping, Sequence

import numpy as np
import pandas as pd
import yaml
from scipy import sparse

from .errors import ConfigError

Unit = Literal["sentence", "paragraph", "turn", "qa", "window"]
UNITS: tuple[str, ...] = ("sentence", "paragraph", "turn", "qa", "window")
_UNIT_COLUMN = {"sentence": "sentence_id", "paragraph": "paragraph_id", "turn": "turn_id",
                "qa": "qa_id", "window": "position"}

HIT_COLUMNS = ["doc_id", "concept", "term", "lemma", "position", "end_position", "sentence_id",
               "paragraph_id", "turn_id", "qa_id", "theme", "role", "start_char", "end_char"]
_NEEDED = ("doc_id", "position", "token", "norm", "lemma", "sentence_id", "start_char",
           "end_char")
_SHIFT = np.int64(40)  # unit ids below 2**40; document codes above
_MASK = np.int64((1 << 40) - 1)
_CARRIED = ("sentence_id", "paragraph_id", "turn_id", "qa_id", "theme", "role", "start_char")

_TOP_KEYS = {"name", "description", "version", "concepts"}
_CONCEPT_KEYS = {"id", "labels", "colour", "color", "description"}
_PATTERN_KEYS = ("lemmas", "wildcards", "phrases", "exclude")
_LANG_RE = re.compile(r"^[a-z]{2,3}$")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_COLOUR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
# Only * and ? are wildcards; brackets, braces and regex syntax are refused rather than guessed.
_BAD_WILDCARD_CHARS = set("[]{}()|\\^$+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "´": "'", "`": "'"})
_HYPHENS = "\\-‐‑"  # escaped for a regex character class
_WORD_RE = re.compile(rf"[^\s{_HYPHENS}']+'?|'")


# --------------------------------------------------------------------------- normalisation
def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", str(text)).translate(_APOSTROPHES)


def _fold(text: str) -> str:
    return _nfc(text).casefold()


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _split_words(text: str) -> list[str]:
    """Words of a pattern or of a token: whitespace and hyphens separate, an apostrophe ends."""
    return _WORD_RE.findall(_nfc(text))


def _is_wildcard(word: str) -> bool:
    return "*" in word or "?" in word


def _wildcard_regex(pattern: str) -> str:
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)


@dataclass(frozen=True)
class _Word:
    """One word of a pattern: literal (case-folded), acronym (case kept) or wildcard."""

    text: str
    kind: Literal["literal", "acronym", "wildcard"]

    @classmethod
    def of(cls, word: str) -> "_Word":
        if _is_wildcard(word):
            return cls(word.casefold(), "wildcard")
        if _is_acronym(word):
            return cls(word, "acronym")
        return cls(word.casefold(), "literal")


# --------------------------------------------------------------------------- dictionary
@dataclass(frozen=True)
class Patterns:
    """The patterns of one concept in one language, as written in the dictionary."""

    lemmas: tuple[str, ...] = ()
    wildcards: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.lemmas or self.wildcards or self.phrases)


@dataclass(frozen=True)
class Concept:
    """A concept: id, labels per language, colour and patterns per language."""

    id: str
    labels: Mapping[str, str]
    colour: str
    patterns: Mapping[str, Patterns]
    description: str = ""

    def label(self, language: str | None = "en") -> str:
        """The label in ``language``, else English, else any, else the id."""
        for lang in (language, "en", *self.labels):
            if lang in self.labels:
                return self.labels[lang]
        return self.id


@dataclass(frozen=True)
class ConceptDictionary:
    """An ordered set of concepts read from one YAML file."""

    concepts: tuple[Concept, ...]
    path: Path | None = None
    name: str = ""
    description: str = ""
    _by_id: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({c.id: c for c in self.concepts})

    def __iter__(self) -> Iterator[Concept]:
        return iter(self.concepts)

    def __len__(self) -> int:
        return len(self.concepts)

    def __contains__(self, concept_id: object) -> bool:
        return concept_id in self._by_id

    def __getitem__(self, concept_id: str) -> Concept:
        return self._by_id[concept_id]

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.concepts]

    @property
    def languages(self) -> list[str]:
        return sorted({lang for c in self.concepts for lang in c.patterns})

    def labels(self, language: str | None = "en") -> dict[str, str]:
        """``{concept id: label}`` in ``language`` (falling back to English, then the id)."""
        return {c.id: c.label(language) for c in self.concepts}

    def colours(self) -> dict[str, str]:
        """``{concept id: hex colour}``."""
        return {c.id: c.colour for c in self.concepts}


#: The shipped dictionary, package data beside the word lists (``data/lexicon/``): one copy,
#: the same for an editable and a regular install. The project's ``data/concepts/`` holds the
#: researchers' own dictionaries (``-p concepts=data/concepts/mine.yaml``).
DEFAULT_DICTIONARY = Path(__file__).resolve().parent / "data" / "concepts" / "default.yaml"


def default_dictionary_path() -> Path:
    """The shipped dictionary, ``interview_lens/data/concepts/default.yaml`` (what
    ``load_dictionary(None)`` reads, and what the skip fingerprint hashes)."""
    return DEFAULT_DICTIONARY


def _str_list(value, path, item, key) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise ConfigError(path, f"'{key}' must be a list of strings", item=item)
    out = []
    for v in value:
        v = " ".join(_nfc(str(v)).split())
        if not v:
            raise ConfigError(path, f"'{key}' has an empty pattern", item=item)
        out.append(v)
    return tuple(out)


def _check_wildcard(pattern: str, path, item: str, key: str) -> None:
    bad = sorted(set(pattern) & _BAD_WILDCARD_CHARS)
    if bad:
        raise ConfigError(path, f"bad wildcard {pattern!r} in '{key}': only * and ? are "
                          f"wildcards, {''.join(bad)!r} is not allowed", item=item)
    for word in _split_words(pattern):
        literal = [c for c in word if c not in "*?'"]
        if _is_wildcard(word) and len(literal) < 2:
            raise ConfigError(path, f"bad wildcard {pattern!r} in '{key}': {word!r} would match "
                              "almost any word (give at least two letters)", item=item)


def _parse_concept(raw, path, index: int) -> Concept:
    if not isinstance(raw, dict):
        raise ConfigError(path, "must be a mapping with id, labels, colour and patterns",
                          item=f"concept #{index}")
    cid = raw.get("id")
    item = f"concept {cid!r}" if cid is not None else f"concept #{index}"
    if not isinstance(cid, str) or not _ID_RE.match(cid):
        raise ConfigError(path, "'id' must be lower-case snake_case (e.g. open_source)", item=item)
    unknown = [k for k in raw if k not in _CONCEPT_KEYS and not (isinstance(k, str)
                                                                   and _LANG_RE.match(k))]
    if unknown:
        raise ConfigError(path, f"unknown key(s) {unknown}; allowed: id, labels, colour, "
                          "description and language codes (fr, en, ...)", item=item)
    labels = raw.get("labels")
    if not isinstance(labels, dict) or not labels or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in labels.items()):
        raise ConfigError(path, "missing labels: give 'labels: {en: ..., fr: ...}'", item=item)
    if "colour" in raw and "color" in raw:
        raise ConfigError(path, "give 'colour' or 'color', not both", item=item)
    colour = raw.get("colour", raw.get("color"))
    if not isinstance(colour, str) or not _COLOUR_RE.match(colour):
        raise ConfigError(path, f"'colour' must be a hex colour like '#0072B2', not {colour!r}",
                          item=item)
    patterns: dict[str, Patterns] = {}
    for lang in (k for k in raw if k not in _CONCEPT_KEYS):
        spec = raw[lang]
        if not isinstance(spec, dict):
            raise ConfigError(path, f"'{lang}' must map lemmas/wildcards/phrases/exclude to lists",
                              item=item)
        bad_keys = [k for k in spec if k not in _PATTERN_KEYS]
        if bad_keys:
            raise ConfigError(path, f"unknown key(s) {bad_keys} under '{lang}'; allowed: "
                              f"{', '.join(_PATTERN_KEYS)}", item=item)
        lists = {k: _str_list(spec.get(k), path, item, f"{lang}.{k}") for k in _PATTERN_KEYS}
        for key in ("wildcards", "exclude", "phrases", "lemmas"):
            for p in lists[key]:
                if key == "wildcards" or _is_wildcard(p) or set(p) & _BAD_WILDCARD_CHARS:
                    _check_wildcard(p, path, item, f"{lang}.{key}")
        patterns[lang] = Patterns(**lists)
    if not any(patterns.values()):
        raise ConfigError(path, "empty concept: no lemmas, wildcards or phrases in any language",
                          item=item)
    description = raw.get("description") or ""
    return Concept(id=cid, labels=dict(labels), colour=colour.upper(), patterns=patterns,
                   description=str(description))


def load_dictionary(path: str | Path | None = None) -> ConceptDictionary:
    """Read a concept dictionary (YAML); ``None`` reads the shipped default.

    Raises :class:`ConfigError` (one line: file, concept, problem) for a YAML error, an unknown
    key, a concept without labels or patterns, a bad wildcard, a bad colour or a duplicate id.
    """
    path = default_dictionary_path() if path is None else Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, "concept dictionary not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot read the concept dictionary ({exc})") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(path, f"YAML error{where}: {problem}") from None
    if not isinstance(raw, dict) or "concepts" not in raw:
        raise ConfigError(path, "a concept dictionary is a mapping with a 'concepts' list")
    unknown = [k for k in raw if k not in _TOP_KEYS]
    if unknown:
        raise ConfigError(path, f"unknown top-level key(s) {unknown}; allowed: "
                          f"{', '.join(sorted(_TOP_KEYS))}")
    items = raw["concepts"]
    if not isinstance(items, list) or not items:
        raise ConfigError(path, "'concepts' must be a non-empty list")
    concepts: list[Concept] = []
    seen: set[str] = set()
    for i, item in enumerate(items, 1):
        concept = _parse_concept(item, path, i)
        if concept.id in seen:
            raise ConfigError(path, "duplicate id", item=f"concept {concept.id!r}")
        seen.add(concept.id)
        concepts.append(concept)
    return ConceptDictionary(concepts=tuple(concepts), path=path,
                             name=str(raw.get("name") or path.stem),
                             description=str(raw.get("description") or ""))


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
    tokens : the token table of :func:`interview_lens.tokens.tokens_from`.
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
