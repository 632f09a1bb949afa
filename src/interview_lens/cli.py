"""Command line: ``python -m interview_lens {turns,qa,tokens,concepts} PATH [...]``.

A user error prints one line naming the file and the problem on stderr and exits with status 2,
without a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys
import warnings
from typing import Sequence

import pandas as pd

from .errors import InterviewLensError, InterviewWarning

EXIT_USER_ERROR = 2


def _add_reading_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", help="interview file (.txt, .md, .docx, .html, .pdf, .vtt, .srt)")
    p.add_argument("--language", default=None, help="fr or en (detected when omitted)")
    p.add_argument("--interviewer", default=None, help="speaker label of the interviewer")
    p.add_argument("--aliases", default=None, help="YAML file: canonical: [variant, ...]")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m interview_lens",
        description="Read interviews into turns, Q/A pairs, tokens and concepts.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_ in (("turns", "print the turn table"),
                        ("qa", "print the Q/A pairs with their theme and theme_terms")):
        p = sub.add_parser(name, help=help_)
        _add_reading_options(p)
        p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--themes", default=None,
                   help="themes YAML (theme: [keywords]); default the sidecar's, else automatic")
    p = sub.add_parser("tokens", help="print the token table")
    _add_reading_options(p)
    p.add_argument("--format", choices=("table", "csv", "json"), default="csv")
    p = sub.add_parser("concepts", help="print concept totals and the co-occurrence pair table")
    _add_reading_options(p)
    p.add_argument("--dictionary", default=None, help="concept dictionary YAML (default: shipped)")
    p.add_argument("--unit", default="qa",
                   choices=("sentence", "paragraph", "turn", "qa", "window"))
    p.add_argument("--window", type=int, default=5, help="±k tokens when --unit window")
    p.add_argument("--format", choices=("table", "json"), default="table")
    return parser


def _records(df: pd.DataFrame) -> list[dict]:
    return json.loads(df.to_json(orient="records", force_ascii=False))


def _emit(df: pd.DataFrame, fmt: str, out) -> None:
    if fmt == "json":
        json.dump(_records(df), out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "csv":
        df.to_csv(out, index=False, lineterminator="\n")
    else:
        shown = df.copy()
        for col in shown.columns:
            if shown[col].dtype == object or str(shown[col].dtype).startswith("str"):
                shown[col] = shown[col].map(
                    lambda v: v if not isinstance(v, str) or len(v) <= 60 else v[:57] + "...")
        out.write(shown.to_string(index=False) + "\n")


def _run(args: argparse.Namespace, out) -> None:
    from .segment import read_interview

    interview = read_interview(args.path, language=args.language, interviewer=args.interviewer,
                               aliases=args.aliases)
    if args.command == "turns":
        _emit(interview.turns, args.format, out)
        return
    from .tokens import tokens_from

    tokens = tokens_from(interview)
    if args.command == "qa":
        from .themes import label_themes

        # the labels the notebooks get: pipeline.load calls label_themes the same way
        _emit(label_themes(interview, tokens, themes=args.themes), args.format, out)
        return
    if args.command == "tokens":
        _emit(tokens, args.format, out)
        return
    from .concepts import code_concepts, load_dictionary
    from .cooccurrence import stat_cooccurrence

    dictionary = load_dictionary(args.dictionary)
    hits = code_concepts(tokens, dictionary)
    pairs = stat_cooccurrence(hits, tokens, unit=args.unit, window=args.window)
    totals = {str(k): int(v) for k, v in hits["concept"].value_counts().sort_index().items()}
    if args.format == "json":
        cols = ["concept_a", "concept_b", "n_ab", "n_a", "n_b", "n_units",
                "jaccard", "dice", "pmi", "npmi", "g2", "p_value"]
        json.dump({"totals": totals, "pairs": _records(pairs[cols])}, out, ensure_ascii=False,
                  indent=2)
        out.write("\n")
    else:
        out.write("Concept totals (hits)\n")
        out.write(pd.Series(totals, name="hits").to_string() + "\n\n")
        out.write(f"Co-occurrence by {args.unit}\n")
        out.write(pairs.to_string(index=False) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    status = 0
    # the reader's warnings (encoding guessed, unknown sidecar key, no labels...) are one line
    # each, like the errors, without Python's "file:line" and source-line decoration
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InterviewWarning)
        try:
            _run(args, sys.stdout)
        except InterviewLensError as exc:
            print(f"interview-lens: {exc}", file=sys.stderr)
            status = EXIT_USER_ERROR
        except BrokenPipeError:  # `... | head` is fine
            pass
    for w in caught:
        if issubclass(w.category, InterviewWarning):
            print(f"interview-lens: warning: {w.message}", file=sys.stderr)
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
