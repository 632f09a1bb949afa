"""Respondent variables: the sidecar's ``variables:``, the collection table, merging, joining."""
from __future__ import annotations

import warnings

import pandas as pd
import pytest

from interview_lens.errors import ConfigError, InterviewWarning
from interview_lens.project import doc_id_for
from interview_lens.reading.variables import (
    check_variables,
    merge_variables,
    read_variables,
    with_variables,
)


def _csv(tmp_path, text: str, name: str = "variables.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_check_variables_keeps_text_and_numbers_in_order():
    raw = {"country": " FR ", "sector": "NGO", "year": 2024, "share": 0.5}
    assert check_variables(raw, "a.yaml") == {"country": "FR", "sector": "NGO", "year": 2024,
                                              "share": 0.5}
    assert list(check_variables(raw, "a.yaml")) == ["country", "sector", "year", "share"]
    assert check_variables(None, "a.yaml") == {}


@pytest.mark.parametrize("raw, line", [
    (["FR"], "a.yaml: variables: must be a mapping name: value (country: FR)"),
    ({"country": None}, ("a.yaml: variables: country: has no value (leave the variable out "
                         "instead)")),
    ({"country": "  "}, ("a.yaml: variables: country: has no value (leave the variable out "
                         "instead)")),
    ({"member": True}, "a.yaml: variables: member: YAML read True as a yes/no; put it in quotes"),
    ({"sector": ["NGO", "gov"]}, ("a.yaml: variables: sector: must be one value (text or a "
                                  "number), not a list")),
    ({"sector": {"a": 1}}, ("a.yaml: variables: sector: must be one value (text or a number), "
                            "not a mapping")),
    ({"2nd": "x"}, "a.yaml: variables: variable name '2nd' must be text starting with a letter"),
    ({"": "x"}, "a.yaml: variables: variable name '' must be text starting with a letter"),
])
def test_check_variables_errors_are_one_line(raw, line):
    with pytest.raises(ConfigError) as info:
        check_variables(raw, "a.yaml")
    assert str(info.value) == line


def test_a_yaml_date_must_be_quoted():
    import datetime as dt

    with pytest.raises(ConfigError, match="wave: must be text or a number, not date"):
        check_variables({"wave": dt.date(2024, 5, 1)}, "a.yaml")


def test_doc_id_for_is_the_slug_of_the_file_stem():
    assert [doc_id_for(n) for n in ("Entretien d’Hélène (v2).docx", "gt-kurbalija-2025-fr.txt",
                                    "A_B.txt")] == ["entretien-d-helene-v2",
                                                    "gt-kurbalija-2025-fr", "a-b"]


def test_read_variables_by_file_semicolons_types_and_unknown_rows(tmp_path):
    # French Excel writes ';'; "Entretien Hélène.docx" -> doc_id "entretien-helene" (slug of
    # the stem); zz.txt names no document of the collection: reported and left out.
    path = _csv(tmp_path, "file;sector;year;share\n"
                          "Entretien Hélène.docx;NGO;2024;0.5\n"
                          "b.txt;government;;1\n"
                          "zz.txt;NGO;2023;2\n")
    with pytest.warns(InterviewWarning, match=r"1 row\(s\) name no document of the "
                                              r"collection, left out: zz"):
        table = read_variables(path, documents=["data/interviews/Entretien Hélène.docx", "b",
                                                "c"])
    expected = pd.DataFrame({"doc_id": ["entretien-helene", "b"],
                             "sector": pd.array(["NGO", "government"], dtype="string"),
                             "year": pd.array([2024, pd.NA], dtype="Int64"),
                             "share": [0.5, 1.0]})
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)
    assert str(table["year"].dtype) == "Int64" and str(table["sector"].dtype) == "string"
    assert table["share"].dtype == "float64"
    assert table.attrs["unknown"] == ["zz"] and table.attrs["missing"] == ["c"]


def test_read_variables_by_doc_id_with_bom_and_tabs(tmp_path):
    path = tmp_path / "v.csv"
    path.write_bytes("\ufeffdoc_id\tcountry\na\tFR\nb\tDE\n".encode("utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every row is known: no warning
        table = read_variables(path, documents=["a", "b"])
    assert table["doc_id"].tolist() == ["a", "b"]
    assert table["country"].tolist() == ["FR", "DE"]


@pytest.mark.parametrize("text, problem", [
    ("", "empty variables table; expected a header doc_id,variable,..."),
    ("name,sector\na,NGO\n", "line 1: no doc_id or file column (header: name, sector)"),
    ("doc_id,sector,,year\na,NGO,,2024\n",
     "line 1: column 3 has no name (every variable needs one)"),
    ("doc_id,sector,sector\na,NGO,gov\n", "line 1: column 'sector' given twice"),
    ("doc_id,sector,year\na,NGO,2024\nb,gov\n", "line 3 has 2 fields, the header has 3"),
    ("doc_id,sector\na,NGO\n,gov\n", "line 3: empty doc_id"),
    ("file,sector\nA b.txt,NGO\na-b.docx,gov\n",
     "line 3: document 'a-b' already has a row (line 2)"),
])
def test_malformed_tables_are_one_error_line(tmp_path, text, problem):
    path = _csv(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        read_variables(path)
    assert str(info.value) == f"{path}: {problem}"


def test_missing_table_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="no such variables table"):
        read_variables(tmp_path / "nope.csv")


def test_merge_sidecar_wins_and_says_so():
    table = pd.DataFrame({"doc_id": ["a", "b"],
                          "sector": pd.array(["NGO", "government"], dtype="string"),
                          "year": pd.array([2024, pd.NA], dtype="Int64")})
    sidecars = {"b": {"sector": "NGO", "wave": 2}, "c": {"sector": "press"}}
    with pytest.warns(InterviewWarning, match=r"the sidecar wins: b sector: 'NGO' \(sidecar\) "
                                              r"over 'government' \(table\)"):
        merged = merge_variables(table, sidecars)
    assert merged["doc_id"].tolist() == ["a", "b", "c"]
    assert merged["sector"].tolist() == ["NGO", "NGO", "press"]
    assert merged["year"].tolist()[0] == 2024 and merged["year"].isna().tolist() == [
        False, True, True]
    assert str(merged["wave"].dtype) == "Int64" and merged["wave"].tolist()[1] == 2
    assert merged.attrs["conflicts"] == [{"doc_id": "b", "variable": "sector",
                                          "table": "government", "sidecar": "NGO"}]
    # the caller's table is not changed
    assert table["sector"].tolist() == ["NGO", "government"]


def test_merge_without_a_table():
    merged = merge_variables(None, {"a": {"country": "FR"}})
    assert merged.to_dict("list") == {"doc_id": ["a"], "country": ["FR"]}


def test_with_variables_adds_columns_to_any_table():
    variables = pd.DataFrame({"doc_id": ["a", "b"], "sector": ["NGO", "gov"]})
    tokens = pd.DataFrame({"doc_id": ["b", "a", "b", "x"], "lemma": ["l", "m", "n", "o"]})
    tokens.attrs["language"] = "fr"
    out = with_variables(tokens, variables)
    assert out.columns.tolist() == ["doc_id", "lemma", "sector"]
    assert out["sector"].tolist()[:3] == ["gov", "NGO", "gov"] and pd.isna(out["sector"][3])
    assert out.attrs["language"] == "fr" and "sector" not in tokens.columns
    typed = with_variables(tokens, pd.DataFrame({"doc_id": ["a"], "year": pd.array(
        [2024], dtype="Int64")}))
    assert str(typed["year"].dtype) == "Int64" and typed["year"].isna().tolist() == [
        True, False, True, True]
    with pytest.raises(ValueError, match="pass prefix='var_'"):
        with_variables(tokens, variables.rename(columns={"sector": "lemma"}))
    assert "var_lemma" in with_variables(tokens, variables.rename(columns={"sector": "lemma"}),
                                         prefix="var_").columns
