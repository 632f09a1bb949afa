"""Reinert's classification against rainette's own test values, and on real interviews."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from interview_lens.analysis import _chd
from interview_lens.analysis.classes import stat_classes
from interview_lens.errors import InputError
from interview_lens.language.tokens import tokens_from
from interview_lens.reading.segment import read_interview

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"
SHARED = ROOT.parent / "shared" / "interviews"

# rainette's tests/testthat/test_rainette1.R matrix
RAINETTE = ["11100", "00110", "10000", "11110", "11111", "10000", "11100"]


def _matrix() -> sparse.csr_matrix:
    return sparse.csr_matrix(np.array([[int(c) for c in r] for r in RAINETTE]))


def _frame() -> pd.DataFrame:
    return pd.DataFrame(_matrix().toarray(), index=range(1, 8),
                        columns=[f"feat{j}" for j in range(1, 6)])


def test_first_split_cut_and_chi2_are_rainettes():
    # By hand: rows 3 and 6 are (1,0,0,0,0), so group 1's column sums are T1 = (2,0,0,0,0),
    # n1 = 2; the totals are T = (6,4,5,3,1), N = 19.  Q = Σ T1²/T = 4/6, and
    # χ² = (Q - n1²/N) N² / (n1 (N - n1)) = (0.666667 - 0.210526) * 361 / 34 = 4.843137.
    m = _matrix()
    order = np.argsort(_chd.first_axis(m), kind="stable")
    assert set(order[:2] + 1) == {3, 6}  # the two extreme rows of the CA axis
    cut, chi = _chd.best_cut(m, order)
    assert cut == 2
    assert chi == pytest.approx(4.843137, abs=1e-6)


def test_moves_from_a_wrong_start_reach_the_best_split():
    # rainette's switch_docs test: start from group 1 = rows {2, 5, 4, 1} (χ² 4.5 given);
    # moving one row at a time ends with rows 3 and 6 apart, χ² 4.843137.
    m = _matrix()
    in1 = np.zeros(7, dtype=bool)
    in1[[1, 4, 3, 0]] = True
    final, chi = _chd.switch_rows(m, in1, 4.5)
    assert set(np.flatnonzero(~final) + 1) == {3, 6}
    assert chi == pytest.approx(4.843137, abs=1e-6)


def test_term_selection_is_rainettes():
    # rainette's select_features test: groups {3,6} / rest keep no term / feat2..feat4;
    # groups {4,3,5,6,2} / {7,1} keep feat1, feat3, feat4 / none.
    m = _matrix()
    keep1, keep2 = _chd.keep_terms(m, np.isin(np.arange(1, 8), [3, 6]))
    assert not keep1.any() and list(np.flatnonzero(keep2) + 1) == [2, 3, 4]
    keep1, keep2 = _chd.keep_terms(m, np.isin(np.arange(1, 8), [4, 3, 5, 6, 2]))
    assert list(np.flatnonzero(keep1) + 1) == [1, 3, 4] and not keep2.any()


def test_stat_classes_on_the_rainette_matrix():
    # rainette(mini_dfm, k = 2, min_segment_size = 1, min_split_members = 3)$group
    out = stat_classes(_frame(), k=2, min_split_members=3)
    assert out["class"].tolist() == [2, 2, 1, 2, 2, 1, 2]
    assert out["segment_id"].tolist() == list(range(1, 8))
    assert out.attrs["n_classes"] == 2
    [split] = out.attrs["splits"]
    assert (split["node"], split["n_left"], split["n_right"]) == (0, 2, 5)
    assert split["chi2"] == pytest.approx(4.843137, abs=1e-6)


def test_small_classes_are_not_split():
    # 7 rows, min_split_members 8: nothing to split, one class
    out = stat_classes(_frame(), k=3, min_split_members=8)
    assert out["class"].tolist() == [1] * 7 and out.attrs["splits"] == []


def test_a_segment_without_terms_is_not_classified():
    frame = pd.concat([_frame(), pd.DataFrame([[0] * 5], index=[8], columns=_frame().columns)])
    out = stat_classes(frame, k=2, min_split_members=3)
    assert out["class"].tolist() == [2, 2, 1, 2, 2, 1, 2, 0]


def test_without_a_split_an_empty_segment_is_still_unclassified():
    frame = pd.concat([_frame(), pd.DataFrame([[0] * 5], index=[8], columns=_frame().columns)])
    out = stat_classes(frame, k=3, min_split_members=9)
    assert out["class"].tolist() == [1] * 7 + [0]


def test_sparse_frames_are_read_without_densifying():
    frame = pd.DataFrame.sparse.from_spmatrix(_matrix().astype(float))
    assert stat_classes(frame, k=2, min_split_members=3)["class"].tolist() == [2, 2, 1, 2, 2,
                                                                                1, 2]


def test_bad_input_says_what_is_wrong():
    with pytest.raises(InputError, match="non-negative"):
        stat_classes(_frame() * -1)
    tokens = pd.DataFrame(columns=["doc_id", "turn_id", "lemma", "start_char", "end_char"])
    with pytest.raises(InputError, match="needs texts="):
        stat_classes(tokens)


@pytest.fixture(scope="module")
def sample():
    interview = read_interview(SAMPLE)
    return interview, tokens_from(interview)


def test_sample_classes_are_deterministic_and_traceable(sample):
    interview, tokens = sample
    one = stat_classes(tokens, texts=interview, k=5)
    two = stat_classes(tokens, texts=interview, k=5)
    pd.testing.assert_frame_equal(one, two)
    assert one.attrs["splits"] == two.attrs["splits"]
    assert list(one.columns) == ["segment_id", "doc_id", "qa_id", "turn_id", "speaker",
                                 "start_char", "end_char", "text", "class"]
    assert one.attrs["n_classes"] == 5 and one.attrs["doc_id"] == "gt-kurbalija-2025-fr"
    assert set(one["class"]) <= set(range(6))
    for row in one.itertuples(index=False):
        assert interview.text[row.start_char:row.end_char] == row.text
    # the splits partition the classified segments: the root's two sides add up
    root = one.attrs["splits"][0]
    assert root["n_left"] + root["n_right"] == int((one["class"] > 0).sum())


def test_units_of_min_segment_size_stay_within_a_turn():
    from interview_lens.analysis.classes import _merge_units

    # segments' terms {a} {b} {c,d} {e} in turn 1, {f} in turn 2; min_segment_size 2:
    # {a}+{b} make a unit of 2; {c,d} is one; {e} is short at the end of its turn and joins
    # the unit before it; {f} is alone in its turn and stays short rather than cross.
    m = sparse.csr_matrix(np.array([[1, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0], [0, 0, 1, 1, 0, 0],
                                    [0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 1]]))
    units = _merge_units(m, np.array([1, 1, 1, 1, 2]), 2)
    assert units.tolist() == [0, 0, 2, 2, 4]
    assert _merge_units(m, np.array([1, 1, 1, 1, 2]), 0).tolist() == [0, 1, 2, 3, 4]


def test_min_segment_size_on_the_sample_keeps_every_segment(sample):
    interview, tokens = sample
    out = stat_classes(tokens, texts=interview, k=4, min_segment_size=8)
    assert len(out) == 32 and out.attrs["n_classes"] == 4


def _real(pattern: str):
    if not SHARED.is_dir():
        pytest.skip("no ../shared/interviews here")
    files = sorted(SHARED.glob(pattern))
    if not files:
        pytest.skip(f"no {pattern} in ../shared/interviews")
    return files[0]


@pytest.mark.parametrize("pattern", ["01_fr_*.txt", "08_en_*.txt"])
def test_real_interviews_classify_deterministically(pattern):
    interview = read_interview(_real(pattern))
    tokens = tokens_from(interview)
    one = stat_classes(tokens, texts=interview)
    two = stat_classes(tokens, texts=interview)
    pd.testing.assert_frame_equal(one, two)
    assert one.attrs["n_classes"] == 10
    turns = interview.turns.set_index("turn_id")
    assert (one["start_char"].to_numpy() >= turns.loc[one["turn_id"], "start_char"].to_numpy()
            ).all()
    assert (one["end_char"].to_numpy() <= turns.loc[one["turn_id"], "end_char"].to_numpy()).all()


# --------------------------------------------------------------------------- double (rainette2)
def test_yates_chi2_is_rs_chisq_test():
    from scipy.stats import chi2_contingency

    from interview_lens.analysis._double import _yates_signed

    # (n_both, n1, n2, N): the 2 x 2 table [[n_both, n1 - n_both], [n2 - n_both, rest]];
    # R's chisq.test (and scipy with correction=True) subtract min(0.5, |O - E|) from |O - E|.
    for n_both, n1, n2, n in [(20, 30, 25, 100), (3, 30, 25, 100), (12, 40, 30, 90)]:
        table = [[n_both, n1 - n_both], [n2 - n_both, n - n1 - n2 + n_both]]
        expected = chi2_contingency(table, correction=True)[0]
        sign = 1 if n_both > n1 * n2 / n else -1
        got = _yates_signed(*(np.array([v]) for v in (n_both, n1, n2)), n)[0]
        assert got == pytest.approx(sign * expected)


def test_best_partition_by_chi2_and_by_size():
    from interview_lens.analysis._double import best_partition

    # crossings {0,1,2} χ² 5, {3,4} χ² 4, {2,3} χ² 10, {5} χ² 1.  Disjoint pairs: g0+g1
    # (χ² 9, 5 segments), g0+g3 (6, 4), g1+g3 (5, 3), g2+g3 (11, 3); the only disjoint triple
    # is g0+g1+g3 (χ² 10, 6 segments).
    rows = [[0, 1, 2], [3, 4], [2, 3], [5]]
    groups = [{"rows": np.array(r), "n_both": len(r), "chi2": c, "node1": i, "node2": i}
              for i, (r, c) in enumerate(zip(rows, [5.0, 4.0, 10.0, 1.0]))]
    classes, chosen = best_partition(groups, 7, k=2, criterion="chi2")
    assert classes.tolist() == [0, 0, 1, 1, 0, 2, 0] and len(chosen) == 2
    classes, _ = best_partition(groups, 7, k=2, criterion="n")
    assert classes.tolist() == [1, 1, 1, 2, 2, 0, 0]
    classes, _ = best_partition(groups, 7, k=3)
    assert classes.tolist() == [1, 1, 1, 2, 2, 3, 0]
    classes, _ = best_partition(groups, 7, k=9)  # no 4 disjoint ones: the best triple
    assert classes.tolist() == [1, 1, 1, 2, 2, 3, 0]


def test_double_classification_leaves_disagreements_unclassified():
    interview = read_interview(_real("08_en_*.txt"))
    tokens = tokens_from(interview)
    one = stat_classes(tokens, texts=interview, k=5, double=(5, 8), min_members=3)
    two = stat_classes(tokens, texts=interview, k=5, double=(5, 8), min_members=3)
    pd.testing.assert_frame_equal(one, two)
    info = one.attrs["double"]
    assert one.attrs["n_classes"] == 5 == len(info["classes"])
    # every classified segment is in exactly one crossing, counted in its n_both
    counts = one["class"].value_counts()
    assert [counts[c["class"]] for c in info["classes"]] == [c["n_both"] for c in
                                                              info["classes"]]
    assert all(c["chi2"] > 3.84 and c["n_both"] > 3 for c in info["classes"])
    assert (one["class"] == 0).sum() > (stat_classes(tokens, texts=interview, k=5)["class"]
                                        == 0).sum()


def test_a_corpus_of_two_interviews_is_classified_together():
    from interview_lens.analysis.class_profiles import stat_class_crosstab
    from interview_lens.language.tokens import tokens_from_many

    files = [_real("01_fr_*.txt"), _real("02_fr_*.txt")]
    interviews = [read_interview(f) for f in files]
    tokens = tokens_from_many(interviews)
    out = stat_classes(tokens, texts=interviews, k=4)
    assert list(dict.fromkeys(out["doc_id"])) == [iv.doc_id for iv in interviews]
    assert out["segment_id"].is_unique and out.attrs["doc_id"] == ""
    texts = {iv.doc_id: iv.text for iv in interviews}
    assert all(texts[d][a:b] == t for d, a, b, t in
               zip(out["doc_id"], out["start_char"], out["end_char"], out["text"]))
    by_doc = stat_class_crosstab(out, "doc_id")
    assert by_doc["n"].sum() == int((out["class"] > 0).sum())
    assert by_doc.attrs["dof"] == 3  # (4 classes - 1) x (2 documents - 1)


def test_first_axis_is_the_ca_first_axis_whichever_solver(monkeypatch):
    from interview_lens.analysis.ca import stat_ca

    # the splitting engine's axis (eigenvector of S^T S) is stat_ca's (SVD of S) up to sign
    exact = _chd.first_axis(_matrix())
    ca = stat_ca(pd.DataFrame(_matrix().toarray())).rows["dim1"].to_numpy()
    np.testing.assert_allclose(np.abs(exact), np.abs(ca), atol=1e-10)
    assert np.allclose(exact, ca, atol=1e-10) or np.allclose(exact, -ca, atol=1e-10)
    # ARPACK from its fixed start (used above 500 terms) gives the same axis
    monkeypatch.setattr(_chd, "DENSE_MAX_TERMS", 0)
    np.testing.assert_allclose(_chd.first_axis(_matrix()), exact, atol=1e-8)
