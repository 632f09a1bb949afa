"""A collection of the real interviews exports as one valid REFI-QDA project."""
from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from interview_lens.exchange._qde import PROJECT_NS
from interview_lens.exchange.qdpx import project_selections, qda_document, write_qdpx
from interview_lens.notebook.analysis import load

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT.parent / "shared" / "interviews"
XSD = ROOT.parent / "shared" / "refi-qda" / "Project-mrt2019.xsd"
NS = {"q": PROJECT_NS}

pytestmark = pytest.mark.skipif(not REAL.is_dir() or not XSD.is_file(),
                                reason="../shared/interviews or the REFI-QDA schema is absent")


def test_collection_export_validates_and_selects_the_words(tmp_path):
    paths = sorted(p for p in REAL.glob("[0-9][0-9]_*")
                   if p.suffix in (".txt", ".html", ".docx"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs = [qda_document(load(p)) for p in paths]
    path = write_qdpx(docs, tmp_path / "collection.qdpx")
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        texts = {s.get("guid"): archive.read(
            "Sources/" + s.get("plainTextPath").removeprefix("internal://")).decode("utf-8")
            for s in root.iterfind(".//q:TextSource", NS)}
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(root.getroottree())
    assert len(texts) == len(paths) == 15
    # every document's exported text is its normalised text, and each coding's selection
    # is the same span of it as the table says
    sel = project_selections(docs)
    by_doc = {d.doc_id: d.text for d in docs}
    assert all(by_doc[d].find("\r") < 0 for d in by_doc)
    assert sorted(texts.values()) == sorted(by_doc.values())
    hits = sel[sel["layer"] == "concept"]
    assert (hits["name"] == [by_doc[d][s:e] for d, s, e in
                             zip(hits["doc_id"], hits["start_char"], hits["end_char"])]).all()
    turns = sum(len(d.turns) for d in docs)
    assert (sel["layer"] == "role").sum() == turns
