"""What a notebook shows, as Typst markup: its HTML outputs, its markdown, its printed text.

The packs' HTML is small and regular (:mod:`analysis.report.html_table`: headings, paragraphs,
lists, tables with a class per column, spans with a class per mark). It is parsed once
(:class:`html.parser.HTMLParser`) and written as calls of the functions the Typst template
defines — ``html-table``, ``html-span``, ``html-block`` … — with the element's classes, so the
template styles each class as the stylesheet does for the HTML page (as Quarto turns HTML
tables into Typst tables). An element this module does not know keeps its text.

Text is escaped so that nothing a figure or a name contains is read as markup: ``1.`` at the
start of a cell stays a number, ``--`` two hyphens, quotes straight.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Characters with a meaning in Typst markup, escaped with a backslash wherever they appear.
_SPECIAL = re.compile(r"""([\\#*_`$<>@\[\]~/\-+="'])|(?<=[0-9.])\.|\.(?=\.)""")
_SPACE = re.compile(r"\s+")

#: Elements laid out as blocks; everything else is inline.
BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "col", "wbr"})


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


@dataclass
class Node:
    """An HTML element (``tag`` ``""`` for the document) and its children (nodes and text)."""

    tag: str
    classes: str = ""
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        node = Node(tag, " ".join(values.get("class", "").split()), values)
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.stack[-1].children.append(Node(tag, " ".join(values.get("class", "").split()), values))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(html: str) -> Node:
    """The element tree of an HTML fragment (style and script elements dropped)."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    _drop(builder.root, {"style", "script", "head", "title"})
    return builder.root


def _drop(node: Node, tags: set[str]) -> None:
    node.children = [c for c in node.children if not (isinstance(c, Node) and c.tag in tags)]
    for child in node.children:
        if isinstance(child, Node):
            _drop(child, tags)


def html_to_typst(html: str) -> str:
    """An HTML fragment as Typst markup (see the module's docstring)."""
    return _blocks(parse_html(html).children).strip() + "\n"


def markdown_to_typst(source: str) -> str:
    """Markdown (a notebook's markdown cell) as Typst markup, through its HTML (mistune, as
    nbconvert renders it for the page)."""
    import mistune

    return html_to_typst(str(mistune.html(source)))


# -- writing -------------------------------------------------------------------------------


def _blocks(children: list[Node | str]) -> str:
    """Children of a block element: block children on their own lines, runs of inline
    children and text as paragraphs."""
    out: list[str] = []
    run: list[Node | str] = []

    def flush() -> None:
        text = _inline(run).strip()
        if text:
            out.append(text + "\n")
        run.clear()

    for child in children:
        if isinstance(child, Node) and child.tag in BLOCKS:
            flush()
            out.append(_block(child))
        else:
            run.append(child)
    flush()
    return "\n".join(out)


#: An inline style of one colour and nothing else, ``color:#1a7f37`` (any other style is ignored).
_COLOUR = re.compile(r"\s*color\s*:\s*(#[0-9a-fA-F]{6})\s*;?\s*")


def _inline(children: list[Node | str]) -> str:
    parts = []
    for child in children:
        if isinstance(child, str):
            parts.append(escape(_SPACE.sub(" ", child)))
        else:
            parts.append(_inline_node(child))
    return "".join(parts)


def _inline_node(node: Node) -> str:
    colour = _COLOUR.fullmatch(node.attrs.get("style") or "")
    if colour:  # a word coloured as its key says (the gap table's standing): the colour kept
        plain = Node(node.tag, node.classes, {k: v for k, v in node.attrs.items() if k != "style"}, node.children)
        return f'#text(fill: rgb("{colour.group(1)}"))[{_inline_node(plain)}]'
    inner = _inline(node.children)
    tag = node.tag
    if tag in ("b", "strong"):
        return f"#strong[{inner}]"
    if tag in ("i", "em", "cite", "q"):
        return f"#emph[{inner}]"
    if tag == "code":
        return f'#html-span("code")[{inner}]'
    if tag == "br":
        return "#linebreak()"
    if tag == "a" and node.attrs.get("href", "").startswith(("http://", "https://", "mailto:")):
        return f"#link({string(node.attrs['href'])})[{inner}]"
    if tag == "img":
        return escape(node.attrs.get("alt", ""))
    if tag in ("sub", "sup"):
        return f"#{tag}[{inner}]"
    if node.classes:
        return f"#html-span({string(node.classes)})[{inner}]"
    return inner


def _block(node: Node) -> str:
    tag = node.tag
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return f"#heading(level: {int(tag[1])})[{_inline(node.children).strip()}]\n"
    if tag == "table":
        return _table(node)
    if tag in ("ul", "ol"):
        items = [c for c in node.children if isinstance(c, Node) and c.tag == "li"]
        body = ", ".join(content(_blocks(i.children).strip()) for i in items)
        return f"#html-list({string(tag)}, {string(node.classes)}, ({body},))\n" if items else ""
    if tag == "dl":
        pairs = [c for c in node.children if isinstance(c, Node) and c.tag in ("dt", "dd")]
        body = ", ".join(f"({string(c.tag)}, {content(_blocks(c.children).strip())})" for c in pairs)
        return f"#html-terms({string(node.classes)}, ({body},))\n" if pairs else ""
    if tag == "pre":
        return plain_text("".join(_text(node)))
    if tag == "hr":
        return "#line(length: 100%, stroke: 0.5pt + luma(180))\n"
    return f"#html-block({string(tag)}, {string(node.classes)})[\n{_blocks(node.children)}]\n"


def _text(node: Node) -> list[str]:
    out: list[str] = []
    for child in node.children:
        out.extend([child] if isinstance(child, str) else _text(child))
    return out


def _rows(node: Node) -> list[Node]:
    rows = []
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == "tr":
                rows.append(child)
            elif child.tag in ("thead", "tbody", "tfoot"):
                rows.extend(_rows(child))
    return rows


def _span(cell: Node) -> int:
    """The columns a cell spans (its ``colspan``, 1 when absent or unreadable)."""
    text = cell.attrs.get("colspan") or "1"
    return max(int(text), 1) if text.isdigit() else 1


#: Classes of a table cell that colour the whole cell (analysis.report.rollup_present's status map).
CELL_STATUS = re.compile(r"^st-[a-z]+$")


def _cell(cell: Node) -> str:
    """One cell's content; a cell spanning columns, or coloured by its status class, as
    ``html-cell(tag, classes, colspan, [...])`` (templates/typst/briefing.typ)."""
    body = content(_blocks(cell.children).strip())
    span = _span(cell)
    if span == 1 and not any(CELL_STATUS.match(c) for c in cell.classes.split()):
        return body
    return f"html-cell({string(cell.tag)}, {string(cell.classes)}, {span}, {body})"


def _table(node: Node) -> str:
    """A table as ``html-table(classes, caption, columns, widths, header, rows)``: each column's
    classes (from the first body row's ``td`` classes, e.g. ``c-tt``) and width
    (:func:`column_widths`), the header row (the ``th`` cells of the first row, or of
    ``thead``) and each body row's cells."""
    rows = _rows(node)
    caption = next((c for c in node.children if isinstance(c, Node) and c.tag == "caption"), None)
    head: list[Node] = []
    if rows and all(c.tag == "th" for c in rows[0].children if isinstance(c, Node)):
        head = [c for c in rows[0].children if isinstance(c, Node)]
        rows = rows[1:]
    body = [[c for c in r.children if isinstance(c, Node) and c.tag in ("td", "th")] for r in rows]
    width = max([len(head), *(sum(_span(c) for c in r) for r in body)], default=0)
    if width == 0:
        return ""
    body = [r + [Node("td")] * (width - sum(_span(c) for c in r)) for r in body]
    columns = [""] * width
    for r in [r for r in body if len(r) == width][:1]:
        for i, cell in enumerate(r):
            columns[i] = cell.classes
    size = 8.0 if "data" in node.classes.split() else 8.5
    widths = column_widths(
        [_extent(c, size, bold=True) for c in head] + [(0.0, 0.0)] * (width - len(head)),
        [[_extent(c, size) for c in r] for r in body if len(r) == width],  # a spanning cell sets no column's width
    )

    def cells(cs: list[Node]) -> str:
        return ", ".join(_cell(c) for c in cs) + ","

    head_text = f"({cells(head)})" if head else "()"
    body_text = ", ".join(f"({cells(r)})" for r in body)
    caption_text = content(_inline(caption.children).strip()) if caption is not None else "none"
    return (
        f"#html-table({string(node.classes)}, {caption_text}, {strings(columns)}, ({', '.join(widths)},),\n"
        f"  {head_text},\n  ({body_text}{',' if body else ''}))\n"
    )


#: Classes of inline elements that never wrap (analysis.report.html_table: numbers, status words).
NOWRAP_CLASSES = frozenset({"n", "status"})
#: Width of the text of an A4 page with the packs' margins (210 − 2 × 17 mm), in points.
TEXT_WIDTH_PT = 498.9
#: Cell padding (left + right) and a little room, in points.
CELL_PADDING_PT, SLACK_PT = 8.0, 2.0


def _extent(cell: Node, size: float, *, bold: bool = False) -> tuple[float, float]:
    """The cell's narrowest and widest layout in points (padding included): its longest
    unbreakable piece (a word, or a whole number or status word), and its text on one line."""
    from analysis.fonts import text_width

    narrow = 0.0

    def width(text: str, bold: bool) -> float:
        return text_width(text, size, bold=bold, condensed=True)  # tables are set condensed

    def walk(node: Node) -> None:
        nonlocal narrow
        for child in node.children:
            if isinstance(child, str):
                narrow = max([narrow, *(width(w, bold) for w in child.split())])
            elif set(child.classes.split()) & NOWRAP_CLASSES:  # a status word: bold, in a badge
                badge = "status" in child.classes.split()
                text = " ".join("".join(_text(child)).split())
                narrow = max(narrow, width(text, bold or badge) + (4 if badge else 0))
            else:
                walk(child)

    walk(cell)
    wide = width(" ".join(" ".join(_text(cell)).split()), bold)
    return narrow + CELL_PADDING_PT + SLACK_PT, max(wide, narrow) + CELL_PADDING_PT + SLACK_PT


def column_widths(head: list[tuple[float, float]], rows: list[list[tuple[float, float]]]) -> list[str]:
    """Column widths (``fr``, summing to the text width in points) from each cell's narrowest
    and widest layout (:func:`_extent`), as a browser lays out a table of width 100% (CSS 2.1
    automatic layout): every column gets at least its narrowest cell's minimum; when all fit
    on one line each column gets its widest cell and the rest is shared in proportion; else
    the space beyond the minimums goes to the columns in proportion to what they lack.

    >>> column_widths([(20, 20), (40, 40)], [[(20, 20), (60, 900)]])  # the long text wraps
    ['20.0fr', '478.9fr']
    >>> column_widths([(20, 20), (20, 20)], [[(30, 100), (30, 300)]])  # fits: shared as 100 : 300
    ['124.7fr', '374.2fr']
    """
    columns = max([len(head), *(len(r) for r in rows)], default=0)
    low, high = [0.0] * columns, [0.0] * columns
    for r in [head, *rows]:
        for i, (narrow, wide) in enumerate(r):
            low[i], high[i] = max(low[i], narrow), max(high[i], wide)
    room = TEXT_WIDTH_PT
    if sum(high) <= room:
        widths = [h + (room - sum(high)) * h / (sum(high) or 1) for h in high]
    elif sum(low) >= room:
        widths = low
    else:
        lack = [h - lo for lo, h in zip(low, high)]
        widths = [lo + (room - sum(low)) * x / (sum(lack) or 1) for lo, x in zip(low, lack)]
    return [f"{w:.1f}fr" for w in widths]
