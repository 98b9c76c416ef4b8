"""Table files (.txt/.tsv tab-separated text, .xlsx workbooks) as rows of text cells.

A workbook may hold several sheets: ``sheet`` names the one to read; without it the active
sheet, or else the first visible sheet, that looks like an indicator table is read
(:mod:`analysis.io.workbooks`), and the other sheets with content are named in
:attr:`Source.skipped` so that the caller can report them. What a workbook hides or cannot
give (hidden rows and columns, error values, formulas without a saved result) and its merged
cells come with the rows, for :mod:`analysis.io.table_marks` to report or spread.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Callable
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


def decode_text(data: bytes, file: str) -> str:
    """Text of a tab-separated file: UTF-8 (BOM or not) or UTF-16 (BOM, as Excel's
    "Unicode text"), line ends as ``\\n``, NFC.

    >>> decode_text("TT\\tNo\\u0323\\u0302i\\r\\n".encode("utf-16"), "t.txt")
    'TT\\tNội\\n'
    >>> decode_text(b"TT\\tCaf\\xe9", "t.txt")
    Traceback (most recent call last):
    ...
    analysis.errors.InputFileError: t.txt: cannot be read as UTF-8 or UTF-16 text (byte 0xe9 at offset 6, line 1); save it as UTF-8 or as Excel 'Unicode text'
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data[1::2].count(0) > len(data) // 4:
        encoding = "utf-16-le"
    elif data[0::2].count(0) > len(data) // 4:
        encoding = "utf-16-be"
    else:
        encoding = "utf-8"
    if data.startswith(b"PK\x03\x04"):
        raise InputFileError(
            "is a zip file (an .xlsx workbook?), not tab-separated text; give it the .xlsx suffix", file=file
        )
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputFileError(
            f"cannot be read as UTF-8 or UTF-16 text (byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start}, line {line}); save it as UTF-8 or as Excel 'Unicode text'",
            file=file,
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def read_text_rows(path: Path) -> list[RawRow]:
    """Rows of a tab-separated text file (cells quoted by Excel are unquoted)."""
    text = decode_text(read_bytes(path), path.name)
    rows, line = [], 0
    reader = csv.reader(io.StringIO(text), delimiter="\t", quotechar='"', strict=False)
    for cells in reader:
        for cell in cells:
            if "\n" in cell and "\t" in cell:  # an unclosed quote swallowed the lines after it
                raise InputFileError(
                    f'a cell opens a quote (") that runs over lines {line + 1}-{reader.line_num}: the rows in it '
                    "would be read as one cell; remove the stray quote or close it in the same cell",
                    file=path.name,
                    row=line + 1,
                )
        rows.append(RawRow(line + 1, tuple(cells)))
        line = reader.line_num
    return rows


def _without_error_values(rows: list[RawRow]) -> tuple[list[RawRow], list[LeftOut]]:
    """A text export writes the error values of the workbook as text (``#DIV/0!``): each is
    taken out and left out with its reason, never read as the number in it."""
    left_out, clean = [], []
    for r in rows:
        errors = [j for j, c in enumerate(r.cells) if c.strip() in EXCEL_ERRORS]
        for j in errors:
            left_out.append(LeftOut(r.row, j, r.cells[j].strip(), error_value_reason(r.cells[j].strip())))
        clean.append(RawRow(r.row, tuple("" if j in errors else c for j, c in enumerate(r.cells))) if errors else r)
    return clean, left_out


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


def read_source(
    path: Path, sheet: str | int | None = None, looks_like_table: Callable[[list[RawRow]], bool] | None = None
) -> Source:
    """Rows of a .txt/.tsv (tab-separated) or .xlsx file; :class:`InputFileError` otherwise
    (and when ``sheet`` is given for a text file, which has none)."""
    suffix = path.suffix.casefold()
    if suffix in TEXT_SUFFIXES:
        if sheet is not None:
            raise InputFileError(f"a text file has no sheets (sheet {sheet!r} was asked for)", file=path.name)
        rows, left_out = _without_error_values(read_text_rows(path))
        return Source(rows, left_out=left_out)
    if suffix in XLSX_SUFFIXES:
        from analysis.io.workbooks import read_workbook

        return read_workbook(path, sheet, looks_like_table)
    hint = " (save the old .xls workbook as .xlsx)" if suffix == ".xls" else ""
    raise InputFileError(
        f"unsupported file type {path.suffix or '(none)'!r}: expected .txt or .tsv (tab-separated text) or .xlsx{hint}",
        file=path.name,
    )


def read_rows(path: Path, sheet: str | int | None = None) -> list[RawRow]:
    """Rows of a table file (see :func:`read_source`)."""
    return read_source(path, sheet).rows
