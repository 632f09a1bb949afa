"""Run the corpus-scope notebook (``06-corpus-overview``) once over the corpus tables.

``python -m interview_lens regenerate`` runs the per-document notebooks; a notebook marked
``metadata.interview_lens.scope: corpus`` is left out there (see
:func:`interview_lens.runs.regenerate.notebook_scope`) and run here instead, after
``python -m interview_lens corpus`` has written ``data/processed/_corpus/``.  The executed notebook goes
to ``outputs/_corpus/<name>.ipynb`` through a temporary file, so a failed run leaves the previous
one in place.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from interview_lens.analysis.corpus import CORPUS_ID
from interview_lens.project import ROOT_ENV, atomic_write

__all__ = ["CORPUS_NOTEBOOK", "NotebookFailed", "run_corpus_notebook"]

CORPUS_NOTEBOOK = "06-corpus-overview.ipynb"


class NotebookFailed(Exception):
    """A cell of the corpus notebook raised; ``str()`` is one line: notebook, cell, error."""


def run_corpus_notebook(notebook: str | Path, *, project_root: str | Path,
                        output_root: str | Path, kernel: str = "interview-lens",
                        parameters: dict[str, Any] | None = None,
                        timeout: float | None = 600) -> Path:
    """Execute ``notebook`` with ``output_root`` (and ``parameters``) into
    ``<output_root>/outputs/_corpus/``; returns the executed notebook's path.

    Raises :class:`NotebookFailed` when a cell fails (the previous executed notebook is kept).
    """
    from papermill.exceptions import PapermillExecutionError

    from interview_lens.runs.kernel import execute_notebook

    notebook = Path(notebook)
    folder = Path(output_root) / "outputs" / CORPUS_ID
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / notebook.name
    # the kernel inherits this: the notebook resolves paths from the project root
    os.environ[ROOT_ENV] = str(Path(project_root).resolve())
    try:
        atomic_write(target, lambda tmp: execute_notebook(
            notebook, tmp, kernel_name=kernel, progress_bar=False,
            parameters={**(parameters or {}), "output_root": str(Path(output_root).resolve())},
            cwd=str(project_root), execution_timeout=timeout, start_timeout=120),
            suffix=".ipynb")
    except PapermillExecutionError as exc:
        raise NotebookFailed(f"{notebook.name} cell {exc.exec_count}: {exc.ename}: "
                             f"{' '.join(str(exc.evalue).split())}") from None
    return target
