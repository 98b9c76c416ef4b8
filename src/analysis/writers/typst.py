"""A section of the document model (:mod:`analysis.report.document`) as Typst markup: calls of
the functions the packs' Typst template defines (``templates/typst/briefing.typ``:
``html-table``, ``html-span``, ``html-block``, ``html-list``, ``html-cell``, ``figure-image``)
with the style names the HTML page's stylesheet uses, so both look alike. Column widths come
from the model (:mod:`analysis.writers.layout`), never from parsing.

Text is escaped so that nothing a figure or a name contains is read as markup: ``1.`` at the
start of a cell stays a number, ``--`` two hyphens, quotes straight.

>>> from analysis.report.document import Paragraph, Section, Span
>>> print(to_typst(Section((Paragraph((Span("Đạt "), Span("1.206,5", "num"))),))), end="")
Đạt #html-span("n")[1\\.206,5]
"""

from __future__ import annotations

import base64
import re

from analysis.report.document import (
    Block,
    BulletList,
    Cell,
    Column,
    Figure,
    Heading,
    Inline,
    Label,
    Paragraph,
    Row,
    Section,
    Span,
    Table,
)
from analysis.report.html_table import STATUS_CLASS
from analysis.report.present import STANDING_COLOURS
from analysis.writers.layout import TABLE_SIZE_PT, column_widths

#: Characters with a meaning in Typst markup, escaped with a backslash wherever they appear.
_SPECIAL = re.compile(r"""([\\#*_`$<>@\[\]~/\-+="'])|(?<=[0-9.])\.|\.(?=\.)""")


def escape(text: str) -> str:
    """``text`` as Typst markup showing exactly these characters.

    >>> print(escape("1. Tỷ lệ 20/21 -- *x* #5 'a' 1.206,5"))
    1\\. Tỷ lệ 20\\/21 \\-\\- \\*x\\* \\#5 \\'a\\' 1\\.206,5
    """
    return _SPECIAL.sub(lambda m: "\\" + m.group(0), text)


def string(text: str) -> str:
    """``text`` as a Typst string literal.

    >>> print(string('Đội "Cấn"'))
    "Đội \\"Cấn\\""
    """
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{body}"'


def strings(items: list[str]) -> str:
    """A Typst array of strings (a trailing comma keeps a one-item array an array).

    >>> strings(["a"]), strings([])
    ('("a",)', '()')
    """
    return "(" + "".join(string(i) + ", " for i in items).rstrip(" ") + ")" if items else "()"


def content(markup: str) -> str:
    """``markup`` as a Typst content block."""
    return f"[{markup}]"


def plain_text(text: str) -> str:
    """Printed text (a stream, ``text/plain``): its lines kept, as a ``html-block("pre")``."""
    lines = text.rstrip("\n").split("\n")
    return '#html-block("pre", "")[' + " \\\n".join(escape(line) for line in lines) + "]\n"


def image_bytes(data: bytes, fmt: str) -> str:
    """An image output (``png``, ``jpg``, ``svg``) as a call of the template's ``figure-image``."""
    if fmt == "svg":
        return f"#figure-image(bytes({string(data.decode('utf-8'))}), {string(fmt)})\n"
    return f"#figure-image(bytes(({', '.join(str(b) for b in data)},)), {string(fmt)})\n"


def base64_image(data: str, fmt: str) -> str:
    """:func:`image_bytes` of a notebook's base64 image."""
    return image_bytes(base64.b64decode(data), fmt)


#: Width of the text of an A4 page with the packs' margins (210 − 2 × 17 mm), in points.
TEXT_WIDTH_PT = 498.9

_SPAN_STYLE = {
    "num": "n",
    "ok": "ok",
    "bad": "bad",
    "better": "ok n",
    "worse": "bad n",
    "inferred": "inferred",
    "words": "words",
    "small": "inferred",
    "quote": "quote",
    "code": "code",
}
_PARAGRAPH_STYLE = {"lead": "headline", "note": "note", "source": "note", "remark": "remarks"}
_LIST_STYLE = {"proposed": "proposed", "remarks": "remarks", "events": "events", "plain": "plain"}
_SPACE = re.compile(r"\s+")


def status_class(status: str) -> str:
    """The style of a status value (``st-unknown`` for one the stylesheet does not know)."""
    return STATUS_CLASS.get(status, "st-unknown")


def span_typst(s: Span) -> str:
    """One span as Typst markup."""
    t = escape(_SPACE.sub(" ", s.text))
    if s.mark == "plain":
        return t
    if s.mark == "strong":
        return f"#strong[{t}]"
    if s.mark == "em":
        return f"#emph[{t}]"
    if s.mark == "status":
        return f'#html-span("status {status_class(s.status)}")[{t}]'
    if s.mark == "standing":
        colour = STANDING_COLOURS.get(s.status, "#1b1b1b")
        return f'#text(fill: rgb("{colour}"))[#strong[{t}]]'
    return f"#html-span({string(_SPAN_STYLE.get(s.mark, s.mark))})[{t}]"


def inline_typst(spans: Inline) -> str:
    """A run of spans as Typst markup."""
    return "".join(span_typst(s) for s in spans)


def _cell(c: Cell, column: Column, span: int = 1, tag: str = "td") -> str:
    body = content(" #linebreak() ".join(inline_typst(line) for line in c.lines))
    classes = f"c-{column.key} k-{column.kind}"
    if span == 1 and not c.status:
        return body
    if c.status:
        classes += f" {status_class(c.status)}"
    return f"html-cell({string(tag)}, {string(classes)}, {span}, {body})"


def _row(r: Row, columns: tuple[Column, ...]) -> str:
    if r.role == "group":
        title = r.cells[0] if r.cells else Cell()
        return "(" + _cell(title, columns[0], len(columns), "th") + ",)"
    cells = list(r.cells) + [Cell()] * (len(columns) - len(r.cells))
    return "(" + ", ".join(_cell(c, col) for c, col in zip(cells, columns, strict=False)) + ",)"


def table_typst(t: Table) -> str:
    """A table as ``html-table(classes, caption, columns, widths, header, rows)``."""
    if not t.columns:
        return ""
    widths = column_widths(t, TEXT_WIDTH_PT, TABLE_SIZE_PT)
    columns = strings([f"c-{c.key} k-{c.kind}" for c in t.columns])
    head = "(" + ", ".join(content(escape(c.title)) for c in t.columns) + ",)"
    groups = ""
    if t.header_rows:
        groups = "".join(
            "(" + ", ".join(f'html-cell("th", "", {h.span}, {content(escape(h.text))})' for h in hr) + ",), "
            for hr in t.header_rows
        )
    rows = ", ".join(_row(r, t.columns) for r in t.rows)
    caption = content(escape(t.caption)) if t.caption else "none"
    classes = " ".join(c for c in ("data", t.key) if c)
    return (
        f"#html-table({string(classes)}, {caption}, {columns}, ({', '.join(f'{w:.1f}fr' for w in widths)},),\n"
        f"  {head},\n  ({rows}{',' if t.rows else ''}), groups: ({groups}))\n"
    )


def figure_typst(f: Figure) -> str:
    """A figure: its SVG (text kept as text), else its PNG."""
    if f.svg:
        out = image_bytes(f.svg.encode("utf-8"), "svg")
    elif f.png:
        out = image_bytes(f.png, "png")
    else:
        return ""
    if f.caption:
        out += f'#html-block("p", "note")[{escape(f.caption)}]\n'
    return out


def block_typst(b: Block) -> str:
    """One block as Typst markup."""
    if isinstance(b, Heading):
        return f"#heading(level: {min(max(b.level, 1), 6)})[{escape(b.text)}]\n"
    if isinstance(b, Paragraph):
        body = inline_typst(b.spans)
        style = _PARAGRAPH_STYLE.get(b.role, "")
        return f'#html-block("p", {string(style)})[{body}]\n' if style else body + "\n"
    if isinstance(b, BulletList):
        if not b.items:
            return ""
        items = ", ".join(content(inline_typst(i)) for i in b.items)
        tag = "ol" if b.ordered else "ul"
        return f"#html-list({string(tag)}, {string(_LIST_STYLE.get(b.style, ''))}, ({items},))\n"
    if isinstance(b, Table):
        return table_typst(b)
    if isinstance(b, Figure):
        return figure_typst(b)
    if isinstance(b, Label):
        return f'#html-block("p", {string("illustrative-banner" if b.kind == "illustrative" else "note")})[{escape(b.text)}]\n'
    raise TypeError(f"not a block of the document model: {b!r}")


def to_typst(section: Section) -> str:
    """A section as Typst markup; a section with a key is one ``html-block("section", key)``."""
    body = "\n".join(block_typst(b) for b in section.blocks)
    if section.key:
        return f'#html-block("section", {string(section.key)})[\n{body}]\n'
    return body
