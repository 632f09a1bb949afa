"""The real interviews of ../shared/interviews/ (when that folder exists), regenerated together.

Copied into a temporary project (never into the repository) with the sample, then every notebook
through papermill with two jobs: every document ``ok`` with 5/5 notebooks and no error output.
Nothing here depends on how well the turns were found (that is the segmenter's benchmark); only
a notebook that crashes fails it.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import project_copy

from interview_lens.runs.regenerate import regenerate

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "interviews"
SAMPLE = ROOT / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"
READABLE = {".txt", ".md", ".docx", ".html", ".htm", ".pdf", ".yaml", ".yml"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: no real interviews to run")
    patch = pytest.MonkeyPatch()
    root = project_copy(tmp_path_factory, "real", patch)
    interviews = root / "data" / "interviews"
    # the documents only: the gold turns (.json) and the folder's README are not interviews
    copied = [p for p in sorted(SHARED.iterdir()) if p.is_file()
              and p.suffix.lower() in READABLE and p.stem.upper() != "README"]
    for path in [*copied, SAMPLE, SAMPLE.with_suffix(".yaml")]:
        shutil.copy(path, interviews / path.name)
    # PNG only, at a low resolution: the run stays within CI's time; formats are tested on the
    # sample by tests/test_end_to_end.py
    results = regenerate(project_root=root, jobs=2, progress=False, formats=("png",), dpi=50)
    yield root, results
    patch.undo()


def test_every_real_interview_ok_with_five_notebooks(project):
    root, results = project
    assert len(results) >= 2
    assert {r["doc_id"]: (r["status"], r["problem"]) for r in results} == {
        r["doc_id"]: ("ok", "") for r in results}
    assert {r["notebooks_run"] for r in results} == {5}
    for r in results:
        for executed in sorted((root / "outputs" / r["doc_id"]).glob("0[1-4]-*.ipynb")):
            cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
            errors = [o for c in cells for o in c.get("outputs", [])
                      if o.get("output_type") == "error"]
            assert errors == [], f"{r['doc_id']} {executed.name}"


def test_every_document_is_compared_with_the_others_of_its_language(project):
    root, results = project
    for r in results:
        table = root / "data" / "processed" / r["doc_id"] / "keyness-vs-collection.csv"
        assert table.is_file(), r["doc_id"]
