"""Respondents in a REFI-QDA project: ``Variables`` and one ``Case`` per document.

A variable's type follows its values (QDA-XML 1.0 ``typeOfVariableType``): one type per
variable, integers among floats read as floats, any other mix as text.  The project's one reader
of a variables table (:func:`interview_lens.reading.variables.read_variables`) types numbers
only; text that reads ``true``/``false`` or ``YYYY-MM-DD`` is a Boolean or a Date here, since a
QDA tool can filter cases on those types.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from lxml import etree

from interview_lens.errors import InputError
from interview_lens.exchange._qde import PROJECT_NS, guid, sub

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Respondent variables as the exports take them: ``{doc_id: {variable: value}}``, or a table
#: with a ``doc_id`` column and one column per variable (``read_variables``).
Variables = Mapping[str, Mapping[str, Any]] | pd.DataFrame


def variables_mapping(variables: Variables | None) -> dict[str, dict[str, Any]]:
    """``{doc_id: {variable: value}}`` from a mapping or a variables table; missing values
    (``<NA>``, NaN, None, empty text) are left out."""
    if variables is None:
        return {}
    if isinstance(variables, pd.DataFrame):
        if "doc_id" not in variables.columns:
            raise InputError(variables.attrs.get("path"), "variables table lacks a doc_id column")
        rows = variables.astype(object).to_dict("records")
        variables = {str(r.pop("doc_id")): r for r in rows}
    return {str(d): {str(k): v for k, v in vs.items() if not _missing(v)}
            for d, vs in variables.items()}


def _missing(value: Any) -> bool:
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    return not isinstance(value, str) and bool(pd.isna(value)) if np.ndim(value) == 0 else False


def _value(value: Any) -> tuple[str, str] | None:
    """``(QDA-XML type, lexical value)`` of a respondent variable's value."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return "Boolean", "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return "Integer", str(int(value))
    if isinstance(value, (float, np.floating)):
        if not np.isfinite(value):
            return "Text", str(value)
        return "Float", format(Decimal(repr(float(value))), "f")  # xsd:decimal has no exponent
    if isinstance(value, dt.datetime):
        return "DateTime", value.isoformat()
    if isinstance(value, dt.date):
        return "Date", value.isoformat()
    text = str(value).strip()
    if text.lower() in ("true", "false"):
        return "Boolean", text.lower()
    if _DATE_RE.fullmatch(text):
        try:
            return "Date", dt.date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    return "Text", str(value)


def add_cases(project: etree._Element, respondents: Sequence[tuple[str, str]],
              variables: Mapping[str, Mapping[str, Any]], sources: Mapping[str, str]) -> None:
    """Append ``Variables`` and ``Cases`` to ``project``: one case per ``(doc_id, name)``.

    ``variables`` maps a doc_id to ``{variable: value}``; each variable gets one QDA-XML type
    (Text, Boolean, Integer, Float, Date, DateTime) from its values, and each case its values
    and a ``SourceRef`` to ``sources[doc_id]``.
    """
    known = {doc_id for doc_id, _ in respondents}
    stray = sorted(set(variables) - known)
    if stray:
        raise InputError(stray[0], "respondent variables given for a document not exported")
    typed = {d: {k: _value(v) for k, v in vs.items()} for d, vs in variables.items()}
    names = list(dict.fromkeys(k for d, _ in respondents for k in variables.get(d, {})))
    if not names:
        return
    kinds = {}
    for name in names:
        seen = {t[0] for vs in typed.values() if (t := vs.get(name))}
        # one type per variable: integers among floats are floats, anything else mixed is text
        kinds[name] = (seen.pop() if len(seen) == 1 else
                       "Float" if seen == {"Integer", "Float"} else "Text")
    block = sub(project, PROJECT_NS, "Variables")
    for name in names:
        sub(block, PROJECT_NS, "Variable", guid=guid("variable", name), name=name,
            typeOfVariable=kinds[name])
    cases = sub(project, PROJECT_NS, "Cases")
    for doc_id, respondent in respondents:
        case = sub(cases, PROJECT_NS, "Case", guid=guid("case", doc_id), name=respondent or doc_id)
        for name in names:
            typed_value = typed.get(doc_id, {}).get(name)
            if typed_value is None:
                continue
            kind = kinds[name]
            text = typed_value[1] if typed_value[0] == kind else str(
                variables[doc_id][name])
            value = sub(case, PROJECT_NS, "VariableValue")
            sub(value, PROJECT_NS, "VariableRef", targetGUID=guid("variable", name))
            sub(value, PROJECT_NS, f"{kind}Value", text)
        sub(case, PROJECT_NS, "SourceRef", targetGUID=sources[doc_id])
