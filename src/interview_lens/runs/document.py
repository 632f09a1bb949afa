"""One document: run every notebook through papermill into a temporary folder, then swap it in.

:func:`run_document` is what an executor runs: a top-level function of one plain dict returning a
plain dict, so it pickles for a process pool or a ``dask.distributed`` cluster alike. It never
raises for a failure: a notebook error, a dead kernel, a time limit or a full disk become
``status: failed`` with the notebook, the cell and a one-line message; an input the project's
own reading refuses (an :class:`~interview_lens.errors.InterviewLensError` raised in a notebook:
empty file, corrupted ``.docx``, malformed sidecar) becomes ``status: rejected`` with that
error's one line. Either is recorded in the document's manifest while its previous good outputs
stay exactly as they were, unless the run that started the document is gone (then nothing is
written at all, see :mod:`interview_lens.runs.liveness`).
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from interview_lens.errors import InterviewLensError
from interview_lens.project import ROOT_ENV
from interview_lens.runs.kernel import (
    execute_notebook,
    executed_cells,
    started_cells,
)
from interview_lens.runs.layout import ACTIVE_TMP, LOCK_NAME, SUBTREES, TMP_PREFIX
from interview_lens.runs.liveness import OWNER_NAME, run_is_current, write_owner
from interview_lens.runs.manifest import (
    MANIFEST_NAME,
    listed_files,
    output_sizes,
    read_manifest,
    with_language,
    write_manifest,
)


def rel_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def now_utc() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")



def one_line(text: Any, limit: int = 300) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _source_index(cells: list, executed_index: int) -> int:
    """Index in the source notebook of executed cell ``executed_index`` (papermill inserts the
    injected-parameters cell, which the author never sees)."""
    injected = sum("injected-parameters" in c.get("metadata", {}).get("tags", [])
                   for c in cells[:executed_index])
    return executed_index - injected


def rejection_names() -> set[str]:
    """Class names of the project's user errors (a notebook reports only the name)."""
    names, todo = set(), [InterviewLensError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names


def _describe_failure(exc: BaseException, notebook: Path, executed: Path) -> dict[str, Any]:
    """Notebook, cell, kind (``error`` | ``rejected``) and one-line message of a failed
    papermill run."""
    from papermill.exceptions import PapermillExecutionError

    cells = executed_cells(executed)
    cell = execution_count = None
    if isinstance(exc, PapermillExecutionError):
        ename, evalue = exc.ename, exc.evalue
        execution_count = exc.exec_count
        cell = _source_index(cells, exc.cell_index) if cells is not None else exc.cell_index
    else:
        # kernel death, cell timeout, ...: the cell that was running is the last one started
        ename, evalue = type(exc).__name__, str(exc) or type(exc).__name__
        started = started_cells(cells)
        if started:
            cell = _source_index(cells, started[-1])
            execution_count = cells[started[-1]].get("execution_count")
    kind = "error"
    if ename in rejection_names():
        # our own user errors are already one line naming the file and the problem
        kind, message = "rejected", one_line(evalue)
    else:
        message = one_line(f"{ename}: {evalue}")
    return {"notebook": notebook.name, "cell": cell, "execution_count": execution_count,
            "exception": ename, "kind": kind, "message": message}


def _timed_out(failure: dict[str, Any], task: dict[str, Any]) -> dict[str, Any]:
    """A cell's time-out described as the limit that was reached: the document's (its deadline
    has passed) or the cell's own."""
    deadline = task.get("deadline")
    if deadline is not None and time.monotonic() >= deadline - 1:
        limit, rule = task["document_timeout"], "the time limit per document, --document-timeout"
    elif task.get("timeout"):
        limit, rule = task["timeout"], "the time limit per cell, --timeout"
    else:
        return failure
    where = failure["notebook"] + (f" cell {failure['cell']}"
                                   if failure.get("cell") is not None else "")
    return {**failure, "kind": "timeout",
            "message": f"timed out after {limit:g} s in {where} ({rule})"}


def problem_line(failure: dict[str, Any] | None) -> str:
    """The summary's one line for a failure: where it happened and the error; a rejection or a
    time limit is its message alone (it already says what and where)."""
    if not failure:
        return ""
    if failure.get("kind") in ("rejected", "timeout"):
        return failure["message"]
    where = failure.get("notebook") or "regeneration"
    if failure.get("cell") is not None:
        where += f" cell {failure['cell']}"
    return f"{where}: {failure['message']}"


def _files(folder: Path, root_prefix: str) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(f"{root_prefix}/{p.relative_to(folder).as_posix()}"
                  for p in folder.rglob("*") if p.is_file())


def _read_warnings(tables_dir: Path) -> list[str]:
    path = tables_dir / "warnings.json"
    if not path.is_file():
        return []
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{path.name} unreadable: {one_line(exc)}"]
    if not isinstance(value, list):
        return [f"{path.name} is not a list of warnings"]
    return [str(v) for v in value]


def _stray_files(tmp: Path, doc_id: str) -> list[str]:
    """Files the notebooks wrote outside the document's three folders (they are discarded)."""
    keep = [tmp / sub / doc_id for sub in SUBTREES]
    return sorted(p.relative_to(tmp).as_posix() for p in tmp.rglob("*")
                  if p.is_file() and not any(k == p or k in p.parents for k in keep)
                  and ".previous" not in p.relative_to(tmp).parts and p.name != OWNER_NAME)


def swap_in(tmp: Path, root: Path, doc_id: str) -> None:
    """Move ``tmp/<subtree>/<doc_id>`` over ``root/<subtree>/<doc_id>`` for each subtree.

    Each real folder is renamed aside (into ``tmp``) and the new one renamed in: a reader sees
    the old folder or the new one, never a mixture. On any error, the folders already moved are
    put back, so the previous outputs stay whole.
    """
    aside = tmp / ".previous"
    done: list[tuple[Path, Path | None, Path]] = []  # (real, old copy or None, new source)
    try:
        for i, sub in enumerate(SUBTREES):
            new, real = tmp / sub / doc_id, root / sub / doc_id
            old = None
            if real.exists():
                aside.mkdir(parents=True, exist_ok=True)
                old = aside / str(i)
                os.rename(real, old)
            done.append((real, old, new))
            if new.exists():
                real.parent.mkdir(parents=True, exist_ok=True)
                os.rename(new, real)
    except BaseException:
        for real, old, new in reversed(done):
            if real.exists() and not new.exists():
                os.rename(real, new)
            if old is not None and old.exists():
                os.rename(old, real)
        raise


def record_failure(task: dict[str, Any], result: dict[str, Any],
                    failed_notebook: Path | None, tmp: Path | None) -> None:
    """Mark the document failed or rejected (``result["status"]``) in
    ``outputs/<doc_id>/manifest.json``, keeping the last good run's record, and keep the failed
    executed notebook in ``outputs/<doc_id>/failed/``."""
    root, doc_id = Path(task["project_root"]), task["doc_id"]
    out_dir = root / "outputs" / doc_id
    previous = read_manifest(out_dir / MANIFEST_NAME)
    if previous and previous.get("status") == "ok":
        last_success = {k: v for k, v in previous.items() if k != "last_success"}
    else:
        last_success = (previous or {}).get("last_success")
    manifest = _manifest(task, result, status=result["status"], last_success=last_success)
    if last_success:  # the files in place are the last good run's
        for key in ("figures", "tables", "executed_notebooks", "exports", "report",
                    "output_sizes"):
            manifest[key] = last_success.get(key, manifest[key])
    if failed_notebook is not None and failed_notebook.is_file() and tmp is not None:
        stage = tmp / ".failed"
        stage.mkdir(parents=True, exist_ok=True)
        os.replace(failed_notebook, stage / failed_notebook.name)
        out_dir.mkdir(parents=True, exist_ok=True)
        real = out_dir / "failed"
        if real.exists():
            os.rename(real, tmp / ".failed-previous")
        os.rename(stage, real)
        manifest["failed_notebook"] = f"outputs/{doc_id}/failed/{failed_notebook.name}"
    write_manifest(out_dir / MANIFEST_NAME, manifest)


def _manifest(task: dict[str, Any], result: dict[str, Any], *, status: str,
              last_success: dict | None = None) -> dict[str, Any]:
    doc_id = task["doc_id"]
    return {
        "doc_id": doc_id,
        "document": task["inputs"]["document"]["path"],
        "status": status,
        "package_version": task["inputs"]["package_version"],
        "started": result["started"],
        "finished": result["finished"],
        "duration_s": result["seconds"],
        "kernel": task["kernel"],
        "inputs": task["inputs"],
        "notebooks": [Path(nb).name for nb in task["notebooks"]],
        "executed_notebooks": result.get("executed_notebooks", []),
        "exports": result.get("exports", []),
        "report": result.get("report"),
        "figures": result["figures"],
        "tables": result["tables"],
        "output_sizes": result.get("output_sizes", {}),
        "warnings": result["warnings"],
        "failure": result["failure"],
        "last_success": last_success,
    }


def new_result(task: dict[str, Any]) -> dict[str, Any]:
    return {"doc_id": task["doc_id"], "document": task["inputs"]["document"]["path"],
            "status": "failed", "notebooks_run": 0, "notebooks_total": len(task["notebooks"]),
            "figures": [], "tables": [], "warnings": [], "failure": None, "problem": "",
            "started": now_utc(), "finished": None, "seconds": 0.0}


@contextmanager
def working_directory(path: str | Path) -> Iterator[None]:
    """``chdir(path)`` for the block, then back to the previous folder (staying in ``path`` if
    that folder has gone meanwhile)."""
    try:
        previous = os.getcwd()
    except FileNotFoundError:  # the folder we were in was removed
        previous = str(path)
    os.chdir(path)
    try:
        yield
    finally:
        try:
            os.chdir(previous)
        except OSError:
            pass


def _execute_one(notebook: Path, out: Path, task: dict[str, Any], parameters: dict[str, Any],
                 cwd: str | None) -> BaseException | None:

    try:
        execute_notebook(
            notebook, out, label=": ".join(filter(None, (task.get("doc_id"), notebook.name))),
            parameters=parameters, kernel_name=task["kernel"], progress_bar=False, cwd=cwd,
            execution_timeout=task["timeout"], start_timeout=120,
            deadline=task.get("deadline"))
    except Exception as exc:  # noqa: BLE001 - any notebook failure fails the document
        return exc
    return None


def _previous_seconds(executed: Path) -> float | None:
    """Seconds papermill recorded for a notebook's last run (its executed copy), if any."""
    try:
        meta = json.loads(executed.read_text(encoding="utf-8"))["metadata"]["papermill"]
        return float(meta["duration"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def start_order(notebooks: list[Path], previous_dir: Path | None) -> list[int]:
    """Indices of ``notebooks`` in the order to start them side by side: longest first.

    "Longest" is the seconds each took in the previous run (papermill's ``duration`` in the
    executed notebooks of ``previous_dir``, i.e. ``outputs/<doc_id>/``): started last, a long
    notebook runs alone on one core while the others sit idle.  Notebooks never timed start
    first, in their own order (a first run keeps the file order).
    """
    seconds = [None if previous_dir is None else _previous_seconds(previous_dir / nb.name)
               for nb in notebooks]
    return sorted(range(len(notebooks)),
                  key=lambda i: (seconds[i] is not None, -(seconds[i] or 0.0), i))


def _warm_report() -> None:
    try:
        from interview_lens.runs.report import warm_up

        warm_up()
    except Exception:  # noqa: BLE001 - only a head start: the report itself says what is wrong
        pass


def _run_notebooks(task: dict[str, Any], parameters: dict[str, Any], executed_dir: Path,
                   result: dict[str, Any]) -> tuple[list[Path], Path | None]:
    """Execute the document's notebooks; the executed ones in order, and the failed one if any.

    The notebooks of one document are independent (each starts from ``load(document)``), so
    with ``task["notebook_jobs"] > 1`` (cores the run has to spare: fewer documents than
    ``--jobs``) they run side by side, each in its own kernel, longest first by the last run's
    times (:func:`start_order`), and the first core a notebook frees meanwhile prepares the
    HTML report.  The outcome is what the sequential run gives: the first failing notebook in
    order fails the document, and ``notebooks_run`` counts the notebooks before it.
    ``task["deadline"]`` (``time.monotonic()`` of this process) is when the document's time is
    up.
    """
    notebooks = [Path(n) for n in task["notebooks"]]
    outs = [executed_dir / n.name for n in notebooks]
    width = max(1, min(int(task.get("notebook_jobs", 1)), len(notebooks)))
    if width == 1:
        errors: list[BaseException | None] = []
        for notebook, out in zip(notebooks, outs):
            errors.append(_execute_one(notebook, out, task, parameters, task["project_root"]))
            if errors[-1] is not None:
                break
    else:
        from concurrent.futures import ThreadPoolExecutor

        # a thread per running notebook only waits on its kernel, which does the work.
        # papermill's cwd= is a process-wide chdir, saved and restored by each call: from
        # threads, the restores interleave and kernels may start in the wrong folder; so
        # this thread enters the project root once for them all and they pass no cwd
        previous = (Path(task["project_root"]) / "outputs" / task["doc_id"]
                    if task.get("doc_id") else None)
        with working_directory(task["project_root"]), \
                ThreadPoolExecutor(max_workers=width, thread_name_prefix="notebook") as pool:
            started = {i: pool.submit(_execute_one, notebooks[i], outs[i], task, parameters,
                                      None)
                       for i in start_order(notebooks, previous)}
            pool.submit(_warm_report)  # runs once a notebook has finished and none is waiting
            errors = [started[i].result() for i in range(len(notebooks))]
    executed: list[Path] = []
    for notebook, out, error in zip(notebooks, outs, errors):
        if error is not None:
            result["failure"] = _describe_failure(error, notebook, out)
            if isinstance(error, TimeoutError):  # nbclient's CellTimeoutError
                result["failure"] = _timed_out(result["failure"], task)
            return executed, out
        executed.append(out)
        result["notebooks_run"] += 1
    return executed, None


def _language_found(tables_dir: Path) -> str | None:
    """The document's language as the notebooks found it (``document.json``, written with the
    tables), or None when no notebook wrote it."""
    try:
        value = json.loads((tables_dir / "document.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    language = value.get("language") if isinstance(value, dict) else None
    return language if isinstance(language, str) and language else None


def _still_current(task: dict[str, Any]) -> bool:
    """Whether the run that started ``task`` still holds the project's lock."""
    return run_is_current(Path(task["project_root"]) / "outputs" / LOCK_NAME,
                          task.get("run_id"))


def _finish_ok(task: dict[str, Any], result: dict[str, Any], tmp: Path,
               executed: list[Path], t0: float) -> None:
    """Everything ran: list the outputs, write the report and the manifest, swap them in."""
    root, doc_id = Path(task["project_root"]), task["doc_id"]
    executed_dir = tmp / "outputs" / doc_id
    figures_dir, tables_dir = tmp / "figures" / doc_id, tmp / "data/processed" / doc_id
    result["figures"] = _files(figures_dir, f"figures/{doc_id}")
    result["tables"] = _files(tables_dir, f"data/processed/{doc_id}")
    result["warnings"] = _read_warnings(tables_dir)
    result["warnings"] += [f"{p}: written outside the document's folders, discarded"
                           for p in _stray_files(tmp, doc_id)]
    from interview_lens.runs.report import write_report

    write_report(executed, executed_dir / "report.html", title=doc_id)
    result["report"] = f"outputs/{doc_id}/report.html"
    result["executed_notebooks"] = [f"outputs/{doc_id}/{p.name}" for p in executed]
    # the REFI-QDA project notebook 04 writes: listed, so a deleted one reruns the document
    result["exports"] = [f"outputs/{doc_id}/{p.name}"
                         for p in sorted(executed_dir.glob("*.qdpx"))]
    result["output_sizes"] = output_sizes(tmp, listed_files(result))
    if "lexicon" in task:  # the word lists of the language the notebooks found count
        task = {**task, "inputs": with_language(task["inputs"], task["lexicon"],
                                                _language_found(tables_dir))}
    result["status"] = "ok"
    result["finished"], result["seconds"] = now_utc(), round(time.monotonic() - t0, 1)
    write_manifest(executed_dir / MANIFEST_NAME, _manifest(task, result, status="ok"))
    if not _still_current(task):
        raise RunGone()
    swap_in(tmp, root, doc_id)


class RunGone(Exception):
    """The run that started this document is gone: its worker must write nothing."""

    def __str__(self) -> str:
        return "the run that started this document is gone; nothing written"


def run_document(task: dict[str, Any]) -> dict[str, Any]:
    """Run every notebook on one document and swap its outputs in; never raises for a failure.

    ``task`` is a plain dict built by :func:`regenerate` (``project_root``, ``document``,
    ``doc_id``, ``notebooks``, ``parameters``, ``kernel``, ``timeout`` (seconds per cell),
    ``document_timeout`` (seconds for the whole document), ``inputs``, ``lexicon``, ``run_id``).
    Returns a plain dict: ``doc_id, document, status ('ok'|'failed'|'rejected'),
    notebooks_run, notebooks_total, figures, tables, warnings, failure, problem, started,
    finished, seconds``.
    """
    root, doc_id = Path(task["project_root"]), task["doc_id"]
    os.environ[ROOT_ENV] = str(root)  # notebooks resolve every path from the project root
    result = new_result(task)
    t0 = time.monotonic()
    limit = task.get("document_timeout")
    task = {**task, "deadline": t0 + limit if limit else None}  # this process's clock
    tmp: Path | None = None
    failed_notebook: Path | None = None
    try:
        (root / "outputs").mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{doc_id}-", dir=root / "outputs"))
        ACTIVE_TMP.add(tmp)
        write_owner(tmp, task.get("run_id") or "")
        executed_dir = tmp / "outputs" / doc_id
        executed_dir.mkdir(parents=True)
        parameters = {**task["parameters"], "document": task["document_param"],
                      "output_root": rel_path(tmp, root)}
        executed, failed_notebook = _run_notebooks(task, parameters, executed_dir, result)
        if result["failure"] is None:
            _finish_ok(task, result, tmp, executed, t0)
        elif result["failure"].get("kind") == "rejected":
            result["status"] = "rejected"
    except Exception as exc:  # noqa: BLE001 - disk full, permissions...: this document fails
        result["status"] = "failed"
        result["failure"] = {"notebook": None, "cell": None, "execution_count": None,
                             "exception": type(exc).__name__, "kind": "error",
                             "message": one_line(f"{type(exc).__name__}: {exc}")}
        if isinstance(exc, RunGone):
            result["failure"]["message"] = str(exc)
    finally:
        result["finished"] = result["finished"] or now_utc()
        result["seconds"] = round(time.monotonic() - t0, 1)
        if result["status"] != "ok":
            result["problem"] = problem_line(result["failure"])
            # a dead run's worker must not write over what a live run wrote
            if _still_current(task):
                try:
                    record_failure(task, result, failed_notebook, tmp)
                except Exception as exc:  # noqa: BLE001 - e.g. the disk is still full
                    result["problem"] += f" (manifest not updated: {one_line(exc, 120)})"
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
            ACTIVE_TMP.discard(tmp)
    return result
