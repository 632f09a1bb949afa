"""IRaMuTeQ corpora both ways: texts with star variables, so a study moves between the two tools.

An IRaMuTeQ (ALCESTE-format) corpus is one plain-text file; each text (*uci*, an interview) is
introduced by a line of four stars and its star variables, and a line holding only ``-*name``
opens a thematic part of the text (IRaMuTeQ's documentation, "Format des données en entrée")::

    **** *doc_entretien_01 *sector_ngo *country_fr
    -*cooperation
    Le texte de la première partie ...

A star variable is ``*name_modality``: IRaMuTeQ splits it at its first underscore, so a name has
none, and spaces would end it.  Writing therefore turns names and modalities into IRaMuTeQ
codes (:func:`iramuteq_code`: accents folded, every run of other characters an underscore, and
no underscore in names), and removes from the texts the star IRaMuTeQ reserves for its markup (a
``*`` in a text would start a variable).  The document's id is written as the variable ``doc``;
reading a corpus gives it back (hyphens of the slug came out as underscores and go back).
A value already written as a code (``NGO``, ``2024``, ``press_fr``) comes back unchanged, a
whole number as an ``int``; :func:`write_iramuteq` returns one line per change it had to make,
so an empty list means the file reads back exactly (up to trailing spaces and the blank lines
at the ends of a text).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from interview_lens.errors import InputError
from interview_lens.model import Document
from interview_lens.text import slugify

#: The variable that carries the document's id.
DOC_VARIABLE = "doc"
_HEADER = re.compile(r"^\*{4}(?:\s|$)")
_THEME = re.compile(r"^-\*(\S+)\s*$")
_INT = re.compile(r"-?(?:0|[1-9]\d*)")


@dataclass(frozen=True)
class CorpusText:
    """One text of an IRaMuTeQ corpus: the document, its variables and its thematic parts.

    ``themes`` lists ``(start_char, name)``: the thematic part ``name`` (a ``-*name`` line)
    starts at that offset of ``document.text``, in text order.
    """

    doc_id: str
    document: Document
    variables: dict[str, str | int] = field(default_factory=dict)
    themes: tuple[tuple[int, str], ...] = ()


def iramuteq_code(value: object, *, name: bool = False) -> str:
    """``value`` as IRaMuTeQ accepts it in a star variable: ``Société civile`` -> ``Societe_civile``.

    Accents are folded to ASCII (IRaMuTeQ's documentation advises against them in variables),
    each run of characters other than ASCII letters and digits becomes ``_``; a variable
    *name* (``name=True``) loses its underscores too, since IRaMuTeQ cuts ``*name_modality`` at
    the first one.  An empty result raises :class:`ValueError`.
    """
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(c for c in text if not unicodedata.combining(c))
    code = re.sub(r"[^A-Za-z0-9]+", "" if name else "_", text).strip("_")
    if not code:
        raise ValueError(f"{value!r} gives no IRaMuTeQ code (no letter or digit)")
    return code


def clean_text(text: str, *, ends: bool = True) -> str:
    """``text`` without what IRaMuTeQ reads as markup: every ``*`` removed (a star starts a
    variable; a line of ``****`` would start a new text), so no line starts with ``-*`` either;
    trailing spaces removed, and blank lines at the ends unless ``ends=False``."""
    lines = [line.replace("*", "").rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    joined = "\n".join(lines)
    return joined.strip("\n") if ends else joined


def to_iramuteq(texts: Iterable[CorpusText]) -> tuple[str, list[str]]:
    """The corpus file's text for ``texts``, and the list of changes writing made.

    Each text is its ``****`` line (``*doc_<doc_id>`` first, then the variables in their order,
    missing values left out), its thematic lines ``-*name`` before the paragraph each starts,
    and its cleaned text; texts are separated by a blank line.  Each change (a variable renamed,
    a value recoded, stars removed from a text) is one line of the returned list.
    """
    parts, changes = [], []
    for item in texts:
        stars = [f"*{DOC_VARIABLE}_{iramuteq_code(item.doc_id)}"]
        for name, value in item.variables.items():
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                continue
            code_name, code = iramuteq_code(name, name=True), iramuteq_code(value)
            if code_name == DOC_VARIABLE:
                raise ValueError(f"{item.doc_id}: variable {name!r} would be written as *doc, "
                                 "which carries the document id; rename it")
            if code_name != name or code != str(value):
                changes.append(f"{item.doc_id}: {name}={value!r} written *{code_name}_{code}")
            stars.append(f"*{code_name}_{code}")
        text = item.document.text
        cleaned = _with_themes(text, item.themes).strip("\n")
        if "*" in text:
            changes.append(f"{item.doc_id}: {text.count('*')} star(s) removed from the text "
                           "(IRaMuTeQ markup)")
        parts.append(" ".join(["****", *stars]) + "\n" + cleaned + "\n")
    return "\n".join(parts), changes


def write_iramuteq(path: str | Path, texts: Iterable[CorpusText]) -> list[str]:
    """Write ``texts`` as an IRaMuTeQ corpus file (UTF-8, ``\\n``); returns the changes made
    (see :func:`to_iramuteq`)."""
    text, changes = to_iramuteq(texts)
    Path(path).write_text(text, encoding="utf-8", newline="\n")
    return changes


def parse_iramuteq(text: str, *, path: str | Path | None = None) -> list[CorpusText]:
    """The texts of an IRaMuTeQ corpus given as a string (see :func:`read_iramuteq`)."""
    source = Path(path) if path is not None else Path("corpus.txt")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    starts = [i for i, line in enumerate(lines) if _HEADER.match(line)]
    before = [line for line in lines[:starts[0] if starts else len(lines)] if line.strip()]
    if not starts or before:
        line = 1 + next(i for i, ln in enumerate(lines) if ln.strip()) if any(
            ln.strip() for ln in lines) else 1
        raise InputError(path, f"line {line}: an IRaMuTeQ corpus starts each text with a "
                         "line '**** *variable_modality ...'")
    out, seen = [], {}
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        variables = _stars(lines[start], start + 1, path)
        doc_id = str(variables.pop(DOC_VARIABLE, "")) or f"text-{k + 1}"
        doc_id = slugify(doc_id)
        if doc_id in seen:
            raise InputError(path, f"line {start + 1}: *{DOC_VARIABLE}_{doc_id} already "
                             f"introduces the text of line {seen[doc_id]}")
        seen[doc_id] = start + 1
        body, themes = _body(lines[start + 1:end])
        document = Document(path=source, text=body, format="iramuteq", encoding="utf-8")
        out.append(CorpusText(doc_id=doc_id, document=document, variables=variables,
                              themes=tuple(themes)))
    return out


def read_iramuteq(path: str | Path, *, encoding: str = "utf-8") -> list[CorpusText]:
    """Read an IRaMuTeQ corpus file: one :class:`CorpusText` per ``****`` text, in file order.

    ``variables`` maps each star variable's name to its modality (a whole number as ``int``);
    ``*doc_<id>`` gives the document's id (its slug), else the text is ``text-1``, ``text-2``
    ...  The text is every line up to the next ``****`` line, without the ``-*theme`` lines
    (kept in ``themes`` with the offset where each part starts) and without blank lines at its
    ends.  Raises :class:`InputError` (file, line) for a file without a ``****`` line, text
    before the first, a malformed star variable or two texts with one id.  ``encoding``: the
    file's (IRaMuTeQ asks for it on import; corpora prepared on Windows are often ``cp1252``).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig" if encoding.lower().replace("_", "-") in (
            "utf-8", "utf8") else encoding)
    except FileNotFoundError:
        raise InputError(path, "no such corpus file") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not {encoding} text (byte {exc.start}); pass the file's "
                         "encoding, e.g. encoding='cp1252'") from None
    return parse_iramuteq(text, path=path)


def corpus_texts(documents: Mapping[str, Document], variables: pd.DataFrame | None = None,
                 *, themes: Mapping[str, Iterable[tuple[int, str]]] | None = None
                 ) -> list[CorpusText]:
    """The :class:`CorpusText` of each document (``{doc_id: Document}``, e.g. each interview's
    ``Document``), its variables the row of ``variables`` (``doc_id`` + variables, as
    :func:`interview_lens.reading.variables.read_variables` returns) and its thematic parts
    from ``themes`` (``{doc_id: [(start_char, name), ...]}``, e.g. each Q/A pair's theme at its
    question's offset)."""
    rows = {} if variables is None else {
        str(r["doc_id"]): {k: v for k, v in r.items() if k != "doc_id"}
        for r in variables.to_dict("records")}
    return [CorpusText(doc_id=doc_id, document=doc, variables=dict(rows.get(doc_id, {})),
                       themes=tuple((themes or {}).get(doc_id, ())))
            for doc_id, doc in documents.items()]


def corpus_variables(texts: Iterable[CorpusText]) -> pd.DataFrame:
    """``doc_id`` + one column per star variable of the texts (in order of first appearance),
    ``<NA>`` where a text lacks one: the table :func:`interview_lens.reading.variables.
    with_variables` joins onto the collection's tables."""
    rows = [{"doc_id": t.doc_id, **t.variables} for t in texts]
    columns = list(dict.fromkeys(k for row in rows for k in row)) or ["doc_id"]
    return pd.DataFrame(rows, columns=columns).convert_dtypes()


def _stars(line: str, number: int, path) -> dict[str, str | int]:
    out: dict[str, str | int] = {}
    for word in line.split()[1:]:
        match = re.fullmatch(r"\*([^_\s*]+)_(\S+)", word)
        if not match:
            raise InputError(path, f"line {number}: {word!r} is not a star variable "
                             "*name_modality")
        name, value = match.groups()
        if name in out:
            raise InputError(path, f"line {number}: variable *{name} given twice")
        out[name] = int(value) if _INT.fullmatch(value) and name != DOC_VARIABLE else value
    return out


def _body(lines: list[str]) -> tuple[str, list[tuple[int, str]]]:
    kept: list[str] = []
    pending: list[tuple[int, str]] = []  # (index of the next kept line, theme)
    for line in lines:
        match = _THEME.match(line)
        if match:
            pending.append((len(kept), match.group(1)))
        else:
            kept.append(line.rstrip())
    # blank lines at the ends are layout, not text; the theme offsets follow the trim
    first = next((i for i, ln in enumerate(kept) if ln), len(kept))
    last = max((i for i, ln in enumerate(kept) if ln), default=-1)
    body = kept[first:last + 1]
    offsets = [0]
    for ln in body:
        offsets.append(offsets[-1] + len(ln) + 1)
    themes = [(offsets[min(max(i - first, 0), len(body))] if body else 0, name)
              for i, name in pending]
    return "\n".join(body), themes


def _with_themes(text: str, themes: Iterable[tuple[int, str]]) -> str:
    """``text`` with a ``-*name`` line before the line where each thematic part starts (a start
    inside a line moves to that line's beginning)."""
    marks = sorted(((start, i, name) for i, (start, name) in enumerate(themes)))
    if not marks:
        return clean_text(text)
    out, done = [], 0
    for start, _, name in marks:
        cut = text.rfind("\n", 0, max(start, 0)) + 1 if start > 0 else 0
        cut = max(cut, done)
        out.append(clean_text(text[done:cut], ends=False))
        if out[-1] and not out[-1].endswith("\n"):
            out.append("\n")
        out.append(f"-*{iramuteq_code(name)}\n")
        done = cut
    out.append(clean_text(text[done:], ends=False))
    return "".join(out)
