"""Gap to the term target (NQ Đại hội), projections and on-track flags.

Each target type of :class:`analysis.io.schema.TargetType` has its own rule for
what the final year must reach; see ``data/README.md`` and the domain notes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, Protocol

import numpy as np
import pandas as pd
from pandas.api.typing import NAType

from analysis.analyses.evaluate import RESULT_KINDS, pick, unit_catalogue
from analysis.io.numbers import format_compact, format_number
from analysis.io.schema import Direction, Kind, TargetType


@dataclass(frozen=True)
class TargetParams:
    """Options of the gap analysis (``params/defaults.yaml``, key ``targets``)."""

    far_beyond_factor: float = 2.0  # required yearly change > factor × largest change seen
    far_beyond_min_pct: float = 10.0  # ... and at least this many percent a year
    projection_min_years: int = 2  # results needed for a trend projection

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


_NAN = float("nan")


@dataclass
class _Gap:
    """One row of :func:`term_gaps`; numbers not worked out stay NaN, flags pd.NA."""

    unit: str
    tt: int
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
    latest_year: float = _NAN  # a year (int) once there is a result
    latest_value: float = _NAN
    required_value: float = _NAN
    required_bound: str = ""
    gap: float = _NAN
    required_change_pct: float = _NAN
    required_annual_change_pct: float = _NAN
    max_seen_change_pct: float = _NAN
    projected_value: float = _NAN
    planned_average: float = _NAN
    achieved_already: bool | NAType = pd.NA
    on_track: bool | NAType = pd.NA
    far_beyond: bool | NAType = pd.NA
    explanation: str = ""


GAP_COLUMNS = [f.name for f in fields(_Gap)]


class _Format(Protocol):
    """How a gap sentence writes a figure of the indicator (its unit, ``/năm`` per year)."""

    def __call__(self, v: float, per_year: bool = False) -> str: ...


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


def max_seen_change_pct(series: pd.Series) -> float:
    """The largest year-on-year relative change seen, in percent (NaN with fewer than 2 years)."""
    s = series.dropna()
    changes = [
        abs(b / a - 1) * 100
        for a, b, ya, yb in zip(s.iloc[:-1], s.iloc[1:], s.index[:-1], s.index[1:])
        if a and yb - ya == 1
    ]
    return max(changes) if changes else float("nan")


def yearly_reduction_ceiling(last: float, rate_pct: float, *, whole: bool) -> float:
    """Most allowed next year when the target is a cut of at least ``rate_pct`` percent.

    For whole counts it is the largest whole number not above ``last × (1 − rate)``.

    >>> yearly_reduction_ceiling(21, 5, whole=True)   # 19,95 -> 19
    19.0
    >>> yearly_reduction_ceiling(33, 5, whole=True)   # 31,35 -> 31
    31.0
    """
    ceiling = last * (1 - rate_pct / 100)
    return float(math.floor(ceiling + 1e-9)) if whole else ceiling


def growth_requirement(base: float, rate_pct: float) -> float:
    """Next value when the target is growth by ``rate_pct`` percent.

    >>> round(growth_requirement(15.139, 12), 3)
    16.956
    """
    return base * (1 + rate_pct / 100)


def term_average_requirement(target: float, years: int, other_years: list[float]) -> float:
    """What the final year must reach for the term average to equal ``target``.

    >>> round(term_average_requirement(80, 5, [30, 131.1, 80.7, 43.3]), 1)
    114.9
    """
    return target * years - sum(other_years)


def term_gaps(
    observations: pd.DataFrame, catalogue: pd.DataFrame, *, unit: str, year: int, params: TargetParams | None = None
) -> pd.DataFrame:
    """Gap of every indicator of ``unit`` to its term target, seen from ``year``.

    Returns one row per indicator with the columns of ``GAP_COLUMNS``; the
    ``explanation`` says in Vietnamese what the final year must reach.
    """
    params = params or TargetParams()
    obs = observations[observations["unit"] == unit]
    rows = [
        _gap_row(obs, ind, unit=unit, year=year, params=params) for _, ind in unit_catalogue(catalogue, unit).iterrows()
    ]
    out = pd.DataFrame([asdict(r) for r in rows], columns=GAP_COLUMNS)
    for col in ("achieved_already", "on_track", "far_beyond"):
        out[col] = out[col].astype("boolean")
    return out


def _target(o: pd.DataFrame, ind: pd.Series, term_end: int, year: int) -> pd.Series | None:
    """The observation holding the target: the catalogue's ``target_source``; rates of
    yearly change (growth, reduction) are next year's plan where there is one."""
    plan = pick(o, Kind.PLAN, year + 1)
    term = pick(o, Kind.TERM_TARGET, term_end)
    if ind["target_type"] in (TargetType.GROWTH, TargetType.YEARLY_REDUCTION):
        # the rate: next year's plan, else the term target, whichever is written in %
        rates = [t for t in (plan, term) if t is not None and not pd.isna(t["value"]) and t["measure_unit"] == "%"]
        return rates[0] if rates else None
    if ind["target_source"] == "plan":
        final = pick(o, Kind.PLAN, term_end)
        return final if final is not None else plan
    return term


def _gap_row(o: pd.DataFrame, ind: pd.Series, *, unit: str, year: int, params: TargetParams) -> _Gap:
    iid = ind["indicator_id"]
    o = o[o["indicator_id"] == iid]
    start = int(ind["term_start"]) if not pd.isna(ind["term_start"]) else year - 4
    end = int(ind["term_end"]) if not pd.isna(ind["term_end"]) else year + 1
    hist = history(o, unit=unit, indicator_id=iid, until=year)
    tgt = _target(o, ind, end, year)
    ttype = TargetType(ind["target_type"])
    mu = ind["measure_unit"]
    dec = int(ind["decimals"]) if not pd.isna(ind["decimals"]) else 2
    lower = ind["direction"] == Direction.LOWER
    row = _Gap(
        unit=unit,
        tt=int(ind["tt"]),
        indicator_id=iid,
        indicator=ind["indicator"],
        measure_unit=mu,
        direction=ind["direction"],
        target_type=str(ttype),
        target_text="" if tgt is None else (str(tgt["text"]) or str(tgt["source_text"])),
        target_from=""
        if tgt is None
        else ("NQ Đại hội" if tgt["kind"] == Kind.TERM_TARGET else f"KH {int(tgt['year'])}"),
        target_value=float("nan") if tgt is None else float(tgt["value"]),
        target_high=float("nan") if tgt is None else float(tgt["value_high"]),
        term_start=start,
        term_end=end,
    )
    if not hist.empty:
        row.latest_year, row.latest_value = int(hist.index[-1]), float(hist.iloc[-1])
    row.max_seen_change_pct = max_seen_change_pct(hist)
    t, latest = row.target_value, row.latest_value

    def fmt(v: float, per_year: bool = False) -> str:
        text = format_compact(v, dec)
        suffix = "%" if mu == "%" else (f" {mu}" if mu else "")
        return text + suffix + ("/năm" if per_year and mu != "%" else "")

    if ttype in (TargetType.NONE,) or tgt is None:
        row.explanation = "Không có mục tiêu nhiệm kỳ."
        return row
    if ttype == TargetType.TEXT or math.isnan(t):
        row.explanation = f"Mục tiêu bằng lời: “{row.target_text}”; đánh giá theo báo cáo."
        return row
    if math.isnan(latest):
        row.explanation = "Chưa có kết quả để so với mục tiêu."
        return row

    # a target taken from a plan is for that plan's year, not the term's end
    target_year = int(tgt["year"]) if ttype in (TargetType.LEVEL, TargetType.RANGE) else end
    years_left = target_year - int(row.latest_year)
    if ttype in (TargetType.LEVEL, TargetType.EVERY_YEAR, TargetType.STOCK):
        if ttype == TargetType.STOCK:
            stock = pick(o, Kind.STOCK, year)
            if stock is not None:
                latest = row.latest_value = float(stock["value"])
        required = t
        row.required_bound = "tối đa" if lower else "ít nhất"
        if ttype == TargetType.STOCK:
            row.required_value, row.gap = t, t - latest
            row.achieved_already = bool(latest <= t if lower else latest >= t)
            row.on_track = row.achieved_already
            row.far_beyond = False
            row.explanation = f"Mục tiêu {fmt(t)}; hiện có {fmt(latest)}" + (
                " — đã đạt." if row.achieved_already else f", còn thiếu {fmt(t - latest)}."
            )
            return row
        _level_projection(row, hist, required, lower, years_left if ttype != TargetType.EVERY_YEAR else 1, params)
        if ttype == TargetType.EVERY_YEAR:
            seen = [int(y) for y in hist.index if y >= start]
            misses = [
                int(y) for y, v in zip(hist.index, hist, strict=True) if start <= y and (v > t if lower else v < t)
            ]
            row.explanation = (
                f"Hằng năm phải đạt {fmt(t)}; "
                + (
                    f"chưa đạt các năm {', '.join(map(str, misses))}"
                    if misses
                    else f"các năm có số liệu ({', '.join(map(str, seen))}) đều đạt"
                )
                + _projection_clause(row, fmt, int(row.latest_year) + 1)
                + "."
            )
        else:
            row.explanation = _level_sentence(row, fmt, target_year)
    elif ttype == TargetType.RANGE:
        low, high = t, row.target_high
        row.required_value, row.required_bound = low, "trong khoảng"
        inside = low <= latest <= (high if not math.isnan(high) else math.inf)
        row.achieved_already = inside
        row.gap = 0.0 if inside else (low - latest if latest < low else high - latest)
        proj = _project(hist, years_left, params)
        row.projected_value = proj
        row.on_track = pd.NA if math.isnan(proj) else bool(low <= proj <= high)
        row.explanation = (
            f"Mục tiêu {format_compact(low, dec)}–{fmt(high)}; năm {int(row.latest_year)} đạt {fmt(latest)}"
            + (" (trong khoảng)." if inside else " (ngoài khoảng).")
        )
    elif ttype in (TargetType.TERM_AVERAGE, TargetType.RATE_AVERAGE):
        _average_row(row, o, hist, ind, start, end, t, lower, fmt, params)
    elif ttype == TargetType.YEARLY_REDUCTION:
        whole = dec == 0
        ceiling = yearly_reduction_ceiling(latest, t, whole=whole)
        row.required_value, row.required_bound = ceiling, "tối đa"
        row.gap = ceiling - latest
        row.required_change_pct = (ceiling / latest - 1) * 100 if latest else float("nan")
        row.achieved_already = False
        proj = _project(hist, 1, params)
        row.projected_value = proj
        if not math.isnan(proj):
            row.on_track = bool(proj <= ceiling)
        row.explanation = (
            f"Giảm ít nhất {format_compact(t, 2)}% so với {fmt(latest)} năm "
            f"{int(row.latest_year)}: năm {int(row.latest_year) + 1} tối đa {fmt(ceiling)}"
            + _projection_clause(row, fmt, int(row.latest_year) + 1)
            + "."
        )
    elif ttype == TargetType.GROWTH:
        detail = pick(o, Kind.DETAIL, int(row.latest_year))
        base, base_unit = (float(detail["value"]), detail["measure_unit"]) if detail is not None else (latest, mu)
        required = growth_requirement(base, t)
        row.required_value, row.required_bound = required, "ít nhất"
        row.explanation = (
            f"Tăng {format_compact(t, 2)}% từ {format_number(base, 3)} {base_unit} năm "
            f"{int(row.latest_year)}: năm {int(row.latest_year) + 1} đạt ít nhất "
            f"{format_number(required, 3)} {base_unit}."
        )
    return row


def _project(hist: pd.Series, years_ahead: int, params: TargetParams) -> float:
    if len(hist.dropna()) < params.projection_min_years:
        return float("nan")
    g = cagr(hist)
    return float("nan") if math.isnan(g) else float(hist.iloc[-1] * (1 + g) ** years_ahead)


def _level_projection(
    row: _Gap, hist: pd.Series, required: float, lower: bool, years_left: int, params: TargetParams
) -> None:
    latest = row.latest_value
    row.required_value = required
    row.gap = required - latest
    row.achieved_already = bool(latest <= required if lower else latest >= required)
    if latest:
        row.required_change_pct = (required / latest - 1) * 100
        if years_left > 0 and required / latest > 0:
            row.required_annual_change_pct = ((required / latest) ** (1 / years_left) - 1) * 100
    proj = _project(hist, max(years_left, 0), params)
    row.projected_value = proj
    if not math.isnan(proj):
        row.on_track = bool(proj <= required if lower else proj >= required)
    _flag_far_beyond(row, params)


def _flag_far_beyond(row: _Gap, params: TargetParams) -> None:
    need, seen = abs(row.required_annual_change_pct), row.max_seen_change_pct
    if row.achieved_already is True or math.isnan(need):
        row.far_beyond = False
        return
    row.far_beyond = bool(
        need >= params.far_beyond_min_pct and (math.isnan(seen) or need > params.far_beyond_factor * seen)
    )


def _projection_clause(row: _Gap, fmt: _Format, year: int) -> str:
    proj = row.projected_value
    if math.isnan(proj):
        return ""
    verdict = "đúng hướng" if row.on_track is True else "chưa đủ"
    return f"; theo xu hướng, năm {year} ước {fmt(proj)} ({verdict})"


def _level_sentence(row: _Gap, fmt: _Format, end: int) -> str:
    latest, req, y = row.latest_value, row.required_value, int(row.latest_year)
    if row.achieved_already:
        return f"Năm {y} đạt {fmt(latest)}, đã đạt mục tiêu {end} ({row.required_bound} {fmt(req)})."
    change = row.required_change_pct
    text = (
        f"Năm {end} phải đạt {row.required_bound} {fmt(req)}; năm {y} đạt {fmt(latest)}, "
        f"cần {'tăng' if change >= 0 else 'giảm'} {format_compact(abs(change), 1)}%"
    )
    if row.far_beyond is True:
        seen = row.max_seen_change_pct
        text += (
            f" — vượt xa mức thay đổi lớn nhất đã có ({format_compact(seen, 1)}%/năm)"
            if not math.isnan(seen)
            else " — chưa có số liệu các năm trước để biết mức này có khả thi"
        )
    return text + _projection_clause(row, fmt, end) + "."


def _average_row(
    row: _Gap,
    o: pd.DataFrame,
    hist: pd.Series,
    ind: pd.Series,
    start: int,
    end: int,
    target: float,
    lower: bool,
    fmt: _Format,
    params: TargetParams,
) -> None:
    years = list(range(start, end + 1))
    values: dict[int, float] = {y: float(hist[y]) for y in years if y in hist.index}
    planned = {
        y: float(p["value"])
        for y in years
        if y not in values and (p := pick(o, Kind.PLAN, y)) is not None and not math.isnan(float(p["value"]))
    }
    latest = int(row.latest_year)
    # years before the final one: results, or the plan for years still to come
    others = [values.get(y, planned.get(y) if y > latest else None) for y in years[:-1]]
    row.required_bound = "tối đa" if lower else "ít nhất"
    known = [v for v in others if v is not None]
    if len(known) < len(others):
        missing = [y for y, v in zip(years[:-1], others) if v is None]
        row.explanation = f"Thiếu kết quả các năm {', '.join(map(str, missing))} để tính bình quân nhiệm kỳ."
        return
    required = term_average_requirement(target, len(years), known)
    row.required_value = required
    row.gap = required - row.latest_value
    final = values.get(end, planned.get(end))
    per_year = ind["target_type"] == TargetType.TERM_AVERAGE
    label = "bình quân" if per_year else "bình quân tỷ lệ"
    avg_text = ""
    if final is not None:
        average = (sum(known) + final) / len(years)
        row.planned_average = average
        avg_text = (
            f" Với {'kết quả' if end in values else 'kế hoạch'} {end} là {fmt(final)}, "
            f"{label} cả giai đoạn = {fmt(average, per_year)}."
        )
    proj = values.get(end, _project(hist, end - int(row.latest_year), params))
    row.projected_value = proj
    if not math.isnan(proj):
        average = (sum(known) + proj) / len(years)
        row.on_track = bool(average <= target if lower else average >= target)
    row.achieved_already = bool(required <= 0) if not lower else pd.NA
    if row.latest_value:
        row.required_change_pct = (required / row.latest_value - 1) * 100
        row.required_annual_change_pct = row.required_change_pct
    _flag_far_beyond(row, params)
    if row.achieved_already is True:
        head = f"Các năm {start}–{end - 1} đã đủ để {label} đạt {fmt(target, per_year)}."
    else:
        head = (
            f"Năm {end} phải đạt {row.required_bound} {fmt(required)} thì {label} "
            f"{start}–{end} mới đạt {fmt(target, per_year)}."
        )
    trend = _projection_clause(row, fmt, end).lstrip("; ")
    row.explanation = head + avg_text + (f" {trend[0].upper()}{trend[1:]}." if trend else "")
