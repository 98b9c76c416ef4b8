"""Which ratios of an indicator mean something: TH/KH and TH/TH are left blank, with a remark
in Vietnamese, where they would mislead (a plan that is a range, a bound or a change; an indicator
held down whose source leaves them blank), and undefined ones are said so, never divided by zero."""

from __future__ import annotations

import math

import pandas as pd

from analysis.io.grammar import BOUND_KINDS, Target
from analysis.io.schema import Direction


def _isnan(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def ratio_pct(numerator: float | None, denominator: float | None) -> float:
    """``numerator / denominator × 100``, or NaN when either is missing, the denominator
    is 0 (never a ZeroDivisionError), or either is negative: a ratio of a negative plan or
    result (a growth of −3% against −1% planned: "300%") means nothing.

    >>> ratio_pct(97000, 94800)
    102.32067510548524
    >>> ratio_pct(1, 0), ratio_pct(None, 5), ratio_pct(-3, -1), ratio_pct(-3, 5)
    (nan, nan, nan, nan)
    """
    if numerator is None or denominator is None or _isnan(numerator) or _isnan(denominator) or denominator == 0:
        return float("nan")
    if numerator < 0 or denominator < 0:
        return float("nan")
    return float(numerator) / float(denominator) * 100.0


_CHANGE_WORDS = "mức thay đổi so với năm trước"
_AS_SOURCE = "để trống như nguồn: chỉ tiêu càng thấp càng tốt"


def ratio_remarks(why_att: str, why_trend: str, compared: str = "") -> list[str]:
    """The remarks on blank TH/KH and TH/TH, said once when they are blank for one reason;
    ``compared`` (the result against its requirement, in words) said in their place."""
    if why_att.startswith(f"TH/KH {_AS_SOURCE}") and why_trend.startswith(f"TH/TH {_AS_SOURCE}"):
        return [f"{compared}; TH/KH và TH/TH {_AS_SOURCE}" if compared else f"TH/KH và TH/TH {_AS_SOURCE}"]
    return [w for w in (why_att, why_trend) if w]


def meaningful_attainment(
    raw: float, result: float, plan: float, target: Target | None, direction: str, published: pd.Series | None
) -> tuple[float, str]:
    """TH/KH where it means something, else NaN and why (a remark)."""
    kind = "point" if target is None else target.kind
    if math.isnan(raw) and kind in ("relative", "words") and not math.isnan(result):
        return raw, "TH/KH để trống: kế hoạch bằng lời, không có số để so"
    if math.isnan(raw):
        if math.isnan(plan) or math.isnan(result) or plan <= 0 or result < 0:
            return raw, "TH/KH không tính được: " + _why(result, plan, "kế hoạch")
        return raw, ""
    said = "" if target is None else f" (“{target.text}”)"
    if kind == "range":
        return math.nan, f"TH/KH để trống: kế hoạch là một khoảng{said}"
    if kind in BOUND_KINDS:
        return math.nan, f"TH/KH để trống: kế hoạch là một ngưỡng{said}"
    if kind in ("reduce_by", "increase_by", "relative"):
        return math.nan, f"TH/KH để trống: kế hoạch là {_CHANGE_WORDS}{said}"
    if direction == Direction.LOWER and published is None:
        return math.nan, f"TH/KH {_AS_SOURCE}"
    return raw, ""


def meaningful_trend(
    raw: float, result: float, previous: float, direction: str, published: pd.Series | None, year: int
) -> tuple[float, str]:
    """TH/TH where it means something, else NaN and why (a remark)."""
    if math.isnan(raw):
        return raw, "TH/TH không tính được: " + _why(result, previous, f"kết quả {year - 1}")
    if direction == Direction.LOWER and published is None:
        return math.nan, f"TH/TH {_AS_SOURCE}"
    return raw, ""


def _why(numerator: float, denominator: float, name: str) -> str:
    if math.isnan(numerator):
        return "thiếu kết quả"
    if math.isnan(denominator):
        return f"thiếu {name} dạng số"
    if denominator < 0:
        return f"{name} âm ({denominator:g}), tỷ lệ không có nghĩa"
    if numerator < 0:
        return f"kết quả âm ({numerator:g}), tỷ lệ không có nghĩa"
    return f"{name} bằng 0"
