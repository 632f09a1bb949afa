"""A theme for every question/answer pair: automatic labels, a themes file, manual overrides.

Distinctive terms
-----------------
A pair's ``theme_terms`` are its most distinctive content lemmas (``~is_stop``) against the rest
of the interview's exchange (the other Q/A pairs; narration is left out because a lede or a
caption summarises every subject at once), ranked by the log-likelihood statistic G² (Dunning
1993; Rayson & Garside 2000, "Comparing corpora using frequency profiling"):

    E1 = c (a + b) / (c + d),  E2 = d (a + b) / (c + d),  G² = 2 (a ln(a/E1) + b ln(b/E2))

with ``a``/``b`` the lemma's frequency in the pair / the rest and ``c``/``d`` their content-token
totals.  Only positively key lemmas (``a/c > b/d``) said at least twice in the pair
(``MIN_FREQ``, unweighted) are kept; ties go to the more frequent lemma, then alphabetical
order.  Multi-word terms
(``open source``) are single lemmas in the token table, so they compete on equal terms.

In press interviews the question states the subject and the answer elaborates, so the
question's tokens count twice in ``a`` and ``c`` (``QUESTION_WEIGHT``): a term that both the
journalist and the interviewee use outranks one the answer alone repeats as often.  The
reference counts are unweighted.

Automatic labels
----------------
The automatic ``theme`` names the subject with three terms, ``"Concept · communauté ·
cyberespace"``, chosen from the distinctive terms so that the label reads as a subject and is
reproducible:

1. Verbs never head a label (``lier``, ``nécessiter``, ``partager`` say what is done, not what it
   is about).  Without a POS tagger, a lemma counts as a verb when the pair's document shows it
   in a conjugated or participle form: French lemmas in ``-er/-ir/-re/-oir`` seen in a form
   other than the lemma, its plural (``-s/-x``) or, for ``-er``, its feminine ``-ère(s)``
   (``premier``/``première`` is an adjective); English lemmas seen in an ``-ing``/``-ed`` form
   (``shared`` -> ``share``).  Acronyms and proper nouns are never verbs.
2. Among the terms at least half as distinctive as the best one (``LABEL_RATIO``; smaller G²
   differences are within the noise of one pair's few hundred words), those the QUESTION also
   uses come first: press interviews state the subject in the question and elaborate in the
   answer.  Then the rest of those terms, then the other candidates, by G².

``theme_terms`` lists the label's terms first, then the next most distinctive lemmas by G²
(verbs included: they are part of what the pair says).  A themes file (YAML ``label: [keyword,
...]``, or the sidecar's ``themes:``) assigns named themes instead, and a manual CSV
``qa_id,theme`` overrides both.
"""
from __future__ import annotations

import dataclasses
import fnmatch
import re
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from interview_lens.analysis.terms import log_likelihood
from interview_lens.errors import ConfigError
from interview_lens.model import Interview
from interview_lens.reading.config import read_yaml
from interview_lens.text import normalise_token

QUESTION_WEIGHT = 2.0
#: A lemma said fewer times than this in a pair is a word choice, not a subject.
MIN_FREQ = 2
#: Number of distinctive terms that make an automatic label.
LABEL_TERMS = 3
#: Terms whose G² is at least this share of the pair's best are comparably distinctive: among
#: them, the question's terms lead the label.
LABEL_RATIO = 0.5
_FR_VERB_ENDINGS = ("er", "ir", "re", "oir")
#: Theme of a pair that no keyword of a themes file matches.
UNASSIGNED = "other"
SEPARATOR = " · "


def label_themes(interview: Interview, tokens: pd.DataFrame, *,
                 themes: str | Path | Mapping[str, list[str]] | None = None,
                 overrides: str | Path | Mapping[int, str] | None = None,
                 n_terms: int = 5) -> pd.DataFrame:
    """``interview.qa`` with a ``theme`` and the ``theme_terms`` of every pair.

    Parameters
    ----------
    interview : the segmented interview (not modified).
    tokens : its token table (``tokens_from``).
    themes : YAML file or mapping ``{label: [keyword, ...]}``; keywords are lemmas or forms,
        case-insensitive, ``*`` and ``?`` wildcards allowed (``coopér*``).  Default: the
        sidecar's ``themes:`` (``interview.meta["themes"]``), else automatic labels.  Each pair
        gets the theme whose keywords occur most often among its content tokens (question tokens
        weighted as above; ties: the theme listed first), or ``"other"`` when none occurs.
    overrides : CSV file (``qa_id,theme``) or mapping ``{qa_id: theme}``; wins over both.
    n_terms : number of distinctive lemmas in ``theme_terms``.

    Returns the columns of ``interview.qa`` plus ``theme`` (str) and ``theme_terms`` (str,
    ``"a, b, c"``: the automatic label's terms, then the pair's next most distinctive content
    lemmas by G²).
    """
    qa = interview.qa.copy()
    qa = qa.drop(columns=[c for c in ("theme", "theme_terms") if c in qa])
    ranked = label_candidates(interview, tokens)
    labels = {q: g.loc[g["label_rank"] > 0].sort_values("label_rank")["lemma"].tolist()
              for q, g in ranked.groupby("qa_id", sort=False)}
    terms = {}
    for q, g in ranked.groupby("qa_id", sort=False):
        head = labels[q]
        terms[q] = (head + [t for t in g["lemma"] if t not in head])[:n_terms]
    qa["theme_terms"] = [", ".join(terms.get(int(q), [])) for q in qa["qa_id"]]

    spec = themes if themes is not None else interview.meta.get("themes")
    if spec:
        source = themes if isinstance(themes, (str, Path)) else None
        keywords = load_themes(spec) if source is None else load_themes(Path(source))
        qa["theme"] = _assign(qa, tokens, keywords)
    else:
        qa["theme"] = [_auto_label(labels.get(int(q), [])) for q in qa["qa_id"]]
    if overrides is not None:
        manual = load_overrides(overrides, qa_ids=set(int(q) for q in qa["qa_id"]))
        qa["theme"] = [manual.get(int(q), t) for q, t in zip(qa["qa_id"], qa["theme"])]
    qa["theme"] = qa["theme"].astype("str")
    qa["theme_terms"] = qa["theme_terms"].astype("str")
    return qa[[c for c in interview.qa.columns if c not in ("theme", "theme_terms")]
              + ["theme", "theme_terms"]]


def apply_themes(interview: Interview, tokens: pd.DataFrame, themed_qa: pd.DataFrame
                 ) -> tuple[Interview, pd.DataFrame]:
    """New interview and token table carrying the themes of ``themed_qa`` (inputs unchanged).

    The interview's ``qa`` becomes ``themed_qa``; the tokens' ``theme`` is their pair's theme
    (``""`` outside pairs).
    """
    themed = dataclasses.replace(interview, qa=themed_qa.copy(), meta=dict(interview.meta))
    mapping = dict(zip(themed_qa["qa_id"].astype(int), themed_qa["theme"].astype(str)))
    out = tokens.copy()
    out["theme"] = out["qa_id"].map(mapping).fillna("").astype("str")
    return themed, out


def distinctive_terms(interview: Interview, tokens: pd.DataFrame) -> pd.DataFrame:
    """Every positively key content lemma of every Q/A pair, ranked (see the module docstring).

    Returns columns ``qa_id, lemma, a`` (weighted frequency in the pair), ``b`` (frequency in the
    other pairs), ``g2``, ``rank`` (1 = most distinctive), sorted by qa_id then rank.
    """
    content = tokens.loc[~tokens["is_stop"] & (tokens["qa_id"] > 0), ["qa_id", "turn_id", "lemma"]]
    question_turns = set(int(t) for t in interview.qa.get("question_turn", []))
    weight = np.where(content["turn_id"].isin(question_turns), QUESTION_WEIGHT, 1.0)
    content = content.assign(w=weight, one=1.0)
    total = content.groupby("lemma")["one"].sum()
    n_total = float(len(content))
    frames = []
    for qa_id in interview.qa["qa_id"].astype(int):
        inside = content[content["qa_id"] == qa_id]
        if inside.empty:
            continue
        a = inside.groupby("lemma")["w"].sum()
        raw = inside.groupby("lemma")["one"].sum()
        b = total.reindex(a.index) - raw
        c = float(inside["w"].sum())
        d = n_total - float(len(inside))
        g2 = log_likelihood(a.to_numpy(float), b.to_numpy(float), c, d)
        df = pd.DataFrame({"qa_id": qa_id, "lemma": a.index.astype(str), "a": a.to_numpy(),
                           "b": b.to_numpy(), "g2": g2})
        keep = (raw.to_numpy() >= MIN_FREQ) & (df["a"] / c > (df["b"] / d if d > 0 else 0))
        df = df[keep].sort_values(["g2", "a", "lemma"], ascending=[False, False, True],
                                  kind="stable")
        df["rank"] = np.arange(1, len(df) + 1)
        frames.append(df)
    if not frames:
        return pd.DataFrame({"qa_id": pd.Series(dtype="int64"), "lemma": pd.Series(dtype="str"),
                             "a": pd.Series(dtype=float), "b": pd.Series(dtype=float),
                             "g2": pd.Series(dtype=float), "rank": pd.Series(dtype="int64")})
    return pd.concat(frames, ignore_index=True)


def label_candidates(interview: Interview, tokens: pd.DataFrame) -> pd.DataFrame:
    """The distinctive terms of every pair with what the automatic label needs to know.

    Returns the columns of :func:`distinctive_terms` plus ``is_verb`` (bool: seen as a verb form,
    see the module docstring), ``in_question`` (bool: a content lemma of the pair's question) and
    ``label_rank`` (1..3 for the label's terms in label order, 0 for the others), sorted like
    :func:`distinctive_terms`.
    """
    ranked = distinctive_terms(interview, tokens)
    language = str(tokens.attrs.get("language") or interview.language or "")
    verbs = verb_lemmas(tokens, language=language)
    question_turns = set(int(t) for t in interview.qa.get("question_turn", []))
    asked = tokens.loc[~tokens["is_stop"] & tokens["turn_id"].isin(question_turns),
                       ["qa_id", "lemma"]].drop_duplicates()
    asked_keys = set(zip(asked["qa_id"].astype(int), asked["lemma"].astype(str)))
    ranked["is_verb"] = ranked["lemma"].isin(verbs)
    ranked["in_question"] = [(int(q), str(t)) in asked_keys
                             for q, t in zip(ranked["qa_id"], ranked["lemma"])]
    ranked["label_rank"] = 0
    for _, g in ranked.groupby("qa_id", sort=False):
        nouns = g.loc[~g["is_verb"]]
        if nouns.empty:
            continue
        strong = nouns["g2"] >= LABEL_RATIO * float(nouns["g2"].iloc[0])
        # stable sorts keep the G² order inside each group
        order = pd.concat([nouns[strong & nouns["in_question"]],
                           nouns[strong & ~nouns["in_question"]], nouns[~strong]])
        chosen = order.index[:LABEL_TERMS]
        ranked.loc[chosen, "label_rank"] = np.arange(1, len(chosen) + 1)
    return ranked


def verb_lemmas(tokens: pd.DataFrame, *, language: str) -> set[str]:
    """Content lemmas that the token table shows in a verb form (see the module docstring).

    Decided once per distinct (norm, lemma) pair: French lemmas ending in ``-er/-ir/-re/-oir``
    with a form other than the lemma, its plural or an ``-ère(s)`` feminine; English lemmas with
    an ``-ing``/``-ed`` form.  Other languages: none.
    """
    pairs = tokens.loc[~tokens["is_stop"], ["norm", "lemma"]].drop_duplicates()
    verbs: set[str] = set()
    for norm, lemma in zip(pairs["norm"].astype(str), pairs["lemma"].astype(str)):
        if lemma != lemma.lower() or " " in lemma or norm == lemma:
            continue  # acronyms, proper nouns, multi-word terms; a form equal to its lemma
        if language == "fr":
            if not lemma.endswith(_FR_VERB_ENDINGS) or norm in (lemma + "s", lemma + "x"):
                continue
            if lemma.endswith("er") and norm in (lemma[:-2] + "ère", lemma[:-2] + "ères"):
                continue  # premier/première, entier/entière: adjectives
            verbs.add(lemma)
        elif language == "en" and norm.endswith(("ing", "ed")):
            verbs.add(lemma)
    return verbs


def _auto_label(terms: list[str]) -> str:
    if not terms:
        return UNASSIGNED
    top = terms[:LABEL_TERMS]
    first = top[0] if top[0].isupper() else top[0][:1].upper() + top[0][1:]
    return SEPARATOR.join([first] + top[1:])


# --- themes file and overrides ----------------------------------------------------------------

def load_themes(spec: str | Path | Mapping[str, list[str]]) -> dict[str, list[str]]:
    """A themes file (YAML mapping ``label: [keyword, ...]``) or mapping, checked.

    Raises :class:`ConfigError` naming the file and the problem: unreadable YAML, not a mapping,
    a label without keywords, a keyword that is not a word.
    """
    path: Path | None = None
    if isinstance(spec, (str, Path)):
        path = Path(spec)
        data = read_yaml(path, what="themes file")
        if isinstance(data, dict) and set(data) == {"themes"}:
            data = data["themes"]
    else:
        data = spec
    if not isinstance(data, Mapping) or not data:
        raise ConfigError(path, "themes must be a non-empty mapping 'label: [keyword, ...]'")
    out: dict[str, list[str]] = {}
    for label, words in data.items():
        if isinstance(words, str):
            words = [words]
        if not isinstance(words, (list, tuple)) or not words:
            raise ConfigError(path, "empty keyword list", item=str(label))
        clean = []
        for w in words:
            if not isinstance(w, (str, int)) or not str(w).strip():
                raise ConfigError(path, f"keyword {w!r} is not a word", item=str(label))
            clean.append(str(w).strip())
        out[str(label)] = clean
    return out


def load_overrides(spec: str | Path | Mapping[int, str], *, qa_ids: set[int]) -> dict[int, str]:
    """Manual themes: CSV ``qa_id,theme`` or mapping; every qa_id must exist."""
    path: Path | None = None
    if isinstance(spec, (str, Path)):
        path = Path(spec)
        try:
            df = pd.read_csv(path, dtype=str, keep_default_na=False)
        except FileNotFoundError:
            raise ConfigError(path, "overrides file not found") from None
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise ConfigError(path, f"not a CSV file: {exc}") from None
        if not {"qa_id", "theme"} <= set(df.columns):
            raise ConfigError(path, "overrides need the columns qa_id,theme")
        items = list(zip(df["qa_id"], df["theme"]))
    else:
        items = list(spec.items())
    out: dict[int, str] = {}
    for qa_id, theme in items:
        try:
            key = int(str(qa_id).strip())
        except ValueError:
            raise ConfigError(path, f"qa_id {qa_id!r} is not a number") from None
        if key not in qa_ids:
            raise ConfigError(path, f"unknown qa_id {key} (pairs: {min(qa_ids, default=0)}.."
                                    f"{max(qa_ids, default=0)})")
        if not str(theme).strip():
            raise ConfigError(path, f"empty theme for qa_id {key}")
        out[key] = str(theme).strip()
    return out


def _assign(qa: pd.DataFrame, tokens: pd.DataFrame, keywords: dict[str, list[str]]) -> list[str]:
    content = tokens.loc[~tokens["is_stop"] & (tokens["qa_id"] > 0),
                         ["qa_id", "turn_id", "lemma", "norm"]]
    question_turns = set(int(t) for t in qa["question_turn"]) if "question_turn" in qa else set()
    weight = np.where(content["turn_id"].isin(question_turns), QUESTION_WEIGHT, 1.0)
    lemma = content["lemma"].str.lower().to_numpy(dtype=object)
    norm = content["norm"].to_numpy(dtype=object)
    scores = {}
    for label, words in keywords.items():
        pattern = re.compile("|".join(fnmatch.translate(normalise_token(w)) for w in words))
        # matched per distinct lemma/norm, not per token
        hit_l = pd.Series(lemma).map(_matcher(pattern)).to_numpy(bool)
        hit_n = pd.Series(norm).map(_matcher(pattern)).to_numpy(bool)
        scores[label] = pd.Series(weight * (hit_l | hit_n),
                                  index=content["qa_id"].to_numpy()).groupby(level=0).sum()
    labels = list(keywords)
    out = []
    for q in qa["qa_id"].astype(int):
        best, best_score = UNASSIGNED, 0.0
        for label in labels:  # file order breaks ties
            s = float(scores[label].get(q, 0.0))
            if s > best_score:
                best, best_score = label, s
        out.append(best)
    return out


def _matcher(pattern: re.Pattern[str]):
    cache: dict[str, bool] = {}

    def match(value: str) -> bool:
        hit = cache.get(value)
        if hit is None:
            hit = cache[value] = bool(pattern.match(value))
        return hit

    return match
