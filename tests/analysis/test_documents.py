"""compare.plot_concept_rates: the documents x concepts figure of notebook 05."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402

from interview_lens.figures.documents import plot_concept_rates  # noqa: E402
from interview_lens.figures.style import figure_data  # noqa: E402


def _rates(docs):
    # invented: 'a' has 3 hits of sharing and 1 of community in 200 tokens -> 15.0 and 5.0
    rows = {"a": [("sharing", 3, 200), ("community", 1, 200)],
            "b": [("sharing", 0, 100), ("community", 2, 100)]}
    out = [(d, c, h, t, 1000 * h / t) for d in docs for c, h, t in rows[d]]
    return pd.DataFrame(out, columns=["doc_id", "concept", "hits", "tokens", "rate_per_1000"])


def test_one_document_is_a_labelled_strip_without_colour_bar():
    rates = _rates(["a"])
    fig = plot_concept_rates(rates, labels={"sharing": "sharing", "community": "community"})
    assert len(fig.axes) == 1  # values are written in the cells: no colour bar
    ax = fig.axes[0]
    assert ax.get_title() == ("Concept rates (hits per 1,000 words) per document\n"
                              "1 processed document")
    # columns sorted by total rate: sharing 15.0 before community 5.0
    assert [t.get_text() for t in ax.get_xticklabels()] == ["sharing", "community"]
    assert [t.get_text() for t in ax.texts] == ["15.0", "5.0"]
    assert figure_data(fig) is rates


def test_several_documents_are_counted_in_the_title():
    fig = plot_concept_rates(_rates(["a", "b"]))
    ax = fig.axes[0]
    assert ax.get_title().endswith("\n2 processed documents")
    # sharing 15.0 + 0.0 = 15.0; community 5.0 + 20.0 = 25.0: community first
    assert [t.get_text() for t in ax.get_xticklabels()] == ["community", "sharing"]
    assert [t.get_text() for t in ax.texts] == ["5.0", "15.0", "20.0", "0.0"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]


# --- document keyness and concept rates over a collection -------------------------------------

import importlib.util  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from interview_lens.analysis.dictionary import load_dictionary
from interview_lens.analysis.documents import stat_concept_rates, stat_document_keyness  # noqa: E402

_FIXTURES = Path(__file__).parents[1] / "fixtures" / "concepts"
_spec = importlib.util.spec_from_file_location("compare_token_table", _FIXTURES / "token_table.py")
_token_table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_token_table)


def _words(counts: dict[str, int], stops: int) -> pd.DataFrame:
    """A token table of ``counts`` content lemmas and ``stops`` stopwords (only what keyness reads)."""
    lemmas = [lemma for lemma, n in counts.items() for _ in range(n)] + ["the"] * stops
    return pd.DataFrame({"lemma": lemmas, "is_stop": [False] * (len(lemmas) - stops) + [True] * stops})


@pytest.fixture
def three():
    # a: 10 word tokens (data 3, trust 1); b: 10 (data 1, trust 3, code 2); c: 20 (data 1,
    # trust 1, code 2); d: French, alone in its language
    return {
        "a": ({"language": "en"}, _words({"data": 3, "trust": 1}, 6)),
        "b": ({"language": "en"}, _words({"data": 1, "trust": 3, "code": 2}, 4)),
        "c": ({"language": "en"}, _words({"data": 1, "trust": 1, "code": 2}, 16)),
        "d": ({"language": "fr"}, _words({"données": 2}, 3)),
    }


def test_document_keyness_against_the_other_documents_of_its_language(three):
    key = stat_document_keyness(three, "a", min_count=2)
    # target a: c = 10 tokens; reference b + c: d = 30 tokens; E1 = c(a+b)/40, E2 = d(a+b)/40
    # data  a=3 b=2: E1 = 1.25, E2 = 3.75; G² = 2(3 ln(3/1.25) + 2 ln(2/3.75))
    #       = 2(3 × 0.8754687 + 2 × -0.6286087) = 2.738378; log2((3/10)/(2/30)) = log2 4.5 = 2.169925
    # code  a=0 b=4: E2 = 3; G² = 2(4 ln(4/3)) = 8 × 0.287682 = 2.301457;
    #       log2((0.5/10)/(4/30)) = log2 0.375 = -1.415037 (zero replaced by 0.5)
    # trust a=1 b=4: G² = 2(ln(1/1.25) + 4 ln(4/3.75)) = 2(-0.223144 + 0.258154) = 0.070022;
    #       log2((1/10)/(4/30)) = log2 0.75 = -0.415037
    assert key["lemma"].tolist() == ["data", "code", "trust"]
    assert key["doc_id"].tolist() == ["a"] * 3
    assert key["count_target"].tolist() == [3, 0, 1]
    assert key["count_reference"].tolist() == [2, 4, 4]
    assert key["g2"].tolist() == pytest.approx([2.738378, 2.301457, 0.070022], abs=1e-6)
    assert key["log_ratio"].tolist() == pytest.approx([2.169925, -1.415037, -0.415037], abs=1e-6)
    assert key["direction"].tolist() == ["+", "-", "-"]
    # chi-square (1 df) tail of 2.738378: 0.0980
    assert key["p_value"].iloc[0] == pytest.approx(0.0980, abs=1e-4)
    assert key.attrs["reference"] == ["b", "c"]


def test_document_keyness_min_count_counts_target_and_reference(three):
    # data 3 + 2 = 5, trust 1 + 4 = 5, code 0 + 4 = 4: min_count 5 drops code only
    key = stat_document_keyness(three, "a", min_count=5)
    assert key["lemma"].tolist() == ["data", "trust"]


def test_a_document_alone_in_its_language_has_no_keyness(three):
    key = stat_document_keyness(three, "d")
    assert key.empty and key.attrs["reference"] == []
    assert list(key.columns) == ["doc_id", "lemma", "count_target", "count_reference", "g2",
                                 "p_value", "log_ratio", "direction"]


def _interview_tokens(doc_id: str, sentence: str) -> pd.DataFrame:
    tokens, _ = _token_table.make_tokens([(1, 1, "interviewee", "X", "", [sentence])], doc_id)
    return tokens


def test_concept_rates_leave_out_a_language_without_patterns():
    mini = load_dictionary(_FIXTURES / "mini.yaml")
    docs = {
        # 4 tokens, 1 community hit -> 250 per 1,000; 5 tokens, 2 sharing hits -> 400
        "en1": ({"language": "en"}, _interview_tokens("en1", "the community _is here")),
        "fr1": ({"language": "fr"}, _interview_tokens("fr1", "partager _et partage _la joie")),
        "xx1": ({"language": "xx"}, _interview_tokens("xx1", "community")),
        "de1": ({"language": "de"}, _interview_tokens("de1", "Gemeinschaft")),
    }
    rates = stat_concept_rates(docs, mini)
    assert rates.attrs["not_coded"] == {"xx1": "xx", "de1": "de"}
    assert rates[["doc_id", "concept", "hits", "tokens"]].values.tolist() == [
        ["en1", "community", 1, 4], ["en1", "sharing", 0, 4],
        ["fr1", "community", 0, 5], ["fr1", "sharing", 2, 5]]
    assert rates["rate_per_1000"].tolist() == [250.0, 0.0, 0.0, 400.0]


def test_concept_rates_with_no_hit_anywhere_are_empty():
    mini = load_dictionary(_FIXTURES / "mini.yaml")
    docs = {"en1": ({"language": "en"}, _interview_tokens("en1", "bread _and soup"))}
    rates = stat_concept_rates(docs, mini)
    assert rates.empty and rates.attrs["not_coded"] == {}


def test_collection_variables_travel_into_the_documents_and_token_tables():
    from interview_lens.analysis.documents import (
        collection_tokens,
        collection_variables,
        stat_documents,
    )

    docs = {
        "a": ({"language": "en", "variables": {"sector": "NGO", "year": 2024}},
              _words({"data": 1}, 1).assign(doc_id="a", qa_id=1, role="interviewee")),
        "b": ({"language": "en", "variables": {"sector": "government", "language": "en"}},
              _words({"code": 2}, 0).assign(doc_id="b", qa_id=1, role="interviewee")),
        "c": ({"language": "fr"}, _words({"données": 1}, 0).assign(doc_id="c", qa_id=1,
                                                                 role="interviewer")),
    }
    variables = collection_variables(docs)
    assert variables["doc_id"].tolist() == ["a", "b", "c"]
    assert variables["sector"].tolist()[:2] == ["NGO", "government"]
    assert variables["sector"].isna().tolist() == [False, False, True]
    assert variables["year"].dtype == "Int64" and variables["year"].isna().tolist() == [
        False, True, True]
    documents = stat_documents(docs)
    # the variable "language" would clash with the table's own column: it comes as var_language
    assert list(documents.columns)[-3:] == ["sector", "year", "var_language"]
    assert documents["tokens"].tolist() == [2, 2, 1]
    tokens = collection_tokens(docs)
    assert tokens["sector"].astype(object).where(tokens["sector"].notna(), None).tolist() == [
        "NGO", "NGO", "government", "government", None]
    assert tokens["language"].tolist() == ["en", "en", "en", "en", "fr"]
