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
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from .document import ACTIVE_TMP, executed_cells, import_papermill, started_cells

log = logging.getLogger("interview_lens.regenerate")

#: how many times a notebook's kernel is started before the notebook fails
KERNEL_START_ATTEMPTS = 3
#: seconds to wait before the second start (doubled before each further one)
RETRY_PAUSE = 1.0
#: IPython's history in memory (what nbclient does for kernels named "python3")
HISTORY_IN_MEMORY = "--HistoryManager.hist_file=:memory:"


class KernelDidNotStart(RuntimeError):
    """A notebook's kernel failed to start every time it was tried."""


def start_failed(exc: BaseException, executed: Path) -> bool:
    """Whether ``exc`` is a kernel that did not start: nbclient's RuntimeError ("Kernel died
    before replying to kernel_info", "Kernel didn't respond in N seconds") or a timeout, raised
    before any cell of ``executed`` started. A missing kernel (NoSuchKernel, a KeyError) and a
    failing cell (PapermillExecutionError) are not start failures."""
    return isinstance(exc, (RuntimeError, TimeoutError)) \
        and not started_cells(executed_cells(executed))


def _kernel_config(socket_dir: str | None) -> dict[str, Any]:
    from traitlets.config import Config

    options: dict[str, Any] = {"extra_arguments": [HISTORY_IN_MEMORY]}
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
                     attempts: int = KERNEL_START_ATTEMPTS, **options: Any) -> Any:
    """``papermill.execute_notebook(notebook, out, **options)``, with the kernel on private
    sockets and in-memory history, its start retried (see the module's docstring). ``label``
    names the notebook in the log's warnings (default: its file name)."""
    papermill = import_papermill()
    label, attempts = label or Path(notebook).name, max(1, attempts)
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
