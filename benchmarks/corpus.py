"""Benchmark corpora: the sample's sentences resampled into interview documents of a chosen size.

Every sentence of the source interviews is kept with the role and the label of its turn
(``GT``, ``Kulbariya``...); a synthetic document is a lede paragraph followed by alternating
question and answer turns, each a few sentences drawn (with replacement, fixed seed) from the
sentences of that role and written after the label of the first one.  The result reads like the
source (same labels, same vocabulary, same sentence lengths) at any size, so the segmenter, the
token layer and the concept coder do their real work on it.
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from interview_lens.language.tokens import tokens_from
from interview_lens.reading.segment import read_interview
from interview_lens.runs.regenerate import SUPPORTED_EXTENSIONS

ROLES = ("other", "interviewer", "interviewee")
_TAIL = re.compile(r"[ \u00a0\u202f]*[»”\")]*[ \u00a0\u202f]*[.?!…]*[»”\")]*")
_WORD = re.compile(r"\S*\w\S*")


def count_words(text: str) -> int:
    """Whitespace-separated words holding a letter or a digit: the speaker labels count (every
    tool reads them), lone punctuation (the label's colon, a French ``:`` or ``»``) does not."""
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class SentencePool:
    """Sentences of the source documents by role: ``role -> [(label, sentence), ...]``."""

    sentences: dict[str, list[tuple[str, str]]]
    language: str

    def words(self, role: str) -> np.ndarray:
        return np.array([len(s.split()) for _, s in self.sentences[role]], dtype=np.int64)


def sentence_pool(documents: list[Path]) -> SentencePool:
    """Split ``documents`` into sentences (the token layer's sentence ids) grouped by role."""
    pool: dict[str, list[tuple[str, str]]] = {r: [] for r in ROLES}
    language = "fr"
    for path in documents:
        interview = read_interview(path)
        language = interview.language
        tokens = tokens_from(interview)
        labels = dict(zip(interview.turns["turn_id"], interview.turns["label"]))
        spans = tokens.groupby("sentence_id", sort=True).agg(
            start=("start_char", "min"), end=("end_char", "max"), turn_id=("turn_id", "first"),
            role=("role", "first"))
        for row in spans.itertuples():
            # closing quotes and the full stop after the last token belong to the sentence
            end = row.end + len(_TAIL.match(interview.text, row.end).group(0))
            text = " ".join(interview.text[row.start:end].split())
            role = row.role if row.role in pool else "other"
            pool[role].append((str(labels.get(row.turn_id, "")), text))
    if not pool["interviewer"] or not pool["interviewee"]:
        raise ValueError("the source documents need interviewer and interviewee sentences")
    if not pool["other"]:
        pool["other"] = pool["interviewee"][:1]
    return SentencePool(pool, language)


def _turn(rng: np.random.Generator, pool: SentencePool, role: str, k: int) -> tuple[str, int]:
    sentences = pool.sentences[role]
    picks = rng.integers(0, len(sentences), size=k)
    label = sentences[picks[0]][0] or ("GT" if role == "interviewer" else "Interviewee")
    body = " ".join(sentences[i][1] for i in picks)
    return f"{label} : {body}", sum(len(sentences[i][1].split()) for i in picks)


def synthetic_document(pool: SentencePool, *, words: int, rng: np.random.Generator) -> str:
    """One interview of about ``words`` words (lede, then question/answer turns)."""
    lede_ids = rng.integers(0, len(pool.sentences["other"]), size=2)
    lines = [" ".join(pool.sentences["other"][i][1] for i in lede_ids)]
    total = sum(len(pool.sentences["other"][i][1].split()) for i in lede_ids)
    while total < words:
        for role, k in (("interviewer", int(rng.integers(1, 3))),
                        ("interviewee", int(rng.integers(2, 7)))):
            line, n = _turn(rng, pool, role, k)
            lines.append(line)
            total += n
    return "\n".join(lines) + "\n", total


def write_corpus(pool: SentencePool, folder: Path, *, words: int, n_documents: int,
                 seed: int = 0, sidecar: Path | None = None) -> tuple[list[Path], int]:
    """Write ``n_documents`` interviews totalling about ``words`` words into ``folder``.

    Returns the paths and the number of words written (:func:`count_words`).
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    per_doc = max(1, words // n_documents)
    paths, total = [], 0
    for i in range(n_documents):
        text, n = synthetic_document(pool, words=per_doc, rng=rng)
        path = folder / f"bench-{i + 1:04d}.txt"
        path.write_text(text, encoding="utf-8")
        if sidecar is not None:
            shutil.copyfile(sidecar, path.with_suffix(".yaml"))
        paths.append(path)
        total += count_words(text)
    return paths, total


def real_documents(folder: Path) -> list[Path]:
    """The supported documents of ``folder`` (the benchmark's mode for a real archive)."""
    found = sorted(p for p in Path(folder).iterdir()
                   if p.is_file() and p.suffix.lower() in SUPPORTED_EXTENSIONS
                   and not p.name.startswith((".", "~$")))
    if not found:
        raise ValueError(f"{folder}: no documents ({' '.join(SUPPORTED_EXTENSIONS)})")
    return found
