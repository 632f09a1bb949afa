"""pipeline.document_label: the name of a document in every figure title."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from interview_lens.model import Interview
from interview_lens.notebook.analysis import document_label


def _interview(speakers: list[str], meta: dict | None = None) -> Interview:
    turns = pd.DataFrame({"speaker": ["Host", *speakers],
                          "role": ["interviewer", *["interviewee"] * len(speakers)]})
    return Interview(doc_id="panel", path=Path("panel.txt"), language="en", text="",
                     turns=turns, qa=pd.DataFrame(), meta=meta or {})


def test_label_names_the_interviewees_source_and_year():
    label = document_label(_interview(["Ann", "Bob", "Ann"], {"source": "Radio", "year": 2024}))
    assert label == "Ann, Bob · Radio (2024)"


def test_label_of_many_interviewees_names_three_and_counts_the_others():
    # 500 speakers once made a title of 500 names and a figure 26,000 pixels wide
    names = [f"Speaker{i:03d}" for i in range(500)]
    assert document_label(_interview(names)) == "Speaker000, Speaker001, Speaker002 + 497 others"
    assert document_label(_interview(names[:3])) == "Speaker000, Speaker001, Speaker002"


def test_label_without_interviewee_is_the_document_id():
    assert document_label(_interview([])) == "panel"
    assert document_label(_interview(["Ann"], {"short_title": "Short"})) == "Short"


def _study(tmp_path: Path, table: str, sidecar: str = "", *, monkeypatch) -> Path:
    """A project at ``tmp_path`` (the root the variables table is read from) with one document."""
    monkeypatch.setenv("INTERVIEW_LENS_ROOT", str(tmp_path))
    folder = tmp_path / "data" / "interviews"
    folder.mkdir(parents=True)
    doc = folder / "Anna B.txt"
    doc.write_text("Q: Where were you born?\nA: In Kyiv, in 1961, with my family.\n",
                   encoding="utf-8")
    if sidecar:
        (folder / "Anna B.yaml").write_text(sidecar, encoding="utf-8")
    (folder / "variables.csv").write_text(table, encoding="utf-8")
    return doc


def test_load_merges_the_variables_table_with_the_sidecar_and_saves_them(tmp_path, monkeypatch):
    import json
    import warnings

    from interview_lens.notebook.analysis import load, save_tables

    doc = _study(tmp_path, "file;sector;wave\nAnna B.txt;NGO;2\nnobody.txt;press;1\n",
                 "language: en\nvariables:\n  sector: government\n  country: UA\n",
                 monkeypatch=monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the conflict is a note of the document, not a warning
        analysis = load(doc, output_root=tmp_path)
    assert analysis.variables == {"sector": "government", "wave": 2, "country": "UA"}
    assert any("sidecar wins" in w and "'government' (sidecar) over 'NGO'" in w
               for w in analysis.warnings)
    save_tables(analysis)
    info = json.loads((tmp_path / "data" / "processed" / "anna-b" / "document.json").read_text())
    assert info["variables"] == {"sector": "government", "wave": 2, "country": "UA"}


def test_a_malformed_variables_table_stops_the_document_naming_the_file(tmp_path, monkeypatch):
    import pytest

    from interview_lens.errors import ConfigError
    from interview_lens.notebook.analysis import load

    doc = _study(tmp_path, "file,sector\nAnna B.txt,NGO,extra\n", monkeypatch=monkeypatch)
    with pytest.raises(ConfigError, match=r"variables\.csv: line 2 has 3 fields, the header has 2"):
        load(doc, output_root=tmp_path)
