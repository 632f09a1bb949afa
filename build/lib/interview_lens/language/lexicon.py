"""The word lists behind the token table: stopwords, fillers, lemma overrides, multi-word terms.

The lists are inspectable files in ``interview_lens/data/lexicon/`` (see its README.md); this
module reads them once per language and answers the per-word-type questions that
:func:`interview_lens.language.tokens.tokens_from` asks: *what is this form's lemma?* and *is it a
stopword?*.  Lemmas come from simplemma (offline dictionaries), corrected by
``lemma_overrides.csv``; stopwords from stopwordsiso, minus ``stop_remove.txt``, plus
``stop_add.txt`` and ``fillers.txt``; multi-word function expressions (``en matière de``,
``point de vue``, ``in terms of``) from ``stop_multiword.txt``.
"""
from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import pandas as pd

from interview_lens.errors import ConfigError
from interview_lens.text import normalise_token

LEXICON_DIR = Path(__file__).resolve().parents[1] / "data" / "lexicon"

_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*(?:e|er|re|ère|ème|eme|nd|nde|th|st|rd|s|%)?$")


def is_number(token: str) -> bool:
    """True for ``2025``, ``3,5``, ``10e``, ``1990s``: numbers never count as terms."""
    return bool(_NUMBER.match(token))


def _read_list(path: Path) -> list[str]:
    if not path.is_file():
        return []
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.append(line)
    return words


@dataclass(frozen=True)
class Lexicon:
    """The word lists of one language, as used by ``tokens_from``."""

    language: str
    iso: frozenset[str]  # stopwordsiso's list, normalised
    removed: frozenset[str]
    added: frozenset[str]
    fillers: frozenset[str]
    overrides: dict[str, str]  # norm -> lemma
    multiword: tuple[tuple[str, str], ...]  # (variant as written, canonical)
    has_lemmas: bool
    #: multi-word function expressions, merged into one stopword row: (variant, canonical)
    stop_multiword: tuple[tuple[str, str], ...] = ()
    #: canonical (normalised) -> the name as written in multiword.txt (``Nations unies``)
    names: tuple[tuple[str, str], ...] = ()

    @property
    def stopwords(self) -> frozenset[str]:
        """The final list: stopwordsiso - removed + added + fillers (normalised forms)."""
        return (self.iso - self.removed) | self.added | self.fillers


@lru_cache(maxsize=None)
def load_lexicon(language: str) -> Lexicon:
    """Read the shipped lists for ``language`` (cached; languages without files get stopwordsiso
    and simplemma only)."""
    import simplemma.strategies.dictionaries.dictionary_factory as dictionaries
    import stopwordsiso

    language = (language or "").lower()
    iso = frozenset(normalise_token(w) for w in stopwordsiso.stopwords(language)) if (
        language and stopwordsiso.has_lang(language)) else frozenset()
    folder = LEXICON_DIR / language if language else None

    def words(name: str) -> frozenset[str]:
        return frozenset(normalise_token(w) for w in _read_list(folder / name)) if folder else frozenset()

    multiword, stop_multiword, names = [], [], {}
    if folder:
        for line in _read_list(folder / "multiword.txt"):
            multiword.append(parse_multiword(line, source=folder / "multiword.txt"))
            cased = cased_name(line)
            if cased:
                names[multiword[-1][1]] = cased
        for line in _read_list(folder / "stop_multiword.txt"):
            stop_multiword.append(parse_multiword(line, source=folder / "stop_multiword.txt"))
    return Lexicon(
        language=language,
        iso=iso,
        removed=words("stop_remove.txt"),
        added=words("stop_add.txt"),
        fillers=words("fillers.txt"),
        overrides=_overrides().get(language, {}),
        multiword=tuple(multiword),
        has_lemmas=language in dictionaries.SUPPORTED_LANGUAGES,
        stop_multiword=tuple(stop_multiword),
        names=tuple(names.items()),
    )


def parse_multiword(line: str, *, source: str | Path | None = None) -> tuple[str, str]:
    """``"open-source => open source"`` -> ``("open-source", "open source")``; a plain term is
    its own canonical form (lower-cased, apostrophes unified)."""
    variant, sep, canonical = line.partition("=>")
    variant, canonical = variant.strip(), (canonical.strip() if sep else variant.strip())
    if not variant or not canonical:
        raise ConfigError(source, f"empty multi-word term in line {line!r}")
    return variant, normalise_token(" ".join(canonical.split()))


def cased_name(line: str) -> str | None:
    """The canonical of a multi-word line as written when it holds a capital letter
    (``"nations unies => Nations unies"`` -> ``"Nations unies"``), else None.

    A capitalised canonical declares the term a name: its lemma keeps that spelling in a
    document that always capitalises it (see ``tokens_from``); a lower-case canonical
    (``open source``) is a common term and its lemma stays lower-case.
    """
    variant, sep, canonical = line.partition("=>")
    written = " ".join((canonical if sep else variant).split())
    return written if written != written.lower() else None


@lru_cache(maxsize=1)
def _overrides() -> dict[str, dict[str, str]]:
    path = LEXICON_DIR / "lemma_overrides.csv"
    table: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            table.setdefault(row["language"], {})[normalise_token(row["form"])] = row["lemma"]
    return table


def lemma_overrides(language: str | None = None) -> pd.DataFrame:
    """The override table: columns ``language, form, lemma, reason`` (one language or all)."""
    df = pd.read_csv(LEXICON_DIR / "lemma_overrides.csv", dtype=str, keep_default_na=False)
    if language is not None:
        df = df[df["language"] == language].reset_index(drop=True)
    return df


def stopword_table(language: str) -> pd.DataFrame:
    """The stopwords in use for ``language``, one row per word.

    Returns columns ``word`` (normalised form) and ``source``: ``filler`` (fillers.txt),
    ``added`` (stop_add.txt) or ``stopwordsiso`` (the maintained list, minus stop_remove.txt),
    sorted by word.  Speaker names and labels, numbers and acronyms are decided per interview
    and are not listed here; :func:`removed_stopwords` gives the removal list.
    """
    lex = load_lexicon(language)
    rows = {w: "stopwordsiso" for w in lex.iso - lex.removed}
    rows.update({w: "added" for w in lex.added})
    rows.update({w: "filler" for w in lex.fillers})
    words = sorted(rows)
    return pd.DataFrame({"word": words, "source": [rows[w] for w in words]})


def removed_stopwords(language: str) -> pd.DataFrame:
    """Words taken out of stopwordsiso's list: columns ``word`` and ``in_stopwordsiso`` (False
    for guard entries the current list does not contain)."""
    lex = load_lexicon(language)
    words = sorted(lex.removed)
    return pd.DataFrame({"word": words, "in_stopwordsiso": [w in lex.iso for w in words]})


def multiword_terms(language: str, extra: Iterable[str] | None = None) -> pd.DataFrame:
    """Multi-word terms in use: columns ``variant`` and ``term`` (canonical)."""
    pairs = list(load_lexicon(language).multiword)
    pairs += [parse_multiword(t) for t in (extra or ())]
    return pd.DataFrame(pairs, columns=["variant", "term"])


def stop_expressions(language: str) -> pd.DataFrame:
    """Multi-word function expressions flagged as stopwords (``stop_multiword.txt``): columns
    ``variant`` (as matched) and ``expression`` (canonical, the row's lemma)."""
    pairs = list(load_lexicon(language).stop_multiword)
    return pd.DataFrame(pairs, columns=["variant", "expression"])


def lemmatize(norm: str, language: str) -> str:
    """Lemma of one normalised word form (override table first, then simplemma, lower-cased).

    Callers lemmatise word TYPES, so this is called once per distinct form, not per token.
    """
    lex = load_lexicon(language)
    lemma = lex.overrides.get(norm)
    if lemma is not None:
        return lemma
    if not lex.has_lemmas:
        return norm
    import simplemma

    return simplemma.lemmatize(norm, lang=lex.language).lower()


#: Languages that detection chooses among (French and English are analysed in full; the others
#: are recognised so that a German or Spanish interview is reported, not misread).
DETECT_LANGUAGES = ("fr", "en", "de", "es", "it", "pt", "nl")
_LANGUAGE_NAMES = {"fr": "French", "en": "English", "de": "German", "es": "Spanish",
                   "it": "Italian", "pt": "Portuguese", "nl": "Dutch"}


def language_name(code: str | None) -> str:
    """``"fr"`` -> ``"French"`` (for figure subtitles); a code it does not know is returned as
    given, and no code as ``"unknown language"``."""
    code = (code or "").strip()
    return _LANGUAGE_NAMES.get(code.lower(), code) or "unknown language"


#: Stopword-share detection decides alone with at least this many words, a winning share of at
#: least STOP_SHARE_MIN and STOP_SHARE_RATIO times the runner-up's; otherwise simplemma decides.
STOP_MIN_WORDS = 20
STOP_SHARE_MIN = 0.3
STOP_SHARE_RATIO = 1.5
_LETTERS = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=None)
def _detection_stopwords(language: str) -> frozenset[str]:
    import stopwordsiso

    return frozenset(normalise_token(w) for w in stopwordsiso.stopwords(language))


def stopword_shares(text: str, candidates: Iterable[str] = DETECT_LANGUAGES
                    ) -> tuple[list[tuple[str, float]], int]:
    """Share of ``text``'s words (runs of letters, lower-cased) in each candidate's stopword
    list, best first, and the number of words."""
    words = _LETTERS.findall(text.lower())
    counts = Counter(words)
    n = max(1, len(words))
    shares = []
    for lang in candidates:
        stop = _detection_stopwords(lang)
        shares.append((lang, sum(c for w, c in counts.items() if w in stop) / n))
    return sorted(shares, key=lambda p: -p[1]), len(words)


@lru_cache(maxsize=64)
def detect_language(sample: str, candidates: tuple[str, ...] = DETECT_LANGUAGES
                    ) -> list[tuple[str, float]]:
    """Rank ``candidates`` for ``sample``, best first, as ``simplemma.langdetect`` does.

    Function words decide running text cheaply: in an interview about half the words are
    stopwords of its language (the sample: 54% French, 28% English), so when the shares are
    clear (see ``STOP_*``) they are the answer.  Short or mixed texts go to
    ``simplemma.langdetect``, which lemmatises a sample in every candidate language (about 12 ms
    and the dictionaries of all seven languages in memory, ~400 MB, which the fast path never
    loads).
    """
    shares, n_words = stopword_shares(sample, candidates)
    if (n_words >= STOP_MIN_WORDS and shares[0][1] >= STOP_SHARE_MIN
            and shares[0][1] >= STOP_SHARE_RATIO * shares[1][1]):
        return shares
    import simplemma

    return simplemma.langdetect(sample, lang=candidates)
