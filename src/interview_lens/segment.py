"""Segment an interview into speaker turns and question/answer pairs.

The reading order is: classify every paragraph once (:mod:`._labels`), decide over the whole
document which candidate labels are speakers and which layout the interview uses (speaker
labels, Q/A markers, dialogue-dash questions, numbered questions, bold questions, bare
questions ending in ``?``), cut turns, give every label its canonical speaker
(:mod:`.aliases`), infer who asks, and pair questions with answers.  Every step is one pass over
the paragraphs, so a 50 MB transcript segments in linear time.
"""
from __future__ import annotations

import gc
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import _labels as L
from .aliases import load_aliases, resolve_speakers, similar
from .errors import InterviewWarning
from .io import read_document
from .lexicon import DETECT_LANGUAGES, detect_language
from .model import Interview
from .sidecar import read_sidecar

TURN_COLUMNS = ["turn_id", "speaker", "label", "role", "text", "start_char", "end_char",
                "start_s", "end_s"]
QA_COLUMNS = ["qa_id", "question", "answer", "interviewer", "interviewee", "question_turn",
              "answer_turns"]
# A bare paragraph ending in "?" longer than this is an answer's rhetorical question.
MAX_QUESTION_WORDS = 80
# Share of a paragraph's characters that must be bold for it to count as set in bold.
BOLD_SHARE = 0.8
_Q_MARKERS = {"q", "question"}
_TERMINAL = re.compile(r"[.?!…:;»\"”)]\s*$")
_DQ_SAMPLES = 20
_ELISION = re.compile(r"(?:[LDJMNSTC]|QU|JUSQU|LORSQU|PUISQU)[’']", re.I)


@dataclass
class _Turn:
    kind: str                   # speaker | ask | answer | other
    label: str = ""             # as written ("" when unlabelled)
    key: str = ""               # the label that names the speaker (kept when a turn resumes)
    spans: list[tuple[int, int]] = field(default_factory=list)
    speaker: str = ""
    role: str = "other"


def read_interview(path: str | Path, *, language: str | None = None,
                   interviewer: str | None = None,
                   aliases: str | Path | dict[str, list[str]] | None = None) -> Interview:
    """Read a document and segment it into turns and Q/A pairs.

    Parameters
    ----------
    path : the interview (.txt, .md, .docx, .html, .pdf); a sidecar ``<stem>.yaml`` beside it is
        read too.
    language : ``"fr"``/``"en"``; default: the sidecar's, else detected with simplemma.
    interviewer : speaker label (or canonical name) of the interviewer; default: the sidecar's,
        else inferred (Q markers, questions, masthead initials such as ``GT``, who speaks first).
    aliases : YAML file or mapping ``{canonical: [variant, ...]}``; overrides the sidecar's.

    Returns an :class:`Interview` whose ``turns`` has columns ``turn_id, speaker, label, role,
    text, start_char, end_char, start_s, end_s`` (seconds into the recording; NaN when the
    source has no times) and ``qa`` has ``qa_id, question, answer, interviewer,
    interviewee, question_turn, answer_turns``.
    """
    path = Path(path)
    document = read_document(path)
    side, notes = read_sidecar(path)
    meta: dict[str, Any] = {k: v for k, v in side.items() if k != "aliases"}
    meta["warnings"] = list(document.warnings)
    explicit = dict(side.get("aliases") or {})
    if aliases is not None:
        explicit.update(aliases if isinstance(aliases, dict) else load_aliases(aliases))
    text = document.text
    interviewer = interviewer or side.get("interviewer")
    names = {"ask": interviewer or "Interviewer",
             "answer": side.get("interviewee") or "Interviewee"}

    quality: dict[str, Any] = {"ambiguous_lines": [], "unlabelled_lines": 0}
    with _no_gc():
        lines = _classify(text, document.emphasis)
        mode = _accept_labels(lines, quality, text)
        turns = _cut(lines, text, mode, quality)
        quality["paragraphs"] = len(lines)
        del lines
        labels = Counter(t.key for t in turns if t.kind == "speaker")
        mapping, merges = resolve_speakers(labels, text, explicit=explicit)
        explicit_hit = _assign_roles(turns, text, mapping, names, interviewer)
        turns_df, qa = _turn_frame(turns, text, times=document.times)
        roles = [(t.role, t.speaker) for t in turns]
        del turns
    if interviewer and not explicit_hit and labels:
        notes.append(f"interviewer {interviewer!r} is not among the speaker labels "
                     f"({', '.join(sorted(set(mapping.values())))}); roles were inferred")

    meta["aliases"] = merges
    meta["language"] = lang = _language(language or side.get("language"), text, notes)
    speaking = Counter(speaker for role, speaker in roles if role != "other")
    notes.extend(_checks(mode, speaking, qa))
    quality.update(mode=mode,
                   speakers={str(k): int(v) for k, v in speaking.most_common()},
                   other_turns=[i for i, (role, _) in enumerate(roles, start=1)
                                if role == "other"])
    meta["data_quality"] = quality
    for note in notes:
        warnings.warn(f"{path.name}: {note}", InterviewWarning, stacklevel=2)
        meta["warnings"].append(note)
    return Interview(doc_id=slugify(path.stem), path=path, language=lang, text=text,
                     turns=turns_df, qa=qa, meta=meta)


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building millions of small acyclic objects.

    Reference counting frees them all the same; the collector would only rescan the growing
    heap again and again (40% of the time on a 50 MB transcript).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def slugify(stem: str) -> str:
    """``Entretien d’Hélène (v2)`` -> ``entretien-d-helene-v2``; ``-x`` -> ``x``."""
    decomposed = unicodedata.normalize("NFKD", stem)
    ascii_ = "".join(c if c.isascii() else ("" if unicodedata.combining(c) else " ")
                     for c in decomposed)
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "document"


def _classify(text: str, emphasis: tuple[tuple[int, int], ...]) -> list[L.Line]:
    lines = []
    for m in re.finditer(r"[^\n]+", text):
        start, end = m.span()
        raw = m.group()
        stripped = raw.strip()
        if not stripped:
            continue
        start += len(raw) - len(raw.lstrip())
        end = start + len(stripped)
        lines.append(L.classify(text, start, end))
    if emphasis:  # one sweep: lines and spans are both in text order
        spans, k = sorted(emphasis), 0
        for line in lines:
            while k < len(spans) and spans[k][1] <= line.start:
                k += 1
            covered, j = 0, k
            while j < len(spans) and spans[j][0] < line.end:
                covered += min(spans[j][1], line.end) - max(spans[j][0], line.start)
                j += 1
            line.bold = covered / max(1, line.end - line.start)
    return lines


def _accept_labels(lines: list[L.Line], quality: dict, text: str) -> str:
    """Keep the candidate labels that are speakers; return the document's layout."""
    has_q = any(ln.kind == "marker" and L.plain_key(ln.name).rstrip("0123456789") in _Q_MARKERS
                for ln in lines)
    counts = Counter(L.plain_key(ln.name) for ln in lines
                     if ln.kind in ("label", "caps", "handle"))
    # An upper-case word leading lines (`L’IA`, `NATO`) is a speaker only if it recurs as a
    # label and is not used as a word elsewhere in the text.
    caps_ok = {}
    for ln in lines:
        if ln.kind == "caps" and ln.name not in caps_ok:
            as_label = sum(1 for x in lines if x.kind == "caps" and x.name == ln.name) \
                if counts[L.plain_key(ln.name)] >= 2 else 0
            caps_ok[ln.name] = (as_label >= 2 and not _ELISION.match(ln.name)
                                and text.count(ln.name) <= 2 * as_label)
    # A lone `Name:` line (a headline, a sign-off) does not make a dialogue.
    lone = sum(1 for ln in lines if ln.kind in ("label", "handle")) == 1 and not has_q \
        and not any(caps_ok.values())
    labelled = 0
    for ln in lines:
        ok = {"marker": has_q, "label": not lone,
              "handle": counts[L.plain_key(ln.name)] >= 2,
              "caps": caps_ok.get(ln.name)}.get(ln.kind)
        if ok is False:
            if len(quality["ambiguous_lines"]) < _DQ_SAMPLES:
                quality["ambiguous_lines"].append(text[ln.start:ln.end][:80])
            ln.kind, ln.name, ln.body = "plain", "", ln.start
        elif ok:
            labelled += 1
    if labelled:
        return "labels"
    for mode, test in (("dash", lambda ln: ln.kind == "dash" and ln.question),
                       ("numbered", lambda ln: ln.kind == "numbered"),
                       ("bold", lambda ln: ln.bold >= BOLD_SHARE and ln.question),
                       ("questions", lambda ln: _bare_question(ln, text))):
        if any(test(ln) for ln in lines):
            return mode
    return "none"


def _bare_question(ln: L.Line, text: str) -> bool:
    return (ln.question and ln.kind in ("plain", "caps", "dash")
            and text.count(" ", ln.start, ln.end) < MAX_QUESTION_WORDS)


def _content(ln: L.Line, text: str, *, marker: bool = True) -> tuple[int, int]:
    """The line's content span: after label/marker/dash/number, and any leading timestamp.

    ``marker=False`` keeps a dash or number that is not a question marker (a list item).
    """
    body = ln.body if marker else ln.start
    if body < ln.end and text[body] in "[(0123456789":
        m = L.LEADING_TS.match(text, body, ln.end)
        if m:
            body = m.end()
    return body, ln.end


def _cut(lines: list[L.Line], text: str, mode: str, quality: dict) -> list[_Turn]:
    """Cut the paragraphs into turns according to the layout."""
    turns: list[_Turn] = []
    if mode == "none":
        spans = [_content(ln, text) for ln in lines if ln.kind != "timestamp"]
        return [_Turn("other", spans=[s for s in spans if s[0] < s[1]])]
    asks = _question_lines(lines, text, mode)
    current: _Turn | None = None    # the turn unlabelled paragraphs continue
    last_dialogue: _Turn | None = None
    for i, ln in enumerate(lines):
        if ln.kind == "timestamp":
            continue
        span = _content(ln, text, marker=asks[i] or ln.kind not in ("dash", "numbered"))
        if mode == "labels" and ln.kind in ("label", "caps", "handle", "marker"):
            kind = "speaker"
            if ln.kind == "marker":
                kind = "ask" if L.plain_key(ln.name).rstrip("0123456789") in _Q_MARKERS \
                    else "answer"
            label = ln.name.strip(" *_")
            current = last_dialogue = _Turn(kind, label, label)
            turns.append(current)
        elif asks[i]:
            current = last_dialogue = _Turn("ask")
            turns.append(current)
        elif ln.kind in ("caption", "heading") or last_dialogue is None or (
                mode == "bold" and ln.bold >= BOLD_SHARE and not _TERMINAL.search(
                    text[ln.start:ln.end])):
            # titles, ledes, captions, bylines and intertitles: each its own `other` turn
            turns.append(_Turn("other", spans=[span]))
            current = None
            continue
        elif current is None or (mode != "labels" and current.kind == "ask" and current.spans):
            if mode == "labels":  # the dialogue resumes after a caption: same speaker
                current = _Turn(last_dialogue.kind, "", last_dialogue.key)
            else:  # the answer to a question
                current = last_dialogue = _Turn("answer")
            turns.append(current)
        else:
            quality["unlabelled_lines"] += 1
        if span[0] < span[1]:
            current.spans.append(span)
    kept = [t for t in turns if t.spans]
    quality["empty_labels"] = len(turns) - len(kept)
    return kept


def _question_lines(lines: list[L.Line], text: str, mode: str) -> list[bool]:
    if mode == "dash":
        dash = [ln.kind == "dash" for ln in lines]
        # A dash line without "?" is still a question unless it sits in a run of dash lines
        # (a bulleted list inside an answer).
        return [d and (ln.question or not ((i and dash[i - 1]) or (i + 1 < len(dash)
                                                                    and dash[i + 1])))
                for i, (ln, d) in enumerate(zip(lines, dash))]
    if mode == "numbered":
        return [ln.kind == "numbered" for ln in lines]
    if mode == "bold":
        out, seen = [], False
        for ln in lines:
            bold = ln.bold >= BOLD_SHARE
            ask = bold and (ln.question or (seen and bool(_TERMINAL.search(
                text[ln.start:ln.end])) and not ln.kind == "caption"))
            seen |= ask
            out.append(ask)
        return out
    if mode == "questions":
        return [_bare_question(ln, text) for ln in lines]
    return [False] * len(lines)


def _assign_roles(turns: list[_Turn], text: str, mapping: dict[str, str],
                  names: dict[str, str], interviewer: str | None) -> bool:
    """Give every turn its speaker and role; return whether ``interviewer`` named a speaker."""
    for t in turns:
        if t.kind == "speaker":
            t.speaker = mapping.get(t.key, t.key)
        elif t.kind in ("ask", "answer"):
            t.speaker = names[t.kind]
            t.role = "interviewer" if t.kind == "ask" else "interviewee"
    speakers = [t for t in turns if t.kind == "speaker"]
    if not speakers:
        return False
    chosen, hit = _interviewer(speakers, text, mapping, interviewer)
    for t in speakers:
        t.role = "interviewer" if t.speaker in chosen else "interviewee"
    return hit


def _interviewer(speakers: list[_Turn], text: str, mapping: dict[str, str],
                 interviewer: str | None) -> tuple[set[str], bool]:
    """Who asks: the named interviewer, else the best-scoring speaker (see ``score``)."""
    canon = list(dict.fromkeys(t.speaker for t in speakers))
    if interviewer:
        key = L.plain_key(interviewer)
        for label, c in mapping.items():
            if key in (L.plain_key(label), L.plain_key(c)):
                return {c}, True
        close = [c for c in canon if similar(interviewer, c)]
        if len(close) == 1:
            return {close[0]}, True
    stats: dict[str, list[int]] = {c: [0, 0, 0] for c in canon}  # turns, questions, words
    for t in speakers:
        s = stats[t.speaker]
        a, b = t.spans[0][0], t.spans[-1][1]
        s[0] += 1
        s[1] += L.is_question(text[t.spans[-1][0]:b])
        s[2] += text.count(" ", a, b) + 1
    shortest = min(canon, key=lambda c: stats[c][2] / stats[c][0])

    def score(c: str) -> float:
        # questions weigh most; masthead initials (GT) next; short turns and speaking first
        # only break ties
        n, q, _ = stats[c]
        return 2 * q / n + L.is_masthead(c) + 0.5 * (c == shortest) + 0.25 * (c == canon[0])

    if len(canon) == 1 and stats[canon[0]][1] / stats[canon[0]][0] < 0.5:
        return set(), False  # a monologue: one interviewee
    chosen = {max(canon, key=score)}
    for c in canon:  # joint labels and their members ask; so does a second journalist
        n, q, _ = stats[c]
        if L.is_joint(c):
            chosen.add(c)
            chosen.update(m for m in canon if m in re.split(r"\s+(?:et|and|&)\s+", c))
        elif n >= 2 and q / n >= 0.6 and len(canon) > 2:
            chosen.add(c)
    return chosen, False


def _turn_frame(turns: list[_Turn], text: str, *,
                times: tuple[tuple[int, int, float, float], ...] = ()
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The turn table and the Q/A table built from the same columns."""
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
    columns["start_s"], columns["end_s"] = _turn_times(columns["start_char"],
                                                       columns["end_char"], times)
    return pd.DataFrame(columns, columns=TURN_COLUMNS), _pairs(columns)


def _turn_times(starts: np.ndarray, ends: np.ndarray,
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


def _pairs(turns: dict[str, Any]) -> pd.DataFrame:
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


def _language(given: str | None, text: str, notes: list[str]) -> str:
    if given:
        lang = str(given).strip().lower()[:2]
    else:
        # a few spread samples are enough, and keep detection fast on huge transcripts
        n = len(text)
        sample = text[:20000] if n <= 60000 else text[:20000] + text[n // 2:n // 2 + 20000]
        ranked = [(code, score) for code, score in detect_language(sample, DETECT_LANGUAGES)
                  if code != "unk"]
        if not ranked or ranked[0][1] <= 0:
            notes.append("language could not be detected; assuming 'en' (pass language=)")
            return "en"
        lang = ranked[0][0]
    if lang not in ("fr", "en"):
        notes.append(f"language {lang!r} is neither French nor English: stopwords and lemmas "
                     "will be approximate")
    return lang


def _checks(mode: str, speaking: Counter[str], qa: pd.DataFrame) -> list[str]:
    """Warnings about the segmentation; ``speaking``: turns per speaker (not ``other``)."""
    notes = []
    if mode == "none":
        notes.append("no speaker labels or questions found: the text is one 'other' turn")
    if len(speaking) == 1:
        notes.append(f"only one speaker found ({next(iter(speaking))})")
    empty = sum(answer == "" for answer in qa["answer"].tolist())
    if empty:
        notes.append(f"{empty} question(s) without an answer")
    return notes
