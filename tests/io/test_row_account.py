"""Every row of a table accounted for (issue 18, item 6): rows in the source = rows judged +
rows reported, on every table file of the tests and the shipped seed table. (Tables the tests
write are checked as they are read, by the autouse fixture of ``tests/conftest.py``.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import paths
from analysis.analyses.selection import evaluate_selection, select_indicators
from analysis.io.ingest import read_table
from analysis.io.row_account import NOTHING_MADE, account_rows

FIXTURES = Path(__file__).parents[1] / "fixtures"
TABLES = sorted(
    [
        *FIXTURES.glob("*.txt"),
        *(FIXTURES / "tables").glob("*.txt"),
        *(FIXTURES / "tables").glob("*.tsv"),
        *(FIXTURES / "tables").glob("*.xlsx"),
        paths.RAW / "000_ca595b78d09ccdc2.txt",
    ]
)


@pytest.mark.parametrize("path", TABLES, ids=[p.name for p in TABLES])
def test_every_row_is_judged_or_reported(path: Path):
    result = read_table(path)
    sel = select_indicators(unit=None, year=None, table=path)
    ev = evaluate_selection(sel)
    account = account_rows(result.meta, evaluated=set(ev["indicator_id"]))
    assert account.balanced
    assert len(account.source) == len(account.judged) + len(account.reported)
    # each judged row is one row of the evaluation, and the evaluation has no other row
    assert sorted(account.judged.values()) == sorted(ev["indicator_id"])
    # every reported row says why, and a row not read is one the problems name
    assert NOTHING_MADE not in account.reported.values()
    assert not any("not in the evaluation" in r for r in account.reported.values())
    named = set(result.problems["row"].dropna().astype(int))
    for row, reason in account.reported.items():
        assert reason.startswith("section heading") or row in named, (row, reason)


def test_seed_000_every_row_is_an_indicator():
    # seed 000: 26 numbered indicators, TT 1 to 26 (rows 11 to 40 of the file, headings above)
    account = account_rows(read_table(paths.RAW / "000_ca595b78d09ccdc2.txt").meta)
    assert account.summary() == "26 row(s) in the table: 26 judged, 0 reported"


def test_headings_and_rows_not_read_are_reported_by_row(tmp_path: Path):
    text = (
        "TT\tNội dung chỉ tiêu\tKế hoạch năm 2025\tThực hiện năm 2025\n"
        "I\tKinh tế\t\t\n"
        "1\tThu nhập bình quân đầu người (triệu đồng)\t55\t56\n"
        "\tGhi nhận riêng\t\t\n"
        "x\tSố xã đạt chuẩn\t12\t11\n"
    )
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    account = account_rows(read_table(path).meta)
    assert account.summary() == "4 row(s) in the table: 1 judged, 3 reported"
    assert account.reported == {
        2: "section heading 'I. Kinh tế'",
        4: "row has no TT (indicator number): not read",
        5: "TT 'x' is not a number: row not read",
    }
