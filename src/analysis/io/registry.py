"""The registry of official units (``data/registry/``), read and checked.

A snapshot written by ``tools/registry_snapshot.py`` from the statistics office's lists as the
packages ``vietnam-provinces`` and ``vietnamadminunits`` carry them (``data/README.md``). A unit is
its code **within a period** (``2023``, ``2025-01``, ``2025-07``): the same code names different
units in different lists. Reading checks every row against the others (codes of the right width,
one unit per period and code, parents and lineage ends that exist, acts that are listed) and
refuses a broken file with one line naming the file, row and column. What the unit means for a
history is :mod:`analysis.analyses.registry`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.errors import DataValidationError, InputFileError, UnknownUnitError

FOLDER = "registry"
COLUMNS = {
    "periods": ["period", "as_of", "in_force_from", "in_force_to", "scope", "source", "note"],
    "units": ["period", "code", "level", "type", "name", "short_name", "parent_code", "valid_from", "valid_to"],
    "lineage": [
        "level",
        "from_period",
        "from_code",
        "to_period",
        "to_code",
        "kind",
        "effective_date",
        "legal_source",
        "source",
        "note",
    ],
    "acts": ["act", "date", "title", "source"],
    "unit_codes": ["unit", "period", "code", "name", "method"],
    "lineage_report": ["issue", "level", "period", "code", "name", "vietnam_provinces", "vietnamadminunits", "note"],
}
WIDTH = {"province": 2, "district": 3, "commune": 5}
PARENT_LEVEL = {"district": "province", "commune": "district"}
TYPES = {
    "province": {"tỉnh", "thành phố"},
    "district": {"huyện", "quận", "thị xã", "thành phố"},
    "commune": {"xã", "phường", "thị trấn", "đặc khu"},
}
LINEAGE_KINDS = frozenset({"merge", "partial_transfer", "dissolve_level", "same"})

#: The period whose units are in force now.
CURRENT = "2025-07"

#: The registry list whose units a year-end run of that year reports by: the figures of 2024
#: describe the territories before 01/12/2024 (the 2023 list), those of 2025 the units of
#: 01/12/2024 (the 2025-01 list), those from 2026 on the units in force since 01/07/2025.
YEAR_PERIODS = ((2024, "2023"), (2025, "2025-01"))


@dataclass(frozen=True)
class Registry:
    """The registry's tables, every cell a string (``''`` for empty)."""

    periods: pd.DataFrame
    units: pd.DataFrame
    lineage: pd.DataFrame
    acts: pd.DataFrame
    unit_codes: pd.DataFrame
    lineage_report: pd.DataFrame


def registry_dir(data_dir: Path | str | None = None) -> Path:
    """``data/registry/`` (or that folder of ``data_dir``)."""
    return Path(data_dir or paths.DATA) / FOLDER


def _read(folder: Path, name: str) -> pd.DataFrame:
    path = folder / f"{name}.csv"
    if not path.is_file():
        raise InputFileError(f"{path}: file not found (the unit registry; tools/registry_snapshot.py writes it)")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in COLUMNS[name] if c not in frame.columns]
    if missing:
        raise DataValidationError(f"{path}: row 1: missing column(s) {', '.join(missing)}")
    return frame


def _refuse(file: str, i: int, column: str, value: str, why: str) -> DataValidationError:
    return DataValidationError(f"{file}: row {i + 2}, column {column!r}: {value!r} {why}")


def check_units(units: pd.DataFrame, periods: set[str], *, file: str = "registry/units.csv") -> None:
    """Each unit: a known period and level, a code of its level's width, a type of its level,
    one row per (period, level, code), a parent of the level above in the same period (a
    commune of ``2025-07`` has its province: there are no districts)."""
    seen: set[tuple[str, str, str]] = set()
    for i, row in enumerate(units.itertuples(index=False)):
        period, code, level = str(row.period), str(row.code), str(row.level)
        if period not in periods:
            raise _refuse(file, i, "period", period, f"is not a period of periods.csv ({', '.join(sorted(periods))})")
        if level not in WIDTH:
            raise _refuse(file, i, "level", level, "expected province, district or commune")
        if not (code.isdigit() and len(code) == WIDTH[level]):
            raise _refuse(file, i, "code", code, f"expected {WIDTH[level]} digits for a {level}")
        if str(row.type) not in TYPES[level]:
            raise _refuse(
                file, i, "type", str(row.type), f"is not a type of {level} ({', '.join(sorted(TYPES[level]))})"
            )
        if (period, level, code) in seen:
            raise _refuse(file, i, "code", code, f"appears twice as a {level} of period {period}")
        seen.add((period, level, code))
    two_tier = {p for p in periods if not any(k[0] == p and k[1] == "district" for k in seen)}
    for i, row in enumerate(units.itertuples(index=False)):
        level, parent = str(row.level), str(row.parent_code)
        if level == "province":
            continue
        above = "province" if str(row.period) in two_tier else PARENT_LEVEL[level]
        if (str(row.period), above, parent) not in seen:
            raise _refuse(file, i, "parent_code", parent, f"is not a {above} of period {row.period}")


def check_lineage(
    lineage: pd.DataFrame, units: pd.DataFrame, acts: set[str], *, file: str = "registry/lineage.csv"
) -> None:
    """Each lineage row joins two units of the registry, of a known kind, under a listed act."""
    known = set(zip(units["period"], units["code"]))
    for i, row in enumerate(lineage.itertuples(index=False)):
        for side in ("from", "to"):
            key = (str(getattr(row, f"{side}_period")), str(getattr(row, f"{side}_code")))
            if key not in known:
                raise _refuse(file, i, f"{side}_code", key[1], f"is not a unit of period {key[0]} in units.csv")
        if str(row.kind) not in LINEAGE_KINDS:
            raise _refuse(file, i, "kind", str(row.kind), f"expected one of {', '.join(sorted(LINEAGE_KINDS))}")
        if row.legal_source and str(row.legal_source) not in acts:
            raise _refuse(file, i, "legal_source", str(row.legal_source), "is not an act of acts.csv")


def load_registry(data_dir: Path | str | None = None, *, check: bool = True) -> Registry:
    """The registry under ``data_dir`` (default ``data/``), checked (``check=False``: read only,
    for a run's plan, which names the units the packs then read checked)."""
    folder = registry_dir(data_dir)
    tables = {name: _read(folder, name) for name in COLUMNS}
    if not check:
        return Registry(**tables)
    periods = set(tables["periods"]["period"])
    check_units(tables["units"], periods, file=str(folder / "units.csv"))
    check_lineage(tables["lineage"], tables["units"], set(tables["acts"]["act"]), file=str(folder / "lineage.csv"))
    known = set(zip(tables["units"]["period"], tables["units"]["code"]))
    for i, row in enumerate(tables["unit_codes"].itertuples(index=False)):
        if (str(row.period), str(row.code)) not in known:
            raise _refuse(
                str(folder / "unit_codes.csv"),
                i,
                "code",
                str(row.code),
                f"is not a unit of period {row.period} in units.csv",
            )
    return Registry(**tables)


def fold(text: str) -> str:
    """``text`` without diacritics, lower-cased, spaces collapsed: how a name is searched.

    >>> fold("Xã  Thất Khê"), fold("Đội Cấn")
    ('xa that khe', 'doi can')
    """
    decomposed = unicodedata.normalize("NFD", str(text).replace("Đ", "D").replace("đ", "d"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


def year_period(year: int) -> str:
    """The registry period a run of ``year`` names its units in.

    >>> year_period(2024), year_period(2025), year_period(2026)
    ('2023', '2025-01', '2025-07')
    """
    for last, period in YEAR_PERIODS:
        if int(year) <= last:
            return period
    return CURRENT


#: A unit given by its statistics office code: "20", "180", "06040", or a code id "06040-that-khe".
_CODE_ARG = re.compile(r"^(\d{2}|\d{3}|\d{5})(-[a-z0-9-]+)?$")


def unit_for_code(value: str, year: int | None, data_dir: Path | str | None = None) -> str | None:
    """The curated unit ``value`` names when it is a code (or a code id), in the registry's list
    of ``year`` (``data/registry/unit_codes.csv``), else ``None`` (not a code: a unit id).
    Without ``year``, a code that names one unit in every list it appears in. A code that names
    no curated unit is :class:`~analysis.errors.UnknownUnitError`, saying where to look it up.

    >>> unit_for_code("180", 2024), unit_for_code("trang-dinh", 2024)
    ('trang-dinh', None)
    >>> unit_for_code("06040-that-khe", 2025), unit_for_code("05995", None)
    ('trang-dinh-that-khe', 'trang-dinh-that-khe')
    """
    import csv

    m = _CODE_ARG.match(value)
    if m is None:
        return None
    code = m.group(1)
    path = registry_dir(data_dir) / "unit_codes.csv"
    rows = []
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as f:
            rows = [r for r in csv.DictReader(f) if r.get("code") == code]
    period = year_period(year) if year is not None else None
    hits = sorted({r["unit"] for r in rows if period is None or r["period"] == period})
    if len(hits) == 1:
        return hits[0]
    where = f"the registry's list of {year} (period {period})" if period else "the registry's lists"
    if len(hits) > 1:
        raise UnknownUnitError(f"--unit {value}: code {code} names {', '.join(hits)} in {where}: give --year")
    elsewhere = sorted({f"{r['unit']} ({r['period']})" for r in rows})
    hint = f"; in other lists it names {', '.join(elsewhere)}" if elsewhere else ""
    raise UnknownUnitError(
        f"--unit {value}: no unit of the curated data has code {code} in {where}{hint} "
        f"(python -m analysis lookup {code} tells which unit the code is)"
    )


def ascii_slug(text: str) -> str:
    """``text`` folded (:func:`fold`) with every run of other characters made one hyphen.

    >>> ascii_slug("Thất Khê"), ascii_slug("Lương Văn Tri"), ascii_slug("Na Sầm")
    ('that-khe', 'luong-van-tri', 'na-sam')
    """
    out, dash = [], False
    for ch in fold(text):
        if ch.isascii() and ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def code_unit_id(code: str, short_name: str) -> str:
    """The id (and folder name) of a unit named by its code: the code, a hyphen, its short name
    in ASCII. Digits first, so it never meets a slug of ``units.csv`` (which start with a letter).

    >>> code_unit_id("06040", "Thất Khê"), code_unit_id("20", "Lạng Sơn")
    ('06040-that-khe', '20-lang-son')
    """
    return f"{code}-{ascii_slug(short_name)}"
