"""What a command analyses: one unit and year, from the curated data or from a table file.

The command line (:mod:`analysis.__main__`) parses arguments and prints; choosing the
frames, the year and the title, and turning key-task findings into audit rows, is here,
where it is tested without a shell.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.analyses.tasks import evaluate_subtargets, task_findings
from analysis.errors import AnalysisError
from analysis.io.datasets import Curated, load_curated, overlay_curated
from analysis.io.ingest import read_table


@dataclass(frozen=True)
class Selection:
    """The indicator frames of one unit and year, and where they came from."""

    observations: pd.DataFrame
    catalogue: pd.DataFrame
    unit: str
    year: int
    title: str
    #: problems of the table file (``None`` for curated data)
    problems: pd.DataFrame | None = None
    #: the corrections applied to the curated data (``None`` for a table file)
    corrections: pd.DataFrame | None = None
    #: ``observations`` as published, before the corrections (``None``: the same)
    published: pd.DataFrame | None = None
    #: what reading the table file gave besides the frames (``None`` for curated data): its
    #: rows and what became of each (:func:`analysis.io.row_account.account_rows`)
    meta: dict[str, object] | None = None

    @property
    def as_published(self) -> pd.DataFrame:
        """The observations as published: what the audit checks each published figure against."""
        return self.observations if self.published is None else self.published

    @property
    def unusable(self) -> pd.DataFrame:
        """The table cells that could not be used: not read (errors) or refused (a number that
        reads two ways, ``ambiguous``)."""
        if self.problems is None:
            return pd.DataFrame(columns=["file", "row", "column", "text", "reason", "severity"])
        return self.problems[self.problems["severity"].isin(["error", "ambiguous"])]


def evaluable_years(observations: pd.DataFrame, unit: str) -> list[int]:
    """Years in which ``unit`` has both a plan and a result (or estimate).

    >>> obs = pd.DataFrame({"unit": ["u"] * 3, "year": [2023, 2024, 2024],
    ...                     "kind": ["result", "plan", "estimate"], "value": [1.0, 2.0, 3.0]})
    >>> evaluable_years(obs, "u"), evaluable_years(obs, "other")
    ([2024], [])
    """
    mine = observations[(observations["unit"] == unit) & observations["value"].notna()]
    results = set(mine.loc[mine["kind"].isin(["result", "estimate"]), "year"].dropna().astype(int))
    plans = set(mine.loc[mine["kind"] == "plan", "year"].dropna().astype(int))
    return sorted(results & plans)


def select_indicators(
    *,
    unit: str | None,
    year: int | None,
    table: Path | None = None,
    data_dir: Path | str | None = None,
    sheet: str | None = None,
) -> Selection:
    """The indicator frames to evaluate: of ``table`` when given (with the curated catalogue and
    adjustments of ``unit`` when that is given too; of a workbook, ``sheet``), else of ``unit``
    in the curated data.

    ``year`` defaults to the table's year, or to the latest year with plans and results.
    """
    if table is not None:
        curated = load_curated(data_dir) if unit else None
        if curated is not None and unit:
            curated.unit_row(unit)  # an unknown unit is an error, not a silent new one
        result = read_table(table, unit=unit, catalogue=None if curated is None else curated.indicators, sheet=sheet)
        obs = result.observations
        chosen = str(obs["unit"].iloc[0]) if not obs.empty else (unit or table.stem)
        if curated is not None:
            obs = overlay_curated(obs, curated.observations, unit=chosen)
        year = year or int(str(result.meta["year"]))
        title = f"{table.name} ({chosen}, {year})"
        return Selection(obs, result.catalogue, chosen, year, title, result.problems, meta=result.meta)
    if not unit:
        raise AnalysisError("give --unit UNIT (python -m analysis units lists them) or --table FILE")
    curated = load_curated(data_dir)
    name = curated.unit_name(unit)
    years = evaluable_years(curated.observations, unit)
    if not years:
        raise AnalysisError(f"no indicator plans and results for unit {unit!r} ({name}) in {curated.data_dir}")
    if year and year not in years:
        raise AnalysisError(
            f"no plan and result for unit {unit!r} ({name}) in {year}; years with both: {', '.join(map(str, years))}"
        )
    year = year or years[-1]
    return Selection(
        curated.observations,
        curated.indicators,
        unit,
        year,
        f"{name} ({unit}), năm {year}",
        corrections=curated.corrections,
        published=curated.published_observations,
    )


def has_indicators(curated: Curated, unit: str) -> bool:
    """Whether the curated data hold any indicator observation of ``unit``."""
    return bool((curated.observations["unit"] == unit).any())


def scored_task_year(curated: Curated, unit: str, year: int | None) -> int:
    """The year of ``unit``'s scored key tasks to show: ``year`` if it has them, else the latest.

    Raises :class:`AnalysisError` naming the years that have scores when there are none for ``year``.
    """
    name = curated.unit_name(unit)
    t = curated.tasks
    years = t.loc[(t["unit"] == unit) & t["self_score"].notna(), "year"]
    if years.empty:
        raise AnalysisError(f"no scored key tasks for unit {unit!r} ({name})")
    if year and not (years == year).any():
        have = ", ".join(str(int(y)) for y in sorted(set(years)))
        raise AnalysisError(f"no scored key tasks for unit {unit!r} ({name}) in {year}; years with scores: {have}")
    return year or int(years.max())


def subtarget_findings(curated: Curated, unit: str, year: int | None) -> pd.DataFrame | None:
    """The key-task sub-targets of ``unit`` whose published figures disagree with their
    recomputation, in ``year`` (default: the latest year with published percentages);
    ``None`` when the unit has no such sub-targets that year."""
    sub = curated.subtargets
    mine = sub[(sub["unit"] == unit) & sub["published_pct"].notna()]
    if mine.empty:
        return None
    year = year or int(mine["year"].max())
    if not (mine["year"] == year).any():
        return None
    return task_findings(evaluate_subtargets(sub, unit=unit, year=year))


def tasks_as_audit(task_findings_frame: pd.DataFrame) -> pd.DataFrame:
    """Key-task findings in the audit's columns (for one CSV or Excel file with both)."""
    tf = task_findings_frame
    return pd.DataFrame(
        {
            "unit": tf["unit"],
            "year": tf["year"],
            "tt": tf["sub"],
            "indicator_id": "",
            "indicator": tf["description"],
            "figure": tf["check"].map({"pct": "Tỷ lệ %", "status": "Đánh giá"}),
            "published": tf["published"],
            "published_text": tf["published"].astype(str),
            "recomputed": tf["recomputed"],
            "decimals": pd.NA,
            "agrees": False,
            "outcome": "slip",
            "explanation": tf["explanation"],
            "source": "nhiệm vụ trọng tâm " + tf["task"].astype(str),
        }
    )


def evaluate_selection(sel: Selection) -> pd.DataFrame:
    """The evaluated table of a selection: of the corrected figures, each row's corrections in
    ``corrected``, and whether a published percentage agrees judged on the figures as
    published (:func:`~analysis.analyses.corrections.agreement_as_published`)."""
    from analysis.analyses.corrections import agreement_as_published, mark_corrected
    from analysis.analyses.evaluate import evaluate

    ev = evaluate(sel.observations, sel.catalogue, unit=sel.unit, year=sel.year)
    if sel.published is not None:
        ev = agreement_as_published(ev, evaluate(sel.published, sel.catalogue, unit=sel.unit, year=sel.year))
    return ev if sel.corrections is None else mark_corrected(ev, sel.corrections)


def audit_selection(sel: Selection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The audit of a selection's published figures as published, and what its corrections
    change (:func:`~analysis.analyses.corrections.correction_effects`; empty without any)."""
    from analysis.analyses.audit import audit
    from analysis.analyses.corrections import EFFECT_COLUMNS, correction_effects

    audited = audit(sel.as_published, sel.catalogue, unit=sel.unit, year=sel.year)
    if sel.corrections is None or sel.published is None:
        return audited, pd.DataFrame(columns=EFFECT_COLUMNS)
    effects = correction_effects(
        sel.published, sel.observations, sel.catalogue, sel.corrections, unit=sel.unit, year=sel.year
    )
    return audited, effects


def mismatch_count(sel: Selection) -> int:
    """How many published figures of the selection disagree with their recomputation: the one
    count every output gives (the audit's findings, :func:`~analysis.analyses.audit.findings`)."""
    from analysis.analyses.audit import findings

    return len(findings(audit_selection(sel)[0]))
