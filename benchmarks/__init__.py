"""The benchmark's parts (see :mod:`benchmarks.run`): corpora, timing, each stage."""
