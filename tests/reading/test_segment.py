"""Turns and Q/A pairs: the sample interview exactly, then one invented fixture per layout."""
from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from interview_lens.errors import ConfigError, InterviewWarning
from interview_lens.reading.segment import read_interview
from interview_lens.reading.turns import QA_COLUMNS, TURN_COLUMNS
from interview_lens.text import slugify

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"
FIX = Path(__file__).parents[1] / "fixtures" / "segment"


def quiet_read(path, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InterviewWarning)
        return read_interview(path, **kw)


def dialogue(iv):
    """(role, speaker, first 20 characters) of every turn, and check each start by hand."""
    rows = []
    for t in iv.turns.itertuples():
        first = t.text.split("\n\n")[0][:25]  # paragraphs are joined with a blank line
        assert iv.text[t.start_char:t.end_char].startswith(first)
        rows.append((t.role, t.speaker, t.text[:20]))
    return rows


# ---------------------------------------------------------------- the sample interview

@pytest.fixture(scope="module")
def sample():
    return read_interview(SAMPLE)


def test_sample_columns_and_counts(sample):
    assert list(sample.turns.columns) == TURN_COLUMNS
    assert list(sample.qa.columns) == QA_COLUMNS
    assert sample.doc_id == "gt-kurbalija-2025-fr"
    assert sample.language == "fr"
    assert len(sample.turns) == 12
    assert len(sample.qa) == 5
    assert sample.turns.turn_id.tolist() == list(range(1, 13))
    by_speaker = sample.turns.groupby(["speaker", "role"]).size().to_dict()
    assert by_speaker == {("", "other"): 2, ("GT", "interviewer"): 5,
                          ("Jovan Kurbalija", "interviewee"): 5}


def test_sample_roles_in_order(sample):
    roles = sample.turns.role.tolist()
    assert roles[:2] == ["other", "other"]  # lede, caption
    assert roles[2:] == ["interviewer", "interviewee"] * 5
    assert sample.turns.label.tolist()[2:] == [
        "GT", "Kulbariya", "GT", "Kulbariya", "GT", "Kurubariya", "GT", "Kurbalija", "GT",
        "Kulbariya"]


def test_sample_aliases(sample):
    assert sample.meta["aliases"] == {
        "Jovan Kurbalija": ["Kulbariya", "Kurbalija", "Kurbariya", "Kurubariya"]}
    assert sample.meta["title"].startswith("Interview with Jovan Kurbalija")
    assert sample.meta["warnings"] == []


def test_sample_offsets_by_hand(sample):
    text, turns = sample.text, sample.turns
    # turn 1 is the lede, from the very first character to the end of line 1
    assert (turns.start_char[0], turns.end_char[0]) == (0, text.index("\n"))
    # turn 2 is the whole caption line, `Légende :` included
    assert turns.start_char[1] == text.index("Légende : Jovan Kurbariya")
    # turn 3 starts after `GT : `; turn 4 after `Kulbariya : `
    assert turns.start_char[2] == text.index("2025 marquera") == 705
    assert turns.start_char[3] == text.index("La collaboration numérique") == 1044
    assert turns.end_char[11] == len(text.rstrip())
    starts, ends = turns.start_char.tolist(), turns.end_char.tolist()
    assert all(a < b <= c for a, b, c in zip(starts, ends, starts[1:]))


def test_sample_first_answer_holds_three_paragraphs(sample):
    answer = sample.qa.answer[0]
    paragraphs = answer.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("La collaboration numérique")
    assert paragraphs[1].startswith("L’histoire d’Internet")
    assert paragraphs[2].startswith("L’IA open source a le potentiel")
    assert sample.qa.answer_turns.tolist() == [[4], [6], [8], [10], [12]]
    assert sample.qa.question_turn.tolist() == [3, 5, 7, 9, 11]
    assert set(sample.qa.interviewer) == {"GT"}
    assert set(sample.qa.interviewee) == {"Jovan Kurbalija"}
    # the 2nd question is the one about development gaps; it ends with "?"
    assert sample.qa.question[1].startswith("Dans le monde d’aujourd’hui")


def test_sample_file_unchanged(sample):
    before = SAMPLE.read_bytes()
    read_interview(SAMPLE)
    assert SAMPLE.read_bytes() == before


def test_explicit_interviewer_overrides(sample):
    iv = quiet_read(SAMPLE, interviewer="Kurbalija")
    assert set(iv.turns.loc[iv.turns.role == "interviewer", "speaker"]) == {"Jovan Kurbalija"}


def test_unknown_interviewer_warns():
    with pytest.warns(InterviewWarning, match="not among the speaker labels"):
        iv = read_interview(SAMPLE, interviewer="Somebody Else")
    assert set(iv.turns.loc[iv.turns.role == "interviewer", "speaker"]) == {"GT"}


# ---------------------------------------------------------------- one fixture per layout

I, E, O = "interviewer", "interviewee", "other"

LAYOUTS = {
    "podcast-en.txt": [
        (O, "", "Episode 41: Open Dat"), (O, "", "Transcript generated"),
        (I, "Dana Whitfield", "Welcome back to Civi"),
        (E, "Rahul Mehta", "Honestly, it started"),
        (I, "Dana Whitfield", "What was the hardest"),
        (E, "Rahul Mehta", "Procurement. Every c"),
        (I, "Dana Whitfield", "And did residents ac"),
        (E, "Rahul Mehta", "Fewer than we hoped,"),
        (I, "Dana Whitfield", "Thanks, Rahul."), (E, "Rahul Mehta", "Thank you for having")],
    "rev-en.txt": [
        (O, "", "Interview with Priya"), (I, "Owen Castell", "So you moved from ph"),
        (E, "Priya Nandakumar", "Because the models w"),
        (I, "Owen Castell", "Which memo changed y"),
        (E, "Priya Nandakumar", "One about flood insu")],
    "qr-fr.txt": [
        (O, "", "Entretien avec Clair"), (O, "", "Propos recueillis pa"),
        (I, "Interviewer", "Pourquoi avoir fermé"), (E, "Interviewee", "Parce qu’elle perdai"),
        (I, "Interviewer", "Les habitants vous l"), (E, "Interviewee", "Certains, oui. Mais "),
        (I, "Interviewer", "Vous représenterez-v"), (E, "Interviewee", "Je le dirai en septe")],
    "question-reponse-fr.txt": [
        (I, "Interviewer", "Quel est votre premi"), (E, "Interviewee", "Un album de Tintin, "),
        (I, "Interviewer", "Et votre dernier cou"), (E, "Interviewee", "Un roman islandais, ")],
    "qa-en.txt": [
        (I, "Interviewer", "When did you start k"), (E, "Interviewee", "In 2011, after my gr"),
        (I, "Interviewer", "What do people get w"), (E, "Interviewee", "They think honey is ")],
    "dash-fr.txt": [
        (O, "", "« Le vélo n’est pas "), (O, "", "Pour la sociologue I"),
        (O, "", "Propos recueillis pa"),
        (I, "Interviewer", "Pourquoi les villes "), (E, "Interviewee", "Parce qu’elles ont é"),
        (I, "Interviewer", "Que faudrait-il chan"), (E, "Interviewee", "Trois choses :\n\n- sé"),
        (I, "Interviewer", "Vous parlez d’un ret"), (E, "Interviewee", "Les enquêtes de mobi"),
        (I, "Interviewer", "Et les habitants, qu"), (E, "Interviewee", "De la continuité. Un")],
    "numbered-en.txt": [
        (O, "", "Ten questions for Ma"), (O, "", "The glass artist tal"),
        (I, "Interviewer", "When did you first b"), (E, "Interviewee", "At nineteen, in a su"),
        (I, "Interviewer", "What does a bad day "), (E, "Interviewee", "Everything cracks in"),
        (I, "Interviewer", "What are your rules "), (E, "Interviewee", "Three of them:\n\n1. N"),
        (I, "Interviewer", "What would you tell "), (E, "Interviewee", "Buy better gloves.")],
    "radio-fr.txt": [
        (O, "", "JOURNAL DU MATIN"), (I, "Hélène", "Bonjour à tous, nous"),
        (E, "Marc Duval", "Très rude. J’ai perd"), (I, "Hélène", "Que demandez-vous à "),
        (E, "Marc Duval", "Un plan de lutte coo"), (I, "Hélène", "Merci Marc Duval.")],
    "radio-en.txt": [
        (O, "", "THE EVENING REPORT —"), (I, "Mr. Smith", "Good evening. With m"),
        (E, "Ms. Okafor", "A container ship los"), (I, "Mr. Smith", "How long until norma"),
        (E, "Ms. Okafor", "By Friday, if the tu")],
    "labels-fr.txt": [
        (I, "Julie Ménard", "Vous avez quitté Par"), (E, "Anton Ribeiro", "Pour respirer. Je ne"),
        (O, "", "Photo : Anton Ribeir"), (I, "Julie Ménard", "Votre atelier tient "),
        (E, "Anton Ribeiro", "Lentement. Tout part"),
        (I, "Julie et Marc-Olivier", "Une dernière questio"),
        (E, "Anton Ribeiro", "Une table pour une b"), (O, "", "Crédit : Julie Ménar"),
        (O, "", "Source : entretien r")],
    "handles-en.txt": [
        (O, "", "Chat log, community "), (I, "stark", "has anyone tried the"),
        (E, "banner", "yes, it chokes on th"), (I, "stark", "which encoding?"),
        (E, "banner", "latin-1 declared as "), (E, "banner", "I have a patch, will"),
        (I, "stark", "great, thanks")],
    "unlabelled-fr.txt": [
        (O, "", "Rencontre avec Odile"), (O, "", "Elle a repris le dom"),
        (I, "Interviewer", "Qu’est-ce qui vous a"), (E, "Interviewee", "Mon fils est asthmat"),
        (I, "Interviewer", "Vos voisins vous ont"), (E, "Interviewee", "Deux sur sept. C’est")],
    "bold-questions-fr.html": [
        (O, "", "Sophie Garnier : « L"), (O, "", "La directrice de la "),
        (I, "Interviewer", "Pourquoi ouvrir le d"), (E, "Interviewee", "Parce que c’est le s"),
        (O, "", "Un budget contraint"), (I, "Interviewer", "Comment financez-vou"),
        (E, "Interviewee", "Par redéploiement. N"), (I, "Interviewer", "Les élus vous ont su"),
        (E, "Interviewee", "Après un an d’expéri")],
}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_layout_roles_and_starts(name):
    iv = quiet_read(FIX / name)
    expected = [(r, s, p[:20]) for r, s, p in LAYOUTS[name]]
    assert dialogue(iv) == expected


def test_timestamps_are_not_in_turn_text():
    iv = quiet_read(FIX / "podcast-en.txt")
    # the 2nd Rahul Mehta paragraph started with `[00:00:41] `: joined without it
    assert iv.turns.text[3] == (
        "Honestly, it started with a spreadsheet. The council had bus timetables in a PDF and a "
        "student asked whether she could have the raw data.\n\nWe said yes, and that one yes "
        "turned into a policy.")
    assert not iv.turns.text.str.contains(r"\[00:").any()


def test_rev_label_on_its_own_line_starts_turn_on_next_line():
    iv = quiet_read(FIX / "rev-en.txt")
    assert iv.turns.start_char[1] == iv.text.index("So you moved")
    # the unlabelled paragraph after the answer continues it
    assert iv.turns.text[2].endswith("\n\nThat sounds grand. Mostly it meant reading memos.")


def test_question_inside_answer_and_interjection_stay_in_answer():
    labels = quiet_read(FIX / "labels-fr.txt")
    assert "(Julie : celle de Brive ?)" in labels.turns.text[6]
    # `10:30, c’est l’heure...` and the URL line are not speakers: they continue the answer
    assert labels.turns.text[4].endswith("jamais avant.\n\nhttp://atelier-ribeiro.example/ "
                                         "montre quelques pièces.")
    qr = quiet_read(FIX / "qr-fr.txt")
    assert "qui peut défendre un bassin chauffé au fioul en 2024 ?" in qr.qa.answer[1]


def test_joint_label_is_one_interviewer_turn():
    iv = quiet_read(FIX / "labels-fr.txt")
    row = iv.turns[iv.turns.label == "Julie et Marc-Olivier"]
    assert row.role.tolist() == ["interviewer"]
    assert iv.qa.interviewer.tolist() == ["Julie Ménard", "Julie Ménard", "Julie et Marc-Olivier"]


def test_nbsp_before_colon_is_a_label():
    raw = (FIX / "labels-fr.txt").read_text(encoding="utf-8")
    assert "Ménard\u00a0:" in raw and "Ribeiro\u202f:" in raw  # the fixture really has them
    iv = quiet_read(FIX / "labels-fr.txt")
    assert iv.turns.label[0] == "Julie Ménard"
    assert iv.turns.label[1] == "Anton Ribeiro"


def test_closing_remark_is_not_a_question():
    iv = quiet_read(FIX / "radio-fr.txt")
    # 3 Hélène turns, but `Merci Marc Duval.` has no answer and no "?": 2 pairs
    assert iv.qa.question.tolist() == [
        "Bonjour à tous, nous recevons ce matin Marc Duval, apiculteur dans la Drôme. Marc "
        "Duval, l’hiver a-t-il été rude pour vos ruches ?", "Que demandez-vous à l’État ?"]
    assert iv.qa.answer_turns.tolist() == [[3], [5]]


def test_consecutive_interviewee_turns_form_one_answer():
    iv = quiet_read(FIX / "handles-en.txt")
    assert iv.qa.answer_turns.tolist() == [[3], [5, 6]]
    assert iv.qa.answer[1] == ("latin-1 declared as utf-8, the classic\n\n"
                               "I have a patch, will push tonight")


def test_interviewer_inferred_from_questions_not_order(tmp_path):
    doc = tmp_path / "guest-first.txt"
    doc.write_text(
        "Lena Park: Thanks for having me, it is a pleasure to be back on the show.\n"
        "Tom and Ruth: Lena, what changed since your last book?\n"
        "Lena Park: Mostly the way I write. I stopped outlining and started walking.\n"
        "Tom: Walking where?\n"
        "Lena Park: Along the canal, every morning, about five kilometres.\n", encoding="utf-8")
    iv = quiet_read(doc, language="en")
    # Lena speaks first, but asks nothing; `Tom and Ruth` is a joint label, Tom one of them
    assert iv.turns.role.tolist() == ["interviewee", "interviewer", "interviewee",
                                      "interviewer", "interviewee"]
    assert iv.qa.interviewer.tolist() == ["Tom and Ruth", "Tom"]
    assert iv.qa.answer_turns.tolist() == [[3], [5]]


def test_marie_and_mario_stay_two_speakers():
    iv = quiet_read(FIX / "marie-mario-fr.txt")
    assert iv.turns.speaker.tolist() == ["Marie", "Mario", "Marie", "Mario"]
    assert iv.meta["aliases"] == {}


# ---------------------------------------------------------------- docx with bold questions

def make_docx(path: Path, paragraphs: list[tuple[str, bool]]) -> Path:
    import docx

    document = docx.Document()
    for text, bold in paragraphs:
        document.add_paragraph().add_run(text).bold = bold
    document.save(str(path))
    return path


def test_docx_bold_questions(tmp_path):
    path = make_docx(tmp_path / "entretien.docx", [
        ("Portrait d’une luthière", True),
        ("Nadia Ferrier fabrique des violons à Mirecourt depuis vingt ans.", False),
        ("Comment êtes-vous arrivée à la lutherie ?", True),
        ("Par hasard, en accompagnant une amie à l’école.", False),
        ("J’y suis restée.", False),
        ("Quel bois préférez-vous ?", True),
        ("L’épicéa des Vosges, pour la table.", False),
    ])
    iv = quiet_read(path)
    assert dialogue(iv) == [
        (O, "", "Portrait d’une luthi"), (O, "", "Nadia Ferrier fabriq"),
        (I, "Interviewer", "Comment êtes-vous ar"), (E, "Interviewee", "Par hasard, en accom"),
        (I, "Interviewer", "Quel bois préférez-v"), (E, "Interviewee", "L’épicéa des Vosges,")]
    assert iv.qa.answer[0] == "Par hasard, en accompagnant une amie à l’école.\n\nJ’y suis restée."


# ---------------------------------------------------------------- sidecar and aliases

def test_sidecar_values_unknown_keys_and_override(tmp_path):
    doc = tmp_path / "x.txt"
    doc.write_text("Anna: Where were you born?\nBoris: In Kyiv.\n", encoding="utf-8")
    (tmp_path / "x.yaml").write_text("title: Test\nlanguage: en\ninterviewer: Boris\n"
                                     "langauge: fr\n", encoding="utf-8")
    with pytest.warns(InterviewWarning, match="unknown sidecar key 'langauge'"):
        iv = read_interview(doc)
    assert iv.meta["title"] == "Test"
    assert any("langauge" in w for w in iv.meta["warnings"])
    assert iv.turns.role.tolist() == ["interviewee", "interviewer"]  # the sidecar says Boris
    iv = quiet_read(doc, interviewer="Anna")  # an explicit argument wins over the sidecar
    assert iv.turns.role.tolist() == ["interviewer", "interviewee"]


def test_malformed_sidecar_names_the_file(tmp_path):
    doc = tmp_path / "y.txt"
    doc.write_text("Anna: Where were you born?\nBoris: In Kyiv.\n", encoding="utf-8")
    (tmp_path / "y.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"y\.yaml: malformed YAML"):
        read_interview(doc)


def test_aliases_file_overrides_guess(tmp_path):
    doc = tmp_path / "z.txt"
    doc.write_text("Marie: Tu viens ?\nMario: Oui.\nMarie: Quand ?\nMario: Demain.\n",
                   encoding="utf-8")
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("Marie Curie: [Marie, Mario]\n", encoding="utf-8")
    iv = quiet_read(doc, aliases=aliases)
    assert set(iv.turns.speaker) == {"Marie Curie"}
    assert iv.meta["aliases"] == {"Marie Curie": ["Marie", "Mario"]}


# ---------------------------------------------------------------- degraded inputs

def test_no_labels_gives_one_other_turn(tmp_path):
    doc = tmp_path / "notes.txt"
    # 1.8 million characters: near the reading limit (io.MAX_DOCUMENT_CHARS, 2 MB of text)
    doc.write_text("\n".join(f"line {i} of plain notes without speakers." for i in range(40_000)),
                   encoding="utf-8")
    with pytest.warns(InterviewWarning, match="no speaker labels or questions found"):
        iv = read_interview(doc, language="en")
    assert iv.turns.role.tolist() == ["other"]
    assert (iv.turns.start_char[0], iv.turns.end_char[0]) == (0, len(iv.text))
    assert len(iv.qa) == 0


def test_questions_only(tmp_path):
    doc = tmp_path / "q.txt"
    doc.write_text("Q: Why now?\nQ: Why here?\n", encoding="utf-8")
    with pytest.warns(InterviewWarning) as caught:
        iv = read_interview(doc, language="en")
    assert sorted(str(w.message) for w in caught) == [
        "q.txt: 2 question(s) without an answer", "q.txt: only one speaker found (Interviewer)"]
    assert iv.qa.question.tolist() == ["Why now?", "Why here?"]
    assert iv.qa.answer.tolist() == ["", ""]
    assert iv.qa.answer_turns.tolist() == [[], []]


def test_one_speaker_only(tmp_path):
    doc = tmp_path / "mono.txt"
    doc.write_text("Alice: I will talk about gardens.\nAlice: Then about roses.\n",
                   encoding="utf-8")
    with pytest.warns(InterviewWarning, match="only one speaker"):
        iv = read_interview(doc, language="en")
    assert iv.turns.role.tolist() == ["interviewee", "interviewee"]
    assert len(iv.qa) == 0


def test_language_other_than_fr_en_warns(tmp_path):
    doc = tmp_path / "de.txt"
    doc.write_text("Anna: Wo bist du geboren und wie war deine Kindheit in der Stadt?\n"
                   "Boris: Ich bin in Berlin geboren und habe dort meine ganze Kindheit "
                   "verbracht, bis wir nach Hamburg gezogen sind.\n", encoding="utf-8")
    with pytest.warns(InterviewWarning, match="neither French nor English"):
        iv = read_interview(doc)
    assert iv.language == "de"


def test_detects_english(tmp_path):
    iv = quiet_read(FIX / "qa-en.txt")
    assert iv.language == "en"


def test_odd_file_names(tmp_path):
    for name in ("-x.txt", "entretien d’Hélène.txt", "it's \"q\".txt"):
        doc = tmp_path / name
        doc.write_text("Anna: Where were you born?\nBoris: In Kyiv.\n", encoding="utf-8")
        iv = quiet_read(doc, language="en")
        assert len(iv.qa) == 1
        assert iv.doc_id == slugify(Path(name).stem) and iv.doc_id[0] != "-"


def test_turn_frame_is_empty_frame_shape_for_qa_without_questions(tmp_path):
    doc = tmp_path / "mono.txt"
    doc.write_text("Alice: I talk.\nAlice: I talk more.\n", encoding="utf-8")
    iv = quiet_read(doc, language="en")
    pd.testing.assert_index_equal(iv.qa.columns, pd.Index(QA_COLUMNS))


# ---------------------------------------------------------------- property: any text

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from interview_lens.errors import InputError  # noqa: E402

_LINES = st.sampled_from(["GT : Pourquoi ?", "Kulbariya : Parce que.", "Q: Why?", "A: Because.",
                          "— Vraiment ?", "1. Et après ?", "HÉLÈNE", "[00:01:23] Ann: Hi?",
                          "Légende : photo", "stark: ok", "", " \u00a0", "\r"])


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(), st.lists(st.one_of(_LINES, st.text(max_size=30)), max_size=12)
                 .map("\n".join)))
def test_any_text_gives_ordered_offsets_or_input_error(tmp_path, content):
    path = tmp_path / "any.txt"
    path.write_bytes(content.encode("utf-8", "surrogatepass"))
    try:
        iv = quiet_read(path, language="en")
    except InputError:
        return
    prev_end = 0
    for start, end, text in zip(iv.turns.start_char, iv.turns.end_char, iv.turns.text):
        assert prev_end <= start < end <= len(iv.text)
        assert text and text.split("\n\n")[0] in iv.text[start:end]
        prev_end = end
    assert iv.turns.turn_id.tolist() == list(range(1, len(iv.turns) + 1))
