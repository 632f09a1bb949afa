"""Fingerprints of everything a document's outputs depend on, and the ``manifest.json`` beside them.

A regeneration run skips a document when the fingerprint recorded in its last successful manifest
equals the fingerprint of the inputs now on disk, and every file that manifest lists still exists.
The fingerprint covers the document, its sidecar, each notebook, the concept dictionaries and
themes files (``data/concepts/**``), the notebook parameters, and the package itself (its Python
source and ``data/lexicon/**``), so editing any of them reruns the documents it affects and only
those.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable

from .sidecar import sidecar_path

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


def package_source_hash(project_root: str | Path) -> str:
    """One hash over the installed package's ``*.py`` files and the project's ``data/lexicon/**``.

    The package is hashed where Python imports it from (an editable install points at
    ``src/interview_lens``), so what is hashed is what the kernels will run.
    """
    package_dir = Path(__file__).resolve().parent
    root = Path(project_root)
    code = tree_hashes(package_dir, _files_under(package_dir, ("**/*.py",)))
    lexicon_dir = root / "data" / "lexicon"
    lexicon = tree_hashes(lexicon_dir, _files_under(lexicon_dir))
    return sha256_json({"package": code, "lexicon": lexicon})


#: The sidecar ``<stem>.yaml`` (or ``.yml``) next to a document, if any: one definition, the
#: reader's, so the fingerprint covers exactly the sidecar that is read.
sidecar_for = sidecar_path


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:  # a document given from outside the project
        return str(path.resolve())


def input_fingerprint(
    *,
    project_root: str | Path,
    document: str | Path,
    notebooks: Iterable[str | Path],
    parameters: dict[str, Any],
    package_version: str,
    source_hash: str | None = None,
) -> dict[str, Any]:
    """Describe every input of one document's run; ``["fingerprint"]`` is the hash of the rest.

    ``parameters`` are the notebook parameters that do not vary from run to run (not the document
    path, not the temporary ``output_root``). ``source_hash`` may be passed in when computed once
    for many documents.
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
        "parameters": parameters,
        "parameters_sha256": sha256_json(parameters),
        "package_source_sha256": source_hash or package_source_hash(root),
        "package_version": package_version,
    }
    inputs["fingerprint"] = sha256_json(inputs)
    return inputs


def read_manifest(path: str | Path) -> dict[str, Any] | None:
    """The manifest at ``path``, or ``None`` when it is missing or unreadable (then we rerun)."""
    try:
        with open(path, encoding="utf-8") as fh:
            value = json.load(fh)
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _umask() -> int:
    try:  # Linux: read it without the set-and-restore race of os.umask()
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def write_manifest(path: str | Path, manifest: dict[str, Any]) -> Path:
    """Write ``manifest`` as indented UTF-8 JSON, atomically (temporary file, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); a manifest is as readable as any output
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            json.dump(manifest, fh, ensure_ascii=False, indent=2, sort_keys=False)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def listed_files(manifest: dict[str, Any]) -> list[str]:
    """Every output file a manifest lists (relative to the project root)."""
    files = [*manifest.get("figures", []), *manifest.get("tables", []),
             *manifest.get("executed_notebooks", [])]
    if manifest.get("report"):
        files.append(manifest["report"])
    return files


def is_up_to_date(manifest: dict[str, Any] | None, fingerprint: str,
                  project_root: str | Path) -> bool:
    """True when the last run succeeded on these exact inputs and its outputs are all in place."""
    if not manifest or manifest.get("status") != "ok":
        return False
    if manifest.get("inputs", {}).get("fingerprint") != fingerprint:
        return False
    root = Path(project_root)
    return all((root / rel).is_file() for rel in listed_files(manifest))
