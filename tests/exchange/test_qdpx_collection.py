"""The collection's project from the processed tables and the documents' own projects."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree

from interview_lens.analysis.concepts import code_concepts
from interview_lens.analysis.dictionary import load_dictionary
from interview_lens.errors import InputError
from interview_lens.exchange._cases import variables_mapping
from interview_lens.exchange._qde import PROJECT_NS, guid
from interview_lens.exchange.collection import (
    document_qdpx,
    processed_document,
    write_collection_qdpx,
)
from interview_lens.exchange.qdpx import QdaDocument, project_xml, write_qdpx
from interview_lens.figures.export import save_table
from interview_lens.notebook.analysis import load, save_tables

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"
DOC = "gt-kurbalija-2025-fr"
NS = {"q": PROJECT_NS}


@pytest.fixture()
def project(tmp_path):
    """What a regeneration leaves for the sample: its tables and its project."""
    analysis = load(SAMPLE, output_root=tmp_path)
    save_tables(analysis)
    save_table(code_concepts(analysis.tokens, load_dictionary()),
               analysis.paths.tables / "concept-hits.csv")
    write_qdpx([analysis], document_qdpx(tmp_path, DOC))
    return tmp_path, analysis


def _qde(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")


def test_the_collection_equals_the_document_project_but_its_name(project):
    root, _ = project
    written = write_collection_qdpx(root, [DOC])
    assert written == root / "outputs" / "_corpus" / "collection.qdpx"
    one, every = _qde(document_qdpx(root, DOC)), _qde(written)
    assert every.replace(b'name="collection"', f'name="{DOC}"'.encode(), 1) == one
    assert write_collection_qdpx(root, [DOC]).read_bytes() == written.read_bytes()


def test_processed_document_reads_back_what_the_export_needs(project):
    root, analysis = project
    doc = processed_document(root, DOC, variables={"country": "Malta"})
    assert doc.text == analysis.interview.text
    assert doc.qa["answer_turns"].tolist() == [[4], [6], [8], [10], [12]]
    assert (doc.name, doc.language, doc.case) == (f"{DOC}.txt", "fr", "Jovan Kurbalija")
    assert doc.description == analysis.label and len(doc.hits) == 200
    root_el = etree.fromstring(project_xml([doc]))
    (case,) = root_el.iterfind(".//q:Case", NS)
    assert case.find("q:VariableValue/q:TextValue", NS).text == "Malta"


def test_tables_of_another_run_are_refused(project):
    root, _ = project
    turns_csv = root / "data" / "processed" / DOC / "turns.csv"
    turns = pd.read_csv(turns_csv, keep_default_na=False)
    turns["start_char"] += 1
    turns.to_csv(turns_csv, index=False)
    with pytest.raises(InputError, match="the turns do not select their text"):
        processed_document(root, DOC)


def test_a_document_without_its_project_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"nothing/document.json: missing or unreadable"):
        processed_document(tmp_path, "nothing")
    (tmp_path / "data" / "processed" / "x").mkdir(parents=True)
    (tmp_path / "data" / "processed" / "x" / "document.json").write_text("{}", "utf-8")
    with pytest.raises(InputError, match="no project of this document"):
        processed_document(tmp_path, "x")


def _tiny(doc_id: str) -> QdaDocument:
    text = "GT: partage ?\nA: oui.\n"
    return QdaDocument(
        doc_id=doc_id, text=text, case=f"respondent {doc_id}",
        turns=pd.DataFrame({"turn_id": [1, 2], "speaker": ["GT", "A"],
                            "role": ["interviewer", "interviewee"],
                            "start_char": [4, 17], "end_char": [13, 21]}),
        qa=pd.DataFrame({"qa_id": [1], "question_turn": [1], "answer_turns": [[2]]}),
        hits=pd.DataFrame({"start_char": [4], "end_char": [11], "concept": ["sharing"]}))


def test_variables_from_a_table_and_text_typed_for_the_tools():
    table = pd.DataFrame({"doc_id": ["a", "b"], "age": pd.array([40, None], dtype="Int64"),
                          "senior": pd.array(["true", "false"], dtype="string"),
                          "since": pd.array(["2020-01-31", pd.NA], dtype="string")})
    assert variables_mapping(table) == {"a": {"age": 40, "senior": "true",
                                              "since": "2020-01-31"},
                                        "b": {"senior": "false"}}
    root = etree.fromstring(project_xml([_tiny("a"), _tiny("b")], variables=table))
    kinds = {v.get("name"): v.get("typeOfVariable") for v in root.iterfind(".//q:Variable", NS)}
    assert kinds == {"age": "Integer", "senior": "Boolean", "since": "Date"}
    cases = {c.get("guid"): c for c in root.iterfind(".//q:Case", NS)}
    a = cases[guid("case", "a")]
    assert a.find("q:VariableValue/q:DateValue", NS).text == "2020-01-31"
    assert dt.date.fromisoformat(a.find("q:VariableValue/q:DateValue", NS).text)


def test_a_turn_may_leave_out_the_markers_of_its_text():
    from interview_lens.exchange.collection import _words_within

    # a transcript's turn text drops its timestamps: its words are still the slice's, in order
    assert _words_within("Hello there", "[00:01] Hello\n\n[00:05] there")
    assert not _words_within("there Hello", "[00:01] Hello\n\n[00:05] there")
    assert not _words_within("Cette année", "ette année")  # offsets of another run
