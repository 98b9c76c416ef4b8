"""The shapes of the gap analysis: its options (:class:`TargetParams`), one row of the gap
table (:class:`Gap`) and the words of each standing. Shared by :mod:`analysis.analyses.targets`
(which fills the rows) and :mod:`analysis.analyses.gap_rules` (the rule per target type).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import pandas as pd
from pandas.api.typing import NAType

from analysis.io.grammar import DEFAULT_ABOUT_TOLERANCE_PCT


@dataclass(frozen=True)
class TargetParams:
    """Options of the gap analysis (``params/defaults.yaml``, key ``targets``)."""

    far_beyond_factor: float = 2.0  # required yearly change > factor × largest change seen
    far_beyond_min_pct: float = 10.0  # ... and at least this many percent a year (quantities)
    far_beyond_min_points: float = 2.0  # ... or this many percentage points a year (rates)
    projection_min_years: int = 3  # yearly results needed for a trend projection
    about_tolerance_pct: float = DEFAULT_ABOUT_TOLERANCE_PCT  # "khoảng X": X ± this % of X

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> TargetParams:
        """Build from a parameter mapping; unknown keys are an error."""
        from analysis.errors import ParameterError

        values = dict(values or {})
        unknown = sorted(set(values) - set(cls.__dataclass_fields__))
        if unknown:
            raise ParameterError(
                f"targets: unknown parameter(s) {', '.join(unknown)}; expected {', '.join(cls.__dataclass_fields__)}"
            )
        return cls(**values)


# What a gap row says about its target, in the words of the gap table (and the chart's legend).
STANDING_LABELS = {
    "achieved": "đã đạt",
    "on_track": "đúng hướng",
    "off_track": "chưa đủ",
    "far_beyond": "vượt xa mức đã có",  # beyond any change seen (two results suffice; a trend needs more)
    "impossible": "không thể đạt",
    "unknown": "chưa dự báo được",
}

_NAN = float("nan")


@dataclass
class Gap:
    """One row of :func:`term_gaps`; numbers not worked out stay NaN, flags pd.NA.

    Changes are in ``change_unit``: ``điểm %`` for a rate in %, ``%`` (of the latest
    value) for a quantity; ``*_pct`` columns are always relative.
    """

    unit: str
    tt: int | str
    indicator_id: str
    indicator: str
    measure_unit: str
    direction: str
    target_type: str
    target_text: str
    target_from: str
    target_value: float
    target_high: float
    term_start: int
    term_end: int
    target_year: float = _NAN
    latest_year: float = _NAN  # a year (int) once there is a result
    latest_value: float = _NAN
    required_value: float = _NAN
    required_bound: str = ""
    gap: float = _NAN
    change_unit: str = ""
    required_change: float = _NAN
    required_annual_change: float = _NAN
    max_seen_change: float = _NAN
    required_change_pct: float = _NAN
    required_annual_change_pct: float = _NAN
    max_seen_change_pct: float = _NAN
    projected_value: float = _NAN
    projection_method: str = ""
    projection_note: str = ""
    planned_average: float = _NAN
    assigned_value: float = _NAN
    assigned_note: str = ""
    max_possible: float = _NAN
    max_possible_note: str = ""
    achieved_already: bool | NAType = pd.NA
    on_track: bool | NAType = pd.NA
    far_beyond: bool | NAType = pd.NA
    impossible: bool | NAType = pd.NA
    standing: str = ""
    explanation: str = ""


GAP_COLUMNS = [f.name for f in fields(Gap)]
