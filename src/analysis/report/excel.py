"""Excel workbooks for officials: ``--out FILE.xlsx`` of ``evaluate``, ``audit``, ``gaps`` and ``tasks``.

A summary sheet ("Tổng hợp") and one sheet per unit; Vietnamese headers (with the year where the
frame has one), published and recomputed figures side by side, status colours, a frozen
header row with filters, and number formats.

Number formats are written in Excel's invariant syntax (``#,##0.0``: ``,`` groups thousands,
``.`` marks decimals), which is how the file format stores every format code; Excel shows them
with the separators of the reader's locale, so a vi-VN Excel shows ``1.231,7`` and an en-US one
``1,231.7``. Writing the Vietnamese-looking ``#.##0,0`` would be wrong: Excel would read its
``.`` as the decimal point everywhere.

Text is never a formula: a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` is stored
as a plain string (``data_type`` ``s``, with Excel's quote prefix), so opening the file runs
nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

#: Vietnamese headers; ``{y}`` is the frame's year, ``{y0}`` the year before.
HEADERS: dict[str, str] = {
    "tt": "TT",
    "task": "Nhiệm vụ",
    "sub": "Chỉ tiêu con",
    "indicator": "Chỉ tiêu",
    "title": "Nội dung nhiệm vụ",
    "group": "Nhóm nhiệm vụ",
    "description": "Nội dung",
    "measure_unit": "Đơn vị tính",
    "previous": "Kết quả năm {y0}",
    "plan": "Kế hoạch năm {y}",
    "plan_text": "Kế hoạch (nguyên văn)",
    "result": "Kết quả thực hiện năm {y}",
    "result_kind": "Loại kết quả",
    "published_attainment_pct": "TH/KH (%) công bố",
    "attainment_pct": "TH/KH (%) tính lại",
    "attainment_agrees": "TH/KH khớp",
    "published_trend_pct": "TH/cùng kỳ (%) công bố",
    "trend_pct": "TH/cùng kỳ (%) tính lại",
    "trend_agrees": "TH/cùng kỳ khớp",
    "published_status": "Đánh giá công bố",
    "status": "Đánh giá",
    "status_basis": "Căn cứ đánh giá",
    "agrees": "Khớp số công bố",
    "figure": "Số liệu kiểm tra",
    "published_text": "Công bố (nguyên văn)",
    "published": "Số công bố",
    "recomputed": "Số tính lại",
    "published_class": "Xếp loại công bố",
    "class": "Xếp loại theo thang điểm",
    "self_score": "Điểm tự chấm",
    "n_subtargets": "Số chỉ tiêu con",
    "n_findings": "Số chỉ tiêu con cần xem lại",
    "target_text": "Mục tiêu (nguyên văn)",
    "target_from": "Nguồn mục tiêu",
    "target_value": "Mục tiêu",
    "target_high": "Mục tiêu (cận trên)",
    "term_start": "Đầu nhiệm kỳ",
    "term_end": "Cuối nhiệm kỳ",
    "latest_year": "Năm có số liệu mới nhất",
    "latest_value": "Số liệu mới nhất",
    "required_value": "Giá trị cần đạt",
    "required_bound": "Giới hạn",
    "gap": "Khoảng cách còn lại",
    "required_change_pct": "Mức thay đổi cần có (%)",
    "required_annual_change_pct": "Mức thay đổi cần có mỗi năm (%)",
    "max_seen_change_pct": "Mức thay đổi lớn nhất đã có (%)",
    "projected_value": "Dự báo theo xu hướng",
    "planned_average": "Bình quân theo kế hoạch",
    "achieved_already": "Đã đạt",
    "on_track": "Kịp tiến độ",
    "far_beyond": "Vượt xa xu hướng",
    "adjusted_plan": "Kế hoạch điều chỉnh",
    "adjusted_plan_note": "Lý do điều chỉnh kế hoạch",
    "remark": "Ghi chú",
    "explanation": "Giải thích",
    "corrected": "Đính chính",
    "inferred": "Suy luận",
    "direction": "Hướng đánh giá",
    "target_type": "Loại mục tiêu",
    "decimals": "Số chữ số thập phân",
    "unit": "Mã đơn vị",
    "year": "Năm",
    "indicator_id": "Mã chỉ tiêu",
    "source": "Nguồn",
    "section": "Phần",
    "parent": "Thuộc chỉ tiêu",
    "label": "STT (như công bố)",
    "estimate": "Số ước tính",
    "target_kind": "Dạng mục tiêu",
    "requirement": "Yêu cầu",
    "target_year": "Năm mục tiêu",
    "published_attainment_text": "TH/KH công bố (nguyên văn)",
    "published_trend_text": "TH/cùng kỳ công bố (nguyên văn)",
    "recomputed_attainment_pct": "TH/KH (%) tính theo tỷ số",
    "recomputed_trend_pct": "TH/cùng kỳ (%) tính theo tỷ số",
    "check_note": "Ghi chú kiểm tra",
    "outcome": "Kết luận kiểm tra",
    "standing": "Tình trạng",
    "change_unit": "Đơn vị của mức thay đổi",
    "required_change": "Mức thay đổi cần có",
    "required_annual_change": "Mức thay đổi cần có mỗi năm",
    "max_seen_change": "Mức thay đổi lớn nhất đã có",
    "projection_method": "Phương pháp dự báo",
    "projection_note": "Ghi chú dự báo",
    "impossible": "Không thể đạt",
    "max_possible": "Mức tối đa có thể",
    "max_possible_note": "Lý do mức tối đa",
    "assigned_value": "Chỉ tiêu tỉnh giao",
    "assigned_note": "Ghi chú chỉ tiêu tỉnh giao",
}
#: Columns shown first, in this order: published figures next to their recomputation.
FIRST = [
    "tt",
    "task",
    "sub",
    "indicator",
    "title",
    "description",
    "measure_unit",
    "previous",
    "plan",
    "result",
    "published_attainment_pct",
    "attainment_pct",
    "attainment_agrees",
    "published_trend_pct",
    "trend_pct",
    "trend_agrees",
    "published_status",
    "status",
    "figure",
    "published_text",
    "published",
    "recomputed",
    "agrees",
    "self_score",
    "published_class",
    "class",
]
#: Columns last: identifiers and technical detail.
LAST = ["unit", "year", "indicator_id", "direction", "target_type", "decimals", "inferred", "source"]
WHOLE = {"tt", "year", "term_start", "term_end", "latest_year", "decimals", "n_subtargets", "n_findings"}
STATUS_COLUMNS = {"status", "published_status", "class"}
FILLS = {
    "red": PatternFill("solid", fgColor="FFC7CE"),
    "green": PatternFill("solid", fgColor="C6EFCE"),
    "light_green": PatternFill("solid", fgColor="E2EFDA"),
    "yellow": PatternFill("solid", fgColor="FFF2CC"),
    "grey": PatternFill("solid", fgColor="EDEDED"),
}
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
SUMMARY = "Tổng hợp"
STATUS_ORDER = ["Vượt", "Đạt", "Dự kiến vượt", "Dự kiến đạt", "Dự kiến không đạt", "Không đạt", "Chưa xác định"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def status_fill(text: str) -> PatternFill | None:
    """The colour of a status word (Vượt green, Đạt light green, Dự kiến yellow, Không đạt red).

    >>> [status_fill(s) is FILLS[c] for s, c in [("Vượt", "green"), ("Dự kiến đạt", "yellow"), ("Không đạt", "red")]]
    [True, True, True]
    """
    t = text.strip().casefold()
    if not t:
        return None
    if "không" in t:
        return FILLS["red"]
    if t.startswith("dự kiến"):
        return FILLS["yellow"]
    if t.startswith(("vượt", "hoàn thành xuất sắc")):
        return FILLS["green"]
    if t.startswith(("đạt", "hoàn thành")):
        return FILLS["light_green"]
    return FILLS["grey"] if t.startswith("chưa") else None


def number_format(column: str, value: float, decimals: float | None = None) -> str:
    """The Excel format of a number: whole counts and years without decimals, percentages with
    two, other figures with the indicator's decimals (or as many as the value needs, up to 3).

    >>> number_format("year", 2024), number_format("attainment_pct", 102.3), number_format("result", 97000)
    ('0', '#,##0.00', '#,##0')
    >>> number_format("result", 48.5), number_format("result", 48.5, 3)
    ('#,##0.0', '#,##0.000')
    """
    if column in WHOLE:
        return "0"
    if column.endswith("_pct"):
        return "#,##0.00"
    if decimals is not None and not math.isnan(decimals):
        places = int(decimals)
    else:
        places = next((d for d in range(4) if math.isclose(value, round(value, d), abs_tol=1e-9)), 3)
    return "#,##0" + ("." + "0" * places if places else "")


def ordered_columns(columns: list[str]) -> list[str]:
    """``columns`` with :data:`FIRST` first and :data:`LAST` last."""
    first = [c for c in FIRST if c in columns]
    last = [c for c in LAST if c in columns]
    return first + [c for c in columns if c not in first and c not in last] + last


def header(column: str, year: int | None) -> str:
    """The Vietnamese header of ``column`` (the year filled in when known).

    >>> header("result", 2024), header("previous", 2024), header("result", None), header("xyz", 2024)
    ('Kết quả thực hiện năm 2024', 'Kết quả năm 2023', 'Kết quả thực hiện', 'xyz')
    """
    text = HEADERS.get(column, column)
    if year is None:
        return re.sub(r"\s*năm \{y0?\}", "", text)
    return text.format(y=year, y0=year - 1)


def set_text(cell: Cell, text: str) -> None:
    """Put ``text`` in ``cell`` as a plain string, never a formula."""
    cell.value = text
    if text.startswith(_FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "Có" if bool(value) else "Không"
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def write_sheet(ws: Worksheet, df: pd.DataFrame) -> None:
    """``df`` in ``ws``: headers, values with their formats and colours, frozen header, filters."""
    columns = ordered_columns([str(c) for c in df.columns])
    years = (
        sorted({int(y) for y in pd.to_numeric(df["year"], errors="coerce").dropna()}) if "year" in df.columns else []
    )
    year = years[0] if len(years) == 1 else None
    for j, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=j)
        set_text(cell, header(column, year))
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    decimals = df["decimals"].tolist() if "decimals" in df.columns else None
    for i, (_, row) in enumerate(df.iterrows(), start=2):
        for j, column in enumerate(columns, start=1):
            value = _plain(row[column])
            cell = ws.cell(row=i, column=j)
            if isinstance(value, str):
                set_text(cell, value)
                fill = status_fill(value) if column in STATUS_COLUMNS else None
                if value == "Không" and column.endswith("agrees"):
                    fill = FILLS["red"]
                if fill is not None:
                    cell.fill = fill
            elif isinstance(value, int | float):
                cell.value = value
                d = None if decimals is None or column.endswith("_pct") else _float(decimals[i - 2])
                cell.number_format = number_format(column, float(value), d)
            elif value is not None:
                set_text(cell, str(value))
    for j, column in enumerate(columns, start=1):
        width = max([len(header(column, year))] + [len(str(v)) for v in df[column].head(200)])
        ws.column_dimensions[get_column_letter(j)].width = min(60, max(8, width + 2))
    ws.freeze_panes = "A2"
    if columns and len(df):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(df) + 1}"


def _float(value: Any) -> float | None:
    try:
        return None if pd.isna(value) else float(value)
    except (TypeError, ValueError):
        return None


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unused sheet name (31 characters, none of ``[]:*?/\\``)."""
    base = re.sub(r"[\[\]:*?/\\]", "-", text)[:31] or "Sheet"
    name, n = base, 2
    while name.casefold() in {t.casefold() for t in taken}:
        name = f"{base[: 31 - len(str(n)) - 1]}~{n}"
        n += 1
    taken.add(name)
    return name


def summary_frame(
    df: pd.DataFrame, unit_names: Mapping[str, str] | None = None, mismatches: Mapping[str, int] | None = None
) -> pd.DataFrame:
    """One row per unit (and a total): rows, status counts, figures that do not agree (the
    audit's count per unit in ``mismatches`` when given, the rows whose ``agrees`` is false
    otherwise)."""
    names = dict(unit_names or {})
    rows = []
    for unit, part in df.groupby("unit", sort=False):
        row: dict[str, Any] = {"Mã đơn vị": unit, "Tên đơn vị": names.get(str(unit), ""), "Số dòng": len(part)}
        if "status" in part.columns:
            for s in STATUS_ORDER:
                if (df["status"] == s).any():
                    row[s] = int((part["status"] == s).sum())
        if mismatches is not None:
            row["Số liệu không khớp"] = int(mismatches.get(str(unit), 0))
        elif "agrees" in part.columns:
            row["Số liệu không khớp"] = int(part["agrees"].eq(False).fillna(False).sum())
        rows.append(row)
    out = pd.DataFrame(rows)
    if not names:
        out = out.drop(columns="Tên đơn vị")
    total = {c: (out[c].sum() if c not in ("Mã đơn vị", "Tên đơn vị") else "") for c in out.columns}
    total["Mã đơn vị"] = "Tổng cộng"
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


def write_excel(
    df: pd.DataFrame,
    path: Path | str,
    *,
    unit_names: Mapping[str, str] | None = None,
    mismatches: Mapping[str, int] | None = None,
) -> None:
    """Write ``df`` to the workbook ``path``: a summary sheet and one sheet per unit (or one
    sheet "Dữ liệu" when the frame has no ``unit`` column). Not atomic: the caller writes to a
    temporary path (:func:`analysis.files.atomic_path`)."""
    wb = Workbook()
    taken: set[str] = set()
    if "unit" in df.columns and len(df):
        summary = wb.active
        summary.title = sheet_name(SUMMARY, taken)
        write_sheet(summary, summary_frame(df, unit_names, mismatches))
        summary["A1"].font = Font(bold=True)
        for unit, part in df.groupby("unit", sort=False):
            write_sheet(wb.create_sheet(sheet_name(str(unit), taken)), part)
    else:
        ws = wb.active
        ws.title = "Dữ liệu"
        write_sheet(ws, df)
    wb.save(path)
