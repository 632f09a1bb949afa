"""Rule-based sentence splitting: abbreviations, decimals, ellipses, initials, paragraphs."""
from __future__ import annotations

import pytest

from interview_lens.language.sentences import split_sentences


def sentences(text: str, language: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, language=language)]


@pytest.mark.parametrize("text, language, expected", [
    # titles and abbreviations never end a sentence
    ("M. Dupont est là. Mme Durand aussi.", "fr", ["M. Dupont est là.", "Mme Durand aussi."]),
    ("Dr. Li et p. ex. Genève. Fin.", "fr", ["Dr. Li et p. ex. Genève.", "Fin."]),
    ("Mr. Smith met St. John, e.g. Monday, i.e. Today. Next.", "en",
     ["Mr. Smith met St. John, e.g. Monday, i.e. Today.", "Next."]),
    # dotted acronyms and initials
    ("He went to the U.S. Then home.", "en", ["He went to the U.S. Then home."]),
    ("J. Kurbalija parle. Oui.", "fr", ["J. Kurbalija parle.", "Oui."]),
    # decimals (no space after the separator) never split
    ("Il y a 3.5 et 3,5 millions. Voilà.", "fr", ["Il y a 3.5 et 3,5 millions.", "Voilà."]),
    # an ellipsis stays whole; it splits before a capital, not before a lower-case word
    ("Eh bien... Non. Alors… peut-être… Oui.", "fr",
     ["Eh bien...", "Non.", "Alors… peut-être…", "Oui."]),
    # ! and ? (French spacing) and closing quotes
    ("Vraiment ? Oui ! « Bien. » Puis 2025 arriva.", "fr",
     ["Vraiment ?", "Oui !", "« Bien. »", "Puis 2025 arriva."]),
    # a lower-case word after a full stop continues the sentence; etc. splits before a capital
    ("Des outils, etc. et des idées, etc. Ensuite.", "fr",
     ["Des outils, etc. et des idées, etc.", "Ensuite."]),
    # "No." before a number is an abbreviation
    ("See No. 5 here. In 2020. 5 people came.", "en",
     ["See No. 5 here.", "In 2020.", "5 people came."]),
])
def test_split_sentences(text, language, expected):
    assert sentences(text, language) == expected


def test_paragraph_breaks_split_and_offsets_are_trimmed():
    text = "  Premier paragraphe sans point\n\nSecond. Troisième  \n"
    spans = split_sentences(text, language="fr")
    # by hand: "Premier paragraphe sans point" = 2..31; "Second." = 33..40; "Troisième" = 41..50
    assert spans == [(2, 31), (33, 40), (41, 50)]


def test_empty_text():
    assert split_sentences("", language="fr") == []
    assert split_sentences("\n \n", language="en") == []
