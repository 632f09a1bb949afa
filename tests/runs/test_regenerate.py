"""The regeneration engine, run on tiny fixture notebooks (tests/fixtures/notebooks/).

The fixture notebooks follow the real notebooks' parameter contract. ``01-write-outputs`` writes a
figure, two tables and warnings.json and shows the document's text four ways; ``02-check-document``
fails the way the document asks: ``[[INPUT-ERROR]]`` (source cell 3), ``[[FAIL]]`` (cell 4),
``[[DISK-FULL]]`` (cell 5), ``[[DIE]]`` (cell 6, the kernel exits), ``[[SLEEP]]`` (cell 7).
"""
from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from filelock import FileLock

import interview_lens.runs.regenerate as regenerate_module
from interview_lens.errors import InputError
from interview_lens.project import ROOT_ENV
from interview_lens.runs.document import swap_in
from interview_lens.runs.regenerate import (
    doc_id_for,
    find_documents,
    regenerate,
    run,
    run_lock,
    summary_table,
)
from interview_lens.runs.report import clean_report_html

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_NOTEBOOKS = ROOT / "tests" / "fixtures" / "notebooks"
PYTHON = ROOT / ".venv" / "bin" / "python"
COMMAND = [str(PYTHON), "-m", "interview_lens", "regenerate"]  # what make run execs
if not PYTHON.exists():  # pragma: no cover - running outside the project's venv
    PYTHON = Path(sys.executable)

pytestmark = pytest.mark.slow

GOOD = "Q: what changed?\nA: nothing much.\n"
# a document whose own text is hostile HTML; the fixture prints it and displays it as a
# DataFrame (first three words), as Markdown and as HTML
HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)>\nQ: safe?\nA: yes.\n"
FAULTS = {  # doc -> (marker, source cell, exception, message, status)
    "raises": ("[[FAIL]]", 4, "ValueError",
               "ValueError: the document asked this notebook to fail", "failed"),
    "dies": ("[[DIE]]", 6, "DeadKernelError", "DeadKernelError: Kernel died", "failed"),
    "disk-full": ("[[DISK-FULL]]", 5, "OSError", "OSError: [Errno 28] No space left on device",
                  "failed"),
    # the project's own user error, raised while reading: the input's problem, not ours
    "rejected": ("[[INPUT-ERROR]]", 3, "InputError",
                 "data/interviews/rejected.txt: no speaker labels found", "rejected"),
}
BOOKKEEPING = {"outputs/regenerate.log", "outputs/.regenerate.lock"}


def make_project(root: Path, docs: dict[str, str]) -> Path:
    (root / "data" / "interviews").mkdir(parents=True)
    shutil.copytree(FIXTURE_NOTEBOOKS, root / "notebooks")
    for name, text in docs.items():
        (root / "data" / "interviews" / name).write_text(text, encoding="utf-8")
    return root


def snapshot(root: Path, under: str | None = None) -> dict[str, tuple[int, str]]:
    """{relative path: (mtime_ns, sha256)} of every generated file (run bookkeeping excluded)."""
    tops = [under] if under else ["outputs", "figures", "data/processed"]
    found = {}
    for top in tops:
        for path in sorted((root / top).rglob("*")):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and rel not in BOOKKEEPING:
                found[rel] = (path.stat().st_mtime_ns,
                              hashlib.sha256(path.read_bytes()).hexdigest())
    return found


def tmp_dirs(root: Path) -> list[Path]:
    return list((root / "outputs").glob(".tmp-*"))


def regen(root: Path, *docs: str, **options):
    options = {"jobs": 2, "dpi": 30, "formats": ("png", "svg"), "progress": False, **options}
    return regenerate(list(docs) or None, project_root=root, **options)


def by_id(results):
    return {r["doc_id"]: r for r in results}


def manifest(root: Path, doc_id: str) -> dict:
    return json.loads((root / "outputs" / doc_id / "manifest.json").read_text(encoding="utf-8"))


# --- discovery ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("gt-kurbalija-2025-fr.txt", "gt-kurbalija-2025-fr"),
    ("Entretien d’Hélène (v2).docx", "entretien-d-helene-v2"),
    ("  __Interview__ 3.PDF", "interview-3"),
])
def test_doc_id_for(name, expected):
    assert doc_id_for(name) == expected


def test_find_documents_default_skips_sidecars_and_others(tmp_path):
    folder = tmp_path / "data" / "interviews"
    folder.mkdir(parents=True)
    for name in ("b.txt", "a.md", "a.yaml", "c.docx", "~$c.docx", ".hidden.txt", "notes.csv",
                 "d.HTML", "e.pdf"):
        (folder / name).write_text("x")
    found = find_documents(project_root=tmp_path)
    assert [p.name for p in found] == ["a.md", "b.txt", "c.docx", "d.HTML", "e.pdf"]


def test_find_documents_patterns(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    for name in ("x1.txt", "x2.txt", "y.md"):
        (tmp_path / "in" / name).write_text("x")
    assert [p.name for p in find_documents(["in/x*.txt"], project_root=tmp_path)] == [
        "x1.txt", "x2.txt"]
    assert [p.name for p in find_documents(["in/y.md", "in"], project_root=tmp_path)] == [
        "y.md", "x1.txt", "x2.txt"]  # given order, each document once


@pytest.mark.parametrize("setup, pattern, message", [
    ({}, "missing.txt", "missing.txt: no such document"),
    ({}, "in/*.docx", "in/*.docx: no documents match this pattern"),
    ({"in/table.csv": "x"}, "in/table.csv", "not a supported document"),
    ({"in/a.txt": "x", "in/A.md": "y"}, "in", "same document id 'a'"),
])
def test_find_documents_user_errors(tmp_path, monkeypatch, setup, pattern, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    for name, text in setup.items():
        (tmp_path / name).write_text(text)
    with pytest.raises(InputError, match=message.replace("*", r"\*")):
        find_documents([pattern], project_root=tmp_path)


# --- user errors, lock, help: no notebook runs ---------------------------------------------------

@pytest.mark.parametrize("docs, args, options, message", [
    ({"a.txt": GOOD}, ["nope.txt"], {}, "regenerate: nope.txt: no such document\n"),
    ({}, None, {}, "no documents found"),
    ({"a.txt": GOOD}, None, {"formats": ["png", "gif"]}, "--formats: gif not supported"),
    ({"a.txt": GOOD}, None, {"notebooks_dir": "empty"}, "no notebooks named"),
])
def test_user_errors_exit_2_with_one_line(tmp_path, monkeypatch, docs, args, options, message):
    root = make_project(tmp_path, docs)
    (root / "empty").mkdir()
    if "notebooks_dir" in options:
        options["notebooks_dir"] = root / options["notebooks_dir"]
    monkeypatch.chdir(root)
    out, err = io.StringIO(), io.StringIO()
    assert run(args, project_root=root, out=out, err=err, progress=False, **options) == 2
    assert message in err.getvalue()
    assert err.getvalue().count("\n") == 1 and out.getvalue() == ""


def test_lock_held_by_another_process_exits_3(tmp_path):
    root = make_project(tmp_path, {"a.txt": GOOD})
    (root / "outputs").mkdir()
    lock_path = root / "outputs" / ".regenerate.lock"
    with FileLock(str(lock_path), timeout=0):
        lock_path.write_text(f"{os.getpid()}\n")
        proc = subprocess.run([*COMMAND, "--project-root", str(root)],
                              capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3
    assert proc.stderr.strip().endswith(
        "another regeneration is running (lock outputs/.regenerate.lock held by pid "
        f"{os.getpid()})")
    assert not (root / "outputs" / "a").exists()


def test_run_lock_names_its_holder(tmp_path):
    root = make_project(tmp_path, {"a.txt": GOOD})
    err = io.StringIO()
    with run_lock(root / "outputs"):
        assert run(None, project_root=root, err=err, progress=False) == 3
    assert f"held by pid {os.getpid()})" in err.getvalue()
    # released: a run can take it again
    with run_lock(root / "outputs"):
        pass


def test_help_documents_every_option_and_exit_status():
    done = subprocess.run([*COMMAND, "--help"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert done.returncode == 0
    text = done.stdout
    assert text.startswith("usage: interview-lens regenerate")
    for option in ("--jobs", "--force", "--formats", "--dpi", "--kernel", "--notebooks-dir",
                   "--timeout", "--document-timeout", "--project-root", "--parameter", "PATH"):
        assert option in text
    for status in ("0  every document ok", "1  at least one document failed", "2  user error",
                   "3  another regeneration is running", "4  no document failed, at least one "
                   "was rejected", "130, 143", "rejected  the input cannot be used",
                   "python -m interview_lens regenerate"):
        assert status in text


def test_status_line_says_what_make_cannot(tmp_path, capsys):
    from interview_lens.cli import main

    root = make_project(tmp_path, {"a.txt": GOOD})
    argv = ["regenerate", "--project-root", str(root), "--no-progress", "--formats", "gif"]
    assert main(argv) == 2
    assert capsys.readouterr().err == \
        "regenerate: --formats: gif not supported; use a subset of png,svg,pdf\n"
    assert main([*argv, "--status-line"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "regenerate: exit status 2 (user error, nothing was run); make run itself exits 2, "
        "python -m interview_lens regenerate exits 2")
    with run_lock(root / "outputs"):
        assert main(["regenerate", str(root / "data/interviews/a.txt"), "--project-root", str(root),
                     "--no-progress", "--status-line"]) == 3
    assert capsys.readouterr().err.splitlines()[-1].startswith(
        "regenerate: exit status 3 (another regeneration is running)")


@pytest.mark.parametrize("folder", ["outputs", "figures", "data/processed"])
def test_a_folder_that_cannot_be_written_exits_2_before_any_work(tmp_path, monkeypatch, folder):
    root = make_project(tmp_path, {"a.txt": GOOD})
    real_mkstemp = regenerate_module.tempfile.mkstemp

    def mkstemp(*args, dir=None, **kwargs):
        # tests run as root, for whom chmod does not forbid anything: refuse like a read-only
        # folder does for everyone
        if Path(dir) == root / folder:
            raise PermissionError(13, "Permission denied")
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(regenerate_module.tempfile, "mkstemp", mkstemp)
    out, err = io.StringIO(), io.StringIO()
    assert run(None, project_root=root, out=out, err=err, progress=False) == 2
    assert err.getvalue() == \
        f"regenerate: {folder}/: cannot write here (Permission denied); nothing was run\n"
    assert out.getvalue() == ""
    assert not (root / "outputs" / ".regenerate.lock").exists()  # not even the lock


def test_exit_status_precedence():
    from interview_lens.runs.regenerate import exit_status

    def results(*statuses):
        return [{"status": s} for s in statuses]

    assert exit_status(results("ok", "skipped")) == 0
    assert exit_status(results("ok", "rejected", "skipped")) == 4
    assert exit_status(results("rejected")) == 4
    assert exit_status(results("rejected", "failed", "ok")) == 1
    assert exit_status([]) == 0


# --- pure helpers --------------------------------------------------------------------------------

def test_summary_table():
    results = [
        {"doc_id": "a", "status": "ok", "notebooks_run": 2, "notebooks_total": 2,
         "figures": ["figures/a/f.png", "figures/a/f.svg", "figures/a/f.csv", "figures/a/g.png"],
         "seconds": 3.14, "problem": ""},
        {"doc_id": "long-name", "status": "failed", "notebooks_run": 1, "notebooks_total": 2,
         "figures": [], "seconds": 1.0, "problem": "02-x.ipynb cell 4: ValueError: bad"},
        {"doc_id": "c", "status": "skipped", "notebooks_run": 0, "notebooks_total": 2,
         "figures": ["figures/c/h.pdf"], "seconds": 0.0, "problem": ""},
    ]
    # figures counts distinct figure names (f, g), not files; skipped rows show no timing
    assert summary_table(results) == (
        "document   status   notebooks  figures  seconds  problem\n"
        "a          ok       2/2        2        3.1\n"
        "long-name  failed   1/2        0        1.0      02-x.ipynb cell 4: ValueError: bad\n"
        "c          skipped  -          1        -"
    )


@pytest.mark.parametrize("html, expected", [
    ("<img src=x onerror=alert(1)>", "<img>"),
    ('<img src="data:image/png;base64,AAAA" alt="fig">', '<img src="data:image/png;base64,AAAA" alt="fig">'),
    ('<img src="https://tracker.example/p.gif">', "<img>"),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="https://example.org" onclick="x()">ok</a>', '<a href="https://example.org">ok</a>'),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ('<iframe src="https://e.org"></iframe>', '&lt;iframe src="https://e.org"&gt;&lt;/iframe&gt;'),
    ("<style>p{}</style><table><thead><tr><th>a</th></tr></thead></table>",
     "<table><thead><tr><th>a</th></tr></thead></table>"),
    ("<h2>Title</h2><p>text</p>", "<h2>Title</h2><p>text</p>"),
])
def test_clean_report_html(html, expected):
    assert clean_report_html(html) == expected


def _fill(folder: Path, text: str) -> None:
    folder.mkdir(parents=True)
    (folder / "f.txt").write_text(text)


def test_swap_in_replaces_all_three_folders(tmp_path):
    for sub in ("figures", "data/processed", "outputs"):
        _fill(tmp_path / sub / "d", "old")
        _fill(tmp_path / "outputs" / ".tmp-d" / sub / "d", "new")
    swap_in(tmp_path / "outputs" / ".tmp-d", tmp_path, "d")
    for sub in ("figures", "data/processed", "outputs"):
        assert (tmp_path / sub / "d" / "f.txt").read_text() == "new"


def test_swap_in_rolls_back_when_a_rename_fails(tmp_path, monkeypatch):
    for sub in ("figures", "data/processed", "outputs"):
        _fill(tmp_path / sub / "d", "old")
        _fill(tmp_path / "outputs" / ".tmp-d" / sub / "d", "new")
    real_rename = os.rename

    def rename(src, dst):
        if Path(src) == tmp_path / "outputs" / ".tmp-d" / "outputs" / "d":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OSError, match="No space left"):
        swap_in(tmp_path / "outputs" / ".tmp-d", tmp_path, "d")
    for sub in ("figures", "data/processed", "outputs"):
        assert (tmp_path / sub / "d" / "f.txt").read_text() == "old"


# --- end to end on fixture notebooks -------------------------------------------------------------

@pytest.fixture(autouse=True)
def fixed_source_hash(monkeypatch):
    """Other people edit the package while these tests run; pin its hash (tested in
    test_manifest.py) so that only what a test changes triggers a rerun."""
    monkeypatch.setattr(regenerate_module, "package_source_hash", lambda root: "source-v1")


def test_unchanged_inputs_are_skipped_and_change_nothing(tmp_path, monkeypatch):
    root = make_project(tmp_path, {"a.txt": GOOD, "b.txt": GOOD.replace("much", "at all")})
    (root / "data" / "interviews" / "a.yaml").write_text("language: en\n")
    first = by_id(regen(root))
    assert {k: r["status"] for k, r in first.items()} == {"a": "ok", "b": "ok"}
    before = snapshot(root)

    second = by_id(regen(root))
    assert {k: r["status"] for k, r in second.items()} == {"a": "skipped", "b": "skipped"}
    assert snapshot(root) == before  # not one file touched, not even the manifests

    (root / "data" / "interviews" / "a.txt").write_text(GOOD + "Q: and now?\nA: a change.\n")
    third = by_id(regen(root))
    assert {k: r["status"] for k, r in third.items()} == {"a": "ok", "b": "skipped"}
    after = snapshot(root)
    assert {k: v for k, v in after.items() if "/b/" in k} == \
        {k: v for k, v in before.items() if "/b/" in k}
    assert after["data/processed/a/words.csv"] != before["data/processed/a/words.csv"]

    (root / "data" / "interviews" / "a.yaml").write_text("language: fr\n")  # the sidecar too
    assert by_id(regen(root))["a"]["status"] == "ok"

    forced = by_id(regen(root, force=True))
    assert {k: r["status"] for k, r in forced.items()} == {"a": "ok", "b": "ok"}

    # a change to the package's code reruns everything
    monkeypatch.setattr(regenerate_module, "package_source_hash", lambda root: "source-v2")
    assert {r["status"] for r in regen(root)} == {"ok"}
    assert tmp_dirs(root) == []


@pytest.fixture(scope="module")
def faults(tmp_path_factory):
    """Five documents succeed; then four fail in four ways while the fifth changes and reruns."""
    root = make_project(tmp_path_factory.mktemp("faults"),
                        {"hostile.txt": HOSTILE, **{f"{d}.txt": GOOD for d in FAULTS}})
    first = by_id(regen(root, formats=("png", "svg", "pdf")))
    state = {"root": root, "first": first, "before": snapshot(root),
             "first_manifest": manifest(root, "hostile"),
             "report": (root / "outputs" / "hostile" / "report.html").read_text(encoding="utf-8")}
    (root / "data" / "interviews" / "hostile.txt").write_text(HOSTILE + "Q: more?\nA: yes.\n")
    for doc, (marker, *_rest) in FAULTS.items():
        (root / "data" / "interviews" / f"{doc}.txt").write_text(GOOD + marker + "\n")
    out, err = io.StringIO(), io.StringIO()
    state["exit"] = run(None, project_root=root, out=out, err=err, jobs=2, dpi=30,
                        formats=["png", "svg", "pdf"], progress=False)
    state["summary"] = out.getvalue()
    state["second"] = {doc: manifest(root, doc) for doc in ("hostile", *FAULTS)}
    state["after"] = snapshot(root)
    return state


def test_first_run_writes_every_output(faults):
    root = faults["root"]
    assert {r["status"] for r in faults["first"].values()} == {"ok"}
    for doc in ("hostile", *FAULTS):
        expected = {
            f"figures/{doc}/word-lengths.{ext}" for ext in ("png", "svg", "pdf", "csv")} | {
            f"data/processed/{doc}/{name}"
            for name in ("words.csv", "partial.csv", "summary.csv", "warnings.json")} | {
            f"outputs/{doc}/{name}" for name in ("01-write-outputs.ipynb",
                                                 "02-check-document.ipynb", "report.html",
                                                 "manifest.json")}
        assert {k for k in faults["before"] if f"/{doc}/" in k} == expected
    assert tmp_dirs(root) == []


def test_manifest_of_a_successful_run(faults):
    m = faults["first_manifest"]
    doc_bytes = HOSTILE.encode("utf-8")
    assert m["status"] == "ok" and m["failure"] is None and m["last_success"] is None
    assert m["doc_id"] == "hostile" and m["document"] == "data/interviews/hostile.txt"
    assert m["inputs"]["document"]["sha256"] == hashlib.sha256(doc_bytes).hexdigest()
    assert m["inputs"]["sidecar"] is None
    assert m["inputs"]["notebooks"] == {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(FIXTURE_NOTEBOOKS.glob("*.ipynb"))}
    assert m["inputs"]["parameters"] == {"formats": ["png", "svg", "pdf"], "dpi": 30}
    assert m["figures"] == [f"figures/hostile/word-lengths.{e}" for e in ("csv", "pdf", "png", "svg")]
    assert m["tables"] == [f"data/processed/hostile/{n}" for n in
                           ("partial.csv", "summary.csv", "warnings.json", "words.csv")]
    # HOSTILE has 8 whitespace-separated words: "<script>alert(1)</script>", "<img", "src=x",
    # "onerror=alert(1)>", "Q:", "safe?", "A:", "yes."
    assert m["warnings"] == ["fixture: 8 words"]
    assert m["report"] == "outputs/hostile/report.html"
    assert m["started"].endswith("Z") and m["finished"] >= m["started"]
    assert m["duration_s"] > 0


def test_report_escapes_the_documents_html(faults):
    html = faults["report"]
    soup = BeautifulSoup(html, "lxml")
    for script in soup.find_all("script"):  # the template's own scripts only
        assert "alert" not in script.get_text()
    assert soup.find_all(["iframe", "object", "embed"]) == []
    handlers = [(tag.name, a) for tag in soup.find_all(True) for a in tag.attrs
                if a.lower().startswith("on")]
    assert handlers == []
    for img in soup.find_all("img"):
        assert img.get("src", "data:image/").startswith("data:image/")
    # the text is shown, escaped: printed, in the DataFrame, as Markdown and as HTML
    assert soup.get_text().count("<script>alert(1)</script>") == 4
    assert "save_figure(" not in html and "document: str" not in html  # no code cells
    assert "Test fixture: write a figure" in soup.get_text()  # the prose is there


def test_other_documents_complete_despite_failures(faults):
    m = faults["second"]["hostile"]
    assert m["status"] == "ok"
    new_text = (HOSTILE + "Q: more?\nA: yes.\n").encode()
    assert m["inputs"]["document"]["sha256"] == hashlib.sha256(new_text).hexdigest()
    assert m["warnings"] == ["fixture: 12 words"]  # 8 + "Q:", "more?", "A:", "yes."
    assert tmp_dirs(faults["root"]) == []


@pytest.mark.parametrize("doc", FAULTS)
def test_failure_is_recorded_in_the_manifest(faults, doc):
    _marker, cell, exception, message, status = FAULTS[doc]
    m = faults["second"][doc]
    assert m["status"] == status
    assert m["failure"]["notebook"] == "02-check-document.ipynb"
    assert m["failure"]["cell"] == cell
    assert m["failure"]["exception"] == exception
    assert m["failure"]["message"] == message
    assert m["failed_notebook"] == f"outputs/{doc}/failed/02-check-document.ipynb"
    assert (faults["root"] / m["failed_notebook"]).is_file()
    last = m["last_success"]
    assert last["status"] == "ok" and "last_success" not in last
    assert last["inputs"]["document"]["sha256"] == hashlib.sha256(GOOD.encode()).hexdigest()
    # what is on disk is still the last good run's
    assert m["figures"] == last["figures"] and m["tables"] == last["tables"]


@pytest.mark.parametrize("doc", FAULTS)
def test_failed_documents_keep_their_previous_outputs(faults, doc):
    before, after = faults["before"], faults["after"]

    def mine(snap):
        return {k: v for k, v in snap.items() if f"/{doc}/" in k
                and k != f"outputs/{doc}/manifest.json" and "/failed/" not in k}

    assert mine(after) == mine(before)  # byte-identical, same mtimes
    assert len(mine(before)) == 11


def test_summary_names_notebook_and_cell_and_exit_status_is_1(faults):
    assert faults["exit"] == 1  # a failure outranks a rejection
    lines = faults["summary"].splitlines()
    assert lines[0].split() == ["document", "status", "notebooks", "figures", "seconds",
                                "problem"]
    rows = {line.split()[0]: line for line in lines[1:-1]}
    assert rows["hostile"].split()[1:4] == ["ok", "2/2", "1"]
    for doc, (_marker, cell, _exc, message, status) in FAULTS.items():
        assert rows[doc].split()[1:4] == [status, "1/2", "0"]
        if status == "failed":
            assert rows[doc].endswith(f"02-check-document.ipynb cell {cell}: {message}")
    # a rejection is the reader's one line, nothing else
    assert rows["rejected"].split()[5:] == \
        "data/interviews/rejected.txt: no speaker labels found".split()
    assert lines[-1].startswith("5 document(s): 1 ok, 0 skipped, 1 rejected, 3 failed")


def test_disk_full_during_the_swap_keeps_previous_outputs(tmp_path, monkeypatch):
    root = make_project(tmp_path, {"a.txt": GOOD})
    monkeypatch.setenv(ROOT_ENV, str(root))
    with ThreadPoolExecutor(max_workers=1) as executor:
        assert regen(root, executor=executor)[0]["status"] == "ok"
    before = snapshot(root)
    (root / "data" / "interviews" / "a.txt").write_text(GOOD + "Q: again?\nA: again.\n")
    real_rename = os.rename

    def rename(src, dst):
        # the disk fills just as the last folder (outputs/a, with the manifest) moves in,
        # after figures/a and data/processed/a were already swapped
        if ".tmp-a-" in str(src) and Path(src).parts[-2:] == ("outputs", "a"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    with ThreadPoolExecutor(max_workers=1) as executor:
        result = regen(root, executor=executor)[0]
    assert result["status"] == "failed"
    assert result["problem"] == "regeneration: OSError: [Errno 28] No space left on device"
    after = snapshot(root)
    assert {k: v for k, v in after.items() if k != "outputs/a/manifest.json"} == \
        {k: v for k, v in before.items() if k != "outputs/a/manifest.json"}
    m = manifest(root, "a")
    assert m["status"] == "failed" and m["last_success"]["status"] == "ok"
    assert tmp_dirs(root) == []


def test_sigterm_removes_partial_outputs_and_releases_the_lock(tmp_path):
    pytest.importorskip("psutil")
    import psutil

    root = make_project(tmp_path, {"slow.txt": GOOD})
    assert regen(root)[0]["status"] == "ok"
    before = snapshot(root)
    (root / "data" / "interviews" / "slow.txt").write_text(GOOD + "[[SLEEP]]\n")
    proc = subprocess.Popen(
        [*COMMAND, "--project-root", str(root), "--jobs", "1", "--dpi", "30",
         "--formats", "png"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 180
        pid_files: list[Path] = []
        # the kernel writes its pid file a moment after creating it: wait for the number
        while (not pid_files or not pid_files[0].read_text().strip()) and \
                proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
            pid_files = list((root / "outputs").glob(".tmp-slow-*/kernel.pid"))
        assert pid_files, proc.communicate(timeout=30)
        kernel_pid = int(pid_files[0].read_text())
        tmp = pid_files[0].parent
        # the state an interruption must not leak: new figure and tables, half done
        assert (tmp / "figures" / "slow" / "word-lengths.png").is_file()
        assert (tmp / "data" / "processed" / "slow" / "partial.csv").is_file()
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 143
    assert "interrupted (SIGTERM)" in err
    assert tmp_dirs(root) == []
    assert snapshot(root) == before
    with FileLock(str(root / "outputs" / ".regenerate.lock"), timeout=0):
        pass  # free
    deadline = time.monotonic() + 30
    while psutil.pid_exists(kernel_pid) and time.monotonic() < deadline:
        try:
            if psutil.Process(kernel_pid).status() == psutil.STATUS_ZOMBIE:
                break
        except psutil.NoSuchProcess:
            break
        time.sleep(0.2)
    alive = psutil.pid_exists(kernel_pid) and \
        psutil.Process(kernel_pid).status() != psutil.STATUS_ZOMBIE
    assert not alive, "the sleeping kernel survived the interruption"


def test_report_warm_up_imports_the_exporter_in_a_fresh_process():
    code = ("import sys\n"
            "from interview_lens.runs.report import warm_up\n"
            "assert 'nbconvert' not in sys.modules\n"
            "assert warm_up() is None\n"
            "print(sorted(m for m in ('nbconvert', 'nbconvert.exporters.html', 'bleach')"
            " if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out == "['bleach', 'nbconvert', 'nbconvert.exporters.html']\n"


# --- what reruns: missing outputs, word lists per language ---------------------------------------

def test_a_deleted_or_resized_output_reruns_its_document(tmp_path):
    root = make_project(tmp_path, {"a.txt": GOOD, "b.txt": GOOD.replace("much", "at all")})
    assert {r["status"] for r in regen(root)} == {"ok"}
    sizes = manifest(root, "a")["output_sizes"]
    png = "figures/a/word-lengths.png"
    assert sizes[png] == (root / png).stat().st_size > 0
    (root / png).unlink()  # a figure deleted by hand
    assert {k: r["status"] for k, r in by_id(regen(root)).items()} == {"a": "ok", "b": "skipped"}
    assert (root / png).is_file()
    table = root / "data" / "processed" / "b" / "words.csv"
    table.write_text("word,length\n")  # a table replaced by another of a different size
    assert {k: r["status"] for k, r in by_id(regen(root)).items()} == {"a": "skipped", "b": "ok"}
    assert table.stat().st_size == manifest(root, "b")["output_sizes"]["data/processed/b/words.csv"]


RECORD_LANGUAGE = """\
import json
from pathlib import Path
from interview_lens.project import document_paths

paths = document_paths(document, output_root)
sidecar = paths.document.with_suffix(".yaml")
found = sidecar.read_text().split(":")[1].strip() if sidecar.is_file() else "en"
paths.tables.mkdir(parents=True, exist_ok=True)
# what the real notebooks record with their tables (pipeline.save_tables)
(paths.tables / "document.json").write_text(json.dumps({"language": found}))
"""


def test_a_shipped_word_list_reruns_the_documents_of_its_language_only(tmp_path, monkeypatch):
    import nbformat

    import interview_lens.language.lexicon as lexicon_module

    data = tmp_path / "package-data"  # the package's real lists, loaded from a copy
    shutil.copytree(ROOT / "src" / "interview_lens" / "data", data)
    monkeypatch.setattr(lexicon_module, "LEXICON_DIR", data / "lexicon")
    root = make_project(tmp_path / "project", {"entretien.txt": GOOD, "interview.txt": GOOD})
    (root / "data" / "interviews" / "entretien.yaml").write_text("language: fr\n")
    source = nbformat.read(str(root / "notebooks" / "01-write-outputs.ipynb"), as_version=4)
    nb = nbformat.v4.new_notebook(cells=[source.cells[1], nbformat.v4.new_code_cell(
        RECORD_LANGUAGE)], metadata=source.metadata)
    nbformat.write(nb, str(root / "notebooks" / "03-record-language.ipynb"))

    def statuses():
        return {k: r["status"] for k, r in by_id(regen(root)).items()}

    assert statuses() == {"entretien": "ok", "interview": "ok"}
    assert manifest(root, "entretien")["inputs"]["language"] == "fr"
    assert set(manifest(root, "entretien")["inputs"]["lexicon"]) == {
        "fr/fillers.txt", "fr/multiword.txt", "fr/stop_add.txt", "fr/stop_multiword.txt",
        "fr/stop_remove.txt", "lemma_overrides.csv#fr"}
    assert statuses() == {"entretien": "skipped", "interview": "skipped"}
    stop_add = data / "lexicon" / "fr" / "stop_add.txt"
    original = stop_add.read_bytes()
    stop_add.write_bytes(original + "entretien\n".encode())
    assert statuses() == {"entretien": "ok", "interview": "skipped"}
    stop_add.write_bytes(original)  # restored: the French document reruns again
    assert statuses() == {"entretien": "ok", "interview": "skipped"}
    assert statuses() == {"entretien": "skipped", "interview": "skipped"}


# --- rejected inputs, time limits ----------------------------------------------------------------

def test_an_unreadable_document_is_rejected_in_one_line_and_the_others_run(tmp_path,
                                                                           monkeypatch):
    import interview_lens.runs.manifest as manifest_module

    root = make_project(tmp_path, {"a.txt": GOOD, "locked.txt": GOOD})
    real_sha = manifest_module.sha256_file

    def sha256_file(path):
        if Path(path).name == "locked.txt":  # as a file without read permission does
            raise PermissionError(13, "Permission denied", str(path))
        return real_sha(path)

    monkeypatch.setattr(manifest_module, "sha256_file", sha256_file)
    out, err = io.StringIO(), io.StringIO()
    status = run(None, project_root=root, out=out, err=err, jobs=2, dpi=30, formats=["png"],
                 progress=False)
    assert status == 4, out.getvalue() + err.getvalue()
    lines = out.getvalue().splitlines()
    rows = {line.split()[0]: line for line in lines[1:-1]}
    assert rows["a"].split()[1:3] == ["ok", "2/2"]
    assert rows["locked"].split() == ["locked", "rejected", "-", "0", "-",
                                      "data/interviews/locked.txt:", "cannot", "be", "read",
                                      "(Permission", "denied)"]
    assert lines[-1].startswith("2 document(s): 1 ok, 0 skipped, 1 rejected, 0 failed")
    assert err.getvalue() == "" and "Traceback" not in out.getvalue()
    assert not (root / "outputs" / "locked").exists()


def test_an_unreadable_sidecar_names_the_sidecar(tmp_path):
    from interview_lens.runs.regenerate import _rejected_unreadable

    doc = tmp_path / "data" / "interviews" / "a.txt"
    exc = PermissionError(13, "Permission denied", str(doc.with_suffix(".yaml")))
    result = _rejected_unreadable(doc, tmp_path, exc)
    assert (result["doc_id"], result["status"], result["problem"]) == (
        "a", "rejected", "data/interviews/a.yaml: cannot be read (Permission denied)")


@pytest.mark.parametrize("options, message", [
    ({"document_timeout": 40},
     "timed out after 40 s in 02-check-document.ipynb cell 7 (the time limit per document, "
     "--document-timeout)"),
    ({"timeout": 4, "document_timeout": None},
     "timed out after 4 s in 02-check-document.ipynb cell 7 (the time limit per cell, "
     "--timeout)"),
])
def test_time_limits_fail_the_document_with_one_clear_line(tmp_path, options, message):
    root = make_project(tmp_path, {"slow.txt": GOOD + "[[SLEEP]]\n"})
    result = regen(root, **options)[0]
    assert (result["status"], result["problem"]) == ("failed", message)
    assert manifest(root, "slow")["failure"]["message"] == message
    assert tmp_dirs(root) == []


# --- a run that dies: its workers die with it and write nothing ----------------------------------

def test_a_worker_whose_run_is_gone_writes_nothing(tmp_path, monkeypatch):
    import interview_lens.runs.document as document_module

    root = make_project(tmp_path, {"a.txt": GOOD, "b.txt": GOOD + "[[FAIL]]\n"})
    monkeypatch.setenv(ROOT_ENV, str(root))
    with ThreadPoolExecutor(max_workers=1) as executor:
        first = by_id(regen(root, executor=executor))
    assert (first["a"]["status"], first["b"]["status"]) == ("ok", "failed")
    before = snapshot(root)
    (root / "data" / "interviews" / "a.txt").write_text(GOOD + "Q: again?\nA: again.\n")
    (root / "data" / "interviews" / "b.txt").write_text(GOOD + "[[FAIL]]\nQ: again?\n")
    # the lock now belongs to another run: as after this run was killed and a new one started
    monkeypatch.setattr(document_module, "run_is_current", lambda lock, run_id: False)
    with ThreadPoolExecutor(max_workers=1) as executor:
        second = by_id(regen(root, executor=executor))
    assert second["a"]["problem"] == \
        "regeneration: the run that started this document is gone; nothing written"
    assert second["b"]["status"] == "failed"
    assert snapshot(root) == before  # neither the good outputs nor any manifest changed
    assert tmp_dirs(root) == []


def test_run_is_current_only_while_its_run_holds_the_lock(tmp_path):
    from interview_lens.runs.liveness import run_is_current

    lock = tmp_path / ".regenerate.lock"
    with run_lock(tmp_path, run_id="run-1"):
        assert lock.read_text() == f"{os.getpid()}\nrun-1\n"
        assert run_is_current(lock, "run-1")
        assert not run_is_current(lock, "run-2")
    assert lock.read_text() == f"{os.getpid()}\nrun-1\n"  # a dead run leaves its name...
    assert not run_is_current(lock, "run-1")  # ...but not the lock
    assert not run_is_current(tmp_path / "missing.lock", "run-1")


def test_stale_folders_go_but_a_live_workers_folder_stays(tmp_path):
    from interview_lens.runs.liveness import write_owner
    from interview_lens.runs.processes import remove_tmp_dirs

    outputs = tmp_path / "outputs"
    live, dead, unnamed = (outputs / f".tmp-{n}-x" for n in ("live", "dead", "unnamed"))
    for folder in (live, dead, unnamed):
        folder.mkdir(parents=True)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        code = ("import sys; from pathlib import Path\n"
                "from interview_lens.runs.liveness import write_owner\n"
                "write_owner(Path(sys.argv[1]), 'old-run')\n")
        # written by a process that has exited (dead) and by a live one (the sleeper's pid)
        subprocess.run([sys.executable, "-c", code, str(dead)], check=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        write_owner(live, "old-run")
        owner = json.loads((live / ".owner.json").read_text())
        import psutil
        owner.update(pid=sleeper.pid, started=round(psutil.Process(sleeper.pid).create_time(), 2))
        (live / ".owner.json").write_text(json.dumps(owner))
        assert sorted(p.name for p in remove_tmp_dirs(outputs)) == [".tmp-dead-x",
                                                                    ".tmp-unnamed-x"]
        assert live.is_dir() and not dead.exists() and not unnamed.exists()
    finally:
        sleeper.kill()
        sleeper.wait()
    assert [p.name for p in remove_tmp_dirs(outputs)] == [".tmp-live-x"]  # its owner is gone


def _gone(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG: Linux")
def test_sigkill_of_the_run_takes_its_worker_and_kernel_with_it(tmp_path):
    pytest.importorskip("psutil")
    root = make_project(tmp_path, {"slow.txt": GOOD})
    assert regen(root)[0]["status"] == "ok"
    before = snapshot(root)
    (root / "data" / "interviews" / "slow.txt").write_text(GOOD + "[[SLEEP]]\n")
    proc = subprocess.Popen(
        [*COMMAND, "--project-root", str(root), "--jobs", "1", "--dpi", "30",
         "--formats", "png", "--no-progress"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    try:
        deadline = time.monotonic() + 180
        pid_files: list[Path] = []
        # the kernel writes its pid file a moment after creating it: wait for the number
        while (not pid_files or not pid_files[0].read_text().strip()) and \
                proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
            pid_files = list((root / "outputs").glob(".tmp-slow-*/kernel.pid"))
        assert pid_files, proc.communicate(timeout=30)
        kernel_pid = int(pid_files[0].read_text())
        worker_pid = json.loads((pid_files[0].parent / ".owner.json").read_text())["pid"]
        assert worker_pid != proc.pid and not _gone(kernel_pid) and not _gone(worker_pid)
        proc.kill()  # SIGKILL: no handler runs, no clean-up
        proc.wait(timeout=30)
        deadline = time.monotonic() + 60  # a bound for a loaded machine, not a timing claim
        while not (_gone(worker_pid) and _gone(kernel_pid)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _gone(worker_pid), "the pool worker outlived its run"
        assert _gone(kernel_pid), "the kernel outlived its run"
    finally:
        if proc.poll() is None:
            proc.kill()
    left = {k: v for k, v in snapshot(root).items() if not k.startswith("outputs/.tmp-")}
    assert left == before  # the dead run wrote nothing
    # its temporary folder is left; the next run knows its owner is dead and removes it
    assert len(tmp_dirs(root)) == 1
    (root / "data" / "interviews" / "slow.txt").write_text(GOOD + "Q: fine?\nA: fine.\n")
    assert regen(root)[0]["status"] == "ok"
    assert tmp_dirs(root) == []
    log_text = (root / "outputs" / "regenerate.log").read_text()
    assert "left by an interrupted run" in log_text, log_text
