"""What makes each Reinert class: its terms, its representative segments, where it is spoken.

The term profile is IRaMuTeQ's (Ratinaud, IRaMuTeQ's ``chdtxt``/"profils"): for each class and
term, the 2 x 2 table of the classified segments (in the class or not x holding the term or not),
its χ² without continuity correction and p (1 degree of freedom); the χ² is given the sign +
when the term is over-represented in the class (observed above expected), - otherwise.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy.stats import chi2 as chi2_dist

from interview_lens.analysis.classes import class_matrix
from interview_lens.errors import InputError

PROFILE_COLUMNS = ["class", "term", "n_class", "n_total", "pct", "chi2", "p"]


def _signed_chi2(a: np.ndarray, row: np.ndarray, col: np.ndarray, n: float) -> np.ndarray:
    """Signed χ² of 2 x 2 tables given the cell ``a``, its row and column totals and ``n``."""
    b, c = row - a, col - a
    d = n - a - b - c
    den = row * (n - row) * col * (n - col)
    with np.errstate(divide="ignore", invalid="ignore"):
        chi = np.where(den > 0, n * (a * d - b * c) ** 2 / den, 0.0)
    return np.where(a * n >= row * col, chi, -chi)


def _classified(classes: pd.DataFrame) -> np.ndarray:
    if "class" not in classes.columns:
        raise InputError(None, "the classes table lacks its 'class' column (see stat_classes)")
    return classes["class"].to_numpy() >= 1


def stat_class_profiles(classes: pd.DataFrame, x: pd.DataFrame) -> pd.DataFrame:
    """Per class and term, as IRaMuTeQ reports them: how many segments, what share, signed χ².

    Parameters
    ----------
    classes : the result of ``stat_classes``.
    x : what ``stat_classes`` was given (the token table or the segments x terms table).

    Returns one row per class and term present in the classified segments: ``class, term``,
    ``n_class`` (segments of the class holding the term), ``n_total`` (classified segments holding
    it), ``pct`` (100 n_class / n_total), ``chi2`` (signed, see the module), ``p``; sorted by
    class, then χ² from highest.
    """
    m, terms = class_matrix(classes, x)
    ok = _classified(classes)
    m = m[ok]
    cls = classes["class"].to_numpy()[ok]
    n = float(ok.sum())
    labels = np.unique(cls)
    col = np.asarray(m.sum(axis=0)).ravel().astype(float)
    present = col > 0
    frames = []
    for c in labels:
        inside = cls == c
        a = np.asarray(m[inside].sum(axis=0)).ravel().astype(float)
        chi = _signed_chi2(a, np.full_like(a, inside.sum()), col, n)
        frames.append(pd.DataFrame({
            "class": int(c), "term": np.array(terms, dtype=object)[present],
            "n_class": a[present].astype(int), "n_total": col[present].astype(int),
            "pct": 100 * a[present] / col[present], "chi2": chi[present],
            "p": chi2_dist.sf(np.abs(chi[present]), 1)}))
    if not frames:
        return pd.DataFrame(columns=PROFILE_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    out = out.sort_values(["class", "chi2", "term"], ascending=[True, False, True],
                          kind="stable").reset_index(drop=True)
    out.attrs.update({k: v for k, v in classes.attrs.items() if k in ("doc_id", "n_classes")})
    return out


def top_terms(profiles: pd.DataFrame, *, n: int = 10, p_max: float = 0.05) -> dict[int, list]:
    """The ``n`` terms of each class with the highest positive χ² and ``p <= p_max``."""
    keep = profiles[(profiles["chi2"] > 0) & (profiles["p"] <= p_max)]
    return {int(c): list(g["term"].head(n)) for c, g in keep.groupby("class", sort=True)}


def stat_class_segments(classes: pd.DataFrame, x: pd.DataFrame, *, n: int = 5,
                        p_max: float = 0.05) -> pd.DataFrame:
    """The segments that best represent each class, with the words that make them so.

    A segment's score is the sum of the χ² of the terms it holds that characterise its class
    (positive χ², ``p <= p_max``), IRaMuTeQ's "segments de texte caractéristiques".

    Returns ``class, rank`` (1..n), ``segment_id, score, words`` (those terms, highest χ² first,
    joined by ", ") and, when ``classes`` has them, ``doc_id, qa_id, speaker, text``.
    """
    profiles = stat_class_profiles(classes, x)
    m, terms = class_matrix(classes, x)
    index = {t: j for j, t in enumerate(terms)}
    cls = classes["class"].to_numpy()
    extra = [c for c in ("doc_id", "qa_id", "speaker", "text") if c in classes.columns]
    rows = []
    for c, prof in profiles[(profiles["chi2"] > 0) & (profiles["p"] <= p_max)].groupby("class"):
        weights = np.zeros(len(terms))
        weights[[index[t] for t in prof["term"]]] = prof["chi2"].to_numpy()
        members = np.flatnonzero(cls == c)
        sub = m[members]
        score = sub @ weights
        order = np.lexsort((members, -score))[:n]
        for rank, i in enumerate(order, start=1):
            if score[i] <= 0:
                break
            held = sub.indices[sub.indptr[i]:sub.indptr[i + 1]]
            held = held[weights[held] > 0]
            held = held[np.argsort(-weights[held], kind="stable")]
            seg = classes.iloc[members[i]]
            rows.append({"class": int(c), "rank": rank, "segment_id": seg["segment_id"],
                         "score": float(score[i]), "words": ", ".join(terms[j] for j in held),
                         **{k: seg[k] for k in extra}})
    return pd.DataFrame(rows, columns=["class", "rank", "segment_id", "score", "words", *extra])


def stat_class_crosstab(classes: pd.DataFrame, by: str, *,
                        labels: Mapping | pd.Series | None = None) -> pd.DataFrame:
    """Classes x the values of a column (``qa_id``, ``speaker``, ``doc_id``...), with χ².

    Parameters
    ----------
    classes : the result of ``stat_classes``.
    by : a column of ``classes``.
    labels : maps that column's values to others first (``qa_id -> theme``, ``doc_id ->`` a
        document variable such as the year); a value it does not name keeps its own.

    Returns one row per class and value: ``class``, ``by`` (named after it), ``n`` (segments),
    ``expected`` (under independence), ``residual`` (Pearson's (n - e)/√e), ``chi2`` (signed,
    the class vs the rest x this value vs the rest, as IRaMuTeQ's tables of variables), ``p``.
    ``.attrs``: ``chi2``, ``dof``, ``p`` of the whole table.
    """
    if by not in classes.columns:
        raise InputError(None, f"the classes table has no column {by!r}")
    ok = _classified(classes)
    values = classes.loc[ok, by]
    if labels is not None:
        mapping = dict(labels.items()) if isinstance(labels, (pd.Series, Mapping)) else {}
        values = values.map(lambda v: mapping.get(v, v))
    table = pd.crosstab(classes.loc[ok, "class"], values)
    obs = table.to_numpy(dtype=float)
    n = obs.sum()
    row, col = obs.sum(axis=1, keepdims=True), obs.sum(axis=0, keepdims=True)
    exp = row @ col / n if n else obs
    with np.errstate(divide="ignore", invalid="ignore"):
        resid = np.where(exp > 0, (obs - exp) / np.sqrt(exp), 0.0)
    signed = _signed_chi2(obs, np.broadcast_to(row, obs.shape), np.broadcast_to(col, obs.shape),
                          n)
    long = pd.DataFrame({
        "class": np.repeat(table.index.to_numpy(), obs.shape[1]).astype(int),
        by: np.tile(table.columns.to_numpy(), obs.shape[0]),
        "n": obs.ravel().astype(int), "expected": exp.ravel(), "residual": resid.ravel(),
        "chi2": signed.ravel(), "p": chi2_dist.sf(np.abs(signed.ravel()), 1)})
    total = float((resid ** 2).sum())
    dof = max((obs.shape[0] - 1) * (obs.shape[1] - 1), 0)
    long.attrs.update({"chi2": total, "dof": dof,
                       "p": float(chi2_dist.sf(total, dof)) if dof else float("nan")})
    return long


def class_term_table(profiles: pd.DataFrame, *, min_segments: int = 3) -> pd.DataFrame:
    """The terms x classes table of segment counts that ``stat_ca`` takes (IRaMuTeQ's CA after
    the classification): one row per term held by at least ``min_segments`` classified
    segments (index ``term``), one column per class (``n_class``)."""
    table = profiles.pivot(index="term", columns="class", values="n_class").fillna(0)
    table = table.astype(int)
    table = table[table.sum(axis=1) >= min_segments].sort_index()
    table.columns.name = "class"
    return table
