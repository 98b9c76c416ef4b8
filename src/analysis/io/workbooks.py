""".xlsx workbooks as a reader of the visible sheet sees them: one sheet's rows of text cells.

The sheet read is the one asked for (a hidden one is refused), else the workbook's active
sheet when it is visible and holds a table, else the first visible sheet that holds one; the
other sheets with content, hidden ones too, are listed as skipped. Of the sheet read, what
Excel saved is what counts (``data_only``): a cell holding an error value (``#DIV/0!``), a
formula without a saved result and every cell of a hidden row are left out with their
reason, never read as the number in them; cells of hidden columns are kept, with the
columns named, for the table to report (:mod:`analysis.io.table_marks`), and so are the
merged ranges, whose value sits in their first cell.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from analysis.errors import InputFileError
from analysis.io.numbers import format_number, normalise_text
from analysis.io.raw_rows import LeftOut, Merge, RawRow, Skipped, Source, error_value_reason, read_bytes


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


def _plain_rows(ws: Any) -> list[RawRow]:
    """The text of every cell of ``ws``, hidden or not (to find the sheets with content)."""
    return [
        RawRow(cells[0].row, tuple(xlsx_cell_text(c.value, c.number_format) for c in cells))
        for cells in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column)
        if cells
    ]


def hidden_rows(ws: Any) -> frozenset[int]:
    """The hidden rows of ``ws`` (1-based) up to its last row with content."""
    return frozenset(r for r, d in ws.row_dimensions.items() if d.hidden and r <= ws.max_row)


def hidden_columns(ws: Any) -> frozenset[int]:
    """The hidden columns of ``ws`` (0-based) up to its last column with content; a column
    entry of the sheet may cover several columns (``min`` to ``max``)."""
    from openpyxl.utils import column_index_from_string

    found: set[int] = set()
    for key, d in ws.column_dimensions.items():
        if d.hidden:
            low = d.min or column_index_from_string(key)
            found.update(range(low - 1, min(d.max or low, ws.max_column)))
    return frozenset(found)


def read_sheet(ws: Any, formulas: Any, file: str) -> Source:
    """Rows of ``ws`` (loaded with saved values; ``formulas`` is the same sheet with its
    formulas): cells of hidden rows, error values and formulas without a saved result left
    out; :class:`InputFileError` for a date where a figure or text is expected."""
    rows_hidden, columns_hidden = hidden_rows(ws), hidden_columns(ws)
    rows, left_out = [], []
    for cells, written in zip(
        ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column),
        formulas.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column),
        strict=True,
    ):
        if not cells:
            continue
        texts = []
        for j, (c, f) in enumerate(zip(cells, written, strict=True)):
            text = xlsx_cell_text(c.value, c.number_format)
            where = f"{ws.title}!{c.coordinate}: "
            if c.row in rows_hidden:
                reason = f"in a hidden row of the workbook: not read (unhide row {c.row} if it belongs to the table)"
            elif c.data_type == "e":
                reason = error_value_reason(text)
            elif f.data_type == "f" and c.value is None:
                text = str(f.value)
                reason = (
                    f"the formula {text!r} has no saved result: not read; open the workbook in Excel (or "
                    "LibreOffice) and save it, so its values are stored"
                )
            else:
                if getattr(c, "is_date", False) and j not in columns_hidden:
                    raise InputFileError(
                        f"a date ({c.value}) where a figure or text is expected; Excel may have turned "
                        "a range such as '14-16' into a date: format the cell as text and type it again",
                        file=file,
                        row=c.row,
                        column=c.column_letter,
                    )
                texts.append(text)
                continue
            if text.strip():
                left_out.append(LeftOut(c.row, j, text, where + reason))
            texts.append("")
        rows.append(RawRow(cells[0].row, tuple(texts)))
    merges = [
        Merge(m.min_row, m.min_col - 1, m.max_row, m.max_col - 1)
        for m in sorted(ws.merged_cells.ranges, key=lambda m: (m.min_row, m.min_col))
        if m.min_row not in rows_hidden
    ]
    return Source(
        rows, ws.title, hidden_rows=rows_hidden, hidden_columns=columns_hidden, left_out=left_out, merges=merges
    )


def _has_content(rows: list[RawRow]) -> bool:
    return any(not r.empty for r in rows)


def choose_sheet(wb: Any, looks_like_table: Callable[[list[RawRow]], bool] | None, file: str) -> Any:
    """The sheet to read when none is asked for: the active sheet when it is visible and
    holds a table, else the first visible sheet holding one, else the first visible sheet
    with content; hidden sheets never."""
    visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    if not visible:
        raise InputFileError("has no visible sheet: unhide the sheet that holds the table", file=file)
    text = {ws.title: _plain_rows(ws) for ws in visible}
    tables = [ws for ws in visible if looks_like_table and looks_like_table(text[ws.title])]
    filled = [ws for ws in visible if _has_content(text[ws.title])]
    active = wb.active if wb.active in visible else None
    if active is not None and active in tables:
        return active
    return (tables or ([active] if active in filled else filled) or visible)[0]


def read_workbook(
    path: Path, sheet: str | int | None = None, looks_like_table: Callable[[list[RawRow]], bool] | None = None
) -> Source:
    """Rows of one sheet of an .xlsx workbook: ``sheet`` (a name or 0-based index; a hidden
    one is refused), else the sheet :func:`choose_sheet` gives; the other sheets with content
    are listed in :attr:`Source.skipped`."""
    import zipfile
    from xml.etree.ElementTree import ParseError

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    read_bytes(path)
    try:
        wb = load_workbook(path, data_only=True)
        formulas = load_workbook(path, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ParseError) as exc:
        raise InputFileError(f"is not a readable .xlsx workbook ({exc})", file=path.name) from None
    if sheet is not None:
        try:
            ws = wb.worksheets[sheet] if isinstance(sheet, int) else wb[sheet]
        except (IndexError, KeyError):
            raise InputFileError(
                f"has no sheet {sheet!r}; sheets: {', '.join(wb.sheetnames)}", file=path.name
            ) from None
        if ws.sheet_state != "visible":
            raise InputFileError(
                f"the sheet {ws.title!r} is hidden in the workbook: hidden sheets are not read; "
                "unhide it in the workbook if it is the table to read",
                file=path.name,
            )
        return read_sheet(ws, formulas[ws.title], path.name)
    chosen = choose_sheet(wb, looks_like_table, path.name)
    source = read_sheet(chosen, formulas[chosen.title], path.name)
    skipped = []
    for ws in wb.worksheets:
        rows = _plain_rows(ws)
        if ws is not chosen and _has_content(rows):
            first = next(r for r in rows if not r.empty)
            text = " ".join(normalise_text(c) for c in first.cells if c.strip())
            skipped.append(Skipped(ws.title, first.row, text, hidden=ws.sheet_state != "visible"))
    return replace(source, skipped=skipped)
