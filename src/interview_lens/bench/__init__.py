"""The benchmark's parts (see :mod:`interview_lens.benchmark`): corpora, timing, each stage."""
