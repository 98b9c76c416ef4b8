"""Returned forms and tables that a careful clerk would not take in (``python -m analysis intake``).

Each case ends in a refusal that names the submitter's own file, sheet and cell (exit 1, the
curated data byte for byte as they were), or in the figure merged as written (exit 0). The
values a case types are made up (ILLUSTRATIVE); last year's results are the curated ones of
Tràng Định 2024 (seed 000) and of the illustrative commune dataset.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import openpyxl
import pytest

from reliability.kit import Outcome, Project, cli, write

FORM = "Biểu nhập liệu"
FIRST_ROW = 5  # the form's row of TT 1
RESULT, INDICATOR_ID = 7, 11  # columns G and K


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*.csv")}


def form(project: Project, folder: Path, unit: str, fill: dict[int, object], *, name: str = "") -> Path:
    """The 2025 form of ``unit`` with ``fill`` = {TT: value} typed in the result column."""
    path = folder / (name or f"{unit}.xlsx")
    folder.mkdir(parents=True, exist_ok=True)
    assert cli("template", "--year", "2025", "--unit", unit, "--data-dir", project.data, "--out", path).code == 0
    wb = openpyxl.load_workbook(path)
    for tt, value in fill.items():
        wb[FORM].cell(FIRST_ROW + tt - 1, RESULT).value = value
    wb.save(path)
    return path


def intake(project: Project, folder: Path, *extra: str) -> Outcome:
    return cli("intake", folder, "--year", "2025", "--data-dir", project.data, "--params-dir", project.params, *extra)


def problems(got: Outcome) -> list[str]:
    """The indented problem lines of the command's output."""
    return [line.strip() for line in got.out.splitlines() if line.startswith("  ")]


# --- values against the indicator's nature ----------------------------------------------------

SHARE = (
    "'1.260' đọc theo cách viết Việt Nam là 1.260 (dấu chấm phân cách hàng nghìn), vượt quá 100%: "
    "một tỷ lệ không thể lớn hơn 100%; nếu là 1,26% thì ghi 1,26 (dấu phẩy thập phân)"
)


AMBIGUOUS = (
    "số viết không rõ nghĩa (dấu chấm có thể là dấu phân cách hàng nghìn hoặc dấu thập phân): hãy ghi lại cho rõ"
)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1.260", SHARE),  # typed as text
        (1260, SHARE),  # typed as a number in a Vietnamese Excel: the cell holds 1260
        ("1.26", AMBIGUOUS),  # neither 1.260 nor 1,26 in Vietnamese notation
        (100.5, "100,5 vượt quá 100%: một tỷ lệ không thể lớn hơn 100%"),
        (-1, "-1 là số âm: một tỷ lệ không thể âm"),
    ],
)
def test_a_share_beyond_its_bounds_is_refused(project: Project, tmp_path: Path, value: object, reason: str):
    # TT 14: Tỉ lệ người dân tham gia BHYT (%), 98,7% in 2024: row 18 of the form
    folder = tmp_path / "in"
    form(project, folder, "trang-dinh", {1: 98000, 14: value})
    before = digest(project.data)
    got = intake(project, folder)
    assert got.code == 1 and got.out.startswith("trang-dinh.xlsx: refused, 1 problem(s)")
    assert problems(got) == [f"{FORM}!G18: {reason}"]
    assert digest(project.data) == before


def test_a_negative_count_is_refused_and_a_negative_growth_is_taken(project: Project, tmp_path: Path):
    # TT 18 criminal offences (vụ) cannot be negative; TT 3 export growth (%, a change) can
    folder = tmp_path / "in"
    form(project, folder, "trang-dinh", {18: -3})
    got = intake(project, folder)
    assert got.code == 1 and problems(got) == [f"{FORM}!G22: -3 là số âm: chỉ tiêu đo bằng vụ không thể âm"]
    form(project, folder, "trang-dinh", {3: -5})
    got = intake(project, folder)
    assert got.code == 0 and "trang-dinh.xlsx: merged 1 figure(s) of trang-dinh" in got.out


def test_an_implausible_jump_blocks_until_confirmed(project: Project, tmp_path: Path):
    # TT 1 visitors: 97.000 in 2024; 1.000.000 is more than 10 times that (intake.jump_factor)
    folder = tmp_path / "in"
    form(project, folder, "trang-dinh", {1: 1000000, 2: 50})
    before = digest(project.data)
    got = intake(project, folder)
    assert got.code == 1 and problems(got) == [
        (
            f"{FORM}!G5: 1.000.000 lượt người gấp hơn 10 lần kết quả năm 2024 (97.000 lượt người): "
            "đề nghị kiểm tra lại; nếu số liệu đúng, đề nghị xác nhận với cơ quan tiếp nhận"
        ),
        "(if the figure is right, take it in with --confirm 'trang-dinh.xlsx!G5')",
    ]
    assert digest(project.data) == before
    report = (folder / "bao-cao" / "trang-dinh.bao-cao.html").read_text(encoding="utf-8")
    assert (
        "biểu có 1 lỗi (trong đó 1 số liệu tăng, giảm bất thường so với năm trước: nếu đúng, đề nghị xác nhận)"
        in report
    )
    got = intake(project, folder, "--confirm", "trang-dinh.xlsx!G5", "--confirm", "trang-dinh.xlsx!G6")
    assert got.code == 0 and "trang-dinh.xlsx: merged 2 figure(s) of trang-dinh" in got.out
    assert got.error_lines == [
        "warning: --confirm trang-dinh.xlsx!G6: no figure of that file and cell needed a confirmation"
    ]
    report = (folder / "bao-cao" / "trang-dinh.bao-cao.html").read_text(encoding="utf-8")
    assert "Đã xác nhận" in report and "G5" in report


def test_a_table_with_a_share_typed_1_260_is_refused(project: Project, tmp_path: Path):
    rows = [
        "UBND HUYỆN TRÀNG ĐỊNH",
        "STT\tChỉ tiêu\tĐơn vị tính\tKế hoạch năm 2025\tƯớc thực hiện năm 2025",
        "14\tTỉ lệ người dân tham gia BHYT đạt 96%\t%\t\t1.260",
    ]
    write(tmp_path / "in" / "trang-dinh-2025.txt", "\n".join(rows) + "\n")
    before = digest(project.data)
    got = intake(project, tmp_path / "in")
    assert got.code == 1 and problems(got) == [f"-!E3: {SHARE}"]
    assert digest(project.data) == before


def test_a_table_taken_in_prints_its_rows_accounted(project: Project, tmp_path: Path):
    rows = [
        "UBND HUYỆN TRÀNG ĐỊNH",
        "STT\tChỉ tiêu\tĐơn vị tính\tKế hoạch năm 2025\tƯớc thực hiện năm 2025",
        "1\tLượng khách du lịch\tlượt người\t\t98.000",
        "14\tTỉ lệ người dân tham gia BHYT đạt 96%\t%\t\t96,5",
    ]
    folder = tmp_path / "in"
    write(folder / "trang-dinh-2025.txt", "\n".join(rows) + "\n")
    got = intake(project, folder)
    assert got.code == 0, got.out
    assert got.out.startswith(
        "trang-dinh-2025.txt: merged 2 figure(s) of trang-dinh (2 row(s) in the table: 2 read, 0 reported)"
    )
    # a note row between them: reported by its cell, counted, and the table not taken in
    rows.insert(3, "\tGhi chú: số liệu ước\t\t\t")
    write(folder / "trang-dinh-2025.txt", "\n".join(rows) + "\n")
    got = intake(project, folder)
    assert got.code == 1
    assert got.out.startswith("trang-dinh-2025.txt: refused, 1 problem(s) (3 row(s) in the table: 2 read, 1 reported)")
    assert problems(got) == ["-!B4: dòng không có số thứ tự (TT) của chỉ tiêu: không đọc được"]


# --- whose form it is -------------------------------------------------------------------------


def test_a_form_whose_file_name_names_another_unit_is_refused(project: Project, tmp_path: Path):
    folder = tmp_path / "in"
    form(project, folder, "trang-dinh-hung-son", {1: 16}, name="bieu-nhap-lieu-2025-trang-dinh-tri-phuong.xlsx")
    before = digest(project.data)
    got = intake(project, folder)
    assert got.code == 1 and problems(got) == [
        (
            "-!-: tên tệp ghi đơn vị 'trang-dinh-tri-phuong' nhưng biểu được lập cho đơn vị 'trang-dinh-hung-son' "
            "(Hùng Sơn): kiểm tra lại tệp gửi về"
        )
    ]
    assert digest(project.data) == before


def test_a_table_whose_file_name_and_title_name_two_units_is_refused(project: Project, tmp_path: Path):
    rows = [
        "UBND HUYỆN BẮC SƠN",
        "STT\tChỉ tiêu\tĐơn vị tính\tKế hoạch năm 2025\tƯớc thực hiện năm 2025",
        "1\tLượng khách du lịch\tlượt người\t\t98.000",
    ]
    write(tmp_path / "in" / "trang-dinh-2025.txt", "\n".join(rows) + "\n")
    got = intake(project, tmp_path / "in")
    assert got.code == 1 and problems(got) == [
        "-!-: tên tệp ghi đơn vị 'trang-dinh' nhưng tiêu đề biểu ghi đơn vị 'bac-son' (Bắc Sơn): kiểm tra lại tệp gửi về"
    ]


# --- duplicated rows, size, what the report names ----------------------------------------------


def test_a_duplicated_row_is_named_by_its_cells(project: Project, tmp_path: Path):
    folder = tmp_path / "in"
    path = form(project, folder, "trang-dinh", {1: 98000, 2: 50})
    wb = openpyxl.load_workbook(path)
    wb[FORM].cell(FIRST_ROW + 1, INDICATOR_ID).value = "tourist_visitors"  # row 6 copies row 5's code
    wb.save(path)
    before = digest(project.data)
    got = intake(project, folder)
    assert got.code == 1 and problems(got) == [
        f"{FORM}!G6: mã chỉ tiêu 'tourist_visitors' lặp lại (đã có ở ô G5): mỗi chỉ tiêu chỉ nhập một dòng"
    ]
    assert ".csv" not in got.out and digest(project.data) == before


@pytest.mark.parametrize("name", ["big.xlsx", "big.txt"])
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(project: Project, tmp_path: Path, name: str):
    folder = tmp_path / "in"
    folder.mkdir()
    with open(folder / name, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on the disk
    got = intake(project, folder)
    assert got.code == 1 and got.out.startswith(f"{name}: refused, 1 problem(s)")
    assert problems(got) == [
        (
            "-!-: tệp có dung lượng 50,0 MB, vượt giới hạn 10 MB của một biểu gửi về (intake.max_file_mb): "
            "tệp không được đọc; đề nghị gửi lại biểu đúng mẫu"
        )
    ]


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused_before_it_is_opened(project: Project, tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    with zipfile.ZipFile(folder / "bomb.xlsx", "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 1024 * 1024))
    write(
        project.params / "defaults.yaml",
        (project.params / "defaults.yaml")
        .read_text(encoding="utf-8")
        .replace("max_unpacked_mb: 100", "max_unpacked_mb: 2"),
    )
    got = intake(project, folder)
    assert got.code == 1 and problems(got) == [
        (
            "-!-: nội dung tệp Excel khi giải nén là 3,0 MB, vượt giới hạn 2 MB (intake.max_unpacked_mb): "
            "tệp không được đọc; đề nghị gửi lại biểu đúng mẫu"
        )
    ]


def test_the_report_names_only_the_submitters_own_files(project: Project, tmp_path: Path):
    folder = tmp_path / "in"
    form(project, folder, "trang-dinh", {1: 98000})
    assert intake(project, folder).code == 0
    write(
        project.data / "corrections.csv",
        "unit,year,indicator_id,field,measure_unit,old_value,new_value,reason,who,date,source_document\n"
        "trang-dinh,2025,tourist_visitors,result,,98000,99000,a (minh họa),b,2026-01-05,c\n",
    )
    form(project, folder, "trang-dinh", {1: 97500})  # the correction's old value is gone
    write(folder / "empty.txt", "")
    before = digest(project.data)
    got = intake(project, folder)
    assert got.code == 1 and digest(project.data) == before
    assert "corrections.csv" in got.out  # the analyst is told what broke
    for name in ("trang-dinh", "empty"):
        for suffix in ("html", "xlsx"):
            report = folder / "bao-cao" / f"{name}.bao-cao.{suffix}"
            text = report.read_text(encoding="utf-8") if suffix == "html" else _workbook_text(report)
            assert ".csv" not in text and str(tmp_path) not in text and "/tmp" not in text, text
    html = (folder / "bao-cao" / "trang-dinh.bao-cao.html").read_text(encoding="utf-8")
    assert "không nhập được vào cơ sở dữ liệu" in html
    empty = (folder / "bao-cao" / "empty.bao-cao.html").read_text(encoding="utf-8")
    assert "không đọc được tệp (empty.txt: is empty)" in empty


def _workbook_text(path: Path) -> str:
    wb = openpyxl.load_workbook(path)
    return "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
