"""Vietnamese numbers: parse_number, parse_cell and the formatting round trip."""

from __future__ import annotations

import math
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.io.numbers import format_number, parse_cell, parse_number, round_half_up

# --- parse_number ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("94.800", 94800.0),  # a dot groups thousands
        ("1.000.000", 1_000_000.0),  # several groups
        ("13.517", 13517.0),  # one group: thousands at token level (ambiguity is per cell)
        ("47,4", 47.4),  # a comma marks decimals
        ("50,494", 50.494),
        ("1.231,69", 1231.69),  # both
        ("07", 7.0),  # leading zero as in "07 vụ"
        ("0", 0.0),
        ("-1,5", -1.5),
        ("\u22123", -3.0),  # the typographic minus
        (" 12 ", 12.0),
        ("1234", 1234.0),  # no grouping at all is fine
        ("1 000", 1000.0),  # a space groups thousands too
        ("94\u00a0800", 94800.0),  # a no-break space
        ("1\u202f234\u202f567", 1234567.0),  # a narrow no-break space
        ("1 234,5", 1234.5),
    ],
)
def test_parse_number(token: str, expected: float) -> None:
    assert parse_number(token) == expected


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc",
        "1.23",
        "1.2345",
        "1..000",
        "1,2,3",
        "1,",
        ",5",
        "12%",
        "12 5",
        "1 23",
        "1234 567",
        "0 500",
        "12.000,5.3",
        "--1",
    ],
)
def test_parse_number_rejects(token: str) -> None:
    with pytest.raises(ValueError, match="is not a number in Vietnamese notation") as info:
        parse_number(token)
    assert repr(token) in str(info.value)


# --- parse_cell: one table per rule ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "decimals"),
    [
        # thousands dots
        ("94.800 lượt người", 94800.0, "lượt người", 0),
        ("200.000 lượt người", 200000.0, "lượt người", 0),
        ("1.500 triệu đồng", 1500.0, "triệu đồng", 0),
        # decimal commas, decimals as written
        ("47,4 tỷ đồng", 47.4, "tỷ đồng", 1),
        ("50,494 tỷ đồng", 50.494, "tỷ đồng", 3),
        ("64,30%", 64.3, "%", 2),
        ("100,0%", 100.0, "%", 1),
        ("66,66%", 66.66, "%", 2),
        ("12%", 12.0, "%", 0),
        ("-1,5%", -1.5, "%", 1),
        # both, and units glued or spaced
        ("1.231,69ha", 1231.69, "ha", 2),
        ("1.200ha", 1200.0, "ha", 0),
        ("97.000 lượt người", 97000.0, "lượt người", 0),
        ("12 %", 12.0, "%", 0),
        ("8 bác sỹ/vạn dân", 8.0, "bác sỹ/vạn dân", 0),
        ("8 bác sĩ/vạn dân", 8.0, "bác sỹ/vạn dân", 0),  # spelling variant, one unit
        ("12 tỉ đồng", 12.0, "tỷ đồng", 0),  # Tỉ/Tỷ
        ("15,139 Triệu USD", 15.139, "triệu USD", 3),
        ("13,52 tiêu chí", 13.52, "tiêu chí", 2),
        ("2 xã", 2.0, "xã", 0),
        ("07 vụ", 7.0, "vụ", 0),  # leading zero
        ("80ha/năm", 80.0, "ha/năm", 0),
        ("100", 100.0, "", 0),  # no unit written
        ("3 hội viên", 3.0, "", 0),  # unknown words are not a unit
    ],
)
def test_parse_cell_numbers_and_units(text: str, value: float, unit: str, decimals: int) -> None:
    cell = parse_cell(text)
    assert (cell.value, cell.measure_unit, cell.decimals) == (value, unit, decimals)
    assert not cell.is_text and not cell.ambiguous


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier", "words"),
    [
        ("Duy trì 42%", 42.0, "%", "duy trì", "Duy trì"),
        ("Giảm 5% trở lên", 5.0, "%", "giảm", "Giảm trở lên"),
        ("Hàng năm đạt 1.200ha", 1200.0, "ha", "hàng năm", "Hàng năm đạt"),
        ("80ha/năm", 80.0, "ha/năm", "/năm", ""),
        ("Toàn huyện có 27 trường", 27.0, "trường", None, "Toàn huyện có"),
        ("Tương đương số vụ trong năm tối đa 30 vụ", 30.0, "vụ", "tối đa", "Tương đương số vụ trong năm tối đa"),
        ("phải đạt ít nhất 114,9ha", 114.9, "ha", "ít nhất", "phải đạt ít nhất"),
        # a change qualifier picks the percentage over a count ("cả 3 tiêu chí")
        (
            "Giảm tai nạn giao thông cả 3 tiêu chí từ 5% trở lên",
            5.0,
            "%",
            "giảm",
            "Giảm tai nạn giao thông cả từ trở lên",
        ),
    ],
)
def test_parse_cell_words(text: str, value: float, unit: str, qualifier: str | None, words: str) -> None:
    cell = parse_cell(text)
    assert (cell.value, cell.measure_unit, cell.qualifier, cell.words) == (value, unit, qualifier, words)


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("14-16 tiêu chí", 14.0, 16.0, "tiêu chí"),
        ("14 – 16 tiêu chí", 14.0, 16.0, "tiêu chí"),  # en dash, spaced
        ("1.200-1.500ha", 1200.0, 1500.0, "ha"),
        ("95 -98%", 95.0, 98.0, "%"),
    ],
)
def test_parse_cell_ranges(text: str, low: float, high: float, unit: str) -> None:
    cell = parse_cell(text)
    assert (cell.value, cell.value_high, cell.measure_unit) == (low, high, unit)


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("Không đạt", "không đạt"),
        ("Kiểm chế số vụ, số người chết và số người bị thương do TNGT", None),
        ("Giữ vững", None),
        ("năm 2023", None),  # a year is not a value
        ("Đạt chuẩn giai đoạn 2021-2025", None),  # nor a span of years
    ],
)
def test_parse_cell_text_only(text: str, qualifier: str | None) -> None:
    cell = parse_cell(text)
    assert cell.is_text and cell.value is None and cell.details == ()
    assert cell.qualifier == qualifier


def test_parse_cell_details_and_years() -> None:
    cell = parse_cell("21 vụ (7 người chết, 18 người bị thương)")
    assert (cell.value, cell.measure_unit) == (21.0, "vụ")
    assert cell.details == ((7.0, "người chết", None), (18.0, "người bị thương", None))
    cell = parse_cell("12% (15,139 triệu USD năm 2024)")
    assert cell.details == ((15.139, "triệu USD", 2024),)
    cell = parse_cell("Tương đương năm 2025 kim ngạch đạt ít nhất là 16,956 triệu USD")
    assert (cell.value, cell.measure_unit, cell.details) == (16.956, "triệu USD", ())


def test_parse_cell_ambiguity_of_row_3() -> None:
    cell = parse_cell("12,0% (Đạt 15,139 triệu USD/13.517 triệu USD năm 2023)")
    assert (cell.value, cell.measure_unit, cell.decimals) == (12.0, "%", 1)
    assert cell.details == ((15.139, "triệu USD", None),)  # nothing guessed for 13.517
    [(token, reason)] = cell.ambiguous
    assert token == "13.517 triệu USD"
    assert "could be 13517" in reason and "13,517" in reason and "'15,139'" in reason


@pytest.mark.parametrize(
    ("text", "ambiguous"),
    [
        ("13.517 triệu USD/15,139 triệu USD", True),  # the main number itself: no value
        ("1.200ha", False),  # alone: thousands
        ("1.200ha, trong đó 1.206,64ha", False),  # the other number confirms the convention
        ("1.500 người; 2,5%", False),  # different units
        ("2.500 tấn và 3,5 tấn", True),
    ],
)
def test_parse_cell_ambiguity_rule(text: str, ambiguous: bool) -> None:
    cell = parse_cell(text)
    assert bool(cell.ambiguous) is ambiguous
    if ambiguous and text.startswith("13.517"):
        assert cell.value is None and cell.details == ((15.139, "triệu USD", None),)


def test_parse_cell_malformed_number_is_listed() -> None:
    cell = parse_cell("6.170.15")
    assert cell.value is None and not cell.is_text
    assert "not a number in Vietnamese notation" in cell.ambiguous[0][1]


def test_parse_cell_normalises_to_nfc() -> None:
    cell = parse_cell(unicodedata.normalize("NFD", "  Duy trì\u00a042% "))
    assert cell.text == "Duy trì 42%" and cell.qualifier == "duy trì"


# --- round trip ------------------------------------------------------------------------------


@given(
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=3),
)
def test_format_then_parse_gives_the_number_back(x: float, decimals: int) -> None:
    assert parse_number(format_number(x, decimals)) == round_half_up(x, decimals)


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False), st.integers(min_value=0, max_value=3))
def test_format_then_parse_cell_keeps_value_and_decimals(x: float, decimals: int) -> None:
    cell = parse_cell(format_number(x, decimals, percent=True))
    assert cell.value == round_half_up(x, decimals)
    assert (cell.measure_unit, cell.decimals) == ("%", decimals)
    assert not cell.ambiguous


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_whole_numbers_round_trip(n: int) -> None:
    assert parse_number(format_number(n)) == n
    assert math.isclose(parse_cell(format_number(n) + " lượt người").value, n)


@pytest.mark.parametrize(("text", "whole"), [("97,000 lượt người", "97000"), ("12,000 vụ", "12000")])
def test_an_english_thousands_comma_in_a_count_is_ambiguous(text, whole):
    cell = parse_cell(text)
    assert cell.value is None and len(cell.ambiguous) == 1
    assert whole in cell.ambiguous[0][1] and "counted whole" in cell.ambiguous[0][1]


@pytest.mark.parametrize(("text", "value"), [("47,4 tỷ đồng", 47.4), ("13,52 tiêu chí", 13.52), ("1.200 vụ", 1200)])
def test_decimal_commas_of_measures_and_dotted_counts_are_not_ambiguous(text, value):
    cell = parse_cell(text)
    assert cell.value == value and cell.ambiguous == ()


# --- thousands grouped by spaces, Excel error values ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "decimals"),
    [
        ("1 234 567", 1234567.0, "", 0),
        ("94 800 lượt người", 94800.0, "lượt người", 0),
        ("94\u00a0800 lượt người", 94800.0, "lượt người", 0),
        ("1\u202f234\u202f567 người", 1234567.0, "người", 0),
        ("1 234,5 ha", 1234.5, "ha", 1),
        ("Duy trì 1 200 ha", 1200.0, "ha", 0),
    ],
)
def test_thousands_grouped_by_spaces_are_one_number(text: str, value: float, unit: str, decimals: int) -> None:
    cell = parse_cell(text)
    assert (cell.value, cell.measure_unit, cell.decimals, cell.ambiguous, cell.details) == (
        value,
        unit,
        decimals,
        (),
        (),
    )


def test_a_range_of_space_grouped_numbers() -> None:
    cell = parse_cell("1 200 - 1 500 ha")
    assert (cell.value, cell.value_high, cell.measure_unit) == (1200.0, 1500.0, "ha")


@pytest.mark.parametrize(
    ("text", "token"),
    [("12 5 xã", "12 5 xã"), ("1 23", "1 23"), ("1234 567 người", "1234 567 người"), ("1 234 5678", "1 234 5678")],
)
def test_numbers_a_space_does_not_group_in_threes_are_ambiguous(text: str, token: str) -> None:
    cell = parse_cell(text)
    assert cell.value is None and cell.details == ()
    [(label, reason)] = cell.ambiguous
    assert label == token and "a space groups thousands only in threes" in reason


def test_a_year_after_a_number_is_not_glued() -> None:
    cell = parse_cell("97.000 lượt người năm 2024")
    assert (cell.value, cell.ambiguous) == (97000.0, ())


@pytest.mark.parametrize("code", ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"])
def test_an_excel_error_value_is_never_a_number(code: str) -> None:
    cell = parse_cell(code)
    assert cell.value is None and not cell.is_text
    assert cell.ambiguous == ((code, f"the Excel error value {code}, not a figure"),)
