"""HTML tables of the packs and the cells they hold: numbers, words, status badges, checks.

Tables are written here rather than with ``DataFrame.style`` so that the HTML is
deterministic (no random ids) and carries the classes the pack's CSS styles: every cell is
``<td class="c-<key>">``, numbers are ``<span class="n">`` (kept on one line), status words
carry one of :data:`STATUS_CLASS`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from analysis.io.numbers import format_compact
from analysis.io.schema import Status

STATUS_CLASS = {
    Status.EXCEEDED.value: "st-exceeded",
    Status.EXPECTED_EXCEEDED.value: "st-exceeded",
    Status.ACHIEVED.value: "st-achieved",
    Status.EXPECTED.value: "st-expected",
    Status.NOT_ACHIEVED.value: "st-missed",
    Status.EXPECTED_NOT_ACHIEVED.value: "st-missed",
    Status.UNKNOWN.value: "st-unknown",
}


def cell_num(value: Any, decimals: int = 2, *, percent: bool = False) -> str:
    """A number for a table cell: kept on one line.

    >>> cell_num(1206.64)
    '<span class="n">1.206,64</span>'
    """
    text = num(value, decimals, percent=percent)
    return f'<span class="n">{text}</span>' if text else ""


def words(text: Any) -> str:
    """Words in a figure column (a plan written in words), in a smaller wrapping block."""
    return f'<span class="words">{esc(text)}</span>' if esc(text) else ""


def num(value: Any, decimals: int = 2, *, percent: bool = False) -> str:
    """A Vietnamese number with at most ``decimals`` decimals (trailing zeros dropped); '' if missing.

    >>> num(114.9), num(2.364, 2, percent=True), num(float("nan"))
    ('114,9', '2,36%', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return format_compact(float(value), decimals) + ("%" if percent else "")


def esc(value: Any) -> str:
    """HTML-escaped text; missing values become ''."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value))


def status_badge(status: str) -> str:
    """A coloured status word."""
    return f'<span class="status {STATUS_CLASS.get(status, "st-unknown")}">{esc(status)}</span>'


def check_mark(value: Any) -> str:
    """✓ for True, ✗ for False, nothing when not checked."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return '<span class="ok">✓</span>' if bool(value) else '<span class="bad">✗</span>'


def html_table(
    df: pd.DataFrame,
    columns: Mapping[str, tuple[str, Callable[[pd.Series], str]]],
    *,
    caption: str = "",
    css_class: str = "data",
) -> str:
    """An HTML table: ``columns`` maps a key to (header, cell function of the row).

    Cell functions return HTML (escape text with :func:`esc`).
    """
    head = "".join(f"<th>{esc(h)}</th>" for h, _ in columns.values())
    body = "\n".join(
        "<tr>" + "".join(f'<td class="c-{key}">{fn(row)}</td>' for key, (_, fn) in columns.items()) + "</tr>"
        for _, row in df.iterrows()
    )
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<table class="{css_class}">{cap}<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table>'
