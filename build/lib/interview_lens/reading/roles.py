"""Who asks and who answers: the role of each speaker of a segmented interview.

Decided per speaker, not per document, from what the turns show (length, questions, who speaks
right after a question), from labels that name a part (`Interviewer`, `Respondent`), and from
what the researcher set in the sidecar; voices that neither ask nor answer (an audience, a
producer) are ``other``.  :mod:`.segment` calls :func:`speaker_roles` once the turns are cut.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from interview_lens.reading import lines as L
from interview_lens.reading.speakers import similar

# Voices that take part in a recording without asking or answering: `other`, not dialogue.
OTHER_VOICES = re.compile(
    r"(?:the |l[ae'’] ?|un |une |an? )?(?:audienc\w*|public|crowd|foule|salle|producer|"
    r"productr?ice|producteur|announcer|annonceur|narrat\w*|voice[- ]?over|voix[- ]off|"
    r"unidentified|unknown|inconnue?|non identifiée?|inaudible|operator|opérat(?:eur|rice)|"
    r"interpreter|interprète|translator|traduct(?:eur|rice)|off[- ]camera|hors[- ]champ|"
    r"several|plusieurs|all|tous|multiple speakers|participants? (?:dans la salle|in the room))"
    r"(?: (?:member|members|membre|speaker|voices?|voix|\d+))?\s*\d*", re.I)
_OTHER_ROLE_NOUN = (r"(?:producer|co-producer|sound engineer|audio engineer|announcer|"
                    r"productrice|producteur|réalisatrice|réalisateur|ingénieure? du son)")
# Labels that say the speaker's part (`Interviewer`, `I`, `Enquêtrice`, `Respondent`, `Invité`).
ASKING_NAMES = frozenset("""i int interviewer intervieweur intervieweuse enqueteur enquetrice
journaliste journalist reporter host co-host animateur animatrice presentateur presentatrice
moderator moderateur moderatrice""".split())
ANSWERING_NAMES = frozenset("""interviewee respondent repondant repondante enquete enquetee
guest invite invitee witness temoin participant""".split())
# Below this share of the interviewee's mean turn length, another speaker is one who asks.
SHORT_TURNS = 0.5
# A question rate this much above the interviewee's marks a second interviewer.
MORE_QUESTIONS = 0.25


def _other_voice(name: str, text: str) -> bool:
    """`Audience`, `Producer`, `Announcer` ... or a speaker the text calls its producer."""
    if OTHER_VOICES.fullmatch(name.strip(" .:")):
        return True
    first = re.escape(name.split()[0]) if name.split() else ""
    if len(first) < 3:
        return False
    head = text[:200_000]
    return bool(re.search(rf"\b{first}\b[^.\n]{{0,30}}?\b(?:is|was|est|était)\s+(?:our|the|my|"
                          rf"notre|la|le|ma|mon)\s+{_OTHER_ROLE_NOUN}\b", head)
                or re.search(rf"\b(?:our|the|notre|la|le)\s+{_OTHER_ROLE_NOUN},?\s+{first}\b",
                             head))


def speaker_roles(speakers: Sequence[Any], text: str, mapping: dict[str, str],
                   given: dict[str, str], interviewer_arg: frozenset[str] = frozenset()
                   ) -> tuple[dict[str, tuple[str, str]], set[str]]:
    """Role of each canonical speaker, and why; and which of the ``given`` roles named one.

    ``speakers``: the labelled turns in order, each with ``speaker`` (canonical name) and
    ``spans`` (its ``(start, end)`` character spans in ``text``).

    ``given`` maps a label or a name (the sidecar's ``speakers:``/``interviewers:``, the
    ``interviewer`` argument) to a role: those are kept as they are.

    Per speaker, not per document: any number of people may ask (two hosts, a panel's
    moderators) and answer (co-guests).  The interviewee is the speaker with most words among
    those who rarely end a turn on a question; another speaker asks when their turns are much
    shorter (under half the interviewee's mean), ask markedly more often, or never speak right
    after a question (a host's introduction); else they answer too.
    """
    canon = list(dict.fromkeys(t.speaker for t in speakers))
    out: dict[str, tuple[str, str]] = {}
    hits: set[str] = set()
    for given_name, role in given.items():
        key = L.plain_key(given_name)
        named = {c for label, c in mapping.items() if key in (L.plain_key(label), L.plain_key(c))}
        if not named:
            close = [c for c in canon if similar(given_name, c)]
            named = set(close) if len(close) == 1 else set()
        for c in named:
            out[c] = (role, "set in the sidecar" if given_name not in interviewer_arg
                      else "named as the interviewer")
        hits |= {given_name} if named else set()
    stats: dict[str, list[int]] = {c: [0, 0, 0, 0] for c in canon}  # turns, ends ?, has ?, words
    for t in speakers:
        s = stats[t.speaker]
        a, b = t.spans[0][0], t.spans[-1][1]
        s[0] += 1
        s[1] += L.is_question(text[t.spans[-1][0]:b])
        s[2] += any("?" in text[x:y] for x, y in t.spans)
        s[3] += text.count(" ", a, b) + 1
    for c in canon:
        key = L.words_key(c).rstrip(" 0123456789")
        if c not in out and key in ASKING_NAMES:
            out[c] = ("interviewer", "the label names the one who asks")
        elif c not in out and key in ANSWERING_NAMES:
            out[c] = ("interviewee", "the label names the one who answers")
    most = max(stats[c][3] for c in canon)
    for c in canon:
        # an oral history's `Narrator` is its interviewee: a voice-over never speaks most
        if c not in out and _other_voice(c, text) and (stats[c][3] < 0.5 * most or len(canon) == 1):
            out[c] = ("other", "a voice that neither asks nor answers")
    dialogue = [c for c in canon if out.get(c, ("",))[0] != "other"]
    answered = Counter(t.speaker for prev, t in zip(speakers, speakers[1:])
                       if prev.speaker != t.speaker and any("?" in text[x:y] for x, y in prev.spans))
    rest = [c for c in dialogue if c not in out]
    if not rest:
        return out, hits
    if len(dialogue) == 1 and not out:
        n, q_end, _, _ = stats[rest[0]]
        role = "interviewer" if q_end / n >= 0.5 else "interviewee"
        out[rest[0]] = (role, "the only speaker; " + ("most turns are questions" if role ==
                                                      "interviewer" else "a monologue"))
        return out, hits
    mastheads = [c for c in rest if L.is_masthead(c)]
    for c in rest:
        if L.is_joint(c):
            out[c] = ("interviewer", "a joint label of two people asking")
        elif mastheads == [c] and not any(r == "interviewer" for r, _ in out.values()):
            out[c] = ("interviewer", "a masthead's initials")
    rest = [c for c in rest if c not in out]
    if not rest:
        return out, hits
    answering = [c for c in dialogue if out.get(c, ("",))[0] == "interviewee"] or [
        c for c in rest if stats[c][1] / stats[c][0] < 0.5] or rest
    main = max(answering, key=lambda c: (stats[c][3], -canon.index(c)))
    mean = {c: stats[c][3] / stats[c][0] for c in dialogue}
    rate = {c: stats[c][2] / stats[c][0] for c in dialogue}
    asks_already = any(role == "interviewer" for role, _ in out.values())
    for c in rest:
        if c == main:
            out[c] = ("interviewee", "speaks most, rarely ends a turn on a question")
        elif len(dialogue) == 2 and not asks_already:
            out[c] = ("interviewer", "the other speaker of a two-person dialogue")
        elif mean[c] < SHORT_TURNS * mean[main]:
            out[c] = ("interviewer", f"turns of {mean[c]:.0f} words on average against "
                                     f"{mean[main]:.0f} for {main}")
        elif rate[c] >= rate[main] + MORE_QUESTIONS:
            out[c] = ("interviewer", f"asks in {rate[c]:.0%} of turns against {rate[main]:.0%}")
        elif not answered[c]:
            out[c] = ("interviewer", "speaks at length but never right after a question")
        else:
            out[c] = ("interviewee", f"answers at length like {main}")
    return out, hits
