"""Compare what a notebook shows in JupyterLab with what papermill writes for the same notebook.

Each code cell's outputs are reduced to what a reader sees: figures (by a digest of the PNG
bytes), tables and other HTML (by digest), plain text results, stdout and errors.  Widget views
are left out: they exist only where a front end renders them, by design (``explore.py``).
"""
from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import nbformat

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def visible(outputs: list[dict]) -> list[tuple[str, str]]:
    """One cell's outputs as ``(kind, content or digest)`` pairs, in order."""
    seen = []
    for out in outputs:
        kind = out.get("output_type")
        if kind == "stream":
            if out.get("name") == "stdout":
                seen.append(("stdout", _text(out.get("text", ""))))
        elif kind == "error":
            seen.append(("error", f"{out.get('ename')}: {out.get('evalue')}"))
        elif kind in ("display_data", "execute_result"):
            data = out.get("data", {})
            if WIDGET_VIEW in data:
                continue
            if "image/png" in data:
                png = base64.b64decode("".join(_text(data["image/png"]).split()))
                seen.append(("figure", _digest(png)))
            elif "text/html" in data:
                seen.append(("html", _digest(_text(data["text/html"]).encode())))
            elif "text/plain" in data:
                seen.append(("text", _text(data["text/plain"])))
    return seen


def run_papermill(notebook: Path, root: Path, out_dir: Path, *, timeout: int = 900) -> list:
    """Run ``notebook`` with papermill from the project root, as ``make run`` does; return the
    outputs of every cell (``None`` for non-code cells)."""
    out = out_dir / notebook.name
    env = dict(os.environ)
    env.pop("INTERVIEW_LENS_ROOT", None)  # the root must be found from the working directory
    cmd = [str(Path(sys.executable).parent / "papermill"), str(notebook), str(out),
           "--cwd", str(root), "--kernel", "interview-lens", "--no-progress-bar",
           "--log-level", "WARNING"]
    done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode != 0:
        raise AssertionError(f"papermill failed on {notebook.name}:\n{done.stderr[-3000:]}")
    nb = nbformat.read(out, as_version=4)
    return [c.get("outputs", []) if c.cell_type == "code" else None for c in nb.cells]


def differences(lab: list, papermill: list) -> list[str]:
    """Cells whose visible outputs differ between the two runs (empty when they agree)."""
    if len(lab) != len(papermill):
        return [f"{len(lab)} cells in JupyterLab, {len(papermill)} under papermill"]
    found = []
    for index, (a, b) in enumerate(zip(lab, papermill)):
        if a is None and b is None:
            continue
        va, vb = visible(a or []), visible(b or [])
        if va != vb:
            found.append(f"cell {index}: JupyterLab {[k for k, _ in va]} != "
                         f"papermill {[k for k, _ in vb]}"
                         + ("" if [k for k, _ in va] != [k for k, _ in vb] else
                            f" (content differs: {[x for x, y in zip(va, vb) if x != y][:2]})"))
    return found
