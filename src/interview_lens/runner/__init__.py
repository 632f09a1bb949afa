"""The machinery behind :mod:`interview_lens.regenerate`.

``document`` runs one document's notebooks and swaps its outputs in (the function executors call);
``processes`` holds the run lock, signal handling and the clean-up of workers and kernels.
"""
from __future__ import annotations

# The three per-document trees, swapped in this order: the manifest (in outputs/) goes last,
# so it is the commit record of a run.
SUBTREES = ("figures", "data/processed", "outputs")
LOCK_NAME = ".regenerate.lock"
LOG_NAME = "regenerate.log"
TMP_PREFIX = ".tmp-"
#: the run log's line format, for the main process and its workers alike
LOG_FORMAT = ("%(asctime)s %(levelname)s [pid %(process)d] %(message)s", "%Y-%m-%dT%H:%M:%S%z")
