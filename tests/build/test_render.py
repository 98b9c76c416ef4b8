"""HTML briefing and PDF from a hand-made executed notebook (no kernel: fast)."""

from __future__ import annotations

import io
import unicodedata
import uuid
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis.build.render import (
    briefing_cells,
    format_report_date,
    html_to_pdf,
    index_to_html,
    notebook_to_html,
    source_date_epoch,
)
from analysis.files import write_atomic

HEADLINE = "Đội Cấn — Nhất Hòa — 06/26 chỉ tiêu không đạt"
# A 4×3 PNG, enough for an <img> (the build test runs a real matplotlib chart).
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAFElEQVR4nGPslpJigAEmBiSAwgEAHKgAxY23+EoAAAAASUVORK5CYII="


def executed_notebook() -> nbformat.NotebookNode:
    """What papermill leaves: parameters, injected parameters, outputs of every kind."""
    cells = [
        new_markdown_cell("## Kết quả thực hiện chỉ tiêu"),
        new_code_cell("year = 2024\nunit = 'x'", metadata={"tags": ["parameters"]}),
        new_code_cell("unit = 'doi-can'", metadata={"tags": ["injected-parameters"]}),
        new_code_cell(
            "import secret_module\nprint(headline)",
            execution_count=3,
            outputs=[
                new_output("stream", name="stdout", text=HEADLINE + "\n"),
                new_output("stream", name="stderr", text="UserWarning: noisy\n"),
            ],
        ),
        new_code_cell(
            "record(headline=headline)",
            execution_count=4,
            outputs=[
                new_output(
                    "display_data",
                    data={
                        "application/vnd.analysis.summary+json": {"headline": HEADLINE},
                        "text/plain": "[recorded for the build: headline]",
                    },
                ),
            ],
        ),
        new_code_cell(
            "df",
            execution_count=5,
            outputs=[
                new_output(
                    "execute_result",
                    execution_count=5,
                    data={
                        "text/html": "<table><thead><tr><th>Chỉ tiêu</th></tr></thead>"
                        "<tbody><tr><td>Tỷ lệ che phủ rừng</td></tr></tbody></table>",
                        "text/plain": "df",
                    },
                ),
            ],
        ),
        new_code_cell(
            "chart()",
            execution_count=6,
            outputs=[
                new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
                new_output("display_data", data={"application/javascript": "alert(1)"}),
            ],
        ),
        new_code_cell("x = 1", execution_count=7),
    ]
    for cell in cells:
        cell["id"] = uuid.uuid4().hex[:8]  # papermill's injected cell gets a random id
    nb = new_notebook(
        cells=cells,
        metadata={
            "papermill": {"start_time": "2026-01-01T00:00:00", "duration": 1.5},
            "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}},
        },
    )
    return nb


def render(nb=None, **kw) -> str:
    args = dict(
        title="Báo cáo thử nghiệm",
        unit="doi-can",
        unit_name="Đội Cấn",
        year=2024,
        report_date="04/12/2024",
        sources=["Báo cáo số 5596/BC-UBND", "Tệp units.csv"],
        headline=HEADLINE,
    )
    return notebook_to_html(nb or executed_notebook(), **{**args, **kw})


@pytest.fixture(scope="module")
def html() -> str:
    return render()


@pytest.fixture(scope="module")
def pdf(tmp_path_factory, html) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "briefing.pdf"
    html_to_pdf(html, path)
    return path


def test_html_shows_outputs_not_code(html: str) -> None:
    assert HEADLINE in html
    assert "Tỷ lệ che phủ rừng" in html and "data:image/png;base64," in html
    for code in (
        "import secret_module",
        "print(headline)",
        "record(",
        "unit = 'doi-can'",
        "jp-InputArea-editor",
        "highlight",
        "In&nbsp;[",
        "Out[",
    ):
        assert code not in html, code


def test_html_drops_what_a_reader_should_not_see(html: str) -> None:
    for hidden in (
        "UserWarning",
        "recorded for the build",
        "alert(1)",
        "<script",
        "widget-state",
        "papermill",
        "2026-01-01",
    ):
        assert hidden not in html, hidden


def test_html_title_block(html: str) -> None:
    assert '<html lang="vi">' in html
    for fact in (
        "Báo cáo thử nghiệm",
        "Đơn vị",
        "Đội Cấn",
        "Năm",
        "2024",
        "Ngày số liệu",
        "04/12/2024",
        "Nguồn số liệu",
        "Báo cáo số 5596/BC-UBND",
        "Tệp units.csv",
    ):
        assert fact in html, fact
    assert '<meta name="dcterms.created" content="2024-12-04">' in html  # as the template writes it
    assert 'alt="Biểu đồ"' in html
    assert unicodedata.is_normalized("NFC", html)


def test_html_is_the_same_for_the_same_outputs(html: str) -> None:
    """Random cell ids and run metadata differ between runs; the HTML must not."""
    assert render() == html
    assert 'id="cell-id=c1"' in html


def test_the_title_block_shows_the_headline_once(html: str) -> None:
    assert html.count(HEADLINE) == 1  # printed by the notebook: not repeated above it
    other = "12/26 chỉ tiêu vượt kế hoạch"
    assert render(headline=other).count(other) == 1


def test_html_escapes_the_title_block() -> None:
    assert "&lt;b&gt;" in render(unit_name="<b>X</b>")


def test_a_first_heading_equal_to_the_title_is_not_repeated() -> None:
    nb = executed_notebook()
    nb.cells[0].source = "# Báo cáo thử nghiệm\n\nGiới thiệu."
    assert briefing_cells(nb, title="Báo cáo thử nghiệm").cells[0].source == "Giới thiệu."
    assert briefing_cells(nb, title="Khác").cells[0].source.startswith("# Báo cáo")


def test_briefing_cells_keeps_only_what_is_shown() -> None:
    nb = briefing_cells(executed_notebook())
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code", "code"]
    assert [o.get("name") for o in nb.cells[1].outputs] == ["stdout"]
    assert list(nb.cells[3].outputs[0].data) == ["image/png", "text/plain"]
    assert len(nb.cells[3].outputs) == 1


@pytest.mark.slow
def test_pdf_keeps_vietnamese_text(pdf: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    text = unicodedata.normalize("NFC", "".join(p.extract_text() for p in reader.pages))
    assert "Đội Cấn" in text and "Nhất Hòa" in text and "chỉ tiêu không đạt" in text
    assert "Trang 1/1" in text
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points


@pytest.mark.slow
def test_pdf_embeds_its_fonts(pdf: Path) -> None:
    from pypdf import PdfReader

    fonts = []
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts.append((str(font["/BaseFont"]), "/FontFile2" in descriptor))
    assert fonts and all(embedded for _, embedded in fonts), fonts
    # the DejaVu files shipped with the package, under the families only they provide
    assert all(name.split("+")[-1].startswith("Briefing-") for name, _ in fonts), fonts


@pytest.mark.slow
def test_pdf_is_the_same_for_the_same_html(pdf: Path, html: str, tmp_path: Path) -> None:
    again = tmp_path / "again.pdf"
    html_to_pdf(html, again)
    assert again.read_bytes() == pdf.read_bytes()
    from pypdf import PdfReader

    info = PdfReader(pdf).metadata
    assert info["/CreationDate"].startswith("D:20241204")
    assert "/ID" not in PdfReader(pdf).trailer


def test_index_lists_every_pack() -> None:
    html = index_to_html(
        2024,
        [
            {
                "unit": "doi-can",
                "unit_name": "Đội Cấn",
                "title": "Báo cáo",
                "headline": HEADLINE,
                "failed": False,
                "error": "",
                "html": "doi-can/b.html",
                "pdf": "doi-can/b.pdf",
                "docx": "doi-can/b.docx",
                "ipynb": "doi-can/b.ipynb",
            },
            {
                "unit": "broken",
                "unit_name": "broken",
                "title": "b",
                "headline": "",
                "failed": True,
                "error": "ValueError: hỏng",
                "html": "",
                "pdf": "",
                "docx": "",
                "ipynb": "broken/b.ipynb",
            },
        ],
    )
    assert HEADLINE in html and 'href="doi-can/b.pdf"' in html and 'href="broken/b.ipynb"' in html
    assert "ValueError: hỏng" in html and "2 báo cáo · 1 lỗi" in html
    assert 'href="doi-can/b.docx">Word</a>' in html
    assert 'href="broken/b.html"' not in html and 'href="broken/b.docx"' not in html


def test_write_atomic_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "a.html"
    write_atomic(target, "Đội Cấn")
    write_atomic(target, b"v2")
    assert target.read_bytes() == b"v2"
    assert [p.name for p in target.parent.iterdir()] == ["a.html"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2024-12-04", "04/12/2024"),
        ("04/12/2024", "04/12/2024"),
        ("12/2024", "tháng 12/2024"),
        (None, "không ghi"),
    ],
)
def test_report_date_is_shown_the_vietnamese_way(value, shown) -> None:
    assert format_report_date(value)[0] == shown


def test_source_date_epoch_comes_from_the_report_date() -> None:
    assert source_date_epoch("04/12/2024") == 1733270400


@pytest.mark.slow
def test_no_report_date_means_no_date_in_the_pdf(tmp_path: Path) -> None:
    html = render(report_date=None)
    assert "dcterms" not in html and "không ghi" in html
    out = tmp_path / "x.pdf"
    html_to_pdf(html, out)
    from pypdf import PdfReader

    assert "/CreationDate" not in (PdfReader(io.BytesIO(out.read_bytes())).metadata or {})


@pytest.mark.slow
def test_fonts_subset_with_harfbuzz_print_the_same_pages(html: str, tmp_path: Path) -> None:
    """The PDF's fonts are cut with HarfBuzz (uharfbuzz) where WeasyPrint would use fontTools:
    same pages, same text (test_pdf_embeds_its_fonts checks they are embedded)."""
    from pypdf import PdfReader
    from weasyprint.pdf.fonts import Font

    from analysis.build.render import fast_font_subsetting

    assert fast_font_subsetting()
    harfbuzz = Font._fonttools_subset
    html_to_pdf(html, tmp_path / "harfbuzz.pdf")
    try:
        Font._fonttools_subset = harfbuzz._original
        html_to_pdf(html, tmp_path / "fonttools.pdf")
    finally:
        Font._fonttools_subset = harfbuzz
    pages = {
        name: [p.extract_text() for p in PdfReader(tmp_path / f"{name}.pdf").pages]
        for name in ("harfbuzz", "fonttools")
    }
    assert pages["harfbuzz"] == pages["fonttools"] and HEADLINE in "".join(pages["harfbuzz"])


def test_a_misspelled_title_block_fact_is_refused():
    from analysis.build.render import notebook_to_html

    with pytest.raises(TypeError, match="unexpected headlin"):
        notebook_to_html(executed_notebook(), title="T", unit="trang-dinh", year=2024, headlin="x")
