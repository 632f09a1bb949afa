"""Speaker aliases: variant spellings of one person become one canonical speaker.

Transcripts and machine translations spell names inconsistently (``Kulbariya``, ``Kurubariya``,
``Kurbalija``).  Labels are grouped by the similarity of a phonetic-ish key (accents stripped,
``l``/``r`` and ``j``/``y`` confused, doubled letters collapsed), then a cluster of surname-only
labels takes the full name mentioned in the text (``Jovan Kurbalija``).  An aliases file or the
sidecar's ``aliases:`` (``canonical: [variant, ...]``) overrides the guesses.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from interview_lens.errors import ConfigError
from interview_lens.reading.config import read_yaml
from interview_lens.reading.lines import display_name, is_joint, is_masthead, plain_key

# Ratio of difflib.SequenceMatcher on phonetic keys above which two labels are one person:
# Kulbariya/Kurubariya score 0.95, Dupont/Dupond 0.83, Marie/Mario 0.8, Smith/Schmidt 0.67.
SIMILARITY = 0.85
# Full names are looked up in this much text only: they sit in the lede and captions, and a
# scan of a whole 50 MB transcript would cost seconds for nothing.
NAME_SCAN_CHARS = 2_000_000
# a name part: Jovan, Marie-Sophie, O'Neil, McDonald, D’Souza (its capital, then the rest)
_CAPITAL = "[A-ZÀ-ÖØ-Þ]"
_NAME_REST = r"(?:[’']|a?c)?[A-ZÀ-ÖØ-Þ]?[a-zà-öø-ÿ]+(?:[’'\-][A-ZÀ-ÖØ-Þ]?[a-zà-öø-ÿ]+)*"
_NAME_PART = _CAPITAL + _NAME_REST
# A full name starts at a capital with no word character before it (``\b``, written as a
# look-behind after the capital so that the regex engine can skip ahead to capitals: 2.4x
# faster on long transcripts).
_FULL_NAME = re.compile(rf"{_CAPITAL}(?<!\w.){_NAME_REST}(?: {_NAME_PART}){{1,2}}\b")
# Words that stand before a name without being part of it: greetings, thanks and forms of
# address (`Bonjour Julian`, `Hi Caralie`, `Merci Marc`, `Monsieur Macron`, `Dear Ann`).
NOT_NAME_WORDS = frozenset("""
bonjour bonsoir salut coucou merci bravo bienvenue bienvenu cher chère chers chères monsieur
madame mademoiselle messieurs mesdames maître docteur professeur président présidente ministre
hi hello hey hiya thanks thank welcome dear mr mrs ms miss dr prof sir madam mister doctor
professor president senator governor minister congressman congresswoman secretary ambassador
good goodbye bye cheers okay ok yes no oui non well alors voilà ainsi and et mais but so
""".split())
_LOWER_WORD = re.compile(r"(?<!\w)[a-zà-öø-ÿ][\w’'\-]*")
_PHONETIC = [(re.compile(p), r) for p, r in (
    ("ph", "f"), ("ck", "k"), ("ou", "u"), ("w", "v"), ("l", "r"), ("j", "y"), (r"(.)\1+", r"\1"))]


def load_aliases(path: str | Path) -> dict[str, list[str]]:
    """Read an aliases YAML file ``canonical: [variant, ...]``; ConfigError when malformed."""
    return check_aliases(read_yaml(path, what="aliases file"), Path(path))


def check_aliases(raw: object, path: str | Path | None) -> dict[str, list[str]]:
    """Validate ``{canonical: [variants]}`` (a single variant may be a plain string)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(path, "aliases must be a mapping canonical: [variant, ...]")
    out: dict[str, list[str]] = {}
    for canonical, variants in raw.items():
        if variants is None:
            variants = []
        if isinstance(variants, (str, int, float)):
            variants = [variants]
        if not isinstance(variants, list) or not all(isinstance(v, (str, int, float))
                                                      for v in variants):
            raise ConfigError(path, "variants must be a list of names", item=str(canonical))
        out[str(canonical)] = [str(v) for v in variants]
    return out


ROLES = ("interviewer", "interviewee", "other")


def check_speakers(raw: object, path: str | Path | None) -> dict[str, dict[str, str]]:
    """Validate a sidecar's ``speakers:``: ``{label: name}`` or ``{label: {name:, role:}}``.

    Returns ``{label: {"name": ..., "role": ...}}`` (either may be missing).
    """
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(path, "speakers must be a mapping label: {name: ..., role: ...}")
    out: dict[str, dict[str, str]] = {}
    for label, spec in raw.items():
        if isinstance(spec, str):
            spec = {"name": spec}
        if not isinstance(spec, dict) or set(spec) - {"name", "role"}:
            raise ConfigError(path, "a speaker is a name or {name: ..., role: ...}",
                              item=str(label))
        role = spec.get("role")
        if role is not None and role not in ROLES:
            raise ConfigError(path, f"role must be one of {', '.join(ROLES)}, not {role!r}",
                              item=str(label))
        name = spec.get("name")
        if name is not None and not isinstance(name, str):
            raise ConfigError(path, "name must be a string", item=str(label))
        out[str(label)] = {k: v for k, v in (("name", name), ("role", role)) if v}
    return out


def check_names(raw: object, path: str | Path | None, key: str) -> list[str]:
    """A list of names (``interviewers: [Julian, Marie-Sophie]``; one name may be a string)."""
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise ConfigError(path, f"{key} must be a list of names", item=key)
    return list(raw)


def phonetic_key(name: str) -> str:
    """``Kurbalija`` and ``Kurbariya`` both give ``kurbariya``."""
    key = plain_key(name)
    for pattern, repl in _PHONETIC:
        key = pattern.sub(repl, key)
    return key


@lru_cache(maxsize=65536)
def similar(a: str, b: str) -> bool:
    """Whether two speaker labels are plausibly spellings of one person's name."""
    if is_masthead(a) or is_masthead(b) or is_joint(a) or is_joint(b):
        return plain_key(a) == plain_key(b)
    wa, wb = a.split(), b.split()
    if not wa or not wb:
        return False
    if len(wa) != len(wb):  # `Smith` vs `John Smith`: compare the surnames
        a, b = wa[-1], wb[-1]
    ka, kb = plain_key(a), plain_key(b)
    if ka == kb:
        return True
    if re.sub(r"\D", "", ka) != re.sub(r"\D", "", kb) or min(len(ka), len(kb)) < 4:
        return False  # `Speaker 1`/`Speaker 2`; short names only merge when equal
    # Marie/Mario, Martin/Martine, Jean/Jeanne: a different ending vowel is a different person.
    stem_a, stem_b = ka.rstrip("aeiouy"), kb.rstrip("aeiouy")
    if stem_a == stem_b or stem_a.rstrip("n") == stem_b.rstrip("n"):
        return False
    pa, pb = phonetic_key(a), phonetic_key(b)
    return pa == pb or difflib.SequenceMatcher(None, pa, pb).ratio() >= SIMILARITY


def resolve_speakers(labels: Counter[str], text: str, *,
                     explicit: dict[str, list[str]] | None = None
                     ) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Map every label (as written) to a canonical speaker name.

    Parameters
    ----------
    labels : label as written -> number of turns, in order of first appearance.
    text : the interview's text, searched for full names (``Jovan Kurbalija``).
    explicit : ``{canonical: [variants]}`` from an aliases file or the sidecar; wins over guesses.

    Returns ``(canonical_of_label, merges)`` where ``merges`` is ``{canonical: sorted variants}``
    for every canonical name that stands for more than its own spelling.
    """
    explicit = explicit or {}
    by_key: dict[str, str] = {}
    for canonical, variants in explicit.items():
        for v in (canonical, *variants):
            by_key.setdefault(plain_key(v), canonical)
    clusters: dict[str, list[str]] = {c: [] for c in explicit}
    order = sorted(labels, key=lambda lab: -labels[lab])  # stable: ties keep text order
    for label in order:
        canonical = by_key.get(plain_key(label)) or by_key.get(plain_key(display_name(label)))
        if canonical is None:
            canonical = next((c for c, members in clusters.items()
                              if any(similar(label, m) for m in (members or [c]))), None)
        if canonical is None:
            canonical = display_name(label)
            clusters[canonical] = []
        clusters[canonical].append(label)
    mapping: dict[str, str] = {}
    merges: dict[str, list[str]] = {}
    mentions = _full_names(text[:NAME_SCAN_CHARS]) if labels else Counter()
    for canonical, members in clusters.items():
        if not members:
            continue
        variants = set(members)
        if canonical not in explicit:
            full, surnames = _full_name_for(members, labels, mentions)
            if full:
                canonical = full
                variants |= surnames
        for m in members:
            mapping[m] = canonical
        shown = sorted(v for v in variants if plain_key(v) != plain_key(canonical))
        if shown:
            merges[canonical] = shown
    return mapping, merges


def _full_names(text: str) -> Counter[str]:
    """Full-name mentions: capitalised name words, never led by a greeting or a form of address.

    A first word that the text also uses in lower case (`Alors`, `Great`) is a sentence start,
    not a first name.
    """
    found = Counter(m.group() for m in _FULL_NAME.finditer(text))
    if not found:
        return found
    lowered = set(_LOWER_WORD.findall(text))  # one pass, whatever the number of names
    return Counter({name: n for name, n in found.items()
                    if (w := name.split()[0].lower()) not in NOT_NAME_WORDS and w not in lowered})


def _full_name_for(members: list[str], labels: Counter[str], mentions: Counter[str]
                   ) -> tuple[str | None, set[str]]:
    """The full name in the text for a cluster of surname-only labels, and its surname spellings.

    A mention whose surname is spelled exactly like a label wins (the label confirms that
    spelling); then the closest surname (count-weighted mean similarity to the labels); then
    the most frequent mention.
    """
    if any(len(m.split()) != 1 or is_masthead(m) or len(plain_key(m)) < 3 for m in members):
        return None, set()
    keys = {plain_key(m): labels[m] for m in members}
    sizes = [len(k) for k in keys]

    def close(surname: str) -> bool:
        # similar() needs a difflib ratio of 0.85, out of reach when the lengths differ much:
        # skip those pairs (a long transcript mentions thousands of names)
        n = len(plain_key(surname))
        return any(min(n, k) >= 0.6 * max(n, k) for k in sizes) \
            and any(similar(surname, m) for m in members)

    matching = {sur for sur in {name.split()[-1] for name in mentions} if close(sur)}
    found = [(name, n) for name, n in mentions.items() if name.split()[-1] in matching]
    if not found:
        # a first-name label (`Julian`, `Marie-Sophie`) takes the one full name it begins
        firsts = {plain_key(name.split()[0]): name for name in mentions}
        named = {firsts.get(k) for k in keys} - {None}
        if len(named) == 1 and len(set(firsts.values()) & named) == 1:
            full = named.pop()
            same = [n for n in mentions if plain_key(n.split()[0]) == plain_key(full.split()[0])]
            if len(same) == 1:
                return full, set()
        return None, set()

    def score(item: tuple[str, int]) -> tuple[bool, float, int]:
        surname = plain_key(item[0].split()[-1])
        total = sum(keys.values())
        closeness = sum(n * difflib.SequenceMatcher(None, surname, k).ratio()
                        for k, n in keys.items()) / total
        return surname in keys, closeness, item[1]

    best = max(found, key=score)[0]
    first = best.split()[0]
    # Other mentions with the same first name are the same person spelled differently.
    surnames = {name.split()[-1] for name, _ in found if name.split()[0] == first}
    return best, surnames
