"""A notebook's markdown cell as blocks of the document model, so that every writer (Typst,
Word) reads the model only: headings, paragraphs with strong / emphasis / code, lists (a
nested list's items follow their parent's, indented by a dash), quotes as paragraphs, tables
of pipes as model tables, a rule dropped. Read with mistune's syntax tree (the parser nbconvert
renders markdown with), not through HTML.

>>> s = markdown_section("# Kết quả\\n\\nĐạt **12** chỉ tiêu.\\n\\n- một\\n- hai")
>>> [type(b).__name__ for b in s.blocks]
['Heading', 'Paragraph', 'BulletList']
>>> s.blocks[1].spans[1]
Span(text='12', mark='strong', status='')
"""

from __future__ import annotations

from typing import Any

from analysis.report.document import (
    Block,
    BulletList,
    Column,
    Heading,
    Paragraph,
    Row,
    Section,
    Span,
    Table,
    cell,
)

_MARKS = {"strong": "strong", "emphasis": "em", "codespan": "code"}


def _inline(nodes: list[dict[str, Any]], mark: str = "plain") -> list[Span]:
    out: list[Span] = []
    for n in nodes:
        kind = n.get("type", "")
        if kind in ("text", "inline_html", "block_text"):
            if "children" in n:
                out.extend(_inline(n["children"], mark))
            elif n.get("raw"):
                out.append(Span(str(n["raw"]), mark))  # type: ignore[arg-type]
        elif kind == "codespan":
            out.append(Span(str(n.get("raw", "")), "code"))
        elif kind in ("softbreak", "linebreak"):
            out.append(Span(" ", mark))  # type: ignore[arg-type]
        elif kind in _MARKS:
            out.extend(_inline(n.get("children", []), _MARKS[kind]))
        elif kind == "image":
            out.append(Span(str(n.get("attrs", {}).get("alt", "") or ""), mark))  # type: ignore[arg-type]
        else:  # link and anything else: its text
            out.extend(_inline(n.get("children", []), mark))
    return _merge(out)


def _merge(spans: list[Span]) -> list[Span]:
    """Neighbouring spans of one mark as one."""
    out: list[Span] = []
    for s in spans:
        if out and out[-1].mark == s.mark and out[-1].status == s.status:
            out[-1] = Span(out[-1].text + s.text, s.mark, s.status)
        elif s.text:
            out.append(s)
    return out


def _items(node: dict[str, Any], depth: int = 0) -> list[tuple[Span, ...]]:
    items: list[tuple[Span, ...]] = []
    for item in node.get("children", []):
        text: list[Span] = []
        nested: list[tuple[Span, ...]] = []
        for child in item.get("children", []):
            if child.get("type") == "list":
                nested.extend(_items(child, depth + 1))
            else:
                text.extend(_inline(child.get("children", [])))
        if depth:
            text.insert(0, Span("– " * depth))
        items.append(tuple(_merge(text)))
        items.extend(nested)
    return items


def _table(node: dict[str, Any]) -> Table:
    head: list[str] = []
    rows: list[Row] = []
    for part in node.get("children", []):
        if part.get("type") == "table_head":
            head = ["".join(s.text for s in _inline(c.get("children", []))) for c in part.get("children", [])]
        else:
            for r in part.get("children", []):
                rows.append(Row(tuple(cell(tuple(_inline(c.get("children", [])))) for c in r.get("children", []))))
    columns = tuple(Column(f"m{i}", h, "text") for i, h in enumerate(head))
    return Table(columns, tuple(rows), key="markdown")


def markdown_blocks(source: str) -> tuple[Block, ...]:
    """The blocks of a markdown text."""
    import mistune

    parse = mistune.create_markdown(renderer=None, plugins=["table"])
    blocks: list[Block] = []
    tree: list[dict[str, Any]] = parse(source)  # type: ignore[assignment]  # renderer=None: the syntax tree
    for node in tree:
        kind = node.get("type")
        if kind == "heading":
            text = "".join(s.text for s in _inline(node.get("children", [])))
            blocks.append(Heading(text, int(node.get("attrs", {}).get("level", 2))))
        elif kind == "paragraph":
            blocks.append(Paragraph(tuple(_inline(node.get("children", [])))))
        elif kind == "list":
            ordered = bool(node.get("attrs", {}).get("ordered", False))
            blocks.append(BulletList(tuple(_items(node)), ordered))
        elif kind == "block_quote":
            blocks.extend(
                Paragraph(tuple(Span(s.text, "em") for s in b.spans)) if isinstance(b, Paragraph) else b
                for b in markdown_blocks_of(node.get("children", []))
            )
        elif kind == "block_code":
            blocks.append(Paragraph((Span(str(node.get("raw", "")).rstrip("\n"), "code"),)))
        elif kind == "table":
            blocks.append(_table(node))
    return tuple(blocks)


def markdown_blocks_of(nodes: list[dict[str, Any]]) -> tuple[Block, ...]:
    """The blocks of an already parsed markdown tree (a quotation's children)."""
    out: list[Block] = []
    for node in nodes:
        if node.get("type") == "paragraph":
            out.append(Paragraph(tuple(_inline(node.get("children", [])))))
        elif node.get("type") == "list":
            out.append(BulletList(tuple(_items(node)), bool(node.get("attrs", {}).get("ordered", False))))
    return tuple(out)


def markdown_section(source: str) -> Section:
    """A markdown text as a section of the model."""
    return Section(markdown_blocks(source))
