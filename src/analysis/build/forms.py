"""``python -m analysis template``: the data-entry forms of a year, for one unit or every unit of a run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.analyses.forms import form_rows, unit_frames
from analysis.errors import AnalysisError
from analysis.files import atomic_path
from analysis.io.datasets import Curated, load_curated


@dataclass(frozen=True)
class UnitData:
    """The frames that hold one unit's indicators, and the dataset its new figures go to."""

    catalogue: pd.DataFrame
    observations: pd.DataFrame
    dataset: str


def unit_data(curated: Curated, unit: str) -> UnitData:
    """Where ``unit``'s indicators are: the curated catalogue, else the commune catalogue."""
    commune_catalogue = commune_observations = None
    if (
        not (curated.indicators["unit"] == unit).any()
        and paths.dataset_path("commune_indicators", curated.data_dir).is_file()
    ):
        from analysis.analyses.communes import read_commune_data

        commune_catalogue, commune_observations = read_commune_data(curated.data_dir)
    catalogue, observations, dataset = unit_frames(
        unit, curated.indicators, curated.observations, commune_catalogue, commune_observations
    )
    return UnitData(catalogue, observations, dataset)


def form_file_name(unit: str, year: int) -> str:
    """``bieu-nhap-lieu-2025-trang-dinh.xlsx``."""
    return f"bieu-nhap-lieu-{year}-{unit}.xlsx"


class EmptyFormError(AnalysisError):
    """A unit has no figure of the year before and no plan of the year: a form would ask nothing."""


def write_template(unit: str, year: int, out: Path | str, *, curated: Curated) -> Path:
    """Write the form of ``unit`` for ``year`` to ``out`` (a ``.xlsx`` file), atomically."""
    from analysis.report.form_xlsx import write_form

    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise AnalysisError(f"{out}: the form is an Excel file: give a name ending in .xlsx")
    row = curated.unit_row(unit)
    data = unit_data(curated, unit)
    years = sorted({int(y) for y in data.observations["year"]})
    if not {year - 1, year} & set(years):
        there = ", ".join(map(str, years)) or "none"
        raise EmptyFormError(
            f"no figure of {year - 1} or {year} for unit {unit!r} ({row['name']}): its form for {year} would be "
            f"empty (no result of {year - 1}, no plan of {year}); years with figures: {there}"
        )
    rows = form_rows(data.observations, data.catalogue, unit=unit, year=year)
    parent = str(row["parent"])
    parent_name = ""
    if parent:
        prow = curated.unit_row(parent)
        parent_name = f"{'huyện' if prow['level'] == 'district' else 'tỉnh'} {prow['name']}"
    with atomic_path(out, suffix=".xlsx") as tmp:
        write_form(
            rows,
            tmp,
            unit=unit,
            name=str(row["name"]),
            level=str(row["level"]),
            parent_name=parent_name,
            year=year,
        )
    return out


def write_templates(
    year: int,
    *,
    units: list[str] | None = None,
    out: Path | str,
    data_dir: Path | str | None = None,
    params_dir: Path | str | None = None,
) -> list[tuple[str, Path | None, str]]:
    """The forms of ``units`` (default: every unit of ``params/<year>/units.yaml``) into the folder
    ``out`` (or the file ``out`` for one unit given by name). Returns ``(unit, path, reason)``:
    ``path`` None and the reason when a unit of the run has no indicators."""
    from analysis.build.units import run_units

    curated = load_curated(data_dir)
    if units is not None and len(units) == 1 and Path(out).suffix:  # a file name (else a folder)
        return [(units[0], write_template(units[0], year, out, curated=curated), "")]
    chosen = (
        units if units is not None else [u["unit"] for u in run_units(year, params_dir=params_dir, data_dir=data_dir)]
    )
    done: list[tuple[str, Path | None, str]] = []
    for unit in chosen:
        try:
            path = write_template(unit, year, Path(out) / form_file_name(unit, year), curated=curated)
        except AnalysisError as exc:
            if "no indicator catalogue" not in str(exc) and not isinstance(exc, EmptyFormError):
                raise
            done.append((unit, None, str(exc)))
            continue
        done.append((unit, path, ""))
    return done
