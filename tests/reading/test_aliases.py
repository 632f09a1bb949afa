"""Speaker aliases: which spellings are one person, and which full name they take."""
from __future__ import annotations

from collections import Counter

import pytest

from interview_lens.errors import ConfigError
from interview_lens.reading.speakers import (
    _full_names,
    load_aliases,
    phonetic_key,
    resolve_speakers,
    similar,
)


@pytest.mark.parametrize("a, b", [
    ("Kulbariya", "Kurubariya"), ("Kulbariya", "Kurbalija"), ("Kurbalija", "Kurbariya"),
    ("Kurubariya", "Kurbariya"), ("MR. SMITH", "Smith"), ("Smith", "John Smith"),
    ("Hélène", "HELENE")])
def test_similar_names_merge(a, b):
    assert similar(a, b) and similar(b, a)


@pytest.mark.parametrize("a, b", [
    ("Marie", "Mario"), ("Martin", "Martine"), ("Jean", "Jeanne"), ("Smith", "Schmidt"),
    ("Speaker 1", "Speaker 2"), ("GT", "GB"), ("John Smith", "Jane Smith"), ("Anna", "Boris")])
def test_different_names_stay_apart(a, b):
    assert not similar(a, b)


def test_phonetic_key():
    # l/r and j/y are confused by transliteration; doubled letters collapse
    assert phonetic_key("Kurbalija") == phonetic_key("Kurbariya") == "kurbariya"
    assert phonetic_key("Kulbariya") == "kurbariya"
    assert phonetic_key("Kurubariya") == "kurubariya"


def test_surname_labels_take_the_full_name_spelled_like_a_label():
    labels = Counter({"Kulbariya": 3, "Kurubariya": 1, "Kurbalija": 1, "GT": 5})
    text = ("Le journaliste a interviewé Jovan Kurbalija, directeur. "
            "Photo : Jovan Kurbariya. Légende : Jovan Kurbariya. Global Times.")
    mapping, merges = resolve_speakers(labels, text)
    assert mapping == {"Kulbariya": "Jovan Kurbalija", "Kurubariya": "Jovan Kurbalija",
                       "Kurbalija": "Jovan Kurbalija", "GT": "GT"}
    # the caption's spelling joins the merge list although no label uses it
    assert merges == {"Jovan Kurbalija": ["Kulbariya", "Kurbalija", "Kurbariya", "Kurubariya"]}


def test_without_a_full_name_the_most_frequent_spelling_wins():
    mapping, merges = resolve_speakers(Counter({"Kurubariya": 1, "Kulbariya": 3}), "no names")
    assert mapping == {"Kurubariya": "Kulbariya", "Kulbariya": "Kulbariya"}
    assert merges == {"Kulbariya": ["Kurubariya"]}


def test_explicit_aliases_win_and_keep_people_apart():
    labels = Counter({"Marie": 2, "Mario": 2, "Mary": 1})
    mapping, merges = resolve_speakers(
        labels, "", explicit={"Marie Dupont": ["Marie", "Mary"], "Mario Rossi": ["Mario"]})
    assert mapping == {"Marie": "Marie Dupont", "Mario": "Mario Rossi", "Mary": "Marie Dupont"}
    assert merges == {"Marie Dupont": ["Marie", "Mary"], "Mario Rossi": ["Mario"]}


def test_load_aliases(tmp_path):
    good = tmp_path / "a.yaml"
    good.write_text("Jovan Kurbalija: [Kulbariya, Kurubariya]\nGT: Global Times\nX:\n",
                    encoding="utf-8")
    assert load_aliases(good) == {"Jovan Kurbalija": ["Kulbariya", "Kurubariya"],
                                  "GT": ["Global Times"], "X": []}


@pytest.mark.parametrize("content, problem", [
    ("a: [b\n", "malformed YAML"), ("- a\n- b\n", "must be a mapping"),
    ("a: {b: c}\n", "a: variants must be a list")])
def test_bad_aliases_file(tmp_path, content, problem):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=problem) as info:
        load_aliases(path)
    assert str(info.value).startswith(str(path))


def test_missing_aliases_file(tmp_path):
    with pytest.raises(ConfigError, match="aliases file not found"):
        load_aliases(tmp_path / "none.yaml")


@pytest.mark.parametrize(("label", "shown"), [
    ("O'NEIL", "O'Neil"),
    ("D’SOUZA", "D’Souza"),
    ("JEAN-LUC MARTIN", "Jean-Luc Martin"),
    ("DR. ANNE-MARIE DE LA TOUR", "Dr. Anne-Marie de la Tour"),
    ("MR. LI", "Mr. Li"),
    ("GT", "GT"),
    ("THE VICE PRESIDENT", "The Vice President"),  # a particle that opens the name keeps its capital
    ("LE PEN", "Le Pen"),
])
def test_display_name_of_upper_case_labels(label, shown):
    from interview_lens.reading.lines import display_name

    assert display_name(label) == shown


def test_surname_with_apostrophe_finds_the_full_name():
    # "O'NEIL" / "O'Neill" labels; the lede names "Dr. Maeve O'Neil"
    labels = Counter({"HAINES": 3, "O'NEIL": 3, "O'Neill": 1})
    text = "Dr. Maeve O'Neil directs the lab. She spoke with Tom Haines."
    mapping, merges = resolve_speakers(labels, text)
    assert mapping == {"HAINES": "Tom Haines", "O'NEIL": "Maeve O'Neil",
                       "O'Neill": "Maeve O'Neil"}
    assert merges["Maeve O'Neil"] == ["O'NEIL", "O'Neil", "O'Neill"]


def test_malformed_yaml_reads_as_the_python_parser_says(tmp_path):
    # libyaml says "mapping values are not allowed in this context"; the message stays the
    # Python parser's, with its line number
    path = tmp_path / "bad.yaml"
    path.write_text("GT: Global Times\na: b: c\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_aliases(path)
    assert str(info.value) == (f"{path}: malformed YAML (line 2: mapping values are not "
                               f"allowed here)")


def test_full_names_start_after_a_non_word_character():
    text = ("Jovan Kurbalija (Jean-Yves Le Drian) et «Marie Dupont», xAvier Dupont, "
            "l’Ambassadeur Kurbalija, 2Marc Roux, Jovan Kurbalija.")
    assert _full_names(text) == Counter({"Jovan Kurbalija": 2, "Jean-Yves Le Drian": 1,
                                         "Marie Dupont": 1, "Ambassadeur Kurbalija": 1})
