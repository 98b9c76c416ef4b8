"""Reading .xlsx workbooks as a reader of the visible sheet sees them (analysis.io.workbooks,
analysis.io.table_marks): which sheet, hidden rows and columns, merged ranges, error values.

Each workbook is written here with openpyxl; the expected figures are the ones typed in it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from analysis.errors import InputFileError
from analysis.io.ingest import read_table
from analysis.io.raw_rows import column_letter
from analysis.io.sheets import read_source
from analysis.io.workbooks import hidden_columns, hidden_rows

#: A header block as official tables write it: TT and the wording merged over two rows,
#: "Năm 2024" merged over its two sub-headers.
HEADER = [
    ["TT", "Nội dung chỉ tiêu", "Kết quả thực hiện năm 2023", "Năm 2024", None, "Ghi chú"],
    [None, None, None, "Kế hoạch", "Kết quả", None],
]
BODY = [
    ["1", "Thu nhập bình quân đầu người", "50 triệu đồng", "55 triệu đồng", "56 triệu đồng", None],
    ["2", "Số xã đạt chuẩn nông thôn mới", "10 xã", "12 xã", "11 xã", None],
]


def book(path: Path, sheets: dict[str, list[list[Any]]], edit: Any = None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        if rows and rows[:2] == HEADER:
            for rng in ("A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:F2"):
                ws.merge_cells(rng)
    if edit is not None:
        edit(wb)
    wb.save(path)
    return path


def values(path: Path, kind: str, **kw: Any) -> dict[str, float]:
    obs = read_table(path, **kw).observations
    got = obs[(obs["kind"] == kind) & (obs["year"] == 2024)]
    return dict(zip(got["indicator_id"], got["value"], strict=True))


def errors(path: Path, **kw: Any) -> list[tuple[int, str, str]]:
    p = read_table(path, **kw).problems
    p = p[p["severity"] == "error"]
    return list(zip(p["row"].astype(int), p["column"], p["text"], strict=True))


def test_a_header_merged_as_tables_write_it_reads_as_before(tmp_path: Path):
    path = book(tmp_path / "t.xlsx", {"Biểu 01": [*HEADER, *BODY]})
    result = read_table(path)
    assert result.problems.empty
    assert values(path, "plan") == {"tt01": 55.0, "tt02": 12.0}
    assert values(path, "result") == {"tt01": 56.0, "tt02": 11.0}


def test_hidden_rows_and_columns_up_to_the_last_cell(tmp_path: Path):
    def hide(wb: Any) -> None:
        ws = wb.active
        ws.row_dimensions[4].hidden = True
        ws.row_dimensions[40].hidden = True  # below the table: nothing there
        ws.column_dimensions.group("C", "D", hidden=True)
        ws.column_dimensions["Z"].hidden = True  # right of the table

    path = book(tmp_path / "t.xlsx", {"Biểu 01": [*HEADER, *BODY]}, hide)
    from openpyxl import load_workbook

    ws = load_workbook(path).active
    assert (hidden_rows(ws), hidden_columns(ws)) == (frozenset({4}), frozenset({2, 3}))
    assert [column_letter(j) for j in sorted(hidden_columns(ws))] == ["C", "D"]


def test_a_hidden_row_is_left_out_of_the_rows(tmp_path: Path):
    path = book(tmp_path / "t.xlsx", {"Biểu 01": [*HEADER, *BODY]}, lambda wb: _hide_row(wb, 4))
    source = read_source(path)
    assert next(r for r in source.rows if r.row == 4).empty
    assert [(c.row, c.index, c.text) for c in source.left_out] == [
        (4, 0, "2"),
        (4, 1, "Số xã đạt chuẩn nông thôn mới"),
        (4, 2, "10 xã"),
        (4, 3, "12 xã"),
        (4, 4, "11 xã"),
    ]
    assert values(path, "plan") == {"tt01": 55.0}


def _hide_row(wb: Any, row: int) -> None:
    wb.active.row_dimensions[row].hidden = True


def test_a_hidden_column_names_its_cells_by_its_header(tmp_path: Path):
    def hide(wb: Any) -> None:
        wb.active.column_dimensions["C"].hidden = True

    path = book(tmp_path / "t.xlsx", {"Biểu 01": [*HEADER, *BODY]}, hide)
    assert errors(path) == [
        (3, "Kết quả thực hiện năm 2023", "50 triệu đồng"),
        (4, "Kết quả thực hiện năm 2023", "10 xã"),
    ]
    obs = read_table(path).observations
    assert set(obs["year"]) == {2024}  # nothing of 2023 was read


def test_a_hidden_tt_column_is_named(tmp_path: Path):
    def hide(wb: Any) -> None:
        wb.active.column_dimensions["A"].hidden = True

    path = book(tmp_path / "t.xlsx", {"Biểu 01": [*HEADER, *BODY]}, hide)
    with pytest.raises(InputFileError, match=r"t.xlsx, row 1: the 'tt' column \('TT'\) is hidden in the workbook"):
        read_table(path)


def test_a_hidden_column_of_the_preamble_is_not_read(tmp_path: Path):
    rows = [["Biểu tổng hợp", None, None, None, None, None, None, "05/02 chỉ tiêu không đạt"], *HEADER, *BODY]

    def hide(wb: Any) -> None:
        wb.active.column_dimensions["H"].hidden = True

    path = book(tmp_path / "t.xlsx", {"Biểu 01": rows}, hide)
    result = read_table(path)
    assert "published_headline" not in set(result.observations["kind"])
    assert errors(path) == [(1, "column 8", "05/02 chỉ tiêu không đạt")]


def test_a_merge_over_rows_fills_the_rows_below_and_stops_at_the_range(tmp_path: Path):
    rows = [
        *HEADER,
        ["1", "Tỷ lệ trường đạt chuẩn", "60%", "70%", "72%", None],
        ["2", "Tỷ lệ trạm y tế đạt chuẩn", "65%", None, "68%", None],
        ["3", "Tỷ lệ thôn có nhà văn hóa", "80%", None, "85%", None],
        ["4", "Tỷ lệ hộ dùng nước sạch", "90%", "95%", "96%", None],
    ]

    def merge(wb: Any) -> None:
        wb.active.merge_cells("D3:D5")

    path = book(tmp_path / "t.xlsx", {"Biểu 01": rows}, merge)
    assert values(path, "plan") == {"tt01": 70.0, "tt02": 70.0, "tt03": 70.0, "tt04": 95.0}
    assert errors(path) == []


def test_a_merge_over_rows_does_not_reach_a_hidden_row(tmp_path: Path):
    rows = [*HEADER, *BODY, ["3", "Số hộ thoát nghèo", "100 hộ", None, "120 hộ", None]]

    def edit(wb: Any) -> None:
        wb.active.merge_cells("D4:D5")
        wb.active.row_dimensions[4].hidden = True

    path = book(tmp_path / "t.xlsx", {"Biểu 01": rows}, edit)
    # the merge starts in the hidden row: its value is not read, nor given to row 5
    assert values(path, "plan") == {"tt01": 55.0}


def test_a_section_title_merged_across_the_row_is_still_a_section(tmp_path: Path):
    rows = [*HEADER, ["I", "KINH TẾ", None, None, None, None], *BODY]

    def merge(wb: Any) -> None:
        wb.active.merge_cells("B3:F3")

    path = book(tmp_path / "t.xlsx", {"Biểu 01": rows}, merge)
    result = read_table(path)
    assert result.problems.empty
    assert list(result.catalogue["section"]) == ["I. KINH TẾ", "I. KINH TẾ"]


def test_an_error_value_and_a_number_in_the_same_row(tmp_path: Path):
    rows = [*HEADER, ["1", "Thu nhập bình quân đầu người", "50 triệu đồng", "#DIV/0!", "56 triệu đồng", None]]
    path = book(tmp_path / "t.xlsx", {"Biểu 01": rows})
    assert values(path, "plan") == {}
    assert values(path, "result") == {"tt01": 56.0}
    [(row, column, text)] = errors(path)
    assert (row, column, text) == (3, "Năm 2024 / Kế hoạch", "#DIV/0!")
    reason = read_table(path).problems["reason"].iloc[0]
    assert reason.startswith("Biểu 01!D3: the Excel error value #DIV/0! (division by zero)")


@pytest.mark.parametrize(
    ("states", "active", "read"),
    [
        ({"A": "visible", "B": "visible"}, 1, "B"),  # the active sheet holds a table
        ({"A": "hidden", "B": "visible"}, 1, "B"),
        ({"A": "visible", "B": "visible", "C": "visible"}, 2, "A"),  # the active one is empty: the first table
        ({"A": "veryHidden", "B": "visible", "C": "visible"}, 2, "B"),
    ],
)
def test_which_sheet_is_read(tmp_path: Path, states: dict[str, str], active: int, read: str):
    sheets: dict[str, list[list[Any]]] = {name: [*HEADER, *BODY] for name in "AB"}
    if "C" in states:
        sheets["C"] = []

    def edit(wb: Any) -> None:
        for name, state in states.items():
            wb[name].sheet_state = state
        wb.active = active

    path = book(tmp_path / "t.xlsx", sheets, edit)
    source = read_source(path, looks_like_table=lambda rows: any(r.cells and r.cells[0] == "TT" for r in rows))
    assert source.sheet == read
    assert {(s.sheet, s.hidden) for s in source.skipped} == {
        (name, states[name] != "visible") for name in "AB" if name != read
    }


def test_a_workbook_without_a_visible_sheet_is_refused(tmp_path: Path):
    import re
    import zipfile

    path = book(tmp_path / "t.xlsx", {"A": [*HEADER, *BODY]})
    with zipfile.ZipFile(path) as z:  # openpyxl will not write it, nor Excel: a damaged file
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/workbook.xml"] = re.sub(
        rb'(<sheet [^>]*name="A"[^>]*state=")visible', rb"\1hidden", parts["xl/workbook.xml"]
    )
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    with pytest.raises(InputFileError, match=r"t\.xlsx: has no visible sheet"):
        read_table(path)
