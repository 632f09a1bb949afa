"""Fixtures for the JupyterLab browser test: one server and one browser for the session.

These tests start a real JupyterLab and a headless Chromium, so the ordinary ``make test`` skips
them; ``make test-browser`` sets ``INTERVIEW_LENS_BROWSER=1`` and runs them.  Everything they
start is torn down in the fixtures' ``finally`` blocks, also when a test fails.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from .lab import CHROMIUM, CHROMIUM_ARGS, LabServer

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "outputs" / "browser"
ENABLED = os.environ.get("INTERVIEW_LENS_BROWSER") == "1"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: runs JupyterLab in headless Chromium (make test-browser)"
    )


def pytest_collection_modifyitems(config, items):
    if ENABLED:
        return
    skip = pytest.mark.skip(reason="browser test: run `make test-browser` (INTERVIEW_LENS_BROWSER=1)")
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def state_dir():
    path = Path(tempfile.mkdtemp(prefix="interview-lens-lab-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def lab_server(state_dir):
    server = LabServer(root=ROOT, state_dir=state_dir / "jupyter")
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser_context(state_dir):
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(state_dir / "chromium-profile"),  # a fresh --user-data-dir
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000},
            device_scale_factor=1,
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context, lab_server, request):
    page = browser_context.new_page()
    console: list[str] = []
    page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda exc: console.append(f"pageerror: {exc}"))
    try:
        yield page
    finally:
        # on failure, keep what the page showed and the server said: CI has nothing else
        rep = getattr(request.node, "rep_call", None)
        if rep is not None and rep.failed:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = request.node.name.replace("/", "_").replace("[", "-").rstrip("]")
            try:
                page.screenshot(path=str(SCREENSHOTS / f"FAILED-{name}.png"), full_page=True)
            except Exception:  # noqa: BLE001 - a dead page must not hide the real failure
                pass
            print("--- browser console ---\n" + "\n".join(console[-40:]))
            print("--- jupyterlab log ---\n" + lab_server.log())
        page.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
