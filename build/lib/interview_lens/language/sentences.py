"""Rule-based sentence splitting for French and English interview text.

A sentence ends at ``.``, ``!``, ``?`` or ``…`` (possibly repeated, possibly followed by closing
quotes or brackets) when whitespace and then a capital letter, a digit or an opening quote follow,
and always at a line break (a paragraph).  A full stop does NOT end a sentence after a title or a
common abbreviation (``M.``, ``Dr.``, ``Mr.``, ``St.``, ``p. ex.``, ``e.g.``, ``i.e.``), after a
dotted acronym (``U.S.``) or after an initial (``J. Kurbalija``).  Decimals (``3.5``, ``3,5``)
and ellipses never split because no whitespace follows inside them.  Rules rather than a trained
model: the behaviour is predictable, documented and identical offline.
"""
from __future__ import annotations

import re

# Abbreviations after which a full stop never ends a sentence (they precede a name or an
# example).  `etc.` is deliberately absent: it ends sentences as often as not, so it splits only
# when a capital follows, like any full stop.
_ABBREVIATIONS = {
    "fr": r"M|MM|Mme|Mmes|Mlle|Mlles|Dr|Pr|Me|Mgr|St|Ste|cf|Cf|p\.\s?ex|ex|env|av|apr|J\.-C|vol|"
          r"chap|fig|éd|coll|dir|trad|resp|n°",
    "en": r"Mr|Mrs|Ms|Mx|Dr|Prof|St|Sr|Jr|Gen|Gov|Sen|Rep|Rev|Hon|Inc|Ltd|Corp|cf|Cf|e\.g|i\.e|"
          r"vs|approx|Dept|vol|ch|fig|Fig",
}
_COMMON = r"|(?:[^\W\d_]\.){1,5}[^\W\d_]|[^\W\d_a-z]"  # U.S / e.g / an initial J

# before a number only: "No. 5", "p. 12", "art. 3" (but "... in 2020. 5 people" still splits)
_NUMBERED = re.compile(r"No|Nos|no|nos|n°|p|pp|art|Art|vol|Vol|chap|fig|Fig")
# A candidate end and the first character after the spaces that follow it (a line break is a
# cut anyway).  French typography puts a (thin) space before the closing guillemet: « Bien. »
_END = re.compile(r"[.!?…]+(?:[ \t\u00a0\u202f]*»)?[\"»”’)\]]*(?=[ \t\u00a0\u202f]+(\S))")
_OPENERS = "«\"“‘'([¿¡"
_LEADING = "«\"“‘'([¿¡"


def _abbreviation_re(language: str) -> re.Pattern[str]:
    words = _ABBREVIATIONS.get(language, _ABBREVIATIONS["en"] + "|" + _ABBREVIATIONS["fr"])
    return re.compile(rf"(?:{words}{_COMMON})")


_ABBR_CACHE: dict[str, re.Pattern[str]] = {}


def sentence_cuts(text: str, *, language: str) -> list[int]:
    """Offsets where a sentence ends inside a line (line breaks are not listed), ascending."""
    abbr = _ABBR_CACHE.get(language)
    if abbr is None:
        abbr = _ABBR_CACHE[language] = _abbreviation_re(language)
    cuts: list[int] = []
    for m in _END.finditer(text):
        nxt = m.group(1)
        if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
            continue  # a lower-case word continues the sentence
        start = m.start()
        if m.end() - start == 1 and text[start] == ".":
            # the word before the full stop (C-level searches: this loop is on the hot path)
            lo = max(0, start - 24)  # abbreviations are short: never scan further back
            left = max(lo - 1, text.rfind(" ", lo, start), text.rfind("\n", lo, start),
                       text.rfind("\t", lo, start), text.rfind("\u00a0", lo, start))
            word = text[left + 1:start].lstrip(_LEADING)
            if abbr.fullmatch(word) or (nxt.isdigit() and _NUMBERED.fullmatch(word)):
                continue
        cuts.append(m.end())
    return cuts


def split_sentences(text: str, *, language: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``: ``(start, end)`` offsets, whitespace trimmed, in order.

    Every non-blank line holds at least one sentence; ``text[start:end]`` never starts or ends
    with whitespace.
    """
    cuts = sentence_cuts(text, language=language)
    n = len(text)
    spans: list[tuple[int, int]] = []
    line_start = 0
    cut_iter = iter(cuts)
    cut = next(cut_iter, None)
    while line_start <= n:
        line_end = text.find("\n", line_start)
        if line_end < 0:
            line_end = n
        start = line_start
        while cut is not None and cut <= line_end:
            if cut > start:
                _append(spans, text, start, cut)
                start = cut
            cut = next(cut_iter, None)
        _append(spans, text, start, line_end)
        line_start = line_end + 1
    return spans


def _append(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
