"""Table files (.txt/.tsv tab-separated text, .xlsx workbooks) as rows of text cells.

A workbook may hold several sheets: ``sheet`` names the one to read; without it the first
sheet that looks like an indicator table is read, and the other sheets with content are
named in :attr:`Source.skipped` so that the caller can report them.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.errors import InputFileError
from analysis.io.numbers import format_number, normalise_text

TEXT_SUFFIXES = (".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")


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
    and that row's text."""

    sheet: str
    row: int
    text: str


@dataclass(frozen=True)
class Source:
    """The rows read from a file; for a workbook, the sheet read and the sheets skipped."""

    rows: list[RawRow]
    sheet: str | None = None
    skipped: list[Skipped] = field(default_factory=list)


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
    text = decode_text(_read_bytes(path), path.name)
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


def _read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError("file not found", file=str(path)) from None
    except OSError as exc:
        raise InputFileError(f"cannot be read ({exc.strerror})", file=str(path)) from None
    if not data.strip():
        raise InputFileError("is empty", file=path.name)
    return data


def xlsx_cell_text(value: object, number_format: str = "General") -> str:
    """A workbook cell as the text a reader sees (numbers the Vietnamese way).

    >>> xlsx_cell_text(1.0232, "0.00%"), xlsx_cell_text(26), xlsx_cell_text(94800.0, "#,##0")
    ('102,32%', '26', '94.800')
    """
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return unicodedata.normalize("NFC", str(value))
    fmt = number_format or "General"
    decimals = len(m.group(1)) if (m := re.search(r"\.(0+)", fmt)) else None
    if "%" in fmt:
        return format_number(value * 100, decimals or 0) + "%"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else len(repr(float(value)).partition(".")[2])
    return format_number(value, decimals)


def _sheet_rows(ws: Any) -> list[RawRow]:
    return [
        RawRow(cells[0].row, tuple(xlsx_cell_text(c.value, c.number_format) for c in cells))
        for cells in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column)
        if cells
    ]


def read_workbook(
    path: Path, sheet: str | int | None = None, looks_like_table: Callable[[list[RawRow]], bool] | None = None
) -> Source:
    """Rows of one sheet of an .xlsx workbook: ``sheet`` (a name or 0-based index), else the
    first sheet whose rows ``looks_like_table`` accepts (else the first with content); the
    other sheets with content are listed in :attr:`Source.skipped`."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _read_bytes(path)
    try:
        wb = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise InputFileError(f"is not a readable .xlsx workbook ({exc})", file=path.name) from None
    if sheet is not None:
        try:
            ws = wb.worksheets[sheet] if isinstance(sheet, int) else wb[sheet]
        except (IndexError, KeyError):
            raise InputFileError(
                f"has no sheet {sheet!r}; sheets: {', '.join(wb.sheetnames)}", file=path.name
            ) from None
        _refuse_unsaved_formulas(path, ws.title, ws)
        return Source(_sheet_rows(ws), ws.title)
    sheets = [(ws.title, _sheet_rows(ws)) for ws in wb.worksheets]
    filled = [(name, rows) for name, rows in sheets if any(not r.empty for r in rows)] or sheets[:1]
    chosen = next((s for s in filled if looks_like_table and looks_like_table(s[1])), filled[0])
    skipped = []
    for name, rows in filled:
        if name != chosen[0]:
            first = next(r for r in rows if not r.empty)
            skipped.append(Skipped(name, first.row, " ".join(normalise_text(c) for c in first.cells if c.strip())))
    _refuse_unsaved_formulas(path, chosen[0], wb[chosen[0]])
    return Source(chosen[1], chosen[0], skipped)


def _refuse_unsaved_formulas(path: Path, sheet: str, values: Any) -> None:
    """A formula whose result was never saved (a workbook written by a script and not
    opened in Excel) reads as empty: refuse it rather than lose the figure."""
    from openpyxl import load_workbook

    formulas = load_workbook(path, data_only=False)[sheet]
    for row in formulas.iter_rows():
        for cell in row:
            if cell.data_type == "f" and values[cell.coordinate].value is None:
                raise InputFileError(
                    f"the formula {cell.value!r} has no saved result; open the workbook in Excel "
                    "(or LibreOffice) and save it, so its values are stored",
                    file=path.name,
                    row=cell.row,
                    column=cell.column_letter,
                )
    for row in values.iter_rows():
        for cell in row:
            if getattr(cell, "is_date", False):
                raise InputFileError(
                    f"a date ({cell.value}) where a figure or text is expected; Excel may have turned "
                    "a range such as '14-16' into a date: format the cell as text and type it again",
                    file=path.name,
                    row=cell.row,
                    column=cell.column_letter,
                )


def read_source(
    path: Path, sheet: str | int | None = None, looks_like_table: Callable[[list[RawRow]], bool] | None = None
) -> Source:
    """Rows of a .txt/.tsv (tab-separated) or .xlsx file; :class:`InputFileError` otherwise
    (and when ``sheet`` is given for a text file, which has none)."""
    suffix = path.suffix.casefold()
    if suffix in TEXT_SUFFIXES:
        if sheet is not None:
            raise InputFileError(f"a text file has no sheets (sheet {sheet!r} was asked for)", file=path.name)
        return Source(read_text_rows(path))
    if suffix in XLSX_SUFFIXES:
        return read_workbook(path, sheet, looks_like_table)
    hint = " (save the old .xls workbook as .xlsx)" if suffix == ".xls" else ""
    raise InputFileError(
        f"unsupported file type {path.suffix or '(none)'!r}: expected .txt or .tsv (tab-separated text) or .xlsx{hint}",
        file=path.name,
    )


def read_rows(path: Path, sheet: str | int | None = None) -> list[RawRow]:
    """Rows of a table file (see :func:`read_source`)."""
    return read_source(path, sheet).rows
