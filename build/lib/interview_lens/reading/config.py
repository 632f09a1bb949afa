"""Hand-written YAML files (sidecars, aliases, concept dictionaries, themes, interview guides),
read one way: hardened against hostile files, and every problem one line naming the file."""
from __future__ import annotations

from pathlib import Path

import yaml

from interview_lens.errors import ConfigError


def read_yaml(path: str | Path, *, what: str):
    """The YAML value of the file at ``path`` (UTF-8, a BOM allowed), through :func:`safe_load`.

    ``what`` names the file in the errors: ``ConfigError(path, "<what> not found")``,
    ``"cannot read the <what> (...)"``, or :func:`safe_load`'s malformed-YAML line.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(path, f"{what} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot read the {what} ({exc})") from None
    return safe_load(text, path=path)


# A hand-written YAML file (sidecar, aliases) nests a few levels; deeper is a hostile file, and
# PyYAML's composer recurses once per level.
MAX_YAML_DEPTH = 32
_CLoader = getattr(yaml, "CSafeLoader", None)


def safe_load(text: str, *, path: str | Path | None = None, max_depth: int = MAX_YAML_DEPTH):
    """``yaml.safe_load`` that refuses what a hand-written file never needs, before building it.

    The text's events are checked first: an alias (``*name``, also in ``<<: *name``) is refused,
    because PyYAML shares an aliased node instead of copying it, so a few hundred bytes of nested
    anchors ("billion laughs") become billions of values only when something walks them; and
    nesting deeper than ``max_depth`` is refused.  libyaml's C parser is used when PyYAML has it
    (5-10x faster on the sidecars of a large archive); a malformed text is parsed again by the
    Python parser so that the error (line, problem) reads the same everywhere.  A date-like
    value that is not a date (``2024-13-45``) stays a string for the caller to judge.

    Raises :class:`ConfigError` naming ``path``: malformed YAML, an alias, too deep.
    """
    _check_events(text, path=path, max_depth=max_depth)
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ConfigError(path, f"malformed YAML ({_yaml_where(exc)})") from None
    except (ValueError, TypeError, OverflowError) as exc:  # a tagged value: !!float abc
        raise ConfigError(path, f"malformed YAML (bad value: {exc})") from None


def _check_events(text: str, *, path: str | Path | None, max_depth: int) -> None:
    """Walk the parser's events (no node is built): refuse aliases and deep nesting."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else "?"
                raise ConfigError(path, f"refused: YAML alias *{event.anchor} at line {line} "
                                        "(aliases are not allowed; write the value out)")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    line = event.start_mark.line + 1 if event.start_mark else "?"
                    raise ConfigError(path, f"refused: nested deeper than {max_depth} levels "
                                            f"(line {line})")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        raise ConfigError(path, f"malformed YAML ({_yaml_where(_python_error(text, exc))})"
                          ) from None


def _python_error(text: str, exc: yaml.YAMLError) -> yaml.YAMLError:
    """The pure-Python parser's error for ``text`` (its wording), else libyaml's ``exc``."""
    if _Loader is _PyLoader:
        return exc
    try:
        for _ in yaml.parse(text, Loader=_PyLoader):
            pass
    except yaml.YAMLError as py_exc:
        return py_exc
    return exc


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:  # 2024-13-45 has a date's shape; the caller says what is wrong with it
        return loader.construct_scalar(node)


class _PyLoader(yaml.SafeLoader):
    """SafeLoader whose impossible dates stay strings."""


_PyLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
if _CLoader is not None:
    class _Loader(_CLoader):  # type: ignore[valid-type,misc]
        """CSafeLoader whose impossible dates stay strings."""

    _Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
else:  # pragma: no cover - PyYAML built without libyaml
    _Loader = _PyLoader


def _yaml_where(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or "syntax error"
    return f"line {mark.line + 1}: {problem}" if mark is not None else str(problem)
