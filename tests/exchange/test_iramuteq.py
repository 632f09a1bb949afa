"""IRaMuTeQ corpora: reading star variables and thematic lines, writing, the round trip."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from interview_lens.errors import InputError
from interview_lens.exchange.iramuteq import (
    CorpusText,
    clean_text,
    corpus_texts,
    corpus_variables,
    iramuteq_code,
    parse_iramuteq,
    read_iramuteq,
    to_iramuteq,
    write_iramuteq,
)
from interview_lens.reading.formats import read_document

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"

CORPUS = """**** *doc_entretien_01 *secteur_ong *pays_fr *annee_2024
-*cooperation
Nous travaillons avec les autres associations.
On partage les données.

-*financement
Les subventions viennent de l'Europe.

**** *secteur_gouvernement *pays_de
Wir arbeiten zusammen.
"""


def test_reads_texts_variables_and_themes():
    texts = parse_iramuteq(CORPUS)
    assert [t.doc_id for t in texts] == ["entretien-01", "text-2"]
    first = texts[0]
    assert first.variables == {"secteur": "ong", "pays": "fr", "annee": 2024}
    assert first.document.text == ("Nous travaillons avec les autres associations.\n"
                                   "On partage les données.\n\n"
                                   "Les subventions viennent de l'Europe.")
    # "-*financement" opens the line after "Nous ...\nOn ... données.\n\n": 47 + 24 + 1 = 72
    assert first.themes == ((0, "cooperation"), (72, "financement"))
    assert first.document.text[72:].startswith("Les subventions")
    assert first.document.format == "iramuteq"
    assert texts[1].variables == {"secteur": "gouvernement", "pays": "de"}
    assert texts[1].document.text == "Wir arbeiten zusammen."


@pytest.mark.parametrize("text, problem", [
    ("", "line 1: an IRaMuTeQ corpus starts each text with a line '**** *variable_modality ...'"),
    ("Du texte.\n**** *a_b\nx\n",
     "line 1: an IRaMuTeQ corpus starts each text with a line '**** *variable_modality ...'"),
    ("**** *sector NGO\ntext\n", "line 1: '*sector' is not a star variable *name_modality"),
    ("**** *a_b *a_c\ntext\n", "line 1: variable *a given twice"),
    ("**** *doc_x\none\n**** *doc_x\ntwo\n",
     "line 3: *doc_x already introduces the text of line 1"),
])
def test_malformed_corpus_is_one_error_line(tmp_path, text, problem):
    path = tmp_path / "corpus.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_iramuteq(path)
    assert str(info.value) == f"{path}: {problem}"


@pytest.mark.parametrize("value, name, code", [
    ("Société civile", False, "Societe_civile"),
    ("Côte d’Ivoire", False, "Cote_d_Ivoire"),
    ("NGO", False, "NGO"),
    (2024, False, "2024"),
    ("source_kind", True, "sourcekind"),
    ("pays (ISO)", True, "paysISO"),
])
def test_iramuteq_codes(value, name, code):
    assert iramuteq_code(value, name=name) == code


def test_a_value_without_letters_or_digits_is_refused():
    with pytest.raises(ValueError, match="gives no IRaMuTeQ code"):
        iramuteq_code("—")


def test_clean_text_removes_the_star_markup():
    assert clean_text("**** not a text\n-*not a theme\na *b* c  \n\n") == (
        " not a text\n-not a theme\na b c")


def test_write_lists_what_it_changed():
    from interview_lens.model import Document

    doc = Document(path=Path("a.txt"), text="Le *vrai* sujet.", format="txt")
    text, changes = to_iramuteq([CorpusText("a", doc, {"secteur": "Société civile",
                                                       "pays": "FR", "vague": None})])
    assert text == "**** *doc_a *secteur_Societe_civile *pays_FR\nLe vrai sujet.\n"
    assert changes == ["a: secteur='Société civile' written *secteur_Societe_civile",
                       "a: 2 star(s) removed from the text (IRaMuTeQ markup)"]


def test_doc_is_reserved_for_the_document_id():
    from interview_lens.model import Document

    doc = Document(path=Path("a.txt"), text="x", format="txt")
    with pytest.raises(ValueError, match="carries the document id"):
        to_iramuteq([CorpusText("a", doc, {"doc": "other"})])


def test_round_trip_gives_the_same_documents_texts_variables_and_themes(tmp_path):
    sample = read_document(SAMPLE)
    from interview_lens.model import Document

    other = Document(path=Path("b.txt"), text="Q : Et demain ?\nR : On verra.\n\nMerci.",
                     format="txt")
    variables = pd.DataFrame({"doc_id": ["gt-kurbalija-2025-fr", "entretien-b"],
                              "sector": ["press", "NGO"], "year": [2025, 2024],
                              "country": ["CN", "FR"]})
    # the sample's second paragraph opens a theme; "entretien-b" has two, the second at
    # "Merci.": len("Q : Et demain ?\n") + len("R : On verra.\n") + len("\n") = 16 + 14 + 1
    assert other.text[31:] == "Merci."
    second = sample.text.index("\n") + 1
    texts = corpus_texts({"gt-kurbalija-2025-fr": sample, "entretien-b": other}, variables,
                         themes={"gt-kurbalija-2025-fr": [(second, "intro")],
                                 "entretien-b": [(0, "avenir"), (31, "fin")]})
    path = tmp_path / "corpus.txt"
    assert write_iramuteq(path, texts) == []  # nothing to recode: a lossless file
    back = read_iramuteq(path)
    assert [t.doc_id for t in back] == ["gt-kurbalija-2025-fr", "entretien-b"]
    for before, after in zip(texts, back):
        assert after.document.text == before.document.text.strip("\n")
        assert after.variables == before.variables
        assert after.themes == before.themes
    assert back[0].variables == {"sector": "press", "year": 2025, "country": "CN"}
    assert path.read_text(encoding="utf-8").startswith(
        "**** *doc_gt_kurbalija_2025_fr *sector_press *year_2025 *country_CN\n")


def test_a_theme_starting_inside_a_line_opens_at_that_line():
    from interview_lens.model import Document

    doc = Document(path=Path("a.txt"), text="Un.\nDeux trois.", format="txt")
    text, _ = to_iramuteq([CorpusText("a", doc, {}, ((9, "t"),))])  # 9: inside "Deux trois."
    assert text == "**** *doc_a\nUn.\n-*t\nDeux trois.\n"
    assert parse_iramuteq(text)[0].themes == ((4, "t"),)


def test_a_windows_corpus_is_read_with_its_encoding(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_bytes("**** *pays_fr\nLa coopération.\n".encode("cp1252"))
    with pytest.raises(InputError) as info:
        read_iramuteq(path)
    # "**** *pays_fr\n" is 14 bytes, "La coop" 7: the cp1252 "é" is byte 21
    assert str(info.value) == (f"{path}: not utf-8 text (byte 21); pass the file's encoding, "
                               "e.g. encoding='cp1252'")
    assert read_iramuteq(path, encoding="cp1252")[0].document.text == "La coopération."


def test_corpus_variables_table():
    table = corpus_variables(parse_iramuteq(CORPUS))
    assert table.columns.tolist() == ["doc_id", "secteur", "pays", "annee"]
    assert table["secteur"].tolist() == ["ong", "gouvernement"]
    assert table["annee"].tolist()[0] == 2024 and pd.isna(table["annee"][1])
    assert str(table["annee"].dtype) == "Int64"
