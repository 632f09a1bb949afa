"""Kernels started for papermill: private sockets, in-memory history, a start that is retried.

The kernels here are the real ipykernel, started through kernelspecs written for each test: a
launcher script counts its launches in a file and exits with status 7 for the first N of them
(a kernel dying before it replies), then becomes ``python -m ipykernel_launcher``.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from test_regenerate import GOOD, by_id, make_project

import interview_lens.runs.kernel as kernel_module
from interview_lens.runs.kernel import KERNEL_START_ATTEMPTS, KernelDidNotStart, execute_notebook
from interview_lens.runs.regenerate import regenerate

pytestmark = pytest.mark.slow

LAUNCHER = """\
import os, sys
count_file, die_first = sys.argv[1], int(sys.argv[2])
with open(count_file, "a") as fh:
    fh.write("launch\\n")
with open(count_file) as fh:
    launches = len(fh.readlines())
if launches <= die_first:
    sys.stderr.write(f"launcher: launch {launches} exits with status 7\\n")
    sys.exit(7)
os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *sys.argv[3:]])
"""


@pytest.fixture
def kernels(tmp_path, monkeypatch):
    """``make(name, die_first)`` -> the file counting that kernel's launches."""
    share = tmp_path / "jupyter"
    launcher = tmp_path / "launcher.py"
    launcher.write_text(LAUNCHER)
    monkeypatch.setenv("JUPYTER_PATH", str(share))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setattr(kernel_module, "RETRY_PAUSE", 0.05)

    def make(name: str, die_first: int) -> Path:
        counter = tmp_path / f"{name}.launches"
        spec = share / "kernels" / name
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, str(launcher), str(counter), str(die_first),
                     "-f", "{connection_file}"],
            "display_name": name, "language": "python"}))
        return counter

    return make


def launches(counter: Path) -> int:
    return len(counter.read_text().splitlines()) if counter.exists() else 0


def notebook(path: Path, *sources: str) -> Path:
    nbformat.write(nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(s) for s in sources]), str(path))
    return path


def output_of(executed: Path, cell: int = 0) -> str:
    nb = nbformat.read(str(executed), as_version=4)
    return "".join(o.get("text", "") for o in nb.cells[cell].outputs)


KERNEL_FACTS = """\
import json
from ipykernel.connect import get_connection_info
info = get_connection_info(unpack=True)
print(json.dumps({"transport": info["transport"], "ip": info["ip"],
                  "history": str(get_ipython().history_manager.hist_file)}))
"""


@pytest.mark.skipif(os.name != "posix", reason="Unix sockets: POSIX only")
def test_kernel_listens_on_private_unix_sockets_and_keeps_history_in_memory(tmp_path, kernels):
    kernels("plain", 0)
    out = tmp_path / "out.ipynb"
    execute_notebook(notebook(tmp_path / "facts.ipynb", KERNEL_FACTS), out, kernel_name="plain",
                     progress_bar=False)
    facts = json.loads(output_of(out))
    assert facts["transport"] == "ipc"
    folder = Path(facts["ip"]).parent
    assert folder.parent == Path(tempfile.gettempdir()) and folder.name.startswith("il-kernel-")
    assert Path(facts["ip"]).name == "kernel"
    assert not folder.exists()  # removed once the notebook is done
    assert facts["history"] == ":memory:"
    # nothing written to the user's IPython history
    assert not (tmp_path / "ipython" / "profile_default" / "history.sqlite").exists()


DEATH_SIGNAL = """\
import ctypes, os
signal = ctypes.c_int(-1)
ctypes.CDLL(None).prctl(2, ctypes.byref(signal), 0, 0, 0)  # PR_GET_PDEATHSIG
print(signal.value, os.getppid())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG: Linux")
def test_a_kernel_is_killed_by_the_system_when_its_parent_dies(tmp_path, kernels):
    kernels("plain", 0)
    out = tmp_path / "out.ipynb"
    execute_notebook(notebook(tmp_path / "signal.ipynb", DEATH_SIGNAL), out,
                     kernel_name="plain", progress_bar=False)
    # SIGKILL (9) on the death of its parent, this process
    assert output_of(out) == f"9 {os.getpid()}\n"


def test_the_kernel_command_is_prefixed_on_linux_only(monkeypatch):
    cmd = ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "k.json"]
    prefixed = kernel_module.die_with_parent_command(cmd)
    if sys.platform.startswith("linux"):
        assert prefixed[:4] == [sys.executable, "-I", "-S", "-c"]
        assert prefixed[5:] == [str(os.getpid()), *cmd]
    monkeypatch.setattr(kernel_module.sys, "platform", "darwin")
    assert kernel_module.die_with_parent_command(cmd) == cmd


def test_a_kernel_that_dies_before_replying_is_started_again(tmp_path, kernels, caplog):
    counter = kernels("flaky", 2)
    out = tmp_path / "out.ipynb"
    with caplog.at_level(logging.WARNING, logger="interview_lens.runs.regenerate"):
        execute_notebook(notebook(tmp_path / "two.ipynb", "print(1 + 1)"), out,
                         kernel_name="flaky", progress_bar=False, label="doc: two.ipynb")
    assert output_of(out) == "2\n"
    assert launches(counter) == 3
    warnings = [r.getMessage() for r in caplog.records if r.name == "interview_lens.runs.regenerate"]
    assert len(warnings) == 2
    assert warnings[0].startswith("doc: two.ipynb: the kernel did not start (RuntimeError: "
                                  "Kernel died before replying to kernel_info); starting it "
                                  "again (2 of 3)")
    assert warnings[1].endswith("starting it again (3 of 3)")


def test_a_kernel_that_never_starts_fails_after_the_last_attempt(tmp_path, kernels):
    counter = kernels("dead", 99)
    with pytest.raises(KernelDidNotStart) as caught:
        execute_notebook(notebook(tmp_path / "two.ipynb", "print(1 + 1)"),
                         tmp_path / "out.ipynb", kernel_name="dead", progress_bar=False)
    assert launches(counter) == KERNEL_START_ATTEMPTS == 3
    assert str(caught.value) == ("the kernel did not start (tried 3 times): RuntimeError: "
                                 "Kernel died before replying to kernel_info")
    with pytest.raises(KernelDidNotStart, match=r"\(tried once\)"):
        execute_notebook(notebook(tmp_path / "one.ipynb", "1"), tmp_path / "out1.ipynb",
                         kernel_name="dead", progress_bar=False, attempts=1)
    assert launches(counter) == 4


def test_a_kernel_that_dies_in_a_cell_is_not_started_again(tmp_path, kernels):
    from nbclient.exceptions import DeadKernelError

    counter = kernels("mortal", 0)
    with pytest.raises(DeadKernelError):
        execute_notebook(notebook(tmp_path / "dies.ipynb", "x = 1", "import os; os._exit(1)"),
                         tmp_path / "out.ipynb", kernel_name="mortal", progress_bar=False)
    assert launches(counter) == 1


def test_regenerate_reports_a_kernel_that_never_starts(tmp_path, kernels):
    kernels("dead", 99)
    root = make_project(tmp_path / "project", {"a.txt": GOOD})
    result = by_id(regenerate(project_root=root, jobs=1, kernel="dead", progress=False))["a"]
    assert result["status"] == "failed"
    assert result["problem"] == ("01-write-outputs.ipynb: KernelDidNotStart: the kernel did not "
                                 "start (tried 3 times): RuntimeError: Kernel died before "
                                 "replying to kernel_info")
    # the kernels' own error output is in the run's log
    log_text = (root / "outputs" / "regenerate.log").read_text()
    assert [n for n in range(1, 5) if f"launcher: launch {n} exits with status 7" in log_text] \
        == [1, 2, 3]


def test_regenerate_logs_a_kernel_started_again_from_its_worker(tmp_path, kernels):
    counter = kernels("flaky", 1)
    root = make_project(tmp_path / "project", {"a.txt": GOOD})
    result = by_id(regenerate(project_root=root, jobs=1, kernel="flaky", progress=False,
                              dpi=30, formats=("png",)))["a"]
    assert result["status"] == "ok"
    assert launches(counter) == 3  # two notebooks, the first kernel started twice
    log_lines = (root / "outputs" / "regenerate.log").read_text().splitlines()
    again = [line for line in log_lines if "starting it again" in line]
    assert len(again) == 1
    assert " WARNING [pid " in again[0]
    assert again[0].endswith("a: 01-write-outputs.ipynb: the kernel did not start "
                             "(RuntimeError: Kernel died before replying to kernel_info); "
                             "starting it again (2 of 3)")


def test_cell_timeout_is_the_cell_limit_and_never_past_the_deadline(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(kernel_module.time, "monotonic", lambda: now[0])
    timeout = kernel_module.cell_timeout(600, deadline=1300.0)
    assert timeout(None) == 600  # 1200 s left: the cell's own limit is the smaller
    now[0] = 1000.2
    assert timeout(None) == 300  # 299.8 s left, rounded up
    now[0] = 1400.0
    assert timeout(None) == 1  # past the deadline: the next cell gets a second, then fails
    assert kernel_module.cell_timeout(None, deadline=None)(None) is None
    assert kernel_module.cell_timeout(None, deadline=1300.0)(None) == 1
