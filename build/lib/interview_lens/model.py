"""Plain data containers shared by every stage of the pipeline."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Document:
    """A document read from disk and normalised (the file itself is never changed).

    ``text`` is NFC-normalised, with non-breaking spaces turned into spaces and ``\\n`` line
    endings; paragraphs are separated by ``\\n``.  ``emphasis`` lists ``(start, end)`` character
    spans of ``text`` that were bold or headings in the source (.docx/.html), which press
    interviews use to set questions.  ``times`` lists ``(start_char, end_char, start_s, end_s)``
    for each paragraph of ``text`` whose source gave it a time (a .vtt/.srt cue group), in text
    order; it is empty for documents without times.
    """

    path: Path
    text: str
    format: str  # "txt", "md", "docx", "html", "pdf", "vtt", "srt"
    encoding: str | None = None
    emphasis: tuple[tuple[int, int], ...] = ()
    warnings: tuple[str, ...] = ()
    times: tuple[tuple[int, int, float, float], ...] = ()


@dataclass
class Interview:
    """An interview segmented into speaker turns and question/answer pairs.

    Attributes
    ----------
    doc_id : slug of the file name (``gt-kurbalija-2025-fr``).
    path : the source file.
    language : ``"fr"`` or ``"en"`` (or another ISO code, with a warning).
    text : the normalised text; every ``start_char``/``end_char`` is an offset into it.
    turns : one row per turn: ``turn_id, speaker, label, role, text, start_char, end_char,
        start_s, end_s``.
    qa : one row per Q/A pair: ``qa_id, question, answer, interviewer, interviewee,
        question_turn, answer_turns`` (+ ``theme, theme_terms`` once themes are labelled).
    meta : sidecar values, ``aliases`` (canonical -> variants merged), ``warnings`` (list of str).
    """

    doc_id: str
    path: Path
    language: str
    text: str
    turns: pd.DataFrame
    qa: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def warnings(self) -> list[str]:
        return self.meta.setdefault("warnings", [])
