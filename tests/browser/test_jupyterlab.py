"""End to end in a real browser: open the notebooks in JupyterLab, Run All, look at the result.

The two harness tests run tiny notebooks of our own first, so a failure says whether the
machinery or a project notebook is at fault, and so we know the checks can fail at all.
"""
from __future__ import annotations

import pytest

from interview_lens.figures.concepts import MEASURE_LABELS

from .compare import differences, run_papermill, visible
from .conftest import ROOT, SCREENSHOTS
from .lab import (
    KERNEL,
    file_digest,
    notebook_outputs,
    notebook_report,
    open_notebook,
    run_all_cells,
    screenshot,
)

pytestmark = pytest.mark.browser

FIXTURES = "tests/browser/fixtures"


def _open_and_run(page, lab_server, path: str, workspace: str) -> tuple[dict, dict]:
    kernel = open_notebook(page, lab_server, path, workspace=workspace)
    before = notebook_report(page)
    assert before["dialogs"] == 0, f"{path}: a dialog (kernel picker?) opened with the notebook"
    assert kernel == {"name": KERNEL, "status": "idle"}
    run_all_cells(page)
    return kernel, notebook_report(page)


def test_harness_runs_a_notebook_and_sees_its_figure(page, lab_server):
    _, report = _open_and_run(page, lab_server, f"{FIXTURES}/figure.ipynb", "harness-figure")
    assert report["errors"] == []  # the cell that warns writes to stderr: not an error
    assert (report["codeCells"], report["executed"]) == (3, 3)
    assert report["images"] == 1
    # the kernel runs in the notebook's own folder, as for a researcher
    first_output = page.locator(".jp-NotebookPanel .jp-OutputArea-output").first
    assert "cwd: fixtures" in first_output.inner_text()


def test_harness_reports_an_error(page, lab_server):
    _, report = _open_and_run(page, lab_server, f"{FIXTURES}/error.ipynb", "harness-error")
    assert any("ValueError: deliberate failure" in e for e in report["errors"]), report["errors"]
    # Run All stopped at the error: the third cell never ran
    assert (report["codeCells"], report["executed"]) == (3, 2)
    assert report["images"] == 0


# where each screenshot looks: 01 from its title (tables only), 03 at the explorer
SCREENSHOT_AT = {"01-segment-interview": ".jp-Cell",
                 "04-concept-cooccurrence": ".interview-lens-concept-explorer"}


@pytest.mark.parametrize("name", list(SCREENSHOT_AT))
def test_notebook_runs_in_jupyterlab(page, lab_server, state_dir, name):
    """Run All in JupyterLab (working directory notebooks/) shows no error, renders every
    figure, and gives the same tables and figures as papermill run from the project root."""
    notebook = ROOT / "notebooks" / f"{name}.ipynb"
    assert notebook.is_file(), f"{notebook} is missing"
    digest = file_digest(notebook)

    _, report = _open_and_run(page, lab_server, f"notebooks/{name}.ipynb", f"test-{name}")
    lab_outputs = notebook_outputs(page)
    screenshot(page, SCREENSHOTS / f"{name}.png", at=SCREENSHOT_AT[name])

    assert report["errors"] == []
    assert report["executed"] == report["codeCells"] > 0
    assert report["dialogs"] == 0
    # JupyterLab did not write the executed notebook back (autosave is off; outputs stay out of git)
    assert file_digest(notebook) == digest

    papermill_outputs = run_papermill(notebook, ROOT, state_dir)
    assert differences(lab_outputs, papermill_outputs) == []
    figures = sum(kind == "figure" for cell in papermill_outputs if cell
                  for kind, _ in visible(cell))
    # every figure is on screen, decoded by the browser (not just present in the model)
    assert report["images"] == figures
    if name == "04-concept-cooccurrence":
        assert figures >= 4  # heatmap, network, profile, dispersion (+ the explorer's two)
        assert report["widgets"] >= 1  # the explorer's controls rendered


def _cell(page, index: int):
    return page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(index)


def _image_sources(cell) -> list[str]:
    return cell.locator(".jp-OutputArea-output img").evaluate_all("imgs => imgs.map(i => i.src)")


def test_explorer_controls_redraw_in_place(page, lab_server):
    """The concept explorer, on the sample, with nothing else: its widgets render in JupyterLab
    and changing a control replaces the figures and the concordance instead of adding more."""
    _, report = _open_and_run(page, lab_server, f"{FIXTURES}/explorer.ipynb", "harness-explorer")
    assert report["errors"] == []
    assert "front end: True" in _cell(page, 1).locator(".jp-OutputArea-output").inner_text()

    concepts = _cell(page, 2)
    concepts.locator(".interview-lens-concept-explorer").wait_for()
    before = _image_sources(concepts)
    assert len(before) == 2  # heatmap and network
    measure = concepts.locator(".interview-lens-measure select")
    measure.select_option(label=MEASURE_LABELS["jaccard"])
    page.wait_for_function(
        """([index, old]) => {
             const cell = document.querySelectorAll(
               '.jp-NotebookPanel .jp-Notebook .jp-Cell')[index];
             const srcs = [...cell.querySelectorAll('.jp-OutputArea-output img')].map(i => i.src);
             return srcs.length === 2 && srcs[0] !== old[0] && srcs[1] !== old[1];
           }""",
        arg=[2, before], timeout=60_000,
    )
    concepts.locator(".interview-lens-concept select").select_option(label="open source")
    concepts.get_by_text("open source: 8 occurrences").wait_for(timeout=60_000)

    terms = _cell(page, 3)
    assert "coopér*: 6 occurrences" in terms.inner_text()
    box = terms.locator(".interview-lens-term input")
    box.fill("open source")
    box.press("Enter")
    terms.get_by_text("open source: 8 occurrences").wait_for(timeout=60_000)
    assert notebook_report(page)["errors"] == []
    screenshot(page, SCREENSHOTS / "explorer-fixture.png", at=".interview-lens-concept-explorer")
