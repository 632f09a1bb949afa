#!/usr/bin/env python
"""Regenerate every notebook, table, figure and HTML report for the interviews (``make run``).

Thin entry point: the work is done by :func:`interview_lens.regenerate.run`.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import yaml

from interview_lens.regenerate import DEFAULT_KERNEL, run

PROJECT_ROOT = Path(__file__).resolve().parents[1]

EPILOG = """\
outputs, per document <doc_id> (the slug of the file name):
  outputs/<doc_id>/NN-name.ipynb   executed notebooks
  outputs/<doc_id>/report.html     report without code (document text escaped and sanitized)
  outputs/<doc_id>/manifest.json   input hashes, status, timings, figures, tables, warnings
  figures/<doc_id>/                figures (png/svg/pdf) with their CSV
  data/processed/<doc_id>/         tables
Documents whose inputs (document, sidecar, notebooks, data/concepts, parameters, package source,
data/lexicon) are unchanged since their last successful run are skipped and no file changes.
A failed document keeps its previous outputs; its manifest says status: failed, and the failed
notebook is kept in outputs/<doc_id>/failed/. Log: outputs/regenerate.log.

exit status:
  0  every document ok or skipped
  1  at least one document failed (the summary names the notebook and cell)
  2  user error: a path that does not exist, no documents, no notebooks, a bad option
  3  another regeneration is running (lock outputs/.regenerate.lock is held)
  130, 143  interrupted by Ctrl-C / SIGTERM (temporary files removed, outputs untouched)
"""


def _parameter(text: str) -> tuple[str, object]:
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, yaml.safe_load(value)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="scripts/regenerate.py",
        description="Run every notebook on every interview with papermill; write figures, "
                    "tables, executed notebooks, an HTML report and a manifest per document.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("documents", nargs="*", metavar="PATH",
                   help="documents, folders or glob patterns (default: every .txt .md .docx "
                        ".html .htm .pdf in data/interviews/)")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count(),
                   help="documents processed in parallel (default: %(default)s, the CPU count)")
    p.add_argument("-f", "--force", action="store_true",
                   help="rerun documents even when their inputs are unchanged")
    p.add_argument("--formats", default="png,svg,pdf",
                   help="figure formats, comma-separated (default: %(default)s)")
    p.add_argument("--dpi", type=int, default=300, help="PNG resolution (default: %(default)s)")
    p.add_argument("--kernel", default=DEFAULT_KERNEL,
                   help="Jupyter kernel the notebooks run on (default: %(default)s)")
    p.add_argument("--notebooks-dir", type=Path, default=None,
                   help="folder of the NN-*.ipynb notebooks (default: PROJECT_ROOT/notebooks)")
    p.add_argument("--timeout", type=float, default=600,
                   help="seconds a single cell may run before the document fails; 0 = no limit "
                        "(default: %(default)s)")
    p.add_argument("-p", "--parameter", type=_parameter, action="append", default=[],
                   metavar="NAME=VALUE",
                   help="extra notebook parameter for every document (VALUE read as YAML: "
                        "-p top_n=30 -p language=fr); repeatable")
    p.add_argument("--project-root", type=Path, default=PROJECT_ROOT,
                   help="the project whose outputs/, figures/ and data/processed/ are written "
                        "(default: %(default)s)")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="run the documents on an existing Dask cluster (tcp://host:8786) instead "
                        "of local processes; its workers need the project installed and this "
                        "project's folders on a shared file system (README: Scaling to large "
                        "collections)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    options = dict(
        project_root=args.project_root, notebooks_dir=args.notebooks_dir,
        jobs=args.jobs, force=args.force, formats=args.formats.split(","), dpi=args.dpi,
        kernel=args.kernel, timeout=args.timeout or None, parameters=dict(args.parameter),
        progress=not args.no_progress,
    )
    if not args.scheduler:  # local processes: Dask is not even imported
        return run(args.documents or None, **options)
    from interview_lens.dask_support import dask_executor
    from interview_lens.errors import InterviewLensError

    try:
        with dask_executor(args.scheduler) as executor:
            return run(args.documents or None, executor=executor, **options)
    except InterviewLensError as exc:
        print(f"regenerate: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
