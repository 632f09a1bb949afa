"""Bytes to text for plain-text documents and transcripts: BOMs, UTF-16 without a BOM, UTF-8,
cp1252, and the refusal of binary content, each with a one-line reason."""
from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from pathlib import Path

from interview_lens.errors import InputError

# C0 controls other than tab, newline, carriage return and form feed mark binary content.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    """Decode a plain-text file: BOMs first, then UTF-16 (NUL pattern, or reads as text),
    UTF-8, cp1252."""
    if not data.strip():
        raise InputError(path, "empty document")
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"),
                       (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return _strict(path, data, codec), codec, []
    codec = _utf16_without_bom(data)
    if codec:
        return _strict(path, data, codec), codec, []
    if b"\x00" in data:
        raise InputError(path, "binary content (NUL bytes), not a text document")
    try:
        text, codec, notes = data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as exc:
        # Word on Windows still saves "Texte brut" as cp1252; undefined bytes become U+FFFD.
        text, codec = data.decode("cp1252", errors="replace"), "cp1252"
        notes = [f"not valid UTF-8 (byte {exc.start}); read as cp1252 (Windows-1252)"]
    _reject_binary(path, text)
    return text, codec, notes


def _strict(path: Path, data: bytes, codec: str) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(path, f"cannot decode as {codec} (byte {exc.start})") from None
    _reject_binary(path, text)
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` for UTF-16 text without a BOM, else ``None``.

    Latin-script UTF-16 shows itself by its NUL bytes, one in nearly every character, all on one
    parity.  Arabic, Chinese or Russian UTF-16 has NULs only in its spaces, digits and line
    breaks (and a few characters such as U+4E00), too few to tell: then each byte order is tried
    on the first 64 KiB and kept when it reads as text (:func:`_reads_as_text`).  Without any NUL byte the data is left to UTF-8 and cp1252: read as
    UTF-16, plain ASCII pairs would make plausible-looking Chinese.
    """
    sample = data[:65536]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    # Latin-script UTF-16 has a NUL in nearly every high byte and almost none in low bytes.
    if odd >= 0.4 * half and even <= 0.05 * half:
        return "utf-16-le"
    if even >= 0.4 * half and odd <= 0.05 * half:
        return "utf-16-be"
    if not even + odd or len(data) % 2 or len(sample) < _UTF16_MIN_BYTES:
        return None
    scores = {}
    for codec in ("utf-16-le", "utf-16-be"):
        try:  # an incremental decoder keeps a surrogate pair cut by the sample's end pending
            text = codecs.getincrementaldecoder(codec)().decode(sample, final=False)
        except UnicodeDecodeError:  # a lone surrogate: not this byte order, or not text
            continue
        score = _reads_as_text(text)
        if score is not None:
            scores[codec] = score
    return max(scores, key=scores.__getitem__) if scores else None  # a tie: little-endian


# Below 64 characters the shares below are not evidence: random bytes pass 1 time in 5,000
# at 33 characters, never in 100,000 tries at 64 to 100.
_UTF16_MIN_BYTES = 128
# Unicode categories that never occur in a text document: unassigned, private use, surrogates,
# and the controls other than tab, line feed, form feed and carriage return.
_NOT_TEXT = {"Cn", "Co", "Cs"}
_TEXT_CONTROLS = set("\t\n\x0c\r")
# Japanese writes kanji, hiragana and katakana together: one script for the count below.
_JAPANESE = {"HIRAGANA": "CJK", "KATAKANA": "CJK"}


def _reads_as_text(text: str) -> float | None:
    """The share of letters in ``text`` when it looks like a document, else ``None``.

    A document has (almost) no unassigned, private-use or control characters, mostly letters
    among its non-space characters, and 95% of its letters in one or two scripts (Arabic and
    the Latin of names; Japanese counts as one).  Bytes that are not UTF-16 text, decoded as
    UTF-16, scatter over the whole 16-bit range: unassigned and private-use code points, Han,
    Hangul and a dozen other scripts.
    """
    counts = Counter(text)
    total = sum(n for c, n in counts.items() if not c.isspace())
    if not total:
        return None
    bad = letters = 0
    scripts: Counter[str] = Counter()
    for char, n in counts.items():
        category = unicodedata.category(char)
        if category in _NOT_TEXT or (category == "Cc" and char not in _TEXT_CONTROLS):
            bad += n
        elif category[0] in "LM":
            letters += n
            if category[0] == "L":  # "ARABIC LETTER ALEF", "CJK UNIFIED IDEOGRAPH-4E2D"
                script = unicodedata.name(char, "?").split()[0]
                scripts[_JAPANESE.get(script, script)] += n
    # one stray private-use glyph per thousand characters (a Word bullet) is still a document
    if bad > total // 1000 or letters < 0.5 * total:
        return None
    main = sum(n for _, n in scripts.most_common(2))
    if main < 0.95 * sum(scripts.values()):
        return None
    return letters / total


def _reject_binary(path: Path, text: str) -> None:
    sample = text[:65536]
    controls = len(_CONTROL_RE.findall(sample))
    if "\x00" in sample or controls > max(2, 0.05 * len(sample)):
        raise InputError(path, "binary content (control characters), not a text document")
