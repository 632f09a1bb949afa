"""The optional sidecar ``<stem>.yaml`` beside a document: what the file itself cannot say.

Keys: ``title, short_title, source, year, date, language, interviewer, interviewee,
interviewers, speakers, aliases, themes, variables, notes``; ``speakers:`` maps a label as written to a
canonical name and a role (``Caralie: {name: Caralie, role: other}``), ``interviewers:`` lists
the people who ask, ``variables:`` the respondent's study variables (``sector: NGO``, see
:mod:`interview_lens.reading.variables`).  The sidecar is refused before anything is built from it when it is larger than
:data:`MAX_SIDECAR_BYTES`, uses YAML aliases or nests too deep (see
:func:`interview_lens.reading.config.safe_load`); then every value is type-checked by its key's entry in
:data:`CHECKS`.  A wrong value is a :class:`ConfigError` naming the file and the key in one line;
unknown keys and an unknown language code are warnings (a typo such as ``langauge:`` must not be
silently ignored).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Callable

from interview_lens.errors import ConfigError
from interview_lens.reading.config import safe_load
from interview_lens.reading.speakers import check_aliases, check_names, check_speakers

# A sidecar is a handful of hand-written lines; 64 KiB leaves room for long notes and alias or
# theme lists, and keeps a hostile file from costing anything before it is refused.
MAX_SIDECAR_BYTES = 64 * 1024
# Sound recording starts in 1877 and written-down oral testimony not much earlier: a year
# outside this range is a typo (``year: 20024``).
YEAR_RANGE = (1800, 2100)
# ISO 639-1 (with the withdrawn bh and sh, still found in archives' metadata).
ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da
de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz
ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln
lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi
pl ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk sl sm sn so sq sr ss st su sv sw ta te tg th
ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu""".split())
# fr, fr-CA, pt_BR: the language subtag of a BCP 47 / POSIX locale tag is what we use.
_LANGUAGE_TAG = re.compile(r"([A-Za-z]{2})(?:[-_][A-Za-z0-9]{2,8})*")


class _Unknown(Exception):
    """A value of the right type that we cannot use: a warning, and the key is dropped."""


def _text(value: Any) -> str:
    # ``title: 1984`` is read by YAML as a number; what the user wrote is the text
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"must be text, not {_kind(value)} (put it in quotes)")
    return str(value).strip()


def _year(value: Any) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not re.fullmatch(
            r"\d{4}", text):
        raise ValueError(f"not a year ({_shown(value)}); expected four digits such as 2024")
    year = int(text)
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise ValueError(f"not a plausible year ({year}; expected {YEAR_RANGE[0]}-"
                         f"{YEAR_RANGE[1]})")
    return year


def _date(value: Any) -> str:
    """An ISO ``YYYY-MM-DD`` string, whether YAML read a date, a timestamp or a string."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = value.strip() if isinstance(value, str) else ""
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):  # YAML's own date shape, 2024-5-3 too
        try:
            return dt.date(*map(int, text.split("-"))).isoformat()
        except ValueError:  # 2024-13-45: the shape is right, the date does not exist
            raise ValueError(f"not a valid date ({text})") from None
    try:  # other ISO 8601 forms: 20240503, 2024-05-03T10:00
        return dt.datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        raise ValueError(f"not a valid date ({_shown(value)}); expected YYYY-MM-DD") from None


def _language(value: Any) -> str:
    match = _LANGUAGE_TAG.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"not a two-letter language code ({_shown(value)}); "
                         "expected e.g. fr or en")
    code = match.group(1).lower()
    if code not in ISO_639_1:
        raise _Unknown(f"language {code!r} is not an ISO 639-1 code; the language is "
                       "detected instead")
    return code


def _variables(value: Any) -> dict[str, Any]:
    from interview_lens.reading.variables import check_variables  # imported late (pandas)

    return _checked(check_variables)(value)


def _checked(check: Callable[[Any, Path | None], Any]) -> Callable[[Any], Any]:
    """A ``check(value, path)`` that raises :class:`ConfigError` (``aliases.check_aliases`` and
    its kind) as an entry of :data:`CHECKS`."""
    def run(value: Any) -> Any:
        try:
            return check(value, None)
        except ConfigError as exc:
            raise ValueError(exc.problem) from None
    return run


def _aliases(value: Any) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise ValueError(f"must be a mapping 'canonical: [variant, ...]', not {_kind(value)}")
    return _checked(check_aliases)(value)


def _themes(value: Any) -> dict[str, list[str]]:
    from interview_lens.analysis.themes import (
        load_themes,  # the themes file's own rules; imported late (pandas)
    )

    if not isinstance(value, dict):  # a string would be read as a themes file's name
        raise ValueError(f"must be a mapping 'label: [keyword, ...]', not {_kind(value)}")
    return _checked(lambda v, _path: load_themes(v))(value)


#: Each known key and the check that turns its YAML value into the value kept (or raises
#: ``ValueError`` with the problem; a ``check(value, path)`` raising ConfigError is wrapped by
#: ``_checked``).  A new key is one line here.
CHECKS: dict[str, Callable[[Any], Any]] = {
    "title": _text, "short_title": _text, "source": _text, "year": _year, "date": _date,
    "language": _language, "interviewer": _text, "interviewee": _text,
    "interviewers": _checked(lambda v, p: check_names(v, p, "interviewers")),
    "speakers": _checked(check_speakers), "aliases": _aliases, "themes": _themes,
    "variables": _variables, "notes": _text,
}
KNOWN_KEYS = tuple(CHECKS)


def sidecar_path(document: str | Path) -> Path | None:
    """``interviews/x.yaml`` (or ``.yml``) beside ``interviews/x.txt``, if it exists."""
    document = Path(document)
    for suffix in (".yaml", ".yml"):
        candidate = document.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(document: str | Path) -> tuple[dict[str, Any], list[str]]:
    """Read and check the sidecar of ``document``.

    Returns ``(values, warnings)``: the known keys present with checked values (``year`` an int,
    ``date`` an ISO string, ``language`` a lower-case ISO 639-1 code, ``aliases``
    ``{canonical: [variants]}``, ``themes`` ``{label: [keywords]}``, the others stripped
    strings; an empty value is left out), and one warning per unknown key or unknown language
    code.  No sidecar: ``({}, [])``.  Raises :class:`ConfigError` naming the file (and the key).
    """
    path = sidecar_path(document)
    if path is None:
        return {}, []
    raw = safe_load(_read_text(path), path=path)
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        raise ConfigError(path, "a sidecar must be a mapping of keys to values")
    values: dict[str, Any] = {}
    notes: list[str] = []
    for key, value in raw.items():
        if key not in CHECKS:
            notes.append(f"{path.name}: unknown sidecar key {key!r} ignored "
                         f"(known: {', '.join(KNOWN_KEYS)})")
        elif not _empty(value):
            try:
                values[key] = CHECKS[key](value)
            except _Unknown as exc:
                notes.append(f"{path.name}: {exc}")
            except ValueError as exc:
                raise ConfigError(path, _without_key(str(exc), key), item=key) from None
    return values, notes


def _without_key(problem: str, key: str) -> str:
    """``interviewers: interviewers must be a list`` -> ``must be a list``: the error names the
    key once."""
    while problem.startswith((f"{key}: ", f"{key} ")):
        problem = problem[len(key) + 1:].lstrip()
    return problem


def _read_text(path: Path) -> str:
    """The sidecar's text; refused unread beyond :data:`MAX_SIDECAR_BYTES`."""
    try:
        with path.open("rb") as fh:  # read one byte more than allowed, never the whole file
            data = fh.read(MAX_SIDECAR_BYTES + 1)
    except OSError as exc:
        raise ConfigError(path, f"cannot read sidecar ({exc.strerror or exc})") from None
    if len(data) > MAX_SIDECAR_BYTES:
        size = path.stat().st_size
        raise ConfigError(path, f"too large: {size // 1024} KiB (limit "
                                f"{MAX_SIDECAR_BYTES // 1024} KiB for a sidecar)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(path, f"cannot read sidecar (not UTF-8: byte {exc.start})") from None


def _empty(value: Any) -> bool:
    """``title:`` or ``themes: {}`` written with nothing: the key is as good as absent."""
    return value is None or (isinstance(value, (str, list, dict)) and not value)


def _kind(value: Any) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list",
             dict: "a mapping", dt.date: "a date", dt.datetime: "a date"}
    return names.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    """A value as the user wrote it, short: ``abc``, ``2024-13-45``, ``a list``."""
    if isinstance(value, (list, dict)):
        return _kind(value)
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."
