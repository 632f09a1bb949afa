"""Exploration widgets: static default view everywhere, controls that redraw it in place.

Counts on the sample were checked against the text itself:
``grep -oi "open source" gt-kurbalija-2025-fr.txt | wc -l`` -> 8 and
``grep -oiE "coop[ée]r[a-zé]*"`` -> 6, all ``coopération``.
"""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import ipywidgets as widgets
import pandas as pd
import pytest
from IPython.display import HTML, Image

from interview_lens.analysis.concepts import code_concepts
from interview_lens.analysis.cooccurrence import stat_cooccurrence
from interview_lens.analysis.dictionary import load_dictionary
from interview_lens.language.tokens import tokens_from
from interview_lens.notebook import explore
from interview_lens.reading.segment import read_interview

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"


@pytest.fixture(scope="module")
def sample():
    interview = read_interview(SAMPLE)
    tokens = tokens_from(interview)
    hits = code_concepts(tokens, load_dictionary())
    analysis = SimpleNamespace(interview=interview, tokens=tokens, label="GT – Kurbalija")
    return analysis, hits


class Handle:
    """Stands in for IPython's DisplayHandle: records the updates sent to one output."""

    def __init__(self, obj):
        self.shown = [obj]

    def update(self, obj):
        self.shown.append(obj)


@pytest.fixture
def displayed(monkeypatch):
    """What the explorer displays, in order: (object, with_display_id)."""
    log: list = []

    def fake_display(obj, display_id=None):
        log.append((obj, display_id))
        return Handle(obj) if display_id else None

    monkeypatch.setattr(explore, "_display", fake_display)
    return log


def _fake_kernel(monkeypatch, metadata):
    parent = {"header": {"msg_type": "execute_request"}, "metadata": metadata}
    kernel = SimpleNamespace(get_parent=lambda channel=None: parent)
    monkeypatch.setattr("IPython.get_ipython", lambda: SimpleNamespace(kernel=kernel))


def test_no_front_end_outside_a_kernel():
    assert explore.has_front_end() is False


def test_front_end_is_recognised_by_the_cell_id(monkeypatch):
    # what JupyterLab sends with every execute request
    _fake_kernel(monkeypatch, {"cellId": "3f1c", "deletedCells": [], "recordTiming": False})
    assert explore.has_front_end() is True


def test_papermill_is_not_a_front_end(monkeypatch):
    # nbclient (papermill, nbconvert --execute) sends execute requests with empty metadata
    _fake_kernel(monkeypatch, {})
    assert explore.has_front_end() is False


def test_static_view_without_front_end(sample, displayed):
    analysis, hits = sample
    ex = explore.concept_explorer(analysis, hits)
    ex._ipython_display_()
    kinds = [(type(obj).__name__, bool(did)) for obj, did in displayed]
    # no controls: heatmap, network, concordance, each under a display id
    assert kinds == [("Image", True), ("Image", True), ("HTML", True)]
    assert displayed[0][0].data[:8] == b"\x89PNG\r\n\x1a\n"


def test_front_end_gets_the_controls_first(sample, displayed, monkeypatch):
    analysis, hits = sample
    _fake_kernel(monkeypatch, {"cellId": "a1"})
    explore.concept_explorer(analysis, hits)._ipython_display_()
    assert isinstance(displayed[0][0], widgets.VBox)
    assert [type(obj) for obj, _ in displayed[1:]] == [Image, Image, HTML]


def test_interactive_false_overrides_a_front_end(sample, displayed, monkeypatch):
    analysis, hits = sample
    _fake_kernel(monkeypatch, {"cellId": "a1"})
    explore.concept_explorer(analysis, hits, interactive=False)._ipython_display_()
    assert not any(isinstance(obj, widgets.Widget) for obj, _ in displayed)


def test_changing_the_measure_redraws_both_figures_in_place(sample, displayed):
    analysis, hits = sample
    ex = explore.concept_explorer(analysis, hits, interactive=True)
    ex._ipython_display_()
    heatmap, network, kwic = (ex._handles[n] for n in ("heatmap", "network", "concordance"))
    pairs = ex.pairs
    ex._measure.value = "jaccard"
    assert len(heatmap.shown) == len(network.shown) == 2
    assert isinstance(heatmap.shown[1], Image) and heatmap.shown[1].data != heatmap.shown[0].data
    assert len(kwic.shown) == 1  # the concordance does not depend on the measure
    assert ex.pairs is pairs  # nor the pair table: only the figures are redrawn
    assert "Jaccard" in ex.heatmap.axes[0].get_title(loc="left")
    assert ex.status.value == ""


def test_concepts_and_unit_go_through_to_the_statistics(sample, displayed):
    analysis, hits = sample
    analysis_tokens = analysis.tokens
    chosen = ["ai", "digital", "open_source"]
    ex = explore.concept_explorer(analysis, hits, concepts=chosen, unit="sentence")
    expected = stat_cooccurrence(hits, analysis_tokens, unit="sentence", concepts=chosen)
    pd.testing.assert_frame_equal(ex.pairs, expected)
    assert ex._window.disabled  # the window size only matters for unit="window"
    ex._unit.value = "window"
    assert not ex._window.disabled
    ex._window.value = 3
    expected = stat_cooccurrence(hits, analysis_tokens, unit="window", window=3, concepts=chosen)
    pd.testing.assert_frame_equal(ex.pairs, expected)


def test_fewer_than_two_concepts_shows_a_message(sample, displayed):
    analysis, hits = sample
    ex = explore.concept_explorer(analysis, hits, interactive=True)
    ex._concepts.value = ("ai",)
    assert ex.pairs is None and ex.heatmap is None
    assert "at least two concepts" in ex.views["heatmap"].data
    ex._concepts.value = ("ai", "digital")
    assert list(ex.pairs[["concept_a", "concept_b"]].itertuples(index=False, name=None)) == [
        ("ai", "digital")]


def test_a_document_without_any_hit_says_so(sample, displayed):
    analysis, hits = sample
    ex = explore.concept_explorer(analysis, hits.iloc[:0], interactive=True)
    assert ex.kwic is None and ex.pairs is None
    assert "No concept of the dictionary occurs" in ex.views["concordance"].data
    assert "at least two concepts" in ex.views["heatmap"].data


def test_concordance_of_the_chosen_concept(sample, displayed):
    analysis, hits = sample
    ex = explore.concept_explorer(analysis, hits, concept="open_source", max_rows=5)
    assert len(ex.kwic) == 8  # grep: 8 × "open source"
    assert set(ex.kwic["match"]) == {"open source"}
    page = ex.views["concordance"].data
    assert "8 occurrences" in page and "(first 5 shown)" in page
    assert page.count("<tr") == 1 + 5  # header row + max_rows
    ex._concept.value = "cooperation"
    assert set(ex.kwic["concept"]) == {"cooperation"}


def test_term_concordance(sample, displayed):
    analysis, _ = sample
    te = explore.term_concordance_explorer(analysis, term="coopér*")
    assert len(te.kwic) == 6 and set(te.kwic["match"]) == {"coopération"}
    assert "IA" in te._term.options  # suggestions: the most frequent content lemmas
    te._term.value = "open source"
    assert len(te.kwic) == 8
    te._term.value = "  "
    assert te.kwic is None and "Type a term" in te.views["concordance"].data


def test_a_bad_term_is_reported_under_the_controls(sample, displayed):
    analysis, _ = sample
    te = explore.term_concordance_explorer(analysis, term="partager")
    te._term.value = "coop[er"
    assert te.status.value.startswith('<span style="color:#D55E00">ValueError: ')
    te._term.value = "partager"
    assert te.status.value == ""


@pytest.mark.parametrize("options, message", [
    ({"unit": "chapter"}, "unit must be one of"),
    ({"measure": "chi2"}, "measure must be one of"),
    ({"concepts": ["ai", "astrology"]}, "no hits for concept(s) ['astrology']"),
    ({"concept": "astrology"}, "no hits for concept 'astrology'"),
])
def test_bad_options(sample, options, message):
    analysis, hits = sample
    with pytest.raises(ValueError) as info:
        explore.concept_explorer(analysis, hits, **options)
    assert message in str(info.value)


def test_needs_an_analysis(sample):
    _, hits = sample
    with pytest.raises(TypeError, match=r"interview_lens\.load"):
        explore.concept_explorer(object(), hits)


def test_concordance_html_is_deterministic(sample):
    analysis, hits = sample
    first = explore.concept_explorer(analysis, hits, concept="open_source")
    again = explore.concept_explorer(analysis, hits, concept="open_source")
    assert first.views["concordance"].data == again.views["concordance"].data
