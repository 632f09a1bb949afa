"""Shared test configuration: figures never open a window; paths resolve from this checkout."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"
os.environ.setdefault("INTERVIEW_LENS_ROOT", str(ROOT))


def project_copy(tmp_path_factory, name: str, patch: pytest.MonkeyPatch) -> Path:
    """A temporary project for a regeneration: the notebooks, ``data/concepts``,
    ``pyproject.toml`` and an empty ``data/interviews/`` (the checkout's outputs are never
    touched).  The package-source hash is pinned, so that editing ``src/`` while the suite runs
    cannot turn a second run's "skipped" into a rerun (code changes rerunning documents are
    tested in ``test_regenerate.py``)."""
    import interview_lens.runs.regenerate as regenerate_module

    patch.setattr(regenerate_module, "package_source_hash", lambda root: "pinned")
    root = tmp_path_factory.mktemp(name)
    for folder in ("notebooks", "data/concepts"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / "data" / "interviews").mkdir(parents=True, exist_ok=True)
    return root
