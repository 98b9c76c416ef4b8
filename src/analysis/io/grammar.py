"""The target grammar: what a target's wording asks for, by rules kept as data.

``data/target_grammar.csv`` holds the patterns (Python regexes searched in the NFC,
casefolded wording with spaces collapsed), each giving a *kind* and, for the rows of
field ``period``, whether the figure holds every year or on average per year. The
numbers come from :func:`analysis.io.numbers.parse_cell`. ``data/status_words.csv``
holds the words that state a status (a result or a verdict written in words).

>>> t = parse_target("Không quá 5 vụ")
>>> t.kind, t.high, t.measure_unit, t.direction
('at_most', 5.0, 'vụ', 'lower')
>>> t = parse_target("Khoảng 1.500 tỷ đồng", about_tolerance_pct=5)
>>> t.kind, t.value, t.low, t.high
('about', 1500.0, 1425.0, 1575.0)
>>> parse_target("Hàng năm đạt 1.200ha")[:3]
('point', 1200.0, 'every_year')
>>> status_from_words("Dự kiến không đạt")
(<Status.NOT_ACHIEVED: 'Không đạt'>, True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from analysis import paths
from analysis.errors import DataValidationError
from analysis.io.numbers import normalise_text, parse_cell
from analysis.io.rule_files import cell_error, read_rule_frame
from analysis.io.schema import Status

GRAMMAR_COLUMNS = [
    "field",
    "priority",
    "pattern",
    "value",
    "strict",
    "direction",
    "direction_priority",
    "example",
    "note",
]
KINDS = (
    "point",
    "at_least",
    "above",
    "at_most",
    "below",
    "range",
    "about",
    "maintain",
    "down_to",
    "reduce_by",
    "increase_by",
    "relative",
    "words",
)
PERIODS = ("every_year", "per_year")
# Kinds that need a figure (else the next rule is tried) and kinds that are bounds.
NUMERIC_KINDS = frozenset(KINDS) - {"relative", "words"}
BOUND_KINDS = frozenset({"at_least", "above", "at_most", "below", "down_to"})
WORD_COLUMNS = ["priority", "pattern", "status", "estimate", "example", "note"]
DEFAULT_ABOUT_TOLERANCE_PCT = 5.0


class Target(NamedTuple):
    """What a target's wording asks for. ``value`` is the figure as written; ``low`` and
    ``high`` the bounds it sets (None when open); ``direction`` what the wording says
    about which way is better ('' when it says nothing); ``rule`` the pattern that matched."""

    kind: str
    value: float | None
    period: str = ""
    low: float | None = None
    high: float | None = None
    strict: bool = False
    measure_unit: str = ""
    direction: str = ""
    direction_priority: int | None = None
    text: str = ""
    rule: str = ""

    def with_figures(self, value: float | None, value_high: float | None = None, *, tolerance_pct: float) -> Target:
        """The same wording with curated figures (``value``, ``value_high``) in place of the parsed ones."""
        return _bounds(self._replace(value=value), value_high, tolerance_pct)


@dataclass(frozen=True)
class _Rule:
    field: str
    priority: int
    pattern: re.Pattern[str]
    value: str
    strict: bool
    direction: str
    direction_priority: int | None


def key(text: object) -> str:
    """Wording as the patterns see it: NFC, casefolded, spaces collapsed.

    >>> key("  Từ 90%  TRỞ LÊN ")
    'từ 90% trở lên'
    """
    return normalise_text(str(text)).casefold()


def _read(path: Path, columns: list[str], what: str) -> pd.DataFrame:
    return read_rule_frame(path, columns, what)


def _bad(path: Path, i: int, column: str, value: str, expected: str) -> DataValidationError:
    return cell_error(paths.display_path(path), i, column, value, expected)


def _compile(path: Path, i: int, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise _bad(path, i, "pattern", pattern, f"is not a valid regular expression ({exc})") from None


def _int(path: Path, i: int, column: str, text: str) -> int:
    if not re.fullmatch(r"-?\d+", text.strip()):
        raise _bad(path, i, column, text, "is not a whole number")
    return int(text)


@lru_cache(maxsize=8)
def load_grammar(path: Path | None = None) -> tuple[_Rule, ...]:
    """The rules of ``data/target_grammar.csv`` (or ``path``), checked, in priority order."""
    path = path or paths.dataset_path("target_grammar")
    rules = []
    for i, r in enumerate(_read(path, GRAMMAR_COLUMNS, "target grammar").to_dict("records"), start=2):
        allowed = KINDS if r["field"] == "kind" else PERIODS
        if r["field"] not in ("kind", "period"):
            raise _bad(path, i, "field", r["field"], "is not one of kind, period")
        if r["value"] not in allowed:
            raise _bad(path, i, "value", r["value"], f"is not one of {', '.join(allowed)}")
        if r["strict"] not in ("", "true", "false"):
            raise _bad(path, i, "strict", r["strict"], "is not true or false")
        if r["direction"] not in ("", "higher", "lower"):
            raise _bad(path, i, "direction", r["direction"], "is not higher, lower or empty")
        dp = r["direction_priority"].strip()
        rules.append(
            _Rule(
                field=r["field"],
                priority=_int(path, i, "priority", r["priority"]),
                pattern=_compile(path, i, r["pattern"]),
                value=r["value"],
                strict=r["strict"] == "true",
                direction=r["direction"],
                direction_priority=_int(path, i, "direction_priority", dp) if dp else None,
            )
        )
    return tuple(sorted(rules, key=lambda rule: rule.priority))


def parse_target(
    text: str, *, about_tolerance_pct: float = DEFAULT_ABOUT_TOLERANCE_PCT, grammar: tuple[_Rule, ...] | None = None
) -> Target:
    """The kind, figures, bounds and strictness of a target as worded.

    >>> parse_target("≥ 90%")[:2], parse_target("Trên 70%").strict
    (('at_least', 90.0), True)
    >>> t = parse_target("12-14 tiêu chí"); (t.kind, t.low, t.high)
    ('range', 12.0, 14.0)
    >>> t = parse_target("Giảm xuống còn 3%"); (t.kind, t.high, t.direction)
    ('down_to', 3.0, 'lower')
    >>> parse_target("Tăng so với cùng kỳ")[:2], parse_target("")[:2]
    (('relative', None), ('words', None))
    """
    rules = grammar if grammar is not None else load_grammar()
    words = key(text)
    cell = parse_cell(text)
    period = next((r.value for r in rules if r.field == "period" and r.pattern.search(words)), "")
    for rule in rules:
        if rule.field != "kind" or not rule.pattern.search(words):
            continue
        if rule.value in NUMERIC_KINDS and cell.value is None:
            continue
        if rule.value == "range" and cell.value_high is None:
            continue
        target = Target(
            kind=rule.value,
            value=cell.value if rule.value in NUMERIC_KINDS else None,
            period=period,
            strict=rule.strict,
            measure_unit=cell.measure_unit.removesuffix("/năm"),
            direction=rule.direction,
            direction_priority=rule.direction_priority,
            text=normalise_text(text),
            rule=rule.pattern.pattern,
        )
        return _bounds(target, cell.value_high, about_tolerance_pct)
    return Target(kind="words", value=None, period=period, text=normalise_text(text))


def _bounds(t: Target, value_high: float | None, tolerance_pct: float) -> Target:
    """``low``/``high`` of a target from its figure(s)."""
    v = t.value
    if v is None:
        return t._replace(low=None, high=None)
    if t.kind == "range":
        high = value_high if value_high is not None else None
        return t._replace(low=v, high=high)
    if t.kind == "about":
        d = abs(v) * tolerance_pct / 100
        return t._replace(low=v - d, high=v + d)
    if t.kind in ("at_least", "above"):
        return t._replace(low=v, high=None)
    if t.kind in ("at_most", "below", "down_to"):
        return t._replace(low=None, high=v)
    if t.kind in ("point", "maintain"):
        return t._replace(low=v, high=v)
    return t._replace(low=None, high=None)  # a change: bounds need last year's result


@dataclass(frozen=True)
class _WordRule:
    pattern: re.Pattern[str]
    status: Status
    estimate: bool


@lru_cache(maxsize=8)
def load_status_words(path: Path | None = None) -> tuple[_WordRule, ...]:
    """The rules of ``data/status_words.csv`` (or ``path``), checked, in priority order."""
    path = path or paths.dataset_path("status_words")
    levels = {s.value: s for s in (Status.EXCEEDED, Status.ACHIEVED, Status.NOT_ACHIEVED)}
    out = []
    for i, r in enumerate(_read(path, WORD_COLUMNS, "status words").to_dict("records"), start=2):
        if r["status"] not in levels:
            raise _bad(path, i, "status", r["status"], f"is not one of {', '.join(levels)}")
        if r["estimate"] not in ("true", "false"):
            raise _bad(path, i, "estimate", r["estimate"], "is not true or false")
        out.append((_int(path, i, "priority", r["priority"]), i, r))
    return tuple(
        _WordRule(_compile(path, i, r["pattern"]), levels[r["status"]], r["estimate"] == "true")
        for _, i, r in sorted(out, key=lambda x: (x[0], x[1]))
    )


def status_from_words(text: object, rules: tuple[_WordRule, ...] | None = None) -> tuple[Status, bool] | None:
    """``(level, estimate)`` stated by words such as ``Dự kiến đạt`` or ``Giữ vững``; None
    when the words state no status.

    >>> status_from_words("Vượt"), status_from_words("Giữ vững"), status_from_words("12 vụ")
    ((<Status.EXCEEDED: 'Vượt'>, False), (<Status.ACHIEVED: 'Đạt'>, False), None)
    """
    words = key(text)
    for rule in rules if rules is not None else load_status_words():
        if rule.pattern.search(words):
            return rule.status, rule.estimate
    return None


def is_verdict(text: str) -> bool:
    """Whether a notes cell holds a verdict ("Đạt", "Vượt dự toán", "Dự kiến không đạt") rather
    than a note: status words with no figure in them.

    >>> is_verdict("Vượt dự toán"), is_verdict("Đạt và vượt"), is_verdict("Đạt 15 triệu USD"), is_verdict("Theo số liệu thống kê")
    (True, True, False, False)
    """
    words = normalise_text(text)
    return not re.search(r"\d", words) and len(words) <= 60 and status_from_words(words) is not None


__all__ = ["Target", "is_verdict", "load_grammar", "load_status_words", "parse_target", "status_from_words"]
