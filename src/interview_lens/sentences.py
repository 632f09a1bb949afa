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
_NUMBERED = re.compile(r"(?<![^\W_])(?:No|Nos|no|nos|n°|p|pp|art|Art|vol|Vol|chap|fig|Fig)$")
# French typography puts a (thin) space before the closing guillemet: « Bien. »
_END = re.compile(r"[.!?…]+(?:[ \t\u00a0\u202f]*»)?[\"»”’)\]]*(?=\s)")
_OPENERS = "«\"“‘'([¿¡"


def _abbreviation_re(language: str) -> re.Pattern[str]:
    words = _ABBREVIATIONS.get(language, _ABBREVIATIONS["en"] + "|" + _ABBREVIATIONS["fr"])
    # matched against the text just before the full stop: the abbreviation must start a word
    return re.compile(rf"(?<![^\W_])(?:{words}{_COMMON})$")


_ABBR_CACHE: dict[str, re.Pattern[str]] = {}


def _starts_sentence(ch: str) -> bool:
    return ch.isupper() or ch.isdigit() or ch in _OPENERS


def split_sentences(text: str, *, language: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``: ``(start, end)`` offsets, whitespace trimmed, in order.

    Every non-blank line holds at least one sentence; ``text[start:end]`` never starts or ends
    with whitespace.
    """
    abbr = _ABBR_CACHE.get(language)
    if abbr is None:
        abbr = _ABBR_CACHE[language] = _abbreviation_re(language)
    cuts: list[int] = []
    n = len(text)
    for m in _END.finditer(text):
        end = m.end()
        nxt = end
        while nxt < n and text[nxt] in " \t":
            nxt += 1
        if nxt >= n or text[nxt] == "\n" or not _starts_sentence(text[nxt]):
            continue  # a line break cuts anyway; a lower-case word continues the sentence
        if m.end() - m.start() == 1 and text[m.start()] == ".":
            if abbr.search(text, max(0, m.start() - 12), m.start()):
                continue
            if text[nxt].isdigit() and _NUMBERED.search(text, max(0, m.start() - 6), m.start()):
                continue
        cuts.append(end)
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
