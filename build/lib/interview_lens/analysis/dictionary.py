"""Concept dictionaries: reading and checking the YAML that names each concept and its patterns.

A *concept* (``cooperation``, ``community``, ``sharing`` ...) is a named idea with per-language
patterns.  :func:`load_dictionary` reads a YAML dictionary (the package's
``data/concepts/default.yaml`` ships), :func:`code_concepts` finds every place a concept is
voiced (one row per *hit*, with offsets, so every count can be traced back to its words) and
:func:`unit_matrix` turns hits into the sparse presence matrix that
:mod:`interview_lens.analysis.cooccurrence` works on.

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

How the patterns are matched: :mod:`interview_lens.analysis.concepts`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Literal, Mapping

from interview_lens.errors import ConfigError
from interview_lens.reading.config import read_yaml
from interview_lens.text import is_acronym, unify_apostrophes

_TOP_KEYS = {"name", "description", "version", "concepts"}
_CONCEPT_KEYS = {"id", "labels", "colour", "color", "description"}
_PATTERN_KEYS = ("lemmas", "wildcards", "phrases", "exclude")
_LANG_RE = re.compile(r"^[a-z]{2,3}$")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_COLOUR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
# Only * and ? are wildcards; brackets, braces and regex syntax are refused rather than guessed.
_BAD_WILDCARD_CHARS = set("[]{}()|\\^$+")
_HYPHENS = "\\-‐‑"  # escaped for a regex character class
_WORD_RE = re.compile(rf"[^\s{_HYPHENS}']+'?|'")


# --------------------------------------------------------------------------- normalisation
def _nfc(text: str) -> str:
    return unify_apostrophes(unicodedata.normalize("NFC", str(text)))


def _fold(text: str) -> str:
    return _nfc(text).casefold()


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
        if is_acronym(word):
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
DEFAULT_DICTIONARY = Path(__file__).resolve().parents[1] / "data" / "concepts" / "default.yaml"


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
    raw = read_yaml(path, what="concept dictionary")
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
