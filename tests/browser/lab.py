"""Drive a real JupyterLab in the system's headless Chromium, the way a researcher uses it.

The server runs from the project's ``.venv`` with the project root as its root directory, on a
free localhost port, behind a random token, with every piece of Jupyter state (config, settings,
workspaces, runtime files, HOME) in a temporary directory so nothing leaks in from, or out to,
the machine.  The browser is the Debian ``chromium`` launched by Playwright from its path
(``playwright install`` downloads are not available offline), headless, with background
networking disabled: on a closed network Chromium's own connections are refused otherwise.

Notebooks are opened by URL, run with the "Run > Run All Cells" menu (what a user clicks), and
inspected through both the page (rendered images, widget views) and the notebook model that
``--LabApp.expose_app_in_browser`` puts on ``window.jupyterapp`` (error outputs, execution counts).
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

CHROMIUM = os.environ.get("INTERVIEW_LENS_CHROMIUM", "/usr/bin/chromium")
KERNEL = "interview-lens"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # /dev/shm is small in containers; Chromium crashes otherwise
]

# JupyterLab user settings written into the isolated settings directory.
LAB_SETTINGS = {
    # no "receive Jupyter news?" toast, no update check: both would sit on top of the notebook
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # never write the executed notebook (with outputs) back into notebooks/
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    # keep every cell attached to the DOM, so off-screen outputs can be inspected
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    # the extension manager would query PyPI
    "@jupyterlab/extensionmanager-extension/plugin": {"enabled": False},
}

SERVER_CONFIG = {
    "ServerApp": {"open_browser": False, "port_retries": 0, "terminals_enabled": False},
    "LabApp": {
        "news_url": None,
        "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
        "expose_app_in_browser": True,
    },
}


def free_port() -> int:
    """A localhost port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class LabServer:
    """A JupyterLab server from the project's venv, isolated in ``state_dir``."""

    root: Path
    state_dir: Path
    jupyter: Path = Path(sys.executable).parent / "jupyter"  # the venv running the tests
    port: int = field(default_factory=free_port)
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.state_dir / "jupyterlab.log"

    def url(self, path: str, *, workspace: str | None = None) -> str:
        """URL opening ``path`` (relative to the project root) in the given workspace."""
        ws = f"/workspaces/{workspace}" if workspace else ""
        return f"{self.base_url}/lab{ws}/tree/{path}?token={self.token}"

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        # the notebooks must find the project root from their own working directory
        # (notebooks/), exactly as when a researcher runs them
        env.pop("INTERVIEW_LENS_ROOT", None)
        s = self.state_dir
        env.update(
            HOME=str(s / "home"),
            JUPYTER_CONFIG_DIR=str(s / "config"),
            JUPYTER_DATA_DIR=str(s / "data"),  # kernelspecs still come from the venv (sys-prefix)
            JUPYTER_RUNTIME_DIR=str(s / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(s / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(s / "workspaces"),
            IPYTHONDIR=str(s / "ipython"),
            MPLCONFIGDIR=str(s / "matplotlib"),
            JUPYTER_PLATFORM_DIRS="1",
            PYTHONUNBUFFERED="1",
        )
        return env

    def _write_state(self) -> None:
        for sub in ("home", "config", "data", "runtime", "workspaces", "ipython", "matplotlib"):
            (self.state_dir / sub).mkdir(parents=True, exist_ok=True)
        (self.state_dir / "config" / "jupyter_server_config.json").write_text(
            json.dumps(SERVER_CONFIG, indent=1), encoding="utf-8"
        )
        for plugin, values in LAB_SETTINGS.items():
            path = self.state_dir / "settings" / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values, indent=1), encoding="utf-8")

    def start(self, *, timeout: float = 120.0) -> None:
        self._write_state()
        cmd = [
            str(self.jupyter), "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            f"--ServerApp.root_dir={self.root}",
            f"--IdentityProvider.token={self.token}",
        ]
        if os.geteuid() == 0:  # CI runs as root in a throwaway machine
            cmd.append("--allow-root")
        log = self.log_path.open("wb")
        # own process group, so that stop() can signal the server and whatever it runs
        self.process = subprocess.Popen(
            cmd, cwd=self.root, env=self._environment(), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with {self.process.returncode}:\n{self.log()}"
                )
            try:
                self.api("/api/status")
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.5)
        raise TimeoutError(
            f"JupyterLab did not answer /api/status in {timeout:.0f}s:\n{self.log()}"
        )

    def api(self, path: str) -> object:
        request = urllib.request.Request(
            self.base_url + path, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def log(self, tail: int = 60) -> str:
        try:
            lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return ""
        return "\n".join(lines[-tail:])

    def stop(self) -> None:
        """End the server and every kernel it started: SIGTERM, then SIGKILL.

        jupyter_client starts each kernel in a session of its own, so the server's process
        group does not hold them: the kernels are collected as the server's descendants first
        and any that outlive the server's own shutdown are killed.
        """
        if self.process is None or self.process.poll() is not None:
            return
        try:
            descendants = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            descendants = []
        pgid = os.getpgid(self.process.pid)
        os.killpg(pgid, signal.SIGTERM)  # the server shuts its kernels down on SIGTERM
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.process.wait(timeout=10)
        _, alive = psutil.wait_procs(descendants, timeout=10)
        for proc in alive:
            try:
                proc.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(alive, timeout=5)
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# --- in-page helpers --------------------------------------------------------------------------

_PANEL_JS = "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"

_KERNEL_JS = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session
    && panel.sessionContext.session.kernel;
  return kernel ? {name: kernel.name, status: kernel.status} : null;
}"""

# Finished = the kernel is idle, no cell waits ([*]) and the first code cell has run.  Run All
# stops at an error and clears the queued prompts, so an error also ends the wait.
_DONE_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const prompts = [...panel.node.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
    .map(n => n.textContent.trim());
  if (!kernel || kernel.status !== 'idle' || prompts.length === 0) return false;
  if (prompts.some(p => p.includes('*'))) return false;
  return /\\[\\d+\\]/.test(prompts[0]);
}"""

_REPORT_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = panel.content.widgets;
  const errors = [];
  let codeCells = 0, executed = 0;
  cells.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    codeCells += 1;
    if (cell.model.executionCount !== null) executed += 1;
    for (const out of cell.model.outputs.toJSON()) {
      if (out.output_type === 'error') {
        errors.push(`cell ${index}: ${out.ename}: ${out.evalue}`);
      }
    }
  });
  const node = panel.node;
  // error text rendered on stderr (what the reader sees), warnings excluded
  for (const el of node.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')) {
    if (/Traceback \\(most recent call last\\)|^\\w+(Error|Exception):/m.test(el.textContent)) {
      errors.push('stderr: ' + el.textContent.slice(0, 300));
    }
  }
  for (const el of node.querySelectorAll('.jp-OutputArea-output')) {
    if (/Error displaying widget|Error rendering output item/.test(el.textContent)) {
      errors.push('render: ' + el.textContent.slice(0, 300));
    }
  }
  const images = [...node.querySelectorAll('.jp-OutputArea-output img')]
    .filter(img => img.complete && img.naturalWidth > 0);
  const svgs = node.querySelectorAll('.jp-RenderedSVG svg').length;
  return {
    codeCells, executed, errors,
    images: images.length, svgs,
    imageSizes: images.map(img => [img.naturalWidth, img.naturalHeight]),
    widgets: node.querySelectorAll('.jp-OutputArea-output .jupyter-widgets.widget-container, '
      + '.jp-OutputArea-output .widget-dropdown, '
      + '.jp-OutputArea-output .widget-select-multiple').length,
    dialogs: document.querySelectorAll('.jp-Dialog').length,
    kernelName: panel.sessionContext.session && panel.sessionContext.session.kernel
      && panel.sessionContext.session.kernel.name,
  };
}"""


_OUTPUTS_JS = """() => window.jupyterapp.shell.currentWidget.content.widgets
  .map(cell => cell.model.type === 'code' ? cell.model.outputs.toJSON() : null)"""


def notebook_outputs(page) -> list[list[dict] | None]:
    """The nbformat outputs of every cell as JupyterLab holds them (``None`` for non-code)."""
    return page.evaluate(_OUTPUTS_JS)


def open_notebook(page, server: LabServer, path: str, *, workspace: str, timeout_ms: int = 120_000):
    """Open ``path`` in a fresh workspace and wait until its kernel is idle.

    Returns the kernel ``{name, status}``.  A kernel-picker dialog here means the notebook's
    metadata does not name the project's kernel: that fails the caller's assertions.
    """
    page.goto(server.url(path, workspace=workspace), wait_until="domcontentloaded")
    page.wait_for_function(_PANEL_JS, timeout=timeout_ms)
    page.locator(".jp-NotebookPanel .jp-Notebook").first.wait_for(timeout=timeout_ms)
    idle_or_dialog = (
        "() => { const d = document.querySelector('.jp-Dialog');"
        " const k = (" + _KERNEL_JS + ")(); return d !== null || (k && k.status === 'idle'); }"
    )
    # the kernel goes idle, then busy again while the front end (widget manager, completer)
    # talks to it: wait until it stays idle
    for _ in range(2):
        page.wait_for_function(idle_or_dialog, timeout=timeout_ms, polling=250)
        page.wait_for_timeout(1500)
    page.wait_for_function(idle_or_dialog, timeout=timeout_ms, polling=250)
    # more room for the notebook in screenshots: close the file browser
    page.evaluate(
        "() => { const app = window.jupyterapp;"
        " if (!app.shell.leftCollapsed)"
        " return app.commands.execute('application:toggle-left-area'); }"
    )
    return page.evaluate(_KERNEL_JS)


def run_all_cells(page, *, timeout_ms: int = 600_000) -> None:
    """Click Run > Run All Cells and wait until the kernel has finished."""
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator(".lm-Menu-content .lm-Menu-itemLabel").get_by_text(
        "Run All Cells", exact=True
    ).click()
    # the first cell gets a number only once its execution went through the kernel
    page.wait_for_function(_DONE_JS, timeout=timeout_ms, polling=500)
    # idle again after a short pause: not a gap between two queued cells
    page.wait_for_timeout(1000)
    page.wait_for_function(_DONE_JS, timeout=timeout_ms, polling=500)


def notebook_report(page) -> dict:
    """What the current notebook shows: code cells run, errors, rendered figures and widgets."""
    return page.evaluate(_REPORT_JS)


def screenshot(page, path: Path, *, at: str | None = None) -> None:
    """Save a screenshot after scrolling: the cell holding the first element matching ``at`` to
    the top of the notebook if there is one (e.g. the explorer: its code, controls and heatmap),
    else the first rendered figure to the middle."""
    path.parent.mkdir(parents=True, exist_ok=True)
    page.evaluate(
        """(selector) => {
            const panel = document.querySelector('.jp-NotebookPanel');
            const target = selector && panel.querySelector(selector);
            if (target) {
              (target.closest('.jp-Cell') || target).scrollIntoView({block: 'start'});
              return;
            }
            const img = panel.querySelector('.jp-OutputArea-output img');
            if (img) img.scrollIntoView({block: 'center'});
        }""",
        at,
    )
    page.wait_for_timeout(500)
    page.screenshot(path=str(path), full_page=True)
