"""Class profiles: IRaMuTeQ's signed χ² worked by hand, representative segments, crosstabs."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from interview_lens.analysis.class_profiles import (
    class_term_table,
    stat_class_crosstab,
    stat_class_profiles,
    stat_class_segments,
    top_terms,
)
from interview_lens.analysis.classes import stat_classes
from interview_lens.language.tokens import tokens_from
from interview_lens.reading.segment import read_interview

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"

# eight segments, class 1 = 1-4, class 2 = 5-8; term a in 1, 2, 3, 5; term b in 4-8; one
# unclassified segment (9) holding both, which must not count.
PRESENCE = pd.DataFrame({"a": [1, 1, 1, 0, 1, 0, 0, 0, 1], "b": [0, 0, 0, 1, 1, 1, 1, 1, 1]},
                        index=range(1, 10))
CLASSES = pd.DataFrame({"segment_id": range(1, 10), "class": [1, 1, 1, 1, 2, 2, 2, 2, 0],
                        "speaker": ["A", "A", "A", "B", "A", "B", "B", "B", "A"]})


def test_signed_chi2_worked_by_hand():
    # term a, class 1: in class with a = 3, in class without = 1, outside with = 1, outside
    # without = 3, N = 8: χ² = N (ad - bc)² / ((a+b)(c+d)(a+c)(b+d)) = 8 (9 - 1)² / 4⁴ = 2.0,
    # over-represented (3 > 4 * 4 / 8 = 2): +2.0, p = P(χ²₁ > 2) = 0.157299.
    # term b, class 1: a = 1, b = 3, c = 4, d = 0: 8 (0 - 12)² / (4 * 4 * 5 * 3) = 4.8,
    # under-represented (1 < 2.5): -4.8; for class 2, +4.8, p = 0.028460.
    prof = stat_class_profiles(CLASSES, PRESENCE)
    expected = pd.DataFrame({
        "class": [1, 1, 2, 2], "term": ["a", "b", "b", "a"], "n_class": [3, 1, 4, 1],
        "n_total": [4, 5, 5, 4], "pct": [75.0, 20.0, 80.0, 25.0],
        "chi2": [2.0, -4.8, 4.8, -2.0], "p": [0.157299, 0.028460, 0.028460, 0.157299]})
    pd.testing.assert_frame_equal(prof, expected, check_exact=False, atol=1e-6,
                                  check_dtype=False)
    assert top_terms(prof) == {2: ["b"]}  # a's p 0.157 > 0.05
    # the CA's terms x classes table: a in 3 + 1 segments, b in 1 + 4
    table = class_term_table(prof)
    assert table.to_dict() == {1: {"a": 3, "b": 1}, 2: {"a": 1, "b": 4}}
    assert class_term_table(prof, min_segments=5).index.tolist() == ["b"]


def test_representative_segments_sum_their_terms_chi2():
    # class 2's characteristic term is b (χ² 4.8): segments 5-8 all hold it, score 4.8 each,
    # ties kept in document order; class 1 has no characteristic term (a: p 0.157).
    seg = stat_class_segments(CLASSES, PRESENCE, n=2)
    assert seg[["class", "rank", "segment_id", "words"]].values.tolist() == [
        [2, 1, 5, "b"], [2, 2, 6, "b"]]
    assert seg["score"].tolist() == pytest.approx([4.8, 4.8])


def test_crosstab_by_speaker_worked_by_hand():
    # class 1: A A A B, class 2: A B B B (segment 9 is unclassified): n(1, A) = 3,
    # expected 4 * 4 / 8 = 2, Pearson residual (3 - 2) / √2 = 0.707107, signed χ² of the
    # 2 x 2 class-vs-rest x A-vs-rest table = 8 (9 - 1)² / 4⁴ = 2.0; total χ² = 4 * 0.5 = 2.0.
    tab = stat_class_crosstab(CLASSES, "speaker")
    assert tab[["class", "speaker", "n"]].values.tolist() == [[1, "A", 3], [1, "B", 1],
                                                              [2, "A", 1], [2, "B", 3]]
    assert tab["expected"].tolist() == pytest.approx([2.0] * 4)
    assert tab["residual"].tolist() == pytest.approx([0.707107, -0.707107, -0.707107,
                                                      0.707107], abs=1e-6)
    assert tab["chi2"].tolist() == pytest.approx([2.0, -2.0, -2.0, 2.0])
    assert tab.attrs["chi2"] == pytest.approx(2.0) and tab.attrs["dof"] == 1
    relabelled = stat_class_crosstab(CLASSES, "speaker", labels={"A": "asks", "B": "answers"})
    assert set(relabelled["speaker"]) == {"asks", "answers"}


def test_sample_profiles_name_the_words_of_each_class():
    interview = read_interview(SAMPLE)
    tokens = tokens_from(interview)
    classes = stat_classes(tokens, texts=interview, k=5)
    prof = stat_class_profiles(classes, tokens)
    assert set(prof["class"]) == {1, 2, 3, 4, 5}
    # the counts are those of the segments' texts: n_total is the classified segments
    # holding the lemma
    classified = classes[classes["class"] > 0]
    ia = prof[(prof["term"] == "IA")].iloc[0]
    assert ia["n_total"] == sum("IA" in t for t in classified["text"])
    assert (prof["n_class"] <= prof["n_total"]).all()
    seg = stat_class_segments(classes, tokens, n=1)
    for row in seg.itertuples(index=False):
        for word in row.words.split(", "):
            assert word.lower()[:4] in row.text.lower()  # lemma stems appear in the text
    qa = stat_class_crosstab(classes, "qa_id")
    assert qa["n"].sum() == len(classified)
