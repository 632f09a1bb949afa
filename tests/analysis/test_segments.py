"""Text segments (rainette's cut, within turns) and the segment x lemma matrix."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from interview_lens.analysis.segments import segment_matrix, text_segments
from interview_lens.language.tokens import tokens_from
from interview_lens.reading.segment import read_interview

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"


def _tokens(text: str, turns: list[tuple[int, int]], stop=()) -> pd.DataFrame:
    """A minimal token table: \\w+ words, each in the turn whose span holds it."""
    rows = []
    for m in re.finditer(r"\w+", text):
        turn = next(i for i, (a, b) in enumerate(turns, start=1) if a <= m.start() < b)
        rows.append({"doc_id": "d", "qa_id": turn, "turn_id": turn, "speaker": f"S{turn}",
                     "start_char": m.start(), "end_char": m.end(), "lemma": m.group().lower(),
                     "is_stop": m.group().lower() in stop})
    return pd.DataFrame(rows)


TEXT = "Un deux trois. Quatre cinq six, sept huit neuf: dix onze douze."


def test_cut_at_the_strongest_punctuation_near_the_size():
    # size 5, window 0.4*5 = 2: rainette scores word i of the 7-word window by
    # weight / (|i - 5| + 1), divisors 5,4,3,2,1,2,3.  Words 1-7: "trois." (6/3 = 2) beats
    # "six," (1/2) -> cut after 3 words.  Words 4-10: "neuf:" (5/2 = 2.5) beats "six," (1/3)
    # -> cut after 6 more; 9 >= 12 - 7 stops the loop, the last 3 words make the last segment.
    tokens = _tokens(TEXT, [(0, len(TEXT))])
    seg = text_segments(tokens, TEXT, size=5, min_words=1)
    assert seg["text"].tolist() == ["Un deux trois.", "Quatre cinq six, sept huit neuf:",
                                    "dix onze douze."]
    assert seg["n_words"].tolist() == [3, 6, 3]
    assert seg["segment_id"].tolist() == [1, 2, 3]
    assert all(TEXT[a:b] == t for a, b, t in zip(seg["start_char"], seg["end_char"], seg["text"]))


@pytest.mark.parametrize("mark", [".", "?", "!", "…"])
def test_every_full_stop_weighs_six(mark):
    text = TEXT.replace("trois.", f"trois{mark}")
    seg = text_segments(_tokens(text, [(0, len(text))]), text, size=5, min_words=1)
    assert seg["n_words"].tolist() == [3, 6, 3]


def test_a_comma_weighs_less_than_the_size_pull():
    # "trois," scores 1/3, "six," 1/2 (closer to 5 words): the first cut moves to 6 words;
    # 6 >= 12 - 7 ends rainette's loop, the last 6 words make the last segment: [6, 6].
    text = TEXT.replace("trois.", "trois,")
    seg = text_segments(_tokens(text, [(0, len(text))]), text, size=5, min_words=1)
    assert seg["n_words"].tolist() == [6, 6]


def test_a_short_segment_joins_the_one_before_it():
    from interview_lens.analysis.segments import _merge_short

    assert _merge_short([5, 2, 5], 3) == [7, 5]
    assert _merge_short([2, 5, 5], 3) == [7, 5]  # the first has none before: the next
    assert _merge_short([5, 5, 2], 3) == [5, 7]
    assert _merge_short([2], 3) == [2]  # a short turn stays whole


def test_short_segments_merge_within_their_turn():
    # lengths [3, 6, 3] with min_words 4: the first joins the second (9), then the last
    # joins it too (12): one segment for the whole turn.
    tokens = _tokens(TEXT, [(0, len(TEXT))])
    seg = text_segments(tokens, TEXT, size=5, min_words=4)
    assert seg["n_words"].tolist() == [12]
    assert seg["text"].tolist() == [TEXT]


def test_a_segment_never_crosses_a_turn():
    text = "Alpha beta gamma delta? Epsilon zeta eta theta iota kappa."
    split = text.index("Epsilon")
    tokens = _tokens(text, [(0, split), (split, len(text))])
    seg = text_segments(tokens, text, size=40, min_words=10)
    assert seg["turn_id"].tolist() == [1, 2]
    assert seg["text"].tolist() == ["Alpha beta gamma delta?", "Epsilon zeta eta theta iota kappa."]
    assert seg["speaker"].tolist() == ["S1", "S2"]


def test_matrix_keeps_content_lemmas_in_three_segments():
    text = "Chat chien. Chat chien. Chat le. Chien le."
    tokens = _tokens(text, [(0, len(text))], stop={"le"})
    seg = text_segments(tokens, text, size=2, window=0, min_words=1)
    assert seg["text"].tolist() == ["Chat chien.", "Chat chien.", "Chat le.", "Chien le."]
    m, terms = segment_matrix(tokens, seg, min_frequency=3)
    # chat in segments 1-3, chien in 1, 2, 4: both in 3 segments; "le" is a stopword
    assert terms == ["chat", "chien"]
    assert m.toarray().tolist() == [[1, 1], [1, 1], [1, 0], [0, 1]]
    m4, terms4 = segment_matrix(tokens, seg, min_frequency=4)
    assert terms4 == [] and m4.shape == (4, 0)


@pytest.fixture(scope="module")
def sample():
    interview = read_interview(SAMPLE)
    return interview, tokens_from(interview)


def test_sample_segments_stay_in_their_turn_and_select_their_text(sample):
    interview, tokens = sample
    seg = text_segments(tokens, interview)
    turns = interview.turns.set_index("turn_id")
    for row in seg.itertuples(index=False):
        assert interview.text[row.start_char:row.end_char] == row.text
        assert turns.at[row.turn_id, "start_char"] <= row.start_char
        assert row.end_char <= turns.at[row.turn_id, "end_char"]
    assert seg["n_words"].sum() == len(tokens)  # every token in exactly one segment
    # every turn's tokens are in its own segments only
    per_turn = tokens.groupby("turn_id").size()
    assert seg.groupby("turn_id")["n_words"].sum().equals(per_turn)
    assert len(seg) == 32 and seg["n_words"].max() <= 56  # 40 + 0.4 * 40


def test_several_documents_need_a_text_each(sample):
    interview, tokens = sample
    other = tokens.assign(doc_id="copy")
    both = pd.concat([tokens, other], ignore_index=True)
    seg = text_segments(both, {interview.doc_id: interview.text, "copy": interview.text})
    assert len(seg) == 64 and np.array_equal(seg["segment_id"], np.arange(1, 65))
    from interview_lens.errors import InputError
    with pytest.raises(InputError, match="no text given for document"):
        text_segments(both, {interview.doc_id: interview.text})
