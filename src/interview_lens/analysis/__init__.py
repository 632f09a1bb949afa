"""Analysis: statistics on token tables, one tidy DataFrame each (``stat_*``).

``terms`` (frequency, keyness, n-grams, lexical profile), ``themes`` (a theme per Q/A pair),
``dictionary`` (concepts and their patterns), ``concepts`` (their hits), ``units`` (sentence,
paragraph, turn, Q/A pair or window: the presence matrix), ``cooccurrence`` (concept pairs by unit),
``kwic`` (concordances), ``documents`` (a document against the collection), ``corpus``
(collection-scale counts as map/reduce); the textometry of IRaMuTeQ and KH Coder: ``segments``
(text segments), ``classes`` (Reinert's descending hierarchical classification), ``class_profiles``,
``ca`` (correspondence analysis), ``similarity`` (word similarity networks); ``groups`` (documents grouped by a variable: keyness
of a target group via ``stat_keyness(target=)``, concept rates with intervals, classes ×
variables), ``guide`` (an interview guide across interviews).
"""
from __future__ import annotations

from interview_lens._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "stat_frequency": "interview_lens.analysis.terms",
    "stat_keyness": "interview_lens.analysis.terms",
    "stat_ngrams": "interview_lens.analysis.terms",
    "stat_lexical_profile": "interview_lens.analysis.terms",
    "log_likelihood": "interview_lens.analysis.terms",
    "log_ratio": "interview_lens.analysis.terms",
    "label_themes": "interview_lens.analysis.themes",
    "apply_themes": "interview_lens.analysis.themes",
    "load_themes": "interview_lens.analysis.themes",
    "load_dictionary": "interview_lens.analysis.dictionary",
    "code_concepts": "interview_lens.analysis.concepts",
    "ConceptDictionary": "interview_lens.analysis.dictionary",
    "default_dictionary_path": "interview_lens.analysis.dictionary",
    "unit_matrix": "interview_lens.analysis.units",
    "stat_cooccurrence": "interview_lens.analysis.cooccurrence",
    "cooccurrence_matrix": "interview_lens.analysis.cooccurrence",
    "concordance": "interview_lens.analysis.kwic",
    "concordance_of": "interview_lens.analysis.kwic",
    "focus_concepts": "interview_lens.analysis.kwic",
    "focus_term": "interview_lens.analysis.kwic",
    "collection": "interview_lens.analysis.documents",
    "read_processed": "interview_lens.analysis.documents",
    "stat_documents": "interview_lens.analysis.documents",
    "stat_concept_rates": "interview_lens.analysis.documents",
    "stat_document_keyness": "interview_lens.analysis.documents",
    "corpus_statistics": "interview_lens.analysis.corpus",
    "read_corpus_stats": "interview_lens.analysis.corpus",
    "save_corpus_stats": "interview_lens.analysis.corpus",
    "corpus_folders": "interview_lens.analysis.corpus",
    "CorpusStats": "interview_lens.analysis.corpus",
    "text_segments": "interview_lens.analysis.segments",
    "segment_matrix": "interview_lens.analysis.segments",
    "stat_classes": "interview_lens.analysis.classes",
    "stat_class_profiles": "interview_lens.analysis.class_profiles",
    "stat_class_segments": "interview_lens.analysis.class_profiles",
    "stat_class_crosstab": "interview_lens.analysis.class_profiles",
    "class_term_table": "interview_lens.analysis.class_profiles",
    "segment_term_table": "interview_lens.analysis.corpus_segments",
    "stat_corpus_classes": "interview_lens.analysis.corpus_segments",
    "stat_ca": "interview_lens.analysis.ca",
    "lexical_table": "interview_lens.analysis.ca",
    "stat_similarity": "interview_lens.analysis.similarity",
    "chi_square": "interview_lens.analysis.groups",
    "keyness_counts": "interview_lens.analysis.groups",
    "poisson_interval": "interview_lens.analysis.groups",
    "stat_group_rates": "interview_lens.analysis.groups",
    "stat_class_variables": "interview_lens.analysis.groups",
    "read_guide": "interview_lens.analysis.guide",
    "match_guide": "interview_lens.analysis.guide",
    "cluster_qa": "interview_lens.analysis.guide",
    "stat_clusters": "interview_lens.analysis.guide",
    "stat_guide_themes": "interview_lens.analysis.guide",
})
