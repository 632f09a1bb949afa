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
import importlib.util
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

import interview_lens.regenerate as regenerate_module
from interview_lens.errors import InputError
from interview_lens.paths import ROOT_ENV
from interview_lens.regenerate import (doc_id_for, find_documents, regenerate, run, run_lock,
                                       summary_table)
from interview_lens.report import clean_report_html
from interview_lens.runner.document import swap_in

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_NOTEBOOKS = ROOT / "tests" / "fixtures" / "notebooks"
SCRIPT = ROOT / "scripts" / "regenerate.py"
PYTHON = ROOT / ".venv" / "bin" / "python"
if not PYTHON.exists():  # pragma: no cover - running outside the project's venv
    PYTHON = Path(sys.executable)

pytestmark = pytest.mark.slow

GOOD = "Q: what changed?\nA: nothing much.\n"
# a document whose own text is hostile HTML; the fixture prints it and displays it as a
# DataFrame (first three words), as Markdown and as HTML
HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)>\nQ: safe?\nA: yes.\n"
FAULTS = {  # doc -> (marker, source cell, exception, message)
    "raises": ("[[FAIL]]", 4, "ValueError",
               "ValueError: the document asked this notebook to fail"),
    "dies": ("[[DIE]]", 6, "DeadKernelError", "DeadKernelError: Kernel died"),
    "disk-full": ("[[DISK-FULL]]", 5, "OSError", "OSError: [Errno 28] No space left on device"),
    "rejected": ("[[INPUT-ERROR]]", 3, "InputError",
                 "data/interviews/rejected.txt: no speaker labels found"),
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
        proc = subprocess.run([str(PYTHON), str(SCRIPT), "--project-root", str(root)],
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
    spec = importlib.util.spec_from_file_location("regenerate_script", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    text = script._parser().format_help()
    for option in ("--jobs", "--force", "--formats", "--dpi", "--kernel", "--notebooks-dir",
                   "--timeout", "--project-root", "--parameter", "PATH"):
        assert option in text
    for status in ("0  every document ok", "1  at least one document failed", "2  user error",
                   "3  another regeneration is running", "130, 143"):
        assert status in text


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
    _marker, cell, exception, message = FAULTS[doc]
    m = faults["second"][doc]
    assert m["status"] == "failed"
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
    assert faults["exit"] == 1
    lines = faults["summary"].splitlines()
    assert lines[0].split() == ["document", "status", "notebooks", "figures", "seconds",
                                "problem"]
    rows = {line.split()[0]: line for line in lines[1:-1]}
    assert rows["hostile"].split()[1:4] == ["ok", "2/2", "1"]
    for doc, (_marker, cell, _exc, message) in FAULTS.items():
        assert rows[doc].split()[1:4] == ["failed", "1/2", "0"]
        assert rows[doc].endswith(f"02-check-document.ipynb cell {cell}: {message}")
    assert lines[-1].startswith("5 document(s): 1 ok, 0 skipped, 4 failed")


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
        [str(PYTHON), str(SCRIPT), "--project-root", str(root), "--jobs", "1", "--dpi", "30",
         "--formats", "png"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 180
        pid_files: list[Path] = []
        while not pid_files and proc.poll() is None and time.monotonic() < deadline:
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
            "from interview_lens.report import warm_up\n"
            "assert 'nbconvert' not in sys.modules\n"
            "assert warm_up() is None\n"
            "print(sorted(m for m in ('nbconvert', 'nbconvert.exporters.html', 'bleach')"
            " if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out == "['bleach', 'nbconvert', 'nbconvert.exporters.html']\n"
