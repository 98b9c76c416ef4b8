"""The Word writer: a model briefing as an editable .docx in the layout of Nghị định 30/2020
(Phụ lục I), read back with python-docx as an office would open it."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from analysis.report.document import Column, Heading, Paragraph, Row, Section, Table, cell, text
from analysis.writers.docx import DocxFacts, to_docx

NAME = "Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều giai đoạn 2026–2030 giảm bình quân hằng năm"


def _section(rows: int = 3) -> Section:
    t = Table(
        (
            Column("tt", "TT", "stt"),
            Column("name", "Chỉ tiêu", "name"),
            Column("unit", "Đơn vị tính", "unit"),
            Column("plan", "KH 2026", "number"),
            Column("result", "TH 2026", "number"),
            Column("st", "Đánh giá", "status"),
        ),
        tuple(
            Row(
                (
                    cell(text(str(i))),
                    cell(text(NAME)),
                    cell(text("điểm %")),
                    cell(text("1,5", "num")),
                    cell(text("1 234,5", "num")),
                    cell(text("Không đạt", "status"), status="Không đạt"),
                ),
                illustrative=i == 2,
            )
            for i in range(1, rows + 1)
        ),
    )
    return Section((Heading("Kết quả thực hiện các chỉ tiêu", 2), Paragraph(text("Đạt 12/14 chỉ tiêu.")), t))


FACTS = DocxFacts(
    title="Kết quả thực hiện Nghị quyết năm 2026",
    unit_name="Xã Đội Cấn",
    year=2026,
    date=dt.date(2026, 12, 4),
    place="Tuyên Quang",
    illustrative=True,
    sources=("Báo cáo số 1/BC-UBND",),
)


def test_the_page_font_and_spacing_are_those_of_phu_luc_i():
    doc = Document(io.BytesIO(to_docx([_section()], FACTS)))
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    margins = [round(m.mm) for m in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)]
    assert 20 <= margins[0] <= 25 and 20 <= margins[1] <= 25 and 30 <= margins[2] <= 35 and 15 <= margins[3] <= 20
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and 13 <= normal.font.size.pt <= 14
    assert normal.paragraph_format.space_after.pt >= 6 and 1.0 <= normal.paragraph_format.line_spacing <= 1.5
    # page numbers from page 2, centred in the top margin; none on the first page
    assert s.different_first_page_header_footer
    assert "PAGE" in s.header._element.xml and "PAGE" not in s.first_page_header._element.xml
    # the illustrative label on every page (both headers)
    assert "SỐ LIỆU MINH HỌA" in s.header._element.xml and "SỐ LIỆU MINH HỌA" in s.first_page_header._element.xml
    texts = [p.text for p in doc.paragraphs]
    assert "Tuyên Quang, ngày 04 tháng 12 năm 2026" in doc.tables[0].cell(0, 1).text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in doc.tables[0].cell(0, 1).text
    assert "Kết quả thực hiện Nghị quyết năm 2026" in texts and "Đạt 12/14 chỉ tiêu." in texts


def test_tables_are_word_tables_with_widths_in_grid_and_cells_and_a_repeated_header():
    doc = Document(io.BytesIO(to_docx([_section(40)], FACTS)))
    t = doc.tables[1]
    assert len(t.rows) == 41 and t.cell(1, 1).text == NAME and t.cell(1, 4).text == "1\u00a0234,5"
    grid = [int(g.get(qn("w:w"))) for g in t._tbl.tblGrid.findall(qn("w:gridCol"))]
    room = round((Mm(210) - Mm(30) - Mm(15)) / 635)  # EMU → dxa
    assert abs(sum(grid) - room) <= 2
    for row in t.rows:
        assert [int(c._tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for c in row.cells] == grid
    assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    # the name takes the room it needs (more than the unit and the numbers), numbers stay whole
    assert grid[1] > max(grid[2:]) and grid[1] > sum(room for room in grid) / 3
    # status as cell shading
    status_cell = t.cell(1, 5)._tc.tcPr.find(qn("w:shd"))
    assert status_cell is not None and status_cell.get(qn("w:fill")) == "B71C1C"


def test_the_same_model_gives_the_same_bytes():
    assert to_docx([_section()], FACTS) == to_docx([_section()], FACTS)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_it_and_lays_it_out_on_a4_pages(tmp_path: Path):
    src = tmp_path / "briefing.docx"
    src.write_bytes(to_docx([_section(60)], FACTS))
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = (tmp_path / "briefing.pdf").read_bytes()
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", pdf)
    sizes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
    assert pdf.startswith(b"%PDF") and len(pages) >= 2  # 60 rows run over a page, the header repeated
    assert {(round(float(w)), round(float(h))) for w, h in sizes} == {(595, 842)}  # A4 in points


def test_an_executed_notebook_becomes_a_word_briefing_with_its_tables_text_and_charts(tmp_path: Path):
    """The build's route: the cells a briefing shows (model outputs, markdown, an SVG chart),
    under the title block of the pack's facts."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    from analysis.build.docx_export import notebook_to_docx
    from analysis.report.document import MIME_TYPE, to_json

    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="120" height="40" fill="#1a7f37"/></svg>'
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Kết quả thực hiện Nghị quyết năm 2026\n\nNhận xét **chung** của xã."),
            new_code_cell(
                "show(x)",
                outputs=[new_output("display_data", data={MIME_TYPE: to_json(_section()), "text/html": "<p>x</p>"})],
            ),
            new_code_cell("chart", outputs=[new_output("display_data", data={"image/svg+xml": svg})]),
        ]
    )
    out = tmp_path / "b.docx"
    notebook_to_docx(
        nb,
        out,
        title="Kết quả thực hiện Nghị quyết năm 2026",
        unit="doi-can",
        year=2026,
        unit_name="Xã Đội Cấn",
        report_date="04/12/2026",
        illustrative=True,
    )
    doc = Document(io.BytesIO(out.read_bytes()))
    texts = [p.text for p in doc.paragraphs]
    assert "Nhận xét chung của xã." in texts and "Kết quả thực hiện các chỉ tiêu" in texts
    assert texts.count("Kết quả thực hiện Nghị quyết năm 2026") == 1  # the title once, in the title block
    assert "……, ngày 04 tháng 12 năm 2026" in doc.tables[0].cell(0, 1).text
    assert doc.tables[1].cell(1, 1).text == NAME
    assert len(doc.inline_shapes) == 1  # the chart, as a PNG picture
