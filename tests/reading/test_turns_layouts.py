"""Turns in the layouts real interviews use (invented fixtures, exact turns), and the dialogue-turn
F1 on the real development interviews of ``../shared/interviews/`` when that folder exists."""
from __future__ import annotations

import importlib.util
import sys
import warnings
from pathlib import Path

import pytest

from interview_lens.errors import InterviewWarning
from interview_lens.reading.segment import read_interview

FIX = Path(__file__).parents[1] / "fixtures" / "turns"
REAL = Path(__file__).resolve().parents[3] / "shared" / "interviews"
I, E, O = "interviewer", "interviewee", "other"


def turns(name: str) -> list[tuple[str, str, str]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InterviewWarning)
        iv = read_interview(FIX / name)
    return [(t.role, t.speaker, t.text[:30]) for t in iv.turns.itertuples()]


EXPECTED = {
    # two hosts ask, one guest answers; an audience voice, a stage direction, an END line
    "two-hosts-en.txt": [
        (O, "", "The Climate Hour, episode 12"),
        (I, "Dr. Okafor", "Welcome back, everyone. Today "),
        (E, "Senator Alvarez", "I grew up on a farm in the val"),
        (I, "Dr. Lindqvist", "That is such a powerful image."),
        (E, "Senator Alvarez", "I learned how slowly the rules"),
        (O, "Audience Member", "Yes!"), (O, "", "(Applause.)"),
        (I, "Dr. Okafor", "Yes."),
        (I, "Dr. Lindqvist", "Last question: what should you"),
        (E, "Senator Alvarez", "Show up at the boring meetings"),
        (I, "Dr. Okafor", "Thank you so much."), (O, "", "END")],
    # only the interviewee is labelled; the questions are bare lines; a boxed aside
    "interviewee-only-fr.txt": [
        (O, "", "La bibliothèque qui prête des "), (O, "", "Depuis un an, la médiathèque d"),
        (I, "Interviewer", "Comment est née cette idée ?"),
        (E, "Claire Besson", "D’une demande des lecteurs eux"),
        (I, "Interviewer", "Qui les utilise le plus ?"),
        (E, "Claire Besson", "Les jeunes ménages qui s’insta"),
        (O, "", "❓ Le prêt en chiffres\n\nQuatre "),
        (I, "Interviewer", "Et la suite ?"),
        (E, "Claire Besson", "Un atelier de réparation, une "),
        (O, "", "Propos recueillis par Paul Gar")],
    # first names completed from the lede, never from `Bonjour Julien`; two journalists ask
    "greetings-fr.txt": [
        (O, "", "Entretien avec Anne Roussel, m"),
        (I, "Sophie Dorval", "Bonjour Madame la maire. Bonjo"),
        (I, "Julien Marchand", "Bonjour Sophie. Madame Roussel"),
        (E, "Anne Roussel", "Parce qu’il n’y reste que onze"),
        (I, "Sophie Dorval", "Les parents parlent de trahiso"),
        (E, "Anne Roussel", "Je les reçois tous, un par un."),
        (I, "Julien Marchand", "Merci Anne Roussel.")],
    # `Name: 00:00:05` on its own line, one sentence per line, a producer, section headings
    "timestamp-lines-en.txt": [
        (O, "", "Episode 7: Building the archiv"), (O, "", "Introduction"),
        (I, "Maya Chen", "Hi Tom.\n\nHi Priya."),
        (O, "Priya", "Hi both."),
        (I, "Maya Chen", "Priya is our producer, she kee"),
        (E, "Tom Reyes", "Thanks for having me.\n\nIt is a"),
        (O, "", "Digitising the maps"),
        (I, "Maya Chen", "How many maps did you scan?"),
        (E, "Tom Reyes", "About twelve thousand.\n\nSome w"),
        (I, "Maya Chen", "And who uses them now?"),
        (E, "Tom Reyes", "Mostly genealogists, and a sur")],
    # Otter.ai / Rev export: `Speaker 1  0:03` alone on its line
    "otter-en.txt": [
        (I, "Speaker 1", "Welcome to the show. How did y"),
        (E, "Speaker 2", "It started with a spreadsheet."),
        (I, "Speaker 1", "What was the hardest part?"),
        (E, "Speaker 2", "Procurement, by far.")],
    # bare question headings; the interviewee's own question stays in the answer
    "first-person-en.txt": [
        (O, "", "Lena Ortiz"), (O, "", "Cartographer"),
        (I, "Interviewer", "Who are you, and what do you d"),
        (E, "Interviewee", "I'm Lena Ortiz. I draw maps fo"),
        (I, "Interviewer", "What hardware do you use?"),
        (E, "Interviewee", "A ten-year-old laptop and a gr"),
        (I, "Interviewer", "And what software?"),
        (E, "Interviewee", "QGIS, always.")],
    # a hearing: `Title Name.` labels, a chair who opens and closes, a senator who asks
    "hearing-en.txt": [
        (O, "", "HEARING ON RURAL BROADBAND"),
        (I, "The Chairman", "The committee will come to ord"),
        (E, "Commissioner Ortega", "Thank you, Mr. Chairman. The p"),
        (I, "Senator Blake", "Commissioner, why did the moun"),
        (E, "Commissioner Ortega", "Because each pole there costs "),
        (I, "Senator Blake", "Will you change the formula?"),
        (E, "Commissioner Ortega", "We proposed a distance factor "),
        (I, "The Chairman", "Thank you. The hearing is adjo")],
    # a press briefing: reporters as `Q` set apart by spaces, times as other
    "briefing-en.txt": [
        (O, "", "Press Briefing by Press Secret"), (O, "", "1:02 P.M. EDT"),
        (E, "Ms. Holt", "Good afternoon, everyone. I ha"),
        (I, "Interviewer", "Thank you, Dana. Why was the s"),
        (E, "Ms. Holt", "The host government asked for "),
        (I, "Interviewer", "Will the President meet the un"),
        (E, "Ms. Holt", "He will, on Friday afternoon, "),
        (I, "Interviewer", "One more on the summit: is the"),
        (E, "Ms. Holt", "The agenda is the same."), (O, "", "1:31 P.M. EDT")],
    # an oral history: the narrator is the interviewee; a title with a colon is no speaker
    "oral-history-en.txt": [
        (O, "", "Oral History Project: Mill Wor"),
        (I, "Interviewer", "Could you tell me where you we"),
        (E, "Narrator", "I was born in 1931, in a house"),
        (I, "Interviewer", "What was a working day like?"),
        (E, "Narrator", "Loud. You could not hear yours"),
        (I, "Interviewer", "Thank you.")],
    # a research interview labelled with initials: neither is a masthead by default
    "initials-fr.txt": [
        (O, "", "Entretien de recherche n° 12, "),
        (I, "MK", "Pour commencer, pouvez-vous me"),
        (E, "JD", "Depuis 2009. J’ai commencé com"),
        (I, "MK", "Et qu’est-ce qui a changé avec"),
        (E, "JD", "Tout, ou presque. Je ne faisai"),
        (I, "MK", "Merci.")],
    # a social-science transcript: `I :` asks, `R :` answers
    "i-r-fr.txt": [
        (O, "", "Entretien n° 3"), (I, "I", "Vous pouvez vous présenter ?"),
        (E, "Interviewee", "Oui, je suis infirmière depuis"), (I, "I", "Qu’est-ce qui vous a amenée là"),
        (E, "Interviewee", "Le hasard, surtout. Une amie m"), (I, "I", "Merci.")],
    # Markdown: the questions are headings; a later heading is other, the text under it resumes
    "headings.md": [
        (O, "", "Lena Ortiz"), (O, "", "Cartographer"),
        (I, "Interviewer", "Who are you, and what do you d"),
        (E, "Interviewee", "I am Lena Ortiz. I draw maps f"),
        (I, "Interviewer", "What hardware do you use?"),
        (E, "Interviewee", "A ten-year-old laptop and a gr"),
        (O, "", "Notes"), (E, "Interviewee", "Some notes here.")],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_layout_turns(name):
    assert turns(name) == EXPECTED[name]


def test_own_question_joins_the_answer_text():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InterviewWarning)
        iv = read_interview(FIX / "first-person-en.txt")
    assert iv.turns.text[5] == ("A ten-year-old laptop and a graphics tablet. I have never owned a "
                                "second screen.\n\nBut now I'm curious: why would I need more "
                                "pixels?\n\nMy main tool is still paper and a good pencil.")


def test_roles_are_explained_in_data_quality():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InterviewWarning)
        iv = read_interview(FIX / "two-hosts-en.txt")
    assert iv.meta["data_quality"]["roles"] == {
        "Audience Member": "other (a voice that neither asks nor answers)",
        "Dr. Okafor": "interviewer (turns of 8 words on average against 37 for Senator Alvarez)",
        "Senator Alvarez": "interviewee (speaks most, rarely ends a turn on a question)",
        "Dr. Lindqvist": "interviewer (turns of 11 words on average against 37 for Senator "
                         "Alvarez)"}


def test_dialogue_turn_f1_on_the_real_interviews():
    if not (REAL / "score.py").is_file():
        pytest.skip("../shared/interviews is not here (a user's clone does not have it)")
    spec = importlib.util.spec_from_file_location("shared_score", REAL / "score.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    f1, precision, recall, purity = scorer.score(sys.executable, REAL, REAL)
    assert f1 >= 0.95, (f1, precision, recall)
    assert purity >= 0.99


def _with_sidecar(tmp_path, fixture: str, sidecar: str):
    doc = tmp_path / fixture
    doc.write_text((FIX / fixture).read_text(encoding="utf-8"), encoding="utf-8")
    doc.with_suffix(".yaml").write_text(sidecar, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InterviewWarning)
        iv = read_interview(doc)
    return iv, [str(w.message) for w in caught]


def test_sidecar_speakers_rename_and_set_roles(tmp_path):
    iv, notes = _with_sidecar(tmp_path, "timestamp-lines-en.txt", (
        "speakers:\n"
        "  Priya: {name: Priya Shah, role: interviewer}\n"
        "  Tom Reyes: Thomas Reyes\n"
        "interviewers: [Maya Chen]\n"))
    rows = iv.turns[iv.turns.role != "other"][["speaker", "label", "role"]]
    assert rows.drop_duplicates().values.tolist() == [
        ["Maya Chen", "Maya Chen", "interviewer"], ["Priya Shah", "Priya", "interviewer"],
        ["Thomas Reyes", "Tom Reyes", "interviewee"]]
    assert iv.meta["data_quality"]["roles"]["Priya Shah"] == "interviewer (set in the sidecar)"
    assert iv.meta["aliases"] == {"Priya Shah": ["Priya"], "Thomas Reyes": ["Tom Reyes"]}
    assert notes == []


def test_sidecar_speaker_made_other_and_unknown_name_warned(tmp_path):
    iv, notes = _with_sidecar(tmp_path, "two-hosts-en.txt", (
        "speakers:\n  DR. OKAFOR: {role: other}\ninterviewers: [Dr. Nobody]\n"))
    assert set(iv.turns.loc[iv.turns.speaker == "Dr. Okafor", "role"]) == {"other"}
    assert notes == ["two-hosts-en.txt: sidecar speaker 'Dr. Nobody' is not among the "
                     "speaker labels"]


@pytest.mark.parametrize("sidecar, problem", [
    ("speakers: [a, b]\n", "speakers: must be a mapping label: {name: ..., role: ...}"),
    ("speakers:\n  Priya: {role: host}\n",
     "Priya: role must be one of interviewer, interviewee, other, not 'host'"),
    ("speakers:\n  Priya: {nom: X}\n", "Priya: a speaker is a name or {name: ..., role: ...}"),
    ("interviewers: {a: 1}\n", "interviewers: must be a list of names"),
])
def test_malformed_speakers_are_one_line_errors(tmp_path, sidecar, problem):
    from interview_lens.errors import ConfigError
    with pytest.raises(ConfigError) as err:
        _with_sidecar(tmp_path, "otter-en.txt", sidecar)
    assert problem in str(err.value)
    assert "\n" not in str(err.value)


def test_timestamps_only_gives_no_turn(tmp_path):
    doc = tmp_path / "stamps.txt"
    doc.write_text("[00:12] \n[00:13]\n[00:14] \n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InterviewWarning)
        iv = read_interview(doc)
    assert iv.turns.empty and iv.qa.empty


def test_hundreds_of_speakers_are_warned_about(tmp_path):
    doc = tmp_path / "crowd.txt"
    doc.write_text("\n".join(f"Person{i:03d} Name: I say my piece number {i}." for i in range(40)),
                   encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InterviewWarning)
        read_interview(doc)
    assert "crowd.txt: 40 speakers: check who asks and who answers (sidecar speakers: and " \
           "interviewers: set them)" in [str(w.message) for w in caught]


def test_teams_docx_transcript(tmp_path):
    """A Teams / Stream .docx: `Name  0:03` paragraph, the words in the paragraph below."""
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    for par in ["Weekly sync – transcript", "Ana Lima   0:03", "Thanks for joining. How is the "
                "migration going?", "Ben Okoro   0:09", "Slowly. We moved two of the five "
                "databases last week and the third one is scheduled for Thursday.",
                "Ana Lima   0:31", "What is blocking the last two?", "Ben Okoro   0:35",
                "The vendor licence. Legal has had it for three weeks."]:
        doc.add_paragraph(par)
    path = tmp_path / "teams.docx"
    doc.save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InterviewWarning)
        iv = read_interview(path)
    assert [(t.role, t.speaker, t.label, t.text) for t in iv.turns.itertuples()] == [
        (O, "", "", "Weekly sync – transcript"),
        (I, "Ana Lima", "Ana Lima", "Thanks for joining. How is the migration going?"),
        (E, "Ben Okoro", "Ben Okoro", "Slowly. We moved two of the five databases last week and "
                                      "the third one is scheduled for Thursday."),
        (I, "Ana Lima", "Ana Lima", "What is blocking the last two?"),
        (E, "Ben Okoro", "Ben Okoro", "The vendor licence. Legal has had it for three weeks.")]


@pytest.mark.parametrize("name, expected", [
    ("otter-en.txt", [(3.0, 9.0), (9.0, 21.0), (21.0, 24.0), (24.0, None)]),
    ("timestamp-lines-en.txt", [(None, None), (None, None), (5.0, 7.0), (7.0, 9.0), (9.0, 20.0),
                                (20.0, 31.0), (20.0, 31.0), (31.0, 35.0), (35.0, 62.0),
                                (62.0, 65.0), (65.0, None)]),
])
def test_times_written_in_a_text_transcript(name, expected):
    """A timed line holds until the next one: its turn starts at its time, ends at the next."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InterviewWarning)
        iv = read_interview(FIX / name)
    got = [tuple(None if v != v else v for v in pair)
           for pair in iv.turns[["start_s", "end_s"]].itertuples(index=False)]
    assert got == expected
