"""The Typst route: a hand-made executed notebook (no kernel) written as Typst and compiled.

What a reader checks in the PDF: the text shown as it was written (Vietnamese, figures,
characters Typst would read as markup), the title block, a page number on every page, the
illustrative label on every page when the pack says so, the fonts embedded, the same bytes
every time.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from pypdf import PdfReader

from analysis.build.typst_export import notebook_to_typst, typst_to_pdf
from analysis.report import charts, present
from analysis.report.cells import figure, heading
from analysis.report.document import Column, Row, Section, Span, Table, cell
from analysis.writers.layout import column_widths
from analysis.writers.notebook import bundle
from analysis.writers.typst import escape, to_typst

# compiles PDFs: not in make test-fast
pytestmark = pytest.mark.slow

HEADLINE = "Năm 2024: 02/08 chỉ tiêu không đạt so với kế hoạch"
# Text a Typst document would otherwise read as markup: a list item, a heading, emphasis,
# a comment, a label, math, smart quotes and dashes.
TRICKY = "1. Tỷ lệ = 20 / 21 -- *95,24%* _x_ #5 $3 <a> @b [c] ~d \"e\" 'f' // g \\h + i - j ... k"


def executed(rows: int = 8) -> object:
    """A notebook as papermill leaves it: markdown, an HTML table with status marks, a chart,
    printed text, and the build's record (not shown)."""
    import pandas as pd

    ev = pd.DataFrame(
        {
            "tt": range(1, rows + 1),
            "indicator": [f"Tỷ lệ hộ nghèo đa chiều, xã Nhất Hòa {i}" for i in range(1, rows + 1)],
            "inferred": "",
            "measure_unit": "%",
            "previous": 7.74,
            "plan": 6.56,
            "plan_text": "",
            "result": 6.39,
            "attainment_pct": 97.41,
            "trend_pct": 82.56,
            "status": ["Không đạt" if i % 2 else "Vượt" for i in range(rows)],
            "agrees": True,
            "direction": "higher",
            "decimals": 2,
            "year": 2024,
        }
    )
    comparison = pd.DataFrame(
        {
            "unit": ["a", "b", "c"],
            "name": ["Nhất Hòa", "Đội Cấn", "Vũ Lễ"],
            "indicator_id": "poverty_rate",
            "indicator": "Tỷ lệ hộ nghèo đa chiều",
            "result": [6.39, 4.35, 3.1],
            "district_median": 4.35,
            "rank": pd.array([3, 2, 1], dtype="Int64"),
            "n_communes": 3,
            "illustrative": True,
        }
    )
    chart = charts.communes_chart(comparison, "poverty_rate", "a")
    return new_notebook(
        cells=[
            new_markdown_cell("# Tài liệu của xã\n\nSố liệu **minh họa** của xã.\n\n## Phần một"),
            new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
            new_code_cell(
                "show()",
                execution_count=2,
                outputs=[
                    new_output("display_data", data=bundle(heading("1. Số liệu của xã (minh họa)"))),
                    new_output("display_data", data=bundle(present.evaluated_table(ev))),
                    new_output("display_data", data=bundle(figure(chart))),
                    new_output("stream", name="stdout", text=TRICKY + "\n"),
                    new_output(
                        "display_data",
                        data={"application/vnd.analysis.summary+json": {"headline": HEADLINE}, "text/plain": "x"},
                    ),
                ],
            ),
        ]
    )


FACTS = dict(
    title="Tài liệu của xã",
    unit="bac-son-nhat-hoa",
    year=2024,
    unit_name="Xã Nhất Hòa (huyện Bắc Sơn)",
    report_date="2024-12-04",
    sources=["Báo cáo tình hình — tệp 001.txt", "Số liệu minh họa cấp xã"],
    headline=HEADLINE,
)


def pages(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "x.pdf"
    path.write_bytes(pdf)
    return [unicodedata.normalize("NFC", p.extract_text() or "") for p in PdfReader(path).pages]


@pytest.fixture(scope="module")
def long_pack(tmp_path_factory) -> tuple[bytes, list[str]]:
    """A pack whose table runs over several pages, marked illustrative."""
    pdf = typst_to_pdf(notebook_to_typst(executed(rows=90), **FACTS, illustrative=True), epoch=1733270400)
    return pdf, pages(pdf, tmp_path_factory.mktemp("typst"))


@pytest.mark.slow
def test_every_page_is_numbered_and_labelled_illustrative(long_pack):
    _, texts = long_pack
    assert len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert f"Trang {number}/{len(texts)}" in text
        assert "SỐ LIỆU MINH HỌA · không phải số liệu chính thức" in text
    assert "Xã Nhất Hòa (huyện Bắc Sơn) · 2024" in texts[1]  # the running head, from page 2


def test_the_title_block_and_the_outputs_are_shown(long_pack):
    _, texts = long_pack
    text = re.sub(r"\s+", " ", "\n".join(texts))
    for shown in (
        "Tài liệu của xã",
        "Đơn vị Xã Nhất Hòa (huyện Bắc Sơn)",
        "Ngày số liệu 04/12/2024",
        "Số liệu minh họa cấp xã",
        HEADLINE,
        "1. Số liệu của xã (minh họa)",
        "Phần một",
        "Tỷ lệ hộ nghèo đa chiều, xã Nhất Hòa 90",
        "97,41%",
        "Không đạt",
    ):
        assert shown in text, shown
    assert text.count("Tài liệu của xã") == 1  # the markdown's first heading is the title: not repeated
    assert "recorded for the build" not in text and "x = 1" not in text


def test_text_that_looks_like_markup_is_printed_as_written(tmp_path):
    nb = new_notebook(cells=[new_code_cell("", outputs=[new_output("stream", name="stdout", text=TRICKY)])])
    text = " ".join(pages(typst_to_pdf(notebook_to_typst(nb, **FACTS)), tmp_path))
    assert TRICKY in unicodedata.normalize("NFC", re.sub(r"\s+", " ", text))


def test_the_fonts_are_embedded_and_only_ours(long_pack, tmp_path):
    pdf, _ = long_pack
    path = tmp_path / "f.pdf"
    path.write_bytes(pdf)
    found = {}
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            found[str(font["/BaseFont"]).split("+")[-1]] = "/FontFile2" in descriptor or "/FontFile3" in descriptor
    assert found and all(found.values()), found
    assert all(name.startswith("DejaVu") for name in found), found


@pytest.mark.slow
def test_the_same_notebook_gives_the_same_bytes_in_another_process(long_pack, tmp_path):
    pdf, _ = long_pack
    again = typst_to_pdf(notebook_to_typst(executed(rows=90), **FACTS, illustrative=True), epoch=1733270400)
    assert again == pdf
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); from test_typst import executed, FACTS;"
        "from analysis.build.typst_export import notebook_to_typst, typst_to_pdf;"
        "sys.stdout.buffer.write(typst_to_pdf(notebook_to_typst(executed(rows=90), **FACTS, illustrative=True),"
        " epoch=1733270400))"
    )
    other = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent)], capture_output=True, check=True)
    assert other.stdout == pdf


def test_the_pdf_is_dated_with_the_report_date(long_pack, tmp_path):
    pdf, _ = long_pack
    path = tmp_path / "d.pdf"
    path.write_bytes(pdf)
    meta = PdfReader(path).metadata
    assert str(meta["/CreationDate"]).startswith("D:20241204")
    assert meta.title == "Tài liệu của xã — Xã Nhất Hòa (huyện Bắc Sơn) — 2024"


def test_a_pack_without_a_report_date_has_no_date(tmp_path):
    nb = new_notebook(cells=[new_markdown_cell("Đội Cấn")])
    path = tmp_path / "n.pdf"
    path.write_bytes(typst_to_pdf(notebook_to_typst(nb, **{**FACTS, "report_date": None}), epoch=1733270400))
    assert "/CreationDate" not in PdfReader(path).metadata


def test_a_pack_not_illustrative_has_no_label(tmp_path):
    texts = pages(typst_to_pdf(notebook_to_typst(executed(rows=3), **FACTS)), tmp_path)
    assert not any("SỐ LIỆU MINH HỌA · không phải số liệu chính thức" in t for t in texts)


def test_escape_leaves_nothing_for_typst_to_read():
    assert escape("a*b") == "a\\*b" and escape("1.5") == "1\\.5" and escape("Đội") == "Đội"


def test_model_tables_keep_their_cells_and_column_kinds():
    columns = (Column("tt", "TT", "stt"), Column("indicator", "Chỉ tiêu", "name"))
    row = Row((cell((Span("1"),)), cell((Span("Tỷ lệ "), Span("Không đạt", "status", "Không đạt")))))
    markup = to_typst(Section((Table(columns, (row,)),)))
    assert markup.startswith('#html-table("data", none, ("c-tt k-stt", "c-indicator k-name",)')
    assert '[Tỷ lệ #html-span("status st-missed")[Không đạt]]' in markup


def _table(*rows: tuple[str, str, str]) -> Table:
    columns = (Column("tt", "TT", "stt"), Column("indicator", "Chỉ tiêu", "name"), Column("res", "TH", "number"))
    return Table(
        columns, tuple(Row(tuple(cell((Span(t, m),)) for t, m in zip(r, ("plain", "plain", "num")))) for r in rows)
    )


def test_a_long_name_does_not_squeeze_the_numbers_to_nothing():
    from analysis.fonts import text_width

    long = "Tỷ lệ " + "rất dài " * 120
    widths = column_widths(_table(("1", long, "1.206,64")), 498.9)
    # the number keeps its whole width (8 pt condensed, padding 8 + 2), the rest goes to the name
    assert widths[2] >= text_width("1.206,64", 8, condensed=True) + 10 - 1e-9
    assert widths[1] > 400 and round(sum(widths), 1) == 498.9


def test_a_name_wraps_to_at_most_three_lines_when_the_page_has_room():
    from analysis.fonts import text_width

    name = "Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều giai đoạn 2022-2025 giảm bình quân mỗi năm"
    widths = column_widths(_table(("1", name, "12,5")), 498.9)
    whole = text_width(name, 8, condensed=True)
    assert widths[1] >= whole / 3  # at most three lines
    assert widths[1] >= max(text_width(w, 8, condensed=True) for w in name.split())


def _fills(pdf: bytes) -> list[tuple[float, float, float]]:
    """The RGB fill colours a PDF's first page sets (``r g b scn``)."""
    import io

    stream = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode("latin-1")
    return [(float(r), float(g), float(b)) for r, g, b in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) scn", stream)]


def test_the_roll_up_map_keeps_its_status_colours_and_its_district_rows(tmp_path):
    import pandas as pd

    from analysis.report import rollup_present

    matrix = pd.DataFrame(
        {
            "district": ["trang-dinh", "trang-dinh"],
            "unit": ["a", "b"],
            "name": ["Hùng Sơn", "Kháng Chiến"],
            "poverty_rate": ["Không đạt", "Vượt"],
            "health_insurance": ["Đạt", ""],
        }
    )
    summary = pd.DataFrame(
        {
            "indicator_id": ["poverty_rate", "health_insurance"],
            "indicator": ["Tỷ lệ hộ nghèo", "Tỷ lệ BHYT"],
            "measure_unit": ["%", "%"],
        }
    )
    section = rollup_present.status_map(matrix, summary, {"trang-dinh": "Tràng Định"})
    nb = new_notebook(
        cells=[new_code_cell("m", execution_count=1, outputs=[new_output("display_data", data=bundle(section))])]
    )
    pdf = typst_to_pdf(notebook_to_typst(nb, **{**FACTS, "headline": "h"}))
    fills = _fills(pdf)

    def has(colour: str) -> bool:
        want = tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        return any(all(abs(a - b) < 0.002 for a, b in zip(f, want)) for f in fills)

    # the stylesheet's status colours (templates/briefing.css): Không đạt white on red, Vượt and Đạt on green
    assert has("#b71c1c") and has("#e3f3e8") and has("#edf6f0") and has("#0f5c27") and has("#2f6e47")
    text = pages(pdf, tmp_path)[0]
    assert "Huyện Tràng Định" in text.splitlines()  # the district's row spans the table, on one line
    assert "Không đạt" in text and "Kháng Chiến" in text
