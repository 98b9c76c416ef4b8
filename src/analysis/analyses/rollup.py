"""Roll-ups: the communes of a province (or of a district) seen together.

From the commune comparison (:func:`analysis.analyses.communes.compare_communes`, one row per
commune and indicator with its status against the year's plan), this module works out what a
province's or a district's pack shows:

- :func:`indicator_summary`: per indicator, how many communes achieved it and which did not;
- :func:`status_matrix`: the commune × indicator map of statuses;
- :func:`furthest_from_plan`: the communes furthest from their plans;
- :func:`audit_slips`: the units whose published figures disagree with their recomputation;
- :func:`member_counts`: each member commune's counts (:func:`analysis.analyses.headline.status_counts`,
  the same count its own pack gives), those without figures included.

Statuses are those of :func:`analysis.analyses.evaluate.evaluate` ("achieved" = Vượt, Đạt or
Dự kiến đạt; "not achieved" = Không đạt or Dự kiến không đạt). Pure functions: frames in, new frames out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from analysis.analyses.communes import COMMUNE_LEVELS
from analysis.analyses.headline import status_counts
from analysis.errors import UnknownUnitError
from analysis.io.numbers import format_compact
from analysis.io.schema import ACHIEVED_STATUSES, NOT_ACHIEVED_STATUSES, Direction, Status

#: Levels whose pack rolls up the communes below them.
ROLLUP_LEVELS = ("province", "district")

SUMMARY_COLUMNS = [
    "indicator_id",
    "indicator",
    "measure_unit",
    "direction",
    "n_units",
    "n_result",
    "n_achieved",
    "n_exceeded",
    "n_not_achieved",
    "n_unknown",
    "not_achieved",
    "illustrative",
]
FURTHEST_COLUMNS = [
    "unit",
    "name",
    "district",
    "n_indicators",
    "n_not_achieved",
    "mean_shortfall_pct",
    "worst_indicator",
    "worst_text",
    "illustrative",
]
MEMBER_COUNT_COLUMNS = [
    "unit",
    "name",
    "level",
    "district",
    "has_figures",
    "has_results",
    "indicators",
    "judged",
    "achieved",
    "not_achieved",
    "unknown",
    "with_result",
    "illustrative",
]
_NOT_ACHIEVED = [str(s) for s in NOT_ACHIEVED_STATUSES]
SLIP_COLUMNS = ["unit", "name", "level", "district", "n_slips", "slips", "illustrative"]


def member_communes(units: pd.DataFrame, unit: str, year: int) -> pd.DataFrame:
    """The communes and towns under ``unit`` (a province or district) that exist in ``year``, in
    the order of ``units``, with their ``district`` (the district they belong to; '' for a
    commune directly under the province).

    >>> units = pd.DataFrame({"unit": ["p", "d", "a", "b", "c"], "name": ["P", "D", "A", "B", "C"],
    ...     "level": ["province", "district", "commune", "commune", "town"], "parent": ["", "p", "d", "d", "p"],
    ...     "valid_from": [None] * 5, "valid_to": [None, None, 2024, None, None]})
    >>> member_communes(units, "p", 2025)[["unit", "district"]].values.tolist()
    [['b', 'd'], ['c', '']]
    >>> member_communes(units, "d", 2024)["unit"].tolist()
    ['a', 'b']
    """
    if unit not in set(units["unit"]):
        raise UnknownUnitError(f"unknown unit {unit!r}: not in the units table")
    parent = dict(zip(units["unit"], units["parent"].fillna("").astype(str), strict=True))
    level = dict(zip(units["unit"], units["level"], strict=True))
    start = pd.to_numeric(units["valid_from"], errors="coerce")
    end = pd.to_numeric(units["valid_to"], errors="coerce")
    valid = (start.isna() | (start <= year)) & (end.isna() | (end >= year))
    rows = []
    for (_, row), ok in zip(units.iterrows(), valid, strict=True):
        if row["level"] not in COMMUNE_LEVELS or not ok:
            continue
        chain, current = [], str(row["unit"])
        for _ in range(10):  # commune → district → province
            current = parent.get(current, "")
            if not current:
                break
            chain.append(current)
        if unit in chain:
            district = next((u for u in chain if level.get(u) == "district"), "")
            rows.append({**row.to_dict(), "district": district})
    return pd.DataFrame(rows, columns=[*units.columns, "district"]).reset_index(drop=True)


def _achieved(status: str) -> bool:
    return status in ACHIEVED_STATUSES


def indicator_order(comparison: pd.DataFrame) -> list[str]:
    """Indicator ids in the order the communes' tables list them (smallest TT first)."""
    first = comparison.groupby("indicator_id", sort=False)["tt"].median().sort_values(kind="stable")
    return [str(i) for i in first.index]


def indicator_summary(comparison: pd.DataFrame) -> pd.DataFrame:
    """Per indicator (columns :data:`SUMMARY_COLUMNS`): how many communes have it (``n_units``),
    have a result (``n_result``), achieved it (Vượt, Đạt or Dự kiến đạt; ``n_exceeded`` of them
    Vượt), did not (``n_not_achieved``, named in ``not_achieved``, ``;``-separated) or cannot be
    judged (``n_unknown``). ``illustrative``: a figure behind the row is illustrative.

    >>> cmp = pd.DataFrame({"unit": ["a", "b", "c"], "name": ["A", "B", "C"], "tt": [1, 1, 1],
    ...     "indicator_id": ["x"] * 3, "indicator": ["X"] * 3, "measure_unit": ["%"] * 3,
    ...     "direction": ["higher"] * 3, "result": [1.0, 2.0, None],
    ...     "status": ["Vượt", "Không đạt", "Chưa xác định"], "illustrative": [True, False, False]})
    >>> indicator_summary(cmp)[["n_units", "n_result", "n_achieved", "n_not_achieved", "not_achieved"]].values.tolist()
    [[3, 2, 1, 1, 'B']]
    """
    rows = []
    for iid in indicator_order(comparison):
        g = comparison[comparison["indicator_id"] == iid]
        status = g["status"].astype(str)
        missed = g[status.isin(_NOT_ACHIEVED)]
        rows.append(
            {
                "indicator_id": iid,
                "indicator": str(g["indicator"].mode().iloc[0]),
                "measure_unit": str(g["measure_unit"].mode().iloc[0]),
                "direction": str(g["direction"].mode().iloc[0]),
                "n_units": len(g),
                "n_result": int(g["result"].notna().sum()),
                "n_achieved": int(status.map(_achieved).sum()),
                "n_exceeded": int((status == Status.EXCEEDED).sum()),
                "n_not_achieved": len(missed),
                "n_unknown": int((status == Status.UNKNOWN).sum()),
                "not_achieved": ";".join(str(n) for n in missed["name"]),
                "illustrative": bool(g["illustrative"].astype(bool).any()),
            }
        )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def status_matrix(comparison: pd.DataFrame) -> pd.DataFrame:
    """The commune × indicator map: one row per commune (``unit``, ``name``, ``district``, in the
    comparison's order), one column per indicator id (:func:`indicator_order`) holding its
    status, '' where the commune has no such indicator.

    >>> cmp = pd.DataFrame({"district": ["d"] * 3, "unit": ["a", "a", "b"], "name": ["A", "A", "B"],
    ...     "tt": [1, 2, 1], "indicator_id": ["x", "y", "x"], "status": ["Vượt", "Đạt", "Không đạt"]})
    >>> status_matrix(cmp).values.tolist()
    [['a', 'A', 'd', 'Vượt', 'Đạt'], ['b', 'B', 'd', 'Không đạt', '']]
    """
    order = indicator_order(comparison)
    units = comparison.drop_duplicates("unit")[["unit", "name", "district"]]
    wide = comparison.pivot_table(index="unit", columns="indicator_id", values="status", aggfunc="first")
    wide = wide.reindex(index=units["unit"], columns=order).fillna("")
    out = units.reset_index(drop=True)
    for iid in order:
        out[iid] = wide[iid].astype(str).to_numpy()
    return out


def shortfall_pct(result: float, plan: float, direction: str) -> float:
    """How far a result falls short of its plan, in percent of the plan (0 when achieved; NaN
    without a result or a positive plan): below the plan for most indicators, above the ceiling
    for a lower-is-better one.

    >>> shortfall_pct(15, 19, "higher"), shortfall_pct(6, 4, "lower"), shortfall_pct(5, 4, "higher")
    (21.052631578947366, 50.0, 0.0)
    """
    if any(x is None or pd.isna(x) for x in (result, plan)) or plan <= 0 or direction == Direction.TEXT:
        return math.nan
    gap = (result - plan) if direction == Direction.LOWER else (plan - result)
    return max(gap, 0.0) / plan * 100


def _distance_text(r: pd.Series) -> str:
    """``Tỷ lệ hộ nghèo: 5,2% so với kế hoạch 4,5% (cách 0,7 điểm %)``."""
    mu = str(r["measure_unit"])
    gap = abs(float(r["result"]) - float(r["plan"]))

    def fig(v: float) -> str:
        return format_compact(v, 2) + ("%" if mu == "%" else f" {mu}" if mu else "")

    unit_gap = f"{format_compact(gap, 2)} điểm %" if mu == "%" else fig(gap)
    return f"{r['indicator']}: {fig(float(r['result']))} so với kế hoạch {fig(float(r['plan']))} (cách {unit_gap})"


def furthest_from_plan(comparison: pd.DataFrame, *, top: int = 10) -> pd.DataFrame:
    """The communes furthest from their plans (columns :data:`FURTHEST_COLUMNS`): those with an
    indicator not achieved, most indicators not achieved first, then the largest mean shortfall
    (:func:`shortfall_pct`, over the indicators not achieved); at most ``top`` of them.
    ``worst_text`` writes out the indicator with the largest shortfall.

    >>> cmp = pd.DataFrame({"unit": ["a", "a", "b"], "name": ["A", "A", "B"], "district": ["d"] * 3,
    ...     "indicator_id": ["x", "y", "x"], "indicator": ["X", "Y", "X"], "measure_unit": ["ha"] * 3,
    ...     "direction": ["higher"] * 3, "result": [8.0, 5.0, 9.0], "plan": [10.0, 5.0, 10.0],
    ...     "status": ["Không đạt", "Đạt", "Không đạt"], "illustrative": [True] * 3})
    >>> furthest_from_plan(cmp)[["unit", "n_not_achieved", "mean_shortfall_pct", "worst_text"]].values.tolist()
    [['a', 1, 20.0, 'X: 8 ha so với kế hoạch 10 ha (cách 2 ha)'], ['b', 1, 10.0, 'X: 9 ha so với kế hoạch 10 ha (cách 1 ha)']]
    """
    rows = []
    for unit, g in comparison.groupby("unit", sort=False):
        missed = g[g["status"].astype(str).isin(_NOT_ACHIEVED)]
        if missed.empty:
            continue
        short = [shortfall_pct(r, p, d) for r, p, d in zip(missed["result"], missed["plan"], missed["direction"])]
        known = [s for s in short if not math.isnan(s)]
        worst = missed.iloc[max(range(len(short)), key=lambda i: -1.0 if math.isnan(short[i]) else short[i])]
        rows.append(
            {
                "unit": unit,
                "name": str(g["name"].iloc[0]),
                "district": str(g["district"].iloc[0]),
                "n_indicators": len(g),
                "n_not_achieved": len(missed),
                "mean_shortfall_pct": sum(known) / len(known) if known else math.nan,
                "worst_indicator": str(worst["indicator"]),
                "worst_text": _distance_text(worst),
                "illustrative": bool(missed["illustrative"].astype(bool).any()),
            }
        )
    out = pd.DataFrame(rows, columns=FURTHEST_COLUMNS)
    out = out.sort_values(["n_not_achieved", "mean_shortfall_pct"], ascending=False, kind="stable", na_position="last")
    return out.head(top).reset_index(drop=True)


def audit_slips(
    slips: Mapping[str, list[str]],
    units: pd.DataFrame,
    *,
    illustrative: Mapping[str, bool] | None = None,
    district_of: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The units with audit slips (columns :data:`SLIP_COLUMNS`), in the order of ``units``:
    ``slips`` maps a unit to the sentences of its disagreements (units without any are left out);
    ``illustrative`` marks units whose checked figures are illustrative.

    >>> units = pd.DataFrame({"unit": ["d", "a"], "name": ["D", "A"], "level": ["district", "commune"],
    ...     "parent": ["", "d"]})
    >>> audit_slips({"a": ["TH/KH: 109,48% / 99,48%"], "d": []}, units)[["unit", "n_slips"]].values.tolist()
    [['a', 1]]
    """
    flags = illustrative or {}
    districts = district_of or {}
    rows = []
    for _, u in units.iterrows():
        found = slips.get(str(u["unit"])) or []
        if not found:
            continue
        rows.append(
            {
                "unit": str(u["unit"]),
                "name": str(u["name"]),
                "level": str(u["level"]),
                "district": districts.get(str(u["unit"]), str(u.get("parent", ""))),
                "n_slips": len(found),
                "slips": list(found),
                "illustrative": bool(flags.get(str(u["unit"]), False)),
            }
        )
    return pd.DataFrame(rows, columns=SLIP_COLUMNS)


def indicator_slip_texts(findings: pd.DataFrame) -> list[str]:
    """One sentence per disagreement of an indicator table's audit
    (:func:`analysis.analyses.audit.findings`).

    >>> f = pd.DataFrame({"tt": [12], "indicator": ["Xã đạt tiêu chí y tế"], "figure": ["TH/KH (%)"],
    ...     "published_text": ["100%"], "recomputed": [95.238]})
    >>> indicator_slip_texts(f)
    ['Dòng 12 (Xã đạt tiêu chí y tế), TH/KH (%): công bố 100%, tính lại 95,24%']
    """
    out = []
    for _, r in findings.iterrows():
        pct = "%" in str(r["figure"])
        again = "" if pd.isna(r["recomputed"]) else format_compact(float(r["recomputed"]), 2) + ("%" if pct else "")
        where = f"Dòng {int(r['tt'])} ({r['indicator']})" if not pd.isna(r["tt"]) else str(r["indicator"])
        out.append(f"{where}, {r['figure']}: công bố {r['published_text']}, tính lại {again}".rstrip(", "))
    return out


def task_slip_texts(findings: pd.DataFrame) -> list[str]:
    """One sentence per disagreement of the key tasks' sub-targets
    (:func:`analysis.analyses.tasks.task_findings`).

    >>> f = pd.DataFrame({"sub": ["1.2.b"], "description": ["Giải ngân vốn MTQG"], "check": ["pct"],
    ...     "published": ["9,36%"], "recomputed": ["9,20%"]})
    >>> task_slip_texts(f)
    ['Nhiệm vụ 1.2.b (Giải ngân vốn MTQG): tỷ lệ công bố 9,36%, tính lại 9,20%']
    """
    what = {"pct": "tỷ lệ công bố", "status": "đánh giá công bố"}
    return [
        f"Nhiệm vụ {r['sub']} ({r['description']}): {what.get(str(r['check']), 'công bố')} "
        f"{r['published']}, tính lại {r['recomputed']}"
        for _, r in findings.iterrows()
    ]


def member_counts(members: pd.DataFrame, comparison: pd.DataFrame) -> pd.DataFrame:
    """Each member commune (a :func:`member_communes` row) with its counts (columns
    :data:`MEMBER_COUNT_COLUMNS`): ``has_figures`` (it has a figure for the year),
    ``has_results`` (a main row has a result), and the :class:`~analysis.analyses.headline.StatusCounts` of
    its rows of ``comparison`` (zeros without figures), ``illustrative`` when one of its own
    figures is, in the order of ``members``.

    >>> members = pd.DataFrame({"unit": ["a", "b"], "name": ["A", "B"], "level": ["commune", "town"],
    ...     "district": ["d", "d"]})
    >>> cmp = pd.DataFrame({"unit": ["a", "a", "a"], "result": [1.0, 2.0, None], "parent": ["", "", ""],
    ...     "status": ["Vượt", "Dự kiến không đạt", "Chưa xác định"]})
    >>> member_counts(members, cmp)[["unit", "has_results", "indicators", "judged", "not_achieved"]].values.tolist()
    [['a', True, 3, 2, 1], ['b', False, 0, 0, 0]]
    """
    by_unit = dict(iter(comparison.groupby("unit", sort=False))) if "unit" in comparison else {}
    rows = []
    for _, m in members.iterrows():
        own = by_unit.get(m["unit"])
        counts = status_counts(own) if own is not None else None
        rows.append(
            {
                "unit": str(m["unit"]),
                "name": str(m["name"]),
                "level": str(m["level"]),
                "district": str(m.get("district", "")),
                "has_figures": own is not None,
                "has_results": counts is not None and counts.with_result > 0,
                **(counts.as_record() if counts else dict.fromkeys(MEMBER_COUNT_COLUMNS[6:-1], 0)),
                "illustrative": own is not None
                and "figures_illustrative" in own
                and bool(own["figures_illustrative"].astype(bool).any()),
            }
        )
    return pd.DataFrame(rows, columns=MEMBER_COUNT_COLUMNS)
