"""One interview guide across interviews: each respondent's answers lined up by guide theme.

A guide is a YAML file of ordered guide questions, each with a theme and optional keywords::

    language: fr                       # optional: the language of the guide's questions
    questions:
      - theme: Coopération
        question: Comment coopérez-vous avec les autres acteurs ?
        keywords: [partenariat, collaboration]

:func:`match_guide` matches each document's questions to the guide's items by the cosine
similarity of their content-lemma tf-idf vectors (Salton & Buckley 1988; the smoothed idf of
scikit-learn, ``ln((1 + n) / (1 + df)) + 1``, over the guide items and the collection's
questions, so a lemma every question uses, "penser", weighs little).  A guide item's bag is its
question's lemmas plus its keywords'.  A question below ``threshold`` is *off-guide*.
Without a guide, :func:`cluster_qa` groups the collection's Q/A pairs into shared themes.
:func:`stat_guide_themes` then gives the theme × respondent table.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import cut_tree, linkage

from interview_lens.errors import ConfigError
from interview_lens.language.lexicon import detect_language, is_number, lemmatize, load_lexicon
from interview_lens.reading.config import read_yaml
from interview_lens.text import normalise_token

GUIDE_COLUMNS = ["guide_id", "theme", "question", "keywords"]
MATCH_COLUMNS = ["doc_id", "qa_id", "question", "answer", "guide_id", "theme", "similarity",
                 "on_guide"]
THEME_COLUMNS = ["doc_id", "guide_id", "theme", "qa_ids", "answer", "words", "hits",
                 "rate_per_1000", "concepts"]
_WORD = re.compile(r"[^\W\d_]+(?:[-‐‑][^\W\d_]+)*")
# French inverted subject pronouns (comprenez-vous, importe-t-il), split off as the token layer
# does (tokens.py), so that the verb's lemma is what is compared.
_FR_INVERTED = re.compile(r"[-‐‑](?:t[-‐‑])?(?:il|elle|on|ils|elles|je|tu|nous|vous|ce)$")
# Two guide items this close in similarity are a tie, broken by the guide's order.
_TIE = 1e-9


def read_guide(path: str | Path) -> pd.DataFrame:
    """Read an interview guide YAML: ``questions:`` (or a bare list) of ``{theme, question,
    keywords}``.

    Returns columns ``guide_id`` (1.. in the guide's order), ``theme``, ``question``,
    ``keywords`` (a tuple of strings); ``attrs``: ``path``, ``language`` (``None`` when not
    given).  Raises :class:`ConfigError` naming the file and the item in one line: no
    questions, an item that is not a mapping, a missing or empty theme or question, keywords
    that are not a list of words, an unknown key, a theme given twice.
    """
    path = Path(path)
    raw = read_yaml(path, what="guide file")
    language = None
    if isinstance(raw, dict):
        unknown = set(raw) - {"language", "questions"}
        if unknown:
            raise ConfigError(path, f"unknown key(s) {sorted(map(str, unknown))}; a guide has "
                              "questions: and an optional language:")
        language = raw.get("language")
        if language is not None and not (isinstance(language, str) and
                                         re.fullmatch(r"[a-z]{2}", language)):
            raise ConfigError(path, "must be a two-letter code such as fr", item="language")
        raw = raw.get("questions")
    if not isinstance(raw, list) or not raw:
        raise ConfigError(path, "a guide is a list of questions (questions: - theme: ... "
                          "question: ...)")
    rows, themes = [], {}
    for i, item in enumerate(raw, start=1):
        where = f"question {i}"
        if not isinstance(item, dict):
            raise ConfigError(path, "must be a mapping with theme: and question:", item=where)
        extra = set(item) - {"theme", "question", "keywords"}
        if extra:
            raise ConfigError(path, f"unknown key(s) {sorted(map(str, extra))}", item=where)
        for key in ("theme", "question"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise ConfigError(path, f"needs a {key} (text)", item=where)
        keywords = item.get("keywords") or []
        if isinstance(keywords, str):
            keywords = [keywords]
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            raise ConfigError(path, "keywords must be a list of words", item=where)
        theme = item["theme"].strip()
        if theme in themes:
            raise ConfigError(path, f"theme {theme!r} already names question {themes[theme]}",
                              item=where)
        themes[theme] = i
        rows.append({"guide_id": i, "theme": theme, "question": item["question"].strip(),
                     "keywords": tuple(k.strip() for k in keywords if k.strip())})
    guide = pd.DataFrame(rows, columns=GUIDE_COLUMNS)
    guide.attrs = {"path": str(path), "language": language}
    return guide


def content_lemmas(text: str, language: str) -> list[str]:
    """The content lemmas of ``text`` in order: words (letters, inner hyphens; an apostrophe
    splits ``l'IA``; French inverted pronouns, ``pensez-vous``, split off) lower-cased and
    lemmatised, stopwords, numbers and one-letter words out."""
    words = _WORD.findall(str(text))
    if language == "fr":
        words = [_FR_INVERTED.sub("", w) for w in words]
    return [lemma for word in words if (lemma := _content_lemma(normalise_token(word), language))]


def match_guide(qa: pd.DataFrame, guide: pd.DataFrame, *, threshold: float = 0.2,
                language: str | None = None) -> pd.DataFrame:
    """Match each document's questions to the guide's items.

    Parameters
    ----------
    qa : the collection's Q/A pairs: ``doc_id, qa_id, question, answer`` (each
        ``Interview.qa`` with its ``doc_id``), plus ``language`` when documents differ.
    guide : from :func:`read_guide`.
    threshold : the lowest cosine similarity (0-1) that matches a question to a guide item.
    language : the documents' language when ``qa`` has no ``language`` column; default:
        detected from each document's questions and answers.

    Each question goes to the guide item it is most similar to (see the module's docstring);
    items tied on similarity go by the guide's order: the first one after the last item this
    document matched, else the first.  Several questions may match one item (a follow-up
    question stays on its theme).  Returns columns :data:`MATCH_COLUMNS`, in ``qa``'s order:
    ``similarity`` is the best item's, ``guide_id``/``theme`` are ``0``/``""`` and ``on_guide``
    False for an off-guide question.  ``attrs``: ``themes`` (``[(guide_id, theme)]``),
    ``threshold``, ``off_guide`` (``[(doc_id, qa_id)]``).
    """
    qa = _checked_qa(qa)
    langs = _doc_languages(qa, language)
    guide_lang = guide.attrs.get("language")
    doc_bags = [content_lemmas(q, langs[d]) for d, q in zip(qa["doc_id"], qa["question"])]
    guide_bags = []
    for row in guide.itertuples():
        lang = guide_lang or (next(iter(langs.values())) if langs else "en")
        bag = content_lemmas(row.question, lang)
        for keyword in row.keywords:
            bag += content_lemmas(keyword, lang)
        guide_bags.append(bag)
    vectors = _tfidf(guide_bags + doc_bags)
    sims = vectors[len(guide_bags):] @ vectors[:len(guide_bags)].T
    out = qa[["doc_id", "qa_id", "question", "answer"]].copy().reset_index(drop=True)
    ids, themes, best_sims = [], [], []
    last: dict[str, int] = {}
    guide_ids = guide["guide_id"].to_numpy()
    for i, doc_id in enumerate(out["doc_id"]):
        row = sims[i] if len(guide_ids) else np.zeros(0)
        best = float(row.max()) if row.size else 0.0
        best_sims.append(best)
        if best < threshold or best <= 0:
            ids.append(0)
            themes.append("")
            continue
        tied = np.flatnonzero(row >= best - _TIE)
        after = tied[tied > last.get(doc_id, -1)]
        pick = int(after[0] if after.size else tied[0])
        last[doc_id] = pick
        ids.append(int(guide_ids[pick]))
        themes.append(str(guide["theme"].iloc[pick]))
    out["guide_id"] = np.asarray(ids, dtype="int64")
    out["theme"] = themes
    out["similarity"] = np.round(best_sims, 12)
    out["on_guide"] = out["guide_id"] > 0
    out.attrs = {"themes": list(zip(guide["guide_id"].astype(int), guide["theme"])),
                 "threshold": threshold,
                 "off_guide": list(zip(out.loc[~out["on_guide"], "doc_id"],
                                       out.loc[~out["on_guide"], "qa_id"].astype(int)))}
    return out[MATCH_COLUMNS]


def cluster_qa(qa: pd.DataFrame, *, n_clusters: int | None = None, top_n: int = 6,
               language: str | None = None) -> pd.DataFrame:
    """Without a guide: the collection's Q/A pairs grouped into shared themes.

    Each pair (question + answer) is a tf-idf vector of its content lemmas (as in
    :func:`match_guide`); the pairs are clustered by average-linkage hierarchical clustering on
    cosine distance (UPGMA, Sokal & Michener 1958; ``scipy.cluster.hierarchy``; deterministic)
    cut into ``n_clusters`` (default: the median number of pairs per document, as if each
    respondent had answered each theme once).  A cluster's words are the ``top_n`` lemmas of
    its centroid, its theme the first three joined by `` · `` (with `` (k)`` after a name an
    earlier cluster already has).

    Returns the columns of :func:`match_guide` (``guide_id`` is the cluster, numbered 1.. in
    order of first appearance; ``similarity`` the pair's cosine to its cluster's centroid;
    a pair without a content lemma is left unclustered, ``guide_id`` 0).  ``attrs["clusters"]``:
    one dict per cluster ``guide_id, theme, pairs, documents, words`` (see
    :func:`stat_clusters`).
    """
    qa = _checked_qa(qa)
    langs = _doc_languages(qa, language)
    bags = [content_lemmas(f"{q}\n{a}", langs[d])
            for d, q, a in zip(qa["doc_id"], qa["question"], qa["answer"])]
    vectors, vocabulary = _tfidf(bags, vocabulary=True)
    out = qa[["doc_id", "qa_id", "question", "answer"]].copy().reset_index(drop=True)
    filled = np.flatnonzero(vectors.any(axis=1)) if len(vectors) else np.zeros(0, int)
    labels = np.zeros(len(out), dtype="int64")
    if n_clusters is None:
        median = float(qa.groupby("doc_id").size().median()) if len(qa) else 1.0
        n_clusters = max(round(median), 1)
    if len(filled) >= 2:
        tree = linkage(vectors[filled], method="average", metric="cosine")
        # cut_tree, not fcluster(maxclust): pairs sharing no lemma all merge at distance 1, and
        # a height threshold cannot split ties; cutting by merge order always gives k clusters
        raw = cut_tree(tree, n_clusters=min(n_clusters, len(filled)))[:, 0]
        renumber = {c: k for k, c in enumerate(dict.fromkeys(raw), start=1)}
        labels[filled] = [renumber[c] for c in raw]
    elif len(filled) == 1:
        labels[filled] = 1
    clusters, themes, sims = [], {}, np.zeros(len(out))
    for k in range(1, int(labels.max(initial=0)) + 1):
        members = np.flatnonzero(labels == k)
        centroid = vectors[members].mean(axis=0)
        order = np.lexsort((vocabulary, -centroid))
        words = [vocabulary[j] for j in order[:top_n] if centroid[j] > 0]
        themes[k] = " · ".join(words[:3])
        if themes[k] in list(themes.values())[:-1]:  # two clusters, one name: the rows of the
            themes[k] = f"{themes[k]} ({k})"         # theme x respondent table must differ
        norm = np.linalg.norm(centroid)
        sims[members] = vectors[members] @ centroid / norm if norm else 0.0
        clusters.append({"guide_id": k, "theme": themes[k], "pairs": len(members),
                         "documents": int(out.loc[members, "doc_id"].nunique()),
                         "words": ", ".join(words)})
    out["guide_id"] = labels
    out["theme"] = [themes.get(k, "") for k in labels]
    out["similarity"] = np.round(sims, 12)
    out["on_guide"] = labels > 0
    out.attrs = {"themes": [(c["guide_id"], c["theme"]) for c in clusters],
                 "clusters": clusters, "off_guide": list(zip(
                     out.loc[labels == 0, "doc_id"], out.loc[labels == 0, "qa_id"].astype(int)))}
    return out[MATCH_COLUMNS]


def stat_clusters(clustered: pd.DataFrame) -> pd.DataFrame:
    """The clusters of :func:`cluster_qa`: ``guide_id, theme, pairs, documents, words`` (the
    centroid's top lemmas, comma-separated)."""
    return pd.DataFrame(clustered.attrs.get("clusters", []),
                        columns=["guide_id", "theme", "pairs", "documents", "words"])


def stat_guide_themes(matches: pd.DataFrame, tokens: pd.DataFrame,
                      hits: pd.DataFrame | None = None, *, role: str | None = "interviewee",
                      top_concepts: int = 3) -> pd.DataFrame:
    """The theme × respondent table: what each respondent answered on each guide theme.

    Parameters
    ----------
    matches : :func:`match_guide` or :func:`cluster_qa`.
    tokens : the collection's token table (``doc_id, qa_id, role``).
    hits : its concept hits (``doc_id, qa_id, role, concept``); ``None``: no concept columns.
    role : the answers' words and hits counted (``"interviewee"``); ``None``: the whole pair.

    Returns one row per document × theme, every theme of ``matches.attrs["themes"]`` (in guide
    order) for every document (in ``matches``' order), columns :data:`THEME_COLUMNS`: ``qa_ids``
    the matched pairs (``"2, 3"``, ``""`` when the theme was not asked), ``answer`` their
    answers joined by a blank line, ``words`` their word tokens, ``hits`` their concept hits,
    ``rate_per_1000`` hits per 1,000 of those words (0 with no words), ``concepts`` the
    ``top_concepts`` most frequent concepts (``"cooperation (3), sharing (1)"``).
    """
    themes = matches.attrs.get("themes") or list(
        matches.loc[matches["on_guide"], ["guide_id", "theme"]].drop_duplicates()
        .itertuples(index=False, name=None))
    docs = list(pd.unique(matches["doc_id"]))
    on = matches.loc[matches["on_guide"]]
    words = tokens if role is None else tokens.loc[tokens["role"] == role]
    n_words = words.loc[words["qa_id"] > 0].groupby(["doc_id", "qa_id"]).size()
    coded = None
    if hits is not None:
        coded = hits if role is None else hits.loc[hits["role"] == role]
        coded = coded.loc[coded["qa_id"] > 0]
    rows = []
    for guide_id, theme in themes:
        for doc_id in docs:
            pairs = on.loc[(on["doc_id"] == doc_id) & (on["guide_id"] == guide_id)]
            qa_ids = [int(q) for q in pairs["qa_id"]]
            n = int(sum(n_words.get((doc_id, q), 0) for q in qa_ids))
            row = {"doc_id": doc_id, "guide_id": int(guide_id), "theme": theme,
                   "qa_ids": ", ".join(map(str, qa_ids)),
                   "answer": "\n\n".join(str(a) for a in pairs["answer"]), "words": n,
                   "hits": 0, "rate_per_1000": 0.0, "concepts": ""}
            if coded is not None and qa_ids:
                mine = coded.loc[(coded["doc_id"] == doc_id) & coded["qa_id"].isin(qa_ids)]
                counts = mine["concept"].astype(str).value_counts()
                counts = counts.sort_index(kind="mergesort").sort_values(
                    ascending=False, kind="mergesort")
                row["hits"] = int(counts.sum())
                row["rate_per_1000"] = 1000.0 * row["hits"] / n if n else 0.0
                row["concepts"] = ", ".join(f"{c} ({k})" for c, k in
                                            counts.head(top_concepts).items())
            rows.append(row)
    out = pd.DataFrame(rows, columns=THEME_COLUMNS)
    out.attrs = {"labels": (hits.attrs.get("labels", {}) if hits is not None else {})}
    return out


@lru_cache(maxsize=200_000)
def _content_lemma(norm: str, language: str) -> str:
    """Cached per word type: the lemma of a content word, else ``""``."""
    stop = load_lexicon(language).stopwords
    if len(norm) < 2 or norm in stop or is_number(norm):
        return ""
    lemma = lemmatize(norm, language)
    return "" if lemma in stop else lemma


def _tfidf(bags: Sequence[Sequence[str]], *, vocabulary: bool = False):
    """Rows: L2-normalised tf-idf vectors of ``bags`` (raw counts × smoothed idf)."""
    vocab = sorted({w for bag in bags for w in bag})
    index = {w: j for j, w in enumerate(vocab)}
    counts = np.zeros((len(bags), len(vocab)))
    for i, bag in enumerate(bags):
        for w in bag:
            counts[i, index[w]] += 1
    df = (counts > 0).sum(axis=0)
    idf = np.log((1 + len(bags)) / (1 + df)) + 1
    weights = counts * idf
    norms = np.linalg.norm(weights, axis=1, keepdims=True)
    weights = np.divide(weights, norms, out=np.zeros_like(weights), where=norms > 0)
    return (weights, np.array(vocab, dtype=object)) if vocabulary else weights


def _checked_qa(qa: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("doc_id", "qa_id", "question", "answer") if c not in qa.columns]
    if missing:
        raise ValueError(f"the Q/A table lacks column(s) {missing}; concatenate each "
                         "Interview.qa with its doc_id")
    return qa


def _doc_languages(qa: pd.DataFrame, language: str | None) -> dict[str, str]:
    out = {}
    for doc_id, rows in qa.groupby("doc_id", sort=False):
        if "language" in rows.columns and str(rows["language"].iloc[0]):
            out[doc_id] = str(rows["language"].iloc[0])
        elif language:
            out[doc_id] = language
        else:
            sample = " ".join(map(str, [*rows["question"], *rows["answer"]]))[:5000]
            out[doc_id] = detect_language(sample, ("fr", "en"))[0][0]
    return out
