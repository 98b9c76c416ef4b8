"""Where an indicator is heading: a projection from its yearly results, by a method that
suits what it measures, and only from enough years to mean something.

- a quantity that grows (visitors, revenue, hectares): compound annual growth from the
  first to the last result, as the UN ESCAP SDG progress assessment does;
- a rate in % (coverage, poverty rate): a straight-line trend (least squares) in
  percentage points a year, kept between 0 and 100 when every value is;
- a small count held down (offences, accidents): no projection at all; a few cases more or
  less are not a trend, and compound growth of them is meaningless.

Fewer than ``min_years`` yearly results give no projection ("không đủ số liệu để dự báo").
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd

CAGR = "tăng trưởng kép bình quân"
LINEAR = "tuyến tính"


class Projection(NamedTuple):
    """A projected value (NaN when none), the method's name, and why there is none."""

    value: float
    method: str = ""
    why_not: str = ""


def cagr(series: pd.Series) -> float:
    """Compound annual growth of a yearly series (first to last value), NaN if undefined.

    >>> round(cagr(pd.Series([30.0, 43.3], index=[2021, 2024])), 4)
    0.1301
    """
    s = series.dropna()
    if len(s) < 2 or s.iloc[0] <= 0 or s.iloc[-1] <= 0:
        return float("nan")
    span = int(s.index[-1]) - int(s.index[0])
    return float((s.iloc[-1] / s.iloc[0]) ** (1 / span) - 1) if span > 0 else float("nan")


def linear_trend(series: pd.Series, year: int) -> float:
    """The least-squares straight line through a yearly series, read at ``year``.

    >>> linear_trend(pd.Series([50.0, 52.0, 54.0], index=[2022, 2023, 2024]), 2025)
    56.0
    """
    s = series.dropna()
    if len(s) < 2:
        return float("nan")
    x = np.asarray(s.index, dtype="float64")
    slope, intercept = np.polyfit(x, s.to_numpy(dtype="float64"), 1)
    return round(float(slope * year + intercept), 9)


def max_seen_change(series: pd.Series, *, points: bool) -> float:
    """The largest change from one year to the next: in percentage points (``points``) or
    in percent of the earlier year; NaN with fewer than two consecutive years.

    >>> s = pd.Series([47.6, 52.3], index=[2023, 2024])
    >>> round(max_seen_change(s, points=True), 1), round(max_seen_change(s, points=False), 1)
    (4.7, 9.9)
    """
    s = series.dropna()
    changes = [
        abs(b - a) if points else abs(b / a - 1) * 100
        for a, b, ya, yb in zip(s.iloc[:-1], s.iloc[1:], s.index[:-1], s.index[1:], strict=True)
        if yb - ya == 1 and (points or a)
    ]
    return max(changes) if changes else float("nan")


def project(
    history: pd.Series, year: int, *, rate: bool, held_down_count: bool, min_years: int, unit: str = ""
) -> Projection:
    """The value ``history`` points to in ``year``, by the method for what it measures.

    >>> h = pd.Series([30.0, 131.1, 80.7, 43.3], index=[2021, 2022, 2023, 2024])
    >>> round(project(h, 2025, rate=False, held_down_count=False, min_years=3).value, 1)
    48.9
    >>> project(h.iloc[-2:], 2025, rate=False, held_down_count=False, min_years=3).why_not
    'không đủ số liệu để dự báo (cần ít nhất 3 năm, có 2)'
    >>> project(h, 2025, rate=False, held_down_count=True, min_years=3, unit="vụ").why_not
    'không dự báo số vụ theo xu hướng (số nhỏ, biến động từng năm)'
    """
    s = history.dropna()
    if held_down_count:
        return Projection(
            math.nan, why_not=f"không dự báo số {unit or 'vụ'} theo xu hướng (số nhỏ, biến động từng năm)"
        )
    if len(s) < min_years:
        return Projection(math.nan, why_not=f"không đủ số liệu để dự báo (cần ít nhất {min_years} năm, có {len(s)})")
    ahead = year - int(s.index[-1])
    if ahead <= 0:
        return Projection(float(s.iloc[-1]))
    if rate:
        value = linear_trend(s, year)
        if ((s >= 0) & (s <= 100)).all():
            value = min(max(value, 0.0), 100.0)
        return Projection(value, LINEAR)
    g = cagr(s)
    if math.isnan(g):
        return Projection(linear_trend(s, year), LINEAR)
    return Projection(float(s.iloc[-1] * (1 + g) ** ahead), CAGR)
