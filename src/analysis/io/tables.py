"""The layout of an official table: preamble, header blocks, body rows, and what each column holds.

A table opens with a preamble (title, report reference, headline), then a header block of
one or two rows: a first row starting with ``TT``/``STT``, and below it the sub-headers of
group cells (``Năm 2024`` over ``Kế hoạch``/``Kết quả``; ``So sánh (%)`` over
``TH/KH``/``Cùng kỳ``). The block is repeated wherever the table breaks across pages. What a
header means comes from the synonyms of ``data/header_synonyms.csv``
(:mod:`analysis.io.headers`), by meaning, not by position. This module only finds cells and
says what each column holds; :mod:`analysis.io.table_reader` reads the cells.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

from analysis.errors import InputFileError
from analysis.io.column_content import by_content
from analysis.io.controls import CONTROLS, controls_in, describe, show_controls, strip_controls
from analysis.io.headers import Synonyms, header_key, load_synonyms
from analysis.io.numbers import normalise_text
from analysis.io.raw_rows import RawRow, Skipped
from analysis.io.sheets import read_source
from analysis.io.table_marks import apply_marks
from analysis.io.table_model import Column, HeaderProblem, Table, Years

__all__ = [
    "Column",
    "HeaderProblem",
    "RawRow",
    "Table",
    "Years",
    "header_key",
    "read_table_layout",
    "split_table",
    "table_years",
]


def is_header_row(row: RawRow, synonyms: Synonyms) -> bool:
    """A header block starts with a row whose first cell is ``TT`` (or ``STT``)."""
    return bool(row.cells) and synonyms.classify(row.cells[0]).role == "tt"


def header_columns(top: RawRow, sub: RawRow | None, synonyms: Synonyms) -> list[Column]:
    """Columns of a header block: a group cell (``Năm 2024``, ``So sánh (%)``) spans the
    sub-headers to its right until the next top cell. A sub-header says what the column is
    (``Kế hoạch``, ``TH/KH``); the group gives the year when the sub-header has none, and the
    meaning when the sub-header is only a year (``Thực hiện`` over ``2023``, ``2024``)."""
    width = max(len(top.cells), len(sub.cells) if sub else 0)
    while width and not (_cell(top, width - 1) or (sub and _cell(sub, width - 1))):
        width -= 1
    columns, group = [], ""
    for j in range(width):
        upper, lower = _cell(top, j), _cell(sub, j) if sub else ""
        if upper and lower:
            group = upper
        elif not lower:
            group = ""
        header = f"{group} / {lower}" if group and lower else lower or upper
        meaning = synonyms.classify(lower or upper)
        if group and lower:
            outer = synonyms.classify(group)
            if meaning.role == "group" and outer.role not in ("group", "unknown"):
                meaning = outer._replace(year=meaning.year or outer.year)
            elif meaning.year is None:
                meaning = meaning._replace(year=outer.year)
        columns.append(Column(j, header or f"column {j + 1}", *meaning))
    return columns


def _cell(row: RawRow | None, j: int) -> str:
    return normalise_text(row.cells[j]) if row is not None and j < len(row.cells) else ""


_TERM = re.compile(r"(?:nhiệm kỳ|giai đoạn)\s*(?:19|20)\d\d\s*[-–—]\s*((?:19|20)\d\d)", re.IGNORECASE)


def split_table(
    rows: list[RawRow],
    file: str,
    synonyms: Synonyms | None = None,
    skipped: list[Skipped] | None = None,
    hidden_columns: frozenset[int] = frozenset(),
) -> Table:
    """Preamble, header blocks and body of a table; :class:`InputFileError` when no header
    block (a row starting with ``TT``) or no ``TT``/indicator column is found, or a value
    column has no year. ``skipped`` sheets of the workbook become warnings; the columns of
    ``hidden_columns`` (0-based) have the role ``hidden`` and are not read."""
    synonyms = synonyms or load_synonyms()
    cleaned: list[HeaderProblem] = []
    rows = [_without_controls(r, cleaned) for r in rows]
    starts = [i for i, r in enumerate(rows) if is_header_row(r, synonyms)]
    if not starts:
        raise InputFileError(
            "no header row found: expected a row whose first cell is 'TT' or 'STT' "
            "followed by 'Nội dung chỉ tiêu' (or 'Chỉ tiêu') and the year columns",
            file=file,
        )
    table = Table(file, [r for r in rows[: starts[0]] if not r.empty], [], [], problems=cleaned)
    for s in skipped or []:
        table.problems.append(
            HeaderProblem(
                row=s.row,
                column="",
                text=s.text,
                severity="warning",
                reason=f"the workbook's sheet {s.sheet!r} is hidden and has content: not read (hidden sheets are "
                "never read; unhide it in the workbook if it is the table)"
                if s.hidden
                else f"the workbook's sheet {s.sheet!r} has content too and is not read (read it with --sheet {s.sheet!r})",
            )
        )
    preamble = " ".join(" ".join(r.cells) for r in table.preamble)
    columns: list[Column] = []
    i = starts[0]
    while i < len(rows):
        row = rows[i]
        if is_header_row(row, synonyms):
            # the sub-header ("Kế hoạch", "TH/KH") may follow blank rows (a page break)
            j = i + 1
            while j < len(rows) and rows[j].empty:
                j += 1
            sub = rows[j] if j < len(rows) and _is_sub_header(row, rows[j], synonyms) else None
            after = j + 1 if sub else i + 1
            block = [r for r in rows[after:] if not is_header_row(r, synonyms)]
            block = block[: next((k for k, r in enumerate(rows[after:]) if is_header_row(r, synonyms)), len(block))]
            found = by_content(header_columns(row, sub, synonyms), block, table, row.row)
            new = [
                _year_of_term(c, preamble, table, row.row) if c.index not in hidden_columns else _hidden(c)
                for c in found
            ]
            _check_block(new, columns, row, table, synonyms)
            columns = new
            table.columns = table.columns or new
            table.header_rows.append(row.row)
            i = j + 1 if sub else i + 1
            # a row numbering the columns ("A", "B", "(1)", "(2)", "4=3/2") closes the block
            k = i
            while k < len(rows) and rows[k].empty:
                k += 1
            if k < len(rows) and _is_numbering_row(rows[k], new):
                i = k + 1
            continue
        if not row.empty:
            table.body.append((row, columns))
        i += 1
    table.shifted = _wider_rows(table, [rows[k] for k in starts])
    return table


def _hidden(c: Column) -> Column:
    """A column the workbook hides: not read; its first role is kept in ``kind`` (to name it)."""
    return Column(c.index, c.header, "hidden", c.role)


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


def _without_controls(row: RawRow, problems: list[HeaderProblem]) -> RawRow:
    """``row`` without invisible control characters (:mod:`analysis.io.controls`), each cell
    that had some reported: they could reverse or hide text in a report."""
    if not any(CONTROLS.search(c) for c in row.cells):
        return row
    for j, cell in enumerate(row.cells):
        if found := controls_in(cell):
            problems.append(
                HeaderProblem(
                    row=row.row,
                    column=f"column {j + 1}",
                    text=show_controls(cell),
                    severity="warning",
                    reason=f"invisible control character(s) removed: {describe(found)}",
                )
            )
    return RawRow(row.row, tuple(strip_controls(c) for c in row.cells))


def _is_sub_header(top: RawRow, row: RawRow, synonyms: Synonyms) -> bool:
    """Whether ``row`` holds the sub-headers of the header row ``top``: nothing under its
    TT and indicator columns (a section row such as "VỀ KINH TẾ" has its title there)."""
    if _cell(row, 0):
        return False
    for j in range(len(row.cells)):
        if _cell(row, j) and synonyms.classify(_cell(top, j)).role in ("tt", "indicator"):
            return False
    return True


_NUMBERING = re.compile(r"^\(?[A-Z0-9]{1,2}\)?(?:\s*=\s*[()0-9A-Z/*x+\-. ]+)?$")


def _is_numbering_row(row: RawRow, columns: list[Column]) -> bool:
    """Whether ``row`` only numbers the columns of the header above it: every filled cell a
    column number (``A``, ``(2)``, ``3``, ``4=3/2``), the wording column's too, three or more."""
    filled = [_cell(row, j) for j in range(len(row.cells)) if _cell(row, j)]
    name = next((c.index for c in columns if c.role == "indicator"), None)
    return (
        len(filled) >= 3
        and name is not None
        and bool(_cell(row, name))
        and all(_NUMBERING.match(text) for text in filled)
    )


def _year_of_term(c: Column, preamble: str, table: Table, row: int) -> Column:
    """A value column must say its year; a term target without one takes the term's final
    year from the title ("nhiệm kỳ 2025 - 2030"), with a warning."""
    if c.role != "value" or c.year is not None:
        return c
    if c.kind == "term_target" and (m := _TERM.search(preamble)):
        table.problems.append(
            HeaderProblem(
                row=row,
                column=c.header,
                text=c.header,
                severity="warning",
                reason=f"no year in the header: the term's final year {m.group(1)} is taken from the title "
                f"({m.group(0)!r})",
            )
        )
        return replace(c, year=int(m.group(1)))
    raise InputFileError(
        f"no year in the header {c.header!r}: expected a year such as 'Kết quả thực hiện "
        "năm 2023', 'NQ Đại hội (đến năm 2030)' or a group 'Năm 2024' over 'Kế hoạch'/'Kết quả'",
        file=table.file,
        row=row,
        column=c.header,
    )


def _check_block(new: list[Column], old: list[Column], row: RawRow, table: Table, synonyms: Synonyms) -> None:
    roles = [c.role for c in new]
    for needed in ("tt", "indicator"):
        if needed not in roles:
            hidden = [c.header for c in new if c.role == "hidden" and c.kind == needed]
            raise InputFileError(
                f"the {needed!r} column ({hidden[0]!r}) is hidden in the workbook: unhide it"
                if hidden
                else f"the header has no {needed!r} column: expected 'TT' and 'Nội dung chỉ tiêu'",
                file=table.file,
                row=row.row,
            )
    for c in new:
        if c.role == "unknown":
            reason = (
                f"header not recognised (closest known: {synonyms.closest(c.header.rpartition(' / ')[2])!r}; "
                "add it to data/header_synonyms.csv if it means the same): its cells are not read"
            )
        elif c.role == "group":
            reason = "a heading without sub-headers below it (such as 'TH/KH', 'Cùng kỳ'): its cells are not read"
        else:
            continue
        table.problems.append(
            HeaderProblem(row=row.row, column=c.header, text=c.header, severity="error", reason=reason)
        )
    if old and [c.signature for c in new] != [c.signature for c in old]:
        table.problems.append(
            HeaderProblem(
                row=row.row,
                column="",
                text=" | ".join(c.header for c in new),
                severity="warning",
                reason="this header block differs from the previous one; the rows below are read with it",
            )
        )


def table_years(columns: list[Column], file: str, row: int) -> Years:
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
    return Years(
        year=year,
        previous_year=max((y for y in results if y is not None and y < year), default=None),
        next_year=min((y for y in plans if y is not None and y > year), default=None),
        term_end=max(terms, default=None),
    )


def with_years(table: Table, years: Years) -> Table:
    """The table with the years of its percentage and verdict columns filled in where the
    header gives none (``So sánh (%) / TH/KH``, ``Cùng kỳ``, ``Đánh giá``): the evaluated
    year, and for a trend the previous result's year."""

    def fill(c: Column) -> Column:
        if c.role not in ("attainment", "trend", "status"):
            return c
        base = c.base_year if c.role != "trend" or c.base_year else years["previous_year"]
        return replace(c, year=c.year or years["year"], base_year=base)

    table.columns = [fill(c) for c in table.columns]
    table.body = [(row, [fill(c) for c in cols]) for row, cols in table.body]
    return table


def read_table_layout(path: Path, sheet: str | int | None = None, synonyms: Synonyms | None = None) -> Table:
    """The layout of the table in ``path`` (for a workbook: ``sheet``, else the first sheet
    with a header block, the other sheets with content reported)."""
    synonyms = synonyms or load_synonyms()
    source = read_source(path, sheet, lambda rows: any(is_header_row(r, synonyms) for r in rows))
    table = split_table(source.rows, path.name, synonyms, source.skipped, source.hidden_columns)
    table.sheet = source.sheet
    return apply_marks(table, source)
