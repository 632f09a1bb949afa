"""Documents side by side: summary, concept rates per document, keyness of one against the rest.

The document being regenerated comes from its live :class:`~interview_lens.pipeline.Analysis`;
every other document comes from the tables its last successful run left in
``data/processed/<doc_id>/`` (``tokens.csv`` and ``document.json``), so comparing never re-reads
or re-segments the whole collection.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .concepts import ConceptDictionary, code_concepts
from .style import SEQUENTIAL_CMAP, attach_data, house_style, new_figure, title
from .terms import stat_keyness

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
               "label": analysis.label, "document": analysis.paths.document.name}
    others = read_processed(processed_root, exclude=(analysis.doc_id,))
    return {analysis.doc_id: (current, analysis.tokens), **others}


def stat_documents(docs: dict[str, tuple[dict, pd.DataFrame]]) -> pd.DataFrame:
    """One row per document: ``doc_id, label, language, tokens, content_tokens, types, ttr,
    qa_pairs, interviewee_share`` (share of word tokens spoken by interviewees)."""
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
    return pd.DataFrame(rows)


def stat_concept_rates(docs: dict[str, tuple[dict, pd.DataFrame]],
                       dictionary: ConceptDictionary) -> pd.DataFrame:
    """Concept hits per document, coded in each document's own language (the concept ids are
    shared across languages, so a translation and its original are comparable).

    Columns ``doc_id, concept, hits, tokens, rate_per_1000`` (per 1,000 word tokens); every
    document × concept pair present, zeros included.
    """
    frames = []
    for doc_id, (info, tokens) in docs.items():
        hits = code_concepts(tokens, dictionary, language=info.get("language") or None)
        counts = hits["concept"].value_counts()
        frames.append(pd.DataFrame({"doc_id": doc_id, "concept": counts.index.astype(str),
                                    "hits": counts.to_numpy(), "tokens": len(tokens)}))
    if not frames:
        return pd.DataFrame(columns=["doc_id", "concept", "hits", "tokens", "rate_per_1000"])
    rates = pd.concat(frames, ignore_index=True)
    grid = pd.MultiIndex.from_product([list(docs), sorted(rates["concept"].unique())],
                                      names=["doc_id", "concept"])
    sizes = {d: len(t) for d, (_, t) in docs.items()}
    rates = rates.set_index(["doc_id", "concept"])["hits"].reindex(grid, fill_value=0)
    rates = rates.reset_index()
    rates["tokens"] = rates["doc_id"].map(sizes).astype(int)
    rates["rate_per_1000"] = np.where(rates["tokens"] > 0,
                                      1000 * rates["hits"] / rates["tokens"].clip(lower=1), 0.0)
    return rates


def stat_document_keyness(docs: dict[str, tuple[dict, pd.DataFrame]], doc_id: str, *,
                          min_count: int = 2, top_n: int | None = None) -> pd.DataFrame:
    """Keyness (G², log ratio) of ``doc_id`` against all other documents in its language.

    Lemmas of different languages are not comparable, so other-language documents are left
    out; with no other document in that language the result is empty.
    """
    language = docs[doc_id][0].get("language", "")
    same = [t.assign(doc_id=d) for d, (info, t) in docs.items()
            if info.get("language", "") == language]
    if len(same) < 2:
        return pd.DataFrame(columns=["doc_id", "lemma", "count_target", "count_reference",
                                     "g2", "p_value", "log_ratio", "direction"])
    key = stat_keyness(pd.concat(same, ignore_index=True), by="doc_id", min_count=min_count)
    key = key[key["doc_id"] == doc_id]
    return (key.head(top_n) if top_n else key).reset_index(drop=True)


def plot_concept_rates(rates: pd.DataFrame, *, labels: dict[str, str] | None = None,
                       document: str = "", ax=None, width="two") -> Figure:
    """Documents × concepts heatmap of rates per 1,000 word tokens, every cell annotated with
    its value (so no colour bar is needed, and one document still makes a readable strip).
    ``document`` names the collection in the title; default ``"N processed documents"``."""
    table = rates.pivot(index="doc_id", columns="concept", values="rate_per_1000").fillna(0.0)
    table = table[table.sum().sort_values(ascending=False).index]
    n = len(table)
    document = document or f"{n} processed document{'' if n == 1 else 's'}"
    with house_style():
        height = 45 + 9 * n
        fig, ax = new_figure(ax, width=width, height_mm=min(height, 200))
        ax.imshow(table.to_numpy(), aspect="auto", cmap=SEQUENTIAL_CMAP)
        ax.set_xticks(range(table.shape[1]),
                      [(labels or {}).get(c, c) for c in table.columns], rotation=45, ha="right")
        ax.set_yticks(range(table.shape[0]), table.index)
        top = float(table.to_numpy().max()) if table.size else 0.0
        for (i, j), value in np.ndenumerate(table.to_numpy()):
            ax.text(j, i, f"{value:.1f}", ha="center", va="center", fontsize=6,
                    color="white" if value < 0.6 * top else "black")
        ax.spines[:].set_visible(False)
        ax.set_title(title(document, "Concept rates (hits per 1,000 words)", "document"))
    return attach_data(fig, rates)
