"""notebook.study: which groups notebook 05 compares, and the sentence when it cannot."""
from __future__ import annotations

import pandas as pd
import pytest

from interview_lens.notebook.study import group_keyness, plan_comparison

VARIABLES = pd.DataFrame({"doc_id": ["a", "b", "c"],
                          "country": pd.array(["FR", "FR", "FR"], dtype="string"),
                          "sector": pd.array(["NGO", "government", pd.NA], dtype="string")})


def test_the_defaults_are_the_first_variable_with_two_values_and_this_documents_group():
    plan = plan_comparison(VARIABLES, "b")
    assert (plan.by, plan.target, plan.reference, plan.note) == (
        "sector", "government", None, "")
    assert str(plan) == "Comparing sector = government with all other documents."
    # c has no sector: the first value is the target
    assert plan_comparison(VARIABLES, "c").target == "NGO"


@pytest.mark.parametrize("variables, options, note", [
    (VARIABLES[["doc_id"]], {}, "No document has variables (data/interviews/variables.csv or a "
     "sidecar's variables:), so there are no groups to compare."),
    (VARIABLES, {"by": "wave"}, "No document has the variable 'wave' (variables: country, "
     "sector), so there are no groups to compare."),
    (VARIABLES, {"by": "country"}, "Every document with a value of country has the same one "
     "(FR), so there is no other group to compare with."),
    (VARIABLES, {"by": "sector", "target": "press"}, "The target group (sector = press) has no "
     "document (values of sector: NGO, government)."),
    (VARIABLES, {"by": "sector", "reference": "NGO", "target": "NGO"}, "The target and the "
     "reference are the same group (sector = NGO)."),
])
def test_a_comparison_that_cannot_be_drawn_says_why(variables, options, note):
    plan = plan_comparison(variables, "a", **options)
    assert plan.note == note and str(plan) == note
    assert group_keyness(pd.DataFrame(), plan, language="fr").attrs["note"] == note
