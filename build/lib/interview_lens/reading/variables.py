"""Respondent variables: what a study knows about each document (country, sector, wave ...).

Two sources, as in IRaMuTeQ's star variables and quanteda's docvars:

* a sidecar's ``variables:`` mapping (``country: FR``, ``sector: NGO``, ``year: 2024``), checked
  by :func:`check_variables` (the sidecar reader calls it for that one key);
* a collection table ``data/interviews/variables.csv``: a ``doc_id`` or ``file`` column, then
  one column per variable, read by :func:`read_variables`.

:func:`merge_variables` puts both together (the sidecar wins, see there) and
:func:`with_variables` adds the variable columns to any per-document (or per-token) table.
Values are text or numbers; a missing value is ``<NA>``, never an empty string or a zero.
"""
from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from interview_lens.errors import ConfigError, InterviewWarning
from interview_lens.project import doc_id_for
from interview_lens.text import slugify

Value = str | int | float
#: The columns that name the document in a variables table (``doc_id`` wins when both exist).
ID_COLUMNS = ("doc_id", "file")
# A variables table is typed by hand or exported from a spreadsheet: Excel in a French locale
# writes ``;``, other tools ``,`` or a tab.
_DELIMITERS = ",;\t"
_NAME = re.compile(r"[^\W\d][\w\-. ]*")
_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?")


def check_variables(raw: object, path: str | Path | None) -> dict[str, Value]:
    """Validate a sidecar's ``variables:`` mapping ``{name: value}``.

    A name is text starting with a letter (letters, digits, ``_ - .`` and spaces after it); a
    value is text or a number (YAML reads ``year: 2024`` as an int, ``share: 0.5`` as a float;
    ``yes``/``no`` and dates must be quoted to be text).  Text values are stripped.  Returns the
    checked mapping in the order written; raises :class:`ConfigError` naming the file and the
    variable in one line.
    """
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(path, "must be a mapping name: value (country: FR)",
                          item="variables")
    out: dict[str, Value] = {}
    for name, value in raw.items():
        shown = str(name)
        if not isinstance(name, str) or not _NAME.fullmatch(name.strip()):
            raise ConfigError(path, f"variable name {shown!r} must be text starting with a "
                              "letter", item="variables")
        item = f"variables: {name.strip()}"
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ConfigError(path, "has no value (leave the variable out instead)", item=item)
        if isinstance(value, bool):
            raise ConfigError(path, f"YAML read {value!r} as a yes/no; put it in quotes",
                              item=item)
        if isinstance(value, (list, dict)):
            raise ConfigError(path, "must be one value (text or a number), not a "
                              f"{'list' if isinstance(value, list) else 'mapping'}", item=item)
        if not isinstance(value, (str, int, float)):  # a YAML date: the user meant text
            raise ConfigError(path, f"must be text or a number, not {type(value).__name__} "
                              "(put it in quotes)", item=item)
        if name.strip() in out:
            raise ConfigError(path, "given twice", item=item)
        out[name.strip()] = value.strip() if isinstance(value, str) else value
    return out


def read_variables(path: str | Path, *, documents: Iterable[str | Path] | None = None
                   ) -> pd.DataFrame:
    """Read a collection's variables table (``variables.csv``): one row per document.

    Parameters
    ----------
    path : a CSV file (``,``, ``;`` or tab separated, UTF-8 with or without BOM) whose header
        has ``doc_id`` or ``file`` (a document's file name; its doc_id is the slug of the stem,
        as :func:`interview_lens.project.doc_id_for` makes it) and one column per variable.
    documents : the collection's documents (paths or doc_ids).  Rows naming none of them are
        left out, with an :class:`InterviewWarning` listing them (a typo in a file name must not
        go unseen); ``None`` keeps every row.

    Returns columns ``doc_id`` then one per variable, in the table's order.  A column whose
    every filled cell is a whole number is ``Int64``, a number ``float64``, else text; an empty
    cell is ``<NA>``.  ``attrs``: ``unknown`` (doc_ids of the rows left out), ``missing`` (the
    documents without a row), ``path``.  Raises :class:`ConfigError` (file, line, problem in
    one line) for a table without an id column, with an unnamed or repeated column, a ragged
    row, an empty id or two rows for one document.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(path, "no such variables table") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path, f"not UTF-8 text (byte {exc.start}); save it as CSV UTF-8"
                          ) from None
    rows = [(n, r) for n, r in _rows(text) if any(cell.strip() for cell in r)]
    if not rows:
        raise ConfigError(path, "empty variables table; expected a header doc_id,variable,...")
    header = [cell.strip() for cell in rows[0][1]]
    id_col = _id_column(path, header)
    ids: dict[str, int] = {}
    records = []
    for line, cells in rows[1:]:
        if len(cells) != len(header):
            raise ConfigError(path, f"line {line} has {len(cells)} fields, the header has "
                              f"{len(header)}")
        record = dict(zip(header, (cell.strip() for cell in cells)))
        raw_id = record.pop(id_col)
        if not raw_id:
            raise ConfigError(path, f"line {line}: empty {id_col}")
        doc_id = raw_id if id_col == "doc_id" else doc_id_for(raw_id)
        if doc_id in ids:
            raise ConfigError(path, f"line {line}: document {doc_id!r} already has a row "
                              f"(line {ids[doc_id]})")
        ids[doc_id] = line
        for other in ID_COLUMNS:
            record.pop(other, None)
        records.append({"doc_id": doc_id, **record})
    names = [h for h in header if h not in ID_COLUMNS]
    table = pd.DataFrame(records, columns=["doc_id", *names])
    table["doc_id"] = table["doc_id"].astype(str)
    for name in names:
        table[name] = _typed(table[name])
    return _known(table, documents, path)


def merge_variables(table: pd.DataFrame | None,
                    sidecars: Mapping[str, Mapping[str, Value]]) -> pd.DataFrame:
    """One variables table from the collection table and the sidecars' ``variables:``.

    The sidecar wins where both give a document a value: it sits beside the one document and is
    written for it, while the table is the collection-wide default (a value corrected in a
    sidecar must not be undone by an older spreadsheet).  Each such disagreement is an
    :class:`InterviewWarning` and a row of ``attrs["conflicts"]`` (``doc_id, variable, table,
    sidecar``).  Returns ``doc_id`` + variables: the table's rows and variables first, then
    documents and variables only the sidecars have; typed as in :func:`read_variables`.
    """
    base = pd.DataFrame({"doc_id": pd.Series(dtype=str)}) if table is None else table.copy()
    base = base.astype({"doc_id": str})
    values: dict[str, dict[str, str]] = {
        r["doc_id"]: {k: _cell(v) for k, v in r.items()} for r in base.to_dict("records")}
    columns = list(base.columns)
    conflicts = []
    for doc_id, given in sidecars.items():
        row = values.setdefault(str(doc_id), {"doc_id": str(doc_id)})
        for name, value in given.items():
            if name == "doc_id":
                continue
            if name not in columns:
                columns.append(name)
            old = row.get(name)
            if old and old != str(value):
                conflicts.append({"doc_id": str(doc_id), "variable": name, "table": old,
                                  "sidecar": value})
            row[name] = str(value)
    if conflicts:
        shown = "; ".join(f"{c['doc_id']} {c['variable']}: {c['sidecar']!r} (sidecar) over "
                          f"{c['table']!r} (table)" for c in conflicts)
        warnings.warn(f"variables given twice, the sidecar wins: {shown}", InterviewWarning,
                      stacklevel=2)
    out = pd.DataFrame([[row.get(c, "") for c in columns] for row in values.values()],
                       columns=columns, dtype=object)
    out["doc_id"] = out["doc_id"].astype(str)
    for name in columns[1:]:
        out[name] = _typed(out[name])
    out.attrs["conflicts"] = conflicts
    return out


def with_variables(table: pd.DataFrame, variables: pd.DataFrame, *, on: str = "doc_id",
                   prefix: str = "") -> pd.DataFrame:
    """``table`` with the variable columns of its documents added on the right.

    ``table`` is any table with a ``doc_id`` column (one row per document, Q/A pair, token,
    concept hit ...); its rows, order and columns are kept, and a document without variables
    gets ``<NA>``.  ``prefix`` renames the variables (``var_``) when one of them has the name of
    a column of ``table``, which is otherwise a :class:`ValueError`.
    """
    if on not in table.columns or on not in variables.columns:
        raise ValueError(f"both tables need a {on!r} column")
    extra = variables.rename(columns={c: f"{prefix}{c}" for c in variables.columns if c != on})
    clash = [c for c in extra.columns if c != on and c in table.columns]
    if clash:
        raise ValueError(f"variable(s) {clash} have the name of a column of the table; "
                         "pass prefix='var_'")
    keys = table[on].astype(str)
    extra = extra.astype({on: str}).set_index(on)
    out = table.copy()
    for name in extra.columns:
        out[name] = keys.map(extra[name]).astype(extra[name].dtype).array  # dtype kept
    out.attrs = dict(table.attrs)
    return out


def _cell(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """``(line number, cells)`` of each CSV record, the delimiter sniffed from the header."""
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in _DELIMITERS}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    out = []
    start = 1
    for cells in reader:
        out.append((start, cells))
        start = reader.line_num + 1
    return out


def _id_column(path: Path, header: list[str]) -> str:
    for i, name in enumerate(header, start=1):
        if not name:
            raise ConfigError(path, f"line 1: column {i} has no name (every variable needs one)")
    seen = [h for h in header if header.count(h) > 1]
    if seen:
        raise ConfigError(path, f"line 1: column {seen[0]!r} given twice")
    id_col = next((c for c in ID_COLUMNS if c in header), None)
    if id_col is None:
        raise ConfigError(path, f"line 1: no doc_id or file column (header: {', '.join(header)})")
    return id_col


def _typed(column: pd.Series) -> pd.Series:
    """Whole numbers as Int64, numbers as float, else text (``string``); empty cells <NA>."""
    cells = column.astype(str)
    empty = cells.str.len() == 0
    filled = cells.loc[~empty]
    if len(filled) and filled.str.fullmatch(_INT.pattern).all():
        return pd.to_numeric(cells.mask(empty), errors="coerce").astype("Int64")
    if len(filled) and filled.str.fullmatch(_FLOAT.pattern).all():
        return pd.to_numeric(cells.mask(empty), errors="coerce").astype("float64")
    return cells.astype("string").mask(empty, pd.NA)


def _known(table: pd.DataFrame, documents: Iterable[str | Path] | None, path: Path
           ) -> pd.DataFrame:
    wanted = None if documents is None else [
        d if isinstance(d, str) and d == slugify(d) else doc_id_for(d)
        for d in documents]
    unknown: list[str] = []
    missing: list[str] = []
    if wanted is not None:
        unknown = [d for d in table["doc_id"] if d not in set(wanted)]
        missing = [d for d in wanted if d not in set(table["doc_id"])]
        if unknown:
            warnings.warn(f"{path}: {len(unknown)} row(s) name no document of the collection, "
                          f"left out: {', '.join(unknown)}", InterviewWarning, stacklevel=3)
        table = table.loc[~table["doc_id"].isin(unknown)].reset_index(drop=True)
    table.attrs = {"unknown": unknown, "missing": missing, "path": str(path)}
    return table
