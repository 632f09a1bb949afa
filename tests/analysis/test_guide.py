"""Interview guide: reading, matching questions to guide items, the theme × respondent table,
and clustering Q/A pairs when there is no guide."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from interview_lens.analysis.guide import (
    cluster_qa,
    content_lemmas,
    match_guide,
    read_guide,
    stat_clusters,
    stat_guide_themes,
)
from interview_lens.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"

GUIDE = """\
language: en
questions:
  - theme: Cooperation
    question: How do you cooperate with other organisations?
    keywords: [partnership]
  - theme: Funding
    question: Where does your funding come from?
    keywords: [grant, donor]
  - theme: Future
    question: What do you expect for the future?
"""
# the same items, in another order
REORDERED = """\
- theme: Future
  question: What do you expect for the future?
- theme: Funding
  question: Where does your funding come from?
  keywords: [grant, donor]
- theme: Cooperation
  question: How do you cooperate with other organisations?
  keywords: [partnership]
"""

QA = pd.DataFrame([
    ("a", 1, "Where does the money come from? Grants, donors?", "Grants from two donors."),
    ("a", 2, "Do you cooperate with other organisations?", "We cooperate with three partners."),
    ("a", 3, "What is your favourite colour?", "Blue."),
    ("b", 1, "How do organisations cooperate here?", "They share work and share data."),
    ("b", 2, "And the future?", "A bright future."),
    ("c", 1, "Tell me about the future.", "Uncertain."),
    ("c", 2, "Who are your donors?", "Foundations fund us."),
], columns=["doc_id", "qa_id", "question", "answer"])


def _guide(tmp_path, text: str, name: str = "guide.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_guide(path)


def test_read_guide(tmp_path):
    guide = _guide(tmp_path, GUIDE)
    assert guide.columns.tolist() == ["guide_id", "theme", "question", "keywords"]
    assert guide["guide_id"].tolist() == [1, 2, 3]
    assert guide["theme"].tolist() == ["Cooperation", "Funding", "Future"]
    assert guide["keywords"].tolist() == [("partnership",), ("grant", "donor"), ()]
    assert guide.attrs["language"] == "en"
    assert _guide(tmp_path, REORDERED, "r.yaml").attrs["language"] is None


@pytest.mark.parametrize("text, problem", [
    ("", "a guide is a list of questions (questions: - theme: ... question: ...)"),
    ("questions: []\n", "a guide is a list of questions (questions: - theme: ... question: ...)"),
    ("questions:\n  - Funding\n", "question 1: must be a mapping with theme: and question:"),
    ("- theme: A\n  question: Why?\n- theme: B\n", "question 2: needs a question (text)"),
    ("- theme: ''\n  question: Why?\n", "question 1: needs a theme (text)"),
    ("- theme: A\n  question: Why?\n  keywords: {a: 1}\n",
     "question 1: keywords must be a list of words"),
    ("- theme: A\n  question: Why?\n  keyword: [a]\n", "question 1: unknown key(s) ['keyword']"),
    ("- theme: A\n  question: Why?\n- theme: A\n  question: How?\n",
     "question 2: theme 'A' already names question 1"),
    ("language: french\nquestions:\n  - theme: A\n    question: Why?\n",
     "language: must be a two-letter code such as fr"),
    ("title: x\nquestions: []\n",
     "unknown key(s) ['title']; a guide has questions: and an optional language:"),
    ("- theme: A\n  question: [unclosed\n", None),
])
def test_malformed_guides_are_one_error_line(tmp_path, text, problem):
    path = tmp_path / "guide.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        read_guide(path)
    line = str(info.value)
    assert "\n" not in line and line.startswith(f"{path}: ")
    if problem is not None:
        assert line == f"{path}: {problem}"


def test_content_lemmas():
    # stopwords, numbers and one-letter words out; plural -> lemma; French elision and
    # inverted pronouns split off as in the token layer
    assert content_lemmas("Where do the 3 donors come from?", "en") == ["donor"]
    assert content_lemmas("Comment pensez-vous que l'initiative apporte-t-elle ?", "fr") == [
        "penser", "initiative", "apporter"]


def test_match_guide_with_an_off_guide_question(tmp_path):
    matches = match_guide(QA, _guide(tmp_path, GUIDE))
    # content lemmas: a1 {money, grant, donor}: only Funding has grant/donor;
    # a2 {cooperate, organisation}, b1 {organisation, cooperate}: Cooperation;
    # a3 {favourite, colour}: no lemma in common with any item -> similarity 0, off-guide;
    # b2 {future}, c1 {tell, future}: Future; c2 {donor}: Funding
    assert matches["theme"].tolist() == ["Funding", "Cooperation", "", "Cooperation", "Future",
                                         "Future", "Funding"]
    assert matches["guide_id"].tolist() == [2, 1, 0, 1, 3, 3, 2]
    assert matches["on_guide"].tolist() == [True, True, False, True, True, True, True]
    assert matches.attrs["off_guide"] == [("a", 3)]
    assert matches.loc[2, "similarity"] == 0.0
    # b2's bag is {future} alone and Future's is {expect, future}: with n = 3 items + 7
    # questions = 10 bags, df(future) = 3 (Future, b2, c1), df(expect) = 1, smoothed
    # idf = ln(11 / (1 + df)) + 1; cosine = idf_future / sqrt(idf_expect^2 + idf_future^2)
    idf_future, idf_expect = math.log(11 / 4) + 1, math.log(11 / 2) + 1
    assert matches.loc[4, "similarity"] == pytest.approx(
        idf_future / math.hypot(idf_expect, idf_future), abs=1e-12)


def test_a_reordered_guide_gives_the_same_themes(tmp_path):
    first = match_guide(QA, _guide(tmp_path, GUIDE))
    second = match_guide(QA, _guide(tmp_path, REORDERED, "r.yaml"), language="en")
    assert second["theme"].tolist() == first["theme"].tolist()
    assert second["guide_id"].tolist() == [2, 3, 0, 3, 1, 1, 2]  # the new guide's numbers
    assert second.attrs["themes"] == [(1, "Future"), (2, "Funding"), (3, "Cooperation")]


def test_a_higher_threshold_sends_weak_matches_off_guide(tmp_path):
    guide = _guide(tmp_path, GUIDE)
    low = match_guide(QA, guide)
    cut = min(low.loc[low["on_guide"], "similarity"])
    high = match_guide(QA, guide, threshold=cut + 1e-9)
    assert (~high["on_guide"]).sum() == 2
    assert high.attrs["off_guide"][0] == ("a", 3)


def test_ties_follow_the_guide_order(tmp_path):
    guide = _guide(tmp_path, "- theme: Cooperation\n  question: cooperation partners\n"
                             "- theme: Funding\n  question: funding partners\n"
                             "- theme: Future\n  question: future plans\n", "t.yaml")
    qa = pd.DataFrame([("x", 1, "What about cooperation?", ""),
                       ("x", 2, "And partners?", ""),
                       ("y", 1, "Funding?", ""),
                       ("y", 2, "Partners?", "")],
                      columns=["doc_id", "qa_id", "question", "answer"])
    matches = match_guide(qa, guide, language="en")
    # "partners" is as close to Cooperation as to Funding (df(cooperation) = df(funding) = 2,
    # so both items' vectors have the same norm): the tie goes to the first tied item after
    # the document's last match: x: after Cooperation -> Funding; y: none after Funding ->
    # the first, Cooperation
    assert matches["theme"].tolist() == ["Cooperation", "Funding", "Funding", "Cooperation"]
    s = matches["similarity"].tolist()
    assert s[1] == s[3]
    # cosine of {partner} with {cooperation, partner}: idf_p / sqrt(idf_c^2 + idf_p^2),
    # n = 7 bags, df(partner) = 4, df(cooperation) = 2
    idf_p, idf_c = math.log(8 / 5) + 1, math.log(8 / 3) + 1
    assert s[1] == pytest.approx(idf_p / math.hypot(idf_c, idf_p), abs=1e-12)


def _tokens_and_hits():
    rows = []
    for r in QA.itertuples():
        for role, text in (("interviewer", r.question), ("interviewee", r.answer)):
            for w in text.split():
                rows.append({"doc_id": r.doc_id, "qa_id": r.qa_id, "role": role, "token": w})
    tokens = pd.DataFrame(rows)
    hits = pd.DataFrame([("a", 1, "interviewee", "funding"), ("a", 1, "interviewee", "funding"),
                         ("a", 2, "interviewee", "cooperation"),
                         ("a", 2, "interviewer", "cooperation"),
                         ("b", 1, "interviewee", "sharing"), ("b", 1, "interviewee", "sharing"),
                         ("b", 1, "interviewee", "cooperation")],
                        columns=["doc_id", "qa_id", "role", "concept"])
    return tokens, hits


def test_theme_by_respondent_table(tmp_path):
    matches = match_guide(QA, _guide(tmp_path, GUIDE))
    tokens, hits = _tokens_and_hits()
    table = stat_guide_themes(matches, tokens, hits)
    assert table.columns.tolist() == ["doc_id", "guide_id", "theme", "qa_ids", "answer",
                                      "words", "hits", "rate_per_1000", "concepts"]
    # 3 themes (guide order) x 3 respondents; words = whitespace words of the answers here
    assert table["theme"].tolist() == ["Cooperation"] * 3 + ["Funding"] * 3 + ["Future"] * 3
    assert table["doc_id"].tolist() == ["a", "b", "c"] * 3
    assert table["qa_ids"].tolist() == ["2", "1", "", "1", "", "2", "", "2", "1"]
    # a2 "We cooperate with three partners." 5 words, 1 interviewee hit (the interviewer's is
    # not counted): 1000 / 5 = 200; b1 "They share work and share data." 6 words, 3 hits: 500
    assert table["words"].tolist() == [5, 6, 0, 4, 0, 3, 0, 3, 1]
    assert table["hits"].tolist() == [1, 3, 0, 2, 0, 0, 0, 0, 0]
    assert table["rate_per_1000"].tolist() == pytest.approx([200, 500, 0, 500, 0, 0, 0, 0, 0])
    assert table.loc[1, "concepts"] == "sharing (2), cooperation (1)"
    assert table.loc[3, "answer"] == "Grants from two donors."
    assert table.loc[2, "answer"] == ""


def test_cluster_qa_without_a_guide():
    qa = pd.DataFrame([
        ("a", 1, "Where does your funding come from?", "Grants and donors fund the work."),
        ("a", 2, "How do you cooperate?", "We cooperate with partners."),
        ("b", 1, "Do you cooperate with partners?", "Partners cooperate with us."),
        ("b", 2, "And the money?", "Donors and grants, mostly."),
    ], columns=["doc_id", "qa_id", "question", "answer"])
    clustered = cluster_qa(qa, language="en")
    # median pairs per document = 2 clusters; numbered by first appearance: a1 -> 1
    assert clustered["guide_id"].tolist() == [1, 2, 2, 1]
    clusters = stat_clusters(clustered)
    assert clusters["pairs"].tolist() == [2, 2] and clusters["documents"].tolist() == [2, 2]
    assert set(clusters.loc[0, "theme"].split(" · ")) <= {"donor", "grant", "fund", "funding",
                                                           "money", "work"}
    assert clusters.loc[1, "theme"].split(" · ")[0] in {"cooperate", "partner"}
    # deterministic: the same call gives the same table
    pd.testing.assert_frame_equal(cluster_qa(qa, language="en"), clustered)


def test_sample_interview_against_a_french_guide(tmp_path):
    from interview_lens.reading.segment import read_interview

    interview = read_interview(SAMPLE)
    qa = interview.qa.assign(doc_id=interview.doc_id)
    guide = _guide(tmp_path, """\
language: fr
questions:
  - theme: Communauté de destin
    question: Comment comprenez-vous le concept de communauté de destin dans le cyberespace ?
  - theme: Pays en développement
    question: Pourquoi un cyberespace inclusif importe-t-il pour les pays en développement ?
  - theme: Gouvernance mondiale
    question: Que change l'Initiative de gouvernance mondiale ?
  - theme: Sport
    question: Quel sport pratiquez-vous le week-end ?
""", "fr.yaml")
    matches = match_guide(qa, guide)
    # Q1 asks to share one's understanding of the "communauté de destin dans le cyberespace"
    # concept; Q2 the obstacles to it (it names the concept again); Q3 an inclusive
    # cyberspace for developing countries; Q4 AI innovation in China: no guide item shares a
    # lemma with it; Q5 the Global Governance Initiative.  Nobody asks about sport.
    assert matches["theme"].tolist() == ["Communauté de destin", "Communauté de destin",
                                         "Pays en développement", "", "Gouvernance mondiale"]
    assert matches.attrs["off_guide"] == [(interview.doc_id, 4)]


def test_two_clusters_with_the_same_words_get_two_names():
    # four identical pairs, cut into two clusters (the median pairs per document): the two
    # centroids are the same, so the second name is told apart by its number
    qa = pd.DataFrame([(d, q, "Grants and donors?", "Grants and donors.")
                       for d in ("a", "b") for q in (1, 2)],
                      columns=["doc_id", "qa_id", "question", "answer"])
    themes = [theme for _, theme in cluster_qa(qa, language="en").attrs["themes"]]
    assert len(themes) == 2 and themes[1] == f"{themes[0]} (2)"
    assert set(themes[0].split(" · ")) == {"grant", "donor"}
