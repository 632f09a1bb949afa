"""``interview-lens iramuteq export|import`` on the invented study of tests/fixtures/study."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from interview_lens.cli import main

STUDY = Path(__file__).resolve().parents[1] / "fixtures" / "study"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """The study as a project (variables.csv read from its data/interviews/)."""
    folder = tmp_path / "data" / "interviews"
    folder.mkdir(parents=True)
    for name in ("a-ngo.txt", "b-ngo.txt", "c-gov.txt", "variables.csv"):
        shutil.copy(STUDY / name, folder / name)
    (folder / "c-gov.yaml").write_text("language: fr\nvariables:\n  country: FR\n",
                                       encoding="utf-8")
    monkeypatch.setenv("INTERVIEW_LENS_ROOT", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_export_writes_the_texts_with_their_variables(project, capsys):
    assert main(["iramuteq", "export", "data/interviews", "-o", "corpus.txt",
                 "--no-themes"]) == 0
    assert capsys.readouterr().out == (
        "wrote corpus.txt: 3 text(s), 3 variable(s) (sector, wave, country)\n")
    corpus = (project / "corpus.txt").read_text(encoding="utf-8")
    headers = [line for line in corpus.splitlines() if line.startswith("****")]
    assert headers == ["**** *doc_a_ngo *sector_NGO *wave_1",
                       "**** *doc_b_ngo *sector_NGO *wave_2",
                       "**** *doc_c_gov *sector_government *wave_1 *country_FR"]
    assert "Q : Que pensez-vous de la loi ?\nR : La loi encadre l'État" in corpus


def test_export_then_import_gives_back_the_texts_and_the_variables(project, capsys):
    assert main(["iramuteq", "export", "data/interviews", "-o", "corpus.txt"]) == 0
    corpus = (project / "corpus.txt").read_text(encoding="utf-8")
    assert "-*" in corpus  # the Q/A pairs' themes
    assert main(["iramuteq", "import", "corpus.txt", "-o", "back"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "wrote 3 text(s) and variables.csv (3 variable(s)) to back")
    assert (project / "back" / "variables.csv").read_text(encoding="utf-8") == (
        "file,sector,wave,country\n"
        "a-ngo.txt,NGO,1,\n"
        "b-ngo.txt,NGO,2,\n"
        "c-gov.txt,government,1,FR\n")
    for name in ("a-ngo.txt", "b-ngo.txt", "c-gov.txt"):
        assert (project / "back" / name).read_text(encoding="utf-8") == (
            STUDY / name).read_text(encoding="utf-8")
    # a second import does not overwrite without --force: one line, status 2
    assert main(["iramuteq", "import", "corpus.txt", "-o", "back"]) == 2
    assert capsys.readouterr().err.strip().endswith(
        "a-ngo.txt: already exists; pass --force to overwrite")
    assert main(["iramuteq", "import", "corpus.txt", "-o", "back", "--force"]) == 0


def test_a_malformed_corpus_is_one_line(tmp_path, capsys):
    bad = tmp_path / "corpus.txt"
    bad.write_text("no header here\n", encoding="utf-8")
    assert main(["iramuteq", "import", str(bad), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "line 1: an IRaMuTeQ corpus starts" in err
