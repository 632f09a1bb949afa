"""Fixtures for the JupyterLab browser test: one server and one browser for the session.

These tests start a real JupyterLab and a headless Chromium, so the ordinary ``make test`` skips
them; ``make test-browser`` sets ``INTERVIEW_LENS_BROWSER=1`` and runs them.  Everything they
start is torn down in the fixtures' ``finally`` blocks, also when a test fails, and by
``_abort`` when the session is stopped by SIGTERM (a CI timeout) or Ctrl-C.
"""
from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import Callable

import psutil
import pytest

from .lab import CHROMIUM, CHROMIUM_ARGS, LabServer

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "outputs" / "browser"
ENABLED = os.environ.get("INTERVIEW_LENS_BROWSER") == "1"


# what an interrupted session must undo, newest first (see _abort)
_CLEANUPS: list[Callable[[], None]] = []
_SESSION: dict[str, object] = {}


def _abort(signum, frame):
    """SIGTERM/SIGINT: stop what the session started, then exit at once.

    Neither signal can go through pytest's ordinary teardown here: SIGTERM ends Python without
    running it, and an interrupt raised inside Playwright's synchronous event loop leaves the
    loop spinning.  A CI timeout or Ctrl-C must still not leave JupyterLab, its kernels or
    Chromium running, nor the temporary state directory behind.
    """
    # everything started below this process (papermill and its kernel too), before the
    # cleanups below reparent any of it
    descendants = psutil.Process().children(recursive=True)
    for cleanup in reversed(_CLEANUPS):
        try:
            cleanup()
        except Exception:  # noqa: BLE001 - keep undoing the rest
            pass
    for proc in descendants:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(descendants, timeout=5)
    message = f"browser test: stopped by signal {signum}; JupyterLab and Chromium ended"
    capture = _SESSION.get("capture")  # pytest captures stdout and stderr while tests run
    if capture is not None:
        capture.suspend_global_capture(in_=False)
    print("\n" + message, file=sys.stderr, flush=True)
    os._exit(128 + signum)


def _kill_chromium(profile: Path) -> None:
    """End the Chromium processes running on ``profile`` (a directory only this session uses)."""
    mine = []
    for proc in psutil.process_iter(["cmdline"]):
        if any(str(profile) in arg for arg in proc.info["cmdline"] or ()):
            mine.append(proc)
    for proc in mine:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(mine, timeout=5)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: runs JupyterLab in headless Chromium (make test-browser)"
    )
    if ENABLED:
        _SESSION["capture"] = config.pluginmanager.get_plugin("capturemanager")
        signal.signal(signal.SIGTERM, _abort)
        signal.signal(signal.SIGINT, _abort)


def pytest_collection_modifyitems(config, items):
    if ENABLED:
        return
    skip = pytest.mark.skip(
        reason="browser test: run `make test-browser` (INTERVIEW_LENS_BROWSER=1)"
    )
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def state_dir():
    path = Path(tempfile.mkdtemp(prefix="interview-lens-lab-"))
    _CLEANUPS.append(lambda: shutil.rmtree(path, ignore_errors=True))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def lab_server(state_dir):
    server = LabServer(root=ROOT, state_dir=state_dir / "jupyter")
    _CLEANUPS.append(server.stop)
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

    profile = state_dir / "chromium-profile"  # a fresh --user-data-dir
    _CLEANUPS.append(lambda: _kill_chromium(profile))
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1300},
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
