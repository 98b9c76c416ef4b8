"""Executed notebook → Typst source (an nbconvert exporter) → PDF (the ``typst`` compiler, in
process): the briefing's PDF in tens of milliseconds where WeasyPrint takes a second.

:class:`TypstExporter` works as nbconvert's LaTeX exporter does: a template of its own
(``templates/typst/index.typ.j2``, with the page, title block and styles in
``templates/typst/briefing.typ``) and filters that write each output as Typst
(:mod:`analysis.writers.typst`): a section of the document model from the JSON the output
carries (:data:`analysis.report.document.MIME_TYPE`), markdown cells through the same model
(:mod:`analysis.report.markdown`), charts as SVG, ``text/x-typst`` outputs as they are; HTML is
never read. The same cells are shown as in the HTML page
(:func:`analysis.build.render.briefing_cells`).

The PDF is reproducible: fonts come from :data:`analysis.fonts.FONTS_DIR` only (not the system's), the
creation date is the report date (``SOURCE_DATE_EPOCH`` of the pack), and Typst writes no
random identifier — the same notebook gives the same bytes.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Unpack

from analysis.build.render import (
    DEFAULT_EPOCH,
    EXPORTER_OPTIONS,
    SHOWN_MIMES,
    BriefingFacts,
    _tidy,
    briefing_cells,
    briefing_resources,
)
from analysis.files import write_atomic
from analysis.fonts import FONTS_DIR
from analysis.report.document import MIME_TYPE, from_json
from analysis.report.markdown import markdown_section
from analysis.writers.typst import base64_image, image_bytes, plain_text, string, strings, to_typst

#: MIME type of an output written in Typst (shown as it is in the PDF, not in the HTML page).
TYPST_MIME = "text/x-typst"
#: What a PDF shows of an output, best first (HTML never: an output without the model shows its text).
TYPST_PRIORITY = (
    MIME_TYPE,
    TYPST_MIME,
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/markdown",
    "text/latex",
    "text/plain",
)


_local = threading.local()


def typst_exporter() -> Any:
    """The briefing's Typst exporter, created (template loaded) once per thread."""
    exporter = getattr(_local, "exporter", None)
    if exporter is None:
        from nbconvert.exporters import TemplateExporter
        from traitlets.config import Config

        class TypstExporter(TemplateExporter):
            """Notebook → Typst source of the briefing (code hidden)."""

            export_from_notebook = "Typst"
            output_mimetype = TYPST_MIME

            def _file_extension_default(self) -> str:
                return ".typ"

            def _template_name_default(self) -> str:
                return "typst"

            def default_filters(self) -> Any:
                yield from super().default_filters()  # type: ignore[no-untyped-call]  # nbconvert: no types
                yield from FILTERS.items()

        config = Config({"NbConvertBase": {"display_data_priority": list(TYPST_PRIORITY)}})
        exporter = _local.exporter = TypstExporter(config=config, **EXPORTER_OPTIONS)  # type: ignore[no-untyped-call]  # nbconvert: no types
    return exporter


FILTERS = {
    "typst_string": string,
    "typst_strings": lambda items: strings([str(i) for i in items]),
    "model2typst": lambda data: to_typst(from_json(data)),
    "markdown2typst": lambda source: to_typst(markdown_section(source)),
    "text2typst": plain_text,
    "svg2typst": lambda svg: image_bytes(svg.encode("utf-8"), "svg"),
    "png2typst": lambda data: base64_image(data, "png"),
    "jpg2typst": lambda data: base64_image(data, "jpg"),
}


def notebook_to_typst(nb: Any, **facts: Unpack[BriefingFacts]) -> str:
    """The Typst source of the briefing of an executed notebook: the same title block
    (:class:`analysis.build.render.BriefingFacts`) and cells as
    :func:`analysis.build.render.notebook_to_html`."""
    shown = briefing_cells(nb, title=facts["title"], mimes=(MIME_TYPE, *SHOWN_MIMES, TYPST_MIME))
    resources = briefing_resources(shown, **facts)
    body, _ = typst_exporter().from_notebook_node(shown, resources=resources)
    return _tidy(body)


def compiler() -> Any:
    """This process's Typst compiler, with the fonts of :data:`analysis.fonts.FONTS_DIR` loaded once."""
    found = getattr(_local, "compiler", None)
    if found is None:
        import typst

        fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(FONTS_DIR)])
        found = _local.compiler = typst.Compiler(font_paths=fonts, ignore_system_fonts=True)
    return found


def typst_to_pdf(source: str, out_path: Path | str | None = None, *, epoch: int | None = None) -> bytes:
    """Compile ``source`` to an A4 PDF (written atomically to ``out_path`` when given); return
    its bytes. ``epoch`` (default ``SOURCE_DATE_EPOCH``, else 1980-01-01) is the PDF's date."""
    import typst

    if epoch is None:
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or DEFAULT_EPOCH)
    try:
        pdf = compiler().compile(source.encode("utf-8"), format="pdf", timestamp=int(epoch))
    except typst.TypstError as exc:
        raise TypstCompileError(str(getattr(exc, "message", exc)), getattr(exc, "diagnostic", "")) from None
    if out_path is not None:
        write_atomic(out_path, pdf)
    return bytes(pdf)


class TypstCompileError(RuntimeError):
    """Typst could not compile a briefing's source (the message and Typst's diagnostic)."""

    def __init__(self, message: str, diagnostic: str = "") -> None:
        super().__init__(message + (f"\n{diagnostic}" if diagnostic else ""))
        self.message, self.diagnostic = message, diagnostic

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.diagnostic))


def _sample_section() -> Any:
    """What a pack shows, in small: warms up the templates and the fonts a pack uses."""
    from analysis.report.document import Column, Heading, Row, Section, Span, Table, cell

    row = Row(
        (cell((Span("1"),)), cell((Span("Nhất Hòa", "strong"), Span(" "), Span("Không đạt", "status", "Không đạt"))))
    )
    return Section(
        (Heading("Đội Cấn"), Table((Column("tt", "TT", "stt"), Column("indicator", "Chỉ tiêu", "name")), (row,)))
    )


_SAMPLE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" font-family="DejaVu Sans">'
    '<rect width="20" height="10" fill="#c62828"/><text x="0" y="18" font-size="9">Đội Cấn</text></svg>'
)


def warm_up() -> None:
    """Load, once per process, the HTML and Typst exporters and their templates, and the
    compiler and the fonts a pack uses (a small pack is written and compiled)."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    from analysis.build.render import notebook_to_html
    from analysis.writers.notebook import bundle

    nb = new_notebook(
        cells=[
            new_markdown_cell("Đội Cấn **0,5%** *Nhất Hòa*"),
            new_code_cell(
                "",
                outputs=[
                    new_output("display_data", data=bundle(_sample_section())),
                    new_output("display_data", data={"image/svg+xml": _SAMPLE_SVG}),
                ],
            ),
        ]
    )
    facts: dict[str, Any] = dict(title="Nhất Hòa", unit="", year=0, headline="Đội Cấn", illustrative=True)
    notebook_to_html(nb, **facts)
    typst_to_pdf(notebook_to_typst(nb, **facts))
