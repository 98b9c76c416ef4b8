"""Reading the curated datasets named in :mod:`analysis.paths`, validated and typed."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.errors import DataValidationError, InputFileError, UnknownUnitError
from analysis.io.controls import CONTROLS, controls_in, describe, show_controls
from analysis.io.corrections import apply_corrections
from analysis.io.events import check_unit_events
from analysis.io.schema import FACT_COLUMNS, LAYOUT_COLUMNS, RECEIVED_COLUMNS, REQUIRED, Provenance, validate_frame

log = logging.getLogger(__name__)

# Columns read as numbers (the rest stay text, empty = "").
NUMERIC: dict[str, tuple[str, ...]] = {
    "units": ("valid_from", "valid_to"),
    "unit_events": (
        "area_km2",
        "population",
        "population_share",
        "to_area_km2_after",
        "to_population_after",
        "parent_units_after",
    ),
    "corrections": ("year",),
    "indicators": ("tt", "decimals", "term_start", "term_end"),
    "observations": ("year", "value", "value_high"),
    "tasks": ("year", "self_score"),
    "subtargets": (
        "year",
        "target_value",
        "numerator",
        "denominator",
        "result_value",
        "published_pct",
        "published_pct_decimals",
    ),
    "commune_indicators": ("tt", "decimals", "term_start", "term_end"),
    "commune_observations": ("year", "value", "value_high"),
    "received_commune_observations": ("year", "value", "value_high"),
    "commune_facts": ("year", "value", "value_high", "denominator"),
}

# Which schema of analysis.io.schema a dataset follows, and the columns it adds.
SCHEMA = {
    "units": "units",
    "indicators": "indicators",
    "observations": "observations",
    "tasks": "tasks",
    "subtargets": "subtargets",
    "commune_indicators": "indicators",
    "commune_observations": "observations",
    "received_commune_observations": "observations",
    "unit_events": "unit_events",
    "corrections": "corrections",
    "sources": "sources",
}
EXTRA_COLUMNS = {
    "commune_indicators": ["illustrative"],
    "commune_observations": ["illustrative"],
    "received_commune_observations": RECEIVED_COLUMNS,
    "commune_facts": FACT_COLUMNS,
}
# Columns holding true/false.
BOOLEAN = {
    "commune_indicators": ("illustrative",),
    "commune_observations": ("illustrative",),
    "unit_events": ("illustrative",),
}


# Observation kinds that hold one figure per indicator, year and measure unit.
UNIQUE_KINDS = [
    "result",
    "estimate",
    "plan",
    "adjusted_plan",
    "term_target",
    "stock",
    "published_attainment_pct",
    "published_trend_pct",
    "published_status",
]

# Columns that identify a row: a repeated key is an error naming the row.
KEYS: dict[str, tuple[str, ...]] = {
    "units": ("unit",),
    "indicators": ("unit", "indicator_id"),
    "tasks": ("unit", "year", "task"),
    "subtargets": ("unit", "year", "sub"),
    "commune_indicators": ("unit", "indicator_id"),
    "commune_observations": ("unit", "indicator_id", "year", "kind", "measure_unit"),
    "received_commune_observations": ("unit", "indicator_id", "year", "kind", "measure_unit"),
    "unit_events": ("event",),
    "sources": ("file",),
}


#: Datasets a unit may legitimately have no rows of: the file is still required (a missing
#: file is an error, never "no tasks"); without rows it holds its header line only.
EMPTY_HINT = {
    name: f"; a data folder without {what} keeps {name}.csv with its header row only (data/README.md)"
    for name, what in (("tasks", "key tasks"), ("subtargets", "sub-targets"))
}


def read_dataset(name: str, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Read the curated dataset ``name`` (e.g. ``"observations"``), typed and validated.

    Text columns keep ``""`` for empty cells; numeric columns hold ``NaN``.
    A cell that is not a number where one is expected raises
    :class:`DataValidationError` naming file, row and column.
    """
    path = paths.dataset_path(name, data_dir)
    if not path.is_file():
        hint = EMPTY_HINT.get(name, "")
        raise InputFileError(f"file not found (dataset {name!r}){hint}", file=str(path))
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    refuse_controls(df, path)
    missing = [c for c in REQUIRED.get(SCHEMA.get(name, ""), []) + EXTRA_COLUMNS.get(name, []) if c not in df.columns]
    if missing:
        raise DataValidationError(f"{path}: missing columns: {', '.join(missing)}")
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
    if name in SCHEMA:
        validate_frame(df, SCHEMA[name], file=str(path))
    if name == "indicators":  # optional: where each indicator sits in its table
        for column in LAYOUT_COLUMNS:
            if column not in df.columns:
                df[column] = ""
    for column in BOOLEAN.get(name, ()):
        flag = df[column].str.strip().str.lower()
        bad = ~flag.isin(["true", "false"])
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise DataValidationError(
                f"{path}: row {i + 2}, column {column!r}: {df[column].iloc[i]!r} is not true or false"
            )
        df[column] = flag.eq("true")
    key = KEYS.get(name)
    if name == "observations":  # one value per figure; notes and details may repeat
        figures = df["kind"].isin(UNIQUE_KINDS)
        dup = df.duplicated(["unit", "indicator_id", "year", "kind", "measure_unit"], keep="first") & figures
        if dup.any():
            i = int(dup.to_numpy().nonzero()[0][0])
            raise DataValidationError(
                f"{path}: row {i + 2}: a second {df['kind'].iloc[i]!r} of {df['indicator_id'].iloc[i]!r} "
                f"({df['unit'].iloc[i]}) for {_plain(df['year'].iloc[i])}; keep one value per figure"
            )
    if name in RECEIVED:
        check_received_dates(df, path)
    if key:
        dup = df.duplicated(list(key), keep="first")
        if dup.any():
            i = int(dup.to_numpy().nonzero()[0][0])
            raise DataValidationError(
                f"{path}: row {i + 2}: duplicate key " + ", ".join(f"{k}={_plain(df[k].iloc[i])!r}" for k in key)
            )
    return df


def check_received_dates(df: pd.DataFrame, path: Path) -> None:
    """Every ``received`` cell of a taken-in dataset is a date written ``yyyy-mm-dd`` and every
    ``file`` names the form: :class:`DataValidationError` naming the row and column otherwise."""
    for i, (when, file) in enumerate(zip(df["received"], df["file"], strict=True)):
        try:
            dt.date.fromisoformat(str(when).strip())
        except ValueError:
            raise DataValidationError(
                f"{path}: row {i + 2}, column 'received': {when!r} is not a date written yyyy-mm-dd "
                "(the day the form was received, such as 2026-01-05)"
            ) from None
        if not str(file).strip():
            raise DataValidationError(f"{path}: row {i + 2}, column 'file': empty; name the form the figure came from")


def refuse_controls(df: pd.DataFrame, path: Path) -> None:
    """:class:`DataValidationError` at the first cell holding an invisible control character
    (:mod:`analysis.io.controls`): in a report it could reverse or hide the text after it."""
    for column in df.columns:
        bad = df[column].str.contains(CONTROLS, na=False)
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            value = str(df[column].iloc[i])
            raise DataValidationError(
                f"{path}: row {i + 2}, column {column!r}: {show_controls(value)!r} holds invisible "
                f"control character(s) {describe(controls_in(value))}: remove them"
            )


def _plain(value: object) -> object:
    """A float that is a whole number as int, for messages."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


@dataclass(frozen=True)
class Curated:
    """All curated datasets of one data folder."""

    units: pd.DataFrame
    unit_events: pd.DataFrame
    indicators: pd.DataFrame
    #: with the corrections of ``corrections`` applied (:func:`analysis.io.corrections.apply_corrections`)
    observations: pd.DataFrame
    tasks: pd.DataFrame
    subtargets: pd.DataFrame
    data_dir: Path
    #: the corrections applied to ``observations`` (``corrections.csv``; empty when there is none)
    corrections: pd.DataFrame = field(default_factory=lambda: _empty("corrections"))
    #: ``observations`` as published, before the corrections (None: the same as ``observations``)
    published_observations: pd.DataFrame | None = None

    @property
    def as_published(self) -> pd.DataFrame:
        """The observations as the reports published them, before any correction: what the
        audit checks each published figure against."""
        return self.observations if self.published_observations is None else self.published_observations

    def unit_name(self, unit: str) -> str:
        """The Vietnamese name of ``unit``; :class:`UnknownUnitError` if unknown."""
        return str(self.unit_row(unit)["name"])

    def unit_row(self, unit: str) -> pd.Series:
        """The row of ``unit`` in ``units.csv`` (its first, if listed twice)."""
        at = self._unit_rows.get(unit)
        if at is None:
            known = ", ".join(self.units["unit"].head(8))
            raise UnknownUnitError(
                f"unknown unit {unit!r}; known units include: {known} (python -m analysis units lists them all)"
            )
        return self.units.iloc[at]

    @cached_property
    def _unit_rows(self) -> dict[str, int]:
        """Position of each unit's first row in ``units``: a pack asks for a few dozen rows of a
        country's three thousand units (a filter of the whole table each time was a tenth of
        a commune pack's analysis)."""
        rows: dict[str, int] = {}
        for i, unit in enumerate(self.units["unit"]):
            rows.setdefault(unit, i)
        return rows


#: The datasets :func:`load_curated` reads (``unit_events``, ``corrections``, ``sources``, ``tasks``
#: and ``subtargets`` may be absent from a data folder: empty then).
CURATED = (
    "units",
    "unit_events",
    "indicators",
    "observations",
    "corrections",
    "tasks",
    "subtargets",
    "sources",
)


#: The commune datasets (``data/illustrative/``, and the figures taken in from the communes'
#: forms in ``data/received/``), read together by :func:`load_commune_data`.
COMMUNE_DATA = ("commune_indicators", "commune_observations", "received_commune_observations")
#: Taken-in datasets (``data/received/``) and the dataset each takes precedence over.
RECEIVED = {"received_commune_observations": "commune_observations"}


def with_received(base: pd.DataFrame, received: pd.DataFrame) -> pd.DataFrame:
    """``base`` (the shipped figures, with their ``illustrative`` flag) with the taken-in figures
    of ``received`` in place of its own: a unit's form replaces the unit's figures of the kinds
    and year it gives (as intake did), form over illustrative. Every row gets a ``provenance``
    (:class:`~analysis.io.schema.Provenance`) and the form's ``file`` and ``received`` date
    (empty but for taken-in rows).

    >>> base = pd.DataFrame({"unit": ["u", "u"], "indicator_id": ["a", "b"], "year": [2025.0] * 2,
    ...     "kind": ["result"] * 2, "value": [1.0, 2.0], "illustrative": [True, False]})
    >>> got = pd.DataFrame({"unit": ["u"], "indicator_id": ["a"], "year": [2025.0], "kind": ["result"],
    ...     "value": [7.0], "file": ["u.xlsx"], "received": ["2026-01-05"]})
    >>> with_received(base, got)[["indicator_id", "value", "provenance", "illustrative"]].values.tolist()
    [['a', 7.0, 'form', False]]
    """
    out = base.copy()
    flag = out["illustrative"].astype(bool) if "illustrative" in out.columns else pd.Series(False, index=out.index)
    out["provenance"] = flag.map({True: str(Provenance.ILLUSTRATIVE), False: str(Provenance.PUBLISHED)})
    for column in RECEIVED_COLUMNS:
        out[column] = ""
    if received.empty:
        return out
    taken = set(zip(received["unit"], received["year"], received["kind"], strict=True))
    replaced = pd.Series(
        [k in taken for k in zip(out["unit"], out["year"], out["kind"], strict=True)], index=out.index, dtype=bool
    )
    new = received.copy()
    new["illustrative"] = False
    new["provenance"] = str(Provenance.FORM)
    new = new[[c for c in out.columns if c in new.columns]]
    return pd.concat([out[~replaced], new], ignore_index=True)


def load_commune_data(data_dir: Path | str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The commune catalogue and observations, typed and checked: every observation must belong
    to an indicator of its unit's catalogue. Errors name the file, the row (header = row 1)
    and the column."""
    catalogue = read_dataset("commune_indicators", data_dir)
    known = set(zip(catalogue["unit"], catalogue["indicator_id"]))
    frames = {}
    for name in ("commune_observations", "received_commune_observations"):
        path = paths.dataset_path(name, data_dir)
        if name in RECEIVED and not path.is_file():  # nothing taken in yet
            frames[name] = pd.DataFrame()
            continue
        frames[name] = observations = read_dataset(name, data_dir)
        orphan = [(u, i) not in known for u, i in zip(observations["unit"], observations["indicator_id"])]
        if any(orphan):
            n = orphan.index(True)
            raise DataValidationError(
                f"{path}: row {n + 2}, column 'indicator_id': "
                f"{observations['indicator_id'].iloc[n]!r} is not in the catalogue of unit "
                f"{observations['unit'].iloc[n]!r} ({paths.dataset_path('commune_indicators', data_dir).name})"
            )
    observations = with_received(frames["commune_observations"], frames["received_commune_observations"])
    return catalogue, observations


def curated_files(data_dir: Path | str | None = None) -> list[Path]:
    """The files :func:`load_curated` reads (those of :data:`CURATED`)."""
    return [paths.dataset_path(name, data_dir) for name in CURATED]


def load_curated(data_dir: Path | str | None = None) -> Curated:
    """Read every curated dataset under ``data_dir`` (default ``data/``), and check that
    they refer to each other correctly (units, parents, indicators). Every file of
    :data:`CURATED` is required: a unit without key tasks has no rows in ``tasks.csv``."""
    d = Path(data_dir or paths.DATA)
    corrections = _optional("corrections", d)
    published = read_dataset("observations", d)
    published["provenance"] = (
        published["source"]
        .str.contains(":sha256=", regex=False)
        .map({True: str(Provenance.FORM), False: str(Provenance.PUBLISHED)})
    )
    corrected = apply_corrections(published, corrections, file=str(paths.dataset_path("corrections", d)))
    changed = corrected["note"] != published["note"]  # every correction adds its note
    corrected.loc[changed, "provenance"] = str(Provenance.CORRECTION)
    curated = Curated(
        units=read_dataset("units", d),
        unit_events=_optional("unit_events", d),
        indicators=read_dataset("indicators", d),
        observations=corrected,
        tasks=read_dataset("tasks", d),
        subtargets=read_dataset("subtargets", d),
        data_dir=d,
        corrections=corrections,
        published_observations=published if len(corrections) else None,
    )
    check_references(curated)
    check_unit_events(
        curated.unit_events,
        curated.units,
        _optional("sources", d)["file"],
        file=str(paths.dataset_path("unit_events", d)),
    )
    log.info(
        "read the curated data in %s: %d units, %d indicators, %d observations, %d key tasks, %d sub-targets",
        d,
        len(curated.units),
        len(curated.indicators),
        len(curated.observations),
        len(curated.tasks),
        len(curated.subtargets),
    )
    return curated


def check_references(c: Curated) -> None:
    """Every unit, parent and indicator named in one dataset exists in the one it refers to;
    :class:`DataValidationError` names the file, row and column otherwise."""
    units = set(c.units["unit"])

    def refuse(name: str, df: pd.DataFrame, bad: pd.Series, column: str, where: str) -> None:
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise DataValidationError(
                f"{paths.dataset_path(name, c.data_dir)}: row {i + 2}, column "
                f"{column!r}: {df[column].iloc[i]!r} is not {where}"
            )

    refuse(
        "units", c.units, (c.units["parent"] != "") & ~c.units["parent"].isin(units), "parent", "a unit of units.csv"
    )
    for name in ("indicators", "observations", "tasks", "subtargets", "corrections"):
        df = getattr(c, name)
        refuse(name, df, ~df["unit"].isin(units), "unit", "a unit of units.csv")
    known = set(zip(c.indicators["unit"], c.indicators["indicator_id"]))
    obs = c.observations
    orphan = (obs["indicator_id"] != "") & pd.Series(
        [(u, i) not in known for u, i in zip(obs["unit"], obs["indicator_id"])], index=obs.index
    )
    refuse("observations", obs, orphan, "indicator_id", "an indicator of that unit in indicators.csv")


def _optional(name: str, data_dir: Path) -> pd.DataFrame:
    """``read_dataset(name)``, or an empty frame with its columns when the file is absent."""
    return read_dataset(name, data_dir) if paths.dataset_path(name, data_dir).is_file() else _empty(name)


def _empty(name: str) -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series(dtype="float64" if c in NUMERIC.get(name, ()) else "str") for c in REQUIRED[name]}
    )


def overlay_curated(observations: pd.DataFrame, curated: pd.DataFrame, *, unit: str) -> pd.DataFrame:
    """Add to ingested ``observations`` what curation decided for ``unit``.

    Curated ``adjusted_plan`` rows (a plan corrected with its reason), ``detail`` values
    (ambiguous cells resolved by data), ``max_possible`` (the most a count can reach, with
    its reason) and ``assigned_target`` (a figure the province assigned, from a note) are
    added where the ingested table has no such figure; nothing ingested is overwritten.
    """
    kinds = ["adjusted_plan", "detail", "max_possible", "assigned_target"]
    cur = curated[(curated["unit"] == unit) & curated["kind"].isin(kinds)]
    if cur.empty:
        return observations
    key = ["indicator_id", "year", "kind", "measure_unit"]
    have = observations[observations["value"].notna()][key].drop_duplicates()
    extra = cur.merge(have, on=key, how="left", indicator=True)
    extra = extra[extra["_merge"] == "left_only"].drop(columns="_merge")
    return pd.concat([observations, extra[observations.columns]], ignore_index=True)
