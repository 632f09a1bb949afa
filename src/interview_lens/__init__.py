"""interview_lens: turn interviews into evidence.

The pipeline reads as a grammar: document -> turns -> tokens -> counts / concept hits ->
co-occurrence -> figures.  Public names are imported lazily so that ``import interview_lens``
stays fast (the command line and papermill kernels pay only for what they use).
"""
from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("interview-lens")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"

from .errors import ConfigError, InputError, InterviewLensError, InterviewWarning  # noqa: E402

# public name -> module that defines it
_EXPORTS = {
    "read_document": "io",
    "read_interview": "segment",
    "Interview": "model",
    "Document": "model",
    "save_figure": "export",
    "save_table": "export",
    "apply_style": "style",
}


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'interview_lens' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)


__all__ = ["ConfigError", "InputError", "InterviewLensError", "InterviewWarning", "__version__",
           *_EXPORTS]
