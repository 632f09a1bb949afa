"""A collection of documents of every shape, regenerated together: every document ok, 5/5 notebooks.

The guard of issue 15: the comparison notebook had never seen two documents of one language, the
concordance never a document without its three concepts, the term notebook never a document
without a Q/A pair.  Here fifteen invented documents (tests/fixtures/collection/documents.py:
French, English, German, Arabic; .txt .md .docx .html .pdf; one Q/A pair to forty; narration, one
speaker, two interviewers, questions only; no concept; only symbols; a sidecar ``language: xx``;
two documents with the same words; 13 words and 21,000 words) run through papermill in one
regeneration, then one more is added.  Where a notebook has nothing to draw it says so in one
sentence and writes no file, so each document's expected figures are listed below with the
reason for every one left out.

Figures are written as PNG at 50 dpi only, to keep the run within a few minutes: the three
formats at full resolution are tests/test_end_to_end.py's business.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import project_copy
from PIL import Image

from interview_lens.runs.regenerate import regenerate

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "collection_documents", ROOT / "tests" / "fixtures" / "collection" / "documents.py")
documents = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(documents)

pytestmark = pytest.mark.slow

NOTEBOOKS = ["01-segment-interview", "02-term-frequencies", "03-word-classes", "04-concept-cooccurrence",
             "05-compare-respondents"]
ALL = {"terms-top", "terms-by-theme", "keyness-by-theme", "keyness-by-role", "bigrams",
       "wordcloud", "wordclouds-by-theme", "concepts-heatmap", "concepts-network",
       "concepts-by-qa", "concepts-dispersion", "documents-concept-rates", "guide-themes",
       "classes-dendrogram", "classes-along", "ca-plane", "similarity-network"}
# notebook 03: the classification, its CA plane (3 classes or Q/A pairs and 3 terms at least) and
# the network (two content lemmas in 3 segments that share one)
WORDS = {"classes-dendrogram", "classes-along", "ca-plane", "similarity-network"}
BY_PAIR = {"terms-by-theme", "keyness-by-theme", "wordclouds-by-theme", "concepts-by-qa"}
CONCEPTS = {"concepts-heatmap", "concepts-network", "concepts-by-qa", "concepts-dispersion"}
# Figures each document cannot have, and why (everything else of ALL must be written).
MISSING = {
    "en-forty-pairs": set(),
    "en-long": set(),
    "same-words-a": {"ca-plane"},
    "same-words-b": {"ca-plane"},
    "fr-nested-two-interviewers": set(),
    # two classes only and one Q/A pair: no plane (it needs three classes or three pairs)
    "en-report": {"ca-plane"},
    "en-table-only": {"ca-plane"},
    # one Q/A pair of 13 words: one theme, so no reference for keyness by theme; no lemma
    # twice, so no keyness by role and no bigram; coopération and partage in one sentence only,
    # under the two units a network edge needs
    # two segments: no class, no lemma in 3 segments (no network)
    "fr-short": {"keyness-by-theme", "keyness-by-role", "bigrams", "concepts-network"} | WORDS,
    # no Q/A pair: nothing per pair, and no interviewer to set the interviewee apart from
    "fr-narration": BY_PAIR | {"keyness-by-role"} | WORDS - {"similarity-network"},
    "en-one-speaker": BY_PAIR | {"keyness-by-role"} | WORDS,
    # eight questions without an answer: every pair is "other" (no answer to label it from),
    # one theme, so no keyness by theme; only the interviewer speaks
    "questions-only-xx": {"keyness-by-theme", "keyness-by-role"} | WORDS,
    # no concept of the dictionary; no lemma twice (no keyness, no bigram)
    "en-no-concept": CONCEPTS | {"keyness-by-theme", "keyness-by-role", "bigrams"} | WORDS,
    # German words match no French/English pattern; its 4 short turns repeat no bigram
    "de-interview": CONCEPTS | {"bigrams"} | WORDS,
    # Arabic speaker labels are not read as labels (the segmenter's): one "other" block, no
    # Q/A pair; Arabic words match no pattern and repeat no bigram
    "ar-interview": BY_PAIR | CONCEPTS | {"keyness-by-role", "bigrams"} | WORDS,
    # no content word at all: no term, no concept
    "only-symbols": ALL - {"documents-concept-rates", "guide-themes"},
}
# Documents without a concept hit of their own: the concept-rate figure of notebook 05 is drawn
# when some document processed before them has hits (it shows the collection), so whether it
# exists depends on the order the two jobs finish in; it must then match its table.
ORDER_DEPENDENT = {"en-no-concept", "de-interview", "ar-interview", "only-symbols"}
TABLES = ["turns.csv", "qa.csv", "tokens.csv", "warnings.json", "document.json",
          "frequency.csv", "keyness.csv", "keyness-by-role.csv", "bigrams.csv", "trigrams.csv",
          "lexical-profile.csv", "concept-hits.csv", "cooccurrence.csv", "concordance.csv",
          "documents.csv", "concept-rates.csv", "keyness-vs-collection.csv",
          "segments.csv", "classes.csv", "class-profiles.csv", "similarity-edges.csv",
          "similarity-nodes.csv"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    patch = pytest.MonkeyPatch()
    root = project_copy(tmp_path_factory, "collection", patch)
    files = documents.write_collection(root / "data" / "interviews")
    results = regenerate(project_root=root, jobs=2, progress=False, formats=("png",), dpi=50)
    yield root, files, {r["doc_id"]: r for r in results}
    patch.undo()


def test_the_collection_has_every_shape(project):
    # two interviewers in the nested HTML; the table-only .docx read as four Q/A pairs
    root_ = project[0]
    turns = pd.read_csv(root_ / "data/processed/fr-nested-two-interviewers/turns.csv")
    assert set(turns.loc[turns["role"] == "interviewer", "speaker"]) == {"Julie Roy", "Marc Petit"}
    assert len(pd.read_csv(root_ / "data/processed/en-table-only/qa.csv")) == 4
    root, files, _ = project
    assert len(files) >= 12 and set(files) == set(MISSING)
    suffixes = {Path(f).suffix for f in files.values()}
    assert suffixes == {".txt", ".md", ".docx", ".html", ".pdf"}
    words = {d: len((root / "data/processed" / d / "tokens.csv").read_text().splitlines()) - 1
             for d in ("fr-short", "en-long")}
    assert words["fr-short"] < 50 and words["en-long"] > 20_000


def test_every_document_ok_with_five_notebooks(project):
    _, files, results = project
    assert {d: (r["status"], r["problem"]) for d, r in results.items()} == {
        d: ("ok", "") for d in files}
    assert {r["notebooks_run"] for r in results.values()} == {5}


@pytest.mark.parametrize("doc_id", sorted(MISSING))
def test_every_figure_it_should_have_and_no_other(project, doc_id):
    root, _, _ = project
    folder = root / "figures" / doc_id
    expected = ALL - MISSING[doc_id]
    if doc_id in ORDER_DEPENDENT:
        rates = pd.read_csv(root / "data/processed" / doc_id / "concept-rates.csv")
        assert doc_id not in set(rates.loc[rates["hits"] > 0, "doc_id"])
        if rates.empty:
            expected = expected - {"documents-concept-rates"}
    # notebook 05's theme x respondent heatmap is drawn when some document processed so far has
    # a Q/A pair: for a document without one it depends on the order too; it must match its table
    if pd.read_csv(root / "data/processed" / doc_id / "guide-themes.csv").empty:
        expected = expected - {"guide-themes"}
    assert {p.stem for p in folder.glob("*.png")} == expected
    for name in expected:
        assert (folder / f"{name}.csv").stat().st_size > 0
        with Image.open(folder / f"{name}.png") as img:
            img.verify()
    manifest = json.loads((root / "outputs" / doc_id / "manifest.json").read_text())
    assert {Path(f).stem for f in manifest["figures"]} == expected


@pytest.mark.parametrize("doc_id", sorted(MISSING))
def test_every_table_and_no_error_output(project, doc_id):
    root, _, _ = project
    tables = root / "data" / "processed" / doc_id
    assert [t for t in TABLES if not (tables / t).is_file()] == []
    for name in NOTEBOOKS:
        executed = json.loads((root / "outputs" / doc_id / f"{name}.ipynb").read_text())
        errors = [o for c in executed["cells"] for o in c.get("outputs", [])
                  if o.get("output_type") == "error"]
        assert errors == []


def _outputs_text(root: Path, doc_id: str, notebook: str) -> str:
    executed = json.loads((root / "outputs" / doc_id / f"{notebook}.ipynb").read_text())
    parts = []
    for cell in executed["cells"]:
        for out in cell.get("outputs", []):
            parts.append("".join(out.get("text", "")))
            parts.append("".join(out.get("data", {}).get("text/markdown", "")))
    return "\n".join(parts)


def test_a_figure_not_drawn_is_one_sentence(project):
    root, _, _ = project
    terms = _outputs_text(root, "only-symbols", "02-term-frequencies")
    assert "This document has no content word" in terms
    assert "No concept of the dictionary occurs in this document" in _outputs_text(
        root, "en-no-concept", "04-concept-cooccurrence")
    assert "No question/answer pair was found" in _outputs_text(
        root, "fr-narration", "01-segment-interview")


def test_the_concordance_names_its_focus_concepts(project):
    root, _, _ = project
    text = _outputs_text(root, "en-forty-pairs", "04-concept-cooccurrence")
    assert "(the concepts with most hits)" in text
    kwic = pd.read_csv(root / "data/processed/en-forty-pairs/concordance.csv")
    assert len(set(kwic["concept"])) == 3
    empty = pd.read_csv(root / "data/processed/en-no-concept/concordance.csv")
    assert empty.empty


def test_documents_alone_in_their_language_say_so(project):
    root, _, _ = project
    key = pd.read_csv(root / "data/processed/de-interview/keyness-vs-collection.csv")
    assert key.empty
    assert ("This document is the only processed one in its language (de)"
            in _outputs_text(root, "de-interview", "05-compare-respondents"))


def test_an_unknown_sidecar_language_is_warned_about_and_detected(project):
    """``language: xx`` is no language: the reader warns and detects English, so the document
    is compared with the English ones instead of breaking notebook 05."""
    root, _, _ = project
    tables = root / "data/processed/questions-only-xx"
    assert json.loads((tables / "document.json").read_text())["language"] == "en"
    assert any("language 'xx' is not an ISO 639-1 code; the language is detected instead" in w
               for w in json.loads((tables / "warnings.json").read_text()))
    assert len(pd.read_csv(tables / "keyness-vs-collection.csv")) > 0


def test_a_language_without_patterns_is_not_coded_and_said(project):
    root, _, _ = project
    rates = pd.read_csv(root / "data/processed/de-interview/concept-rates.csv")
    assert "de-interview" not in set(rates["doc_id"])
    assert "de-interview (de)" in _outputs_text(root, "de-interview", "05-compare-respondents")


def test_document_keyness_sees_the_other_documents_of_its_language(project):
    root, _, results = project
    # same-words-b was compared with the English documents processed before it; its twin has
    # the same lemmas, so whatever the order, some reference exists and rows were scored
    key = pd.read_csv(root / "data/processed/same-words-b/keyness-vs-collection.csv")
    assert len(key) > 0 and set(key["doc_id"]) == {"same-words-b"}


def test_adding_a_document_runs_it_and_skips_the_others(project):
    root, files, _ = project
    others = {d: _sha(root / "data/processed" / d / "keyness-vs-collection.csv") for d in files}
    added = documents.write_added(root / "data" / "interviews")
    results = {r["doc_id"]: r for r in regenerate(project_root=root, jobs=2, progress=False,
                                                  formats=("png",), dpi=50)}
    assert {d: r["status"] for d, r in results.items()} == {
        **{d: "skipped" for d in files}, **{d: "ok" for d in added}}
    # The current contract: notebook 05 reads the collection as it is when a document runs, and a
    # new document does not rerun the others (their comparison tables are those of their own
    # run); the added one is compared with every document processed before it.
    assert {d: _sha(root / "data/processed" / d / "keyness-vs-collection.csv")
            for d in files} == others
    key = pd.read_csv(root / "data/processed/en-added/keyness-vs-collection.csv")
    assert len(key) > 0
    documents_csv = pd.read_csv(root / "data/processed/en-added/documents.csv")
    assert set(documents_csv["doc_id"]) == set(files) | set(added)
