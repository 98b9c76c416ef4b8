"""The layout of the data-entry form (``python -m analysis template``), and reading a returned one.

The workbook has a sheet of instructions (:data:`INSTRUCTIONS`), the form (:data:`FORM`) with
a header row naming the year ("Kết quả thực hiện năm 2025"), and a hidden sheet (:data:`META`)
holding the unit and year it was made for. :func:`read_form` finds the header by its words,
not by its position, so a form whose rows moved still reads; what it cannot read is a
problem with its sheet and cell, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

INSTRUCTIONS = "Hướng dẫn"
FORM = "Biểu nhập liệu"
META = "_thong_tin"
FORM_VERSION = "1"

#: The form's columns, left to right: (key, header; ``{y}`` is the year, ``{y0}`` the year before).
COLUMNS = [
    ("tt", "TT"),
    ("indicator", "Chỉ tiêu"),
    ("measure_unit", "Đơn vị tính"),
    ("previous", "Kết quả thực hiện năm {y0}"),
    ("plan", "Kế hoạch năm {y}"),
    ("target", "Mục tiêu"),
    ("result", "Kết quả thực hiện năm {y}"),
    ("result_kind", "Loại số liệu"),
    ("note", "Ghi chú của đơn vị"),
    ("data_note", "Ghi chú về số liệu năm {y0}"),
    ("indicator_id", "Mã chỉ tiêu"),
]
#: The columns the unit fills in.
INPUT_KEYS = ("result", "result_kind", "note")


def headers(year: int) -> dict[str, str]:
    """The header of each column for ``year``.

    >>> headers(2025)["result"], headers(2025)["previous"]
    ('Kết quả thực hiện năm 2025', 'Kết quả thực hiện năm 2024')
    """
    return {key: text.format(y=year, y0=year - 1) for key, text in COLUMNS}


@dataclass(frozen=True)
class Entry:
    """One indicator row of a returned form, as read (checked by :func:`analysis.analyses.forms.check_entries`)."""

    indicator_id: str
    value: Any  # a number, a text, or None for an empty cell
    kind_word: str  # "", "Thực hiện" or "Ước thực hiện"
    note: str
    sheet: str
    cell: str  # the result cell, "G5"
    kind_cell: str


@dataclass
class ReadForm:
    """What :func:`read_form` found: the form's unit and year, its rows, and layout problems
    as ``(sheet, cell, reason)``."""

    unit: str = ""
    year: int | None = None
    entries: list[Entry] | None = None
    problems: list[tuple[str, str, str]] | None = None


def is_form(path: Path | str) -> bool:
    """Whether ``path`` is a data-entry form written by ``template`` (a workbook with the
    hidden :data:`META` sheet); a workbook that does not open counts as a form (its reading
    reports why)."""
    if Path(path).suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True)
    except Exception:  # read_form says what is wrong with it
        return True
    try:
        return META in wb.sheetnames
    finally:
        wb.close()


def read_form(path: Path | str) -> ReadForm:
    """Read a returned form. Formulas are not evaluated: a formula in a cell the unit fills in
    is a problem (the figure must be typed)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    out = ReadForm(entries=[], problems=[])
    assert out.entries is not None and out.problems is not None
    try:
        wb = load_workbook(path, data_only=False)
    except Exception as exc:  # a file that is not a workbook: one problem, not a crash
        out.problems.append(("", "", f"không đọc được tệp Excel ({type(exc).__name__}: {exc})"))
        return out
    if META not in wb.sheetnames:
        out.problems.append((META, "", "không phải biểu nhập liệu do hệ thống tạo (thiếu trang thông tin ẩn)"))
        return out
    meta = {str(r[0].value): r[1].value for r in wb[META].iter_rows(min_row=1, max_col=2) if r[0].value}
    out.unit = str(meta.get("unit") or "")
    try:
        out.year = int(str(meta.get("year")))
    except ValueError:
        out.problems.append((META, "B2", "thiếu năm của biểu"))
        return out
    if FORM not in wb.sheetnames:
        out.problems.append((FORM, "", f"thiếu trang tính {FORM!r} (không đổi tên trang tính)"))
        return out
    ws = wb[FORM]
    want = headers(out.year)
    found: dict[str, int] = {}
    header_row = 0
    for r in range(1, 21):
        texts = {str(ws.cell(r, c).value or "").strip(): c for c in range(1, ws.max_column + 1)}
        if want["indicator_id"] in texts:
            header_row = r
            found = {key: texts[text] for key, text in want.items() if text in texts}
            break
    missing = [want[k] for k in ("indicator_id", *INPUT_KEYS) if k not in found]
    if not header_row or missing:
        out.problems.append((FORM, f"A{header_row or 1}", "thiếu cột: " + ", ".join(missing or [want["indicator_id"]])))
        return out
    for r in range(header_row + 1, ws.max_row + 1):
        iid = str(ws.cell(r, found["indicator_id"]).value or "").strip()
        if not iid:
            continue
        cells = {k: ws.cell(r, found[k]) for k in INPUT_KEYS}
        formulas = [c for c in cells.values() if c.data_type == "f"]
        for c in formulas:
            out.problems.append((FORM, c.coordinate, "ô chứa công thức; hãy nhập giá trị"))
        if formulas:
            continue
        value = cells["result"].value
        out.entries.append(
            Entry(
                indicator_id=iid,
                value=value.strip() if isinstance(value, str) else value,
                kind_word=str(cells["result_kind"].value or "").strip(),
                note=str(cells["note"].value or "").strip(),
                sheet=FORM,
                cell=f"{get_column_letter(found['result'])}{r}",
                kind_cell=f"{get_column_letter(found['result_kind'])}{r}",
            )
        )
    return out
