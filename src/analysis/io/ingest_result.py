"""What reading an official table gives: observations, catalogue, problems and meta, and their CSV files.

Records are collected as plain rows (:class:`Observation`, :class:`Problem`, catalogue
dicts) and turned into frames of fixed columns and types by
:meth:`IngestResult.from_records`: numbers as floats, problem rows as nullable integers,
everything else as text with ``""`` for nothing. :func:`write_result` writes the three
frames as ``observations.csv``, ``catalogue.csv`` and ``problems.csv``, each atomically,
numbers in machine format (``1231.69``, ``20`` rather than ``20.0``).

>>> result = IngestResult.from_records(
...     [], [], [Problem(file="t.txt", row=7, column="TT", text="x", reason="cell not read", severity="error")], {}
... )
>>> result.problems.loc[0, "row"], str(result.problems["row"].dtype), list(result.observations.columns)[:3]
(np.int64(7), 'Int64', ['unit', 'indicator_id', 'year'])
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

import pandas as pd

from analysis.files import atomic_path
from analysis.io.csvtext import write_csv
from analysis.io.schema import INDICATOR_COLUMNS, LAYOUT_COLUMNS, OBSERVATION_COLUMNS

PROBLEM_COLUMNS = ["file", "row", "column", "text", "reason", "severity"]
SEVERITIES = ("error", "ambiguous", "warning")
CATALOGUE_COLUMNS = [*INDICATOR_COLUMNS, *LAYOUT_COLUMNS, "inferred"]
_NUMERIC_OBS = ("year", "value", "value_high")
_NUMERIC_CAT = ("tt", "decimals", "term_start", "term_end")


class Observation(TypedDict):
    """One observation as read (a row of ``observations``, ``OBSERVATION_COLUMNS``)."""

    unit: str
    indicator_id: str
    year: int | None
    kind: str
    value: float | None
    value_high: float | None
    measure_unit: str
    text: str
    source: str
    source_text: str
    note: str


class Problem(TypedDict):
    """One problem as found (a row of ``problems``, ``PROBLEM_COLUMNS``)."""

    file: str
    row: int
    column: str
    text: str
    reason: str
    severity: str


@dataclass
class IngestResult:
    """What :func:`~analysis.io.ingest.read_table` found: observations
    (``OBSERVATION_COLUMNS``), catalogue (``INDICATOR_COLUMNS`` + ``inferred``), problems
    (``PROBLEM_COLUMNS``) and meta."""

    observations: pd.DataFrame
    catalogue: pd.DataFrame
    problems: pd.DataFrame
    meta: dict[str, object] = field(default_factory=dict)

    @classmethod
    def from_records(
        cls,
        observations: Sequence[Observation],
        catalogue: Sequence[Mapping[str, object]],
        problems: Sequence[Problem],
        meta: dict[str, object],
    ) -> IngestResult:
        """The result of these records, each kind as a frame of its columns and types."""
        return cls(
            _frame(observations, OBSERVATION_COLUMNS, _NUMERIC_OBS),
            _frame(catalogue, CATALOGUE_COLUMNS, _NUMERIC_CAT),
            _frame(problems, PROBLEM_COLUMNS, ("row",)),
            meta,
        )


def _frame(records: Sequence[Mapping[str, object]], columns: list[str], numeric: tuple[str, ...]) -> pd.DataFrame:
    df = pd.DataFrame.from_records(records, columns=columns)
    for c in columns:
        if c == "row":
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("Int64")
        elif c in numeric:
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
        else:
            df[c] = df[c].fillna("").astype("str")
    return df


def _machine(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def write_result(result: IngestResult, out_dir: Path | str) -> dict[str, Path]:
    """Write observations.csv, catalogue.csv and problems.csv into ``out_dir`` atomically
    (each to a temporary name, then renamed). Numbers in machine format (``1231.69``); text
    that a spreadsheet would run as a formula is quoted (:func:`analysis.io.csvtext.write_csv`)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, df, numeric in (
        ("observations", result.observations, _NUMERIC_OBS),
        ("catalogue", result.catalogue, _NUMERIC_CAT),
        ("problems", result.problems, ("row",)),
    ):
        df = df.copy()
        for c in numeric:
            df[c] = df[c].map(_machine)
        target = out / f"{name}.csv"
        with atomic_path(target, suffix=".tmp") as tmp:
            write_csv(df, tmp)  # text never as a formula; numbers (machine format) stay numbers
        written[name] = target
    return written
