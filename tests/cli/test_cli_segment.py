"""`python -m interview_lens turns|qa`: output formats and one-line user errors."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from interview_lens.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "interview_lens", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def test_turns_json(capsys):
    assert main(["turns", str(SAMPLE), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 12
    assert rows[2] == {"turn_id": 3, "speaker": "GT", "label": "GT", "role": "interviewer",
                       "text": rows[2]["text"], "start_char": 705, "end_char": 1031,
                       "start_s": None, "end_s": None}  # a .txt has no times
    assert rows[3]["speaker"] == "Jovan Kurbalija"


def test_qa_csv(capsys):
    assert main(["qa", str(SAMPLE), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["qa_id"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert rows[0]["answer"].startswith("La collaboration numérique")
    assert rows[0]["answer_turns"] == "[4]"


def test_qa_prints_the_themes_the_notebooks_get(capsys):
    from interview_lens.notebook.analysis import load

    assert main(["qa", str(SAMPLE), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0])[-2:] == ["theme", "theme_terms"]
    # automatic labels: each pair's most distinctive lemmas (G² against the rest)
    assert [(r["theme"], r["theme_terms"]) for r in rows] == [
        ("Concept · communauté · cyberespace",
         "concept, communauté, cyberespace, partager, collaboration"),
        ("Obstacle · coopération · international",
         "obstacle, coopération, international, lier, risque"),
        ("Inclusion · accès · humanité", "inclusion, accès, humanité, nécessiter, numérique"),
        ("Innovation · DeepSeek · modèle", "innovation, DeepSeek, modèle, chinois, IA"),
        ("Initiative · Chine · culturel", "initiative, Chine, culturel, tradition, philosophique"),
    ]
    notebooks = load(SAMPLE).qa
    assert [r["theme"] for r in rows] == notebooks["theme"].tolist()


def test_qa_themes_file(capsys):
    themes = ROOT / "tests" / "fixtures" / "language" / "themes_ok.yaml"
    assert main(["qa", str(SAMPLE), "--format", "csv", "--themes", str(themes)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    # pair 3 says "marché" (march*); pair 1's "commerce électronique" is one multi-word term,
    # which the keyword "commerce" does not match; no pair matches clim*/agricult*
    assert [r["theme"] for r in rows] == ["other", "other", "Économie", "other", "other"]


def test_turns_table(capsys):
    assert main(["turns", str(SAMPLE)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:4] == ["turn_id", "speaker", "label", "role"]
    assert len(out) == 13  # header + 12 turns


def test_interviewer_option(capsys):
    assert main(["turns", str(SAMPLE), "--format", "json", "--interviewer", "Kulbariya"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["speaker"] for r in rows if r["role"] == "interviewer"} == {"Jovan Kurbalija"}


def test_leading_dash_file_name(tmp_path):
    (tmp_path / "-x.txt").write_text("Anna: Where were you born?\nBoris: In Kyiv.\n",
                                     encoding="utf-8")
    done = run("qa", "--format", "json", "--language", "en", "--", "-x.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["answer"] == "In Kyiv."


def make(directory: Path, case: str) -> Path:
    contents = {"empty.txt": b"", "blank.txt": b"  \n\n ", "bin.txt": b"\x00\x01\x02\xff" * 64}
    if case in contents:
        (directory / case).write_bytes(contents[case])
    return directory if case == "." else directory / case


@pytest.mark.parametrize("case, problem", [
    ("missing.txt", "no such file"), ("empty.txt", "empty document"),
    ("blank.txt", "empty document"), ("bin.txt", "binary content"), (".", "is a directory")])
def test_user_errors_are_one_line_exit_2(tmp_path, case, problem):
    path = make(tmp_path, case)
    done = run("turns", str(path))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(f"interview-lens: {path}: {problem}")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_malformed_sidecar_exit_2(tmp_path):
    (tmp_path / "s.txt").write_text("Anna: Why?\nBoris: Because.\n", encoding="utf-8")
    (tmp_path / "s.yaml").write_text("title: [oops\n", encoding="utf-8")
    done = run("qa", str(tmp_path / "s.txt"))
    assert done.returncode == 2
    assert done.stderr.startswith(f"interview-lens: {tmp_path / 's.yaml'}: malformed YAML")


def test_reader_warnings_are_one_line_each_and_do_not_fail(tmp_path):
    path = tmp_path / "cp.txt"
    path.write_bytes("Q: Café ?\nA: Thé, merci.\n".encode("cp1252"))
    (tmp_path / "cp.yaml").write_text("title: x\ncolour: blue\n", encoding="utf-8")
    done = run("qa", "--format", "csv", str(path))
    assert done.returncode == 0
    row = next(csv.DictReader(io.StringIO(done.stdout)))
    assert (row["question"], row["answer"]) == ("Café ?", "Thé, merci.")
    lines = done.stderr.splitlines()
    assert lines == [
        f"interview-lens: warning: {path}: not valid UTF-8 (byte 6); read as cp1252 "
        "(Windows-1252)",
        "interview-lens: warning: cp.txt: cp.yaml: unknown sidecar key 'colour' ignored "
        "(known: title, short_title, source, year, date, language, interviewer, interviewee, "
        "interviewers, speakers, aliases, themes, variables, notes)",
    ]
