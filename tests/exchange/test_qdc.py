"""Codebook exchange (.qdc): the dictionary out and back, and one-line errors for bad files."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from interview_lens.analysis.dictionary import load_dictionary
from interview_lens.errors import InputError
from interview_lens.exchange._qde import CODEBOOK_NS, PROJECT_NS, concept_guid
from interview_lens.exchange.qdc import codebook_xml, qdc_to_yaml, read_qdc, write_qdc

ROOT = Path(__file__).resolve().parents[2]
XSD = ROOT.parent / "shared" / "refi-qda" / "Project-mrt2019.xsd"
NS = {"c": CODEBOOK_NS}


def test_codebook_codes_validate_as_the_standard_codebook_type():
    if not XSD.is_file():
        pytest.skip("../shared/refi-qda/Project-mrt2019.xsd is absent")
    book = etree.fromstring(codebook_xml(load_dictionary()))
    assert book.tag == f"{{{CODEBOOK_NS}}}CodeBook"
    # the codebook schema's CodeBook is the project schema's CodeBookType in another
    # namespace: moved into a Project, its codes must validate there
    text = etree.tostring(book).decode().replace(CODEBOOK_NS, PROJECT_NS)
    project = etree.fromstring(f'<Project xmlns="{PROJECT_NS}" name="x">{text}</Project>')
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(project)


def test_round_trip_keeps_ids_labels_colours_and_guids(tmp_path):
    dictionary = load_dictionary()
    path = write_qdc(dictionary, tmp_path / "default.qdc")
    codes = etree.parse(str(path)).getroot().findall("c:Codes/c:Code", NS)
    assert [c.get("guid") for c in codes] == [concept_guid(i) for i in dictionary.ids]
    assert codes[6].get("name") == "digital & technology"  # English names by default
    book = read_qdc(path)
    assert [c["id"] for c in book["concepts"]] == dictionary.ids
    assert [c["labels"] for c in book["concepts"]] == [dict(c.labels) for c in dictionary]
    assert [c["colour"] for c in book["concepts"]] == list(dictionary.colours().values())
    # and the YAML skeleton loads as a dictionary with the same concepts
    back = load_dictionary(qdc_to_yaml(path, tmp_path / "back.yaml"))
    assert back.ids == dictionary.ids
    assert back.labels("fr") == dictionary.labels("fr")
    assert back.colours() == dictionary.colours()
    assert back["digital"].patterns["en"].phrases == ("digital technology",)
    assert write_qdc(dictionary, tmp_path / "again.qdc").read_bytes() == path.read_bytes()


def test_a_foreign_codebook_with_categories(tmp_path):
    # as another tool writes it: a category (not codable) holding two codes, no marker lines,
    # one code without a colour (takes the palette's second colour: it is the second code)
    path = tmp_path / "nvivo.qdc"
    path.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="{CODEBOOK_NS}"><Codes>
  <Code guid="00000000-0000-0000-0000-000000000001" name="Trust" isCodable="false">
    <Code guid="00000000-0000-0000-0000-000000000002" name="Trust in État" isCodable="true"
          color="#aabbcc"><Description>institutions</Description></Code>
    <Code guid="00000000-0000-0000-0000-000000000003" name="2nd-hand trust" isCodable="true"/>
  </Code></Codes></CodeBook>""", encoding="utf-8")
    concepts = read_qdc(path)["concepts"]
    assert concepts == [
        {"id": "trust_in_etat", "labels": {"en": "Trust in État"}, "colour": "#AABBCC",
         "description": "institutions", "group": "Trust"},
        {"id": "code_2nd_hand_trust", "labels": {"en": "2nd-hand trust"}, "colour": "#E69F00",
         "description": "", "group": "Trust"},
    ]
    back = load_dictionary(qdc_to_yaml(path, tmp_path / "trust.yaml"))
    assert back.ids == ["trust_in_etat", "code_2nd_hand_trust"]
    assert back["trust_in_etat"].description == "institutions (category: Trust)"


def test_two_codes_of_one_name_get_distinct_ids(tmp_path):
    # "Other" under two categories, as tools allow: the second becomes other_2
    path = tmp_path / "two.qdc"
    path.write_text(f"""<CodeBook xmlns="{CODEBOOK_NS}"><Codes>
  <Code name="A" isCodable="false"><Code name="Other"/></Code>
  <Code name="B" isCodable="false"><Code name="Other"/></Code></Codes></CodeBook>""",
                    encoding="utf-8")
    assert [(c["id"], c["group"]) for c in read_qdc(path)["concepts"]] == [
        ("other", "A"), ("other_2", "B")]


@pytest.mark.parametrize("content, message", [
    ("<CodeBook", "malformed codebook: not XML"),
    (f'<Project xmlns="{PROJECT_NS}" name="x"/>', "malformed codebook: root is"),
    (f'<CodeBook xmlns="{CODEBOOK_NS}"/>', "malformed codebook: no Codes element"),
    ((f'<CodeBook xmlns="{CODEBOOK_NS}"><Codes><Code guid="g" isCodable="true"/></Codes>'
      "</CodeBook>"), "malformed codebook: a Code \\(line 1\\) has no name"),
    ((f'<CodeBook xmlns="{CODEBOOK_NS}"><Codes><Code name="a" color="red"/></Codes>'
      "</CodeBook>"), "code 'a' has colour 'red'"),
    ((f'<CodeBook xmlns="{CODEBOOK_NS}"><Codes><Code name="a" isCodable="false"/></Codes>'
      "</CodeBook>"), "malformed codebook: no codable code"),
])
def test_malformed_codebook_is_one_line_naming_the_file(tmp_path, content, message):
    path = tmp_path / "bad.qdc"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as err:
        read_qdc(path)
    line = str(err.value)
    assert line.startswith(f"{path}: ") and "\n" not in line


def test_missing_codebook(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_qdc(tmp_path / "none.qdc")
