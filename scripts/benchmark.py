"""Benchmark the workbook (``make bench``): see :mod:`interview_lens.benchmark`.

Usage: python scripts/benchmark.py [--words N] [--documents DIR] [--repeat R] [--quick]
       [--skip tokens,concepts,notebooks,batch,memory]
"""
from __future__ import annotations

import sys

from interview_lens.benchmark import main

if __name__ == "__main__":
    sys.exit(main())
