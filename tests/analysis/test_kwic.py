"""Keyword in context (src/interview_lens/analysis/kwic.py) on the invented interview FOUR, whose text is

    le four du village.
    pourquoi un four partagé.
    la communauté coopère et partage le pain. c’est une mise en commun des recettes.
    et l’IA dans le fournil.
    un logiciel open source pour la communauté. les communautés collaborent en open-source.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from interview_lens.analysis.concepts import code_concepts
from interview_lens.analysis.dictionary import load_dictionary
from interview_lens.analysis.kwic import KWIC_COLUMNS, concordance

HERE = Path(__file__).parents[1]
FIXTURES = HERE / "fixtures" / "concepts"
SAMPLE = HERE.parent / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"
_spec = importlib.util.spec_from_file_location("concepts_token_table",
                                               FIXTURES / "token_table.py")
token_table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(token_table)


@pytest.fixture(scope="module")
def four():
    tokens, text = token_table.four()
    return tokens, text, code_concepts(tokens, load_dictionary(FIXTURES / "mini.yaml"))


def test_concept_concordance_in_characters(four):
    tokens, text, hits = four
    kwic = concordance(tokens, text, concept="community", hits=hits, width=15)
    assert list(kwic.columns) == KWIC_COLUMNS
    # 15 characters each side, the paragraph break collapsed to a space
    assert kwic[["left", "match", "right"]].values.tolist() == [
        ["ur partagé. la ", "communauté", " coopère et par"],
        ["source pour la ", "communauté", ". les communaut"],
        ["ommunauté. les ", "communautés", " collaborent en"],
    ]
    assert kwic["qa_id"].tolist() == [1, 2, 2]
    assert kwic["theme"].tolist() == ["four", "outils", "outils"]
    assert kwic["start_char"].tolist() == [49, 184, 200]


def test_concordance_in_tokens_keeps_the_real_text(four):
    tokens, text, hits = four
    kwic = concordance(tokens, text, concept="ai", hits=hits, width=2, width_unit="tokens")
    # two tokens each side: "et l’" | "IA" | "dans le"; the elided article stays glued
    assert kwic[["left", "match", "right"]].values.tolist() == [["et l’", "IA", " dans le"]]
    phrase = concordance(tokens, text, concept="sharing", hits=hits, width=1,
                         width_unit="tokens")
    assert phrase["match"].tolist() == ["partagé", "partage", "mise en commun"]
    assert phrase["left"].tolist() == ["four ", "et ", "une "]


def test_term_concordance_lemma_wildcard_phrase(four):
    tokens, text, _ = four
    # lemma: "partager" finds partagé and partage
    assert concordance(tokens, text, term="partager", width=0)["match"].tolist() == [
        "partagé", "partage"]
    # wildcard on norm or lemma
    assert concordance(tokens, text, term="commun*", width=0)["match"].tolist() == [
        "communauté", "commun", "communauté", "communautés"]
    # phrase: one token "open source" and the hyphenated "open-source"
    kwic = concordance(tokens, text, term="open source", width=8)
    assert kwic[["left", "match", "right"]].values.tolist() == [
        ["ogiciel ", "open source", " pour la"], ["rent en ", "open-source", "."]]


def test_concordance_accepts_a_mapping_of_texts(four):
    tokens, text, hits = four
    kwic = concordance(tokens, {"four": text}, concept="open_source", hits=hits, width=4)
    assert kwic["match"].tolist() == ["open source", "open-source"]


def test_concordance_errors(four):
    tokens, text, hits = four
    with pytest.raises(ValueError, match="exactly one"):
        concordance(tokens, text, concept="ai", term="ia", hits=hits)
    with pytest.raises(ValueError, match="hits="):
        concordance(tokens, text, concept="ai")
    with pytest.raises(ValueError, match="bad wildcard"):
        concordance(tokens, text, term="**")
    assert concordance(tokens, text, concept="china", hits=hits).empty


def test_sample_concordance_of_inclusion():
    from interview_lens.language.tokens import tokens_from
    from interview_lens.reading.segment import read_interview

    interview = read_interview(SAMPLE)
    tokens = tokens_from(interview)
    hits = code_concepts(tokens, load_dictionary())
    kwic = concordance(tokens, interview, concept="inclusion", hits=hits, width=30)
    assert kwic["match"].tolist() == ["inclusif", "inclusion", "inclusion", "inclusivité",
                                      "inclusion", "inclusion"]
    assert (kwic["qa_id"] == 3).all()
    assert kwic["left"].iloc[0] == "romouvoir un cyberespace plus "  # 30 characters


# --- the concordance's focus concepts (notebook 04's `focus` parameter) ---------------------

from interview_lens.analysis.kwic import concordance_of, focus_concepts, focus_term  # noqa: E402
from interview_lens.errors import ConfigError  # noqa: E402


def test_focus_defaults_to_the_concepts_with_most_hits(four):
    tokens, text, hits = four
    mini = load_dictionary(FIXTURES / "mini.yaml")
    # hits: sharing 3, community 3, cooperation 2, open_source 2, ai 1; ties in dictionary
    # order (cooperation, community, sharing, open_source, ai)
    assert focus_concepts(hits, mini) == ["community", "sharing", "cooperation"]
    assert focus_concepts(hits, mini, n=4) == ["community", "sharing", "cooperation",
                                               "open_source"]
    assert focus_concepts(hits, mini, ["ai", "ai", "sharing"]) == ["ai", "sharing"]
    assert focus_concepts(hits.iloc[:0], mini) == []


def test_focus_names_only_concepts_of_the_dictionary(four):
    _, _, hits = four
    with pytest.raises(ConfigError, match=r"focus: unknown concept\(s\) \['sharng'\]"):
        focus_concepts(hits, load_dictionary(FIXTURES / "mini.yaml"), ["sharng"])


def test_concordance_of_several_concepts_and_of_none(four):
    tokens, text, hits = four
    kwic = concordance_of(tokens, text, ["ai", "cooperation"], hits, width=5)
    assert kwic["concept"].tolist() == ["ai", "cooperation", "cooperation"]
    assert kwic["match"].tolist() == ["IA", "coopère", "collaborent"]
    for none in (concordance_of(tokens, text, [], hits),
                 concordance_of(tokens, text, ["sharing"], hits.iloc[:0])):
        assert none.empty and list(none.columns) == KWIC_COLUMNS


def test_focus_term_is_the_lemma_matched_most_often(four):
    _, _, hits = four
    # community: communauté 3; sharing: partager 2, mise en commun 1
    assert focus_term(hits, ["community", "sharing"]) == "communauté"
    assert focus_term(hits, ["sharing"]) == "partager"
    assert focus_term(hits, []) == ""
