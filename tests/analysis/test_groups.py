"""Group comparisons on invented collections whose numbers are worked out by hand."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from interview_lens.analysis.groups import (
    chi_square,
    keyness_counts,
    poisson_interval,
    stat_class_variables,
    stat_group_rates,
)
from interview_lens.analysis.terms import stat_keyness  # the one public keyness; target= here
from interview_lens.errors import InputError, InterviewWarning

# Five tiny documents.  A leading "_" marks a stopword (it counts in the corpus size only).
#   a (NGO)        interviewee: commun commun partage _le _la    interviewer: question partage
#   b (NGO)        interviewee: commun partage _le
#   c (government) interviewee: état état loi commun _le _la _les _de
#   d (no sector)  interviewee: commun commun commun               -> in no group
#   e (press)      interviewee: loi loi _le
DOCS = [("a", "NGO", "commun commun partage _le _la", "question partage"),
        ("b", "NGO", "commun partage _le", ""),
        ("c", "government", "état état loi commun _le _la _les _de", ""),
        ("d", None, "commun commun commun", ""),
        ("e", "press", "loi loi _le", "")]


def _tokens() -> pd.DataFrame:
    rows = []
    for doc_id, sector, answer, question in DOCS:
        for role, words in (("interviewer", question), ("interviewee", answer)):
            for w in words.split():
                rows.append({"doc_id": doc_id, "qa_id": 1, "role": role,
                             "lemma": w.lstrip("_"), "is_stop": w.startswith("_"),
                             "sector": sector})
    tokens = pd.DataFrame(rows)
    tokens["sector"] = tokens["sector"].astype("string")
    tokens.attrs["language"] = "fr"
    return tokens


def _p(chi2_1df: float) -> float:
    # upper tail of chi-square with 1 df: P(|Z| > sqrt(x)) = erfc(sqrt(x / 2))
    return math.erfc(math.sqrt(chi2_1df / 2))


def test_keyness_of_ngo_against_government_by_hand():
    key = stat_keyness(_tokens(), by="sector", target="NGO", reference="government",
                       min_count=1)
    # target = a + b interviewee words: 5 + 3 = 8 (c), reference = c: 8 (d), N = 16.
    # Yates chi2 = N * max(|a(d-b) - b(c-a)| - N/2, 0)^2 / (c d (a+b) (N-a-b)):
    #   partage a=2 b=0: |2*8 - 0| = 16 -> 8;   16*64 / (8*8*2*14) = 4/7
    #   commun  a=3 b=1: |3*7 - 1*5| = 16 -> 8; 16*64 / (8*8*4*12) = 1/3
    #   loi     a=0 b=1: |0 - 1*8| = 8 -> 0;    0
    #   état    a=0 b=2: |0 - 2*8| = 16 -> 8;   4/7, relatively more in the reference
    # log ratio log2((a/c)/(b/d)), zeros -> 0.5: partage log2(2/0.5)=2, commun log2(3)
    expected = pd.DataFrame({
        "lemma": ["partage", "commun", "loi", "état"],
        "n_target": [2, 3, 0, 0],
        "n_reference": [0, 1, 1, 2],
        "statistic": [4 / 7, 1 / 3, 0.0, 4 / 7],
        "p": [_p(4 / 7), _p(1 / 3), 1.0, _p(4 / 7)],
        "log_ratio": [2.0, math.log2(3), -1.0, -2.0],
        "sign": ["+", "+", "-", "-"],
        # documents using the lemma: partage a, b; commun a, b (target), c (reference)
        "docs_target": [2, 2, 0, 0],
        "docs_reference": [0, 1, 1, 1],
    })
    pd.testing.assert_frame_equal(key, expected, check_dtype=False)
    assert key.attrs["target_documents"] == ["a", "b"]
    assert key.attrs["reference_documents"] == ["c"]
    assert key.attrs["language"] == "fr"


def test_g2_measure_by_hand():
    key = stat_keyness(_tokens(), by="sector", target="NGO", reference="government",
                       measure="g2", min_count=2)
    # G2 = 2 (a ln(a/E1) + b ln(b/E2)), E1 = c(a+b)/N: commun E1 = E2 = 2:
    #   2 (3 ln 1.5 + ln 0.5); partage E1 = 1: 2 (2 ln 2) = 4 ln 2; loi (1 in all) is dropped
    got = key.set_index("lemma")["statistic"]
    assert got["commun"] == pytest.approx(2 * (3 * math.log(1.5) + math.log(0.5)), abs=1e-12)
    assert got["partage"] == pytest.approx(4 * math.log(2), abs=1e-12)
    assert got["état"] == pytest.approx(4 * math.log(2), abs=1e-12)
    assert "loi" not in got.index


def test_reference_none_is_every_other_document_with_a_value():
    key = stat_keyness(_tokens(), by="sector", target="NGO", min_count=1)
    # c and e (not d, whose sector is unknown): loi 1 + 2 = 3, commun 1 (d's three are out)
    assert key.attrs["reference_documents"] == ["c", "e"]
    counts = key.set_index("lemma")[["n_target", "n_reference"]]
    assert counts.loc["loi"].tolist() == [0, 3]
    assert counts.loc["commun"].tolist() == [3, 1]
    # commun: c = 8, d = 8 + 3 = 11, N = 19: |3*10 - 1*5| = 25 -> 25 - 9.5 = 15.5;
    # 19 * 15.5^2 / (8 * 11 * 4 * 15) = 4564.75 / 5280
    assert key.set_index("lemma").loc["commun", "statistic"] == pytest.approx(4564.75 / 5280)


def test_top_n_keeps_the_strongest_of_each_side():
    key = stat_keyness(_tokens(), by="sector", target="NGO", reference="government",
                       min_count=1, top_n=1)
    # of partage (+, 4/7), commun (+, 1/3), loi (-, 0), état (-, 4/7): one of each sign
    assert key["lemma"].tolist() == ["partage", "état"]


def test_role_none_counts_the_interviewer_too():
    key = stat_keyness(_tokens(), by="sector", target="NGO", reference="government",
                       role=None, min_count=1)
    # a's interviewer adds "question partage": partage 3 in a target of 10 words
    assert key.set_index("lemma").loc["partage", "n_target"] == 3
    assert key.set_index("lemma").loc["question", "n_target"] == 1


def test_chi_square_agrees_with_scipy_on_a_table():
    from scipy.stats import chi2_contingency

    for a, b, c, d in [(3, 1, 8, 8), (10, 2, 100, 300), (0, 5, 50, 60), (1, 1, 9, 9)]:
        table = [[a, c - a], [b, d - b]]
        assert chi_square(a, b, c, d) == pytest.approx(chi2_contingency(table)[0])
        assert chi_square(a, b, c, d, yates=False) == pytest.approx(
            chi2_contingency(table, correction=False)[0])


def test_keyness_counts_is_the_general_function():
    out = keyness_counts(pd.Series({"x": 3}), pd.Series({"x": 1, "y": 2}), 8.0, 8.0,
                         measure="g2", min_count=2)
    assert out["lemma"].tolist() == ["x", "y"]
    with pytest.raises(ValueError, match="measure must be"):
        keyness_counts(pd.Series(dtype=int), pd.Series(dtype=int), 1.0, 1.0, measure="pmi")


def test_an_empty_group_is_an_empty_table_with_a_message():
    with pytest.warns(InterviewWarning) as caught:
        key = stat_keyness(_tokens(), by="sector", target="ONG")
    message = ("the target group (sector = 'ONG') has no interviewee words; values of "
               "sector: NGO, government, press")
    assert str(caught[0].message) == message and key.attrs["message"] == message
    assert key.empty and key.columns.tolist() == ["lemma", "n_target", "n_reference",
                                                  "statistic", "p", "log_ratio", "sign",
                                                  "docs_target", "docs_reference"]
    with pytest.warns(InterviewWarning, match=r"the reference group \(sector = 'academia'\)"):
        assert stat_keyness(_tokens(), by="sector", target="NGO", reference="academia").empty


def test_groups_mixing_languages_are_refused():
    tokens = _tokens()
    tokens.attrs["languages"] = {"a": "fr", "b": "en", "c": "fr", "d": "fr", "e": "fr"}
    tokens.attrs["language"] = None
    with pytest.raises(InputError) as info:
        stat_keyness(tokens, by="sector", target="NGO", reference="government")
    assert str(info.value) == (
        "the groups mix languages (en: b; fr: a, c); lemmas of different languages are not "
        "comparable: compare one language at a time (select the tokens of one language first)")


def _upper(k: int, level: float = 0.95) -> float:
    # exact Poisson upper limit: the mean mu with P(X <= k; mu) = (1 - level) / 2, by bisection
    def cdf(mu):
        return sum(math.exp(-mu) * mu ** i / math.factorial(i) for i in range(k + 1))
    lo, hi = 0.0, 100.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cdf(mid) > (1 - level) / 2 else (lo, mid)
    return lo


def _lower(k: int, level: float = 0.95) -> float:
    # the mean mu with P(X >= k; mu) = (1 - level) / 2; 0 for k = 0
    if k == 0:
        return 0.0
    def tail(mu):
        return 1 - sum(math.exp(-mu) * mu ** i / math.factorial(i) for i in range(k))
    lo, hi = 0.0, 100.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if tail(mid) < (1 - level) / 2 else (lo, mid)
    return lo


def test_poisson_interval_by_hand():
    low, high = poisson_interval([0, 1, 2])
    # k = 0: e^-mu = 0.025 -> mu = ln 40; k = 1 lower: 1 - e^-mu = 0.025 -> -ln 0.975
    assert high[0] == pytest.approx(math.log(40), abs=1e-9) and low[0] == 0
    assert low[1] == pytest.approx(-math.log(0.975), abs=1e-9)
    for k in (1, 2):
        assert high[k] == pytest.approx(_upper(k), abs=1e-9)
        assert low[k] == pytest.approx(_lower(k), abs=1e-9)


def _hits() -> pd.DataFrame:
    rows = [("a", "cooperation", "interviewee"), ("a", "sharing", "interviewer"),
            ("b", "sharing", "interviewee"), ("c", "cooperation", "interviewee"),
            ("c", "cooperation", "interviewee"), ("d", "cooperation", "interviewee")]
    hits = pd.DataFrame(rows, columns=["doc_id", "concept", "role"])
    hits.attrs["concepts"] = ["sharing", "cooperation", "community"]
    return hits


def test_group_rates_and_intervals_by_hand():
    rates = stat_group_rates(_hits(), _tokens(), by="sector")
    # NGO: 8 interviewee words (a 5 + b 3), 2 documents; cooperation 1 (a), sharing 1 (b; a's
    # is the interviewer's); government: 8 words, cooperation 2; press: 3 words, no hit;
    # d has no sector.  Rate = 1000 * hits / words; interval = Poisson limits * 1000 / words.
    assert rates.columns.tolist() == ["sector", "concept", "hits", "words", "documents",
                                      "rate_per_1000", "ci_low", "ci_high"]
    assert rates["sector"].tolist() == ["NGO", "NGO", "government", "government", "press",
                                        "press"]
    assert rates["concept"].tolist() == ["sharing", "cooperation"] * 3  # dictionary order
    assert rates["hits"].tolist() == [1, 1, 0, 2, 0, 0]
    assert rates["words"].tolist() == [8, 8, 8, 8, 3, 3]
    assert rates["documents"].tolist() == [2, 2, 1, 1, 1, 1]
    assert rates["rate_per_1000"].tolist() == pytest.approx([125, 125, 0, 250, 0, 0])
    k = rates["hits"].tolist()
    w = rates["words"].tolist()
    assert rates["ci_low"].tolist() == pytest.approx(
        [_lower(n) * 1000 / s for n, s in zip(k, w)], abs=1e-6)
    assert rates["ci_high"].tolist() == pytest.approx(
        [_upper(n) * 1000 / s for n, s in zip(k, w)], abs=1e-6)
    # e.g. NGO cooperation: 1 hit in 8 words -> 125 per 1,000, 95 % CI 3.16 to 696.5
    assert rates["ci_low"][1] == pytest.approx(-math.log(0.975) * 125, abs=1e-9)


def test_class_crosstab_by_hand():
    classes = pd.DataFrame({"doc_id": ["a", "a", "a", "b", "c", "c", "d"],
                            "class": [1, 1, 2, 1, 2, 2, 1]})
    variables = pd.DataFrame({"doc_id": ["a", "b", "c", "d"],
                              "sector": ["NGO", "NGO", "government", None]})
    out = stat_class_variables(classes, variables, by="sector")
    # class 1: NGO 3, government 0; class 2: NGO 1, government 2; N = 6 (d: no sector).
    # expected = row * column / N: 3*2/6 = 1 (gov), 3*4/6 = 2 (NGO) in both rows;
    # residual (n - e)/sqrt(e); chi2 = 1 + 0.5 + 0.5 + 1 = 3; adjusted residual
    # (n - e)/sqrt(e (1 - 3/6)(1 - col/6)): 1/sqrt(2 * .5 * 1/3) = sqrt(3), -1/sqrt(1/3)
    r2, r3 = math.sqrt(2), math.sqrt(3)
    expected = pd.DataFrame({
        "class": [1, 1, 2, 2],
        "sector": ["NGO", "government", "NGO", "government"],
        "n": [3, 0, 1, 2],
        "expected": [2.0, 1.0, 2.0, 1.0],
        "residual": [1 / r2, -1.0, -1 / r2, 1.0],
        "adjusted_residual": [r3, -r3, -r3, r3],
    })
    pd.testing.assert_frame_equal(out, expected, check_dtype=False)
    assert out.attrs["chi2"] == pytest.approx(3.0)
    assert out.attrs["dof"] == 1 and out.attrs["n"] == 6 and out.attrs["missing"] == ["d"]
    assert out.attrs["p"] == pytest.approx(_p(3.0))


def test_class_crosstab_with_one_modality_is_empty():
    classes = pd.DataFrame({"doc_id": ["a", "b"], "class": [1, 2]})
    variables = pd.DataFrame({"doc_id": ["a", "b"], "sector": ["NGO", "NGO"]})
    out = stat_class_variables(classes, variables, by="sector")
    assert out.empty and np.isnan(out.attrs["chi2"])


@pytest.fixture(scope="module")
def sample():
    from pathlib import Path

    from interview_lens.language.tokens import tokens_from
    from interview_lens.reading.segment import read_interview

    path = Path(__file__).resolve().parents[2] / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"
    interview = read_interview(path)
    return interview, tokens_from(interview)


def test_sample_halves_agree_with_the_single_document_keyness(sample):
    from interview_lens.analysis.terms import stat_keyness as document_keyness

    _, tokens = sample
    # the lede and Q/A pairs 1-2 are half "A", pairs 3-5 half "B"; terms.stat_keyness by a
    # theme column holding the same halves is the same comparison (every token in a group),
    # so G2, counts and log ratios must be equal, lemma by lemma
    half = np.where(tokens["qa_id"] <= 2, "A", "B")
    ours = stat_keyness(tokens.assign(half=half), by="half", target="A", measure="g2",
                        role=None)
    theirs = document_keyness(tokens.assign(theme=half), by="theme")
    theirs = theirs.loc[theirs["theme"] == "A"].set_index("lemma")
    assert sorted(ours["lemma"]) == sorted(theirs.index) and len(theirs) == 86
    ours = ours.set_index("lemma").loc[theirs.index]
    assert ours["n_target"].tolist() == theirs["count_target"].tolist()
    assert ours["n_reference"].tolist() == theirs["count_reference"].tolist()
    assert ours["statistic"].to_numpy() == pytest.approx(theirs["g2"].to_numpy(), abs=1e-12)
    assert ours["log_ratio"].to_numpy() == pytest.approx(theirs["log_ratio"].to_numpy())
    assert (ours["sign"] == theirs["direction"]).all()


def test_sample_rates_agree_with_the_collection_rates(sample):
    from interview_lens.analysis.concepts import code_concepts
    from interview_lens.analysis.dictionary import load_dictionary
    from interview_lens.analysis.documents import stat_concept_rates

    interview, tokens = sample
    dictionary = load_dictionary()
    hits = code_concepts(tokens, dictionary)
    ours = stat_group_rates(hits, tokens.assign(study="gt"), by="study", role=None)
    theirs = stat_concept_rates({interview.doc_id: ({"language": "fr"}, tokens)}, dictionary)
    theirs = theirs.set_index("concept").loc[ours["concept"]]
    assert ours["hits"].tolist() == theirs["hits"].tolist()
    assert ours["rate_per_1000"].to_numpy() == pytest.approx(
        theirs["rate_per_1000"].to_numpy())
    assert (ours["words"] == len(tokens)).all()


def test_one_public_keyness_hands_a_target_to_the_group_comparison():
    from interview_lens.analysis.groups import group_keyness

    public = stat_keyness(_tokens(), by="sector", target="NGO", reference="government")
    direct = group_keyness(_tokens(), by="sector", target="NGO", reference="government")
    pd.testing.assert_frame_equal(public, direct)
    assert public.attrs["measure"] == "chi2" and public.attrs["role"] == "interviewee"
    with pytest.raises(ValueError, match="pass target="):
        stat_keyness(_tokens(), by="theme", reference="government")
