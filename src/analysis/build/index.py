"""The year's index, grouped by level: province, districts, communes, each with its totals.

:func:`group_packs` takes the index entries (:func:`analysis.build.run.index_entries`) and
returns the groups the index template shows. The number of indicators not achieved comes from
the headlines the notebooks record ("06/26 chỉ tiêu không đạt"), counted once per unit: the
build computes no analysis result of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

#: (key, Vietnamese label, unit levels) of each group, in the order the index shows them.
LEVEL_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("province", "Cấp tỉnh", ("province",)),
    ("district", "Cấp huyện", ("district",)),
    ("commune", "Cấp xã (xã, thị trấn)", ("commune", "town")),
)
OTHER = ("other", "Đơn vị khác", ())

_NOT_ACHIEVED = re.compile(r"(?<![\d/])(\d{1,3})\s*/\s*(\d{1,3})\s+chỉ tiêu không đạt")
_UNKNOWN = re.compile(r"(\d{1,3})\s+chỉ tiêu chưa đánh giá được")


def not_achieved(headline: str) -> tuple[int, int] | None:
    """``(not achieved, indicators)`` as a headline gives them, else None (also when no
    indicator could be judged yet: no result is in).

    >>> not_achieved("Năm 2024: 06/26 chỉ tiêu không đạt so với kế hoạch, gồm: ...")
    (6, 26)
    >>> not_achieved("124/200 lượt chỉ tiêu đạt và vượt kế hoạch, 76 lượt không đạt") is None
    True
    >>> not_achieved("Năm 2025: 00/26 chỉ tiêu không đạt so với kế hoạch. 26 chỉ tiêu chưa đánh giá được: ...") is None
    True
    """
    m = _NOT_ACHIEVED.search(headline or "")
    if not m:
        return None
    missed, total = int(m.group(1)), int(m.group(2))
    unknown = _UNKNOWN.search(headline)
    if missed == 0 and unknown and int(unknown.group(1)) >= total:
        return None
    return missed, total


def _group_of(level: str) -> tuple[str, str, tuple[str, ...]]:
    return next((g for g in LEVEL_GROUPS if level in g[2]), OTHER)


def group_packs(packs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The index entries by level group (those of an unknown ``level`` last), each group with
    ``key``, ``label``, ``packs`` (in the entries' order), ``units``, ``built``, ``failed``
    and, where a headline gives them, ``not_achieved`` and ``indicators`` summed over
    ``counted`` units (each unit's first built pack that gives them), ``illustrative`` when a
    counted pack shows illustrative figures. Empty groups are left out.

    >>> packs = [{"unit": "d", "level": "district", "headline": "Năm 2024: 06/26 chỉ tiêu không đạt", "failed": False},
    ...          {"unit": "d", "level": "district", "headline": "Năm 2024: 06/26 chỉ tiêu không đạt", "failed": False},
    ...          {"unit": "a", "level": "commune", "headline": "02/08 chỉ tiêu không đạt", "failed": False,
    ...           "illustrative": True},
    ...          {"unit": "b", "level": "town", "headline": "", "failed": True}]
    >>> [(g["key"], g["units"], len(g["packs"]), g["failed"], g["not_achieved"], g["indicators"], g["counted"])
    ...  for g in group_packs(packs)]
    [('district', 1, 2, 0, 6, 26, 1), ('commune', 2, 2, 1, 2, 8, 1)]
    """
    groups: dict[str, dict[str, Any]] = {}
    counted: set[str] = set()
    for pack in packs:
        key, label, _ = _group_of(str(pack.get("level", "")))
        g = groups.setdefault(
            key,
            {
                "key": key,
                "label": label,
                "packs": [],
                "unit_ids": [],
                "built": 0,
                "failed": 0,
                "not_achieved": 0,
                "indicators": 0,
                "counted": 0,
                "illustrative": False,
            },
        )
        g["packs"].append(pack)
        unit = str(pack.get("unit", ""))
        if unit not in g["unit_ids"]:
            g["unit_ids"].append(unit)
        if pack.get("failed"):
            g["failed"] += 1
            continue
        g["built"] += 1
        counts = not_achieved(str(pack.get("headline", "")))
        if counts is None or unit in counted:
            continue
        counted.add(unit)
        g["not_achieved"] += counts[0]
        g["indicators"] += counts[1]
        g["counted"] += 1
        g["illustrative"] = g["illustrative"] or bool(pack.get("illustrative"))
    order = [k for k, _, _ in (*LEVEL_GROUPS, OTHER)]
    out = [groups[k] for k in order if k in groups]
    for g in out:
        g["units"] = len(g.pop("unit_ids"))
    return out
