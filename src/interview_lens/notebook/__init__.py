"""What the notebooks call: ``setup`` (first cell), ``load`` (a document to an ``Analysis``:
interview, tokens, themes, output folders), the tables a notebook shows (``summary``,
``data_quality``), ``or_note``/``save_or_note`` (a table or figure, or one sentence saying why
there is none), ``study`` (notebook 05's choice of groups) and the exploration widgets.
"""
from __future__ import annotations

from interview_lens._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "setup_notebook": "interview_lens.notebook.setup",
    "relax_garbage_collector": "interview_lens.notebook.setup",
    "Analysis": "interview_lens.notebook.analysis",
    "load": "interview_lens.notebook.analysis",
    "summary": "interview_lens.notebook.analysis",
    "data_quality": "interview_lens.notebook.analysis",
    "save_tables": "interview_lens.notebook.analysis",
    "document_label": "interview_lens.notebook.analysis",
    "document_variables": "interview_lens.notebook.analysis",
    "guide_file": "interview_lens.notebook.analysis",
    "documents_with_variables": "interview_lens.notebook.analysis",
    "Comparison": "interview_lens.notebook.study",
    "plan_comparison": "interview_lens.notebook.study",
    "group_keyness": "interview_lens.notebook.study",
    "group_rates": "interview_lens.notebook.study",
    "or_note": "interview_lens.notebook.display",
    "save_or_note": "interview_lens.notebook.display",
    "concept_explorer": "interview_lens.notebook.explore",
    "term_concordance_explorer": "interview_lens.notebook.explore",
})
