"""The document model: what a briefing section is, as plain data, for every writer.

A section is a sequence of blocks (headings, paragraphs, lists, tables with typed columns,
figures, labels). report/ builds sections from the analyses; writers/ render them as HTML,
Typst (PDF) and Word. Nothing renders one format from another: each writer reads this model.

A notebook shows a section as a rich output carrying the model itself under
:data:`MIME_TYPE` (as JSON, :func:`to_json`) next to its HTML, so an executed notebook holds
the model and the Typst and Word exporters read it back with :func:`from_json`.

Inline text is a tuple of :class:`Span`: the text and a mark saying what it is (a number kept
whole, a status word with its status, emphasis, an inferred value, a check mark), never markup.

>>> s = Section((Heading("1. Kết quả"), Paragraph((Span("Đạt "), Span("12", "num")))))
>>> from_json(to_json(s)) == s
True
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass, field, fields
from typing import Any, Literal, TypeAlias, get_args

from analysis.errors import DocumentModelError

MIME_TYPE = "application/vnd.analysis.section+json"
"""The MIME type of a section in a notebook's outputs (JSON of :func:`to_json`)."""

MODEL_VERSION = 1

Mark = Literal[
    "plain",
    "strong",
    "em",
    "num",
    "status",
    "ok",
    "bad",
    "inferred",
    "words",
    "small",
    "standing",
    "better",
    "worse",
    "quote",
    "code",
]
"""What a span is: plain text; emphasis; a number (never broken across lines); a status word
(``Span.status`` holds the Status value, writers colour it); a check (✓ agrees, ✗ disagrees);
an inferred or recomputed value (shown smaller, marked); words in a figure column; small print;
a gap row's standing (``Span.status`` holds its key: achieved, on_track, off_track,
far_beyond, impossible, unknown); a change for the better or the worse (a number, coloured); a
quotation of a source; an identifier to type (a file name, a code)."""

ColumnKind = Literal["stt", "name", "text", "unit", "number", "percent", "status", "check"]
"""What a column holds, so each writer can size and align it: the row number, the indicator's
name (takes the width it needs), free text, a measure unit (never split inside a word), a
number or a percentage (right-aligned, never broken), a status (shaded), a check mark."""

ParagraphRole = Literal["", "lead", "note", "source", "remark"]


@dataclass(frozen=True, slots=True)
class Span:
    """A run of inline text with one mark."""

    text: str
    mark: Mark = "plain"
    status: str = ""


Inline: TypeAlias = tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True, slots=True)
class Paragraph:
    spans: Inline
    role: ParagraphRole = ""


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[Inline, ...]
    ordered: bool = False
    style: str = ""
    """What the list is, for the writers' styles: ``events``, ``proposed``, ``plain``, ``remarks``."""


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    kind: ColumnKind = "text"
    decimals: int | None = None


@dataclass(frozen=True, slots=True)
class HeaderCell:
    """A cell of a grouped header row above the column titles, spanning ``span`` columns."""

    text: str
    span: int = 1


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: lines of spans (a cell may hold a figure and, below it, a remark), the
    number it shows where it is one (for writers that keep numbers as numbers), the status
    that shades it."""

    lines: tuple[Inline, ...] = ()
    value: float | None = None
    status: str = ""


@dataclass(frozen=True, slots=True)
class Row:
    """A table row: its cells in column order; ``depth`` indents a sub-row under its parent;
    ``illustrative`` marks a row of made-up figures; ``role`` is '' or 'group' (a heading row)."""

    cells: tuple[Cell, ...]
    depth: int = 0
    illustrative: bool = False
    role: Literal["", "group", "total"] = ""


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    header_rows: tuple[tuple[HeaderCell, ...], ...] = ()
    caption: str = ""
    key: str = ""
    """What the table is (``evaluated``, ``gaps``, ``tasks``...), for styles and tests."""


@dataclass(frozen=True, slots=True)
class Figure:
    """A chart: the same figure as SVG (text kept as text, for HTML and Typst) and PNG (Word)."""

    svg: str
    png: bytes = b""
    caption: str = ""
    alt: str = ""
    width_mm: float | None = None


@dataclass(frozen=True, slots=True)
class Label:
    """A label over a part of a page, e.g. the illustrative-data label."""

    text: str
    kind: Literal["illustrative", "warning", "info"] = "illustrative"


Block: TypeAlias = Heading | Paragraph | BulletList | Table | Figure | Label

_BLOCKS: dict[str, type[Any]] = {
    "heading": Heading,
    "paragraph": Paragraph,
    "list": BulletList,
    "table": Table,
    "figure": Figure,
    "label": Label,
}
_NAMES = {cls: name for name, cls in _BLOCKS.items()}


@dataclass(frozen=True, slots=True)
class Section:
    """What one notebook output shows: blocks in order."""

    blocks: tuple[Block, ...]
    key: str = ""
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


# -- building inline text ---------------------------------------------------------------------


def text(value: Any, mark: Mark = "plain") -> Inline:
    """One span of text; nothing for a missing value.

    >>> text("Đạt"), text(None)
    ((Span(text='Đạt', mark='plain', status=''),), ())
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or str(value) == "":
        return ()
    if str(value) in {"<NA>", "nan"}:
        return ()
    return (Span(str(value), mark),)


def plain(inline: Inline) -> str:
    """The text of spans without their marks."""
    return "".join(s.text for s in inline)


def cell(*lines: Inline, value: float | None = None, status: str = "") -> Cell:
    """A cell of the given lines (empty lines dropped)."""
    return Cell(tuple(line for line in lines if line), value, status)


# -- JSON ---------------------------------------------------------------------------------------


def _dump(obj: Any) -> Any:
    if isinstance(obj, bytes):
        return {"base64": base64.b64encode(obj).decode("ascii")}
    if isinstance(obj, tuple | list):
        return [_dump(o) for o in obj]
    if hasattr(obj, "__dataclass_fields__"):
        return {f.name: _dump(getattr(obj, f.name)) for f in fields(obj)}
    return obj


def to_json(section: Section) -> dict[str, Any]:
    """The section as JSON-ready data: ``{"version", "key", "meta", "blocks": [{"type", ...}]}``."""
    return {
        "version": MODEL_VERSION,
        "key": section.key,
        "meta": section.meta,
        "blocks": [{"type": _NAMES[type(b)], **_dump(b)} for b in section.blocks],
    }


def _spans(data: list[Any]) -> Inline:
    return tuple(Span(d["text"], d.get("mark", "plain"), d.get("status", "")) for d in data)


def _cell(d: dict[str, Any]) -> Cell:
    return Cell(tuple(_spans(line) for line in d.get("lines", [])), d.get("value"), d.get("status", ""))


def _block(d: dict[str, Any]) -> Block:
    kind = d["type"]
    if kind == "heading":
        return Heading(d["text"], int(d.get("level", 2)))
    if kind == "paragraph":
        return Paragraph(_spans(d["spans"]), d.get("role", ""))
    if kind == "list":
        return BulletList(
            tuple(_spans(item) for item in d["items"]), bool(d.get("ordered", False)), str(d.get("style", ""))
        )
    if kind == "table":
        return Table(
            columns=tuple(Column(c["key"], c["title"], c.get("kind", "text"), c.get("decimals")) for c in d["columns"]),
            rows=tuple(
                Row(
                    tuple(_cell(c) for c in r["cells"]),
                    int(r.get("depth", 0)),
                    bool(r.get("illustrative", False)),
                    r.get("role", ""),
                )
                for r in d["rows"]
            ),
            header_rows=tuple(
                tuple(HeaderCell(h["text"], int(h.get("span", 1))) for h in hr) for hr in d.get("header_rows", [])
            ),
            caption=d.get("caption", ""),
            key=d.get("key", ""),
        )
    if kind == "figure":
        png = d.get("png") or {}
        return Figure(
            d["svg"],
            base64.b64decode(png["base64"]) if isinstance(png, dict) and "base64" in png else b"",
            d.get("caption", ""),
            d.get("alt", ""),
            d.get("width_mm"),
        )
    if kind == "label":
        return Label(d["text"], d.get("kind", "illustrative"))
    raise DocumentModelError(f"unknown block type {kind!r} in a document section (expected one of {sorted(_BLOCKS)})")


def from_json(data: dict[str, Any]) -> Section:
    """The section that :func:`to_json` wrote."""
    version = data.get("version")
    if version != MODEL_VERSION:
        raise DocumentModelError(
            f"document section of model version {version!r}; this package reads version {MODEL_VERSION}"
        )
    return Section(tuple(_block(b) for b in data["blocks"]), data.get("key", ""), dict(data.get("meta", {})))


MARKS: tuple[str, ...] = get_args(Mark)
COLUMN_KINDS: tuple[str, ...] = get_args(ColumnKind)
