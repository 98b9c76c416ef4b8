"""What a table is once split (:mod:`analysis.io.tables`): its columns and what each holds,
its years, the problems of its header block. The types the splitter, the column reader
(:mod:`analysis.io.column_content`) and the marks of a workbook (:mod:`analysis.io.table_marks`)
share: imports run one way, each of them → this module."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

from analysis.io.raw_rows import RawRow


@dataclass(frozen=True)
class Column:
    """What a column holds: ``role`` is tt, indicator, measure_unit, value, attainment,
    trend, status (the published verdict), notes, group (a heading without sub-headers),
    hidden (by the workbook: not read), unclear (verdict words and figures in one column:
    :mod:`analysis.io.column_content`) or unknown; ``kind`` the observation kind of a value
    column (of a hidden one, the role it would have)."""

    index: int
    header: str
    role: str
    kind: str = ""
    year: int | None = None
    base_year: int | None = None

    @property
    def signature(self) -> tuple[str, str, int | None, int | None]:
        return (self.role, self.kind, self.year, self.base_year)


class HeaderProblem(TypedDict):
    """A problem found in a header block (the file is the table's)."""

    row: int
    column: str
    text: str
    severity: str
    reason: str


class Years(TypedDict):
    """The years of a table (see :func:`table_years`)."""

    year: int
    previous_year: int | None
    next_year: int | None
    term_end: int | None


@dataclass
class Table:
    """A table split into preamble, header blocks and body rows."""

    file: str
    preamble: list[RawRow]
    columns: list[Column]
    header_rows: list[int]
    body: list[tuple[RawRow, list[Column]]] = field(default_factory=list)
    problems: list[HeaderProblem] = field(default_factory=list)
    sheet: str | None = None
    #: body rows with more cells than the header and most rows (a tab inside a cell): row → width
    shifted: dict[int, int] = field(default_factory=dict)
    #: rows below the header that the sheet left out whole (a hidden row): row → the reason
    left_out_rows: dict[int, str] = field(default_factory=dict)
