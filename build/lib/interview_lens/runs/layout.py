"""Where a regeneration writes: the per-document trees, the lock, the log, temporary names."""
from __future__ import annotations

import logging
from pathlib import Path

# The three per-document trees, swapped in this order: the manifest (in outputs/) goes last,
# so it is the commit record of a run.
SUBTREES = ("figures", "data/processed", "outputs")
LOCK_NAME = ".regenerate.lock"
LOG_NAME = "regenerate.log"
TMP_PREFIX = ".tmp-"
ACTIVE_TMP: set[Path] = set()  # temporary folders of this process, removed on SIGTERM


def log_file_handler(path: str | Path, *, delay: bool = False) -> logging.Handler:
    """A handler appending to the run log in its line format (main process and workers alike)."""
    handler = logging.FileHandler(path, mode="a", encoding="utf-8", delay=delay)
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s [pid %(process)d] %(message)s", "%Y-%m-%dT%H:%M:%S%z"))
    return handler
