"""Table files (.txt/.tsv tab-separated text, .xlsx workbooks) as rows of text cells.

A workbook may hold several sheets: ``sheet`` names the one to read; without it the active
sheet, or else the first visible sheet, that looks like an indicator table is read
(:mod:`analysis.io.workbooks`), and the other sheets with content are named in
:attr:`Source.skipped` so that the caller can report them. What a workbook hides or cannot
give (hidden rows and columns, error values, formulas without a saved result) and its merged
cells come with the rows, for :mod:`analysis.io.table_marks` to report or spread. The rows
and what comes with them are the types of :mod:`analysis.io.raw_rows`, shared with the
workbook reader: imports run sheets → workbooks → raw_rows.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Callable
from pathlib import Path

from analysis.errors import InputFileError
from analysis.io.raw_rows import (
    EXCEL_ERRORS,
    TEXT_SUFFIXES,
    XLSX_SUFFIXES,
    LeftOut,
    RawRow,
    Source,
    error_value_reason,
    read_bytes,
)
from analysis.io.workbooks import read_workbook


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
        return read_workbook(path, sheet, looks_like_table)
    hint = " (save the old .xls workbook as .xlsx)" if suffix == ".xls" else ""
    raise InputFileError(
        f"unsupported file type {path.suffix or '(none)'!r}: expected .txt or .tsv (tab-separated text) or .xlsx{hint}",
        file=path.name,
    )


def read_rows(path: Path, sheet: str | int | None = None) -> list[RawRow]:
    """Rows of a table file (see :func:`read_source`)."""
    return read_source(path, sheet).rows
