"""Result cells that say more than one exact figure: two measures in a cell, or a qualified figure.

Field tables write two measures in one cell ("< 7,6 / < 10,4" against "7,2 / 10,8": the
underweight and the stunting rate) and results that are not exact ("khoảng 65", "trên 65",
"gần 65"). :func:`second_measure` judges the second measure of a cell against the second
of its plan, so that both are judged; :func:`qualified_status` judges a qualified result
on the side its word puts it ("trên 65" is more than 65) and says when the word leaves the
status open ("khoảng 65" against a plan of 65). Nothing is taken as exact silently.

>>> split_measures("< 7,6 / < 10,4"), split_measures("0,7% (còn 4,33%)"), split_measures("12,0% (Đạt 15 triệu USD)")
(['< 7,6', '< 10,4'], ['0,7%', 'còn 4,33%'], ['12,0% (Đạt 15 triệu USD)'])
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from analysis.analyses.judge import judge
from analysis.io.grammar import Target, parse_target
from analysis.io.numbers import format_compact, parse_cell, result_qualifier
from analysis.io.schema import ACHIEVED_STATUSES, NOT_ACHIEVED_STATUSES, Status, status_level

_SLASH = re.compile(r"\s+/\s+|(?<=\d)\s*/\s*(?=[<>≤≥]|\s)")
_LEVEL_ASIDE = re.compile(r"^(?P<first>[^()]*\d[^()]*?)\s*\((?P<second>còn\s+[^()]*\d[^()]*)\)$", re.IGNORECASE)
_ORDER = {Status.NOT_ACHIEVED: 0, Status.ACHIEVED: 1, Status.EXCEEDED: 2}


class Measure(NamedTuple):
    """The second measure of a cell, judged: its ``status`` and a ``remark`` in Vietnamese."""

    status: Status
    remark: str


def split_measures(text: str) -> list[str]:
    """The measures written in one cell: two around a " / " (each with a number), or a figure
    and a level in brackets ("0,7% (còn 4,33%)"); else the cell as it is."""
    text = text.strip()
    if m := _LEVEL_ASIDE.match(text):
        return [m.group("first").strip(), m.group("second").strip()]
    parts = [p.strip() for p in _SLASH.split(text)]
    if len(parts) == 2 and all(re.search(r"\d", p) for p in parts):
        return parts
    return [text]


def second_measure(
    plan_text: str, result_text: str, *, direction: str, rate: bool, unit: str, tolerance_pct: float
) -> Measure | None:
    """The second measure of ``result_text`` judged against the second of ``plan_text``;
    None unless both cells write two measures.

    >>> second_measure("< 7,6 / < 10,4", "7,2 / 10,8", direction="lower", rate=True, unit="%", tolerance_pct=5).status
    <Status.NOT_ACHIEVED: 'Không đạt'>
    """
    plans, results = split_measures(plan_text), split_measures(result_text)
    if len(plans) != 2 or len(results) != 2:
        return None
    target = parse_target(plans[1], about_tolerance_pct=tolerance_pct)
    value = parse_cell(results[1]).value
    if value is None or target.kind == "words":
        return None
    direction = target.direction or direction
    j = judge(target, value, direction=direction, rate=rate, unit=unit)
    said = f"Chỉ tiêu thứ hai của ô: kết quả {format_compact(value, 3)}, kế hoạch “{plans[1]}”: {j.status}"
    return Measure(j.status, said)


def combine(first: Status, second: Status) -> Status:
    """The status of two measures together: the weaker one (either not achieved: not achieved).

    >>> combine(Status.EXCEEDED, Status.ACHIEVED).value, combine(Status.ACHIEVED, Status.UNKNOWN).value
    ('Đạt', 'Chưa xác định')
    """
    a, b = status_level(first), status_level(second)
    if a in NOT_ACHIEVED_STATUSES or b in NOT_ACHIEVED_STATUSES:
        return Status.NOT_ACHIEVED
    if a == Status.UNKNOWN or b == Status.UNKNOWN:
        return Status.UNKNOWN
    return min(a, b, key=lambda s: _ORDER.get(s, 1))


def qualified_status(
    target: Target, result_text: str, value: float, status: Status, *, direction: str, rate: bool, unit: str
) -> tuple[Status, str, bool]:
    """``(status, remark, certain)`` of a result written with a qualifier ("trên 65": judged
    just above 65; "gần 65": just below; "khoảng 65": the figure, ``certain`` False when a
    little more or less would change the status); the status unchanged for an exact figure."""
    q = result_qualifier(result_text)
    if q is None or math.isnan(value):
        return status, "", True
    word, bound = q
    step = max(abs(value), 1.0) * 1e-6
    if bound == "above":
        judged = judge(target, value + step, direction=direction, rate=rate, unit=unit).status
        return judged, f"Kết quả ghi “{result_text}”: hơn {format_compact(value, 3)}, không phải số chính xác", True
    if bound == "below":
        judged = judge(target, value - step, direction=direction, rate=rate, unit=unit).status
        return (
            judged,
            f"Kết quả ghi “{result_text}”: chưa đến {format_compact(value, 3)}, không phải số chính xác",
            True,
        )
    around = {judge(target, value + d, direction=direction, rate=rate, unit=unit).status for d in (-step, step)}
    certain = around == {status} and status in ACHIEVED_STATUSES | NOT_ACHIEVED_STATUSES
    said = f"Kết quả ghi “{result_text}” ({word}): số gần đúng, đánh giá theo {format_compact(value, 3)}"
    if not certain:
        said += ", nhưng chỉ hơn hoặc kém một chút là đánh giá khác: chưa chắc chắn"
    return status, said, certain
