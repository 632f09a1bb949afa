"""The benchmark's targets and its markdown table (what the README's performance section shows)."""
from __future__ import annotations

from typing import Any

# (part, what, target as text, how to read it from the results, comparison, bound)
TARGETS = [
    ("tokens", "token stage throughput / CountVectorizer's", ">= 0.8",
     lambda r: r["tokens"]["ratio_vs_count_vectorizer"], ">=", 0.8),
    ("concepts", "co-occurrence, 50,000 sentences x 20 concepts (ms)", "< 50",
     lambda r: r["concepts"]["cooccurrence"]["median_s"] * 1000, "<", 50.0),
    ("notebooks", "one document, jobs 1 / import-only floor (sequential)", "<= 1.5",
     lambda r: r["notebooks"]["ratio_jobs_1_to_floor"], "<=", 1.5),
    ("notebooks", "one document, jobs = cores (make run) / floor (sequential)", "<= 1.5",
     lambda r: r["notebooks"][f"ratio_jobs_{r['notebooks']['cores']}_to_floor"], "<=", 1.5),
    ("notebooks", "one document, jobs = cores / floor as many at a time", "<= 1.5",
     lambda r: r["notebooks"][_like(r)], "<=", 1.5),
    ("batch", "speed-up of --jobs 2 over --jobs 1", ">= 1.7",
     lambda r: r["batch"]["speedup"], ">=", 1.7),
    ("memory", "peak memory of the token stage (MiB)", "< 1024",
     lambda r: r["memory"]["peak_rss_mib"], "<", 1024.0),
    # IRaMuTeQ's own guidance: a corpus of about 100,000 segments classifies in minutes
    ("classes", "Reinert classes, k=10, 100,000 segments unless --segments (s)", "< 60",
     lambda r: r["classes"]["stat_classes_s"], "<", 60.0),
]


def _like(r: dict[str, Any]) -> str:
    cores = r["notebooks"]["cores"]
    return f"ratio_jobs_{cores}_to_floor_jobs_{cores}"


_OPS = {">=": lambda a, b: a >= b, "<": lambda a, b: a < b, "<=": lambda a, b: a <= b}


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """One dict per target measured: ``part, what, target, value, met``."""
    out = []
    for part, what, text, read, op, bound in TARGETS:
        if part in results:
            value = round(float(read(results)), 4)
            out.append({"part": part, "what": what, "target": text, "value": value,
                        "met": bool(_OPS[op](value, bound))})
    return out


def _s(x: float) -> str:
    return f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s"


def _rows(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows = []
    if "tokens" in r:
        t = r["tokens"]
        for key, name in (("token_stage", "token stage (read, segment, tokens_from_many)"),
                          ("token_table", "of which the token table (tokens_from_many)"),
                          ("count_vectorizer", "CountVectorizer.fit_transform"),
                          ("findall", 're.findall(r"\\w+") (floor)')):
            if key not in t:  # results written before the token table was timed apart
                continue
            m = t[key]
            rows.append((f"1. {name}", _s(m["median_s"]),
                         f"{m['words_per_s']:,} words/s; {m['tokens']:,} tokens, "
                         f"{m['tokens_per_s']:,} tokens/s"))
        rows.append(("1. ratio token stage / CountVectorizer",
                     f"{t['ratio_vs_count_vectorizer']:.2f}",
                     f"{t['documents']} documents, {t['words']:,} words; "
                     f"vs findall {t['ratio_vs_findall']:.2f}"))
        if "corpus_statistics" in t:  # results written before the corpus path was timed
            m = t["corpus_statistics"]
            rows.append(("1. corpus statistics (tokens, concepts, sentence co-occurrence)",
                         _s(m["median_s"]), f"{m['words_per_s']:,} words/s; corpus_statistics "
                         "in one process, tables included"))
    if "concepts" in r:
        c = r["concepts"]
        detail = f"{c['sentences']:,} sentences, {c['tokens']:,} tokens, {c['concepts']} concepts"
        rows.append(("2. code_concepts", _s(c["code_concepts"]["median_s"]),
                     f"{detail}; {c['hits']:,} hits"))
        rows.append(("2. stat_cooccurrence (sentence)", _s(c["cooccurrence"]["median_s"]),
                     f"{c['pairs']} pairs"))
    if "notebooks" in r:
        n = r["notebooks"]
        for jobs in sorted({1, n["cores"]}):
            rows.append((f"3. regenerate {len(n['notebooks'])} notebooks, 1 document, jobs {jobs}",
                         _s(n[f"regenerate_jobs_{jobs}"]["median_s"]),
                         f"{n['figures']} figure files; {min(jobs, len(n['notebooks']))} "
                         "notebook(s) at a time"))
            rows.append((f"3. papermill import-only floor, {jobs} at a time",
                         _s(n[f"floor_jobs_{jobs}"]["median_s"]), ""))
    if "batch" in r:
        b = r["batch"]
        what = f"{b['documents']} documents x {len(b['notebooks'])} notebooks"
        rows.append(("4. --jobs 1", _s(b["jobs_1"]["median_s"]), what))
        rows.append(("4. --jobs 2", _s(b["jobs_2"]["median_s"]), f"speed-up {b['speedup']:.2f}"))
    if "memory" in r:
        m = r["memory"]
        rows.append(("5. peak RSS, token stage", f"{m['peak_rss_mib']:,.0f} MiB",
                     f"{m['rows']:,} rows; table {m['table_mib']:,.0f} MiB; "
                     f"after imports {m['after_imports_rss_mib']:,.0f} MiB"))
    if "classes" in r:
        c = r["classes"]
        rows.append((f"6. stat_classes, k=10, {c['n_segments']:,} segments",
                     _s(c["stat_classes_s"]),
                     f"{c['n_terms']:,} terms, {c['n_classes']} classes; peak "
                     f"{c['stat_classes_peak_mib']:,.0f} MiB traced, "
                     f"{c['max_rss_mib']:,.0f} MiB resident"))
        rows.append(("6. first split (sparse, as the library does it)", _s(c["first_split_s"]),
                     f"chi2 {c['first_split_chi2']:,.1f}"))
        rows.append(("6. the same split in plain dense numpy", _s(c["numpy_first_split_s"]),
                     "same cut" if c["same_cut"] else "a different cut"))
    return rows


def markdown_table(results: dict[str, Any]) -> str:
    """The measurements, then the targets, as two markdown tables."""
    lines = ["| measurement | median | detail |", "|---|---:|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in _rows(results)]
    lines += ["", "| target | goal | reached | met |", "|---|---:|---:|:---:|"]
    for t in results.get("targets", []):
        lines.append(f"| {t['what']} | {t['target']} | {t['value']:.2f} | "
                     f"{'yes' if t['met'] else 'no'} |")
    m, settings = results.get("machine", {}), results.get("settings", {})
    lines += ["", f"Machine: {m.get('cpu_count')} CPUs, {m.get('processor')}, Python "
              f"{m.get('python')}; {settings.get('repeat')} runs each "
              f"({settings.get('batch_repeat')} for part 4), medians; load average "
              f"(1, 5, 15 min) at start {m.get('load_average_at_start')}, "
              f"at end {m.get('load_average_at_end')}."]
    return "\n".join(lines)
