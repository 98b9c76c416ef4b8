"""Executed notebook → HTML briefing (nbconvert) → PDF (WeasyPrint); the year's index page.

Both outputs are byte-for-byte reproducible: the HTML holds only the notebook's outputs and
the title block (no run time, no random ids: cell ids are renumbered, widget state and
scripts dropped), and the PDF carries no identifier and, as its dates, the report date.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import logging
import os
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Required, TypedDict, Unpack

from analysis.files import write_atomic
from analysis.io.controls import controls_in, describe, show_controls
from analysis.params import parse_report_date
from analysis.report.document import MIME_TYPE as SECTION_MIME

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE_NAME = "briefing"
CSS_PATH = TEMPLATES / "briefing.css"

#: MIME types an output may show in a briefing, best first. Others (widgets, scripts,
#: the build's summary record) are dropped before rendering.
SHOWN_MIMES = ("text/html", "image/png", "image/jpeg", "image/svg+xml", "text/markdown", "text/latex", "text/plain")

#: Outputs carrying a MIME type with this prefix are for the build, never shown (but a section
#: of the document model, which carries its own HTML next to it).
PRIVATE_MIME_PREFIX = "application/vnd.analysis."

#: Cells with one of these tags are not shown.
HIDDEN_TAGS = frozenset(
    {"parameters", "injected-parameters", "remove-cell", "remove_cell", "remove-output", "remove_output", "hide"}
)

#: Timestamp used when neither SOURCE_DATE_EPOCH nor a report date gives one (1980-01-01,
#: the reproducible-builds convention).
DEFAULT_EPOCH = 315532800


def source_date_epoch(report_date: Any) -> int:
    """Seconds since 1970 of the report date at 00:00 UTC (DEFAULT_EPOCH when unknown).

    >>> source_date_epoch("2024-12-04"), source_date_epoch("2024-12"), source_date_epoch(None)
    (1733270400, 1733011200, 315532800)
    """
    parsed = parse_report_date(report_date)
    if parsed is None:
        return DEFAULT_EPOCH
    y, m, d = parsed
    return int(dt.datetime(y, m or 1, d or 1, tzinfo=dt.UTC).timestamp())


@contextlib.contextmanager
def reproducible_env(epoch: int | None = None) -> Iterator[None]:
    """Fix, for the duration of the block, what would otherwise vary from run to run:
    ``SOURCE_DATE_EPOCH`` (fontTools stamps the fonts WeasyPrint subsets with "now" unless it
    is set; matplotlib uses it for SVG/PDF dates) and ``PYTHONHASHSEED`` (the order of sets
    of strings in a kernel). A kernel started inside the block inherits both. Variables
    already set by the caller are left alone.
    """
    wanted = {"SOURCE_DATE_EPOCH": str(DEFAULT_EPOCH if epoch is None else int(epoch)), "PYTHONHASHSEED": "0"}
    added = [k for k in wanted if k not in os.environ]
    os.environ.update({k: wanted[k] for k in added})
    try:
        yield
    finally:
        for k in added:
            os.environ.pop(k, None)


def format_report_date(value: Any) -> tuple[str, str | None]:
    """The report date as shown (Vietnamese order) and as a W3C date for PDF metadata.

    >>> format_report_date("2024-12-04"), format_report_date("04/12/2024")
    (('04/12/2024', '2024-12-04'), ('04/12/2024', '2024-12-04'))
    >>> format_report_date("12/2024"), format_report_date(None)
    (('tháng 12/2024', '2024-12'), ('không ghi', None))
    """
    parsed = parse_report_date(value)
    if parsed is None:
        return "không ghi", None
    y, m, d = parsed
    if d is not None:
        return f"{d:02d}/{m:02d}/{y}", f"{y:04d}-{m:02d}-{d:02d}"
    if m is not None:
        return f"tháng {m}/{y}", f"{y:04d}-{m:02d}"
    return f"năm {y}", f"{y:04d}"


def briefing_cells(nb: Any, *, title: str | None = None, mimes: Sequence[str] = SHOWN_MIMES) -> Any:
    """A copy of ``nb`` holding only what a briefing shows.

    A first markdown heading equal to ``title`` goes too (the title block shows it).
    Hidden-tagged cells, code cells left without outputs, stderr streams, error outputs,
    outputs for the build (:data:`PRIVATE_MIME_PREFIX`) and MIME types outside ``mimes``
    (default :data:`SHOWN_MIMES`) go; cell ids are renumbered; notebook
    metadata (papermill timings, widget state) is dropped.
    """
    nb = copy.deepcopy(nb)
    kept = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & HIDDEN_TAGS or cell.cell_type == "raw":
            continue
        if cell.cell_type == "code":
            outputs = []
            for out in cell.get("outputs", []):
                if out.output_type == "stream" and out.name != "stdout":
                    continue
                if out.output_type == "error":
                    continue
                if out.output_type in ("display_data", "execute_result"):
                    if any(k.startswith(PRIVATE_MIME_PREFIX) and k != SECTION_MIME for k in out.data):
                        continue  # facts recorded for the build (analysis.report.summary.record)
                    data = {k: v for k, v in out.data.items() if k in mimes}
                    if not data:
                        continue
                    out.data = data
                    out.metadata = {k: v for k, v in out.get("metadata", {}).items() if k in mimes}
                outputs.append(out)
            if not outputs:
                continue
            cell.outputs = outputs
            cell.execution_count = None
        cell.metadata = {}
        kept.append(cell)
    if title and kept and kept[0].cell_type == "markdown":
        first, _, rest = kept[0].source.lstrip().partition("\n")
        if first.lstrip("#").strip().casefold() == title.strip().casefold() and first.startswith("#"):
            kept[0].source = rest.strip()
            if not kept[0].source:
                kept.pop(0)
    for i, cell in enumerate(kept, start=1):
        cell["id"] = f"c{i}"
    nb.cells = kept
    nb.metadata = {"language_info": {"name": "python"}}
    return nb


class BriefingFacts(TypedDict, total=False):
    """The title block's facts, as a briefing's renderers take them (HTML and Typst alike):
    ``title``, ``unit`` and ``year`` are required; ``unit_name`` defaults to the unit's id,
    ``kicker`` to "Báo cáo tóm tắt"; ``report_date`` is formatted by :func:`format_report_date`;
    ``headline`` is set under the title block unless an output already shows it;
    ``illustrative`` puts a warning on every page."""

    title: Required[str]
    unit: Required[str]
    year: Required[int]
    unit_name: str | None
    report_date: Any
    sources: Sequence[str]
    headline: str | None
    kicker: str
    illustrative: bool


def briefing_resources(shown: Any, **facts: Unpack[BriefingFacts]) -> dict[str, Any]:
    """The title block both briefing templates (HTML, Typst) read: title, unit, year, report
    date, sources, and the headline unless the ``shown`` cells already show it."""
    unknown = sorted(set(facts) - set(BriefingFacts.__annotations__))
    if unknown:  # as a misspelled keyword argument would be
        raise TypeError(f"briefing facts: unexpected {', '.join(unknown)}")
    date_text, date_iso = format_report_date(facts.get("report_date"))
    headline = facts.get("headline")
    return {
        "metadata": {"name": facts["title"]},
        "briefing": {
            "title": facts["title"],
            "unit": facts["unit"],
            "unit_name": facts.get("unit_name") or facts["unit"],
            "year": int(facts["year"]),
            "date_text": date_text,
            "date_iso": date_iso,
            "sources": list(facts.get("sources", ())),
            "headline": None if headline and _shows(shown, headline) else headline,
            "kicker": facts.get("kicker", "Báo cáo tóm tắt"),
            "illustrative": facts.get("illustrative", False),
        },
    }


def notebook_to_html(nb: Any, **facts: Unpack[BriefingFacts]) -> str:
    """Render an executed notebook as a standalone HTML briefing (code hidden), under the
    title block of ``facts`` (:class:`BriefingFacts`). The text is NFC-normalised."""
    shown = briefing_cells(nb, title=facts["title"])
    resources = briefing_resources(shown, **facts)
    resources["briefing"]["css"] = stylesheet()
    body, _ = html_exporter().from_notebook_node(shown, resources=resources)
    return _tidy(body)


_local = threading.local()


def _briefing_exporter_class() -> type:
    """nbconvert's ``HTMLExporter`` without its last pass: after rendering the template it parses
    the page again with BeautifulSoup to give images without one an (English) alternative text
    and JupyterLab's cells a ``tabindex``, then writes the page out again — a third of the HTML's
    time, for nothing in a briefing, whose template writes no JupyterLab cell and gives every
    image a Vietnamese alternative text. The filters it registers first are kept."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class BriefingHTMLExporter(HTMLExporter):
        def from_notebook_node(  # type: ignore[override]  # as HTMLExporter's: the page as text
            self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
        ) -> tuple[str, dict[str, Any]]:
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            self.register_filter("highlight_code", highlight)  # type: ignore[no-untyped-call]  # nbconvert
            resources = self._init_resources(resources)  # type: ignore[no-untyped-call]  # nbconvert
            data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources)
            self.register_filter("filter_data_type", data_type)  # type: ignore[no-untyped-call]  # nbconvert
            page, out = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return str(page), out

    return BriefingHTMLExporter


def html_exporter() -> Any:
    """The briefing's nbconvert ``HTMLExporter``, created (template loaded) once per thread."""
    exporter = getattr(_local, "exporter", None)
    if exporter is None:
        exporter = _local.exporter = _briefing_exporter_class()(
            template_name=TEMPLATE_NAME, sanitize_html=False, **EXPORTER_OPTIONS
        )
    return exporter


#: What both briefing exporters (HTML here, Typst in :mod:`analysis.build.typst_export`) are
#: given: the project's templates, the outputs only (no code, prompts, raw or unknown cells),
#: the notebook validated once, after every preprocessor.
EXPORTER_OPTIONS: dict[str, Any] = {
    "extra_template_basedirs": [str(TEMPLATES)],
    "exclude_input": True,
    "exclude_input_prompt": True,
    "exclude_output_prompt": True,
    "exclude_raw": True,
    "exclude_unknown": True,
    "optimistic_validation": True,
}


def index_to_html(
    year: int,
    packs: Iterable[Mapping[str, Any]],
    *,
    units: Iterable[Mapping[str, Any]] = (),
    codes: Mapping[str, str] | None = None,
) -> str:
    """The year's index page: the packs grouped by level (:func:`analysis.build.index.group_packs`),
    with each group's totals, one row per pack (unit, title, headline or error, links).

    Each pack: ``unit``, ``unit_name``, ``level``, ``title``, ``headline``, ``failed``,
    ``error``, ``illustrative``, ``counts``, ``members`` and the links ``html``, ``pdf``,
    ``ipynb`` relative to the index (empty when missing). ``units``: the run's units (those
    never built are named); ``codes``: official codes by unit id (for units without a pack).
    """
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=False, keep_trailing_newline=True
    )
    from analysis.build.index import group_packs

    packs = list(packs)
    groups = group_packs(packs, units=units, codes=codes, year=int(year))
    text = env.get_template("index.html.j2").render(
        year=int(year),
        packs=packs,
        groups=groups,
        missing=sum(len(g["missing"]) for g in groups),
        failed=sum(bool(p.get("failed")) for p in packs),
        css=stylesheet(),
    )
    return _tidy(text)


def html_to_pdf(html: str, out_path: Path | str, *, base_url: str | None = None) -> None:
    """Print ``html`` to an A4 PDF at ``out_path`` (atomically) with WeasyPrint.

    The text is set in the fonts shipped with the package (:mod:`analysis.build.typefaces`),
    embedded as subsets. No PDF identifier is written, the only dates are those
    of the page's ``dcterms.created`` / ``dcterms.modified`` (the report date) and the
    fonts' timestamps come from :func:`reproducible_env`, so the same HTML always gives
    the same bytes.
    """
    from analysis.build.typefaces import pdf_stylesheets

    stylesheets, font_config = pdf_stylesheets()  # imports WeasyPrint first
    from weasyprint import HTML

    fast_font_subsetting()
    with reproducible_env():
        pdf = HTML(string=html, base_url=base_url).write_pdf(
            stylesheets=stylesheets, font_config=font_config, pdf_identifier=None
        )
    write_atomic(out_path, pdf)


def warm_up() -> None:
    """Load, once per process, what every pack's rendering needs: the nbconvert exporter and
    its template, WeasyPrint with the stylesheet's fonts (a one-line page is printed)."""
    import io

    from analysis.build.typefaces import pdf_stylesheets

    stylesheets, font_config = pdf_stylesheets()  # imports WeasyPrint first
    from weasyprint import HTML

    html_exporter().from_notebook_node(
        briefing_cells(_empty_notebook()),
        resources={
            "metadata": {"name": "warm-up"},
            "briefing": {
                "title": "",
                "unit": "",
                "unit_name": "",
                "year": 0,
                "date_text": "",
                "date_iso": None,
                "sources": [],
                "headline": None,
                "kicker": "",
                "css": stylesheet(),
                "illustrative": False,
            },
        },
    )
    fast_font_subsetting()
    with reproducible_env():
        HTML(string=f"<style>{stylesheet()}</style><h1>Đội Cấn</h1><p>Nhất Hòa <b>0,5%</b></p>").write_pdf(
            io.BytesIO(), stylesheets=stylesheets, font_config=font_config, pdf_identifier=None
        )


def _empty_notebook() -> Any:
    from nbformat.v4 import new_markdown_cell, new_notebook

    return new_notebook(cells=[new_markdown_cell("Đội Cấn")])


_subset_lock = threading.Lock()

# What WeasyPrint's HarfBuzz subsetting drops (weasyprint.pdf.fonts.Font._harfbuzz_subset).
_DROPPED_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")


def fast_font_subsetting() -> bool:
    """Subset the PDF's fonts with HarfBuzz (the ``uharfbuzz`` wheel) where WeasyPrint would
    fall back to fontTools; idempotent. Returns whether HarfBuzz is in use.

    WeasyPrint subsets each font of a PDF with the system's HarfBuzz-Subset library and,
    without it, with fontTools — which takes most of the time of a briefing's PDF (the DejaVu
    fonts are large). The replacement does what WeasyPrint's own HarfBuzz path does, same
    glyph ids and flags, through uharfbuzz, and falls back to fontTools on any error. The
    bytes are reproducible for a given uharfbuzz version (recorded in the manifest).
    """
    with _subset_lock:
        try:
            import uharfbuzz  # noqa: F401
            from weasyprint.pdf.fonts import Font
        except ImportError:
            return False
        current = getattr(Font, "_fonttools_subset", None)
        if current is None:
            return False
        if getattr(current, "_uses_harfbuzz", False):
            return True

        def subset_with_harfbuzz(font: Any, to_unicode: Any, hinting: bool) -> None:
            try:
                data = _harfbuzz_subset(
                    font.file_content,
                    font.index,
                    sorted(to_unicode),
                    hinting=hinting,
                    notdef_outline=bool(font.missing),
                )
            except Exception:
                data = None
            if data:
                font.file_content = data
            else:
                current(font, to_unicode, hinting)

        subset_with_harfbuzz._uses_harfbuzz = True  # type: ignore[attr-defined]
        subset_with_harfbuzz._original = current  # type: ignore[attr-defined]
        Font._fonttools_subset = subset_with_harfbuzz
        return True


def _harfbuzz_subset(
    data: bytes, index: int, gids: Sequence[int], *, hinting: bool, notdef_outline: bool
) -> bytes | None:
    """The font ``data`` (face ``index``) cut down to ``gids`` as WeasyPrint's HarfBuzz path
    does: glyph ids kept, useless tables dropped, then the empty glyphs after the last one
    used removed (None when HarfBuzz fails)."""
    import uharfbuzz as hb

    flags = hb.SubsetFlags
    face = hb.Face(hb.Blob(data), index)
    todo = hb.SubsetInput()
    todo.glyph_set.update(gids)
    todo.drop_table_tag_set.update(int.from_bytes(tag, "big") for tag in _DROPPED_TABLES)
    extra = flags.NOTDEF_OUTLINE if notdef_outline else flags(0)
    todo.flags = flags.RETAIN_GIDS | flags.PASSTHROUGH_UNRECOGNIZED | flags.DESUBROUTINIZE | extra
    kept = hb.subset(face, todo)
    if kept is None or not gids:
        return None
    todo.glyph_set.update(range(max(gids) + 1))
    todo.flags = (
        flags.PASSTHROUGH_UNRECOGNIZED | flags.DESUBROUTINIZE | extra | (flags(0) if hinting else flags.NO_HINTING)
    )
    cut = hb.subset(kept, todo)
    return bytes(cut.blob.data) if cut is not None else None


def _shows(nb: Any, text: str) -> bool:
    """Whether an output of ``nb`` already shows ``text`` (as printed text or HTML)."""
    import html as html_lib

    wanted = {text, html_lib.escape(text, quote=False), html_lib.escape(text)}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            values = [out.get("text", "")] + [
                v for k, v in out.get("data", {}).items() if k in ("text/html", "text/plain", "text/markdown")
            ]
            if any(w in str(v) for v in values for w in wanted):
                return True
    return False


def stylesheet() -> str:
    """The CSS shared by briefings and the index."""
    return CSS_PATH.read_text(encoding="utf-8")


def _tidy(text: str) -> str:
    """NFC text (so "Đội Cấn" is one code point per letter everywhere), one final newline,
    invisible control characters written out (``[U+202E]``: :mod:`analysis.io.controls`), so
    none reverses or hides text in a briefing; each is logged as a warning."""
    if found := controls_in(text):
        log.warning("invisible control character(s) shown as [U+....] in a briefing: %s", describe(found))
        text = show_controls(text)
    return unicodedata.normalize("NFC", text).rstrip("\n") + "\n"
