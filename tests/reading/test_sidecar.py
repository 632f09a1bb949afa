"""The sidecar: refused before it is built when hostile, then every value checked by its key."""
from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from interview_lens.errors import ConfigError, InterviewWarning
from interview_lens.reading import sidecar as sidecar_module
from interview_lens.reading.config import MAX_YAML_DEPTH, safe_load
from interview_lens.reading.segment import read_interview
from interview_lens.reading.sidecar import KNOWN_KEYS, MAX_SIDECAR_BYTES, read_sidecar

DIALOGUE = "Anna: Where were you born?\nBoris: In Kyiv, in 1961.\n"
FRENCH = ("Anna : Où êtes-vous née et comment avez-vous commencé ce travail ?\n"
          "Boris : Je suis née à Kyiv, et je travaille depuis longtemps avec les gens de la "
          "communauté, qui sont pour moi une famille.\n")


def document(tmp_path: Path, sidecar: str | bytes, *, text: str = DIALOGUE) -> Path:
    """``x.txt`` with the sidecar ``x.yaml`` beside it."""
    path = tmp_path / "x.txt"
    path.write_text(text, encoding="utf-8")
    data = sidecar.encode("utf-8") if isinstance(sidecar, str) else sidecar
    (tmp_path / "x.yaml").write_bytes(data)
    return path


def refused(tmp_path: Path, sidecar: str | bytes) -> str:
    """The one-line message of the ConfigError the sidecar raises, without the folder."""
    with pytest.raises(ConfigError) as info:
        read_sidecar(document(tmp_path, sidecar))
    message = str(info.value)
    assert "\n" not in message
    return message.replace(str(tmp_path) + "/", "")


# A "billion laughs": nine aliases of nine aliases of ... nine strings, 9**9 strings in all once
# something walks it (PyYAML builds the shared lists in microseconds; pyarrow, json or a figure
# title then expand them).  The error is raised at the first alias, before any node is built.
BOMB = ('a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        + "".join(f"{b}: &{b} [" + ",".join([f"*{a}"] * 9) + "]\n"
                  for a, b in zip("abcdefgh", "bcdefghi"))
        + "year: *i\n")


def test_alias_bomb_is_refused_at_its_first_alias(tmp_path):
    assert len(BOMB) < 400
    assert refused(tmp_path, BOMB) == (
        "x.yaml: refused: YAML alias *a at line 2 (aliases are not allowed; write the value out)")


def test_alias_bomb_stops_read_interview(tmp_path):
    with pytest.raises(ConfigError, match=r"x\.yaml: refused: YAML alias \*a at line 2"):
        read_interview(document(tmp_path, BOMB))


def test_merge_key_is_an_alias_too(tmp_path):
    assert refused(tmp_path, "base: &b {x: 1}\nnotes:\n  <<: *b\n") == (
        "x.yaml: refused: YAML alias *b at line 3 (aliases are not allowed; write the value out)")


def test_deep_nesting_is_refused_before_composing(tmp_path):
    deep = "notes: " + "[" * 500 + "]" * 500 + "\n"  # (libyaml itself stops at 1000)
    assert refused(tmp_path, deep) == (
        f"x.yaml: refused: nested deeper than {MAX_YAML_DEPTH} levels (line 1)")
    depth = MAX_YAML_DEPTH
    assert safe_load("[" * depth + "]" * depth) == eval("[" * depth + "]" * depth)
    with pytest.raises(ConfigError, match=f"nested deeper than {depth} levels"):
        safe_load("[" * (depth + 1) + "]" * (depth + 1))


def test_size_limit_is_checked_before_parsing(tmp_path):
    text = "notes: '" + "x" * MAX_SIDECAR_BYTES + "'\n"
    assert refused(tmp_path, text) == "x.yaml: too large: 64 KiB (limit 64 KiB for a sidecar)"
    values, _ = read_sidecar(document(tmp_path, "notes: '" + "x" * 60_000 + "'\n"))
    assert len(values["notes"]) == 60_000


def test_malformed_and_not_utf8(tmp_path):
    assert refused(tmp_path, "title: [oops\n") == (
        "x.yaml: malformed YAML (line 2: expected ',' or ']', but got '<stream end>')")
    assert refused(tmp_path, "year: !!float abc\n") == (
        "x.yaml: malformed YAML (bad value: could not convert string to float: 'abc')")
    assert refused(tmp_path, "title: Caf\xe9\n".encode("latin-1")) == (
        "x.yaml: cannot read sidecar (not UTF-8: byte 10)")
    assert refused(tmp_path, "- a list\n") == "x.yaml: a sidecar must be a mapping of keys to values"


# ---------------------------------------------------------------- every value checked

@pytest.mark.parametrize("line, value", [
    ("year: 2024", 2024), ("year: '2024'", 2024), ("year: 1800", 1800),
    ("date: 2024-05-03", "2024-05-03"), ("date: '2024-05-03'", "2024-05-03"),
    ("date: 2024-5-3", "2024-05-03"), ("date: 2024-05-03 10:30:00", "2024-05-03"),
    ("date: '20240503'", "2024-05-03"),
    ("title: 1984", "1984"), ("title: '  Entretien  '", "Entretien"),
    ("language: FR", "fr"), ("language: pt_BR", "pt"), ("language: zh", "zh"),
    ("notes: |\n  two\n  lines", "two\nlines"),
    ("aliases: {Jovan Kurbalija: [Kulbariya, Kurubariya]}",
     {"Jovan Kurbalija": ["Kulbariya", "Kurubariya"]}),
    ("aliases: {Anna: Ana}", {"Anna": ["Ana"]}),
    ("themes: {Budget: [budget, argent], Écoles: école}",
     {"Budget": ["budget", "argent"], "Écoles": ["école"]}),
])
def test_values_are_checked_and_normalised(tmp_path, line, value):
    key = line.split(":")[0]
    values, notes = read_sidecar(document(tmp_path, line + "\n"))
    assert values == {key: value} and notes == []


@pytest.mark.parametrize("line, message", [
    ('year: "abc"', "year: not a year (abc); expected four digits such as 2024"),
    ("year: 24", "year: not a year (24); expected four digits such as 2024"),
    ("year: 2024.5", "year: not a year (2024.5); expected four digits such as 2024"),
    ("year: true", "year: not a year (True); expected four digits such as 2024"),
    ("year: 2024-05-03", "year: not a year (2024-05-03); expected four digits such as 2024"),
    ("year: [2024]", "year: not a year (a list); expected four digits such as 2024"),
    ("year: 1066", "year: not a plausible year (1066; expected 1800-2100)"),
    ("date: 2024-13-45", "date: not a valid date (2024-13-45)"),
    ("date: '2024-02-30'", "date: not a valid date (2024-02-30)"),
    ("date: tomorrow", "date: not a valid date (tomorrow); expected YYYY-MM-DD"),
    ("date: 2024", "date: not a valid date (2024); expected YYYY-MM-DD"),
    ("title: [a, b]", "title: must be text, not a list (put it in quotes)"),
    ("source: yes", "source: must be text, not true/false (put it in quotes)"),
    ("interviewer: {name: Anna}", "interviewer: must be text, not a mapping (put it in quotes)"),
    ("interviewee: 3.5", "interviewee: must be text, not a number (put it in quotes)"),
    ("notes: 2024-05-03", "notes: must be text, not a date (put it in quotes)"),
    ("language: French", "language: not a two-letter language code (French); expected e.g. fr or en"),
    ("language: 12", "language: not a two-letter language code (12); expected e.g. fr or en"),
    ("aliases: [Anna, Ana]", "aliases: must be a mapping 'canonical: [variant, ...]', not a list"),
    ("aliases: {Anna: {x: 1}}", "aliases: Anna: variants must be a list of names"),
    ("themes: budget", "themes: must be a mapping 'label: [keyword, ...]', not text"),
    ("themes: {Budget: []}", "themes: Budget: empty keyword list"),
    ("themes: {Budget: [[a]]}", "themes: Budget: keyword ['a'] is not a word"),
])
def test_wrong_values_name_the_key(tmp_path, line, message):
    assert refused(tmp_path, line + "\n") == f"x.yaml: {message}"


def test_empty_values_are_absent(tmp_path):
    values, notes = read_sidecar(document(tmp_path, "title:\nsource: ''\nthemes: {}\nyear: 2024\n"))
    assert values == {"year": 2024} and notes == []


def test_unknown_key_is_a_warning(tmp_path):
    values, notes = read_sidecar(document(tmp_path, "title: T\ncolour: blue\n"))
    assert values == {"title": "T"}
    assert notes == [f"x.yaml: unknown sidecar key 'colour' ignored (known: {', '.join(KNOWN_KEYS)})"]


def test_every_known_key_has_a_check():
    assert set(KNOWN_KEYS) == set(sidecar_module.CHECKS)
    assert KNOWN_KEYS[:2] == ("title", "short_title")


def test_unknown_language_code_falls_back_to_detection(tmp_path):
    """``language: xx`` is a warning and the language is detected: a code nothing knows must not
    reach the tables (notebook 05 groups documents by it)."""
    path = document(tmp_path, "language: xx\n", text=FRENCH)
    values, notes = read_sidecar(path)
    assert values == {}
    assert notes == ["x.yaml: language 'xx' is not an ISO 639-1 code; the language is detected "
                     "instead"]
    with pytest.warns(InterviewWarning, match="'xx' is not an ISO 639-1 code"):
        iv = read_interview(path)
    assert iv.language == iv.meta["language"] == "fr"


def test_checked_values_reach_the_interview(tmp_path):
    path = document(tmp_path, "year: '2024'\ndate: 2024-05-03\nshort_title: Boris (Kyiv)\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InterviewWarning)
        iv = read_interview(path, language="en")
    assert (iv.meta["year"], iv.meta["date"], iv.meta["short_title"]) == (
        2024, "2024-05-03", "Boris (Kyiv)")


def test_command_line_one_line_no_traceback(tmp_path):
    path = document(tmp_path, "date: 2024-13-45\n")
    done = subprocess.run([sys.executable, "-m", "interview_lens", "qa", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr == f"interview-lens: {tmp_path / 'x.yaml'}: date: not a valid date (2024-13-45)\n"


def test_checks_of_other_modules_plug_in_naming_the_key_once(tmp_path, monkeypatch):
    """How a key checked elsewhere (``check(value, path)`` raising ConfigError) is added."""
    def check_names(raw, path, key="interviewers"):
        if not isinstance(raw, list):
            raise ConfigError(path, f"{key} must be a list of names", item=key)
        return raw

    monkeypatch.setitem(sidecar_module.CHECKS, "interviewers",
                        sidecar_module._checked(check_names))
    values, _ = read_sidecar(document(tmp_path, "interviewers: [Anna, Marc]\n"))
    assert values == {"interviewers": ["Anna", "Marc"]}
    assert refused(tmp_path, "interviewers: {a: 1}\n") == (
        "x.yaml: interviewers: must be a list of names")


def test_variables_are_a_known_key_checked_by_the_variables_module(tmp_path):
    values, notes = read_sidecar(document(tmp_path, "variables:\n  sector: ' NGO '\n  year: 2024\n"))
    assert values == {"variables": {"sector": "NGO", "year": 2024}} and notes == []
    with pytest.raises(ConfigError, match=r"x\.yaml: variables: sector: has no value"):
        read_sidecar(document(tmp_path, "variables:\n  sector: ''\n"))
    with pytest.raises(ConfigError, match=r"x\.yaml: variables: must be a mapping"):
        read_sidecar(document(tmp_path, "variables: [a, b]\n"))
