"""``interview-lens regenerate``: every notebook on every interview (what ``make run`` calls)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import yaml

from interview_lens.project import project_root
from interview_lens.runs.regenerate import (
    DEFAULT_DOCUMENT_TIMEOUT,
    DEFAULT_KERNEL,
    DOCUMENTS_HELP,
    EXIT_MEANINGS,
)
from interview_lens.runs.regenerate import run as run_documents

EPILOG = """\
outputs, per document <doc_id> (the slug of the file name):
  outputs/<doc_id>/NN-name.ipynb   executed notebooks
  outputs/<doc_id>/report.html     report without code (document text escaped and sanitized)
  outputs/<doc_id>/manifest.json   input hashes, status, timings, figures, tables, warnings
  figures/<doc_id>/                figures (png/svg/pdf) with their CSV
  data/processed/<doc_id>/         tables
A document is skipped, and no file changes, when nothing it loads changed since its last
successful run (the document, its sidecar, the notebooks, data/concepts/, files named by a
parameter, the parameters, the package source, its default concept dictionary and the word lists
of the document's language) and every output its manifest lists is there with its size.
A failed or rejected document keeps its previous outputs; its manifest says status: failed or
rejected, and a failed notebook is kept in outputs/<doc_id>/failed/. Log: outputs/regenerate.log.

document status in the summary:
  ok        every notebook ran; outputs swapped in
  skipped   unchanged since its last successful run
  rejected  the input cannot be used (unreadable, empty, corrupted, malformed sidecar): fix the
            input; the line is the reader's one-line reason
  failed    a notebook crashed or ran out of time: the line names the notebook and the cell

exit status (the first that applies):
  3  another regeneration is running (lock outputs/.regenerate.lock is held)
  2  user error, nothing was run: a path that does not exist, no documents, no notebooks, a bad
     option, a folder (outputs/, figures/, data/processed/) that cannot be written
  130, 143  interrupted by Ctrl-C / SIGTERM (temporary files removed, outputs untouched)
  1  at least one document failed (the summary names the notebook and cell)
  4  no document failed, at least one was rejected (the others are ok or skipped)
  0  every document ok or skipped
`make run` can only exit 0 or 2 (GNU make); it prints this status on its last line
(--status-line). Schedulers: run .venv/bin/python -m interview_lens regenerate (the same
options) to get it as the exit status.
"""


def _parameter(text: str) -> tuple[str, object]:
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, yaml.safe_load(value)


HELP = "regenerate every notebook, table, figure and report for the interviews"
DESCRIPTION = ("Run every notebook on every interview with papermill; write figures, tables, "
               "executed notebooks, an HTML report and a manifest per document.")


def configure(p: argparse.ArgumentParser) -> None:
    """The options, their help, the document statuses and the exit statuses."""
    root = project_root()
    p.add_argument("documents", nargs="*", metavar="PATH", help=DOCUMENTS_HELP)
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
    p.add_argument("--document-timeout", type=float, default=DEFAULT_DOCUMENT_TIMEOUT,
                   help="seconds all of a document's notebooks may take together before it "
                        "fails ('timed out after N s in NN-name.ipynb cell K'); 0 = no limit "
                        "(default: %(default)s)")
    p.add_argument("-p", "--parameter", type=_parameter, action="append", default=[],
                   metavar="NAME=VALUE",
                   help="extra notebook parameter for every document (VALUE read as YAML: "
                        "-p top_n=30 -p language=fr); repeatable")
    p.add_argument("--project-root", type=Path, default=root,
                   help="the project whose outputs/, figures/ and data/processed/ are written "
                        "(default: %(default)s)")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="run the documents on an existing Dask cluster (tcp://host:8786) instead "
                        "of local processes; its workers need the project installed and this "
                        "project's folders on a shared file system (README: Scaling to large "
                        "collections)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.add_argument("--status-line", action="store_true",
                   help="end with the exit status and its meaning on stderr when it is not 0 "
                        "(make run: GNU make itself can only exit 0, 1 or 2)")


def status_line(status: int) -> str:
    """The last line ``make run`` prints: the status make cannot pass on, and where to get it."""
    meaning = EXIT_MEANINGS.get(status, "see --help: exit status")
    return (f"regenerate: exit status {status} ({meaning}); make run itself exits 2, "
            f"python -m interview_lens regenerate exits {status}")


def run(args: argparse.Namespace, out=None) -> int:
    """Regenerate as the options ask, print the summary; the exit status (see ``--help``)."""
    status = _regenerate(args)
    if args.status_line and status:
        print(status_line(status), file=sys.stderr)
    return status


def _regenerate(args: argparse.Namespace) -> int:
    """The run the options ask for (a local process pool, or a Dask cluster with --scheduler)."""
    options = dict(
        project_root=args.project_root, notebooks_dir=args.notebooks_dir,
        jobs=args.jobs, force=args.force, formats=args.formats.split(","), dpi=args.dpi,
        kernel=args.kernel, timeout=args.timeout or None,
        document_timeout=args.document_timeout or None, parameters=dict(args.parameter),
        progress=not args.no_progress,
    )
    if not args.scheduler:  # local processes: Dask is not even imported
        return run_documents(args.documents or None, **options)
    from interview_lens.errors import InterviewLensError
    from interview_lens.runs.dask import dask_executor

    try:
        with dask_executor(args.scheduler) as executor:
            return run_documents(args.documents or None, executor=executor, **options)
    except InterviewLensError as exc:
        print(f"regenerate: {exc}", file=sys.stderr)
        return 2
