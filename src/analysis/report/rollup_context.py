"""Everything the roll-up pack of a province or district shows, computed once.

The communes and towns under the unit (:func:`analysis.analyses.rollup.member_communes`) are
compared district by district (:func:`analysis.report.communes_context.district_comparison`,
shared with the commune packs of the same kernel) and rolled up by
:mod:`analysis.analyses.rollup`. Commune figures are illustrative (``data/illustrative/``):
whatever rests on them says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from analysis.analyses.communes import COMPARISON_COLUMNS
from analysis.analyses.rollup import (
    ROLLUP_LEVELS,
    audit_slips,
    furthest_from_plan,
    indicator_slip_texts,
    indicator_summary,
    member_communes,
    member_counts,
    status_matrix,
    task_slip_texts,
)
from analysis.errors import AnalysisError
from analysis.io.datasets import Curated
from analysis.io.kinds import commune_kinds
from analysis.report.communes_context import (
    LEVEL_VI,
    commune_frames,
    commune_full_name,
    district_comparison,
    unit_findings,
)
from analysis.report.context import _read_sources, read_curated, unit_context

ILLUSTRATIVE_SOURCE = "Số liệu minh họa cấp xã: data/illustrative/ (không phải số liệu chính thức)"


@dataclass
class RollupContext:
    """The communes under one province or district in one year, rolled up."""

    unit: str
    year: int
    curated: Curated
    catalogue: pd.DataFrame
    observations: pd.DataFrame
    data_dir: Path | str | None = None

    @property
    def row(self) -> pd.Series:
        """The unit's row in ``units.csv``."""
        return self.curated.unit_row(self.unit)

    @property
    def level(self) -> str:
        """``province`` or ``district``."""
        return str(self.row["level"])

    @property
    def full_name(self) -> str:
        """``Tỉnh Lạng Sơn``, ``Huyện Tràng Định``."""
        return f"{LEVEL_VI.get(self.level, '')} {self.row['name']}".strip()

    @cached_property
    def members(self) -> pd.DataFrame:
        """The communes and towns under the unit in the year (with their ``district``)."""
        return member_communes(self.curated.units, self.unit, self.year)

    @cached_property
    def comparison(self) -> pd.DataFrame:
        """Every member commune with figures, indicator by indicator, with its status; the
        ``district`` column names the district ('' under the province directly)."""
        parts = []
        for parent in dict.fromkeys(self.members["parent"].astype(str)):
            try:
                part = district_comparison(
                    self.catalogue, self.observations, self.curated.units, district=parent, year=self.year
                )
            except AnalysisError:  # no commune of that district has figures for the year
                continue
            level = self.curated.unit_row(parent)["level"]
            parts.append(part.assign(district=parent if level == "district" else ""))
        if not parts:
            return pd.DataFrame(columns=COMPARISON_COLUMNS)
        out = pd.concat(parts, ignore_index=True)
        return out[out["unit"].isin(set(self.members["unit"]))].reset_index(drop=True)

    @property
    def kinds(self) -> str:
        """How the roll-up names its communes, from the kinds it holds: ``xã, thị trấn`` (2024),
        ``xã, phường`` (a province since 07/2025)."""
        return commune_kinds(list(self.members["level"]), list(self.members["name"]))

    @property
    def has_figures(self) -> bool:
        """Whether a member commune has a figure for the year."""
        return "unit" in self.comparison.columns and not self.comparison.empty

    @property
    def has_results(self) -> bool:
        """Whether a member commune has a result for the year."""
        return self.has_figures and bool(self.comparison["result"].notna().any())

    @property
    def without_figures(self) -> list[str]:
        """Names of the member communes with no figures for the year."""
        have = set(self.comparison["unit"]) if self.has_figures else set()
        return [str(n) for u, n in zip(self.members["unit"], self.members["name"], strict=True) if u not in have]

    @property
    def illustrative(self) -> bool:
        """Whether a commune figure shown is illustrative."""
        return self.has_figures and bool(self.comparison["illustrative"].astype(bool).any())

    @cached_property
    def summary(self) -> pd.DataFrame:
        """Per indicator: communes that achieved it, and which did not."""
        return indicator_summary(self.comparison)

    @cached_property
    def matrix(self) -> pd.DataFrame:
        """The commune × indicator map of statuses."""
        return status_matrix(self.comparison)

    def furthest(self, top: int = 10) -> pd.DataFrame:
        """The communes furthest from their plans."""
        return furthest_from_plan(self.comparison, top=top)

    @cached_property
    def district_names(self) -> dict[str, str]:
        """Name of each district of the roll-up, by id."""
        ids = [d for d in dict.fromkeys(self.members["district"].astype(str)) if d]
        return {d: self.curated.unit_name(d) for d in ids}

    @cached_property
    def slips(self) -> pd.DataFrame:
        """The units with audit slips: the districts' own tables and key tasks (real figures),
        then the communes' (illustrative)."""
        texts: dict[str, list[str]] = {}
        flags: dict[str, bool] = {}
        own = [self.unit, *self.district_names] if self.level == "province" else [self.unit]
        for unit in own:
            ctx = unit_context(unit, self.year, data_dir=self.data_dir)
            found = indicator_slip_texts(ctx.findings) if ctx.has_indicators else []
            texts[unit] = found + (task_slip_texts(ctx.task_findings) if ctx.has_tasks else [])
        obs = self.observations[self.observations["year"] == self.year]
        for unit in self.members["unit"]:
            if not (self.catalogue["unit"] == unit).any() or not (obs["unit"] == unit).any():
                continue
            texts[unit] = indicator_slip_texts(
                unit_findings(self.catalogue, self.observations, unit=unit, year=self.year)
            )
            flags[unit] = bool(obs.loc[obs["unit"] == unit, "illustrative"].astype(bool).any())
        units = self.curated.units
        district_of = dict(zip(self.members["unit"], self.members["district"], strict=True))
        return audit_slips(texts, units[units["unit"].isin(set(texts))], illustrative=flags, district_of=district_of)

    @cached_property
    def counts(self) -> pd.DataFrame:
        """Each member commune with its counts (:func:`analysis.analyses.rollup.member_counts`):
        the numbers of the headline, and of the index for the communes without a pack."""
        return member_counts(self.members, self.comparison)

    @property
    def member_records(self) -> list[dict[str, object]]:
        """:attr:`counts` as the build records them (``members`` of
        :func:`analysis.report.summary.record`), each commune with its full name."""
        return [
            {**{str(k): v for k, v in row.items()}, "full_name": commune_full_name(self.curated, str(row["unit"]))}
            for row in self.counts.to_dict("records")
        ]

    @property
    def headline_text(self) -> str:
        """One sentence for the index and the title block."""
        n = len(self.members)
        if not self.has_results:
            return f"Chưa có kết quả năm {self.year} của các {self.kinds} ({n} đơn vị)."
        c = self.counts
        text = (
            f"Năm {self.year}: {int(c['has_results'].sum())}/{n} {self.kinds} có kết quả; "
            f"{int(c['achieved'].sum())}/{int(c['judged'].sum())} lượt chỉ tiêu "
            f"đạt và vượt kế hoạch, {int(c['not_achieved'].sum())} lượt không đạt; "
            f"{len(self.slips)} đơn vị có số liệu công bố không khớp khi tính lại."
        )
        return ("Số liệu minh họa — " if self.illustrative else "") + text

    @property
    def sources(self) -> list[str]:
        """The districts' reports the roll-up draws on, and the illustrative commune data."""
        catalogue = _read_sources(self.curated.data_dir)
        units = {self.unit, *self.district_names}
        hits = catalogue[catalogue["unit"].isin(units) & catalogue["file"].str.contains(".", regex=False)]
        raw = Path(self.curated.data_dir) / "raw"
        named = [f"{t} — tệp {f}" for f, t in zip(hits["file"], hits["title"], strict=True) if (raw / f).is_file()]
        return [*named, ILLUSTRATIVE_SOURCE] if self.illustrative else named

    @property
    def data_date(self) -> str:
        """The date of the latest report of the districts (of the unit itself, for a district)
        the roll-up draws on, as written there."""
        catalogue = _read_sources(self.curated.data_dir)
        own = set(self.district_names) if self.level == "province" else {self.unit}
        dates = [d for d in catalogue.loc[catalogue["unit"].isin(own), "date"] if d]
        return max(dates, key=_date_key) if dates else ""


def _date_key(text: str) -> tuple[int, ...]:
    """``04/12/2024`` → (2024, 12, 4), ``12/2024`` → (2024, 12): a date as sources.csv writes it, sortable.

    >>> _date_key("04/12/2024") > _date_key("11/2024")
    True
    """
    parts = [int(p) if p.isdigit() else 0 for p in text.split("/")]
    return tuple(reversed(parts))


def rollup_context(unit: str, year: int, *, data_dir: Path | str | None = None) -> RollupContext:
    """The :class:`RollupContext` of ``unit`` (a province or district) for ``year``."""
    curated = read_curated(data_dir)
    level = curated.unit_row(unit)["level"]
    if level not in ROLLUP_LEVELS:
        raise AnalysisError(f"{unit!r} is a {level}: a roll-up is made for a province or a district")
    catalogue, observations = commune_frames(data_dir)
    return RollupContext(
        unit=unit,
        year=int(year),
        curated=curated,
        catalogue=catalogue,
        observations=observations,
        data_dir=data_dir,
    )
