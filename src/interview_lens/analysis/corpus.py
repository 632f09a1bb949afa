"""Corpus statistics for collections too large for one notebook per document: a map/reduce.

A press archive (thousands of interviews, tens of millions of words) is cut into *partitions* of
``partition_size`` documents.  Each partition is one task: it reads and segments its documents
one at a time, tokenises and codes them in batches (one token table and one concept coding per
batch of up to ``BATCH_CHARACTERS`` of one language) and keeps only *partial counts* (lemma
counts, per-lemma document counts, concept hit totals, and the sparse concept x concept matrix
``XᵀX`` of the chosen unit with the number of units).  Partial counts are then summed pairwise
(a tree reduction), and the measures are computed once, on the summed counts, by the same code
as a single document's co-occurrence (:mod:`interview_lens.analysis.cooccurrence`).

Memory stays bounded by one batch's token table plus the partial counts, whose size grows with
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
  :func:`interview_lens.analysis.terms.stat_frequency`: ``rate_per_1000`` per 1,000 word tokens of the
  documents of that language, stopwords included; ``documents`` is the document frequency);
* ``concepts``: every concept of the dictionary, ``concept, label, hits, units, documents,
  rate_per_1000, unit_share`` (``units``: units where it is voiced; ``unit_share = units /
  n_units``);
* ``cooccurrence``: the pair table of :func:`interview_lens.analysis.cooccurrence.stat_cooccurrence`
  (``concept_a < concept_b``, concepts voiced at least once), over the units of every document;
* ``segments``: the text segments of every document (about ``segment_size`` words, never across
  a turn), ``segment_id`` (1.. over the corpus, in document order) ``doc_id, qa_id, turn_id,
  speaker, start_char, end_char, n_words, text, lemmas`` (its distinct content lemmas), for
  Reinert's classification of the corpus (:mod:`interview_lens.analysis.corpus_segments`).
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

from interview_lens.analysis.concepts import code_concepts, hit_attrs

# one document's pair table, built from summed counts
from interview_lens.analysis.cooccurrence import pair_table
from interview_lens.analysis.corpus_segments import document_segments, empty_segments
from interview_lens.analysis.dictionary import ConceptDictionary, load_dictionary
from interview_lens.analysis.units import UNITS, Unit, unit_matrix
from interview_lens.errors import InputError, InterviewLensError
from interview_lens.project import project_root

__all__ = ["CorpusStats", "PartialCounts", "corpus_statistics", "count_documents",
           "merge_counts", "partitions", "save_corpus_stats", "read_corpus_stats",
           "corpus_folders", "TABLES", "DEFAULT_PARTITION_SIZE", "CORPUS_ID"]

CORPUS_ID = "_corpus"  # a leading "_": never a document's slug, skipped by compare.read_processed
TABLES = ("summary", "documents", "terms", "concepts", "cooccurrence", "segments")
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
    segments: list[pd.DataFrame] = field(default_factory=list)  # with each document's ``order``


@dataclass(frozen=True)
class CorpusStats:
    """The six corpus tables (see the module docstring for their columns)."""

    summary: pd.DataFrame
    documents: pd.DataFrame
    terms: pd.DataFrame
    concepts: pd.DataFrame
    cooccurrence: pd.DataFrame
    segments: pd.DataFrame

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


# Documents are read one at a time but tokenised and coded together, a batch of up to this many
# characters at once (about 300,000 words): the per-call work of the token layer and of the
# concept coder is then paid once per batch instead of once per document (9 s -> 2.5 s on a
# 1,000,000-word corpus of 200 documents), and a task's memory stays bounded by one batch's
# tables (about 150 MiB at the peak for 2,000,000 characters).
BATCH_CHARACTERS = 2_000_000


def count_documents(items: Iterable[tuple[int, str]], *, dictionary: ConceptDictionary,
                    unit: Unit = "sentence", window: int = 5,
                    language: str | None = None, segment_size: int = 40) -> PartialCounts:
    """Partial counts of ``items`` (``(order, path)`` pairs).

    A document that cannot be read or segmented (one of the project's user errors) is kept in
    ``documents`` with its ``problem`` and counts nowhere else, so one bad file does not stop an
    archive.  Warnings are recorded per document instead of being shown thousands of times.
    The documents read are counted in batches (:data:`BATCH_CHARACTERS`); the counts are those
    of one document at a time, exactly.
    """
    from interview_lens.project import slugify
    from interview_lens.reading.segment import read_interview

    out = _empty_counts(len(dictionary.ids))
    term_frames: list[pd.DataFrame] = []

    def count(batch):
        term_frames.extend(_count_batch(batch, out=out, dictionary=dictionary, unit=unit,
                                        window=window, segment_size=segment_size))

    batch: list[tuple[dict[str, Any], Any]] = []
    size = 0
    for order, path in items:
        row = _document_row(order, str(path), slugify(Path(path).stem))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                interview = read_interview(path, language=language)
            except Exception as exc:  # noqa: BLE001 - one odd file must not stop an archive
                row["problem"] = _problem(path, exc)
                out.documents.append(row)
                continue
        row["warnings"] = [str(w.message) for w in caught]
        # one batch per language (the concept patterns are chosen by it) and never two
        # documents with one doc_id in a batch (their units would merge)
        if batch and (size + len(interview.text) > BATCH_CHARACTERS
                      or _batch_key(interview) != _batch_key(batch[0][1])
                      or interview.doc_id in {iv.doc_id for _, iv in batch}):
            count(batch)
            batch, size = [], 0
        batch.append((row, interview))
        size += len(interview.text)
    if batch:
        count(batch)
    out.pairs = out.pairs.tocsr()
    out.terms = _sum_terms(term_frames)
    return out


def _batch_key(interview) -> str:
    """Documents whose language the token layer will detect itself are counted alone."""
    return (interview.language or "").strip().lower() or f"?{id(interview)}"


def _problem(path: str | Path, exc: Exception) -> str:
    """The one-line ``problem`` of a document that could not be counted."""
    if isinstance(exc, InterviewLensError):
        return " ".join(str(exc).split())
    # not one of our user errors (a reader library's own exception): still one line, with its
    # type, so that it can be reported as a bug
    return f"{path}: unexpected {type(exc).__name__}: " + " ".join(str(exc).split())[:300]


def _count_batch(batch: list[tuple[dict[str, Any], Any]], *, out: PartialCounts,
                 dictionary: ConceptDictionary, unit: Unit, window: int,
                 segment_size: int = 40) -> list[pd.DataFrame]:
    """Add the counts of ``batch`` (document rows and their interviews, one language) to
    ``out``; returns its lemma counts (``language, lemma, count, documents``).  Should the batch
    fail, its documents are counted one by one, so that only the document at fault gets a
    ``problem``."""
    from interview_lens.language.tokens import tokens_from_many

    interviews = [iv for _, iv in batch]
    before = [len(iv.meta.get("warnings") or []) for iv in interviews]
    try:
        with warnings.catch_warnings():
            # the token layer's warnings are also kept in each interview's meta: taken from there
            warnings.simplefilter("ignore")
            tokens = tokens_from_many(interviews)
            hits = code_concepts(tokens, dictionary)
            x, units, _ = unit_matrix(hits, tokens, unit=unit, window=window,
                                      concepts=dictionary.ids)
            segments = document_segments(tokens, interviews, size=segment_size)
    except Exception as exc:  # noqa: BLE001 - see the docstring
        if len(batch) > 1:
            return [frame for item in batch for frame in
                    _count_batch([item], out=out, dictionary=dictionary, unit=unit,
                                 window=window, segment_size=segment_size)]
        row, interview = batch[0]
        row["problem"] = _problem(interview.path, exc)
        row["warnings"] = ""
        out.documents.append(row)
        return []
    k = len(dictionary.ids)
    n = len(interviews)
    doc_index = pd.Index([iv.doc_id for iv in interviews], dtype="str")
    tok_doc = doc_index.get_indexer(tokens["doc_id"])
    content = ~tokens["is_stop"].to_numpy(dtype=bool)
    terms = _term_counts(tokens["lemma"].to_numpy(dtype=object)[content], tok_doc[content],
                         interviews[0].language)
    hit_doc = doc_index.get_indexer(hits["doc_id"])
    hit_concept = pd.Index(dictionary.ids, dtype="str").get_indexer(hits["concept"])
    known = hit_concept >= 0
    per_doc = np.bincount(hit_doc[known] * k + hit_concept[known],
                          minlength=n * k).reshape(n, k).astype(np.int64)
    out.hits += per_doc.sum(axis=0)
    out.concept_documents += (per_doc > 0).sum(axis=0).astype(np.int64)
    out.pairs = out.pairs + (x.T @ x).tocsr()
    out.n_units += int(x.shape[0])
    order = {iv.doc_id: row["order"] for row, iv in batch}
    out.segments.append(segments.assign(order=segments["doc_id"].map(order)))
    unit_doc = doc_index.get_indexer(units.get_level_values(0))
    n_units = np.bincount(unit_doc, minlength=n)
    n_tokens = np.bincount(tok_doc, minlength=n)
    n_content = np.bincount(tok_doc[content], minlength=n)
    for i, ((row, interview), seen) in enumerate(zip(batch, before)):
        noted = list(interview.meta.get("warnings") or [])[seen:]
        row.update(doc_id=interview.doc_id, language=interview.language,
                   tokens=int(n_tokens[i]), content_tokens=int(n_content[i]),
                   n_units=int(n_units[i]), concept_hits=int(per_doc[i].sum()),
                   warnings="; ".join(dict.fromkeys(row["warnings"] + noted)))
        out.documents.append(row)
    return [terms]


def _term_counts(lemmas: np.ndarray, docs: np.ndarray, language: str) -> pd.DataFrame:
    """``language, lemma, count, documents`` of content tokens' ``lemmas`` (``docs``: each
    token's document code)."""
    codes, uniques = pd.factorize(lemmas)
    width = max(len(uniques), 1)
    # one entry per (document, lemma) present: a lemma's documents are its entries
    pairs, pair_counts = np.unique(docs.astype(np.int64) * width + codes, return_counts=True)
    per_lemma = pairs % width
    return pd.DataFrame({
        "language": pd.array([language] * len(uniques), dtype="str"),
        "lemma": pd.array(np.asarray(uniques, dtype=object), dtype="str"),
        "count": np.bincount(per_lemma, weights=pair_counts,
                             minlength=len(uniques)).astype(np.int64),
        "documents": np.bincount(per_lemma, minlength=len(uniques)).astype(np.int64)})


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
        out.segments.extend(p.segments)
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
                      split_every: int = 8, segment_size: int = 40) -> CorpusStats:
    """Term, document, concept and co-occurrence statistics of a collection of documents.

    Parameters
    ----------
    paths : the documents (see :func:`interview_lens.runs.regenerate.find_documents`).
    dictionary : a loaded dictionary, a YAML path, or ``None`` for the shipped one.
    unit : co-occurrence unit (``sentence`` default, ``paragraph``, ``turn``, ``qa``,
        ``window`` with ``±window`` tokens).
    language : force every document's language; default per document (sidecar, else detected).
    partition_size : documents per task: the memory of a task is one document's tables plus the
        counts of its partition.
    client : a ``dask.distributed.Client`` (local or remote cluster); ``None`` computes in this
        process.  Workers must see ``paths`` at the same place (shared file system).
    split_every : partial counts summed per reduction task.
    segment_size : words per text segment (Reinert's units, ``segments`` table).

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
                    language=language, segment_size=segment_size)
    total = _reduce(parts, count, client, split_every)
    return _tables(total, dictionary, unit=unit, window=window, partitions=len(parts),
                   partition_size=partition_size, segment_size=segment_size)


def _tables(total: PartialCounts, dictionary: ConceptDictionary, *, unit: str, window: int,
            partitions: int, partition_size: int, segment_size: int = 40) -> CorpusStats:
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
        "partition_size": partition_size, "segment_size": segment_size,
        "dictionary": str(dictionary.path) if dictionary.path else ""}])
    for c in ("languages", "unit", "dictionary"):
        summary[c] = summary[c].astype("str")
    return CorpusStats(summary=summary, documents=docs, terms=terms, concepts=concepts,
                       cooccurrence=pairs, segments=_segments_table(total.segments))


def _segments_table(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The reduce of the segments: concatenated in the documents' order, numbered 1.."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_segments()
    out = pd.concat(frames, ignore_index=True)
    out = out.sort_values(["order", "start_char"], kind="mergesort").drop(columns="order")
    out["segment_id"] = np.arange(1, len(out) + 1)
    return out.reset_index(drop=True)


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
    one is missing (run ``python -m interview_lens corpus`` first)."""
    folder = Path(folder)
    tables = {}
    for name in TABLES:
        path = folder / f"{name}.parquet"
        if not path.is_file():
            raise InputError(path, "no corpus table here; run python -m interview_lens corpus first")
        tables[name] = pd.read_parquet(path)
    # Parquet gives each segment's lemmas back as an array: lists again, as they were written
    tables["segments"]["lemmas"] = tables["segments"]["lemmas"].map(list)
    return CorpusStats(**tables)
