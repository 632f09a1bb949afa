"""What notebook 05 decides before it compares groups: which variable, which target and
reference, and the one sentence it shows when a comparison cannot be drawn.

Each function returns a table (possibly empty) whose ``attrs["note"]`` is that sentence, so a
notebook cell is one call and one ``or_note``: no branching in the notebook.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import pandas as pd

from interview_lens.analysis.groups import stat_group_rates
from interview_lens.analysis.terms import stat_keyness
from interview_lens.errors import InterviewWarning


@dataclass(frozen=True)
class Comparison:
    """The groups to compare: ``by`` = ``target`` against ``reference`` (``None``: all others
    with a value); ``note`` is the sentence saying why not, ``""`` when they can be compared."""

    by: str
    target: str
    reference: str | None
    note: str

    def __str__(self) -> str:
        if self.note:
            return self.note
        other = f"{self.by} = {self.reference}" if self.reference else "all other documents"
        return f"Comparing {self.by} = {self.target} with {other}."


def plan_comparison(variables: pd.DataFrame, doc_id: str, *, by: str = "", target: str = "",
                    reference: str = "") -> Comparison:
    """Choose the comparison of notebook 05 from its parameters and the collection's variables.

    ``by`` defaults to the first variable with at least two values; ``target`` to this
    document's value of ``by`` (else the first value); ``reference`` ``""`` means all others.
    ``variables`` is :func:`interview_lens.analysis.documents.collection_variables`.
    """
    names = [c for c in variables.columns if c != "doc_id"]
    if not names:
        return Comparison(by, target, reference or None,
                          "No document has variables (data/interviews/variables.csv or a "
                          "sidecar's variables:), so there are no groups to compare.")
    if by and by not in names:
        return Comparison(by, target, reference or None,
                          f"No document has the variable {by!r} (variables: "
                          f"{', '.join(names)}), so there are no groups to compare.")
    values = {n: [str(v) for v in pd.unique(variables[n].dropna())] for n in names}
    chosen = by or next((n for n in names if len(values[n]) >= 2), names[0])
    if len(values[chosen]) < 2:
        return Comparison(chosen, target, reference or None,
                          f"Every document with a value of {chosen} has the same one "
                          f"({', '.join(values[chosen]) or 'none'}), so there is no other "
                          "group to compare with.")
    mine = variables.loc[variables["doc_id"] == doc_id, chosen].dropna()
    goal = target or (str(mine.iloc[0]) if len(mine) else values[chosen][0])
    for role, value in (("target", goal), ("reference", reference)):
        if value and value not in values[chosen]:
            return Comparison(chosen, goal, reference or None,
                              f"The {role} group ({chosen} = {value}) has no document "
                              f"(values of {chosen}: {', '.join(values[chosen])}).")
    if reference and reference == goal:
        return Comparison(chosen, goal, reference, f"The target and the reference are the same "
                          f"group ({chosen} = {goal}).")
    return Comparison(chosen, goal, reference or None, "")


def group_keyness(tokens: pd.DataFrame, plan: Comparison, *, language: str,
                  min_count: int = 2) -> pd.DataFrame:
    """:func:`~interview_lens.analysis.terms.stat_keyness` of ``plan`` within the documents of
    ``language`` (lemmas of two languages are not comparable); ``attrs["note"]`` says what
    was left out or why the table is empty."""
    empty = pd.DataFrame()
    if plan.note:
        empty.attrs["note"] = plan.note
        return empty
    same = tokens.loc[tokens["language"] == language]
    others = sorted(set(tokens["doc_id"]) - set(same["doc_id"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InterviewWarning)  # the message is the note below
        key = stat_keyness(same, by=plan.by, target=plan.target, reference=plan.reference,
                           min_count=min_count)
    left_out = (f" ({len(others)} document(s) in another language left out: "
                f"{', '.join(others)})" if others else "")
    if key.attrs.get("message"):
        note = f"Within the documents in {language}, {key.attrs['message']}{left_out}."
    elif key.empty:
        note = f"No lemma is seen at least {min_count} times in the two groups together."
    else:
        note = (f"{len(key.attrs['target_documents'])} document(s) against "
                f"{len(key.attrs['reference_documents'])}, in {language}{left_out}.")
    key.attrs["note"] = note
    return key


def group_rates(hits: pd.DataFrame, tokens: pd.DataFrame, plan: Comparison) -> pd.DataFrame:
    """:func:`~interview_lens.analysis.groups.stat_group_rates` by ``plan.by`` (every group,
    languages mixed: concept ids are shared), with ``attrs["note"]``."""
    if plan.note:
        empty = pd.DataFrame()
        empty.attrs["note"] = plan.note
        return empty
    rates = stat_group_rates(hits, tokens, by=plan.by)
    rates.attrs["note"] = ("No concept of the dictionary occurs in the interviewees' words of "
                           "any group." if rates.empty or not rates["hits"].any() else "")
    return rates
