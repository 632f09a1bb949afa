"""Word spans of the token table: runs of word characters inside the turns, coded by form,
then French elisions and clitics and English contractions split off (see :mod:`.tokens`)."""
from __future__ import annotations

import re

import numpy as np

from interview_lens.text import APOSTROPHES, HYPHENS, normalise_token

_APOS = "[" + APOSTROPHES + "]"
_FR_ELISION = re.compile(rf"(?i:jusqu|lorsqu|puisqu|quoiqu|qu|[ldnjmtsc]){_APOS}(?=\w)")
# Inverted subject/object pronouns after a verb: "apporte-t-il", "pensez-vous", "dit-elle".
# Case-sensitive so that names (Jean-Yves) are left alone.
_FR_CLITIC = re.compile(r"[-‐‑](?:t[-‐‑])?(il|elle|on|ils|elles|je|tu|nous|vous|ce|moi|toi|lui|"
                        r"leur|y|en|le|la|les)$")
_FR_CLITIC_KEEP = {"rendez-vous", "vis-à-vis", "peut-être", "c'est-à-dire", "est-ce"}
_EN_NOT = re.compile(rf"(?i:n{_APOS}t)$")
_EN_CLITIC = re.compile(rf"(?i:{_APOS}(?:s|re|ve|ll|d|m))$")
_DOTTED = re.compile(r"(?<![^\W_.])(?:[^\W\d_]\.){2,}(?![^\W_])")
def _word_spans(text: str, t_start: np.ndarray, t_end: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start/end offsets of the runs of word characters inside the turns' spans, and the text's
    code points (uint32)."""
    chars = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if not text or not len(t_start):
        return np.zeros(0, np.int64), np.zeros(0, np.int64), chars
    present = np.flatnonzero(np.bincount(chars))
    alnum = np.zeros(int(present[-1]) + 1, dtype=bool)
    digit = np.zeros_like(alnum)
    for c in present.tolist():  # once per distinct character, not per character
        ch = chr(c)
        alnum[c] = ch.isalnum()
        digit[c] = ch.isdecimal()
    word = alnum[chars]
    is_digit = digit[chars]
    if len(chars) > 2:
        joiner_lut = np.zeros_like(alnum)
        joiner_lut[[ord(c) for c in APOSTROPHES + HYPHENS if ord(c) < len(joiner_lut)]] = True
        joiners = joiner_lut[chars]
        decimal = (chars == ord(".")) | (chars == ord(","))
        inner = np.zeros_like(word)
        inner[1:-1] = (joiners[1:-1] & word[:-2] & word[2:]) | (
            decimal[1:-1] & is_digit[:-2] & is_digit[2:])
        dots = np.flatnonzero((chars[1:-1] == ord(".")) & word[:-2] & word[2:]) + 1
        word |= inner
        # dotted acronyms (U.S., e.g.): rare, so the regex only looks near candidate dots
        for pos in dots.tolist():
            for m in _DOTTED.finditer(text, max(0, pos - 3), min(len(text), pos + 12)):
                word[m.start():m.end()] = True
    inside = np.zeros(len(chars) + 1, dtype=np.int32)
    np.add.at(inside, t_start, 1)
    np.add.at(inside, t_end, -1)
    word &= np.cumsum(inside[:-1], dtype=np.int32) > 0
    edges = np.diff(word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    # a turn that starts right where the previous one ends must not share a token with it
    glued = t_start[(t_start > 0) & (t_start < len(word))]
    glued = glued[word[glued] & word[glued - 1]]
    if len(glued):
        starts = np.sort(np.concatenate([starts, glued]))
        ends = np.sort(np.concatenate([ends, glued]))
    return starts.astype(np.int64), ends.astype(np.int64), chars


def _factorize_spans(text: str, chars: np.ndarray, starts: np.ndarray, ends: np.ndarray
                     ) -> tuple[np.ndarray, list[str]]:
    """Codes of the distinct forms ``text[s:e]`` and the forms, in order of first appearance.

    The token strings are never built one by one: their UTF-8 bytes are gathered with numpy
    into one Arrow string array, which Arrow's hash table dictionary-encodes in C++.
    """
    import pyarrow as pa

    n = len(starts)
    if n == 0:
        return np.zeros(0, np.int64), []
    data = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    if len(data) == len(text):  # ASCII: character offsets are byte offsets
        b_start, b_end = starts, ends
    else:
        width = (1 + (chars >= 0x80).view(np.uint8) + (chars >= 0x800).view(np.uint8)
                 + (chars >= 0x10000).view(np.uint8))
        byte_at = np.zeros(len(chars) + 1, dtype=np.int64)
        np.cumsum(width, out=byte_at[1:])
        b_start, b_end = byte_at[starts], byte_at[ends]
    lengths = b_end - b_start
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    # byte indices in 32 bits when they fit: half the memory traffic on the hot path
    index = np.int32 if len(data) < 2**31 else np.int64
    gather = np.repeat((b_start - offsets[:-1]).astype(index), lengths)
    gather += np.arange(offsets[-1], dtype=index)
    array = pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data[gather]))
    encoded = array.dictionary_encode()
    return (encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64),
            encoded.dictionary.to_pylist())


def _pieces(form: str, language: str) -> list[tuple[int, int]]:
    """Sub-spans of one word form: clitics split off (see the module docstring)."""
    pieces: list[tuple[int, int]] = []
    start, end = 0, len(form)
    if language == "fr":
        while m := _FR_ELISION.match(form, start):
            pieces.append((start, m.end()))
            start = m.end()
        tail: list[tuple[int, int]] = []
        while normalise_token(form[start:end]) not in _FR_CLITIC_KEEP and (
                m := _FR_CLITIC.search(form, start, end)) and m.start() > start:
            tail.insert(0, (m.start(1), m.end(1)))
            end = m.start()
        return pieces + [(start, end)] + tail
    if language == "en":
        m = _EN_NOT.search(form)
        if m and m.start() > 0:
            return [(0, m.start()), (m.start(), end)]
        m = _EN_CLITIC.search(form)
        if m and m.start() > 0:
            return [(0, m.start()), (m.start(), end)]
    return [(0, end)]


def _split_clitics(starts, ends, codes, forms, language):
    """Expand tokens whose form splits into pieces; the pieces become forms of their own."""
    if language not in ("fr", "en"):
        return starts, ends, codes, forms
    piece_forms: dict[str, int] = {}
    rel_start: list[int] = []
    rel_end: list[int] = []
    piece_code: list[int] = []
    first = np.empty(len(forms), dtype=np.int64)
    count = np.empty(len(forms), dtype=np.int64)
    for i, form in enumerate(forms):
        first[i] = len(rel_start)
        spans = _pieces(form, language)
        count[i] = len(spans)
        for s, e in spans:
            rel_start.append(s)
            rel_end.append(e)
            piece_code.append(piece_forms.setdefault(form[s:e], len(piece_forms)))
    new_forms = list(piece_forms)
    if (count == 1).all():
        remap = np.asarray(piece_code, dtype=np.int64)
        return starts, ends, remap[codes], new_forms
    n = count[codes]
    row = np.repeat(np.arange(len(codes)), n)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(n) - n, n)
    piece = first[codes[row]] + offset
    base = starts[row]
    return (base + np.asarray(rel_start)[piece], base + np.asarray(rel_end)[piece],
            np.asarray(piece_code, dtype=np.int64)[piece], new_forms)
