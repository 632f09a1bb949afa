"""Token table: hand-checked tokenisation in French and English, the sample, the CLI."""
from __future__ import annotations

import dataclasses
import importlib.util
import json
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from interview_lens.errors import InterviewWarning
from interview_lens.language.lexicon import stopword_table
from interview_lens.language.tokens import TOKEN_COLUMNS, tokens_from, tokens_from_many
from interview_lens.reading.segment import read_interview

HERE = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("language_helpers",
                                               HERE / "fixtures" / "language" / "helpers.py")
helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(helpers)
make_interview, narration = helpers.make_interview, helpers.narration
SAMPLE = HERE.parent / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"


def rows(tokens: pd.DataFrame, *cols: str) -> list[tuple]:
    return list(tokens[list(cols)].itertuples(index=False, name=None))


def check_offsets(interview, tokens):
    for tok, s, e in rows(tokens, "token", "start_char", "end_char"):
        assert interview.text[s:e] == tok


# --- French -------------------------------------------------------------------------------------

def test_french_elisions_acronyms_and_aujourdhui():
    # offsets by hand: "L’IA d’aujourd’hui n’est pas l'ONU."
    #                   0 2 4 5 7          18 19 21 25 29 31 34
    iv = narration("L’IA d’aujourd’hui n’est pas l'ONU.")
    tokens = tokens_from(iv)
    assert rows(tokens, "token", "norm", "lemma", "is_stop", "start_char", "end_char") == [
        ("L’", "l'", "le", True, 0, 2),
        ("IA", "ia", "IA", False, 2, 4),
        ("d’", "d'", "de", True, 5, 7),
        ("aujourd’hui", "aujourd'hui", "aujourd'hui", True, 7, 18),
        ("n’", "n'", "ne", True, 19, 21),
        ("est", "est", "être", True, 21, 24),
        ("pas", "pas", "pas", True, 25, 28),
        ("l'", "l'", "le", True, 29, 31),
        ("ONU", "onu", "ONU", False, 31, 34),
    ]
    assert tokens["position"].tolist() == list(range(9))
    check_offsets(iv, tokens)


def test_french_compounds_numbers_and_overrides():
    iv = narration("Les plates-formes et mots-clés de la co-construction : peut-être 3,5 % "
                   "ou 10e fois.")
    tokens = tokens_from(iv)
    # hyphenated compounds stay whole; plates-formes -> plateforme (override table);
    # numbers (3,5 and the ordinal 10e) are stopwords; punctuation (: % .) is not a token
    assert rows(tokens, "token", "lemma", "is_stop") == [
        ("Les", "le", True), ("plates-formes", "plateforme", False), ("et", "et", True),
        ("mots-clés", "mot-clé", False), ("de", "de", True), ("la", "le", True),
        ("co-construction", "co-construction", False), ("peut-être", "peut-être", True),
        ("3,5", "3,5", True), ("ou", "ou", True), ("10e", "10e", True), ("fois", "fois", True),
    ]
    check_offsets(iv, tokens)


def test_french_inverted_pronouns_and_jusqu():
    iv = narration("Que pensez-vous de l’initiative ? Apporte-t-elle jusqu’à présent "
                   "quelque chose ?")
    tokens = tokens_from(iv)
    # "pensez-vous" -> pensez + vous; "Apporte-t-elle" -> Apporte + elle (euphonic -t- dropped)
    assert rows(tokens, "token", "start_char", "end_char") == [
        ("Que", 0, 3), ("pensez", 4, 10), ("vous", 11, 15), ("de", 16, 18), ("l’", 19, 21),
        ("initiative", 21, 31), ("Apporte", 34, 41), ("elle", 44, 48), ("jusqu’", 49, 55),
        ("à", 55, 56), ("présent", 57, 64), ("quelque", 65, 72), ("chose", 73, 78),
    ]
    assert tokens.loc[tokens.token == "jusqu’", "lemma"].item() == "jusque"
    # "?" followed by a capital ends sentence 1
    assert tokens["sentence_id"].tolist() == [1] * 6 + [2] * 7


def test_french_participles_use_the_override_table():
    tokens = tokens_from(narration("Un futur partagé, des idées partagées, des outils partagés."))
    assert tokens.loc[tokens.token.str.startswith("partag"), "lemma"].tolist() == ["partager"] * 3


def test_french_multiword_terms_match_on_lemmas():
    iv = narration("Les sociétés civiles et l’intelligence artificielle des Nations unies.")
    tokens = tokens_from(iv)
    assert rows(tokens, "token", "lemma", "position", "start_char", "end_char") == [
        ("Les", "le", 0, 0, 3),
        ("sociétés civiles", "société civile", 1, 4, 20),
        ("et", "et", 2, 21, 23),
        ("l’", "le", 3, 24, 26),
        ("intelligence artificielle", "intelligence artificielle", 4, 26, 51),
        ("des", "un", 5, 52, 55),
        # a capitalised canonical in multiword.txt declares a name; written with a capital
        # here (its only occurrence), its lemma keeps the capital (norm stays lower-case)
        ("Nations unies", "Nations unies", 6, 56, 69),
    ]
    assert tokens.loc[6, "norm"] == "nations unies"
    check_offsets(iv, tokens)


# --- truecasing and stop expressions -------------------------------------------------------------

def lemma_of(tokens: pd.DataFrame, token: str) -> list[str]:
    return tokens.loc[tokens.token == token, "lemma"].tolist()


def test_truecasing_proper_nouns_french():
    iv = narration("Chine et Inde. Le modèle DeepSeek vient de la Chine. Demain, l’Initiative "
                   "compte : « Avenir » dit-il. Cette initiative plaît. Internet change.")
    tokens = tokens_from(iv)
    # "Chine" is sentence-initial once but mid-sentence in "la Chine": every occurrence is
    # capitalised and one is not initial -> its written form is the lemma
    assert lemma_of(tokens, "Chine") == ["Chine", "Chine"]
    # "Inde" follows "et" mid-sentence: one non-initial capitalised occurrence is enough
    assert lemma_of(tokens, "Inde") == ["Inde"]
    # mixed case is kept as written
    assert lemma_of(tokens, "DeepSeek") == ["DeepSeek"]
    # capitalised only where a capital is due: first word of a sentence ("Demain", "Internet")
    # or after a quote ("« Avenir »")
    assert lemma_of(tokens, "Demain") == ["demain"]
    assert lemma_of(tokens, "Avenir") == ["avenir"]
    assert lemma_of(tokens, "Internet") == ["internet"]
    # "l’Initiative" is capitalised mid-sentence, but "cette initiative" is written lower-case
    assert lemma_of(tokens, "Initiative") == ["initiative"]
    # the norm is always lower-case; stopwords are never truecased ("Le", "Cette")
    assert tokens.loc[tokens.token == "Chine", "norm"].tolist() == ["chine", "chine"]
    assert lemma_of(tokens, "Cette") == ["ce"]


def test_truecasing_english_and_most_frequent_variant():
    iv = narration("The Internet reached China early. In China, the Internet grew. Deepseek "
                   "and DeepSeek, then DeepSeek again.", language="en")
    tokens = tokens_from(iv)
    assert set(lemma_of(tokens, "China")) == {"China"}
    assert set(lemma_of(tokens, "Internet")) == {"Internet"}
    # one type (norm "deepseek"), two written variants: the more frequent one (2 to 1) is the
    # lemma of all three
    assert lemma_of(tokens, "Deepseek") + lemma_of(tokens, "DeepSeek") == ["DeepSeek"] * 3


def test_truecasing_needs_every_occurrence_capitalised():
    iv = narration("Le web change. Il aime le Web et Genève.")
    tokens = tokens_from(iv)
    # "web" is written lower-case once: the type is a common word, "Web" stays "web"
    assert lemma_of(tokens, "Web") == ["web"] and lemma_of(tokens, "web") == ["web"]
    assert lemma_of(tokens, "Genève") == ["Genève"]


def test_multiword_names_keep_their_capital_only_when_always_written_so():
    tokens = tokens_from(narration("Les Nations unies et les Nations Unies parlent."))
    # both occurrences capitalised -> the canonical spelling of multiword.txt
    assert lemma_of(tokens, "Nations unies") + lemma_of(tokens, "Nations Unies") == [
        "Nations unies", "Nations unies"]
    tokens = tokens_from(narration("Les Nations unies et les nations unies parlent."))
    assert set(tokens.loc[tokens.norm == "nations unies", "lemma"]) == {"nations unies"}
    # a lower-case canonical is a common term: its lemma stays lower-case
    tokens = tokens_from(narration("Le code. Open source partout, et l’Open Source aussi."))
    assert set(tokens.loc[tokens.norm == "open source", "lemma"]) == {"open source"}


def test_stop_expressions_are_one_stopword_row():
    iv = narration("En matière d’IA, du point de vue du monde entier, en particulier au "
                   "centre des débats.")
    tokens = tokens_from(iv)
    assert rows(tokens, "token", "lemma", "is_stop") == [
        ("En matière d’", "en matière de", True), ("IA", "IA", False),
        ("du", "du", True), ("point de vue", "point de vue", True), ("du", "du", True),
        ("monde entier", "monde entier", True), ("en particulier", "en particulier", True),
        # "des" (lemma "un") is listed as a variant: au centre des => au centre de
        ("au centre des", "au centre de", True), ("débats", "débat", False)]
    check_offsets(iv, tokens)
    # content lemmas: the expressions' words never count
    assert tokens.loc[~tokens.is_stop, "lemma"].tolist() == ["IA", "débat"]


def test_stop_expressions_english_and_overlap_with_terms():
    iv = narration("In terms of open source, as well as data around the world.", language="en")
    tokens = tokens_from(iv)
    assert rows(tokens, "token", "is_stop") == [
        ("In terms of", True), ("open source", False), ("as well as", True), ("data", False),
        ("around the world", True)]


# --- English ------------------------------------------------------------------------------------

def test_english_contractions_possessives_acronyms():
    iv = narration("I don't think it's China's AI, e.g. the U.S. can't.", language="en")
    tokens = tokens_from(iv)
    assert rows(tokens, "token", "lemma", "is_stop", "start_char", "end_char") == [
        ("I", "i", True, 0, 1), ("do", "do", True, 2, 4), ("n't", "not", True, 4, 7),
        ("think", "think", True, 8, 13), ("it", "it", True, 14, 16), ("'s", "'s", True, 16, 18),
        # "China" is capitalised in mid-sentence, never written lower-case: a proper noun
        ("China", "China", False, 19, 24), ("'s", "'s", True, 24, 26),
        # AI is an acronym: case kept, never looked up in stopwordsiso (which lists "ai")
        ("AI", "AI", False, 27, 29),
        ("e.g.", "e.g.", True, 31, 35), ("the", "the", True, 36, 39),
        ("U.S.", "U.S.", False, 40, 44), ("ca", "can", True, 45, 47), ("n't", "not", True, 47, 50),
    ]


def test_english_multiword_and_hyphenated_variant():
    iv = narration("The open source community and open-source tools, civil society and the "
                   "United Nations.", language="en")
    tokens = tokens_from(iv)
    assert rows(tokens, "token", "norm", "position") == [
        ("The", "the", 0), ("open source", "open source", 1), ("community", "community", 2),
        ("and", "and", 3), ("open-source", "open source", 4), ("tools", "tools", 5),
        ("civil society", "civil society", 6), ("and", "and", 7), ("the", "the", 8),
        ("United Nations", "united nations", 9),
    ]
    assert not tokens.loc[tokens.lemma == "open source", "is_stop"].any()


def test_multiword_never_crosses_punctuation_or_line_breaks():
    iv = narration("It is open. Source code. Open\nsource.", language="en")
    tokens = tokens_from(iv)
    assert tokens["token"].tolist() == ["It", "is", "open", "Source", "code", "Open", "source"]
    assert tokens["sentence_id"].tolist() == [1, 1, 1, 2, 2, 3, 4]
    assert tokens["paragraph_id"].tolist() == [1, 1, 1, 1, 1, 1, 2]


def test_extra_multiword_and_stopwords_arguments():
    iv = narration("Open data helps the civic tech world.", language="en")
    tokens = tokens_from(iv, multiword=["civic tech"], stopwords=["helps"])
    assert tokens["token"].tolist() == ["Open", "data", "helps", "the", "civic tech", "world"]
    assert rows(tokens, "token", "is_stop") == [
        ("Open", False), ("data", False), ("helps", True), ("the", True), ("civic tech", False),
        # "world" is in stopwordsiso's English list and removed by stop_remove.txt
        ("world", False)]


# --- turns, names, ids ----------------------------------------------------------------------------

def dialogue():
    return make_interview([
        ("", "other", "", "Légende : Jovan Kurbariya."),
        ("GT", "interviewer", "GT", "Bonjour M. Kurbalija. Votre avis ?"),
        ("Kulbariya", "interviewee", "Jovan Kurbalija", "Euh, la coopération. Voilà."),
    ], aliases={"Jovan Kurbalija": ["Kulbariya", "Kurbariya"]})


def test_turn_columns_labels_and_speaker_names():
    iv = dialogue()
    tokens = tokens_from(iv)
    # labels "GT : " and "Kulbariya : " are outside the turns' spans: never tokens
    assert rows(tokens, "qa_id", "turn_id", "role", "token", "is_stop") == [
        (0, 1, "other", "Légende", False),
        (0, 1, "other", "Jovan", True),       # speaker name
        (0, 1, "other", "Kurbariya", True),   # alias spelling
        (1, 2, "interviewer", "Bonjour", False),
        (1, 2, "interviewer", "M", True),
        (1, 2, "interviewer", "Kurbalija", True),
        (1, 2, "interviewer", "Votre", True),
        (1, 2, "interviewer", "avis", False),
        (1, 3, "interviewee", "Euh", True),   # filler
        (1, 3, "interviewee", "la", True),
        (1, 3, "interviewee", "coopération", False),
        (1, 3, "interviewee", "Voilà", True),  # filler
    ]
    assert tokens["speaker"].tolist()[3:8] == ["GT"] * 5
    # "M." is an abbreviation (no cut before Kurbalija); "Kurbalija." then "Votre" is a cut;
    # each turn starts a new paragraph
    assert tokens["sentence_id"].tolist() == [1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4, 5]
    assert tokens["paragraph_id"].tolist() == [1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3]
    assert tokens["theme"].tolist() == [""] * 12
    check_offsets(iv, tokens)


def test_columns_and_dtypes_follow_the_contract():
    tokens = tokens_from(dialogue())
    assert list(tokens.columns) == TOKEN_COLUMNS
    ints = ["qa_id", "turn_id", "paragraph_id", "sentence_id", "position", "start_char", "end_char"]
    assert all(str(tokens[c].dtype) == "int64" for c in ints)
    assert tokens["is_stop"].dtype == bool
    assert all(str(tokens[c].dtype) == "str" for c in ["doc_id", "role", "speaker", "theme",
                                                        "token", "norm", "lemma"])


def test_theme_column_comes_from_qa():
    iv = dialogue()
    iv.qa["theme"] = ["Coopération"]
    tokens = tokens_from(iv)
    assert tokens.groupby("qa_id")["theme"].unique().map(list).to_dict() == {
        0: [""], 1: ["Coopération"]}


def test_empty_interview_gives_an_empty_table():
    iv = make_interview([])
    tokens = tokens_from(iv)
    assert list(tokens.columns) == TOKEN_COLUMNS and len(tokens) == 0


def test_inputs_are_not_modified():
    iv = dialogue()
    before = iv.turns.copy(), iv.qa.copy(), iv.text
    tokens_from(iv)
    pd.testing.assert_frame_equal(iv.turns, before[0])
    pd.testing.assert_frame_equal(iv.qa, before[1])
    assert iv.text == before[2]


# --- language -----------------------------------------------------------------------------------

def test_language_detected_when_empty():
    iv = narration("Les pays en développement demandent une gouvernance numérique plus juste et "
                   "une coopération internationale.", language="")
    tokens = tokens_from(iv)
    assert tokens.attrs["language"] == "fr"
    assert tokens.loc[tokens.token == "pays en développement", "lemma"].item() == (
        "pays en développement")


def test_language_without_lemmatiser_still_tokenises_with_a_warning():
    iv = narration("Tlhagiso ya maikutlo a rona ka ga pusô.", language="tn")
    with pytest.warns(InterviewWarning, match="no lemmatiser"):
        tokens = tokens_from(iv)
    assert tokens["token"].tolist() == ["Tlhagiso", "ya", "maikutlo", "a", "rona", "ka", "ga",
                                        "pusô"]
    assert (tokens["lemma"] == tokens["norm"]).all()
    assert any("no lemmatiser" in w for w in iv.meta["warnings"])


# --- the sample ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InterviewWarning)
        iv = read_interview(SAMPLE)
    return iv, tokens_from(iv)


def test_sample_lemma_counts(sample):
    iv, tokens = sample
    counts = tokens.loc[~tokens.is_stop, "lemma"].value_counts()
    # By hand (grep -ow on the file, every occurrence lies inside a turn):
    # communauté 5 + communautés 5 = 10 (lede 2, Q1 2, A1 2, Q2 1, A3 2, Q5 1)
    # coopération 6: lede 1, A1 2, Q2 1, A2 2;  gouvernance 8: lede 1, Q2 1, A2 2, A3 1,
    # A4 1, Q5 1, A5 1;  IA 27: every "IA" is written in capitals (21 of them as "l’IA")
    assert counts["communauté"] == 10
    assert counts["coopération"] == 6
    assert counts["gouvernance"] == 8
    assert counts["IA"] == 27
    # "open source" is one token: 8 occurrences in the text (grep -o "open source")
    assert counts["open source"] == 8


def test_sample_top_content_lemmas_are_clean(sample):
    iv, tokens = sample
    top = tokens.loc[~tokens.is_stop, "lemma"].value_counts().head(30).index.tolist()
    stop = set(stopword_table("fr")["word"])
    labels = {"gt", "jovan", "kurbalija", "kulbariya", "kurbariya", "kurubariya"}
    assert not [w for w in top if w.lower() in stop]
    assert not [w for w in top if w.lower() in labels]
    assert all(re.search(r"[^\W\d_]", w) for w in top)


def test_sample_shape_and_offsets(sample):
    iv, tokens = sample
    check_offsets(iv, tokens)
    assert tokens["position"].tolist() == list(range(len(tokens)))
    # 12 turns all tokenised; narration (turns 1-2) has qa_id 0
    assert sorted(tokens["turn_id"].unique()) == list(range(1, 13))
    assert set(tokens.loc[tokens.turn_id <= 2, "qa_id"]) == {0}
    assert sorted(tokens["qa_id"].unique()) == [0, 1, 2, 3, 4, 5]
    # no token is a speaker label taken from outside a turn: "GT" appears only in the lede
    assert tokens.loc[tokens.token == "GT", "turn_id"].tolist() == [1]
    assert tokens.loc[tokens.token == "GT", "is_stop"].all()


def test_sample_l_ia_gives_ia(sample):
    iv, tokens = sample
    # the first "L’IA" opens the third paragraph of answer 1
    at = iv.text.index("L’IA open source")
    first = tokens[tokens.start_char >= at].head(3)
    assert first["token"].tolist() == ["L’", "IA", "open source"]
    assert first["lemma"].tolist() == ["le", "IA", "open source"]


def test_cli_tokens_csv_and_json(capsys):
    from interview_lens.cli import main

    assert main(["tokens", str(SAMPLE), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    header, first = out.splitlines()[:2]
    assert header.split(",") == TOKEN_COLUMNS
    # the lede's first word
    assert first.split(",")[9:13] == ["Cette", "cette", "ce", "True"]
    assert main(["tokens", str(SAMPLE), "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == len(out.splitlines()) - 1
    assert records[1]["token"] == "année" and records[1]["is_stop"] is False


# --- properties on arbitrary text -----------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_ALPHABET = st.sampled_from(list("aéZ’'-.,?! \n3«»ßİ") + ["😀", "ǅ", "\u0301", "ſ"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.text(alphabet=_ALPHABET, max_size=60), language=st.sampled_from(["fr", "en"]))
def test_offsets_always_point_at_the_token(body, language):
    iv = narration(body, language=language)
    tokens = tokens_from(iv)
    check_offsets(iv, tokens)
    assert tokens["position"].tolist() == list(range(len(tokens)))
    assert (tokens["start_char"].diff().dropna() > 0).all()
    assert (tokens["end_char"] > tokens["start_char"]).all()
    for col in ("sentence_id", "paragraph_id"):
        ids = tokens[col].tolist()
        assert ids == sorted(ids) and (not ids or ids[0] == 1)
        assert all(b - a in (0, 1) for a, b in zip(ids, ids[1:]))


# --- several documents at once ------------------------------------------------------------------

def test_batch_keeps_each_documents_own_truecasing_names_and_numbering():
    # "Initiative" is capitalised mid-sentence in both; only the second also writes
    # "initiative" in lower case, so only the first keeps the capital as lemma.  "Martin" is the
    # speaker of the first (a stopword there, never truecased), a plain word in the second.
    # "China" opens its sentence (no evidence), "Internet" does not.
    first = make_interview(
        [("Martin", "interviewee", "Martin", "Voici l’Initiative, dit Martin.")], doc_id="one")
    second = make_interview(
        [("", "other", "", "Martin aime l’Initiative. Cette initiative plaît.")], doc_id="two")
    english = narration("China's Internet grew.", language="en")
    batch = tokens_from_many([first, second, english])
    assert batch["doc_id"].tolist()[:6] == ["one"] * 5 + ["two"]
    assert rows(batch[batch.doc_id == "one"], "token", "lemma", "is_stop", "position",
                "start_char") == [
        ("Voici", "voici", True, 0, 9), ("l’", "le", True, 1, 15),
        ("Initiative", "Initiative", False, 2, 17), ("dit", "dire", False, 3, 29),
        ("Martin", "martin", True, 4, 33)]
    two = batch[batch.doc_id == "two"]
    assert rows(two[two.token.str.lower() == "initiative"], "token", "lemma", "position") == [
        ("Initiative", "initiative", 3), ("initiative", "initiative", 5)]
    assert rows(two[two.token == "Martin"], "is_stop", "start_char", "sentence_id") == [
        (False, 0, 1)]
    assert two["sentence_id"].tolist() == [1, 1, 1, 1, 2, 2, 2]
    assert rows(batch[batch.doc_id == "test"], "token", "lemma", "start_char") == [
        ("China", "china", 0), ("'s", "'s", 5), ("Internet", "Internet", 8),
        ("grew", "grow", 17)]
    assert batch.attrs["language"] is None
    assert batch.attrs["languages"] == {"one": "fr", "two": "fr", "test": "en"}
    # and each document's rows are exactly its own table's
    for iv in (first, second, english):
        alone = tokens_from(iv)
        part = batch[batch.doc_id == iv.doc_id].reset_index(drop=True)
        pd.testing.assert_frame_equal(part, alone, check_like=False)


def test_batch_of_the_sample_twice_repeats_its_table(sample):
    iv, tokens = sample
    again = dataclasses.replace(iv, doc_id="copy")
    batch = tokens_from_many([iv, again])
    assert len(batch) == 2 * len(tokens) and batch.attrs["language"] == "fr"
    for doc_id in ("gt-kurbalija-2025-fr", "copy"):
        part = batch[batch.doc_id == doc_id].drop(columns="doc_id").reset_index(drop=True)
        pd.testing.assert_frame_equal(part, tokens.drop(columns="doc_id"))


def test_batch_of_nothing_is_an_empty_table():
    batch = tokens_from_many([])
    assert list(batch.columns) == TOKEN_COLUMNS and len(batch) == 0
