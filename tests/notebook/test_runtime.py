"""runtime.relax_garbage_collector: the first collector threshold is raised, the others kept."""
from __future__ import annotations

import gc

import pytest

from interview_lens.notebook.setup import GC_THRESHOLD, relax_garbage_collector


@pytest.fixture
def thresholds():
    before = gc.get_threshold()
    try:
        yield before
    finally:
        gc.set_threshold(*before)


def test_raises_the_first_threshold_and_returns_the_previous_ones(thresholds):
    gc.set_threshold(700, 10, 10)
    assert relax_garbage_collector() == (700, 10, 10)
    assert gc.get_threshold() == (50_000, 10, 10) == (GC_THRESHOLD, 10, 10)


def test_keeps_the_older_generations_thresholds(thresholds):
    gc.set_threshold(700, 20, 5)
    assert relax_garbage_collector(10_000) == (700, 20, 5)
    assert gc.get_threshold() == (10_000, 20, 5)


def test_calling_twice_is_harmless(thresholds):
    gc.set_threshold(700, 10, 10)
    relax_garbage_collector()
    assert relax_garbage_collector() == (50_000, 10, 10)
    assert gc.get_threshold() == (50_000, 10, 10)


@pytest.mark.parametrize("bad", [0, -1])
def test_refuses_a_threshold_that_would_switch_collection_off_or_make_no_sense(thresholds, bad):
    before = gc.get_threshold()
    with pytest.raises(ValueError, match="positive"):
        relax_garbage_collector(bad)
    assert gc.get_threshold() == before
