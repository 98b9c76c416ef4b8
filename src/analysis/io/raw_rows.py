"""The rows of a table file as read, and what comes with them: the types the text reader
(:mod:`analysis.io.sheets`) and the workbook reader (:mod:`analysis.io.workbooks`) share, the
file suffixes each reads, Excel's error values, and reading a file's bytes with a clear error."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import InputFileError

TEXT_SUFFIXES = (".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")

#: The error values Excel saves in place of a formula's result, and what each means.
EXCEL_ERRORS = {
    "#DIV/0!": "division by zero",
    "#N/A": "no value available",
    "#VALUE!": "a value of the wrong type",
    "#REF!": "a reference to a cell that no longer exists",
    "#NAME?": "a name Excel does not know",
    "#NUM!": "a number that cannot be computed",
    "#NULL!": "ranges that do not intersect",
    "#SPILL!": "a result that cannot spill into the cells beside it",
    "#CALC!": "a calculation Excel cannot do",
}


@dataclass(frozen=True)
class RawRow:
    """One row of a table: its 1-based row number (line or sheet row) and cells (NFC)."""

    row: int
    cells: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not any(c.strip() for c in self.cells)


@dataclass(frozen=True)
class Skipped:
    """Another sheet of the workbook with content, not read: its name, first non-empty row
    and that row's text, and whether the workbook hides it."""

    sheet: str
    row: int
    text: str
    hidden: bool = False


@dataclass(frozen=True)
class LeftOut:
    """A cell that is not read, with the reason (a hidden row, an error value, a formula
    without a saved result): its text is taken out of the rows; ``index`` is 0-based."""

    row: int
    index: int
    text: str
    reason: str


@dataclass(frozen=True)
class Merge:
    """A merged range of a sheet: its first cell (row, 0-based column) and its last row and
    column. Only the first cell holds the text in :attr:`Source.rows`."""

    row: int
    index: int
    last_row: int
    last_index: int


@dataclass(frozen=True)
class Source:
    """The rows read from a file; for a workbook, the sheet read and the sheets skipped, its
    hidden rows (1-based; their cells are left out) and columns (0-based; their cells are kept
    for the table to report), the cells left out and the merged ranges."""

    rows: list[RawRow]
    sheet: str | None = None
    skipped: list[Skipped] = field(default_factory=list)
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()
    left_out: list[LeftOut] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)


def column_letter(index: int) -> str:
    """The letters of the 0-based column ``index``, as a sheet names it.

    >>> column_letter(0), column_letter(4), column_letter(26), column_letter(702)
    ('A', 'E', 'AA', 'AAA')
    """
    letters, n = "", index + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def error_value_reason(code: str) -> str:
    """Why a cell holding an Excel error value is not read.

    >>> error_value_reason("#N/A")
    'the Excel error value #N/A (no value available), not a figure: not read; correct the formula or type the figure'
    """
    return (
        f"the Excel error value {code} ({EXCEL_ERRORS.get(code, 'an error')}), not a figure: not read; "
        "correct the formula or type the figure"
    )


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``; :class:`InputFileError` when it is missing, unreadable or empty."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError("file not found", file=str(path)) from None
    except OSError as exc:
        raise InputFileError(f"cannot be read ({exc.strerror})", file=str(path)) from None
    if not data.strip():
        raise InputFileError("is empty", file=path.name)
    return data
