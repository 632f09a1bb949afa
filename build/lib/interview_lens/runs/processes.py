"""Processes and signals: the run lock, SIGTERM/Ctrl-C handling, stopping workers and kernels."""
from __future__ import annotations

import logging
import os
import shutil
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from interview_lens.runs.layout import ACTIVE_TMP, LOCK_NAME, TMP_PREFIX, log_file_handler
from interview_lens.runs.liveness import die_with_parent, owner_alive

log = logging.getLogger("interview_lens.runs.regenerate")

class RegenerationLocked(Exception):
    """Another regeneration run holds the project's lock."""

    def __init__(self, lock_path: str | Path, pid: int | None):
        self.lock_path, self.pid = lock_path, pid
        who = f"pid {pid}" if pid else "another process"
        super().__init__(f"another regeneration is running (lock {lock_path} held by {who})")


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived; everything half-written has been removed."""

    def __init__(self, signum: int = signal.SIGINT):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)



def kill_descendants(pid: int | None = None, *, grace: float = 3.0) -> None:
    """Terminate every descendant of ``pid`` (default: this process), e.g. Jupyter kernels,
    which jupyter_client starts in their own session so that signals to us do not reach them."""
    try:
        import psutil
    except ImportError:  # kernels still exit on their own once their parent is gone
        return
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return
    for child in children:
        try:
            child.terminate()
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(children, timeout=grace)
    for child in alive:
        try:
            child.kill()
        except psutil.Error:
            pass


def _on_sigterm(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    kill_descendants()
    for tmp in list(ACTIVE_TMP):
        shutil.rmtree(tmp, ignore_errors=True)
    os._exit(128 + signum)


def init_worker(log_path: str, parent_pid: int | None = None) -> None:
    """Process-pool worker set-up: the worker dies with the run's process ``parent_pid`` (Linux:
    even when that one is killed with SIGKILL), the parent decides when to stop (it forwards
    Ctrl-C as SIGTERM), kernel chatter on stderr goes to the log rather than over the progress
    bar, and so do the worker's own log lines (e.g. a kernel started again), in the log's
    format."""
    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_sigterm)
    logger = logging.getLogger("interview_lens.runs.regenerate")
    logger.addHandler(log_file_handler(log_path, delay=True))
    logger.setLevel(logging.INFO)
    try:
        fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.dup2(fd, 2)
        os.close(fd)
    except OSError:
        pass


def terminate_pool(executor: ProcessPoolExecutor) -> None:
    """Stop a local process pool's workers now, each removing its temporary folder first."""
    # no public way to reach a pool's processes before Python 3.14's terminate_workers()
    processes = list((getattr(executor, "_processes", None) or {}).values())
    for proc in processes:
        if proc.is_alive():
            proc.terminate()  # SIGTERM: the worker kills its kernel and removes its tmp folder
    for proc in processes:
        proc.join(timeout=15)
        if proc.is_alive():
            kill_descendants(proc.pid, grace=0)
            proc.kill()
            proc.join(timeout=5)


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """In the main thread, turn SIGTERM (and SIGINT) into :class:`Interrupted`."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):  # noqa: ARG001
        raise Interrupted(signum)

    previous = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def remove_tmp_dirs(outputs_dir: Path) -> list[Path]:
    """Remove every ``outputs/.tmp-*`` folder no live process works in (only while holding the
    run lock); the folders removed. A live owner is a worker that outlived its run: its folder
    is left alone (it will write nothing, see :func:`~.liveness.run_is_current`)."""
    removed = []
    for tmp in outputs_dir.glob(f"{TMP_PREFIX}*"):
        pid = owner_alive(tmp)
        if pid is not None:
            log.warning("%s/%s: in use by pid %d, a worker of an earlier run still running; "
                        "left alone", outputs_dir.name, tmp.name, pid)
            continue
        shutil.rmtree(tmp, ignore_errors=True)
        removed.append(tmp)
    return removed


@contextmanager
def run_lock(outputs_dir: str | Path, *, shown_as: str | None = None,
             run_id: str | None = None) -> Iterator[Path]:
    """Hold ``outputs/.regenerate.lock`` (non-blocking) with our pid and ``run_id`` written in
    it (one line each), or raise :class:`RegenerationLocked` naming the holder (and the lock as
    ``shown_as``)."""
    from filelock import FileLock, Timeout

    outputs_dir = Path(outputs_dir)
    outputs_dir.mkdir(parents=True, exist_ok=True)
    path = outputs_dir / LOCK_NAME
    lock = FileLock(str(path), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        try:
            pid = int((path.read_text().split() or ["0"])[0]) or None
        except (OSError, ValueError):
            pid = None
        raise RegenerationLocked(shown_as or path, pid) from None
    try:
        # a second handle: flock belongs to the lock's descriptor, the content is for humans
        with open(path, "w", encoding="ascii") as fh:
            fh.write(f"{os.getpid()}\n{run_id or '-'}\n")
        yield path
    finally:
        lock.release()

