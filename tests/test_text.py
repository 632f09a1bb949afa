"""The text primitives, defined once (interview_lens.text)."""
import pytest

from interview_lens.text import (
    is_acronym,
    normalise,
    normalise_token,
    slugify,
    unify_apostrophes,
)


@pytest.mark.parametrize(("stem", "slug"), [
    ("gt-kurbalija-2025-fr", "gt-kurbalija-2025-fr"),
    ("Entretien d’Hélène (v2)", "entretien-d-helene-v2"),
    ("-leading dash", "leading-dash"), ("-x", "x"),
    ("'quoted' \"name\"", "quoted-name"), ("it's \"quoted\"", "it-s-quoted"),
    ("——", "document"), ("***", "document"),
])
def test_slugify(stem, slug):
    assert slugify(stem) == slug


@pytest.mark.parametrize(("word", "general", "token"), [
    ("IA", True, True), ("ONU", True, True), ("U.S.", True, True),
    ("UNESCO", True, False),  # six capitals: a dictionary acronym, not a token-table one
    ("COVID-19", True, False),  # digits and a hyphen: same
    ("Ia", False, False), ("I", False, False), ("ai", False, False), ("Éé", False, False),
])
def test_is_acronym_general_and_as_a_token(word, general, token):
    assert is_acronym(word) is general
    assert is_acronym(word, token=True) is token


def test_one_set_of_apostrophes_and_hyphens():
    # typographic, modifier-letter, left quote and acute accent all become ', the backtick not
    assert unify_apostrophes("l’IA lʼIA l‘IA l´IA l`IA") == "l'IA l'IA l'IA l'IA l`IA"
    assert normalise_token("L’IA") == "l'ia"
    assert normalise_token("Co‑construction") == "co-construction"  # non-breaking hyphen


def test_normalise_document_text():
    assert normalise("a\u00a0b\r\nc\rd") == "a b\nc\nd"
    assert normalise("commu\u00adnauté") == "communauté"  # a soft hyphen cuts no word
