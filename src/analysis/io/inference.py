"""Direction and target type of an indicator, inferred from its wording by rules kept as data.

The rules live in ``data/inference_rules.csv`` (columns ``RULE_COLUMNS``): each is a
Python regex matched against the NFC, casefolded wording of the indicator or of its
target cell; for each field the matching rule of lowest ``priority`` wins. For the
direction, what the target's wording says (:mod:`analysis.io.grammar`) takes its place
among them at the grammar's ``direction_priority``: a bound ("không quá 5 vụ", "≥ 90%")
at 0, before any wording of the indicator; a change ("giảm 10%") after the specific
indicator rules, so that a reduction *rate* ("Tỉ lệ hộ nghèo giảm") stays higher-is-better.

>>> rules = load_rules()
>>> infer(rules, "direction", indicator="Giảm phạm pháp hình sự từ 5% trở lên", target="")[0]
'lower'
>>> infer(rules, "direction", indicator="Tỉ lệ hộ nghèo giảm 2%", target="2%")[0]
'higher'
>>> infer(rules, "target_type", indicator="Trồng cây dưới tán", target="80ha/năm")[0]
'term_average'
>>> infer(rules, "direction", indicator="Tỷ lệ lạm phát", target="Không quá 4,5%")
('lower', "lower by the target's bound ('Không quá 4,5%': at_most)")
>>> infer(rules, "direction", indicator="Số hộ nghèo", target="Giảm 10% so với năm trước")[0]
'lower'
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from analysis import paths
from analysis.errors import DataValidationError
from analysis.io.grammar import BOUND_KINDS, parse_target
from analysis.io.numbers import normalise_text
from analysis.io.rule_files import cell_error, read_rule_frame
from analysis.io.schema import Direction, TargetType

RULE_COLUMNS = ["field", "applies_to", "pattern", "value", "priority", "note"]
FIELD_VALUES = {"direction": frozenset(Direction), "target_type": frozenset(TargetType)}
APPLIES_TO = ("indicator", "target")
DEFAULTS = {"direction": Direction.HIGHER.value, "target_type": TargetType.LEVEL.value}
TERM_YEARS = 5  # a party congress term (NQ Đại hội) covers five years: 2021-2025


class _RuleRow(NamedTuple):
    """One row of the rules file as read, every cell a string."""

    field: str
    applies_to: str
    pattern: str
    value: str
    priority: str
    note: str


def name_key(text: object) -> str:
    """Wording as rules and catalogue matching see it: NFC, casefolded, spaces collapsed.

    >>> name_key("  Tỷ lệ  HỘ nghèo ")
    'tỷ lệ hộ nghèo'
    """
    return normalise_text(str(text)).casefold()


def load_rules(rules: pd.DataFrame | Path | str | None = None) -> pd.DataFrame:
    """The inference rules, checked and sorted by priority.

    ``rules`` is a frame, a CSV path, or None for ``data/inference_rules.csv``. A bad
    field, target, value, priority or regex raises :class:`DataValidationError` naming
    the file, the row (header = row 1) and the column.
    """
    source = rules if isinstance(rules, pd.DataFrame) else Path(rules or paths.dataset_path("inference_rules"))
    where = "inference rules" if isinstance(source, pd.DataFrame) else paths.display_path(source)
    df = read_rule_frame(source, RULE_COLUMNS, "inference rules")
    rows = map(_RuleRow._make, df.itertuples(index=False, name=None))
    for i, r in enumerate(rows, start=2):

        def bad(column: str, expected: str, i: int = i, r: _RuleRow = r) -> DataValidationError:
            return cell_error(where, i, column, getattr(r, column), expected)

        if r.field not in FIELD_VALUES:
            raise bad("field", f"is not one of {', '.join(FIELD_VALUES)}")
        if r.applies_to not in APPLIES_TO:
            raise bad("applies_to", f"is not one of {', '.join(APPLIES_TO)}")
        if r.value not in FIELD_VALUES[r.field]:
            raise bad("value", f"is not one of {', '.join(sorted(FIELD_VALUES[r.field]))}")
        if not re.fullmatch(r"-?\d+", r.priority.strip()):
            raise bad("priority", "is not a whole number")
        try:
            re.compile(r.pattern)
        except re.error as exc:
            raise bad("pattern", f"is not a valid regular expression ({exc})") from None
    df["priority"] = df["priority"].str.strip().astype("int64")
    return df.sort_values("priority", kind="stable").reset_index(drop=True)


def infer(rules: pd.DataFrame, field: str, *, indicator: str, target: str) -> tuple[str, str]:
    """``(value, explanation)`` of ``field`` for an indicator and its target cell text;
    the default of :data:`DEFAULTS` when no rule matches."""
    texts = {"indicator": name_key(indicator), "target": name_key(target)}
    mine = rules[rules["field"] == field]
    said = parse_target(target) if field == "direction" and str(target).strip() else None
    said_rank = said.direction_priority if said is not None and said.direction else None
    for pattern, applies_to, value, priority in zip(
        mine["pattern"], mine["applies_to"], mine["value"], mine["priority"], strict=True
    ):
        if said is not None and said_rank is not None and said_rank < priority:
            what = "bound" if said.kind in BOUND_KINDS else "change"
            return said.direction, f"{said.direction} by the target's {what} ({said.text!r}: {said.kind})"
        if re.search(pattern, texts[applies_to]):
            how = f"rule {pattern!r} on the {applies_to} wording" if pattern else "default rule"
            return value, f"{value} by {how}"
    return DEFAULTS[field], f"{DEFAULTS[field]} by default (no rule matched)"
