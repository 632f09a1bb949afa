"""Documents side by side: summary, concept rates per document, keyness of one against the rest.

The document being regenerated comes from its live :class:`~interview_lens.notebook.analysis.Analysis`;
every other document comes from the tables its last successful run left in
``data/processed/<doc_id>/`` (``tokens.csv`` and ``document.json``), so comparing never re-reads
or re-segments the whole collection.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import chi2

from interview_lens.analysis.concepts import code_concepts
from interview_lens.analysis.dictionary import ConceptDictionary
from interview_lens.analysis.terms import log_likelihood, log_ratio
from interview_lens.reading.variables import merge_variables, with_variables

_TOKEN_DTYPES = {"doc_id": "str", "qa_id": "int64", "turn_id": "int64", "role": "str",
                 "speaker": "str", "theme": "str", "token": "str", "norm": "str", "lemma": "str",
                 "is_stop": "bool"}


def read_processed(processed_root: str | Path, *, exclude: tuple[str, ...] = ()
                   ) -> dict[str, tuple[dict, pd.DataFrame]]:
    """``{doc_id: (document.json values, token table)}`` of every processed document.

    Folders without both files (an older or failed run) and folders starting with ``_`` or
    ``.`` (corpus tables, temporary folders) are ignored.
    """
    out: dict[str, tuple[dict, pd.DataFrame]] = {}
    root = Path(processed_root)
    if not root.is_dir():
        return out
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if folder.name.startswith(("_", ".")) or folder.name in exclude:
            continue
        info_path, tokens_path = folder / "document.json", folder / "tokens.csv"
        if not (info_path.is_file() and tokens_path.is_file()):
            continue
        info = json.loads(info_path.read_text(encoding="utf-8"))
        tokens = pd.read_csv(tokens_path, dtype=_TOKEN_DTYPES, keep_default_na=False)
        tokens.attrs["language"] = info.get("language", "")
        out[info.get("doc_id", folder.name)] = (info, tokens)
    return out


def collection(analysis, processed_root: str | Path) -> dict[str, tuple[dict, pd.DataFrame]]:
    """This document (live) first, then every other processed document."""
    current = {"doc_id": analysis.doc_id, "language": analysis.language,
               "label": analysis.label, "document": analysis.paths.document.name,
               "variables": analysis.variables, "qa": analysis.qa}
    others = read_processed(processed_root, exclude=(analysis.doc_id,))
    return {analysis.doc_id: (current, analysis.tokens), **others}


def collection_variables(docs: dict[str, tuple[dict, pd.DataFrame]]) -> pd.DataFrame:
    """``doc_id`` + one column per variable, one row per document (in ``docs``' order), from
    each document's ``document.json`` ``variables`` (sidecar merged with ``variables.csv`` when
    it ran); typed as :func:`interview_lens.reading.variables.read_variables` types them."""
    table = merge_variables(pd.DataFrame({"doc_id": list(docs)}),
                            {d: info.get("variables") or {} for d, (info, _) in docs.items()})
    return table.reset_index(drop=True)


def tag_variables(table: pd.DataFrame, docs: dict[str, tuple[dict, pd.DataFrame]]
                  ) -> pd.DataFrame:
    """``table`` (any table with ``doc_id``) with its documents' variable columns on the right;
    a variable named like a column of ``table`` (``language``) comes as ``var_<name>``."""
    if "doc_id" not in table.columns:  # no document: nothing to tag
        return table
    variables = collection_variables(docs)
    clash = {c: f"var_{c}" for c in variables.columns if c != "doc_id" and c in table.columns}
    return with_variables(table, variables.rename(columns=clash))


def collection_tokens(docs: dict[str, tuple[dict, pd.DataFrame]]) -> pd.DataFrame:
    """Every document's token table in one, with ``language`` and the variable columns (see
    :func:`tag_variables`): the input of the group comparisons."""
    frames = [tokens.assign(doc_id=str(doc_id), language=info.get("language", ""))
              for doc_id, (info, tokens) in docs.items()]
    tokens = (pd.concat(frames, ignore_index=True) if frames
              else pd.DataFrame(columns=[*_TOKEN_DTYPES, "language"]))
    return tag_variables(tokens, docs)


def collection_hits(docs: dict[str, tuple[dict, pd.DataFrame]],
                    dictionary: ConceptDictionary) -> pd.DataFrame:
    """Concept hits of every document, each coded in its own language (documents in a language
    the dictionary has no patterns for are left out, as in :func:`stat_concept_rates`)."""
    frames = [code_concepts(tokens, dictionary, language=info.get("language") or None)
              for _, (info, tokens) in docs.items()
              if not info.get("language") or info["language"] in dictionary.languages]
    empty = code_concepts(next(iter(docs.values()))[1].iloc[:0], dictionary,
                          language=sorted(dictionary.languages)[0])
    hits = pd.concat([empty, *frames], ignore_index=True) if frames else empty
    hits.attrs = dict(empty.attrs)
    return hits


def collection_qa(docs: dict[str, tuple[dict, pd.DataFrame]], processed_root: str | Path
                  ) -> pd.DataFrame:
    """The Q/A pairs of every document: ``doc_id, language, qa_id, question, answer`` (the
    live document's from its analysis, the others' from their ``qa.csv``)."""
    frames = []
    for doc_id, (info, _) in docs.items():
        qa = info.get("qa")
        if qa is None:
            path = Path(processed_root) / doc_id / "qa.csv"
            if not path.is_file():
                continue
            qa = pd.read_csv(path, dtype={"question": str, "answer": str},
                             keep_default_na=False)
        frames.append(qa[["qa_id", "question", "answer"]].assign(
            doc_id=str(doc_id), language=info.get("language", "")))
    columns = ["doc_id", "language", "qa_id", "question", "answer"]
    return (pd.concat(frames, ignore_index=True)[columns] if frames
            else pd.DataFrame(columns=columns))


def stat_documents(docs: dict[str, tuple[dict, pd.DataFrame]]) -> pd.DataFrame:
    """One row per document: ``doc_id, label, language, tokens, content_tokens, types, ttr,
    qa_pairs, interviewee_share`` (share of word tokens spoken by interviewees), then the
    documents' variables (:func:`tag_variables`)."""
    rows = []
    for doc_id, (info, tokens) in docs.items():
        content = tokens.loc[~tokens["is_stop"], "lemma"]
        n = len(tokens)
        rows.append({
            "doc_id": doc_id, "label": info.get("label", doc_id),
            "language": info.get("language", ""), "tokens": n,
            "content_tokens": len(content), "types": int(content.nunique()),
            "ttr": round(content.nunique() / len(content), 4) if len(content) else 0.0,
            "qa_pairs": int(tokens.loc[tokens["qa_id"] > 0, "qa_id"].nunique()),
            "interviewee_share": round(float((tokens["role"] == "interviewee").mean()), 4)
            if n else 0.0,
        })
    return tag_variables(pd.DataFrame(rows), docs)


def stat_concept_rates(docs: dict[str, tuple[dict, pd.DataFrame]],
                       dictionary: ConceptDictionary) -> pd.DataFrame:
    """Concept hits per document, coded in each document's own language (the concept ids are
    shared across languages, so a translation and its original are comparable).

    Columns ``doc_id, concept, hits, tokens, rate_per_1000`` (per 1,000 word tokens); every
    document × concept pair present, zeros included.  A document in a language the dictionary
    has no patterns for (German with a French/English dictionary, a sidecar's ``xx``) is left
    out rather than shown with rates of zero it never had a chance to exceed;
    ``attrs["not_coded"]`` maps each such ``doc_id`` to its language.
    """
    columns = ["doc_id", "concept", "hits", "tokens", "rate_per_1000"]
    frames, coded, not_coded = [], [], {}
    for doc_id, (info, tokens) in docs.items():
        language = info.get("language") or None
        if language is not None and language not in dictionary.languages:
            not_coded[doc_id] = language
            continue
        coded.append(doc_id)
        hits = code_concepts(tokens, dictionary, language=language)
        counts = hits["concept"].value_counts()
        frames.append(pd.DataFrame({"doc_id": doc_id, "concept": counts.index.astype(str),
                                    "hits": counts.to_numpy(), "tokens": len(tokens)}))
    rates = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    if rates.empty:  # no document coded, or not one hit in any of them: nothing to compare
        rates = pd.DataFrame(columns=columns)
    else:
        grid = pd.MultiIndex.from_product([coded, sorted(rates["concept"].unique())],
                                          names=["doc_id", "concept"])
        sizes = {d: len(docs[d][1]) for d in coded}
        rates = rates.set_index(["doc_id", "concept"])["hits"].reindex(grid, fill_value=0)
        rates = rates.reset_index()
        rates["tokens"] = rates["doc_id"].map(sizes).astype(int)
        rates["rate_per_1000"] = np.where(rates["tokens"] > 0,
                                          1000 * rates["hits"] / rates["tokens"].clip(lower=1),
                                          0.0)
    rates.attrs["not_coded"] = not_coded
    return rates


_KEYNESS_COLUMNS = ["doc_id", "lemma", "count_target", "count_reference", "g2", "p_value",
                    "log_ratio", "direction"]


def stat_document_keyness(docs: dict[str, tuple[dict, pd.DataFrame]], doc_id: str, *,
                          min_count: int = 2, top_n: int | None = None) -> pd.DataFrame:
    """Keyness of ``doc_id`` against every other document in its language, pooled.

    The target corpus is the document's word tokens, the reference corpus the word tokens of
    all other documents in the same language (lemmas of different languages are not
    comparable, so other-language documents are left out).  With ``a``/``b`` a content
    lemma's counts in target and reference and ``c``/``d`` their sizes in word tokens
    (stopwords included), ``g2`` is the log-likelihood G² of Rayson & Garside (2000),
    ``p_value`` its chi-square (1 df) tail, ``log_ratio`` Hardie's (2014) effect size and
    ``direction`` ``"+"`` when the lemma is relatively more frequent in the target; only
    lemmas seen at least ``min_count`` times in target and reference together are scored.

    Columns ``doc_id, lemma, count_target, count_reference, g2, p_value, log_ratio,
    direction``, sorted by ``g2`` descending, then ``lemma``; the first ``top_n`` rows when
    given.  ``attrs["reference"]`` lists the reference documents; with none (the document is
    alone in its language) the table is empty.
    """
    language = docs[doc_id][0].get("language", "")
    reference = [d for d, (info, _) in docs.items()
                 if d != doc_id and info.get("language", "") == language]
    target = docs[doc_id][1]
    ref_tokens = [docs[d][1] for d in reference]
    c = float(len(target))
    d = float(sum(len(t) for t in ref_tokens))
    key = pd.DataFrame(columns=_KEYNESS_COLUMNS)
    if reference and c > 0 and d > 0:
        key = _keyness_rows(doc_id, _content_counts([target]), _content_counts(ref_tokens),
                            c, d, min_count=min_count)
    key.attrs["reference"] = reference
    key.attrs["language"] = language
    return (key.head(top_n) if top_n else key).reset_index(drop=True)


def _content_counts(tables: list[pd.DataFrame]) -> pd.Series:
    """Content-lemma counts summed over ``tables``."""
    lemmas = [t.loc[~t["is_stop"].astype(bool), "lemma"] for t in tables]
    return pd.concat(lemmas).value_counts() if lemmas else pd.Series(dtype="int64")


def _keyness_rows(doc_id: str, target: pd.Series, reference: pd.Series, c: float, d: float,
                  *, min_count: int) -> pd.DataFrame:
    both = pd.concat([target.rename("a"), reference.rename("b")], axis=1).fillna(0)
    both = both.loc[(both["a"] + both["b"]) >= min_count]
    a, b = both["a"].to_numpy(dtype=float), both["b"].to_numpy(dtype=float)
    g2 = log_likelihood(a, b, c, d)
    out = pd.DataFrame({
        "doc_id": doc_id,
        "lemma": both.index.astype(str),
        "count_target": a.astype("int64"),
        "count_reference": b.astype("int64"),
        "g2": g2,
        "p_value": chi2.sf(g2, 1),
        "log_ratio": log_ratio(a, b, c, d),
        "direction": np.where(a / c > b / d, "+", "-"),
    })
    return out.sort_values(["g2", "lemma"], ascending=[False, True],
                           kind="mergesort")[_KEYNESS_COLUMNS]
