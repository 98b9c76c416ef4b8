"""Everything the commune pack shows about one commune and year, computed once.

A national run builds a hundred packs per province, pack after pack in the same worker. What
the packs of a province share is computed once per process (:mod:`analysis.report.cache`,
keyed on the bytes of the files it comes from): the commune datasets read, and each parent's
(province, or district before 2025) comparison of its communes (peers, medians, ranks).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from analysis.analyses.audit import audit, findings
from analysis.analyses.communes import (
    commune_standing,
    commune_tasks,
    communes_of,
    compare_communes,
    read_commune_data,
    read_commune_facts,
)
from analysis.analyses.evaluate import evaluate, headline
from analysis.analyses.headline import status_counts
from analysis.errors import AnalysisError
from analysis.io.datasets import Curated
from analysis.paths import dataset_path
from analysis.report.cache import frame_digest, memoize, read_files
from analysis.report.context import _read_sources, read_curated

LEVEL_VI = {"commune": "Xã", "town": "Thị trấn", "district": "Huyện", "province": "Tỉnh"}
#: The communes' parent as a pack names it: "huyện Bắc Sơn" (before 2025), "tỉnh Lạng Sơn" (since).
AREA_VI = {"district": "huyện", "province": "tỉnh"}
# Indicators charted across the district's communes, in this order where the commune has them.
CHART_INDICATORS = ("ntm_criteria", "poverty_rate", "health_insurance", "village_roads_paved")


@dataclass
class CommuneContext:
    """The figures, real facts, key tasks and standing among its parent's communes of one commune.

    ``catalogue`` and ``observations`` hold every commune's rows (read once per process); the
    parent's comparison is kept per process (:func:`district_comparison`).
    """

    unit: str
    year: int
    curated: Curated
    catalogue: pd.DataFrame
    observations: pd.DataFrame
    facts_all: pd.DataFrame

    @property
    def row(self) -> pd.Series:
        """The commune's row in ``units.csv``."""
        return self.curated.unit_row(self.unit)

    @property
    def name(self) -> str:
        """The commune's Vietnamese name."""
        return str(self.row["name"])

    @property
    def district(self) -> str:
        """The id of the commune's parent: its district before 2025, its province since."""
        return str(self.row["parent"])

    @property
    def area(self) -> str:
        """The parent's level as a pack writes it: ``huyện`` or ``tỉnh``."""
        return AREA_VI.get(str(self.curated.unit_row(self.district)["level"]), "huyện")

    @property
    def full_name(self) -> str:
        """``Xã Tân Thành (huyện Bắc Sơn)``: :func:`commune_full_name`."""
        return commune_full_name(self.curated, self.unit)

    @property
    def code(self) -> str:
        """The unit's code when its id is made from it (``06040-that-khe``), else ''."""
        return code_in_id(self.unit)

    @cached_property
    def own(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The commune's own catalogue and observations (what its table and audit read)."""
        return (
            self.catalogue[self.catalogue["unit"] == self.unit],
            self.observations[self.observations["unit"] == self.unit],
        )

    @cached_property
    def evaluated(self) -> pd.DataFrame:
        """The commune's evaluated indicator table (illustrative figures). After a merger, last
        year's results are those carried to the commune as it is now (:attr:`carried_history`),
        where they can be carried."""
        from analysis.analyses.lineage import with_carried

        observations = with_carried(self.observations, self.carried_history)
        return evaluate(observations, self.catalogue, unit=self.unit, year=self.year)

    @property
    def headline_text(self) -> str:
        """The pack's headline, marked as illustrative; before the year's results are in, it
        says so."""
        if not self.evaluated["result"].notna().any():
            return (
                f"Số liệu minh họa — Chưa có kết quả năm {self.year}; "
                f"{len(self.evaluated)} chỉ tiêu có trong danh mục của xã."
            )
        return "Số liệu minh họa — " + headline(self.evaluated).sentence

    @property
    def counts(self) -> dict[str, int]:
        """The indicator counts the build records for the index, the same the roll-ups give
        the commune (:func:`analysis.analyses.headline.status_counts`)."""
        return status_counts(self.evaluated).as_record()

    @cached_property
    def carried_history(self) -> pd.DataFrame:
        """The baseline carried from the units merged into the commune, for the years before the
        change (:func:`analysis.analyses.lineage.carry_history`: method, predecessors, weights
        and a Vietnamese ``note`` per value); empty when nothing was merged into it."""
        from analysis.analyses.lineage import carry_history

        return carry_history(self.observations, self.catalogue, self.events, unit=self.unit, year=self.year)

    @cached_property
    def arrangement(self) -> tuple[pd.DataFrame, dict[str, str]]:
        """The registry's lineage into the commune, as rows of ``unit_events.csv``, and the names
        of its predecessors (:func:`analysis.analyses.registry.arrangement_events`): for a unit
        named by its code in a run of the registry's current list; empty otherwise."""
        return arrangement_of(
            self.unit, self.code, self.year, list(self.curated.unit_events.columns), self.curated.data_dir
        )

    @property
    def events(self) -> pd.DataFrame:
        """``unit_events.csv`` with the registry's arrangement into the commune (if any)."""
        extra, _ = self.arrangement
        if extra.empty:
            return self.curated.unit_events
        return pd.concat(
            [self.curated.unit_events, extra.astype(self.curated.unit_events.dtypes.to_dict(), errors="ignore")],
            ignore_index=True,
        )

    @property
    def carried_events(self) -> pd.DataFrame:
        """The changes (rows of ``unit_events.csv``, and of the registry's arrangement) the carried
        history follows, by date."""
        ids = {e for text in self.carried_history["events"] for e in str(text).split(";") if e}
        events = self.events
        return events[events["event"].isin(ids)].sort_values(["date", "event"]).reset_index(drop=True)

    @property
    def unit_catalogue(self) -> pd.DataFrame:
        """The commune's rows of the indicator catalogue."""
        return self.catalogue[self.catalogue["unit"] == self.unit].reset_index(drop=True)

    @cached_property
    def audit_findings(self) -> pd.DataFrame:
        """Published figures of the commune that disagree with their recomputation."""
        catalogue, observations = self.own
        return unit_findings(catalogue, observations, unit=self.unit, year=self.year)

    @cached_property
    def comparison(self) -> pd.DataFrame:
        """Every commune of the parent, indicator by indicator (computed once per process for
        the same communes and figures: :func:`district_comparison`)."""
        return district_comparison(
            self.catalogue, self.observations, self.curated.units, district=self.district, year=self.year
        )

    @property
    def has_results(self) -> bool:
        """Whether a commune of the district has a result for the year (else there is nothing
        to rank or chart)."""
        return bool(self.comparison["result"].notna().any())

    @property
    def standing(self) -> pd.DataFrame:
        """This commune's rank and median comparison, with a sentence each."""
        return commune_standing(self.comparison, self.unit)

    @cached_property
    def facts(self) -> pd.DataFrame:
        """Real facts and key tasks of the district report naming the commune."""
        return commune_tasks(
            self.facts_all, self.curated.tasks, self.unit, units=self.curated.units, subtargets=self.curated.subtargets
        )

    @property
    def chart_indicators(self) -> list[str]:
        """Indicators charted across the district's communes."""
        return charted_indicators(self.comparison, self.unit)

    @property
    def sources(self) -> list[str]:
        """The pack's data sources as a reader names them."""
        catalogue = _read_sources(self.curated.data_dir)
        raw = Path(self.curated.data_dir) / "raw"
        files = sorted({f for s in self.facts["source"] if (f := str(s).split(":")[0].strip()) and (raw / f).is_file()})
        named = [
            f"{catalogue.loc[catalogue['file'] == f, 'title'].iloc[0]} — tệp {f}"
            if (catalogue["file"] == f).any()
            else f
            for f in files
        ]
        return [*named, "Số liệu minh họa cấp xã: data/illustrative/ (không phải số liệu chính thức)"]

    @property
    def data_date(self) -> str:
        """The date of the district report the facts come from."""
        catalogue = _read_sources(self.curated.data_dir)
        district = catalogue[catalogue["unit"] == self.district]["date"]
        return str(district.iloc[0]) if not district.empty else ""


TYPE_WORDS = ("Xã ", "Phường ", "Thị trấn ", "Đặc khu ", "Tỉnh ", "Thành phố ")


def code_in_id(unit: str) -> str:
    """The code a unit's id is made from (``06040-that-khe``), else ''.

    >>> code_in_id("06040-that-khe"), code_in_id("bac-son-vu-le")
    ('06040', '')
    """
    head = unit.split("-", 1)[0]
    return head if head.isdigit() else ""


def commune_full_name(curated: Curated, unit: str) -> str:
    """``Xã Tân Thành (huyện Bắc Sơn)``; ``Xã Hồng Lâm (tỉnh …)`` under a province; a unit
    named by its code (``Xã Thất Khê``, ``Phường Đông Kinh``: its official name) keeps its
    name and shows its code: ``Xã Thất Khê (tỉnh Lạng Sơn, mã 06040)``."""
    row = curated.unit_row(unit)
    name, parent_id = str(row["name"]), str(row["parent"])
    area = AREA_VI.get(str(curated.unit_row(parent_id)["level"]), "huyện")
    parent = curated.unit_name(parent_id)
    if has_type_word(name):
        code = code_in_id(unit)
        return f"{name} ({area} {parent}{', mã ' + code if code else ''})"
    return f"{LEVEL_VI.get(str(row['level']), '')} {name} ({area} {parent})".strip()


def has_type_word(name: str) -> bool:
    """Whether ``name`` is an official name that says its type (``Xã Thất Khê``).

    >>> has_type_word("Xã Thất Khê"), has_type_word("Thất Khê")
    (True, False)
    """
    return name.startswith(TYPE_WORDS)


def arrangement_of(
    unit: str, code: str, year: int, columns: list[str], data_dir: Path | str | None
) -> tuple[pd.DataFrame, dict[str, str]]:
    """:attr:`CommuneContext.arrangement`, the registry read once per process."""
    from analysis.analyses.registry import CURRENT, arrangement_events, year_period
    from analysis.io.registry import COLUMNS, Registry, load_registry, registry_dir

    if not code or year_period(year) != CURRENT or not registry_dir(data_dir).is_dir():
        return pd.DataFrame(columns=columns), {}
    folder = registry_dir(data_dir)

    def read() -> dict[str, pd.DataFrame]:  # plain frames, as read_curated keeps them
        registry = load_registry(data_dir)
        return {name: getattr(registry, name) for name in COLUMNS}

    tables = read_files(f"registry:{data_dir}", [folder / f"{n}.csv" for n in COLUMNS], read)
    return arrangement_events(Registry(**tables), unit=unit, code=code, period=CURRENT, columns=columns)


def charted_indicators(comparison: pd.DataFrame, unit: str) -> list[str]:
    """The indicators of :data:`CHART_INDICATORS` that ``unit`` has in ``comparison``, in that order."""
    mine = set(comparison.loc[comparison["unit"] == unit, "indicator_id"])
    return [i for i in CHART_INDICATORS if i in mine]


def district_comparison(
    catalogue: pd.DataFrame, observations: pd.DataFrame, units: pd.DataFrame, *, district: str, year: int
) -> pd.DataFrame:
    """:func:`~analysis.analyses.communes.compare_communes`, kept per process under a digest of the
    district's communes and of their catalogue and figures (all it reads): the packs of a
    district's communes compute it once."""
    members = communes_of(units, district, year)
    mine = set(members["unit"])
    key = (
        "compare_communes",
        district,
        int(year),
        frame_digest(members, catalogue[catalogue["unit"].isin(mine)], observations[observations["unit"].isin(mine)]),
    )
    return memoize(key, lambda: compare_communes(catalogue, observations, units, district=district, year=year))


def unit_findings(catalogue: pd.DataFrame, observations: pd.DataFrame, *, unit: str, year: int) -> pd.DataFrame:
    """The slips of ``unit``'s table in ``year`` (:func:`~analysis.analyses.audit.findings` of its
    audit), kept per process under a digest of the unit's rows (all the audit reads): a
    roll-up and the commune's own pack in the same worker audit the commune once."""
    cat, obs = catalogue[catalogue["unit"] == unit], observations[observations["unit"] == unit]
    key = ("unit_findings", unit, int(year), frame_digest(cat, obs))
    return memoize(key, lambda: findings(audit(obs, cat, unit=unit, year=year)))


def commune_frames(data_dir: Path | str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The commune catalogue and observations (:func:`~analysis.analyses.communes.read_commune_data`),
    read once per process while the files are unchanged."""
    return read_files(
        f"commune_data:{data_dir}",
        [dataset_path("commune_indicators", data_dir), dataset_path("commune_observations", data_dir)],
        lambda: read_commune_data(data_dir),
    )


def commune_context(unit: str, year: int, *, data_dir: Path | str | None = None) -> CommuneContext:
    """The :class:`CommuneContext` of ``unit`` (a commune or town) for ``year``."""
    curated = read_curated(data_dir)
    row = curated.unit_row(unit)
    if row["level"] not in ("commune", "town"):
        raise AnalysisError(f"{unit!r} is a {row['level']}, not a commune or town: use the district briefing")
    catalogue, observations = commune_frames(data_dir)
    facts = read_files(
        f"commune_facts:{data_dir}", [dataset_path("commune_facts", data_dir)], lambda: read_commune_facts(data_dir)
    )
    return CommuneContext(
        unit=unit,
        year=int(year),
        curated=curated,
        catalogue=catalogue,
        observations=observations,
        facts_all=facts,
    )
