"""The status of a result against a target as worded: Vượt, Đạt or Không đạt.

:func:`judge` turns a :class:`~analysis.io.grammar.Target` into the requirement it sets
(a figure, a bound or a range, on the good side of which way the indicator is better),
and compares the result with it:

- a figure or a bound: strictly better is Vượt, equal is Đạt (Không đạt for a strict
  bound, "trên 70%" is not met by 70%), worse is Không đạt;
- a range (and "khoảng", a range of the tolerance either side): inside is Đạt, beyond
  the good end Vượt, short of the other end Không đạt;
- a change from last year ("giảm 5%", "tăng 12%") is the bound it sets from last year's
  result; a rate written in % changes by percentage points, a count by a percentage
  (whole counts rounded to the safe side);
- a direction only ("tăng so với cùng kỳ", "kiềm chế") is Đạt when the result moved the
  right way, never Vượt.

For a fixed target the status never gets better as the result gets worse.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from analysis.io.grammar import Target
from analysis.io.numbers import format_compact
from analysis.io.schema import Status

_TOL = dict(rel_tol=1e-9, abs_tol=1e-9)


class Judgement(NamedTuple):
    """A status and what it was judged against (``requirement``: the figure or bound, as words)."""

    status: Status
    requirement: str = ""
    low: float = math.nan
    high: float = math.nan
    remark: str = ""


def _nan(x: float | None) -> bool:
    return x is None or math.isnan(x)


#: Bounds that only set a limit ("Tối đa 12 vụ", "Không quá 5 vụ", "Dưới 2%"): met is Đạt, never
#: Vượt, as government reports write it (a level to come down to, "giảm xuống còn 3%", can be passed).
CEILINGS = frozenset({"at_most", "below"})


def _against(result: float, figure: float, *, higher: bool, strict: bool) -> Status:
    if math.isclose(result, figure, **_TOL):
        return Status.NOT_ACHIEVED if strict else Status.ACHIEVED
    better = result > figure if higher else result < figure
    return Status.EXCEEDED if better else Status.NOT_ACHIEVED


def _inside(result: float, low: float, high: float, *, higher: bool) -> Status:
    below = result < low and not math.isclose(result, low, **_TOL)
    above = result > high and not math.isclose(result, high, **_TOL)
    if not below and not above:
        return Status.ACHIEVED
    return Status.EXCEEDED if (above if higher else below) else Status.NOT_ACHIEVED


def change_bound(target: Target, previous: float, *, rate: bool, whole: bool) -> float:
    """The bound a change from last year sets: ``previous`` less (or more) the amount.

    A rate in % moves by percentage points; anything else by a percentage (``%``) or by
    the amount in its own unit. Whole counts round to the safe side.

    >>> t = Target("reduce_by", 5.0, measure_unit="%")
    >>> change_bound(t, 21, rate=False, whole=True)   # 21 × 0,95 = 19,95 → at most 19
    19.0
    >>> change_bound(Target("reduce_by", 1.5, measure_unit="%"), 6.2, rate=True, whole=False)
    4.7
    """
    amount = float(target.value) if target.value is not None else math.nan
    sign = -1 if target.kind == "reduce_by" else 1
    if target.measure_unit == "%" and not rate:
        bound = previous * (1 + sign * amount / 100)
    else:
        bound = previous + sign * amount
    bound = round(bound, 9)
    if whole:
        return float(math.floor(bound) if sign < 0 else math.ceil(bound))
    return bound


def judge(
    target: Target,
    result: float,
    *,
    direction: str,
    previous: float = math.nan,
    rate: bool = False,
    whole: bool = False,
    unit: str = "",
) -> Judgement:
    """The status of ``result`` against ``target`` for an indicator whose ``direction``
    (higher, lower, maintain) is already settled (a bound's own direction first).

    ``rate``: the indicator is a rate in %, so changes are percentage points; ``whole``:
    a count; ``unit``: its measure unit, for the requirement's words.

    >>> from analysis.io.grammar import parse_target
    >>> judge(parse_target("12-14 tiêu chí"), 15, direction="higher").status.value
    'Vượt'
    >>> judge(parse_target("Trên 70%"), 70, direction="higher").status.value
    'Không đạt'
    >>> j = judge(parse_target("Giảm 5% trở lên"), 31, direction="lower", previous=33, whole=True)
    >>> j.status.value, j.requirement
    ('Đạt', 'tối đa 31')
    """
    if _nan(result):
        return Judgement(Status.UNKNOWN, remark="thiếu kết quả")
    higher = direction != "lower"
    kind, v = target.kind, target.value

    def fmt(x: float) -> str:
        return format_compact(x, 3) + ("%" if unit == "%" else (f" {unit}" if unit else ""))

    if kind in ("point", "maintain") and v is not None:
        word = "ít nhất" if higher else "tối đa"
        return Judgement(_against(result, v, higher=higher, strict=False), f"{word} {fmt(v)}", v, v)
    if kind in ("at_least", "above", "at_most", "below", "down_to") and v is not None:
        word = {"at_least": "ít nhất", "above": "trên", "at_most": "tối đa", "below": "dưới"}.get(kind, "")
        word = word or ("dưới" if target.strict else "tối đa")
        up = kind in ("at_least", "above")
        status = _against(result, v, higher=up, strict=target.strict)
        if kind in CEILINGS and status == Status.EXCEEDED:
            status = Status.ACHIEVED  # staying within a limit is meeting it: officials write Đạt
        return Judgement(
            status,
            f"{word} {fmt(v)}",
            v if up else math.nan,
            math.nan if up else v,
        )
    if kind in ("range", "about") and target.low is not None:
        low, high = target.low, target.high if target.high is not None else math.inf
        words = f"từ {format_compact(low, 3)} đến {fmt(high)}" if kind == "range" else f"khoảng {fmt(float(v or 0))}"
        remark = "" if kind == "range" else f"khoảng: từ {format_compact(low, 3)} đến {fmt(high)} là đạt"
        status = _inside(result, low, high, higher=higher)
        if kind == "about" and not higher and status == Status.EXCEEDED:
            status = Status.ACHIEVED  # "khoảng 4%" of a lower-is-better rate (CPI) is a ceiling
        return Judgement(status, words, low, high, remark)
    if kind in ("reduce_by", "increase_by") and v is not None:
        if _nan(previous):
            return Judgement(Status.UNKNOWN, remark=f"thiếu kết quả năm trước để tính mức {target.text!r}")
        bound = change_bound(target, previous, rate=rate, whole=whole)
        up = kind == "increase_by"
        if target.measure_unit == "%":
            amount = format_compact(v, 3) + (" điểm %" if rate else "%")
        else:
            amount = fmt(v)
        remark = (
            f"“{target.text}”: {fmt(previous)} năm trước {'tăng' if up else 'giảm'} {amount}"
            f" → {'ít nhất' if up else 'tối đa'} {fmt(bound)}"
        )
        return Judgement(
            _against(result, bound, higher=up, strict=target.strict),
            f"{'trên' if up and target.strict else 'ít nhất' if up else 'dưới' if target.strict else 'tối đa'} {fmt(bound)}",
            bound if up else math.nan,
            math.nan if up else bound,
            remark,
        )
    if kind == "relative":
        if _nan(previous):
            return Judgement(Status.UNKNOWN, remark="thiếu kết quả năm trước để so sánh")
        up = target.direction != "lower"
        moved = result > previous if up else result < previous
        held = math.isclose(result, previous, **_TOL) and not target.strict
        ok = moved and not math.isclose(result, previous, **_TOL)
        status = Status.ACHIEVED if ok or held else Status.NOT_ACHIEVED
        word = ("cao hơn" if up else "thấp hơn") if target.strict else ("không thấp hơn" if up else "không cao hơn")
        remark = f"kế hoạch chỉ đặt hướng (“{target.text}”): {fmt(result)} so với {fmt(previous)} năm trước"
        return Judgement(status, f"{word} {fmt(previous)} của năm trước", remark=remark)
    return Judgement(Status.UNKNOWN, remark="mục tiêu bằng lời")
