"""Everything a briefing notebook shows about one unit and year, computed once.

Notebooks call :func:`unit_context` and display its frames; the logic lives here,
where it is tested, not in the notebooks.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import paths
from analysis.analyses.audit import audit, explained, findings
from analysis.analyses.corrections import agreement_as_published, correction_effects, mark_corrected, unit_corrections
from analysis.analyses.evaluate import Headline, evaluate, headline
from analysis.analyses.headline import status_counts
from analysis.analyses.targets import TargetParams, term_gaps
from analysis.analyses.tasks import ScoreBand
from analysis.io.datasets import Curated, curated_files, load_curated
from analysis.params import load_defaults
from analysis.report.cache import read_files


@dataclass
class UnitContext:
    """The analyses of one unit for one year, each computed on first use."""

    unit: str
    year: int
    curated: Curated
    defaults: dict[str, Any]

    @property
    def unit_row(self) -> pd.Series:
        """The unit's row in ``units.csv``."""
        return self.curated.unit_row(self.unit)

    @property
    def name(self) -> str:
        """The unit's Vietnamese name."""
        return str(self.unit_row["name"])

    @property
    def level(self) -> str:
        """``district``, ``commune``, ``town`` or ``province``."""
        return str(self.unit_row["level"])

    @property
    def district(self) -> str:
        """The district of a commune, or the unit itself for a district."""
        return self.unit if self.level in ("district", "province") else str(self.unit_row["parent"])

    @property
    def has_indicators(self) -> bool:
        """Whether the unit has indicator figures for the year."""
        obs = self.curated.observations
        return bool(((obs["unit"] == self.unit) & (obs["year"] == self.year)).any())

    @property
    def has_tasks(self) -> bool:
        """Whether the unit has key tasks for the year."""
        t = self.curated.tasks
        return bool(((t["unit"] == self.unit) & (t["year"] == self.year)).any())

    @property
    def term(self) -> tuple[int, int]:
        """The first and final year of the congress term (NQ Đại hội) the unit's targets run to:
        ``term_start`` / ``term_end`` of its indicators (read from the table's header, "NQ Đại hội
        (đến năm 2030)", or curated), else the five years ending next year, as the gap analysis
        assumes."""
        cat = self.curated.indicators
        mine = cat[cat["unit"] == self.unit]
        ends = mine["term_end"].dropna()
        end = int(ends.max()) if not ends.empty else self.year + 1
        starts = mine.loc[mine["term_end"] == end, "term_start"].dropna()
        return (int(starts.min()) if not starts.empty else end - 4), end

    @property
    def term_end(self) -> int:
        """The term's final year: what "the gap to the target" is a gap to (2025, 2030, ...)."""
        return self.term[1]

    @property
    def target_params(self) -> TargetParams:
        """Options of the gap analysis (``targets`` in ``defaults.yaml``)."""
        return TargetParams.from_mapping(self.defaults.get("targets"))

    @cached_property
    def evaluated(self) -> pd.DataFrame:
        """The evaluated indicator table (:func:`analysis.analyses.evaluate.evaluate`), with the
        corrected figures of each row in ``corrected``; whether a published percentage agrees is
        judged on the figures as published (a correction is not a slip of the report)."""
        ev = self._evaluate(self.curated.observations)
        if self.curated.published_observations is not None:
            ev = agreement_as_published(ev, self._evaluate(self.curated.as_published))
        return mark_corrected(ev, self.curated.corrections)

    def _evaluate(self, observations: pd.DataFrame) -> pd.DataFrame:
        return evaluate(
            observations,
            self.curated.indicators,
            unit=self.unit,
            year=self.year,
            about_tolerance_pct=self.target_params.about_tolerance_pct,
        )

    @cached_property
    def correction_effects(self) -> pd.DataFrame:
        """What each correction of the unit changes in the year's tables
        (:func:`analysis.analyses.corrections.correction_effects`)."""
        return correction_effects(
            self.curated.as_published,
            self.curated.observations,
            self.curated.indicators,
            self.curated.corrections,
            unit=self.unit,
            year=self.year,
            params=self.target_params,
        )

    @property
    def corrections(self) -> pd.DataFrame:
        """The corrections (đính chính) of the unit's figures up to next year's plan
        (:func:`analysis.analyses.corrections.unit_corrections`), for the appendix."""
        return unit_corrections(
            self.curated.corrections, self.curated.indicators, unit=self.unit, up_to_year=self.year + 1
        )

    @cached_property
    def headline(self) -> Headline:
        """The headline of the evaluated table."""
        return headline(self.evaluated)

    @property
    def counts(self) -> dict[str, int] | None:
        """The indicator counts the build records for the index
        (:func:`analysis.analyses.headline.status_counts`); None without an indicator table."""
        return status_counts(self.evaluated).as_record() if self.has_indicators else None

    @cached_property
    def gaps(self) -> pd.DataFrame:
        """Gap of each indicator to its term target."""
        return term_gaps(
            self.curated.observations,
            self.curated.indicators,
            unit=self.unit,
            year=self.year,
            params=self.target_params,
        )

    @cached_property
    def audit(self) -> pd.DataFrame:
        """Every published figure with its recomputation from the figures as published (what a
        correction changes is :attr:`correction_effects`, not a slip)."""
        return audit(
            self.curated.as_published,
            self.curated.indicators,
            unit=self.unit,
            year=self.year,
            params=self.target_params,
        )

    @property
    def findings(self) -> pd.DataFrame:
        """The audit's disagreements (slips)."""
        return findings(self.audit)

    @property
    def explained(self) -> pd.DataFrame:
        """Published figures that differ from a plain recomputation for a reason the data give,
        and verdicts that differ only in degree: shown, not slips."""
        return explained(self.audit)

    @cached_property
    def score_bands(self) -> list[ScoreBand]:
        """The key-task score bands of ``defaults.yaml``."""
        from analysis.analyses.tasks import load_score_bands

        return load_score_bands(self.defaults)

    @cached_property
    def subtargets(self) -> pd.DataFrame:
        """The year's key-task sub-targets, recomputed."""
        from analysis.analyses.tasks import evaluate_subtargets

        return evaluate_subtargets(self.curated.subtargets, unit=self.unit, year=self.year)

    @cached_property
    def tasks(self) -> pd.DataFrame:
        """The year's key tasks with their classes."""
        from analysis.analyses.tasks import evaluate_tasks

        return evaluate_tasks(
            self.curated.tasks, self.score_bands, unit=self.unit, year=self.year, subtargets=self.curated.subtargets
        )

    @property
    def task_findings(self) -> pd.DataFrame:
        """Sub-target figures or statuses that disagree."""
        from analysis.analyses.tasks import task_findings

        return task_findings(self.subtargets)

    @property
    def next_year_tasks(self) -> pd.DataFrame:
        """The key tasks proposed for next year."""
        t = self.curated.tasks
        return t[(t["unit"] == self.unit) & (t["year"] == self.year + 1)].reset_index(drop=True)

    @cached_property
    def source_files(self) -> list[str]:
        """The raw files the unit's figures come from."""
        frames = [
            self.curated.observations[self.curated.observations["unit"] == self.unit]["source"],
            self.curated.tasks[self.curated.tasks["unit"] == self.unit]["source"],
        ]
        names = {str(s).split(":")[0].strip() for f in frames for s in f}
        return sorted(n for n in names if n and n != "illustrative")

    @property
    def sources(self) -> list[str]:
        """The unit's data sources as a reader names them: title and file."""
        catalogue = _read_sources(self.curated.data_dir)
        out = []
        for name in self.source_files:
            hit = catalogue[catalogue["file"] == name]
            out.append(f"{hit['title'].iloc[0]} — tệp {name}" if not hit.empty else name)
        return out

    @property
    def data_date(self) -> str:
        """The date of the unit's latest source (the date a pack shows), or ''."""
        catalogue = _read_sources(self.curated.data_dir)
        dates = catalogue[catalogue["file"].isin(self.source_files)]["date"]
        return str(dates.iloc[0]) if not dates.empty else ""


def _read_sources(data_dir: Path) -> pd.DataFrame:
    path = paths.dataset_path("sources", data_dir)

    def read() -> pd.DataFrame:
        if not path.is_file():
            return pd.DataFrame(columns=["file", "unit", "date", "title"])
        return pd.read_csv(path, dtype=str, keep_default_na=False)

    return read_files("sources", [path], read)


def read_curated(data_dir: Path | str | None = None) -> Curated:
    """:func:`~analysis.io.datasets.load_curated`, read once per process while the files are
    unchanged (:mod:`analysis.report.cache`); the caller gets its own copy."""

    def read() -> dict[str, Any]:  # plain frames: a warm kernel re-imports this module, and its classes
        curated = load_curated(data_dir)
        return {f.name: getattr(curated, f.name) for f in fields(curated)}

    return Curated(**read_files(f"curated:{data_dir}", curated_files(data_dir), read))


def unit_context(
    unit: str,
    year: int,
    *,
    data_dir: Path | str | None = None,
    params_dir: Path | str | None = None,
    score_bands: list[Any] | None = None,
    targets: dict[str, Any] | None = None,
) -> UnitContext:
    """The :class:`UnitContext` of ``unit`` and ``year`` from the curated data.

    ``score_bands`` and ``targets`` are the analysis options of the run (a notebook's
    parameters, set by the build from ``params/defaults.yaml`` and the unit's file);
    None takes them from ``defaults.yaml``.
    """
    curated = read_curated(data_dir)
    defaults = dict(load_defaults(params_dir=params_dir))
    if score_bands is not None:
        defaults["score_bands"] = score_bands
    if targets is not None:
        defaults["targets"] = targets
    ctx = UnitContext(unit=unit, year=int(year), curated=curated, defaults=defaults)
    ctx.unit_row  # fail early on an unknown unit  # noqa: B018
    return ctx
