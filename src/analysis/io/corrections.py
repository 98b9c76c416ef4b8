"""Corrections (đính chính) of published figures, as data (``corrections.csv``).

A correction names one figure of ``observations.csv`` (unit, year, indicator, and the kind of
figure in ``field``: ``result``, ``plan``, ...), the value it had and the value it takes, why,
who decided and by which document. :func:`apply_corrections` is a pure function: it returns
new observations, the corrected figure's ``note`` saying what was corrected; an ``old_value``
that does not match the current figure is an error naming the row of the corrections file, so
a correction never applies silently to a figure that has changed since.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from analysis.errors import DataValidationError


def _number(text: object) -> float | None:
    try:
        value = float(str(text).strip())
    except ValueError:
        return None
    return None if math.isnan(value) else value


def _plain(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else str(value)


def correction_note(row: pd.Series) -> str:
    """The sentence a corrected figure's ``note`` gets.

    >>> correction_note(pd.Series({"old_value": "95", "new_value": "97", "date": "2025-01-10",
    ...     "source_document": "Công văn 12/UBND", "reason": "nhập nhầm"}))
    'Đính chính ngày 10/01/2025: 95 → 97 (nhập nhầm; Công văn 12/UBND).'
    """
    when = dt.date.fromisoformat(str(row["date"]).strip())
    why = "; ".join(str(row[c]).strip() for c in ("reason", "source_document") if str(row[c]).strip())
    return f"Đính chính ngày {when:%d/%m/%Y}: {row['old_value']} → {row['new_value']}" + (f" ({why})." if why else ".")


def check_corrections(corrections: pd.DataFrame, *, file: str = "corrections.csv") -> None:
    """Every row names its figure and says why, who and when; errors name the file, row and column."""

    def refuse(i: int, column: str, why: str) -> None:
        raise DataValidationError(f"{file}: row {i + 2}, column {column!r}: {corrections[column].iloc[i]!r} {why}")

    for i in range(len(corrections)):
        row = corrections.iloc[i]
        for column in ("unit", "indicator_id", "field", "old_value", "new_value", "reason", "who", "source_document"):
            if not str(row[column]).strip():
                refuse(
                    i, column, "is empty: a correction names its figure, both values, the reason, who and the document"
                )
        if pd.isna(row["year"]):
            refuse(i, "year", "is empty")
        try:
            dt.date.fromisoformat(str(row["date"]).strip())
        except ValueError:
            refuse(i, "date", "is not a date written YYYY-MM-DD")
        if str(row["field"]) != "published_status" and _number(row["new_value"]) is None:
            refuse(i, "new_value", f"is not a number (machine format, 1231.69); {row['field']} holds numbers")


def apply_corrections(
    observations: pd.DataFrame, corrections: pd.DataFrame, *, file: str = "corrections.csv"
) -> pd.DataFrame:
    """``observations`` with every correction applied, in file order (a later row may correct the
    figure an earlier one set).

    The figure is the row of ``observations`` with the correction's unit, indicator, year and
    kind (``field``), and its ``measure_unit`` when the correction gives one. Numbers are
    compared with ``old_value`` as numbers; ``published_status`` as words (NFC, case kept).

    >>> obs = pd.DataFrame({"unit": ["u"], "indicator_id": ["i"], "year": [2024.0], "kind": ["result"],
    ...     "value": [95.0], "text": [""], "measure_unit": ["%"], "note": [""]})
    >>> fix = pd.DataFrame({"unit": ["u"], "year": [2024.0], "indicator_id": ["i"], "field": ["result"],
    ...     "measure_unit": [""], "old_value": ["95"], "new_value": ["97.5"], "reason": ["nhập nhầm"],
    ...     "who": ["Phòng Thống kê"], "date": ["2025-01-10"], "source_document": ["CV 12"]})
    >>> apply_corrections(obs, fix)[["value", "note"]].values.tolist()
    [[97.5, 'Đính chính ngày 10/01/2025: 95 → 97.5 (nhập nhầm; CV 12).']]
    """
    check_corrections(corrections, file=file)
    out = observations.copy()
    for i in range(len(corrections)):
        fix = corrections.iloc[i]
        where = f"{file}: row {i + 2}"
        hit = (
            (out["unit"] == fix["unit"])
            & (out["indicator_id"] == fix["indicator_id"])
            & (out["year"] == float(fix["year"]))
            & (out["kind"] == fix["field"])
        )
        if str(fix["measure_unit"]).strip():
            hit &= out["measure_unit"] == str(fix["measure_unit"]).strip()
        rows = hit.to_numpy().nonzero()[0]
        figure = f"{fix['field']} of {fix['indicator_id']!r} ({fix['unit']}) for {int(fix['year'])}"
        if not (out["unit"] == fix["unit"]).any():
            raise DataValidationError(f"{where}, column 'unit': {fix['unit']!r} has no figures in observations.csv")
        if len(rows) == 0:
            raise DataValidationError(f"{where}: no {figure} in observations.csv to correct")
        if len(rows) > 1:
            raise DataValidationError(f"{where}: {len(rows)} figures are the {figure}; give measure_unit")
        n = out.index[rows[0]]
        if fix["field"] == "published_status":
            current = str(out.at[n, "text"]).strip()
            matches = current == str(fix["old_value"]).strip()
        else:
            value, old = _number(out.at[n, "value"]), _number(fix["old_value"])
            matches = value is not None and old is not None and math.isclose(value, old, rel_tol=1e-9, abs_tol=1e-12)
            current = "empty" if value is None else _plain(value)
        if not matches:
            raise DataValidationError(
                f"{where}, column 'old_value': {fix['old_value']!r} does not match the current {figure}, "
                f"which is {current!r}; check whether the figure was already corrected or changed"
            )
        if fix["field"] == "published_status":
            out.at[n, "text"] = str(fix["new_value"]).strip()
        else:
            out.at[n, "value"] = float(str(fix["new_value"]))
        note = str(out.at[n, "note"] or "").strip()
        out.at[n, "note"] = (note + " " if note else "") + correction_note(fix)
    return out
