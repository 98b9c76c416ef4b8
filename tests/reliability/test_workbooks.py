"""Workbooks as people save them: hidden rows, columns and sheets, merged cells, error values
Excel saved, formulas without a saved result, and numbers grouped by spaces. Each ends in the
figure a reader of the visible sheet sees, or in a problem naming the sheet and cell; never in
a figure read from something hidden or from an error, and never in "0 problem(s)" when a cell
was left out (``ingest`` and ``evaluate --table`` exit 1 and list it)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reliability.kit import BODY, HEADER, Outcome, cli, table_text, write

PLAN, RESULT = "Năm 2024 / Kế hoạch", "Năm 2024 / Kết quả"


def book(
    path: Path,
    sheets: dict[str, list[list[Any]]],
    edit: Callable[[Any], None] | None = None,
) -> Path:
    """A workbook of ``sheets`` (title → rows from A1), changed by ``edit(workbook)``."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    if edit is not None:
        edit(wb)
    wb.save(path)
    return path


def cache(path: Path, values: dict[str, str], sheet: int = 1) -> Path:
    """Give formulas of sheet number ``sheet`` the results Excel would have saved with them
    (openpyxl writes an empty ``<v/>``, or ``<v></v>`` when lxml is installed):
    ``{"D5": "#DIV/0!"}`` (an error) or ``{"D5": "55"}`` (a number), written into the XML."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    name = f"xl/worksheets/sheet{sheet}.xml"
    xml = parts[name].decode()
    for ref, value in values.items():
        kind = ' t="e"' if value.startswith("#") else ""
        xml, n = re.subn(
            rf'<c r="{ref}"([^>]*)><f>([^<]*)</f>(?:<v\s*/>|<v></v>)',
            rf'<c r="{ref}"\1{kind}><f>\2</f><v>{value}</v>',
            xml,
        )
        assert n == 1, (ref, xml)
    parts[name] = xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    return path


def problems(got: Outcome) -> list[str]:
    return [line.strip() for line in got.out.splitlines()[1:] if line.startswith("  ")]


def evaluated(path: Path, *extra: str) -> tuple[Outcome, dict[str, dict[str, str]]]:
    """``evaluate --table PATH --format csv``: the outcome and the rows by TT."""
    got = cli("evaluate", "--table", path, "--format", "csv", *extra)
    return got, {r["tt"]: r for r in csv.DictReader(io.StringIO(got.out))} if got.code in (0, 1) else {}


# -- hidden columns ----------------------------------------------------------------------------

#: A draft plan kept in a hidden column D beside the plan adopted (E): "Năm 2024" is merged over
#: D1:F1, as tables write a group heading.
DRAFT_PLAN = [
    ["TT", "Nội dung chỉ tiêu", "Kết quả thực hiện năm 2023", "Năm 2024", "", "", "Ghi chú"],
    ["", "", "", "Kế hoạch", "Kế hoạch", "Kết quả", ""],
    ["1", "Thu nhập bình quân đầu người", "50 triệu đồng", "60 triệu đồng", "55 triệu đồng", "56 triệu đồng", ""],
    ["2", "Số xã đạt chuẩn nông thôn mới", "10 xã", "13 xã", "12 xã", "12 xã", ""],
]


def _hide_draft_plan(wb: Any) -> None:
    ws = wb.active
    ws.merge_cells("D1:F1")
    ws.column_dimensions["D"].hidden = True


def test_a_hidden_column_is_not_read_and_its_cells_are_listed(tmp_path: Path):
    path = book(tmp_path / "t.xlsx", {"Biểu 01": DRAFT_PLAN}, _hide_draft_plan)
    got = cli("ingest", path)
    assert got.code == 1, got.out + got.err
    assert problems(got) == [
        f"error: t.xlsx, row {r}, column {PLAN!r}: Biểu 01!D{r}: in a hidden column of the workbook: not read "
        f"(unhide column D if it belongs to the table) — {text!r}"
        for r, text in ((3, "60 triệu đồng"), (4, "13 xã"))
    ]
    assert got.out.splitlines()[0].endswith("2 problem(s)")
    assert got.error_lines == ["error: 2 cell(s) of t.xlsx not read (rows 3, 4); they are listed above"]


def test_evaluate_uses_the_visible_plan_not_the_hidden_one(tmp_path: Path):
    path = book(tmp_path / "t.xlsx", {"Biểu 01": DRAFT_PLAN}, _hide_draft_plan)
    got, rows = evaluated(path)
    assert got.code == 1
    # 56 / 55 = 101,82 %: Vượt (the hidden draft 60 would give 93,33 %, Không đạt); 12 / 12: Đạt
    assert (rows["1"]["plan"], rows["1"]["status"], rows["2"]["plan"], rows["2"]["status"]) == (
        "55.0",
        "Vượt",
        "12.0",
        "Đạt",
    )
    assert got.error_lines[0].startswith(
        f"warning: 2 cell(s) of t.xlsx could not be used and are left out of what follows (first: row 3, column {PLAN!r}: "
        "Biểu 01!D3: in a hidden column"
    )


# -- hidden rows -------------------------------------------------------------------------------

DRAFT_ROW = ["4", "Tỷ lệ trường đạt chuẩn quốc gia", "60%", "65%", "50%", ""]


def test_a_hidden_row_is_not_judged_nor_counted(tmp_path: Path):
    def hide(wb: Any) -> None:
        wb.active.row_dimensions[6].hidden = True

    path = book(tmp_path / "t.xlsx", {"Biểu 01": [*HEADER, *BODY, DRAFT_ROW]}, hide)
    got = cli("evaluate", "--table", path)
    assert got.code == 1
    # the three visible rows: only row 3 (11 of 12 communes) is not achieved; the hidden draft
    # (50 % against 65 %) would make it 02/04
    assert "Năm 2024: 01/03 chỉ tiêu không đạt" in got.out
    assert "Tỷ lệ trường" not in got.out
    listed = problems(cli("ingest", path))
    columns = ["TT", "Nội dung chỉ tiêu", "Kết quả thực hiện năm 2023", PLAN, RESULT]
    assert listed == [
        f"error: t.xlsx, row 6, column {c!r}: Biểu 01!{letter}6: in a hidden row of the workbook: not read "
        f"(unhide row 6 if it belongs to the table) — {text!r}"
        for c, letter, text in zip(columns, "ABCDE", DRAFT_ROW)
    ]


# -- hidden sheets -----------------------------------------------------------------------------

OLD = [*HEADER, ["1", "Thu nhập bình quân đầu người", "50 triệu đồng", "55 triệu đồng", "40 triệu đồng", ""]]


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_first_sheet_is_not_read(tmp_path: Path, state: str):
    def hide(wb: Any) -> None:
        wb["Cũ"].sheet_state = state
        wb.active = 1

    path = book(tmp_path / "t.xlsx", {"Cũ": OLD, "Biểu 01": [*HEADER, *BODY]}, hide)
    got = cli("ingest", path)
    assert got.code == 0
    assert got.out.splitlines()[0].startswith(f"{path} (sheet 'Biểu 01'): 3 indicators")
    assert problems(got) == [
        (
            "warning: t.xlsx, row 1, column '': the workbook's sheet 'Cũ' is hidden and has content: not read "
            "(hidden sheets are never read; unhide it in the workbook if it is the table) — "
            "'TT Nội dung chỉ tiêu Kết quả thực hiện năm 2023 Năm 2024 Ghi chú'"
        )
    ]
    _, rows = evaluated(path)
    assert (rows["1"]["result"], rows["1"]["status"]) == ("56.0", "Vượt")  # not the hidden 40


def test_the_active_sheet_is_read_when_it_holds_a_table(tmp_path: Path):
    def activate(wb: Any) -> None:
        wb.active = 1

    path = book(tmp_path / "t.xlsx", {"Bản cũ": OLD, "Biểu 01": [*HEADER, *BODY]}, activate)
    got = cli("ingest", path)
    assert got.code == 0
    assert got.out.splitlines()[0].startswith(f"{path} (sheet 'Biểu 01'): 3 indicators")
    assert problems(got)[0].startswith(
        "warning: t.xlsx, row 1, column '': the workbook's sheet 'Bản cũ' has content too and is not read "
        "(read it with --sheet 'Bản cũ')"
    )


def test_an_active_sheet_without_a_table_gives_way_to_the_first_visible_table(tmp_path: Path):
    def hide(wb: Any) -> None:
        wb["Cũ"].sheet_state = "hidden"
        wb.active = 0  # the cover

    path = book(tmp_path / "t.xlsx", {"Bìa": [["BÁO CÁO"]], "Cũ": OLD, "Biểu 01": [*HEADER, *BODY]}, hide)
    got = cli("ingest", path)
    assert got.out.splitlines()[0].startswith(f"{path} (sheet 'Biểu 01'): 3 indicators")


def test_a_hidden_sheet_asked_for_is_refused(tmp_path: Path):
    def hide(wb: Any) -> None:
        wb["Cũ"].sheet_state = "hidden"

    path = book(tmp_path / "t.xlsx", {"Biểu 01": [*HEADER, *BODY], "Cũ": OLD}, hide)
    for got in (cli("ingest", path, "--sheet", "Cũ"), cli("evaluate", "--table", path, "--sheet", "Cũ")):
        assert (got.code, got.error_lines) == (
            2,
            [
                (
                    "error: t.xlsx: the sheet 'Cũ' is hidden in the workbook: hidden sheets are not read; "
                    "unhide it in the workbook if it is the table to read"
                )
            ],
        )


# -- merged cells ------------------------------------------------------------------------------


def test_a_plan_merged_over_two_rows_reaches_both(tmp_path: Path):
    rows = [
        *HEADER,
        *BODY,
        ["4", "Tỷ lệ trường đạt chuẩn quốc gia", "60%", "70%", "72%", ""],
        ["5", "Tỷ lệ trạm y tế đạt chuẩn", "65%", None, "68%", ""],
    ]

    def merge(wb: Any) -> None:
        wb.active.merge_cells("D6:D7")

    path = book(tmp_path / "t.xlsx", {"Biểu 01": rows}, merge)
    got, by_tt = evaluated(path)
    assert got.code == 0, got.err
    # 72 / 70 = 102,86 %: Vượt; 68 / 70 = 97,14 %: Không đạt (row 7 has no plan of its own)
    assert [(by_tt[t]["plan"], by_tt[t]["status"]) for t in ("4", "5")] == [("70.0", "Vượt"), ("70.0", "Không đạt")]
    assert by_tt["5"]["attainment_pct"].startswith("97.14")


def test_a_figure_merged_over_the_plan_and_the_result_is_not_guessed(tmp_path: Path):
    rows = [*HEADER, *BODY[:2], ["3", "Số xã đạt chuẩn nông thôn mới", "10 xã", "12 xã", None, ""]]

    def merge(wb: Any) -> None:
        wb.active.merge_cells("D5:E5")

    path = book(tmp_path / "t.xlsx", {"Biểu 01": rows}, merge)
    got = cli("ingest", path)
    assert got.code == 1
    assert problems(got) == [
        (
            f"error: t.xlsx, row 5, column {PLAN!r}: Biểu 01!D5:E5: one merged cell over the columns {PLAN!r} and "
            f"{RESULT!r}: which of them it gives is not clear; not read (unmerge it and type the figure in each "
            "column) — '12 xã'"
        )
    ]


# -- error values and formulas without a saved result ----------------------------------------


@pytest.mark.parametrize(
    ("code", "meaning"),
    [
        ("#DIV/0!", "division by zero"),
        ("#N/A", "no value available"),
        ("#VALUE!", "a value of the wrong type"),
        ("#REF!", "a reference to a cell that no longer exists"),
        ("#NAME?", "a name Excel does not know"),
        ("#NUM!", "a number that cannot be computed"),
        ("#NULL!", "ranges that do not intersect"),
    ],
)
def test_a_cached_error_value_is_a_problem_naming_the_cell_never_a_number(tmp_path: Path, code: str, meaning: str):
    rows = [*HEADER, *BODY[:2], ["3", "Số xã đạt chuẩn nông thôn mới", "10 xã", "=C5/0", "11 xã", ""]]
    path = cache(book(tmp_path / "t.xlsx", {"Biểu 01": rows}), {"D5": code})
    got = cli("ingest", path)
    assert got.code == 1
    assert problems(got) == [
        (
            f"error: t.xlsx, row 5, column {PLAN!r}: Biểu 01!D5: the Excel error value {code} ({meaning}), not a "
            f"figure: not read; correct the formula or type the figure — {code!r}"
        )
    ]
    got, rows_by_tt = evaluated(path)
    assert got.code == 1
    # no plan: the status is not determined, never "Vượt" against a plan of 0
    assert (rows_by_tt["3"]["plan"], rows_by_tt["3"]["status"]) == ("", "Chưa xác định")


def test_a_cached_number_of_a_formula_is_read(tmp_path: Path):
    rows = [*HEADER, *BODY[:2], ["3", "Số xã đạt chuẩn nông thôn mới", "10 xã", "=C5+2", "11 xã", ""]]
    path = cache(book(tmp_path / "t.xlsx", {"Biểu 01": rows}), {"D5": "12"})
    got, by_tt = evaluated(path)
    assert (got.code, by_tt["3"]["plan"], by_tt["3"]["status"]) == (0, "12.0", "Không đạt")


def test_an_error_value_in_a_text_table_is_not_a_number(tmp_path: Path):
    rows = [*HEADER, *BODY[:2], ["3", "Số xã đạt chuẩn nông thôn mới", "10 xã", "#DIV/0!", "11 xã", ""]]
    got = cli("ingest", write(tmp_path / "t.txt", table_text(rows)))
    assert got.code == 1
    assert problems(got) == [
        (
            f"error: t.txt, row 5, column {PLAN!r}: the Excel error value #DIV/0! (division by zero), not a figure: "
            "not read; correct the formula or type the figure — '#DIV/0!'"
        )
    ]


# -- numbers grouped by spaces -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("94 800 lượt người", 94800.0),
        ("94\u00a0800 lượt người", 94800.0),
        ("1\u202f234\u202f567 lượt người", 1234567.0),
        ("1 234 567 lượt người", 1234567.0),
    ],
)
def test_thousands_grouped_by_spaces_are_one_number(tmp_path: Path, cell: str, value: float):
    rows = [*HEADER, ["1", "Số lượt khách du lịch", "90.000 lượt người", "95.000 lượt người", cell, ""]]
    path = write(tmp_path / "t.txt", table_text(rows))
    got, by_tt = evaluated(path)
    assert got.code == 0, got.err
    assert float(by_tt["1"]["result"]) == value


def test_a_decimal_after_space_groups_is_read(tmp_path: Path):
    rows = [*HEADER, ["1", "Diện tích trồng rừng mới", "1 100 ha", "1 200 ha", "1 234,5 ha", ""]]
    got, by_tt = evaluated(write(tmp_path / "t.txt", table_text(rows)))
    assert got.code == 0, got.err
    assert [float(by_tt["1"][k]) for k in ("previous", "plan", "result")] == [1100.0, 1200.0, 1234.5]


def test_numbers_a_space_cannot_join_are_ambiguous(tmp_path: Path):
    rows = [*HEADER, *BODY[:2], ["3", "Số xã đạt chuẩn nông thôn mới", "10 xã", "12 5 xã", "11 xã", ""]]
    got = cli("ingest", write(tmp_path / "t.txt", table_text(rows)))
    assert problems(got) == [
        (
            f"ambiguous: t.txt, row 5, column {PLAN!r}: TT 3: '12 5' are two numbers or one written with a space "
            "between its digits, but a space groups thousands only in threes (94 800, 1 234 567): resolve it "
            "in the curated data — '12 5 xã'"
        )
    ]
    _, by_tt = evaluated(write(tmp_path / "t.txt", table_text(rows)))
    assert (by_tt["3"]["plan"], by_tt["3"]["status"]) == ("", "Chưa xác định")
