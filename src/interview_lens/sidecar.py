"""The optional sidecar ``<stem>.yaml`` beside a document: what the file itself cannot say.

Keys: ``title, source, year, date, language, interviewer, interviewee, interviewers, speakers,
aliases, themes, notes``; ``speakers:`` maps a label as written to a canonical name and a role
(``Caralie: {name: Caralie, role: other}``), ``interviewers:`` lists the people who ask.
A malformed sidecar is a :class:`ConfigError` naming it; unknown keys are reported as warnings
(a typo such as ``langauge:`` must not be silently ignored).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .aliases import _yaml_where, check_aliases, check_names, check_speakers, safe_load
from .errors import ConfigError

KNOWN_KEYS = ("title", "source", "year", "date", "language", "interviewer", "interviewee",
              "interviewers", "speakers", "aliases", "themes", "notes")


def sidecar_path(document: str | Path) -> Path | None:
    """``interviews/x.yaml`` (or ``.yml``) beside ``interviews/x.txt``, if it exists."""
    document = Path(document)
    for suffix in (".yaml", ".yml"):
        candidate = document.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(document: str | Path) -> tuple[dict[str, Any], list[str]]:
    """Read the sidecar of ``document``.

    Returns ``(values, warnings)``: the known keys present (``aliases`` validated as
    ``{canonical: [variants]}``), and one warning per unknown key.  No sidecar: ``({}, [])``.
    """
    path = sidecar_path(document)
    if path is None:
        return {}, []
    try:
        raw = safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        raise ConfigError(path, f"malformed YAML ({_yaml_where(exc)})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot read sidecar ({exc})") from None
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        raise ConfigError(path, "a sidecar must be a mapping of keys to values")
    values: dict[str, Any] = {}
    notes: list[str] = []
    for key, value in raw.items():
        if key not in KNOWN_KEYS:
            notes.append(f"{path.name}: unknown sidecar key {key!r} ignored "
                         f"(known: {', '.join(KNOWN_KEYS)})")
            continue
        values[key] = value
    if "aliases" in values:
        values["aliases"] = check_aliases(values["aliases"], path)
    if "speakers" in values:
        values["speakers"] = check_speakers(values["speakers"], path)
    if "interviewers" in values:
        values["interviewers"] = check_names(values["interviewers"], path, "interviewers")
    for key in ("language", "interviewer", "interviewee"):
        if key in values and values[key] is not None and not isinstance(values[key], str):
            raise ConfigError(path, f"{key} must be a string", item=key)
    return values, notes
