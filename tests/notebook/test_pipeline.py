"""pipeline.document_label: the name of a document in every figure title."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from interview_lens.model import Interview
from interview_lens.notebook.analysis import document_label


def _interview(speakers: list[str], meta: dict | None = None) -> Interview:
    turns = pd.DataFrame({"speaker": ["Host", *speakers],
                          "role": ["interviewer", *["interviewee"] * len(speakers)]})
    return Interview(doc_id="panel", path=Path("panel.txt"), language="en", text="",
                     turns=turns, qa=pd.DataFrame(), meta=meta or {})


def test_label_names_the_interviewees_source_and_year():
    label = document_label(_interview(["Ann", "Bob", "Ann"], {"source": "Radio", "year": 2024}))
    assert label == "Ann, Bob · Radio (2024)"


def test_label_of_many_interviewees_names_three_and_counts_the_others():
    # 500 speakers once made a title of 500 names and a figure 26,000 pixels wide
    names = [f"Speaker{i:03d}" for i in range(500)]
    assert document_label(_interview(names)) == "Speaker000, Speaker001, Speaker002 + 497 others"
    assert document_label(_interview(names[:3])) == "Speaker000, Speaker001, Speaker002"


def test_label_without_interviewee_is_the_document_id():
    assert document_label(_interview([])) == "panel"
    assert document_label(_interview(["Ann"], {"short_title": "Short"})) == "Short"
