"""The target grammar: each wording of the issue and of the seeds, read by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import DataValidationError
from analysis.io.grammar import load_grammar, load_status_words, parse_target, status_from_words
from analysis.io.schema import Status

N = None  # an open bound
# wording → (kind, low, high, strict, direction the wording says, period), worked by hand
WORDINGS = [
    ("≥ 90%", ("at_least", 90, N, False, "higher", "")),
    ("Từ 90% trở lên", ("at_least", 90, N, False, "higher", "")),
    ("Trên 70%", ("above", 70, N, True, "higher", "")),
    ("Không quá 5 vụ", ("at_most", N, 5, False, "lower", "")),
    ("Tối đa 12 vụ", ("at_most", N, 12, False, "lower", "")),
    ("Dưới 2%", ("below", N, 2, True, "lower", "")),
    ("Khoảng 1.500 tỷ đồng", ("about", 1425, 1575, False, "", "")),  # ± 5% (params/defaults.yaml)
    ("12-14 tiêu chí", ("range", 12, 14, False, "", "")),
    ("Khoảng 6-6,5%", ("range", 6, 6.5, False, "", "")),  # a range written "about" is a range
    ("Giảm xuống còn 3%", ("down_to", N, 3, False, "lower", "")),
    ("Còn dưới 3%", ("down_to", N, 3, True, "lower", "")),
    ("Giảm 1,5%", ("reduce_by", N, N, False, "lower", "")),
    ("Giảm 10% so với năm trước", ("reduce_by", N, N, False, "lower", "")),
    ("Giảm 5% trở lên", ("reduce_by", N, N, False, "lower", "")),  # a reduction, not a floor of 5
    ("Giảm trên 1%", ("reduce_by", N, N, True, "lower", "")),
    ("Tăng 12%", ("increase_by", N, N, False, "higher", "")),
    ("Duy trì 100%", ("maintain", 100, 100, False, "", "")),
    ("Duy trì 42%", ("maintain", 42, 42, False, "", "")),
    ("Tăng so với cùng kỳ", ("relative", N, N, True, "higher", "")),
    ("Giảm so với năm trước", ("relative", N, N, True, "lower", "")),
    ("Kiểm chế số vụ, số người chết do TNGT", ("relative", N, N, False, "lower", "")),
    ("Hàng năm đạt 1.200ha", ("point", 1200, 1200, False, "", "every_year")),
    ("80ha/năm", ("point", 80, 80, False, "", "per_year")),
    ("94.800 lượt người", ("point", 94800, 94800, False, "", "")),
    ("Giữ vững ổn định", ("words", N, N, False, "", "")),
    ("", ("words", N, N, False, "", "")),
]


@pytest.mark.parametrize(("text", "expected"), WORDINGS, ids=[w for w, _ in WORDINGS])
def test_wording_gives_kind_bounds_and_strictness(text: str, expected: tuple[object, ...]) -> None:
    t = parse_target(text, about_tolerance_pct=5)
    assert (t.kind, t.low, t.high, t.strict, t.direction, t.period) == expected


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Giảm 10% so với năm trước", 10, "%"),
        ("Giảm tai nạn giao thông cả 3 tiêu chí từ 5% trở lên", 5, "%"),  # seed row 19: the rate, not "3"
        ("Không quá 5 vụ", 5, "vụ"),
        ("Khoảng 1.500 tỷ đồng", 1500, "tỷ đồng"),
        ("80ha/năm", 80, "ha"),
    ],
)
def test_the_figure_and_its_unit(text: str, value: float, unit: str) -> None:
    t = parse_target(text)
    assert (t.value, t.measure_unit) == (value, unit)


def test_about_takes_its_tolerance_from_the_parameter() -> None:
    t = parse_target("Khoảng 4%", about_tolerance_pct=10)
    assert (t.low, t.high) == pytest.approx((3.6, 4.4))


def test_every_example_of_the_grammar_file_reads_as_its_own_rule() -> None:
    rules = pd.read_csv(Path(__file__).parents[2] / "data" / "target_grammar.csv", dtype=str, keep_default_na=False)
    for r in rules.itertuples():
        t = parse_target(r.example)
        got = t.kind if r.field == "kind" else t.period
        assert got == r.value, f"{r.example!r} reads as {got!r}, its row says {r.value!r}"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bad_grammar_row_is_an_error_naming_row_and_column(tmp_path: Path) -> None:
    head = "field,priority,pattern,value,strict,direction,direction_priority,example,note\n"
    bad_kind = _write(tmp_path, "g1.csv", head + "kind,1,\\d,ceiling,false,,,5,\n")
    with pytest.raises(DataValidationError, match=r"g1.csv: row 2, column 'value': 'ceiling' is not one of point"):
        load_grammar(bad_kind)
    bad_regex = _write(tmp_path, "g2.csv", head + "kind,1,(,point,false,,,5,\n")
    with pytest.raises(DataValidationError, match=r"row 2, column 'pattern': '\(' is not a valid regular expression"):
        load_grammar(bad_regex)
    missing = _write(tmp_path, "g3.csv", "field,pattern\nkind,x\n")
    with pytest.raises(DataValidationError, match="missing columns: priority"):
        load_grammar(missing)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("Vượt", (Status.EXCEEDED, False)),
        ("Đạt", (Status.ACHIEVED, False)),
        ("Không đạt", (Status.NOT_ACHIEVED, False)),
        ("Chưa đạt", (Status.NOT_ACHIEVED, False)),
        ("Dự kiến vượt", (Status.EXCEEDED, True)),
        ("Dự kiến đạt", (Status.ACHIEVED, True)),
        ("Dự kiến không đạt", (Status.NOT_ACHIEVED, True)),
        ("Ước đạt", (Status.ACHIEVED, True)),
        ("Cơ bản đạt", (Status.ACHIEVED, False)),
        ("Giữ vững", (Status.ACHIEVED, False)),
        ("đúng hướng", None),
        ("33 vụ", None),
    ],
)
def test_status_words(words: str, expected: tuple[Status, bool] | None) -> None:
    assert status_from_words(words) == expected


def test_a_bad_status_word_row_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "w.csv", "priority,pattern,status,estimate,example,note\n1,^tốt,Tốt,false,tốt,\n")
    with pytest.raises(DataValidationError, match=r"w\.csv: row 2, column 'status': 'Tốt' is not one of Vượt, Đạt"):
        load_status_words(path)
