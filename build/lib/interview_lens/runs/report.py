"""One HTML report per document: the executed notebooks' prose, tables and figures, without code.

Interview text is untrusted: a document may contain ``<script>``, ``<iframe>`` or ``onerror=``
handlers, and notebooks print and display it. The report is therefore exported with nbconvert's
``sanitize_html`` on, so every HTML and Markdown output and every Markdown cell goes through an
allowlist sanitizer, and only inert output types are kept (no JavaScript, widgets or Mermaid).
nbconvert's default allowlist escapes paragraphs, headings and table headers, which would print
``<p>`` and ``<th>`` as text all over a research report; ours keeps those structural tags, and
still no script, style, iframe, form, event-handler attribute or ``javascript:`` URL.
"""
from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Iterable

import bleach
import nbformat

# Output types a report may show; everything else (JavaScript, widget views, Mermaid, LaTeX
# for MathJax) is dropped, since some nbconvert templates insert them unescaped.
SAFE_OUTPUT_TYPES = ("text/plain", "text/html", "text/markdown", "image/png", "image/jpeg",
                     "image/svg+xml")

_TAGS = frozenset(bleach.ALLOWED_TAGS) | {
    "p", "div", "span", "pre", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
    "img", "sub", "sup", "dl", "dt", "dd", "figure", "figcaption", "del", "ins", "kbd", "s",
    "small", "u", "q", "cite", "mark", "details", "summary",
}
_COMMON = ("class", "id", "title", "lang", "dir")


def _link_attribute(tag: str, name: str, value: str) -> bool:
    # data: links could navigate to an HTML page of the document's making
    return name in _COMMON or (name == "href" and not value.strip().lower().startswith("data:"))


def _image_attribute(tag: str, name: str, value: str) -> bool:
    # only images embedded in the report itself: a remote src would be fetched (a tracking
    # pixel) whenever someone opens the report
    if name == "src":
        return re.match(r"data:image/(png|jpeg|gif|svg\+xml)[;,]", value.strip(), re.I) is not None
    return name in (*_COMMON, "alt", "width", "height")


_ATTRIBUTES = {
    "*": list(_COMMON),
    "a": _link_attribute,
    "img": _image_attribute,
    "th": ["colspan", "rowspan", "scope"],
    "td": ["colspan", "rowspan"],
    "table": ["border"],
    "ol": ["start"],
    "abbr": ["title"],
    "acronym": ["title"],
}
# pandas' _repr_html_ embeds a <style scoped> block; escaping it would print CSS as text and
# keeping it would let a document's HTML restyle the report, so the element goes entirely.
_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>.*?</style\s*>", re.IGNORECASE | re.DOTALL)
_CLEANER = bleach.sanitizer.Cleaner(tags=_TAGS, attributes=_ATTRIBUTES,
                                    protocols={"http", "https", "mailto", "data"}, strip=False,
                                    strip_comments=True)


def clean_report_html(element) -> str:
    """Sanitize an HTML fragment for the report: structure kept, anything active escaped."""
    text = element.decode() if isinstance(element, bytes) else str(element)
    return _CLEANER.clean(_STYLE_ELEMENT.sub("", text))


def _safe_output(output) -> bool:
    if output.get("output_type") in ("display_data", "execute_result"):
        output["data"] = {k: v for k, v in output.get("data", {}).items()
                          if k in SAFE_OUTPUT_TYPES}
        return bool(output["data"])
    return True  # streams and errors are rendered as escaped text


def merge_notebooks(paths: Iterable[str | Path], *, title: str) -> nbformat.NotebookNode:
    """One notebook made of the cells of ``paths`` in order, each part headed by its file name.

    Parameter cells and papermill's own banner cells are left out; outputs are filtered to
    :data:`SAFE_OUTPUT_TYPES`.
    """
    merged = nbformat.v4.new_notebook()
    merged.metadata["title"] = title
    skip_tags = {"parameters", "injected-parameters", "papermill-error-cell-tag"}
    for path in paths:
        nb = nbformat.read(str(path), as_version=4)
        if "language_info" in nb.metadata and "language_info" not in merged.metadata:
            merged.metadata["language_info"] = copy.deepcopy(nb.metadata["language_info"])
        merged.cells.append(nbformat.v4.new_markdown_cell(
            f"## {Path(path).stem}"))
        for cell in nb.cells:
            if skip_tags & set(cell.get("metadata", {}).get("tags", [])):
                continue
            cell = copy.deepcopy(cell)
            cell.pop("attachments", None)
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.get("outputs", []) if _safe_output(o)]
                if not cell.outputs:
                    continue
            elif cell.cell_type == "raw":
                continue
            merged.cells.append(cell)
    # cell ids must stay unique once several notebooks are concatenated
    for i, cell in enumerate(merged.cells):
        cell["id"] = f"cell-{i}"
    return merged


def render_report(paths: Iterable[str | Path], *, title: str) -> str:
    """The HTML report (as a string) of the executed notebooks ``paths``, without code cells."""
    return _render(merge_notebooks(paths, title=title), title=title)


def _render(nb: nbformat.NotebookNode, *, title: str) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
        sanitize_html=True, filters={"clean_html": clean_report_html},
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


def warm_up() -> None:
    """Import nbconvert and render a one-cell report, so that the next report starts warm.

    A process's first report spends about 0.3 s importing nbconvert and setting up its
    templates and sanitizer; the runner does it on a core its last notebooks leave idle.
    """
    _render(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("warm-up")]),
            title="warm-up")


def write_report(paths: Iterable[str | Path], out_path: str | Path, *, title: str) -> Path:
    """Write :func:`render_report` to ``out_path`` (UTF-8)."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(render_report(paths, title=title), encoding="utf-8")
    return out_path
