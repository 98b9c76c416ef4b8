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

import pandas as pd

from analysis.errors import UnknownUnitError
from analysis.io.events import parse_date
from analysis.io.registry import CURRENT, YEAR_PERIODS, Registry, ascii_slug, code_unit_id, fold, year_period

LINK_COLUMNS = ["from_period", "from_code", "to_period", "to_code", "kind", "effective_date", "legal_source", "source"]
CARRIED_KINDS = ("merge", "partial_transfer")


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


# --- units by code -----------------------------------------------------------------------


def province_units(registry: Registry, province: str, *, period: str = CURRENT) -> pd.DataFrame:
    """The province ``province`` (its code) and its communes in ``period``, each with ``unit_id``
    (:func:`code_unit_id`) and ``folder`` (the same): the province first, then its communes by
    code."""
    units = _named(registry)
    here = units[units["period"] == period]
    head = here[(here["level"] == "province") & (here["code"] == province)]
    if head.empty:
        known = ", ".join(sorted(here.loc[here["level"] == "province", "code"]))
        raise UnknownUnitError(f"no province {province!r} in period {period!r} of the registry (codes: {known})")
    out = pd.concat([head, communes_of(registry, province, period=period)], ignore_index=True)
    ids = [code_unit_id(c, s) for c, s in zip(out["code"], out["short_name"], strict=True)]
    return out.assign(unit_id=ids, folder=ids)


def unit_code(registry: Registry, unit: str, period: str) -> pd.Series | None:
    """The registry's row of ``unit`` (a slug of ``unit_codes.csv`` or an id made by
    :func:`code_unit_id`) in ``period``; None when it has no code there."""
    codes = registry.unit_codes
    hit = codes[(codes["unit"] == unit) & (codes["period"] == period)]
    code = str(hit["code"].iloc[0]) if not hit.empty else unit.split("-", 1)[0]
    if not code.isdigit():
        return None
    rows = _named(registry)
    rows = rows[(rows["period"] == period) & (rows["code"] == code)]
    if hit.empty:  # an id made from the code: its name must be the one the code has
        rows = rows[[code_unit_id(c, s) == unit for c, s in zip(rows["code"], rows["short_name"], strict=True)]]
    return None if rows.empty else rows.iloc[0]


# --- the arrangement of 01/07/2025 as events of unit_events.csv --------------------------

ARRANGEMENT_KINDS = {"merge": "merge", "partial_transfer": "partial_transfer"}


def arrangement_events(
    registry: Registry,
    *,
    unit: str,
    code: str,
    period: str = CURRENT,
    columns: list[str],
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The registry's lineage into unit ``code`` of ``period`` as rows of ``unit_events.csv``
    (``columns``), so that :func:`analysis.analyses.lineage.carry_history` carries the history of
    the units it was formed from: a ``create`` of ``unit`` (a new commune has no territory of its
    own before the arrangement, even when it keeps a predecessor's code) and one ``merge`` (or
    ``partial_transfer``, a unit split between successors) per predecessor. A predecessor is
    named by its slug of ``unit_codes.csv`` when it has one (the units whose figures the data
    hold), else by ``<code>-<name>-<period>`` (no figures: what it gave cannot be carried, and
    the pack says so). Areas and populations are not in the registry: left empty.

    Also returns the labels of the predecessors (``{"id": "xã Chí Minh (mã 06013)"}``).
    """
    links = registry.lineage
    into = links[(links["to_period"] == period) & (links["to_code"] == code)]
    into = into[into["kind"].isin(list(ARRANGEMENT_KINDS))]
    names = _named(registry)
    by_key = {(p, c): r for p, c, r in zip(names["period"], names["code"], names.itertuples(index=False), strict=True)}
    slug = {
        (str(p), str(c)): str(u)
        for u, p, c in zip(
            registry.unit_codes["unit"], registry.unit_codes["period"], registry.unit_codes["code"], strict=True
        )
    }
    acts = dict(zip(registry.acts["act"], registry.acts["title"], strict=True))
    rows: list[dict[str, object]] = []
    labels: dict[str, str] = {}
    if into.empty:
        return pd.DataFrame(rows, columns=columns), labels
    date = str(into["effective_date"].iloc[0])
    act = str(into["legal_source"].iloc[0])
    legal = acts.get(act, act)
    base = {c: float("nan") for c in columns}
    rows.append(
        {
            **base,
            "event": f"registry-{period}-{code}-create",
            "date": date,
            "kind": "create",
            "from_unit": "",
            "to_unit": unit,
            "legal_source": legal,
            "source": "data/registry/lineage.csv",
            "illustrative": False,
            "note": "",
        }
    )
    for link in into.itertuples(index=False):
        key = (str(link.from_period), str(link.from_code))
        old = by_key.get(key)
        short = str(old.short_name) if old is not None else str(link.from_code)
        pred = slug.get(key) or f"{link.from_code}-{ascii_slug(short)}-{link.from_period}"
        if old is not None:
            labels[pred] = f"{_lower_type(str(old.name))} (mã {link.from_code})"
        rows.append(
            {
                **base,
                "event": f"registry-{period}-{code}-{link.from_code}",
                "date": str(link.effective_date),
                "kind": ARRANGEMENT_KINDS[str(link.kind)],
                "from_unit": pred,
                "to_unit": unit,
                "legal_source": acts.get(str(link.legal_source), str(link.legal_source)),
                "source": f"data/registry/lineage.csv ({link.source})",
                "illustrative": False,
                "note": str(link.note),
            }
        )
    return pd.DataFrame(rows, columns=columns), labels


def _lower_type(name: str) -> str:
    """``Thị trấn Thất Khê`` → ``thị trấn Thất Khê``: the type word lower-cased, as in a sentence."""
    for word in ("Thị trấn", "Xã", "Phường", "Đặc khu", "xã"):
        if name.startswith(word + " "):
            return word.lower() + name[len(word) :]
    return name


__all__ = ["CURRENT", "YEAR_PERIODS", "ascii_slug", "code_unit_id", "fold", "year_period"]
