"""The collection's REFI-QDA project, from what each document's last good run left on disk.

A regeneration writes ``outputs/<doc_id>/<doc_id>.qdpx`` for each document (notebook 04) and the
tables ``data/processed/<doc_id>/`` (``turns.csv``, ``qa.csv``, ``concept-hits.csv``,
``document.json``).  :func:`processed_document` rebuilds a document's
:class:`~interview_lens.exchange.qdpx.QdaDocument` from those tables and the exported text in its
project, so the collection's project is written without reading or segmenting any document
again; its GUIDs are those of the per-document projects (they depend on the document id, the
offsets and the code only), so a tool that merges by GUID sees the same sources and codes.
"""
from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from interview_lens.analysis.dictionary import ConceptDictionary
from interview_lens.errors import InputError
from interview_lens.exchange._cases import variables_mapping
from interview_lens.exchange._qde import guid
from interview_lens.exchange.qdpx import VARIABLES_TABLE, QdaDocument, write_qdpx

#: The collection's project, under the project root.
COLLECTION_QDPX = Path("outputs") / "_corpus" / "collection.qdpx"
#: The tables a document's project is rebuilt from, in ``data/processed/<doc_id>/``.
TABLES = ("document.json", "turns.csv", "qa.csv", "concept-hits.csv")


def document_qdpx(root: str | Path, doc_id: str) -> Path:
    """Where a regeneration writes the document's project: ``outputs/<doc_id>/<doc_id>.qdpx``."""
    return Path(root) / "outputs" / doc_id / f"{doc_id}.qdpx"


def _exported_text(path: Path, doc_id: str) -> str:
    name = f"Sources/{guid('source', doc_id)}.txt"
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.read(name).decode("utf-8")
    except FileNotFoundError:
        raise InputError(path, "no project of this document (run the regeneration)") from None
    except (KeyError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise InputError(path, f"not this document's project ({exc})") from None


def _read(tables: Path, name: str) -> pd.DataFrame:
    try:
        return pd.read_csv(tables / name, keep_default_na=False, dtype={"speaker": str,
                                                                        "theme": str})
    except FileNotFoundError:
        raise InputError(tables / name, "missing (run the regeneration)") from None


def _answers(value: Any) -> list[int]:
    return [int(a) for a in str(value).split(";") if a.strip()]


def _words_within(said: str, selected: str) -> bool:
    """True when the words of ``said`` occur in ``selected`` in the same order (others may lie
    between them: the markers a turn's text leaves out)."""
    remaining = iter(selected.split())
    return all(word in remaining for word in said.split())


def processed_document(root: str | Path, doc_id: str, *, case: str = "",
                       variables: Mapping[str, Any] | None = None) -> QdaDocument:
    """A document's :class:`QdaDocument` from its tables and the text of its own ``.qdpx``.

    ``case`` names its respondent (default: the interviewees of ``turns.csv``); ``variables``
    are used when ``document.json`` carries none.  Raises :class:`InputError` when a table or
    the project is missing, or when a turn's offsets do not select its words in the exported
    text (tables and project from different runs).
    """
    root = Path(root)
    tables = root / "data" / "processed" / doc_id
    try:
        info = json.loads((tables / "document.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise InputError(tables / "document.json", "missing or unreadable") from None
    text = _exported_text(document_qdpx(root, doc_id), doc_id)
    turns, qa, hits = (_read(tables, n) for n in ("turns.csv", "qa.csv", "concept-hits.csv"))
    for start, end, said in zip(turns["start_char"], turns["end_char"], turns["text"]):
        # a turn's text joins its paragraphs with one blank line and leaves out the markers inside
        # it (timestamps of a transcript): its words are those of the slice, in order, minus those
        if not _words_within(str(said), text[start:end]):
            raise InputError(tables / "turns.csv", "the turns do not select their text in the "
                             f"document's project (from another run?); rerun {doc_id}")
    qa = qa.assign(answer_turns=qa["answer_turns"].map(_answers))
    if not case:
        names = turns.loc[turns["role"] == "interviewee", "speaker"]
        case = ", ".join(dict.fromkeys(s for s in names if s)) or doc_id
    # the run's own record (document.json) when it holds variables; an empty record (a run
    # without any) leaves the variables given by the caller (table and sidecars)
    own = info.get("variables")
    return QdaDocument(doc_id=doc_id, text=text, turns=turns, qa=qa,
                       hits=hits[["start_char", "end_char", "concept"]],
                       name=str(info.get("document") or doc_id),
                       language=str(info.get("language") or ""),
                       description=str(info.get("label") or ""), case=case,
                       variables=dict(own) if isinstance(own, Mapping) and own
                       else dict(variables or {}))


def _respondents(root: Path, documents: Mapping[str, Path | None]) -> tuple[dict, dict]:
    """``({doc_id: interviewee}, {doc_id: {variable: value}})`` from the sidecars and the
    project's variables table (the sidecar wins, as the reader's merge does)."""
    from interview_lens.reading.sidecar import read_sidecar
    from interview_lens.reading.variables import merge_variables, read_variables

    cases, sidecars = {}, {}
    for doc_id, document in documents.items():
        side = read_sidecar(document)[0] if document is not None and document.is_file() else {}
        cases[doc_id] = str(side.get("interviewee") or "")
        if isinstance(side.get("variables"), Mapping):
            sidecars[doc_id] = side["variables"]
    table_path = root / VARIABLES_TABLE
    table = (read_variables(table_path, documents=list(documents))
             if table_path.is_file() else None)
    if table is None and not sidecars:
        return cases, {}
    return cases, variables_mapping(merge_variables(table, sidecars))


def write_collection_qdpx(root: str | Path, documents: Mapping[str, Path | None] | Iterable[str],
                          *, dictionary: ConceptDictionary | None = None,
                          path: str | Path | None = None) -> Path:
    """Write the collection's project (default ``outputs/_corpus/collection.qdpx``).

    ``documents``: the doc_ids to put in it, in order, or ``{doc_id: document path}`` (its
    sidecar names the respondent and gives sidecar variables).  Every document comes from its
    tables and its own ``.qdpx`` (:func:`processed_document`); the respondents' variables from
    ``document.json`` when the run wrote them there, else from the project's
    ``data/interviews/variables.csv`` and the sidecars.  The same documents give the same bytes.
    """
    root = Path(root)
    if not isinstance(documents, Mapping):
        documents = {d: None for d in documents}
    cases, variables = _respondents(root, documents)
    docs = [processed_document(root, d, case=cases.get(d, ""), variables=variables.get(d))
            for d in documents]
    target = root / COLLECTION_QDPX if path is None else Path(path)
    return write_qdpx(docs, target, dictionary=dictionary, name="collection")
