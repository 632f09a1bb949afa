"""Fingerprints and manifests: what makes a document rerun, and what does not."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

import interview_lens.analysis.dictionary as concepts_module
import interview_lens.language.lexicon as lexicon_module
from interview_lens.runs.manifest import (
    input_fingerprint,
    is_up_to_date,
    lexicon_for,
    lexicon_hashes,
    listed_files,
    missing_outputs,
    output_sizes,
    package_source_hash,
    read_manifest,
    sha256_file,
    sha256_json,
    sidecar_for,
    with_language,
    write_manifest,
)

PARAMS = {"formats": ["png"], "dpi": 50}
SHIPPED_DATA = Path(__file__).resolve().parents[2] / "src" / "interview_lens" / "data"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "data" / "interviews").mkdir(parents=True)
    (tmp_path / "data" / "concepts").mkdir()
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "data" / "interviews" / "a.txt").write_text("Q: un ?\nR: deux.\n", encoding="utf-8")
    (tmp_path / "data" / "interviews" / "a.yaml").write_text("language: fr\n", encoding="utf-8")
    (tmp_path / "data" / "interviews" / "b.txt").write_text("Q: one?\nA: two.\n", encoding="utf-8")
    (tmp_path / "data" / "concepts" / "default.yaml").write_text("ia: [IA]\n", encoding="utf-8")
    (tmp_path / "notebooks" / "01-x.ipynb").write_text("{}", encoding="utf-8")
    return tmp_path


def fingerprint(project: Path, doc: str = "a.txt", params=PARAMS, source="s",
                language: str | None = None) -> str:
    return input_fingerprint(
        project_root=project, document=project / "data" / "interviews" / doc,
        notebooks=[project / "notebooks" / "01-x.ipynb"], parameters=params,
        package_version="0.1.0", source_hash=source, language=language)["fingerprint"]


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the package's real data folder, which the code then loads instead of the
    installed one: the word lists where ``lexicon.LEXICON_DIR`` points, the default
    dictionary where ``dictionary.default_dictionary_path()`` finds it."""
    data = tmp_path / "package-data"
    shutil.copytree(SHIPPED_DATA, data)
    monkeypatch.setattr(lexicon_module, "LEXICON_DIR", data / "lexicon")
    monkeypatch.setattr(concepts_module, "DEFAULT_DICTIONARY",
                        data / "concepts" / "default.yaml")
    return data


def test_sha256_file_is_the_hash_of_the_bytes(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(b"abc")
    # the SHA-256 test vector for "abc" (FIPS 180-2, appendix B.1)
    assert sha256_file(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_sha256_json_ignores_key_order():
    assert sha256_json({"a": 1, "b": [1, 2]}) == sha256_json({"b": [1, 2], "a": 1})
    assert sha256_json({"a": 1}) != sha256_json({"a": 2})


def test_fingerprint_records_each_input(project):
    inputs = input_fingerprint(
        project_root=project, document=project / "data" / "interviews" / "a.txt",
        notebooks=[project / "notebooks" / "01-x.ipynb"], parameters=PARAMS,
        package_version="0.1.0", source_hash="s")
    doc_bytes = "Q: un ?\nR: deux.\n".encode()
    assert inputs["document"] == {"path": "data/interviews/a.txt",
                                  "sha256": hashlib.sha256(doc_bytes).hexdigest()}
    assert inputs["sidecar"] == {"path": "data/interviews/a.yaml",
                                 "sha256": hashlib.sha256(b"language: fr\n").hexdigest()}
    assert inputs["notebooks"] == {"01-x.ipynb": hashlib.sha256(b"{}").hexdigest()}
    assert inputs["concepts"] == {
        "data/concepts/default.yaml": hashlib.sha256(b"ia: [IA]\n").hexdigest()}
    assert inputs["parameters"] == PARAMS
    assert inputs["package_source_sha256"] == "s"


def test_fingerprint_is_stable_when_nothing_changes(project):
    assert fingerprint(project) == fingerprint(project)
    # touching a file without changing it is not a change
    doc = project / "data" / "interviews" / "a.txt"
    doc.write_bytes(doc.read_bytes())
    assert fingerprint(project) == fingerprint(project)


@pytest.mark.parametrize("change", [
    "document", "sidecar", "new sidecar", "notebook", "concepts", "new concepts file",
    "new variables table", "new guide",
])
def test_fingerprint_changes_with_each_input_file(project, change):
    doc = "b.txt" if change == "new sidecar" else "a.txt"
    before = fingerprint(project, doc)
    path = {
        "document": project / "data" / "interviews" / "a.txt",
        "sidecar": project / "data" / "interviews" / "a.yaml",
        "new sidecar": project / "data" / "interviews" / "b.yaml",
        "notebook": project / "notebooks" / "01-x.ipynb",
        "concepts": project / "data" / "concepts" / "default.yaml",
        "new concepts file": project / "data" / "concepts" / "themes.yaml",
        "new variables table": project / "data" / "interviews" / "variables.csv",
        "new guide": project / "data" / "interviews" / "guide.yaml",
    }[change]
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("\n# changed\n")
    assert fingerprint(project, doc) != before


def test_fingerprint_changes_with_parameters_and_source(project):
    before = fingerprint(project)
    assert fingerprint(project, params={"formats": ["png"], "dpi": 300}) != before
    assert fingerprint(project, source="other") != before


def test_other_documents_do_not_affect_a_fingerprint(project):
    before = fingerprint(project, "a.txt")
    (project / "data" / "interviews" / "b.txt").write_text("changed", encoding="utf-8")
    assert fingerprint(project, "a.txt") == before


def test_lexicon_hashes_are_the_lists_the_tokenizer_loads(shipped):
    hashes = lexicon_hashes()
    lists = ["fillers.txt", "multiword.txt", "stop_add.txt", "stop_multiword.txt",
             "stop_remove.txt"]
    assert sorted(hashes) == sorted([f"{lang}/{name}" for lang in ("en", "fr") for name in lists]
                                    + ["lemma_overrides.csv#en", "lemma_overrides.csv#fr"])
    path = shipped / "lexicon" / "fr" / "stop_add.txt"
    assert hashes["fr/stop_add.txt"] == hashlib.sha256(path.read_bytes()).hexdigest()
    (shipped / "lexicon" / "README.md").write_text("notes only\n")  # not loaded: not hashed
    assert lexicon_hashes() == hashes


def test_editing_a_french_list_changes_french_fingerprints_only(project, shipped):
    fr, en = fingerprint(project, language="fr"), fingerprint(project, "b.txt", language="en")
    unknown = fingerprint(project)
    path = shipped / "lexicon" / "fr" / "stop_add.txt"
    original = path.read_bytes()
    path.write_bytes(original + "entretien\n".encode())
    assert fingerprint(project, language="fr") != fr
    assert fingerprint(project, "b.txt", language="en") == en
    assert fingerprint(project) != unknown  # a language not known yet depends on every list
    path.write_bytes(original)  # restored: the fingerprint it had
    assert fingerprint(project, language="fr") == fr


def test_english_rows_of_the_lemma_overrides_count_for_english_only(project, shipped):
    fr, en = fingerprint(project, language="fr"), fingerprint(project, "b.txt", language="en")
    with open(shipped / "lexicon" / "lemma_overrides.csv", "a", encoding="utf-8") as fh:
        fh.write("en,data,data,mass noun\n")
    assert fingerprint(project, language="fr") == fr
    assert fingerprint(project, "b.txt", language="en") != en


def test_lexicon_for_a_language_without_lists_is_empty():
    hashes = {"fr/stop_add.txt": "1", "en/stop_add.txt": "2", "lemma_overrides.csv#fr": "3"}
    assert lexicon_for(hashes, "fr") == {"fr/stop_add.txt": "1", "lemma_overrides.csv#fr": "3"}
    assert lexicon_for(hashes, "de") == {}
    assert lexicon_for(hashes, None) == hashes


def test_with_language_narrows_a_runs_inputs_to_the_language_found(project, shipped):
    full = input_fingerprint(
        project_root=project, document=project / "data" / "interviews" / "a.txt",
        notebooks=[project / "notebooks" / "01-x.ipynb"], parameters=PARAMS,
        package_version="0.1.0", source_hash="s")
    assert full["language"] is None and full["lexicon"] == lexicon_hashes()
    narrowed = with_language(full, lexicon_hashes(), "fr")
    assert narrowed["fingerprint"] == fingerprint(project, language="fr")
    assert set(narrowed["lexicon"]) == {k for k in lexicon_hashes() if "fr" in k}


def test_package_source_hash_covers_the_default_dictionary(shipped):
    before = package_source_hash()
    with open(shipped / "concepts" / "default.yaml", "a", encoding="utf-8") as fh:
        fh.write("# a researcher's note\n")
    assert package_source_hash() != before


def test_a_file_named_by_a_parameter_is_an_input(project):
    mine = project / "mine.yaml"
    mine.write_text("concepts: []\n")
    params = {**PARAMS, "concepts": "mine.yaml", "unit": "qa"}
    before = fingerprint(project, params=params)
    mine.write_text("concepts: [x]\n")
    assert fingerprint(project, params=params) != before


def test_sidecar_for(project):
    assert sidecar_for(project / "data" / "interviews" / "a.txt").name == "a.yaml"
    assert sidecar_for(project / "data" / "interviews" / "b.txt") is None
    (project / "data" / "interviews" / "b.yml").write_text("x: 1\n")
    assert sidecar_for(project / "data" / "interviews" / "b.txt").name == "b.yml"


def test_write_and_read_manifest(tmp_path):
    path = tmp_path / "out" / "manifest.json"
    write_manifest(path, {"status": "ok", "title": "Entretien « IA »"})
    assert read_manifest(path) == {"status": "ok", "title": "Entretien « IA »"}
    assert "« IA »" in path.read_text(encoding="utf-8")  # readable UTF-8, not \u escapes
    assert [p.name for p in path.parent.iterdir()] == ["manifest.json"]  # no .part left
    umask = os.umask(0o022)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0600


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", ""])
def test_unreadable_manifest_reads_as_none(tmp_path, content):
    path = tmp_path / "manifest.json"
    path.write_text(content)
    assert read_manifest(path) is None
    assert read_manifest(tmp_path / "missing.json") is None


def _manifest(project: Path, fp: str, status: str = "ok") -> dict:
    (project / "figures" / "a").mkdir(parents=True)
    (project / "figures" / "a" / "f.png").write_bytes(b"png")
    (project / "outputs" / "a").mkdir(parents=True)
    (project / "outputs" / "a" / "report.html").write_text("<html></html>")
    return {"status": status, "inputs": {"fingerprint": fp}, "figures": ["figures/a/f.png"],
            "tables": [], "executed_notebooks": [], "report": "outputs/a/report.html"}


def test_up_to_date_only_when_ok_same_fingerprint_and_files_present(project):
    manifest = _manifest(project, "abc")
    assert listed_files(manifest) == ["figures/a/f.png", "outputs/a/report.html"]
    assert is_up_to_date(manifest, "abc", project)
    assert not is_up_to_date(manifest, "abd", project)
    assert not is_up_to_date({**manifest, "status": "failed"}, "abc", project)
    assert not is_up_to_date(None, "abc", project)
    (project / "figures" / "a" / "f.png").unlink()  # someone deleted a figure: rerun
    assert not is_up_to_date(manifest, "abc", project)
    assert missing_outputs(manifest, project) == ["figures/a/f.png"]


def test_an_output_of_another_size_is_missing(project):
    manifest = _manifest(project, "abc")
    manifest["output_sizes"] = output_sizes(project, listed_files(manifest))
    assert manifest["output_sizes"] == {"figures/a/f.png": 3, "outputs/a/report.html": 13}
    assert is_up_to_date(manifest, "abc", project)
    (project / "outputs" / "a" / "report.html").write_text("")  # truncated by hand
    assert missing_outputs(manifest, project) == ["outputs/a/report.html"]
    assert not is_up_to_date(manifest, "abc", project)


def test_manifest_json_is_plain(tmp_path):
    # the manifest must stay readable by any tool: plain JSON types only
    path = write_manifest(tmp_path / "m.json", {"a": [1, 2.5, None, True], "b": {"c": "d"}})
    assert json.loads(path.read_text()) == {"a": [1, 2.5, None, True], "b": {"c": "d"}}


def test_editing_the_variables_table_makes_every_document_out_of_date(project):
    table = project / "data" / "interviews" / "variables.csv"
    table.write_text("file,sector\na.txt,NGO\n", encoding="utf-8")
    inputs = input_fingerprint(
        project_root=project, document=project / "data" / "interviews" / "a.txt",
        notebooks=[project / "notebooks" / "01-x.ipynb"], parameters=PARAMS,
        package_version="0.1.0", source_hash="s")
    assert inputs["study"] == {"data/interviews/variables.csv": hashlib.sha256(
        b"file,sector\na.txt,NGO\n").hexdigest()}
    manifest = _manifest(project, fingerprint(project))
    b_before = fingerprint(project, "b.txt")
    assert is_up_to_date(manifest, fingerprint(project), project)
    table.write_text("file,sector\na.txt,government\n", encoding="utf-8")
    assert not is_up_to_date(manifest, fingerprint(project), project)
    # b has no row, but the table is the collection's: b reruns too (its notebook 05 groups)
    assert fingerprint(project, "b.txt") != b_before
