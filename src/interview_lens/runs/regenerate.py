"""Regenerate the notebooks, tables, figures and report of each interview: safely, only if needed.

For each document, every notebook ``notebooks/NN-*.ipynb`` runs through papermill on the project's
kernel, writing into a temporary folder inside the project (``outputs/.tmp-<doc_id>-*``); only when
all of them succeed are ``figures/<doc_id>/``, ``data/processed/<doc_id>/`` and
``outputs/<doc_id>/`` (executed notebooks, ``report.html``, ``manifest.json``) swapped in, one
directory rename each. A failure leaves the previous good outputs untouched and records itself in
the manifest (``status: failed``, the notebook, the cell and the error line, and ``last_success``),
with the failed executed notebook in ``outputs/<doc_id>/failed/``.

Documents whose inputs are unchanged since their last successful run are skipped without touching
any file (see :mod:`interview_lens.runs.manifest`). After a run that ran any document, the
collection's REFI-QDA project ``outputs/_corpus/collection.qdpx`` is rebuilt from the tables and
projects of every document whose last run is ok (:mod:`interview_lens.exchange.collection`). Documents run in parallel on a
``concurrent.futures`` executor; :func:`run_document` is a top-level function of plain arguments
returning a plain dict, and only ``submit`` and ``as_completed`` are used, so any executor with
that interface (a ``dask.distributed`` client's) can be passed instead of the local process pool.

A document the project's reading refuses (unreadable, empty, corrupted, a malformed sidecar) is
``rejected`` with that one line, apart from ``failed`` (a notebook crashed: our problem); every
document gets ``--document-timeout`` seconds (default 20 minutes) and each cell ``--timeout``.

Exit statuses of :func:`run` (``python -m interview_lens regenerate``, ``python -m interview_lens regenerate``,
``make run``), in order of precedence: 3 another regeneration holds the lock; 2 user error before
any work (a path that does not exist, no documents, no notebooks, a bad option, a folder that
cannot be written); 130/143 interrupted (SIGINT/SIGTERM); 1 at least one document failed; 4 no
document failed but at least one was rejected (fix the input; the others are done); 0 every
document ok or skipped.
"""
from __future__ import annotations

import glob
import json
import logging
import multiprocessing
import os
import signal
import sys
import tempfile
import uuid
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from interview_lens import __version__
from interview_lens.errors import InputError, InterviewLensError
from interview_lens.project import doc_id_for
from interview_lens.reading.formats import SUPPORTED
from interview_lens.runs.document import (
    new_result,
    now_utc,
    one_line,
    problem_line,
    record_failure,
    rel_path,
    run_document,
)
from interview_lens.runs.layout import LOCK_NAME, LOG_NAME, SUBTREES, TMP_PREFIX, log_file_handler
from interview_lens.runs.manifest import (
    MANIFEST_NAME,
    input_fingerprint,
    is_up_to_date,
    lexicon_hashes,
    package_source_hash,
    read_manifest,
)
from interview_lens.runs.processes import (
    Interrupted,
    RegenerationLocked,
    init_worker,
    kill_descendants,
    remove_tmp_dirs,
    run_lock,
    signals_interrupt,
    terminate_pool,
)

__all__ = ["regenerate", "run", "run_document", "run_lock", "find_documents", "find_notebooks",
           "doc_id_for", "summary_table", "RegenerationLocked", "Interrupted",
           "SUPPORTED_EXTENSIONS", "DOCUMENTS_HELP", "LOCK_NAME", "LOG_NAME", "SUBTREES", "TMP_PREFIX"]

SUPPORTED_EXTENSIONS = SUPPORTED  # what the reader reads (interview_lens.reading.formats)
DOCUMENTS_HELP = ("documents, folders or glob patterns (default: every "
                  f"{' '.join(SUPPORTED_EXTENSIONS)} in data/interviews/)")
NOTEBOOK_PATTERN = "[0-9][0-9]-*.ipynb"
DEFAULT_KERNEL = "interview-lens"
DEFAULT_FORMATS = ("png", "svg", "pdf")

EXIT_OK, EXIT_FAILED, EXIT_USER_ERROR, EXIT_LOCKED, EXIT_REJECTED = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = {signal.SIGINT: 130, signal.SIGTERM: 143}
EXIT_MEANINGS = {EXIT_OK: "every document ok or skipped", EXIT_FAILED: "a document failed",
                 EXIT_USER_ERROR: "user error, nothing was run",
                 EXIT_LOCKED: "another regeneration is running",
                 EXIT_REJECTED: "a document was rejected, none failed",
                 130: "interrupted (SIGINT)", 143: "interrupted (SIGTERM)"}
#: seconds a document's notebooks may take together (a cell's own limit is ``timeout``)
DEFAULT_DOCUMENT_TIMEOUT = 1200
#: the folders a run writes into, checked before any work starts
WRITTEN_FOLDERS = ("outputs", "figures", "data/processed")
#: The collection's REFI-QDA project (``exchange.collection.COLLECTION_QDPX``, not imported
#: here: the exporter's imports are not needed to start a run).
COLLECTION_QDPX = Path("outputs") / "_corpus" / "collection.qdpx"
STATUSES = ("ok", "skipped", "rejected", "failed")

log = logging.getLogger(__name__)


# --- finding the work ---------------------------------------------------------------------------

def _is_document(path: Path) -> bool:
    # ~$name.docx is Word's lock file for an open document, not an interview
    return (path.is_file() and path.suffix.lower() in SUPPORTED_EXTENSIONS
            and not path.name.startswith((".", "~$")))


def find_documents(patterns: Sequence[str | Path] | None = None, *,
                   project_root: str | Path) -> list[Path]:
    """The documents to process: ``patterns`` (paths, folders or globs), else ``data/interviews/``.

    Raises :class:`InputError` when a pattern matches nothing, when nothing is found, or when two
    documents would share one ``doc_id`` (their outputs would overwrite each other).
    """
    root = Path(project_root)
    found: list[Path] = []
    if not patterns:
        folder = root / "data" / "interviews"
        found = sorted((p for p in folder.glob("*") if _is_document(p)), key=doc_id_for)
        if not found:
            raise InputError(folder, "no documents found (supported: "
                                     f"{' '.join(SUPPORTED_EXTENSIONS)})")
    for pattern in patterns or ():
        text = str(pattern)
        matches = [Path(m) for m in sorted(glob.glob(text, recursive=True))] \
            if glob.has_magic(text) else [Path(text)]
        hits: list[Path] = []
        for match in matches:
            if match.is_dir():
                hits.extend(sorted(p for p in match.glob("*") if _is_document(p)))
            elif _is_document(match):
                hits.append(match)
            elif match.is_file():
                raise InputError(match, "not a supported document (use "
                                        f"{' '.join(SUPPORTED_EXTENSIONS)})")
        if not hits:
            raise InputError(text, "no such document" if not glob.has_magic(text)
                             else "no documents match this pattern")
        found.extend(hits)
    unique = list(dict.fromkeys(p.resolve() for p in found))
    by_id: dict[str, Path] = {}
    for path in unique:
        other = by_id.setdefault(doc_id_for(path), path)
        if other != path:
            raise InputError(path, f"same document id {doc_id_for(path)!r} as {other}; rename one")
    return unique


def notebook_scope(path: str | Path) -> str:
    """``"corpus"`` for a notebook marked ``metadata.interview_lens.scope: corpus`` (run once over
    the collection by ``python -m interview_lens corpus``), else ``"document"``."""
    try:
        scope = json.loads(Path(path).read_text(encoding="utf-8"))["metadata"]["interview_lens"][
            "scope"]
    except (OSError, ValueError, LookupError, TypeError):
        return "document"  # unmarked; an unreadable notebook fails in its own run, with its message
    return "corpus" if scope == "corpus" else "document"


def find_notebooks(notebooks_dir: str | Path) -> list[Path]:
    """``notebooks_dir/NN-*.ipynb`` in order, corpus-scope notebooks left out (they do not run
    per document); :class:`InputError` when there is none."""
    folder = Path(notebooks_dir)
    notebooks = [p for p in sorted(folder.glob(NOTEBOOK_PATTERN))
                 if notebook_scope(p) == "document"]
    if not notebooks:
        raise InputError(folder, f"no notebooks named {NOTEBOOK_PATTERN}")
    return notebooks


# --- the run ------------------------------------------------------------------------------------

def _check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in formats if f.strip())
    bad = [f for f in formats if f not in DEFAULT_FORMATS]
    if bad or not formats:
        raise InputError(None, f"--formats: {','.join(bad) or 'none given'} not supported; "
                               f"use a subset of {','.join(DEFAULT_FORMATS)}")
    return formats


def check_writable(root: Path) -> None:
    """Raise :class:`InputError` naming the first of ``outputs/``, ``figures/`` and
    ``data/processed/`` that cannot be written (read-only, permissions, a file in the way)."""
    for name in WRITTEN_FOLDERS:
        folder = root / name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            # a real write: os.access() says yes to root on a read-only mount
            fd, probe = tempfile.mkstemp(prefix=".write-test-", dir=folder)
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise InputError(f"{name}/", f"cannot write here ({reason}); nothing was run"
                             ) from None


def _rejected_unreadable(doc: Path, root: Path, exc: OSError) -> dict[str, Any]:
    """The result of a document whose file (or sidecar) cannot even be read to be hashed."""
    where = Path(exc.filename) if exc.filename else doc
    problem = str(InputError(rel_path(where, root),
                             f"cannot be read ({exc.strerror or type(exc).__name__})"))
    return {"doc_id": doc_id_for(doc), "document": rel_path(doc, root), "status": "rejected",
            "notebooks_run": 0, "notebooks_total": 0, "figures": [], "tables": [],
            "warnings": [], "started": None, "finished": now_utc(), "seconds": 0.0,
            "failure": {"notebook": None, "cell": None, "execution_count": None,
                        "exception": type(exc).__name__, "kind": "rejected",
                        "message": problem},
            "problem": problem}


def _skipped_result(task: dict[str, Any], manifest: dict[str, Any]) -> dict[str, Any]:
    return {**new_result(task), "status": "skipped",
            "notebooks_run": 0, "figures": manifest.get("figures", []),
            "tables": manifest.get("tables", []), "warnings": manifest.get("warnings", []),
            "started": None}


def _crashed_result(task: dict[str, Any], exc: BaseException) -> dict[str, Any]:
    """The worker running ``task`` died (killed, out of memory...): record it as a failure."""
    result = new_result(task)
    result["failure"] = {"notebook": None, "cell": None, "execution_count": None,
                         "exception": type(exc).__name__,
                         "message": one_line(f"worker crashed: {type(exc).__name__}: {exc}")}
    result["finished"] = now_utc()
    result["problem"] = problem_line(result["failure"])
    try:
        record_failure(task, result, None, None)
    except Exception as err:  # noqa: BLE001
        result["problem"] += f" (manifest not updated: {one_line(err, 120)})"
    return result


def regenerate(
    documents: Sequence[str | Path] | None = None,
    *,
    project_root: str | Path,
    notebooks_dir: str | Path | None = None,
    jobs: int | None = None,
    force: bool = False,
    formats: Iterable[str] = DEFAULT_FORMATS,
    dpi: int = 300,
    kernel: str = DEFAULT_KERNEL,
    timeout: float | None = 600,
    document_timeout: float | None = DEFAULT_DOCUMENT_TIMEOUT,
    parameters: dict[str, Any] | None = None,
    executor: Executor | None = None,
    progress: bool = True,
) -> list[dict[str, Any]]:
    """Regenerate the outputs of ``documents`` (default: ``data/interviews/*``); one dict each.

    Parameters
    ----------
    documents : paths, folders or glob patterns; default every supported file of data/interviews/.
    project_root : the project (outputs/, figures/, data/processed/ live under it).
    notebooks_dir : where ``NN-*.ipynb`` are found (default ``<project_root>/notebooks``).
    jobs : documents in parallel (default ``os.cpu_count()``); with fewer documents than jobs,
        each document's notebooks share the rest.  Ignored when ``executor`` is given.
    force : rerun documents whose inputs are unchanged.
    formats, dpi : figure formats and PNG resolution, passed to every notebook.
    kernel : Jupyter kernel name; timeout : seconds per cell (``None``: no limit).
    document_timeout : seconds for all of a document's notebooks (``None``: no limit).
    parameters : further notebook parameters, the same for every document.
    executor : a ``concurrent.futures.Executor`` to use instead of a local process pool.

    Returns one dict per document, in the order given: ``doc_id, document, status ('ok' |
    'skipped' | 'rejected' | 'failed'), notebooks_run, notebooks_total, figures, tables,
    warnings, failure, problem, started, finished, seconds``.
    Raises :class:`InputError` (user error, before any work), :class:`RegenerationLocked`,
    :class:`Interrupted`.
    """
    root = Path(project_root).resolve()
    outputs_dir = root / "outputs"
    formats = _check_formats(formats)
    docs = find_documents(documents, project_root=root)
    notebooks = find_notebooks(notebooks_dir or root / "notebooks")
    fixed = {**(parameters or {}), "formats": list(formats), "dpi": int(dpi)}
    check_writable(root)

    lock_shown = f"outputs/{LOCK_NAME}"
    run_id = uuid.uuid4().hex
    with run_lock(outputs_dir, shown_as=lock_shown, run_id=run_id), \
            _logging_to(outputs_dir / LOG_NAME), signals_interrupt():
        for stale in remove_tmp_dirs(outputs_dir):
            log.warning("removed %s left by an interrupted run", rel_path(stale, root))
        log.info("run started: %d document(s), %d notebook(s), force=%s",
                 len(docs), len(notebooks), force)
        common = {"project_root": str(root), "notebooks": [str(n) for n in notebooks],
                  "parameters": fixed, "kernel": kernel, "timeout": timeout,
                  "document_timeout": document_timeout, "run_id": run_id,
                  "source_hash": package_source_hash(root), "lexicon": lexicon_hashes()}
        results: dict[str, dict[str, Any]] = {}
        tasks: list[dict[str, Any]] = []
        for doc in docs:
            task = _task_or_result(doc, common, force=force, results=results)
            if task is not None:
                tasks.append(task)
        for task in tasks:
            task["notebook_jobs"] = notebook_jobs(jobs, len(tasks), local=executor is None)
        order = [doc_id_for(d) for d in docs]
        _execute(tasks, results, jobs=jobs, executor=executor, progress=progress,
                 n_skipped=len(results), outputs_dir=outputs_dir)
        ordered = [results[d] for d in order]
        if any(res["status"] != "skipped" for res in ordered) or not (
                root / COLLECTION_QDPX).is_file():
            _write_collection(root, fixed)
        levels = {"failed": logging.ERROR, "rejected": logging.WARNING}
        for res in ordered:
            log.log(levels.get(res["status"], logging.INFO), "%s: %s %s", res["doc_id"],
                    res["status"], res["problem"])
        return ordered


def _task_or_result(doc: Path, common: dict[str, Any], *, force: bool,
                    results: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The task to run ``doc``, or None with its result put in ``results`` (skipped: unchanged
    since its last good run; rejected: it cannot be read)."""
    root, doc_id = Path(common["project_root"]), doc_id_for(doc)
    manifest = read_manifest(root / "outputs" / doc_id / MANIFEST_NAME)
    # the language its last run found: only that language's word lists count
    language = ((manifest or {}).get("inputs") or {}).get("language")
    try:
        inputs = input_fingerprint(
            project_root=root, document=doc, notebooks=common["notebooks"],
            parameters=common["parameters"], package_version=__version__,
            source_hash=common["source_hash"], language=language, lexicon=common["lexicon"])
    except OSError as exc:  # permissions, a file gone since it was found...
        results[doc_id] = _rejected_unreadable(doc, root, exc)
        return None
    task = {**{k: v for k, v in common.items() if k != "source_hash"}, "document": str(doc),
            "doc_id": doc_id, "document_param": rel_path(doc, root), "inputs": inputs}
    if not force and is_up_to_date(manifest, inputs["fingerprint"], root):
        results[doc_id] = _skipped_result(task, manifest)
        return None
    return task


def collection_members(root: Path) -> dict[str, Path]:
    """``{doc_id: document}`` of every document whose last run is ok, whose file is still in
    place and whose REFI-QDA project was written, by doc_id: the collection's project."""
    from interview_lens.exchange.collection import document_qdpx

    members = {}
    outputs = root / "outputs"
    for manifest_path in sorted(outputs.glob(f"*/{MANIFEST_NAME}")):
        doc_id = manifest_path.parent.name
        manifest = read_manifest(manifest_path)
        if doc_id.startswith(("_", ".")) or not manifest or manifest.get("status") != "ok":
            continue
        document = root / str(manifest.get("document", ""))
        if document.is_file() and document_qdpx(root, doc_id).is_file():
            members[doc_id] = document
    return members


def _write_collection(root: Path, parameters: dict[str, Any]) -> None:
    """Rebuild ``outputs/_corpus/collection.qdpx`` from the ok documents' tables and projects
    (none is read again); a problem is a warning in the log, never a failed run."""
    from interview_lens.analysis.dictionary import load_dictionary
    from interview_lens.exchange.collection import write_collection_qdpx

    members = collection_members(root)
    target = root / COLLECTION_QDPX
    if not members:  # no document is ok: an earlier collection stays as it was
        return
    try:
        concepts = parameters.get("concepts") or None
        if concepts and not Path(concepts).is_absolute():
            concepts = root / concepts
        write_collection_qdpx(root, members, dictionary=load_dictionary(concepts))
        log.info("%s: %d document(s)", rel_path(target, root), len(members))
    except Exception as exc:  # noqa: BLE001 - the documents' own outputs are all in place
        log.warning("%s not rebuilt: %s", rel_path(target, root), one_line(exc))


def notebook_jobs(jobs: int | None, n_documents: int, *, local: bool = True) -> int:
    """Notebooks of one document run side by side: ``jobs`` (default the cores) shared out
    among the documents to run, documents first.

    ``jobs`` bounds the kernels running at once, so only the cores that fewer documents than
    ``jobs`` leave idle go to a document's notebooks (``jobs=2``, one document: 2; two or more
    documents: 1).  An outside executor (``local=False``) sizes its own workers: 1.
    """
    if not local:
        return 1
    budget = max(1, jobs or os.cpu_count() or 1)
    return max(1, budget // max(1, min(budget, n_documents)))


def _execute(tasks: list[dict[str, Any]], results: dict[str, dict[str, Any]], *, jobs: int | None,
             executor: Executor | None, progress: bool, n_skipped: int, outputs_dir: Path) -> None:
    from tqdm import tqdm

    bar = tqdm(total=len(tasks) + n_skipped, desc="regenerate", unit="doc", file=sys.stderr,
               disable=not progress, dynamic_ncols=True)
    bar.update(n_skipped)
    if not tasks:
        bar.close()
        return
    own = executor is None
    if own:
        workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
        executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker, initargs=(str(outputs_dir / LOG_NAME), os.getpid()))
    futures: dict = {}
    try:
        for task in tasks:
            log.info("%s: started", task["doc_id"])
            futures[executor.submit(run_document, task)] = task
        for future in as_completed(futures):
            task = futures[future]
            try:
                res = future.result()
            except Exception as exc:  # noqa: BLE001 - the worker died; the others go on
                res = _crashed_result(task, exc)
            results[task["doc_id"]] = res
            bar.set_postfix_str(f"{res['doc_id']} {res['status']}", refresh=False)
            bar.update(1)
    except KeyboardInterrupt:
        log.warning("interrupted: stopping workers and removing temporary folders")
        for future in futures:
            future.cancel()
        if own:
            terminate_pool(executor)
        kill_descendants(grace=2)
        raise
    finally:
        bar.close()
        if own:
            executor.shutdown(wait=True, cancel_futures=True)
        remove_tmp_dirs(outputs_dir)


@contextmanager
def _logging_to(path: Path) -> Iterator[None]:
    handler = log_file_handler(path)
    previous_level = log.level
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.setLevel(previous_level)
        handler.close()


# --- the command line ---------------------------------------------------------------------------

def summary_table(results: Sequence[dict[str, Any]]) -> str:
    """A plain-text table: document, status, notebooks, figures, seconds, problem."""
    rows = [("document", "status", "notebooks", "figures", "seconds", "problem")]
    for r in results:
        figures = {Path(f).stem for f in r["figures"]
                   if Path(f).suffix.lower() in (".png", ".svg", ".pdf")}
        # skipped, or rejected before any notebook ran: no count, no timing
        ran = r["status"] != "skipped" and r.get("started", True) is not None
        notebooks = f"{r['notebooks_run']}/{r['notebooks_total']}" if ran else "-"
        seconds = f"{r['seconds']:.1f}" if ran else "-"
        rows.append((r["doc_id"], r["status"], notebooks, str(len(figures)), seconds,
                     r["problem"]))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row[:5], widths)) + "  " + row[5]
             for row in rows]
    return "\n".join(line.rstrip() for line in lines)


def exit_status(results: Sequence[dict[str, Any]]) -> int:
    """1 when a document failed, else 4 when one was rejected, else 0."""
    statuses = {r["status"] for r in results}
    if "failed" in statuses:
        return EXIT_FAILED
    return EXIT_REJECTED if "rejected" in statuses else EXIT_OK


def run(documents: Sequence[str] | None = None, *, project_root: str | Path, out=None,
        err=None, **options: Any) -> int:
    """What ``python -m interview_lens regenerate`` does: :func:`regenerate`, print the summary,
    return the exit status (0 ok, 1 a document failed, 2 user error, 3 locked, 4 a document
    rejected and none failed, 130/143 interrupted)."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        results = regenerate(documents, project_root=project_root, **options)
    except InterviewLensError as exc:
        print(f"regenerate: {exc}", file=err)
        return EXIT_USER_ERROR
    except RegenerationLocked as exc:
        print(f"regenerate: {exc}", file=err)
        return EXIT_LOCKED
    except KeyboardInterrupt as exc:
        signum = getattr(exc, "signum", signal.SIGINT)
        print(f"regenerate: interrupted ({signal.Signals(signum).name}); temporary files "
              "removed, previous outputs untouched", file=err)
        return EXIT_INTERRUPTED.get(signum, 130)
    print(summary_table(results), file=out)
    counts = {s: sum(r["status"] == s for r in results) for s in STATUSES}
    print(f"{len(results)} document(s): " + ", ".join(f"{counts[s]} {s}" for s in STATUSES)
          + f" (log: outputs/{LOG_NAME})", file=out)
    return exit_status(results)

