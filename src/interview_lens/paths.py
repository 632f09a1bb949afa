"""Where things live: the project root and a document's output folders.

Notebooks run with their working directory in ``notebooks/`` under JupyterLab and at the project
root under papermill; resolving every path from the project root makes both give the same files.
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT_ENV = "INTERVIEW_LENS_ROOT"


def slugify(name: str) -> str:
    """ASCII slug of a file stem: ``Entretien d’Hélène (v2)`` -> ``entretien-d-helene-v2``."""
    decomposed = unicodedata.normalize("NFKD", name)
    # accents go (é -> e); any other non-ASCII character (’ « —) separates words
    ascii_ = "".join(
        c if c.isascii() else ("" if unicodedata.combining(c) else " ") for c in decomposed
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    return slug or "document"


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
    doc_id = slugify(doc.stem)
    return DocumentPaths(
        root=root,
        document=doc,
        doc_id=doc_id,
        figures=out / "figures" / doc_id,
        tables=out / "data" / "processed" / doc_id,
        outputs=out / "outputs" / doc_id,
        processed_root=out / "data" / "processed",
    )
