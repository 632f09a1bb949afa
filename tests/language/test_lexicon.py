"""Lexicon: the stopword table, removals, fillers, overrides and multi-word lists in use."""
from __future__ import annotations

from pathlib import Path

import pytest
import stopwordsiso

from interview_lens.errors import ConfigError
from interview_lens.language.lexicon import (
    cased_name,
    is_number,
    language_name,
    lemma_overrides,
    lemmatize,
    load_lexicon,
    multiword_terms,
    parse_multiword,
    removed_stopwords,
    stop_expressions,
    stopword_table,
)
from interview_lens.text import is_acronym
from interview_lens.text import normalise_token as normalise

FR_CONTENT = ["personnes", "nouveau", "état", "possible", "premier", "dernier", "parole", "dire",
              "monde", "pays", "temps", "travail", "place", "point", "partie", "cas", "vie",
              "fait", "homme", "gens"]
EN_CONTENT = ["world", "people", "new", "state", "work", "information", "computer", "problem"]


@pytest.mark.parametrize("language, words", [("fr", FR_CONTENT), ("en", EN_CONTENT)])
def test_content_words_are_not_stopwords(language, words):
    table = stopword_table(language)
    assert not set(words) & set(table["word"])
    removed = removed_stopwords(language)
    assert set(words) <= set(removed["word"])


def test_removals_really_were_in_stopwordsiso():
    # the removal list is not just guards: these are in the maintained lists today
    removed = removed_stopwords("fr").set_index("word")["in_stopwordsiso"]
    assert removed[["personnes", "nouveau", "état", "possible", "premier", "dernier", "parole",
                    "dire", "fait", "gens"]].all()
    assert not removed["monde"]  # a guard entry
    assert {"world", "new", "state", "information"} <= stopwordsiso.stopwords("en")


def test_stopword_table_sources():
    fr = stopword_table("fr").set_index("word")["source"]
    assert fr["le"] == "stopwordsiso"
    assert fr["euh"] == "filler" and fr["voilà"] == "filler" and fr["ben"] == "filler"
    assert fr["également"] == "added"
    en = stopword_table("en").set_index("word")["source"]
    assert en["um"] == "filler" and en["uh"] == "filler" and en["the"] == "stopwordsiso"
    assert en["n't"] == "added"
    assert list(stopword_table("fr").columns) == ["word", "source"]
    assert set(fr.unique()) == {"stopwordsiso", "added", "filler"}


def test_lemma_overrides_table():
    table = lemma_overrides("fr")
    assert list(table.columns) == ["language", "form", "lemma", "reason"]
    assert (table["reason"].str.len() > 0).all()
    assert lemmatize("partagées", "fr") == "partager"
    assert lemmatize("ia", "fr") == "IA"
    # without the override simplemma gives "medium"
    assert lemmatize("media", "en") == "media"
    assert lemmatize("communautés", "fr") == "communauté"


def test_multiword_lists():
    fr = multiword_terms("fr")
    assert {"open source", "intelligence artificielle", "société civile", "nations unies"} <= set(
        fr["term"])
    en = multiword_terms("en", extra=["open data"])
    assert ("open-source", "open source") in set(zip(en["variant"], en["term"]))
    assert "open data" in set(en["term"])
    assert parse_multiword("Open-Source  =>  Open   Source") == ("Open-Source", "open source")
    with pytest.raises(ConfigError):
        parse_multiword(" => open source")


@pytest.mark.parametrize("token, expected", [
    ("IA", True), ("ONU", True), ("UE", True), ("U.S.", True), ("AI", True),
    ("I", False), ("Internet", False), ("DIPLOMATIE", False), ("G20", False)])
def test_is_acronym(token, expected):
    assert is_acronym(token, token=True) is expected


@pytest.mark.parametrize("token, expected", [
    ("2025", True), ("3,5", True), ("3.5", True), ("10e", True), ("1990s", True),
    ("5G", False), ("G20", False), ("deux", False)])
def test_is_number(token, expected):
    assert is_number(token) is expected


def test_normalise():
    assert normalise("L’IA") == "l'ia"
    assert normalise("Co‑construction") == "co-construction"  # non-breaking hyphen


def test_multiword_names_are_declared_by_a_capital():
    assert cased_name("Nations unies") == "Nations unies"
    assert cased_name("nations unies => Nations  unies") == "Nations unies"
    assert cased_name("open-source => open source") is None
    names = dict(load_lexicon("fr").names)
    assert names["nations unies"] == "Nations unies"
    assert "open source" not in names
    assert dict(load_lexicon("en").names)["united nations"] == "United Nations"


@pytest.mark.parametrize("language, expressions", [
    ("fr", ["en matière de", "point de vue", "au centre de", "monde entier", "en particulier",
            "en ce qui concerne"]),
    ("en", ["in terms of", "as well as", "point of view", "in particular", "around the world"])])
def test_stop_expressions_table(language, expressions):
    table = stop_expressions(language)
    assert list(table.columns) == ["variant", "expression"]
    assert set(expressions) <= set(table["expression"])
    # every expression has at least two words (one word belongs in stop_add.txt)
    assert (table["variant"].str.split().str.len() >= 2).all()
    # contracted variants point at their canonical expression
    if language == "fr":
        pairs = set(zip(table["variant"], table["expression"]))
        assert ("au centre des", "au centre de") in pairs


def _no_simplemma(monkeypatch):
    import simplemma

    def refuse(*args, **kwargs):
        raise AssertionError("simplemma.langdetect called")

    monkeypatch.setattr(simplemma, "langdetect", refuse)


def test_detect_language_decides_running_text_by_stopword_shares(monkeypatch):
    from interview_lens.language.lexicon import detect_language, stopword_shares

    _no_simplemma(monkeypatch)
    detect_language.cache_clear()
    root = Path(__file__).resolve().parents[2]
    sample = (root / "data/interviews/gt-kurbalija-2025-fr.txt").read_text(encoding="utf-8")
    shares, n = stopword_shares(sample)
    assert n == 1248 and [lang for lang, _ in shares[:2]] == ["fr", "en"]
    assert round(shares[0][1], 2) == 0.54 and round(shares[1][1], 2) == 0.28
    assert detect_language(sample)[0][0] == "fr"
    german = ("Wir haben in diesem Jahr sehr viel gearbeitet, und die Arbeit war nicht immer "
              "leicht, aber wir sind mit dem Ergebnis sehr zufrieden, weil es uns gelungen ist.")
    assert detect_language(german)[0][0] == "de"


def test_stopword_shares_on_a_counted_sentence():
    from interview_lens.language.lexicon import stopword_shares

    # "the" "cat" "and" "the" "dog": the, and (x3 of 5) are English stopwords; none of them
    # is in the French list, "the" is not Dutch either
    shares, n = stopword_shares("The cat and the dog.", ("en", "fr"))
    assert n == 5 and shares == [("en", 0.6), ("fr", 0.0)]


def test_detect_language_leaves_short_text_to_simplemma(monkeypatch):
    import simplemma

    from interview_lens.language.lexicon import detect_language

    detect_language.cache_clear()
    calls = []
    monkeypatch.setattr(simplemma, "langdetect",
                        lambda text, lang: calls.append((text, lang)) or [("en", 0.5)])
    assert detect_language("Q: Hello?\nA: Hi there.", ("fr", "en")) == [("en", 0.5)]
    assert calls == [("Q: Hello?\nA: Hi there.", ("fr", "en"))]


@pytest.mark.parametrize("code, name", [("fr", "French"), ("en", "English"), ("EN", "English"),
                                        ("nl", "Dutch"), ("xx", "xx"), ("", "unknown language"),
                                        (None, "unknown language")])
def test_language_name(code, name):
    assert language_name(code) == name
