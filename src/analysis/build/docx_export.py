"""An executed notebook's briefing as a Word document (:mod:`analysis.writers.docx`): the same
cells as the HTML page and the PDF (:func:`analysis.build.render.briefing_cells`), each output's
document model (:data:`analysis.report.document.MIME_TYPE`) as it is, markdown cells through the
same model, charts as PNG (an SVG chart rasterised by Typst with the package's own fonts)."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Unpack

from analysis.build.render import BriefingFacts, briefing_cells, briefing_resources
from analysis.files import write_atomic
from analysis.report.document import MIME_TYPE, Block, Figure, Paragraph, Section, from_json, text
from analysis.report.markdown import markdown_section
from analysis.writers.docx import FIGURE_MM, DocxFacts, to_docx
from analysis.writers.typst import string

#: What a Word briefing shows of an output, the first of these it has.
DOCX_MIMES = (MIME_TYPE, "image/png", "image/svg+xml", "text/markdown", "text/plain")
#: Pixels per inch of a rasterised chart.
CHART_PPI = 200


def svg_to_png(svg: str, width_mm: float = FIGURE_MM) -> bytes:
    """An SVG chart as a PNG of ``width_mm`` at :data:`CHART_PPI` (Typst, the package's fonts)."""
    from analysis.build.typst_export import compiler

    source = (
        "#set page(width: auto, height: auto, margin: 0pt, fill: white)\n"
        f'#image(bytes({string(svg)}), format: "svg", width: {width_mm}mm)\n'
    )
    return bytes(compiler().compile(source.encode("utf-8"), format="png", ppi=CHART_PPI))


def _blocks(shown: Any) -> Iterator[Section | Block]:
    for cell in shown.cells:
        if cell.cell_type == "markdown":
            yield markdown_section(cell.source)
            continue
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                yield Paragraph(text(out.text.rstrip("\n"), "code"))
                continue
            data = out.get("data", {})
            kind = next((m for m in DOCX_MIMES if m in data), None)
            if kind == MIME_TYPE:
                yield from_json(data[MIME_TYPE])
            elif kind == "image/png":
                yield Figure("", base64.b64decode(data["image/png"]))
            elif kind == "image/svg+xml":
                yield Figure(str(data["image/svg+xml"]))
            elif kind == "text/markdown":
                yield markdown_section(data["text/markdown"])
            elif kind == "text/plain":
                yield Paragraph(text(str(data["text/plain"]), "code"))


def notebook_to_docx(nb: Any, out_path: Path | str | None = None, **facts: Unpack[BriefingFacts]) -> bytes:
    """The Word briefing of an executed notebook under the title block of ``facts`` (written
    atomically to ``out_path`` when given); its bytes."""
    shown = briefing_cells(nb, title=facts["title"], mimes=DOCX_MIMES)
    b = briefing_resources(shown, **facts)["briefing"]
    iso = b.get("date_iso")
    date = dt.date.fromisoformat(iso) if iso and len(iso) == 10 else None
    year_month = (int(iso[:4]), int(iso[5:7])) if iso and len(iso) == 7 else None  # "2024-12"
    meta = DocxFacts(
        title=b["title"],
        unit_name=b["unit_name"],
        year=b["year"],
        kicker=b["kicker"],
        date=date,
        year_month=year_month,
        headline=b["headline"],
        sources=tuple(b["sources"]),
        illustrative=bool(b["illustrative"]),
    )
    data = to_docx(_blocks(shown), meta, png=lambda f: svg_to_png(f.svg, f.width_mm or FIGURE_MM) if f.svg else b"")
    if out_path is not None:
        write_atomic(out_path, data)
    return data
