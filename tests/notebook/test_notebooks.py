"""The committed notebooks: paired with their jupytext source, clean (no outputs), parameterised,
thin (no def/class, the package through ``il``), on our kernel."""
from __future__ import annotations

import ast
from pathlib import Path

import jupytext
import jupytext.config
import nbformat
import pytest
from papermill.inspection import inspect_notebook

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))
EXPECTED = [
    "01-segment-interview.ipynb",
    "02-term-frequencies.ipynb",
    "03-word-classes.ipynb",
    "04-concept-cooccurrence.ipynb",
    "05-compare-respondents.ipynb",
]
PARAMETERS = {
    "document", "language", "concepts", "themes", "unit", "window", "top_n", "min_count",
    "measure", "focus", "k", "segment_size", "formats", "dpi", "random_state", "output_root",
}


def test_the_five_notebooks_exist():
    assert [p.name for p in NOTEBOOKS][:5] == EXPECTED


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


def _cells(nb) -> list[tuple[str, str, tuple[str, ...]]]:
    """What a pair must agree on: each cell's type, source and tags."""
    return [(c.cell_type, c.source, tuple(c.get("metadata", {}).get("tags", [])))
            for c in nb.cells]


def out_of_sync(source: Path, notebook: Path) -> list[int]:
    """Indices of the cells where the jupytext script and the notebook differ (the shorter
    one's missing cells included)."""
    a, b = _cells(jupytext.read(source)), _cells(nbformat.read(notebook, as_version=4))
    return [i for i in range(max(len(a), len(b))) if i >= len(a) or i >= len(b) or a[i] != b[i]]


def test_every_notebook_has_its_python_source_and_no_other_file_is_paired():
    scripts = sorted(p.with_suffix(".ipynb").name for p in NOTEBOOKS_DIR.glob("[0-9][0-9]-*.py"))
    assert scripts == [p.name for p in NOTEBOOKS]
    assert jupytext.config.find_jupytext_configuration_file(str(NOTEBOOKS_DIR)).endswith(
        "notebooks/jupytext.toml")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_pair_is_in_sync(path):
    # an edit made to one side only fails here (JupyterLab saves both; elsewhere run
    # .venv/bin/jupytext --sync notebooks/*.py)
    assert out_of_sync(path.with_suffix(".py"), path) == []


def test_the_sync_check_catches_an_edit_to_one_side(tmp_path):
    source = NOTEBOOKS[0].with_suffix(".py").read_text(encoding="utf-8")
    edited = tmp_path / "01.py"
    edited.write_text(source.replace("il.summary(analysis)", "il.summary(analysis).T"),
                      encoding="utf-8")
    assert len(out_of_sync(edited, NOTEBOOKS[0])) == 1
    shorter = tmp_path / "01b.py"
    shorter.write_text(source.rsplit("# %%", 1)[0], encoding="utf-8")
    assert out_of_sync(shorter, NOTEBOOKS[0]) == [len(_cells(
        nbformat.read(NOTEBOOKS[0], as_version=4))) - 1]


def test_cells_use_the_package_through_il_only():
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                        "interview_lens"):
                    pytest.fail(f"{path.name}: from {node.module} import ...; use il.<name>")
                if isinstance(node, ast.Import) and node.names[0].name == "interview_lens":
                    assert node.names[0].asname == "il", path.name


def test_the_per_document_notebooks_share_one_parameters_cell():
    # one set of -p options serves every notebook: the five cells are the same text
    cells = {nbformat.read(p, as_version=4).cells[1].source for p in NOTEBOOKS[:5]}
    assert len(cells) == 1
