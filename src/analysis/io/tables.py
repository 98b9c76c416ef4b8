"""Raw official tables (.txt/.tsv/.xlsx) as rows of text cells, and their header layout.

A table in the layout of seed 000 opens with a preamble (title, report reference,
headline), then a header block of two rows (``TT``, ``Nội dung chỉ tiêu``, ``Kết quả
thực hiện năm 2023``, a group ``Năm 2024`` over ``Kế hoạch``/``Kết quả``, ...). The
block is repeated wherever the table breaks across pages. This module only finds
cells and says what each column holds; :mod:`analysis.io.ingest` reads the cells.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import InputFileError
from analysis.io.controls import CONTROLS, controls_in, describe, show_controls, strip_controls
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
class Column:
    """What a column holds: ``role`` is tt, indicator, value, attainment, trend,
    notes or unknown; ``kind`` the observation kind of a value column."""

    index: int
    header: str
    role: str
    kind: str = ""
    year: int | None = None
    base_year: int | None = None

    @property
    def signature(self) -> tuple[str, str, int | None, int | None]:
        return (self.role, self.kind, self.year, self.base_year)


@dataclass
class Table:
    """A table split into preamble, header blocks and body rows."""

    file: str
    preamble: list[RawRow]
    columns: list[Column]
    header_rows: list[int]
    body: list[tuple[RawRow, list[Column]]] = field(default_factory=list)
    problems: list[dict[str, object]] = field(default_factory=list)
    #: body rows with more cells than the header and most rows (a tab inside a cell): row → width
    shifted: dict[int, int] = field(default_factory=dict)


# --- Reading cells --------------------------------------------------------------------------


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


def read_xlsx_rows(path: Path, sheet: str | int | None = None) -> list[RawRow]:
    """Rows of one sheet of an .xlsx workbook (the first sheet by default)."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _read_bytes(path)
    try:
        wb = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise InputFileError(f"is not a readable .xlsx workbook ({exc})", file=path.name) from None
    try:
        ws = wb.worksheets[sheet] if isinstance(sheet, int) else wb[sheet] if sheet else wb.worksheets[0]
    except (IndexError, KeyError):
        raise InputFileError(f"has no sheet {sheet!r}; sheets: {', '.join(wb.sheetnames)}", file=path.name) from None
    _refuse_unsaved_formulas(path, ws.title)
    return [
        RawRow(cells[0].row, tuple(xlsx_cell_text(c.value, c.number_format) for c in cells))
        for cells in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column)
        if cells
    ]


def unread_sheets(path: Path, sheet: str | int | None = None) -> list[tuple[str, int]]:
    """The other sheets of a workbook (not ``sheet``, by default the first) that hold values,
    with their number of rows with values; ``[]`` for a text file."""
    if path.suffix.casefold() not in XLSX_SUFFIXES:
        return []
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    read = read_sheet_name(path, sheet, wb.sheetnames)
    out = []
    for ws in wb.worksheets:
        if ws.title != read:
            rows = sum(any(v not in (None, "") for v in r) for r in ws.iter_rows(values_only=True))
            if rows:
                out.append((ws.title, rows))
    wb.close()
    return out


def read_sheet_name(path: Path, sheet: str | int | None = None, names: list[str] | None = None) -> str:
    """The name of the sheet :func:`read_xlsx_rows` reads (``sheet``, by default the first)."""
    if names is None:
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        names = list(wb.sheetnames)
        wb.close()
    return names[sheet] if isinstance(sheet, int) else sheet if sheet else names[0]


def _refuse_unsaved_formulas(path: Path, sheet: str) -> None:
    """A formula whose result was never saved (a workbook written by a script and not
    opened in Excel) reads as empty: refuse it rather than lose the figure."""
    from openpyxl import load_workbook

    formulas = load_workbook(path, data_only=False)[sheet]
    values = load_workbook(path, data_only=True)[sheet]
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


def read_rows(path: Path, sheet: str | int | None = None) -> list[RawRow]:
    """Rows of a .txt/.tsv (tab-separated) or .xlsx file; :class:`InputFileError` otherwise."""
    suffix = path.suffix.casefold()
    if suffix in TEXT_SUFFIXES:
        return read_text_rows(path)
    if suffix in XLSX_SUFFIXES:
        return read_xlsx_rows(path, sheet)
    hint = " (save the old .xls workbook as .xlsx)" if suffix == ".xls" else ""
    raise InputFileError(
        f"unsupported file type {path.suffix or '(none)'!r}: expected .txt or .tsv (tab-separated text) or .xlsx{hint}",
        file=path.name,
    )


# --- Headers --------------------------------------------------------------------------------


def header_key(text: str) -> str:
    """A header without accents, casefolded, for matching spelling variants.

    >>> header_key("Nội dung chi tiêu  năm 2024")
    'noi dung chi tieu nam 2024'
    """
    text = unicodedata.normalize("NFD", normalise_text(text).casefold()).replace("đ", "d")
    return "".join(ch for ch in text if not unicodedata.combining(ch))


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_TREND = re.compile(r"th\s*(?:nam\s*)?((?:19|20)\d\d)\s*/\s*th\s*(?:nam\s*)?((?:19|20)\d\d)")


def classify_header(text: str) -> tuple[str, str, int | None, int | None]:
    """``(role, kind, year, base_year)`` of a column header.

    >>> classify_header("Kết quả thực hiện năm 2023")
    ('value', 'result', 2023, None)
    >>> classify_header("Năm 2024 / Ước thực hiện")
    ('value', 'estimate', 2024, None)
    >>> classify_header("Đánh giá TH 2024/TH 2023 (%)")
    ('trend', '', 2024, 2023)
    """
    key = header_key(text)
    years = [int(y) for y in _YEAR.findall(key)]
    year = years[-1] if years else None
    if key in ("tt", "stt", "so tt", "so thu tu"):
        return ("tt", "", None, None)
    if key.startswith(("noi dung", "chi tieu", "ten chi tieu")):
        return ("indicator", "", year, None)
    if key.startswith("ghi chu"):
        return ("notes", "", year, None)
    if "th/kh" in key.replace(" ", ""):
        return ("attainment", "", year, None)
    if m := _TREND.search(key):
        return ("trend", "", int(m.group(1)), int(m.group(2)))
    if re.search(r"\bnq\b|nghi quyet|dai hoi", key):
        return ("value", "term_target", year, None)
    if re.search(r"\buoc\b", key):
        return ("value", "estimate", year, None)
    if re.search(r"\b(ket qua|thuc hien|th)\b", key):
        return ("value", "result", year, None)
    if re.search(r"\b(ke hoach|kh)\b", key):
        return ("value", "plan", year, None)
    return ("unknown", "", year, None)


def is_header_row(row: RawRow) -> bool:
    """A header block starts with a row whose first cell is ``TT`` (or ``STT``)."""
    return bool(row.cells) and classify_header(row.cells[0])[0] == "tt"


def header_columns(top: RawRow, sub: RawRow | None, file: str) -> list[Column]:
    """Columns of a header block: a group cell (``Năm 2024``) spans the sub-headers
    to its right until the next top cell; a value column without a year is an error."""
    width = max(len(top.cells), len(sub.cells) if sub else 0)
    while width and not (_cell(top, width - 1) or (sub and _cell(sub, width - 1))):
        width -= 1
    columns, group = [], ""
    for j in range(width):
        upper, lower = _cell(top, j), _cell(sub, j) if sub else ""
        if upper and lower:
            group, header = upper, f"{upper} / {lower}"
        elif lower:
            header = f"{group} / {lower}" if group else lower
        else:
            group, header = "", upper
        role, kind, year, base = classify_header(header)
        if role == "value" and year is None:
            raise InputFileError(
                f"no year in the header {header!r}: expected a year such as 'Kết quả thực hiện "
                "năm 2023' or a group 'Năm 2024' over 'Kế hoạch'/'Kết quả'",
                file=file,
                row=top.row,
                column=header,
            )
        columns.append(Column(j, header or f"column {j + 1}", role, kind, year, base))
    return columns


def _cell(row: RawRow | None, j: int) -> str:
    return normalise_text(row.cells[j]) if row is not None and j < len(row.cells) else ""


def split_table(rows: list[RawRow], file: str) -> Table:
    """Preamble, header blocks and body of a table; :class:`InputFileError` when
    no header block (a row starting with ``TT``) or no ``TT``/indicator column is found."""
    cleaned: list[dict[str, object]] = []
    rows = [_without_controls(r, cleaned) for r in rows]
    starts = [i for i, r in enumerate(rows) if is_header_row(r)]
    if not starts:
        raise InputFileError(
            "no header row found: expected a row whose first cell is 'TT' "
            "followed by 'Nội dung chỉ tiêu' and the year columns",
            file=file,
        )
    table = Table(file, [r for r in rows[: starts[0]] if not r.empty], [], [], problems=cleaned)
    columns: list[Column] = []
    i = starts[0]
    while i < len(rows):
        row = rows[i]
        if is_header_row(row):
            # the sub-header ("Kế hoạch", "Kết quả") may follow blank rows (a page break)
            j = i + 1
            while j < len(rows) and rows[j].empty:
                j += 1
            sub = rows[j] if j < len(rows) and not _cell(rows[j], 0) else None
            new = header_columns(row, sub, file)
            _check_block(new, columns, row, table)
            columns = new
            table.columns = table.columns or new
            table.header_rows.append(row.row)
            i = j + 1 if sub else i + 1
            continue
        if not row.empty:
            table.body.append((row, columns))
        i += 1
    table.shifted = _wider_rows(table, [rows[k] for k in starts])
    return table


def _wider_rows(table: Table, headers: list[RawRow]) -> dict[int, int]:
    """Body rows with more cells than the header rows and than most body rows: in a text
    export every row has the same number of cells, so one more means a tab inside a cell."""
    widths = [len(r.cells) for r, _ in table.body]
    if not widths:
        return {}
    counts = Counter(widths)
    most = min(w for w, n in counts.items() if n == max(counts.values()))  # a tie: the narrower
    usual = max(max(len(h.cells) for h in headers), most)
    return {r.row: usual for r, _ in table.body if len(r.cells) > usual}


def _without_controls(row: RawRow, problems: list[dict[str, object]]) -> RawRow:
    """``row`` without invisible control characters (:mod:`analysis.io.controls`), each cell
    that had some reported: they could reverse or hide text in a report."""
    if not any(CONTROLS.search(c) for c in row.cells):
        return row
    for j, cell in enumerate(row.cells):
        if found := controls_in(cell):
            problems.append(
                dict(
                    row=row.row,
                    column=f"column {j + 1}",
                    text=show_controls(cell),
                    severity="warning",
                    reason=f"invisible control character(s) removed: {describe(found)}",
                )
            )
    return RawRow(row.row, tuple(strip_controls(c) for c in row.cells))


def _check_block(new: list[Column], old: list[Column], row: RawRow, table: Table) -> None:
    roles = [c.role for c in new]
    for needed in ("tt", "indicator"):
        if needed not in roles:
            raise InputFileError(
                f"the header has no {needed!r} column: expected 'TT' and 'Nội dung chỉ tiêu'",
                file=table.file,
                row=row.row,
            )
    for c in new:
        if c.role == "unknown":
            table.problems.append(
                dict(
                    row=row.row,
                    column=c.header,
                    text=c.header,
                    severity="error",
                    reason="header not recognised: its cells are not read",
                )
            )
    if old and [c.signature for c in new] != [c.signature for c in old]:
        table.problems.append(
            dict(
                row=row.row,
                column="",
                text=" | ".join(c.header for c in new),
                severity="warning",
                reason="this header block differs from the previous one; the rows below are read with it",
            )
        )


def table_years(columns: list[Column], file: str, row: int) -> dict[str, int | None]:
    """The years of a table, from its headers: ``year`` (evaluated: the year with both a
    plan and a result column), ``previous_year``, ``next_year`` (next plan) and ``term_end``.

    >>> cols = [Column(2, "Kết quả thực hiện năm 2022", "value", "result", 2022),
    ...         Column(3, "Năm 2023 / Kế hoạch", "value", "plan", 2023),
    ...         Column(4, "Năm 2023 / Ước thực hiện", "value", "estimate", 2023),
    ...         Column(5, "KH năm 2024", "value", "plan", 2024)]
    >>> table_years(cols, "t.txt", 9)
    {'year': 2023, 'previous_year': 2022, 'next_year': 2024, 'term_end': None}
    """
    values = [c for c in columns if c.role == "value"]
    plans = {c.year for c in values if c.kind == "plan"}
    results = {c.year for c in values if c.kind in ("result", "estimate")}
    attainment = [c.year for c in columns if c.role == "attainment" and c.year]
    if both := sorted(y for y in plans & results if y is not None):
        year = both[-1]
    elif attainment:
        year = attainment[0]
    elif results:
        year = max(y for y in results if y is not None)
    else:
        raise InputFileError(
            "cannot find the evaluated year in the header: expected a group "
            "'Năm 2024' over 'Kế hoạch'/'Kết quả', or 'Đánh giá TH/KH năm 2024'",
            file=file,
            row=row,
        )
    terms = [c.year for c in values if c.kind == "term_target" and c.year]
    return {
        "year": year,
        "previous_year": max((y for y in results if y is not None and y < year), default=None),
        "next_year": min((y for y in plans if y is not None and y > year), default=None),
        "term_end": max(terms, default=None),
    }
