"""A regeneration writes each document's REFI-QDA project and the collection's.

One regeneration of the sample (with a ``variables.csv``) in a project copy, then a forced one:
``outputs/<doc_id>/<doc_id>.qdpx`` (notebook 04's last cell) and ``outputs/_corpus/
collection.qdpx`` (rebuilt by the runner from the tables and the documents' projects) validate
against the standard, code what the notebooks found, and come out byte-identical; a rejected
rerun keeps both.
"""
from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import project_copy
from lxml import etree

from interview_lens.exchange._qde import PROJECT_NS, concept_guid, guid
from interview_lens.runs.regenerate import regenerate

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"
XSD = ROOT.parent / "shared" / "refi-qda" / "Project-mrt2019.xsd"
DOC = "gt-kurbalija-2025-fr"
NS = {"q": PROJECT_NS}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The project, and the bytes of both projects after the first and the forced run."""
    patch = pytest.MonkeyPatch()
    root = project_copy(tmp_path_factory, "qdpx-project", patch)
    for path in (SAMPLE, SAMPLE.with_suffix(".yaml")):
        shutil.copy(path, root / "data" / "interviews" / path.name)
    (root / "data" / "interviews" / "variables.csv").write_text(
        f"doc_id,country,year\n{DOC},Malta,2025\n", encoding="utf-8")
    first = regenerate(project_root=root, jobs=2, progress=False)
    files = (root / "outputs" / DOC / f"{DOC}.qdpx", root / "outputs/_corpus/collection.qdpx")
    before = [f.read_bytes() for f in files]
    second = regenerate(project_root=root, jobs=2, progress=False, force=True)
    yield root, [r["status"] for r in first + second], before, [f.read_bytes() for f in files]
    patch.undo()


def _open(data: bytes) -> tuple[etree._Element, dict[str, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        texts = {s.get("guid"): archive.read(
            "Sources/" + s.get("plainTextPath").removeprefix("internal://")).decode("utf-8")
            for s in root.iterfind(".//q:TextSource", NS)}
    return root, texts


def _coded(root: etree._Element, code_guid: str) -> list[etree._Element]:
    return [c.getparent() for c in root.iterfind(".//q:Coding", NS)
            if c.find("q:CodeRef", NS).get("targetGUID") == code_guid]


def _words(text: str) -> str:
    return " ".join(re.sub(r"[-‐‑\s]+", " ", text.replace("’", "'").lower()).split())


def test_both_runs_are_ok(runs):
    _, statuses, _, _ = runs
    assert statuses == ["ok", "ok"]


def test_two_regenerations_give_byte_identical_projects(runs):
    _, _, before, after = runs
    assert before == after


def test_the_document_project_validates_and_codes_the_hits(runs):
    root, _, _, (data, _) = runs
    project, texts = _open(data)
    if XSD.is_file():
        etree.XMLSchema(etree.parse(str(XSD))).assertValid(project.getroottree())
    # the counts of the concept notebook on the sample (10 communauté(s), 9 partag*)
    assert len(_coded(project, concept_guid("community"))) == 10
    assert len(_coded(project, concept_guid("sharing"))) == 9
    (text,) = texts.values()
    hits = pd.read_csv(root / "data/processed" / DOC / "concept-hits.csv")
    assert len(hits) == 200
    spans = {(int(s.get("startPosition")), int(s.get("endPosition"))): s.get("name")
             for s in project.iterfind(".//q:PlainTextSelection", NS)}
    for start, end, term in zip(hits["start_char"], hits["end_char"], hits["term"]):
        assert spans[(start, end)] == text[start:end]
        assert _words(text[start:end]) == _words(term)
    assert text[95:105] == "communauté"  # the first community hit, found by hand


def test_the_variables_table_gives_the_case(runs):
    _, _, _, (data, collection) = runs
    for blob in (data, collection):
        project, _ = _open(blob)
        (case,) = project.iterfind(".//q:Case", NS)
        assert case.get("name") == "Jovan Kurbalija"  # the interviewee of the turns
        values = {v.find("q:VariableRef", NS).get("targetGUID"): v[1].text
                  for v in case.iterfind("q:VariableValue", NS)}
        assert values == {guid("variable", "country"): "Malta", guid("variable", "year"): "2025"}
        kinds = [v.get("typeOfVariable") for v in project.iterfind(".//q:Variable", NS)]
        assert kinds == ["Text", "Integer"]


def test_the_collection_holds_the_same_source_and_codings(runs):
    _, _, _, (data, collection) = runs
    one, one_texts = _open(data)
    every, every_texts = _open(collection)
    if XSD.is_file():
        etree.XMLSchema(etree.parse(str(XSD))).assertValid(every.getroottree())
    assert every.get("name") == "collection" and one.get("name") == DOC
    assert every_texts == one_texts == {guid("source", DOC): next(iter(one_texts.values()))}

    def codings(project):
        return sorted((s.get("guid"), s.get("startPosition"), s.get("endPosition"),
                       s.find("q:Coding/q:CodeRef", NS).get("targetGUID"))
                      for s in project.iterfind(".//q:PlainTextSelection", NS))

    # 200 concept hits + 5 Q/A pairs + 10 labelled turns + 12 turns by role
    assert codings(every) == codings(one) and len(codings(one)) == 227


def test_manifest_lists_the_project(runs):
    root, _, _, (data, _) = runs
    manifest = json.loads((root / "outputs" / DOC / "manifest.json").read_text("utf-8"))
    assert manifest["exports"] == [f"outputs/{DOC}/{DOC}.qdpx"]
    assert manifest["output_sizes"][f"outputs/{DOC}/{DOC}.qdpx"] == len(data)


def test_a_rejected_rerun_keeps_both_projects(runs):
    root, _, _, after = runs
    sidecar = root / "data" / "interviews" / f"{DOC}.yaml"
    sidecar.write_text("year: [2025\n", encoding="utf-8")  # malformed YAML
    (result,) = regenerate(project_root=root, jobs=1, progress=False)
    assert result["status"] == "rejected"
    files = (root / "outputs" / DOC / f"{DOC}.qdpx", root / "outputs/_corpus/collection.qdpx")
    assert [f.read_bytes() for f in files] == after
    manifest = json.loads((root / "outputs" / DOC / "manifest.json").read_text("utf-8"))
    assert manifest["status"] == "rejected"
    assert manifest["exports"] == [f"outputs/{DOC}/{DOC}.qdpx"]
