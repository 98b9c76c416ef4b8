"""A section of the document model as HTML, with the classes the pack's stylesheet styles
(templates/briefing.css): ``<td class="c-<key>">`` cells, ``<span class="n">`` numbers kept on
one line, ``status st-*`` status words, ``ok``/``bad`` checks, ``inferred`` remarks.

>>> from analysis.report.document import Paragraph, Section, Span
>>> to_html(Section((Paragraph((Span("Đạt "), Span("1.206,5", "num"))),)))
'<p>Đạt <span class="n">1.206,5</span></p>'
"""

from __future__ import annotations

import html

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
from analysis.writers.layout import column_shares

_PARAGRAPH_CLASS = {"lead": "headline", "note": "note", "source": "source", "remark": "remarks"}
_SPAN_CLASS = {
    "num": "n",
    "ok": "ok",
    "bad": "bad",
    "better": "ok n",
    "worse": "bad n",
    "inferred": "inferred",
    "words": "words",
    "small": "small",
    "quote": "quote",
}
_LIST_CLASS = {"events": "events", "proposed": "proposed", "plain": "plain", "remarks": "remarks"}


def esc(text: str) -> str:
    return html.escape(text)


def status_class(status: str) -> str:
    """The stylesheet's class of a status value (``st-unknown`` for one it does not know)."""
    return STATUS_CLASS.get(status, "st-unknown")


def span_html(s: Span) -> str:
    """One span as HTML."""
    t = esc(s.text)
    if s.mark == "plain":
        return t
    if s.mark == "strong":
        return f"<b>{t}</b>"
    if s.mark == "em":
        return f"<i>{t}</i>"
    if s.mark == "code":
        return f"<code>{t}</code>"
    if s.mark == "status":
        return f'<span class="status {status_class(s.status)}">{t}</span>'
    if s.mark == "standing":
        return f'<b style="color:{STANDING_COLOURS.get(s.status, "#1b1b1b")}">{t}</b>'
    return f'<span class="{_SPAN_CLASS.get(s.mark, s.mark)}">{t}</span>'


def inline_html(spans: Inline) -> str:
    return "".join(span_html(s) for s in spans)


def _cell(c: Cell, column: Column, tag: str = "td") -> str:
    classes = [f"c-{column.key}", f"k-{column.kind}"]
    if c.status:
        classes.append(status_class(c.status))
    return f'<{tag} class="{" ".join(classes)}">' + "<br>".join(inline_html(line) for line in c.lines) + f"</{tag}>"


def _row(r: Row, columns: tuple[Column, ...]) -> str:
    if r.role == "group":
        title = inline_html(r.cells[0].lines[0]) if r.cells and r.cells[0].lines else ""
        return f'<tr class="group"><th colspan="{len(columns)}">{title}</th></tr>'
    classes = [
        c for c in (f"depth-{r.depth}" if r.depth else "", "illustrative" if r.illustrative else "", r.role) if c
    ]
    attr = f' class="{" ".join(classes)}"' if classes else ""
    return f"<tr{attr}>" + "".join(_cell(c, col) for c, col in zip(r.cells, columns, strict=False)) + "</tr>"


def table_html(t: Table) -> str:
    """A table: grouped header rows, the column titles, the rows; column widths from the
    model's column kinds and text lengths (:func:`analysis.writers.layout.column_shares`)."""
    shares = column_shares(t)
    cols = "".join(f'<col class="c-{c.key}" style="width:{w:.1f}%">' for c, w in zip(t.columns, shares, strict=True))
    groups = "".join(
        "<tr>" + "".join(f'<th colspan="{h.span}">{esc(h.text)}</th>' for h in hr) + "</tr>" for hr in t.header_rows
    )
    head = "<tr>" + "".join(f'<th class="c-{c.key}">{esc(c.title)}</th>' for c in t.columns) + "</tr>"
    body = "\n".join(_row(r, t.columns) for r in t.rows)
    cap = f"<caption>{esc(t.caption)}</caption>" if t.caption else ""
    illustrative = bool(t.rows) and all(r.illustrative for r in t.rows)
    classes = " ".join(c for c in ("data", t.key, "illustrative" if illustrative else "") if c)
    return (
        f'<table class="{classes}">{cap}<colgroup>{cols}</colgroup><thead>{groups}{head}</thead>\n'
        f"<tbody>\n{body}\n</tbody></table>"
    )


def figure_html(f: Figure) -> str:
    cap = f"<figcaption>{esc(f.caption)}</figcaption>" if f.caption else ""
    return f'<figure class="chart">{f.svg}{cap}</figure>'


def block_html(b: Block) -> str:
    """One block as HTML."""
    if isinstance(b, Heading):
        level = min(max(b.level, 1), 6)
        return f"<h{level}>{esc(b.text)}</h{level}>"
    if isinstance(b, Paragraph):
        cls = _PARAGRAPH_CLASS.get(b.role, "")
        return (f'<p class="{cls}">' if cls else "<p>") + inline_html(b.spans) + "</p>"
    if isinstance(b, BulletList):
        tag = "ol" if b.ordered else "ul"
        cls = _LIST_CLASS.get(b.style, "")
        head = f'<{tag} class="{cls}">' if cls else f"<{tag}>"
        return head + "".join(f"<li>{inline_html(i)}</li>" for i in b.items) + f"</{tag}>"
    if isinstance(b, Table):
        return table_html(b)
    if isinstance(b, Figure):
        return figure_html(b)
    if isinstance(b, Label):
        cls = "illustrative-banner" if b.kind == "illustrative" else f"label-{b.kind}"
        return f'<p class="{cls}">{esc(b.text)}</p>'
    raise TypeError(f"not a block of the document model: {b!r}")


def to_html(section: Section) -> str:
    """A section as an HTML fragment; a section with a key is a ``<section class="key">``."""
    body = "\n".join(block_html(b) for b in section.blocks)
    return f'<section class="{esc(section.key)}">{body}</section>' if section.key else body


def html_of(item: Section | Block | None) -> str:
    """A section, or one block, as HTML ('' for ``None``)."""
    if item is None:
        return ""
    return to_html(item if isinstance(item, Section) else Section((item,)))
