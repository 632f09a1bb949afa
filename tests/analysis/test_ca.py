"""Correspondence analysis: hand-worked tables, the issue's reference, the sign rule."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from interview_lens.analysis.ca import lexical_table, stat_ca
from interview_lens.errors import InputError
from interview_lens.language.tokens import tokens_from
from interview_lens.reading.segment import read_interview

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"
RAINETTE = ["11100", "00110", "10000", "11110", "11111", "10000", "11100"]


def test_two_by_two_eigenvalue_is_phi_squared():
    # [[3, 1], [1, 3]]: χ² = n (ad - bc)² / (row and column totals) = 8 * 8² / 4⁴ = 2, and a
    # 2 x 2 table has one axis whose eigenvalue is φ² = χ²/n = 0.25.  Masses 1/2; the row
    # profiles (3/4, 1/4) and (1/4, 3/4) sit at ±√0.25 = ±0.5 on the axis.
    ca = stat_ca(pd.DataFrame([[3, 1], [1, 3]], index=["r1", "r2"], columns=["c1", "c2"]),
                 n_components=1)
    assert ca.eigenvalues["eigenvalue"].tolist() == pytest.approx([0.25])
    assert ca.eigenvalues["inertia_pct"].tolist() == pytest.approx([100.0])
    assert sorted(ca.rows["dim1"]) == pytest.approx([-0.5, 0.5])
    assert ca.rows["contrib_1"].tolist() == pytest.approx([50.0, 50.0])
    assert ca.rows["cos2_1"].tolist() == pytest.approx([1.0, 1.0])


def test_rainette_matrix_first_eigenvalue():
    table = pd.DataFrame([[int(c) for c in r] for r in RAINETTE])
    ca = stat_ca(table, n_components=2)
    assert ca.eigenvalues["eigenvalue"].iloc[0] == pytest.approx(0.34042, abs=5e-6)
    # total inertia is χ²/n of the table
    chi2 = chi2_contingency(table.to_numpy(), correction=False)[0]
    assert ca.total_inertia == pytest.approx(chi2 / table.to_numpy().sum())
    assert ca.eigenvalues["cumulative_pct"].iloc[-1] == pytest.approx(100.0)
    assert len(ca.eigenvalues) == 4  # min(7, 5) - 1 axes
    for d in (1, 2):
        assert ca.rows[f"contrib_{d}"].sum() == pytest.approx(100.0)
        assert ca.columns[f"contrib_{d}"].sum() == pytest.approx(100.0)
        # the sign rule: the farthest column lies on the positive side
        col = ca.columns[f"dim{d}"]
        assert col.iloc[col.abs().argmax()] > 0
    assert list(ca.rows.columns) == ["label", "mass", "dim1", "dim2", "contrib_1", "contrib_2",
                                     "cos2_1", "cos2_2"]


def test_transposed_table_swaps_rows_and_columns():
    table = pd.DataFrame([[int(c) for c in r] for r in RAINETTE])
    a, b = stat_ca(table), stat_ca(table.T)
    np.testing.assert_allclose(a.eigenvalues["eigenvalue"], b.eigenvalues["eigenvalue"])
    np.testing.assert_allclose(np.abs(a.rows["dim1"]), np.abs(b.columns["dim1"]))


def test_empty_rows_are_dropped_and_bad_tables_refused():
    table = pd.DataFrame([[3, 1], [1, 3], [0, 0]], index=["a", "b", "z"])
    assert stat_ca(table, n_components=1).dropped == {"rows": ["z"], "columns": []}
    with pytest.raises(InputError, match="non-negative"):
        stat_ca(pd.DataFrame([[1, -1], [1, 1]]))
    with pytest.raises(InputError, match="at least 2"):
        stat_ca(pd.DataFrame([[1, 2, 3]]))


def test_lexical_table_of_the_sample():
    interview = read_interview(SAMPLE)
    tokens = tokens_from(interview)
    table = lexical_table(tokens, by="qa_id", min_frequency=3)
    assert list(table.columns) == [1, 2, 3, 4, 5]  # narration (qa 0) left out
    content = tokens[~tokens["is_stop"] & (tokens["qa_id"] >= 1)]
    counts = content["lemma"].value_counts()
    assert table.sum(axis=1).to_dict() == {t: counts[t] for t in table.index}
    assert (table.sum(axis=1) >= 3).all()
    ca = stat_ca(table)
    assert len(ca.columns) == 5 and len(ca.eigenvalues) == 4
