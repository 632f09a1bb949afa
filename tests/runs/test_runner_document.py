"""One document's notebooks side by side (``task["notebook_jobs"] > 1``): same outcome as in turn.

The runner gives a lone document the cores that ``--jobs`` leaves idle; these tests check the
share-out, that the notebooks really overlap, and that the result (first failing notebook in
order, ``notebooks_run``, the manifest, the outputs) is the sequential run's, on the fixture
notebooks of ``tests/fixtures/notebooks/`` (see ``test_regenerate.py``).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import interview_lens.runs.document as document_module
from interview_lens.runs.document import _run_notebooks
from interview_lens.runs.regenerate import notebook_jobs, regenerate

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_NOTEBOOKS = ROOT / "tests" / "fixtures" / "notebooks"
GOOD = "Q: what changed?\nA: nothing much.\n"


@pytest.mark.parametrize("jobs, documents, local, expected", [
    (2, 1, True, 2),    # a lone document gets both cores
    (2, 2, True, 1),    # two documents: one each, notebooks in turn
    (2, 20, True, 1),
    (4, 1, True, 4),
    (4, 2, True, 2),
    (4, 3, True, 1),    # 4 // 3: never more kernels than jobs
    (1, 1, True, 1),
    (0, 1, True, None),  # 0/None: the machine's cores
    (None, 1, True, None),
    (8, 1, False, 1),   # an outside executor (Dask) sizes its own workers
])
def test_notebook_jobs_shares_the_cores_out(jobs, documents, local, expected):
    if expected is None:
        expected = os.cpu_count() or 1
    assert notebook_jobs(jobs, documents, local=local) == expected


def _fake_task(names: list[str], width: int, root: Path) -> dict:
    return {"notebooks": [f"/nb/{n}" for n in names], "notebook_jobs": width,
            "kernel": "k", "project_root": str(root), "timeout": None}


@pytest.mark.parametrize("width", [1, 2, 3])
def test_first_failure_in_order_fails_the_document_whatever_the_width(width, tmp_path,
                                                                      monkeypatch):
    names = ["01-a.ipynb", "02-b.ipynb", "03-c.ipynb"]
    calls = []

    def execute_one(notebook, out, task, parameters, cwd):
        calls.append(notebook.name)
        return None if notebook.name == "01-a.ipynb" else ValueError(f"{notebook.name} failed")

    described = []
    monkeypatch.setattr(document_module, "_execute_one", execute_one)
    monkeypatch.setattr(document_module, "_describe_failure",
                        lambda exc, nb, out: described.append(str(exc)) or {"exc": str(exc)})
    result = {"notebooks_run": 0, "failure": None}
    executed, failed = _run_notebooks(_fake_task(names, width, tmp_path), {}, tmp_path,
                                      result)
    # notebooks 02 and 03 both fail; 02 comes first in order, as in the sequential run
    assert executed == [tmp_path / "01-a.ipynb"]
    assert failed == tmp_path / "02-b.ipynb"
    assert result == {"notebooks_run": 1, "failure": {"exc": "02-b.ipynb failed"}}
    assert described == ["02-b.ipynb failed"]
    # in turn, the run stops at the failure; side by side, every notebook was started
    assert sorted(calls) == (names[:2] if width == 1 else names)


def test_notebooks_really_run_side_by_side(tmp_path, monkeypatch):
    # each fake notebook waits for the other: in turn, the barrier would time out
    barrier = threading.Barrier(2, timeout=20)

    seen = []

    def execute_one(notebook, out, task, parameters, cwd):
        try:
            barrier.wait()
        except threading.BrokenBarrierError as exc:
            return exc
        seen.append((cwd, os.getcwd()))
        return None

    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.setattr(document_module, "_execute_one", execute_one)
    monkeypatch.chdir(tmp_path)
    result = {"notebooks_run": 0, "failure": None}
    executed, failed = _run_notebooks(_fake_task(["01-a.ipynb", "02-b.ipynb"], 2, project), {},
                                      tmp_path, result)
    assert failed is None and result == {"notebooks_run": 2, "failure": None}
    assert executed == [tmp_path / "01-a.ipynb", tmp_path / "02-b.ipynb"]
    # papermill's cwd= would chdir from both threads at once: the project root is entered
    # once around them (no cwd passed), and left afterwards
    assert seen == [(None, str(project))] * 2
    assert os.getcwd() == str(tmp_path)


def test_in_turn_papermill_gets_the_project_root(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(document_module, "_execute_one",
                        lambda nb, out, task, params, cwd: seen.append(cwd))
    result = {"notebooks_run": 0, "failure": None}
    _run_notebooks(_fake_task(["01-a.ipynb", "02-b.ipynb"], 1, tmp_path), {}, tmp_path, result)
    assert seen == [str(tmp_path)] * 2 and result["notebooks_run"] == 2


def _project(root: Path, text: str) -> Path:
    (root / "data" / "interviews").mkdir(parents=True)
    shutil.copytree(FIXTURE_NOTEBOOKS, root / "notebooks")
    (root / "data" / "interviews" / "a.txt").write_text(text, encoding="utf-8")
    return root


def _files(root: Path) -> dict[str, bytes]:
    """Every output file's bytes, except those that record times or run-specific paths."""
    out = {}
    for top in ("figures", "data/processed", "outputs"):
        for p in sorted((root / top).rglob("*")):
            rel = p.relative_to(root).as_posix()
            if p.is_file() and not rel.endswith((".ipynb", ".log", ".lock", "manifest.json",
                                                 "report.html", ".svg", ".pdf")):
                out[rel] = p.read_bytes()
    return out


@pytest.mark.slow
@pytest.mark.parametrize("text, status, run, failure", [
    (GOOD, "ok", 2, None),
    (GOOD + "[[FAIL]]\n", "failed", 1,
     {"notebook": "02-check-document.ipynb", "cell": 4, "exception": "ValueError",
      "message": "ValueError: the document asked this notebook to fail"}),
])
def test_one_document_side_by_side_matches_in_turn(tmp_path, text, status, run, failure):
    # --jobs 2 with one document: notebook_jobs 2 (both fixture notebooks at once);
    # --jobs 1: in turn.  Same status, notebooks run, failure, files.
    got = {}
    for jobs in (1, 2):
        root = _project(tmp_path / f"jobs{jobs}", text)
        (result,) = regenerate(None, project_root=root, jobs=jobs, dpi=30,
                               formats=("png",), progress=False)
        assert result["status"] == status and result["notebooks_run"] == run
        if failure is None:
            assert result["failure"] is None
        else:
            assert {k: result["failure"][k] for k in failure} == failure
            assert (root / "outputs" / "a" / "failed" / "02-check-document.ipynb").is_file()
        assert list((root / "outputs").glob(".tmp-*")) == []
        got[jobs] = (result["figures"], result["tables"], _files(root))
    assert got[1] == got[2]
    if failure is None:
        assert got[2][1] == [f"data/processed/a/{n}" for n in
                             ("partial.csv", "summary.csv", "warnings.json", "words.csv")]


def _executed(folder: Path, name: str, seconds: float) -> None:
    """An executed notebook as papermill leaves it: its run's duration in the metadata."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps({"cells": [], "metadata": {"papermill": {
        "duration": seconds}}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")


def test_start_order_is_longest_first_by_the_last_run(tmp_path):
    names = [Path(f"/nb/{n}") for n in ("01-a.ipynb", "02-b.ipynb", "03-c.ipynb", "04-d.ipynb")]
    for name, seconds in (("01-a.ipynb", 1.6), ("02-b.ipynb", 7.5), ("03-c.ipynb", 6.9),
                          ("04-d.ipynb", 2.8)):
        _executed(tmp_path, name, seconds)
    assert document_module.start_order(names, tmp_path) == [1, 2, 3, 0]


def test_start_order_puts_notebooks_never_timed_first_in_file_order(tmp_path):
    names = [Path(f"/nb/{n}") for n in ("01-a.ipynb", "02-b.ipynb", "03-c.ipynb", "04-d.ipynb")]
    _executed(tmp_path, "02-b.ipynb", 7.5)
    _executed(tmp_path, "04-d.ipynb", 2.8)
    (tmp_path / "03-c.ipynb").write_text("{not json", encoding="utf-8")  # unreadable: not timed
    assert document_module.start_order(names, tmp_path) == [0, 2, 1, 3]
    assert document_module.start_order(names, tmp_path / "none") == [0, 1, 2, 3]  # a first run
    assert document_module.start_order(names, None) == [0, 1, 2, 3]


def test_side_by_side_the_longest_start_first_and_results_stay_in_order(tmp_path,
                                                                         monkeypatch):
    names = ["01-a.ipynb", "02-b.ipynb", "03-c.ipynb"]
    project = tmp_path / "project"
    for name, seconds in (("01-a.ipynb", 1.0), ("02-b.ipynb", 9.0), ("03-c.ipynb", 5.0)):
        _executed(project / "outputs" / "doc", name, seconds)
    # the two notebooks started first wait for each other; the third starts when one is done
    barrier = threading.Barrier(2, timeout=20)
    lock = threading.Lock()
    started: list[str] = []

    def execute_one(notebook, out, task, parameters, cwd):
        with lock:
            started.append(notebook.name)
            first_two = len(started) <= 2
        if first_two:
            try:
                barrier.wait()
            except threading.BrokenBarrierError as exc:
                return exc
        return ValueError("02 failed") if notebook.name == "02-b.ipynb" else None

    monkeypatch.setattr(document_module, "_execute_one", execute_one)
    monkeypatch.setattr(document_module, "_describe_failure", lambda exc, nb, out: str(exc))
    task = {**_fake_task(names, 2, project), "doc_id": "doc"}
    result = {"notebooks_run": 0, "failure": None}
    executed, failed = _run_notebooks(task, {}, tmp_path, result)
    assert sorted(started[:2]) == ["02-b.ipynb", "03-c.ipynb"] and started[2] == "01-a.ipynb"
    # whatever the start order, the outcome is the sequential run's: 01 ran, 02 failed
    assert executed == [tmp_path / "01-a.ipynb"] and failed == tmp_path / "02-b.ipynb"
    assert result == {"notebooks_run": 1, "failure": "02 failed"}


def _fresh_python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout


def test_import_papermill_holds_back_only_the_iri_grammar_and_only_while_importing():
    out = _fresh_python(
        "import sys\n"
        "from interview_lens.runs.kernel import import_papermill\n"
        "papermill = import_papermill()\n"
        "print(papermill.__name__, 'rfc3987_syntax' in sys.modules)\n"
        "import jsonschema._format as formats\n"
        "print(sorted(f for f in ('iri', 'uri', 'date')\n"
        "             if f in formats.draft7_format_checker.checkers))\n"
        "import nbformat\n"
        "nbformat.validate(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')]))\n"
        "import rfc3987_syntax\n"  # importable again for anyone who asks for it
        "print(rfc3987_syntax.is_valid_syntax('iri', 'https://example.org/é'))\n")
    assert out == "papermill False\n['date', 'uri']\nTrue\n"


def test_import_papermill_leaves_an_already_imported_jsonschema_alone():
    out = _fresh_python(
        "import jsonschema._format as formats\n"
        "from interview_lens.runs.kernel import import_papermill\n"
        "import_papermill()\n"
        "print('iri' in formats.draft7_format_checker.checkers)\n")
    assert out == "True\n"
