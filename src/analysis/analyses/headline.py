"""The opening sentence of an evaluated table: how many indicators were not achieved, and
which; "Dự kiến năm …" when the results are estimates. Sub-rows are never counted.

:func:`status_counts` is the one count of a unit's statuses: the packs, the roll-ups and the
index all take their numbers from it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pandas as pd

from analysis.errors import AnalysisError
from analysis.io.schema import ACHIEVED_STATUSES, NOT_ACHIEVED_STATUSES, Kind, Status


@dataclass(frozen=True)
class Headline:
    """The opening sentence of the report: how many indicators were not achieved."""

    year: int
    total: int
    not_achieved: list[tuple[int, str]] = field(default_factory=list)
    unknown: list[tuple[int, str]] = field(default_factory=list)
    estimated: bool = False

    @property
    def count_text(self) -> str:
        """``06/26``, as the reports write it."""
        return f"{len(self.not_achieved):02d}/{self.total:02d}"

    @property
    def sentence(self) -> str:
        """``Năm 2024: 06/26 chỉ tiêu không đạt so với kế hoạch, gồm: (1) ..., (2) ...``; before any
        indicator can be judged (the year's results are not in), it says so.

        >>> Headline(year=2025, total=2, unknown=[(1, "a"), (2, "b")]).sentence
        'Năm 2025: chưa đánh giá được chỉ tiêu nào (02 chỉ tiêu chưa có kết quả hoặc kế hoạch).'
        """
        if self.total and len(self.unknown) == self.total:
            return (
                f"Năm {self.year}: chưa đánh giá được chỉ tiêu nào "
                f"({self.total:02d} chỉ tiêu chưa có kết quả hoặc kế hoạch)."
            )
        lead = f"{'Dự kiến năm' if self.estimated else 'Năm'} {self.year}: {self.count_text} chỉ tiêu không đạt so với kế hoạch"
        if self.not_achieved:
            items = ", ".join(f"({i}) {name}" for i, (_, name) in enumerate(self.not_achieved, 1))
            lead += f", gồm: {items}"
        lead += "."
        if self.unknown:
            lead += (
                f" {len(self.unknown):02d} chỉ tiêu chưa đánh giá được: "
                + ", ".join(f"{tt}. {name}" for tt, name in self.unknown)
                + "."
            )
        return lead


def headline(evaluated: pd.DataFrame) -> Headline:
    """The headline of an evaluated table (see :func:`evaluate`)."""
    if evaluated.empty:
        raise AnalysisError("cannot write a headline for an empty table")
    rows = main_rows(evaluated)
    miss = rows[rows["status"].isin([str(s) for s in NOT_ACHIEVED_STATUSES])]
    unknown = rows[rows["status"] == Status.UNKNOWN]
    estimated = rows["estimate"].astype(bool) if "estimate" in rows else rows["result_kind"] == Kind.ESTIMATE
    return Headline(
        year=int(evaluated["year"].iloc[0]),
        total=len(rows),
        not_achieved=[(int(tt), str(name)) for tt, name in zip(miss["tt"], miss["indicator"], strict=True)],
        unknown=[(int(tt), str(name)) for tt, name in zip(unknown["tt"], unknown["indicator"], strict=True)],
        estimated=bool(estimated.any()),
    )


@dataclass(frozen=True)
class StatusCounts:
    """How a unit's indicators stand: ``indicators`` (main rows), ``achieved`` (Vượt, Đạt and
    their "Dự kiến" forms), ``not_achieved`` (Không đạt, Dự kiến không đạt) and ``unknown``
    (Chưa xác định), ``with_result`` (main rows with a result or estimate of the year);
    ``judged`` = achieved + not achieved."""

    indicators: int
    achieved: int
    not_achieved: int
    unknown: int
    with_result: int = 0

    @property
    def judged(self) -> int:
        return self.achieved + self.not_achieved

    def as_record(self) -> dict[str, int]:
        """The counts as the build records them (JSON), ``judged`` included."""
        return {**asdict(self), "judged": self.judged}


def main_rows(evaluated: pd.DataFrame) -> pd.DataFrame:
    """The rows that count: sub-rows ("- Trong đó", "+", "a)") are shown and audited, never counted."""
    if "parent" not in evaluated:
        return evaluated
    return evaluated[evaluated["parent"].fillna("").astype(str) == ""]


def status_counts(evaluated: pd.DataFrame) -> StatusCounts:
    """The :class:`StatusCounts` of an evaluated table (or of one unit's rows of a comparison).

    >>> t = pd.DataFrame({"status": ["Vượt", "Dự kiến không đạt", "Không đạt", "Chưa xác định", "Đạt"],
    ...                   "parent": ["", "", "", "", "1"]})
    >>> c = status_counts(t)
    >>> (c.indicators, c.achieved, c.not_achieved, c.unknown, c.judged, c.with_result)
    (4, 1, 2, 1, 3, 0)
    """
    rows = main_rows(evaluated)
    status = rows["status"].astype(str)
    return StatusCounts(
        with_result=int(rows["result"].notna().sum()) if "result" in rows else 0,
        indicators=len(status),
        achieved=int(status.isin([str(s) for s in ACHIEVED_STATUSES]).sum()),
        not_achieved=int(status.isin([str(s) for s in NOT_ACHIEVED_STATUSES]).sum()),
        unknown=int((status == Status.UNKNOWN).sum()),
    )
