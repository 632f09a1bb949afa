"""A tiny invented study through the regeneration: three French documents, a variables table
and an interview guide, notebooks 01 (it saves each document's tables) and 05.

The documents run one after the other (``jobs=1``, in name order), so the last one, ``c-gov``,
compares itself with the two before it.  Its interviewees' words, by hand from the texts
(tests/fixtures/study):

* c-gov (government, 17 words): loi 2, État 2, protéger, coopérer, association, encadrer, citoyen;
* a-ngo + b-ngo (NGO, 21 + 11 = 32 words): commun 3, association 2, partager 2, donnée 2, loi,
  protéger, coopérer, quartier, fragile, pleuvoir.

Yates-corrected χ² (N = 49): État (2, 0): D = |2·32 − 0| − 24.5 = 39.5, χ² = 49·39.5² /
(17·32·2·47) = 1.495077...; commun (0, 3): D = |0 − 3·17| − 24.5 = 26.5, χ² = 49·26.5² /
(17·32·3·46) = 0.458363...
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import project_copy

from interview_lens.runs.regenerate import regenerate

ROOT = Path(__file__).resolve().parents[2]
STUDY = ROOT / "tests" / "fixtures" / "study"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    patch = pytest.MonkeyPatch()
    root = project_copy(tmp_path_factory, "study", patch)
    for notebook in root.joinpath("notebooks").glob("0[2346]-*"):
        notebook.unlink()
    for path in STUDY.iterdir():
        shutil.copy(path, root / "data" / "interviews" / path.name)
    results = regenerate(project_root=root, jobs=1, progress=False, formats=["png"], dpi=80,
                         parameters={"language": "fr"})
    yield root, {r["doc_id"]: r for r in results}
    patch.undo()


def _table(root: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(root / "data" / "processed" / "c-gov" / name, keep_default_na=False)


def test_every_document_runs_and_keeps_its_variables(study):
    root, results = study
    assert {d: r["status"] for d, r in results.items()} == {
        "a-ngo": "ok", "b-ngo": "ok", "c-gov": "ok"}
    info = json.loads((root / "data" / "processed" / "a-ngo" / "document.json").read_text())
    assert info["variables"] == {"sector": "NGO", "wave": 1}
    variables = _table(root, "variables.csv")
    assert variables.to_dict("list") == {"doc_id": ["c-gov", "a-ngo", "b-ngo"],
                                         "sector": ["government", "NGO", "NGO"],
                                         "wave": [1, 1, 2]}


def test_group_keyness_of_the_government_against_all_others(study):
    root, _ = study
    key = _table(root, "groups-keyness.csv").set_index("lemma")
    assert key.loc["État", ["n_target", "n_reference", "docs_target", "docs_reference"]
                   ].tolist() == [2, 0, 1, 0]
    assert key.loc["État", "statistic"] == pytest.approx(49 * 39.5 ** 2 / (17 * 32 * 2 * 47), abs=1e-5)  # CSV: 6 digits
    assert key.loc["commun", ["n_target", "n_reference", "sign"]].tolist() == [0, 3, "-"]
    assert key.loc["commun", "docs_reference"] == 2
    assert key.loc["commun", "statistic"] == pytest.approx(49 * 26.5 ** 2 / (17 * 32 * 3 * 46), abs=1e-5)
    # scored: the 8 lemmas seen twice or more in both groups; État first (largest signed χ²)
    assert sorted(key.index) == sorted(["loi", "État", "protéger", "coopérer", "association",
                                        "partager", "donnée", "commun"])
    assert key.index[0] == "État"


def test_guide_lines_up_the_answers_with_an_off_guide_and_a_reordered_guide(study):
    root, _ = study
    matches = _table(root, "guide-matches.csv")
    got = {(d, q): t for d, q, t in zip(matches["doc_id"], matches["qa_id"], matches["theme"])}
    assert got == {("c-gov", 1): "Loi", ("c-gov", 2): "Coopération",  # asked in the other order
                   ("a-ngo", 1): "Coopération", ("a-ngo", 2): "Loi",
                   ("b-ngo", 1): "Coopération", ("b-ngo", 2): ""}  # the weather: off-guide
    assert matches["sector"].tolist() == ["government"] * 2 + ["NGO"] * 4
    themes = _table(root, "guide-themes.csv")
    # words of the interviewees' answers per theme (c-gov's law answer: 11 word tokens)
    cell = themes.set_index(["theme", "doc_id"])
    assert cell.loc[("Loi", "b-ngo"), "qa_ids"] == ""
    assert cell.loc[("Loi", "c-gov"), "words"] == 11
    assert cell.loc[("Coopération", "c-gov"), "words"] == 6


def test_figures_of_the_three_parts(study):
    root, _ = study
    figures = root / "figures" / "c-gov"
    for name in ("groups-keyness", "groups-concept-rates", "guide-themes",
                 "documents-concept-rates"):
        assert (figures / f"{name}.png").is_file(), name
    rates = _table(root, "groups-concept-rates.csv")
    assert set(rates["sector"]) == {"government", "NGO"}
    assert rates.loc[rates["sector"] == "NGO", "words"].unique().tolist() == [32]
    assert _table(root, "documents.csv")[["doc_id", "sector"]].values.tolist() == [
        ["c-gov", "government"], ["a-ngo", "NGO"], ["b-ngo", "NGO"]]
