"""``interview-lens bench``: the benchmark of ``make bench``, from a source checkout.

The benchmark's code lives in the project's ``benchmarks/`` folder, beside its results, and is not
shipped in the wheel (it needs scikit-learn for its baseline); this subcommand finds that folder
from the project root and hands it every argument (``interview-lens bench --help`` lists them).
"""
from __future__ import annotations

import argparse
import importlib
import sys

from interview_lens.errors import InputError
from interview_lens.project import project_root

HELP = "benchmark the workbook (writes benchmarks/results.json); needs a source checkout"
ADD_HELP = False  # --help is the benchmark's own


def configure(p: argparse.ArgumentParser) -> None:
    """Every argument goes to the benchmark."""
    p.add_argument("arguments", nargs="*", help=argparse.SUPPRESS)


def run(args: argparse.Namespace, out) -> int:
    """Run ``benchmarks/run.py`` of the project with the arguments given."""
    root = project_root()
    if not (root / "benchmarks" / "run.py").is_file():
        raise InputError(root, "no benchmarks/run.py here: the benchmark runs from a source "
                               "checkout of interview-lens (make bench)")
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    return importlib.import_module("benchmarks.run").main(args.arguments)
