"""export.save_figure: valid PNG/SVG/PDF with editable text, the CSV of the numbers drawn, and
byte-identical files when the same figure is built again from scratch."""
from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from interview_lens.export import laid_out, save_figure  # noqa: E402
from interview_lens.plots_terms import plot_terms, plot_wordcloud  # noqa: E402
from interview_lens.style import figure_data  # noqa: E402
from interview_lens.terms import stat_frequency  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "terms_token_table", Path(__file__).parent / "fixtures" / "terms" / "token_table.py")
token_table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(token_table)

DOC = "Jardin partagé — « entretien » (2025, fr)"
SVG_NS = "{http://www.w3.org/2000/svg}"


def _bars_figure():
    return plot_terms(stat_frequency(token_table.jardins()), top_n=5, document=DOC)


def _save(fig, out_dir):
    try:
        return save_figure(fig, "terms", out_dir)
    finally:
        plt.close(fig)


def test_writes_every_format_and_the_csv(tmp_path):
    paths = _save(_bars_figure(), tmp_path)
    assert [p.name for p in paths] == ["terms.png", "terms.svg", "terms.pdf", "terms.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)  # no .part
    assert (tmp_path / "terms.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert (tmp_path / "terms.pdf").read_bytes().startswith(b"%PDF")
    root = ET.parse(tmp_path / "terms.svg").getroot()
    assert root.tag == f"{SVG_NS}svg"


def test_svg_text_is_editable_text(tmp_path):
    _save(_bars_figure(), tmp_path)
    root = ET.parse(tmp_path / "terms.svg").getroot()
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]
    # svg.fonttype "none": the title, tick labels and accents stay as <text>, not glyph paths
    assert "Most frequent lemmas (stopwords removed)" in texts
    assert DOC in texts
    assert "jardin" in texts and "Occurrences (lemmas)" in texts
    assert "<dc:date>" not in (tmp_path / "terms.svg").read_text(encoding="utf-8")


def test_pdf_text_is_truetype_and_extractable(tmp_path):
    _save(_bars_figure(), tmp_path)
    raw = (tmp_path / "terms.pdf").read_bytes()
    # pdf.fonttype 42: the font is embedded as TrueType (FontFile2), not Type 3 outlines
    assert b"/FontFile2" in raw and b"/Type3" not in raw
    assert b"/CreationDate" not in raw
    text = PdfReader(tmp_path / "terms.pdf").pages[0].extract_text()
    assert "Most frequent lemmas (stopwords removed)" in text
    assert "partagé" in text and "jardin" in text


def test_csv_is_the_attached_frame(tmp_path):
    fig = _bars_figure()
    attached = figure_data(fig).copy()
    _save(fig, tmp_path)
    got = pd.read_csv(tmp_path / "terms.csv")
    # floats are written with 6 significant digits ("%.6g"): 5/34*1000 = 147.058823... -> 147.059
    assert got.loc[0, "rate_per_1000"] == 147.059
    pd.testing.assert_frame_equal(got, attached, check_dtype=False, rtol=1e-5)


def test_explicit_data_overrides_the_attached_frame(tmp_path):
    fig = _bars_figure()
    table = pd.DataFrame({"a": [1, 2], "b": ["é", "«x»"]})
    try:
        save_figure(fig, "t", tmp_path, formats=("png",), data=table)
    finally:
        plt.close(fig)
    assert (tmp_path / "t.csv").read_text(encoding="utf-8") == "a,b\n1,é\n2,«x»\n"
    assert not (tmp_path / "t.svg").exists()


def test_unknown_format_is_refused(tmp_path):
    fig = _bars_figure()
    try:
        with pytest.raises(ValueError, match="jpg"):
            save_figure(fig, "t", tmp_path, formats=("png", "jpg"))
    finally:
        plt.close(fig)
    assert not list(tmp_path.iterdir())  # nothing written before the check


@pytest.mark.parametrize("build", [_bars_figure, lambda: plot_wordcloud(
    stat_frequency(token_table.jardins()), document=DOC)], ids=["bars", "wordcloud"])
def test_same_figure_twice_gives_identical_files(tmp_path, build):
    _save(build(), tmp_path / "a")
    _save(build(), tmp_path / "b")
    for ext in ("png", "svg", "pdf", "csv"):
        a = (tmp_path / "a" / f"terms.{ext}").read_bytes()
        b = (tmp_path / "b" / f"terms.{ext}").read_bytes()
        assert a == b, f"{ext} differs between two identical builds"


def test_png_is_what_savefig_tight_gives(tmp_path):
    # the layout is solved once at 300 dpi and the box measured once: the PNG is, byte for
    # byte, the one matplotlib's own bbox_inches="tight" draws (measure, then render)
    _save(_bars_figure(), tmp_path)
    fig = _bars_figure()
    try:
        fig.savefig(tmp_path / "reference.png", format="png", dpi=300, bbox_inches="tight",
                    pad_inches=0.03, facecolor="white", metadata={"Software": None})
    finally:
        plt.close(fig)
    assert (tmp_path / "terms.png").read_bytes() == (tmp_path / "reference.png").read_bytes()


def test_laid_out_holds_the_layout_then_gives_it_back():
    fig = _bars_figure()
    try:
        engine = fig.get_layout_engine()
        assert engine is not None  # plot_* figures use constrained layout
        with laid_out(fig, dpi=300) as box:
            assert fig.get_layout_engine() is None  # held: savefig draws once, no re-layout
            assert fig.dpi == 100  # the screen resolution, as before
            # the padded tight box, in inches, within the 85 mm (3.35 in) column
            assert 3.0 < box.width < 85 / 25.4 + 2 * 0.03
            assert box.x0 < 0.03 and box.y0 < 0.03
        assert fig.get_layout_engine() is engine
    finally:
        plt.close(fig)


def test_laid_out_leaves_a_non_agg_canvas_to_savefig():
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    fig = _bars_figure()
    FigureCanvasSVG(fig)
    engine = fig.get_layout_engine()
    with laid_out(fig, dpi=300) as box:
        assert box == "tight" and fig.get_layout_engine() is engine
