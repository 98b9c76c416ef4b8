"""The Excel workbook an official opens: read back with openpyxl and checked cell by cell."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis.report.excel import write_excel
from factories import run_cli


def run(*argv: str) -> int:
    return run_cli(*argv)[0]


def rows_of(ws) -> list[dict[str, object]]:
    head = [c.value for c in ws[1]]
    return [dict(zip(head, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)]


def test_evaluate_workbook_for_officials(tmp_path: Path):
    out = tmp_path / "danh-gia.xlsx"
    assert run("evaluate", "--unit", "trang-dinh", "--year", "2024", "--out", str(out)) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Tổng hợp", "trang-dinh"]
    ws = wb["trang-dinh"]
    head = [c.value for c in ws[1]]
    assert head[:6] == [
        "TT",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Kết quả năm 2023",
        "Kế hoạch năm 2024",
        "Kết quả thực hiện năm 2024",
    ]
    # published and recomputed side by side
    assert head.index("TH/KH (%) tính lại") == head.index("TH/KH (%) công bố") + 1
    assert head.index("TH/cùng kỳ (%) tính lại") == head.index("TH/cùng kỳ (%) công bố") + 1
    assert ws.freeze_panes == "A2"
    rows = rows_of(ws)
    assert len(rows) == 26
    first = rows[0]
    assert (first["TT"], first["Chỉ tiêu"], first["Đơn vị tính"]) == (1, "Lượng khách du lịch", "lượt người")
    assert (first["Kết quả năm 2023"], first["Kế hoạch năm 2024"], first["Kết quả thực hiện năm 2024"]) == (
        79000,
        94800,
        97000,
    )
    assert first["TH/KH (%) công bố"] == 102.32
    assert abs(first["TH/KH (%) tính lại"] - 97000 / 94800 * 100) < 1e-9
    assert first["TH/KH khớp"] == "Có"
    # formats: whole counts without decimals, rates with the indicator's decimals, percentages with two
    col = {h: i + 1 for i, h in enumerate(head)}
    assert ws.cell(2, col["Kết quả thực hiện năm 2024"]).number_format == "#,##0"
    assert ws.cell(3, col["Kết quả thực hiện năm 2024"]).number_format == "#,##0.0"  # 48,5 tỷ đồng, 1 decimal
    assert ws.cell(2, col["TH/KH (%) tính lại"]).number_format == "#,##0.00"
    assert ws.cell(2, col["TT"]).number_format == "0"
    with zipfile.ZipFile(out) as z:
        assert 'formatCode="#,##0.0"' in z.read("xl/styles.xml").decode()
    # colours: the six indicators not achieved are red, the others not (seed 000's results are
    # estimates: its headline opens "Dự kiến năm 2024", so the statuses are "Dự kiến ...")
    not_achieved = [r["TT"] for r in rows if r["Đánh giá"] == "Dự kiến không đạt"]
    assert not_achieved == [5, 17, 18, 19, 21, 23]  # the six of seed 000
    for i, r in enumerate(rows, start=2):
        fill = ws.cell(i, col["Đánh giá"]).fill.fgColor.rgb
        assert fill.endswith("FFC7CE") == (r["Đánh giá"] == "Dự kiến không đạt")
    summary = rows_of(wb["Tổng hợp"])
    assert summary[0]["Mã đơn vị"] == "trang-dinh" and summary[0]["Số dòng"] == 26
    assert summary[0]["Dự kiến không đạt"] == 6
    assert summary[-1]["Mã đơn vị"] == "Tổng cộng" and summary[-1]["Số dòng"] == 26


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path):
    evil = ['=HYPERLINK("http://x","bấm")', "+1+1", "-2", "@SUM(A1)", "Đạt"]
    df = pd.DataFrame({"unit": ["u"] * 5, "indicator": evil, "status": ["Đạt"] * 5})
    out = tmp_path / "x.xlsx"
    write_excel(df, out)
    ws = openpyxl.load_workbook(out)["u"]
    cells = [ws.cell(i, 1) for i in range(2, 7)]
    assert [c.value for c in cells] == evil
    assert {c.data_type for c in cells} == {"s"}
    with zipfile.ZipFile(out) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert all("<f>" not in z.read(n).decode() for n in sheets)


def test_one_sheet_per_unit_and_a_total(tmp_path: Path):
    df = pd.DataFrame(
        {
            "unit": ["a", "a", "b"],
            "year": [2024, 2024, 2024],
            "indicator": ["x", "y", "x"],
            "status": ["Vượt", "Không đạt", "Dự kiến đạt"],
            "agrees": [True, False, pd.NA],
        }
    )
    out = tmp_path / "x.xlsx"
    write_excel(df, out, unit_names={"a": "Xã A", "b": "Xã B"})
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Tổng hợp", "a", "b"]
    summary = rows_of(wb["Tổng hợp"])
    assert [(r["Mã đơn vị"], r["Tên đơn vị"], r["Số dòng"], r["Vượt"], r["Không đạt"]) for r in summary] == [
        ("a", "Xã A", 2, 1, 1),
        ("b", "Xã B", 1, 0, 0),
        ("Tổng cộng", None, 3, 1, 1),
    ]
    assert [r["Số liệu không khớp"] for r in summary] == [1, 0, 1]
    b = rows_of(wb["b"])
    assert b == [{"Chỉ tiêu": "x", "Đánh giá": "Dự kiến đạt", "Khớp số công bố": None, "Mã đơn vị": "b", "Năm": 2024}]
    assert wb["b"]["B2"].fill.fgColor.rgb.endswith("FFF2CC")


@pytest.mark.slow
def test_audit_gaps_and_tasks_write_workbooks(tmp_path: Path):
    for command, unit in (("audit", "trang-dinh"), ("gaps", "trang-dinh"), ("tasks", "bac-son")):
        out = tmp_path / f"{command}.xlsx"
        assert run(command, "--unit", unit, "--out", str(out)) == 0
        wb = openpyxl.load_workbook(out)
        assert wb.sheetnames == ["Tổng hợp", unit]
        head = [c.value for c in wb[unit][1]]
        assert "Mã đơn vị" in head and not any(h.isascii() and "_" in h for h in head), head
