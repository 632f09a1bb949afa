"""One guide across an invented French collection, read and segmented from files."""
from __future__ import annotations

import warnings

import pandas as pd
import pytest

from interview_lens.analysis.guide import match_guide, read_guide, stat_guide_themes

GUIDE = """\
language: fr
questions:
  - theme: Coopération
    question: Comment coopérez-vous avec les autres associations ?
    keywords: [partenariat]
  - theme: Financement
    question: D'où vient le financement de votre travail ?
    keywords: [subvention]
  - theme: Avenir
    question: Comment voyez-vous l'avenir du réseau ?
"""

# Three respondents; Bruno is asked in another order, Chloé gets an off-guide question on her
# holidays, and is never asked about funding.
INTERVIEWS = {
    "alice": [
        ("Comment coopérez-vous avec les autres associations du quartier ?",
         "Nous coopérons chaque semaine avec trois associations et la coopération nous aide."),
        ("D'où vient votre financement ?",
         "Une subvention de la ville et des dons des habitants."),
        ("Et l'avenir du réseau, comment le voyez-vous ?",
         "Le réseau va grandir, avec plus de partage entre les membres."),
    ],
    "bruno": [
        ("Comment voyez-vous l'avenir de votre réseau ?",
         "L'avenir est incertain, mais la communauté est solide."),
        ("Qui finance votre travail, une subvention ?",
         "Surtout une subvention régionale."),
        ("Avez-vous des partenariats ?",
         "Oui, un partenariat avec deux associations voisines, une vraie collaboration."),
    ],
    "chloe": [
        ("Où partez-vous en vacances cet été ?",
         "À la montagne, comme chaque année."),
        ("Comment coopérez-vous avec les associations ?",
         "Nous partageons les locaux et le matériel avec elles."),
        ("Quel avenir pour le réseau ?",
         "Un réseau plus ouvert, je l'espère."),
    ],
}


@pytest.fixture(scope="module")
def collection(tmp_path_factory):
    from interview_lens.analysis.concepts import code_concepts
    from interview_lens.analysis.dictionary import load_dictionary
    from interview_lens.language.tokens import tokens_from_many
    from interview_lens.reading.segment import read_interview

    folder = tmp_path_factory.mktemp("guide-collection")
    interviews = []
    for name, pairs in INTERVIEWS.items():
        path = folder / f"{name}.txt"
        path.write_text("\n\n".join(f"Q : {q}\n\nR : {a}" for q, a in pairs) + "\n",
                        encoding="utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # short invented texts: data-quality notes
            interviews.append(read_interview(path, language="fr"))
    guide_path = folder / "guide.yaml"
    guide_path.write_text(GUIDE, encoding="utf-8")
    tokens = tokens_from_many(interviews)
    hits = code_concepts(tokens, load_dictionary(), language="fr")
    qa = pd.concat([iv.qa.assign(doc_id=iv.doc_id) for iv in interviews], ignore_index=True)
    return {"qa": qa, "guide": read_guide(guide_path), "tokens": tokens, "hits": hits}


def test_each_document_is_segmented_into_its_three_pairs(collection):
    assert collection["qa"].groupby("doc_id").size().to_dict() == {"alice": 3, "bruno": 3,
                                                                   "chloe": 3}


def test_exact_alignments(collection):
    matches = match_guide(collection["qa"], collection["guide"])
    got = {(r.doc_id, r.qa_id): r.theme for r in matches.itertuples()}
    # alice in guide order; bruno reordered (the future first, partnerships last: only the
    # keyword "partenariat" links that question to Coopération); chloé's holidays share no
    # lemma with the guide
    assert got == {("alice", 1): "Coopération", ("alice", 2): "Financement",
                   ("alice", 3): "Avenir",
                   ("bruno", 1): "Avenir", ("bruno", 2): "Financement",
                   ("bruno", 3): "Coopération",
                   ("chloe", 1): "", ("chloe", 2): "Coopération", ("chloe", 3): "Avenir"}
    assert matches.attrs["off_guide"] == [("chloe", 1)]


def test_the_theme_by_respondent_table(collection):
    matches = match_guide(collection["qa"], collection["guide"])
    table = stat_guide_themes(matches, collection["tokens"], collection["hits"])
    assert len(table) == 9
    cell = table.set_index(["theme", "doc_id"])
    assert cell.loc[("Financement", "chloe"), "qa_ids"] == ""  # never asked
    assert cell.loc[("Financement", "chloe"), "words"] == 0
    assert cell.loc[("Coopération", "bruno"), "qa_ids"] == "3"
    assert cell.loc[("Coopération", "bruno"), "answer"].startswith("Oui, un partenariat")
    # "Nous coopérons ... la coopération nous aide": the cooperation concept twice
    assert cell.loc[("Coopération", "alice"), "concepts"].startswith("cooperation (2)")
    # "Nous coopérons chaque semaine avec trois associations et la coopération nous aide.":
    # 12 words, the interviewee's answer to pair 1
    words = collection["tokens"]
    alice_1 = words.loc[(words["doc_id"] == "alice") & (words["qa_id"] == 1) &
                        (words["role"] == "interviewee")]
    assert cell.loc[("Coopération", "alice"), "words"] == len(alice_1) == 12
