"""Figures stated in the notes column of an indicator table ("Ghi chú").

A note may state what a plan requires ("tối đa 5 vụ", "ít nhất là 20 xã"), the arithmetic
behind a figure ("(12 + 8)/2 = 10 xã"), a past year's result ("năm 2021 đạt 95%") or a
stock ("đến nay đã có 12 xã"). :func:`read_notes` finds each of them, each quantity read as
a cell is (:func:`analysis.io.numbers.parse_cell`); a past result the table also prints is
compared with it instead of read twice. A note that states none of them is kept as words.

>>> figures, problems = read_notes(
...     "Năm 2021 đạt 95%; tối đa 5 vụ", year=2024, target_year=2025, results={(2021, "%"): (96.0, "96%")}
... )
>>> [(f.kind, f.year, f.value, f.measure_unit, f.text) for f in figures]
[('published_required', 2025, 5.0, 'vụ', 'tối đa')]
>>> [(p.text, p.reason) for p in problems]
[('Năm 2021 đạt 95%', 'note says 2021 = 95%, table says 96%')]
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from analysis.io.numbers import parse_cell

# A quantity in a note: a number, an optional %, and up to three words (its unit and more).
_Q = r"(?P<q>[-\u2212]?\d(?:[\d.,]*\d)?(?:\s*%)?(?:[^\S\n]*[^\W\d_][^\s,;.()]*){0,3})"
_REQUIRED = (
    ("tối đa", re.compile(r"\btối đa\s+(?:là\s+)?" + _Q, re.IGNORECASE)),
    ("ít nhất", re.compile(r"\bít nhất\s+(?:là\s+)?" + _Q, re.IGNORECASE)),
)
_EXPRESSION = re.compile(r"(?P<expr>\([^()]*\d[^()]*\)\s*/\s*\d+(?:,\d+)?)\s*=\s*" + _Q)
_HISTORY = re.compile(r"\bnăm\s+(?P<y>(?:19|20)\d\d)\s+đạt\s+" + _Q, re.IGNORECASE)
_STOCK = re.compile(r"\bđến nay\b[^.;]*?\bđã có\s+" + _Q, re.IGNORECASE)


@dataclass(frozen=True)
class NoteFigure:
    """An observation a note states: ``kind`` is published_required, published_expression,
    result (a past year's), stock, or note (the words of a note that states none of these)."""

    kind: str
    year: int | None
    value: float | None = None
    measure_unit: str = ""
    text: str = ""
    note: str = ""


@dataclass(frozen=True)
class NoteProblem:
    """What could not be read, or disagrees with the table: the text at fault and why."""

    text: str
    reason: str
    severity: str


def read_notes(
    text: str,
    *,
    year: int,
    target_year: int | None,
    results: Mapping[tuple[int | None, str], tuple[float, str]],
) -> tuple[list[NoteFigure], list[NoteProblem]]:
    """The figures stated in the note ``text`` and the problems met, each in the note's order.

    ``year`` is the evaluated year (a stock is of it; a result stated for a later year is
    left alone), ``target_year`` the year of the plan a note's requirements are for;
    ``results`` the row's results and estimates, ``(year, measure unit) -> (value, the cell
    as written)``: a past result stated in the note and also there is not read again, only
    reported when the two differ.
    """
    figures: list[NoteFigure] = []
    problems: list[NoteProblem] = []
    made = 0

    def quantity(q: str) -> tuple[float, str] | None:
        pc = parse_cell(q)
        for token, reason in pc.ambiguous:
            problems.append(NoteProblem(token, reason, "ambiguous"))
        return None if pc.value is None else (pc.value, pc.measure_unit)

    for word, pattern in _REQUIRED:
        for m in pattern.finditer(text):
            if q := quantity(m.group("q")):
                figures.append(NoteFigure("published_required", target_year, q[0], q[1], text=word))
                made += 1
    for m in _EXPRESSION.finditer(text):
        if q := quantity(m.group("q")):
            figures.append(NoteFigure("published_expression", target_year, q[0], q[1], text=m.group("expr")))
            made += 1
    for m in _HISTORY.finditer(text):
        past, q = int(m.group("y")), quantity(m.group("q"))
        if q is None or past > year:
            continue
        made += 1
        known = results.get((past, q[1]))
        if known is None:
            figures.append(NoteFigure("result", past, q[0], q[1], note="stated in the notes column"))
        elif not math.isclose(known[0], q[0], rel_tol=1e-9):
            problems.append(
                NoteProblem(m.group(0), f"note says {past} = {m.group('q').strip()}, table says {known[1]}", "warning")
            )
    for m in _STOCK.finditer(text):
        if q := quantity(m.group("q")):
            clause = re.split(r"[.;(]", text[m.start() :])[0].strip()
            figures.append(NoteFigure("stock", year, q[0], q[1], text=clause))
            made += 1
    if not made:
        figures.append(NoteFigure("note", target_year, text=text))
    return figures, problems
