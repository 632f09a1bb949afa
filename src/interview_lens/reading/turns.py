"""The tables of a segmented interview: the turn table (with the seconds into the recording
where the source gives times) and the question/answer pairs."""
from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from interview_lens.reading import lines as L

TURN_COLUMNS = ["turn_id", "speaker", "label", "role", "text", "start_char", "end_char",
                "start_s", "end_s"]
QA_COLUMNS = ["qa_id", "question", "answer", "interviewer", "interviewee", "question_turn",
              "answer_turns"]


def turn_frame(turns: list[Any], text: str, *,
                times: tuple[tuple[int, int, float, float], ...] = ()
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The turn table and the Q/A table built from the same columns (``turns``: the segmenter's
    turns, each with ``spans``, ``speaker``, ``label`` and ``role``)."""
    texts = [text[t.spans[0][0]:t.spans[0][1]] if len(t.spans) == 1
             else "\n\n".join(text[a:b] for a, b in t.spans) for t in turns]
    columns = {
        "turn_id": np.arange(1, len(turns) + 1, dtype=np.int64),
        "speaker": [t.speaker for t in turns],
        "label": [t.label for t in turns],
        "role": [t.role for t in turns],
        "text": texts,
        "start_char": np.fromiter((t.spans[0][0] for t in turns), np.int64, len(turns)),
        "end_char": np.fromiter((t.spans[-1][1] for t in turns), np.int64, len(turns)),
    }
    columns["start_s"], columns["end_s"] = turn_times(columns["start_char"],
                                                       columns["end_char"], times)
    return pd.DataFrame(columns, columns=TURN_COLUMNS), qa_pairs(columns)


_CLOCK = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,](\d+))?(?![\d:])")


def text_times(lines: list[L.Line], text: str) -> tuple[tuple[int, int, float, float], ...]:
    """Times written in a text transcript (`Name: 00:00:25`, `Speaker 1  0:03`,
    `[00:01:23] Name:`, `[00:41] words`), as ``Document.times``: each timed line holds until the
    next one, which gives its end."""
    marks: list[tuple[int, float]] = []
    for ln in lines:
        if ln.kind in L.SPEAKER_KINDS or ln.kind == "lone":
            head = text[ln.start:ln.body]
        elif ln.kind == "timestamp" or text[ln.start] in "[(0123456789":
            m = L.LEADING_TS.match(text, ln.start, ln.end)
            head = m.group() if m else ""
        else:
            continue
        m = _CLOCK.search(head)
        if m:
            a, b, c, frac = m.groups()
            seconds = (int(a) * 3600 + int(b) * 60 + int(c)) if c else int(a) * 60 + int(b)
            marks.append((ln.start, seconds + (float(f"0.{frac}") if frac else 0.0)))
    bounds = [pos for pos, _ in marks[1:]] + [len(text)]
    ends = [sec for _, sec in marks[1:]] + [float("nan")]
    return tuple((pos, bound, sec, end) for (pos, sec), bound, end in zip(marks, bounds, ends))


def turn_times(starts: np.ndarray, ends: np.ndarray,
                times: tuple[tuple[int, int, float, float], ...]) -> tuple[np.ndarray, np.ndarray]:
    """Seconds of each turn: the start of the timed paragraph holding its first character, the
    end of the one holding its last; NaN where no timed paragraph holds it.

    ``times`` is ``Document.times``: ``(start_char, end_char, start_s, end_s)`` per paragraph,
    paragraphs not overlapping (any order).
    """
    start_s = np.full(len(starts), np.nan)
    end_s = np.full(len(ends), np.nan)
    if not times or not len(starts):
        return start_s, end_s
    table = np.array(times, dtype=np.float64).reshape(-1, 4)
    table = table[np.argsort(table[:, 0], kind="stable")]
    first, last = table[:, 0], table[:, 1]
    for chars, out, column in ((starts, start_s, 2), (ends - 1, end_s, 3)):
        at = np.searchsorted(first, chars, side="right") - 1
        held = (at >= 0) & (chars < last[np.maximum(at, 0)])
        out[held] = table[at[held], column]
    return start_s, end_s


def qa_pairs(turns: dict[str, Any]) -> pd.DataFrame:
    """One row per interviewer turn; the interviewee turns up to the next question answer it.

    ``other`` turns (a caption between two answer paragraphs) neither end nor join an answer.
    """
    rows: list[list[Any]] = []
    for tid, speaker, role, text in zip(turns["turn_id"], turns["speaker"], turns["role"],
                                        turns["text"]):
        if role == "interviewer":
            rows.append([len(rows) + 1, text, [], speaker, [], int(tid), []])
        elif role == "interviewee" and rows:
            rows[-1][2].append(text)
            rows[-1][4].append(speaker)
            rows[-1][6].append(int(tid))
    # A closing remark (`Merci Marc Duval.`) is an interviewer turn but not a question.
    rows = [r for r in rows if r[6] or L.is_question(r[1])]
    columns = {
        "qa_id": np.arange(1, len(rows) + 1, dtype=np.int64),
        "question": [r[1] for r in rows],
        "answer": ["\n\n".join(r[2]) for r in rows],
        "interviewer": [r[3] for r in rows],
        "interviewee": [", ".join(dict.fromkeys(r[4])) for r in rows],
        "question_turn": np.array([r[5] for r in rows], dtype=np.int64),
        "answer_turns": [r[6] for r in rows],
    }
    return pd.DataFrame(columns, columns=QA_COLUMNS)
