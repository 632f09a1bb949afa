"""Read interview documents (.txt/.md/.docx/.html/.pdf/.vtt/.srt) into normalised text.

Every reader returns a :class:`~interview_lens.model.Document` whose ``text`` is NFC, has plain
spaces instead of non-breaking ones and ``\\n`` line endings, one paragraph per line.  The file on
disk is never changed.  Anything a user can get wrong (missing file, empty, binary, corrupt,
a zip bomb) is an :class:`~interview_lens.errors.InputError` naming the file in one line.
"""
from __future__ import annotations

import re
import warnings
import zipfile
from pathlib import Path

from interview_lens.errors import InputError, InterviewWarning
from interview_lens.model import Document
from interview_lens.reading.decode import decode_text
from interview_lens.text import normalise

TEXT_EXTENSIONS = {".txt": "txt", ".md": "md", ".markdown": "md", ".text": "txt"}
SUPPORTED = (".txt", ".md", ".docx", ".html", ".htm", ".pdf", ".vtt", ".srt")
# Machine transcripts (cues with times) are read by :mod:`.transcripts`.
TRANSCRIPT_EXTENSIONS = (".vtt", ".srt")

# Longest text accepted, in characters; shown as "MB of text" (MB_OF_TEXT characters, about a
# megabyte of .txt).  Chosen from measurement (README, Troubleshooting): the command line
# reads, segments and tokenises 30 MB in 9 s, but a regeneration's four notebooks took 164 s
# for 0.25 MB, 394 s for 1 MB and 757 s for 2 MB on 2 shared cores, growing with the Q/A pairs
# (themes labelled per pair in every notebook's load, a per-pair concept profile).  2 MB is the
# largest size measured to regenerate, and holds every real interview (a three-hour interview
# is about 0.2 MB) and a 2-million-character single line; longer transcripts are split.
MAX_DOCUMENT_CHARS = 2 * 2**20
MB_OF_TEXT = 2**20
# Refused before reading: a .txt/.md beyond 4 bytes per accepted character (UTF-8 needs at
# most 4), any other file beyond this (a .docx, .pdf or .html also carries images and markup).
MAX_FILE_BYTES = 200 * 2**20
# A .docx is a zip: refuse archives that would inflate to more than this before parsing them.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
# Below this size a high ratio is harmless (tiny, very repetitive files compress very well).
ZIP_RATIO_FLOOR = 1024 * 1024


def read_document(path: str | Path) -> Document:
    """Read a document from disk and normalise it.

    Parameters
    ----------
    path : a ``.txt``/``.md`` (UTF-8, UTF-16, cp1252 fallback), ``.docx``, ``.html``/``.htm``,
        ``.pdf``, or a ``.vtt``/``.srt`` transcript file.

    Returns a :class:`Document`; ``emphasis`` holds the character spans that were bold or
    headings in a .docx/.html source, ``times`` the paragraphs' times in a transcript.
    Raises :class:`InputError` on any unusable input, including a text longer than
    :data:`MAX_DOCUMENT_CHARS` ("too large: N MB of text (limit M MB; split it)").
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a directory, not a document")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED and suffix not in TEXT_EXTENSIONS:
        raise InputError(path, f"unsupported file type {suffix or '(no extension)'!r}; "
                               f"expected one of {', '.join(SUPPORTED)}")
    _check_file_size(path, text_format=suffix in TEXT_EXTENSIONS)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from None
    if suffix in TRANSCRIPT_EXTENSIONS:
        from interview_lens.reading.transcripts import (
            read_transcript,  # it imports this module's decoding
        )

        document = read_transcript(path, data)
        _check_text_size(path, document.text)
        return document
    if suffix in TEXT_EXTENSIONS:
        text, encoding, notes = decode_text(path, data)
        emphasis: tuple[tuple[int, int], ...] = ()
        fmt = TEXT_EXTENSIONS[suffix]
        text = normalise(text)
    elif suffix == ".docx":
        _check_zip(path)
        text, emphasis = _read_docx(path)
        encoding, notes, fmt = None, [], "docx"
    elif suffix in (".html", ".htm"):
        if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise InputError(path, "binary content, not HTML")
        text, emphasis = _read_html(data)
        encoding, notes, fmt = None, [], "html"
    else:
        text = _read_pdf(path, data)
        emphasis, encoding, notes, fmt = (), None, [], "pdf"
    if not text.strip():
        raise InputError(path, "empty document")
    _check_text_size(path, text)
    for note in notes:
        warnings.warn(f"{path}: {note}", InterviewWarning, stacklevel=2)
    return Document(path=path, text=text, format=fmt, encoding=encoding,
                    emphasis=tuple(emphasis), warnings=tuple(notes))


def _check_text_size(path: Path, text: str) -> None:
    if len(text) > MAX_DOCUMENT_CHARS:
        raise InputError(path, f"too large: {len(text) / MB_OF_TEXT:.1f} MB of text (limit "
                               f"{MAX_DOCUMENT_CHARS / MB_OF_TEXT:g} MB; split it)")


def _check_file_size(path: Path, *, text_format: bool) -> None:
    """Refuse, before reading it, a file too large to hold an accepted document."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from None
    if text_format and size > 4 * MAX_DOCUMENT_CHARS:  # the limit that matters is the text's
        raise InputError(path, f"too large: {size / 2**20:.0f} MB file (limit "
                               f"{MAX_DOCUMENT_CHARS / MB_OF_TEXT:g} MB of text; split it)")
    if size > MAX_FILE_BYTES:
        raise InputError(path, f"too large: {size / 2**20:.0f} MB file (limit "
                               f"{MAX_FILE_BYTES / 2**20:g} MB; split it)")


def _check_zip(path: Path) -> None:
    """Refuse a .docx that is not a zip, or that would inflate suspiciously (zip bomb)."""
    if not zipfile.is_zipfile(path):
        raise InputError(path, "corrupted .docx (not a zip archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(path, f"corrupted .docx ({exc})") from None
    unzipped = sum(i.file_size for i in infos)
    zipped = sum(i.compress_size for i in infos) or 1
    if unzipped > MAX_UNZIPPED_BYTES:
        raise InputError(path, f"refused: would inflate to {unzipped // 2**20} MB "
                               f"(> {MAX_UNZIPPED_BYTES // 2**20} MB; zip bomb?)")
    if unzipped > ZIP_RATIO_FLOOR and unzipped / zipped > MAX_ZIP_RATIO:
        raise InputError(path, f"refused: compression ratio {unzipped / zipped:.0f}:1 "
                               f"(> {MAX_ZIP_RATIO}:1; zip bomb?)")


class _Lines:
    """Accumulate paragraphs from styled pieces, keeping the character spans of bold pieces."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.line: list[str] = []
        self.line_len = 0
        self.bold: list[tuple[int, int]] = []
        self.line_bold: list[tuple[int, int]] = []

    def add(self, piece: str, bold: bool, *, collapse: bool) -> None:
        piece = normalise(piece)
        if collapse:
            piece = re.sub(r"\s+", " ", piece)
        if not self.line_len or (self.line and self.line[-1].endswith(" ")):
            piece = piece.lstrip(" ") if collapse else piece
        if not piece:
            return
        if bold and piece.strip():
            self.line_bold.append((self.line_len, self.line_len + len(piece)))
        self.line.append(piece)
        self.line_len += len(piece)

    def flush(self) -> None:
        text = "".join(self.line).rstrip()
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        if text:
            if self.parts:
                self.parts.append("\n")
                self.size += 1
            for a, b in self.line_bold:
                a, b = max(a - lead, 0), min(b - lead, len(text))
                if b > a:
                    self.bold.append((self.size + a, self.size + b))
            self.parts.append(text)
            self.size += len(text)
        self.line, self.line_len, self.line_bold = [], 0, []

    def result(self) -> tuple[str, list[tuple[int, int]]]:
        self.flush()
        return "".join(self.parts), _merge_spans(self.bold)


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _read_docx(path: Path) -> tuple[str, list[tuple[int, int]]]:
    """Body paragraphs (and table cells) in order; bold runs and heading paragraphs as emphasis."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors...
        raise InputError(path, f"corrupted .docx ({type(exc).__name__})") from None
    lines = _Lines()

    def paragraph(par: Paragraph) -> None:
        style = par.style
        heading = bool(style is not None and re.match(r"(heading|titre|title)\s*[234]\b",
                                                      (style.name or "").lower()))
        style_bold = heading or _style_bold(style)
        for run in par.runs:
            bold = run.bold if run.bold is not None else (_style_bold(run.style) or style_bold)
            lines.add(run.text, bool(bold), collapse=False)
        lines.flush()

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    for par in cell.paragraphs:
                        paragraph(par)
        else:
            paragraph(block)
    return lines.result()


def _style_bold(style) -> bool:
    """A character/paragraph style's bold, following its base styles."""
    for _ in range(10):  # style chains are short; a cycle must not hang us
        if style is None:
            return False
        font = getattr(style, "font", None)
        if font is not None and font.bold is not None:
            return bool(font.bold)
        style = getattr(style, "base_style", None)
    return False


_HTML_DROP = {"script", "style", "iframe", "nav", "header", "footer", "noscript", "template",
              "object", "embed", "svg", "canvas", "button", "select", "head", "form"}
_HTML_BOLD = {"strong", "b", "h2", "h3", "h4"}
_HTML_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "section",
               "article", "main", "tr", "td", "th", "dt", "dd", "figcaption", "figure", "ul",
               "ol", "table", "pre", "address", "aside", "body", "html"}


def _read_html(data: bytes) -> tuple[str, list[tuple[int, int]]]:
    """Visible text of an HTML page, paragraph per block; nothing is ever executed."""
    from bs4 import BeautifulSoup
    from bs4.element import NavigableString, PreformattedString, Tag

    soup = BeautifulSoup(data, "lxml")
    lines = _Lines()
    # An explicit stack, not recursion: hostile pages can nest thousands of elements.
    stack: list[tuple[object, int, bool]] = [(soup, 0, False)]
    while stack:
        node, bold, closing = stack.pop()
        if closing:
            lines.flush()
            continue
        if isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):  # comments, CDATA, doctype
                lines.add(str(node), bold > 0, collapse=True)
            continue
        if not isinstance(node, Tag) and node is not soup:
            continue
        name = (getattr(node, "name", "") or "").lower()
        if name in _HTML_DROP:
            continue
        if name == "br":
            lines.flush()
            continue
        depth = bold + (name in _HTML_BOLD)
        block = name in _HTML_BLOCK
        if block:
            lines.flush()
            stack.append((node, depth, True))
        for child in reversed(list(node.children)):
            stack.append((child, depth, False))
    return lines.result()


def _read_pdf(path: Path, data: bytes) -> str:
    """Best-effort text layer of a PDF, page after page.

    An encrypted PDF opens when its user password is empty (RC4 or AES; AES needs the
    ``cryptography`` package); else it is "encrypted PDF (password needed)".  Whatever else
    pypdf raises on a damaged file is "corrupted PDF (<exception>)": a parser for an open-ended
    format fails in open-ended ways, and a user's file must never end in a traceback.
    """
    import io as _io

    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(_io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(path, "encrypted PDF (password needed)")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except DependencyError as exc:  # AES without the cryptography package (a broken install)
        raise InputError(path, f"encrypted PDF (cannot decrypt it: {exc})") from None
    except Exception as exc:  # noqa: BLE001 - see the docstring (RecursionError included)
        raise InputError(path, f"corrupted PDF ({type(exc).__name__})") from None
    text = normalise("\n".join(p.strip("\n") for p in pages))
    if not text.strip():
        raise InputError(path, "no text layer (scanned PDF?)")
    return text
