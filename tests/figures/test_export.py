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
from matplotlib.figure import Figure  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from interview_lens.analysis.terms import stat_frequency  # noqa: E402
from interview_lens.figures._layout import as_saved, laid_out, render_png  # noqa: E402
from interview_lens.figures.export import save_figure  # noqa: E402
from interview_lens.figures.style import figure_data, show_as_saved  # noqa: E402
from interview_lens.figures.terms import plot_terms, plot_wordcloud  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "terms_token_table", Path(__file__).parents[1] / "fixtures" / "terms" / "token_table.py")
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


def test_a_saved_figure_keeps_its_layout_while_unchanged(tmp_path):
    fig = _bars_figure()
    try:
        with as_saved(fig) as box:
            assert box == "tight"  # never saved
        save_figure(fig, "terms", tmp_path)
        engine = fig.get_layout_engine()
        positions = [ax.get_position(original=True).bounds for ax in fig.axes]
        with as_saved(fig, pad_inches=0.03) as first:
            assert fig.get_layout_engine() is None  # shown in the layout it was saved in
        with as_saved(fig, pad_inches=0.03) as box:  # measuring changed nothing: it holds
            assert box.extents.tolist() == first.extents.tolist()
            # measured at the screen's 100 dpi, on that layout
            expected = fig.get_tightbbox(fig.canvas.get_renderer()).padded(0.03)
            assert box.extents.tolist() == expected.extents.tolist()
        assert fig.get_layout_engine() is engine
        assert [ax.get_position(original=True).bounds for ax in fig.axes] == positions
    finally:
        plt.close(fig)


def test_a_saved_figure_changed_since_is_measured_again(tmp_path):
    fig = _bars_figure()
    try:
        save_figure(fig, "terms", tmp_path, formats=("png",))
        engine = fig.get_layout_engine()
        fig.axes[0].set_xlabel("Occurrences (all lemmas)")
        with as_saved(fig) as box:
            assert box == "tight" and fig.get_layout_engine() is engine
    finally:
        plt.close(fig)


def test_a_saved_figure_laid_out_again_is_measured_again(tmp_path):
    fig = _bars_figure()
    try:
        save_figure(fig, "terms", tmp_path, formats=("png",))
        # what a draw with the layout engine does: the axes move, the figure is drawn
        fig.axes[0].set_position([0.3, 0.2, 0.6, 0.6])
        fig.stale = False
        with as_saved(fig) as box:
            assert box == "tight"
    finally:
        plt.close(fig)


class _Shell:
    """The part of an IPython shell that show_as_saved uses: its display formatters."""

    def __init__(self, show=None):
        from IPython.core.formatters import PNGFormatter, SVGFormatter

        self.display_formatter = type("DisplayFormatter", (), {})()
        self.display_formatter.formatters = {"image/png": PNGFormatter(),
                                             "image/svg+xml": SVGFormatter()}
        if show is not None:
            self.display_formatter.formatters["image/png"].for_type(Figure, show)


def test_show_as_saved_passes_the_saved_box_to_the_inline_formatter(tmp_path):
    calls = []

    def show(fig, **kwargs):  # what %matplotlib inline registers, recording its box
        calls.append(kwargs.get("bbox_inches", "tight"))
        return "png"

    shell = _Shell(show)
    show_as_saved(shell)
    show_as_saved(shell)  # a second apply_style() does not wrap twice
    wrapped = shell.display_formatter.formatters["image/png"].lookup_by_type(Figure)
    assert wrapped.args == (show,)
    unsaved, saved = _bars_figure(), _bars_figure()
    try:
        save_figure(saved, "terms", tmp_path)
        with as_saved(saved) as box:
            pass
        assert wrapped(unsaved) == "png" and wrapped(saved) == "png"
        assert calls[0] == "tight"
        assert calls[1].extents.tolist() == box.extents.tolist()
    finally:
        plt.close(unsaved)
        plt.close(saved)


def _long_labels_figure():
    concepts = ["numérique et technologie", "multilatéralisme et ONU",
                "sécurité, risques et conflits", "éducation et compétences",
                "culture et philosophie", "avenir partagé"]
    freq = pd.DataFrame({"lemma": concepts, "count": [9, 7, 6, 5, 4, 3]})
    return plot_terms(freq, top_n=6, width="two",
                      document="Un entretien assez long pour remplir la colonne (2025)")


@pytest.mark.parametrize("build", [_bars_figure, _long_labels_figure, lambda: plot_wordcloud(
    stat_frequency(token_table.jardins()), document=DOC)], ids=["bars", "long-labels",
                                                                "wordcloud"])
def test_shown_figure_keeps_a_white_margin_like_the_inline_backends_own(tmp_path, build):
    import base64
    import io
    from functools import partial

    import numpy as np
    from IPython.core.pylabtools import print_figure
    from PIL import Image

    def margins(png: bytes) -> list[int]:
        """Blank pixels left, right, above and below the ink."""
        ink = np.asarray(Image.open(io.BytesIO(png)).convert("L")) < 250
        cols, rows = np.flatnonzero(ink.any(axis=0)), np.flatnonzero(ink.any(axis=1))
        return [int(cols[0]), ink.shape[1] - 1 - int(cols[-1]),
                int(rows[0]), ink.shape[0] - 1 - int(rows[-1])]

    inline = partial(print_figure, fmt="png", base64=True, bbox_inches="tight")
    shell = _Shell(inline)
    show_as_saved(shell)
    fig, reference = build(), build()
    try:
        save_figure(fig, "terms", tmp_path, formats=("png",))
        with matplotlib.rc_context({"savefig.pad_inches": 0.03}):  # as apply_style sets it
            shown = base64.b64decode(shell.display_formatter.formatters["image/png"](fig))
            own = base64.b64decode(inline(reference))  # laid out and measured at 100 dpi
    finally:
        plt.close(fig)
        plt.close(reference)
    # text drawn at 100 dpi is wider than at 300 (the long labels by 3 pixels): the box is
    # measured again on screen, so no label touches the edge, and the white around the ink
    # is the inline backend's own, to a pixel
    shown_margins, own_margins = margins(shown), margins(own)
    assert min(shown_margins) >= 1, (shown_margins, own_margins)
    assert all(abs(a - b) <= 1 for a, b in zip(shown_margins, own_margins)), (shown_margins,
                                                                              own_margins)


def test_show_as_saved_leaves_other_figure_formats_alone():
    shell = _Shell()  # e.g. %config InlineBackend.figure_formats = ["svg"]
    show_as_saved(shell)
    with pytest.raises(KeyError):
        shell.display_formatter.formatters["image/png"].lookup_by_type(Figure)


def _pixels(png: bytes):
    import io

    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def test_render_png_gives_savefigs_pixels_for_the_box_widened_to_whole_pixels():
    import io
    import math

    import numpy as np
    from matplotlib.transforms import Bbox

    fig, reference = _bars_figure(), _bars_figure()
    try:
        shown = render_png(fig, dpi=150)
        assert fig.dpi == 100 and fig.get_facecolor() == reference.get_facecolor()  # put back
        with laid_out(reference, dpi=150) as box:
            (x0, y0), (x1, y1) = box.get_points() * 150
            whole = Bbox([[math.floor(x0) / 150, math.floor(y0) / 150],
                          [math.ceil(x1) / 150, math.ceil(y1) / 150]])
            raw = io.BytesIO()
            reference.savefig(raw, format="rgba", dpi=150, bbox_inches=whole, facecolor="white")
    finally:
        plt.close(fig)
        plt.close(reference)
    expected = np.frombuffer(raw.getvalue(), np.uint8).reshape(
        math.ceil(y1) - math.floor(y0), math.ceil(x1) - math.floor(x0), 4)
    np.testing.assert_array_equal(_pixels(shown), expected)


def test_render_png_leaves_a_figure_reaching_past_its_canvas_to_savefig():
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    def build():  # no layout engine to pull the note in: it sticks out past the canvas
        fig = Figure(figsize=(2, 1.5))
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, 1])
        ax.text(1.6, 0.5, "a note far to the right", transform=ax.transAxes)
        return fig

    fig, reference = build(), build()
    shown = render_png(fig, dpi=150)
    buffer = io.BytesIO()
    reference.savefig(buffer, format="png", dpi=150, metadata={"Software": None},
                      bbox_inches="tight", pad_inches=0.03, facecolor="white")
    assert shown == buffer.getvalue()
    assert _pixels(shown).shape[1] > 2 * 150  # the note is in, past the 2-inch canvas
