"""The token table: one row per word of an interview, with its lemma, stopword flag and place.

Tokenisation works on the turns' spans of ``interview.text`` (speaker labels lie outside them, so
they never become tokens).  It is vectorised because it is the hot path (a million words in well
under a second): characters are classified once with numpy, word boundaries are the edges of
runs of word characters, and everything a word's *form* decides (clitic splits, norm, lemma,
stopword) is computed once per distinct form and mapped back onto the tokens by code.

Word characters are letters and digits; an apostrophe or hyphen between two of them joins
(``aujourd’hui``, ``co-construction``, ``peut-être``, ``mots-clés``), so does ``.``/``,`` between
digits (``3.5``, ``3,5``) and the dots of a dotted acronym (``U.S.``).  Then, per form:

* French: elided words are split off (``l’IA`` -> ``l’`` + ``IA``; ``l’ d’ qu’ n’ s’ c’ j’ m’ t’
  jusqu’ lorsqu’ puisqu’ quoiqu’``), and so are inverted subject pronouns (``apporte-t-il`` ->
  ``apporte`` + ``il``); ``aujourd’hui``, ``quelqu’un`` and hyphenated compounds stay whole.
* English: ``don't`` -> ``do`` + ``n't``, ``it's`` -> ``it`` + ``'s``, ``China's`` -> ``China``
  + ``'s`` (Penn Treebank convention; ``can't`` -> ``ca`` + ``n't``, lemma ``can``).
"""
from __future__ import annotations

import re
import warnings
from typing import Iterable

import numpy as np
import pandas as pd

from interview_lens.errors import InterviewWarning
from interview_lens.language._arrays import _KEY, Spans, WordTypes, _dense, _index_of
from interview_lens.language._multiword import _merge_multiword
from interview_lens.language._spans import _factorize_spans, _split_clitics, _word_spans
from interview_lens.language._truecase import _truecase
from interview_lens.language._types import _name_stops, _speaker_names, _type_attributes
from interview_lens.language.lexicon import (
    DETECT_LANGUAGES,
    cased_name,
    detect_language,
    load_lexicon,
    parse_multiword,
)
from interview_lens.language.sentences import sentence_cuts
from interview_lens.model import Interview
from interview_lens.text import normalise_token

TOKEN_COLUMNS = ["doc_id", "qa_id", "turn_id", "role", "speaker", "theme", "paragraph_id",
                 "sentence_id", "position", "token", "norm", "lemma", "is_stop", "start_char",
                 "end_char"]

_NEWLINE = re.compile("\n")


def tokens_from(interview: Interview, *, multiword: Iterable[str] | None = None,
                stopwords: Iterable[str] | None = None) -> pd.DataFrame:
    """The token table of ``interview``: one row per token, in document order.

    Parameters
    ----------
    interview : a segmented interview; its turns' spans of ``interview.text`` are tokenised,
        narration (``other`` turns: lede, captions) included with ``qa_id`` 0.
    multiword : extra multi-word terms for this call (``"open data"`` or
        ``"variant => canonical"``), on top of the language's ``multiword.txt``.
    stopwords : extra stopwords for this call, on top of the language's list.

    Returns columns ``doc_id, qa_id, turn_id, role, speaker, theme, paragraph_id, sentence_id,
    position, token, norm, lemma, is_stop, start_char, end_char`` (see docs/architecture.md):
    ``interview.text[start_char:end_char] == token`` on every row; ``theme`` is the Q/A pair's
    theme when ``interview.qa`` has one, else ``""``; ``paragraph_id`` and ``sentence_id`` number
    the paragraphs and sentences that hold tokens, 1.. across the document.  ``.attrs`` holds
    ``language`` (given or detected).
    """
    return tokens_from_many([interview], multiword=multiword, stopwords=stopwords)


def tokens_from_many(interviews: Iterable[Interview], *, multiword: Iterable[str] | None = None,
                     stopwords: Iterable[str] | None = None) -> pd.DataFrame:
    """The token tables of several interviews in one table, documents in the order given.

    Each document's rows are exactly ``tokens_from(interview)``'s (offsets, positions, paragraph
    and sentence ids, truecasing and speaker-name stopwords are the document's own), but the
    work is done once for the whole batch: the documents of one language are tokenised as one
    text, and what a word form decides (clitic splits, lemma, stopword) is computed once per
    distinct form of the batch rather than once per document.  This is how a corpus is read
    fast (see benchmarks/results.md).  ``.attrs``: ``language`` (the documents' language, or
    ``None`` when they differ) and ``languages`` (``doc_id -> language``).
    """
    interviews = list(interviews)
    multiword = list(multiword or ())
    stopwords = list(stopwords or ())
    languages = [_language(iv) for iv in interviews]
    groups: dict[str, list[int]] = {}
    for i, language in enumerate(languages):
        groups.setdefault(language, []).append(i)
    frames, row_docs = [], []
    for language, members in (groups or {"": []}).items():  # no documents: an empty table
        frame, row_doc = _batch([interviews[i] for i in members], language, multiword,
                                stopwords)
        frames.append(frame)
        row_docs.append(np.asarray(members, dtype=np.int64)[row_doc])
    if len(frames) == 1:
        frame = frames[0]
    else:
        order = np.argsort(np.concatenate(row_docs), kind="stable")
        frame = pd.concat(frames, ignore_index=True).take(order).reset_index(drop=True)
    distinct = set(languages)
    frame.attrs["language"] = languages[0] if len(distinct) == 1 else (
        "" if not languages else None)
    frame.attrs["languages"] = {iv.doc_id: lang for iv, lang in zip(interviews, languages)}
    return frame


def _batch(interviews: list[Interview], language: str, multiword: list[str],
           stopwords: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """The token table of documents of one language, and each row's index in ``interviews``.

    The documents are joined by a line break into one text (a line break never joins two words,
    never lets a multi-word term or a sentence run on), tokenised as such, and the offsets are
    taken back to each document's own at the end.
    """
    texts = [iv.text for iv in interviews]
    base = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t) + 1 for t in texts], out=base[1:])
    text = "\n".join(texts)
    turns = _turn_arrays(interviews, base)
    t_start, t_end = turns["start"], turns["end"]

    starts, ends, chars = _word_spans(text, t_start, t_end)
    codes, forms = _factorize_spans(text, chars, starts, ends)
    starts, ends, codes, forms = _split_clitics(starts, ends, codes, forms, language)

    lex = load_lexicon(language)
    extra_stop = {normalise_token(w) for w in stopwords}
    terms = list(lex.multiword) + [parse_multiword(t) for t in multiword]
    cased = dict(lex.names)
    cased.update({parse_multiword(t)[1]: c for t in multiword if (c := cased_name(t))})
    norm_of, lemma_of, stop_of = _type_attributes(forms, language, lex.stopwords | extra_stop,
                                                  terms)
    n_single = len(forms)
    tok_doc = np.searchsorted(base, starts, side="right") - 1
    # the (document, form) pairs before multi-word merging, in each document's order of first
    # appearance: what a single document's own form list would be
    pairs = pd.unique(tok_doc * _KEY + codes)
    name_stops = _name_stops(pairs, forms, norm_of, stop_of,
                             [_speaker_names(iv) for iv in interviews])

    turn_idx = np.searchsorted(t_start, starts, side="right") - 1
    phrases = [(v, c, False) for v, c in terms] + [(v, c, True) for v, c in lex.stop_multiword]
    starts, ends, codes, turn_idx = _merge_multiword(text, chars, starts, ends, codes, turn_idx,
                                                     forms, norm_of, lemma_of, stop_of, phrases,
                                                     language)
    tok_doc = np.searchsorted(base, starts, side="right") - 1
    breaks, newlines = _sentence_breaks(text, t_start, language)
    lemma_fix = _truecase(chars, starts, ends, codes, tok_doc, breaks, forms, norm_of, lemma_of,
                          stop_of, n_single, cased, pairs, name_stops)
    frame = _frame(interviews, turns, language, base,
                   Spans(starts, ends, codes, tok_doc, turn_idx),
                   WordTypes(forms, norm_of, lemma_of, stop_of), breaks, newlines, name_stops,
                   lemma_fix)
    return frame, tok_doc


# (document, form) pairs are coded ``document * _KEY + form``
def _turn_arrays(interviews: list[Interview], base: np.ndarray) -> dict[str, np.ndarray | list]:
    """Every document's turns in order of their start, offsets in the joined text."""
    starts, ends, ids, qa_ids, roles, speakers, themes = [], [], [], [], [], [], []
    for k, iv in enumerate(interviews):
        turns = iv.turns
        if not len(turns):
            continue
        s = turns["start_char"].to_numpy(np.int64)
        order = np.argsort(s, kind="stable")
        starts.append(s[order] + base[k])
        ends.append(turns["end_char"].to_numpy(np.int64)[order] + base[k])
        t_ids = turns["turn_id"].to_numpy(np.int64)[order]
        ids.append(t_ids)
        qa_of_turn = _qa_of_turn(iv)
        t_qa = [qa_of_turn.get(int(t), 0) for t in t_ids.tolist()]
        qa_ids.append(np.asarray(t_qa, dtype=np.int64))
        theme_of = _themes(iv)
        themes += [theme_of.get(q, "") for q in t_qa]
        role = turns["role"].tolist()
        speaker = turns["speaker"].tolist()
        roles += [str(role[i]) for i in order.tolist()]
        speakers += ["" if pd.isna(speaker[i]) else str(speaker[i]) for i in order.tolist()]

    def cat(parts):
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    return {"start": cat(starts), "end": cat(ends), "turn_id": cat(ids), "qa_id": cat(qa_ids),
            "role": roles, "speaker": speakers, "theme": themes}


def _warn(interview: Interview, message: str) -> None:
    warnings.warn(message, InterviewWarning, stacklevel=3)
    interview.meta.setdefault("warnings", []).append(message)


def _language(interview: Interview) -> str:
    import simplemma.strategies.dictionaries.dictionary_factory as dictionaries

    language = (interview.language or "").strip().lower()
    if not language:
        scores = detect_language(interview.text[:20000], DETECT_LANGUAGES)
        language = scores[0][0] if scores and scores[0][0] != "unk" else ""
        if not language:
            _warn(interview, f"{interview.doc_id}: language not recognised; tokens keep their "
                             f"normalised form as lemma and no stopword list is applied")
            return ""
    if language not in dictionaries.SUPPORTED_LANGUAGES:
        _warn(interview, f"{interview.doc_id}: no lemmatiser for language {language!r}; "
                         f"lemma = normalised form")
    return language


# --- the table --------------------------------------------------------------------------------

def _sentence_breaks(text: str, t_start: np.ndarray, language: str
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Offsets where a sentence ends (the cuts, line breaks and turns' starts; sorted, unique)
    and the offsets of the line breaks.

    Counting the breaks at or before a token's start numbers its sentence."""
    newlines = np.array([m.start() for m in _NEWLINE.finditer(text)], dtype=np.int64)
    breaks = np.unique(np.concatenate([
        np.asarray(sentence_cuts(text, language=language), dtype=np.int64), newlines, t_start]))
    return breaks, newlines


def _frame(interviews: list[Interview], turns: dict, language: str, base: np.ndarray,
           spans: Spans, types: WordTypes, breaks: np.ndarray, newlines: np.ndarray,
           name_stops: np.ndarray, lemma_fix: dict[int, str]) -> pd.DataFrame:
    """The token table of a batch: one row per span, in the columns of :data:`TOKEN_COLUMNS`."""
    starts, ends, codes, tok_doc, turn_idx = spans
    forms, norm_of, lemma_of, stop_of = types
    n = len(codes)
    doc_first = np.searchsorted(tok_doc, np.arange(len(interviews)))
    first = doc_first[tok_doc]  # each row's document's first row

    def per_doc_dense(values):
        dense = _dense(values)
        return dense - dense[first] + 1 if n else dense

    tok_pair = tok_doc * _KEY + codes
    is_stop = np.asarray(stop_of, dtype=bool)[codes] if n else np.zeros(0, bool)
    if len(name_stops):
        is_stop |= np.isin(tok_pair, name_stops)
    lemma_idx = codes
    lemmas = lemma_of
    if lemma_fix:
        at = _index_of(np.fromiter(lemma_fix, dtype=np.int64, count=len(lemma_fix)), tok_pair)
        lemmas = lemma_of + list(lemma_fix.values())
        lemma_idx = np.where(at >= 0, len(lemma_of) + at, codes)

    def strings(values, index):
        return pd.array(list(values) or [""], dtype="str").take(index)

    rows_turn = turn_idx if n else np.zeros(0, np.int64)
    frame = pd.DataFrame({
        "doc_id": strings([iv.doc_id for iv in interviews], tok_doc),
        "qa_id": turns["qa_id"][rows_turn],
        "turn_id": turns["turn_id"][rows_turn],
        "role": strings(turns["role"], rows_turn),
        "speaker": strings(turns["speaker"], rows_turn),
        "theme": strings(turns["theme"], rows_turn),
        "paragraph_id": per_doc_dense(np.searchsorted(newlines, starts)),
        "sentence_id": per_doc_dense(np.searchsorted(breaks, starts, side="right")),
        "position": np.arange(n, dtype=np.int64) - first,
        "token": strings(forms, codes),
        "norm": strings(norm_of, codes),
        "lemma": strings(lemmas, lemma_idx),
        "is_stop": is_stop,
        "start_char": (starts - base[tok_doc]).astype(np.int64),
        "end_char": (ends - base[tok_doc]).astype(np.int64),
    }, columns=TOKEN_COLUMNS)
    frame.attrs["language"] = language
    return frame


def _qa_of_turn(interview: Interview) -> dict[int, int]:
    qa = interview.qa
    mapping: dict[int, int] = {}
    if not len(qa):
        return mapping
    for qa_id, q_turn, a_turns in zip(qa["qa_id"], qa["question_turn"], qa["answer_turns"]):
        mapping[int(q_turn)] = int(qa_id)
        for t in (a_turns if a_turns is not None else []):
            mapping[int(t)] = int(qa_id)
    return mapping


def _themes(interview: Interview) -> dict[int, str]:
    qa = interview.qa
    if "theme" not in qa or not len(qa):
        return {}
    return {int(q): ("" if pd.isna(t) else str(t)) for q, t in zip(qa["qa_id"], qa["theme"])}
