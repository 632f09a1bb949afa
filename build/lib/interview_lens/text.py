"""Text primitives, defined once: document normalisation, apostrophes and hyphens, acronyms, slugs.

Every stage that compares words goes through these, so the reader, the token table and the
concept dictionary agree on what ``d’avenir`` and ``d'avenir``, or ``IA`` and ``ia``, are.
"""
from __future__ import annotations

import re
import unicodedata

#: Apostrophes unified to ``'`` in a token's ``norm`` and in dictionary patterns (the text keeps
#: its typography).  The acute accent is a common typing of the apostrophe; the backtick is not
#: taken: in Markdown it marks code.
APOSTROPHES = "'’ʼ‘´"
#: Hyphens unified to ``-`` (hyphen-minus, Unicode hyphen, non-breaking hyphen).
HYPHENS = "-‐‑"
_NORM_TABLE = str.maketrans({**{c: "'" for c in APOSTROPHES}, **{c: "-" for c in HYPHENS}})

_NBSP = {"\u00a0": " ", "\u202f": " ", "\u2007": " "}
_NBSP_RE = re.compile("[\u00a0\u202f\u2007]")
# Invisible characters that cut a word in two for every regex and dictionary
# (``commu\u00adnauté`` is not ``communauté``).  Soft hyphen, word joiner and zero-width no-break
# space (a BOM inside the text) are only hints to a renderer: they go everywhere.
_INVISIBLE_RE = re.compile("[\u00ad\u2060\ufeff]")
# Zero-width space, non-joiner and joiner mean something between the letters of scripts written
# without spaces or with joining forms (a Thai word break, the Persian non-joiner of
# ``می‌خواهم``, an emoji ZWJ sequence): they are kept there.  Next to a Latin, Greek or Cyrillic
# letter, a digit, a space, punctuation or either end of the text they can only be noise pasted
# from a web page or a word processor, and go.
_ZW = "[\u200b-\u200d]"
_ZW_NOISE_NEXT_TO = "\x00-\u024f\u0370-\u052f\u1e00-\u1fff\u2000-\u206f\u3000\\s"
_ZERO_WIDTH_RE = re.compile(f"(?<![^{_ZW_NOISE_NEXT_TO}]){_ZW}|{_ZW}(?![^{_ZW_NOISE_NEXT_TO}])")
_INVISIBLE = ("\u00ad", "\u2060", "\ufeff", "\u200b", "\u200c", "\u200d")
def normalise(text: str) -> str:
    """NFC, non-breaking spaces -> spaces, ``\\r\\n``/``\\r`` -> ``\\n``, invisible characters
    that cut words removed (soft hyphen, zero-width space, word joiner, BOM; zero-width
    (non-)joiners kept only between letters of scripts that use them); apostrophes untouched."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _NBSP_RE.search(text):
        text = _NBSP_RE.sub(lambda m: _NBSP[m.group()], text)
    if any(c in text for c in _INVISIBLE):  # substring search: 15x faster than a set
        text = _ZERO_WIDTH_RE.sub("", _INVISIBLE_RE.sub("", text))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def normalise_token(token: str) -> str:
    """Lower-case ``token`` and unify apostrophes to ``'`` and hyphens to ``-``."""
    return token.lower().translate(_NORM_TABLE)


def unify_apostrophes(text: str) -> str:
    """``text`` with every apostrophe of :data:`APOSTROPHES` written ``'``."""
    return text.translate(_APOSTROPHE_TABLE)


_APOSTROPHE_TABLE = str.maketrans({c: "'" for c in APOSTROPHES})
# As a token (the token table): 2-5 capital letters, optionally dotted (U.S., U.E.); a longer
# all-capital word in running text is more often a shouted or upper-case name (``JEAN-MARC``).
_TOKEN_ACRONYM = re.compile(r"^(?:[^\W\d_a-z]{2,5}|(?:[^\W\d_a-z]\.){2,5})$")


def is_acronym(word: str, *, token: bool = False) -> bool:
    """True when every letter of ``word`` is a capital and it has at least two (``IA``, ``ONU``,
    ``U.S.``, ``UNESCO``, ``COVID-19``).

    ``token=True`` asks the token table's narrower question: only 2-5 capitals, optionally
    dotted, nothing else (an acronym keeps its case as lemma and is never looked up in
    stopwordsiso, whose English list holds "ai", "un", "us").
    """
    letters = [c for c in word if c.isalpha()]
    if len(letters) < 2 or not all(c.isupper() for c in letters):
        return False
    return not token or bool(_TOKEN_ACRONYM.match(word))


def slugify(name: str) -> str:
    """ASCII slug of a file stem: ``Entretien d’Hélène (v2)`` -> ``entretien-d-helene-v2``."""
    decomposed = unicodedata.normalize("NFKD", name)
    # accents go (é -> e); any other non-ASCII character (’ « —) separates words
    ascii_ = "".join(
        c if c.isascii() else ("" if unicodedata.combining(c) else " ") for c in decomposed
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    return slug or "document"
