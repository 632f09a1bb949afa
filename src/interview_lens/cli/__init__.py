"""The command line: ``interview-lens COMMAND ...`` (the same as ``python -m interview_lens COMMAND``).

One entry point, one module per subcommand.  Each module has ``NAME``, ``HELP``, optional
``DESCRIPTION`` and ``EPILOG``, ``configure(parser)`` (its arguments; ``ADD_HELP = False`` when ``--help`` is the
command's own) and ``run(args, out) -> int``
(its exit status).  A user error prints one line naming the file and the problem on stderr and
exits with status 2, without a traceback; the reader's warnings are one line each too.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

from interview_lens.errors import InterviewLensError

PROG = "interview-lens"
EXIT_USER_ERROR = 2
#: subcommand -> module of this package (each imports its heavy dependencies only in ``run``,
#: so that ``--help`` and option errors stay instant)
COMMANDS = {
    "turns": "reading", "qa": "reading", "tokens": "reading", "concepts": "reading",
    "regenerate": "regenerate", "corpus": "corpus", "qdpx": "qdpx", "qdc": "qdc",
    "iramuteq": "iramuteq", "bench": "bench",
}


class Parser(argparse.ArgumentParser):
    """An option error is one line and status 2, not the usage block."""

    def error(self, message: str):
        self.exit(EXIT_USER_ERROR, f"{self.prog}: {' '.join(message.split())} (see --help)\n")


def _module(command: str):
    return importlib.import_module(f"interview_lens.cli.{COMMANDS[command]}")


def parser(commands: Sequence[str] = tuple(COMMANDS)) -> Parser:
    """The whole command line: every subcommand with its options and help."""
    top = Parser(prog=PROG, description="Turn interviews into evidence: read them into turns, "
                 "Q/A pairs, tokens and concepts; regenerate the notebooks; count a corpus.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in commands:
        module = _module(name)
        help_ = getattr(module, "HELP", "")
        if isinstance(help_, dict):
            help_ = help_[name]
        p = sub.add_parser(name, help=help_, description=getattr(module, "DESCRIPTION", help_),
                           epilog=getattr(module, "EPILOG", None),
                           formatter_class=argparse.RawDescriptionHelpFormatter,
                           add_help=getattr(module, "ADD_HELP", True))
        if hasattr(module, "configure_command"):  # a module behind several subcommands
            module.configure_command(name, p)
        else:
            module.configure(p)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, run the subcommand, return its exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    top = parser()
    args, extra = top.parse_known_args(argv)
    if not getattr(_module(args.command), "ADD_HELP", True):
        # a command whose options are its own (bench): everything after its name, as typed
        args.arguments = argv[argv.index(args.command) + 1:]
    elif extra:
        top.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return _module(args.command).run(args, sys.stdout)
    except InterviewLensError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:  # `... | head` is fine
        return 0
