"""The data-entry form of a unit and year, read back with openpyxl."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from analysis.io.forms import FORM, META, read_form
from factories import run_cli as run

HEADER_ROW = 4


def form_rows(ws) -> list[dict[str, object]]:
    head = [c.value for c in ws[HEADER_ROW]]
    return [dict(zip(head, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=HEADER_ROW + 1)]


def test_the_form_of_tràng_định_for_2025(tmp_path: Path):
    out = tmp_path / "td.xlsx"
    code, stdout, _ = run("template", "--year", "2025", "--unit", "trang-dinh", "--out", str(out))
    assert code == 0 and f"wrote {out}" in stdout
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Hướng dẫn", FORM, META] and wb[META].sheet_state == "veryHidden"
    guide = [c.value for c in wb["Hướng dẫn"]["A"] if c.value]
    assert guide[0] == "BIỂU NHẬP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NĂM 2025"
    assert guide[1] == "Huyện Tràng Định (tỉnh Lạng Sơn)"
    assert any("Ước thực hiện" in line for line in guide) and not any("MINH HỌA" in line for line in guide)
    ws = wb[FORM]
    assert [c.value for c in ws[HEADER_ROW]] == [
        "TT",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Kết quả thực hiện năm 2024",
        "Kế hoạch năm 2025",
        "Mục tiêu",
        "Kết quả thực hiện năm 2025",
        "Loại số liệu",
        "Ghi chú của đơn vị",
        "Ghi chú về số liệu năm 2024",
        "Mã chỉ tiêu",
    ]
    rows = form_rows(ws)
    assert len(rows) == 26
    visitors = rows[0]
    assert (visitors["TT"], visitors["Chỉ tiêu"], visitors["Kết quả thực hiện năm 2024"]) == (
        1,
        "Lượng khách du lịch",
        97000,
    )
    assert visitors["Kế hoạch năm 2025"] == 200000 and visitors["Kết quả thực hiện năm 2025"] is None
    assert visitors["Mục tiêu"] == (
        "Kế hoạch năm 2025: 200.000 lượt người (càng cao càng tốt); "
        "Nghị quyết Đại hội đến năm 2025: 200.000 lượt người."
    )
    by_id = {r["Mã chỉ tiêu"]: r for r in rows}
    # a plan written in words stays in words; a ceiling says lower is better
    assert by_id["ntm_communes_added"]["Kế hoạch năm 2025"] == "Thêm 01 xã đạt chuẩn NTM; 01 xã đạt chuẩn NTM nâng cao"
    assert by_id["criminal_offences"]["Kế hoạch năm 2025"] == "Giảm 5% trở lên"
    assert "càng thấp càng tốt" in by_id["criminal_offences"]["Mục tiêu"]
    # locked but the three input columns; numbers validated on the result column
    assert ws.protection.sheet
    assert [ws.cell(5, c).protection.locked for c in range(1, 12)] == [True] * 6 + [False] * 3 + [True] * 2
    validations = {str(dv.sqref).split()[0]: dv for dv in ws.data_validations.dataValidation}
    assert validations["G5"].type == "decimal" and "G30" in str(validations["G5"].sqref)
    assert validations["H5"].type == "list" and validations["H5"].formula1 == '"Thực hiện,Ước thực hiện"'
    assert ws.freeze_panes == "C5"
    assert ws["B5"].number_format == "General" and ws["D6"].number_format == "#,##0.0"  # 48,5 tỷ đồng


def test_a_commune_form_says_which_figures_are_illustrative(tmp_path: Path):
    out = tmp_path / "tk.xlsx"
    assert run("template", "--year", "2025", "--unit", "trang-dinh-that-khe", "--out", str(out))[0] == 0
    wb = openpyxl.load_workbook(out)
    rows = form_rows(wb[FORM])
    assert rows and all(r["Ghi chú về số liệu năm 2024"] == "Số liệu minh họa" for r in rows)
    assert any("SỐ LIỆU MINH HỌA" in str(c.value) for c in wb["Hướng dẫn"]["A"])
    assert wb[FORM]["A1"].value == "Kết quả thực hiện các chỉ tiêu năm 2025 — Thị trấn Thất Khê (huyện Tràng Định)"


@pytest.mark.slow
def test_every_unit_of_the_2025_run(tmp_path: Path):
    """The shipped params/2025/units.yaml: the province (its roll-up; no indicators of its own),
    Tràng Định, its 13 communes after the 01/12/2024 arrangement and Bắc Sơn's 12."""
    code, stdout, _ = run("template", "--year", "2025", "--all", "--out", str(tmp_path / "forms"))
    assert code == 0
    written = sorted(p.name for p in (tmp_path / "forms").iterdir())
    assert "bieu-nhap-lieu-2025-trang-dinh.xlsx" in written and "bieu-nhap-lieu-2025-bac-son-tan-thanh.xlsx" in written
    assert "bieu-nhap-lieu-2025-trang-dinh-khanh-long.xlsx" in written
    assert len(written) == 26
    assert "skipped lang-son: unit 'lang-son' has no indicator catalogue" in stdout
    form = read_form(tmp_path / "forms" / "bieu-nhap-lieu-2025-bac-son-vu-le.xlsx")
    assert (form.unit, form.year, form.problems) == ("bac-son-vu-le", 2025, [])


def test_template_errors(tmp_path: Path):
    code, _, err = run("template", "--year", "2025", "--unit", "nowhere", "--out", str(tmp_path / "x.xlsx"))
    assert code == 2 and "unknown unit 'nowhere'" in err
    code, _, err = run("template", "--year", "2025", "--unit", "trang-dinh", "--out", str(tmp_path / "x.csv"))
    assert code == 2 and "ending in .xlsx" in err
    code, _, err = run("template", "--year", "2031", "--all", "--out", str(tmp_path))
    assert code == 2 and "2031" in err
    code, _, err = run("template", "--year", "2025", "--out", str(tmp_path / "x.xlsx"))
    assert code == 2 and "one of the arguments --unit --all is required" in err
