"""read_document: encodings, formats, normalisation and every kind of unusable input."""
from __future__ import annotations

import unicodedata
import warnings
import zipfile
from pathlib import Path

import pytest

from interview_lens.errors import InputError, InterviewWarning
from interview_lens.io import normalise, read_document

FIX = Path(__file__).parent / "fixtures" / "segment"
DIALOGUE = "Anna : Où êtes-vous née ?\nBoris : À Kyiv, en 1961.\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- encodings

@pytest.mark.parametrize("encoding, prefix", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"),
    ("utf-16-be", b"\xfe\xff"), ("utf-16-le", b""), ("utf-16-be", b"")])
def test_text_encodings(tmp_path, encoding, prefix):
    path = write(tmp_path, "a.txt", prefix + DIALOGUE.encode(encoding))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # none of these deserves a warning
        doc = read_document(path)
    assert doc.text == DIALOGUE
    assert doc.format == "txt"


def test_cp1252_fallback_warns(tmp_path):
    path = write(tmp_path, "w.txt", "Anna : Où êtes-vous née ? – Boris : À Kyiv.".encode("cp1252"))
    with pytest.warns(InterviewWarning, match="not valid UTF-8.*cp1252"):
        doc = read_document(path)
    assert doc.text == "Anna : Où êtes-vous née ? – Boris : À Kyiv."
    assert doc.encoding == "cp1252"
    assert doc.warnings and "cp1252" in doc.warnings[0]


def test_normalisation(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Hélène")
    raw = f"{decomposed}\u00a0: l’été\u202f!\r\nMarc\u2007: oui\rfin\n"
    doc = read_document(write(tmp_path, "n.md", raw.encode("utf-8")))
    assert doc.text == "Hélène : l’été !\nMarc : oui\nfin\n"
    assert doc.format == "md"
    assert "’" in doc.text  # apostrophes are never rewritten


def test_normalise_is_idempotent():
    once = normalise("a\r\nb\u00a0c")
    assert normalise(once) == once == "a\nb c"


def test_file_is_never_changed(tmp_path):
    data = "Anna\u00a0: é\r\n".encode("utf-8")
    path = write(tmp_path, "keep.txt", data)
    read_document(path)
    assert path.read_bytes() == data


# ---------------------------------------------------------------- user errors

@pytest.mark.parametrize("data, problem", [
    (b"", "empty document"), (b" \n\t\r\n  ", "empty document"),
    (bytes(range(256)) * 8, "binary content"), (b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02" * 50,
                                                   "binary content")])
def test_unusable_text(tmp_path, data, problem):
    with pytest.raises(InputError, match=problem) as info:
        read_document(write(tmp_path, "bad.txt", data))
    assert "\n" not in str(info.value) and "bad.txt" in str(info.value)


def test_missing_directory_and_extension(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_document(tmp_path)
    with pytest.raises(InputError, match="unsupported file type '.odt'"):
        read_document(write(tmp_path, "x.odt", b"hello"))


def test_unreadable_file(tmp_path):
    import os
    path = write(tmp_path, "locked.txt", b"Anna: hi\n")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # root reads anything: nothing to test here
            pytest.skip("running as root: permissions are not enforced")
        with pytest.raises(InputError, match="cannot read file"):
            read_document(path)
    finally:
        path.chmod(0o644)


def test_corrupted_docx(tmp_path):
    with pytest.raises(InputError, match=r"corrupted \.docx \(not a zip archive\)"):
        read_document(write(tmp_path, "c.docx", b"PK\x03\x04 this is not really a zip"))
    bad = tmp_path / "z.docx"
    with zipfile.ZipFile(bad, "w") as archive:  # a zip, but not a Word document
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match=r"corrupted \.docx"):
        read_document(bad)


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # 20 MB of zeros deflate to about 20 KB: a ratio near 1000:1
        archive.writestr("word/document.xml", b"\x00" * (20 * 1024 * 1024))
    assert bomb.stat().st_size < 100_000
    with pytest.raises(InputError, match="zip bomb"):
        read_document(bomb)


# ---------------------------------------------------------------- docx, html, pdf

def test_docx_bold_paragraphs_are_emphasis(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph().add_run("Pourquoi ?").bold = True
    p = document.add_paragraph()
    p.add_run("Parce que. ")
    p.add_run("Vraiment.").bold = True
    document.add_heading("Intertitre", level=2)
    document.save(str(tmp_path / "d.docx"))
    doc = read_document(tmp_path / "d.docx")
    assert doc.text == "Pourquoi ?\nParce que. Vraiment.\nIntertitre"
    spans = [doc.text[a:b] for a, b in doc.emphasis]
    assert spans[0] == "Pourquoi ?"
    assert spans[1] == "Vraiment."
    assert doc.format == "docx"


def test_html_drops_scripts_frames_and_chrome():
    doc = read_document(FIX / "bold-questions-fr.html")
    for absent in ("injected", "never run", "jamais apparaître", "Accueil", "tous droits",
                   "steal", "track", "ads.example", "color"):
        assert absent not in doc.text
    lines = doc.text.split("\n")
    assert lines[0] == "Sophie Garnier : « La bibliothèque est le dernier lieu gratuit »"
    assert lines[2] == "Pourquoi ouvrir le dimanche ?"  # &nbsp; became a plain space
    bold = {doc.text[a:b] for a, b in doc.emphasis}
    assert bold == {"Pourquoi ouvrir le dimanche ?", "Un budget contraint",
                    "Comment financez-vous ces heures supplémentaires ?",
                    "Les élus vous ont suivie."}


def test_html_event_handler_attributes_never_in_text(tmp_path):
    html = (b'<p onmouseover="alert(1)">Q: Hello?</p><img src=x onerror="evil()">'
            b'<!-- hidden comment --><p>A: Hi.</p>')
    doc = read_document(write(tmp_path, "e.htm", html))
    assert doc.text == "Q: Hello?\nA: Hi."


def test_pdf_without_text_layer(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with open(tmp_path / "scan.pdf", "wb") as fh:
        writer.write(fh)
    with pytest.raises(InputError, match=r"no text layer \(scanned PDF\?\)"):
        read_document(tmp_path / "scan.pdf")


def minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a real text layer (Helvetica), written by hand."""
    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({t}) Tj T*" for t in lines) + " ET"
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            "/Resources << /Font << /F1 5 0 R >> >> >>",
            f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_pdf_text_layer_segments(tmp_path):
    from interview_lens.segment import read_interview

    path = write(tmp_path, "bees.pdf", minimal_pdf(
        ["Q: Why bees?", "A: Because of my grandfather.", "Q: And now?", "A: Forty hives."]))
    assert read_document(path).text == (
        "Q: Why bees?\nA: Because of my grandfather.\nQ: And now?\nA: Forty hives.")
    iv = read_interview(path, language="en")
    assert iv.qa.answer.tolist() == ["Because of my grandfather.", "Forty hives."]


def test_corrupted_pdf(tmp_path):
    with pytest.raises(InputError, match="PDF"):
        read_document(write(tmp_path, "broken.pdf", b"%PDF-1.4\nthis is not a pdf body"))


# ---------------------------------------------------------------- size

def test_fifty_megabytes_of_dialogue(tmp_path):
    """The sample repeated to 50 MB: linear time, and the same structure in every copy."""
    from interview_lens.segment import read_interview

    sample = (Path(__file__).resolve().parents[1] / "data" / "interviews" /
              "gt-kurbalija-2025-fr.txt").read_text(encoding="utf-8")
    n = 50 * 1024 * 1024 // len(sample.encode("utf-8")) + 1
    path = tmp_path / "big.txt"
    path.write_text(sample * n, encoding="utf-8")
    iv = read_interview(path, language="fr")
    # copy 1: lede + caption + 10 dialogue turns; every later copy's lede has no label and so
    # continues the previous answer, leaving caption + 10 dialogue turns: 12 + 11 (n - 1)
    assert len(iv.turns) == 11 * n + 1
    assert len(iv.qa) == 5 * n
    assert iv.turns.start_char.iloc[-1] == len(iv.text) - len(sample) + sample.index(
        "Alors que l’IA transforme")
