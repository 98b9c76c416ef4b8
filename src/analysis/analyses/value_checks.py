"""Can the indicator take this figure? What a careful clerk checks before a returned result is
taken in (``python -m analysis intake``), from what the catalogue says of the indicator — its
measure unit, target type and decimals — never from its name.

:func:`nature` sorts an indicator:

- ``change``: target type ``growth`` or ``rate_average`` (a growth rate, the yearly change of a
  rate): any sign, no bound;
- ``share``: otherwise a measure unit ``%`` (0 to 100) or ``‰`` (0 to 1000);
- ``quantity``: any other measure unit (a count, an amount, an area, a figure per population):
  0 or more.

:func:`check_value` gives the reason a result cannot be taken, or None: a share beyond its bound
(when it is written with thousands dots, "1.260", the reason gives the other reading, 1,26), a
negative share or quantity, and — for a quantity whose last year's result is above 0 — a jump of
more than ``jump_factor`` times, up or down (not for a whole count that moves by
``jump_factor`` units or fewer). A jump may be right: it is *confirmable* (the analyst asks the
unit and takes it in with ``--confirm``); the other findings are not.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from analysis.io.numbers import format_compact

CHANGE_TARGET_TYPES = ("growth", "rate_average")
#: The upper bound of a share, by measure unit.
SHARE_BOUNDS = {"%": 100.0, "‰": 1000.0}
_THOUSANDS = re.compile(r"-?\d{1,3}(?:\.\d{3})+")


@dataclass(frozen=True)
class Nature:
    """What values an indicator can take: ``kind`` (``share``, ``change``, ``quantity``) and bounds."""

    kind: str
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Finding:
    """Why a figure is not taken in as it is; ``confirmable`` when a confirmation can clear it."""

    reason: str
    confirmable: bool = False


def nature(measure_unit: str, target_type: str) -> Nature:
    """The values an indicator of ``measure_unit`` and ``target_type`` can take.

    >>> nature("%", "level"), nature("%", "growth").kind, nature("ha", "every_year").low
    (Nature(kind='share', low=0.0, high=100.0), 'change', 0.0)
    """
    if str(target_type) in CHANGE_TARGET_TYPES:
        return Nature("change", None, None)
    unit = str(measure_unit).strip()
    if unit in SHARE_BOUNDS:
        return Nature("share", 0.0, SHARE_BOUNDS[unit])
    return Nature("quantity", 0.0, None)


def _quantity(value: float, measure_unit: str) -> str:
    return f"{format_compact(value, 6)} {measure_unit}".strip()


def check_value(
    value: float,
    *,
    measure_unit: str,
    target_type: str,
    decimals: int,
    previous: float = math.nan,
    year: int,
    jump_factor: float,
    written: str = "",
) -> Finding | None:
    """The finding on a result ``value`` of ``year`` (None: nothing to say). ``written`` is the
    cell as typed, when it was text; ``previous`` last year's result in the same unit (NaN: none).

    >>> check_value(1260, measure_unit="%", target_type="level", decimals=1, year=2025, jump_factor=10).reason
    "'1.260' đọc theo cách viết Việt Nam là 1.260 (dấu chấm phân cách hàng nghìn), vượt quá 100%: một tỷ lệ không thể lớn hơn 100%; nếu là 1,26% thì ghi 1,26 (dấu phẩy thập phân)"
    >>> check_value(-5, measure_unit="%", target_type="growth", decimals=1, year=2025, jump_factor=10) is None
    True
    >>> check_value(0, measure_unit="vụ", target_type="level", decimals=0, previous=3, year=2025, jump_factor=10) is None
    True
    >>> check_value(200, measure_unit="ha", target_type="level", decimals=1, previous=10, year=2025, jump_factor=10)
    Finding(reason='200 ha gấp hơn 10 lần kết quả năm 2024 (10 ha): đề nghị kiểm tra lại; nếu số liệu đúng, đề nghị xác nhận với cơ quan tiếp nhận', confirmable=True)
    """
    kind = nature(measure_unit, target_type)
    shown = written.strip().rstrip("%‰").strip() or format_compact(value, 6)
    if kind.high is not None and value > kind.high:
        bound = f"{format_compact(kind.high, 0)}{measure_unit}"
        if _THOUSANDS.fullmatch(shown):
            reason = (
                f"'{shown}' đọc theo cách viết Việt Nam là {format_compact(value, 6)} (dấu chấm phân cách hàng nghìn), "
                f"vượt quá {bound}: một tỷ lệ không thể lớn hơn {bound}"
            )
            if shown.count(".") == 1:
                other = format_compact(float(shown), 6)
                reason += f"; nếu là {other}{measure_unit} thì ghi {other} (dấu phẩy thập phân)"
            return Finding(reason)
        return Finding(f"{shown} vượt quá {bound}: một tỷ lệ không thể lớn hơn {bound}")
    if kind.low is not None and value < kind.low:
        what = "một tỷ lệ" if kind.kind == "share" else f"chỉ tiêu đo bằng {measure_unit}".rstrip()
        return Finding(f"{shown} là số âm: {what} không thể âm")
    if kind.kind != "quantity" or math.isnan(previous) or previous <= 0:
        return None
    if decimals == 0 and abs(value - previous) <= jump_factor:
        return None
    factor = format_compact(jump_factor, 6)
    if value > previous * jump_factor:
        how = f"gấp hơn {factor} lần"
    elif value * jump_factor < previous:
        how = f"chưa bằng 1/{factor}"
    else:
        return None
    return Finding(
        f"{_quantity(value, measure_unit)} {how} kết quả năm {year - 1} ({_quantity(previous, measure_unit)}): "
        "đề nghị kiểm tra lại; nếu số liệu đúng, đề nghị xác nhận với cơ quan tiếp nhận",
        confirmable=True,
    )
