"""Corpus statistics for collections too large for one notebook per document: a map/reduce.

A press archive (thousands of interviews, tens of millions of words) is cut into *partitions* of
``partition_size`` documents.  Each partition is one task: it reads, segments, tokenises and
codes its documents one at a time and keeps only *partial counts* (lemma counts, per-lemma
document counts, concept hit totals, and the sparse concept x concept matrix ``XᵀX`` of the
chosen unit with the number of units).  Partial counts are then summed pairwise (a tree
reduction), and the measures are computed once, on the summed counts, by the same code as a
single document's co-occurrence (:mod:`interview_lens.cooccurrence`).

Memory stays bounded by one document's token table plus the partial counts, whose size grows with
the vocabulary (which saturates) and the square of the number of concepts, not with the corpus.
Integers are summed, so the result is the same, to the last bit, in one process, on a local Dask
cluster or on a remote one (``client``): the reduction order cannot change a sum of integers, and
every float is computed after the reduction from those sums.

Tables (:class:`CorpusStats`, written as Parquet by :func:`save_corpus_stats`):

* ``summary``: one row, ``documents, failed, tokens, content_tokens, lemmas, languages, unit,
  window, n_units, concepts, partitions, partition_size, dictionary`` (``documents`` counts the
  documents read, ``failed`` those that could not be);
* ``documents``: one row per document, in the order given, ``doc_id, document, language,
  tokens, content_tokens, n_units, concept_hits, warnings, problem`` (``problem`` is the one-line
  error of a document that could not be read; its counts are 0 and it counts nowhere else);
* ``terms``: ``language, lemma, count, documents, rate_per_1000`` (content words, as in
  :func:`interview_lens.terms.stat_frequency`: ``rate_per_1000`` per 1,000 word tokens of the
  documents of that language, stopwords included; ``documents`` is the document frequency);
* ``concepts``: every concept of the dictionary, ``concept, label, hits, units, documents,
  rate_per_1000, unit_share`` (``units``: units where it is voiced; ``unit_share = units /
  n_units``);
* ``cooccurrence``: the pair table of :func:`interview_lens.cooccurrence.stat_cooccurrence`
  (``concept_a < concept_b``, concepts voiced at least once), over the units of every document.
"""
from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from .concepts import (UNITS, ConceptDictionary, Unit, code_concepts, hit_attrs, load_dictionary,
                       unit_matrix)
# one document's pair table, built from summed counts
from .cooccurrence import pair_table
from .errors import InputError, InterviewLensError
from .paths import project_root

__all__ = ["CorpusStats", "PartialCounts", "corpus_statistics", "count_documents",
           "merge_counts", "partitions", "save_corpus_stats", "read_corpus_stats",
           "corpus_folders", "TABLES", "DEFAULT_PARTITION_SIZE", "CORPUS_ID"]

CORPUS_ID = "_corpus"  # a leading "_": never a document's slug, skipped by compare.read_processed
TABLES = ("summary", "documents", "terms", "concepts", "cooccurrence")
DEFAULT_PARTITION_SIZE = 50
DOCUMENT_COLUMNS = ["doc_id", "document", "language", "tokens", "content_tokens", "n_units",
                    "concept_hits", "warnings", "problem"]
TERM_COLUMNS = ["language", "lemma", "count", "documents", "rate_per_1000"]
CONCEPT_COLUMNS = ["concept", "label", "hits", "units", "documents", "rate_per_1000",
                   "unit_share"]


@dataclass
class PartialCounts:
    """Counts of some documents; :func:`merge_counts` sums two of them.

    ``terms``: ``language, lemma, count, documents`` (one row per lemma of those documents);
    ``hits``/``concept_documents``: int64 per dictionary concept; ``pairs``: sparse int64
    concepts x concepts, units with both concepts (the diagonal: units with the concept);
    ``n_units``: units of those documents; ``documents``: one dict per document (with its input
    ``order``).
    """

    terms: pd.DataFrame
    hits: np.ndarray
    concept_documents: np.ndarray
    pairs: sparse.csr_matrix
    n_units: int = 0
    documents: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class CorpusStats:
    """The five corpus tables (see the module docstring for their columns)."""

    summary: pd.DataFrame
    documents: pd.DataFrame
    terms: pd.DataFrame
    concepts: pd.DataFrame
    cooccurrence: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in TABLES}

    def terms_of(self, language: str = "") -> pd.DataFrame:
        """The ``terms`` rows of ``language`` (default: the language with the most tokens);
        ``attrs``: ``language`` and ``documents``, the number of documents in that language."""
        ok = self.documents[self.documents["problem"] == ""]
        if not language:
            by_tokens = ok.groupby("language")["tokens"].sum().sort_index()
            language = str(by_tokens.idxmax()) if len(by_tokens) else ""
        terms = self.terms[self.terms["language"] == language].reset_index(drop=True)
        terms.attrs = {**self.terms.attrs, "language": language,
                       "documents": int((ok["language"] == language).sum())}
        return terms


# --- map: one partition -------------------------------------------------------------------------

def _empty_terms() -> pd.DataFrame:
    return pd.DataFrame({"language": pd.Series(dtype="str"), "lemma": pd.Series(dtype="str"),
                         "count": pd.Series(dtype="int64"),
                         "documents": pd.Series(dtype="int64")})


def _empty_counts(k: int) -> PartialCounts:
    return PartialCounts(_empty_terms(), np.zeros(k, dtype=np.int64), np.zeros(k, dtype=np.int64),
                         sparse.csr_matrix((k, k), dtype=np.int64))


def _document_row(order: int, path: str, doc_id: str) -> dict[str, Any]:
    return {"order": order, "doc_id": doc_id, "document": path, "language": "", "tokens": 0,
            "content_tokens": 0, "n_units": 0, "concept_hits": 0, "warnings": "",
            "problem": ""}


def count_documents(items: Iterable[tuple[int, str]], *, dictionary: ConceptDictionary,
                    unit: Unit = "sentence", window: int = 5,
                    language: str | None = None) -> PartialCounts:
    """Partial counts of ``items`` (``(order, path)`` pairs), read one document at a time.

    A document that cannot be read or segmented (one of the project's user errors) is kept in
    ``documents`` with its ``problem`` and counts nowhere else, so one bad file does not stop an
    archive.  Warnings are recorded per document instead of being shown thousands of times.
    """
    from .paths import slugify
    from .segment import read_interview
    from .tokens import tokens_from

    ids = dictionary.ids
    k = len(ids)
    concept_index = pd.Index(ids, dtype="str")
    out = _empty_counts(k)
    pairs = sparse.csr_matrix((k, k), dtype=np.int64)
    term_frames = []
    for order, path in items:
        row = _document_row(order, str(path), slugify(Path(path).stem))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                interview = read_interview(path, language=language)
                tokens = tokens_from(interview)
                hits = code_concepts(tokens, dictionary)
                x, _, _ = unit_matrix(hits, tokens, unit=unit, window=window, concepts=ids)
            except InterviewLensError as exc:
                row["problem"] = " ".join(str(exc).split())
                out.documents.append(row)
                continue
            except Exception as exc:  # noqa: BLE001 - one odd file must not stop an archive
                # not one of our user errors (a reader library's own exception): still one line,
                # with its type, so that it can be reported as a bug
                row["problem"] = f"{path}: unexpected {type(exc).__name__}: " + \
                    " ".join(str(exc).split())[:300]
                out.documents.append(row)
                continue
        content = tokens.loc[~tokens["is_stop"].astype(bool), "lemma"]
        counts = content.value_counts(sort=False)
        term_frames.append(pd.DataFrame({
            "language": pd.array([interview.language] * len(counts), dtype="str"),
            "lemma": pd.array(counts.index.astype(str), dtype="str"),
            "count": counts.to_numpy(dtype=np.int64),
            "documents": np.ones(len(counts), dtype=np.int64)}))
        together = (x.T @ x).tocsr()
        pairs = pairs + together
        codes = concept_index.get_indexer(hits["concept"].astype(str))
        per_concept = np.bincount(codes[codes >= 0], minlength=k).astype(np.int64)
        out.hits += per_concept
        out.concept_documents += (per_concept > 0).astype(np.int64)
        out.n_units += int(x.shape[0])
        row.update(doc_id=interview.doc_id, language=interview.language, tokens=len(tokens),
                   content_tokens=len(content), n_units=int(x.shape[0]),
                   concept_hits=int(per_concept.sum()),
                   warnings="; ".join(dict.fromkeys(str(w.message) for w in caught)))
        out.documents.append(row)
    out.pairs = pairs.tocsr()
    out.terms = _sum_terms(term_frames)
    return out


def _sum_terms(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return _empty_terms()
    both = pd.concat(frames, ignore_index=True)
    summed = both.groupby(["language", "lemma"], sort=False, observed=True)[
        ["count", "documents"]].sum()
    return summed.reset_index()


# --- reduce -------------------------------------------------------------------------------------

def merge_counts(parts: Sequence[PartialCounts]) -> PartialCounts:
    """The sum of partial counts (any order, any grouping: integers only)."""
    parts = list(parts)
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    out = _empty_counts(len(first.hits))
    pairs = out.pairs
    for p in parts:
        out.hits += p.hits
        out.concept_documents += p.concept_documents
        pairs = pairs + p.pairs
        out.n_units += p.n_units
        out.documents.extend(p.documents)
    out.pairs = pairs.tocsr()
    out.terms = _sum_terms([p.terms for p in parts])
    return out


def partitions(paths: Sequence[str | Path], size: int = DEFAULT_PARTITION_SIZE,
               ) -> list[list[tuple[int, str]]]:
    """``paths`` numbered in order and cut into lists of ``size`` ``(order, path)`` pairs."""
    if size < 1:
        raise InputError(None, f"--partition-size must be at least 1, not {size}")
    items = [(i, str(p)) for i, p in enumerate(paths)]
    return [items[i:i + size] for i in range(0, len(items), size)]


def _reduce(parts: list[list[tuple[int, str]]], count, client: Any, split_every: int):
    if client is None:
        # in this process, partition after partition: the reference the clusters must equal
        total = None
        for part in parts:
            partial_counts = count(part)
            total = partial_counts if total is None else merge_counts([total, partial_counts])
        return total
    import dask.bag as db  # only here: a run without a cluster pays no Dask import

    bag = db.from_sequence([item for part in parts for item in part],
                           partition_size=len(parts[0]))
    reduced = bag.reduction(count, merge_counts, split_every=split_every)
    return reduced.compute(scheduler=client)


# --- the tables ---------------------------------------------------------------------------------

def corpus_statistics(paths: Sequence[str | Path], *,
                      dictionary: ConceptDictionary | str | Path | None = None,
                      unit: Unit = "sentence", window: int = 5, language: str | None = None,
                      partition_size: int = DEFAULT_PARTITION_SIZE, client: Any = None,
                      split_every: int = 8) -> CorpusStats:
    """Term, document, concept and co-occurrence statistics of a collection of documents.

    Parameters
    ----------
    paths : the documents (see :func:`interview_lens.regenerate.find_documents`).
    dictionary : a loaded dictionary, a YAML path, or ``None`` for the shipped one.
    unit : co-occurrence unit (``sentence`` default, ``paragraph``, ``turn``, ``qa``,
        ``window`` with ``±window`` tokens).
    language : force every document's language; default per document (sidecar, else detected).
    partition_size : documents per task: the memory of a task is one document's tables plus the
        counts of its partition.
    client : a ``dask.distributed.Client`` (local or remote cluster); ``None`` computes in this
        process.  Workers must see ``paths`` at the same place (shared file system).
    split_every : partial counts summed per reduction task.

    Returns a :class:`CorpusStats` (columns in the module docstring).
    """
    if unit not in UNITS:
        raise InputError(None, f"--unit must be one of {', '.join(UNITS)}, not {unit!r}")
    if not isinstance(dictionary, ConceptDictionary):
        dictionary = load_dictionary(dictionary)
    paths = list(paths)
    if not paths:
        raise InputError(None, "no documents to count")
    parts = partitions(paths, partition_size)
    count = partial(count_documents, dictionary=dictionary, unit=unit, window=window,
                    language=language)
    total = _reduce(parts, count, client, split_every)
    return _tables(total, dictionary, unit=unit, window=window, partitions=len(parts),
                   partition_size=partition_size)


def _tables(total: PartialCounts, dictionary: ConceptDictionary, *, unit: str, window: int,
            partitions: int, partition_size: int) -> CorpusStats:
    docs = pd.DataFrame(sorted(total.documents, key=lambda r: r["order"]))
    docs = docs[DOCUMENT_COLUMNS].reset_index(drop=True)
    for c in ("doc_id", "document", "language", "warnings", "problem"):
        docs[c] = docs[c].astype("str")
    for c in ("tokens", "content_tokens", "n_units", "concept_hits"):
        docs[c] = docs[c].astype("int64")
    ok = docs[docs["problem"] == ""]
    languages = sorted(set(ok["language"]))
    terms = _terms_table(total.terms, ok)
    tokens = int(ok["tokens"].sum())
    attrs = {k: v for k, v in hit_attrs(dictionary, None).items() if k != "dictionary"}
    attrs["language"] = languages[0] if len(languages) == 1 else None
    pairs = _pairs_table(total.pairs, dictionary.ids, total.n_units)
    pairs.attrs = {**attrs, "unit": unit, "window": window if unit == "window" else None,
                   "n_units": total.n_units,
                   "concept_totals": {c: int(n) for c, n in
                                      zip(dictionary.ids, total.pairs.diagonal()) if n > 0},
                   "doc_id": f"{len(ok)} documents"}
    labels = dictionary.labels(attrs["language"] or "en")
    units = np.asarray(total.pairs.diagonal(), dtype=np.int64)
    concepts = pd.DataFrame({
        "concept": pd.array(dictionary.ids, dtype="str"),
        "label": pd.array([labels[c] for c in dictionary.ids], dtype="str"),
        "hits": total.hits.astype(np.int64),
        "units": units,
        "documents": total.concept_documents.astype(np.int64),
        "rate_per_1000": total.hits / tokens * 1000.0 if tokens else np.full(len(units), np.nan),
        "unit_share": units / total.n_units if total.n_units else np.full(len(units), np.nan),
    })
    concepts.attrs = {**attrs, "unit": unit}
    summary = pd.DataFrame([{
        "documents": len(ok), "failed": int(len(docs) - len(ok)), "tokens": tokens,
        "content_tokens": int(ok["content_tokens"].sum()), "lemmas": len(terms),
        "languages": ", ".join(languages), "unit": unit,
        "window": window if unit == "window" else 0, "n_units": int(total.n_units),
        "concepts": int((units > 0).sum()), "partitions": partitions,
        "partition_size": partition_size,
        "dictionary": str(dictionary.path) if dictionary.path else ""}])
    for c in ("languages", "unit", "dictionary"):
        summary[c] = summary[c].astype("str")
    return CorpusStats(summary=summary, documents=docs, terms=terms, concepts=concepts,
                       cooccurrence=pairs)


def _terms_table(terms: pd.DataFrame, ok: pd.DataFrame) -> pd.DataFrame:
    # the denominator counts every word token of that language's documents, stopwords
    # included, as stat_frequency does (rates do not depend on the stopword list)
    tokens = ok.groupby("language")["tokens"].sum()
    out = terms.copy()
    out["rate_per_1000"] = out["count"] / out["language"].map(tokens).to_numpy(dtype=float) \
        * 1000.0
    out = out.sort_values(["language", "count", "lemma"], ascending=[True, False, True],
                          kind="mergesort")
    out = out[TERM_COLUMNS].reset_index(drop=True)
    for c in ("language", "lemma"):
        out[c] = out[c].astype("str")
    for c in ("count", "documents"):
        out[c] = out[c].astype("int64")
    return out


def _pairs_table(counts: sparse.csr_matrix, ids: Sequence[str], n: int) -> pd.DataFrame:
    """The pair table of ``stat_cooccurrence`` from summed ``XᵀX`` counts."""
    dense = counts.toarray()
    n_a = np.diag(dense)
    names = np.asarray(ids, dtype=object)
    present = n_a > 0  # as stat_cooccurrence: the concepts voiced at least once
    pairs = pair_table(dense[np.ix_(present, present)], names[present], n)
    pairs.attrs = {}
    return pairs


# --- files --------------------------------------------------------------------------------------

def corpus_folders(output_root: str | Path = "") -> tuple[Path, Path]:
    """``(tables, figures)``: ``<output_root>/data/processed/_corpus`` and
    ``<output_root>/figures/_corpus`` (``""`` = the project root, as for one document)."""
    root = project_root()
    out = Path(output_root) if str(output_root) else root
    if not out.is_absolute():
        out = root / out
    return out / "data" / "processed" / CORPUS_ID, out / "figures" / CORPUS_ID


def save_corpus_stats(stats: CorpusStats, folder: str | Path) -> list[Path]:
    """Write the tables as ``folder/<table>.parquet``, all or none: every table goes to a
    temporary file first, and only when all five are written are they renamed into place (a
    failure leaves the previous tables as they were)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, table in stats.tables().items():
            path = folder / f"{name}.parquet"
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            staged.append((tmp, path))
            table.to_parquet(tmp, index=False)
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
    return [path for _, path in staged]


def read_corpus_stats(folder: str | Path) -> CorpusStats:
    """The tables :func:`save_corpus_stats` wrote (``attrs`` included); :class:`InputError` when
    one is missing (run ``scripts/corpus_stats.py`` first)."""
    folder = Path(folder)
    tables = {}
    for name in TABLES:
        path = folder / f"{name}.parquet"
        if not path.is_file():
            raise InputError(path, "no corpus table here; run scripts/corpus_stats.py first")
        tables[name] = pd.read_parquet(path)
    return CorpusStats(**tables)
