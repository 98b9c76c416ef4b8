"""The data-entry form as an Excel workbook for a unit to fill in (layout: :mod:`analysis.io.forms`).

Last year's result, this year's plan and the target are filled in and locked (sheet
protection, no password: a guard against slips, not a lock); the result, "Loại số liệu" and
note cells are the only unlocked ones, on a yellow background, with data validation (a
number, or the words the target allows). Everything an official reads is Vietnamese.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from analysis.analyses.forms import RESULT_KIND_WORDS
from analysis.io.forms import COLUMNS, FORM, FORM_VERSION, INSTRUCTIONS, META, headers
from analysis.report.excel import number_format, set_text

LEVEL_VI = {"province": "Tỉnh", "district": "Huyện", "commune": "Xã", "town": "Thị trấn"}
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
WIDTHS = {"tt": 5, "indicator": 46, "measure_unit": 12, "previous": 16, "plan": 18, "target": 48}
WIDTHS |= {"result": 18, "result_kind": 15, "note": 30, "data_note": 22, "indicator_id": 24}
HEADER_ROW = 4


def instructions(year: int, title: str, illustrative: bool) -> list[str]:
    """The lines of the instructions sheet."""
    h = headers(year)
    lines = [
        f"BIỂU NHẬP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NĂM {year}",
        title,
        "",
        "Cách điền biểu:",
        f"1. Mở trang tính “{FORM}”. Chỉ nhập vào các ô nền vàng; các ô khác đã được khóa.",
        (
            f"2. Cột “{h['result']}”: nhập kết quả của từng chỉ tiêu bằng số, theo đơn vị tính ghi ở cột “Đơn vị tính”; "
            "không ghi chữ, đơn vị hay ghi chú vào ô này. Chỉ tiêu đánh giá bằng lời thì chọn trong danh sách."
        ),
        (
            "3. Nhập số theo cài đặt của máy: Excel tiếng Việt dùng dấu phẩy cho phần thập phân (12,5), "
            "dấu chấm để phân cách hàng nghìn (1.260)."
        ),
        (
            "4. Cột “Loại số liệu”: chọn “Ước thực hiện” nếu là số ước tính (năm chưa kết thúc), "
            "“Thực hiện” nếu là số chính thức; để trống được hiểu là “Thực hiện”."
        ),
        "5. Cột “Ghi chú của đơn vị”: giải thích ngắn khi cần (nguồn số liệu, lý do chênh lệch).",
        "6. Không đổi tên trang tính, không thêm, xóa hay đổi thứ tự cột. Chỉ tiêu chưa có số liệu thì để trống.",
        (
            "7. Lưu tệp ở dạng .xlsx và gửi lại. Biểu có lỗi sẽ được trả lại kèm báo cáo ghi rõ trang tính, ô và lý do;"
            " khi có lỗi, chưa số liệu nào của biểu được nhập vào cơ sở dữ liệu. Gửi lại biểu đã sửa sẽ thay thế toàn bộ"
            f" số liệu năm {year} của đơn vị đã gửi trước đó."
        ),
    ]
    if illustrative:
        lines += [
            "",
            (
                "Lưu ý: một số số liệu năm trước trong biểu là SỐ LIỆU MINH HỌA, không phải số liệu chính thức "
                f"(xem cột “{h['data_note']}”)."
            ),
        ]
    return lines


def _form_sheet(ws: Worksheet, rows: pd.DataFrame, *, year: int, title: str) -> None:
    h = headers(year)
    keys = [k for k, _ in COLUMNS]
    col = {k: i for i, k in enumerate(keys, start=1)}
    set_text(ws.cell(1, 1), f"Kết quả thực hiện các chỉ tiêu năm {year} — {title}")
    ws.cell(1, 1).font = Font(bold=True, size=13)
    set_text(ws.cell(2, 1), "Chỉ nhập vào các ô nền vàng. Xem hướng dẫn ở trang tính “Hướng dẫn”.")
    for key, j in col.items():
        cell = ws.cell(HEADER_ROW, j)
        set_text(cell, h[key])
        cell.font, cell.fill = Font(bold=True), INPUT_FILL if key in ("result", "result_kind", "note") else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(j)].width = WIDTHS.get(key, 14)
    number = DataValidation(
        type="decimal",
        operator="between",
        formula1="-1000000000000",
        formula2="1000000000000",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Không phải số",
        error="Ô này chỉ nhận một số (không ghi chữ hay đơn vị tính).",
        showInputMessage=True,
        promptTitle="Kết quả",
        prompt="Nhập một số theo đơn vị tính của chỉ tiêu.",
    )
    kinds = DataValidation(
        type="list", formula1='"' + ",".join(RESULT_KIND_WORDS) + '"', allow_blank=True, showErrorMessage=True
    )
    kinds.errorTitle, kinds.error = "Loại số liệu", "Chọn “Thực hiện” hoặc “Ước thực hiện”."
    word_lists: dict[str, DataValidation] = {}
    for i, (_, r) in enumerate(rows.iterrows(), start=HEADER_ROW + 1):
        values = {
            "tt": int(r["tt"]),
            "indicator": r["indicator"],
            "measure_unit": r["measure_unit"],
            "previous": r["previous"] if not pd.isna(r["previous"]) else r["previous_text"],
            "plan": r["plan"] if not pd.isna(r["plan"]) else r["plan_text"],
            "target": r["target"],
            "data_note": "Số liệu minh họa" if bool(r["illustrative"]) else "",
            "indicator_id": r["indicator_id"],
        }
        for key, value in values.items():
            cell = ws.cell(i, col[key])
            if isinstance(value, str):
                set_text(cell, value)
            else:
                cell.value = value
                cell.number_format = number_format(key, float(value), r["decimals"])
            cell.alignment = Alignment(wrap_text=key in ("indicator", "target"), vertical="top")
        for key in ("result", "result_kind", "note"):
            cell = ws.cell(i, col[key])
            cell.protection, cell.fill = Protection(locked=False), INPUT_FILL
            cell.alignment = Alignment(vertical="top", wrap_text=key == "note")
        result = ws.cell(i, col["result"])
        if r["accepts"] == "words":
            words = str(r["words"])
            if words not in word_lists:
                word_lists[words] = DataValidation(
                    type="list", formula1='"' + words.replace(";", ",") + '"', allow_blank=True, showErrorMessage=True
                )
                word_lists[words].error = "Chọn một trong: " + words.replace(";", ", ")
            word_lists[words].add(result)
        else:
            result.number_format = number_format("result", 0.0, r["decimals"])
            number.add(result)
        kinds.add(ws.cell(i, col["result_kind"]))
    for dv in (number, kinds, *word_lists.values()):
        ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 3)
    ws.protection.sheet = True


def write_form(
    rows: pd.DataFrame, path: Path | str, *, unit: str, name: str, level: str, parent_name: str, year: int
) -> None:
    """Write the form of ``unit`` for ``year`` (``rows``: :func:`analysis.analyses.forms.form_rows`)
    to ``path`` (not atomic: give a temporary path)."""
    title = f"{LEVEL_VI.get(level, '')} {name}".strip() + (f" ({parent_name})" if parent_name else "")
    wb = Workbook()
    guide = wb.active
    guide.title = INSTRUCTIONS
    for i, line in enumerate(instructions(year, title, bool(rows["illustrative"].any())), start=1):
        set_text(guide.cell(i, 1), line)
        guide.cell(i, 1).alignment = Alignment(wrap_text=True, vertical="top")
    guide["A1"].font = Font(bold=True, size=13)
    guide.column_dimensions["A"].width = 120
    guide.protection.sheet = True
    _form_sheet(wb.create_sheet(FORM), rows, year=year, title=title)
    meta = wb.create_sheet(META)
    for i, (key, value) in enumerate(
        (("unit", unit), ("year", year), ("form_version", FORM_VERSION), ("indicators", len(rows))), start=1
    ):
        meta.cell(i, 1, key)
        meta.cell(i, 2, value)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    wb.active = 1
    wb.save(path)
