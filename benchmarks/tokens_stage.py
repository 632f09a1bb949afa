"""Parts 1 and 5: the token stage against CountVectorizer and ``re.findall``; its peak memory.

The token stage is what every notebook pays first: read the file, segment it into turns and
Q/A pairs, then the token table (elisions split, lemmas, stopword flags, offsets).  The
baselines get the very same files, read inside the timed region too: CountVectorizer's
``fit_transform`` (lower-casing, tokenising, a vocabulary and a sparse count matrix) and
``re.findall(r"\\w+")`` as the floor any Python tokeniser stands on.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.timing import measure_interleaved, summary

_WORD = re.compile(r"\w+")


def _read_texts(paths: list[Path]) -> list[str]:
    from interview_lens.reading.formats import read_document

    # plain text is read as a CountVectorizer user would; other formats need our reader
    return [p.read_text(encoding="utf-8") if p.suffix.lower() in (".txt", ".md")
            else read_document(p).text for p in paths]


def token_stage(paths: list[Path]):
    """Read and segment every document, then the corpus's token table in one batch
    (``tokens_from_many``: each document's rows as ``tokens_from`` gives them); the table is
    kept, as CV keeps its matrix."""
    return _table(_segmented(paths))


def _segmented(paths: list[Path]) -> list:
    import warnings

    from interview_lens.errors import InterviewWarning
    from interview_lens.reading.segment import read_interview

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InterviewWarning)
        return [read_interview(p) for p in paths]


def _table(interviews: list):
    from interview_lens.language.tokens import tokens_from_many

    return tokens_from_many(interviews)


def corpus_stats(paths: list[Path]):
    """What a user with an archive runs (``python -m interview_lens corpus``, in this process): the token
    stage plus concept coding and sentence co-occurrence counts, tables included."""
    from interview_lens.analysis.corpus import corpus_statistics

    return corpus_statistics(paths)


def count_vectorizer(paths: list[Path]):
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer().fit_transform(_read_texts(paths))


def findall_floor(paths: list[Path]) -> list[list[str]]:
    return [_WORD.findall(text) for text in _read_texts(paths)]


def bench_tokens(paths: list[Path], *, words: int, repeat: int) -> dict[str, Any]:
    """Part 1. Throughput is corpus words per second (same input for all three), and each
    tool's own token count per second beside it; ``ratio_vs_*`` = baseline time / our time."""
    # one untimed call each: imports and the lemma dictionaries are paid once per session
    for warm_up in (token_stage, count_vectorizer, findall_floor, corpus_stats):
        warm_up(paths[:1])
    interviews = _segmented(paths)
    runs = measure_interleaved({"ours": lambda: token_stage(paths),
                                "cv": lambda: count_vectorizer(paths),
                                "re": lambda: findall_floor(paths),
                                "table": lambda: _table(interviews),
                                "corpus": lambda: corpus_stats(paths)}, repeat=repeat)
    (ours_s, table), (cv_s, matrix), (re_s, lists) = runs["ours"], runs["cv"], runs["re"]
    table_s, (corpus_s, corpus) = runs["table"][0], runs["corpus"]
    corpus_n = int(corpus.summary.iloc[0]["tokens"])
    ours_n = len(table)
    cv_n = int(matrix.sum())
    re_n = sum(len(x) for x in lists)
    rows = {}
    # "token_table": the token table alone, from documents read and segmented beforehand (the
    # rest of the token stage's time is reading and segmenting); "corpus_statistics": the whole
    # corpus path (tokens, concepts, co-occurrence counts)
    for name, secs, n in (("token_stage", ours_s, ours_n), ("count_vectorizer", cv_s, cv_n),
                          ("findall", re_s, re_n), ("token_table", table_s, ours_n),
                          ("corpus_statistics", corpus_s, corpus_n)):
        med = summary(secs)["median_s"]
        rows[name] = {**summary(secs), "tokens": n, "tokens_per_s": round(n / med),
                      "words_per_s": round(words / med)}
    ours = rows["token_stage"]["median_s"]
    return {"documents": len(paths), "words": words, **rows,
            "ratio_vs_count_vectorizer": round(rows["count_vectorizer"]["median_s"] / ours, 4),
            "ratio_vs_findall": round(rows["findall"]["median_s"] / ours, 4)}


_PEAK_CHILD = r"""
import json, resource, sys
import interview_lens.reading.segment, interview_lens.language.tokens  # noqa: E401,F401 - in the baseline
from benchmarks.tokens_stage import token_stage


def peak_kib():
    # VmHWM: this process's own peak.  ru_maxrss is not: Linux carries the parent's peak over
    # an exec, so a child of a large benchmark process would report the parent's memory.
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]), "VmHWM"
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "ru_maxrss"


paths = json.loads(sys.stdin.read())
before, _ = peak_kib()
table = token_stage(paths)
peak, source = peak_kib()
print(json.dumps({"rows": len(table), "baseline_rss_kib": before, "peak_rss_kib": peak,
                  "source": source, "table_bytes": int(table.memory_usage(deep=True).sum())}))
"""


def bench_memory(paths: list[Path], *, words: int) -> dict[str, Any]:
    """Part 5, in a fresh process: peak resident memory (``VmHWM``) while reading every
    document and building the corpus's token table, with the process's peak
    after its imports for reference and the table's own size (``memory_usage(deep=True)``)."""
    proc = subprocess.run([sys.executable, "-c", _PEAK_CHILD], input=json.dumps(
        [str(p) for p in paths]), capture_output=True, text=True, check=True)
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    mib = 1024
    return {"documents": len(paths), "words": words, "rows": out["rows"],
            "peak_rss_mib": round(out["peak_rss_kib"] / mib, 1),
            "after_imports_rss_mib": round(out["baseline_rss_kib"] / mib, 1),
            "table_mib": round(out["table_bytes"] / 2**20, 1), "measured_by": out["source"]}
