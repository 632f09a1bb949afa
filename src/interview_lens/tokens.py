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

import difflib
import re
import warnings
from functools import lru_cache
from typing import Iterable

import numpy as np
import pandas as pd

from .errors import InterviewWarning
from .lexicon import (APOSTROPHES, DETECT_LANGUAGES, HYPHENS, cased_name, detect_language,
                      is_acronym, is_number, lemmatize, load_lexicon, normalise, parse_multiword)
from .model import Interview
from .sentences import sentence_cuts

TOKEN_COLUMNS = ["doc_id", "qa_id", "turn_id", "role", "speaker", "theme", "paragraph_id",
                 "sentence_id", "position", "token", "norm", "lemma", "is_stop", "start_char",
                 "end_char"]

_APOS = "[" + APOSTROPHES + "]"
_FR_ELISION = re.compile(rf"(?i:jusqu|lorsqu|puisqu|quoiqu|qu|[ldnjmtsc]){_APOS}(?=\w)")
# Inverted subject/object pronouns after a verb: "apporte-t-il", "pensez-vous", "dit-elle".
# Case-sensitive so that names (Jean-Yves) are left alone.
_FR_CLITIC = re.compile(r"[-‐‑](?:t[-‐‑])?(il|elle|on|ils|elles|je|tu|nous|vous|ce|moi|toi|lui|"
                        r"leur|y|en|le|la|les)$")
_FR_CLITIC_KEEP = {"rendez-vous", "vis-à-vis", "peut-être", "c'est-à-dire", "est-ce"}
_EN_NOT = re.compile(rf"(?i:n{_APOS}t)$")
_EN_CLITIC = re.compile(rf"(?i:{_APOS}(?:s|re|ve|ll|d|m))$")
_DOTTED = re.compile(r"(?<![^\W_.])(?:[^\W\d_]\.){2,}(?![^\W_])")
# Name variants: capitalised words sharing their first three letters with a speaker name and
# spelled almost alike (ratio >= 0.75): transcripts and translations misspell names
# (Kurbalija / Kurbariya / Kurubariya).
_NAME_RATIO = 0.75
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
    extra_stop = {normalise(w) for w in stopwords}
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
    frame = _frame(interviews, turns, language, base, starts, ends, codes, tok_doc, turn_idx,
                   forms, norm_of, lemma_of, stop_of, breaks, newlines, name_stops, lemma_fix)
    return frame, tok_doc


# (document, form) pairs are coded ``document * _KEY + form``
_KEY = np.int64(1) << np.int64(32)


def _index_of(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Index in ``keys`` (distinct int64 codes, any order) of each of ``values``; -1 where a
    value is not among them."""
    if not len(keys):
        return np.full(len(values), -1, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    at = np.minimum(np.searchsorted(keys[order], values), len(keys) - 1)
    return np.where(keys[order][at] == values, order[at], -1)


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


# --- language -----------------------------------------------------------------------------

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


# --- word spans -----------------------------------------------------------------------------

def _word_spans(text: str, t_start: np.ndarray, t_end: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start/end offsets of the runs of word characters inside the turns' spans, and the text's
    code points (uint32)."""
    chars = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if not text or not len(t_start):
        return np.zeros(0, np.int64), np.zeros(0, np.int64), chars
    present = np.flatnonzero(np.bincount(chars))
    alnum = np.zeros(int(present[-1]) + 1, dtype=bool)
    digit = np.zeros_like(alnum)
    for c in present.tolist():  # once per distinct character, not per character
        ch = chr(c)
        alnum[c] = ch.isalnum()
        digit[c] = ch.isdecimal()
    word = alnum[chars]
    is_digit = digit[chars]
    if len(chars) > 2:
        joiner_lut = np.zeros_like(alnum)
        joiner_lut[[ord(c) for c in APOSTROPHES + HYPHENS if ord(c) < len(joiner_lut)]] = True
        joiners = joiner_lut[chars]
        decimal = (chars == ord(".")) | (chars == ord(","))
        inner = np.zeros_like(word)
        inner[1:-1] = (joiners[1:-1] & word[:-2] & word[2:]) | (
            decimal[1:-1] & is_digit[:-2] & is_digit[2:])
        dots = np.flatnonzero((chars[1:-1] == ord(".")) & word[:-2] & word[2:]) + 1
        word |= inner
        # dotted acronyms (U.S., e.g.): rare, so the regex only looks near candidate dots
        for pos in dots.tolist():
            for m in _DOTTED.finditer(text, max(0, pos - 3), min(len(text), pos + 12)):
                word[m.start():m.end()] = True
    inside = np.zeros(len(chars) + 1, dtype=np.int32)
    np.add.at(inside, t_start, 1)
    np.add.at(inside, t_end, -1)
    word &= np.cumsum(inside[:-1], dtype=np.int32) > 0
    edges = np.diff(word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    # a turn that starts right where the previous one ends must not share a token with it
    glued = t_start[(t_start > 0) & (t_start < len(word))]
    glued = glued[word[glued] & word[glued - 1]]
    if len(glued):
        starts = np.sort(np.concatenate([starts, glued]))
        ends = np.sort(np.concatenate([ends, glued]))
    return starts.astype(np.int64), ends.astype(np.int64), chars


def _factorize_spans(text: str, chars: np.ndarray, starts: np.ndarray, ends: np.ndarray
                     ) -> tuple[np.ndarray, list[str]]:
    """Codes of the distinct forms ``text[s:e]`` and the forms, in order of first appearance.

    The token strings are never built one by one: their UTF-8 bytes are gathered with numpy
    into one Arrow string array, which Arrow's hash table dictionary-encodes in C++.
    """
    import pyarrow as pa

    n = len(starts)
    if n == 0:
        return np.zeros(0, np.int64), []
    data = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    if len(data) == len(text):  # ASCII: character offsets are byte offsets
        b_start, b_end = starts, ends
    else:
        width = (1 + (chars >= 0x80).view(np.uint8) + (chars >= 0x800).view(np.uint8)
                 + (chars >= 0x10000).view(np.uint8))
        byte_at = np.zeros(len(chars) + 1, dtype=np.int64)
        np.cumsum(width, out=byte_at[1:])
        b_start, b_end = byte_at[starts], byte_at[ends]
    lengths = b_end - b_start
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    # byte indices in 32 bits when they fit: half the memory traffic on the hot path
    index = np.int32 if len(data) < 2**31 else np.int64
    gather = np.repeat((b_start - offsets[:-1]).astype(index), lengths)
    gather += np.arange(offsets[-1], dtype=index)
    array = pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data[gather]))
    encoded = array.dictionary_encode()
    return (encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64),
            encoded.dictionary.to_pylist())


def _pieces(form: str, language: str) -> list[tuple[int, int]]:
    """Sub-spans of one word form: clitics split off (see the module docstring)."""
    pieces: list[tuple[int, int]] = []
    start, end = 0, len(form)
    if language == "fr":
        while m := _FR_ELISION.match(form, start):
            pieces.append((start, m.end()))
            start = m.end()
        tail: list[tuple[int, int]] = []
        while normalise(form[start:end]) not in _FR_CLITIC_KEEP and (
                m := _FR_CLITIC.search(form, start, end)) and m.start() > start:
            tail.insert(0, (m.start(1), m.end(1)))
            end = m.start()
        return pieces + [(start, end)] + tail
    if language == "en":
        m = _EN_NOT.search(form)
        if m and m.start() > 0:
            return [(0, m.start()), (m.start(), end)]
        m = _EN_CLITIC.search(form)
        if m and m.start() > 0:
            return [(0, m.start()), (m.start(), end)]
    return [(0, end)]


def _split_clitics(starts, ends, codes, forms, language):
    """Expand tokens whose form splits into pieces; the pieces become forms of their own."""
    if language not in ("fr", "en"):
        return starts, ends, codes, forms
    piece_forms: dict[str, int] = {}
    rel_start: list[int] = []
    rel_end: list[int] = []
    piece_code: list[int] = []
    first = np.empty(len(forms), dtype=np.int64)
    count = np.empty(len(forms), dtype=np.int64)
    for i, form in enumerate(forms):
        first[i] = len(rel_start)
        spans = _pieces(form, language)
        count[i] = len(spans)
        for s, e in spans:
            rel_start.append(s)
            rel_end.append(e)
            piece_code.append(piece_forms.setdefault(form[s:e], len(piece_forms)))
    new_forms = list(piece_forms)
    if (count == 1).all():
        remap = np.asarray(piece_code, dtype=np.int64)
        return starts, ends, remap[codes], new_forms
    n = count[codes]
    row = np.repeat(np.arange(len(codes)), n)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(n) - n, n)
    piece = first[codes[row]] + offset
    base = starts[row]
    return (base + np.asarray(rel_start)[piece], base + np.asarray(rel_end)[piece],
            np.asarray(piece_code, dtype=np.int64)[piece], new_forms)


# --- per-type attributes --------------------------------------------------------------------

@lru_cache(maxsize=500_000)
def _lemma(norm: str, language: str) -> str:
    return lemmatize(norm, language)


def _speaker_names(interview: Interview) -> frozenset[str]:
    """Normalised words of the speakers' canonical names, labels and aliases."""
    values: set = set()
    for table, cols in ((interview.turns, ("speaker", "label")),
                        (interview.qa, ("interviewer", "interviewee"))):
        for col in cols:
            if col in table:
                values.update(table[col].tolist())  # a plain list: no pandas per-call cost
    names = [str(v) for v in values if isinstance(v, str) or not pd.isna(v)]
    for canonical, variants in (interview.meta.get("aliases") or {}).items():
        names.append(str(canonical))
        names += [str(v) for v in ([variants] if isinstance(variants, str) else variants or [])]
    return frozenset(normalise(w) for name in names for w in re.findall(r"[^\W_]+", name))


def _is_name_variant(form: str, names: frozenset[str]) -> bool:
    if len(form) < 6 or not form[0].isupper():
        return False
    low = form.lower()
    return any(len(n) >= 6 and n[:3] == low[:3]
               and difflib.SequenceMatcher(None, n, low).ratio() >= _NAME_RATIO for n in names)


def _name_stops(pairs: np.ndarray, forms, norm_of, stop_of, names: list[frozenset[str]]
                ) -> np.ndarray:
    """The (document, form) pair codes whose form is a speaker's name in that document (then a
    stopword there): a word of a speaker's name, label or alias, or a near spelling of one.

    ``_type_attributes`` gave every form its stopword flag without names; only forms that could
    match some document's names are looked at, each against its own documents' names."""
    every = frozenset().union(*names) if names else frozenset()
    if not every or not len(pairs):
        return np.zeros(0, dtype=np.int64)
    prefixes = {n[:3] for n in every if len(n) >= 6}
    maybe = np.zeros(len(forms), dtype=bool)
    for i, form in enumerate(forms):
        if stop_of[i]:
            continue
        if norm_of[i] in every or (len(form) >= 6 and form[0].isupper()
                                   and form.lower()[:3] in prefixes):
            maybe[i] = not is_number(form)
    codes = pairs % _KEY
    hits = []
    for key in pairs[maybe[codes]].tolist():
        doc, i = divmod(key, int(_KEY))
        form, doc_names = forms[i], names[doc]
        if norm_of[i] in doc_names or (not is_acronym(form)
                                       and _is_name_variant(form, doc_names)):
            hits.append(key)
    return np.sort(np.asarray(hits, dtype=np.int64))


def _type_attributes(forms, language, stop, terms):
    """norm, lemma and is_stop of each distinct form (lists aligned with ``forms``), before
    speakers' names, which differ by document (:func:`_name_stops`)."""
    lex = load_lexicon(language)
    single = {}
    for variant, canonical in terms:
        words = _words(variant, language)
        if len(words) == 1:
            single[_lemma(normalise(words[0]), language)] = canonical
    norm_of, lemma_of, stop_of = [], [], []
    for form in forms:
        norm = normalise(form)
        if is_number(form):
            lemma, is_stop = norm, True
        elif is_acronym(form):
            lemma = form
            is_stop = norm in lex.added or norm in lex.fillers
        else:
            lemma = _lemma(norm, language)
            if lemma in single:
                norm = lemma = single[lemma]
            is_stop = norm in stop or lemma in stop
        norm_of.append(norm)
        lemma_of.append(lemma)
        stop_of.append(is_stop)
    return norm_of, lemma_of, stop_of


@lru_cache(maxsize=1024)
def _words(phrase: str, language: str) -> tuple[str, ...]:
    """The token forms of a short phrase, cut exactly as in a document."""
    starts, ends, _ = _word_spans(phrase, np.array([0]), np.array([len(phrase)]))
    out = []
    for s, e in zip(starts.tolist(), ends.tolist()):
        out += [phrase[s + a:s + b] for a, b in _pieces(phrase[s:e], language)]
    return tuple(out)


# --- multi-word terms -----------------------------------------------------------------------

def _merge_multiword(text, chars, starts, ends, codes, turn_idx, forms, norm_of, lemma_of,
                     stop_of, phrases, language):
    """Merge consecutive tokens whose lemmas spell a multi-word phrase into one row.

    ``phrases``: ``(variant, canonical, is_stop)``: terms (``open source``) and function
    expressions (``en matière de``, ``is_stop`` True).  Matching is on lemmas (``sociétés
    civiles`` = ``société civile``), only across spaces or tabs (never a line break, punctuation
    or a turn boundary); overlapping matches go to the longer phrase, then the earlier one.  The
    merged row's form is the text span; norm and lemma are the canonical phrase; a term is never
    a stopword, an expression always is.
    """
    multi = [(_words(v, language), c, stop) for v, c, stop in phrases]
    multi = [(w, c, stop) for w, c, stop in multi if len(w) > 1]
    if not multi or not len(codes):
        return starts, ends, codes, turn_idx
    lemma_codes, lemma_uniques = pd.factorize(np.asarray(lemma_of, dtype=object))
    lemma_index = {lem: i for i, lem in enumerate(lemma_uniques)}
    token_lemma = lemma_codes[codes]
    n = len(codes)
    # Each phrase is anchored on its rarest word: candidates are that word's positions only, so
    # the cost grows with the phrases' occurrences, not with (phrases x tokens).
    freq = np.bincount(token_lemma, minlength=len(lemma_uniques))
    plans = []
    for words, canonical, stop in multi:
        wanted = [lemma_index.get(_lemma(normalise(w), language) if not is_acronym(w) else w)
                  for w in words]
        if None in wanted or len(wanted) > n:
            continue
        anchor = min(range(len(wanted)), key=lambda j: freq[wanted[j]])
        plans.append((wanted, anchor, canonical, stop))
    if not plans:
        return starts, ends, codes, turn_idx
    anchors = np.unique([w[a] for w, a, _, _ in plans])
    is_anchor = np.zeros(len(lemma_uniques), dtype=bool)
    is_anchor[anchors] = True
    at = np.flatnonzero(is_anchor[token_lemma])
    at = at[np.argsort(token_lemma[at], kind="stable")]
    bounds = np.searchsorted(token_lemma[at], np.append(anchors, anchors[-1] + 1))
    where = {int(c): at[bounds[i]:bounds[i + 1]] for i, c in enumerate(anchors.tolist())}
    hit_start, hit_len, hit_phrase = [], [], []
    phrase_ids: dict[tuple[str, bool], int] = {}
    for wanted, anchor, canonical, stop in plans:
        k = len(wanted)
        cand = where[wanted[anchor]] - anchor
        cand = np.sort(cand[(cand >= 0) & (cand <= n - k)])
        for j in range(k):
            if j != anchor and len(cand):
                cand = cand[token_lemma[cand + j] == wanted[j]]
        for j in range(k - 1):
            if len(cand):
                cand = cand[_joined(chars, starts, ends, turn_idx, cand + j)]
        if len(cand):
            hit_start.append(cand)
            hit_len.append(np.full(len(cand), k, dtype=np.int64))
            pid = phrase_ids.setdefault((canonical, stop), len(phrase_ids))
            hit_phrase.append(np.full(len(cand), pid, dtype=np.int64))
    if not hit_start:
        return starts, ends, codes, turn_idx
    first, k, pid = (np.concatenate(x) for x in (hit_start, hit_len, hit_phrase))
    order = np.lexsort((-k, first))  # by position, the longer phrase first
    first, k, pid = first[order], k[order], pid[order]
    last = first + k - 1
    reach = np.maximum.accumulate(last)
    if (first[1:] <= reach[:-1]).any():
        # overlapping matches (rare): left to right, a match is taken when it starts after
        # the last taken one ends
        take, taken_until = [], -1
        for f, e in zip(first.tolist(), last.tolist()):
            take.append(f > taken_until)
            taken_until = e if f > taken_until else taken_until
        take = np.asarray(take)
        first, k, pid, last = first[take], k[take], pid[take], last[take]
    keep = np.ones(n, dtype=bool)
    inner = np.repeat(first - np.cumsum(k - 1) + (k - 1), k - 1) + np.arange(int((k - 1).sum()))
    keep[inner + 1] = False
    starts, ends, codes = starts.copy(), ends.copy(), codes.copy()
    ends[first] = ends[last]
    # the merged rows' forms are text spans: factorized like the words, then paired with
    # their phrase, so one new type per (written span, canonical)
    span_codes, span_forms = _factorize_spans(text, chars, starts[first], ends[first])
    pair_codes, pairs = pd.factorize(span_codes * len(phrase_ids) + pid)
    phrases_by_id = list(phrase_ids)
    for key in pairs.tolist():
        canonical, stop = phrases_by_id[key % len(phrase_ids)]
        forms.append(span_forms[key // len(phrase_ids)])
        norm_of.append(canonical)
        lemma_of.append(canonical)
        stop_of.append(stop)
    codes[first] = len(forms) - len(pairs) + pair_codes
    return starts[keep], ends[keep], codes[keep], turn_idx[keep]


def _gap_has(chars: np.ndarray, lo: np.ndarray, hi: np.ndarray, lut: np.ndarray,
             *, invert: bool = False) -> np.ndarray:
    """For each gap ``chars[lo:hi]``: does it hold a character flagged in ``lut`` (or, with
    ``invert``, one NOT flagged)?  Gathered with numpy: the cost is the gaps' total length."""
    lengths = np.maximum(hi - lo, 0)
    total = int(lengths.sum())
    if not total:
        return np.zeros(len(lo), dtype=bool)
    offsets = np.cumsum(lengths) - lengths
    gather = np.repeat(lo - offsets, lengths) + np.arange(total, dtype=np.int64)
    gap = chars[gather]
    inside = gap < len(lut)
    flagged = inside & lut[np.where(inside, gap, 0)]
    if invert:
        flagged = ~flagged
    owner = np.repeat(np.arange(len(lo)), lengths)
    return np.bincount(owner, weights=flagged, minlength=len(lo)) > 0


@lru_cache(maxsize=8)
def _lut(chars: str) -> np.ndarray:
    lut = np.zeros(max(map(ord, chars)) + 1, dtype=bool)
    lut[[ord(c) for c in chars]] = True
    return lut


def _joined(chars, starts, ends, turn_idx, idx: np.ndarray) -> np.ndarray:
    """For each i in ``idx``: tokens i and i+1 are in one turn with only spaces/tabs (or
    nothing) between them.  Called on candidate matches only, never on every token."""
    nxt = idx + 1
    same = turn_idx[idx] == turn_idx[nxt]
    return same & ~_gap_has(chars, ends[idx], starts[nxt], _lut(" \t"), invert=True)


# --- truecasing -------------------------------------------------------------------------------

# Characters that, in the gap before a word, make its capital uninformative: sentence ends not
# cut (abbreviations), quotes, colons, brackets, dashes and list marks start a new utterance.
_RESET_CHARS = ".!?…:;«»\"“”„‘’'([{—–-•*/"


def _truecase(chars, starts, ends, codes, tok_doc, breaks, forms, norm_of, lemma_of, stop_of,
              n_single, cased, pairs, name_stops) -> dict[int, str]:
    """Give proper nouns their written form as lemma (``Chine``, ``DeepSeek``, ``Internet``).

    Decided per word TYPE (normalised form) and per document, from the document's own evidence,
    as a truecaser does: every occurrence of the type is capitalised (or mixed-case), at least
    one occurrence is NOT in a position that capitalises anyway (a sentence's or turn's first
    word, or a word after a quote, colon, dash or bracket), and its lemma is not the lemma of any
    word the document writes in lower case (``l’Initiative de gouvernance mondiale`` stays
    ``initiative`` when ``cette initiative`` occurs).  The lemma becomes the type's most frequent
    written form in the document.  Stopwords, acronyms (which keep their case anyway),
    all-capital words and words mapped to a multi-word term are left alone.  A multi-word NAME
    (a capitalised canonical in ``multiword.txt``: ``Nations unies``) gets that spelling as lemma
    when every occurrence in the document is written with a capital.

    ``pairs``: the (document, form) pair codes before merging, in each document's order of first
    appearance; ``name_stops``: the pairs that are stopwords as speakers' names.  Returns the new
    lemmas: ``{pair code: lemma}`` (forms keep ``lemma_of`` everywhere else).
    """
    fixes = _truecase_names(codes, tok_doc, forms, norm_of, n_single, cased)
    if not len(pairs):
        return fixes
    is_lower = np.zeros(n_single, dtype=bool)
    maybe = np.zeros(n_single, dtype=bool)
    for i in range(n_single):  # once per distinct form
        form = forms[i]
        if form == form.lower():
            is_lower[i] = True
        else:
            maybe[i] = not (stop_of[i] or form.isupper() or lemma_of[i] != lemma_of[i].lower()
                            or norm_of[i] != normalise(form))
    # norms and lemmas coded in one space, so that "a norm equals a lemma" compares codes
    strings = pd.factorize(np.asarray(norm_of[:n_single] + lemma_of[:n_single], dtype=object))
    n_strings = len(strings[1])
    norm_c, lemma_c = strings[0][:n_single], strings[0][n_single:]
    p_doc, p_code = pairs // _KEY, pairs % _KEY
    lower = is_lower[p_code]
    lower_norms = p_doc[lower] * n_strings + norm_c[p_code[lower]]
    lower_lemmas = p_doc[lower] * n_strings + lemma_c[p_code[lower]]
    cand = maybe[p_code] & ~np.isin(pairs, name_stops)
    c_norm = p_doc[cand] * n_strings + norm_c[p_code[cand]]
    c_lemma = p_doc[cand] * n_strings + lemma_c[p_code[cand]]
    keep = ~(np.isin(c_norm, lower_norms) | np.isin(c_lemma, lower_lemmas)
             | np.isin(c_norm, lower_lemmas))
    cand_pairs = pairs[cand][keep]  # still in each document's order of first appearance
    if not len(cand_pairs) or not len(codes):
        return fixes
    group = c_norm[keep]
    at = _index_of(cand_pairs, tok_doc * _KEY + codes)
    idx = np.flatnonzero(at >= 0)
    which = at[idx]  # index into cand_pairs of each candidate token
    free = _not_initial(chars, starts, ends, breaks, idx)
    counts = np.bincount(which, minlength=len(cand_pairs))
    evidence = np.bincount(which[free], minlength=len(cand_pairs))
    g_codes, g_uniques = pd.factorize(group)
    g_evidence = np.bincount(g_codes, weights=evidence, minlength=len(g_uniques))
    # the most frequent written variant of each group; ties go to the first seen in the document
    rank = np.arange(len(cand_pairs))
    best = np.lexsort((rank, -counts, g_codes))
    first = np.ones(len(best), dtype=bool)
    first[1:] = g_codes[best][1:] != g_codes[best][:-1]
    winner = np.empty(len(g_uniques), dtype=np.int64)
    winner[g_codes[best][first]] = best[first]
    for k in np.flatnonzero(g_evidence[g_codes] > 0).tolist():
        fixes[int(cand_pairs[k])] = forms[int(cand_pairs[winner[g_codes[k]]] % _KEY)]
    return fixes


def _not_initial(chars, starts, ends, breaks, idx: np.ndarray) -> np.ndarray:
    """For each token index in ``idx``: it is neither its sentence's first word nor preceded
    (across the gap from the previous token) by a character of ``_RESET_CHARS``."""
    if not len(idx):
        return np.zeros(0, dtype=bool)
    prev = np.maximum(idx - 1, 0)
    sid = np.searchsorted(breaks, starts[idx], side="right")
    sid_prev = np.searchsorted(breaks, starts[prev], side="right")
    free = (idx > 0) & (sid == sid_prev)
    gap_start = np.where(idx > 0, ends[prev], starts[idx])
    return free & ~_gap_has(chars, gap_start, starts[idx], _lut(_RESET_CHARS))


def _truecase_names(codes, tok_doc, forms, norm_of, n_single, cased) -> dict[int, str]:
    """Multi-word names (merged rows, codes >= ``n_single``) that a document writes with a
    capital every time take the canonical's spelling from the lexicon (``Nations unies``)."""
    if not cased:
        return {}
    merged = codes >= n_single
    keys = pd.unique(tok_doc[merged] * _KEY + codes[merged])
    groups: dict[tuple[int, str], list[int]] = {}
    for key in keys.tolist():
        doc, i = divmod(key, int(_KEY))
        if norm_of[i] in cased:
            groups.setdefault((doc, norm_of[i]), []).append(key)
    fixes = {}
    for (_, canonical), group in groups.items():
        if all(forms[k % int(_KEY)][:1].isupper() for k in group):
            fixes.update(dict.fromkeys(group, cased[canonical]))
    return fixes


# --- the table --------------------------------------------------------------------------------

def _dense(values: np.ndarray) -> np.ndarray:
    """1.. numbering of a non-decreasing array (equal values share a number)."""
    if not len(values):
        return values.astype(np.int64)
    return np.concatenate([[1], 1 + np.cumsum(values[1:] != values[:-1])]).astype(np.int64)


def _sentence_breaks(text: str, t_start: np.ndarray, language: str
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Offsets where a sentence ends (the cuts, line breaks and turns' starts; sorted, unique)
    and the offsets of the line breaks.

    Counting the breaks at or before a token's start numbers its sentence."""
    newlines = np.array([m.start() for m in _NEWLINE.finditer(text)], dtype=np.int64)
    breaks = np.unique(np.concatenate([
        np.asarray(sentence_cuts(text, language=language), dtype=np.int64), newlines, t_start]))
    return breaks, newlines


def _frame(interviews, turns, language, base, starts, ends, codes, tok_doc, turn_idx, forms,
           norm_of, lemma_of, stop_of, breaks, newlines, name_stops, lemma_fix) -> pd.DataFrame:
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
