"""Who is still alive: a run's workers die with it, and nothing of a dead run writes anything.

A run can end without running its clean-up (SIGKILL, the out-of-memory killer, a power cut).
Three guards keep its leftovers from doing harm:

- :func:`die_with_parent`: on Linux a pool worker asks the system to kill it when the run's main
  process dies (its kernels are killed with it, see :mod:`interview_lens.runs.kernel`).
- :func:`write_owner` / :func:`owner_alive`: each temporary folder names the process working in
  it, so the next run removes the folders of dead processes only, never a live worker's.
- :func:`run_is_current`: before a worker swaps outputs in or writes a manifest, it checks that
  the run that started it still holds the project's lock; a worker outliving its run (an outside
  executor's, or one the guards above missed) then writes nothing.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import sys
from pathlib import Path

#: the file in a temporary folder naming its owner (left out of the document's outputs)
OWNER_NAME = ".owner.json"
PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int | None = None) -> bool:
    """Linux: have this process killed (SIGKILL) when its parent dies; exit at once when the
    parent ``parent_pid`` is already gone. False where the system cannot do it."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0):
            return False
    except (OSError, AttributeError):
        return False
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)  # the parent died before the request took effect: nobody to work for
    return True


def process_start_time(pid: int) -> float | None:
    """When process ``pid`` started (seconds since the epoch), or None when it does not exist
    or has exited (a zombie nobody reaped yet); with its pid, it names one process (pids are
    reused)."""
    try:
        import psutil

        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return None
        return round(process.create_time(), 2)
    except ImportError:
        pass
    except Exception:  # noqa: BLE001 - psutil.NoSuchProcess, AccessDenied, ZombieProcess
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:  # alive, another user's
        pass
    return 0.0  # alive; start time unknown without psutil


def write_owner(tmp: Path, run_id: str) -> None:
    """Name this process as the one working in ``tmp``."""
    pid = os.getpid()
    owner = {"pid": pid, "started": process_start_time(pid), "host": socket.gethostname(),
             "run_id": run_id}
    (tmp / OWNER_NAME).write_text(json.dumps(owner) + "\n", encoding="utf-8")


def owner_alive(tmp: Path) -> int | None:
    """The pid of the live process working in ``tmp`` on this machine, or None (dead, unnamed,
    or another machine's: a folder is then treated as stale, as before owners were named)."""
    try:
        owner = json.loads((tmp / OWNER_NAME).read_text(encoding="utf-8"))
        pid, started, host = int(owner["pid"]), owner.get("started"), owner.get("host")
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if host != socket.gethostname() or pid == os.getpid():
        return None
    now = process_start_time(pid)
    if now is None or (started and now and abs(now - float(started)) > 0.05):
        return None  # gone, or its pid now belongs to another process
    return pid


def run_is_current(lock_path: str | Path, run_id: str | None) -> bool:
    """True while the run ``run_id`` holds the lock at ``lock_path``: the lock is held and the
    lock file names that run. A run killed with SIGKILL leaves the file naming it, unlocked."""
    if not run_id:
        return True  # a task built without a run (direct calls, tests): nothing to check
    try:
        import fcntl
    except ImportError:  # no flock (Windows): the lock file's content is all we can check
        fcntl = None
    try:
        fd = os.open(lock_path, os.O_RDONLY)
    except OSError:
        return False
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                pass  # held: by whom is in the file
            else:
                fcntl.flock(fd, fcntl.LOCK_UN)
                return False  # nobody holds it: the run is gone
        content = os.read(fd, 4096).decode("ascii", "replace").split()
    finally:
        os.close(fd)
    return content[1:2] == [run_id]
