"""Term tables: frequencies, n-grams, keyness and the lexical profile of each Q/A pair.

Every function takes the token table of :func:`interview_lens.language.tokens.tokens_from` (one row per
word token; punctuation is not a token) and returns a new tidy DataFrame; inputs are never
changed.  Terms are counted as *lemmas*; "content words" are the rows with ``is_stop == False``
(stopwords, fillers, speaker names/labels and numbers are already flagged by the token layer).

Conventions shared by the functions below, chosen to match what Voyant and AntConc report:

* **Corpus size** (the denominator of rates and of keyness) is the number of *all* word tokens,
  stopwords included, never the number of content tokens.
* **Groups** (``by=``) are the Q/A pair's ``theme``, the turn's ``role`` or ``speaker``, or the
  ``qa_id``.  Tokens outside any group (``""`` theme/role/speaker, ``qa_id == 0``: the lede, a
  caption) belong to no group; they still count in the reference corpus of :func:`stat_keyness`.
  Groups are listed in the order in which they first appear in the document.
"""
from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from nltk.collocations import (
    BigramAssocMeasures,
    BigramCollocationFinder,
    TrigramAssocMeasures,
    TrigramCollocationFinder,
)
from scipy.stats import chi2

from interview_lens.analysis._stats import ZERO_CORRECTION, log_likelihood, log_ratio
from interview_lens.errors import InputError

__all__ = ["ZERO_CORRECTION", "log_likelihood", "log_ratio", "stat_frequency", "stat_keyness",
           "stat_lexical_profile", "stat_ngrams"]

GroupBy = Literal["theme", "role", "speaker", "qa_id"]
_GROUPS = ("theme", "role", "speaker", "qa_id")
_NEEDED = ("doc_id", "qa_id", "sentence_id", "position", "lemma", "is_stop")



def _check(tokens: pd.DataFrame, extra: tuple[str, ...] = ()) -> None:
    missing = [c for c in (*_NEEDED, *extra) if c not in tokens.columns]
    if missing:
        raise ValueError(f"token table lacks column(s) {missing}; build it with tokens.tokens_from")


def _doc_label(tokens: pd.DataFrame) -> str | None:
    ids = tokens["doc_id"].unique() if len(tokens) else []
    return ", ".join(map(str, ids)) or None


def _grouped(tokens: pd.DataFrame, by: str) -> pd.DataFrame:
    """Tokens that belong to a group of ``by`` (empty labels and ``qa_id == 0`` dropped).

    A document without any group (no Q/A pair, no turn) gives no rows: narration has no theme.
    Only Q/A pairs left without a theme are an error, the token table of a caller that forgot
    :func:`interview_lens.analysis.themes.label_themes`.
    """
    if by not in _GROUPS:
        raise ValueError(f"by must be one of {_GROUPS}, not {by!r}")
    _check(tokens, (by,))
    col = tokens[by]
    inside = col > 0 if by == "qa_id" else col.astype(str).str.len() > 0
    if by == "theme" and not inside.any() and (tokens["qa_id"] > 0).any():
        raise InputError(_doc_label(tokens), "no token has a theme; run themes.label_themes first")
    return tokens.loc[inside]


def _group_order(values: pd.Series) -> list:
    """Group labels in order of first appearance (the token table is in document order)."""
    return list(pd.unique(values))


def _n_qa(content: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Number of distinct Q/A pairs (per document) in which each key occurs."""
    in_qa = content.loc[content["qa_id"] > 0, [*keys, "doc_id", "qa_id"]].drop_duplicates()
    return in_qa.groupby(keys, sort=False).size()


def stat_frequency(
    tokens: pd.DataFrame,
    *,
    by: GroupBy | None = None,
    min_count: int = 1,
    top_n: int | None = None,
    content_only: bool = True,
) -> pd.DataFrame:
    """Lemma frequencies, overall or per group.

    Parameters
    ----------
    tokens : the token table.
    by : ``None`` (whole document) or ``"theme"``, ``"role"``, ``"speaker"``, ``"qa_id"``.
    min_count : keep lemmas occurring at least this often (in their group).
    top_n : keep the ``top_n`` most frequent lemmas per group (ties broken alphabetically).
    content_only : count content words only (``is_stop == False``), the default.

    Returns
    -------
    DataFrame with columns ``[by,] lemma, count, rate_per_1000, n_qa``:

    * ``rate_per_1000``: ``count`` per 1,000 word tokens of the group.  The denominator counts
      **all** word tokens of the group, stopwords included (as Voyant and AntConc do), so rates
      do not depend on the stopword list.
    * ``n_qa``: number of Q/A pairs in which the lemma occurs (its range, or dispersion).

    Sorted by group (order of appearance), ``count`` descending, then ``lemma``.
    ``attrs["content_only"]`` records the option, for the figure titles.
    """
    _check(tokens)
    keys = [by] if by else []
    frame = _grouped(tokens, by) if by else tokens
    columns = [*keys, "lemma", "count", "rate_per_1000", "n_qa"]
    if frame.empty:
        empty = pd.DataFrame(columns=columns)
        empty.attrs["content_only"] = content_only
        return empty
    words = frame if not content_only else frame.loc[~frame["is_stop"].astype(bool)]
    counts = words.groupby([*keys, "lemma"], sort=False).size().rename("count")
    out = counts.reset_index()
    n_qa = _n_qa(words, [*keys, "lemma"]).rename("n_qa").reset_index()
    out = out.merge(n_qa, on=[*keys, "lemma"], how="left")
    out["n_qa"] = out["n_qa"].fillna(0).astype("int64")
    if by:
        sizes = frame.groupby(by, sort=False).size()
        out["rate_per_1000"] = out["count"] / out[by].map(sizes).to_numpy() * 1000.0
    else:
        out["rate_per_1000"] = out["count"] / len(frame) * 1000.0
    out = out.loc[out["count"] >= min_count]
    out = _sort_groups(out, by, frame, ["count", "lemma"], [False, True])
    if top_n is not None:
        out = out.groupby(by, sort=False).head(top_n) if by else out.head(top_n)
    out = out[columns].reset_index(drop=True)
    out.attrs["content_only"] = content_only  # lets plot titles say whether stopwords are out
    return out


def _sort_groups(out: pd.DataFrame, by: str | None, frame: pd.DataFrame,
                 cols: list[str], ascending: list[bool]) -> pd.DataFrame:
    """Sort by group (order of first appearance) and then by ``cols``."""
    if not by:
        return out.sort_values(cols, ascending=ascending, kind="mergesort")
    rank = {g: i for i, g in enumerate(_group_order(frame[by]))}
    out = out.assign(_rank=out[by].map(rank))
    return out.sort_values(["_rank", *cols], ascending=[True, *ascending],
                           kind="mergesort").drop(columns="_rank")


def _sentences(tokens: pd.DataFrame) -> list[list[str]]:
    """Content lemmas of each sentence, in document order."""
    content = tokens.loc[~tokens["is_stop"].astype(bool)].sort_values(
        ["doc_id", "position"], kind="mergesort")
    return [list(g) for _, g in content.groupby(["doc_id", "sentence_id"], sort=False)["lemma"]]


def stat_ngrams(
    tokens: pd.DataFrame,
    *,
    n: Literal[2, 3] = 2,
    min_count: int = 2,
    top_n: int | None = None,
) -> pd.DataFrame:
    """Recurrent bigrams or trigrams of content lemmas, with their association scores.

    N-grams are built on the sequence of *content* lemmas within each sentence: stopwords in
    between are skipped (so ``gouvernance du cyberespace`` gives the bigram ``gouvernance
    cyberespace``), and an n-gram never crosses a sentence boundary.  Multi-word terms from the
    token layer (``open source``) are one lemma, hence one slot of an n-gram.

    Scores are nltk's: ``nltk.collocations`` finders built with ``from_documents`` over the
    per-sentence lemma lists (sentence ends are padded, so no n-gram spans two sentences), then
    ``likelihood_ratio`` (Dunning's log-likelihood, ``llr``) and ``pmi`` (pointwise mutual
    information, log base 2) of ``BigramAssocMeasures`` / ``TrigramAssocMeasures``.  The corpus
    size N in those scores is the number of content lemmas.

    Returns
    -------
    DataFrame with columns ``ngram`` (lemmas joined by spaces), ``w1, w2`` (``, w3``), ``count``,
    ``llr``, ``pmi``; n-grams seen at least ``min_count`` times, sorted by ``count`` descending,
    then ``llr`` descending, then ``ngram``; the first ``top_n`` rows when given.
    """
    if n not in (2, 3):
        raise ValueError(f"n must be 2 or 3, not {n!r}")
    _check(tokens)
    words = [f"w{i}" for i in range(1, n + 1)]
    columns = ["ngram", *words, "count", "llr", "pmi"]
    finder_cls, measures = ((BigramCollocationFinder, BigramAssocMeasures) if n == 2
                            else (TrigramCollocationFinder, TrigramAssocMeasures))
    finder = finder_cls.from_documents(_sentences(tokens))
    finder.apply_freq_filter(min_count)
    if not finder.ngram_fd:
        return pd.DataFrame(columns=columns)
    llr = dict(finder.score_ngrams(measures.likelihood_ratio))
    pmi = dict(finder.score_ngrams(measures.pmi))
    grams = list(finder.ngram_fd)
    out = pd.DataFrame(grams, columns=words)
    out.insert(0, "ngram", [" ".join(g) for g in grams])
    out["count"] = np.array([finder.ngram_fd[g] for g in grams], dtype="int64")
    out["llr"] = [float(llr[g]) for g in grams]
    out["pmi"] = [float(pmi[g]) for g in grams]
    out = out.sort_values(["count", "llr", "ngram"], ascending=[False, False, True],
                          kind="mergesort")
    if top_n is not None:
        out = out.head(top_n)
    return out[columns].reset_index(drop=True)


def stat_keyness(
    tokens: pd.DataFrame,
    *,
    by: str = "theme",
    target: object | None = None,
    reference: object | None = None,
    measure: Literal["chi2", "g2"] | None = None,
    role: str | None = "interviewee",
    min_count: int = 2,
    top_n: int | None = None,
) -> pd.DataFrame:
    """Key lemmas of each group against the rest of the document, or of a target group of
    documents against a reference group (``target=``).

    **A target group** (``target`` given): ``tokens`` is a collection's token table with the
    variable column ``by`` (``stat_keyness(tokens, by="sector", target="NGO",
    reference="government")``); ``reference=None`` compares with every other document that has a
    value of ``by``.  ``measure`` is ``"chi2"`` (Yates-corrected, quanteda's default, the
    default here) or ``"g2"``; only the words of ``role`` count (``None``: every token).
    Returns the columns, sort and ``attrs`` of
    :func:`interview_lens.analysis.groups.group_keyness` (``lemma, n_target, n_reference,
    statistic, p, log_ratio, sign, docs_target, docs_reference``); an empty group gives an
    empty table with ``attrs["message"]``, groups of mixed languages raise :class:`InputError`.

    **Each group of one document** (no ``target``; ``role`` and ``reference`` do not apply and
    ``measure`` must be ``None`` or ``"g2"``): the log-likelihood keyness described below.

    For every group (theme, role, speaker or Q/A pair) the *target* corpus is the group's tokens
    and the *reference* corpus is every other token of the document (other groups and text
    outside any group, such as the lede).  With ``a``/``b`` the lemma's counts in target and
    reference and ``c``/``d`` the sizes of target and reference in word tokens (all word tokens,
    stopwords included, as for :func:`stat_frequency`):

    * ``g2``: log-likelihood G² (Rayson & Garside 2000), see :func:`log_likelihood`;
    * ``p_value``: upper tail of the chi-square distribution with 1 degree of freedom at ``g2``
      (3.84 ~ p 0.05, 6.63 ~ p 0.01, 10.83 ~ p 0.001);
    * ``log_ratio``: effect size of Hardie (2014), ``log2((a/c)/(b/d))``, each zero frequency
      replaced by 0.5 so absent terms get a finite value; +1 means twice as frequent in the target;
    * ``direction``: ``"+"`` when the lemma is relatively more frequent in the target (overused),
      ``"-"`` otherwise (underused).

    Only content lemmas are scored, those occurring at least ``min_count`` times in the whole
    document (target + reference), so a lemma absent from a group can be negatively key there.

    Returns
    -------
    DataFrame with columns ``by``-column, ``lemma, count_target, count_reference, g2, p_value,
    log_ratio, direction``; sorted by group (order of appearance), ``g2`` descending, then
    ``lemma``; ``top_n`` rows per group when given.  Groups whose reference corpus is empty (a
    document with one group only and nothing outside it) have no rows.
    """
    if target is not None:
        from interview_lens.analysis.groups import group_keyness

        return group_keyness(tokens, by=by, target=target, reference=reference,
                             measure=measure or "chi2", role=role, min_count=min_count,
                             top_n=top_n)
    if reference is not None or measure not in (None, "g2"):
        raise ValueError("reference= and measure='chi2' compare a target group: pass target=")
    inside = _grouped(tokens, by)
    columns = [by, "lemma", "count_target", "count_reference", "g2", "p_value", "log_ratio",
               "direction"]
    if inside.empty:
        return pd.DataFrame(columns=columns)
    groups = _group_order(inside[by])
    content = tokens.loc[~tokens["is_stop"].astype(bool)]
    totals = content["lemma"].value_counts()
    lemmas = np.array(sorted(totals.index[totals >= min_count]), dtype=object)
    if len(lemmas) == 0:
        return pd.DataFrame(columns=columns)
    # lemma x group table of target counts: one vectorised computation for every cell.
    in_groups = inside.loc[~inside["is_stop"].astype(bool)]
    table = (pd.crosstab(in_groups["lemma"], in_groups[by])
             .reindex(index=lemmas, columns=groups, fill_value=0).to_numpy(dtype=float))
    sizes = inside.groupby(by, sort=False).size().reindex(groups).to_numpy(dtype=float)
    n_all = float(len(tokens))
    total = totals.reindex(lemmas).to_numpy(dtype=float)[:, None]
    a, c = table, np.broadcast_to(sizes, table.shape)
    b, d = total - a, n_all - c
    g2 = log_likelihood(a, b, c, d)
    lr = log_ratio(a, b, c, d)
    with np.errstate(divide="ignore", invalid="ignore"):
        over = (a / c) > (b / d)
    out = pd.DataFrame({
        by: np.repeat(np.array(groups, dtype=object), len(lemmas)),
        "lemma": np.tile(lemmas, len(groups)),
        "count_target": a.T.ravel().astype("int64"),
        "count_reference": b.T.ravel().astype("int64"),
        "g2": g2.T.ravel(),
        "p_value": chi2.sf(g2.T.ravel(), 1),
        "log_ratio": lr.T.ravel(),
        "direction": np.where(over.T.ravel(), "+", "-"),
        "_ok": np.repeat(d[0] > 0, len(lemmas)),
    })
    out = out.loc[out.pop("_ok")]
    if by == "qa_id":
        out[by] = out[by].astype("int64")
    else:
        out[by] = out[by].astype(str)
    out["lemma"] = out["lemma"].astype(str)
    out["direction"] = out["direction"].astype(str)
    out = _sort_groups(out, by, inside, ["g2", "lemma"], [False, True])
    if top_n is not None:
        out = out.groupby(by, sort=False).head(top_n)
    return out[columns].reset_index(drop=True)


def stat_lexical_profile(tokens: pd.DataFrame) -> pd.DataFrame:
    """Size and lexical variety of each Q/A pair.

    Returns
    -------
    DataFrame, one row per Q/A pair (``qa_id >= 1``), with columns:

    * ``qa_id``, ``theme`` (``""`` before themes are labelled);
    * ``tokens``: word tokens of the pair (question and answer, stopwords included);
    * ``content_tokens``: its content words (``is_stop == False``);
    * ``types``: distinct content lemmas;
    * ``ttr``: type/token ratio of content words, ``types / content_tokens`` (0 when the pair has
      no content word).  TTR falls as texts grow, so compare pairs of similar length only;
    * ``share``: ``tokens`` / all word tokens inside Q/A pairs (the lede and captions excluded),
      so the shares of the pairs add up to 1;
    * ``question_tokens`` / ``answer_tokens``: word tokens spoken by the interviewer / the
      interviewee(s).
    """
    _check(tokens, ("role",))
    columns = ["qa_id", "theme", "tokens", "content_tokens", "types", "ttr", "share",
               "question_tokens", "answer_tokens"]
    qa = tokens.loc[tokens["qa_id"] > 0]
    if qa.empty:
        return pd.DataFrame(columns=columns)
    theme = qa["theme"] if "theme" in qa.columns else pd.Series("", index=qa.index)
    content = ~qa["is_stop"].astype(bool)
    frame = pd.DataFrame({
        "qa_id": qa["qa_id"].astype("int64"),
        "theme": theme.astype(str),
        "content": content,
        "content_lemma": qa["lemma"].where(content),
        "question": qa["role"] == "interviewer",
        "answer": qa["role"] == "interviewee",
    })
    grouped = frame.groupby("qa_id", sort=True)
    out = pd.DataFrame({
        "theme": grouped["theme"].first(),
        "tokens": grouped.size(),
        "content_tokens": grouped["content"].sum(),
        "types": grouped["content_lemma"].nunique(),
        "question_tokens": grouped["question"].sum(),
        "answer_tokens": grouped["answer"].sum(),
    }).reset_index()
    for col in ("tokens", "content_tokens", "types", "question_tokens", "answer_tokens"):
        out[col] = out[col].astype("int64")
    out["ttr"] = np.where(out["content_tokens"] > 0,
                          out["types"] / out["content_tokens"].where(out["content_tokens"] > 0, 1),
                          0.0)
    out["share"] = out["tokens"] / out["tokens"].sum()
    return out[columns]
