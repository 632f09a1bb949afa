"""shown: one sentence in place of an empty figure or table, and no file for a figure not drawn."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from interview_lens.notebook.display import Note, or_note, save_or_note  # noqa: E402


def test_or_note_keeps_what_has_rows_and_replaces_what_has_none():
    table = pd.DataFrame({"a": [1]})
    assert or_note(table, "nothing") is table
    for empty in (table.iloc[:0], pd.Series(dtype=int), [], None):
        note = or_note(empty, "No Q/A pair.")
        assert isinstance(note, Note) and note == "No Q/A pair."
        assert note._repr_markdown_() == "*No Q/A pair.*"


def test_save_or_note_writes_a_figure_and_nothing_for_none(tmp_path):
    fig = Figure()
    fig.add_subplot().plot([0, 1], [0, 1])
    assert save_or_note(fig, "line", tmp_path, ["png"], 50, note="unused") is fig
    assert sorted(p.name for p in tmp_path.iterdir()) == ["line.png"]
    note = save_or_note(None, "empty", tmp_path, ["png"], 50, note="Nothing to draw.")
    assert note == "Nothing to draw."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["line.png"]
