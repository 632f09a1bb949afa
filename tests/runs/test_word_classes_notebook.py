"""Notebook 03 (Reinert classes, CA, similarity network) through papermill, alone.

On the French sample it writes its nine tables and four figures, with values checked by hand;
on a document of 13 words (two segments) every step says in one sentence what it cannot show,
writes no figure and raises nothing.  The whole regeneration (five notebooks) is
test_end_to_end.py's and test_collection.py's business.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from interview_lens.runs.kernel import execute_notebook

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "03-word-classes.ipynb"
SAMPLE = ROOT / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"
SHORT = "Q : Et la coopération ?\nR : Le partage compte, la coopération aussi.\n"
FIGURES = {"classes-dendrogram", "classes-along", "ca-plane", "similarity-network"}

pytestmark = pytest.mark.slow


def _run(document: Path, out: Path) -> dict:
    executed = out / "03.ipynb"
    execute_notebook(NOTEBOOK, executed, kernel_name="interview-lens", cwd=str(ROOT),
                     parameters={"document": str(document), "output_root": str(out),
                                 "formats": ["png"], "dpi": 50}, progress_bar=False)
    return json.loads(executed.read_text(encoding="utf-8"))


def _errors_and_text(executed: dict) -> tuple[list, str]:
    outputs = [o for c in executed["cells"] for o in c.get("outputs", [])]
    text = "\n".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/markdown", ""))
                     for o in outputs)
    return [o for o in outputs if o.get("output_type") == "error"], text


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    return out, _run(SAMPLE, out)


def test_the_sample_gives_every_table_and_figure(sample):
    out, executed = sample
    errors, text = _errors_and_text(executed)
    assert errors == []
    assert "32 text segments" in text
    assert "10 classes from 32 segments (1 not classified)" in text
    figures = out / "figures" / "gt-kurbalija-2025-fr"
    assert {p.stem for p in figures.glob("*.png")} == FIGURES
    tables = out / "data" / "processed" / "gt-kurbalija-2025-fr"
    for name in ("segments", "classes", "class-profiles", "class-segments", "ca-rows",
                 "ca-columns", "ca-eigenvalues", "similarity-edges", "similarity-nodes"):
        assert len(pd.read_csv(tables / f"{name}.csv")) > 0, name


def test_the_deepseek_class_by_hand(sample):
    """Class 7 is the three segments of Q4 on DeepSeek's open-source models; DeepSeek is in 2 of
    them and in 3 of the 31 classified segments: χ² = 31 (2·27 - 1·1)² / (3·28·3·28)
    = 87079 / 7056 = 12.3411."""
    out, _ = sample
    tables = out / "data" / "processed" / "gt-kurbalija-2025-fr"
    classes = pd.read_csv(tables / "classes.csv")
    seven = classes[classes["class"] == 7]
    assert seven["segment_id"].tolist() == [21, 22, 24]
    assert set(seven["qa_id"]) == {4}
    assert all("open source" in t for t in seven["text"])
    profiles = pd.read_csv(tables / "class-profiles.csv")
    top = profiles[profiles["class"] == 7].iloc[0]
    assert (top["term"], top["n_class"], top["n_total"]) == ("DeepSeek", 2, 3)
    assert top["chi2"] == pytest.approx(87079 / 7056, abs=5e-5)  # the CSV keeps 4 decimals
    text = SAMPLE.read_text(encoding="utf-8")
    segments = pd.read_csv(tables / "segments.csv")
    assert all(text[a:b] == t for a, b, t in
               zip(segments["start_char"], segments["end_char"], segments["text"]))


def test_a_thirteen_word_document_says_what_it_cannot_show(tmp_path):
    document = tmp_path / "fr-court.txt"
    document.write_text(SHORT, encoding="utf-8")
    errors, text = _errors_and_text(_run(document, tmp_path))
    assert errors == []
    assert "The 2 segments do not split into two classes" in text
    assert "The segments do not split into two classes, so there is no dendrogram." in text
    assert "no correspondence analysis" in text
    assert "No edge, so no network figure." in text
    assert not list((tmp_path / "figures").rglob("*.png"))
