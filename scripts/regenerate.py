#!/usr/bin/env python
"""Regenerate every notebook, table, figure and HTML report for the interviews (``make run``).

Thin entry point: the command line is :func:`interview_lens.runner.command.main`, the same as
``python -m interview_lens.regenerate`` (what a scheduler should call: see ``--help``).
"""
from __future__ import annotations

import sys
from pathlib import Path

from interview_lens.runner.command import main as _main
from interview_lens.runner.command import parser

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PROG = "scripts/regenerate.py"


def _parser():
    return parser(PROG, PROJECT_ROOT)


def main(argv: list[str] | None = None) -> int:
    return _main(argv, prog=PROG, default_root=PROJECT_ROOT)


if __name__ == "__main__":
    sys.exit(main())
