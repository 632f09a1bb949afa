"""Themes: G² distinctive terms (hand-computed), automatic labels, themes files, overrides."""
from __future__ import annotations

import importlib.util
import math
import warnings
from pathlib import Path

import pandas as pd
import pytest

from interview_lens.analysis.themes import (
    apply_themes,
    distinctive_terms,
    label_themes,
    verb_lemmas,
)
from interview_lens.errors import ConfigError, InterviewWarning
from interview_lens.language.tokens import tokens_from

HERE = Path(__file__).resolve().parents[1]
FIX = HERE / "fixtures" / "language"
_spec = importlib.util.spec_from_file_location("language_helpers", FIX / "helpers.py")
helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(helpers)
SAMPLE = HERE.parent / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"


@pytest.fixture()
def small():
    iv = helpers.make_interview([
        ("GT", "interviewer", "GT", "Le climat ?"),
        ("X", "interviewee", "X", "Le climat change vite. Le climat inquiète les agriculteurs."),
        ("GT", "interviewer", "GT", "Et le commerce ?"),
        ("X", "interviewee", "X", "Le commerce ralentit. Le commerce mondial souffre du climat."),
        ("GT", "interviewer", "GT", "Et demain ?"),
        ("X", "interviewee", "X", "Demain reste incertain."),
    ])
    return iv, tokens_from(iv)


def test_g2_by_hand(small):
    iv, tokens = small
    terms = distinctive_terms(iv, tokens)
    # Content lemmas per pair (question tokens weigh 2):
    #   pair 1: Q climat | A climat change vite climat inquiéter agriculteur -> c = 2 + 6 = 8
    #   pair 2: Q commerce | A commerce ralentir commerce mondial souffrir climat -> 7 tokens
    #   pair 3: Q demain | A demain incertain -> 3 tokens
    # climat in pair 1: a = 2 + 1 + 1 = 4, b = 1 (pair 2), d = 7 + 3 = 10
    #   E1 = 8*5/18, E2 = 10*5/18, G² = 2 (4 ln(4/E1) + 1 ln(1/E2)) = 2.658991
    e1, e2 = 8 * 5 / 18, 10 * 5 / 18
    g2 = 2 * (4 * math.log(4 / e1) + math.log(1 / e2))
    assert g2 == pytest.approx(2.658991, abs=1e-6)
    row = terms[(terms.qa_id == 1) & (terms.lemma == "climat")].iloc[0]
    assert (row.a, row.b) == (4.0, 1.0) and row.g2 == pytest.approx(g2)
    # commerce in pair 2: a = 4, b = 0, c = 8, d = 10: G² = 2 * 4 ln(4 / (8*4/18)) = 8 ln 2.25
    row = terms[(terms.qa_id == 2) & (terms.lemma == "commerce")].iloc[0]
    assert row.g2 == pytest.approx(8 * math.log(2.25))
    # words said once (vite, mondial...) and negatively key words (climat in pair 2) are out
    assert terms.groupby("qa_id")["lemma"].apply(list).to_dict() == {
        1: ["climat"], 2: ["commerce"], 3: ["demain"]}


def test_automatic_labels(small):
    iv, tokens = small
    themed = label_themes(iv, tokens)
    assert list(themed.columns) == list(iv.qa.columns) + ["theme", "theme_terms"]
    assert themed["theme"].tolist() == ["Climat", "Commerce", "Demain"]
    assert themed["theme_terms"].tolist() == ["climat", "commerce", "demain"]
    assert "theme" not in iv.qa  # input unchanged


def test_themes_file_assigns_named_themes_or_other(small):
    iv, tokens = small
    themed = label_themes(iv, tokens, themes=FIX / "themes_ok.yaml")
    # pair 1: clim* = 2 + 1 + 1, agricult* = 1 -> Environnement 5; pair 2: commerce 4 against
    # climat 1 -> Économie; pair 3: no keyword -> other
    assert themed["theme"].tolist() == ["Environnement", "Économie", "other"]
    assert themed["theme_terms"].tolist() == ["climat", "commerce", "demain"]


def test_sidecar_themes_and_manual_overrides(small):
    iv, tokens = small
    iv.meta["themes"] = {"Météo": ["climat"]}
    themed = label_themes(iv, tokens, overrides=FIX / "overrides_ok.csv")
    assert themed["theme"].tolist() == ["Météo", "Météo", "Avenir"]
    themed = label_themes(iv, tokens, overrides={1: "Planète"})
    assert themed["theme"].tolist() == ["Planète", "Météo", "other"]


@pytest.mark.parametrize("name, problem", [
    ("themes_broken.yaml", "malformed YAML"),
    ("themes_list.yaml", "mapping"),
    ("themes_empty.yaml", "Économie: empty keyword list"),
    ("missing.yaml", "not found"),
])
def test_malformed_themes_file(small, name, problem):
    iv, tokens = small
    with pytest.raises(ConfigError) as info:
        label_themes(iv, tokens, themes=FIX / name)
    assert name in str(info.value) and problem in str(info.value)
    assert "\n" not in str(info.value)


def test_unknown_qa_id_in_overrides(small):
    iv, tokens = small
    with pytest.raises(ConfigError, match=r"overrides_unknown\.csv: unknown qa_id 9"):
        label_themes(iv, tokens, overrides=FIX / "overrides_unknown.csv")


def test_apply_themes_returns_new_objects(small):
    iv, tokens = small
    themed = label_themes(iv, tokens)
    iv2, tokens2 = apply_themes(iv, tokens, themed)
    assert tokens2.groupby("qa_id")["theme"].first().to_dict() == {
        1: "Climat", 2: "Commerce", 3: "Demain"}
    assert set(tokens["theme"]) == {""} and "theme" not in iv.qa
    assert iv2.qa["theme"].tolist() == ["Climat", "Commerce", "Demain"]
    assert iv2 is not iv


def test_sample_themes_are_recognisable():
    from interview_lens.reading.segment import read_interview

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InterviewWarning)
        iv = read_interview(SAMPLE)
    tokens = tokens_from(iv)
    themed = label_themes(iv, tokens)
    terms = {q: t.split(", ") for q, t in zip(themed.qa_id, themed.theme_terms)}
    assert all(len(t) == 5 for t in terms.values())
    # (1) the concept of a shared-future community in cyberspace: the question's nouns lead
    #     ("partager" is distinctive too, but a verb: fourth, after the label)
    assert terms[1] == ["concept", "communauté", "cyberespace", "partager", "collaboration"]
    # (2) obstacles to cooperation
    assert terms[2][0] == "obstacle" and "coopération" in terms[2]
    # (3) inclusion
    assert terms[3][0] == "inclusion" and "accès" in terms[3]
    # (4) Chinese AI innovation and DeepSeek
    assert terms[4][:2] == ["innovation", "DeepSeek"] and "chinois" in terms[4]
    # (5) the Global Governance Initiative and its cultural and philosophical roots
    assert {"initiative", "culturel", "philosophique"} <= set(terms[5])
    assert themed["theme"].tolist() == [
        "Concept · communauté · cyberespace", "Obstacle · coopération · international",
        "Inclusion · accès · humanité", "Innovation · DeepSeek · modèle",
        "Initiative · Chine · culturel"]  # no verb (lier, nécessiter) in a label
    assert themed["theme"].nunique() == 5
    iv2, tokens2 = apply_themes(iv, tokens, themed)
    assert set(tokens2.loc[tokens2.qa_id == 0, "theme"]) == {""}
    assert set(tokens2.loc[tokens2.qa_id == 4, "theme"]) == {"Innovation · DeepSeek · modèle"}
    pd.testing.assert_frame_equal(tokens2.drop(columns="theme"), tokens.drop(columns="theme"))


def _pairs(rows):
    return pd.DataFrame(rows, columns=["norm", "lemma", "is_stop"])


def test_verb_lemmas_french_forms_against_nouns_adjectives_and_names():
    tokens = _pairs([
        ("partagent", "partager", False),   # conjugated: a verb
        ("liés", "lier", False),            # participle: a verb
        ("coopérer", "coopérer", False),    # only the infinitive seen: not decided a verb
        ("première", "premier", False),     # feminine adjective
        ("premiers", "premier", False),     # plural adjective
        ("pouvoirs", "pouvoir", False),     # plural noun
        ("chine", "Chine", False),          # proper noun
        ("faire", "faire", True),           # stopword: never looked at
        ("fait", "faire", True),
    ])
    assert verb_lemmas(tokens, language="fr") == {"partager", "lier"}
    assert verb_lemmas(tokens, language="de") == set()


def test_verb_lemmas_english_ing_and_ed_forms():
    tokens = _pairs([("shared", "share", False), ("shares", "share", False),
                     ("meeting", "meeting", False), ("building", "build", False),
                     ("needs", "need", False)])
    assert verb_lemmas(tokens, language="en") == {"share", "build"}
