"""The project's own exceptions and warnings.

A user error (a file the user gave us that we cannot use) is an :class:`InputError` or a
:class:`ConfigError`; its ``str()`` is one line naming the file and the problem, which is exactly
what the command line prints before exiting with status 2.  Soft problems are
:class:`InterviewWarning` warnings, which also end up in ``Interview.meta["warnings"]`` and so in
the notebooks' data-quality section and the manifest.
"""
from __future__ import annotations

from pathlib import Path


class InterviewLensError(Exception):
    """Base class of every error a user can cause."""

    def __init__(self, path: str | Path | None, problem: str):
        self.path = None if path is None else str(path)
        self.problem = problem
        super().__init__(self._line())

    def _line(self) -> str:
        problem = " ".join(str(self.problem).split())  # always one line
        return f"{self.path}: {problem}" if self.path else problem


class InputError(InterviewLensError):
    """An input document that cannot be read or segmented (missing, empty, binary, corrupt...)."""


class ConfigError(InterviewLensError):
    """A malformed configuration file: sidecar, aliases, themes or concept dictionary."""

    def __init__(self, path: str | Path | None, problem: str, *, item: str | None = None):
        self.item = item
        super().__init__(path, f"{item}: {problem}" if item else problem)


class InterviewWarning(UserWarning):
    """A soft problem with an input: the result is usable but the user should look."""
