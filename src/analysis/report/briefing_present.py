"""The document model around a briefing's section tables: the headline the build records, the opening box
of the points an official reads first, and the appendix of the audit — the published figures
that disagree with their recomputation, those that differ with an explanation, the key tasks'
disagreeing figures and the corrections (đính chính) made after publication.

:func:`audit_table` is also the commune pack's appendix.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from analysis.analyses.audit import explained
from analysis.report import task_present
from analysis.report.cells import bullets, heading, num_cell, para, section, span, table
from analysis.report.document import Cell, Section, Table, cell
from analysis.report.present import gaps_headline


def briefing_headline(ctx: Any) -> str:
    """The headline of a unit's briefing: the indicators' sentence, else the tasks'."""
    if ctx.has_indicators:
        return ctx.headline.sentence
    if ctx.has_tasks:
        return task_present.tasks_headline(ctx.tasks, ctx.task_findings)
    return f"Chưa có số liệu năm {ctx.year} cho {ctx.name}."


def briefing_summary(ctx: Any) -> Section:
    """The opening box of a briefing: the points an official reads first."""
    points = []
    if ctx.has_indicators:
        points.append(ctx.headline.sentence)
        points.append(gaps_headline(ctx.gaps))
        n, m = len(ctx.findings), len(explained(ctx.audit))
        points.append(
            f"Kiểm tra số liệu công bố: {len(ctx.audit)} số liệu được tính lại, {n} không khớp"
            + (f", {m} khác cách tính nhưng có giải thích" if m else "")
            + " (xem phụ lục)."
        )
    if ctx.has_tasks:
        points.append(task_present.tasks_headline(ctx.tasks, ctx.task_findings))
    return section(heading("Những điểm chính"), bullets(points), key="summary")


def audit_appendix(ctx: Any) -> Section:
    """The audit's findings (table and key tasks) as the briefing's appendix."""
    parts: list[Any] = [
        heading("Phụ lục: kiểm tra số liệu công bố"),
        para(
            "Mỗi tỷ lệ phần trăm và mỗi số liệu suy ra trong ghi chú được tính lại từ số liệu gốc. "
            "Số công bố được coi là khớp khi bằng giá trị tính lại đã làm tròn hoặc cắt bớt tới số chữ số "
            "thập phân đã công bố."
        ),
    ]
    if ctx.has_indicators:
        f = ctx.findings
        parts.append(heading(f"Biểu chỉ tiêu: {len(f)} số liệu không khớp trên {len(ctx.audit)} số liệu kiểm tra", 3))
        parts.append(audit_table(f) if not f.empty else para("Tất cả khớp."))
        parts.append(correction_hint(ctx.unit))
        shown = explained(ctx.audit)
        if not shown.empty:
            parts.append(heading("Số liệu khác cách tính nhưng có giải thích (không phải sai sót)", 3))
            parts.append(audit_table(shown))
    if ctx.has_tasks:
        tf = ctx.task_findings
        parts.append(heading(f"Nhiệm vụ trọng tâm: {len(tf)} số liệu cần xem lại", 3))
        parts.append(task_present.task_findings_table(tf))
    fixes = getattr(ctx, "corrections", None)
    if fixes is not None and not fixes.empty:
        parts.append(heading(f"Đính chính: {len(fixes)} số liệu đã được đính chính sau khi công bố", 3))
        parts.append(
            para(
                "Số liệu công bố được kiểm tra theo số đã công bố; đính chính không tính là sai sót của "
                "báo cáo. Cột “Thay đổi” nêu các số liệu tính ra thay đổi theo số mới."
            )
        )
        parts.append(corrections_table(fixes, getattr(ctx, "correction_effects", None)))
    return section(*parts, key="appendix")


def audit_table(findings: pd.DataFrame) -> Table:
    """Published figures that disagree with their recomputation."""
    return table(
        findings,
        {
            "tt": ("Dòng", "stt", lambda r: span(r["tt"]) if not pd.isna(r["tt"]) else span("—")),
            "indicator": ("Chỉ tiêu", "name", lambda r: span(r["indicator"])),
            "indicator_id": ("Mã chỉ tiêu", "text", lambda r: span(r["indicator_id"], "code")),
            "figure": ("Số liệu", "text", lambda r: span(r["figure"])),
            "pub": ("Công bố", "number", lambda r: span(r["published_text"], "num")),
            "re": ("Tính lại", "number", lambda r: num_cell(r["recomputed"], 2)),
            "expl": ("Giải thích", "text", lambda r: span(r["explanation"])),
        },
        key="audit",
    )


def correction_hint(unit: str) -> Any:
    """How to correct a figure: the identifiers a row of ``data/corrections.csv`` needs."""
    return para(
        "Đính chính một số liệu sau khi công bố: thêm một dòng vào ",
        span("data/corrections.csv", "code"),
        " với mã đơn vị ",
        span(unit, "code"),
        ", năm, mã chỉ tiêu (cột “Mã chỉ tiêu”), loại số liệu (",
        span("result", "code"),
        ", ",
        span("plan", "code"),
        ", …), số cũ, số mới, lý do, người/cơ quan đính chính, ngày và văn bản (xem ",
        span("data/README.md", "code"),
        ").",
        role="note",
    )


def corrections_table(fixes: pd.DataFrame, effects: pd.DataFrame | None = None) -> Table:
    """The corrections (đính chính) of a unit: figure, old and new value (the Vietnamese way),
    what they change (``effects``, row for row: :func:`~analysis.analyses.corrections.correction_effects`),
    why, who, when, document."""
    from analysis.analyses.corrections import CORRECTION_HEADERS

    def text_of(column: str) -> Callable[[pd.Series], Cell]:
        return lambda r: cell(span(r[column]))

    columns: dict[str, tuple[str, Any, Callable[[pd.Series], Any]]] = {}
    for c, h in CORRECTION_HEADERS.items():
        columns[c] = (h, "name" if c == "indicator" else "text", text_of(c))
        if c == "indicator":
            columns["indicator_id"] = ("Mã chỉ tiêu", "text", lambda r: span(r["indicator_id"], "code"))
    shown = fixes.reset_index(drop=True)
    if effects is not None and len(effects) == len(shown):
        moves = ["; ".join(m) or "—" for m in effects["moves"]]
        shown = shown.assign(moves=moves)
        columns = {
            **dict(list(columns.items())[:6]),
            "moves": ("Thay đổi", "text", text_of("moves")),
            **dict(list(columns.items())[6:]),
        }
    return table(shown, columns, key="corrections")
