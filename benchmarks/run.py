"""The benchmark: how fast the workbook is, side by side with the tools a researcher knows.

``python -m interview_lens bench`` (``make bench``) builds a corpus by resampling the sentences of
``data/interviews/`` (fixed seed) or reads a folder of real documents (``--documents DIR``) and
measures, each measurement repeated (``--repeat``) and reported as its median:

1. ``tokens``: the token stage (read + segment + ``tokens_from``) against scikit-learn's
   ``CountVectorizer.fit_transform`` and ``re.findall(r"\\w+")`` on the same files;
2. ``concepts``: ``code_concepts`` + ``stat_cooccurrence`` on 50,000 sentences, 20 concepts;
3. ``notebooks``: regenerating every notebook for the sample against papermill running
   import-only notebooks (the floor that kernel start-up sets);
4. ``batch``: 20 documents with ``jobs=1`` against ``jobs=2``;
5. ``memory``: peak resident memory of the token stage on the whole corpus, in a fresh process;
6. ``classes``: Reinert's classification (``stat_classes``, k=10) on 100,000 synthetic segments
   (``--segments``), its time and peak memory, in a fresh process, beside the same first split in
   plain dense numpy (:mod:`benchmarks.bench_classes`).

It prints a markdown table and writes ``benchmarks/results.json`` (and the table beside it,
``benchmarks/results.md``).  It is not a test: nothing
here asserts a time.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Sequence

from benchmarks.report import markdown_table, targets

PARTS = ("tokens", "concepts", "notebooks", "batch", "memory", "classes")
SAMPLE = "data/interviews/gt-kurbalija-2025-fr.txt"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="interview-lens bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--words", type=int, default=1_000_000,
                   help="words in the resampled corpus (default 1,000,000)")
    p.add_argument("--n-documents", type=int, default=200,
                   help="documents the corpus is written as (default 200, ~5,000 words each)")
    p.add_argument("--documents", type=Path, default=None,
                   help="a folder of real documents to use instead of the resampled corpus")
    p.add_argument("--sentences", type=int, default=50_000,
                   help="sentences for the concept/co-occurrence part (default 50,000)")
    p.add_argument("--notebooks", default="all",
                   help="notebook prefixes run in part 3 (default all, e.g. 01,04)")
    p.add_argument("--batch-documents", type=int, default=20, help="documents in part 4")
    p.add_argument("--batch-notebooks", default="01,04",
                   help="notebook prefixes run in part 4 (default 01,04; 'all' for every one)")
    p.add_argument("--repeat", type=int, default=3, help="runs of each measurement (median)")
    p.add_argument("--batch-repeat", type=int, default=None,
                   help="runs of part 4 (default: --repeat)")
    p.add_argument("--seed", type=int, default=0, help="seed of the resampling")
    p.add_argument("--segments", type=int, default=100_000,
                   help="text segments of part 6 (Reinert classes; default %(default)s)")
    p.add_argument("--skip", default="", help=f"comma-separated parts to skip: {','.join(PARTS)}")
    p.add_argument("--quick", action="store_true",
                   help="smoke run: 20,000 words, 2,000 sentences, 1 repeat, 2-document batch")
    p.add_argument("--kernel", default="interview-lens", help="Jupyter kernel for parts 3-4")
    p.add_argument("--project-root", type=Path, default=Path(__file__).resolve().parents[1])
    p.add_argument("--out", type=Path, default=None,
                   help="JSON results (default <project>/benchmarks/results.json)")
    return p


def _machine() -> dict[str, Any]:
    try:
        import psutil

        memory_gib = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:  # pragma: no cover - psutil comes with jupyter
        memory_gib = None
    return {"cpu_count": os.cpu_count(), "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(), "memory_gib": memory_gib,
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("interview-lens", "pandas", "numpy", "pyarrow", "scikit-learn", "simplemma",
                 "papermill", "matplotlib"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def _commit(root: Path) -> str | None:
    try:
        return subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def run_benchmark(args: argparse.Namespace, *, log=print) -> dict[str, Any]:
    """Run the parts not skipped; the results dict (the JSON file's content)."""
    from benchmarks import corpus, regen_stage, tokens_stage

    if args.quick:
        args.words, args.sentences, args.repeat = min(args.words, 20_000), \
            min(args.sentences, 2_000), 1
        args.n_documents, args.batch_documents = min(args.n_documents, 4), \
            min(args.batch_documents, 2)
        args.segments = min(args.segments, 5_000)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = skip - set(PARTS)
    if unknown:
        raise SystemExit(f"benchmark: --skip: unknown part(s) {', '.join(sorted(unknown))}")
    root = args.project_root.resolve()
    sample = root / SAMPLE
    sources = corpus.real_documents(root / "data" / "interviews")
    results: dict[str, Any] = {
        "started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "command": "python -m interview_lens bench " + " ".join(sys.argv[1:]),
        "git_commit": _commit(root), "machine": _machine(), "versions": _versions(),
        "settings": {"words": args.words, "n_documents": args.n_documents,
                     "documents": str(args.documents) if args.documents else None,
                     "sentences": args.sentences, "repeat": args.repeat, "seed": args.seed,
                     "batch_documents": args.batch_documents,
                     "batch_repeat": args.batch_repeat or args.repeat,
                     "notebooks": args.notebooks, "batch_notebooks": args.batch_notebooks,
                     "quick": args.quick, "segments": args.segments,
                     "skipped": sorted(skip)},
    }
    t_all = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="il-bench-") as tmp:
        tmp = Path(tmp)
        pool = corpus.sentence_pool(sources)
        sidecar = sample.with_suffix(".yaml") if sample.with_suffix(".yaml").is_file() else None
        if args.documents:
            paths = corpus.real_documents(args.documents)
            words = sum(corpus.count_words(t) for t in tokens_stage._read_texts(paths))
            results["corpus"] = {"kind": "folder", "folder": str(args.documents)}
        else:
            paths, words = corpus.write_corpus(pool, tmp / "corpus", words=args.words,
                                               n_documents=args.n_documents, seed=args.seed,
                                               sidecar=sidecar)
            results["corpus"] = {"kind": "resampled", "sources": [p.name for p in sources]}
        results["corpus"].update(documents=len(paths), words=words,
                                 bytes=sum(p.stat().st_size for p in paths))
        if "tokens" not in skip:
            log(f"[1/6] token stage on {len(paths)} documents, {words:,} words ...")
            results["tokens"] = tokens_stage.bench_tokens(paths, words=words, repeat=args.repeat)
        if "concepts" not in skip:
            log(f"[2/6] concept coding + co-occurrence, {args.sentences:,} sentences ...")
            results["concepts"] = _concepts(pool, tmp, args, sidecar)
        if "notebooks" not in skip:
            log("[3/6] regenerating the sample's notebooks vs the import-only floor ...")
            results["notebooks"] = regen_stage.bench_notebooks(
                root, sample, repeat=args.repeat, kernel=args.kernel,
                notebooks=_prefixes(args.notebooks))
        if "batch" not in skip:
            log(f"[4/6] batch of {args.batch_documents} documents, jobs 1 vs 2 ...")
            batch_words = max(len(sample.read_text(encoding="utf-8").split()), 200)
            docs, _ = corpus.write_corpus(pool, tmp / "batch", words=batch_words *
                                          args.batch_documents,
                                          n_documents=args.batch_documents,
                                          seed=args.seed + 1, sidecar=sidecar)
            results["batch"] = regen_stage.bench_batch(
                root, docs, notebooks=_prefixes(args.batch_notebooks),
                repeat=args.batch_repeat or args.repeat, kernel=args.kernel)
        if "memory" not in skip:
            log(f"[5/6] peak memory of the token stage on {words:,} words ...")
            results["memory"] = tokens_stage.bench_memory(paths, words=words)
        if "classes" not in skip:
            log(f"[6/6] Reinert classes on {args.segments:,} segments, in a fresh process ...")
            results["classes"] = _classes(root, args.segments, args.seed)
    results["seconds"] = round(time.perf_counter() - t_all, 1)
    # other processes share the cores: the load says how much of the machine the run had
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["targets"] = targets(results)
    return results


def _classes(root: Path, n_segments: int, seed: int) -> dict:
    """:func:`benchmarks.bench_classes.run` in a fresh process: its peak resident memory is the
    classification's own, not this process' (which has read the whole corpus)."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.bench_classes", str(n_segments),
                           str(seed)], cwd=root, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def _prefixes(option: str) -> list[str] | None:
    """``"all"`` -> None (every notebook); ``"01,03"`` -> ``["01", "03"]``."""
    if option.strip() == "all":
        return None
    return [p.strip() for p in option.split(",") if p.strip()]


def _concepts(pool, tmp: Path, args: argparse.Namespace, sidecar: Path | None) -> dict:
    import pandas as pd

    from benchmarks import concepts_stage, corpus, tokens_stage

    # ~26 words a sentence in the sample: write enough words, then keep the first N sentences
    per_sentence = sum(len(s.split()) for r in pool.sentences.values() for _, s in r) / \
        sum(len(r) for r in pool.sentences.values())
    want = int(args.sentences * per_sentence * 1.1) + 1000
    paths, _ = corpus.write_corpus(pool, tmp / "sentences", words=want,
                                   n_documents=max(1, want // 5000), seed=args.seed + 2,
                                   sidecar=sidecar)
    tokens = tokens_stage.token_stage(paths)
    keys = tokens["doc_id"].astype(str) + "#" + tokens["sentence_id"].astype(str)
    first = pd.unique(keys)[: args.sentences]
    tokens = tokens[keys.isin(set(first))].reset_index(drop=True)
    dictionary = concepts_stage.twenty_concepts(tmp)
    return concepts_stage.bench_concepts(tokens, dictionary, language=pool.language,
                                         repeat=args.repeat)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    results = run_benchmark(args, log=lambda m: print(m, file=sys.stderr, flush=True))
    out = args.out or args.project_root.resolve() / "benchmarks" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    table = markdown_table(results)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    # the same table beside the JSON, for the README's performance section to point at
    out.with_suffix(".md").write_text(f"{table}\n\nCommand: `{results['command']}`\n",
                                      encoding="utf-8")
    print(table)
    print(f"\nresults: {out} and {out.with_suffix('.md').name}")
    return 0
