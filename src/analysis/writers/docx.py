"""The document model as an editable Word document (.docx), in the layout of Nghị định
30/2020/NĐ-CP, Phụ lục I (the rules and where each comes from: ``data/sources.csv``, rows
``nd30-*``):

* A4 portrait; margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm;
* Times New Roman throughout, black; body 13 pt, justified, first-line indent 1,27 cm, 6 pt
  after each paragraph, line spacing 1,15 (between single and 1,5);
* page numbers from page 2, Arabic, 13 pt upright, centred in the top margin;
* the opening block: the unit's name over a short rule on the left, quốc hiệu (12 pt, bold,
  capitals) and tiêu ngữ (13 pt, bold, a rule under it) on the right, place and date in italics;
* tables as real Word tables, their column widths (from :mod:`analysis.writers.layout`) set in
  the table grid and in every cell (LibreOffice ignores one without the other), the header rows
  repeated on every page, statuses as cell shading, rows never split across pages;
* charts as PNG pictures; the illustrative label in the header of every page.

Tables and runs are built as WordprocessingML elements (python-docx's ``OxmlElement``), not
through python-docx's object API, which looks cells up row by row; the styles, page set-up,
header and pictures use python-docx. The bytes are the same for the same model and facts: the
parts' dates are the report date, the zip entries' dates fixed.

>>> from analysis.report.document import Heading, Paragraph, Section, text
>>> data = to_docx([Section((Heading("Kết quả"), Paragraph(text("Đạt 12/14 chỉ tiêu."))))],
...     DocxFacts(title="Báo cáo", unit_name="Xã Đội Cấn", year=2026))
>>> data[:2], data == to_docx([Section((Heading("Kết quả"), Paragraph(text("Đạt 12/14 chỉ tiêu."))))],
...     DocxFacts(title="Báo cáo", unit_name="Xã Đội Cấn", year=2026))
(b'PK', True)
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, RGBColor

from analysis.report.document import (
    Block,
    BulletList,
    Cell,
    Column,
    Figure,
    Heading,
    Inline,
    Label,
    Paragraph,
    Row,
    Section,
    Span,
    Table,
)
from analysis.report.html_table import STATUS_CLASS
from analysis.report.present import STANDING_COLOURS
from analysis.writers.layout import TABLE_SIZE_PT, column_shares

#: One millimetre in twentieths of a point (Word's dxa).
MM = 1440 / 25.4
FONT = "Times New Roman"
#: Page (mm): A4 portrait and the margins of Phụ lục I (top, bottom, left, right).
PAGE_MM = (210.0, 297.0)
MARGINS_MM = (20.0, 20.0, 30.0, 15.0)
#: Distance of the page number (in the header) from the top edge, mm.
HEADER_MM = 10.0
BODY_PT, HEADING_PT, TITLE_PT, SMALL_PT = 13.0, 13.0, 14.0, 11.0
QUOC_HIEU_PT, TIEU_NGU_PT = 12.0, 13.0
FIRST_LINE_MM = 12.7
AFTER_PT = 6.0
LINE_SPACING = 1.15
#: Table text: 11 pt, 10 pt for a table of more than :data:`WIDE_TABLE` columns.
TABLE_PT, WIDE_TABLE_PT, WIDE_TABLE = 11.0, 10.0, 7
#: Table text of a table of more than :data:`WIDER_TABLE` columns (points).
WIDER_TABLE_PT, WIDER_TABLE = 9.0, 9


def table_pt(t: Table) -> float:
    """The text size of a table: smaller as it has more columns."""
    n = len(t.columns)
    return WIDER_TABLE_PT if n > WIDER_TABLE else WIDE_TABLE_PT if n > WIDE_TABLE else TABLE_PT


#: Width of a chart on the page (mm): the text width, at most.
FIGURE_MM = 160.0
#: Shading (fill, text colour) of a status, as the pack's stylesheet's ``st-*`` classes.
STATUS_SHADES = {
    "st-exceeded": ("E3F3E8", "0F5C27"),
    "st-achieved": ("EDF6F0", "2F6E47"),
    "st-expected": ("F2F8E9", "4D7A2A"),
    "st-missed": ("B71C1C", "FFFFFF"),
    "st-unknown": ("EEEEEE", "555555"),
}
GROUP_FILL, HEADER_FILL, ILLUSTRATIVE_FILL = "F4F4F4", "E8E8E8", "FFF4E5"
#: Text colour of the marks that carry one.
MARK_COLOURS = {"ok": "1A7F37", "bad": "B71C1C", "better": "1A7F37", "worse": "B71C1C", "inferred": "555555"}
#: Marks whose text never breaks across lines (its spaces become no-break spaces).
WHOLE_MARKS = frozenset({"num", "status", "better", "worse", "ok", "bad"})
WHOLE_KINDS = frozenset({"stt", "number", "percent", "status", "check", "unit"})
#: A marked span longer than this (characters) may break at its spaces (a number with words).
WHOLE_CHARS = 14
RIGHT_KINDS, CENTRE_KINDS = frozenset({"number", "percent"}), frozenset({"stt", "status", "check", "unit"})
#: The label every page of a pack with illustrative figures carries (as the HTML and PDF do).
ILLUSTRATIVE_TEXT = "SỐ LIỆU MINH HỌA: một phần số liệu không phải số liệu chính thức"
#: The narrowest an indicator's name or a free-text column becomes to keep numbers whole (mm).
FLEX_FLOOR_MM = 25.0
#: Cell padding, left and right each (Word's default 0,19 cm), in dxa.
CELL_PAD = 108


@dataclass(frozen=True)
class DocxFacts:
    """The opening block of a Word briefing: ``title`` (its name), ``unit_name`` (the issuing
    unit, top left), ``year``; ``kicker`` (the kind of report, over the title); ``date`` (the
    report date: "ngày 04 tháng 12 năm 2026" and the document's dates; ``year_month`` (year, month)
    when only the month is known: "ngày … tháng 12 năm 2026"), ``place`` (before the
    date; dots for the office to fill when unknown); ``headline`` under the title;
    ``sources`` cited at the end; ``illustrative`` labels every page."""

    title: str
    unit_name: str
    year: int
    kicker: str = "Báo cáo tóm tắt"
    date: dt.date | None = None
    year_month: tuple[int, int] | None = None
    place: str = ""
    headline: str | None = None
    sources: Sequence[str] = field(default_factory=tuple)
    illustrative: bool = False


def date_line(place: str, date: dt.date | None, year: int | None = None, month: int | None = None) -> str:
    """Place and date as Phụ lục I writes them: days under 10 and months 1 and 2 with a
    leading 0; dots where a part is not known (``year`` and ``month`` when there is no day).

    >>> date_line("Lạng Sơn", dt.date(2026, 2, 4)), date_line("", dt.date(2026, 12, 14))
    ('Lạng Sơn, ngày 04 tháng 02 năm 2026', '……, ngày 14 tháng 12 năm 2026')
    >>> date_line("", None), date_line("", None, 2024, 12)
    ('……, ngày … tháng … năm …', '……, ngày … tháng 12 năm 2024')
    """
    where = place or "……"
    if date is not None:
        year, month, day = date.year, date.month, f"{date.day:02d}"
    else:
        day = "…"
    if year is None:
        return f"{where}, ngày … tháng … năm …"
    shown = "…" if month is None else f"{month:02d}" if month < 3 else str(month)
    return f"{where}, ngày {day} tháng {shown} năm {year}"


# -- elements ---------------------------------------------------------------------------------


def el(tag: str, **attrs: str) -> BaseOxmlElement:
    """An element ``w:tag`` with ``w:`` attributes (``val="x"`` → ``w:val="x"``)."""
    e = OxmlElement(f"w:{tag}")
    for k, v in attrs.items():
        e.set(qn(f"w:{k}"), v)
    return e


def sub(parent: BaseOxmlElement, tag: str, **attrs: str) -> BaseOxmlElement:
    child = el(tag, **attrs)
    parent.append(child)
    return child


def status_shade(status: str) -> tuple[str, str]:
    """(fill, text colour) of a status value (that of an unknown status for one not known)."""
    return STATUS_SHADES[STATUS_CLASS.get(status, "st-unknown")]


def _whole(text: str) -> str:
    return text.replace(" ", "\u00a0").replace("\u202f", "\u00a0")


def run(
    s: Span,
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    colour: str = "",
    shade: bool = True,
) -> BaseOxmlElement:
    """One span as a run: its mark as bold, italics, colour, size or shading; a number's spaces
    made no-break; a newline as a line break."""
    r = el("r")
    rpr = sub(r, "rPr")
    mark = s.mark
    if mark == "code":
        sub(rpr, "rFonts", ascii="Courier New", hAnsi="Courier New", cs="Courier New")
    if bold or mark in ("strong", "status", "ok", "bad", "standing"):
        sub(rpr, "b")
    if italic or mark in ("em", "inferred", "quote", "words"):
        sub(rpr, "i")
    tint, fill = colour or MARK_COLOURS.get(mark, ""), ""
    if mark == "status" and (s.status or not colour):
        fill, tint = status_shade(s.status)
    elif mark == "standing":
        tint = STANDING_COLOURS.get(s.status, "#1b1b1b").lstrip("#").upper()
    if tint:
        sub(rpr, "color", val=tint)
    pt = size
    if mark in ("inferred", "small"):
        pt = (size or BODY_PT) - 2.0
    if pt is not None:
        sub(rpr, "sz", val=str(round(pt * 2)))
        sub(rpr, "szCs", val=str(round(pt * 2)))
    if fill and shade:
        sub(rpr, "shd", val="clear", color="auto", fill=fill)
    if not len(rpr):
        r.remove(rpr)
    text = _whole(s.text) if mark in WHOLE_MARKS and len(s.text) <= WHOLE_CHARS else s.text
    for i, part in enumerate(text.split("\n")):
        if i:
            sub(r, "br")
        t = sub(r, "t")
        t.text = part
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def paragraph(
    spans: Inline,
    *,
    style: str = "",
    align: str = "",
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    colour: str = "",
    after_pt: float | None = None,
    before_pt: float | None = None,
    indent_mm: float = 0.0,
    first_line_mm: float | None = None,
    keep_next: bool = False,
    shade: bool = True,
) -> BaseOxmlElement:
    """A ``w:p`` of the spans with its style id, alignment (``left``/``center``/``right``/``both``),
    spacing (points), left and first-line indent (mm)."""
    p = el("p")
    ppr = sub(p, "pPr")
    if style:
        sub(ppr, "pStyle", val=style)
    if keep_next:
        sub(ppr, "keepNext")
    if after_pt is not None or before_pt is not None:
        spacing = sub(ppr, "spacing")
        if before_pt is not None:
            spacing.set(qn("w:before"), str(round(before_pt * 20)))
        if after_pt is not None:
            spacing.set(qn("w:after"), str(round(after_pt * 20)))
            if after_pt == 0:
                spacing.set(qn("w:line"), "240")
                spacing.set(qn("w:lineRule"), "auto")
    if indent_mm or first_line_mm is not None:
        ind = sub(ppr, "ind")
        if indent_mm:
            ind.set(qn("w:left"), str(round(indent_mm * MM)))
        if first_line_mm is not None:
            ind.set(qn("w:firstLine"), str(round(first_line_mm * MM)))
    if align:
        sub(ppr, "jc", val=align)
    if not len(ppr):
        p.remove(ppr)
    for s in spans:
        p.append(run(s, size=size, bold=bold, italic=italic, colour=colour, shade=shade))
    return p


# -- tables -----------------------------------------------------------------------------------


def column_widths_dxa(t: Table, room: int) -> list[int]:
    """Each column's width in dxa, summing to ``room``: the shares the HTML and PDF give the
    columns (:func:`analysis.writers.layout.column_shares`, in the table font at the table size
    these pages use, so that the shares hold at Times New Roman's)."""
    if not t.columns:
        return []
    size = table_pt(t)
    # the layout's measures are in its own table font (DejaVu Sans Condensed at 8 pt); Times
    # New Roman at `size` takes about the room that font does at 0,8 × size
    room_pt = room / 20 * TABLE_SIZE_PT / (0.8 * size)
    shares = column_shares(t, room_pt)
    dxa = [round(room * s / 100) for s in shares]
    # a row number, a number, a status or a check never breaks: each gets at least its longest
    # text at Times New Roman's width (digits half an em), taken from the names and free text
    need = [0] * len(dxa)
    for i, col in enumerate(t.columns):
        if col.kind in WHOLE_KINDS:
            longest = max(
                (
                    min(len(piece), WHOLE_CHARS)
                    for r in t.rows
                    if r.role != "group" and i < len(r.cells)
                    for line in r.cells[i].lines
                    for sp in line
                    for piece in (
                        [sp.text] if sp.mark in WHOLE_MARKS or col.kind in ("stt", "check") else sp.text.split()
                    )
                ),
                default=0,
            )
            widest = max(float(longest), *(len(w) * 1.15 for w in col.title.split()))  # bold header words
            need[i] = round((widest * 0.55 * size + 2) * 20) + 2 * CELL_PAD
    grown = [max(n, w) for n, w in zip(need, dxa, strict=True)]
    excess = sum(grown) - room
    if excess > 0:
        # the names and free text give up what the whole columns took, down to FLEX_FLOOR_MM each
        flexible = [i for i, c in enumerate(t.columns) if c.kind in ("name", "text")]
        floor = round(FLEX_FLOOR_MM * MM)
        give = {i: max(grown[i] - floor, 0) for i in flexible}
        total = sum(give.values())
        for i in flexible:
            grown[i] -= round(min(excess, total) * give[i] / total) if total else 0
        if sum(grown) > room:  # still too wide: everything shrinks alike
            grown = [round(w * room / sum(grown)) for w in grown]
    # a free-text column next to a long name keeps room to be read: at least FLEX_FLOOR_MM, taken
    # from the widest of the others
    floor = round(FLEX_FLOOR_MM * MM)
    for i, c in enumerate(t.columns):
        if c.kind in ("name", "text") and grown[i] < floor:
            widest = max(range(len(grown)), key=grown.__getitem__)
            take = min(floor - grown[i], max(grown[widest] - floor, 0))
            grown[i] += take
            grown[widest] -= take
    dxa = grown
    dxa[max(range(len(dxa)), key=dxa.__getitem__)] += room - sum(dxa)
    return dxa


def _cell(
    lines: Sequence[Inline],
    width: int,
    *,
    size: float,
    span: int = 1,
    vmerge: str = "",
    fill: str = "",
    colour: str = "",
    align: str = "",
    bold: bool = False,
    italic: bool = False,
    indent_mm: float = 0.0,
) -> BaseOxmlElement:
    tc = el("tc")
    tcpr = sub(tc, "tcPr")
    sub(tcpr, "tcW", w=str(width), type="dxa")
    if span > 1:
        sub(tcpr, "gridSpan", val=str(span))
    if vmerge:
        sub(tcpr, "vMerge", **({"val": vmerge} if vmerge == "restart" else {}))
    if fill:
        sub(tcpr, "shd", val="clear", color="auto", fill=fill)
    sub(tcpr, "vAlign", val="center")
    for line in lines or ((),):
        tc.append(
            paragraph(
                line,
                align=align,
                size=size,
                bold=bold,
                italic=italic,
                colour=colour,
                after_pt=0,
                indent_mm=indent_mm,
                first_line_mm=0,
                shade=not fill,
            )
        )
    return tc


def _header_grid(t: Table) -> list[list[tuple[str, int, str]]]:
    """The header rows as (text, span, vMerge) per cell: the grouped rows, then the column
    titles; a single grouped cell that is empty or repeats the title below is merged down."""
    n = len(t.columns)
    grid: list[list[tuple[str, int]]] = []
    for header in t.header_rows:
        cells, used = [], 0
        for h in header:
            if used >= n:
                break
            span = max(1, min(h.span, n - used))
            cells.append((h.text, span))
            used += span
        cells += [("", 1)] * (n - used)
        grid.append(cells)
    grid.append([(c.title, 1) for c in t.columns])
    starts = []
    for cells in grid:
        pos, row = 0, []
        for _, span in cells:
            row.append(pos)
            pos += span
        starts.append(row)
    out = [[(text, span, "") for text, span in cells] for cells in grid]
    last = len(grid) - 1
    for i, col in enumerate(t.columns):
        chain = []
        for k in range(last):
            j = starts[k].index(i) if i in starts[k] else -1
            text, span = grid[k][j] if j >= 0 else ("", 0)
            chain.append(j >= 0 and span == 1 and text.strip() in ("", col.title.strip()))
        top = last
        while top > 0 and chain[top - 1]:
            top -= 1
        for k in range(top, last + 1) if top < last else ():
            j = starts[k].index(i)
            out[k][j] = (col.title if k == top else "", out[k][j][1], "restart" if k == top else "continue")
    return out


def table_element(t: Table, room: int) -> BaseOxmlElement:
    """A Word table of the model's table: header rows repeated on every page, grouped header
    cells merged, widths in the grid and every cell, statuses shaded, numbers right-aligned,
    group rows across the table, sub-rows indented, illustrative rows shaded and in italics."""
    widths = column_widths_dxa(t, room)
    size = table_pt(t)
    tbl = el("tbl")
    tblpr = sub(tbl, "tblPr")
    sub(tblpr, "tblStyle", val="TableGrid")
    sub(tblpr, "tblW", w=str(sum(widths)), type="dxa")
    borders = sub(tblpr, "tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        sub(borders, side, val="single", sz="4", space="0", color="808080")
    sub(tblpr, "tblLayout", type="fixed")
    margins = sub(tblpr, "tblCellMar")
    for side in ("left", "right"):
        sub(margins, side, w=str(CELL_PAD), type="dxa")
    sub(
        tblpr,
        "tblLook",
        val="04A0",
        firstRow="1",
        lastRow="0",
        firstColumn="1",
        lastColumn="0",
        noHBand="0",
        noVBand="1",
    )
    grid = sub(tbl, "tblGrid")
    for w in widths:
        sub(grid, "gridCol", w=str(w))
    for cells in _header_grid(t):
        tr = sub(tbl, "tr")
        trpr = sub(tr, "trPr")
        sub(trpr, "cantSplit")
        sub(trpr, "tblHeader")
        pos = 0
        for text, span, vmerge in cells:
            width = sum(widths[pos : pos + span])
            tr.append(
                _cell(
                    ((Span(text),),),
                    width,
                    size=size,
                    span=span,
                    vmerge=vmerge,
                    fill=HEADER_FILL,
                    align="center",
                    bold=True,
                )
            )
            pos += span
    for row in t.rows:
        tbl.append(_row(row, t.columns, widths, size))
    return tbl


def _row(row: Row, columns: Sequence[Column], widths: Sequence[int], size: float) -> BaseOxmlElement:
    tr = el("tr")
    sub(sub(tr, "trPr"), "cantSplit")
    if row.role == "group":
        first = row.cells[0] if row.cells else Cell()
        tr.append(_cell(first.lines, sum(widths), size=size, span=len(widths), fill=GROUP_FILL, bold=True))
        return tr
    cells = list(row.cells[: len(columns)]) + [Cell()] * (len(columns) - len(row.cells))
    for i, (c, col) in enumerate(zip(cells, columns, strict=True)):
        fill, colour = status_shade(c.status) if c.status else ("", "")
        if not fill and row.illustrative:
            fill = ILLUSTRATIVE_FILL
        align = "right" if col.kind in RIGHT_KINDS else "center" if col.kind in CENTRE_KINDS else "left"
        tr.append(
            _cell(
                c.lines,
                widths[i],
                size=size,
                fill=fill,
                colour=colour,
                align=align,
                bold=row.role == "total" or (bool(c.status) and col.kind == "status"),
                italic=row.illustrative,
                indent_mm=3.0 * row.depth if col.kind == "name" else 0.0,
            )
        )
    return tr


# -- the document -----------------------------------------------------------------------------


def _style_fonts(style: object, size: float, *, bold: bool = False) -> None:
    font = style.font  # type: ignore[attr-defined]
    font.name, font.size, font.bold = FONT, Pt(size), bold
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = sub(rpr, "rFonts")
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)


def _set_up(doc: object) -> None:
    styles = doc.styles  # type: ignore[attr-defined]
    normal = styles["Normal"]
    _style_fonts(normal, BODY_PT)
    pf = normal.paragraph_format
    pf.space_before, pf.space_after, pf.line_spacing = Pt(0), Pt(AFTER_PT), LINE_SPACING
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.first_line_indent = Mm(FIRST_LINE_MM)
    pf.widow_control = True
    for level in (1, 2, 3):
        h = styles[f"Heading {level}"]
        _style_fonts(h, HEADING_PT, bold=True)
        h.font.italic = level == 3
        hf = h.paragraph_format
        hf.space_before, hf.space_after, hf.first_line_indent = (
            Pt(12 if level == 1 else 6),
            Pt(AFTER_PT),
            Mm(FIRST_LINE_MM),
        )
        hf.keep_with_next, hf.alignment = True, WD_ALIGN_PARAGRAPH.JUSTIFY
    section = doc.sections[0]  # type: ignore[attr-defined]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    top, bottom, left, right = MARGINS_MM
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance, section.footer_distance = Mm(HEADER_MM), Mm(HEADER_MM)


def _page_number(paragraph_element: BaseOxmlElement) -> None:
    """A PAGE field in the paragraph (Word and LibreOffice fill in the number)."""
    for kind in ("begin", None, "separate", "end"):
        r = sub(paragraph_element, "r")
        rpr = sub(r, "rPr")
        sub(rpr, "sz", val=str(round(BODY_PT * 2)))
        if kind is None:
            instr = sub(r, "instrText")
            instr.text = " PAGE "
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        else:
            sub(r, "fldChar", fldCharType=kind)
        if kind == "separate":
            t = sub(paragraph_element, "r")
            sub(t, "t").text = "2"


def _headers(doc: object, facts: DocxFacts) -> None:
    """Page numbers centred in the top margin from page 2; the illustrative label on every page."""
    section = doc.sections[0]  # type: ignore[attr-defined]
    section.different_first_page_header_footer = True
    label = (Span(ILLUSTRATIVE_TEXT, "strong"),)
    for header, numbered in ((section.header, True), (section.first_page_header, False)):
        header.is_linked_to_previous = False
        body = header._element
        for p in list(body):
            body.remove(p)
        if numbered:
            p = paragraph((), align="center", after_pt=0, first_line_mm=0)
            _page_number(p)
            body.append(p)
        if facts.illustrative:
            body.append(paragraph(label, align="center", size=SMALL_PT, colour="B71C1C", after_pt=0, first_line_mm=0))
        if not len(body):
            body.append(paragraph((), after_pt=0, first_line_mm=0))


def _opening(facts: DocxFacts, room: int) -> list[BaseOxmlElement]:
    """The opening block (a borderless two-column table): the unit's name on the left; quốc
    hiệu and tiêu ngữ, then place and date, on the right; then the kind and the title."""
    left_w = round(room * 0.4)
    widths = (left_w, room - left_w)
    tbl = el("tbl")
    tblpr = sub(tbl, "tblPr")
    sub(tblpr, "tblW", w=str(room), type="dxa")
    sub(tblpr, "tblLayout", type="fixed")
    borders = sub(tblpr, "tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        sub(borders, side, val="nil")
    grid = sub(tbl, "tblGrid")
    for w in widths:
        sub(grid, "gridCol", w=str(w))
    tr = sub(tbl, "tr")
    left = sub(tr, "tc")
    sub(sub(left, "tcPr"), "tcW", w=str(widths[0]), type="dxa")
    name = paragraph(
        (Span(facts.unit_name.upper()),), align="center", size=QUOC_HIEU_PT, bold=True, after_pt=0, first_line_mm=0
    )
    left.append(name)
    left.append(
        paragraph((Span("\u2014\u2014\u2014"),), align="center", size=QUOC_HIEU_PT, after_pt=0, first_line_mm=0)
    )
    right = sub(tr, "tc")
    sub(sub(right, "tcPr"), "tcW", w=str(widths[1]), type="dxa")
    right.append(
        paragraph(
            (Span("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),),
            align="center",
            size=QUOC_HIEU_PT,
            bold=True,
            after_pt=0,
            first_line_mm=0,
        )
    )
    motto = paragraph(
        (Span("Độc lập - Tự do - Hạnh phúc"),), align="center", size=TIEU_NGU_PT, bold=True, after_pt=0, first_line_mm=0
    )
    right.append(motto)
    right.append(
        paragraph(
            (Span("\u2014\u2014\u2014\u2014\u2014\u2014\u2014"),),
            align="center",
            size=TIEU_NGU_PT,
            after_pt=6,
            first_line_mm=0,
        )
    )
    right.append(
        paragraph(
            (Span(date_line(facts.place, facts.date, *(facts.year_month or ()))),),
            align="center",
            size=TIEU_NGU_PT,
            italic=True,
            after_pt=0,
            first_line_mm=0,
        )
    )
    out = [tbl]
    out.append(
        paragraph(
            (Span(facts.kicker.upper()),),
            align="center",
            size=TITLE_PT,
            bold=True,
            before_pt=18,
            after_pt=0,
            first_line_mm=0,
        )
    )
    out.append(paragraph((Span(facts.title),), align="center", size=TITLE_PT, bold=True, after_pt=12, first_line_mm=0))
    if facts.illustrative:
        box = paragraph(
            (Span(ILLUSTRATIVE_TEXT + ". Các dòng minh họa trong bảng được tô nền và in nghiêng.", "strong"),),
            align="center",
            size=SMALL_PT,
            colour="B71C1C",
            after_pt=AFTER_PT,
            first_line_mm=0,
        )
        ppr = box.find(qn("w:pPr"))
        borders = el("pBdr")
        for side in ("top", "left", "bottom", "right"):
            sub(borders, side, val="single", sz="8", space="4", color="B71C1C")
        ppr.insert(0, borders)
        out.append(box)
    if facts.headline:
        out.append(paragraph((Span(facts.headline),), bold=True, first_line_mm=FIRST_LINE_MM))
    return out


PARAGRAPH_ROLES = {
    "lead": {"bold": True},
    "note": {"italic": True, "size": SMALL_PT},
    "source": {"italic": True, "size": SMALL_PT},
}


def block_elements(
    block: Block | Section, room: int, *, picture: Callable[[Figure], BaseOxmlElement | None]
) -> Iterable[BaseOxmlElement]:
    """The Word elements of one block of the model."""
    if isinstance(block, Heading):
        level = min(max(block.level - 1, 1), 3)
        yield paragraph((Span(block.text),), style=f"Heading{level}", keep_next=True)
    elif isinstance(block, Paragraph):
        yield paragraph(block.spans, **PARAGRAPH_ROLES.get(block.role, {}))  # type: ignore[arg-type]
    elif isinstance(block, BulletList):
        for i, item in enumerate(block.items, start=1):
            marker = f"{i}. " if block.ordered else "- "
            yield paragraph((Span(marker), *item), first_line_mm=FIRST_LINE_MM)
    elif isinstance(block, Table):
        if block.caption:
            yield paragraph((Span(block.caption),), align="center", bold=True, keep_next=True, first_line_mm=0)
        yield table_element(block, room)
        yield paragraph((), after_pt=0, first_line_mm=0)
    elif isinstance(block, Figure):
        pic = picture(block)
        if pic is not None:
            yield pic
        if block.caption:
            yield paragraph((Span(block.caption),), align="center", italic=True, size=SMALL_PT, first_line_mm=0)
    elif isinstance(block, Label):
        colour = "B71C1C" if block.kind in ("illustrative", "warning") else "333333"
        yield paragraph((Span(block.text, "strong"),), colour=colour, size=SMALL_PT, first_line_mm=0)
    elif isinstance(block, Section):
        for b in block.blocks:
            yield from block_elements(b, room, picture=picture)


def _fix_zip(data: bytes, when: dt.datetime) -> bytes:
    """The package again with every entry dated ``when`` and in a fixed order: the same bytes
    for the same document."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            z.writestr(entry, src.read(info.filename))
    return out.getvalue()


def to_docx(
    sections: Iterable[Section | Block],
    facts: DocxFacts,
    *,
    png: Callable[[Figure], bytes] | None = None,
) -> bytes:
    """The Word document of ``sections`` (the model's blocks in order) under the opening block
    of ``facts``. A figure is placed as its PNG, or ``png(figure)`` when it has none (a caller
    that can rasterise its SVG); a figure with neither is left out with a note in its place."""
    doc = Document()
    _set_up(doc)
    body = doc.element.body
    final_sect = body[-1]  # python-docx's template ends the body with its section properties
    page_w, _ = PAGE_MM
    _, _, left, right = MARGINS_MM
    room = round((page_w - left - right) * MM)

    def picture(f: Figure) -> BaseOxmlElement | None:
        data = f.png or (png(f) if png is not None else b"")
        if not data:
            return paragraph((Span(f"[Biểu đồ: {f.alt or f.caption}]", "em"),), align="center", first_line_mm=0)
        width = min(f.width_mm or FIGURE_MM, (page_w - left - right))
        doc.add_picture(io.BytesIO(data), width=Mm(width))
        p = body[-2]  # add_picture appends a paragraph before the section properties
        p.getparent().remove(p)
        ppr = p.find(qn("w:pPr"))
        if ppr is None:
            ppr = el("pPr")
            p.insert(0, ppr)
        sub(ppr, "keepNext")
        sub(ppr, "ind", firstLine="0")
        sub(ppr, "jc", val="center")
        return p

    elements: list[BaseOxmlElement] = list(_opening(facts, room))
    for item in sections:
        elements.extend(block_elements(item, room, picture=picture))
    if facts.sources:
        elements.append(
            paragraph(
                (Span("Nguồn số liệu: ", "strong"), Span("; ".join(facts.sources))),
                size=SMALL_PT,
                italic=True,
                before_pt=6,
            )
        )
    for e in elements:
        final_sect.addprevious(e)
    _headers(doc, facts)
    when = dt.datetime.combine(facts.date or dt.date(facts.year, 12, 31), dt.time())
    core = doc.core_properties
    core.title, core.author, core.last_modified_by = facts.title, facts.unit_name, facts.unit_name
    core.created = core.modified = when
    core.revision = 1
    core.comments = ""
    core.language = "vi-VN"
    out = io.BytesIO()
    doc.save(out)
    return _fix_zip(out.getvalue(), when)
