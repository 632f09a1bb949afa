"""The benchmark's smoke test (quick mode) and its building blocks. No timing assertions."""
from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from benchmarks.corpus import count_words, sentence_pool, write_corpus
from benchmarks.regen_stage import floor_notebooks, project_copy
from benchmarks.report import markdown_table, targets
from benchmarks.run import main

from interview_lens.reading.segment import read_interview

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"


@pytest.fixture(scope="module")
def pool():
    return sentence_pool([SAMPLE])


def test_pool_keeps_roles_and_labels(pool):
    # the sample has 10 interviewer sentences (all after "GT :") and its answers are labelled
    # with the three spellings of the interviewee's name
    assert {lab for lab, _ in pool.sentences["interviewer"]} == {"GT"}
    assert {lab for lab, _ in pool.sentences["interviewee"]} <= {"Kulbariya", "Kurubariya",
                                                                  "Kurbalija"}
    assert len(pool.sentences["interviewer"]) == 10
    assert pool.language == "fr"
    first = pool.sentences["interviewer"][0][1]
    assert first.startswith("2025 marquera le 10e anniversaire")
    assert first.endswith("cyberespace ».")  # closing quote and full stop kept


def test_corpus_is_seeded_sized_and_segmentable(pool, tmp_path):
    a, words_a = write_corpus(pool, tmp_path / "a", words=6000, n_documents=3, seed=7)
    b, words_b = write_corpus(pool, tmp_path / "b", words=6000, n_documents=3, seed=7)
    c, _ = write_corpus(pool, tmp_path / "c", words=6000, n_documents=3, seed=8)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b] and words_a == words_b
    assert [p.read_bytes() for p in a] != [p.read_bytes() for p in c]
    # seed 7 always writes the same 6,276 words (2,050 + 2,131 + 2,095), counted again here by
    # whitespace with lone punctuation (label colons, French " : ", "»") left out
    per_file = [sum(any(ch.isalnum() for ch in w) for w in p.read_text().split()) for p in a]
    assert per_file == [2050, 2131, 2095] and words_a == sum(per_file) == 6276
    # each document stops at the first question/answer round past 2,000 words; one round is
    # at most 2 + 6 of the sample's sentences, the longest of which is under 100 words
    assert all(2000 <= n <= 2000 + 8 * 100 for n in per_file)
    interview = read_interview(a[0])
    roles = interview.turns["role"].value_counts()
    questions = sum(line.startswith("GT : ") for line in a[0].read_text().splitlines())
    assert roles["interviewer"] == questions and roles["interviewee"] == questions
    assert len(interview.qa) == questions


@pytest.mark.parametrize("text, expected", [
    # GT, L’IA, c’est, quoi, 2025, oui.
    ("GT : « L’IA, c’est quoi ? » – 2025 : oui.", 6),
    ("Légende : Jovan Kurbariya Photo : fournie", 5),
    (" : » – \n", 0),
    ("", 0),
])
def test_count_words_skips_lone_punctuation(text, expected):
    assert count_words(text) == expected


def test_floor_notebooks_keep_the_parameters_and_imports_only(tmp_path):
    real = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    made = floor_notebooks(real, tmp_path)
    assert [p.name for p in made] == [p.name for p in real]
    nb = nbformat.read(str(made[1]), as_version=4)  # 02-term-frequencies
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) == 2 and "parameters" in code[0].metadata["tags"]
    lines = code[1].source.splitlines()
    assert lines[0] == "import interview_lens as il"
    # every other line looks one name up, which imports its module (lazily exported)
    assert all(line.startswith("il.") and line[3:].isidentifier() for line in lines[1:])
    assert "il.load" in lines and "il.plot_wordcloud" in lines
    assert len(lines) == len(set(lines))


def test_project_copy_holds_only_the_chosen_notebooks(tmp_path):
    root = project_copy(ROOT, tmp_path, documents=[SAMPLE], notebooks=["01", "04"])
    assert sorted(p.name for p in (root / "notebooks").glob("*.ipynb")) == [
        "01-segment-interview.ipynb", "04-concept-cooccurrence.ipynb"]
    assert sorted(p.name for p in (root / "data" / "interviews").iterdir()) == [
        SAMPLE.name, SAMPLE.with_suffix(".yaml").name]
    assert (root / "pyproject.toml").is_file() and (root / "data" / "concepts").is_dir()


def test_targets_read_the_results():
    results = {"tokens": {"ratio_vs_count_vectorizer": 0.79},
               "concepts": {"cooccurrence": {"median_s": 0.0499}},
               "batch": {"speedup": 1.7}}
    got = {t["part"]: (t["value"], t["met"]) for t in targets(results)}
    # 0.79 < 0.8 missed; 49.9 ms < 50 met; 1.7 >= 1.7 met; parts not run are not judged
    assert got == {"tokens": (0.79, False), "concepts": (49.9, True), "batch": (1.7, True)}


def _positive_numbers(value, where=""):
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        assert value > 0, where
    elif isinstance(value, dict):
        for k, v in value.items():
            _positive_numbers(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _positive_numbers(v, f"{where}[{i}]")


def test_quick_run_writes_the_results(tmp_path, capsys):
    out = tmp_path / "results.json"
    assert main(["--quick", "--skip", "notebooks,batch", "--out", str(out)]) == 0
    results = json.loads(out.read_text(encoding="utf-8"))
    assert {"tokens", "concepts", "memory", "targets", "machine", "settings",
            "corpus"} <= set(results)
    assert "notebooks" not in results and "batch" not in results
    assert results["settings"]["repeat"] == 1 and results["settings"]["quick"] is True
    # quick mode: 20,000 words asked, seed 0, 4 documents: always the same 20,306 words
    assert results["corpus"]["kind"] == "resampled" and results["corpus"]["documents"] == 4
    assert results["corpus"]["words"] == 20306
    for part in ("tokens", "memory"):
        assert results[part]["words"] == 20306 and results[part]["documents"] == 4
    for part in ("token_stage", "token_table", "count_vectorizer", "findall",
                 "corpus_statistics"):
        m = results["tokens"][part]
        assert len(m["runs_s"]) == 1 and m["median_s"] == m["runs_s"][0]
        _positive_numbers(m, part)
    _positive_numbers(results["concepts"], "concepts")
    _positive_numbers(results["memory"], "memory")
    # the whole resampled corpus goes through both the timed and the memory runs
    assert results["memory"]["rows"] == results["tokens"]["token_stage"]["tokens"]
    # the corpus path counts the very tokens of the token stage
    assert results["tokens"]["corpus_statistics"]["tokens"] == \
        results["tokens"]["token_stage"]["tokens"]
    assert results["concepts"]["sentences"] == 2000 and results["concepts"]["concepts"] == 20
    assert results["concepts"]["pairs"] == 20 * 19 // 2 or results["concepts"]["pairs"] == (
        results["concepts"]["concepts_hit"] * (results["concepts"]["concepts_hit"] - 1) // 2)
    assert [t["part"] for t in results["targets"]] == ["tokens", "concepts", "memory", "classes"]
    # part 6 at --quick's 5,000 segments: classes found, and the dense numpy split cuts the same
    classes = results["classes"]
    assert classes["n_segments"] == 5000 and classes["n_classes"] >= 2 and classes["same_cut"]
    assert sum(classes["class_sizes"].values()) == 5000
    assert results["memory"]["measured_by"] in ("VmHWM", "ru_maxrss")
    assert results["memory"]["peak_rss_mib"] >= results["memory"]["after_imports_rss_mib"]
    printed = capsys.readouterr().out
    table = markdown_table(results)
    assert printed.startswith(table + "\n")
    assert "| 2. stat_cooccurrence (sentence) |" in printed
    assert out.with_suffix(".md").read_text(encoding="utf-8").startswith(table + "\n")


def test_measure_interleaved_alternates_and_keeps_the_last_results():
    from benchmarks.timing import measure_interleaved, summary

    calls = []
    runs = measure_interleaved({"a": lambda: calls.append("a") or len(calls),
                                "b": lambda: calls.append("b") or len(calls)}, repeat=3)
    assert calls == ["a", "b", "a", "b", "a", "b"]
    assert {k: (len(secs), last) for k, (secs, last) in runs.items()} == {"a": (3, 5),
                                                                          "b": (3, 6)}
    assert summary([3.0, 1.0, 2.0]) == {"median_s": 2.0, "min_s": 1.0, "max_s": 3.0,
                                        "runs_s": [3.0, 1.0, 2.0]}


@pytest.mark.slow
def test_quick_run_of_the_notebook_parts(tmp_path):
    # parts 3 and 4 with notebook 01 only (a kernel each, no figures): structure, not speed
    out = tmp_path / "results.json"
    cwd = os.getcwd()
    assert main(["--quick", "--skip", "tokens,concepts,memory,classes", "--notebooks", "01",
                 "--batch-notebooks", "01", "--out", str(out)]) == 0
    assert os.getcwd() == cwd  # not left in the (removed) temporary project
    results = json.loads(out.read_text(encoding="utf-8"))
    n, b = results["notebooks"], results["batch"]
    assert n["notebooks"] == b["notebooks"] == ["01-segment-interview.ipynb"]
    assert n["document"] == SAMPLE.name and n["figures"] == 0
    runs = [f"{kind}_jobs_{j}" for j in sorted({1, n["cores"]}) for kind in ("floor",
                                                                             "regenerate")]
    for key in runs:
        assert len(n[key]["runs_s"]) == 1 and n[key]["median_s"] > 0
    assert n["ratio_jobs_1_to_floor"] == round(
        n["regenerate_jobs_1"]["median_s"] / n["floor_jobs_1"]["median_s"], 4)
    assert b["documents"] == 2 and b["speedup"] == round(
        b["jobs_1"]["median_s"] / b["jobs_2"]["median_s"], 4)
    assert [t["part"] for t in results["targets"]] == ["notebooks"] * 3 + ["batch"]
    assert "tokens" not in results and "memory" not in results
