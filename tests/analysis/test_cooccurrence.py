"""Co-occurrence measures (src/interview_lens/analysis/cooccurrence.py), checked by hand.

The invented interview of tests/fixtures/concepts/token_table.py (FOUR) coded with
tests/fixtures/concepts/mini.yaml gives, per sentence (C cooperation, M community, S sharing,
O open_source, A ai):

    s1 -  (lede, no concept: still a unit)   s5 A
    s2 S                                     s6 M O
    s3 C M S                                 s7 C M O
    s4 S

so N = 7, n_C = 2, n_M = 3, n_S = 3, n_O = 2, n_A = 1.
"""
from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2, fisher_exact

from interview_lens.analysis.concepts import code_concepts
from interview_lens.analysis.cooccurrence import (
    PAIR_COLUMNS,
    cooccurrence_matrix,
    stat_cooccurrence,
)
from interview_lens.analysis.dictionary import load_dictionary
from interview_lens.analysis.units import unit_matrix

HERE = Path(__file__).parents[1]
FIXTURES = HERE / "fixtures" / "concepts"
SAMPLE = HERE.parent / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"
_spec = importlib.util.spec_from_file_location("concepts_token_table",
                                               FIXTURES / "token_table.py")
token_table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(token_table)


@pytest.fixture(scope="module")
def coded():
    tokens, _ = token_table.four()
    return code_concepts(tokens, load_dictionary(FIXTURES / "mini.yaml")), tokens


def _row(pairs, a, b):
    row = pairs[(pairs["concept_a"] == a) & (pairs["concept_b"] == b)]
    assert len(row) == 1
    return row.iloc[0]


def test_pair_table_shape_and_order(coded):
    hits, tokens = coded
    pairs = stat_cooccurrence(hits, tokens, unit="sentence")
    assert list(pairs.columns) == PAIR_COLUMNS
    assert len(pairs) == 10  # 5 concepts -> 5*4/2 pairs
    assert (pairs["concept_a"] < pairs["concept_b"]).all()
    assert pairs[["concept_a", "concept_b"]].values.tolist()[:3] == [
        ["ai", "community"], ["ai", "cooperation"], ["ai", "open_source"]]
    assert (pairs["n_units"] == 7).all()  # s1 has no concept and still counts
    assert pairs.attrs["unit"] == "sentence" and pairs.attrs["n_units"] == 7


def test_every_measure_by_hand_community_cooperation(coded):
    hits, tokens = coded
    r = _row(stat_cooccurrence(hits, tokens, unit="sentence"), "community", "cooperation")
    # together in s3 and s7: n_ab = 2, n_a = 3 (community), n_b = 2 (cooperation), N = 7
    assert (r.n_ab, r.n_a, r.n_b, r.n_units) == (2, 3, 2, 7)
    assert r.expected_ab == pytest.approx(6 / 7)  # 3*2/7
    assert r.jaccard == pytest.approx(2 / 3)  # 2 / (3 + 2 - 2)
    assert r.dice == pytest.approx(0.8)  # 2*2 / (3 + 2)
    assert r.pmi == pytest.approx(math.log2(7 / 3))  # log2(2*7 / (3*2)) = 1.222392
    assert r.pmi == pytest.approx(1.222392, abs=1e-6)
    # npmi = pmi / -log2(2/7) = 1.222392 / 1.807355
    assert r.npmi == pytest.approx(0.676343, abs=1e-6)
    # 2x2 table O = [2, 1, 0, 4], E = [6/7, 15/7, 8/7, 20/7]
    # G2 = 2 [2 ln(7/3) + 1 ln(7/15) + 0 + 4 ln(7/5)]
    #    = 2 [1.694596 - 0.762140 + 1.345888] = 4.556689
    assert r.g2 == pytest.approx(4.556689, abs=1e-6)
    assert r.p_value == pytest.approx(chi2.sf(r.g2, 1), rel=1e-12)
    assert r.p_value == pytest.approx(0.032790, abs=1e-6)
    # expected cells < 5 -> Fisher (greater): P(X >= 2) = C(3,2) C(4,0) / C(7,2) = 3/21
    assert r.fisher_p == pytest.approx(1 / 7)
    assert r.fisher_p == pytest.approx(
        fisher_exact([[2, 1], [0, 4]], alternative="greater").pvalue)


def test_every_measure_by_hand_cooperation_sharing(coded):
    hits, tokens = coded
    r = _row(stat_cooccurrence(hits, tokens, unit="sentence"), "cooperation", "sharing")
    # together in s3 only: n_ab = 1, n_a = 2, n_b = 3
    assert (r.n_ab, r.n_a, r.n_b) == (1, 2, 3)
    assert r.jaccard == pytest.approx(0.25)  # 1 / (2 + 3 - 1)
    assert r.dice == pytest.approx(0.4)  # 2 / 5
    assert r.pmi == pytest.approx(math.log2(7 / 6))  # 0.222392
    assert r.npmi == pytest.approx(math.log2(7 / 6) / math.log2(7))  # 0.079218
    # O = [1, 1, 2, 3], E = [6/7, 8/7, 15/7, 20/7]
    # G2 = 2 [ln(7/6) + ln(7/8) + 2 ln(14/15) + 3 ln(21/20)] = 0.058008
    g2 = 2 * (math.log(7 / 6) + math.log(7 / 8) + 2 * math.log(14 / 15) + 3 * math.log(21 / 20))
    assert r.g2 == pytest.approx(g2) and r.g2 == pytest.approx(0.058008, abs=1e-6)
    # Fisher: P(X >= 1) = 1 - C(3,0)C(4,2)/C(7,2) = 1 - 6/21 = 15/21
    assert r.fisher_p == pytest.approx(15 / 21)


def test_never_together_edge_case(coded):
    hits, tokens = coded
    r = _row(stat_cooccurrence(hits, tokens, unit="sentence"), "ai", "sharing")
    # n_ab = 0: Jaccard = Dice = 0, PMI = -inf, NPMI = -1 by definition
    assert (r.n_ab, r.n_a, r.n_b) == (0, 1, 3)
    assert r.jaccard == 0 and r.dice == 0
    assert r.pmi == -np.inf and r.npmi == -1
    # O = [0, 1, 3, 3], E = [3/7, 4/7, 18/7, 24/7]
    # G2 = 2 [ln(7/4) + 3 ln(7/6) + 3 ln(7/8)] = 1.242947 (two-sided: avoidance counts too)
    assert r.g2 == pytest.approx(2 * (math.log(7 / 4) + 3 * math.log(7 / 6)
                                      + 3 * math.log(7 / 8)))
    assert r.fisher_p == 1.0  # P(X >= 0)


def test_together_in_every_unit_edge_case(coded):
    hits, tokens = coded
    r = _row(stat_cooccurrence(hits, tokens, unit="qa"), "community", "cooperation")
    # both Q/A pairs hold both concepts: n_ab = n_a = n_b = N = 2; p(ab) = 1 -> NPMI = 1
    assert (r.n_ab, r.n_a, r.n_b, r.n_units) == (2, 2, 2, 2)
    assert r.pmi == 0 and r.npmi == 1 and r.jaccard == 1 and r.g2 == 0


def test_units_change_the_counts(coded):
    hits, tokens = coded
    n_units = {u: int(stat_cooccurrence(hits, tokens, unit=u)["n_units"].iloc[0])
               for u in ("sentence", "paragraph", "turn", "qa")}
    assert n_units == {"sentence": 7, "paragraph": 5, "turn": 4, "qa": 2}
    w = _row(stat_cooccurrence(hits, tokens, unit="window", window=1), "community",
             "cooperation")
    # see test_concepts.test_unit_matrix_window: 8 and 6 windows, 4 together, N = 40 tokens
    assert (w.n_ab, w.n_a, w.n_b, w.n_units) == (4, 8, 6, 40)
    assert w.pmi == pytest.approx(math.log2(4 * 40 / 48))


def test_min_n_ab_and_concepts(coded):
    hits, tokens = coded
    pairs = stat_cooccurrence(hits, tokens, unit="sentence", min_n_ab=2)
    assert pairs[["concept_a", "concept_b"]].values.tolist() == [
        ["community", "cooperation"], ["community", "open_source"]]
    only = stat_cooccurrence(hits, tokens, unit="sentence", concepts=["sharing", "ai", "china"])
    # an absent concept can be asked for: its measures are undefined (NaN), not zero
    assert len(only) == 3
    r = _row(only, "ai", "china")
    assert r.n_b == 0 and np.isnan(r.npmi) and np.isnan(r.g2)


def test_fisher_only_where_expected_counts_are_small():
    # 40 sentences: A in 20, B in 20, together in 15 -> every expected cell is 10: no Fisher
    tokens, _ = token_table.make_tokens(
        [(1, 1, "interviewee", "x", "", ["communauté partage"] * 15 + ["communauté"] * 5
          + ["partage"] * 5 + ["rien"] * 15)])
    hits = code_concepts(tokens, load_dictionary(FIXTURES / "mini.yaml"))
    r = stat_cooccurrence(hits, tokens, unit="sentence").iloc[0]
    assert (r.n_ab, r.n_a, r.n_b, r.n_units, r.expected_ab) == (15, 20, 20, 40, 10)
    assert np.isnan(r.fisher_p)
    # O = [15, 5, 5, 15], E = 10 each: G2 = 2 [2*15 ln 1.5 + 2*5 ln 0.5] = 10.464962
    assert r.g2 == pytest.approx(2 * (30 * math.log(1.5) + 10 * math.log(0.5)))


def test_cooccurrence_matrix(coded):
    hits, tokens = coded
    pairs = stat_cooccurrence(hits, tokens, unit="sentence")
    m = cooccurrence_matrix(pairs, "n_ab")
    # dictionary order; diagonal = sentences voicing each concept
    assert list(m.index) == ["cooperation", "community", "sharing", "open_source", "ai"]
    assert np.diag(m.to_numpy()).tolist() == [2, 3, 3, 2, 1]
    assert m.loc["community", "cooperation"] == m.loc["cooperation", "community"] == 2
    npmi = cooccurrence_matrix(pairs)
    assert np.isnan(npmi.loc["sharing", "sharing"])
    assert npmi.loc["ai", "sharing"] == -1
    with pytest.raises(ValueError, match="measure"):
        cooccurrence_matrix(pairs, "cosine")


# --------------------------------------------------------------------------- properties
@st.composite
def unit_tables(draw):
    """A random token table: n sentences of 1-4 words drawn from a small concept vocabulary."""
    words = ["communauté", "partage", "coopération", "IA", "rien", "open~source"]
    n = draw(st.integers(1, 25))
    sentences = [" ".join(draw(st.lists(st.sampled_from(words), min_size=1, max_size=4)))
                 for _ in range(n)]
    tokens, _ = token_table.make_tokens([(1, 1, "interviewee", "x", "", sentences)])
    return tokens


@settings(max_examples=60, deadline=None)
@given(unit_tables())
def test_properties_of_the_measures(tokens):
    hits = code_concepts(tokens, load_dictionary(FIXTURES / "mini.yaml"))
    pairs = stat_cooccurrence(hits, tokens, unit="sentence")
    x, _, concepts = unit_matrix(hits, tokens, unit="sentence")
    dense = x.toarray()
    m = cooccurrence_matrix(pairs, "n_ab").loc[list(concepts), list(concepts)]
    assert (m.to_numpy() == m.to_numpy().T).all()  # symmetric
    # diagonal = number of units containing the concept; off-diagonal = brute force
    assert np.diag(m.to_numpy()).tolist() == dense.sum(axis=0).tolist()
    assert (m.to_numpy() == dense.T @ dense).all()
    for col in ("jaccard", "dice"):
        assert pairs[col].between(0, 1).all()
    assert pairs["npmi"].between(-1, 1).all()
    assert (pairs["g2"] >= 0).all() and pairs["p_value"].between(0, 1).all()
    assert pairs["fisher_p"].dropna().between(0, 1).all()


# --------------------------------------------------------------------------- the sample
def test_sample_qa_community_sharing_and_inclusion():
    from interview_lens.language.tokens import tokens_from
    from interview_lens.reading.segment import read_interview

    tokens = tokens_from(read_interview(SAMPLE))
    hits = code_concepts(tokens, load_dictionary())
    pairs = stat_cooccurrence(hits, tokens, unit="qa")
    r = _row(pairs, "community", "sharing")
    # community in Q/A 1, 2, 3, 5; sharing in 1, 2, 5 (the lede is no Q/A pair): together in
    # 1, 2 and 5 of the 5 pairs
    assert (r.n_ab, r.n_a, r.n_b, r.n_units) == (3, 4, 3, 5)
    assert r.npmi == pytest.approx(math.log2(5 / 4) / math.log2(5 / 3))
    inclusion = pairs[(pairs["concept_a"] == "inclusion") | (pairs["concept_b"] == "inclusion")]
    assert (inclusion["n_a"].where(inclusion["concept_a"] == "inclusion",
                                   inclusion["n_b"]) == 1).all()  # inclusion: pair 3 only


def test_cli_concepts_json(capsys):
    from interview_lens.cli import main

    assert main(["concepts", str(SAMPLE), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["totals"]["community"] == 10
    assert out["totals"]["sharing"] == 9
    assert out["totals"]["open_source"] == 8
    pair = [p for p in out["pairs"] if (p["concept_a"], p["concept_b"]) == ("community",
                                                                             "sharing")]
    assert pair[0]["n_ab"] == 3 and pair[0]["n_units"] == 5


def test_cli_concepts_table_and_bad_dictionary(capsys, tmp_path):
    from interview_lens.cli import main

    assert main(["concepts", str(SAMPLE), "--unit", "sentence"]) == 0
    out = capsys.readouterr().out
    assert "Co-occurrence by sentence" in out and "community" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("concepts:\n  - id: x\n    labels: {en: x}\n    colour: '#000000'\n",
                   encoding="utf-8")
    assert main(["concepts", str(SAMPLE), "--dictionary", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.yaml" in err and "empty concept" in err


def test_npmi_is_exactly_one_when_always_together():
    # 5 sentences, both concepts in the same 2: pmi = log2(5/2) = -log2(2/5) -> npmi = 1; in
    # floating point the ratio is 1.0000000000000002, which must not leave [-1, 1]
    tokens, _ = token_table.make_tokens(
        [(1, 1, "interviewee", "x", "", ["communauté partage"] * 2 + ["rien"] * 3)])
    hits = code_concepts(tokens, load_dictionary(FIXTURES / "mini.yaml"))
    r = stat_cooccurrence(hits, tokens, unit="sentence").iloc[0]
    assert (r.n_ab, r.n_a, r.n_b, r.n_units) == (2, 2, 2, 5)
    assert r.npmi == 1.0 and r.jaccard == 1.0
