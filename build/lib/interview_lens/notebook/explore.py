"""Exploration widgets for the concept notebook: pick, look, and read the words behind a number.

The explorers are *static first*.  Displaying one always shows its default view as ordinary
notebook outputs (heatmap, network, concordance), each under its own display id.  When a notebook
front end is present, controls are shown above them and every change redraws those same outputs
in place (JupyterLab routes ``update_display_data`` by display id, whichever cell or widget sent
it).  Under papermill there is no front end: the executed notebook and its HTML report keep the
static default view and no dead controls.

Whether a front end is present is decided when the explorer is displayed, by
:func:`has_front_end`: JupyterLab, Notebook 7 and VS Code send the cell's id with every
execute request; nbclient (papermill, ``nbconvert --execute``) does not.  ``interactive=True`` or
``False`` overrides the guess (a notebook parameter can pass it through).

In a notebook, put the call last in its cell (or display the returned object)::

    concept_explorer(analysis, hits, unit="qa", measure="npmi")
"""
from __future__ import annotations

import html
from typing import Any, Callable, Sequence

import pandas as pd
from matplotlib.figure import Figure

from interview_lens.analysis.cooccurrence import MEASURES, stat_cooccurrence
from interview_lens.analysis.kwic import concordance
from interview_lens.analysis.units import UNITS, Unit
from interview_lens.figures._layout import render_png
from interview_lens.figures.concepts import (
    MEASURE_LABELS,
    UNIT_LABELS,
    plot_concept_network,
    plot_cooccurrence_heatmap,
)

#: measures offered in the menu (``expected_ab`` is a reference count, not an association)
EXPLORER_MEASURES: tuple[str, ...] = tuple(m for m in MEASURES if m != "expected_ab")
_KWIC_SHOWN = ["qa_id", "left", "match", "right"]
_FIGURE_DPI = 150  # sharp on screens; the article files come from export.save_figure
# the unit menu: the broadest unit first (Q/A pair ... sentence), the token window last
_MENU_UNITS = (*reversed(UNITS[:-1]), UNITS[-1])


def has_front_end() -> bool:
    """Whether the running cell was sent by a notebook front end that can render widgets.

    JupyterLab, Notebook 7 and VS Code put the cell's id (``cellId``) in the metadata of every
    execute request; papermill/nbclient, a terminal IPython and plain scripts do not.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return False
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    if kernel is None:
        return False
    try:
        parent = kernel.get_parent("shell") or {}
    except Exception:  # noqa: BLE001 - an unknown kernel: assume no widgets rather than fail
        return False
    return "cellId" in (parent.get("metadata") or {})


def _display(*args, **kwargs):
    # indirection so that tests can record what would be displayed
    from IPython.display import display

    return display(*args, **kwargs)


def _figure_image(fig: Figure):
    """The figure as an inline PNG, whatever matplotlib backend the kernel ended up with."""
    from IPython.display import Image

    return Image(data=render_png(fig, dpi=_FIGURE_DPI), format="png")


def _message(text: str):
    from IPython.display import HTML

    return HTML(f'<p class="interview-lens-message"><em>{html.escape(text)}</em></p>')


def _kwic_view(kwic: pd.DataFrame, title: str, max_rows: int):
    """A concordance as HTML: a one-line summary, then the left context right-aligned."""
    from IPython.display import HTML

    n, n_qa = len(kwic), kwic.loc[kwic["qa_id"] > 0, "qa_id"].nunique()
    shown = f" (first {max_rows} shown)" if n > max_rows else ""
    head = (f"<p><strong>{html.escape(title)}</strong>: {n} occurrence{'s' if n != 1 else ''} "
            f"in {n_qa} Q/A pair{'s' if n_qa != 1 else ''}{shown}</p>")
    if not n:
        return HTML(head)
    # a fixed uuid: pandas otherwise draws a random one, and the same concordance must give
    # the same HTML (papermill reports are compared byte for byte)
    table = (kwic[_KWIC_SHOWN].head(max_rows).style.set_uuid("kwic").hide(axis="index")
             .set_properties(subset=["left"], **{"text-align": "right"})
             .set_properties(subset=["match"], **{"font-weight": "bold", "text-align": "center"})
             .set_properties(subset=["right"], **{"text-align": "left"})
             .to_html())
    return HTML(head + table)


def _parts(analysis) -> tuple[pd.DataFrame, Any, str]:
    """Token table, interview and document label of a ``pipeline.Analysis`` (duck-typed)."""
    try:
        tokens, interview = analysis.tokens, analysis.interview
    except AttributeError:
        raise TypeError("analysis must have .tokens and .interview "
                        "(from interview_lens.load)") from None
    label = getattr(analysis, "label", None) or getattr(interview, "doc_id", "")
    return tokens, interview, str(label)


def _check_choice(name: str, value: str, choices: Sequence[str]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {tuple(choices)}, not {value!r}")


class _Explorer:
    """Shared plumbing: named views displayed under display ids, redrawn in place."""

    _view_names: tuple[str, ...] = ()

    def __init__(self, interactive: bool | None):
        self.interactive = interactive
        self.controls = None  # the ipywidgets box, built by subclasses
        self.status = None  # an HTML widget for problems seen while redrawing
        self.views: dict[str, Any] = {}  # name -> displayable object (Image/HTML)
        self._handles: dict[str, Any] = {}

    def _set_view(self, name: str, obj) -> None:
        self.views[name] = obj
        handle = self._handles.get(name)
        if handle is not None:
            handle.update(obj)

    def _guarded(self, redraw: Callable[[], None]) -> Callable[[Any], None]:
        """A widget callback that shows a failure under the controls instead of losing it in
        the kernel log, where a researcher would never see it."""
        def callback(_change=None):
            try:
                redraw()
                if self.status is not None:
                    self.status.value = ""
            except Exception as exc:  # noqa: BLE001 - reported to the reader, then kept
                if self.status is None:
                    raise
                self.status.value = (f'<span style="color:#D55E00">{type(exc).__name__}: '
                                     f"{html.escape(str(exc))}</span>")
        return callback

    def _ipython_display_(self) -> None:
        interactive = has_front_end() if self.interactive is None else self.interactive
        if interactive and self.controls is not None:
            _display(self.controls)
        for name in self._view_names:
            self._handles[name] = _display(self.views[name], display_id=True)


class ConceptExplorer(_Explorer):
    """Concepts x unit x measure -> heatmap, network and the concordance of one concept.

    Built by :func:`concept_explorer`.  The current results stay available as attributes:
    ``pairs`` (from :func:`~interview_lens.analysis.cooccurrence.stat_cooccurrence`), ``heatmap`` and
    ``network`` (Figures), ``kwic`` (from :func:`~interview_lens.analysis.kwic.concordance`).
    """

    _view_names = ("heatmap", "network", "concordance")

    def __init__(self, analysis, hits: pd.DataFrame, *, concepts: Sequence[str] | None = None,
                 unit: Unit = "qa", measure: str = "npmi", window: int = 5,
                 concept: str | None = None, width: int = 60, max_rows: int = 25,
                 language: str | None = None, interactive: bool | None = None):
        super().__init__(interactive)
        _check_choice("unit", unit, UNITS)
        _check_choice("measure", measure, EXPLORER_MEASURES)
        self.tokens, self.interview, self.document = _parts(analysis)
        self.hits = hits
        self.language = language or hits.attrs.get("language") or getattr(
            self.interview, "language", None)
        present = set(hits["concept"].astype(str))
        ordered = [c for c in hits.attrs.get("concepts", []) if c in present]
        self.available = ordered + sorted(present - set(ordered))
        chosen = list(self.available if concepts is None else concepts)
        unknown = [c for c in chosen if c not in self.available]
        if unknown:
            raise ValueError(f"no hits for concept(s) {unknown}; concepts with hits: "
                             f"{self.available}")
        if concept is not None and concept not in self.available:
            raise ValueError(f"no hits for concept {concept!r}; concepts with hits: "
                             f"{self.available}")
        labels = (hits.attrs.get("labels") or {}).get(self.language or "en") or {}
        self.labels = {c: labels.get(c, c) for c in self.available}
        self.max_rows = max_rows
        self.pairs: pd.DataFrame | None = None
        self.heatmap: Figure | None = None
        self.network: Figure | None = None
        self.kwic: pd.DataFrame | None = None
        # a document without any concept hit has no concordance to start from: None
        first = concept or next(iter(chosen or self.available), None)
        self._build_controls(chosen, unit, measure, window, first, width)
        self._redraw_pairs()
        self._redraw_concordance()

    # -- current choices (read from the widgets, which are the single source of truth) --
    @property
    def concepts(self) -> list[str]:
        return list(self._concepts.value)

    @property
    def unit(self) -> str:
        return self._unit.value

    @property
    def measure(self) -> str:
        return self._measure.value

    def _build_controls(self, concepts, unit, measure, window, concept, width) -> None:
        import ipywidgets as w

        label = {"description_width": "7em"}
        self._concepts = w.SelectMultiple(
            options=[(self.labels[c], c) for c in self.available], value=tuple(concepts),
            rows=min(10, max(4, len(self.available))), description="concepts", style=label)
        self._unit = w.Dropdown(options=[(UNIT_LABELS.get(u, u), u) for u in _MENU_UNITS],
                                value=unit, description="unit", style=label)
        self._window = w.IntSlider(value=window, min=1, max=25, description="window ±",
                                   continuous_update=False, style=label,
                                   disabled=unit != "window")
        self._measure = w.Dropdown(options=[(MEASURE_LABELS.get(m, m), m)
                                            for m in EXPLORER_MEASURES],
                                   value=measure, description="measure", style=label)
        self._concept = w.Dropdown(options=[(self.labels[c], c) for c in self.available],
                                   value=concept, description="concordance", style=label)
        self._width = w.IntSlider(value=width, min=10, max=200, step=10,
                                  description="context", continuous_update=False, style=label)
        # CSS classes name the controls for people styling the page and for the browser test
        for name in ("concepts", "unit", "window", "measure", "concept", "width"):
            getattr(self, f"_{name}").add_class(f"interview-lens-{name}")
        self.status = w.HTML("")

        def unit_changed(change):
            self._window.disabled = change["new"] != "window"

        self._unit.observe(unit_changed, names="value")
        for control in (self._concepts, self._unit, self._window):
            control.observe(self._guarded(self._redraw_pairs), names="value")
        self._measure.observe(self._guarded(self._redraw_figures), names="value")
        for control in (self._concept, self._width):
            control.observe(self._guarded(self._redraw_concordance), names="value")
        self.controls = w.VBox([
            w.HBox([self._concepts,
                    w.VBox([self._unit, self._window, self._measure, self._concept,
                            self._width])]),
            self.status,
        ])
        self.controls.add_class("interview-lens-concept-explorer")

    def _redraw_pairs(self) -> None:
        if len(self.concepts) < 2:
            self.pairs = None
        else:
            self.pairs = stat_cooccurrence(self.hits, self.tokens, unit=self.unit,
                                           window=self._window.value, concepts=self.concepts)
        self._redraw_figures()

    def _redraw_figures(self) -> None:
        if self.pairs is None:
            self.heatmap = self.network = None
            note = _message("Pick at least two concepts to see how they co-occur.")
            self._set_view("heatmap", note)
            self._set_view("network", _message(""))
            return
        # plot_* figures live outside pyplot (style.new_figure): nothing to close, and they are
        # shown only through the display ids below
        heatmap = plot_cooccurrence_heatmap(self.pairs, measure=self.measure,
                                            language=self.language, document=self.document)
        network = plot_concept_network(self.pairs, measure=self.measure,
                                       language=self.language, document=self.document)
        self.heatmap, self.network = heatmap, network
        self._set_view("heatmap", _figure_image(heatmap))
        self._set_view("network", _figure_image(network))

    def _redraw_concordance(self) -> None:
        concept = self._concept.value
        if concept is None:
            self.kwic = None
            self._set_view("concordance", _message(
                "No concept of the dictionary occurs in this document, so no concordance."))
            return
        self.kwic = concordance(self.tokens, self.interview, concept=concept, hits=self.hits,
                                width=self._width.value)
        self._set_view("concordance", _kwic_view(self.kwic, self.labels.get(concept, concept),
                                                 self.max_rows))


class TermConcordanceExplorer(_Explorer):
    """A term (lemma, wildcard such as ``coopér*``, or phrase) -> its concordance.

    Built by :func:`term_concordance_explorer`; the current table is ``kwic``.
    """

    _view_names = ("concordance",)

    def __init__(self, analysis, *, term: str, width: int = 60, max_rows: int = 25,
                 suggestions: Sequence[str] | None = None, interactive: bool | None = None):
        super().__init__(interactive)
        self.tokens, self.interview, self.document = _parts(analysis)
        self.max_rows = max_rows
        if suggestions is None:
            # the most frequent content lemmas: what a reader is likely to want next
            content = self.tokens.loc[~self.tokens["is_stop"], "lemma"].astype(str)
            suggestions = list(content.value_counts().head(40).index)
        self.kwic: pd.DataFrame | None = None
        import ipywidgets as w

        label = {"description_width": "7em"}
        self._term = w.Combobox(value=term, options=list(dict.fromkeys(suggestions)),
                                description="term", placeholder="lemma, coopér*, open source",
                                ensure_option=False, continuous_update=False, style=label)
        self._width = w.IntSlider(value=width, min=10, max=200, step=10, description="context",
                                  continuous_update=False, style=label)
        self._term.add_class("interview-lens-term")
        self._width.add_class("interview-lens-width")
        self.status = w.HTML("")
        for control in (self._term, self._width):
            control.observe(self._guarded(self._redraw), names="value")
        self.controls = w.VBox([w.HBox([self._term, self._width]), self.status])
        self.controls.add_class("interview-lens-term-explorer")
        self._redraw()

    @property
    def term(self) -> str:
        return self._term.value

    def _redraw(self) -> None:
        term = " ".join(self.term.split())
        if not term:
            self.kwic = None
            self._set_view("concordance", _message("Type a term to see its concordance."))
            return
        self.kwic = concordance(self.tokens, self.interview, term=term, width=self._width.value)
        self._set_view("concordance", _kwic_view(self.kwic, term, self.max_rows))


def concept_explorer(analysis, hits: pd.DataFrame, *, concepts: Sequence[str] | None = None,
                     unit: Unit = "qa", measure: str = "npmi", window: int = 5,
                     concept: str | None = None, width: int = 60, max_rows: int = 25,
                     language: str | None = None,
                     interactive: bool | None = None) -> ConceptExplorer:
    """Explore concept co-occurrence: choose concepts, unit and measure; read a concordance.

    Parameters
    ----------
    analysis : from :func:`interview_lens.notebook.analysis.load` (``.tokens``, ``.interview``, ``.label``).
    hits : from :func:`interview_lens.analysis.concepts.code_concepts`.
    concepts : concepts selected at first (default: every concept with a hit).
    unit : ``qa``, ``turn``, ``paragraph``, ``sentence`` or ``window`` (``±window`` tokens).
    measure : ``npmi``, ``jaccard``, ``dice``, ``pmi``, ``g2`` or ``n_ab``.
    concept : the concept whose concordance is shown first (default: the first selected).
    width : concordance context, in characters on each side; ``max_rows`` rows are shown.
    interactive : show the controls; ``None`` (default) when a front end is present
        (:func:`has_front_end`), so papermill runs keep the static default view only.

    Returns
    -------
    A :class:`ConceptExplorer`; displaying it (last expression of a cell) shows the controls
    (when interactive), the heatmap, the network and the concordance.
    """
    return ConceptExplorer(analysis, hits, concepts=concepts, unit=unit, measure=measure,
                           window=window, concept=concept, width=width, max_rows=max_rows,
                           language=language, interactive=interactive)


def term_concordance_explorer(analysis, *, term: str, width: int = 60, max_rows: int = 25,
                              suggestions: Sequence[str] | None = None,
                              interactive: bool | None = None) -> TermConcordanceExplorer:
    """Pick or type a term (lemma, ``coopér*`` wildcard, ``open source`` phrase), read its KWIC.

    ``suggestions`` fill the term box's list (default: the 40 most frequent content lemmas);
    any other term can be typed.  ``interactive`` as in :func:`concept_explorer`.  Displaying the
    returned :class:`TermConcordanceExplorer` shows the controls (when interactive) and the
    concordance of ``term``.
    """
    return TermConcordanceExplorer(analysis, term=term, width=width, max_rows=max_rows,
                                   suggestions=suggestions, interactive=interactive)
