"""What the final year must reach, one rule per target type (the rows of
:func:`analysis.analyses.targets.term_gaps`). Each ``*_row`` fills a gap row in place:
the requirement, the change it takes (percentage points for a rate), the projection and
the sentence an official reads."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, NamedTuple

import pandas as pd

from analysis.analyses.evaluate import pick
from analysis.analyses.judge import change_bound
from analysis.analyses.projections import Projection, max_seen_change, project
from analysis.io.grammar import Target, parse_target
from analysis.io.numbers import format_compact, format_number
from analysis.io.schema import Direction, Kind, TargetType

if TYPE_CHECKING:
    from analysis.analyses.gap_model import Gap, TargetParams


def yearly_reduction_ceiling(last: float, rate_pct: float, *, whole: bool) -> float:
    """Most allowed next year when the target is a cut of at least ``rate_pct`` percent.

    For whole counts it is the largest whole number not above ``last × (1 − rate)``.

    >>> yearly_reduction_ceiling(21, 5, whole=True)   # 19,95 -> 19
    19.0
    >>> yearly_reduction_ceiling(33, 5, whole=True)   # 31,35 -> 31
    31.0
    """
    return change_bound(Target("reduce_by", rate_pct, measure_unit="%"), last, rate=False, whole=whole)


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


class GapInputs(NamedTuple):
    """What a rule reads: the indicator's observations, its yearly results, its catalogue row,
    the year seen from, the options, and the observation holding the target."""

    o: pd.DataFrame
    hist: pd.Series
    ind: pd.Series
    year: int
    params: TargetParams
    tgt: pd.Series


class _Figures:
    """Figures of one indicator in words: its unit, its decimals, changes of a rate in points."""

    def __init__(self, row: Gap, decimals: int) -> None:
        self.unit, self.dec = row.measure_unit, decimals
        self.rate = row.measure_unit == "%"

    def __call__(self, v: float, per_year: bool = False) -> str:
        text = format_compact(v, self.dec)
        suffix = "%" if self.rate else (f" {self.unit}" if self.unit else "")
        return text + suffix + ("/năm" if per_year and not self.rate else "")

    def change(self, delta: float, relative_pct: float = math.nan) -> str:
        """``1,7 điểm %`` for a rate; ``103.000 lượt người (+106,2%)`` for a quantity."""
        if self.rate:
            return f"{format_compact(abs(delta), 2)} điểm %"
        rel = f" ({'+' if relative_pct > 0 else '−'}{format_compact(abs(relative_pct), 1)}%)"
        return self(abs(delta)) + ("" if math.isnan(relative_pct) else rel)


def _decimals(ind: pd.Series) -> int:
    return int(ind["decimals"]) if not pd.isna(ind["decimals"]) else 2


def _lower(row: Gap) -> bool:
    return row.direction == Direction.LOWER


def _project(row: Gap, hist: pd.Series, year: int, params: TargetParams, ind: pd.Series) -> Projection:
    p = project(
        hist,
        year,
        rate=row.measure_unit == "%",
        held_down_count=_lower(row) and _decimals(ind) == 0,
        min_years=params.projection_min_years,
        unit=row.measure_unit,
    )
    row.projected_value, row.projection_method, row.projection_note = p.value, p.method, p.why_not
    return p


def _projection_clause(row: Gap, fig: _Figures, year: int) -> str:
    if math.isnan(row.projected_value):
        return f"; {row.projection_note}" if row.projection_note else ""
    verdict = "đủ" if row.on_track is True else "chưa đủ"
    return f"; theo xu hướng {row.projection_method}, năm {year} ước {fig(row.projected_value)} ({verdict})"


def _changes(row: Gap, hist: pd.Series, required: float, years_left: int) -> None:
    """Required and seen changes, relative and in the row's change unit."""
    latest, rate = row.latest_value, row.measure_unit == "%"
    row.change_unit = "điểm %" if rate else "%"
    row.max_seen_change_pct = max_seen_change(hist, points=False)
    row.max_seen_change = max_seen_change(hist, points=rate)
    if latest:
        row.required_change_pct = (required / latest - 1) * 100
        if years_left > 0 and required / latest > 0:
            row.required_annual_change_pct = ((required / latest) ** (1 / years_left) - 1) * 100
    row.required_change = required - latest if rate else row.required_change_pct
    row.required_annual_change = (
        (required - latest) / years_left if rate and years_left > 0 else row.required_annual_change_pct
    )


def _flag_far_beyond(row: Gap, params: TargetParams) -> None:
    need, seen = abs(row.required_annual_change), row.max_seen_change
    minimum = params.far_beyond_min_points if row.change_unit == "điểm %" else params.far_beyond_min_pct
    if row.achieved_already is True or row.impossible is True or math.isnan(need):
        row.far_beyond = False
        return
    row.far_beyond = bool(need >= minimum and (math.isnan(seen) or need > params.far_beyond_factor * seen))


def _bound_words(said: Target, lower: bool) -> tuple[str, bool, bool]:
    """``(words, lower, strict)`` of a level target: its own bound first, else the direction."""
    if said.kind in ("at_most", "below", "down_to"):
        return ("dưới" if said.strict else "tối đa"), True, said.strict
    if said.kind in ("at_least", "above"):
        return ("trên" if said.strict else "ít nhất"), False, said.strict
    if said.kind == "about":
        return "khoảng", lower, False
    return ("tối đa" if lower else "ít nhất"), lower, False


def _met(latest: float, required: float, *, lower: bool, strict: bool) -> bool:
    if math.isclose(latest, required, rel_tol=1e-9, abs_tol=1e-9):
        return not strict
    return latest < required if lower else latest > required


def level_row(row: Gap, src: GapInputs) -> None:
    """A level in the target year ("66,1%"), or a level every year ("Hàng năm đạt 1.200ha")."""
    o, hist, ind, params, tgt = src.o, src.hist, src.ind, src.params, src.tgt
    fig = _Figures(row, _decimals(ind))
    every_year = row.target_type == TargetType.EVERY_YEAR
    latest_year = int(row.latest_year)
    target_year = latest_year + 1 if every_year else int(tgt["year"])
    row.target_year = target_year
    required = row.target_value
    assigned = pick(o, Kind.ASSIGNED_TARGET, target_year)
    if assigned is not None and not pd.isna(assigned["value"]):
        required = row.assigned_value = float(assigned["value"])
        row.assigned_note = str(assigned["text"] or assigned["source_text"])
    bound, lower, strict = _bound_words(parse_target(row.target_text), _lower(row))
    row.required_value, row.required_bound, row.gap = required, bound, required - row.latest_value
    row.achieved_already = _met(row.latest_value, required, lower=lower, strict=strict)
    years_left = max(target_year - latest_year, 0)
    _changes(row, hist, required, years_left)
    cap = _max_possible(o, target_year)
    if cap is not None and not lower and required > float(cap["value"]) + 1e-9:
        row.max_possible, row.max_possible_note = float(cap["value"]), str(cap["text"] or cap["note"])
        row.impossible, row.far_beyond = True, False
        row.explanation = _impossible_sentence(row, fig)
        return
    row.impossible = False
    p = _project(row, hist, target_year, params, ind)
    if not math.isnan(p.value):
        row.on_track = _met(p.value, required, lower=lower, strict=strict)
    _flag_far_beyond(row, params)
    head = ""
    if every_year:
        t = row.target_value
        by_year = zip(hist.index.astype(int), hist, strict=True)
        misses = [y for y, v in by_year if y >= row.term_start and not _met(v, t, lower=lower, strict=strict)]
        seen = [y for y in hist.index.astype(int) if y >= row.term_start]
        head = f"Hằng năm phải đạt {fig(t)}; " + (
            f"chưa đạt các năm {', '.join(map(str, misses))}. "
            if misses
            else f"các năm có số liệu ({', '.join(map(str, seen))}) đều đạt. "
        )
    row.explanation = head + _level_sentence(row, fig, target_year)


def _max_possible(o: pd.DataFrame, target_year: int) -> pd.Series | None:
    if o.empty:
        return None
    # numpy masks: called for every level row of every gap table
    keep = (o["kind"].to_numpy() == Kind.MAX_POSSIBLE) & (o["year"].to_numpy() <= target_year)
    if not keep.any():
        return None
    caps = o[keep].dropna(subset=["value"])
    return None if caps.empty else caps.sort_values("year").iloc[-1]


def _impossible_sentence(row: Gap, fig: _Figures) -> str:
    cap, latest, y = row.max_possible, row.latest_value, int(row.latest_year)
    why = row.max_possible_note
    why = why[:1].lower() + why[1:] if why else "số liệu cho thấy"
    tail = ", bằng mức tối đa có thể." if latest >= cap else f"; mức cao nhất có thể là {fig(cap)}."
    return (
        f"Mục tiêu {fig(row.required_value)} không thể đạt: {why} (tối đa {fig(cap)}). Năm {y} đạt {fig(latest)}{tail}"
    )


def _level_sentence(row: Gap, fig: _Figures, end: int) -> str:
    latest, req, y = row.latest_value, row.required_value, int(row.latest_year)
    source = f" ({row.assigned_note})" if row.assigned_note else ""
    if row.achieved_already:
        return f"Năm {y} đạt {fig(latest)}, đã đạt mục tiêu {end} ({row.required_bound} {fig(req)}{source})."
    delta = req - latest
    text = (
        f"Năm {end} phải đạt {row.required_bound} {fig(req)}{source}; năm {y} đạt {fig(latest)}, "
        f"cần {'tăng' if delta >= 0 else 'giảm'} {fig.change(delta, row.required_change_pct)}"
    )
    if row.far_beyond is True:
        seen = row.max_seen_change
        unit = "%" if row.change_unit == "%" else f" {row.change_unit}"
        seen_text = f"{format_compact(seen, 1)}{unit}/năm"
        text += (
            f" — vượt xa mức thay đổi lớn nhất đã có ({seen_text})"
            if not math.isnan(seen)
            else " — chưa có số liệu các năm trước để biết mức này có khả thi"
        )
    return text + _projection_clause(row, fig, end) + "."


def stock_row(row: Gap, src: GapInputs) -> None:
    """A cumulative count ("Toàn huyện có 27 trường"): the stock stated in a note, else the result."""
    o, ind, year = src.o, src.ind, src.year
    fig = _Figures(row, _decimals(ind))
    stock = pick(o, Kind.STOCK, year)
    latest = row.latest_value = float(stock["value"]) if stock is not None else row.latest_value
    t = row.target_value
    row.target_year, row.required_value, row.required_bound = row.term_end, t, "tối đa" if _lower(row) else "ít nhất"
    row.gap = t - latest
    row.achieved_already = bool(latest <= t if _lower(row) else latest >= t)
    # a stock short of its target is not judged on a trend (it grows by whole additions)
    row.on_track, row.far_beyond, row.impossible = (True if row.achieved_already else pd.NA), False, False
    row.explanation = f"Mục tiêu {fig(t)}; hiện có {fig(latest)}" + (
        " — đã đạt." if row.achieved_already else f", còn thiếu {fig(t - latest)}."
    )


def range_row(row: Gap, src: GapInputs) -> None:
    """Between two values ("14-16 tiêu chí"): inside is reached."""
    hist, ind, params, tgt = src.hist, src.ind, src.params, src.tgt
    fig = _Figures(row, _decimals(ind))
    low, high = row.target_value, row.target_high
    top = high if not math.isnan(high) else math.inf
    latest, target_year = row.latest_value, int(tgt["year"])
    row.target_year, row.required_value, row.required_bound = target_year, low, "trong khoảng"
    inside = low <= latest <= top
    row.achieved_already, row.impossible = inside, False
    row.gap = 0.0 if inside else (low - latest if latest < low else top - latest)
    p = _project(row, hist, target_year, params, ind)
    row.on_track = pd.NA if math.isnan(p.value) else bool(low <= p.value <= top)
    shown = f"{format_compact(low, _decimals(ind))}–{fig(high)}" if not math.isnan(high) else f"từ {fig(low)}"
    row.explanation = f"Mục tiêu {shown}; năm {int(row.latest_year)} đạt {fig(latest)}" + (
        " (trong khoảng)." if inside else " (ngoài khoảng)" + _projection_clause(row, fig, target_year) + "."
    )


def average_row(row: Gap, src: GapInputs) -> None:
    """An average over the term ("80ha/năm"), or the average of a yearly rate."""
    o, hist, ind, params = src.o, src.hist, src.ind, src.params
    fig = _Figures(row, _decimals(ind))
    start, end, target, lower = row.term_start, row.term_end, row.target_value, _lower(row)
    years = list(range(start, end + 1))
    values: dict[int, float] = {y: float(hist[y]) for y in years if y in hist.index}
    planned = {
        y: float(p["value"])
        for y in years
        if y not in values and (p := pick(o, Kind.PLAN, y)) is not None and not math.isnan(float(p["value"]))
    }
    latest = int(row.latest_year)
    others = [values.get(y, planned.get(y) if y > latest else None) for y in years[:-1]]
    row.target_year, row.required_bound, row.impossible = end, "tối đa" if lower else "ít nhất", False
    known = [v for v in others if v is not None]
    if len(known) < len(others):
        missing = [y for y, v in zip(years[:-1], others, strict=True) if v is None]
        row.explanation = f"Thiếu kết quả các năm {', '.join(map(str, missing))} để tính bình quân nhiệm kỳ."
        return
    required = term_average_requirement(target, len(years), known)
    row.required_value, row.gap = required, required - row.latest_value
    final = values.get(end, planned.get(end))
    per_year = row.target_type == TargetType.TERM_AVERAGE
    label = "bình quân" if per_year else "bình quân tỷ lệ"
    avg_text = ""
    if final is not None:
        row.planned_average = (sum(known) + final) / len(years)
        avg_text = (
            f" Với {'kết quả' if end in values else 'kế hoạch'} {end} là {fig(final)}, "
            f"{label} cả giai đoạn = {fig(row.planned_average, per_year)}."
        )
    row.achieved_already = bool(required <= 0) if not lower else pd.NA
    _changes(row, hist, required, max(end - latest, 0))
    if end in values:
        row.projected_value = values[end]
    else:
        _project(row, hist, end, params, ind)
    if not math.isnan(row.projected_value):
        average = (sum(known) + row.projected_value) / len(years)
        row.on_track = bool(average <= target if lower else average >= target)
    _flag_far_beyond(row, params)
    if row.achieved_already is True:
        head = f"Các năm {start}–{end - 1} đã đủ để {label} đạt {fig(target, per_year)}."
    else:
        head = (
            f"Năm {end} phải đạt {row.required_bound} {fig(required)} thì {label} "
            f"{start}–{end} mới đạt {fig(target, per_year)}."
        )
    trend = _projection_clause(row, fig, end).lstrip("; ")
    row.explanation = head + avg_text + (f" {trend[0].upper()}{trend[1:]}." if trend else "")


def reduction_row(row: Gap, src: GapInputs) -> None:
    """A cut each year ("Giảm 5% trở lên"): at most last result less the cut; counts held
    down are not projected."""
    hist, ind, params = src.hist, src.ind, src.params
    fig = _Figures(row, _decimals(ind))
    latest, t, y = row.latest_value, row.target_value, int(row.latest_year)
    rate = row.measure_unit == "%"
    ceiling = change_bound(Target("reduce_by", t, measure_unit="%"), latest, rate=rate, whole=_decimals(ind) == 0)
    row.target_year, row.required_value, row.required_bound = y + 1, ceiling, "tối đa"
    row.gap, row.achieved_already, row.impossible = ceiling - latest, False, False
    _changes(row, hist, ceiling, 1)
    p = _project(row, hist, y + 1, params, ind)
    if not math.isnan(p.value):
        row.on_track = bool(p.value <= ceiling)
    cut = f"{format_compact(t, 2)} điểm %" if rate else f"{format_compact(t, 2)}%"
    row.explanation = (
        f"Giảm ít nhất {cut} so với {fig(latest)} năm {y}: năm {y + 1} tối đa {fig(ceiling)}"
        + _projection_clause(row, fig, y + 1)
        + "."
    )


def growth_row(row: Gap, src: GapInputs) -> None:
    """Growth by a rate ("tăng 12%"): next value = base × (1 + rate), the base a detail of the
    result cell (export value) where there is one."""
    o = src.o
    latest_year, t = int(row.latest_year), row.target_value
    detail = pick(o, Kind.DETAIL, latest_year)
    base, base_unit = (
        (float(detail["value"]), str(detail["measure_unit"]))
        if detail is not None
        else (row.latest_value, row.measure_unit)
    )
    required = growth_requirement(base, t)
    row.target_year, row.required_value, row.required_bound, row.impossible = (
        latest_year + 1,
        required,
        "ít nhất",
        False,
    )
    row.explanation = (
        f"Tăng {format_compact(t, 2)}% từ {format_number(base, 3)} {base_unit} năm "
        f"{latest_year}: năm {latest_year + 1} đạt ít nhất {format_number(required, 3)} {base_unit}."
    )


__all__: list[Any] = [
    "average_row",
    "growth_requirement",
    "growth_row",
    "level_row",
    "range_row",
    "reduction_row",
    "stock_row",
    "term_average_requirement",
    "yearly_reduction_ceiling",
]
