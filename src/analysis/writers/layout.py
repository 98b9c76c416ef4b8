"""How wide each column of a model table is, for every writer: from the columns' kinds and the
cells' text, measured in the packs' table font (DejaVu Sans Condensed), as a browser lays out
a table of width 100% (CSS 2.1 automatic layout), with the packs' own rules on top:

* a number, a percentage, a status word or a check is never broken: its narrowest layout is
  the whole span;
* a unit is never split inside a word;
* the indicator's name takes the width it needs: at most :data:`NAME_LINES` lines at the
  table's size, as far as the page allows.

>>> from analysis.report.document import Column, Row, Table, cell, text
>>> t = Table((Column("tt", "TT", "stt"), Column("indicator", "Chỉ tiêu", "name")),
...     (Row((cell(text("1")), cell(text("Tỷ lệ hộ nghèo giảm còn dưới 10%")))),))
>>> [round(w, 1) for w in column_widths(t, 400)]
[51.2, 348.8]
"""

from __future__ import annotations

from analysis.fonts import text_width
from analysis.report.document import Cell, Column, Inline, Table

#: Marks whose text is never broken across lines (a number, a status word in its badge); other
#: text breaks between words only, so a number written inside it stays whole too.
WHOLE_MARKS = frozenset({"num", "status"})
#: Column kinds whose plain text is never broken either (a row number, a check).
NOWRAP_KINDS = frozenset({"check", "stt"})
#: The most lines an indicator's name wraps to, when the page has the room.
NAME_LINES = 3
#: Cell padding (left + right) and a little room, in points.
CELL_PADDING_PT, SLACK_PT = 8.0, 2.0
#: The table font size of the packs (points).
TABLE_SIZE_PT = 8.0


def _width(text: str, size: float, bold: bool = False) -> float:
    return text_width(text, size, bold=bold, condensed=True)


def _line_extent(line: Inline, size: float, kind: str) -> tuple[float, float]:
    """The narrowest and the widest layout of one line of a cell (no padding)."""
    narrow = 0.0
    for s in line:
        bold = s.mark in ("status", "strong", "ok", "bad", "standing")
        if s.mark in WHOLE_MARKS or (kind in NOWRAP_KINDS and s.mark == "plain"):
            narrow = max(narrow, _width(" ".join(s.text.split()), size, bold) + (4.0 if s.mark == "status" else 0.0))
        else:
            narrow = max([narrow, *(_width(w, size, bold) for w in s.text.split())])
    whole = " ".join("".join(s.text for s in line).split())
    wide = _width(whole, size, any(s.mark == "status" for s in line))
    return narrow, max(wide, narrow)


def cell_extent(c: Cell, column: Column, size: float = TABLE_SIZE_PT) -> tuple[float, float]:
    """A cell's narrowest and widest layout in points, padding included."""
    narrow = wide = 0.0
    for line in c.lines:
        lo, hi = _line_extent(line, size, column.kind)
        narrow, wide = max(narrow, lo), max(wide, hi)
    pad = CELL_PADDING_PT + SLACK_PT
    return narrow + pad, wide + pad


def column_widths(t: Table, room: float, size: float = TABLE_SIZE_PT) -> list[float]:
    """The width of each column in points, summing to ``room``: every column gets at least its
    narrowest cell's minimum; when all fit on one line each gets its widest cell and the rest is
    shared in proportion; else the room beyond the minimums goes to the columns in proportion to
    what they lack. A row of one cell spanning the table (a group's title) sets no width."""
    n = len(t.columns)
    if n == 0:
        return []
    low, high = [0.0] * n, [0.0] * n
    for i, col in enumerate(t.columns):
        head_lo = max((_width(w, size, True) for w in col.title.split()), default=0.0)
        low[i] = head_lo + CELL_PADDING_PT + SLACK_PT
        high[i] = _width(col.title, size, True) + CELL_PADDING_PT + SLACK_PT
    for row in t.rows:
        if row.role == "group":
            continue
        for i, (c, col) in enumerate(zip(row.cells, t.columns, strict=False)):
            lo, hi = cell_extent(c, col, size)
            low[i], high[i] = max(low[i], lo), max(high[i], hi)
    # a name wraps to at most NAME_LINES lines, as far as the room beyond the minimums allows
    spare = max(room - sum(low), 0.0)
    for i, col in enumerate(t.columns):
        if col.kind == "name":
            want = max(high[i] / NAME_LINES - low[i], 0.0)
            grant = min(want, spare)
            low[i] += grant
            spare -= grant
    if sum(high) <= room:
        return [h + (room - sum(high)) * h / (sum(high) or 1) for h in high]
    if sum(low) >= room:
        return [lo * room / sum(low) for lo in low]
    lack = [h - lo for lo, h in zip(low, high, strict=True)]
    return [lo + (room - sum(low)) * x / (sum(lack) or 1) for lo, x in zip(low, lack, strict=True)]


def column_shares(t: Table, room: float = 498.9, size: float = TABLE_SIZE_PT) -> list[float]:
    """:func:`column_widths` as percentages of the table's width."""
    widths = column_widths(t, room, size)
    total = sum(widths) or 1.0
    return [100 * w / total for w in widths]
