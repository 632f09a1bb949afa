"""Lazy public names for a package's ``__init__``: the API is listed in one place, and a module
is imported only when one of its names is first used.

So ``import interview_lens`` (and each subpackage) stays instant for the command line and for
papermill's kernels, and no ``__init__`` imports a sibling at import time (no import cycle
through a package: tests/test_architecture.py checks).
"""
from __future__ import annotations

import importlib
from typing import Callable


def attach(package: str, exports: dict[str, str]) -> tuple[Callable, Callable, list[str]]:
    """``__getattr__``, ``__dir__`` and ``__all__`` for ``package`` whose public names are
    ``exports`` (name -> module, absolute, e.g. ``"interview_lens.reading.segment"``)."""

    def __getattr__(name: str):
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        globals_of_package = importlib.import_module(package).__dict__
        globals_of_package[name] = value  # the next lookup is a plain attribute
        return value

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__, sorted(exports)
