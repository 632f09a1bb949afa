"""Fingerprints of everything a document's outputs depend on, and the ``manifest.json`` beside them.

A regeneration run skips a document when the fingerprint recorded in its last successful manifest
equals the fingerprint of the inputs now on disk, and every file that manifest lists is still
there with the size it was written with. The fingerprint covers exactly what a run loads: the
document, its sidecar, each notebook, the project's concept dictionaries and themes files
(``data/concepts/**``), the collection's ``variables.csv`` and ``guide.yaml``
(:data:`STUDY_FILES`), any other file a parameter names, the notebook parameters, the package's
Python source, its default concept dictionary and its word lists
(``interview_lens/data/lexicon/``, found where :mod:`interview_lens.language.lexicon` reads them). The word
lists count per language: a document recorded as French depends on ``fr/*`` and the French rows
of ``lemma_overrides.csv`` only, so editing ``fr/stop_add.txt`` reruns the French documents and
skips the English ones.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Iterable

from interview_lens.project import atomic_write
from interview_lens.reading.sidecar import sidecar_path

MANIFEST_NAME = "manifest.json"
_CHUNK = 1 << 20


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_json(value: Any) -> str:
    """Hex SHA-256 of a JSON value in canonical form (sorted keys, no whitespace)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def tree_hashes(base: Path, files: Iterable[Path]) -> dict[str, str]:
    """``{posix path relative to base: sha256}`` for ``files``, sorted by path."""
    return {p.relative_to(base).as_posix(): sha256_file(p)
            for p in sorted(files, key=lambda p: p.relative_to(base).as_posix())}


def _files_under(folder: Path, patterns: Iterable[str] = ("**/*",)) -> list[Path]:
    if not folder.is_dir():
        return []
    found = {p for pattern in patterns for p in folder.glob(pattern)
             if p.is_file() and "__pycache__" not in p.parts}
    return sorted(found)


def package_source_hash(project_root: str | Path | None = None) -> str:
    """One hash over the installed package's ``*.py`` files and its default concept dictionary.

    The package is hashed where Python imports it from (an editable install points at
    ``src/interview_lens``), so what is hashed is what the kernels will run; the word lists are
    hashed per language by :func:`lexicon_hashes`. ``project_root`` is accepted for callers of
    the earlier signature and not used: the project's own files are in the fingerprint itself.
    """
    from interview_lens.analysis.dictionary import default_dictionary_path

    package_dir = Path(__file__).resolve().parents[1]  # the whole package
    code = tree_hashes(package_dir, _files_under(package_dir, ("**/*.py",)))
    default = default_dictionary_path()
    concepts = {default.name: sha256_file(default)} if default.is_file() else {}
    return sha256_json({"package": code, "default_concepts": concepts})


def _lexicon_dir() -> Path:
    from interview_lens.language import lexicon

    return Path(lexicon.LEXICON_DIR)  # read at call time: where load_lexicon reads now


def _csv_rows_by_language(path: Path) -> dict[str, str]:
    """``{"<file>#<language>": sha256}`` of the rows of each language of a ``language,...`` CSV
    (the whole file under ``"<file>#*"`` when it has no ``language`` column)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0] if lines else ""
    if not header.startswith("language,"):
        return {f"{path.name}#*": sha256_file(path)}
    rows: dict[str, list[str]] = {}
    for line in lines[1:]:
        if line.strip():
            rows.setdefault(line.split(",", 1)[0].strip(), []).append(line)
    return {f"{path.name}#{lang}": sha256_json([header, *group])
            for lang, group in sorted(rows.items())}


def lexicon_hashes() -> dict[str, str]:
    """Hashes of the word lists the tokenizer loads: ``{"fr/stop_add.txt": sha256, ...,
    "lemma_overrides.csv#fr": sha256 of the French rows, ...}`` (README files left out)."""
    folder = _lexicon_dir()
    hashes = tree_hashes(folder, _files_under(folder, ("*/*.txt",)))
    for csv_path in _files_under(folder, ("*.csv",)):
        hashes.update(_csv_rows_by_language(csv_path))
    return dict(sorted(hashes.items()))


def lexicon_for(hashes: dict[str, str], language: str | None) -> dict[str, str]:
    """The part of :func:`lexicon_hashes` a document in ``language`` depends on (every list
    while the language is not known yet)."""
    if not language:
        return dict(hashes)
    language = language.lower()
    return {k: v for k, v in hashes.items()
            if k.startswith(f"{language}/") or k.endswith((f"#{language}", "#*"))}


def with_language(inputs: dict[str, Any], lexicon: dict[str, str],
                  language: str | None) -> dict[str, Any]:
    """``inputs`` with its word lists narrowed to ``language`` (the one the run found) and its
    fingerprint recomputed; ``lexicon`` is the full :func:`lexicon_hashes` of the run."""
    narrowed = {k: v for k, v in inputs.items() if k != "fingerprint"}
    narrowed["language"] = language or None
    narrowed["lexicon"] = lexicon_for(lexicon, language)
    narrowed["fingerprint"] = sha256_json(narrowed)
    return narrowed


#: The sidecar ``<stem>.yaml`` (or ``.yml``) next to a document, if any: one definition, the
#: reader's, so the fingerprint covers exactly the sidecar that is read.
sidecar_for = sidecar_path


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:  # a document given from outside the project
        return str(path.resolve())


def _parameter_files(parameters: dict[str, Any], root: Path) -> dict[str, str]:
    """``{value: sha256}`` of the parameters that name a file (``concepts``, ``themes``...):
    a dictionary passed as ``-p concepts=...`` is an input like any other."""
    found: dict[str, str] = {}
    for value in parameters.values():
        if not isinstance(value, str) or not value.strip() or len(value) > 4096:
            continue
        path = Path(value) if Path(value).is_absolute() else root / value
        try:
            if path.is_file():
                found[value] = sha256_file(path)
        except OSError:  # not a path after all (or unreadable: the notebook will say so)
            continue
    return dict(sorted(found.items()))


#: The collection's files every document's run reads (its row of the variables table; the
#: guide of the comparison notebook): a change reruns every document.
STUDY_FILES = ("data/interviews/variables.csv", "data/interviews/guide.yaml")


def _study_files(root: Path) -> dict[str, str]:
    """``{path: sha256}`` of the :data:`STUDY_FILES` present under ``root``."""
    return {name: sha256_file(root / name) for name in STUDY_FILES if (root / name).is_file()}


def input_fingerprint(
    *,
    project_root: str | Path,
    document: str | Path,
    notebooks: Iterable[str | Path],
    parameters: dict[str, Any],
    package_version: str,
    source_hash: str | None = None,
    language: str | None = None,
    lexicon: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Describe every input of one document's run; ``["fingerprint"]`` is the hash of the rest.

    ``parameters`` are the notebook parameters that do not vary from run to run (not the document
    path, not the temporary ``output_root``). ``source_hash`` (:func:`package_source_hash`) and
    ``lexicon`` (:func:`lexicon_hashes`) may be passed in when computed once for many documents.
    ``language`` is the document's language as its last run found it: only that language's word
    lists count (all of them when ``None``; :func:`with_language` narrows them after a run).
    Raises ``OSError`` when the document or its sidecar cannot be read.
    """
    root = Path(project_root)
    document = Path(document)
    sidecar = sidecar_for(document)
    concepts_dir = root / "data" / "concepts"
    inputs: dict[str, Any] = {
        "document": {"path": _rel(document, root), "sha256": sha256_file(document)},
        "sidecar": None if sidecar is None else {"path": _rel(sidecar, root),
                                                 "sha256": sha256_file(sidecar)},
        "notebooks": {Path(nb).name: sha256_file(nb) for nb in notebooks},
        "concepts": {f"data/concepts/{k}": v
                     for k, v in tree_hashes(concepts_dir, _files_under(
                         concepts_dir, ("**/*.yaml", "**/*.yml"))).items()},
        "study": _study_files(root),
        "parameter_files": _parameter_files(parameters, root),
        "parameters": parameters,
        "parameters_sha256": sha256_json(parameters),
        "package_source_sha256": source_hash or package_source_hash(),
        "package_version": package_version,
    }
    return with_language(inputs, lexicon_hashes() if lexicon is None else lexicon, language)


def read_manifest(path: str | Path) -> dict[str, Any] | None:
    """The manifest at ``path``, or ``None`` when it is missing or unreadable (then we rerun)."""
    try:
        with open(path, encoding="utf-8") as fh:
            value = json.load(fh)
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def write_manifest(path: str | Path, manifest: dict[str, Any]) -> Path:
    """Write ``manifest`` as indented UTF-8 JSON, atomically (temporary file, then rename)."""
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    return atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8",
                                                               newline="\n"))


def listed_files(manifest: dict[str, Any]) -> list[str]:
    """Every output file a manifest lists (relative to the project root)."""
    files = [*manifest.get("figures", []), *manifest.get("tables", []),
             *manifest.get("executed_notebooks", []), *manifest.get("exports", [])]
    if manifest.get("report"):
        files.append(manifest["report"])
    return files


def output_sizes(root: str | Path, files: Iterable[str]) -> dict[str, int]:
    """``{path: size in bytes}`` of ``files`` (relative to ``root``), for the manifest."""
    root = Path(root)
    return {rel: (root / rel).stat().st_size for rel in files}


def missing_outputs(manifest: dict[str, Any], project_root: str | Path) -> list[str]:
    """The listed outputs that are gone or no longer have the size the run wrote them with
    (a figure deleted or replaced by hand, a table truncated)."""
    root = Path(project_root)
    sizes = manifest.get("output_sizes") or {}
    missing = []
    for rel in listed_files(manifest):
        path = root / rel
        try:
            size = path.stat().st_size if path.is_file() else None
        except OSError:
            size = None
        if size is None or (rel in sizes and sizes[rel] != size):
            missing.append(rel)
    return missing


def is_up_to_date(manifest: dict[str, Any] | None, fingerprint: str,
                  project_root: str | Path) -> bool:
    """True when the last run succeeded on these exact inputs and its outputs are all in place,
    each with the size it was written with."""
    if not manifest or manifest.get("status") != "ok":
        return False
    if manifest.get("inputs", {}).get("fingerprint") != fingerprint:
        return False
    return not missing_outputs(manifest, project_root)
