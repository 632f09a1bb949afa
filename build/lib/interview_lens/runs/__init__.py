"""Runs: regenerating every notebook for every document, safely and only when needed.

``regenerate`` (find documents and notebooks, fingerprint, run, summarise), ``document`` (one
document's notebooks into a temporary folder, then swapped in), ``kernel`` (papermill on a kernel
that starts reliably), ``processes`` (the run lock, signals, clean-up), ``liveness``,
``manifest`` (what a run read and wrote), ``report`` (the HTML report), ``corpus_notebook``,
``dask`` (an existing cluster).
"""
from __future__ import annotations

from interview_lens._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "run": "interview_lens.runs.regenerate",
    "find_documents": "interview_lens.runs.regenerate",
    "find_notebooks": "interview_lens.runs.regenerate",
    "read_manifest": "interview_lens.runs.manifest",
    "input_fingerprint": "interview_lens.runs.manifest",
    "write_report": "interview_lens.runs.report",
    "run_corpus_notebook": "interview_lens.runs.corpus_notebook",
    "dask_client": "interview_lens.runs.dask",
    "dask_executor": "interview_lens.runs.dask",
})

