"""Showing a section of the document model in a notebook: one rich output carrying its HTML
(what JupyterLab and the HTML pack show) and the model itself under
:data:`analysis.report.document.MIME_TYPE` (what the PDF and Word writers read back), the way
Vega and Plotly put their own data next to an image.

>>> from analysis.report.document import Heading, Section
>>> sorted(bundle(Section((Heading("1. Kết quả"),))))
['application/vnd.analysis.section+json', 'text/html']
"""

from __future__ import annotations

from typing import Any

from analysis.report.document import MIME_TYPE, Block, Section, to_json
from analysis.writers.html import to_html


def _section(item: Section | Block) -> Section:
    return item if isinstance(item, Section) else Section((item,))


def bundle(item: Section | Block) -> dict[str, Any]:
    """The MIME bundle of a section (or of one block)."""
    section = _section(item)
    return {"text/html": to_html(section), MIME_TYPE: to_json(section)}


def show(*items: Section | Block | None) -> None:
    """Display each section or block (``None`` and empty sections are skipped) as one output."""
    from IPython.display import display

    for item in items:
        if item is None:
            continue
        section = _section(item)
        if section.blocks:
            display(bundle(section), raw=True)
