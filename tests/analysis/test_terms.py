"""Term tables on a small invented token table (tests/fixtures/terms/token_table.py).

Fixture "jardins", content lemmas per sentence (stopwords dropped):
  s1 lede (qa 0)          jardin quartier ouvrir                       4 tokens
  s2 QA1 interviewer      jardin partager                              4 tokens
  s3 QA1 interviewee      jardin partager créer lien                   6 tokens
  s4 QA1 interviewee      jardin nourrir quartier                      5 tokens
  s5 QA2 interviewer      budget                                       3 tokens
  s6 QA2 interviewee      budget jardin partager rester modeste        7 tokens
  s7 QA2 interviewee      budget modeste lien fort                     5 tokens
34 word tokens, 22 content tokens; theme "jardins" = QA1 (15 tokens), "budget" = QA2 (15 tokens).
"""
from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from interview_lens.analysis.terms import (
    log_likelihood,
    log_ratio,
    stat_frequency,
    stat_keyness,
    stat_lexical_profile,
    stat_ngrams,
)
from interview_lens.errors import InputError

_spec = importlib.util.spec_from_file_location(
    "terms_token_table", Path(__file__).parents[1] / "fixtures" / "terms" / "token_table.py")
token_table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(token_table)
make_tokens = token_table.make_tokens


@pytest.fixture
def toks():
    return token_table.jardins()


# --- keyness statistics: the worked example -------------------------------------------------

def test_log_likelihood_worked_example():
    # a=10 (target), b=5 (reference), c=1000 (target size), d=2000 (reference size)
    # E1 = c(a+b)/(c+d) = 1000*15/3000 = 5 ;  E2 = d(a+b)/(c+d) = 2000*15/3000 = 10
    # G2 = 2*(10 ln(10/5) + 5 ln(5/10)) = 2*(10 ln2 - 5 ln2) = 10 ln2 = 6.931472
    assert log_likelihood(10, 5, 1000, 2000) == pytest.approx(6.931472, abs=1e-6)
    # log ratio = log2((10/1000)/(5/2000)) = log2(0.01/0.0025) = log2(4) = 2
    assert log_ratio(10, 5, 1000, 2000) == pytest.approx(2.0)
    # chi-square 1 df: P(X > x) = erfc(sqrt(x/2)) = erfc(sqrt(3.465736)) = 0.008469
    from scipy.stats import chi2
    assert chi2.sf(log_likelihood(10, 5, 1000, 2000), 1) == pytest.approx(0.008469, abs=1e-6)


def test_log_likelihood_zero_cell_and_vectorised():
    # a=0: 0 ln 0 = 0, G2 = 2*b ln(b/E2); b=3, c=15, d=19: E2 = 19*3/34, G2 = 6 ln(34/19)
    got = log_likelihood(np.array([0, 3]), np.array([3, 0]), 15, 19)
    assert got == pytest.approx([6 * math.log(34 / 19), 6 * math.log(34 / 15)])
    # zero correction: a=0 -> 0.5: log2((0.5/15)/(3/19)) = log2(19/90) = -2.243926
    assert log_ratio(0, 3, 15, 19) == pytest.approx(-2.243926, abs=1e-6)


# --- frequencies -----------------------------------------------------------------------------

def test_frequency_whole_document(toks):
    before = toks.copy()
    got = stat_frequency(toks)
    # rate = count / 34 tokens * 1000; n_qa: quartier is in the lede (qa 0) and QA1 only -> 1
    expected = pd.DataFrame({
        "lemma": ["jardin", "budget", "partager", "lien", "modeste", "quartier", "créer", "fort",
                  "nourrir", "ouvrir", "rester"],
        "count": [5, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1],
        "rate_per_1000": [5000 / 34, 3000 / 34, 3000 / 34, 2000 / 34, 2000 / 34, 2000 / 34,
                          1000 / 34, 1000 / 34, 1000 / 34, 1000 / 34, 1000 / 34],
        "n_qa": [2, 1, 2, 2, 1, 1, 1, 1, 1, 0, 1],
    })
    assert_frame_equal(got, expected)
    assert got.loc[0, "rate_per_1000"] == pytest.approx(147.058824)
    assert_frame_equal(toks, before)  # input untouched


def test_frequency_by_theme_top_n(toks):
    got = stat_frequency(toks, by="theme", top_n=3)
    # each theme has 15 tokens: 3 -> 200, 2 -> 133.33, 1 -> 66.67 per 1,000; ties alphabetical
    expected = pd.DataFrame({
        "theme": ["jardins"] * 3 + ["budget"] * 3,
        "lemma": ["jardin", "partager", "créer", "budget", "modeste", "fort"],
        "count": [3, 2, 1, 3, 2, 1],
        "rate_per_1000": [200.0, 2000 / 15, 1000 / 15, 200.0, 2000 / 15, 1000 / 15],
        "n_qa": [1, 1, 1, 1, 1, 1],
    })
    assert_frame_equal(got, expected)


def test_frequency_by_role_uses_all_tokens_of_the_group(toks):
    got = stat_frequency(toks, by="role", min_count=2)
    # interviewer: s2+s5 = 7 tokens, no lemma twice; interviewee: s3+s4+s6+s7 = 23 tokens:
    # jardin 3 (s3 s4 s6), budget 2, lien 2, modeste 2, partager 2 -> count/23*1000
    assert list(got["role"]) == ["interviewee"] * 5
    assert list(got["lemma"]) == ["jardin", "budget", "lien", "modeste", "partager"]
    assert got["rate_per_1000"].tolist() == pytest.approx([3000 / 23] + [2000 / 23] * 4)


def test_frequency_with_stopwords(toks):
    got = stat_frequency(toks, content_only=False, top_n=2)
    # "le": s3, s4 twice, s5, s6 -> 5, ties with jardin (5): alphabetical
    assert got[["lemma", "count"]].values.tolist() == [["jardin", 5], ["le", 5]]


def test_frequency_by_theme_needs_themes(toks):
    with pytest.raises(InputError, match="label_themes"):
        stat_frequency(toks.assign(theme=""), by="theme")
    with pytest.raises(ValueError):
        stat_frequency(toks, by="paragraph")


def test_a_document_without_groups_has_no_group_rows(toks):
    # narration only: no Q/A pair, no turn, so no theme, role or speaker; not an error
    narration = toks.assign(theme="", qa_id=0, turn_id=0, role="", speaker="")
    for by in ("theme", "role", "speaker", "qa_id"):
        assert stat_frequency(narration, by=by).empty
        assert stat_keyness(narration, by=by).empty
    assert list(stat_keyness(narration, by="theme").columns)[0] == "theme"


def test_frequency_empty_table(toks):
    got = stat_frequency(toks.iloc[:0])
    assert list(got.columns) == ["lemma", "count", "rate_per_1000", "n_qa"] and got.empty


# --- n-grams ---------------------------------------------------------------------------------

def test_bigrams_scores_by_hand(toks):
    got = stat_ngrams(toks, n=2, min_count=2)
    # only "jardin partager" occurs twice or more (s2, s3, s6: 3 times)
    # pmi = log2(n_ii*N/(n_ix*n_xi)) = log2(3*22/(5*3)) = log2(4.4) = 2.137504
    # llr: contingency n_ii=3, n_io=5-3=2, n_oi=3-3=0, n_oo=22-5=17; expected
    # 3*5/22=0.681818, 2: 5*19/22=4.318182, 17: 17*19/22=14.681818
    # G = 2*(3 ln(3/0.681818) + 2 ln(2/4.318182) + 17 ln(17/14.681818)) = 10.795396
    expected = pd.DataFrame({"ngram": ["jardin partager"], "w1": ["jardin"], "w2": ["partager"],
                             "count": [3], "llr": [10.795396], "pmi": [2.137504]})
    assert_frame_equal(got, expected, atol=1e-6)


def test_bigrams_stay_inside_sentences_and_skip_stopwords(toks):
    got = stat_ngrams(toks, n=2, min_count=1)
    grams = set(got["ngram"])
    assert len(got) == 13  # 2+0+1+3+2+0+4+3 bigrams per sentence (s1..s7: 2,1,3,2,0,4,3)
    assert "ouvrir jardin" not in grams  # s1 -> s2 boundary
    assert "budget budget" not in grams  # s5 -> s6 boundary
    assert "budget jardin" in grams  # "budget du jardin": the stopword is skipped
    assert got.loc[0, "ngram"] == "jardin partager"


def test_trigrams(toks):
    got = stat_ngrams(toks, n=3, min_count=1)
    # s1 1, s2 0, s3 2, s4 1, s5 0, s6 3, s7 2 trigrams
    assert len(got) == 9 and set(got["count"]) == {1}
    assert list(got.columns) == ["ngram", "w1", "w2", "w3", "count", "llr", "pmi"]
    row = got.set_index("ngram").loc["jardin partager créer"]
    # pmi = log2(n_iii * N^2 / (n_jardin * n_partager * n_créer)) = log2(1 * 22^2 / (5*3*1))
    #     = log2(32.266667) = 5 + log2(1.008333) = 5.011973
    assert row["pmi"] == pytest.approx(5.011973, abs=1e-6)
    assert stat_ngrams(toks, n=3, min_count=2).empty


def test_ngram_multiword_term_is_one_slot():
    toks = make_tokens([(1, 1, "interviewee", "A", "t",
                         ["_l’ IA/IA open~source aide", "IA/IA open~source _et code",
                          "IA/IA open~source"])])
    got = stat_ngrams(toks, n=2, min_count=2)
    assert got[["w1", "w2", "count"]].values.tolist() == [["IA", "open source", 3]]


def test_ngrams_bad_n(toks):
    with pytest.raises(ValueError):
        stat_ngrams(toks, n=4)


# --- keyness ---------------------------------------------------------------------------------

def test_keyness_by_theme(toks):
    got = stat_keyness(toks, by="theme", min_count=2)
    # lemmas with >= 2 occurrences: jardin 5, budget 3, partager 3, lien 2, modeste 2, quartier 2
    # target = the theme's 15 tokens, reference = the other 19 (other theme + 4-token lede).
    # jardins/jardin: a=3 b=2: E1=15*5/34=2.205882 E2=19*5/34=2.794118
    #   G2 = 2*(3 ln(3/2.205882) + 2 ln(2/2.794118)) = 0.507431
    #   LR = log2((3/15)/(2/19)) = 0.925999
    # jardins/budget: a=0 b=3: G2 = 2*3 ln(3/(19*3/34)) = 3.491529
    #   LR = log2((.5/15)/(3/19)) = -2.243926
    # budget/budget: a=3 b=0: G2 = 6 ln(34/15) = 4.909862 ; LR = log2((3/15)/(.5/19)) = 2.925999
    # p = erfc(sqrt(G2/2)), e.g. erfc(sqrt(4.909862/2)) = 0.026704
    expected = pd.DataFrame({
        "theme": ["jardins"] * 6 + ["budget"] * 6,
        "lemma": ["budget", "modeste", "partager", "jardin", "lien", "quartier",
                  "budget", "modeste", "quartier", "jardin", "partager", "lien"],
        "count_target": [0, 0, 2, 3, 1, 1, 3, 2, 0, 1, 1, 1],
        "count_reference": [3, 2, 1, 2, 1, 1, 0, 0, 2, 4, 2, 1],
        "g2": [3.491529, 2.327686, 0.617999, 0.507431, 0.027875, 0.027875,
               4.909862, 3.273241, 2.327686, 1.287969, 0.145222, 0.027875],
        "p_value": [0.061684, 0.127091, 0.431792, 0.476253, 0.867403, 0.867403,
                    0.026704, 0.070418, 0.127091, 0.256423, 0.703144, 0.867403],
        "log_ratio": [-2.243926, -1.658963, 1.341037, 0.925999, 0.341037, 0.341037,
                      2.925999, 2.341037, -1.658963, -1.658963, -0.658963, 0.341037],
        "direction": ["-", "-", "+", "+", "+", "+", "+", "+", "-", "-", "-", "+"],
    })
    assert_frame_equal(got, expected, atol=1e-6)


def test_keyness_top_n_and_min_count(toks):
    got = stat_keyness(toks, by="theme", min_count=3, top_n=2)
    # lemmas >= 3: jardin, budget, partager; top 2 per theme by G2
    assert got[["theme", "lemma"]].values.tolist() == [
        ["jardins", "budget"], ["jardins", "partager"], ["budget", "budget"], ["budget", "jardin"]]


def test_keyness_by_qa_id_has_int_groups(toks):
    got = stat_keyness(toks, by="qa_id")
    assert got["qa_id"].dtype == "int64" and list(pd.unique(got["qa_id"])) == [1, 2]
    # QA1 is the "jardins" theme: same numbers as by theme
    by_theme = stat_keyness(toks, by="theme")
    assert got["g2"].tolist() == pytest.approx(by_theme["g2"].tolist())


def test_keyness_single_group_without_reference_has_no_rows():
    toks = make_tokens([(1, 1, "interviewee", "A", "t", ["a b a b"])])
    assert stat_keyness(toks, by="theme").empty


# --- lexical profile -------------------------------------------------------------------------

def test_lexical_profile(toks):
    got = stat_lexical_profile(toks)
    # QA1: s2+s3+s4 = 15 tokens, content 2+4+3 = 9, types jardin partager créer lien nourrir
    #      quartier = 6, ttr 6/9; question s2 = 4, answer 11; share 15/30 (lede excluded)
    # QA2: s5+s6+s7 = 15 tokens, content 1+5+4 = 10, types budget jardin partager rester
    #      modeste lien fort = 7, ttr 0.7; question 3, answer 12
    expected = pd.DataFrame({
        "qa_id": [1, 2], "theme": ["jardins", "budget"], "tokens": [15, 15],
        "content_tokens": [9, 10], "types": [6, 7], "ttr": [6 / 9, 0.7], "share": [0.5, 0.5],
        "question_tokens": [4, 3], "answer_tokens": [11, 12],
    })
    assert_frame_equal(got, expected)


# --- the sample interview --------------------------------------------------------------------
# Counts below were checked in the raw text with grep (see each comment); denominators (word
# tokens) come from the token layer and are read from the table.

@pytest.fixture(scope="module")
def sample():
    from interview_lens.analysis.themes import label_themes
    from interview_lens.language.tokens import tokens_from
    from interview_lens.reading.segment import read_interview

    root = Path(__file__).resolve().parents[2]
    interview = read_interview(root / "data" / "interviews" / "gt-kurbalija-2025-fr.txt")
    toks = tokens_from(interview)
    qa = label_themes(interview, toks)
    return toks.assign(theme=toks["qa_id"].map(dict(zip(qa["qa_id"], qa["theme"]))).fillna(""))


def test_sample_frequency(sample):
    freq = stat_frequency(sample).set_index("lemma")
    # grep -o 'IA\b' -> 27, in all 5 answers; grep -oi cyberespace -> 11: lede 3, QA1 4, QA2 2,
    # QA3 1, QA5 1 -> n_qa 4; grep -o 'open source' -> 8, one lemma (multi-word term)
    assert freq.loc["IA", ["count", "n_qa"]].tolist() == [27, 5]
    assert freq.loc["cyberespace", ["count", "n_qa"]].tolist() == [11, 4]
    assert freq.loc["open source", "count"] == 8
    assert freq.index[0] == "IA"
    assert freq.loc["IA", "rate_per_1000"] == pytest.approx(27 / len(sample) * 1000)
    assert "de" not in freq.index and "Kurbalija" not in freq.index  # stopwords, speaker names


def test_sample_frequency_by_theme(sample):
    freq = stat_frequency(sample, by="theme", top_n=1)
    # "inclusion": 4 times, all in QA3 (awk per pair) -> the top lemma of QA3's theme
    theme3 = sample.loc[sample["qa_id"] == 3, "theme"].iloc[0]
    assert freq.set_index("theme").loc[theme3, "lemma"] == "inclusion"
    assert len(freq) == 5


def test_sample_ngrams(sample):
    grams = stat_ngrams(sample, n=2).set_index("ngram")
    # grep -o 'IA open source' -> 4; "partagé(s) dans le cyberespace" -> 4 (stopwords skipped)
    assert grams.loc["IA open source", "count"] == 4
    assert grams.loc["partager cyberespace", "count"] == 4
    # pmi = log2(4 * N / (f(IA) * f(open source))) = log2(4 * N / (27 * 8)), N = content tokens
    n = int((~sample["is_stop"]).sum())
    assert grams.loc["IA open source", "pmi"] == pytest.approx(math.log2(4 * n / 216))


def test_sample_keyness(sample):
    key = stat_keyness(sample, by="qa_id")
    row = key.loc[(key["qa_id"] == 3) & (key["lemma"] == "inclusion")].iloc[0]
    # a=4, b=0 -> E1 = c*4/N, G2 = 2*4*ln(4/E1) = 8 ln(N/c); c = tokens of QA3, N = all tokens
    c, n = int((sample["qa_id"] == 3).sum()), len(sample)
    assert (row["count_target"], row["count_reference"], row["direction"]) == (4, 0, "+")
    assert row["g2"] == pytest.approx(8 * math.log(n / c))
    assert row["log_ratio"] == pytest.approx(math.log2((4 / c) / (0.5 / (n - c))))
    assert key.loc[key["qa_id"] == 3].iloc[0]["lemma"] == "inclusion"  # the strongest in QA3


def test_sample_lexical_profile(sample):
    prof = stat_lexical_profile(sample)
    assert prof["qa_id"].tolist() == [1, 2, 3, 4, 5]
    assert prof["share"].sum() == pytest.approx(1.0)
    assert (prof["question_tokens"] + prof["answer_tokens"] == prof["tokens"]).all()
    assert prof["tokens"].sum() == int((sample["qa_id"] > 0).sum())
    assert prof["ttr"].tolist() == pytest.approx((prof["types"] / prof["content_tokens"]).tolist())
    # QA5 is by far the longest pair (its answer runs over three paragraphs)
    assert prof["tokens"].idxmax() == 4
