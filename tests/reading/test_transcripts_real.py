"""The real interviews of ../shared/interviews rendered as Teams, Zoom and SubRip transcripts.

Each interview's gold turns (speaker and words) are cut into caption-sized cues of at most two
42-character lines, as transcription services do (cuts in mid-sentence included), and written in
each convention in a temporary folder (nothing is copied into the repository).  The reader must
give back exactly one ``Name: text`` paragraph per stretch of speech.  Skipped when the folder is
absent (a user's clone does not have it).
"""
from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from interview_lens.reading.formats import read_document

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "interviews"
STYLES = ("teams.vtt", "zoom.vtt", "zoom.srt")
_TIMESTAMP = re.compile(r"\[\d{1,2}(?::\d{2}){1,2}(?:\.\d+)?\]")
_QUALIFIER = re.compile(r" ?\([^()]*\)$")  # `Télécom Paris (unnamed interviewer)`


def speech(stem: str) -> list[tuple[str, str]]:
    """(speaker, words) per stretch of speech: gold turns with a speaker, one speaker's turns
    around a heading joined (a recording has no headings)."""
    gold = json.loads((REAL / f"{stem}.json").read_text(encoding="utf-8"))
    text = (REAL / f"{stem}.txt").read_text(encoding="utf-8")
    turns = gold["turns"]
    out: list[tuple[str, str]] = []
    for i, turn in enumerate(turns):
        if turn["role"] == "other" and not turn.get("speaker"):
            continue
        end = turns[i + 1]["offset"] if i + 1 < len(turns) else len(text)
        body = text[turn["offset"]:end]
        body = body[max(body.find(turn["starts_with"][:20]), 0):]
        words = " ".join(_TIMESTAMP.sub(" ", body).split())
        name = turn.get("speaker") or turn["role"].capitalize()
        if out and out[-1][0] == name:
            out[-1] = (name, f"{out[-1][1]} {words}")
        else:
            out.append((name, words))
    return out


def cues(words: str) -> list[list[str]]:
    chunks: list[str] = []
    for word in words.split():
        if chunks and len(chunks[-1]) + 1 + len(word) <= 84:
            chunks[-1] = f"{chunks[-1]} {word}"
        else:
            chunks.append(word)
    return [textwrap.wrap(c, 42, break_on_hyphens=False, break_long_words=False) for c in chunks]


def transcript(stem: str, style: str) -> str:
    vtt = style.endswith(".vtt")
    blocks, t = [], 1.0

    def clock(x: float) -> str:
        ms = round(x * 1000)
        return (f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}"
                f"{'.' if vtt else ','}{ms % 1000:03d}")

    for name, words in speech(stem):
        for lines in cues(words):
            if style == "teams.vtt":
                lines = [f"<v {name}>" + "\n".join(lines) + "</v>"]
            else:
                lines = [f"{name}: {lines[0]}", *lines[1:]]
            length = max(1.0, sum(map(len, lines)) / 15)
            number = [] if vtt else [str(len(blocks) + 1)]
            blocks.append("\n".join([*number, f"{clock(t)} --> {clock(t + length)}", *lines]))
            t += length + 0.3
    return ("WEBVTT\n\n" if vtt else "") + "\n\n".join(blocks) + "\n"


STEMS = sorted(p.stem for p in REAL.glob("*.txt")) if REAL.is_dir() else []


@pytest.mark.skipif(not STEMS, reason="../shared/interviews is not here")
@pytest.mark.parametrize("style", STYLES)
def test_real_interviews_as_transcripts_read_back_exactly(tmp_path, style):
    paragraphs = wrong = 0
    for stem in STEMS:
        path = tmp_path / f"{stem}.{style.split('.')[1]}"
        path.write_text(transcript(stem, style), encoding="utf-8")
        doc = read_document(path)
        said = [(_QUALIFIER.sub("", name), words) for name, words in speech(stem)]
        read = [tuple(line.split(": ", 1)) for line in doc.text.split("\n")]
        paragraphs += len(said)
        wrong += sum(a != b for a, b in zip(said, read)) + abs(len(said) - len(read))
        assert len(doc.times) == len(read)
    assert paragraphs > 300 and wrong == 0
