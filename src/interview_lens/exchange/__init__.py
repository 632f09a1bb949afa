"""Exchange: hand the workbook's documents, coding and variables to other tools, and read theirs.

``qdpx`` writes a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder: sources, codes, codings,
cases and variables), ``qdc`` a REFI-QDA codebook (and reads one back as a concept dictionary
skeleton), ``iramuteq`` reads and writes IRaMuTeQ corpora (``**** *var_mod`` texts).
"""
from __future__ import annotations

from interview_lens._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "write_qdpx": "interview_lens.exchange.qdpx",
    "project_xml": "interview_lens.exchange.qdpx",
    "project_selections": "interview_lens.exchange.qdpx",
    "write_collection_qdpx": "interview_lens.exchange.collection",
    "processed_document": "interview_lens.exchange.collection",
    "write_qdc": "interview_lens.exchange.qdc",
    "read_qdc": "interview_lens.exchange.qdc",
    "qdc_to_yaml": "interview_lens.exchange.qdc",
    "read_iramuteq": "interview_lens.exchange.iramuteq",
    "write_iramuteq": "interview_lens.exchange.iramuteq",
    "corpus_texts": "interview_lens.exchange.iramuteq",
    "corpus_variables": "interview_lens.exchange.iramuteq",
})
