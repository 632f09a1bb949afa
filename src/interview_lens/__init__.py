"""interview_lens: turn interviews into evidence.

The pipeline reads as a grammar, one subpackage a stage: ``reading`` (document -> turns and Q/A
pairs) -> ``language`` (tokens) -> ``analysis`` (``stat_*``: counts, keyness, concept hits,
co-occurrence) -> ``figures`` (``plot_*``, ``save_figure``); ``notebook`` is what the notebooks
call, ``runs`` regenerates them, ``cli`` is the command line.  The names below are that grammar,
imported lazily so that ``import interview_lens`` stays fast (the command line and papermill
kernels pay only for what they use): ``import interview_lens as il; il.read_interview(...)``.
"""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from interview_lens._lazy import attach
from interview_lens.errors import ConfigError, InputError, InterviewLensError, InterviewWarning

try:
    __version__ = version("interview-lens")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"

_PUBLIC = {
    "interview_lens.model": ["Document", "Interview"],
    "interview_lens.reading.formats": ["read_document"],
    "interview_lens.reading.segment": ["read_interview"],
    "interview_lens.reading.variables": ["read_variables", "with_variables"],
    "interview_lens.language.tokens": ["tokens_from", "tokens_from_many"],
    "interview_lens.language.lexicon": ["language_name"],
    "interview_lens.analysis.terms": ["stat_frequency", "stat_keyness", "stat_ngrams",
                                      "stat_lexical_profile"],
    "interview_lens.analysis.themes": ["label_themes"],
    "interview_lens.analysis.dictionary": ["load_dictionary"],
    "interview_lens.analysis.concepts": ["code_concepts"],
    "interview_lens.analysis.cooccurrence": ["stat_cooccurrence"],
    "interview_lens.analysis.kwic": ["concordance", "concordance_of", "focus_concepts",
                                     "focus_term"],
    "interview_lens.analysis.documents": ["collection", "stat_documents", "stat_concept_rates",
                                          "stat_document_keyness", "collection_variables",
                                          "tag_variables", "collection_tokens",
                                          "collection_hits", "collection_qa"],
    "interview_lens.analysis.groups": ["stat_group_rates", "stat_class_variables"],
    "interview_lens.analysis.guide": ["read_guide", "match_guide", "cluster_qa",
                                      "stat_clusters", "stat_guide_themes"],
    "interview_lens.analysis.corpus": ["corpus_statistics", "read_corpus_stats",
                                       "corpus_folders"],
    "interview_lens.analysis.segments": ["text_segments"],
    "interview_lens.analysis.classes": ["stat_classes"],
    "interview_lens.analysis.class_profiles": ["stat_class_profiles", "stat_class_segments",
                                               "stat_class_crosstab", "class_term_table"],
    "interview_lens.analysis.corpus_segments": ["segment_term_table", "stat_corpus_classes"],
    "interview_lens.analysis.ca": ["stat_ca", "lexical_table"],
    "interview_lens.analysis.similarity": ["stat_similarity"],
    "interview_lens.figures.style": ["apply_style"],
    "interview_lens.figures.export": ["save_figure", "save_table"],
    "interview_lens.figures.terms": ["plot_terms", "plot_terms_by_theme", "plot_keyness",
                                     "plot_ngrams", "plot_wordcloud", "plot_wordclouds_by_theme"],
    "interview_lens.figures.concepts": ["plot_cooccurrence_heatmap", "plot_concept_network",
                                        "network_edges", "plot_concept_profile",
                                        "plot_dispersion"],
    "interview_lens.figures.documents": ["plot_concept_rates"],
    "interview_lens.figures.classes": ["plot_dendrogram", "plot_classes_along"],
    "interview_lens.figures.ca": ["plot_ca"],
    "interview_lens.figures.similarity": ["plot_similarity"],
    "interview_lens.figures.groups": ["plot_group_keyness", "plot_group_rates",
                                      "plot_guide_heatmap", "plot_class_variables"],
    "interview_lens.notebook.setup": ["setup_notebook"],
    "interview_lens.notebook.analysis": ["Analysis", "load", "summary", "data_quality",
                                         "save_tables", "guide_file",
                                         "documents_with_variables"],
    "interview_lens.notebook.study": ["plan_comparison", "group_keyness", "group_rates"],
    "interview_lens.notebook.display": ["or_note", "save_or_note"],
    "interview_lens.notebook.explore": ["concept_explorer", "term_concordance_explorer"],
    "interview_lens.exchange.qdpx": ["write_qdpx"],
}
__getattr__, __dir__, _names = attach(
    __name__, {name: module for module, names in _PUBLIC.items() for name in names})
__all__ = ["ConfigError", "InputError", "InterviewLensError", "InterviewWarning", "__version__",
           *_names]
