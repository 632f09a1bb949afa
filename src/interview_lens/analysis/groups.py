"""Group comparisons across a collection: respondents grouped by a variable (sector, country ...).

The input is a collection's token table (:func:`interview_lens.language.tokens.tokens_from_many`) with the
variable columns added by :func:`interview_lens.reading.variables.with_variables`, so every token
carries its document's ``sector``, ``country``...  Three comparisons, as quanteda, IRaMuTeQ and KH
Coder offer them:

* :func:`group_keyness`: key lemmas of a target group against a reference group or all others
  (quanteda's ``textstat_keyness(dfm_group(...), target=)``); the public name is
  ``stat_keyness(tokens, by=..., target=...)`` (:func:`interview_lens.analysis.terms.stat_keyness`,
  which hands a ``target`` here);
* :func:`stat_group_rates`: concept hits per 1,000 words in each group, with exact Poisson 95 %
  confidence intervals;
* :func:`stat_class_variables`: classes (Reinert's, or any classes table) × a variable: the
  crosstab, the χ² test of independence and each cell's residuals.

By default only the interviewees' words count (``role="interviewee"``): comparing NGOs with
officials is about what they said, not about the questions put to them.  Corpus sizes are all
word tokens of the group (stopwords included), as everywhere in the project (see terms.py).
"""
from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy.stats import chi2, chi2_contingency

from interview_lens.analysis._stats import log_likelihood, log_ratio
from interview_lens.errors import InputError, InterviewWarning

Measure = Literal["chi2", "g2"]
KEYNESS_COLUMNS = ["lemma", "n_target", "n_reference", "statistic", "p", "log_ratio", "sign"]
RATE_COLUMNS = ["concept", "hits", "words", "documents", "rate_per_1000", "ci_low", "ci_high"]
CROSSTAB_COLUMNS = ["class", "n", "expected", "residual", "adjusted_residual"]


def chi_square(a, b, c, d, *, yates: bool = True) -> np.ndarray:
    """Pearson's χ² of the 2 × 2 table of a word's counts ``a``/``b`` in target/reference corpora
    of ``c``/``d`` tokens, with Yates's continuity correction by default (as quanteda's
    ``textstat_keyness(measure = "chi2")``); vectorised.

    ``N = c + d``, ``D = |a(d - b) - b(c - a)|``; ``χ² = N · max(D - N/2, 0)² / (c · d · (a + b) ·
    (N - a - b))`` (the correction never moves a cell past its expected value, as scipy's
    ``chi2_contingency``); ``yates=False`` drops the ``N/2``.  A word present in every token of
    both corpora (or in none) has χ² 0.
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    n = c + d
    diff = np.abs(a * (d - b) - b * (c - a))
    if yates:
        diff = np.maximum(diff - n / 2, 0.0)
    denominator = c * d * (a + b) * (n - a - b)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, n * diff ** 2 / denominator, 0.0)


def keyness_counts(target: pd.Series, reference: pd.Series, c: float, d: float, *,
                   measure: Measure = "chi2", min_count: int = 2) -> pd.DataFrame:
    """Keyness of every lemma from its counts in a target and a reference corpus.

    ``target``/``reference`` are lemma -> count; ``c``/``d`` the corpora's sizes in word tokens.
    Lemmas seen at least ``min_count`` times in both together are scored.  ``statistic`` is the
    Yates-corrected χ² (:func:`chi_square`) or the log-likelihood G² of Rayson & Garside (2000)
    (:func:`interview_lens.analysis.terms.log_likelihood`), ``p`` its χ² (1 df) upper tail,
    ``log_ratio`` Hardie's (2014) effect size and ``sign`` ``"+"`` when the lemma is relatively
    more frequent in the target.  Columns :data:`KEYNESS_COLUMNS`, sorted as quanteda sorts:
    by signed statistic descending (the target's key lemmas first, the reference's last), then
    lemma.  (``compare._keyness_rows`` is this with ``measure="g2"`` and other column names.)
    """
    if measure not in ("chi2", "g2"):
        raise ValueError(f"measure must be 'chi2' or 'g2', not {measure!r}")
    both = pd.concat([target.rename("a"), reference.rename("b")], axis=1).fillna(0)
    both = both.loc[(both["a"] + both["b"]) >= min_count]
    if both.empty or c <= 0 or d <= 0:
        return pd.DataFrame(columns=KEYNESS_COLUMNS)
    a, b = both["a"].to_numpy(dtype=float), both["b"].to_numpy(dtype=float)
    stat = chi_square(a, b, c, d) if measure == "chi2" else log_likelihood(a, b, c, d)
    over = a / c > b / d
    out = pd.DataFrame({
        "lemma": both.index.astype(str),
        "n_target": a.astype("int64"),
        "n_reference": b.astype("int64"),
        "statistic": stat,
        "p": chi2.sf(stat, 1),
        "log_ratio": log_ratio(a, b, c, d),
        "sign": np.where(over, "+", "-"),
    })
    signed = np.where(over, stat, -stat)
    order = np.lexsort((out["lemma"].to_numpy(), -signed))
    return out.iloc[order].reset_index(drop=True)


def group_keyness(tokens: pd.DataFrame, *, by: str, target: object,
                 reference: object | None = None, measure: Measure = "chi2",
                 role: str | None = "interviewee", min_count: int = 2,
                 top_n: int | None = None) -> pd.DataFrame:
    """Key lemmas of the documents whose ``by`` is ``target`` against a reference group.

    Parameters
    ----------
    tokens : a collection's token table with the variable column ``by``.
    by, target : the variable and the target group's value (``by="sector", target="NGO"``;
        values are compared as text, so ``2024`` and ``"2024"`` are one group).
    reference : the reference group's value; ``None``: every other document with a value of
        ``by`` (documents without one are in neither group: their group is unknown).
    measure : ``"chi2"`` (Yates-corrected, quanteda's default) or ``"g2"`` (log-likelihood).
    role : only the tokens of this role (``"interviewee"``); ``None``: every token.
    min_count : lemmas seen fewer times in both groups together are not scored.
    top_n : keep the ``top_n`` strongest lemmas of each sign (target's and reference's).

    Returns columns :data:`KEYNESS_COLUMNS` (see :func:`keyness_counts`), then
    ``docs_target, docs_reference``: how many documents of each group use the lemma (pooled
    counts let one talkative respondent make a group's keyness; read them together).
    ``attrs``: ``by,
    target, reference, measure, role, target_documents, reference_documents, language,
    message``.  An empty group gives an empty table, a ``message`` saying which group and the
    values there are, and an :class:`InterviewWarning`.  Groups whose documents are in more
    than one language raise :class:`InputError`: lemmas of different languages are not
    comparable, so compare one language at a time.
    """
    words = _words(tokens, by, role)
    # as text with <NA>: a document without a value compares <NA>, so it is in neither group
    key = words[by].astype("string")
    in_target = key == str(target)
    in_reference = (key != str(target)) if reference is None else key == str(reference)
    docs_t = list(pd.unique(words.loc[in_target.fillna(False), "doc_id"]))
    docs_r = list(pd.unique(words.loc[in_reference.fillna(False), "doc_id"]))
    attrs = {"by": by, "target": target, "reference": reference, "measure": measure,
             "role": role, "target_documents": docs_t, "reference_documents": docs_r,
             "language": None, "message": ""}
    empty = [(name, value) for name, value, docs in (("target", target, docs_t),
                                                      ("reference", reference, docs_r))
             if not docs]
    if empty:
        values = ", ".join(sorted(map(str, key.dropna().unique()))) or "none"
        name, value = empty[0]
        group = f"{by} = {value!r}" if value is not None else f"{by} other than {target!r}"
        attrs["message"] = (f"the {name} group ({group}) has no {role or ''} words; "
                            f"values of {by}: {values}").replace("  ", " ")
        warnings.warn(attrs["message"], InterviewWarning, stacklevel=2)
        out = pd.DataFrame(columns=[*KEYNESS_COLUMNS, "docs_target", "docs_reference"])
        out.attrs = attrs
        return out
    attrs["language"] = _one_language(tokens, docs_t + docs_r)
    t_words = words.loc[in_target.fillna(False)]
    r_words = words.loc[in_reference.fillna(False)]
    out = keyness_counts(_content(t_words), _content(r_words), float(len(t_words)),
                         float(len(r_words)), measure=measure, min_count=min_count)
    # pooled counts let one talkative respondent make a group's keyness: say how many of the
    # group's documents use the lemma
    for column, part in (("docs_target", t_words), ("docs_reference", r_words)):
        spread = _content_rows(part).groupby("lemma")["doc_id"].nunique()
        out[column] = out["lemma"].map(spread).fillna(0).astype("int64")
    if top_n:  # the strongest of each side, so the reference's key lemmas are not cut off
        over = out["sign"] == "+"
        out = pd.concat([out.loc[over].head(top_n), out.loc[~over].tail(top_n)])
        out = out.reset_index(drop=True)
    out.attrs = attrs
    return out


def poisson_interval(hits, *, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood 1936) confidence interval of a Poisson count: ``chi2.ppf(α/2, 2k)/2`` to
    ``chi2.ppf(1 - α/2, 2k + 2)/2``, the lower bound 0 when ``k = 0`` (Ulm 1990)."""
    k = np.asarray(hits, dtype=float)
    alpha = 1.0 - level
    low = np.where(k > 0, chi2.ppf(alpha / 2, 2 * np.maximum(k, 1)) / 2, 0.0)
    high = chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2
    return low, high


def stat_group_rates(hits: pd.DataFrame, tokens: pd.DataFrame, *, by: str,
                     role: str | None = "interviewee", concepts: Sequence[str] | None = None,
                     level: float = 0.95) -> pd.DataFrame:
    """Concept hits per 1,000 words in each group of ``by``, with a confidence interval.

    Parameters
    ----------
    hits : the concept hits of the collection (:func:`interview_lens.analysis.concepts.code_concepts`,
        ``doc_id, concept, role`` used); each document coded in its own language (concept ids
        are shared across languages, so groups may mix languages here, unlike keyness).
    tokens : the collection's token table with the variable column ``by``.
    role : count the hits and words of this role only; ``None``: all.
    concepts : the concepts, in this order; default the dictionary's order (hits' ``attrs``),
        only those with a hit.
    level : confidence level of the interval.

    Returns columns ``by``, :data:`RATE_COLUMNS`: every group × concept, zeros included, groups
    in order of first appearance.  ``rate_per_1000 = 1000 · hits / words``; ``ci_low, ci_high``
    the exact Poisson interval of the hit count (:func:`poisson_interval`) per 1,000 words.  The
    interval treats the group's words as one sample: it does not include the variation between
    respondents of a group, so read it with ``documents`` (few respondents: wider than shown).
    Documents without a value of ``by`` are left out.
    """
    words = _words(tokens, by, role)
    words = words.loc[words[by].notna()]
    group_of = words.drop_duplicates("doc_id").set_index("doc_id")[by].astype(str)
    groups = list(pd.unique(group_of))
    sizes = words.groupby(words[by].astype(str), sort=False).size()
    n_docs = group_of.groupby(group_of, sort=False).size()
    coded = hits if role is None else hits.loc[hits["role"] == role]
    coded = coded.loc[coded["doc_id"].isin(group_of.index)]
    if concepts is None:
        present = set(map(str, pd.unique(coded["concept"])))
        known = [c for c in hits.attrs.get("concepts", []) if c in present]
        concepts = known + sorted(present - set(known))
    counts = (coded.assign(_g=coded["doc_id"].map(group_of)).groupby(["_g", "concept"])
              .size())
    grid = pd.MultiIndex.from_product([groups, list(concepts)], names=[by, "concept"])
    out = counts.reindex(grid, fill_value=0).rename("hits").reset_index()
    out["words"] = out[by].map(sizes).astype("int64")
    out["documents"] = out[by].map(n_docs).astype("int64")
    low, high = poisson_interval(out["hits"].to_numpy(), level=level)
    per = 1000.0 / out["words"].to_numpy(dtype=float)
    out["hits"] = out["hits"].astype("int64")
    out["rate_per_1000"] = out["hits"] * per
    out["ci_low"] = low * per
    out["ci_high"] = high * per
    out.attrs = {"by": by, "role": role, "level": level, "interval": "exact Poisson (Garwood)",
                 "labels": hits.attrs.get("labels", {}),
                 "languages": _languages(tokens, list(group_of.index))}
    return out[[by, *RATE_COLUMNS]]


def stat_class_variables(classes: pd.DataFrame, variables: pd.DataFrame, *, by: str
                         ) -> pd.DataFrame:
    """Classes × the modalities of ``by``: counts, χ² test of independence and residuals.

    Parameters
    ----------
    classes : ``doc_id, class``, one row per classified unit (a document, or each text segment
        of a Reinert classification, which then counts segments).
    variables : ``doc_id`` + variables (:func:`interview_lens.reading.variables.read_variables`).

    Returns one row per class × modality: ``class, <by>, n, expected, residual,
    adjusted_residual``.  ``expected`` is ``row total · column total / N``, ``residual``
    Pearson's ``(n - expected) / √expected``, ``adjusted_residual`` Haberman's (1973)
    ``(n - expected) / √(expected · (1 - row/N) · (1 - column/N))``, about standard normal under
    independence (beyond ±1.96: that class over- or under-represents that modality).  ``attrs``:
    ``chi2, dof, p`` (Pearson's χ² without continuity correction), ``n``, ``missing`` (doc_ids
    of units without a value of ``by``, left out).
    """
    for table, name in ((classes, "classes"), (variables, "variables")):
        needed = ["doc_id", "class"] if name == "classes" else ["doc_id", by]
        missing = [c for c in needed if c not in table.columns]
        if missing:
            raise ValueError(f"the {name} table lacks column(s) {missing}")
    value = variables.drop_duplicates("doc_id").set_index("doc_id")[by]
    units = classes[["doc_id", "class"]].assign(_v=classes["doc_id"].map(value))
    unknown = sorted(set(units.loc[units["_v"].isna(), "doc_id"].astype(str)))
    units = units.loc[units["_v"].notna()].assign(_v=lambda t: t["_v"].astype(str))
    table = pd.crosstab(units["class"], units["_v"])
    columns = ["class", by, *CROSSTAB_COLUMNS[1:]]
    if table.shape[0] < 2 or table.shape[1] < 2:
        out = pd.DataFrame(columns=columns)
        out.attrs = {"chi2": np.nan, "dof": 0, "p": np.nan, "n": int(table.to_numpy().sum()),
                     "missing": unknown}
        return out
    observed = table.to_numpy(dtype=float)
    stat, p, dof, expected = chi2_contingency(observed, correction=False)
    n = observed.sum()
    rows = observed.sum(axis=1, keepdims=True) / n
    cols = observed.sum(axis=0, keepdims=True) / n
    residual = (observed - expected) / np.sqrt(expected)
    adjusted = (observed - expected) / np.sqrt(expected * (1 - rows) * (1 - cols))
    out = pd.DataFrame({
        "class": np.repeat(table.index.to_numpy(), table.shape[1]),
        by: np.tile(table.columns.to_numpy(dtype=object), table.shape[0]),
        "n": observed.ravel().astype("int64"),
        "expected": expected.ravel(),
        "residual": residual.ravel(),
        "adjusted_residual": adjusted.ravel(),
    })
    out.attrs = {"chi2": float(stat), "dof": int(dof), "p": float(p), "n": int(n),
                 "missing": unknown}
    return out[columns]


def _words(tokens: pd.DataFrame, by: str, role: str | None) -> pd.DataFrame:
    needed = ["doc_id", "lemma", "is_stop", by] + (["role"] if role is not None else [])
    missing = [c for c in needed if c not in tokens.columns]
    if missing:
        raise ValueError(f"token table lacks column(s) {missing}; add the variables with "
                         "reading.variables.with_variables")
    return tokens if role is None else tokens.loc[tokens["role"] == role]


def _content_rows(words: pd.DataFrame) -> pd.DataFrame:
    return words.loc[~words["is_stop"].astype(bool)]


def _content(words: pd.DataFrame) -> pd.Series:
    return _content_rows(words)["lemma"].value_counts()


def _languages(tokens: pd.DataFrame, docs: list) -> dict[str, str]:
    """``doc_id -> language`` from a ``language`` column, else the token layer's attrs."""
    if "language" in tokens.columns:
        first = tokens.drop_duplicates("doc_id").set_index("doc_id")["language"]
        return {d: str(first[d]) for d in docs if d in first.index}
    known = tokens.attrs.get("languages") or {}
    single = tokens.attrs.get("language")
    return {d: known.get(d, single or "") for d in docs}


def _one_language(tokens: pd.DataFrame, docs: list) -> str | None:
    languages = _languages(tokens, docs)
    distinct = sorted({v for v in languages.values() if v})
    if len(distinct) > 1:
        parts = "; ".join(f"{lang}: " + ", ".join(d for d, v in languages.items() if v == lang)
                          for lang in distinct)
        raise InputError(None, f"the groups mix languages ({parts}); lemmas of different "
                         "languages are not comparable: compare one language at a time "
                         "(select the tokens of one language first)")
    return distinct[0] if distinct else None
