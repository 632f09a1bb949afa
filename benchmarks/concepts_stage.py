"""Part 2: concept coding and sentence co-occurrence on 50,000 sentences and 20 concepts.

The shipped dictionary has 18 concepts; two more (``bench_world``, ``bench_people``, common
words of the sample) make the 20.  The token tables of the synthetic documents are built first
(not timed) and concatenated, so the units are ``(doc_id, sentence_id)`` across the corpus.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from benchmarks.timing import measure, summary

EXTRA_CONCEPTS = [
    {"id": "bench_world", "labels": {"en": "world", "fr": "monde"}, "colour": "#888888",
     "fr": {"lemmas": ["monde", "mondial", "international", "planète"]},
     "en": {"lemmas": ["world", "global", "international", "planet"]}},
    {"id": "bench_people", "labels": {"en": "people", "fr": "peuples"}, "colour": "#444444",
     "fr": {"lemmas": ["humanité", "pays", "nation", "peuple"]},
     "en": {"lemmas": ["humanity", "country", "nation", "people"]}},
]


def twenty_concepts(folder: Path) -> Path:
    """The shipped dictionary plus :data:`EXTRA_CONCEPTS`, written to ``folder``."""
    from interview_lens.analysis.dictionary import default_dictionary_path

    data = yaml.safe_load(default_dictionary_path().read_text(encoding="utf-8"))
    data["concepts"] = [*data["concepts"], *EXTRA_CONCEPTS][:20]
    data["name"] = "benchmark-20"
    path = folder / "concepts-20.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def bench_concepts(tokens, dictionary_path: Path, *, language: str,
                   repeat: int) -> dict[str, Any]:
    """Time ``code_concepts`` and ``stat_cooccurrence(unit="sentence")`` separately."""
    from interview_lens.analysis.concepts import code_concepts
    from interview_lens.analysis.cooccurrence import stat_cooccurrence
    from interview_lens.analysis.dictionary import load_dictionary

    dictionary = load_dictionary(dictionary_path)
    sample = tokens[tokens["doc_id"] == tokens["doc_id"].iloc[0]]
    stat_cooccurrence(code_concepts(sample, dictionary, language=language), sample,
                      unit="sentence")  # untimed: first-call imports and caches
    code_s, hits = measure(lambda: code_concepts(tokens, dictionary, language=language),
                           repeat=repeat)
    co_s, pairs = measure(lambda: stat_cooccurrence(hits, tokens, unit="sentence"),
                          repeat=repeat)
    n_sentences = int(tokens.groupby(["doc_id", "sentence_id"]).ngroups)
    return {"sentences": n_sentences, "tokens": len(tokens),
            "concepts": len(dictionary.concepts), "concepts_hit": int(hits["concept"].nunique()),
            "hits": len(hits), "pairs": len(pairs),
            "code_concepts": summary(code_s), "cooccurrence": summary(co_s),
            "total_median_s": round(summary(code_s)["median_s"] + summary(co_s)["median_s"], 6)}
