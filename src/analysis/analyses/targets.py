"""Gap to the term target (NQ Đại hội): what the final year must reach, and whether the
trend gets there.

Each target type of :class:`analysis.io.schema.TargetType` has its own rule for what the
final year must reach (``data/README.md``, "Gap to the term target"); projections are
those of :mod:`analysis.analyses.projections`. Every row ends with one ``standing``
(:data:`STANDING_LABELS`): the gap table's words and the gap chart's colours both read it.
Changes of a rate are in percentage points.
"""

from __future__ import annotations

import math
from dataclasses import asdict

import numpy as np
import pandas as pd

from analysis.analyses.evaluate import RESULT_KINDS, by_indicator, pick, row_number, rows_of, unit_catalogue
from analysis.analyses.gap_model import _NAN, GAP_COLUMNS, STANDING_LABELS, Gap, TargetParams
from analysis.analyses.gap_rules import (
    GapInputs,
    average_row,
    growth_requirement,
    growth_row,
    level_row,
    range_row,
    reduction_row,
    stock_row,
    term_average_requirement,
    yearly_reduction_ceiling,
)
from analysis.analyses.projections import cagr
from analysis.io.schema import Kind, TargetType

__all__ = ["GAP_COLUMNS", "STANDING_LABELS", "Gap", "TargetParams", "history", "standing", "term_gaps"]


def history(observations: pd.DataFrame, *, unit: str, indicator_id: str, until: int) -> pd.Series:
    """Results (or estimates) of one indicator by year, up to ``until``, as a float Series."""
    # numpy masks and a dict: called for every indicator of every pack (pandas filtering and
    # sorting per call was most of the time of a commune's gaps)
    year = observations["year"].to_numpy(dtype="float64")
    value = observations["value"].to_numpy(dtype="float64")
    keep = (
        (observations["unit"].to_numpy() == unit)
        & (observations["indicator_id"].to_numpy() == indicator_id)
        & observations["kind"].isin(list(RESULT_KINDS)).to_numpy()
        & (year <= until)
        & ~np.isnan(value)
    )
    kinds = observations["kind"].to_numpy()[keep]
    found: dict[int, tuple[str, float]] = {}  # year → (kind, value): per year, the first kind in sort order
    for y, k, v in zip(year[keep], kinds, value[keep]):
        if int(y) not in found or str(k) < found[int(y)][0]:
            found[int(y)] = (str(k), float(v))
    years = sorted(found)
    return pd.Series(
        [found[y][1] for y in years], index=pd.Index(years, dtype="int64", name="year"), name="value", dtype="float64"
    )


def term_gaps(
    observations: pd.DataFrame, catalogue: pd.DataFrame, *, unit: str, year: int, params: TargetParams | None = None
) -> pd.DataFrame:
    """Gap of every indicator of ``unit`` to its term target, seen from ``year``.

    One row per indicator with the columns of ``GAP_COLUMNS``; ``explanation`` says in
    Vietnamese what the final year must reach, ``standing`` the one word the table and
    the chart show.
    """
    params = params or TargetParams()
    obs = observations[observations["unit"] == unit]
    parts = by_indicator(obs)
    rows = [
        _gap_row(rows_of(parts, obs, ind["indicator_id"]), ind, unit=unit, year=year, params=params)
        for _, ind in unit_catalogue(catalogue, unit).iterrows()
    ]
    out = pd.DataFrame([asdict(r) for r in rows], columns=GAP_COLUMNS)
    for col in ("achieved_already", "on_track", "far_beyond", "impossible"):
        out[col] = out[col].astype("boolean")
    return out


def _target(o: pd.DataFrame, ind: pd.Series, term_end: int, year: int) -> pd.Series | None:
    """The observation holding the target: the catalogue's ``target_source``, else next year's
    plan when there is no term target; rates of yearly change (growth, reduction) are next
    year's plan where there is one."""
    plan = pick(o, Kind.PLAN, year + 1)
    term = pick(o, Kind.TERM_TARGET, term_end)
    if ind["target_type"] in (TargetType.GROWTH, TargetType.YEARLY_REDUCTION):
        # the rate: next year's plan, else the term target, whichever is written in %
        rates = [t for t in (plan, term) if t is not None and not pd.isna(t["value"]) and t["measure_unit"] == "%"]
        return rates[0] if rates else None
    if ind["target_source"] == "plan" or term is None:
        final = pick(o, Kind.PLAN, term_end)
        return final if final is not None else plan
    return term


def _target_from(tgt: pd.Series, term: pd.Series | None) -> str:
    """Where the target comes from, as the gap table labels it."""
    if tgt["kind"] == Kind.TERM_TARGET:
        return "NQ Đại hội"
    label = f"KH {int(tgt['year'])}"
    if term is None:
        return f"{label}; không có mục tiêu NQ Đại hội"
    return f"{label}; NQ Đại hội: {term['text'] or term['source_text']}"


def _gap_row(o: pd.DataFrame, ind: pd.Series, *, unit: str, year: int, params: TargetParams) -> Gap:
    iid = ind["indicator_id"]  # o: the indicator's own rows
    start = int(ind["term_start"]) if not pd.isna(ind["term_start"]) else year - 4
    end = int(ind["term_end"]) if not pd.isna(ind["term_end"]) else year + 1
    hist = history(o, unit=unit, indicator_id=iid, until=year)
    tgt = _target(o, ind, end, year)
    ttype = TargetType(ind["target_type"])
    row = Gap(
        unit=unit,
        tt=row_number(ind["tt"]),
        indicator_id=iid,
        indicator=ind["indicator"],
        measure_unit=ind["measure_unit"],
        direction=ind["direction"],
        target_type=str(ttype),
        target_text="" if tgt is None else (str(tgt["text"]) or str(tgt["source_text"])),
        target_from="" if tgt is None else _target_from(tgt, pick(o, Kind.TERM_TARGET, end)),
        target_value=_NAN if tgt is None else float(tgt["value"]),
        target_high=_NAN if tgt is None else float(tgt["value_high"]),
        term_start=start,
        term_end=end,
    )
    if not hist.empty:
        row.latest_year, row.latest_value = int(hist.index[-1]), float(hist.iloc[-1])
    if ttype == TargetType.NONE or tgt is None:
        plan = pick(o, Kind.PLAN, year + 1)
        row.explanation = "Không có mục tiêu nhiệm kỳ." + (
            f" KH {year + 1}: {plan['text'] or plan['source_text']}." if plan is not None else ""
        )
        return row
    if ttype == TargetType.TEXT or math.isnan(row.target_value):
        row.explanation = f"Mục tiêu bằng lời: “{row.target_text}”; đánh giá theo báo cáo."
        return row
    if math.isnan(row.latest_value):
        row.explanation = "Chưa có kết quả để so với mục tiêu."
        return row
    rule = {
        TargetType.STOCK: stock_row,
        TargetType.LEVEL: level_row,
        TargetType.EVERY_YEAR: level_row,
        TargetType.RANGE: range_row,
        TargetType.TERM_AVERAGE: average_row,
        TargetType.RATE_AVERAGE: average_row,
        TargetType.YEARLY_REDUCTION: reduction_row,
        TargetType.GROWTH: growth_row,
    }
    rule[ttype](row, GapInputs(o, hist, ind, year, params, tgt))
    row.standing = standing(row)
    return row


def standing(row: Gap) -> str:
    """The one word of a gap row (a key of :data:`STANDING_LABELS`); '' without a numeric
    target, or for a growth rate (next year's figure is the whole requirement)."""
    if row.target_type == TargetType.GROWTH:
        return ""
    if row.impossible is True:
        return "impossible"
    if row.achieved_already is True:
        return "achieved"
    if row.far_beyond is True:
        return "far_beyond"
    if row.on_track is True:
        return "on_track"
    if row.on_track is False:
        return "off_track"
    return "unknown" if not math.isnan(row.required_value) else ""


__all__ = [
    "GAP_COLUMNS",
    "STANDING_LABELS",
    "Gap",
    "TargetParams",
    "cagr",
    "growth_requirement",
    "history",
    "standing",
    "term_average_requirement",
    "term_gaps",
    "yearly_reduction_ceiling",
]
