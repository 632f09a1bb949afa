"""``python -m interview_lens qdc [DICTIONARY.yaml] -o CODEBOOK.qdc``: the concept dictionary as
a REFI-QDA codebook; ``qdc --to-yaml CODEBOOK.qdc -o DICT.yaml`` reads one back as a skeleton."""
from __future__ import annotations

import argparse
from typing import TextIO

from interview_lens.errors import InputError

NAME = "qdc"
HELP = "write a concept dictionary as a REFI-QDA codebook (.qdc), or read one back (--to-yaml)"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments to ``parser``."""
    parser.add_argument("dictionary", nargs="?", default=None, metavar="DICTIONARY.yaml",
                        help="concept dictionary YAML (default: the shipped one)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT",
                        help="the .qdc to write (or, with --to-yaml, the dictionary YAML)")
    parser.add_argument("--to-yaml", default=None, metavar="CODEBOOK.qdc",
                        help="read this codebook and write a concept-dictionary skeleton")
    parser.add_argument("--language", default="en",
                        help="language of the code names in the .qdc (default: en)")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Write the codebook (or the dictionary skeleton); print one line.  0 on success."""
    from interview_lens.exchange.qdc import qdc_to_yaml, read_qdc, write_qdc

    if args.to_yaml:
        if args.dictionary:
            raise InputError(args.dictionary, "give a DICTIONARY.yaml or --to-yaml "
                                              "CODEBOOK.qdc, not both")
        written = qdc_to_yaml(args.to_yaml, args.output)
        n = len(read_qdc(args.to_yaml)["concepts"])
        out.write(f"wrote {written}: {n} concepts (skeleton: write their patterns)\n")
        return 0
    from interview_lens.analysis.dictionary import load_dictionary

    dictionary = load_dictionary(args.dictionary)
    written = write_qdc(dictionary, args.output, language=args.language)
    out.write(f"wrote {written}: {len(dictionary)} codes\n")
    return 0
