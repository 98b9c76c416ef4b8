"""The units of a year's run (``params/<year>/units.yaml``) and the ones a build selects."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from analysis.errors import InputFileError, ParameterError, UnknownUnitError
from analysis.io.schema import UNIT_LEVELS
from analysis.params import check_unit_id, params_root, read_yaml_mapping, unknown_names_message

#: Keys of one item of ``params/<year>/units.yaml``.
UNIT_ITEM_KEYS = frozenset({"unit", "level", "name", "notebooks"})

UNITS_FILE = "units.yaml"


def run_units(
    year: int,
    *,
    params_dir: Path | str | None = None,
    known_units: Collection[str] | None = None,
    units_file: str = "data/units.csv",
) -> list[dict[str, Any]]:
    """The units of the ``year`` run, as listed in ``params/<year>/units.yaml``.

    Each item: ``unit`` (id), ``level``, ``name`` (optional, for messages) and
    ``notebooks`` (file names under ``notebooks/``); when an item gives no notebooks,
    they come from the file's ``notebooks_by_level`` mapping.

    Every unit id is a slug (:data:`analysis.params.UNIT_ID`) and, when ``known_units``
    is given (the ids of ``data/units.csv``), one of them; every notebook is a plain file
    name ending in ``.ipynb``. All is checked before any file of a unit is read or written.
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
        if unit is None or unit == "":
            raise ParameterError(f"{where}: 'unit' (the unit id) is required")
        check_unit_id(unit, where=where)
        if known_units is not None and unit not in known_units:
            raise UnknownUnitError(
                unknown_names_message([unit], known_units, where=where, noun="unit")
                + f" (not in {units_file}; python -m analysis units lists the units)"
            )
        if unit in seen:
            raise ParameterError(f"{where}: unit {unit!r} is listed twice")
        if level not in UNIT_LEVELS:
            raise ParameterError(f"{where} ({unit}): level {level!r} is not one of {', '.join(UNIT_LEVELS)}")
        notebooks = item.get("notebooks", by_level.get(level))
        if isinstance(notebooks, str):
            notebooks = [notebooks]
        if not notebooks:
            raise ParameterError(f"{where} ({unit}): no notebooks: give 'notebooks' or notebooks_by_level[{level!r}]")
        if not isinstance(notebooks, list):
            raise ParameterError(f"{where} ({unit}): notebooks: expected a list of notebook file names")
        for name in notebooks:
            check_notebook_name(name, where=f"{where} ({unit}): notebooks")
        seen.add(unit)
        result.append(
            {"unit": unit, "level": level, "name": item.get("name", unit), "notebooks": [str(n) for n in notebooks]}
        )
    return result


def check_notebook_name(name: object, *, where: str) -> str:
    """``name`` when it is a notebook file name of ``notebooks/`` (no folder, ends in
    ``.ipynb``); else :class:`ParameterError`.

    >>> check_notebook_name("00_briefing.ipynb", where="units.yaml")
    '00_briefing.ipynb'
    >>> check_notebook_name("../x.ipynb", where="units.yaml")
    Traceback (most recent call last):
    ...
    analysis.errors.ParameterError: units.yaml: '../x.ipynb' is not a notebook file name: expected a name such as '00_briefing.ipynb' (no folder), of a notebook in notebooks/
    """
    if (
        not isinstance(name, str)
        or not name.endswith(".ipynb")
        or name.startswith(".")
        or Path(name).name != name
        or "\\" in name
    ):
        raise ParameterError(
            f"{where}: {name!r} is not a notebook file name: expected a name such as "
            "'00_briefing.ipynb' (no folder), of a notebook in notebooks/"
        )
    return name


def unit_folder(out_dir: Path, unit: str) -> Path:
    """``out_dir/<unit>``, the folder of a unit's packs, checked to lie inside ``out_dir``.

    >>> unit_folder(Path("/r/2024"), "trang-dinh").as_posix()
    '/r/2024/trang-dinh'
    """
    check_unit_id(unit, where=str(out_dir))
    folder = out_dir / unit
    if not folder.absolute().resolve().is_relative_to(out_dir.absolute().resolve()):
        raise ParameterError(f"{folder}: the folder of unit {unit!r} leads outside {out_dir}")
    return folder


def unit_ids(data_dir: Path) -> set[str]:
    """The unit ids of ``units.csv`` in ``data_dir`` (column ``unit``), which every unit of a
    run must be one of; :class:`InputFileError` when the file or the column is missing."""
    import csv

    path = data_dir / "units.csv"
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if "unit" not in (reader.fieldnames or ()):
                raise InputFileError("no column 'unit': the unit ids of a run are checked against it", file=str(path))
            return {row["unit"] for row in reader}
    except FileNotFoundError:
        raise InputFileError(
            "file not found: the unit ids of a run are checked against it (give --data-dir)", file=str(path)
        ) from None


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
