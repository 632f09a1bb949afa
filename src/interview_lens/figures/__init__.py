"""Figures for articles: ``plot_*`` functions (each returns a matplotlib Figure, takes
``ax=None`` where one axes suffices) in one house style, and ``save_figure`` (PNG, SVG and PDF,
byte-identical when nothing changed, with the CSV of the numbers beside them).
"""
from __future__ import annotations

from interview_lens._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "apply_style": "interview_lens.figures.style",
    "house_style": "interview_lens.figures.style",
    "figsize": "interview_lens.figures.style",
    "new_figure": "interview_lens.figures.style",
    "title": "interview_lens.figures.style",
    "save_figure": "interview_lens.figures.export",
    "save_table": "interview_lens.figures.export",
    "plot_terms": "interview_lens.figures.terms",
    "plot_terms_by_theme": "interview_lens.figures.terms",
    "plot_keyness": "interview_lens.figures.terms",
    "plot_ngrams": "interview_lens.figures.terms",
    "plot_wordcloud": "interview_lens.figures.terms",
    "plot_wordclouds_by_theme": "interview_lens.figures.terms",
    "plot_cooccurrence_heatmap": "interview_lens.figures.concepts",
    "plot_concept_network": "interview_lens.figures.concepts",
    "network_edges": "interview_lens.figures.concepts",
    "plot_concept_profile": "interview_lens.figures.concepts",
    "plot_dispersion": "interview_lens.figures.concepts",
    "plot_concept_rates": "interview_lens.figures.documents",
    "plot_dendrogram": "interview_lens.figures.classes",
    "plot_classes_along": "interview_lens.figures.classes",
    "plot_ca": "interview_lens.figures.ca",
    "plot_similarity": "interview_lens.figures.similarity",
    "plot_group_keyness": "interview_lens.figures.groups",
    "plot_group_rates": "interview_lens.figures.groups",
    "plot_guide_heatmap": "interview_lens.figures.groups",
    "plot_class_variables": "interview_lens.figures.groups",
})
