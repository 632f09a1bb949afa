"""``python -m interview_lens qdpx FILE_OR_FOLDER... -o PROJECT.qdpx``: a REFI-QDA project.

Every document is read, segmented, themed and concept-coded as the notebooks do
(``pipeline.load``), then written as one project NVivo, ATLAS.ti, MAXQDA and QualCoder open.
Respondent variables come from ``--variables`` (read by the project's one reader,
:func:`interview_lens.reading.variables.read_variables`), else from each document's own (the
project's ``data/interviews/variables.csv`` and the sidecars).
"""
from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TextIO

import pandas as pd

from interview_lens.errors import InputError

NAME = "qdpx"
HELP = "write a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments to ``parser``."""
    parser.add_argument("documents", nargs="+", metavar="FILE_OR_FOLDER",
                        help="interviews (.txt .md .docx .html .pdf .vtt .srt), folders or globs")
    parser.add_argument("-o", "--output", required=True, metavar="PROJECT.qdpx",
                        help="the project file to write")
    parser.add_argument("--dictionary", default=None, metavar="D.yaml",
                        help="concept dictionary YAML (default: the shipped one)")
    parser.add_argument("--themes", default=None, metavar="T.yaml",
                        help="themes YAML (theme: [keywords]); default each sidecar's, else "
                             "automatic labels")
    parser.add_argument("--variables", default=None, metavar="V.csv",
                        help="respondent variables: CSV with a doc_id (or file) column and one "
                             "column per variable (numbers, true/false and YYYY-MM-DD are "
                             "typed); default data/interviews/variables.csv when it exists")
    parser.add_argument("--classes", default=None, metavar="C.csv",
                        help="Reinert classes: CSV doc_id,start_char,end_char,class")
    parser.add_argument("--name", default=None, help="project name (default: the file's stem)")
    parser.add_argument("--positions", choices=("codepoint", "utf16"), default="codepoint",
                        help="how selection positions count characters: codepoint (the "
                             "standard) or utf16 (NVivo: an emoji counts as two)")
    parser.add_argument("--created", default=None, metavar="WHEN",
                        help="creation date written on the codings: an ISO date or date-time, "
                             "or 'now' (default: a fixed 1980-01-01, so re-exports are identical)")
    parser.add_argument("--line-ends", choices=("lf", "crlf"), default="lf",
                        help="line ends of the exported texts: lf, or crlf for MAXQDA "
                             "(positions unchanged)")


def _csv(path: str, needed: tuple[str, ...]) -> pd.DataFrame:
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError,
            pd.errors.EmptyDataError) as exc:
        raise InputError(path, f"cannot read the CSV ({' '.join(str(exc).split())})") from None
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise InputError(path, f"missing column(s) {missing}; columns are {list(table.columns)}")
    return table


def read_classes(path: str) -> pd.DataFrame:
    """The Reinert classes table (``doc_id, start_char, end_char, class``) from a CSV."""
    table = _csv(path, ("doc_id", "start_char", "end_char", "class"))
    for col in ("start_char", "end_char"):
        bad = ~table[col].str.fullmatch(r"\d+")
        if bad.any():
            raise InputError(path, f"{col} must be whole numbers, not "
                                   f"{table.loc[bad, col].iloc[0]!r}")
        table[col] = table[col].astype("int64")
    return table


def _created(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    if value == "now":
        return dt.datetime.now(dt.timezone.utc)
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise InputError(None, f"--created {value!r}: give an ISO date (2026-12-03), a "
                               "date-time (2026-12-03T14:00:00+01:00) or 'now'") from None


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Write the project; print one line saying what it holds.  0 on success."""
    from interview_lens.analysis.dictionary import load_dictionary
    from interview_lens.exchange.qdpx import project_selections, qda_document, write_qdpx
    from interview_lens.notebook.analysis import load
    from interview_lens.reading.variables import read_variables
    from interview_lens.runs.regenerate import find_documents

    cwd = Path.cwd()
    created = _created(args.created)
    dictionary = load_dictionary(args.dictionary)
    classes = read_classes(args.classes) if args.classes else None
    themes = str(Path(args.themes).resolve()) if args.themes else ""
    paths = find_documents(args.documents, project_root=cwd)
    # rows naming no exported document are left out with a warning (read_variables)
    variables = read_variables(args.variables, documents=paths) if args.variables else None
    docs = [qda_document(load(p, themes=themes), dictionary=dictionary) for p in paths]
    written = write_qdpx(docs, args.output, dictionary=dictionary, classes=classes,
                         variables=variables, name=args.name, positions=args.positions,
                         line_ends=args.line_ends, created=created)
    sel = project_selections(docs, dictionary=dictionary, classes=classes,
                             positions=args.positions)
    counts = sel["layer"].value_counts()
    layers = ("concept", "theme", "speaker", "role", "class")
    parts = ", ".join(f"{int(counts[layer])} {layer}" for layer in layers if layer in counts)
    out.write(f"wrote {written}: {len(docs)} document(s), {len(sel)} codings ({parts})\n")
    return 0
