"""What a workbook marks on the cells of a table: hidden columns, cells left out, merged ranges.

:func:`apply_marks` runs once the table is split into preamble, header blocks and body
(:func:`analysis.io.tables.split_table`):

- a cell of a hidden column (preamble or body) is not read: reported, its text taken out;
  the header cells of a hidden column only name it;
- a cell the sheet left out (a hidden row, an error value, a formula without a saved result;
  :mod:`analysis.io.workbooks`) is reported under the header of its column;
- a range merged over several rows of the body gives its value to every row it covers (a
  plan merged over two indicators is the plan of both); a range merged over several figure
  columns of one row (plan and result) is not read, since it does not say which of them it
  gives. Merges in the preamble and the header blocks are left as they are: there a group
  heading ("Năm 2024" over "Kế hoạch", "Kết quả") is read from its first cell.

Every problem is an ``error``: the cell is left out, and ``ingest`` and ``evaluate --table``
exit 1 and list it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from analysis.io.raw_rows import Merge, RawRow, Source, column_letter

if TYPE_CHECKING:
    from collections.abc import Callable

    from analysis.io.table_model import Column, HeaderProblem, Table

    #: ``report(row, column index, text, reason)``
    Report = Callable[[int, int, str, str], None]

#: Columns whose cells are figures of the row (a merge over two of them is not read).
FIGURE_ROLES = frozenset({"value", "attainment", "trend", "status"})


def apply_marks(table: Table, source: Source) -> Table:
    """``table`` with the marks of ``source`` applied and reported (see the module)."""
    columns_of = {row.row: cols for row, cols in table.body}

    def header(row: int, j: int) -> str:
        cols = columns_of.get(row, table.columns)
        return cols[j].header if j < len(cols) else f"column {j + 1}"

    def report(row: int, j: int, text: str, reason: str) -> None:
        problem: HeaderProblem = {
            "row": row,
            "column": header(row, j),
            "text": text,
            "severity": "error",
            "reason": reason,
        }
        table.problems.append(problem)

    def hide(row: RawRow) -> RawRow:
        cells = list(row.cells)
        for j in sorted(source.hidden_columns):
            if j < len(cells) and cells[j].strip():
                letter = column_letter(j)
                report(
                    row.row,
                    j,
                    cells[j].strip(),
                    f"{source.sheet}!{letter}{row.row}: in a hidden column of the workbook: not read "
                    f"(unhide column {letter} if it belongs to the table)",
                )
                cells[j] = ""
        return RawRow(row.row, tuple(cells))

    if source.hidden_columns:
        table.preamble = [r for r in map(hide, table.preamble) if not r.empty]
        table.body = [(hide(row), cols) for row, cols in table.body]
    for cell in source.left_out:
        report(cell.row, cell.index, cell.text, cell.reason)
    if source.merges:
        table.body = _spread(table, source, report)
    in_body = {row.row for row, _ in table.body}
    first = table.header_rows[0] if table.header_rows else 0
    for cell in source.left_out:
        if cell.row > first and cell.row not in in_body:
            table.left_out_rows.setdefault(cell.row, cell.reason)
    return table


def _spread(table: Table, source: Source, report: Report) -> list[tuple[RawRow, list[Column]]]:
    """The body with every merge over rows spread down, and merges over figure columns taken out."""
    body = {row.row: (list(row.cells), cols) for row, cols in table.body}
    rows = {r.row: r for r in source.rows}
    for m in source.merges:
        if m.row not in body or m.index in source.hidden_columns:
            continue
        cells, cols = body[m.row]
        text = cells[m.index] if m.index < len(cells) else ""
        if not text.strip():
            continue
        covered = [c for c in cols if m.index <= c.index <= m.last_index and c.role in FIGURE_ROLES]
        if len(covered) > 1 and covered[0].index == m.index:
            report(m.row, m.index, text.strip(), _across_reason(m, source.sheet, covered))
            cells[m.index] = ""
            continue
        for r in range(m.row + 1, m.last_row + 1):
            if r in body:
                below = body[r][0]
                if m.index < len(below) and not below[m.index].strip():
                    below[m.index] = text
            elif r not in source.hidden_rows and (r not in rows or rows[r].empty):
                width = max(len(cells), m.index + 1)
                body[r] = ([text if j == m.index else "" for j in range(width)], cols)
    return [(RawRow(r, tuple(cells)), cols) for r, (cells, cols) in sorted(body.items())]


def _across_reason(m: Merge, sheet: str | None, covered: list[Column]) -> str:
    names = [repr(c.header) for c in covered]
    listed = ", ".join(names[:-1]) + " and " + names[-1]
    first, last = column_letter(m.index), column_letter(m.last_index)
    return (
        f"{sheet}!{first}{m.row}:{last}{m.last_row}: one merged cell over the columns {listed}: which of them "
        "it gives is not clear; not read (unmerge it and type the figure in each column)"
    )
