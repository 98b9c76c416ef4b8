"""Looking units up in the registry, and following a unit's lineage through the periods.

A unit is a code within a period (:mod:`analysis.io.registry`). Its lineage joins the
registry's own rows (the 2025 arrangement, as the statistics office's conversion tables give it;
units unchanged between the 2023 and the 2025-01 lists) and the events the project records in
``unit_events.csv`` (Tràng Định's arrangement of 01/12/2024), translated to codes through
``unit_codes.csv``: so a chain 2023 → 2025-01 → 2025-07 can be followed, e.g. old Xã Đại Đồng
(06040 in 2023) → Thị trấn Thất Khê (06040 in 2025-01) → Xã Thất Khê (06040 since 01/07/2025).
Pure functions: frames in, frames out.
"""

from __future__ import annotations

import itertools
import unicodedata

import pandas as pd

from analysis.errors import UnknownUnitError
from analysis.io.events import parse_date
from analysis.io.registry import Registry

#: The period whose units are in force now.
CURRENT = "2025-07"
LINK_COLUMNS = ["from_period", "from_code", "to_period", "to_code", "kind", "effective_date", "legal_source", "source"]
CARRIED_KINDS = ("merge", "partial_transfer")


def fold(text: str) -> str:
    """``text`` without diacritics, lower-cased, spaces collapsed: how a name is searched.

    >>> fold("Xã  Thất Khê"), fold("Đội Cấn")
    ('xa that khe', 'doi can')
    """
    decomposed = unicodedata.normalize("NFD", str(text).replace("Đ", "D").replace("đ", "d"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


def find_units(registry: Registry, query: str, *, period: str | None = None, level: str | None = None) -> pd.DataFrame:
    """Units whose code is ``query`` or whose name holds it (diacritics optional: with them the
    match is exact, without them any accents match). Each with its parent's name and period.

    An empty result is an empty frame, not an error: the caller says "not found".
    """
    units = _named(registry)
    text = query.strip()
    if text.isdigit():
        found = units[units["code"] == text]
    else:
        with_marks = fold(text) != " ".join(text.lower().split())
        key = " ".join(text.lower().split()) if with_marks else fold(text)
        names = units["name"].str.lower() if with_marks else units["name"].map(fold)
        shorts = units["short_name"].str.lower() if with_marks else units["short_name"].map(fold)
        found = units[(shorts == key) | (names == key) | names.str.contains(key, regex=False)]
    if period:
        found = found[found["period"] == period]
    if level:
        found = found[found["level"] == level]
    return found.reset_index(drop=True)


def unit_row(registry: Registry, period: str, code: str) -> pd.Series:
    """The unit ``code`` of ``period``; :class:`UnknownUnitError` when there is none."""
    units = _named(registry)
    rows = units[(units["period"] == period) & (units["code"] == code)]
    if rows.empty:
        raise UnknownUnitError(f"no unit {code!r} in period {period!r} of the registry (python -m analysis lookup)")
    return rows.iloc[0]


def communes_of(registry: Registry, province: str, *, period: str = CURRENT) -> pd.DataFrame:
    """The communes of a province (its code) in ``period``: directly under it since 01/07/2025,
    under its districts before."""
    units = _named(registry)
    here = units[units["period"] == period]
    if here[(here["level"] == "province") & (here["code"] == province)].empty:
        raise UnknownUnitError(f"no province {province!r} in period {period!r} of the registry")
    districts = set(here[(here["level"] == "district") & (here["parent_code"] == province)]["code"])
    communes = here[(here["level"] == "commune") & (here["parent_code"].isin(districts | {province}))]
    return communes.sort_values("code").reset_index(drop=True)


def lineage_links(registry: Registry, events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every link old → new: the registry's lineage, plus each merge or partial transfer of
    ``unit_events.csv`` whose two units have codes (``unit_codes.csv``) in the periods around
    the event's date (the last list before it, the first on or after it); and each unit of
    ``units.csv`` with a code in two successive periods is the same unit (``same``), whatever its
    code (the town of Thất Khê is 05995 in 2023, 06040 in 2025-01)."""
    links = registry.lineage[LINK_COLUMNS].copy()
    codes = registry.unit_codes
    order = _period_dates(registry)
    extra: list[dict[str, str]] = []
    by_unit = {u: dict(zip(g["period"], g["code"])) for u, g in codes.groupby("unit")}
    periods = sorted(order, key=order.__getitem__)
    for held in by_unit.values():
        for a, b in itertools.pairwise(periods):
            if a in held and b in held:
                extra.append(_link(a, held[a], b, held[b], "same", "", "", "unit_codes.csv"))
    if events is not None:
        for row in events.itertuples(index=False):
            if str(row.kind) not in CARRIED_KINDS:
                continue
            date = parse_date(str(row.date)).isoformat()
            before = [p for p in periods if order[p] < date and p in by_unit.get(str(row.from_unit), {})]
            after = [p for p in periods if order[p] >= date and p in by_unit.get(str(row.to_unit), {})]
            if before and after:
                extra.append(
                    _link(
                        before[-1],
                        by_unit[str(row.from_unit)][before[-1]],
                        after[0],
                        by_unit[str(row.to_unit)][after[0]],
                        str(row.kind),
                        date,
                        str(row.legal_source),
                        f"unit_events.csv {row.event}",
                    )
                )
    links = pd.concat([links, pd.DataFrame(extra, columns=LINK_COLUMNS)], ignore_index=True)
    return links.drop_duplicates(["from_period", "from_code", "to_period", "to_code"]).reset_index(drop=True)


def successors(links: pd.DataFrame, period: str, code: str) -> pd.DataFrame:
    """The links from unit ``code`` of ``period`` (one step)."""
    return links[(links["from_period"] == period) & (links["from_code"] == code)].reset_index(drop=True)


def predecessors(links: pd.DataFrame, period: str, code: str) -> pd.DataFrame:
    """The links into unit ``code`` of ``period`` (one step)."""
    return links[(links["to_period"] == period) & (links["to_code"] == code)].reset_index(drop=True)


def ancestry(links: pd.DataFrame, period: str, code: str) -> pd.DataFrame:
    """Every link into the unit, and into its predecessors, back to the oldest list: the chain,
    with ``depth`` 1 for the unit's own predecessors."""
    rows: list[pd.DataFrame] = []
    frontier, seen, depth = [(period, code)], {(period, code)}, 1
    while frontier:
        step = pd.concat([predecessors(links, p, c) for p, c in frontier], ignore_index=True)
        if step.empty:
            break
        rows.append(step.assign(depth=depth))
        frontier = [k for k in zip(step["from_period"], step["from_code"]) if k not in seen]
        seen.update(frontier)
        depth += 1
    if not rows:
        return pd.DataFrame(columns=[*LINK_COLUMNS, "depth"])
    return pd.concat(rows, ignore_index=True)


def _link(fp: str, fc: str, tp: str, tc: str, kind: str, date: str, act: str, source: str) -> dict[str, str]:
    return dict(zip(LINK_COLUMNS, (fp, fc, tp, tc, kind, date, act, source)))


def _period_dates(registry: Registry) -> dict[str, str]:
    """When each list describes the units: its ``in_force_from``, else its ``as_of`` date."""
    p = registry.periods
    return {str(r.period): str(r.in_force_from or r.as_of) for r in p.itertuples(index=False)}


def _named(registry: Registry) -> pd.DataFrame:
    """The units with ``parent_name`` (the parent of the same period)."""
    units = registry.units
    names = dict(zip(zip(units["period"], units["code"], units["level"]), units["name"]))
    parent_level = units["level"].map({"commune": "district", "district": "province", "province": ""})
    parent = [
        names.get((p, c, lv)) or names.get((p, c, "province"), "")
        for p, c, lv in zip(units["period"], units["parent_code"], parent_level)
    ]
    return units.assign(parent_name=parent)
