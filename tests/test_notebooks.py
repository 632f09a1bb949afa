"""The committed notebooks: clean (no outputs), parameterised, thin (no def/class), on our kernel."""
from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import nbformat
import pytest
from papermill.inspection import inspect_notebook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
EXPECTED = [
    "01-segment-interview.ipynb",
    "02-term-frequencies.ipynb",
    "03-concept-cooccurrence.ipynb",
    "04-compare-documents.ipynb",
]
PARAMETERS = {
    "document", "language", "concepts", "themes", "unit", "window", "top_n", "min_count",
    "measure", "focus", "formats", "dpi", "random_state", "output_root",
}


def test_the_four_notebooks_exist():
    assert [p.name for p in NOTEBOOKS][:4] == EXPECTED


def dirty_cells(nb) -> list[int]:
    return [i for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count"))]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    assert dirty_cells(nb) == []


def test_dirty_check_catches_outputs():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1+1")])
    assert dirty_cells(nb) == []
    nb.cells[0].execution_count = 3
    assert dirty_cells(nb) == [0]
    nb.cells[0].execution_count = None
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="2")]
    assert dirty_cells(nb) == [0]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_structure(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown"
    assert nb.cells[1].cell_type == "code" and "parameters" in nb.cells[1].metadata.get("tags", [])
    assert nb.metadata["kernelspec"]["name"] == "interview-lens"
    for cell in nb.cells[1:]:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        defs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef,
                                                           ast.AsyncFunctionDef, ast.Lambda))]
        assert defs == [], f"{path.name}: logic belongs in interview_lens, not in a cell"
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                assert module.split(".")[0] in {"interview_lens", "IPython", "pandas"}, module


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_are_documented(path):
    params = inspect_notebook(str(path))
    assert PARAMETERS <= set(params)
    for name in PARAMETERS:
        assert params[name]["help"], f"{path.name}: parameter {name} has no comment"
        assert params[name]["inferred_type_name"] != "None", name


def _generator():
    spec = importlib.util.spec_from_file_location("build_notebooks",
                                                  ROOT / "scripts" / "build_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generator_reproduces_every_committed_notebook_exactly():
    # an edit made to a .ipynb only (or to the generator only) fails here, before a rebuild
    # silently reverts it
    built = _generator().rendered()
    committed = {p.name: p.read_text(encoding="utf-8")
                 for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")}
    assert sorted(built) == sorted(committed)
    drifted = [name for name in built if built[name] != committed[name]]
    assert drifted == [], f"run python scripts/build_notebooks.py, or move the edit into it: {drifted}"


def test_the_per_document_notebooks_share_one_parameters_cell():
    # one set of -p options serves every notebook: the four cells are the same text
    cells = {nbformat.read(p, as_version=4).cells[1].source for p in NOTEBOOKS[:4]}
    assert len(cells) == 1
