"""Concept dictionaries and concept coding (src/interview_lens/analysis/concepts.py).

Fixtures: tests/fixtures/concepts/token_table.py builds small invented token tables (with their
text); tests/fixtures/concepts/mini.yaml is a five-concept dictionary.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from interview_lens.analysis.concepts import HIT_COLUMNS, code_concepts
from interview_lens.analysis.dictionary import default_dictionary_path, load_dictionary
from interview_lens.analysis.units import unit_matrix
from interview_lens.errors import ConfigError

HERE = Path(__file__).parents[1]
ROOT = HERE.parent
FIXTURES = HERE / "fixtures" / "concepts"
MINI = FIXTURES / "mini.yaml"
SAMPLE = ROOT / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"

_spec = importlib.util.spec_from_file_location("concepts_token_table",
                                               FIXTURES / "token_table.py")
token_table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(token_table)
make_tokens = token_table.make_tokens


@pytest.fixture(scope="module")
def four():
    return token_table.four()


@pytest.fixture(scope="module")
def mini():
    return load_dictionary(MINI)


@pytest.fixture(scope="module")
def sample():
    from interview_lens.language.tokens import tokens_from
    from interview_lens.reading.segment import read_interview

    interview = read_interview(SAMPLE)
    tokens = tokens_from(interview)
    return interview, tokens, code_concepts(tokens, load_dictionary())


def _write(tmp_path, text: str, name: str = "dict.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- dictionaries
def test_default_dictionary_loads_with_both_languages_labels_and_distinct_colours():
    d = load_dictionary()
    assert d.path == ROOT / "src" / "interview_lens" / "data" / "concepts" / "default.yaml"
    for needed in ("cooperation", "community", "sharing", "open_source", "ai", "governance",
                   "inclusion", "security_risk", "development", "china", "digital",
                   "cyberspace", "culture_philosophy", "innovation", "multilateralism",
                   "humanity", "shared_future", "education"):
        assert needed in d
    for concept in d:
        assert set(concept.labels) == {"en", "fr"}, concept.id
        assert concept.patterns["fr"] and concept.patterns["en"], concept.id
    colours = list(d.colours().values())
    assert len(set(colours)) == len(colours)
    assert d.labels("fr")["cooperation"] == "coopération"
    assert d.labels("fr")["culture_philosophy"] == "culture et philosophie"


def test_the_default_dictionary_has_one_home_the_package():
    # package data, read the same by editable and regular installs; data/concepts/ of the
    # project holds the researchers' own dictionaries only
    packaged = ROOT / "src" / "interview_lens" / "data" / "concepts" / "default.yaml"
    assert default_dictionary_path() == packaged
    assert not (ROOT / "data" / "concepts" / "default.yaml").exists()


def test_mini_dictionary(mini):
    assert mini.ids == ["cooperation", "community", "sharing", "open_source", "ai"]
    assert mini.name == "mini"
    assert mini["sharing"].patterns["fr"].phrases == ("mise en commun",)
    assert mini["ai"].label("de") == "AI"  # unknown language falls back to English


GOOD = """concepts:
  - id: sharing
    labels: {en: sharing, fr: partage}
    colour: "#009E73"
    fr: {lemmas: [partage]}
"""

BAD = [
    ("concepts: [\n  - id: x\n", "malformed YAML"),
    ("concepts:\n  - id: sharing\n    labels: {en: sharing}\n    colour: '#009E73'\n"
     "    fr: {lemmas: [partage]}\n    synonyms: [x]\n", "unknown key(s) ['synonyms']"),
    ("concepts:\n  - id: sharing\n    labels: {en: sharing}\n    colour: '#009E73'\n"
     "    fr: {lemma: [partage]}\n", "unknown key(s) ['lemma'] under 'fr'"),
    ("concepts:\n  - id: sharing\n    labels: {en: sharing}\n    colour: '#009E73'\n"
     "    fr: {lemmas: []}\n", "empty concept"),
    ("concepts:\n  - id: sharing\n    labels: {en: sharing}\n    colour: '#009E73'\n",
     "empty concept"),
    ("concepts:\n  - id: sharing\n    labels: {en: sharing}\n    colour: '#009E73'\n"
     "    fr: {wildcards: ['partag[']}\n", "bad wildcard 'partag['"),
    ("concepts:\n  - id: sharing\n    labels: {en: sharing}\n    colour: '#009E73'\n"
     "    fr: {wildcards: ['**']}\n", "bad wildcard '**'"),
    ("concepts:\n  - id: sharing\n    colour: '#009E73'\n    fr: {lemmas: [partage]}\n",
     "missing labels"),
    ("concepts:\n  - id: sharing\n    labels: {}\n    colour: '#009E73'\n"
     "    fr: {lemmas: [partage]}\n", "missing labels"),
    ("concepts:\n  - id: sharing\n    labels: {en: sharing}\n    colour: green\n"
     "    fr: {lemmas: [partage]}\n", "hex colour"),
    ("concepts:\n  - id: Sharing Ideas\n    labels: {en: sharing}\n    colour: '#009E73'\n"
     "    fr: {lemmas: [partage]}\n", "snake_case"),
    ("concepts: []\n", "non-empty list"),
    ("terms: []\n", "'concepts' list"),
    ("concepts:\n  - {id: a, labels: {en: a}, colour: '#000000', fr: {lemmas: [a]}}\n"
     "extra: 1\n", "unknown top-level key(s) ['extra']"),
]


@pytest.mark.parametrize("text, problem", BAD)
def test_malformed_dictionary_is_a_one_line_config_error(tmp_path, text, problem):
    path = _write(tmp_path, text, "broken.yaml")
    with pytest.raises(ConfigError) as err:
        load_dictionary(path)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert problem in message
    if "id: sharing" in text:  # names the concept
        assert "concept 'sharing'" in message


def test_duplicate_id_names_the_concept(tmp_path):
    path = _write(tmp_path, GOOD + GOOD.split("concepts:\n", 1)[1])
    with pytest.raises(ConfigError, match=r"dict\.yaml: concept 'sharing': duplicate id"):
        load_dictionary(path)


def test_missing_dictionary_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_dictionary(tmp_path / "nope.yaml")


def test_color_spelling_accepted(tmp_path):
    d = load_dictionary(_write(tmp_path, GOOD.replace("colour", "color")))
    assert d.colours() == {"sharing": "#009E73"}


# --------------------------------------------------------------------------- coding
def test_code_concepts_on_invented_interview(four, mini):
    tokens, _ = four
    hits = code_concepts(tokens, mini, language="fr")
    # s2 "partagé"/partager; s3 "communauté", "coopère" (coopér*), "partage"; s4 the phrase
    # "mise en commun" (one hit over positions 18-20); s5 "IA" (acronym, matched on the token as
    # written although the fixture's lemma is lower-case); s6 "open source" (one token) and
    # "communauté"; s7 "communautés" (lemma communauté), "collaborent" (collabor*) and
    # "open-source" (hyphen = the phrase "open source").
    expected = pd.DataFrame(
        [["four", "sharing", "partagé", "partager", 7, 7, 2, 2, 1, 1, "four", "interviewer",
          37, 44],
         ["four", "community", "communauté", "communauté", 9, 9, 3, 3, 2, 1, "four",
          "interviewee", 49, 59],
         ["four", "cooperation", "coopère", "coopérer", 10, 10, 3, 3, 2, 1, "four",
          "interviewee", 60, 67],
         ["four", "sharing", "partage", "partager", 12, 12, 3, 3, 2, 1, "four", "interviewee",
          71, 78],
         ["four", "sharing", "mise en commun", "mise en commun", 18, 20, 4, 3, 2, 1, "four",
          "interviewee", 98, 112],
         ["four", "ai", "ia", "ia", 25, 25, 5, 4, 3, 2, "outils", "interviewer", 132, 134],
         ["four", "open_source", "open source", "open source", 31, 31, 6, 5, 4, 2, "outils",
          "interviewee", 164, 175],
         ["four", "community", "communauté", "communauté", 34, 34, 6, 5, 4, 2, "outils",
          "interviewee", 184, 194],
         ["four", "community", "communautés", "communauté", 36, 36, 7, 5, 4, 2, "outils",
          "interviewee", 200, 211],
         ["four", "cooperation", "collaborent", "collaborer", 37, 37, 7, 5, 4, 2, "outils",
          "interviewee", 212, 223],
         ["four", "open_source", "open-source", "open-source", 39, 39, 7, 5, 4, 2, "outils",
          "interviewee", 227, 238]],
        columns=HIT_COLUMNS)
    assert_frame_equal(hits, expected, check_dtype=False)
    assert hits["position"].dtype == np.int64
    assert hits.attrs["labels"]["fr"]["sharing"] == "partage"
    assert hits.attrs["colours"]["ai"] == "#332288"


def test_offsets_point_at_the_matched_words(four, mini):
    tokens, text = four
    hits = code_concepts(tokens, mini)
    spans = [text[s:e] for s, e in zip(hits["start_char"], hits["end_char"])]
    assert spans[4] == "mise en commun"
    assert spans[5] == "IA"
    assert spans[-1] == "open-source"


def test_phrase_takes_precedence_over_its_parts(tmp_path):
    # "commun" alone is a sharing lemma here, and also part of "mise en commun": one hit only
    path = _write(tmp_path, """concepts:
  - id: sharing
    labels: {en: sharing}
    colour: "#009E73"
    fr: {lemmas: [commun, mise], phrases: [mise en commun, en commun]}
""")
    tokens, _ = make_tokens([(1, 1, "interviewee", "A", "", ["une mise en commun", "en commun"])])
    hits = code_concepts(tokens, load_dictionary(path))
    # longest match first: "mise en commun" (1-3); then "en commun" (4-5) in sentence 2
    assert hits[["term", "position", "end_position"]].values.tolist() == [
        ["mise en commun", 1, 3], ["en commun", 4, 5]]


def test_phrase_never_crosses_a_sentence_boundary(mini):
    tokens, _ = make_tokens([(1, 1, "interviewee", "A", "", ["du code open", "source libre"])])
    assert code_concepts(tokens, mini).empty


def test_phrase_matches_two_tokens_and_lemmas(mini):
    # "open" + "source" as two tokens still match; "mises/mise en commun" matches on the lemma
    tokens, _ = make_tokens([(1, 1, "interviewee", "A", "",
                              ["open source _et mises/mise _en commun"])])
    hits = code_concepts(tokens, mini)
    assert hits[["concept", "term", "position", "end_position"]].values.tolist() == [
        ["open_source", "open source", 0, 1], ["sharing", "mises en commun", 3, 5]]


def test_acronyms_are_case_sensitive(mini):
    # French "ai" (from avoir) is not AI; "AI" is; "IA" with lemma "IA" is
    tokens, _ = make_tokens([(1, 1, "interviewee", "A", "",
                              ["j’ ai/avoir parlé/parler _de AI", "l’ IA/IA _et l’ ia/ia"])])
    hits = code_concepts(tokens, load_dictionary(MINI))
    # "ai" (avoir) is skipped; "AI" (en pattern) and "IA" (token and lemma) are coded; the
    # lower-case "ia" with lemma "ia" is not: neither its token nor its lemma is in capitals
    assert hits["term"].tolist() == ["ai", "ia"]
    assert hits["position"].tolist() == [4, 6]


def test_wildcards_and_exclude(tmp_path):
    path = _write(tmp_path, """concepts:
  - id: development
    labels: {en: development}
    colour: "#999933"
    en: {wildcards: ["develop*"], exclude: ["developer*"]}
""")
    tokens, _ = make_tokens([(1, 1, "interviewee", "A", "",
                              ["developers/developer develop developing development"])])
    hits = code_concepts(tokens, load_dictionary(path))
    assert hits["term"].tolist() == ["develop", "developing", "development"]


def test_a_token_is_coded_once_per_concept_but_may_carry_several_concepts():
    d = load_dictionary()
    tokens, _ = make_tokens([(1, 1, "interviewee", "A", "",
                              ["_un avenir partagé/partager _et _un partage/partage"])])
    hits = code_concepts(tokens, d, language="fr")
    # "avenir partagé" is the shared_future slogan; "partagé" is also sharing; "partage" sharing
    assert hits[["concept", "term"]].values.tolist() == [
        ["shared_future", "avenir partagé"], ["sharing", "partagé"], ["sharing", "partage"]]


def test_language_selects_patterns(mini):
    tokens, _ = make_tokens([(1, 1, "interviewee", "A", "",
                              ["community communauté collaboration"])])
    assert code_concepts(tokens, mini, language="fr")["term"].tolist() == [
        "communauté", "collaboration"]
    assert code_concepts(tokens, mini, language="en")["term"].tolist() == [
        "community", "collaboration"]
    assert len(code_concepts(tokens, mini)) == 3  # no language: every language's patterns
    with pytest.raises(ConfigError, match="no patterns for language 'de'"):
        code_concepts(tokens, mini, language="de")


def test_no_hits_gives_empty_table_with_columns(mini):
    tokens, _ = make_tokens([(1, 1, "interviewee", "A", "", ["rien _à voir"])])
    hits = code_concepts(tokens, mini)
    assert list(hits.columns) == HIT_COLUMNS and hits.empty


def test_missing_columns_are_reported(mini):
    tokens, _ = token_table.four()
    with pytest.raises(ValueError, match="lemma"):
        code_concepts(tokens.drop(columns="lemma"), mini)


# --------------------------------------------------------------------------- unit matrices
def test_unit_matrix_every_unit_kind(four, mini):
    tokens, _ = four
    hits = code_concepts(tokens, mini)
    # sentences: s1 lede (nothing) s2 S, s3 C M S, s4 S, s5 A, s6 M O, s7 C M O
    x, units, concepts = unit_matrix(hits, tokens, unit="sentence")
    assert list(concepts) == ["cooperation", "community", "sharing", "open_source", "ai"]
    assert units.names == ["doc_id", "sentence_id"] and list(units.get_level_values(1)) == [
        1, 2, 3, 4, 5, 6, 7]
    assert x.toarray().tolist() == [[0, 0, 0, 0, 0], [0, 0, 1, 0, 0], [1, 1, 1, 0, 0],
                                    [0, 0, 1, 0, 0], [0, 0, 0, 0, 1], [0, 1, 0, 1, 0],
                                    [1, 1, 0, 1, 0]]
    # paragraphs = turns + the lede paragraph; turns exclude turn 0; Q/A pairs 1 and 2
    assert unit_matrix(hits, tokens, unit="paragraph")[0].shape == (5, 5)
    x, units, _ = unit_matrix(hits, tokens, unit="turn")
    assert list(units.get_level_values(1)) == [1, 2, 3, 4]
    x, units, _ = unit_matrix(hits, tokens, unit="qa")
    assert x.toarray().tolist() == [[1, 1, 1, 0, 0], [1, 1, 0, 1, 1]]


def test_unit_matrix_window(four, mini):
    tokens, _ = four
    hits = code_concepts(tokens, mini)
    x, units, concepts = unit_matrix(hits, tokens, unit="window", window=1,
                                     concepts=["community", "cooperation", "sharing"])
    assert x.shape == (40, 3)  # one window centred on each of the 40 tokens
    col = x.toarray()
    # community hits at 9, 34, 36 -> centres {8,9,10} U {33,34,35} U {35,36,37}: 8 windows
    assert np.flatnonzero(col[:, 0]).tolist() == [8, 9, 10, 33, 34, 35, 36, 37]
    # sharing at 7, 12 and the phrase 18-20 -> {6,7,8} U {11,12,13} U {17..21}: 11 windows
    assert col[:, 2].sum() == 11
    # community & cooperation (10, 37): {9,10} U {36,37} -> 4 windows hold both
    assert int((col[:, 0] & col[:, 1]).sum()) == 4
    with pytest.raises(ValueError, match="window"):
        unit_matrix(hits, tokens, unit="window", window=-1)
    with pytest.raises(ValueError, match="unit must be"):
        unit_matrix(hits, tokens, unit="page")


def test_unit_matrix_keeps_documents_apart(mini):
    a, _ = make_tokens([(1, 1, "interviewee", "A", "", ["communauté"])], doc_id="a")
    b, _ = make_tokens([(1, 1, "interviewee", "A", "", ["partage"])], doc_id="b")
    tokens = pd.concat([a, b], ignore_index=True)
    hits = code_concepts(tokens, mini)
    x, units, concepts = unit_matrix(hits, tokens, unit="qa")
    assert list(units) == [("a", 1), ("b", 1)]
    assert x.toarray().tolist() == [[1, 0], [0, 1]]


# --------------------------------------------------------------------------- the sample
def test_sample_counts_checked_by_hand(sample):
    _, _, hits = sample
    totals = hits["concept"].value_counts()
    # community 10: lede "future communauté", "communauté de futur partagé"; Q1 "communauté de
    # destin", "communautés d'avenir partagé"; A1 "collaboration, communauté et partage",
    # "créent ainsi des communautés"; Q2 "communauté de destins partagés"; A3 "communautés
    # marginalisées", "les citoyens et les communautés"; Q5 "communauté de futur partagé".
    assert totals["community"] == 10
    # sharing 9: lede "partager ses idées", "futur partagé"; Q1 "Veuillez partager", "avenir
    # partagé"; A1 "partage", "partagent des connaissances", "« futur partagé »"; Q2 "destins
    # partagés"; Q5 "futur partagé".  Not "a plus en commun" (A5) nor "défis communs" (Q2).
    assert totals["sharing"] == 9
    # open_source 8: A1 "approche open source", "collaboration open source", "L'IA open
    # source"; A3 "solutions d'IA open source"; A4 "modèles d'IA open source", "l'approche open
    # source", "l'open source au centre", "l'IA open source, impulsée".
    assert totals["open_source"] == 8
    # cooperation 16: lede "co-construction" x2, "coopération numérique"; Q1 "conjointement",
    # "co-construction"; A1 "collaboration" x3, "coopération" x2, "collaborent"; Q2
    # "coopération", "construction conjointe"; A2 "coopération" x2; Q5 "co-construction".
    assert totals["cooperation"] == 16
    # inclusion 6, all in Q/A 3: "inclusif", "inclusion" x4, "inclusivité"
    assert totals["inclusion"] == 6
    assert hits.loc[hits["concept"] == "inclusion", "qa_id"].unique().tolist() == [3]
    # every "IA" of the text (27), never the "ia" inside other words
    assert totals["ai"] == 27
    # the slogan: lede, Q1 x2, A1 "futur partagé", Q2, Q5
    assert totals["shared_future"] == 6


def test_sample_offsets_trace_back_to_the_text(sample):
    interview, _, hits = sample
    words = [interview.text[s:e] for s, e in zip(hits["start_char"], hits["end_char"])]
    slogan = hits.index[hits["concept"] == "shared_future"]
    assert words[slogan[2]] == "communautés d’avenir partagé"
    assert all(interview.text[s:e].strip() for s, e in zip(hits["start_char"], hits["end_char"]))
