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

from interview_lens.errors import InterviewWarning
from interview_lens.language.lexicon import DETECT_LANGUAGES, detect_language
from interview_lens.model import Interview
from interview_lens.project import doc_id_for
from interview_lens.reading import lines as L
from interview_lens.reading.formats import read_document
from interview_lens.reading.roles import ASKING_NAMES, speaker_roles
from interview_lens.reading.sidecar import read_sidecar
from interview_lens.reading.speakers import load_aliases, resolve_speakers

TURN_COLUMNS = ["turn_id", "speaker", "label", "role", "text", "start_char", "end_char",
                "start_s", "end_s"]
QA_COLUMNS = ["qa_id", "question", "answer", "interviewer", "interviewee", "question_turn",
              "answer_turns"]
# More speakers than this in one interview is unusual enough to say so (a panel has fewer).
MANY_SPEAKERS = 12
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
    given, renamed = _given_roles(side, interviewer)
    for canonical, labels_ in renamed.items():
        explicit.setdefault(canonical, [])
        explicit[canonical] = [*explicit[canonical], *labels_]

    quality: dict[str, Any] = {"ambiguous_lines": [], "unlabelled_lines": 0}
    with _no_gc():
        lines = _classify(text, document.emphasis)
        mode = _accept_labels(lines, quality, text)
        turns, labels, mapping, merges, hits = _segment(
            lines, text, mode, quality, explicit=explicit, names=names, given=given,
            interviewer_arg=frozenset([interviewer] if interviewer else []))
        quality["paragraphs"] = len(lines)
        times = document.times or _text_times(lines, text)
        del lines
        turns_df, qa = _turn_frame(turns, text, times=times)
        roles = [(t.role, t.speaker) for t in turns]
        del turns
    for name in given:
        if name != interviewer and name not in hits and labels:
            notes.append(f"sidecar speaker {name!r} is not among the speaker labels")
    explicit_hit = interviewer in hits
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
    return Interview(doc_id=doc_id_for(path), path=path, language=lang, text=text,
                     turns=turns_df, qa=qa, meta=meta)


def _given_roles(side: dict[str, Any], interviewer: str | None
                 ) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Roles the researcher set (sidecar ``speakers:``, ``interviewers:``, the ``interviewer``
    argument) as ``{label or name: role}``, and the names ``speakers:`` gives to labels as
    aliases ``{canonical: [label, ...]}``."""
    given: dict[str, str] = {}
    renamed: dict[str, list[str]] = {}
    for label, spec in (side.get("speakers") or {}).items():
        name, role = spec.get("name"), spec.get("role")
        if name and name != label:
            renamed.setdefault(name, []).append(label)
        if role:
            given[name or label] = role
    for name in side.get("interviewers") or []:
        given[name] = "interviewer"
    if interviewer:
        given[interviewer] = "interviewer"
    return given, renamed


def _segment(lines: list[L.Line], text: str, mode: str, quality: dict, *,
             explicit: dict[str, list[str]], names: dict[str, str], given: dict[str, str],
             interviewer_arg: frozenset[str]):
    """Cut, name and give roles; once more with unlabelled questions when nobody labelled asks.

    An interview that labels only the interviewee (`Olivier Dedieu : ...`) sets its questions
    as plain lines ending in `?`: when no labelled speaker turns out to ask, or only one speaker
    is labelled (whose turns then seem to end on questions: the next, unlabelled, one), the
    bare questions right before a label are read as the interviewer's turns.
    """
    decisions: dict[str, str] = {}
    lone = {ln.name.strip(" *_") for ln in lines if ln.kind == "lone"}
    if mode not in ("labels", "none") and len(lone) == 1 and names["answer"] == "Interviewee":
        # the one labelled answer names the interviewee of every answer
        names = {**names, "answer": resolve_speakers(Counter(lone), text)[0][lone.pop()]}
    for overlay in (False, True):
        turns = _cut(lines, text, mode, quality, overlay=overlay)
        labels = Counter(t.key for t in turns if t.kind == "speaker")
        mapping, merges = resolve_speakers(labels, text, explicit=explicit)
        decisions.clear()
        hit = _assign_roles(turns, text, mapping, names, given, decisions, interviewer_arg)
        if overlay or mode != "labels":
            break
        speaking = {t.speaker for t in turns if t.role != "other" and t.kind == "speaker"}
        before = sum(_questions_before_labels(lines, text))
        # a lone labelled speaker whose turns end on the next (unlabelled) question is the
        # interviewee, not someone who asks
        if not before or (len(speaking) > 1 and any(t.role == "interviewer" for t in turns)):
            break
        quality["unlabelled_lines"] = 0
        quality["questions_unlabelled"] = True
        answering = speaking if len(speaking) == 1 else {
            t.speaker for t in turns if t.role == "interviewee"}
        if len(answering) == 1:  # unlabelled answers are that person's
            names = {**names, "answer": next(iter(answering))}
    quality["roles"] = dict(decisions)
    return turns, labels, mapping, merges, hit


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
    # `R:` answers `Q:`, and also `I:` / `Interviewer:` / `Enquêtrice :`
    has_q = any((ln.kind == "marker" and L.plain_key(ln.name).rstrip("0123456789") in _Q_MARKERS)
                or (ln.kind == "label" and L.words_key(ln.name) in ASKING_NAMES) for ln in lines)
    counts = Counter(L.plain_key(ln.name) for ln in lines
                     if ln.kind in ("label", "caps", "handle", "titled"))
    # An upper-case word leading lines (`L’IA`, `NATO`) is a speaker only if it recurs as a
    # label and is not used as a word elsewhere in the text.
    caps_ok = {}
    caps = Counter(L.plain_key(ln.name) for ln in lines if ln.kind == "caps")
    for ln in lines:
        if ln.kind == "caps" and ln.name not in caps_ok:
            as_label = caps[L.plain_key(ln.name)]
            caps_ok[ln.name] = (as_label >= 2 and not _ELISION.match(ln.name)
                                and text.count(ln.name) <= 2 * as_label)
    # In a text whose speakers are upper-case names, a full name heading one line only (the
    # host who opens the show) is a speaker too.
    if sum(caps_ok.values()) >= 2:
        for ln in lines:
            name = ln.name
            if ln.kind == "caps" and not caps_ok[name] and 2 <= len(name.split()) <= 4 \
                    and caps[L.plain_key(name)] == 1 and text.count(name) == 1 \
                    and ln.body < ln.end and text[ln.body].isupper() \
                    and not _ELISION.match(name):
                caps_ok[name] = True
    # `Senator Leahy. ...` is a speaker only in a hearing: two such names, each recurring
    titled = sum(1 for key in {L.plain_key(ln.name) for ln in lines if ln.kind == "titled"}
                 if counts[key] >= 2)
    # A lone `Name:` line (a headline, a sign-off) does not make a dialogue.
    lone = sum(1 for ln in lines if ln.kind in ("label", "handle")) == 1 and not has_q \
        and not any(caps_ok.values())
    # A title before the dialogue (`Oral History Project: Mill Workers of Lowell`): a label
    # heard once, before any recurring one, on a line without final punctuation.
    first_recurring = next((i for i, ln in enumerate(lines) if ln.kind in ("label", "caps")
                            and counts[L.plain_key(ln.name)] >= 2), len(lines))
    for ln in lines[:first_recurring]:
        if ln.kind == "label" and counts[L.plain_key(ln.name)] == 1 \
                and not _TERMINAL_ANY.search(text[ln.start:ln.end]):
            ln.kind, ln.name, ln.body = "heading", "", ln.start
    labelled = 0
    for ln in lines:
        ok = {"marker": has_q, "label": not lone,
              "handle": counts[L.plain_key(ln.name)] >= 2,
              "titled": counts[L.plain_key(ln.name)] >= 2 and titled >= 2,
              "caps": caps_ok.get(ln.name)}.get(ln.kind)
        if ok is False:
            if len(quality["ambiguous_lines"]) < _DQ_SAMPLES:
                quality["ambiguous_lines"].append(text[ln.start:ln.end][:80])
            if lone and ln.kind == "label":  # kept aside: it may name the interviewee
                ln.kind = "lone"
            else:
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
    return (ln.question and ln.kind in ("plain", "caps", "dash", "heading")
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


_FIRST_PERSON = re.compile(r"\b(?:I|I[’']m|I[’']ve|I[’']d|me|my|myself|je|j[’']|moi|mon|ma|mes)"
                           r"(?!\w)", re.I)
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself|vous|votre|vos|tu|toi|ton|ta|tes|te|t[’'])"
                            r"(?!\w)", re.I)
_SPEAKER_KINDS = ("label", "caps", "handle", "titled", "marker")
# `(Applause.)`, `[Laughter]`, `(Rires)`: a stage direction on a line of its own
_STAGE = re.compile(r"\s*(?:\([^()]{1,60}\)|\[[^\[\]]{1,60}\])\s*$")
_TERMINAL_ANY = re.compile(r"[.?!…:;»\"”)\]。！？]\s*$")
# An intertitle has at most this many words.
INTERTITLE_WORDS = 10


def _questions_before_labels(lines: list[L.Line], text: str) -> list[bool]:
    """Bare question lines followed directly by a speaker label (the label answers them)."""
    return [_bare_question(ln, text) and ln.kind == "plain" and i + 1 < len(lines)
            and lines[i + 1].kind in _SPEAKER_KINDS for i, ln in enumerate(lines)]


def _punctuated(lines: list[L.Line], text: str) -> bool:
    """Whether the text ends its sentences' lines with punctuation (a machine transcript may
    not, and then a short line without a full stop says nothing)."""
    ends = [bool(_TERMINAL_ANY.search(text[ln.start:ln.end])) for ln in lines
            if ln.kind in ("plain", *_SPEAKER_KINDS) and text.count(" ", ln.body, ln.end) >= 4]
    return bool(ends) and sum(ends) >= 0.6 * len(ends)


def _intertitle(lines: list[L.Line], i: int, text: str, asks: list[bool]) -> str:
    """``"box"``, ``"title"`` or ``""``: is this line a heading between turns?

    A title is a short line without final punctuation that a label, a question or the end of
    the text follows, or a short line in another script than the text's (a translator's
    intertitle); the dialogue resumes after it.  A short line opening with a symbol
    (`❓ Géocodage`) heads an editorial box: the text under it, up to the next turn, is the box.
    """
    ln = lines[i]
    line = text[ln.start:ln.end]
    if ln.kind not in ("plain", "caps") or ln.question or _TERMINAL_ANY.search(line) \
            or len(line.split()) > INTERTITLE_WORDS:
        return ""
    first = line[0]
    if unicodedata.category(first) == "So":
        return "box"
    if _foreign_script(line, text):
        return "title"
    if not (first.isupper() or first.isdigit()):
        return ""
    j = next((j for j in range(i + 1, len(lines)) if lines[j].kind != "timestamp"), None)
    return "title" if j is None or lines[j].kind in _SPEAKER_KINDS or asks[j] else ""


def _latin(line: str) -> float:
    letters = [c for c in line if c.isalpha()]
    return sum(c < "\u0250" for c in letters) / len(letters) if letters else 1.0


def _foreign_script(line: str, text: str) -> bool:
    """A line of letters mostly outside the Latin script in a text mostly in it."""
    return len(line) <= 60 and _latin(line) < 0.2 and _latin(text[:5000]) > 0.9


def _box_item(ln: L.Line, box: _Turn, text: str) -> bool:
    """A list item under a caption that announces it (`Pour plus d'informations : `)."""
    b = box.spans[0][1]
    return ln.kind in ("dash", "numbered", "plain") and not ln.question \
        and text[b - 1] == ":" and (ln.kind != "plain" or text[ln.start] in "•·▪►*")


def _cut(lines: list[L.Line], text: str, mode: str, quality: dict, *,
         overlay: bool = False) -> list[_Turn]:
    """Cut the paragraphs into turns according to the layout.

    ``overlay``: in a labelled interview, bare questions right before a label are
    unlabelled interviewer turns.
    """
    turns: list[_Turn] = []
    if mode == "none":
        spans = [_content(ln, text) if ln.kind != "lone" else (ln.start, ln.end)
                 for ln in lines if ln.kind != "timestamp"]
        kept = [s for s in spans if s[0] < s[1]]
        return [_Turn("other", spans=kept)] if kept else []
    asks = _questions_before_labels(lines, text) if overlay else _question_lines(lines, text,
                                                                                  mode)
    headings = _punctuated(lines, text)
    current: _Turn | None = None    # the turn unlabelled paragraphs continue
    last_dialogue: _Turn | None = None
    in_box = False                  # text after an intertitle, up to the next turn: `other`
    for i, ln in enumerate(lines):
        if ln.kind == "timestamp":
            continue
        span = _content(ln, text, marker=asks[i] or ln.kind not in ("dash", "numbered")) \
            if ln.kind != "lone" else (ln.start, ln.end)
        if mode == "labels" and ln.kind in _SPEAKER_KINDS:
            kind = "speaker"
            if ln.kind == "marker":
                kind = "ask" if L.plain_key(ln.name).rstrip("0123456789") in _Q_MARKERS \
                    else "answer"
            label = ln.name.strip(" *_")
            current = last_dialogue = _Turn(kind, label, label)
            turns.append(current)
            in_box = False
        elif asks[i]:
            current = last_dialogue = _Turn("ask")
            turns.append(current)
            in_box = False
        elif turns and turns[-1].kind == "other" and current is None \
                and _box_item(ln, turns[-1], text):
            turns[-1].spans.append(span)
            continue
        elif in_box:
            turns[-1].spans.append(span)
            continue
        elif headings and current is not None and current.spans and (
                heading := _intertitle(lines, i, text, asks)):
            turns.append(_Turn("other", spans=[span]))
            in_box, current = heading == "box", None
            continue
        elif ln.kind in ("caption", "heading") or last_dialogue is None or (
                mode == "bold" and ln.bold >= BOLD_SHARE and not _TERMINAL.search(
                    text[ln.start:ln.end])) or _STAGE.match(text, ln.start, ln.end):
            # titles, ledes, captions, bylines, stage directions and intertitles: each its
            # own `other` turn
            turns.append(_Turn("other", spans=[span]))
            current = None
            continue
        elif current is None or ((overlay or mode != "labels") and current.kind == "ask"
                                 and current.spans):
            if mode == "labels" and not (overlay and current is not None):
                # the dialogue resumes after a caption: same speaker
                current = _Turn(last_dialogue.kind, "", last_dialogue.key)
            else:  # the answer to a question
                current = last_dialogue = _Turn("answer")
                if ln.kind == "lone":  # `Céline : ...` opening one answer of many
                    current.label = ln.name.strip(" *_")
                    span = (ln.body, ln.end)
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
        out = [_bare_question(ln, text) for ln in lines]
        # `But now I'm curious: what is ...?` in the middle of an answer is the interviewee's
        # own question: first person, nobody addressed
        for i in range(1, len(lines)):
            if out[i] and not out[i - 1] and lines[i - 1].kind == "plain" \
                    and _FIRST_PERSON.search(text, lines[i].start, lines[i].end) \
                    and not _SECOND_PERSON.search(text, lines[i].start, lines[i].end):
                out[i] = False
        return out
    return [False] * len(lines)


def _assign_roles(turns: list[_Turn], text: str, mapping: dict[str, str],
                  names: dict[str, str], given: dict[str, str],
                  decisions: dict[str, str] | None = None,
                  interviewer_arg: frozenset[str] = frozenset()) -> set[str]:
    """Give every turn its speaker and role; return the ``given`` names that named a speaker.

    ``decisions`` receives, per speaker, the role decided and why (the data-quality section
    lists them so that a wrong guess is easy to spot and to override in the sidecar).
    """
    for t in turns:
        if t.kind == "speaker":
            t.speaker = mapping.get(t.key, t.key)
        elif t.kind in ("ask", "answer"):
            t.speaker = names[t.kind]
            t.role = "interviewer" if t.kind == "ask" else "interviewee"
    speakers = [t for t in turns if t.kind == "speaker"]
    if not speakers:
        return set()
    roles, hit = speaker_roles(speakers, text, mapping, given, interviewer_arg)
    for t in speakers:
        t.role = roles[t.speaker][0]
    if decisions is not None:
        decisions.update({c: f"{role} ({why})" for c, (role, why) in roles.items()})
    return hit


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


_CLOCK = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,](\d+))?(?![\d:])")


def _text_times(lines: list[L.Line], text: str) -> tuple[tuple[int, int, float, float], ...]:
    """Times written in a text transcript (`Name: 00:00:25`, `Speaker 1  0:03`,
    `[00:01:23] Name:`, `[00:41] words`), as ``Document.times``: each timed line holds until the
    next one, which gives its end."""
    marks: list[tuple[int, float]] = []
    for ln in lines:
        if ln.kind in _SPEAKER_KINDS or ln.kind == "lone":
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
    elif len(speaking) > MANY_SPEAKERS:
        notes.append(f"{len(speaking)} speakers: check who asks and who answers (sidecar "
                     "speakers: and interviewers: set them)")
    empty = sum(answer == "" for answer in qa["answer"].tolist())
    if empty:
        notes.append(f"{empty} question(s) without an answer")
    return notes
