"""``interview-lens {turns,qa,tokens,concepts} PATH``: one interview read into a table, printed."""
from __future__ import annotations

import argparse
import json
import sys
import warnings

import pandas as pd

from interview_lens.analysis.units import UNITS
from interview_lens.errors import InterviewWarning


def _add_reading_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", help="interview file (.txt, .md, .docx, .html, .pdf, .vtt, .srt)")
    p.add_argument("--language", default=None, help="fr or en (detected when omitted)")
    p.add_argument("--interviewer", default=None, help="speaker label of the interviewer")
    p.add_argument("--aliases", default=None, help="YAML file: canonical: [variant, ...]")


HELP = {"turns": "print the turn table",
        "qa": "print the Q/A pairs with their theme and theme_terms",
        "tokens": "print the token table",
        "concepts": "print concept totals and the co-occurrence pair table"}


def configure_command(name: str, p: argparse.ArgumentParser) -> None:
    """The options of subcommand ``name``."""
    _add_reading_options(p)
    if name in ("turns", "qa"):
        p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    if name == "qa":
        p.add_argument("--themes", default=None,
                       help="themes YAML (theme: [keywords]); default the sidecar's, else automatic")
    if name == "tokens":
        p.add_argument("--format", choices=("table", "csv", "json"), default="csv")
    if name == "concepts":
        p.add_argument("--dictionary", default=None,
                       help="concept dictionary YAML (default: shipped)")
        p.add_argument("--unit", default="qa",
                       choices=UNITS)
        p.add_argument("--window", type=int, default=5, help="±k tokens when --unit window")
        p.add_argument("--format", choices=("table", "json"), default="table")


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
    from interview_lens.reading.segment import read_interview

    interview = read_interview(args.path, language=args.language, interviewer=args.interviewer,
                               aliases=args.aliases)
    if args.command == "turns":
        _emit(interview.turns, args.format, out)
        return
    from interview_lens.language.tokens import tokens_from

    tokens = tokens_from(interview)
    if args.command == "qa":
        from interview_lens.analysis.themes import label_themes

        # the labels the notebooks get: interview_lens.load calls label_themes the same way
        _emit(label_themes(interview, tokens, themes=args.themes), args.format, out)
        return
    if args.command == "tokens":
        _emit(tokens, args.format, out)
        return
    from interview_lens.analysis.concepts import code_concepts
    from interview_lens.analysis.cooccurrence import stat_cooccurrence
    from interview_lens.analysis.dictionary import load_dictionary

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


def run(args: argparse.Namespace, out) -> int:
    """Read the interview and print the table the subcommand names.

    The reader's warnings (encoding guessed, unknown sidecar key, no labels...) are one line
    each on stderr, like the errors, without Python's "file:line" and source-line decoration.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InterviewWarning)
        try:
            _run(args, out)
        finally:
            for w in caught:
                if issubclass(w.category, InterviewWarning):
                    print(f"interview-lens: warning: {w.message}", file=sys.stderr)
                else:
                    warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    return 0
