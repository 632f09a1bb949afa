"""Read machine transcripts (.vtt WebVTT, .srt SubRip) into a timed :class:`Document`.

Cues are read with kept libraries (``webvtt-py`` for WebVTT, ``srt`` for SubRip), then their
speakers are found by the convention the file uses, decided once over the whole file:

- voice tags ``<v Name>text</v>`` (Microsoft Teams; ``<v.loud Name>``, several in one cue);
- ``Name: text`` at the start of a cue (Zoom): a name counts when it starts two cues or more,
  or when at least half of the cues start with a name (then every capitalised name without a
  bare number counts); a name starting a later line of a cue counts when it is one of those;
- no names, but a leading ``- `` or ``>>`` marking a change of speaker: ``Speaker 1`` and
  ``Speaker 2`` alternate at each marker (with a warning: the speakers are inferred).  A dash
  that may be punctuation (an em dash, a dash on a wrapped line) is a marker only after the
  end of a sentence;
- none of these: no labels, one paragraph per group of cues that ends a sentence (or before a
  pause), which the segmenter reads like any unlabelled text.

Consecutive cues of one speaker become one paragraph ``Name: text text``.  Styling tags,
karaoke timestamps, cue settings, NOTE/STYLE/REGION blocks and HTML entities are dropped, and
YouTube-style rolling captions (each cue repeating the previous cue's last line) are
de-duplicated.  ``Document.times`` gives each paragraph's ``(start_char, end_char, start_s,
end_s)``, so a turn can be traced back to the recording.
"""
from __future__ import annotations

import html
import io as _stdio
import logging
import re
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from interview_lens.errors import InputError, InterviewWarning
from interview_lens.model import Document
from interview_lens.reading.decode import decode_text
from interview_lens.text import normalise

FORMATS = {".vtt": "vtt", ".srt": "srt"}
# A silence this long (seconds) between cues ends a paragraph of unpunctuated, unlabelled text.
PAUSE_S = 2.0
# Share of cues that must start with `Name:` for every such name to count (Zoom's layout).
ZOOM_SHARE = 0.5

# `<v Name>`, `<v.loud Name>`, `</v>`, `<i>`, `<c.colorE5E5E5>`, `<00:00:01.000>`, `<font ...>`;
# a `<` followed by a space or `3` is text (`a < b`, `<3`).
_TAG = re.compile(r"<(/?[A-Za-z][^<>]*|\d[\d:.]*)>")
_VOICE = re.compile(r"v(?:\.[^\s.>]+)*\s+(?P<name>[^>]+)", re.S)
_ASS = re.compile(r"\{\\[^{}]*\}")  # SubRip positioning: `{\an8}`
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u2060]")
_MARKER = re.compile(r"\s*(?:(?P<arrows>>>+)|(?P<dash>[-–—])(?=\s|[^\W\d_]))\s*")
_NAME = r"[^\W\d_][\w'’.\-]*(?: [\w'’.\-&/]+){0,4}"
# Teams and Zoom append `(Guest)`, `(External)` or an organisation: not part of the name.
_QUALIFIER = r"(?: ?[(\[][^()\[\]\n]{1,40}[)\]])"
_ZOOM = re.compile(rf"(?P<name>{_NAME}){_QUALIFIER}? ?:(?:\s+|$)(?P<rest>.*)", re.S)
_QUALIFIER_END = re.compile(rf"\s*{_QUALIFIER}\s*$")
_SENTENCE_END = re.compile(r"[.?!…][\s\"”»’)\]]*$")


@dataclass(slots=True)
class _Cue:
    start: float
    end: float
    raw: str  # the cue's text as in the file, tags included


@dataclass(slots=True)
class _Piece:
    """Text of one cue said by one speaker (a cue with two voices or markers gives two)."""

    cue: int                      # the cue's number in the file
    start: float
    end: float
    text: str
    voice: str | None = None      # from a `<v>` tag
    candidate: str | None = None  # `Name` of a leading `Name:`, accepted later or not
    lead: str = ""                # what `candidate` took off the text, put back if refused
    marker: bool = False          # a leading `- ` or `>>`
    opens: bool = True            # the cue's first line, or a marked one


@dataclass(slots=True)
class _Paragraph:
    label: str
    start: float
    end: float
    texts: list[str] = field(default_factory=list)


def read_transcript(path: Path, data: bytes) -> Document:
    """Read a ``.vtt`` or ``.srt`` file's bytes into a :class:`Document` with ``times``.

    Parameters
    ----------
    path : the file (its suffix picks the format; it names the file in errors and warnings).
    data : the file's bytes (UTF-8 with or without BOM, UTF-16 with BOM, cp1252 fallback).

    Returns a Document whose ``text`` is one paragraph per speaker stretch (``Name: text``, or
    bare text when the file names nobody) and whose ``times`` holds ``(start_char, end_char,
    start_s, end_s)`` per paragraph.  Raises :class:`InputError` for a file that is not a
    transcript of its format, or has no cue with text.
    """
    fmt = FORMATS[path.suffix.lower()]
    text, encoding, notes = decode_text(path, data)
    text = normalise(text)
    cues = _vtt_cues(path, text, notes) if fmt == "vtt" else _srt_cues(path, text, notes)
    if not cues:
        raise InputError(path, f"no cue in this {_NAMES[fmt]} file")
    pieces = _pieces(cues)
    paragraphs = _paragraphs(pieces, notes)
    body, times = _layout(paragraphs)
    if not body.strip():
        raise InputError(path, f"no text in the cues of this {_NAMES[fmt]} file")
    for note in notes:
        warnings.warn(f"{path}: {note}", InterviewWarning, stacklevel=3)
    return Document(path=path, text=body, format=fmt, encoding=encoding,
                    warnings=tuple(notes), times=times)


_NAMES = {"vtt": "WebVTT", "srt": "SubRip"}


def _vtt_cues(path: Path, text: str, notes: list[str]) -> list[_Cue]:
    """Cues of a WebVTT file; NOTE, STYLE and REGION blocks and cue settings are left out."""
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    try:
        captions = webvtt.WebVTT.from_buffer(_stdio.StringIO(text)).captions
    except MalformedFileError:
        raise InputError(path, "not a WebVTT file (its first line must start with WEBVTT)") \
            from None
    except (MalformedCaptionError, ValueError) as exc:
        raise InputError(path, f"unreadable WebVTT cue ({exc})") from None
    cues = [_Cue(c.start_time.in_milliseconds() / 1000, c.end_time.in_milliseconds() / 1000,
                 c.raw_text) for c in captions]
    # webvtt-py drops a cue block with unreadable timings without a word: count them
    skipped = sum("-->" in line for line in text.split("\n")) - len(cues)
    if skipped > 0 and not cues:
        raise InputError(path, f"no readable cue in this WebVTT file ({skipped} with "
                               "unreadable timings)")
    if skipped > 0:
        notes.append(f"{skipped} cue(s) with unreadable timings were skipped")
    return cues


def _srt_cues(path: Path, text: str, notes: list[str]) -> list[_Cue]:
    """Cues of a SubRip file; unreadable stretches between cues are skipped with a warning."""
    import srt

    try:
        subtitles = list(srt.parse(text))
    except srt.SRTParseError as exc:
        subtitles = _lenient_srt(text)
        if subtitles:
            line = text.count("\n", 0, exc.expected_start) + 1
            notes.append(f"unreadable SubRip text was skipped (the first at line {line})")
    except ValueError as exc:  # srt.TimestampParseError
        raise InputError(path, f"unreadable SubRip timing ({exc})") from None
    return [_Cue(s.start.total_seconds(), s.end.total_seconds(), s.content) for s in subtitles]


def _lenient_srt(text: str) -> list:
    import srt

    logger = logging.getLogger("srt")
    disabled, logger.disabled = logger.disabled, True  # we report it ourselves, in one line
    try:
        return list(srt.parse(text, ignore_errors=True))
    except ValueError:
        return []
    finally:
        logger.disabled = disabled


def _pieces(cues: list[_Cue]) -> list[_Piece]:
    """Split every cue into voices and lines, drop rolling-caption repeats, cut per speaker."""
    split = [_voices(cue.raw) for cue in cues]
    _drop_rolling_repeats(split)
    pieces: list[_Piece] = []
    for number, (cue, segments) in enumerate(zip(cues, split)):
        first = True
        for voice, lines in segments:
            if voice is not None:
                pieces.append(_Piece(number, cue.start, cue.end, " ".join(lines), voice=voice))
                first = False
                continue
            for line in lines:
                after = pieces[-1].text if pieces else ""
                pieces.append(_line_piece(number, cue, line, opens=first, after=after))
                if not (first or pieces[-1].marker or pieces[-1].candidate):
                    # a line wrapped inside the cue: the same speaker goes on
                    wrapped = pieces.pop()
                    pieces[-1].text = " ".join(filter(None, (pieces[-1].text, wrapped.text)))
                first = False
    return pieces


def _line_piece(number: int, cue: _Cue, line: str, *, opens: bool, after: str) -> _Piece:
    """One line of a cue without voices: its change marker and its `Name:`, if any.

    ``after`` is the text before the line.  ``>>`` always marks a change of speaker, and so does
    a hyphen opening a cue (subtitles' convention, even when the previous speaker was cut off);
    an en or em dash, or a dash on a wrapped line, only after the end of a sentence:
    `Hunters Point —` / `— (applause)` is punctuation wrapped onto a new line.
    """
    match = _MARKER.match(line)
    if (match and match["dash"] and after and not _SENTENCE_END.search(after)
            and not (opens and match["dash"] == "-")):
        match = None
    if match:
        line = line[match.end():]
    piece = _Piece(number, cue.start, cue.end, line, marker=bool(match),
                   opens=opens or bool(match))
    label = _ZOOM.fullmatch(line)
    if label:
        piece.candidate = label["name"]
        piece.text, piece.lead = label["rest"], line[:label.start("rest")]
    return piece


def _voices(raw: str) -> list[tuple[str | None, list[str]]]:
    """``[(voice or None, cleaned lines)]``: a new segment at each ``<v Name>`` tag."""
    segments: list[tuple[str | None, list[str]]] = [(None, [])]
    pos = 0
    raw = _ASS.sub("", raw)
    for match in _TAG.finditer(raw):
        segments[-1][1].append(raw[pos:match.start()])
        pos = match.end()
        voice = _VOICE.fullmatch(match.group(1))
        if voice:
            segments.append((_clean_name(voice["name"]), []))
    segments[-1][1].append(raw[pos:])
    cleaned = [(v, [ln for ln in map(_clean, "".join(chunks).split("\n")) if ln])
               for v, chunks in segments]
    return [(v, lines) for v, lines in cleaned if lines]


def _clean(text: str) -> str:
    """Entities decoded (after the tags are gone, so `&lt;i&gt;` stays text), spaces collapsed."""
    text = _INVISIBLE.sub("", normalise(html.unescape(text)))
    return " ".join(text.split())


def _clean_name(name: str) -> str:
    return _QUALIFIER_END.sub("", _clean(name))


def _drop_rolling_repeats(split: list[list[tuple[str | None, list[str]]]]) -> None:
    """Drop a cue's first line when it repeats the previous cue's last line (rolling captions).

    Done only when most cues do so (YouTube's automatic captions), so that a speaker who
    really says the same words twice keeps them.
    """
    firsts = [segs[0][1][0] if segs and segs[0][1] else None for segs in split]
    lasts = [segs[-1][1][-1] if segs and segs[-1][1] else None for segs in split]
    repeats = [i for i in range(1, len(split)) if firsts[i] is not None
               and firsts[i] == lasts[i - 1]]
    if len(repeats) < 2 or len(repeats) < 0.5 * (len(split) - 1):
        return
    for i in repeats:
        split[i][0][1].pop(0)
        split[i][:] = [(v, lines) for v, lines in split[i] if lines]


def _paragraphs(pieces: list[_Piece], notes: list[str]) -> list[_Paragraph]:
    """Group pieces into speaker paragraphs by the convention the file uses."""
    names = _accepted_names(pieces)
    for piece in pieces:
        if piece.candidate is not None and piece.candidate not in names:
            piece.text = " ".join(filter(None, (piece.lead.rstrip(), piece.text)))
            piece.candidate = None
    if names or any(p.voice is not None for p in pieces):
        return _named(pieces)
    markers = sum(p.marker for p in pieces)
    if markers >= 2:
        notes.append(f"no speaker names: speakers were inferred from {markers} change markers "
                     "('- ' or '>>') as 'Speaker 1' and 'Speaker 2' taking turns; check them")
        return _alternating(pieces)
    return _sentence_groups(pieces)


def _accepted_names(pieces: list[_Piece]) -> set[str]:
    """Names of leading ``Name:`` that are speakers (see the module docstring).

    Only the lines that open a cue (or follow a change marker) decide; a name inside a cue
    counts when it is one of those.
    """
    counts = Counter(p.candidate for p in pieces if p.candidate is not None and p.opens)
    cues = len({p.cue for p in pieces}) or 1
    zoom = sum(counts.values()) >= ZOOM_SHARE * cues
    # a name said once must look like one (`Lena Vogt`, `Audience member`), not a sentence start
    # (`In 1983:`)
    return {name for name, n in counts.items()
            if n >= 2 or (zoom and name[0].isupper() and not any(map(str.isdigit, name.split())))}


def _named(pieces: list[_Piece]) -> list[_Paragraph]:
    """Named speakers: a piece without a name continues the current speaker, unless it starts
    with a change marker (then it is an unlabelled paragraph of its own)."""
    paragraphs: list[_Paragraph] = []
    current = ""
    for piece in pieces:
        name = piece.voice if piece.voice is not None else piece.candidate
        new = name is not None and name != current
        if name is None and piece.marker:
            name, new = "", True
        current = current if name is None else name
        _add(paragraphs, current, piece, new=new)
    return paragraphs


def _alternating(pieces: list[_Piece]) -> list[_Paragraph]:
    """No names: each change marker hands the floor to the other of two speakers."""
    paragraphs: list[_Paragraph] = []
    current = 0
    for piece in pieces:
        new = piece.marker or not current
        if new:
            current = 2 if current == 1 else 1
        _add(paragraphs, f"Speaker {current}", piece, new=new)
    return paragraphs


def _sentence_groups(pieces: list[_Piece]) -> list[_Paragraph]:
    """No speakers: a paragraph ends with a cue that ends a sentence, or before a long pause."""
    paragraphs: list[_Paragraph] = []
    closed = True
    for piece in pieces:
        new = closed or piece.start - paragraphs[-1].end >= PAUSE_S
        _add(paragraphs, "", piece, new=new)
        closed = bool(_SENTENCE_END.search(piece.text))
    return paragraphs


def _add(paragraphs: list[_Paragraph], label: str, piece: _Piece, *, new: bool) -> None:
    """Add a piece to the last paragraph, or start one (``new``, or another speaker)."""
    if new or not paragraphs or paragraphs[-1].label != label:
        paragraphs.append(_Paragraph(label, piece.start, piece.end))
    paragraph = paragraphs[-1]
    if piece.text:
        paragraph.texts.append(piece.text)
    paragraph.start = min(paragraph.start, piece.start)
    paragraph.end = max(paragraph.end, piece.end)


def _layout(paragraphs: list[_Paragraph]) -> tuple[str, tuple[tuple[int, int, float, float], ...]]:
    """The document text (one paragraph per line) and each paragraph's span and times."""
    parts: list[str] = []
    times: list[tuple[int, int, float, float]] = []
    size = 0
    for paragraph in paragraphs:
        body = " ".join(paragraph.texts)
        if not body:
            continue
        line = f"{paragraph.label}: {body}" if paragraph.label else body
        if parts:
            size += 1
        times.append((size, size + len(line), paragraph.start, paragraph.end))
        parts.append(line)
        size += len(line)
    return "\n".join(parts), tuple(times)
