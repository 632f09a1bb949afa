"""Machine transcripts (.vtt, .srt): speakers by each convention, times on every turn, errors."""
from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from interview_lens.errors import InputError, InterviewWarning
from interview_lens.reading.formats import read_document
from interview_lens.reading.segment import read_interview
from interview_lens.reading.turns import TURN_COLUMNS
from interview_lens.reading.turns import turn_times as _turn_times
from interview_lens.runs.regenerate import find_documents

FIX = Path(__file__).parents[1] / "fixtures" / "transcripts"
NAN = float("nan")
SHOWN = ["speaker", "role", "text", "start_s", "end_s"]


def read(name: str, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InterviewWarning)
        iv = read_interview(FIX / name, **kw)
    return iv, [str(w.message) for w in caught]


def frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=SHOWN).astype({"start_s": "float64", "end_s": "float64"})


def check(iv, rows: list[tuple]) -> None:
    """The turns are exactly ``rows``; every turn's text is the text at its offsets."""
    assert list(iv.turns.columns) == TURN_COLUMNS
    pd.testing.assert_frame_equal(iv.turns[SHOWN], frame(rows))
    for t in iv.turns.itertuples():
        assert iv.text[t.start_char:t.end_char] == t.text


# ---------------------------------------------------------------- each convention

def test_teams_voice_tags_three_speakers():
    iv, notes = read("teams.vtt", language="en")
    check(iv, [
        ("Claire Martin", "interviewer",
         "Good morning, and thank you both for coming. How did the repair café begin?",
         1.0, 7.25),
        ("Omar Haddad", "interviewee",
         "It began in 2019 with three volunteers & one soldering iron. We met in a church hall.",
         7.9, 13.4),
        ("Lena Vogt", "interviewee", "And the hall was free, which mattered.", 13.6, 16.0),
        # two voices in one cue: both turns get the cue's times
        ("Claire Martin", "interviewer", "Who comes to it today?", 16.2, 19.0),
        ("Omar Haddad", "interviewee", "Mostly retired engineers.", 16.2, 19.0),
        ("Lena Vogt", "interviewee", "And students who cannot afford a new phone.", 19.0, 62.125),
        ("Claire Martin", "interviewer", "Lena, what did you repair first?", 62.5, 64.0),
        ("Lena Vogt", "interviewee", "A radio from 1962.", 64.2, 66.9),
    ])
    assert notes == []
    assert iv.qa.answer_turns.tolist() == [[2, 3], [5, 6], [8]]
    # NOTE and STYLE blocks, cue identifiers and settings, `(Guest)` never reach the text
    assert "NOTE" not in iv.text and "color" not in iv.text and "Guest" not in iv.text
    assert "3f2a9c1e" not in iv.text and "align" not in iv.text


def test_zoom_vtt_names_in_cues():
    iv, notes = read("zoom.vtt", language="en")
    check(iv, [
        ("Sofia Reyes", "interviewer", "Welcome to the oral history project. Where did you "
         "grow up, and what was the street like?", 0.5, 6.8),
        # cue 4 names nobody: Tom Becker goes on
        ("Tom Becker", "interviewee", "In Leipzig, on a street full of bakeries. Every morning "
         "smelled of bread.", 7.1, 12.5),
        ("Sofia Reyes", "interviewer", "Did you work there?", 12.9, 14.0),
        ("Tom Becker", "interviewee", "Yes: I delivered rolls before school.", 14.2, 17.6),
    ])
    assert notes == []


def test_change_markers_vtt_alternate_two_speakers():
    iv, notes = read("markers.vtt", language="en")
    check(iv, [
        ("Speaker 1", "interviewer", "WHAT BROUGHT YOU TO THE CITY?", 1.0, 3.0),
        ("Speaker 2", "interviewee", "WORK. THE DOCKS WERE HIRING. EVERYONE CAME FOR THE DOCKS.",
         3.5, 8.0),
        ("Speaker 1", "interviewer", "And did you stay long?", 8.5, 10.0),
        ("Speaker 2", "interviewee", "Forty years.", 8.5, 10.0),
    ])
    assert len(notes) == 1 and "inferred from 4 change markers" in notes[0]
    assert iv.meta["warnings"] == [notes[0].split(": ", 1)[1]]  # in the data-quality section


def test_zoom_srt_french():
    iv, notes = read("zoom.srt", language="fr")
    check(iv, [
        ("Marc Duval", "interviewer",
         "Bonjour, merci de nous recevoir. Comment est née la coopérative ?", 0.4, 6.0),
        ("Anne Roux", "interviewee", "D'un refus, en 1998. Personne ne voulait nous prêter. "
         "Alors nous avons prêté nous-mêmes.", 6.3, 12.0),
        ("Marc Duval", "interviewer", "Et aujourd'hui ?", 12.4, 14.0),
        ("Anne Roux", "interviewee", "Trois cents membres.", 14.0, 17.5),
    ])
    assert notes == []
    assert "{" not in iv.text and "<i>" not in iv.text


def test_dash_markers_srt_two_in_one_cue():
    iv, notes = read("dashes.srt", language="en")
    check(iv, [
        ("Speaker 1", "interviewer", "When did the mill close?", 2.0, 4.0),
        ("Speaker 2", "interviewee", "In 1983, in the winter. Nobody was surprised.", 4.5, 9.0),
        ("Speaker 1", "interviewer", "Were you there?", 9.5, 11.0),
        ("Speaker 2", "interviewee", "I was the last one out.", 9.5, 11.0),
    ])
    assert len(notes) == 1 and "Speaker 1" in notes[0]


def test_utf16_bom_srt():
    assert (FIX / "utf16.srt").read_bytes()[:2] == b"\xff\xfe"
    iv, notes = read("utf16.srt", language="fr")
    check(iv, [
        ("Élodie Brun", "interviewer", "Où avez-vous appris le métier ?", 1.0, 4.0),
        ("Hélène Lefèvre", "interviewee", "À Lyon, chez un ébéniste.", 4.5, 8.0),
        ("Élodie Brun", "interviewer", "Combien d’années ?", 8.0, 10.0),
        ("Hélène Lefèvre", "interviewee", "Sept ans, de 1974 à 1981.", 10.5, 12.25),
    ])
    assert notes == []
    assert read_document(FIX / "utf16.srt").encoding == "utf-16"


def test_plain_srt_one_paragraph_per_sentence_group():
    doc = read_document(FIX / "plain.srt")
    # cue 2 ends mid-sentence ("My father"), so cue 3 joins its paragraph
    assert doc.text == ("Where were you born?\nIn Porto, near the river. My father mended nets."
                        "\nDid you fish too?\nNever. I was seasick.")
    assert doc.times == ((0, 20, 1.0, 3.0), (21, 69, 3.5, 8.0), (70, 87, 8.4, 10.0),
                         (88, 109, 10.2, 12.0))
    iv, _ = read("plain.srt", language="en")
    # no labels: the segmenter reads the bare questions as it does in any unlabelled text
    check(iv, [
        ("Interviewer", "interviewer", "Where were you born?", 1.0, 3.0),
        ("Interviewee", "interviewee", "In Porto, near the river. My father mended nets.",
         3.5, 8.0),
        ("Interviewer", "interviewer", "Did you fish too?", 8.4, 10.0),
        ("Interviewee", "interviewee", "Never. I was seasick.", 10.2, 12.0),
    ])


def test_rolling_captions_deduplicated_and_pauses_split():
    doc = read_document(FIX / "plain.vtt")
    # each cue repeats the previous cue's last line (YouTube); karaoke tags and the header's
    # Kind/Language lines are gone; the 3 s silence before the last cue ends a paragraph
    assert doc.text == ("so tell me about the first winter it was hard we had no heating\n"
                        "but the neighbours helped")
    assert doc.times == ((0, 63, 0.0, 6.0), (64, 89, 9.0, 11.0))
    assert doc.format == "vtt"


def test_repeated_words_are_kept_when_captions_do_not_roll(tmp_path):
    path = tmp_path / "x.vtt"
    path.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAna: No.\n\n"
                    "00:00:02.000 --> 00:00:03.000\nNo.\n\n"
                    "00:00:03.000 --> 00:00:04.000\nBen: Really?\n\n"
                    "00:00:04.000 --> 00:00:05.000\nAna: Really.\n", encoding="utf-8")
    assert read_document(path).text == "Ana: No. No.\nBen: Really?\nAna: Really."


def test_zoom_names_need_to_repeat_unless_most_cues_are_named(tmp_path):
    """`Note:` once in captions is text; in a file where most cues start with a name, a name
    said once (`Lena Vogt:`) is a speaker but a sentence start (`In 1983:`) is not."""
    captions = tmp_path / "a.vtt"
    captions.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nWe started in May,\n\n"
                        "00:00:02.000 --> 00:00:03.000\nNote: it rained,\n\n"
                        "00:00:03.000 --> 00:00:04.000\nand it was cold.\n", encoding="utf-8")
    assert read_document(captions).text == "We started in May, Note: it rained, and it was cold."
    zoom = tmp_path / "b.vtt"
    zoom.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAna Lima: When?\n\n"
                    "00:00:02.000 --> 00:00:03.000\nBen Ode: In May.\n\n"
                    "00:00:03.000 --> 00:00:04.000\nIn 1983: the strike.\n\n"
                    "00:00:04.000 --> 00:00:05.000\nLena Vogt: Yes.\n", encoding="utf-8")
    doc = read_document(zoom)
    assert doc.text == "Ana Lima: When?\nBen Ode: In May. In 1983: the strike.\nLena Vogt: Yes."
    assert doc.times == ((0, 15, 1.0, 2.0), (16, 53, 2.0, 4.0), (54, 69, 4.0, 5.0))


def test_entities_and_tags_inside_text(tmp_path):
    path = tmp_path / "x.vtt"
    path.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.500\n"
                    "<v Ana>&lt;i&gt; is a tag, 3 &lt; 4 &amp; <b>bold</b> &#233;t&eacute;</v>\n",
                    encoding="utf-8")
    assert read_document(path).text == "Ana: <i> is a tag, 3 < 4 & bold été"


# ---------------------------------------------------------------- turn times

def test_turn_times_by_paragraph():
    starts, ends = np.array([0, 5, 12, 30, 20]), np.array([4, 11, 25, 31, 21])
    times = ((10, 20, 7.5, 9.0), (0, 9, 1.0, 2.0), (21, 26, 9.5, 12.0))  # in any order
    start_s, end_s = _turn_times(starts, ends, times)
    # turn 2 ends in the next paragraph (its last character, 10); turns 4 and 5 lie outside
    # every paragraph (after the last one; on the line break between two)
    np.testing.assert_array_equal(start_s, [1.0, 1.0, 7.5, NAN, NAN])
    np.testing.assert_array_equal(end_s, [2.0, 9.0, 12.0, NAN, NAN])
    none_s, none_e = _turn_times(starts, ends, ())
    assert np.isnan(none_s).all() and np.isnan(none_e).all()


def test_plain_text_turns_have_no_times(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("Anna: Where were you born?\nBoris: In Kyiv.\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InterviewWarning)
        turns = read_interview(path, language="en").turns
    assert turns.start_s.isna().all() and turns.end_s.isna().all()
    assert turns.start_s.dtype == np.float64


# ---------------------------------------------------------------- bad input

BROKEN = {
    "no-header.vtt": (b"00:00:01.000 --> 00:00:02.000\nHello\n",
                      "not a WebVTT file (its first line must start with WEBVTT)"),
    "srt-named.vtt": (b"1\n00:00:01,000 --> 00:00:02,000\nHello\n",
                      "not a WebVTT file (its first line must start with WEBVTT)"),
    "garbage.vtt": (b"lorem ipsum\ndolor sit amet\n",
                    "not a WebVTT file (its first line must start with WEBVTT)"),
    "binary.vtt": (bytes(range(256)) * 4, "binary content (NUL bytes), not a text document"),
    "empty.vtt": (b"", "empty document"),
    "header-only.vtt": (b"WEBVTT\n\nNOTE nothing said\n", "no cue in this WebVTT file"),
    "bad-timings.vtt": (b"WEBVTT\n\n00:00:01.000 --> 00:00:xx.000\nHello\n",
                        "no readable cue in this WebVTT file (1 with unreadable timings)"),
    "blank-cues.vtt": (b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<i> </i>\n",
                       "no text in the cues of this WebVTT file"),
    "no-cue.srt": (b"just some text\nwith no cue at all\n", "no cue in this SubRip file"),
    "binary.srt": (b"\x89PNG\r\n\x1a\n" + bytes(64),
                   "binary content (NUL bytes), not a text document"),
    "blank.srt": (b"\n\n  \n", "empty document"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_are_one_line_errors(tmp_path, name):
    data, problem = BROKEN[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        read_interview(path)
    assert str(caught.value) == f"{path}: {problem}"


def test_unreadable_cue_is_skipped_with_a_warning(tmp_path):
    path = tmp_path / "x.vtt"
    path.write_bytes(b"WEBVTT\n\n00:00:01.000 --> 00:00:xx.000\nHello\n\n"
                     b"00:00:02.000 --> 00:00:03.000\nWorld\n")
    with pytest.warns(InterviewWarning, match="1 cue.s. with unreadable timings were skipped"):
        doc = read_document(path)
    assert (doc.text, doc.times) == ("World", ((0, 5, 2.0, 3.0),))


def test_cli_prints_times(tmp_path):
    done = subprocess.run([sys.executable, "-m", "interview_lens", "turns",
                           str(FIX / "zoom.vtt"), "--format", "json", "--language", "en"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [(r["speaker"], r["start_s"], r["end_s"]) for r in rows] == [
        ("Sofia Reyes", 0.5, 6.8), ("Tom Becker", 7.1, 12.5), ("Sofia Reyes", 12.9, 14.0),
        ("Tom Becker", 14.2, 17.6)]
    bad = tmp_path / "bad.srt"
    bad.write_text("not a transcript\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "interview_lens", "turns", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr == f"interview-lens: {bad}: no cue in this SubRip file\n"


def test_regeneration_finds_transcripts(tmp_path):
    folder = tmp_path / "data" / "interviews"
    folder.mkdir(parents=True)
    for name in ("a.vtt", "b.SRT", "c.txt", "d.json"):
        (folder / name).write_text("x", encoding="utf-8")
    assert [p.name for p in find_documents(project_root=tmp_path)] == ["a.vtt", "b.SRT", "c.txt"]


def test_two_names_in_one_srt_cue_and_a_name_on_its_own_line(tmp_path):
    path = tmp_path / "x.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:03,000\nAna Lima: Where to?\nBen Ode: North,\n"
                    "and then: west.\n\n"
                    "2\n00:00:03,000 --> 00:00:05,000\nAna Lima:\nWhy west?\n\n"
                    "3\n00:00:05,500 --> 00:00:06,000\nBen Ode: The sea.\n", encoding="utf-8")
    doc = read_document(path)
    # `and then:` inside a cue is not a speaker; `Ana Lima:` with nothing after it is
    assert doc.text == ("Ana Lima: Where to?\nBen Ode: North, and then: west.\n"
                        "Ana Lima: Why west?\nBen Ode: The sea.")
    assert [t[2:] for t in doc.times] == [(1.0, 3.0), (1.0, 3.0), (3.0, 5.0), (5.5, 6.0)]


def test_turns_csv_keeps_the_times(tmp_path):
    from interview_lens.notebook.analysis import load, save_tables

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InterviewWarning)
        analysis = load(FIX / "zoom.vtt", output_root=tmp_path, language="en")
    save_tables(analysis)
    turns = pd.read_csv(analysis.paths.tables / "turns.csv")
    assert list(turns.columns) == TURN_COLUMNS
    assert list(zip(turns.start_s, turns.end_s)) == [(0.5, 6.8), (7.1, 12.5), (12.9, 14.0),
                                                     (14.2, 17.6)]


def test_dashes_in_prose_are_not_speaker_changes(tmp_path):
    """A hyphen opening a cue is a change even after a cut-off sentence; an em dash opening a
    cue, or any dash on a wrapped line, is one only after the end of a sentence."""
    path = tmp_path / "x.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:03,000\n- So I would love —\n\n"
                    "2\n00:00:03,000 --> 00:00:05,000\n- Heat pumps? Yes, in Hunters\nPoint —\n\n"
                    "3\n00:00:05,000 --> 00:00:07,000\n— (applause) — we\n- did it.\n\n"
                    "4\n00:00:07,000 --> 00:00:09,000\nThank you.\n— Thank you!\n",
                    encoding="utf-8")
    with pytest.warns(InterviewWarning, match="inferred from 3 change markers"):
        doc = read_document(path)
    assert doc.text == ("Speaker 1: So I would love —\n"
                        "Speaker 2: Heat pumps? Yes, in Hunters Point — — (applause) — we"
                        " - did it. Thank you.\nSpeaker 1: Thank you!")
    assert [t[2:] for t in doc.times] == [(1.0, 3.0), (3.0, 9.0), (7.0, 9.0)]


def test_zoom_names_said_once(tmp_path):
    path = tmp_path / "x.vtt"
    path.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n"
                    "Sophie Clairet / Ariane Rose: Why?\n\n"
                    "00:00:02.000 --> 00:00:03.000\nOlivier Dedieu: Because of\n"
                    "beaucoup de choses :\nla carte.\n\n"
                    "00:00:03.000 --> 00:00:04.000\nAudience member: Yes!\n", encoding="utf-8")
    # `beaucoup de choses :` opens no cue and is no speaker's name
    assert read_document(path).text == (
        "Sophie Clairet / Ariane Rose: Why?\n"
        "Olivier Dedieu: Because of beaucoup de choses : la carte.\nAudience member: Yes!")
