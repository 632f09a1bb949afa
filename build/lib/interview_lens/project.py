"""Where things live, and how they are written: the project root, a document's output folders,
and the one atomic write every output goes through.

Notebooks run with their working directory in ``notebooks/`` under JupyterLab and at the project
root under papermill; resolving every path from the project root makes both give the same files.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from interview_lens.text import slugify

ROOT_ENV = "INTERVIEW_LENS_ROOT"


def doc_id_for(path: str | Path) -> str:
    """A document's id: the ASCII slug of its file name without extension (``Interview.doc_id``,
    the folder names under ``figures/``, ``data/processed/`` and ``outputs/``)."""
    return slugify(Path(path).stem)


def _is_root(path: Path) -> bool:
    return (path / "pyproject.toml").is_file() and (path / "data").is_dir() and (
        path / "notebooks"
    ).is_dir()


def project_root(start: str | Path | None = None) -> Path:
    """The project root: ``$INTERVIEW_LENS_ROOT``, else the nearest parent of ``start`` (default:
    the working directory) holding ``pyproject.toml``, ``data/`` and ``notebooks/``, else the
    source tree this package was installed from (editable installs)."""
    env = os.environ.get(ROOT_ENV)
    if env:
        return Path(env).resolve()
    here = Path(start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if _is_root(candidate):
            return candidate
    source_tree = Path(__file__).resolve().parents[2]
    if _is_root(source_tree):
        return source_tree
    return here


@dataclass(frozen=True)
class DocumentPaths:
    """Resolved locations for one document's inputs and outputs."""

    root: Path
    document: Path
    doc_id: str
    figures: Path  # <output_root>/figures/<doc_id>/
    tables: Path  # <output_root>/data/processed/<doc_id>/
    outputs: Path  # <output_root>/outputs/<doc_id>/
    processed_root: Path  # <output_root>/data/processed/ (every document's tables)


def document_paths(document: str | Path, output_root: str | Path = "") -> DocumentPaths:
    """Resolve ``document`` (absolute, or relative to the project root) and the output folders
    under ``output_root`` (``""`` = the project root; regeneration passes a temporary folder)."""
    root = project_root()
    doc = Path(document)
    if not doc.is_absolute():
        doc = root / doc
    out = Path(output_root) if str(output_root) else root
    if not out.is_absolute():
        out = root / out
    doc_id = doc_id_for(doc)
    return DocumentPaths(
        root=root,
        document=doc,
        doc_id=doc_id,
        figures=out / "figures" / doc_id,
        tables=out / "data" / "processed" / doc_id,
        outputs=out / "outputs" / doc_id,
        processed_root=out / "data" / "processed",
    )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: str | Path, write: Callable[[str], object], *, suffix: str = ".part"
                 ) -> Path:
    """Write ``path`` through ``write(temporary_path)``, then rename it into place.

    The temporary file is in the same folder (so the rename is atomic), hidden (``.name.*``)
    and removed on any failure: an interrupted run never leaves a half-written output, and the
    previous file stays as it was.  The file gets the permissions of any new file (``mkstemp``
    makes it private).  ``suffix``: the temporary name's ending (a writer that goes by it).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
