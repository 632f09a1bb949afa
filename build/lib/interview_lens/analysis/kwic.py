"""Keyword in context: every hit of a concept or a term, with the real text on either side.

The context comes from the interview text itself through the hits' character offsets (never from
re-joined tokens), so punctuation, capitals and typographic quotes are as the reader will quote
them; only runs of whitespace (line breaks between paragraphs) are collapsed to one space.
"""
from __future__ import annotations

import re
from typing import Literal, Mapping, Sequence

import numpy as np
import pandas as pd

from interview_lens.analysis.concepts import code_concepts
from interview_lens.analysis.dictionary import Concept, ConceptDictionary, Patterns, _check_wildcard
from interview_lens.errors import ConfigError

KWIC_COLUMNS = ["doc_id", "concept", "left", "match", "right", "position", "qa_id", "theme",
                "start_char", "end_char"]
_SPACE = re.compile(r"\s+")


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text)


def _texts(text) -> Mapping[str, str] | str:
    if isinstance(text, (str, Mapping)):
        return text
    if hasattr(text, "text") and hasattr(text, "doc_id"):  # an Interview
        return {str(text.doc_id): text.text}
    raise TypeError("text must be the interview text, a {doc_id: text} mapping or an Interview")


def _term_hits(tokens: pd.DataFrame, term: str) -> pd.DataFrame:
    """Hits of a plain term: a lemma/norm, a wildcard (``coopér*``) or a phrase (``open source``),
    matched with the concept dictionary's rules (apostrophes, hyphens, acronyms)."""
    key = "wildcards" if ("*" in term or "?" in term) else "lemmas"
    patterns = Patterns(**{key: (term,)})
    concept = Concept(id="term", labels={"en": term}, colour="#000000",
                      patterns={"any": patterns})
    try:
        _check_wildcard(term, None, "term", "term")
    except ConfigError as exc:
        raise ValueError(str(exc)) from None
    hits = code_concepts(tokens, ConceptDictionary(concepts=(concept,)))
    hits["concept"] = ""
    return hits


def concordance(tokens: pd.DataFrame, text, *, concept: str | None = None,
                term: str | None = None, hits: pd.DataFrame | None = None, width: int = 40,
                width_unit: Literal["chars", "tokens"] = "chars") -> pd.DataFrame:
    """Keyword in context for a concept (via its hits) or a plain term.

    Parameters
    ----------
    tokens : the token table (its offsets point into ``text``).
    text : the interview text (``interview.text``), a ``{doc_id: text}`` mapping, or the
        :class:`~interview_lens.model.Interview` itself.
    concept : a concept id; needs ``hits`` from :func:`~interview_lens.analysis.concepts.code_concepts`.
    term : instead of a concept, a lemma or norm (``partager``), a wildcard (``coopér*``) or a
        phrase (``open source``), matched like a dictionary pattern.
    hits : the hits table (required with ``concept``).
    width : context on each side: characters (``width_unit="chars"``, default 40) or tokens
        (``width_unit="tokens"``: the text from the k-th token before to the k-th after).

    Returns
    -------
    ``doc_id, concept, left, match, right, position, qa_id, theme, start_char, end_char``, one
    row per hit in document order; ``left``/``match``/``right`` are the real text (whitespace
    collapsed; ``left`` may start and ``right`` end inside a word when counted in characters).
    """
    if (concept is None) == (term is None):
        raise ValueError("give exactly one of concept= or term=")
    if width < 0:
        raise ValueError(f"width must be >= 0, not {width}")
    if width_unit not in ("chars", "tokens"):
        raise ValueError(f"width_unit must be 'chars' or 'tokens', not {width_unit!r}")
    texts = _texts(text)
    if concept is not None:
        if hits is None:
            raise ValueError("concept= needs hits= (from code_concepts)")
        found = hits[hits["concept"].astype(str) == concept]
    else:
        found = _term_hits(tokens, term)
    found = found.sort_values(["doc_id", "position"], kind="stable")
    rows = []
    if width_unit == "tokens" and len(found):
        by_doc = {str(d): g.sort_values("position") for d, g in tokens.groupby("doc_id")}
    for h in found.itertuples(index=False):
        doc = str(h.doc_id)
        body = texts if isinstance(texts, str) else texts[doc]
        start, end = int(h.start_char), int(h.end_char)
        if width_unit == "chars":
            left_start, right_end = max(0, start - width), min(len(body), end + width)
        else:
            t = by_doc[doc]
            pos = t["position"].to_numpy()
            lo = np.searchsorted(pos, int(h.position) - width)
            hi = np.searchsorted(pos, int(h.end_position) + width, side="right") - 1
            left_start = int(t["start_char"].iloc[lo]) if width else start
            right_end = int(t["end_char"].iloc[hi]) if width else end
            left_start, right_end = min(left_start, start), max(right_end, end)
        rows.append([doc, str(h.concept), _collapse(body[left_start:start]).lstrip(),
                     _collapse(body[start:end]), _collapse(body[end:right_end]).rstrip(),
                     int(h.position), int(h.qa_id), str(h.theme), start, end])
    out = pd.DataFrame(rows, columns=KWIC_COLUMNS)
    for c in ("doc_id", "concept", "left", "match", "right", "theme"):
        out[c] = out[c].astype("str")
    for c in ("position", "qa_id", "start_char", "end_char"):
        out[c] = out[c].astype("int64")
    return out


def focus_concepts(hits: pd.DataFrame, dictionary: ConceptDictionary,
                   focus: Sequence[str] = (), *, n: int = 3) -> list[str]:
    """The concepts a concordance is read for: ``focus`` as given, else the ``n`` with most hits.

    ``focus`` ids are checked against ``dictionary`` (a typo would otherwise show an empty
    concordance without a word); by default the ``n`` concepts with most hits in ``hits``, ties
    in dictionary order, so a document without any hit has no focus concept.
    """
    unknown = [c for c in focus if c not in dictionary]
    if unknown:
        raise ConfigError(dictionary.path, f"focus: unknown concept(s) {unknown}; the "
                          f"dictionary has {dictionary.ids}")
    if focus:
        return list(dict.fromkeys(focus))
    counts = hits["concept"].astype(str).value_counts()
    rank = {c: i for i, c in enumerate(dictionary.ids)}
    ordered = sorted(counts.index, key=lambda c: (-counts[c], rank.get(c, len(rank)), c))
    return ordered[:n]


def concordance_of(tokens: pd.DataFrame, text, concepts: Sequence[str], hits: pd.DataFrame,
                   *, width: int = 40) -> pd.DataFrame:
    """:func:`concordance` of several concepts, one after the other (columns
    :data:`KWIC_COLUMNS`); no concept, or no hit of them, gives an empty table."""
    frames = [concordance(tokens, text, concept=c, hits=hits, width=width) for c in concepts]
    if not frames:
        return concordance(tokens, text, concept="", hits=hits.iloc[:0], width=width)
    return pd.concat(frames, ignore_index=True)


def focus_term(hits: pd.DataFrame, concepts: Sequence[str]) -> str:
    """The lemma matched most often among the hits of ``concepts`` (ties alphabetical), for a
    term concordance to start from; ``""`` when they have no hit."""
    lemmas = hits.loc[hits["concept"].astype(str).isin(list(concepts)), "lemma"].astype(str)
    if lemmas.empty:
        return ""
    counts = lemmas.value_counts()
    return sorted(counts.index, key=lambda lemma: (-counts[lemma], lemma))[0]
