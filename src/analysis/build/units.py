"""The units of a year's run (``params/<year>/units.yaml``) and the ones a build selects."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from analysis.errors import ParameterError, UnknownUnitError
from analysis.io.schema import UNIT_LEVELS
from analysis.params import params_root, read_yaml_mapping, unknown_names_message

#: Keys of one item of ``params/<year>/units.yaml``.
UNIT_ITEM_KEYS = frozenset({"unit", "level", "name", "notebooks"})

UNITS_FILE = "units.yaml"


def run_units(year: int, *, params_dir: Path | str | None = None) -> list[dict[str, Any]]:
    """The units of the ``year`` run, as listed in ``params/<year>/units.yaml``.

    Each item: ``unit`` (id), ``level``, ``name`` (optional, for messages) and
    ``notebooks`` (file names under ``notebooks/``); when an item gives no notebooks,
    they come from the file's ``notebooks_by_level`` mapping.
    """
    path = params_root(params_dir) / str(year) / UNITS_FILE
    data = read_yaml_mapping(path)
    extra = sorted(set(data) - {"units", "notebooks_by_level"})
    if extra:
        raise ParameterError(unknown_names_message(extra, ["units", "notebooks_by_level"], where=str(path), noun="key"))
    by_level = data.get("notebooks_by_level") or {}
    bad_levels = [k for k in by_level if k not in UNIT_LEVELS]
    if bad_levels:
        raise ParameterError(
            unknown_names_message(bad_levels, UNIT_LEVELS, noun="level", where=f"{path}: notebooks_by_level")
        )
    items = data.get("units")
    if not isinstance(items, list) or not items:
        raise ParameterError(f"{path}: 'units' must be a non-empty list of units")
    result, seen = [], set()
    for i, item in enumerate(items, start=1):
        where = f"{path}: units[{i}]"
        if not isinstance(item, Mapping):
            raise ParameterError(f"{where}: expected a mapping with unit and level")
        bad = [k for k in item if k not in UNIT_ITEM_KEYS]
        if bad:
            raise ParameterError(unknown_names_message(bad, UNIT_ITEM_KEYS, where=where, noun="key"))
        unit, level = item.get("unit"), item.get("level")
        if not unit or not isinstance(unit, str):
            raise ParameterError(f"{where}: 'unit' (the unit id) is required")
        if unit in seen:
            raise ParameterError(f"{where}: unit {unit!r} is listed twice")
        if level not in UNIT_LEVELS:
            raise ParameterError(f"{where} ({unit}): level {level!r} is not one of {', '.join(UNIT_LEVELS)}")
        notebooks = item.get("notebooks", by_level.get(level))
        if isinstance(notebooks, str):
            notebooks = [notebooks]
        if not notebooks:
            raise ParameterError(f"{where} ({unit}): no notebooks: give 'notebooks' or notebooks_by_level[{level!r}]")
        seen.add(unit)
        result.append(
            {"unit": unit, "level": level, "name": item.get("name", unit), "notebooks": [str(n) for n in notebooks]}
        )
    return result


def select_units(plan: list[dict[str, Any]], units: Sequence[str] | None) -> list[dict[str, Any]]:
    """The items of ``plan`` named in ``units`` (all when ``None``), in plan order."""
    if not units:
        return plan
    known = [u["unit"] for u in plan]
    unknown = [u for u in units if u not in known]
    if unknown:
        raise UnknownUnitError(
            unknown_names_message(unknown, known, where="--unit", noun="unit")
            + f"; the run of this year has: {', '.join(known)}"
        )
    return [u for u in plan if u["unit"] in set(units)]
