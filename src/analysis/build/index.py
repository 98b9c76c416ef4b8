"""The year's index, grouped by level: province, districts, communes, each with its totals.

:func:`group_packs` takes the index entries (:func:`analysis.build.run.index_entries`) and
returns the groups the index template shows. The numbers of indicators not achieved and judged
are those the notebooks record (``counts``, and a roll-up's ``members``), counted once per unit:
the build computes no analysis result of its own, and the index and the roll-ups agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

#: (key, Vietnamese label, unit levels) of each group, in the order the index shows them.
LEVEL_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("province", "Cấp tỉnh", ("province",)),
    ("district", "Cấp huyện", ("district",)),
    ("commune", "Cấp xã (xã, thị trấn)", ("commune", "town")),
)
OTHER = ("other", "Đơn vị khác", ())


def _group_of(level: str) -> tuple[str, str, tuple[str, ...]]:
    return next((g for g in LEVEL_GROUPS if level in g[2]), OTHER)


def _own_counts(pack: Mapping[str, Any]) -> dict[str, int] | None:
    """The counts a pack recorded (``counts``); None when it recorded none (a roll-up, key
    tasks) or no indicator has a result yet."""
    counts = pack.get("counts")
    if not isinstance(counts, Mapping) or not counts.get("with_result"):
        return None
    return {k: int(counts.get(k, 0)) for k in ("not_achieved", "judged")}


def _reason(unit: str, year: int | None, *, in_run: bool, member: Mapping[str, Any] | None) -> str:
    """Why a unit has no pack, in Vietnamese."""
    when = f" năm {year}" if year else ""
    if in_run:
        cmd = f"python -m analysis build --year {year} --unit {unit}" if year else "python -m analysis build"
        return f"Chưa chạy ({cmd})"
    if member is not None and member.get("has_results"):
        return (
            f"Không có trong danh sách chạy{when} (params/{year or '<năm>'}/units.yaml); "
            "kết quả của đơn vị được tính trong báo cáo tổng hợp"
        )
    if member is not None and member.get("has_figures"):
        return f"Không có trong danh sách chạy{when}; chưa có kết quả{when}"
    return f"Không có số liệu{when}; không có trong danh sách chạy{when}"


def group_packs(
    packs: Iterable[Mapping[str, Any]],
    *,
    units: Iterable[Mapping[str, Any]] = (),
    codes: Mapping[str, str] | None = None,
    year: int | None = None,
) -> list[dict[str, Any]]:
    """The index entries by level group (those of an unknown ``level`` last), each group with
    ``key``, ``label``, ``packs`` (in the entries' order), ``units`` (every unit of the group:
    with a pack or ``missing``), ``built``, ``failed``, ``missing`` and the counts
    ``not_achieved`` / ``judged`` summed over the ``counted`` units (those with a result),
    ``illustrative`` when a counted unit shows illustrative figures, ``conflicts`` (units
    whose own pack and a roll-up count differently: never expected) and ``without_pack``
    (counted units with no pack of their own).

    One record: a unit's counts are those its pack recorded
    (:func:`analysis.report.summary.record` ``counts``); a roll-up's ``members`` give those of
    the communes it covers. A commune a roll-up covers but that has no pack, and a unit of the
    run (``units``) never built, is in ``missing`` with the reason, and a roll-up's count of it
    is counted here too: the index and the roll-up give the same totals. ``codes``: official
    codes by unit id, for the missing ones. Empty groups are left out.

    >>> counts = lambda n, j: {"not_achieved": n, "judged": j, "with_result": j}
    >>> packs = [{"unit": "d", "level": "district", "counts": counts(6, 26), "failed": False},
    ...          {"unit": "d", "level": "district", "counts": counts(6, 26), "failed": False},
    ...          {"unit": "p", "level": "province", "counts": None, "failed": False, "members": [
    ...              {"unit": "a", "level": "commune", "full_name": "Xã A", "has_results": True,
    ...               "has_figures": True, "not_achieved": 2, "judged": 8, "illustrative": True},
    ...              {"unit": "c", "level": "commune", "full_name": "Xã C", "has_results": True,
    ...               "has_figures": True, "not_achieved": 1, "judged": 5}]},
    ...          {"unit": "a", "level": "commune", "counts": counts(2, 8), "failed": False,
    ...           "illustrative": True},
    ...          {"unit": "b", "level": "town", "headline": "", "failed": True}]
    >>> groups = group_packs(packs, year=2024)
    >>> [(g["key"], g["units"], len(g["packs"]), g["failed"], g["not_achieved"], g["judged"], g["counted"])
    ...  for g in groups]
    [('province', 1, 1, 0, 0, 0, 0), ('district', 1, 2, 0, 6, 26, 1), ('commune', 3, 2, 1, 3, 13, 2)]
    >>> [(m["unit"], m["reason"][:33]) for m in groups[2]["missing"]], groups[2]["without_pack"]
    ([('c', 'Không có trong danh sách chạy năm')], 1)
    """
    packs = list(packs)
    codes = codes or {}
    groups: dict[str, dict[str, Any]] = {}

    def group(level: str) -> dict[str, Any]:
        key, label, _ = _group_of(level)
        return groups.setdefault(
            key,
            {
                "key": key,
                "label": label,
                "packs": [],
                "unit_ids": [],
                "built": 0,
                "failed": 0,
                "missing": [],
                "not_achieved": 0,
                "judged": 0,
                "counted": 0,
                "without_pack": 0,
                "illustrative": False,
                "conflicts": [],
            },
        )

    own: dict[str, dict[str, int] | None] = {}
    own_illustrative: dict[str, bool] = {}
    members: dict[str, Mapping[str, Any]] = {}
    for pack in packs:
        g = group(str(pack.get("level", "")))
        g["packs"].append(pack)
        unit = str(pack.get("unit", ""))
        if unit not in g["unit_ids"]:
            g["unit_ids"].append(unit)
        if pack.get("failed"):
            g["failed"] += 1
            continue
        g["built"] += 1
        for m in pack.get("members") or ():
            members.setdefault(str(m.get("unit", "")), m)
        counts = _own_counts(pack)
        if counts is not None and own.get(unit) is None:
            own[unit] = counts
            own_illustrative[unit] = bool(pack.get("illustrative"))

    with_pack = {str(p.get("unit", "")) for p in packs}
    in_run = {str(u.get("unit", "")): u for u in units}
    for unit, m in members.items():  # a roll-up's communes without a pack of their own
        if unit in with_pack:
            continue
        g = group(str(m.get("level", "")))
        g["unit_ids"].append(unit)
        g["missing"].append(
            {
                "unit": unit,
                "unit_name": str(m.get("full_name") or m.get("name") or unit),
                "level": str(m.get("level", "")),
                "code": codes.get(unit, ""),
                "reason": _reason(unit, year, in_run=unit in in_run, member=m),
            }
        )
    for unit, u in in_run.items():  # units of the run never built
        if unit in with_pack or unit in members:
            continue
        g = group(str(u.get("level", "")))
        g["unit_ids"].append(unit)
        g["missing"].append(
            {
                "unit": unit,
                "unit_name": str(u.get("name") or unit),
                "level": str(u.get("level", "")),
                "code": str(u.get("code") or codes.get(unit, "")),
                "reason": _reason(unit, year, in_run=True, member=None),
            }
        )

    for g in groups.values():
        for unit in g["unit_ids"]:
            mine, theirs = own.get(unit), members.get(unit)
            if theirs is not None and mine is not None:
                pair = (int(theirs.get("not_achieved", 0)), int(theirs.get("judged", 0)))
                if pair != (mine["not_achieved"], mine["judged"]):
                    g["conflicts"].append(unit)
            if mine is not None:
                counts, illustrative = mine, own_illustrative.get(unit, False)
            elif unit not in with_pack and theirs is not None and theirs.get("has_results"):
                counts = {"not_achieved": int(theirs.get("not_achieved", 0)), "judged": int(theirs.get("judged", 0))}
                illustrative = bool(theirs.get("illustrative", True))
                g["without_pack"] += 1
            else:
                continue
            g["not_achieved"] += counts["not_achieved"]
            g["judged"] += counts["judged"]
            g["counted"] += 1
            g["illustrative"] = g["illustrative"] or illustrative
    if "commune" in groups:  # named by the kinds it holds: xã, thị trấn (2024); xã, phường (2026)
        from analysis.io.kinds import commune_kinds

        g = groups["commune"]
        seen = {str(p.get("unit", "")): (str(p.get("level", "")), str(p.get("unit_name", ""))) for p in g["packs"]}
        seen.update({m["unit"]: (m["level"], m["unit_name"]) for m in g["missing"]})
        g["label"] = f"Cấp xã ({commune_kinds([v[0] for v in seen.values()], [v[1] for v in seen.values()])})"
    order = [k for k, _, _ in (*LEVEL_GROUPS, OTHER)]
    out = [groups[k] for k in order if k in groups]
    for g in out:
        g["units"] = len(g.pop("unit_ids"))
    return out
