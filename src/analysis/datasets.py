"""Reading the curated datasets named in :mod:`analysis.paths`, validated and typed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import paths
from .errors import DataValidationError, UnknownUnitError
from .schema import validate_frame

# Columns read as numbers (the rest stay text, empty = "").
NUMERIC: dict[str, tuple[str, ...]] = {
    "units": ("valid_from", "valid_to"),
    "mergers": ("year", "units_before", "units_after"),
    "indicators": ("tt", "decimals", "term_start", "term_end"),
    "observations": ("year", "value", "value_high"),
    "tasks": ("year", "self_score"),
    "subtargets": ("year", "target_value", "numerator", "denominator", "result_value",
                   "published_pct", "published_pct_decimals"),
}


def read_dataset(name: str, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Read the curated dataset ``name`` (e.g. ``"observations"``), typed and validated.

    Text columns keep ``""`` for empty cells; numeric columns hold ``NaN``.
    A cell that is not a number where one is expected raises
    :class:`DataValidationError` naming file, row and column.
    """
    path = paths.dataset_path(name, data_dir)
    if not path.is_file():
        raise DataValidationError(f"{path}: file not found (dataset {name!r})")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for column in NUMERIC.get(name, ()):
        if column not in df.columns:
            continue
        raw = df[column].str.strip()
        numbers = pd.to_numeric(raw.where(raw != ""), errors="coerce")
        bad = numbers.isna() & (raw != "")
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise DataValidationError(
                f"{path}: row {i + 2}, column {column!r}: {raw.iloc[i]!r} is not a number "
                "(machine format expected: 1231.69, not 1.231,69)"
            )
        df[column] = numbers.astype("float64")
    if name in ("units", "indicators", "observations", "tasks", "subtargets"):
        validate_frame(df, name, file=str(path))
    return df


@dataclass(frozen=True)
class Curated:
    """All curated datasets of one data folder."""

    units: pd.DataFrame
    mergers: pd.DataFrame
    indicators: pd.DataFrame
    observations: pd.DataFrame
    tasks: pd.DataFrame
    subtargets: pd.DataFrame
    data_dir: Path

    def unit_name(self, unit: str) -> str:
        """The Vietnamese name of ``unit``; :class:`UnknownUnitError` if unknown."""
        return str(self.unit_row(unit)["name"])

    def unit_row(self, unit: str) -> pd.Series:
        """The row of ``unit`` in ``units.csv``."""
        hit = self.units[self.units["unit"] == unit]
        if hit.empty:
            known = ", ".join(self.units["unit"].head(8))
            raise UnknownUnitError(f"unknown unit {unit!r}; known units include: {known} "
                                   "(python -m analysis units lists them all)")
        return hit.iloc[0]


def load_curated(data_dir: Path | str | None = None) -> Curated:
    """Read every curated dataset under ``data_dir`` (default ``data/``)."""
    d = Path(data_dir or paths.DATA)
    return Curated(
        units=read_dataset("units", d),
        mergers=read_dataset("mergers", d),
        indicators=read_dataset("indicators", d),
        observations=read_dataset("observations", d),
        tasks=read_dataset("tasks", d) if paths.dataset_path("tasks", d).is_file() else _empty("tasks"),
        subtargets=(read_dataset("subtargets", d) if paths.dataset_path("subtargets", d).is_file()
                    else _empty("subtargets")),
        data_dir=d,
    )


def _empty(name: str) -> pd.DataFrame:
    from .schema import REQUIRED
    return pd.DataFrame({c: pd.Series(dtype="float64" if c in NUMERIC.get(name, ()) else "str")
                         for c in REQUIRED[name]})


def overlay_curated(observations: pd.DataFrame, curated: pd.DataFrame, *, unit: str) -> pd.DataFrame:
    """Add to ingested ``observations`` what curation decided for ``unit``.

    Curated ``adjusted_plan`` rows (a plan corrected with its reason) and
    ``detail`` values (ambiguous cells resolved by data) are added where the
    ingested table has no such figure; nothing ingested is overwritten.
    """
    cur = curated[(curated["unit"] == unit) & curated["kind"].isin(["adjusted_plan", "detail"])]
    if cur.empty:
        return observations
    key = ["indicator_id", "year", "kind", "measure_unit"]
    have = observations[observations["value"].notna()][key].drop_duplicates()
    extra = cur.merge(have, on=key, how="left", indicator=True)
    extra = extra[extra["_merge"] == "left_only"].drop(columns="_merge")
    return pd.concat([observations, extra[observations.columns]], ignore_index=True)
