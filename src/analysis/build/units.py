"""The units of a year's run (``params/<year>/units.yaml``) and the ones a build selects."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.errors import InputFileError, ParameterError, UnknownUnitError
from analysis.io.schema import UNIT_LEVELS
from analysis.params import check_unit_id, params_root, read_yaml_mapping, unknown_names_message

#: Keys of one item of ``params/<year>/units.yaml``.
UNIT_ITEM_KEYS = frozenset({"unit", "level", "name", "notebooks"})
#: Keys of the ``registry`` mapping of ``params/<year>/units.yaml``.
REGISTRY_KEYS = frozenset({"province"})

UNITS_FILE = "units.yaml"


def run_years(params_dir: Path | str | None = None) -> list[int]:
    """The years that have a run: folders ``params/<year>/`` holding a ``units.yaml``."""
    root = params_root(params_dir)
    if not root.is_dir():
        return []
    return sorted(int(d.name) for d in root.iterdir() if d.name.isdigit() and (d / UNITS_FILE).is_file())


def check_run_year(year: int, params_dir: Path | str | None = None) -> Path:
    """The ``units.yaml`` of the ``year`` run; a year with none is refused with the years there are."""
    path = params_root(params_dir) / str(year) / UNITS_FILE
    if not path.exists():
        years = run_years(params_dir)
        there = ", ".join(map(str, years)) if years else "none"
        raise ParameterError(
            f"{path}: no run for {year}: the years with a run are {there} "
            f"(each a folder {params_root(params_dir)}/<year>/ with {UNITS_FILE})"
        )
    return path


def run_units(
    year: int,
    *,
    params_dir: Path | str | None = None,
    known_units: Collection[str] | None = None,
    units_file: str = "data/units.csv",
    data_dir: Path | str | None = None,
) -> list[dict[str, Any]]:
    """The units of the ``year`` run, as listed in ``params/<year>/units.yaml``.

    Each item: ``unit`` (id), ``level``, ``name`` (optional, for messages) and
    ``notebooks`` (file names under ``notebooks/``); when an item gives no notebooks,
    they come from the file's ``notebooks_by_level`` mapping.

    Every unit id is a slug (:data:`analysis.params.UNIT_ID`) and, when ``known_units``
    is given (the ids of ``data/units.csv``), one of them; every notebook is a plain file
    name ending in ``.ipynb``. All is checked before any file of a unit is read or written.

    With a ``registry`` mapping (``province``: a province's code), the units are that province
    and its communes in the registry's list of the year (:func:`registry_items`), read at run
    time; ``units`` then overrides them by id (its notebooks, name) or adds units.

    Each item also has ``code`` (its code in the registry's list of the year,
    :func:`analysis.analyses.registry.year_period`; '' when it has none) and ``folder`` (the
    name of its folder under ``reports/<year>/``: its id, or for a run from the registry
    :func:`~analysis.analyses.registry.code_unit_id`, e.g. ``20-lang-son``).
    """
    path = check_run_year(year, params_dir)
    data = read_yaml_mapping(path)
    allowed = ["units", "notebooks_by_level", "registry"]
    extra = sorted(set(data) - set(allowed))
    if extra:
        raise ParameterError(unknown_names_message(extra, allowed, where=str(path), noun="key"))
    by_level = data.get("notebooks_by_level") or {}
    bad_levels = [k for k in by_level if k not in UNIT_LEVELS]
    if bad_levels:
        raise ParameterError(
            unknown_names_message(bad_levels, UNIT_LEVELS, noun="level", where=f"{path}: notebooks_by_level")
        )
    items = data.get("units")
    base: dict[str, dict[str, Any]] = {}
    if "registry" in data:
        base = {
            i["unit"]: i for i in registry_items(year, data["registry"], where=f"{path}: registry", data_dir=data_dir)
        }
        items = items or []
        if not isinstance(items, list):
            raise ParameterError(f"{path}: 'units' must be a list of units (the overrides of the registry's)")
        items = [
            *(
                {k: v for k, v in b.items() if k in UNIT_ITEM_KEYS}
                for b in base.values()
                if b["unit"] not in {i.get("unit") for i in items if isinstance(i, Mapping)}
            ),
            *items,
        ]
    if not isinstance(items, list) or not items:
        raise ParameterError(f"{path}: 'units' must be a non-empty list of units")
    codes = {} if base else year_codes(year, data_dir=data_dir)
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
        from_registry = base.get(unit, {})
        result.append(
            {
                "unit": unit,
                "level": level,
                "name": item.get("name", from_registry.get("name", unit)),
                "notebooks": [str(n) for n in notebooks],
                "code": from_registry.get("code", codes.get(unit, "")),
                "folder": from_registry.get("folder", unit),
                **({"registry": True} if from_registry else {}),
            }
        )
    return result


def registry_items(year: int, spec: object, *, where: str, data_dir: Path | str | None = None) -> list[dict[str, Any]]:
    """The items of a run from the registry: the province ``spec["province"]`` (its code) and
    its communes in the registry's list of ``year``, each named by its id (the province's slug of
    ``unit_codes.csv`` when it has one, else its code id), official name, code and folder."""
    from analysis.io.registry import code_unit_id, load_registry, year_period

    if not isinstance(spec, Mapping) or "province" not in spec:
        raise ParameterError(f"{where}: expected a mapping with 'province' (a province's code, such as \"20\")")
    bad = [k for k in spec if k not in REGISTRY_KEYS]
    if bad:
        raise ParameterError(unknown_names_message(bad, REGISTRY_KEYS, where=where, noun="key"))
    province = str(spec["province"])
    period = year_period(year)
    registry = load_registry(data_dir, check=False)
    here = registry.units[registry.units["period"] == period]
    head = here[(here["level"] == "province") & (here["code"] == province)]
    if head.empty:
        known = ", ".join(sorted(here.loc[here["level"] == "province", "code"]))
        raise ParameterError(f"{where}: no province {province!r} in period {period!r} of the registry (codes: {known})")
    districts = set(here.loc[(here["level"] == "district") & (here["parent_code"] == province), "code"])
    communes = here[(here["level"] == "commune") & here["parent_code"].isin(districts | {province})]
    frame = pd.concat([head, communes.sort_values("code")], ignore_index=True)
    frame = frame.assign(folder=[code_unit_id(c, s) for c, s in zip(frame["code"], frame["short_name"], strict=True)])
    frame = frame.assign(unit_id=frame["folder"])
    codes = registry.unit_codes
    slugs = {
        str(c): str(u)
        for u, c in zip(
            codes.loc[codes["period"] == period, "unit"], codes.loc[codes["period"] == period, "code"], strict=True
        )
    }
    items = []
    for row in frame.itertuples(index=False):
        unit = slugs.get(str(row.code), str(row.unit_id)) if row.level == "province" else str(row.unit_id)
        items.append(
            {
                "unit": unit,
                "level": str(row.level),
                "name": str(row.name),
                "code": str(row.code),
                "folder": str(row.folder),
            }
        )
    return items


def year_codes(year: int, *, data_dir: Path | str | None = None) -> dict[str, str]:
    """``{unit: code}`` of ``data/registry/unit_codes.csv`` in the registry's list of ``year``;
    empty when the data folder has no registry."""
    import csv

    from analysis.io.registry import registry_dir, year_period

    path = registry_dir(data_dir) / "unit_codes.csv"
    if not path.is_file():
        return {}
    period = year_period(year)
    with path.open(encoding="utf-8", newline="") as f:
        return {r["unit"]: r["code"] for r in csv.DictReader(f) if r.get("period") == period}


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
    """The items of ``plan`` named in ``units`` (all when ``None``), in plan order: each by its
    id, or by its code in the registry's list of the run's year (``06040``).

    >>> plan = [{"unit": "trang-dinh-that-khe", "code": "05995"}, {"unit": "trang-dinh", "code": "180"}]
    >>> [u["unit"] for u in select_units(plan, ["05995", "trang-dinh"])]
    ['trang-dinh-that-khe', 'trang-dinh']
    """
    if not units:
        return plan
    chosen = set(resolve_units(plan, units))
    return [u for u in plan if u["unit"] in chosen]


def resolve_units(plan: Sequence[Mapping[str, Any]], units: Sequence[str]) -> list[str]:
    """The ids of ``plan`` that ``units`` name (ids or codes); :class:`UnknownUnitError` for one
    that names no unit of the run."""
    known = [str(u["unit"]) for u in plan]
    by_code = {str(u.get("code")): str(u["unit"]) for u in plan if u.get("code")}
    out, unknown = [], []
    for u in units:
        if u in known:
            out.append(u)
        elif u.isdigit() and u in by_code:
            out.append(by_code[u])
        else:
            unknown.append(u)
    if unknown:
        codes = [u for u in unknown if u.isdigit()]
        hint = (
            f" (no unit of this year's run has code {', '.join(codes)} in the registry's list of the year;"
            " python -m analysis lookup CODE says which unit a code names in each list)"
            if codes
            else ""
        )
        raise UnknownUnitError(
            unknown_names_message(unknown, known, where="--unit", noun="unit")
            + hint
            + f"; the run of this year has: {', '.join(known[:40])}{' …' if len(known) > 40 else ''}"
        )
    return out
