"""The ``qdpx`` and ``qdc`` commands: configure a fresh parser, run, check the files."""
from __future__ import annotations

import argparse
import importlib
import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from interview_lens.analysis.dictionary import load_dictionary
from interview_lens.errors import ConfigError, InputError, InterviewLensError
from interview_lens.exchange._qde import PROJECT_NS, concept_guid

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"
NS = {"q": PROJECT_NS}


def _command(name: str):
    return importlib.import_module(f"interview_lens.cli.{name}")


def _run(name: str, argv: list[str]) -> tuple[int, str]:
    command = _command(name)
    parser = argparse.ArgumentParser(prog=command.NAME)
    command.configure(parser)
    out = io.StringIO()
    return command.run(parser.parse_args(argv), out), out.getvalue()


def test_commands_have_the_dispatch_interface():
    for name in ("qdpx", "qdc"):
        command = _command(name)
        assert command.NAME == name and "\n" not in command.HELP


def test_qdpx_command_on_the_sample_with_variables_and_classes(tmp_path):
    (tmp_path / "vars.csv").write_text("doc_id,country,year,interviewed\n"
                                       "gt-kurbalija-2025-fr,Malta,2025,2025-02-11\n",
                                       encoding="utf-8")
    (tmp_path / "classes.csv").write_text("doc_id,start_char,end_char,class\n"
                                          "gt-kurbalija-2025-fr,705,2174,3\n", encoding="utf-8")
    status, line = _run("qdpx", [str(SAMPLE), "-o", str(tmp_path / "p.qdpx"),
                                 "--variables", str(tmp_path / "vars.csv"),
                                 "--classes", str(tmp_path / "classes.csv")])
    assert status == 0
    # 200 concept hits (the sample's totals), 5 Q/A pairs, 10 labelled turns, 12 turns, 1 class
    assert line == (f"wrote {tmp_path / 'p.qdpx'}: 1 document(s), 228 codings (200 concept, "
                    "5 theme, 10 speaker, 12 role, 1 class)\n")
    with zipfile.ZipFile(tmp_path / "p.qdpx") as archive:
        root = etree.fromstring(archive.read("project.qde"))
    assert root.get("name") == "p"
    assert root.get("creationDateTime") == "1980-01-01T00:00:00Z"
    kinds = [v.get("typeOfVariable") for v in root.iterfind(".//q:Variable", NS)]
    assert kinds == ["Text", "Integer", "Date"]
    refs = [r.get("targetGUID") for r in root.iterfind(".//q:CodeRef", NS)]
    assert refs.count(concept_guid("community")) == 10


def test_qdpx_command_user_errors(tmp_path):
    with pytest.raises(InputError, match="--created 'yesterday': give an ISO date"):
        _run("qdpx", [str(SAMPLE), "-o", str(tmp_path / "p.qdpx"), "--created", "yesterday"])
    with pytest.raises(InputError, match="no such document"):
        _run("qdpx", [str(tmp_path / "none.txt"), "-o", str(tmp_path / "p.qdpx")])
    (tmp_path / "vars.csv").write_text("id,country\nx,Malta\n", encoding="utf-8")
    # the project's one reader of a variables table (reading.variables) says what is wrong
    with pytest.raises(ConfigError, match=r"vars.csv: line 1: no doc_id or file column"):
        _run("qdpx", [str(SAMPLE), "-o", str(tmp_path / "p.qdpx"),
                      "--variables", str(tmp_path / "vars.csv")])
    assert not (tmp_path / "p.qdpx").exists()


def test_qdc_command_out_and_back(tmp_path):
    status, line = _run("qdc", ["-o", str(tmp_path / "d.qdc")])
    assert (status, line) == (0, f"wrote {tmp_path / 'd.qdc'}: 18 codes\n")
    status, line = _run("qdc", ["--to-yaml", str(tmp_path / "d.qdc"),
                                "-o", str(tmp_path / "d.yaml")])
    assert status == 0 and line.endswith(": 18 concepts (skeleton: write their patterns)\n")
    assert load_dictionary(tmp_path / "d.yaml").ids == load_dictionary().ids
    with pytest.raises(InterviewLensError, match="not both"):
        _run("qdc", ["x.yaml", "--to-yaml", str(tmp_path / "d.qdc"), "-o", str(tmp_path / "y")])


def test_qdpx_command_positions_option(tmp_path):
    # "partage" after two emoji: code point 65, UTF-16 unit 67 (see tests/exchange/test_qdpx.py)
    doc = tmp_path / "emoji.txt"
    doc.write_text("Q: Que pensez-vous de la communauté 🌍 ?\nR: La communauté 😀 et le "
                   "partage 🤝 comptent beaucoup pour nous tous.\nQ: Et ensuite ?\nR: Le "
                   "partage, encore et toujours 👍.\n", encoding="utf-8")
    starts = {}
    for positions in ("codepoint", "utf16"):
        out = tmp_path / f"{positions}.qdpx"
        assert _run("qdpx", [str(doc), "-o", str(out), "--positions", positions])[0] == 0
        with zipfile.ZipFile(out) as archive:
            root = etree.fromstring(archive.read("project.qde"))
        starts[positions] = sorted(
            int(c.getparent().getparent().get("startPosition"))
            for c in root.iterfind(".//q:CodeRef", NS)
            if c.get("targetGUID") == concept_guid("sharing"))
    assert starts == {"codepoint": [65, 131], "utf16": [67, 134]}
