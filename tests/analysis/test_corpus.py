"""Corpus statistics (interview_lens.analysis.corpus, interview-lens corpus).

Two invented English exchanges (plus an empty file that must be listed, not counted) whose
lemmas, documents, concept hits and sentence co-occurrences are counted by hand below; the same
tables on a ``distributed.LocalCluster`` (2 worker processes) must equal the in-process ones
exactly, whatever the partitioning.
"""
from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from interview_lens.analysis.concepts import code_concepts
from interview_lens.analysis.cooccurrence import stat_cooccurrence
from interview_lens.analysis.corpus import (
    TABLES,
    CorpusStats,
    corpus_folders,
    corpus_statistics,
    read_corpus_stats,
    save_corpus_stats,
)
from interview_lens.analysis.dictionary import load_dictionary
from interview_lens.cli import main
from interview_lens.errors import InputError
from interview_lens.language.tokens import tokens_from
from interview_lens.reading.segment import read_interview

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "concepts" / "mini.yaml"
SAMPLE = ROOT / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"
E2E = next((ROOT / "tests" / "fixtures" / "e2e").glob("*.txt"))

# harbour: 15 word tokens; content lemmas share x3, rope x2, community, boat, open source, map;
#   sentences: 1 {sharing}, 2 {sharing}, 3 {community, sharing, open_source}
# village: 10 word tokens; content lemmas community x2, open, cooperation, build, boat, wait;
#   sentences: 1 {community}, 2 {cooperation, community}, 3 {}
HARBOUR = ("Q: Do you share the ropes?\n"
           "A: We share ropes. The community shares boats and open source maps.\n")
VILLAGE = "Q: Is the community open?\nA: Cooperation builds the community. Boats wait.\n"


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("corpus")
    (folder / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "village.txt").write_text(VILLAGE, encoding="utf-8")
    return [folder / "harbour.txt", folder / "empty.txt", folder / "village.txt"]


@pytest.fixture(scope="module")
def mini():
    return load_dictionary(MINI)


@pytest.fixture(scope="module")
def stats(docs, mini) -> CorpusStats:
    return corpus_statistics(docs, dictionary=mini, language="en", partition_size=1)


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local_cluster:
        yield local_cluster


def test_terms_counted_by_hand(stats):
    expected = pd.DataFrame({
        "language": ["en"] * 10,
        "lemma": ["community", "share", "boat", "rope", "build", "cooperation", "map", "open",
                  "open source", "wait"],
        "count": [3, 3, 2, 2, 1, 1, 1, 1, 1, 1],
        "documents": [2, 1, 2, 1, 1, 1, 1, 1, 1, 1],
    })
    # per 1,000 of the 25 word tokens of the two documents
    expected["rate_per_1000"] = expected["count"] * 40.0
    for c in ("language", "lemma"):
        expected[c] = expected[c].astype("str")
    assert_frame_equal(stats.terms, expected)
    assert_frame_equal(stats.terms_of(""), expected)  # the only language
    assert stats.terms_of("fr").empty


def test_concepts_counted_by_hand(stats):
    c = stats.concepts.set_index("concept")
    assert list(c.index) == ["cooperation", "community", "sharing", "open_source", "ai"]
    assert list(c["label"]) == ["cooperation", "community", "sharing", "open source", "AI"]
    assert list(c["hits"]) == [1, 3, 3, 1, 0]
    assert list(c["units"]) == [1, 3, 3, 1, 0]  # sentences voicing it
    assert list(c["documents"]) == [1, 2, 1, 1, 0]
    assert list(c["rate_per_1000"]) == [40.0, 120.0, 120.0, 40.0, 0.0]
    assert list(c["unit_share"]) == [1 / 6, 3 / 6, 3 / 6, 1 / 6, 0.0]


def test_cooccurrence_counted_by_hand(stats):
    pairs = stats.cooccurrence
    counts = pairs[["concept_a", "concept_b", "n_ab", "n_a", "n_b", "n_units"]]
    expected = pd.DataFrame({
        "concept_a": ["community", "community", "community", "cooperation", "cooperation",
                      "open_source"],
        "concept_b": ["cooperation", "open_source", "sharing", "open_source", "sharing",
                      "sharing"],
        "n_ab": [1, 1, 1, 0, 0, 1],
        "n_a": [3, 3, 3, 1, 1, 1],
        "n_b": [1, 1, 3, 1, 3, 3],
        "n_units": [6] * 6,
    })
    for col in ("concept_a", "concept_b"):
        expected[col] = expected[col].astype("str")
    assert_frame_equal(counts, expected)
    row = pairs.iloc[2]  # community & sharing: one sentence of six, three each
    assert row["npmi"] == pytest.approx(math.log2(6 / 9) / math.log2(6), abs=1e-12)
    assert row["expected_ab"] == pytest.approx(1.5)
    assert pairs.iloc[3]["npmi"] == -1.0  # never together
    assert pairs.attrs["n_units"] == 6 and pairs.attrs["unit"] == "sentence"
    assert pairs.attrs["concept_totals"] == {"cooperation": 1, "community": 3, "sharing": 3,
                                             "open_source": 1}


def test_documents_and_summary(stats, docs):
    d = stats.documents
    assert list(d["doc_id"]) == ["harbour", "empty", "village"]  # the order given
    assert list(d["tokens"]) == [15, 0, 10]
    assert list(d["content_tokens"]) == [9, 0, 7]
    assert list(d["n_units"]) == [3, 0, 3]
    assert list(d["concept_hits"]) == [5, 0, 3]
    assert list(d["problem"]) == ["", f"{docs[1]}: empty document", ""]
    s = stats.summary.iloc[0]
    assert (s["documents"], s["failed"], s["tokens"], s["content_tokens"], s["lemmas"]) == \
        (2, 1, 25, 16, 10)
    assert (s["languages"], s["unit"], s["n_units"], s["concepts"], s["partitions"]) == \
        ("en", "sentence", 6, 4, 3)


@pytest.mark.parametrize("unit", ["sentence", "qa", "window"])
def test_cooccurrence_equals_one_table_of_all_documents(docs, mini, unit):
    """Summed partial matrices = stat_cooccurrence on the documents' tables put together."""
    tokens = pd.concat([tokens_from(read_interview(p, language="en")) for p in docs[::2]],
                       ignore_index=True)
    hits = code_concepts(tokens, mini)
    whole = stat_cooccurrence(hits, tokens, unit=unit, window=2)
    summed = corpus_statistics(docs, dictionary=mini, language="en", unit=unit, window=2,
                               partition_size=1).cooccurrence
    assert_frame_equal(summed, whole, check_exact=True)
    assert summed.attrs["n_units"] == whole.attrs["n_units"]


def test_partitioning_does_not_change_the_tables(docs, mini, stats):
    for size in (2, 3):
        other = corpus_statistics(docs, dictionary=mini, language="en", partition_size=size)
        for name in TABLES:
            if name == "summary":
                continue  # partitions and partition_size differ, by design
            assert_frame_equal(getattr(other, name), getattr(stats, name), check_exact=True)


def test_two_documents_with_one_slug_are_counted_apart(tmp_path, mini):
    """``a/same.txt`` and ``b/same.txt`` share a doc_id; read in one batch, their sentences
    must not merge: the counts are harbour's and village's by hand (test above)."""
    for folder, text in (("a", HARBOUR), ("b", VILLAGE)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(text, encoding="utf-8")
    paths = [tmp_path / "a" / "same.txt", tmp_path / "b" / "same.txt"]
    stats = corpus_statistics(paths, dictionary=mini, language="en")
    d = stats.documents
    assert list(d["doc_id"]) == ["same", "same"]
    assert list(d["tokens"]) == [15, 10]
    assert list(d["n_units"]) == [3, 3]
    assert list(d["concept_hits"]) == [5, 3]
    assert stats.summary.iloc[0]["n_units"] == 6
    assert list(stats.concepts["documents"]) == [1, 2, 1, 1, 0]


def test_a_failure_while_counting_a_batch_stops_only_its_document(docs, mini, monkeypatch):
    """The documents are coded together; when that fails they are counted one by one, and only
    the document at fault gets the problem (the other keeps its counts by hand)."""
    import interview_lens.analysis.corpus as corpus

    real = corpus.code_concepts

    def failing(tokens, dictionary):
        if "village" in set(tokens["doc_id"]):
            raise InputError("village.txt", "no concept can be coded here")
        return real(tokens, dictionary)

    monkeypatch.setattr(corpus, "code_concepts", failing)
    stats = corpus_statistics(docs, dictionary=mini, language="en", partition_size=3)
    d = stats.documents
    assert list(d["problem"]) == ["", f"{docs[1]}: empty document",
                                  "village.txt: no concept can be coded here"]
    assert list(d["tokens"]) == [15, 0, 0]
    assert list(d["concept_hits"]) == [5, 0, 0]
    assert list(stats.concepts["hits"]) == [0, 1, 3, 1, 0]  # harbour's alone
    assert stats.summary.iloc[0]["failed"] == 2


def test_warnings_stay_with_their_document(docs, mini):
    """A language with no lemmatiser: the reader's warning and the token layer's, each
    document's own, though the two were tokenised together."""
    stats = corpus_statistics(docs, dictionary=mini, language="xx", partition_size=3)
    warned = dict(zip(stats.documents["doc_id"], stats.documents["warnings"]))
    for name in ("harbour", "village"):
        assert warned[name] == (
            f"{name}.txt: language 'xx' is neither French nor English: stopwords and lemmas "
            f"will be approximate; {name}: no lemmatiser for language 'xx'; "
            "lemma = normalised form")
    assert warned["empty"] == ""


def test_bad_options_are_user_errors(docs, mini):
    with pytest.raises(InputError, match="--partition-size must be at least 1, not 0"):
        corpus_statistics(docs, dictionary=mini, partition_size=0)
    with pytest.raises(InputError, match="--unit must be one of"):
        corpus_statistics(docs, dictionary=mini, unit="page")
    with pytest.raises(InputError, match="no documents to count"):
        corpus_statistics([], dictionary=mini)


def test_save_and_read_round_trip(stats, tmp_path):
    written = save_corpus_stats(stats, tmp_path / "_corpus")
    assert [p.name for p in written] == [f"{t}.parquet" for t in TABLES]
    back = read_corpus_stats(tmp_path / "_corpus")
    for name in TABLES:
        assert_frame_equal(getattr(back, name), getattr(stats, name), check_exact=True)
    # the figures read their labels and totals from attrs
    assert back.cooccurrence.attrs == stats.cooccurrence.attrs
    assert back.cooccurrence.attrs["labels"]["en"]["open_source"] == "open source"


def test_save_is_all_or_nothing(stats, tmp_path, monkeypatch):
    folder = tmp_path / "_corpus"
    save_corpus_stats(stats, folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    real = pd.DataFrame.to_parquet

    def fail_on_terms(self, path, *args, **kwargs):
        if "terms" in Path(path).name:
            raise OSError(28, "No space left on device")
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", fail_on_terms)
    changed = CorpusStats(**{**stats.tables(), "summary": stats.summary.assign(failed=9)})
    with pytest.raises(OSError):
        save_corpus_stats(changed, folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # no temp file left


def test_read_missing_tables(tmp_path):
    with pytest.raises(InputError, match="summary.parquet: no corpus table here; run "
                                         "python -m interview_lens corpus first"):
        read_corpus_stats(tmp_path)


def test_corpus_folders():
    tables, figures = corpus_folders()
    assert tables == ROOT / "data" / "processed" / "_corpus"
    assert figures == ROOT / "figures" / "_corpus"
    assert corpus_folders("/tmp/x") == (Path("/tmp/x/data/processed/_corpus"),
                                        Path("/tmp/x/figures/_corpus"))


# --- on a cluster --------------------------------------------------------------------------------

def test_cluster_equals_single_process(cluster, docs, mini):
    distributed = pytest.importorskip("distributed")
    paths = [SAMPLE, *docs, E2E]  # French and English, one bad document
    options = dict(dictionary=mini, partition_size=2, split_every=2)
    here = corpus_statistics(paths, **options)
    with distributed.Client(cluster) as client, distributed.get_task_stream(client) as stream:
        there = corpus_statistics(paths, client=client, **options)
        workers = set(client.scheduler_info()["workers"])
        # the documents were read in the worker processes (tokens_from is imported on first use)
        tokenised = client.run(lambda: "interview_lens.language.tokens" in sys.modules)
    assert stream.data and {t["worker"] for t in stream.data} <= workers
    assert any(tokenised.values())
    for name in TABLES:
        assert_frame_equal(getattr(there, name), getattr(here, name), check_exact=True)
        assert getattr(there, name).attrs == getattr(here, name).attrs
    s = here.summary.iloc[0]
    assert (s["documents"], s["failed"], s["partitions"], s["languages"]) == (4, 1, 3, "en, fr")
    # the sample's counts as one document: its 27 'IA' are the most frequent French lemma
    fr = here.terms_of("fr")
    assert (fr.loc[0, "lemma"], fr.loc[0, "count"], fr.loc[0, "documents"]) == ("IA", 27, 1)
    # French has the most tokens (the sample); one French document, three English ones
    assert (fr.attrs["language"], fr.attrs["documents"]) == ("fr", 1)
    assert here.terms_of("").attrs == fr.attrs
    assert here.terms_of("en").attrs["documents"] == 3


def run_script(argv: list[str]) -> int:
    """``interview-lens corpus ARGV``, in this process."""
    try:
        return main(["corpus", *argv])
    except SystemExit as exc:  # argparse's own option errors
        return exc.code


def test_script_on_a_scheduler_writes_the_tables(cluster, docs, stats, tmp_path, capsys):
    out = tmp_path / "data" / "processed" / "_corpus"
    status = run_script([str(d) for d in docs] + [
        "--scheduler", cluster.scheduler_address, "--concepts", str(MINI), "--language", "en",
        "--partition-size", "1", "--output-root", str(tmp_path)])
    captured = capsys.readouterr()
    assert status == 1  # one document failed; tables written without it
    assert captured.err == f"interview-lens corpus: {docs[1]}: empty document\n"
    assert captured.out.startswith("2 documents counted, 1 failed; 25 tokens, 10 lemmas, "
                                   "4 concepts over 6 sentence units; 3 partitions on tcp://")
    back = read_corpus_stats(out)
    for name in ("documents", "terms", "concepts", "cooccurrence"):
        assert_frame_equal(getattr(back, name), getattr(stats, name), check_exact=True)


def test_script_in_process_all_good(docs, tmp_path, capsys):
    out = tmp_path / "data" / "processed" / "_corpus"
    assert run_script([str(docs[0]), str(docs[2]), "--workers", "0", "--concepts", str(MINI),
                       "--language", "en", "--output-root", str(tmp_path)]) == 0
    assert capsys.readouterr().err == ""
    assert read_corpus_stats(out).summary.loc[0, "documents"] == 2


def test_script_runs_the_corpus_notebook(docs, tmp_path, capsys):
    status = run_script([str(docs[0]), str(docs[2]), "--workers", "0", "--concepts", str(MINI),
                         "--language", "en", "--output-root", str(tmp_path), "--notebook"])
    assert status == 0, capsys.readouterr().err
    assert (tmp_path / "outputs" / "_corpus" / "06-corpus-overview.ipynb").is_file()
    figures = tmp_path / "figures" / "_corpus"
    assert sorted(p.name for p in figures.iterdir()) == sorted(
        f"{name}.{ext}" for name in ("corpus-terms-top", "corpus-concepts-heatmap")
        for ext in ("png", "svg", "pdf", "csv"))
    # the bars drawn are the hand-counted lemmas of the two documents
    bars = pd.read_csv(figures / "corpus-terms-top.csv")
    assert list(bars["lemma"]) == ["community", "share", "boat", "rope", "build", "cooperation",
                                   "map", "open", "open source", "wait"]
    assert list(bars["count"]) == [3, 3, 2, 2, 1, 1, 1, 1, 1, 1]
    # the subtitle names the language (SVG text stays text)
    assert ">2 documents in English<" in (figures / "corpus-terms-top.svg").read_text("utf-8")
    assert not list((tmp_path / "outputs" / "_corpus").glob(".*"))  # no temporary file left


def test_script_without_cluster_does_not_import_dask(docs, tmp_path):
    argv = ["corpus", str(docs[0]), "--workers", "0", "--concepts", str(MINI), "--language",
            "en", "--output-root", str(tmp_path)]
    code = (f"import sys; from interview_lens.cli import main; status = main({argv!r})\n"
            "print(status, sorted(m for m in sys.modules if m.split('.')[0] in "
            "('dask', 'distributed')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.splitlines()[-1] == "0 []"


@pytest.mark.parametrize("argv, message", [
    (["{missing}"], "{missing}: no such document"),
    (["{docs}", "--partition-size", "0"], "--partition-size must be at least 1, not 0"),
    (["{docs}", "--workers", "-1"], "--workers must be at least 0, not -1"),
    (["{docs}", "--unit", "page"], "argument --unit: invalid choice: 'page'"),
    (["{docs}", "--concepts", "{missing}"], "{missing}"),
    (["{docs}", "--scheduler", "tcp://127.0.0.1:9", "--workers", "3"],
     "--workers is for the local cluster"),
    (["{docs}", "--scheduler", "tcp://127.0.0.1:9"],
     "--scheduler tcp://127.0.0.1:9: cannot connect to the Dask scheduler"),
])
def test_script_user_errors_one_line_exit_2(docs, tmp_path, capsys, monkeypatch, argv,
                                           message):
    # nothing listens on port 9: the refusal comes at once, but Dask retries until its timeout
    monkeypatch.setattr("interview_lens.runs.dask.CONNECT_TIMEOUT", "2s")
    out = tmp_path / "data" / "processed" / "_corpus"
    missing = str(tmp_path / "nowhere")
    argv = [a.format(missing=missing, docs=docs[0].parent) for a in argv]
    assert run_script(argv + ["--output-root", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("interview-lens corpus: ")
    assert message.format(missing=missing) in err
    assert not out.exists()
