"""Column names and vocabularies of the curated datasets, and their validation.

The data dictionary in ``data/README.md`` documents the same names; this module
is what the code checks against.
"""

from __future__ import annotations

from enum import StrEnum

import pandas as pd

from analysis.errors import DataValidationError


class Direction(StrEnum):
    """Which way an indicator is better."""

    HIGHER = "higher"  # more is better: achieved when result >= plan
    LOWER = "lower"  # less is better: achieved when result <= plan
    MAINTAIN = "maintain"  # keep the level: achieved when result >= plan ("Duy trì 42%")
    TEXT = "text"  # no numeric plan: status comes from data


class TargetType(StrEnum):
    """The kind of the term (or forward) target of an indicator."""

    LEVEL = "level"  # value to reach in the final year
    EVERY_YEAR = "every_year"  # "Hàng năm đạt 1.200ha"
    TERM_AVERAGE = "term_average"  # "80ha/năm" over the term
    RATE_AVERAGE = "rate_average"  # average of a yearly rate over the term
    YEARLY_REDUCTION = "yearly_reduction"  # "Giảm 5% trở lên" each year
    GROWTH = "growth"  # "tăng 12%": next value = base x 1.12
    STOCK = "stock"  # "Toàn huyện có 27 trường"
    RANGE = "range"  # "14-16 tiêu chí"
    TEXT = "text"  # words only
    NONE = "none"  # no term target


class Provenance(StrEnum):
    """Where a figure came from (the ``provenance`` column the readers give every observation)."""

    ILLUSTRATIVE = "illustrative"  # the shipped example data (data/illustrative/), made up
    PUBLISHED = "published"  # a published table or report (data/raw/, curated)
    FORM = "form"  # a unit's returned form or table, taken in (data/received/)
    CORRECTION = "correction"  # a published figure changed by a row of corrections.csv


#: The columns a taken-in figure adds (``data/received/``): the form's file name and the date
#: it was received (``yyyy-mm-dd``); who sent it is the row's ``unit``.
RECEIVED_COLUMNS = ["file", "received"]


class Kind(StrEnum):
    """What an observation is."""

    RESULT = "result"  # TH, final
    ESTIMATE = "estimate"  # ước TH
    PLAN = "plan"  # KH of the year
    ADJUSTED_PLAN = "adjusted_plan"  # plan corrected by data, with its reason
    ASSIGNED_TARGET = "assigned_target"  # a figure the province assigned for a year (a note says so)
    MAX_POSSIBLE = "max_possible"  # the most a count can reach (units that exist), with its reason
    TERM_TARGET = "term_target"  # NQ Đại hội, year = term end
    STOCK = "stock"  # a cumulative count stated in a note
    DETAIL = "detail"  # another quantity in the same cell, own measure unit
    PUBLISHED_ATTAINMENT = "published_attainment_pct"
    PUBLISHED_TREND = "published_trend_pct"
    PUBLISHED_STATUS = "published_status"  # words in a percentage column ("Không đạt")
    PUBLISHED_REQUIRED = "published_required"  # a note's required value for the final year
    PUBLISHED_EXPRESSION = (
        "published_expression"  # a note's arithmetic, text = expression, value = its published result
    )
    PUBLISHED_HEADLINE = "published_headline"  # "06/26 chỉ tiêu không đạt": value = 6, value_high = 26
    NOTE = "note"  # words of a note cell kept as text


class Status(StrEnum):
    """Status words as the reports write them; for an estimated result (ước, dự kiến) the
    same three with "Dự kiến" in front."""

    EXCEEDED = "Vượt"
    ACHIEVED = "Đạt"
    NOT_ACHIEVED = "Không đạt"
    EXPECTED_EXCEEDED = "Dự kiến vượt"
    EXPECTED = "Dự kiến đạt"
    EXPECTED_NOT_ACHIEVED = "Dự kiến không đạt"
    UNKNOWN = "Chưa xác định"


ACHIEVED_STATUSES = frozenset({Status.EXCEEDED, Status.ACHIEVED, Status.EXPECTED_EXCEEDED, Status.EXPECTED})
NOT_ACHIEVED_STATUSES = frozenset({Status.NOT_ACHIEVED, Status.EXPECTED_NOT_ACHIEVED})

# An estimate's status word, and back: the level a status states whatever the estimate.
_AS_ESTIMATE = {
    Status.EXCEEDED: Status.EXPECTED_EXCEEDED,
    Status.ACHIEVED: Status.EXPECTED,
    Status.NOT_ACHIEVED: Status.EXPECTED_NOT_ACHIEVED,
}
_LEVEL = {v: k for k, v in _AS_ESTIMATE.items()}


def as_estimate(status: Status) -> Status:
    """The status of an estimated result: ``Đạt`` → ``Dự kiến đạt`` (others unchanged).

    >>> as_estimate(Status.NOT_ACHIEVED).value, as_estimate(Status.UNKNOWN).value
    ('Dự kiến không đạt', 'Chưa xác định')
    """
    return _AS_ESTIMATE.get(status, status)


def status_level(status: Status | str) -> Status:
    """The level a status word states, the estimate left aside: ``Dự kiến vượt`` → ``Vượt``.

    >>> status_level("Dự kiến vượt").value, status_level("Đạt").value
    ('Vượt', 'Đạt')
    """
    s = Status(status)
    return _LEVEL.get(s, s)


# Worst to best: a status never ranks higher when the result gets worse.
STATUS_RANK = {Status.NOT_ACHIEVED: 0, Status.ACHIEVED: 1, Status.EXCEEDED: 2}

UNIT_LEVELS = ("province", "district", "commune", "town")

UNIT_COLUMNS = [
    "unit",
    "name",
    "level",
    "parent",
    "valid_from",
    "valid_to",
    "illustrative",
    "source",
    "note",
]
INDICATOR_COLUMNS = [
    "unit",
    "indicator_id",
    "tt",
    "indicator",
    "measure_unit",
    "direction",
    "target_type",
    "target_source",
    "decimals",
    "term_start",
    "term_end",
    "note",
]
#: Where an indicator sits in its table, optional in a curated catalogue (empty when absent):
#: ``section`` (the section heading, "I. Kinh tế"), ``parent`` (for a sub-row such as
#: "- Trong đó ...", the indicator_id of the row it belongs to; such rows are never counted
#: in a headline) and ``label`` (the STT as printed: "1", "a)", "-", "+").
LAYOUT_COLUMNS = ["section", "parent", "label"]
OBSERVATION_COLUMNS = [
    "unit",
    "indicator_id",
    "year",
    "kind",
    "value",
    "value_high",
    "measure_unit",
    "text",
    "source",
    "source_text",
    "note",
]
TASK_COLUMNS = ["unit", "year", "task", "group", "title", "self_score", "published_class", "source"]
SUBTARGET_COLUMNS = [
    "unit",
    "year",
    "task",
    "sub",
    "description",
    "target_value",
    "measure_unit",
    "numerator",
    "denominator",
    "result_value",
    "published_pct",
    "published_pct_qualifier",
    "published_status",
    "communes",
    "source_text",
    "note",
    "published_pct_decimals",
]

FACT_COLUMNS = [
    "unit",
    "year",
    "topic",
    "value",
    "value_high",
    "denominator",
    "measure_unit",
    "text",
    "task",
    "source",
    "source_text",
    "note",
]


class EventKind(StrEnum):
    """What a change of administrative units does (``unit_events.csv``)."""

    MERGE = "merge"  # the whole of from_unit (or what is left of it) joins to_unit; from_unit ends
    PARTIAL_TRANSFER = "partial_transfer"  # part of from_unit (area, population) joins to_unit
    DISSOLVE_LEVEL = "dissolve_level"  # from_unit's level ends; its sub-units come under to_unit
    RENAME = "rename"  # from_unit goes on under a new id and name, to_unit
    CREATE = "create"  # to_unit is set up (from the merges into it on the same date)


UNIT_EVENT_COLUMNS = [
    "event",
    "date",
    "kind",
    "from_unit",
    "to_unit",
    "area_km2",
    "population",
    "population_share",
    "to_area_km2_after",
    "to_population_after",
    "parent_units_after",
    "legal_source",
    "source",
    "illustrative",
    "note",
]
CORRECTION_COLUMNS = [
    "unit",
    "year",
    "indicator_id",
    "field",
    "measure_unit",
    "old_value",
    "new_value",
    "reason",
    "who",
    "date",
    "source_document",
]
SOURCE_COLUMNS = ["file", "unit", "date", "title", "url"]
#: Observation kinds a correction may change: those that hold one figure per indicator and year.
CORRECTABLE_KINDS = frozenset(
    {
        Kind.RESULT,
        Kind.ESTIMATE,
        Kind.PLAN,
        Kind.ADJUSTED_PLAN,
        Kind.TERM_TARGET,
        Kind.STOCK,
        Kind.PUBLISHED_ATTAINMENT,
        Kind.PUBLISHED_TREND,
        Kind.PUBLISHED_STATUS,
    }
)

ENUMS: dict[str, dict[str, frozenset[str]]] = {
    "indicators": {
        "direction": frozenset(Direction),
        "target_type": frozenset(TargetType),
        "target_source": frozenset({"term_target", "plan"}),
    },
    "observations": {"kind": frozenset(Kind)},
    "units": {"level": frozenset(UNIT_LEVELS)},
    "unit_events": {"kind": frozenset(EventKind)},
    "corrections": {"field": CORRECTABLE_KINDS},
}

REQUIRED: dict[str, list[str]] = {
    "units": UNIT_COLUMNS,
    "indicators": INDICATOR_COLUMNS,
    "observations": OBSERVATION_COLUMNS,
    "tasks": TASK_COLUMNS,
    "subtargets": SUBTARGET_COLUMNS,
    "unit_events": UNIT_EVENT_COLUMNS,
    "corrections": CORRECTION_COLUMNS,
    "sources": SOURCE_COLUMNS,
}


def validate_frame(df: pd.DataFrame, dataset: str, *, file: str | None = None) -> pd.DataFrame:
    """Check that ``df`` has the columns and vocabularies of ``dataset``.

    Raises :class:`DataValidationError` naming the file, the row (1-based data
    row, header excluded) and the column at fault.

    >>> import pandas as pd
    >>> validate_frame(pd.DataFrame({"unit": ["x"]}), "units")
    Traceback (most recent call last):
    ...
    analysis.errors.DataValidationError: units: missing columns: name, level, parent, valid_from, valid_to, illustrative, source, note
    """
    where = file or dataset
    missing = [c for c in REQUIRED[dataset] if c not in df.columns]
    if missing:
        raise DataValidationError(f"{where}: missing columns: {', '.join(missing)}")
    for column, allowed in ENUMS.get(dataset, {}).items():
        values = df[column]
        bad = values.notna() & ~values.astype("string").isin(sorted(allowed))
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise DataValidationError(
                f"{where}: row {i + 2}, column {column!r}: {values.iloc[i]!r} is not one of "
                f"{', '.join(sorted(allowed))}"
            )
    return df
