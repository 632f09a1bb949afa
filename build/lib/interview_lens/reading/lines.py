"""Line classification for the segmenter: what a line of an interview starts with.

Each non-blank line (one paragraph of the normalised text) is looked at once, with anchored
regular expressions of bounded repetition only, so a 50 MB transcript costs linear time.  A
line is a speaker label (``Name :``, ``MR. SMITH:``, ``stark:``, ``[00:01:23] Name:``), a Q/A
marker (``Q:``, ``R -``, ``Question :``), a dialogue-dash or numbered question, a caption or byline
(``Légende :``, ``Propos recueillis par``), a bare timestamp, a Markdown heading, or plain text.
Whether a candidate label is really a speaker is decided later, over the whole document.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_CLOCK = r"\d{1,2}(?::\d{2}){1,2}(?:[.,]\d+)?"
# `[00:01:23]`, `(01:23)`, `00:01:23` (a bare clock needs hours, or `10:30` would match)
_TS = rf"(?:\[\s*{_CLOCK}\s*\]|\(\s*{_CLOCK}\s*\)|\d{{1,2}}:\d{{2}}:\d{{2}}(?:[.,]\d+)?)"
TIMESTAMP_LINE = re.compile(rf"\s*{_TS}\s*$")
LEADING_TS = re.compile(rf"\s*{_TS}\s*(?:[-–—]\s+)?")
_UP = "A-ZÀ-ÖØ-ÞŒ"

# `Name :`, `Name:`, `**Name:**`, `Name (00:01:23):`; the name itself is validated in Python.
LABEL = re.compile(
    rf"(?P<lead>\s*(?:{_TS}\s*)?(?:\*\*|__)?)"
    r"(?P<name>[^\W\d_][^\s:*()\[\]]{0,40}(?: [^\s:*()\[\]]{1,40}){0,5}?)"
    rf"(?:\s*{_TS})?\s*(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?(?=\s|$)(?P<after>\s*(?:{_TS}\s*)?)")
# Q/A markers: `Q:`, `Q -`, `R.`, `Question :`, `Réponse :`, `Q1.`
MARKER = re.compile(
    rf"(?P<lead>\s*(?:{_TS}\s*)?(?:\*\*|__)?)"
    r"(?P<name>Q\d{0,3}|R|A|QUESTION|Question|R[ÉE]PONSE|Réponse|Reponse|ANSWER|Answer)"
    r"(?:\*\*|__)?(?:\s*[:：]|\s+[-–—]|\.|\))(?:\*\*|__)?(?=\s|$)(?P<after>\s*)")
# Hearings and briefings: `Senator Leahy. Thank you...`, `The Chairman. The committee...`,
# `Mr. Doe. I...` (a title, a name, a full stop, then the words); `Q  Mr. President...` (a Q set
# apart by spaces, no colon).
TITLED = re.compile(
    r"(?P<lead>\s*)(?P<name>(?:(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|M|Mme|Me)\.|Senator|Representative|"
    r"Chairman|Chairwoman|Chair|Secretary|General|Admiral|Judge|Justice|Commissioner|Governor|"
    r"Mayor|Ambassador|Delegate|Président|Présidente|Sénateur|Sénatrice|Député|Députée|Ministre)"
    r" [A-ZÀ-ÖØ-Þ][\w’'\-]+(?: [A-ZÀ-ÖØ-Þ][\w’'\-]+)?|The (?:Chairman|Chairwoman|Chair|President|"
    r"Witness|Clerk|Speaker)|Le président|La présidente)\.\s+(?=[A-ZÀ-ÖØ-Þ\"“«(\[])(?P<after>)")
Q_SPACED = re.compile(r"(?P<lead>\s*)(?P<name>Q)(?:\s{2,}|\t)(?=\S)(?P<after>)")
# `HÉLÈNE` alone on a line, or `HÉLÈNE Bonjour...` (an upper-case name leading the line).
CAPS = re.compile(
    rf"(?P<lead>\s*)(?P<name>[{_UP}][{_UP}'’.\-]+(?: [{_UP}][{_UP}'’.\-]*){{0,3}})"
    rf"(?:\s*$|\s+(?=\S*[a-zà-ÿ]))(?P<after>)")
# Otter.ai, Rev, Descript and Teams exports: `Speaker 1  0:03` or `Jane Doe  00:01:02` alone on
# its line, the words below it.
OWN_LINE_LABEL = re.compile(
    r"(?P<lead>\s*)(?P<name>[^\W\d_][^\s:*()\[\]]{0,40}(?: [^\s:*()\[\]]{1,40}){0,5}?)"
    r"(?:\s+|\s*[-–|]\s*)(?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)\s*$(?P<after>)")
DASH = re.compile(r"\s*[—–-]\s+")
NUMBERED = re.compile(r"\s*\d{1,3}\s*[.)]\s+")
HEADING = re.compile(r"\s*#{1,6}\s")
# `Sophie Garnier : « La bibliothèque est le dernier lieu gratuit »`: a press headline
_HEADLINE = re.compile(r"\s*[«“\"][^«»“”\"]*[»”\"]\s*$")
_URL = re.compile(r"(?:https?|ftp|mailto|www)\b", re.I)
_NUMBERING = re.compile(r"\d+|[IVXLC]+|[a-z]", re.I)
_QUESTION_END = re.compile(r"\?[\s»\"”’)*_]*$")

# Words that introduce captions, credits and bylines, never a speaker.
CAPTION_WORDS = {
    "legende", "photo", "photos", "source", "sources", "credit", "credits", "caption",
    "illustration", "image", "images", "copyright", "video", "infographie", "lire aussi",
    "a lire aussi", "voir aussi", "see also", "read more", "read also", "related", "photographie",
    "credit photo", "photo credit",
}
# Other words that end with a colon at the start of a line without being a speaker.
NOT_SPEAKERS = CAPTION_WORDS | {
    "note", "notes", "nb", "ps", "ndlr", "editor's note", "note de la redaction", "update",
    "mise a jour", "edit", "titre", "title", "sujet", "subject", "objet", "date", "lieu", "tags",
    "mots-cles", "keywords", "resume", "summary", "contexte", "context", "exemple", "example",
    "attention", "important", "warning", "avertissement", "transcript", "transcription", "tel",
    "email", "e-mail", "web", "site", "twitter", "facebook", "instagram", "linkedin", "youtube",
    "audio", "reperes", "bio", "biographie", "bio express", "en bref", "a retenir", "key points",
    "episode", "saison", "season", "duree", "duration", "publie", "published", "updated",
    "modifie", "auteur", "author", "par", "by", "remarque", "definition", "conclusion",
    "introduction", "rappel", "chapitre", "chapter", "partie", "part", "etape", "step",
}
BYLINE = re.compile(r"\s*(?:propos recueillis par|entretien réalisé par|interview(?:ed)? by|"
                    r"transcribed by|transcription par|©|"
                    # boxes of links and further reading
                    r"pour (?:plus d[’']informations?|en savoir plus|aller plus loin)|"
                    r"en savoir plus|for more (?:information|info|details)|to learn more|"
                    r"further reading)", re.I)
PARTICLES = {"de", "du", "des", "la", "le", "van", "von", "der", "den", "da", "di", "del",
             "della", "dos", "das", "et", "and", "&", "bin", "ben", "al", "el", "y", "e", "ter",
             "ten", "of", "the", "d'", "d’", "l'", "l’", "st", "st."}
JOINERS = {"et", "and", "&", "/"}
# `Florence d’Alché-Buc`, `Jean d'Ormesson`, `Mary O'Neil`: an elided particle glued to a name
_ELIDED_PARTICLE = re.compile(r"(?:d|l|o)[’'][A-ZÀ-ÖØ-Þ]")
# `Delfi.lt journalist`, `France Bleu journaliste`: a name followed by a part in lower case
PART_WORDS = {"journalist", "journaliste", "reporter", "host", "presenter", "présentateur",
              "présentatrice", "interviewer", "moderator", "modérateur", "modératrice",
              "animateur", "animatrice", "guest", "invité", "invitée", "producer", "spokesperson",
              "porte-parole"}


@lru_cache(maxsize=8192)  # labels repeat: cache per label type, not per line
def plain_key(name: str) -> str:
    """Accents stripped, lower-case, letters and digits only: ``Hélène-M.`` -> ``helenem``."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).lower()


@lru_cache(maxsize=8192)
def words_key(name: str) -> str:
    """Accents stripped, lower-case, spaces kept (for stoplist look-ups)."""
    decomposed = unicodedata.normalize("NFKD", name)
    out = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(out.replace("’", "'").split())


def is_masthead(name: str) -> bool:
    """An all-caps 2-4 letter label such as ``GT`` or ``BBC`` (a newspaper's initials)."""
    return 2 <= len(name) <= 4 and name.isalpha() and name.isupper()


def is_joint(name: str) -> bool:
    """``Julian et Marie-Sophie``, ``X and Y``: two interviewers asking together."""
    return any(w.lower() in JOINERS for w in name.split()[1:-1])


def display_name(name: str) -> str:
    """Upper-case labels in title case (``MR. SMITH`` -> ``Mr. Smith``), mastheads kept (``GT``)."""
    name = " ".join(name.strip(" *_").split())
    if is_masthead(name) or not any(c.isupper() for c in name) or name != name.upper():
        return name
    out = []
    for word in name.split():
        if word.lower() in PARTICLES and out:  # `THE VICE PRESIDENT`, `LE PEN`: first kept
            word = word.lower()
        elif len(word.rstrip(".")) >= 2 or word.endswith("."):
            # capitals after a hyphen and after a one-letter elision: JEAN-LUC, O'NEIL, D’SOUZA
            word = re.sub(r"(^|-)(\w)", lambda m: m[1] + m[2].upper(), word.lower())
            word = re.sub(r"^(\w[’'])(\w)", lambda m: m[1] + m[2].upper(), word)
        out.append(word)
    return " ".join(out)


def is_question(line: str) -> bool:
    return bool(_QUESTION_END.search(line))


@dataclass(slots=True)
class Line:
    """One non-blank line: its span in the text and what it looks like."""

    start: int                # offset of the first non-blank character
    end: int                  # offset after the last non-blank character
    kind: str                 # label | marker | caps | handle | titled | dash | numbered | caption |
                              # timestamp | heading | plain
    name: str = ""            # the label as written (kinds label/marker/caps/handle)
    body: int = 0             # offset where the content starts (after label, dash, number...)
    question: bool = False    # ends with "?"
    bold: float = 0.0         # share of the line's characters that were bold in the source


def classify(text: str, start: int, end: int) -> Line:
    """Classify ``text[start:end]`` (a stripped, non-blank line)."""
    line = text[start:end]
    question = is_question(line)
    first = line[0]
    if first in "[(0123456789" and TIMESTAMP_LINE.match(line):
        return Line(start, end, "timestamp", body=end)
    if first == "#" and HEADING.match(line):
        return Line(start, end, "heading", body=start + HEADING.match(line).end(),
                    question=question)
    if first in "PpEeIiTtFf©" and BYLINE.match(line):
        return Line(start, end, "caption", body=start, question=question)
    head = line[:90]
    if ":" in head or "：" in head or "-" in head[:14] or "." in head[:12] or ")" in head[:12]:
        m = MARKER.match(line)
        if m:
            return Line(start, end, "marker", m.group("name"), start + m.end(), question)
    if first == "Q" and line[1:2].isspace():
        m = Q_SPACED.match(line)
        if m:
            return Line(start, end, "marker", "Q", start + m.end(), question)
    if ". " in head[:50] and first in "MDPSRCGAJTLl":
        m = TITLED.match(line)
        if m:
            return Line(start, end, "titled", m.group("name"), start + m.end(), question)
    if ":" in head or "：" in head:
        m = LABEL.match(line)
        if m:
            kind = _label_kind(m.group("name"), line, m)
            if kind == "caption":  # kept whole: `Légende :` is part of the caption's text
                return Line(start, end, kind, body=start, question=question)
            if kind and _HEADLINE.match(line, m.end()):
                return Line(start, end, "heading", body=start, question=question)
            if kind:
                return Line(start, end, kind, m.group("name"), start + m.end(), question)
    if line[-1].isdigit() and ":" in line[-9:]:
        m = OWN_LINE_LABEL.match(line)
        if m and _name_kind(m.group("name").strip()) in ("label", "handle"):
            return Line(start, end, "label", m.group("name"), end, question)
    if first in "—–-" and DASH.match(line):
        return Line(start, end, "dash", body=start + DASH.match(line).end(), question=question)
    if first.isdigit() and question:
        m = NUMBERED.match(line)
        if m:
            return Line(start, end, "numbered", body=start + m.end(), question=question)
    if first.isupper():
        m = CAPS.match(line)
        if m and len(m.group("name")) <= 40 and sum(c.isalpha() for c in m.group("name")) >= 2:
            return Line(start, end, "caps", m.group("name"), start + m.end(), question)
    return Line(start, end, "plain", body=start, question=question)


def _label_kind(name: str, line: str, m: re.Match) -> str | None:
    """``label``, ``handle``, ``caption`` or None for a ``Word(s):`` candidate."""
    if "//" in line[m.start("after") - 1:m.start("after") + 2]:
        return None  # `http://`
    return _name_kind(name.strip())


@lru_cache(maxsize=8192)
def _name_kind(name: str) -> str | None:
    key = words_key(name)
    if _URL.match(name):
        return None
    if key in CAPTION_WORDS:
        return "caption"
    words = name.split()
    if key in NOT_SPEAKERS or len(name) > 40 or (
            words_key(words[0]) in NOT_SPEAKERS
            and all(_NUMBERING.fullmatch(w) for w in words[1:])):
        return None  # `Note :`, `Episode 41:`, `Partie II :`
    parts = re.split(r" (?:/|&) ", name)
    if len(parts) == 2:  # `Sophie Clairet / Ariane Rose`: two people, each a name
        return "label" if all(_name_kind(p) == "label" for p in parts) else None
    if len(words) > 4 + sum(w.lower() in PARTICLES for w in words[1:]) // 2 or len(words) > 6:
        return None
    if len(words) == 1 and re.fullmatch(r"[a-z][a-z0-9_.\-]*", name):
        return "handle"
    if words[-1].lower() in PARTICLES:
        return None
    for i, w in enumerate(words):
        if w.lower() in PARTICLES or w[0].isupper() or w[0].isdigit() or w in ("/", "&") \
                or _ELIDED_PARTICLE.match(w) \
                or (i == len(words) - 1 and i and w.lower() in PART_WORDS):
            continue
        return None
    return "label"
