"""Language: the token table, and the word lists and detection behind it.

``tokens_from`` (one row per token: offsets, lemma, stopword flag, sentence, turn, Q/A pair);
``lexicon`` the shipped word lists (``interview_lens/data/lexicon/``), lemmas and language
detection; ``sentences`` the sentence cuts.
"""
from __future__ import annotations

from interview_lens._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "tokens_from": "interview_lens.language.tokens",
    "tokens_from_many": "interview_lens.language.tokens",
    "load_lexicon": "interview_lens.language.lexicon",
    "lemmatize": "interview_lens.language.lexicon",
    "language_name": "interview_lens.language.lexicon",
    "detect_language": "interview_lens.language.lexicon",
    "stopword_table": "interview_lens.language.lexicon",
    "multiword_terms": "interview_lens.language.lexicon",
    "lemma_overrides": "interview_lens.language.lexicon",
    "removed_stopwords": "interview_lens.language.lexicon",
    "stop_expressions": "interview_lens.language.lexicon",
    "split_sentences": "interview_lens.language.sentences",
})
