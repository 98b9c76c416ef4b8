"""Attainment, trend, status and the headline of an indicator table.

The functions take tidy observations and an indicator catalogue (curated, or
inferred by :mod:`analysis.io.ingest`) and return new frames; nothing is read
from disk here. Each year's plan is read by the target grammar
(:mod:`analysis.io.grammar`) and judged by :mod:`analysis.analyses.judge`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, cast

import pandas as pd

from analysis.analyses.groups import judge_groups
from analysis.analyses.headline import Headline, headline
from analysis.analyses.judge import Judgement, judge
from analysis.analyses.measures import combine, qualified_status, second_measure
from analysis.analyses.ratios import meaningful_attainment, meaningful_trend, ratio_pct, ratio_remarks
from analysis.errors import AnalysisError
from analysis.io.grammar import (
    BOUND_KINDS,
    DEFAULT_ABOUT_TOLERANCE_PCT,
    Target,
    key,
    parse_target,
    status_from_words,
)
from analysis.io.numbers import agrees, format_compact
from analysis.io.schema import Direction, Kind, Status, TargetType, as_estimate

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
    "published_status",
    "published_attainment_pct",
    "published_trend_pct",
    "agrees",
    "section",
    "parent",
    "label",
    "unit",
    "year",
    "indicator_id",
    "direction",
    "target_type",
    "decimals",
    "inferred",
    "plan_text",
    "target_kind",
    "requirement",
    "adjusted_plan",
    "adjusted_plan_note",
    "result_kind",
    "estimate",
    "status_basis",
    "published_attainment_text",
    "published_trend_text",
    "recomputed_attainment_pct",
    "recomputed_trend_pct",
    "attainment_agrees",
    "trend_agrees",
    "check_note",
    "remark",
    "result_text",
    "status_certain",
]

# A table whose headline opens "Dự kiến năm 2024: ..." or "Ước năm 2023: ..." reports estimates.
ESTIMATE_HEADLINE = re.compile(r"^(?:dự kiến|ước)\b")


def _isnan(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def compare_status(result: float, plan: float, direction: str, *, estimate: bool = False) -> Status:
    """Status of ``result`` against a plain figure ``plan`` for a direction.

    >>> compare_status(43.3, 80, "higher")
    <Status.NOT_ACHIEVED: 'Không đạt'>
    >>> compare_status(33, 19, "lower").value
    'Không đạt'
    >>> compare_status(12.0, 12, "higher").value
    'Đạt'
    >>> compare_status(5, 4, "higher", estimate=True).value
    'Dự kiến vượt'
    """
    if _isnan(result) or _isnan(plan):
        return Status.UNKNOWN
    target = Target("point", float(plan), low=float(plan), high=float(plan))
    status = judge(target, float(result), direction=direction).status
    return as_estimate(status) if estimate else status


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


def by_indicator(obs: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``obs`` split by ``indicator_id``, each part in frame order: what filtering the frame by one
    indicator gives, for every indicator in one pass (a table's evaluation, audit and gaps look
    at every indicator's rows; one filter per indicator was most of their time).

    >>> obs = pd.DataFrame({"indicator_id": ["a", "b", "a"], "value": [1.0, 2.0, 3.0]})
    >>> by_indicator(obs)["a"]["value"].tolist()
    [1.0, 3.0]
    """
    return {str(k): part for k, part in obs.groupby("indicator_id", sort=False)}


def rows_of(parts: Mapping[str, pd.DataFrame], obs: pd.DataFrame, indicator_id: object) -> pd.DataFrame:
    """The rows of ``indicator_id`` in :func:`by_indicator`'s ``parts`` of ``obs`` (none: an empty frame of ``obs``'s columns)."""
    part = parts.get(str(indicator_id))
    return obs.iloc[0:0] if part is None else part


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


def row_number(value: object) -> int | str:
    """A row's TT as a whole number where it is one (``3``, ``3.0``), else as written (a sub-row's
    ``a)`` or ``-``), so that a table with sub-rows is still evaluated.

    >>> row_number(3.0), row_number("a)")
    (3, 'a)')
    """
    if isinstance(value, (int, float)) and not _isnan(value) and float(value).is_integer():
        return int(value)
    return "" if _isnan(value) else str(value)


def _value(row: pd.Series | None) -> float:
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
    # an unnumbered row read from a table (its STT taken from the row above) stays where it was
    inferred = cat["inferred"].fillna("").astype("str") if "inferred" in cat.columns else pd.Series("", index=cat.index)
    unnumbered = inferred.str.split(",").map(lambda flags: "tt" in flags)
    order = pd.DataFrame(
        {"section": sections.map(rank), "tt": cat["tt"], "sub": (parents != "") | unnumbered}, index=cat.index
    )
    return cat.loc[order.sort_values(["section", "tt", "sub"], kind="stable").index]


def evaluate(
    observations: pd.DataFrame,
    catalogue: pd.DataFrame,
    *,
    unit: str,
    year: int,
    about_tolerance_pct: float = DEFAULT_ABOUT_TOLERANCE_PCT,
) -> pd.DataFrame:
    """The evaluated indicator table of ``unit`` for ``year``.

    One row per indicator of the catalogue, with the columns of ``EVALUATED_COLUMNS``.
    The year's plan is read by the target grammar (a figure, a bound, a range, a change
    from last year, words); a bound decides the direction before the catalogue does
    (``inferred`` then names ``direction``). The status is judged against the adjusted
    plan where data gives one; results that are estimates (an ``estimate`` observation,
    or a table headline opening "Dự kiến"/"Ước") get the "Dự kiến" statuses. TH/KH and
    TH/TH are left blank, with a remark, where they mean nothing; ``recomputed_*`` keep
    the plain ratios that published percentages are checked against.
    """
    cat = unit_catalogue(catalogue, unit)
    obs = observations[observations["unit"] == unit]
    if not (obs["year"] == year).any():
        years = sorted(int(y) for y in obs["year"].dropna().unique())
        raise AnalysisError(f"no observations for unit {unit!r} in {year}; years available: {years}")
    table_estimate = _headline_is_estimate(obs, year)
    parts = by_indicator(obs)
    rows = [
        _evaluate_row(rows_of(parts, obs, ind["indicator_id"]), ind, unit, year, table_estimate, about_tolerance_pct)
        for _, ind in cat.iterrows()
    ]
    out = judge_groups(pd.DataFrame(rows, columns=EVALUATED_COLUMNS))
    for col in ("attainment_agrees", "trend_agrees", "agrees"):
        out[col] = out[col].astype("boolean")
    return out


def _headline_is_estimate(obs: pd.DataFrame, year: int) -> bool:
    heads = obs[(obs["kind"] == Kind.PUBLISHED_HEADLINE) & (obs["year"] == year)]
    texts = [str(t) for col in ("text", "source_text") for t in heads[col] if isinstance(t, str)]
    return any(ESTIMATE_HEADLINE.search(key(t)) for t in texts)


def _text(row: pd.Series | None, column: str) -> str:
    if row is None:
        return ""
    v = row.get(column, "")
    return v if isinstance(v, str) else ""


def read_plan(plan: pd.Series | None, adjusted: pd.Series | None, *, tolerance_pct: float) -> Target | None:
    """The year's target as worded (grammar), with the curated figures, the adjusted plan's first."""
    if plan is None and adjusted is None:
        return None
    wording = _text(plan, "text") or _text(plan, "source_text") or _text(adjusted, "source_text")
    target = parse_target(wording, about_tolerance_pct=tolerance_pct)
    figures = [r for r in (adjusted, plan) if r is not None and not _isnan(r["value"])]
    if figures and target.kind in ("words", "relative"):
        target = Target("point", None, text=target.text)  # a figure the wording does not show
    if figures:
        high = _value(figures[0]) if "value_high" not in figures[0] else float(figures[0]["value_high"])
        target = target.with_figures(
            float(figures[0]["value"]), None if math.isnan(high) else high, tolerance_pct=tolerance_pct
        )
    return target


def _settle(target: Target | None, ind: pd.Series) -> tuple[Target | None, str, str]:
    """``(target, direction, remark)``: a bound's direction wins over the catalogue's; a change
    on an indicator that *is* the change ("Tỉ lệ hộ nghèo giảm", a growth rate) is its figure."""
    direction = str(ind["direction"])
    if target is None:
        return None, direction, ""
    is_rate_of_change = ind["measure_unit"] == "%" and (
        (target.kind == "reduce_by" and direction == Direction.HIGHER)
        or (target.kind == "increase_by" and ind["target_type"] == TargetType.GROWTH)
    )
    if is_rate_of_change:
        point = Target("point", target.value, text=target.text, low=target.value, high=target.value)
        word = "giảm" if target.kind == "reduce_by" else "tăng"
        figure = format_compact(target.value or 0, 3)
        return point, direction, f"“{target.text}”: chỉ tiêu là mức {word}, phải đạt ít nhất {figure}%"
    if target.kind in BOUND_KINDS and target.direction and target.direction != _plain(direction):
        word = "càng thấp càng tốt" if target.direction == Direction.LOWER else "càng cao càng tốt"
        return target, target.direction, f"Hướng đánh giá theo ngưỡng của kế hoạch (“{target.text}”): {word}"
    return target, direction, ""


def _plain(direction: str) -> str:
    return Direction.HIGHER if direction == Direction.MAINTAIN else direction


def _evaluate_row(
    o: pd.DataFrame, ind: pd.Series, unit: str, year: int, table_estimate: bool, tolerance_pct: float
) -> dict[str, Any]:
    res = pick(o, RESULT_KINDS, year)
    prev = pick(o, RESULT_KINDS, year - 1)
    plan = pick(o, Kind.PLAN, year)
    adj = pick(o, Kind.ADJUSTED_PLAN, year)
    pub_att = pick(o, Kind.PUBLISHED_ATTAINMENT, year)
    pub_trend = pick(o, Kind.PUBLISHED_TREND, year)
    pub_status = pick(o, Kind.PUBLISHED_STATUS, year)
    result, previous, plan_v = _value(res), _value(prev), _value(plan)
    mu = str(ind["measure_unit"]) if isinstance(ind["measure_unit"], str) else ""
    decimals = ind["decimals"]
    target, direction, direction_remark = _settle(read_plan(plan, adj, tolerance_pct=tolerance_pct), ind)
    estimate = table_estimate or (res is not None and res["kind"] == Kind.ESTIMATE)
    remarks = [direction_remark] if direction_remark else []
    inferred = str(ind.get("inferred", "")) if isinstance(ind.get("inferred", ""), str) else ""
    if direction != ind["direction"] and "direction" not in inferred:
        inferred = ",".join(x for x in (inferred, "direction") if x)

    status, basis, requirement, certain = Status.UNKNOWN, "", "", True
    judged: Judgement | None = None
    if target is not None and target.kind != "words" and not math.isnan(result) and direction != Direction.TEXT:
        judged = judge(
            target, result, direction=direction, previous=previous, rate=mu == "%", whole=decimals == 0, unit=mu
        )
        status, requirement = judged.status, judged.requirement
        written = _text(res, "source_text")
        status, said, certain = qualified_status(
            target, written, result, status, direction=direction, rate=mu == "%", unit=mu
        )
        second = second_measure(
            _text(plan, "source_text"),
            written,
            direction=direction,
            rate=mu == "%",
            unit=mu,
            tolerance_pct=tolerance_pct,
        )
        if second is not None:
            status = combine(status, second.status)
        remarks += [x for x in (said, second.remark if second else "") if x]
        if status != Status.UNKNOWN:
            basis = "kế hoạch điều chỉnh" if adj is not None else "tính toán"
        if judged.remark:
            remarks.append(judged.remark[0].upper() + judged.remark[1:])
    if status == Status.UNKNOWN and res is not None and math.isnan(result):
        stated = status_from_words(_text(res, "text") or _text(res, "source_text"))
        if stated is not None and target is not None and target.kind == "words":
            status, basis = stated[0], "kết quả bằng lời"
    if status == Status.UNKNOWN and pub_status is not None and _text(pub_status, "text").strip():
        stated = status_from_words(_text(pub_status, "text"))
        if stated is not None:
            status, basis = stated[0], "theo báo cáo"
            estimate = estimate or stated[1]
            remarks.append(f"Đánh giá theo báo cáo: “{_text(pub_status, 'text')}”")
    if estimate:
        status = as_estimate(status)
    if adj is not None:
        remarks.append(f"Đánh giá theo kế hoạch điều chỉnh {adj['value']:g}: {adj['note']}".rstrip(": "))

    raw_att, raw_trend = ratio_pct(result, plan_v), ratio_pct(result, previous)
    attainment, why_att = meaningful_attainment(raw_att, result, plan_v, target, direction, pub_att)
    trend, why_trend = meaningful_trend(raw_trend, result, previous, direction, pub_trend, year)
    if math.isnan(result) and (_text(res, "text") or _text(res, "source_text")):
        why_att, why_trend = "", ""
        remarks.append("Kết quả bằng lời: không có tỷ lệ TH/KH, TH/TH")
    compared = (
        f"Kết quả {format_compact(result, 3)} {mu}, kế hoạch {requirement}".replace(" %", "%") if requirement else ""
    )
    remarks += ratio_remarks(why_att, why_trend, compared)
    att_ok, check_note = _agree(pub_att, raw_att), ""
    if att_ok is False and adj is not None and _agree(pub_att, ratio_pct(result, _value(adj))) is True:
        att_ok = True
        check_note = (
            f"TH/KH công bố {_text(pub_att, 'source_text')} = {format_compact(result, 3)}/{format_compact(_value(adj), 3)} "
            f"theo kế hoạch điều chỉnh (theo kế hoạch {format_compact(plan_v, 3)}: {format_compact(raw_att, 2)}%)"
        )
    trend_ok = _agree(pub_trend, raw_trend)
    checks = [x for x in (att_ok, trend_ok) if x is not pd.NA]
    return {
        "unit": unit,
        "year": year,
        "tt": "" if "tt" in inferred.split(",") else row_number(ind["tt"]),
        "section": _text(ind, "section"),
        "parent": "" if _isnan(ind.get("parent", "")) else str(ind.get("parent", "")),
        "label": _text(ind, "label"),
        "indicator_id": ind["indicator_id"],
        "indicator": ind["indicator"],
        "measure_unit": ind["measure_unit"],
        "direction": direction,
        "target_type": ind["target_type"],
        "decimals": decimals,
        "inferred": inferred,
        "previous": previous,
        "plan": plan_v,
        "plan_text": _plan_words(plan, target),
        "target_kind": "" if target is None else target.kind,
        "requirement": requirement,
        "adjusted_plan": _value(adj),
        "adjusted_plan_note": "" if adj is None else str(adj["note"]),
        "result": result,
        "result_kind": "" if res is None else str(res["kind"]),
        "estimate": bool(estimate),
        "attainment_pct": attainment,
        "trend_pct": trend,
        "recomputed_attainment_pct": raw_att,
        "recomputed_trend_pct": raw_trend,
        "status": str(status),
        "status_basis": basis,
        "published_status": _text(pub_status, "text"),
        "published_attainment_pct": _value(pub_att),
        "published_trend_pct": _value(pub_trend),
        "published_attainment_text": _text(pub_att, "source_text"),
        "published_trend_text": _text(pub_trend, "source_text"),
        "attainment_agrees": att_ok,
        "trend_agrees": trend_ok,
        "agrees": all(checks) if checks else pd.NA,
        "check_note": check_note,
        "remark": "; ".join(remarks),
        "result_text": _text(res, "text") if res is not None and not _isnan(res["value"]) else "",
        "status_certain": certain,
    }


def _plan_words(plan: pd.Series | None, target: Target | None) -> str:
    """The plan as written when it is more than a plain figure (a bound, a range, words)."""
    if plan is None:
        return ""
    written = _text(plan, "text") or _text(plan, "source_text")
    return written if target is None or target.kind != "point" or _isnan(plan["value"]) else _text(plan, "text")


def published_decimals(row: pd.Series) -> int:
    """Decimals of a published figure, read from the cell as written."""
    from analysis.io.numbers import parse_cell

    return parse_cell(str(row["source_text"])).decimals


def _agree(pub: pd.Series | None, recomputed: float) -> object:
    if pub is None or _isnan(pub["value"]) or math.isnan(recomputed):
        return pd.NA
    return agrees(float(pub["value"]), recomputed, published_decimals(pub))


__all__ = [
    "EVALUATED_COLUMNS",
    "RESULT_KINDS",
    "Headline",
    "by_indicator",
    "compare_status",
    "evaluate",
    "headline",
    "pick",
    "published_decimals",
    "ratio_pct",
    "read_plan",
    "row_number",
    "rows_of",
    "unit_catalogue",
]
