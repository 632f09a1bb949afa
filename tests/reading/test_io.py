"""read_document: encodings, formats, normalisation and every kind of unusable input."""
from __future__ import annotations

import unicodedata
import warnings
import zipfile
from pathlib import Path

import pytest

from interview_lens.errors import InputError, InterviewWarning
from interview_lens.reading import formats as io_module
from interview_lens.reading.formats import MAX_DOCUMENT_CHARS, normalise, read_document

FIX = Path(__file__).parents[1] / "fixtures" / "segment"
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


def test_unreadable_file(tmp_path, monkeypatch):
    # tests run as root, whom chmod 000 does not stop: the refusal is simulated
    path = write(tmp_path, "locked.txt", b"Anna: hi\n")

    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(InputError) as info:
        read_document(path)
    assert str(info.value) == f"{path}: cannot read file (Permission denied)"


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
    from interview_lens.reading.segment import read_interview

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

def test_fifty_megabytes_of_dialogue(tmp_path, monkeypatch):
    """The sample repeated to 50 MB: linear time, and the same structure in every copy.

    Beyond the reading limit (it is there for the notebooks): the segmenter must scale anyway.
    """
    monkeypatch.setattr(io_module, "MAX_DOCUMENT_CHARS", 60 * 2**20)
    from interview_lens.reading.segment import read_interview

    sample = (Path(__file__).resolve().parents[2] / "data" / "interviews" /
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


def test_too_large_is_refused_with_the_limit(tmp_path, monkeypatch):
    sample = "Anna : Où êtes-vous née ?\nBoris : À Kyiv.\n"  # 42 characters, 46 bytes
    monkeypatch.setattr(io_module, "MAX_DOCUMENT_CHARS", 2**20)  # 1 MB of text
    accepted = write(tmp_path, "ok.txt", (sample * (2**20 // 42)).encode("utf-8"))
    assert len(read_document(accepted).text) == 2**20 // 42 * 42
    big = write(tmp_path, "big.txt", (sample * 30_000).encode("utf-8"))  # 1,260,000 characters
    with pytest.raises(InputError) as info:
        read_document(big)
    assert str(info.value) == f"{big}: too large: 1.2 MB of text (limit 1 MB; split it)"


def test_huge_file_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:  # 13 MB, sparse: nothing written but the size
        fh.truncate(13 * 2**20)
    monkeypatch.setattr(io_module, "MAX_DOCUMENT_CHARS", 3 * 2**20)  # 12 MB of file

    def never(self):
        raise AssertionError("read")

    monkeypatch.setattr(Path, "read_bytes", never)
    with pytest.raises(InputError) as info:
        read_document(path)
    assert str(info.value) == f"{path}: too large: 13 MB file (limit 3 MB of text; split it)"
    pdf = tmp_path / "huge.pdf"
    with pdf.open("wb") as fh:
        fh.truncate(201 * 2**20)
    with pytest.raises(InputError) as info:
        read_document(pdf)
    assert str(info.value) == f"{pdf}: too large: 201 MB file (limit 200 MB; split it)"


def test_default_limit_holds_two_million_characters_on_one_line(tmp_path):
    assert MAX_DOCUMENT_CHARS == 2 * 2**20
    line = write(tmp_path, "line.txt", ("mot " * 500_000).encode("ascii"))  # 2,000,000 chars
    assert len(read_document(line).text) == 2_000_000
    with pytest.raises(InputError, match=r"too large: 2\.0 MB of text \(limit 2 MB; split it\)"):
        read_document(write(tmp_path, "over.txt", b"a" * (MAX_DOCUMENT_CHARS + 1)))


# ---------------------------------------------------------------- UTF-16 without BOM, binary

ARABIC = ("المحاور: ما رأيك في التعاون الدولي في الفضاء الرقمي؟\n"
          "الضيف: أعتقد أن التعاون مهم جدا، ويجب أن نعمل معا من أجل مستقبل مشترك.\n")
CHINESE = ("记者：你怎么看国际合作？\n"
           "专家：我认为合作非常重要，我们需要共享数据和知识。2025年是关键的一年。\n")
FRENCH_LONG = ("Anna : Où êtes-vous née, et pourquoi êtes-vous partie si tôt ?\n"
               "Boris : À Kyiv, en 1961 ; je suis partie à dix-huit ans pour étudier.\n")


@pytest.mark.parametrize("text", [ARABIC * 3, CHINESE * 3, FRENCH_LONG * 3, ARABIC + CHINESE,
                                  "Q: 你好吗? \u062a\u0639\u0627\u0648\u0646 " * 20],
                         ids=["arabic", "chinese", "french", "arabic-chinese", "mixed"])
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_in_any_script(tmp_path, text, codec):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        doc = read_document(write(tmp_path, "u.txt", text.encode(codec)))
    assert doc.text == text
    assert doc.encoding == codec


def _png() -> bytes:
    import random
    import struct
    import zlib

    rng = random.Random(1)
    pixels = b"".join(b"\x00" + bytes(rng.randrange(256) for _ in range(48)) for _ in range(16))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b""))


def _zip() -> bytes:
    import io
    import random

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("notes.txt", FRENCH_LONG * 20)
        archive.writestr("noise.bin", random.Random(2).randbytes(4000))
    return buffer.getvalue()


def _random(size: int, seed: int) -> bytes:
    import random

    data = bytearray(random.Random(seed).randbytes(size))
    data[10] = 0  # at least one NUL: the UTF-16 test is tried
    return bytes(data)


def _wav() -> bytes:
    """Half a second of a 16-bit sine: every sample decodes as UTF-16 (no surrogate)."""
    import math
    import struct

    samples = b"".join(struct.pack("<h", int(3000 * math.sin(i / 5))) for i in range(4000))
    return (b"RIFF" + struct.pack("<I", 36 + len(samples)) + b"WAVEfmt "
            + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16) + b"data"
            + struct.pack("<I", len(samples)) + samples)


def _int32_table() -> bytes:
    import struct

    return b"".join(struct.pack("<I", i * 7919) for i in range(3000))


@pytest.mark.parametrize("data", [
    _png(), _zip(), __import__("gzip").compress(FRENCH_LONG.encode() * 50, mtime=0),
    b"\x00" * 4096, _wav(), _int32_table(),
    FRENCH_LONG.encode("utf-8").replace(b" ", b"\x00", 3) * 10,  # UTF-8 with NULs: corrupt
    *[_random(size, seed) for size in (128, 130, 256, 4096, 65536) for seed in range(4)],
], ids=lambda d: f"{d[:4]!r}-{len(d)}")
def test_binary_is_never_taken_for_utf16(tmp_path, data):
    with pytest.raises(InputError, match="binary content"):
        read_document(write(tmp_path, "b.txt", data))


def _letters_of(ranges: list[tuple[int, int]], n: int, seed: int) -> str:
    import random

    rng = random.Random(seed)
    return "".join(chr(rng.randrange(*rng.choice(ranges))) for _ in range(n))


@pytest.mark.parametrize("text, rule", [
    # letters only, but of eight scripts at once: what random code points look like
    (_letters_of([(0x4E00, 0x9FA5), (0xAC00, 0xD7A3), (0x0410, 0x044F), (0x05D0, 0x05EA),
                  (0x0627, 0x064A), (0x0E01, 0x0E2E), (0x0905, 0x0939), (0x3041, 0x3096)],
                 400, 3) + " \u4e00", "scripts"),
    # one script, but private-use code points throughout
    ("".join(c + ("\ue000" if i % 20 == 0 else "")
             for i, c in enumerate(_letters_of([(0x4E00, 0x9FA5)], 400, 4))) + " \u4e00", "bad"),
])
def test_utf16_that_does_not_read_as_text(tmp_path, text, rule):
    for codec in ("utf-16-le", "utf-16-be"):
        data = text.encode(codec)
        assert data.count(0) >= 2 and len(data) >= 256
        with pytest.raises(InputError, match="binary content"):
            read_document(write(tmp_path, "l.txt", data))


def test_short_utf16_without_bom_is_not_evidence_enough(tmp_path):
    """Under 64 characters with NUL bytes, the heuristics cannot tell text from bytes."""
    with pytest.raises(InputError, match=r"binary content \(NUL bytes\)"):
        read_document(write(tmp_path, "s.txt", CHINESE[:40].encode("utf-16-le")))


# ---------------------------------------------------------------- invisible characters

@pytest.mark.parametrize("raw, clean", [
    ("commu\u00adnauté", "communauté"),                       # soft hyphen
    ("commu\u200bnity", "community"),                         # zero-width space
    ("co\u200cmmu\u200dnity", "community"),                   # ZWNJ, ZWJ between Latin letters
    ("\u200bGT : oui", "GT : oui"),                           # before a speaker label
    ("fin.\u200b\nDébut", "fin.\nDébut"),
    ("word\u2060joiner\ufeff", "wordjoiner"),                 # word joiner, stray BOM
    ("Привет\u200bмир", "Приветмир"),
    ("x\u200b\u200b\u00ady", "xy"),
    ("می\u200cخواهم", "می\u200cخواهم"),                       # Persian ZWNJ: kept
    ("\U0001F468\u200d\U0001F469\u200d\U0001F467", "\U0001F468\u200d\U0001F469\u200d\U0001F467"),
    ("ภาษา\u200bไทย", "ภาษา\u200bไทย"),                       # Thai word break: kept
])
def test_invisible_characters_inside_words(raw, clean):
    assert normalise(raw) == clean
    assert normalise(clean) == clean


def test_invisible_characters_do_not_hide_concept_hits(tmp_path):
    from interview_lens.analysis.concepts import code_concepts
    from interview_lens.analysis.dictionary import load_dictionary
    from interview_lens.language.tokens import tokens_from
    from interview_lens.reading.segment import read_interview

    lines = ["Q : Que veut dire la {0} pour vous ?",
             "R : La {0} est une famille ; une {0} se choisit, et la {1} aussi."]
    clean = "\n".join(lines).format("communauté", "communauté") + "\n"
    dirty = "\n".join(lines).format("commu\u00adnauté", "commu\u200bnau\u2060té") + "\n"
    counts = {}
    for name, text in (("clean", clean), ("dirty", dirty)):
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InterviewWarning)
            interview = read_interview(path, language="fr")
        hits = code_concepts(tokens_from(interview), load_dictionary())
        counts[name] = hits.loc[hits.concept == "community", "term"].tolist()
    assert counts["dirty"] == counts["clean"] == ["communauté"] * 4


def test_invisible_characters_in_english_concepts(tmp_path):
    from interview_lens.analysis.concepts import code_concepts
    from interview_lens.analysis.dictionary import load_dictionary
    from interview_lens.language.tokens import tokens_from
    from interview_lens.reading.segment import read_interview

    path = tmp_path / "en.txt"
    path.write_text("Q: What is a com\u00admunity?\n"
                    "A: A commu\u200bnity shares; our community\u200b grows.\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InterviewWarning)
        interview = read_interview(path, language="en")
    hits = code_concepts(tokens_from(interview), load_dictionary())
    assert hits.loc[hits.concept == "community", "term"].tolist() == ["community"] * 3


# ---------------------------------------------------------------- encrypted and broken PDFs

def _encrypted(tmp_path: Path, algorithm: str, password: str) -> Path:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(minimal_pdf(["Q: Why bees?", "A: Honey."]))))
    writer.encrypt(user_password=password, owner_password="owner", algorithm=algorithm)
    path = tmp_path / f"{algorithm}-{bool(password)}.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


@pytest.mark.parametrize("algorithm", ["AES-256", "AES-128", "RC4-128", "RC4-40"])
def test_encrypted_pdf_with_empty_user_password_opens(tmp_path, algorithm):
    path = _encrypted(tmp_path, algorithm, "")
    assert b"/Encrypt" in path.read_bytes()
    assert read_document(path).text == "Q: Why bees?\nA: Honey."


@pytest.mark.parametrize("algorithm", ["AES-256", "RC4-128"])
def test_encrypted_pdf_with_a_password_is_one_line(tmp_path, algorithm):
    path = _encrypted(tmp_path, algorithm, "secret")
    with pytest.raises(InputError) as info:
        read_document(path)
    assert str(info.value) == f"{path}: encrypted PDF (password needed)"


def test_pdf_decryption_without_cryptography_is_one_line(tmp_path, monkeypatch):
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    def missing(self, password):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(PdfReader, "decrypt", missing)
    path = _encrypted(tmp_path, "AES-256", "")
    with pytest.raises(InputError) as info:
        read_document(path)
    assert str(info.value) == (f"{path}: encrypted PDF (cannot decrypt it: cryptography>=3.1 "
                               "is required for AES algorithm)")


@pytest.mark.parametrize("exception", [RecursionError, ZeroDivisionError, AttributeError,
                                       IndexError])
def test_any_pypdf_failure_is_a_corrupted_pdf(tmp_path, monkeypatch, exception):
    from pypdf import PageObject

    def broken(self, *args, **kwargs):
        raise exception("deep inside pypdf")

    monkeypatch.setattr(PageObject, "extract_text", broken)
    path = write(tmp_path, "p.pdf", minimal_pdf(["Q: Why?"]))
    with pytest.raises(InputError) as info:
        read_document(path)
    assert str(info.value) == f"{path}: corrupted PDF ({exception.__name__})"
