"""Building blocks of the document model (:mod:`analysis.report.document`) for the presenters:
numbers as Vietnamese text kept whole, status words, check marks, paragraphs, lists, and tables
from a frame with a cell function per column.

>>> t = table(pd.DataFrame({"x": [1206.64]}), {"x": ("Số", "number", lambda r: num_cell(r["x"]))})
>>> t.columns[0].kind, plain(t.rows[0].cells[0].lines[0]), t.rows[0].cells[0].value
('number', '1.206,64', 1206.64)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd

from analysis.io.numbers import format_compact
from analysis.report.document import (
    Block,
    BulletList,
    Cell,
    Column,
    ColumnKind,
    Figure,
    Heading,
    Inline,
    Mark,
    Paragraph,
    ParagraphRole,
    Row,
    Section,
    Span,
    Table,
    cell,
    plain,
    text,
)

__all__ = [
    "CellFn",
    "bullets",
    "check_span",
    "figure",
    "heading",
    "join",
    "missing",
    "num",
    "num_cell",
    "num_span",
    "para",
    "plain",
    "section",
    "span",
    "status_span",
    "table",
    "text",
]

CellValue = Cell | Inline | str
"""What a cell function returns: a cell, one line of spans, or plain text."""
CellFn = Callable[[pd.Series], CellValue]


def missing(value: Any) -> bool:
    """True for None, NaN and pandas' NA."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def num(value: Any, decimals: int = 2, *, percent: bool = False) -> str:
    """A Vietnamese number with at most ``decimals`` decimals (trailing zeros dropped); '' if missing.

    >>> num(114.9), num(2.364, 2, percent=True), num(float("nan"))
    ('114,9', '2,36%', '')
    """
    if missing(value):
        return ""
    return format_compact(float(value), decimals) + ("%" if percent else "")


def span(value: Any, mark: Mark = "plain", status: str = "") -> Inline:
    """One span (nothing for a missing or empty value)."""
    if missing(value) or str(value) == "":
        return ()
    return (Span(str(value), mark, status),)


def num_span(value: Any, decimals: int = 2, *, percent: bool = False, mark: Mark = "num") -> Inline:
    """A Vietnamese number kept whole (``num`` mark); nothing when missing."""
    return span(num(value, decimals, percent=percent), mark)


def num_cell(value: Any, decimals: int = 2, *, percent: bool = False) -> Cell:
    """A cell of one number (its value kept for writers that keep numbers as numbers)."""
    if missing(value):
        return Cell()
    return cell(num_span(value, decimals, percent=percent), value=float(value))


def status_span(status: Any) -> Inline:
    """A status word, coloured by its status."""
    if missing(status) or not str(status):
        return ()
    return (Span(str(status), "status", str(status)),)


def check_span(value: Any) -> Inline:
    """✓ for True, ✗ for False, nothing when not checked."""
    if missing(value):
        return ()
    return (Span("✓", "ok"),) if bool(value) else (Span("✗", "bad"),)


def _as_cell(value: CellValue) -> Cell:
    if isinstance(value, Cell):
        return value
    if isinstance(value, str):
        return cell(text(value))
    return cell(value)


def table(
    df: pd.DataFrame,
    columns: Mapping[str, tuple[str, ColumnKind, CellFn]],
    *,
    key: str = "",
    caption: str = "",
    decimals: Mapping[str, int] | None = None,
    depth: Callable[[pd.Series], int] | None = None,
    illustrative: bool | Callable[[pd.Series], bool] = False,
) -> Table:
    """A table of ``df``: ``columns`` maps a column key to (title, kind, cell function of the
    row); ``illustrative`` marks every row, or the rows for which it is true."""
    cols = tuple(Column(k, title, kind, (decimals or {}).get(k)) for k, (title, kind, _) in columns.items())
    rows = tuple(
        Row(
            tuple(_as_cell(fn(r)) for _, _, fn in columns.values()),
            depth=depth(r) if depth else 0,
            illustrative=bool(illustrative(r)) if callable(illustrative) else illustrative,
        )
        for _, r in df.iterrows()
    )
    return Table(cols, rows, caption=caption, key=key)


def join(*parts: Inline | str) -> Inline:
    """Spans and plain strings as one run of spans."""
    out: list[Span] = []
    for p in parts:
        out.extend(text(p) if isinstance(p, str) else p)
    return tuple(out)


def para(*parts: Inline | str, role: ParagraphRole = "") -> Paragraph:
    """A paragraph of spans and plain strings."""
    return Paragraph(join(*parts), role)


def heading(value: str, level: int = 2) -> Heading:
    """A heading (levels as in HTML: 2 a section, 3 a part of one)."""
    return Heading(value, level)


def bullets(items: Iterable[Inline | str], *, ordered: bool = False, style: str = "") -> BulletList:
    """A list of plain strings or of spans."""
    return BulletList(tuple(join(i) for i in items), ordered, style)


def section(*blocks: Block | Section | None, key: str = "") -> Section:
    """A section of the given blocks (sections' blocks spliced in, ``None`` skipped)."""
    out: list[Block] = []
    for b in blocks:
        if b is None:
            continue
        if isinstance(b, Section):
            out.extend(b.blocks)
        else:
            out.append(b)
    return Section(tuple(out), key)


def figure(chart: Any, *, caption: str | None = None) -> Figure:
    """A chart (:class:`analysis.report.charts.Chart`: its ``svg`` and ``title``, and its PNG
    where it has one) as a figure block of the model."""
    png = getattr(chart, "png", None)
    data = png() if callable(png) else (png if isinstance(png, bytes) else b"")
    svg = chart.svg() if callable(chart.svg) else chart.svg
    title = str(getattr(chart, "title", ""))
    return Figure(str(svg), data, caption if caption is not None else "", alt=title)
