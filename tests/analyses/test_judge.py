"""Statuses against targets as worded: a table worked by hand, and the property that a worse
result never gets a better status."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.analyses.judge import change_bound, judge
from analysis.io.grammar import Target, parse_target
from analysis.io.schema import STATUS_RANK, Status, as_estimate, status_level

V, D, K = Status.EXCEEDED, Status.ACHIEVED, Status.NOT_ACHIEVED
nan = math.nan

# (wording, indicator direction, last year, result, estimate, rate, whole) → status, worked by hand
CASES = [
    ("≥ 90%", "higher", nan, 90, False, True, False, D),
    ("≥ 90%", "higher", nan, 92, False, True, False, V),
    ("≥ 90%", "higher", nan, 89.9, False, True, False, K),
    ("≥ 90%", "higher", nan, 92, True, True, False, Status.EXPECTED_EXCEEDED),
    ("Từ 90% trở lên", "lower", nan, 95, False, True, False, V),  # the bound decides, not the indicator
    ("Trên 70%", "higher", nan, 70, False, True, False, K),  # strict: 70 is not above 70
    ("Trên 70%", "higher", nan, 70.1, False, True, False, V),
    ("Không quá 5 vụ", "higher", nan, 5, False, False, True, D),
    ("Không quá 5 vụ", "higher", nan, 4, False, False, True, D),  # a limit kept: Đạt, as officials write
    ("Tối đa 12 vụ", "lower", nan, 13, True, False, True, Status.EXPECTED_NOT_ACHIEVED),
    ("Dưới 2%", "lower", nan, 2, False, True, False, K),
    ("Dưới 2%", "lower", nan, 1.9, False, True, False, D),
    ("Khoảng 1.500 tỷ đồng", "higher", nan, 1425, False, False, False, D),  # 1.500 − 5%
    ("Khoảng 1.500 tỷ đồng", "higher", nan, 1580, False, False, False, V),
    ("Khoảng 1.500 tỷ đồng", "higher", nan, 1400, False, False, False, K),
    ("Khoảng 4%", "lower", nan, 3.6, False, True, False, D),  # CPI well under its ceiling: Đạt
    ("Khoảng 4%", "lower", nan, 4.1, False, True, False, D),
    ("Khoảng 4%", "lower", nan, 4.3, False, True, False, K),
    ("12-14 tiêu chí", "higher", nan, 12, False, False, False, D),
    ("12-14 tiêu chí", "higher", nan, 14, False, False, False, D),
    ("12-14 tiêu chí", "higher", nan, 14.5, False, False, False, V),
    ("12-14 tiêu chí", "higher", nan, 11.9, False, False, False, K),
    ("Giảm xuống còn 3%", "higher", nan, 3, False, True, False, D),  # a level to come down to
    ("Giảm xuống còn 3%", "higher", nan, 2.9, False, True, False, V),
    ("Giảm xuống còn 3%", "higher", nan, 3.1, False, True, False, K),
    ("Còn dưới 3%", "lower", nan, 3, False, True, False, K),
    ("Còn dưới 3%", "lower", nan, 2.99, False, True, False, V),
    ("Giảm 1,5%", "lower", 6.2, 4.7, False, True, False, D),  # a rate: 6,2 − 1,5 points
    ("Giảm 1,5%", "lower", 6.2, 4.8, False, True, False, K),
    ("Giảm 1,5%", "lower", 6.2, 4.5, False, True, False, V),
    ("Giảm 10% so với năm trước", "lower", 9, 8, False, False, True, D),  # 9 × 0,9 = 8,1 → at most 8
    ("Giảm 10% so với năm trước", "lower", 9, 9, False, False, True, K),
    ("Giảm 10% so với năm trước", "lower", 9, 7, False, False, True, V),
    ("Giảm 5% trở lên", "lower", 33, 31, False, False, True, D),  # seed row 18: ⌊31,35⌋
    ("Giảm 5% trở lên", "lower", 33, 32, False, False, True, K),
    ("Tăng 12%", "higher", 15.139, 16.956, False, False, False, V),  # 16,95568 needed, 16,956 reached
    ("Tăng 12%", "higher", 15.139, 16.95, False, False, False, K),
    ("Duy trì 100%", "maintain", nan, 100, False, True, False, D),
    ("Duy trì 100%", "maintain", nan, 99, False, True, False, K),
    ("Tăng so với cùng kỳ", "higher", 40, 41, False, False, True, D),  # the right way: Đạt, never Vượt
    ("Tăng so với cùng kỳ", "higher", 40, 40, False, False, True, K),
    ("Tăng so với cùng kỳ", "higher", 40, 38, False, False, True, K),
    ("Kiểm chế số vụ TNGT", "lower", 7, 7, False, False, True, D),  # held: not more than last year
    ("Kiểm chế số vụ TNGT", "lower", 7, 21, True, False, True, Status.EXPECTED_NOT_ACHIEVED),  # seed row 19
    ("Giữ vững ổn định", "text", nan, 1, False, False, False, Status.UNKNOWN),
    ("Giảm 1,5%", "lower", nan, 4, False, True, False, Status.UNKNOWN),  # no last year to reduce from
]


@pytest.mark.parametrize(("text", "direction", "previous", "result", "estimate", "rate", "whole", "expected"), CASES)
def test_status_of_a_result_against_a_worded_target(
    text: str,
    direction: str,
    previous: float,
    result: float,
    estimate: bool,
    rate: bool,
    whole: bool,
    expected: Status,
) -> None:
    target = parse_target(text, about_tolerance_pct=5)
    status = judge(target, result, direction=direction, previous=previous, rate=rate, whole=whole).status
    assert (as_estimate(status) if estimate else status) == expected


def test_requirements_are_said_in_words() -> None:
    j = judge(parse_target("Giảm 1,5%"), 4.7, direction="lower", previous=6.2, rate=True, unit="%")
    assert j.requirement == "tối đa 4,7%" and "6,2% năm trước giảm 1,5 điểm %" in j.remark
    j = judge(parse_target("Giảm 5% trở lên"), 33, direction="lower", previous=21, whole=True, unit="vụ")
    assert j.requirement == "tối đa 19 vụ"  # seed row 19: ⌊21 × 0,95⌋


@pytest.mark.parametrize(
    ("kind", "amount", "unit", "previous", "rate", "whole", "expected"),
    [
        ("reduce_by", 5, "%", 21, False, True, 19),  # 19,95 → 19
        ("reduce_by", 5, "%", 20, False, True, 19),
        ("reduce_by", 1.5, "%", 6.2, True, False, 4.7),  # points
        ("reduce_by", 3, "vụ", 12, False, True, 9),  # an amount in its own unit
        ("increase_by", 10, "%", 21, False, True, 24),  # 23,1 → at least 24
        ("increase_by", 2, "%", 60, True, False, 62),  # points
    ],
)
def test_change_bound(kind, amount, unit, previous, rate, whole, expected) -> None:
    t = Target(kind, float(amount), measure_unit=unit)
    assert change_bound(t, previous, rate=rate, whole=whole) == pytest.approx(expected)


# --- the property: for a fixed target, the status never gets better as the result gets worse ---

KINDS = ["point", "maintain", "at_least", "above", "at_most", "below", "down_to", "range", "about", "reduce_by"]
KINDS += ["increase_by", "relative"]
figures = st.floats(min_value=0.1, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def targets(draw: st.DrawFn) -> tuple[Target, str, float, bool, bool]:
    kind = draw(st.sampled_from(KINDS))
    value = draw(figures)
    spread = draw(st.floats(min_value=0.0, max_value=1e3, allow_nan=False))
    unit = draw(st.sampled_from(["%", "vụ", "ha"]))
    said = {"at_least": "higher", "above": "higher", "at_most": "lower", "below": "lower", "down_to": "lower"}
    direction = said.get(kind) or draw(st.sampled_from(["higher", "lower"]))
    base = Target(kind, None if kind == "relative" else value, strict=draw(st.booleans()), measure_unit=unit)
    base = base._replace(direction=direction)
    target = base.with_figures(base.value, value + spread, tolerance_pct=5) if base.value is not None else base
    return target, direction, draw(figures), draw(st.booleans()), draw(st.booleans())


def good_way(target: Target, direction: str) -> str:
    """Which way is better for this target: its own bound or change first."""
    if target.kind in ("reduce_by",):
        return "lower"
    if target.kind in ("increase_by",):
        return "higher"
    return target.direction or direction


@given(targets(), figures, figures, st.booleans())
def test_a_worse_result_never_gets_a_better_status(drawn, a: float, b: float, estimate: bool) -> None:
    target, direction, previous, rate, whole = drawn
    way = good_way(target, direction)
    better, worse = (max(a, b), min(a, b)) if way == "higher" else (min(a, b), max(a, b))

    def rank(result: float) -> int:
        s = judge(target, result, direction=way, previous=previous, rate=rate, whole=whole).status
        s = as_estimate(s) if estimate else s
        return STATUS_RANK[status_level(s)]

    assert rank(worse) <= rank(better)


@given(targets(), figures)
def test_a_direction_only_target_is_never_exceeded(drawn, result: float) -> None:
    target, direction, previous, _, _ = drawn
    if target.kind == "relative":
        status = judge(target, result, direction=direction, previous=previous).status
        assert status in (Status.ACHIEVED, Status.NOT_ACHIEVED)
