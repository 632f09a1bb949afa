"""Executing a notebook with papermill so that a kernel's start never depends on luck.

Scheduled runs start many kernels, often several at once (``--jobs``, a document's notebooks side
by side, two runs on one machine). :func:`execute_notebook` is ``papermill.execute_notebook``
with three differences:

- **Private sockets, no ports.** jupyter_client picks a kernel's five TCP ports by binding port 0
  and letting go; the kernel binds them about a second later. Its port cache only guards the
  kernels of one process (jupyter_client#487), so two processes starting kernels at once can be
  handed the same port, and the kernel that binds second dies before it replies. On POSIX the
  kernel listens on Unix sockets in a temporary folder of its own (transport ``ipc``): nothing
  to collide with, and unlike TCP on localhost, other users of the machine cannot connect.
- **No shared history file.** nbclient keeps IPython's history in memory for kernels named
  ``python``/``python3`` only; the project's own kernel (``interview-lens``) wrote every cell of
  every run into ``~/.ipython/profile_default/history.sqlite``, one SQLite file for all the
  kernels running at once (which nbclient warns "can result in database errors") and the
  user's own shell history. Here it stays in memory.
- **A kernel that fails to start is started again**, up to :data:`KERNEL_START_ATTEMPTS` times,
  with a warning in the log. Only a failure before any cell ran counts: a kernel that dies
  during a cell is the document's failure, reported as such and not retried.
- **A kernel dies with the process that started it.** On Linux the kernel's command is prefixed
  with a few lines of Python that ask the system (``prctl(PR_SET_PDEATHSIG, SIGKILL)``) to kill
  it when its parent dies, then ``exec`` the kernel: a worker killed with SIGKILL (or by the
  out-of-memory killer) cannot leave a kernel holding gigabytes behind. ipykernel's own parent
  poller does the same only once a second, and only while the kernel's Python can run.
- **A time limit per document**: with ``deadline=`` each cell may run only until that moment
  (and at most the per-cell ``execution_timeout``), so a document's notebooks end by then.
"""
from __future__ import annotations

import logging
import math
import os
import shutil
import sys
import tempfile
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from interview_lens.runs.layout import ACTIVE_TMP

log = logging.getLogger("interview_lens.runs.regenerate")


def executed_cells(executed: Path) -> list | None:
    try:
        import nbformat

        nb = nbformat.read(str(executed), as_version=4)
    except Exception:  # noqa: BLE001 - the notebook may not have been written at all
        return None
    return [c for c in nb.cells
            if "papermill-error-cell-tag" not in c.get("metadata", {}).get("tags", [])]


def started_cells(cells: list | None) -> list[int]:
    """Indices of the code cells papermill started (it records a start time for each)."""
    return [i for i, c in enumerate(cells or []) if c.get("cell_type") == "code"
            and c.get("metadata", {}).get("papermill", {}).get("start_time")]


_IMPORT_LOCK = threading.Lock()
#: imported by jsonschema's format checker when installed (jupyter-events pulls it in); it
#: compiles an Earley parser for the RFC 3987 grammar as it is imported
_IRI_GRAMMAR = "rfc3987_syntax"


def import_papermill():
    """papermill, imported without the RFC 3987 grammar jsonschema would build on the way.

    papermill imports nbformat, which imports jsonschema, whose format checker imports
    ``rfc3987_syntax`` if it is installed: 0.6 s of papermill's 0.9 s import, paid by every
    run's worker before its first kernel can start, for an ``iri`` format check that notebook
    validation never makes.  When this process has not imported jsonschema yet, the grammar
    module is held back for the duration of the import (jsonschema then goes without that one
    check) and is importable again afterwards.
    """
    with _IMPORT_LOCK:
        if not {"papermill", "jsonschema", _IRI_GRAMMAR} & set(sys.modules):
            sys.modules[_IRI_GRAMMAR] = None  # type: ignore[assignment] - "not importable"
            try:
                import papermill
            finally:
                if sys.modules.get(_IRI_GRAMMAR, False) is None:
                    del sys.modules[_IRI_GRAMMAR]
        import papermill
    return papermill

#: how many times a notebook's kernel is started before the notebook fails
KERNEL_START_ATTEMPTS = 3
#: seconds to wait before the second start (doubled before each further one)
RETRY_PAUSE = 1.0
#: IPython's history in memory (what nbclient does for kernels named "python3")
HISTORY_IN_MEMORY = "--HistoryManager.hist_file=:memory:"


#: run by the kernel's process before it becomes the kernel (``exec``): killed with SIGKILL by
#: the system when its parent dies (PR_SET_PDEATHSIG = 1), and gone at once if the parent died
#: before the request took effect (it was then adopted by another process)
_DIE_WITH_PARENT = (
    "import ctypes, os, sys\n"
    "ctypes.CDLL(None).prctl(1, 9, 0, 0, 0)\n"
    "os.getppid() == int(sys.argv[1]) or os._exit(1)\n"
    "os.execvp(sys.argv[2], sys.argv[2:])\n")


class KernelDidNotStart(RuntimeError):
    """A notebook's kernel failed to start every time it was tried."""


def die_with_parent_command(cmd: list[str]) -> list[str]:
    """``cmd`` prefixed so that its process is killed when this one dies (Linux; elsewhere
    ``cmd`` unchanged)."""
    if not sys.platform.startswith("linux") or not cmd:
        return list(cmd)
    # -I -S: no site-packages, no environment: the prefix imports only ctypes
    return [sys.executable, "-I", "-S", "-c", _DIE_WITH_PARENT, str(os.getpid()), *cmd]


@lru_cache(maxsize=1)
def kernel_manager_class() -> type:
    """jupyter_client's ``AsyncKernelManager`` (nbclient's default) whose kernels die with the
    process that starts them (:func:`die_with_parent_command`)."""
    from jupyter_client import AsyncKernelManager

    class KernelDyingWithItsParent(AsyncKernelManager):
        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            return die_with_parent_command(super().format_kernel_cmd(extra_arguments))

    return KernelDyingWithItsParent


def cell_timeout(cell_limit: float | None, deadline: float | None) -> Callable[[Any], int | None]:
    """nbclient's ``timeout_func``: each cell may run ``cell_limit`` seconds, and never past
    ``deadline`` (``time.monotonic()``); ``None`` for no limit."""
    def timeout(cell: Any) -> int | None:  # noqa: ARG001 - nbclient passes the cell
        limits = [cell_limit] if cell_limit else []
        if deadline is not None:
            limits.append(max(1.0, deadline - time.monotonic()))
        return math.ceil(min(limits)) if limits else None

    return timeout


def start_failed(exc: BaseException, executed: Path) -> bool:
    """Whether ``exc`` is a kernel that did not start: nbclient's RuntimeError ("Kernel died
    before replying to kernel_info", "Kernel didn't respond in N seconds") or a timeout, raised
    before any cell of ``executed`` started. A missing kernel (NoSuchKernel, a KeyError) and a
    failing cell (PapermillExecutionError) are not start failures."""
    return isinstance(exc, (RuntimeError, TimeoutError)) \
        and not started_cells(executed_cells(executed))


def _kernel_config(socket_dir: str | None) -> dict[str, Any]:
    from traitlets.config import Config

    options: dict[str, Any] = {"extra_arguments": [HISTORY_IN_MEMORY],
                               "kernel_manager_class": kernel_manager_class()}
    if socket_dir is not None:
        # "<dir>/kernel-1" ... "-5": the five channels' socket files
        options["config"] = Config({"KernelManager": {"transport": "ipc",
                                                      "ip": os.path.join(socket_dir, "kernel")}})
    return options


def _socket_dir() -> str | None:
    """A private folder for one kernel's Unix sockets, or None where they are not available."""
    if os.name != "posix":
        return None
    # short, under the system's temporary folder: a socket path is limited to ~104 bytes
    return tempfile.mkdtemp(prefix="il-kernel-")


def execute_notebook(notebook: str | Path, out: str | Path, *, label: str | None = None,
                     attempts: int = KERNEL_START_ATTEMPTS, deadline: float | None = None,
                     **options: Any) -> Any:
    """``papermill.execute_notebook(notebook, out, **options)``, with the kernel on private
    sockets and in-memory history, its start retried, dying with this process (see the
    module's docstring). ``label`` names the notebook in the log's warnings (default: its file
    name); ``deadline`` (``time.monotonic()``) is when every cell must have finished."""
    papermill = import_papermill()
    label, attempts = label or Path(notebook).name, max(1, attempts)
    if deadline is not None:
        options["timeout_func"] = cell_timeout(options.get("execution_timeout"), deadline)
    for attempt in range(1, attempts + 1):
        socket_dir = _socket_dir()
        if socket_dir is not None:
            ACTIVE_TMP.add(Path(socket_dir))  # removed by a worker's SIGTERM handler too
        try:
            return papermill.execute_notebook(str(notebook), str(out),
                                              **_kernel_config(socket_dir), **options)
        except Exception as exc:
            if not start_failed(exc, Path(out)):
                raise
            if attempt == attempts:
                tries = "once" if attempts == 1 else f"{attempts} times"
                raise KernelDidNotStart(f"the kernel did not start (tried {tries}): "
                                        f"{type(exc).__name__}: {exc}") from exc
            log.warning("%s: the kernel did not start (%s: %s); starting it again (%d of %d)",
                        label, type(exc).__name__, exc, attempt + 1, attempts)
        finally:
            if socket_dir is not None:
                shutil.rmtree(socket_dir, ignore_errors=True)
                ACTIVE_TMP.discard(Path(socket_dir))
        time.sleep(RETRY_PAUSE * 2 ** (attempt - 1))
    raise AssertionError("unreachable")  # pragma: no cover
