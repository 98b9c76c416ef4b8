"""The floor of the benchmark: a pack's analysis, charts, HTML, PDF and Word with no notebook or kernel.

For one unit and notebook, :func:`render_pack_direct` calls what the notebook's cells call —
``analysis.report.communes_context.commune_context`` / ``analysis.report.context.unit_context``, the
``analysis.report.*_present`` tables, the ``analysis.report.charts`` charts (SVG) — and lays the
outputs out as the build's briefing template does (title block, the pack's CSS from
``analysis.build.render.stylesheet()``), then makes the PDF by the build's default route: the
same outputs written as Typst and compiled (``analysis.build.typst_export``; ``pdf="weasyprint"``:
the page printed by ``analysis.build.render.html_to_pdf``), and the Word document by the build's
``analysis.build.docx_export``. No analysis happens here: each ``_page_*`` function only
assembles what the cells of its notebook display, in the same order; the prose (markdown
cells) is read from the notebook file. It is the cost of the work itself, one process,
nothing started per unit.

    python benchmarks/floor.py --year 2024 --unit bac-son-tan-thanh --out /tmp/floor
"""

from __future__ import annotations

import argparse
import html as html_lib
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.build.docx_export import notebook_to_docx
from analysis.build.render import format_report_date, html_to_pdf, reproducible_env, source_date_epoch, stylesheet
from analysis.build.typst_export import notebook_to_typst, typst_to_pdf
from analysis.files import write_atomic
from analysis.report import (
    briefing_present,
    charts,
    commune_present,
    history_present,
    predecessors_present,
    present,
    task_present,
)
from analysis.report.cells import figure, heading, para
from analysis.report.document import MIME_TYPE, Section
from analysis.writers.notebook import bundle

#: The notebooks of a level when none is named (as in ``params/<year>/units.yaml``).
DEFAULT_NOTEBOOKS = {
    "district": ("00_briefing",),
    "province": ("60_rollup",),
    "commune": ("50_commune_pack",),
    "town": ("50_commune_pack",),
}

# Mirrors the illustrative block of src/analysis/templates/briefing/index.html.j2.
ILLUSTRATIVE_CSS = """
@page { @top-right { content: "SỐ LIỆU MINH HỌA · không phải số liệu chính thức"; font: bold 8pt "DejaVu Sans", sans-serif; color: #b71c1c; } }
@page :first { @top-right { content: "SỐ LIỆU MINH HỌA · không phải số liệu chính thức"; font: bold 8pt "DejaVu Sans", sans-serif; color: #b71c1c; } }
.illustrative-ribbon { border: 1.5pt solid #b71c1c; color: #b71c1c; font-weight: bold; padding: 0.3em 0.6em; }"""

#: Seconds spent so far in each step (``analysis`` = contexts and tables, ``charts``, ``html``,
#: ``pdf``, ``docx``), summed over every pack rendered in this process; :func:`reset_seconds` clears it.
SECONDS: defaultdict[str, float] = defaultdict(float)


def reset_seconds() -> None:
    SECONDS.clear()


@dataclass
class Page:
    """What a pack shows: the facts a notebook records for the build, and its cells' outputs."""

    title: str
    unit_name: str
    sources: list[str]
    report_date: str | None
    headline: str | None
    illustrative: bool = False
    cells: list[Shown] = field(default_factory=list)  # one per shown cell


# -- what each notebook's cells display ---------------------------------------------------


def _page_commune_pack(unit: str, year: int, data_dir: Path | None, title: str, md: list[str]) -> Page:
    from analysis.report.communes_context import commune_context

    ctx = commune_context(unit, year, data_dir=data_dir)
    return Page(
        title,
        ctx.full_name,
        ctx.sources,
        ctx.data_date,
        ctx.headline_text,
        True,
        [
            _markdown(md[0]),
            _outputs(
                _html(heading("1. Số liệu của xã (minh họa)")),
                _html(present.evaluated_table(ctx.evaluated)),
                *([_html(remarks)] if (remarks := present.remarks_list(ctx.evaluated)).blocks else []),
                *([_html(before)] if (before := predecessors_present.predecessors_section(ctx)).blocks else []),
                *([_html(history)] if (history := history_present.carried_history_section(ctx)).blocks else []),
            ),
            _outputs(
                _html(heading(f"2. Sự kiện và nhiệm vụ trọng tâm của {ctx.area} liên quan tới xã")),
                _html(commune_present.facts_table(ctx.facts, area=ctx.area)),
            ),
            _outputs(
                _html(heading(f"3. So sánh với các xã trong {ctx.area} (minh họa)")),
                *(
                    [
                        _html(commune_present.standing_table(ctx.standing, area=ctx.area)),
                        *(
                            _chart(charts.communes_chart, ctx.comparison, i, unit, area=ctx.area)
                            for i in ctx.chart_indicators
                        ),
                    ]
                    if ctx.has_results
                    else [_html(para(f"Chưa có kết quả năm {year} của các xã trong {ctx.area} để so sánh."))]
                ),
            ),
            _outputs(
                _html(heading("Phụ lục: kiểm tra số liệu công bố (minh họa)")),
                _html(
                    briefing_present.audit_table(ctx.audit_findings)
                    if not ctx.audit_findings.empty
                    else para("Các tỷ lệ công bố đều khớp với giá trị tính lại.")
                ),
            ),
        ],
    )


def _page_briefing(unit: str, year: int, data_dir: Path | None, title: str, md: list[str]) -> Page:
    ctx = _unit_context(unit, year, data_dir)
    cells = [_markdown(md[0]), _outputs(_html(briefing_present.briefing_summary(ctx)))]
    if ctx.has_indicators:
        cells.append(
            _outputs(
                _html(heading("1. Kết quả thực hiện các chỉ tiêu Nghị quyết")),
                _html(present.evaluated_table(ctx.evaluated)),
                _html(present.remarks_list(ctx.evaluated)),
                _chart(charts.attainment_chart, ctx.evaluated),
            )
        )
        cells.append(
            _outputs(
                _html(heading(f"2. Khoảng cách tới mục tiêu năm {ctx.term_end}")),
                _html(present.gaps_table(ctx.gaps)),
                _chart(_gap_chart(ctx.term_end), ctx.gaps),
            )
        )
    if ctx.has_tasks:
        cells.append(
            _outputs(
                _html(heading(f"{3 if ctx.has_indicators else 1}. Nhiệm vụ trọng tâm năm {year}")),
                _html(task_present.tasks_table(ctx.tasks)),
                _html(task_present.subtargets_table(ctx.subtargets)),
            )
        )
    if not ctx.next_year_tasks.empty:
        cells.append(
            _outputs(
                _html(heading(f"Nhiệm vụ trọng tâm đề xuất năm {year + 1}")),
                _html(task_present.proposed_tasks_list(ctx.next_year_tasks)),
            )
        )
    cells.append(_outputs(_html(briefing_present.audit_appendix(ctx))))
    return Page(title, ctx.name, ctx.sources, ctx.data_date, briefing_present.briefing_headline(ctx), False, cells)


def _page_attainment(unit: str, year: int, data_dir: Path | None, title: str, md: list[str]) -> Page:
    ctx = _unit_context(unit, year, data_dir)
    sentence = ctx.headline.sentence
    return Page(
        title,
        ctx.name,
        ctx.sources,
        ctx.data_date,
        sentence,
        False,
        [
            _markdown(md[0]),
            _outputs(_html(para(sentence, role="lead"))),
            _markdown(md[1]),
            _outputs(_html(present.evaluated_table(ctx.evaluated))),
            _outputs(_html(present.remarks_list(ctx.evaluated))),
            _markdown(md[2]),
            _outputs(_chart(charts.attainment_chart, ctx.evaluated)),
        ],
    )


def _page_trend(unit: str, year: int, data_dir: Path | None, title: str, md: list[str]) -> Page:
    ctx = _unit_context(unit, year, data_dir)
    return Page(
        title,
        ctx.name,
        ctx.sources,
        ctx.data_date,
        ctx.headline.sentence,
        False,
        [
            _markdown(md[0]),
            _outputs(_chart(charts.trend_chart, ctx.curated.observations, ctx.evaluated)),
            _markdown(md[1]),
            _outputs(_html(present.trend_table(ctx.evaluated))),
        ],
    )


def _page_gap(unit: str, year: int, data_dir: Path | None, title: str, md: list[str]) -> Page:
    ctx = _unit_context(unit, year, data_dir)
    sentence = present.gaps_headline(ctx.gaps)
    return Page(
        f"Khoảng cách tới mục tiêu Nghị quyết Đại hội (đến năm {ctx.term_end})",
        ctx.name,
        ctx.sources,
        ctx.data_date,
        sentence,
        False,
        [
            _markdown(md[0]),
            _outputs(_html(para(sentence, role="lead"))),
            _outputs(_html(present.gaps_table(ctx.gaps))),
            _markdown(md[1]),
            _outputs(_chart(_gap_chart(ctx.term_end), ctx.gaps)),
        ],
    )


def _page_key_tasks(unit: str, year: int, data_dir: Path | None, title: str, md: list[str]) -> Page:
    ctx = _unit_context(unit, year, data_dir)
    sentence = task_present.tasks_headline(ctx.tasks, ctx.task_findings)
    return Page(
        title,
        ctx.name,
        ctx.sources,
        ctx.data_date,
        sentence,
        False,
        [
            _markdown(md[0]),
            _outputs(_html(para(sentence, role="lead"))),
            _outputs(_html(task_present.tasks_table(ctx.tasks))),
            _outputs(_chart(charts.scores_chart, ctx.tasks, ctx.score_bands)),
            _markdown(md[1]),
            _outputs(_html(task_present.subtargets_table(ctx.subtargets))),
            _markdown(md[2]),
            _outputs(_html(task_present.task_findings_table(ctx.task_findings))),
        ],
    )


def _page_rollup(unit: str, year: int, data_dir: Path | None, title: str, md: list[str]) -> Page:
    from analysis.report import rollup_present
    from analysis.report.rollup_charts import summary_chart
    from analysis.report.rollup_context import rollup_context

    ctx = rollup_context(unit, year, data_dir=data_dir)
    mark = " (minh họa)" if ctx.illustrative else ""
    return Page(
        title,
        ctx.full_name,
        ctx.sources,
        ctx.data_date,
        ctx.headline_text,
        ctx.illustrative,
        [
            _markdown(md[0]),
            _outputs(
                _html(heading(f"1. Kết quả từng chỉ tiêu của các {ctx.kinds} năm {year}{mark}")),
                _html(rollup_present.summary_table(ctx.summary, ctx.kinds)),
                _html(rollup_present.missing_note(ctx.without_figures, year)),
                *(
                    [_chart(lambda s: summary_chart(s, illustrative=ctx.illustrative, kinds=ctx.kinds), ctx.summary)]
                    if ctx.has_results
                    else []
                ),
            ),
            _outputs(
                _html(heading(f"2. Bản đồ đánh giá: {ctx.kinds} × chỉ tiêu{mark}")),
                _html(rollup_present.status_map(ctx.matrix, ctx.summary, ctx.district_names, ctx.kinds)),
                _html(rollup_present.map_legend(ctx.summary)),
            ),
            _outputs(
                _html(heading(f"3. Các {ctx.kinds} cách xa kế hoạch nhất{mark}")),
                _html(rollup_present.furthest_note()),
                _html(rollup_present.furthest_table(ctx.furthest(10), ctx.district_names, ctx.kinds)),
            ),
            _outputs(
                _html(heading("4. Đơn vị có số liệu công bố không khớp khi tính lại")),
                _html(rollup_present.slips_table(ctx.slips, ctx.district_names)),
            ),
        ],
    )


def _gap_chart(term_end: int) -> Callable[..., Any]:
    """The gap chart titled with the term's final year, as the notebooks draw it."""
    return lambda gaps: charts.gap_chart(gaps, title=f"Khoảng cách tới mục tiêu năm {term_end}")


#: Notebook stem → (the title its notebook records, the function assembling what its cells display).
PAGES: dict[str, tuple[str, Callable[..., Page]]] = {
    "00_briefing": ("Tài liệu tóm tắt cuối năm", _page_briefing),
    "10_attainment": ("Kết quả thực hiện các chỉ tiêu", _page_attainment),
    "20_trend": ("Diễn biến các chỉ tiêu", _page_trend),
    "30_gap_2025": ("Khoảng cách tới mục tiêu Nghị quyết Đại hội", _page_gap),
    "40_key_tasks": ("Nhiệm vụ trọng tâm", _page_key_tasks),
    "50_commune_pack": ("Tài liệu của xã", _page_commune_pack),
    "60_rollup": ("Tổng hợp kết quả các đơn vị cấp xã", _page_rollup),
}


# -- the pack ----------------------------------------------------------------------------


def render_pack_direct(
    unit: str,
    year: int,
    *,
    data_dir: Path | str | None = None,
    out_dir: Path | str,
    notebook: str | None = None,
    notebooks_dir: Path | str | None = None,
    report_date: str | None = None,
    pdf: str = "typst",
) -> dict[str, Path]:
    """Write ``out_dir/<unit>/<notebook>.html``, ``.pdf`` and ``.docx`` for ``unit`` and ``year``, in process.

    ``notebook`` (stem or file name) defaults to the level's pack: ``50_commune_pack`` for a
    commune or town, ``00_briefing`` for a district. ``report_date`` is the unit's parameter
    (``None``: the data's date, as in the notebooks); ``pdf`` the PDF route (``typst`` or
    ``weasyprint``). Returns ``{"html": path, "pdf": path, "docx": path}``.
    """
    data = Path(data_dir) if data_dir is not None else None
    stem = Path(notebook).stem if notebook else DEFAULT_NOTEBOOKS[_level(unit, data)][0]
    if stem not in PAGES:
        raise ValueError(f"notebook: {stem!r} has no direct rendering; known: {', '.join(PAGES)}")
    nb_path = Path(notebooks_dir or paths.NOTEBOOKS) / f"{stem}.ipynb"
    title, assemble = PAGES[stem]
    t, charts_before = time.perf_counter(), SECONDS["charts"]
    page = assemble(unit, int(year), data, title, _markdown_cells(nb_path, title))
    SECONDS["analysis"] += time.perf_counter() - t - (SECONDS["charts"] - charts_before)
    page.report_date = report_date or page.report_date
    if not page.sources:  # as the build does when a notebook records none
        page.sources = [f"Dữ liệu chuẩn hóa trong {_shown_path(data or paths.DATA)}/ (mã SHA-256 trong manifest.json)"]
    t = time.perf_counter()
    html = page_html(page, unit=unit, year=int(year))
    SECONDS["html"] += time.perf_counter() - t
    out = Path(out_dir) / unit
    result = {"html": out / f"{stem}.html", "pdf": out / f"{stem}.pdf", "docx": out / f"{stem}.docx"}
    epoch = source_date_epoch(page.report_date)
    with reproducible_env(epoch):
        write_atomic(result["html"], html)
        t = time.perf_counter()
        if pdf == "weasyprint":
            html_to_pdf(html, result["pdf"])
        else:
            typst_to_pdf(page_typst(page, unit=unit, year=int(year)), result["pdf"], epoch=epoch)
    SECONDS["pdf"] += time.perf_counter() - t
    t = time.perf_counter()
    notebook_to_docx(page_notebook(page), result["docx"], **_facts(page, unit=unit, year=int(year)))
    SECONDS["docx"] += time.perf_counter() - t
    return result


def render_units_direct(
    items: Iterable[dict],
    year: int,
    *,
    data_dir: Path | str | None = None,
    out_dir: Path | str,
    notebooks_dir: Path | str | None = None,
    on_pack: Callable[[str, str, float], None] | None = None,
) -> list[dict[str, Path]]:
    """:func:`render_pack_direct` for each notebook of each item of ``params/<year>/units.yaml``
    (as :func:`analysis.build.units.run_units` returns them)."""
    done = []
    for item in items:
        for notebook in item["notebooks"]:
            t = time.perf_counter()
            done.append(
                render_pack_direct(
                    item["unit"],
                    year,
                    data_dir=data_dir,
                    out_dir=out_dir,
                    notebook=notebook,
                    notebooks_dir=notebooks_dir,
                )
            )
            if on_pack is not None:
                on_pack(item["unit"], Path(notebook).stem, time.perf_counter() - t)
    return done


def page_html(page: Page, *, unit: str, year: int) -> str:
    """The standalone HTML of ``page``, laid out as ``templates/briefing/index.html.j2`` does."""
    e = html_lib.escape
    date_text, date_iso = format_report_date(page.report_date)
    body = "\n".join(c.html for c in page.cells)
    headline = page.headline
    if headline and (headline in body or e(headline, quote=False) in body or e(headline) in body):
        headline = None  # a cell shows it already
    if len(page.sources) > 1:
        sources = '<ul class="sources">' + "".join(f"<li>{e(s)}</li>" for s in page.sources) + "</ul>"
    else:
        sources = e(page.sources[0]) if page.sources else "không ghi"
    dates = (
        (
            f'\n<meta name="dcterms.created" content="{e(date_iso)}">'
            f'\n<meta name="dcterms.modified" content="{e(date_iso)}">'
        )
        if date_iso
        else ""
    )
    ribbon = (
        ('\n<p class="illustrative-ribbon">SỐ LIỆU MINH HỌA — không phải số liệu chính thức; không trích dẫn.</p>')
        if page.illustrative
        else ""
    )
    return (
        f'<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>{e(page.title)} — {e(page.unit_name)} — {year}</title>{dates}\n"
        f'<meta name="keywords" content="{e(unit)}, {year}">\n'
        f"<style>\n{stylesheet()}{ILLUSTRATIVE_CSS if page.illustrative else ''}\n</style>\n</head>\n"
        f'<body>\n<header class="title-block">\n<p class="kicker">Báo cáo tóm tắt</p>\n'
        f'<h1 class="report-title">{e(page.title)}</h1>\n'
        f'<p class="running-head">{e(page.unit_name)} · {year}</p>{ribbon}\n'
        f'<dl class="facts">\n<dt>Đơn vị</dt><dd>{e(page.unit_name)}</dd>\n<dt>Năm</dt><dd>{year}</dd>\n'
        f"<dt>Ngày số liệu</dt><dd>{e(date_text)}</dd>\n<dt>Nguồn số liệu</dt><dd>{sources}</dd>\n</dl>"
        + (f'\n<p class="headline">{e(headline)}</p>' if headline else "")
        + f"\n</header>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


# -- pieces --------------------------------------------------------------------------------


@dataclass
class Shown:
    """One cell as the briefing shows it: its HTML, and what the notebook gives the PDF route
    (``markdown`` source, or ``outputs`` as (MIME type, data))."""

    html: str
    markdown: str | None = None
    outputs: list[tuple[str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return self.html


def _html(item: Any) -> Shown:
    """A section or block of the document model as the notebook's ``show`` displays it: its HTML
    on the page, the model itself for the PDF route."""
    if item is None or (isinstance(item, Section) and not item.blocks):
        return Shown("")
    data = bundle(item)
    fragment = data["text/html"]
    return Shown(
        '<div class="jp-RenderedHTMLCommon jp-RenderedHTML jp-OutputArea-output" '
        f'data-mime-type="text/html">\n{fragment}\n</div>',
        outputs=[(MIME_TYPE, data[MIME_TYPE])],
    )


def _chart(draw: Callable[..., Any], *args: Any, **kwargs: Any) -> Shown:
    """The chart ``draw(*args, **kwargs)`` as the briefing shows it: a figure of the model."""
    t = time.perf_counter()
    block = figure(draw(*args, **kwargs))
    SECONDS["charts"] += time.perf_counter() - t
    return _html(block)


def _outputs(*outputs: Shown) -> Shown:
    children = "\n".join(f'<div class="jp-OutputArea-child">\n{o.html}\n</div>' for o in outputs)
    return Shown(
        f'<div class="jp-Cell jp-CodeCell jp-mod-noInput">\n<div class="jp-OutputArea">\n{children}\n</div>\n</div>',
        outputs=[x for o in outputs for x in o.outputs],
    )


def _markdown(source: str) -> Shown:
    import mistune

    if not source.strip():
        return Shown("")
    return Shown(
        '<div class="jp-Cell jp-MarkdownCell"><div class="jp-RenderedHTMLCommon jp-RenderedMarkdown">\n'
        f"{mistune.html(source)}</div></div>",
        markdown=source,
    )


def page_notebook(page: Page) -> Any:
    """``page`` as an executed notebook: its markdown cells and its cells' model outputs."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    cells = []
    for c in page.cells:
        if c.markdown is not None:
            cells.append(new_markdown_cell(c.markdown))
        elif c.outputs:
            cells.append(new_code_cell("", outputs=[new_output("display_data", data={m: d}) for m, d in c.outputs]))
    return new_notebook(cells=cells)


def _facts(page: Page, *, unit: str, year: int) -> dict[str, Any]:
    """The title block's facts of ``page``, as the build gives them to its writers."""
    return dict(
        title=page.title,
        unit=unit,
        year=year,
        unit_name=page.unit_name,
        report_date=page.report_date,
        sources=page.sources,
        headline=page.headline,
        illustrative=page.illustrative,
    )


def page_typst(page: Page, *, unit: str, year: int) -> str:
    """The Typst source of ``page``: its cells in a notebook, through the build's exporter."""
    return notebook_to_typst(page_notebook(page), **_facts(page, unit=unit, year=year))


def _markdown_cells(nb_path: Path, title: str) -> list[str]:
    """The notebook's markdown cells, in order; the first loses its ``# title`` line (the title
    block shows the title), as the build drops a first heading equal to the recorded title."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    cells = [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in nb["cells"]
        if c["cell_type"] == "markdown"
    ]
    if cells:
        first, _, rest = cells[0].lstrip().partition("\n")
        if first.startswith("#") and first.lstrip("#").strip().casefold() == title.casefold():
            cells[0] = rest.strip()
    return cells + [""] * 4


def _unit_context(unit: str, year: int, data_dir: Path | None):
    from analysis.report.context import unit_context

    return unit_context(unit, year, data_dir=data_dir)


def _level(unit: str, data_dir: Path | None) -> str:
    import pandas as pd

    units = pd.read_csv(paths.dataset_path("units", data_dir), dtype=str, keep_default_na=False)
    hit = units.loc[units["unit"] == unit, "level"]
    if hit.empty:
        raise ValueError(f"unit: {unit!r} is not in {paths.dataset_path('units', data_dir)}")
    return str(hit.iloc[0])


def _shown_path(path: Path) -> str:
    path = Path(path).absolute()
    return path.relative_to(paths.ROOT).as_posix() if path.is_relative_to(paths.ROOT) else path.as_posix()


def main(argv: Sequence[str] | None = None) -> int:
    from analysis.build.units import run_units

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--unit", action="append", dest="units", help="only this unit (repeatable)")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--params-dir", type=Path)
    parser.add_argument("--out", type=Path, required=True, help="folder of <unit>/<notebook>.html|.pdf|.docx")
    args = parser.parse_args(argv)
    items = run_units(args.year, params_dir=args.params_dir)
    if args.units:
        items = [i for i in items if i["unit"] in set(args.units)]
    t = time.perf_counter()
    done = render_units_direct(
        items,
        args.year,
        data_dir=args.data_dir,
        out_dir=args.out,
        on_pack=lambda u, n, s: print(f"  {u}/{n}  {s:.2f} s", file=sys.stderr),
    )
    print(f"{len(done)} packs in {time.perf_counter() - t:.1f} s → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
