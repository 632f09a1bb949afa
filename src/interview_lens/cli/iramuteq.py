"""``interview-lens iramuteq export|import``: a collection to an IRaMuTeQ corpus and back.

``export FILES_OR_FOLDERS -o corpus.txt`` reads each document as the notebooks do (its variables
from the sidecar and ``data/interviews/variables.csv``, each Q/A pair's theme a ``-*theme``
line) and writes one IRaMuTeQ corpus; ``import corpus.txt -o data/interviews/`` writes one
``<doc_id>.txt`` per text and the ``variables.csv`` of their star variables.
"""
from __future__ import annotations

import argparse
import csv
from pathlib import Path
from typing import TextIO

from interview_lens.errors import InputError

NAME = "iramuteq"
HELP = "export the collection as an IRaMuTeQ corpus, or import one as documents + variables.csv"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the two sub-commands and their arguments to ``parser``."""
    sub = parser.add_subparsers(dest="action", required=True, metavar="export|import")
    export = sub.add_parser("export", help="write the documents, their variables and Q/A "
                            "themes as one IRaMuTeQ corpus file")
    export.add_argument("documents", nargs="+", metavar="FILE_OR_FOLDER",
                        help="interviews (.txt .md .docx .html .pdf .vtt .srt), folders or globs")
    export.add_argument("-o", "--output", required=True, metavar="corpus.txt",
                        help="the corpus file to write (UTF-8)")
    export.add_argument("--variables", default=None, metavar="V.csv",
                        help="a variables table (doc_id or file column) for what the sidecars "
                             "and data/interviews/variables.csv do not say")
    export.add_argument("--no-themes", action="store_true",
                        help="leave out the -*theme lines of the Q/A pairs")
    imp = sub.add_parser("import", help="write each text of an IRaMuTeQ corpus as a .txt and "
                         "their star variables as variables.csv")
    imp.add_argument("corpus", metavar="corpus.txt", help="the IRaMuTeQ corpus file")
    imp.add_argument("-o", "--output", required=True, metavar="FOLDER",
                     help="where the texts and variables.csv go (e.g. data/interviews/)")
    imp.add_argument("--encoding", default="utf-8",
                     help="the corpus file's encoding (default utf-8; cp1252 for many "
                          "Windows corpora)")
    imp.add_argument("--force", action="store_true",
                     help="overwrite texts or a variables.csv already in the folder")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``export`` or ``import``; print one line saying what was written.  0 on success."""
    return _export(args, out) if args.action == "export" else _import(args, out)


def _export(args: argparse.Namespace, out: TextIO) -> int:
    from interview_lens.exchange.iramuteq import corpus_texts, write_iramuteq
    from interview_lens.model import Document
    from interview_lens.notebook.analysis import load
    from interview_lens.reading.variables import merge_variables, read_variables
    from interview_lens.runs.regenerate import find_documents

    paths = find_documents(args.documents, project_root=Path.cwd())
    analyses = [load(p) for p in paths]
    table = read_variables(args.variables, documents=paths) if args.variables else None
    variables = merge_variables(table, {a.doc_id: a.variables for a in analyses})
    documents = {a.doc_id: Document(path=a.interview.path, text=a.interview.text, format="txt")
                 for a in analyses}
    themes = {} if args.no_themes else {a.doc_id: _qa_themes(a) for a in analyses}
    texts = corpus_texts(documents, variables, themes=themes)
    changes = write_iramuteq(args.output, texts)
    names = [c for c in variables.columns if c != "doc_id"]
    out.write(f"wrote {args.output}: {len(texts)} text(s), {len(names)} variable(s)"
              f"{' (' + ', '.join(names) + ')' if names else ''}"
              f"{f'; {len(changes)} value(s) recoded for IRaMuTeQ' if changes else ''}\n")
    for change in changes:
        out.write(f"  {change}\n")
    return 0


def _qa_themes(analysis) -> list[tuple[int, str]]:
    """``(start_char, theme)`` of each Q/A pair with a theme, at its question's turn."""
    starts = analysis.turns.set_index("turn_id")["start_char"]
    return [(int(starts[row.question_turn]), str(row.theme))
            for row in analysis.qa.itertuples()
            if str(row.theme) and row.question_turn in starts.index]


def _import(args: argparse.Namespace, out: TextIO) -> int:
    import pandas as pd

    from interview_lens.exchange.iramuteq import corpus_variables, read_iramuteq

    texts = read_iramuteq(args.corpus, encoding=args.encoding)
    folder = Path(args.output)
    targets = [folder / f"{t.doc_id}.txt" for t in texts] + [folder / "variables.csv"]
    existing = [p for p in targets if p.exists()]
    if existing and not args.force:
        raise InputError(existing[0], "already exists; pass --force to overwrite")
    folder.mkdir(parents=True, exist_ok=True)
    for text, path in zip(texts, targets):
        path.write_text(text.document.text + "\n", encoding="utf-8", newline="\n")
    table = corpus_variables(texts).drop(columns=["doc"], errors="ignore")
    with open(folder / "variables.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["file", *table.columns[1:]])
        for (_, row), path in zip(table.iterrows(), targets):
            writer.writerow([path.name, *("" if pd.isna(v) else v for v in list(row)[1:])])
    out.write(f"wrote {len(texts)} text(s) and variables.csv ({len(table.columns) - 1} "
              f"variable(s)) to {folder}\n")
    return 0
