"""Parts 3 and 4: regenerating notebooks, against the floor that kernel start-up sets.

Everything runs in a copy of the project in a temporary folder (``notebooks/``, the documents,
``data/concepts/``, ``pyproject.toml``) with ``force=True``, so the real ``outputs/`` are never
touched and nothing is skipped as unchanged.

The floor (part 3) is papermill executing, on the same kernel and with the same parameters, one
notebook per real notebook whose only code, after the parameters cell, is the ``import`` and
``from ... import`` lines of that real notebook: what a regeneration would cost if the analysis
itself took no time.  It runs sequentially in this process (no worker pool).
"""
from __future__ import annotations

import re
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

import nbformat

from benchmarks.timing import measure_interleaved, summary


def project_copy(project_root: Path, folder: Path, *, documents: list[Path],
                 notebooks: list[str] | None = None) -> Path:
    """A minimal copy of the project in ``folder`` holding ``documents`` (and their sidecars)."""
    root = folder / "project"
    (root / "data" / "interviews").mkdir(parents=True)
    shutil.copytree(project_root / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    if notebooks is not None:
        for nb in (root / "notebooks").glob("*.ipynb"):
            if not any(nb.name.startswith(prefix) for prefix in notebooks):
                nb.unlink()
    shutil.copytree(project_root / "data" / "concepts", root / "data" / "concepts")
    if (project_root / "data" / "lexicon").is_dir():
        shutil.copytree(project_root / "data" / "lexicon", root / "data" / "lexicon")
    shutil.copyfile(project_root / "pyproject.toml", root / "pyproject.toml")
    for doc in documents:
        shutil.copyfile(doc, root / "data" / "interviews" / doc.name)
        for suffix in (".yaml", ".yml"):
            if doc.with_suffix(suffix).is_file():
                shutil.copyfile(doc.with_suffix(suffix), root / "data" / "interviews" /
                                doc.with_suffix(suffix).name)
    return root


def floor_notebooks(notebooks: list[Path], folder: Path) -> list[Path]:
    """For each notebook, one with the same parameters cell and only its imports: its import
    lines, and each ``il.<name>`` it uses looked up once (the package's names are imported
    lazily, on first use: the lookup is that import, without the call)."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for path in notebooks:
        nb = nbformat.read(str(path), as_version=4)
        params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        imports = [line for c in nb.cells if c.cell_type == "code" and c not in params
                   for line in c.source.splitlines()
                   if line.startswith(("import ", "from "))]
        names = [f"il.{name}" for c in nb.cells if c.cell_type == "code" and c not in params
                 for name in re.findall(r"(?<![\w.])il\.(\w+)", c.source)]
        cells = [*params, nbformat.v4.new_code_cell("\n".join(dict.fromkeys(imports + names)))]
        floor = nbformat.v4.new_notebook(cells=cells, metadata=nb.metadata)
        out = folder / path.name
        nbformat.write(floor, str(out))
        made.append(out)
    return made


def run_floor(notebooks: list[Path], *, root: Path, document: str, kernel: str,
              width: int = 1) -> None:
    """Execute the floor notebooks, ``width`` at a time (as the runner does with spare cores)."""
    from concurrent.futures import ThreadPoolExecutor

    from interview_lens.runs.document import working_directory
    from interview_lens.runs.kernel import execute_notebook

    out_dir = Path(tempfile.mkdtemp(prefix="floor-out-", dir=root))

    def one(nb: Path) -> None:
        execute_notebook(
            nb, out_dir / nb.name, kernel_name=kernel, progress_bar=False,
            start_timeout=120,
            parameters={"document": document, "output_root": out_dir.name})

    # papermill's cwd= is a process-wide chdir that threads would undo for each other (and
    # leave this process in the temporary project): enter the project root once, as the
    # runner does for a document's notebooks side by side
    try:
        with working_directory(root), ThreadPoolExecutor(max_workers=width) as pool:
            list(pool.map(one, notebooks))
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)


def _regenerate(root: Path, *, jobs: int, kernel: str) -> list[dict[str, Any]]:
    from interview_lens.runs.regenerate import regenerate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = regenerate(project_root=root, jobs=jobs, force=True, progress=False,
                             kernel=kernel)
    failed = [r for r in results if r["status"] != "ok"]
    if failed:
        raise RuntimeError(f"regeneration failed: {failed[0]['doc_id']}: {failed[0]['problem']}")
    return results


def bench_notebooks(project_root: Path, sample: Path, *, repeat: int, kernel: str,
                    notebooks: list[str] | None = None) -> dict[str, Any]:
    """Part 3: every notebook (or those whose names start with ``notebooks``) on one
    document against the import-only floor.

    Measured twice each: one notebook at a time (``jobs=1``; the floor sequential) and with the
    machine's cores (``jobs=os.cpu_count()``, what ``make run`` does: a lone document's
    notebooks side by side; the floor run as many at a time), so both the ratio to the
    sequential floor and the like-for-like ratio are on record.
    """
    import os

    from interview_lens.runs.regenerate import find_notebooks

    width = max(1, os.cpu_count() or 1)
    out: dict[str, Any] = {"document": sample.name, "cores": width}
    with tempfile.TemporaryDirectory(prefix="il-bench-nb-") as tmp:
        root = project_copy(project_root, Path(tmp), documents=[sample], notebooks=notebooks)
        paths = find_notebooks(root / "notebooks")  # those regenerate runs per document
        floor = floor_notebooks(paths, Path(tmp) / "floor")
        document = f"data/interviews/{sample.name}"
        out["notebooks"] = [n.name for n in paths]
        fns = {}
        for jobs in sorted({1, width}):
            fns[f"floor_jobs_{jobs}"] = lambda j=jobs: run_floor(
                floor, root=root, document=document, kernel=kernel, width=j)
            fns[f"regenerate_jobs_{jobs}"] = lambda j=jobs: _regenerate(root, jobs=j,
                                                                         kernel=kernel)
        for name, (secs, results) in measure_interleaved(fns, repeat=repeat).items():
            out[name] = summary(secs)
            if name.startswith("regenerate"):
                out["figures"] = len(results[0]["figures"])
    seq = out["floor_jobs_1"]["median_s"]
    out["ratio_jobs_1_to_floor"] = round(out["regenerate_jobs_1"]["median_s"] / seq, 4)
    out[f"ratio_jobs_{width}_to_floor"] = round(
        out[f"regenerate_jobs_{width}"]["median_s"] / seq, 4)
    out[f"ratio_jobs_{width}_to_floor_jobs_{width}"] = round(
        out[f"regenerate_jobs_{width}"]["median_s"] / out[f"floor_jobs_{width}"]["median_s"], 4)
    return out


def bench_batch(project_root: Path, documents: list[Path], *, notebooks: list[str] | None,
                repeat: int, kernel: str) -> dict[str, Any]:
    """Part 4: the same batch of documents with ``jobs=1`` then ``jobs=2``."""
    from interview_lens.runs.regenerate import find_notebooks

    out: dict[str, Any] = {"documents": len(documents), "notebooks": notebooks or "all"}
    with tempfile.TemporaryDirectory(prefix="il-bench-batch-") as tmp:
        root = project_copy(project_root, Path(tmp), documents=documents, notebooks=notebooks)
        out["notebooks"] = [p.name for p in find_notebooks(root / "notebooks")]
        runs = measure_interleaved({f"jobs_{j}": lambda j=j: _regenerate(root, jobs=j,
                                                                          kernel=kernel)
                                    for j in (1, 2)}, repeat=repeat)
        for name, (secs, _results) in runs.items():
            out[name] = summary(secs)
    out["speedup"] = round(out["jobs_1"]["median_s"] / out["jobs_2"]["median_s"], 4)
    return out
