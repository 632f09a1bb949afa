"""Corpus statistics over a folder of documents, as a map/reduce on a Dask cluster.

Thin entry point: the work is done by :func:`interview_lens.analysis.corpus.corpus_statistics`; the
cluster comes from :func:`interview_lens.runs.dask.dask_client`.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from interview_lens.analysis.units import UNITS
from interview_lens.project import project_root

EPILOG = """\
tables (Parquet, written all together once every document is counted):
  data/processed/_corpus/summary.parquet       one row: documents, failed, tokens, units, ...
  data/processed/_corpus/documents.parquet     one row per document (problem: why it failed)
  data/processed/_corpus/terms.parquet         language, lemma, count, documents, rate_per_1000
  data/processed/_corpus/concepts.parquet      concept, label, hits, units, documents, rates
  data/processed/_corpus/cooccurrence.parquet  concept pairs over every document's units
notebooks/06-corpus-overview.ipynb reads them; with --notebook it runs once after the tables
are written: outputs/_corpus/06-corpus-overview.ipynb and figures/_corpus/ (python -m interview_lens regenerate
does not run it per document).

Documents are counted in partitions of --partition-size documents, one task each; a task holds
one document's tables at a time plus its partial counts, so memory per worker is bounded by the
partition, not by the collection. Partial counts (integers) are summed in a tree, so a local
cluster, a remote one and --workers 0 give the same tables.

cluster:
  default        a local Dask cluster of --workers processes (2)
  --scheduler    an existing cluster (dask scheduler; dask worker tcp://HOST:8786 on each
                 machine); workers need the project installed and the documents at the same
                 path (shared file system)
  --workers 0    no Dask at all: this process, partition after partition

exit status:
  0  every document counted
  1  some documents could not be read (listed on stderr, one line each); tables written
     without them
  1  also: the --notebook run failed (the line names the cell); the tables are written
  2  user error: a path that does not exist, no documents, a bad option or dictionary, an
     unreachable scheduler (nothing written)
"""


HELP = "count terms and concepts over a whole collection (Dask map/reduce)"
DESCRIPTION = ("Term frequencies, document frequencies, concept totals and concept "
               "co-occurrence over a collection of documents, on a Dask cluster.")


def configure(p: argparse.ArgumentParser) -> None:
    """The options of the corpus count."""
    p.add_argument("documents", nargs="*", metavar="PATH",
                   help="documents, folders or glob patterns (default: every .txt .md .docx "
                        ".html .htm .pdf .vtt .srt in data/interviews/)")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="an existing Dask scheduler (tcp://host:8786) instead of a local cluster")
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes of the local cluster, one thread each (default: 2); "
                        "0 computes in this process without Dask")
    p.add_argument("--partition-size", type=int, default=None, metavar="N",
                   help="documents per task (default: 50)")
    p.add_argument("--unit", default="sentence",
                   choices=UNITS,
                   help="co-occurrence unit (default: %(default)s)")
    p.add_argument("--window", type=int, default=5,
                   help="±tokens around each hit when --unit window (default: %(default)s)")
    p.add_argument("--segment-size", type=int, default=40, metavar="N",
                   help="words per text segment of the Reinert classification (default 40)")
    p.add_argument("--concepts", type=Path, default=None, metavar="YAML",
                   help="concept dictionary (default: the package's data/concepts/default.yaml)")
    p.add_argument("--language", default=None, choices=("fr", "en"),
                   help="force every document's language (default: sidecar, else detected)")
    p.add_argument("--project-root", type=Path, default=project_root(),
                   help="where data/interviews/ is found and data/processed/_corpus/ written "
                        "(default: %(default)s)")
    p.add_argument("--output-root", type=Path, default=None, metavar="DIR",
                   help="tables go to DIR/data/processed/_corpus/, the --notebook run to "
                        "DIR/outputs/_corpus/ and DIR/figures/_corpus/ (default: PROJECT_ROOT)")
    p.add_argument("--notebook", action="store_true",
                   help="then run notebooks/06-corpus-overview.ipynb on the tables")
    p.add_argument("--kernel", default="interview-lens",
                   help="Jupyter kernel of the --notebook run (default: %(default)s)")


def run(args: argparse.Namespace, out) -> int:
    """Count the collection, write the tables (and run the corpus notebook with --notebook)."""
    # imports after the options are read: --help and option errors stay instant
    from interview_lens.analysis.corpus import (
        CORPUS_ID,
        DEFAULT_PARTITION_SIZE,
        corpus_statistics,
        save_corpus_stats,
    )
    from interview_lens.analysis.dictionary import load_dictionary
    from interview_lens.errors import InputError, InterviewLensError
    from interview_lens.runs.regenerate import find_documents

    root = (args.output_root or args.project_root).resolve()
    folder = root / "data" / "processed" / CORPUS_ID
    notebook = args.project_root / "notebooks" / "06-corpus-overview.ipynb"
    size = DEFAULT_PARTITION_SIZE if args.partition_size is None else args.partition_size
    workers = 2 if args.workers is None else args.workers
    started = time.perf_counter()
    try:
        for name, value, least in (("--partition-size", size, 1), ("--workers", workers, 0),
                                   ("--window", args.window, 0),
                                   ("--segment-size", args.segment_size, 1)):
            if value < least:
                raise InputError(None, f"{name} must be at least {least}, not {value}")
        if args.notebook and not notebook.is_file():
            raise InputError(notebook, "no such notebook (--notebook)")
        if args.scheduler and args.workers is not None:
            raise InputError(None, "--workers is for the local cluster; the cluster at "
                                   "--scheduler has its own workers")
        dictionary = load_dictionary(args.concepts)
        paths = find_documents(args.documents or None, project_root=args.project_root)
        options = dict(dictionary=dictionary, unit=args.unit, window=args.window,
                       language=args.language, partition_size=size,
                       segment_size=args.segment_size)
        if workers == 0 and not args.scheduler:
            where = "this process"
            stats = corpus_statistics(paths, **options)
        else:
            from interview_lens.runs.dask import dask_client

            where = args.scheduler or f"a local cluster of {workers} workers"
            with dask_client(args.scheduler, workers=workers) as client:
                stats = corpus_statistics(paths, client=client, **options)
        written = save_corpus_stats(stats, folder)
    except InterviewLensError as exc:
        print(f"interview-lens corpus: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interview-lens corpus: interrupted; nothing written", file=sys.stderr)
        return 130
    docs = stats.documents
    failed = docs[docs["problem"] != ""]
    for problem in failed["problem"]:
        print(f"interview-lens corpus: {problem}", file=sys.stderr)
    row = stats.summary.iloc[0]
    print(f"{row['documents']} documents counted, {len(failed)} failed; {row['tokens']:,} "
          f"tokens, {row['lemmas']:,} lemmas, {row['concepts']} concepts over {row['n_units']:,} "
          f"{row['unit']} units; {row['partitions']} partitions on {where} in "
          f"{time.perf_counter() - started:.1f} s", file=out)
    print(f"tables: {', '.join(p.name for p in written)} in {folder}", file=out)
    if args.notebook:
        from interview_lens.runs.corpus_notebook import NotebookFailed, run_corpus_notebook

        try:
            executed = run_corpus_notebook(notebook, project_root=args.project_root,
                                           output_root=root, kernel=args.kernel)
        except NotebookFailed as exc:
            print(f"interview-lens corpus: {exc}", file=sys.stderr)
            return 1
        print(f"notebook: {executed}", file=out)
    return 1 if len(failed) else 0

