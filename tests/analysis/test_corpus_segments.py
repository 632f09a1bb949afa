"""The corpus' text segments (map: per batch, reduce: concatenated) and their classification."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from interview_lens.analysis.corpus import corpus_statistics
from interview_lens.analysis.corpus_segments import segment_term_table, stat_corpus_classes
from interview_lens.analysis.dictionary import load_dictionary

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "concepts" / "mini.yaml"
HARBOUR = ("Q: Do you share the ropes?\n"
           "A: We share ropes. The community shares boats and open source maps.\n")
VILLAGE = "Q: Is the community open?\nA: Cooperation builds the community. Boats wait.\n"


@pytest.fixture(scope="module")
def stats(tmp_path_factory):
    folder = tmp_path_factory.mktemp("segments")
    (folder / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "village.txt").write_text(VILLAGE, encoding="utf-8")
    paths = [folder / n for n in ("harbour.txt", "empty.txt", "village.txt")]
    # one document per partition: the segments of three partial counts are concatenated
    return corpus_statistics(paths, dictionary=load_dictionary(MINI), language="en",
                             partition_size=1)


def test_one_segment_per_turn_numbered_over_the_corpus(stats):
    # every turn is under 40 words, so it is one segment; stopwords (do, you, the, we...) are
    # not in the lemmas; the empty document has none
    seg = stats.segments
    assert seg["segment_id"].tolist() == [1, 2, 3, 4]
    assert seg["doc_id"].tolist() == ["harbour", "harbour", "village", "village"]
    assert seg["text"].tolist() == [
        "Do you share the ropes?",
        "We share ropes. The community shares boats and open source maps.",
        "Is the community open?", "Cooperation builds the community. Boats wait."]
    assert seg["lemmas"].tolist() == [
        ["rope", "share"], ["boat", "community", "map", "open source", "rope", "share"],
        ["community", "open"], ["boat", "build", "community", "cooperation", "wait"]]
    assert stats.summary.loc[0, "segment_size"] == 40


def test_too_few_segments_give_no_class(stats):
    # community is in 3 of the 4 segments, the only lemma kept at 3: nothing to split on
    x = segment_term_table(stats.segments)
    assert list(x.columns) == ["community"]
    classes = stat_corpus_classes(stats.segments, x)
    assert classes.attrs["n_classes"] <= 1
    assert classes["doc_id"].tolist() == ["harbour", "harbour", "village", "village"]


def test_rainette_matrix_split_and_documents_put_back():
    # rainette's 7 x 5 test matrix as segments of two documents: the first split puts rows 3
    # and 6 (lemma a alone) apart from the rest
    rows = ["11100", "00110", "10000", "11110", "11111", "10000", "11100"]
    segments = pd.DataFrame({
        "segment_id": range(1, 8), "doc_id": ["d1"] * 4 + ["d2"] * 3, "qa_id": 1,
        "turn_id": range(1, 8), "speaker": "S", "start_char": 0, "end_char": 1, "n_words": 5,
        "text": [f"row {i}" for i in range(1, 8)],
        "lemmas": [[t for t, v in zip("abcde", r) if v == "1"] for r in rows]})
    x = segment_term_table(segments, min_frequency=1)
    assert list(x.columns) == ["a", "b", "c", "d", "e"]
    assert x.sparse.to_dense().astype(int).to_numpy().tolist() == [
        [int(v) for v in r] for r in rows]
    classes = stat_corpus_classes(segments, x, k=2, min_split_members=2)
    assert classes.attrs["splits"][0]["chi2"] == pytest.approx(4.843137, abs=1e-6)
    apart = classes.loc[classes["class"] == classes.loc[2, "class"], "segment_id"].tolist()
    assert apart == [3, 6]
    assert_frame_equal(classes[["segment_id", "doc_id", "text"]],
                       segments[["segment_id", "doc_id", "text"]])


def test_top_terms_only(stats):
    x = segment_term_table(stats.segments, min_frequency=1, max_terms=3)
    # community in 3 segments, then boat, rope, share in 2 (alphabetical: boat, rope)
    assert list(x.columns) == ["boat", "community", "rope"]
