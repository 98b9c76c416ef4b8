"""Changes of administrative units as data (``unit_events.csv``), checked against ``units.csv``.

One row per piece of a change: a commune merged into another, part of a commune moved to
another (with the area and population moved), a renamed unit, a unit set up, or a whole
level (the districts, on 01/07/2025) dissolved. The rows of one arrangement share its date
and legal source. The functions here check the rows; what they mean for a unit's history is
:mod:`analysis.analyses.lineage`.

A yearly figure describes a unit as it was during that year. An event dated 1 January takes
effect with that year's figures; an event dated later in the year (01/12/2024) takes effect
with the next year's (2025): the 2024 figures of the units it ended are theirs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from analysis.errors import DataValidationError
from analysis.io.schema import EventKind

#: Kinds that end ``from_unit`` (its ``valid_to`` is the last year of its own figures).
ENDING = frozenset({EventKind.MERGE, EventKind.RENAME, EventKind.DISSOLVE_LEVEL})


def parse_date(text: str) -> dt.date:
    """An ISO date (``2024-12-01``); :class:`ValueError` otherwise.

    >>> parse_date("2024-12-01")
    datetime.date(2024, 12, 1)
    """
    return dt.date.fromisoformat(str(text).strip())


def effect_year(date: dt.date) -> int:
    """The first year whose figures see the change (see the module's docstring).

    >>> effect_year(dt.date(2024, 12, 1)), effect_year(dt.date(2025, 1, 1))
    (2025, 2025)
    """
    return date.year if (date.month, date.day) == (1, 1) else date.year + 1


def _shown(value: object) -> object:
    """A cell as the file writes it: '' for empty, 636 for 636.0."""
    if isinstance(value, float):
        return "" if value != value else f"{value:g}"
    return value


def check_unit_events(
    events: pd.DataFrame, units: pd.DataFrame, source_ids: Iterable[str], *, file: str = "unit_events.csv"
) -> None:
    """Check every row of ``events``; :class:`DataValidationError` names the file, row and column.

    - ``date`` is an ISO date; ``from_unit`` and ``to_unit`` are units of ``units.csv``
      (``from_unit`` empty only for ``create``, ``to_unit`` never);
    - a ``partial_transfer`` gives the ``population`` or the ``population_share`` moved;
      shares are between 0 and 1, areas and populations not negative;
    - a unit that a ``merge``, ``rename`` or ``dissolve_level`` ends has ``valid_to`` = the
      last year of its own figures (``effect_year - 1``), a unit set up by ``create`` or
      ``rename`` has ``valid_from`` = the effect year;
    - every id of ``source`` (``;``-separated, ``file:line`` allowed) is a row of ``sources.csv``
      (``illustrative`` for a made-up row, whose ``illustrative`` is true).
    """
    known = set(units["unit"])
    by_id = units.set_index("unit")
    sources = {str(s).strip() for s in source_ids}

    def refuse(i: int, column: str, why: str) -> None:
        value = _shown(events[column].iloc[i]) if column in events.columns else ""
        raise DataValidationError(f"{file}: row {i + 2}, column {column!r}: {value!r} {why}")

    for i in range(len(events)):
        row = events.iloc[i]
        kind = str(row["kind"])
        try:
            date = parse_date(str(row["date"]))
        except ValueError:
            refuse(i, "date", "is not a date written YYYY-MM-DD")
        for column in ("from_unit", "to_unit"):
            value = str(row[column]).strip()
            if not value and (column == "to_unit" or kind != EventKind.CREATE):
                refuse(i, column, f"is empty; a {kind} needs it")
            if value and kind == EventKind.CREATE and column == "from_unit":
                refuse(i, column, "must be empty for create (add merge rows into the new unit)")
            if value and value not in known:
                refuse(i, column, "is not a unit of units.csv")
        if kind == EventKind.PARTIAL_TRANSFER and pd.isna(row["population"]) and pd.isna(row["population_share"]):
            refuse(i, "population", "is empty: a partial transfer gives the population or population_share moved")
        share = row["population_share"]
        if not pd.isna(share) and not 0 <= float(share) <= 1:
            refuse(i, "population_share", "is not between 0 and 1")
        for column in ("area_km2", "population", "to_area_km2_after", "to_population_after", "parent_units_after"):
            if not pd.isna(row[column]) and float(row[column]) < 0:
                refuse(i, column, "is negative")
        year = effect_year(date)
        source_from = str(row["from_unit"]).strip()
        if kind in ENDING and by_id.loc[source_from, "valid_to"] != year - 1:
            refuse(
                i, "from_unit", f"ends on {date:%d/%m/%Y}: its valid_to in units.csv must be {year - 1} (last own year)"
            )
        to_unit = str(row["to_unit"]).strip()
        if kind in (EventKind.CREATE, EventKind.RENAME) and by_id.loc[to_unit, "valid_from"] != year:
            refuse(i, "to_unit", f"starts on {date:%d/%m/%Y}: its valid_from in units.csv must be {year}")
        for ref in str(row["source"]).split(";"):
            name = ref.strip().split(":")[0].strip()
            if name and name not in sources and not (name == "illustrative" and bool(row["illustrative"])):
                refuse(i, "source", f"names {name!r}, which is not a row (file) of sources.csv")
        if not str(row["source"]).strip() or not str(row["legal_source"]).strip():
            refuse(
                i, "legal_source" if str(row["source"]).strip() else "source", "is empty: every change needs its source"
            )
