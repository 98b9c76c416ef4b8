"""Attainment, trend, status and the headline of an indicator table.

The functions take tidy observations and an indicator catalogue (curated, or
inferred by :mod:`analysis.io.ingest`) and return new frames; nothing is read
from disk here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from analysis.errors import AnalysisError
from analysis.io.numbers import agrees
from analysis.io.schema import ACHIEVED_STATUSES, Direction, Kind, Status

RESULT_KINDS = (Kind.RESULT, Kind.ESTIMATE)

# The documented columns first (python -m analysis evaluate --format csv), then the rest.
EVALUATED_COLUMNS = [
    "tt",
    "indicator",
    "measure_unit",
    "previous",
    "plan",
    "result",
    "attainment_pct",
    "trend_pct",
    "status",
    "published_attainment_pct",
    "published_trend_pct",
    "agrees",
    "unit",
    "year",
    "indicator_id",
    "direction",
    "target_type",
    "decimals",
    "inferred",
    "plan_text",
    "adjusted_plan",
    "adjusted_plan_note",
    "result_kind",
    "status_basis",
    "published_status",
    "attainment_agrees",
    "trend_agrees",
    "remark",
    "section",
    "parent",
    "label",
]


def _isnan(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def ratio_pct(numerator: float | None, denominator: float | None) -> float:
    """``numerator / denominator × 100``, or NaN when either is missing or the
    denominator is 0 (never a ZeroDivisionError).

    >>> ratio_pct(97000, 94800)
    102.32067510548524
    >>> ratio_pct(1, 0), ratio_pct(None, 5)
    (nan, nan)
    """
    if numerator is None or denominator is None or _isnan(numerator) or _isnan(denominator) or denominator == 0:
        return float("nan")
    return float(numerator) / float(denominator) * 100.0


def compare_status(result: float, plan: float, direction: str, *, estimate: bool = False) -> Status:
    """Status of ``result`` against ``plan`` for a direction.

    >>> compare_status(43.3, 80, "higher")
    <Status.NOT_ACHIEVED: 'Không đạt'>
    >>> compare_status(33, 19, "lower").value
    'Không đạt'
    >>> compare_status(12.0, 12, "higher").value
    'Đạt'
    >>> compare_status(5, 4, "higher", estimate=True).value
    'Dự kiến đạt'
    """
    if _isnan(result) or _isnan(plan):
        return Status.UNKNOWN
    if math.isclose(result, plan, rel_tol=1e-9, abs_tol=1e-12):
        status = Status.ACHIEVED
    elif direction == Direction.LOWER:
        status = Status.EXCEEDED if result < plan else Status.NOT_ACHIEVED
    else:  # higher, maintain
        status = Status.EXCEEDED if result > plan else Status.NOT_ACHIEVED
    if estimate and status in ACHIEVED_STATUSES:
        return Status.EXPECTED
    return status


def pick(obs: pd.DataFrame, kinds: tuple[str, ...] | str, year: float | int) -> pd.Series | None:
    """The first observation of one of ``kinds`` (in that order of preference) for ``year``."""
    kinds = (kinds,) if isinstance(kinds, str) else kinds
    if obs.empty:
        return None
    # numpy masks: pick is called for every indicator, kind and year (pandas indexing per call
    # was most of the time of a district's comparison)
    in_year = obs["year"].to_numpy() == year
    kind_of = obs["kind"].to_numpy()
    for kind in kinds:
        hits = (in_year & (kind_of == kind)).nonzero()[0]
        if len(hits):
            return obs.iloc[hits[0]]
    return None


#: An observation as a mapping of its columns (a row of a frame, or a record of it).
Row = Mapping[str, Any]


def first_observations(obs: pd.DataFrame) -> dict[str, dict[tuple[str, float], Row]]:
    """``obs`` by indicator: (kind, year) → the first observation of that kind and year, in
    frame order, as a record. Built once per unit, :func:`pick_first` then finds what
    :func:`pick` finds without a pass over the frame (a province's comparison picks seven
    figures for each of a thousand indicators).

    >>> obs = pd.DataFrame({"indicator_id": ["a", "a"], "kind": ["plan", "plan"], "year": [2024, 2024],
    ...                     "value": [1.0, 2.0]})
    >>> pick_first(first_observations(obs)["a"], "plan", 2024)["value"]
    1.0
    """
    out: dict[str, dict[tuple[str, float], Row]] = {}
    for row in cast(list[Row], obs.to_dict("records")):
        out.setdefault(str(row["indicator_id"]), {}).setdefault((str(row["kind"]), row["year"]), row)
    return out


def pick_first(first: Mapping[tuple[str, float], Row], kinds: tuple[str, ...] | str, year: float | int) -> Row | None:
    """:func:`pick` on one indicator's :func:`first_observations`."""
    for kind in (kinds,) if isinstance(kinds, str) else kinds:
        row = first.get((str(kind), year))
        if row is not None:
            return row
    return None


def _value(row: Row | None) -> float:
    return float("nan") if row is None else float(row["value"])


def unit_catalogue(catalogue: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The catalogue rows of ``unit`` in table order (by section, in the order the sections
    come, then by TT; a sub-row stays after its indicator); an error if there are none."""
    cat = catalogue[catalogue["unit"] == unit]
    if cat.empty:
        raise AnalysisError(f"no indicators for unit {unit!r} in the catalogue")
    sections, parents = (
        cat[c].fillna("").astype("str") if c in cat.columns else pd.Series("", index=cat.index)
        for c in ("section", "parent")
    )
    rank = {s: i for i, s in enumerate(dict.fromkeys(sections))}
    order = pd.DataFrame({"section": sections.map(rank), "tt": cat["tt"], "sub": parents != ""}, index=cat.index)
    return cat.loc[order.sort_values(["section", "tt", "sub"], kind="stable").index]


def evaluate(observations: pd.DataFrame, catalogue: pd.DataFrame, *, unit: str, year: int) -> pd.DataFrame:
    """The evaluated indicator table of ``unit`` for ``year``.

    One row per indicator of the catalogue, with the columns of
    ``EVALUATED_COLUMNS``. Attainment is computed against the plan as
    published; the status against the adjusted plan where data gives one.
    Undefined ratios (missing or zero denominators) are NaN with a remark.
    """
    cat = unit_catalogue(catalogue, unit)
    obs = observations[observations["unit"] == unit]
    if not (obs["year"] == year).any():
        years = sorted(int(y) for y in obs["year"].dropna().unique())
        raise AnalysisError(f"no observations for unit {unit!r} in {year}; years available: {years}")
    rows = []
    by_indicator = first_observations(obs)
    for _, ind in cat.iterrows():
        o = by_indicator.get(str(ind["indicator_id"]), {})
        res = pick_first(o, RESULT_KINDS, year)
        prev = pick_first(o, RESULT_KINDS, year - 1)
        plan = pick_first(o, Kind.PLAN, year)
        adj = pick_first(o, Kind.ADJUSTED_PLAN, year)
        pub_att = pick_first(o, Kind.PUBLISHED_ATTAINMENT, year)
        pub_trend = pick_first(o, Kind.PUBLISHED_TREND, year)
        pub_status = pick_first(o, Kind.PUBLISHED_STATUS, year)
        result, previous, plan_v = _value(res), _value(prev), _value(plan)
        remarks: list[str] = []
        attainment = ratio_pct(result, plan_v)
        trend = ratio_pct(result, previous)
        if math.isnan(attainment):
            remarks.append("TH/KH không tính được: " + _why(result, plan_v, "kế hoạch"))
        if math.isnan(trend):
            remarks.append("TH/TH không tính được: " + _why(result, previous, f"kết quả {year - 1}"))
        effective = _value(adj) if adj is not None else plan_v
        estimate = res is not None and res["kind"] == Kind.ESTIMATE
        status = Status.UNKNOWN
        basis = ""
        if ind["direction"] != Direction.TEXT and not math.isnan(effective) and not math.isnan(result):
            status = compare_status(result, effective, ind["direction"], estimate=estimate)
            basis = "kế hoạch điều chỉnh" if adj is not None else "tính toán"
        elif pub_status is not None and str(pub_status["text"]).strip():
            status = _status_from_words(str(pub_status["text"]))
            basis = "theo báo cáo"
        if adj is not None:
            remarks.append(f"Đánh giá theo kế hoạch điều chỉnh {adj['value']:g}: {adj['note']}".rstrip(": "))
        att_ok = _agree(pub_att, attainment)
        trend_ok = _agree(pub_trend, trend)
        checks = [x for x in (att_ok, trend_ok) if x is not pd.NA]
        rows.append(
            {
                "unit": unit,
                "year": year,
                "tt": int(ind["tt"]),
                "indicator_id": ind["indicator_id"],
                "indicator": ind["indicator"],
                "measure_unit": ind["measure_unit"],
                "direction": ind["direction"],
                "target_type": ind["target_type"],
                "decimals": ind["decimals"],
                "inferred": ind.get("inferred", "") if isinstance(ind.get("inferred", ""), str) else "",
                "previous": previous,
                "plan": plan_v,
                "plan_text": "" if plan is None else str(plan["text"]),
                "adjusted_plan": _value(adj),
                "adjusted_plan_note": "" if adj is None else str(adj["note"]),
                "result": result,
                "result_kind": "" if res is None else str(res["kind"]),
                "attainment_pct": attainment,
                "trend_pct": trend,
                "status": str(status),
                "status_basis": basis,
                "published_status": "" if pub_status is None else str(pub_status["text"]),
                "published_attainment_pct": _value(pub_att),
                "published_trend_pct": _value(pub_trend),
                "attainment_agrees": att_ok,
                "trend_agrees": trend_ok,
                "agrees": all(checks) if checks else pd.NA,
                "remark": "; ".join(remarks),
                "section": _text(ind, "section"),
                "parent": _text(ind, "parent"),
                "label": _text(ind, "label"),
            }
        )
    out = pd.DataFrame(rows, columns=EVALUATED_COLUMNS)
    for col in ("attainment_agrees", "trend_agrees", "agrees"):
        out[col] = out[col].astype("boolean")
    return out


def _text(ind: pd.Series, column: str) -> str:
    """A text column of a catalogue row ("" when the catalogue has no such column)."""
    value = ind.get(column, "")
    return value if isinstance(value, str) else ""


def _why(numerator: float, denominator: float, name: str) -> str:
    if math.isnan(numerator):
        return "thiếu kết quả"
    if math.isnan(denominator):
        return f"thiếu {name} dạng số"
    return f"{name} bằng 0"


def _status_from_words(text: str) -> Status:
    t = text.strip().casefold()
    for s in (Status.NOT_ACHIEVED, Status.EXPECTED, Status.EXCEEDED, Status.ACHIEVED):
        if t.startswith(s.value.casefold()):
            return s
    return Status.UNKNOWN


def published_decimals(row: Row) -> int:
    """Decimals of a published figure, read from the cell as written."""
    from analysis.io.numbers import parse_cell

    return parse_cell(str(row["source_text"])).decimals


def _agree(pub: Row | None, recomputed: float) -> object:
    if pub is None or _isnan(pub["value"]) or math.isnan(recomputed):
        return pd.NA
    return agrees(float(pub["value"]), recomputed, published_decimals(pub))


@dataclass(frozen=True)
class Headline:
    """The opening sentence of the report: how many indicators were not achieved."""

    year: int
    total: int
    not_achieved: list[tuple[int, str]] = field(default_factory=list)
    unknown: list[tuple[int, str]] = field(default_factory=list)
    estimated: bool = False

    @property
    def count_text(self) -> str:
        """``06/26``, as the reports write it."""
        return f"{len(self.not_achieved):02d}/{self.total:02d}"

    @property
    def sentence(self) -> str:
        """``Năm 2024: 06/26 chỉ tiêu không đạt so với kế hoạch, gồm: (1) ..., (2) ...``."""
        lead = f"{'Dự kiến năm' if self.estimated else 'Năm'} {self.year}: {self.count_text} chỉ tiêu không đạt so với kế hoạch"
        if self.not_achieved:
            items = ", ".join(f"({i}) {name}" for i, (_, name) in enumerate(self.not_achieved, 1))
            lead += f", gồm: {items}"
        lead += "."
        if self.unknown:
            lead += (
                f" {len(self.unknown):02d} chỉ tiêu chưa đánh giá được: "
                + ", ".join(f"{tt}. {name}" for tt, name in self.unknown)
                + "."
            )
        return lead


def headline(evaluated: pd.DataFrame) -> Headline:
    """The headline of an evaluated table (see :func:`evaluate`). Sub-rows (those with a
    ``parent``, such as "- Trong đó ...") are not indicators of their own: not counted."""
    if "parent" in evaluated.columns:
        evaluated = evaluated[evaluated["parent"].fillna("").astype("str") == ""]
    if evaluated.empty:
        raise AnalysisError("cannot write a headline for an empty table")
    miss = evaluated[evaluated["status"] == Status.NOT_ACHIEVED]
    unknown = evaluated[evaluated["status"] == Status.UNKNOWN]
    return Headline(
        year=int(evaluated["year"].iloc[0]),
        total=len(evaluated),
        not_achieved=[(int(tt), str(name)) for tt, name in zip(miss["tt"], miss["indicator"], strict=True)],
        unknown=[(int(tt), str(name)) for tt, name in zip(unknown["tt"], unknown["indicator"], strict=True)],
        estimated=bool((evaluated["result_kind"] == Kind.ESTIMATE).any()),
    )
