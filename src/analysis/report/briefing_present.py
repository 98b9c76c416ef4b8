"""HTML around a briefing's section tables: the headline the build records, the opening box
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
from analysis.report.html_table import esc, html_table, num
from analysis.report.present import gaps_headline


def briefing_headline(ctx: Any) -> str:
    """The headline of a unit's briefing: the indicators' sentence, else the tasks'."""
    if ctx.has_indicators:
        return ctx.headline.sentence
    if ctx.has_tasks:
        return task_present.tasks_headline(ctx.tasks, ctx.task_findings)
    return f"Chưa có số liệu năm {ctx.year} cho {ctx.name}."


def briefing_summary(ctx: Any) -> str:
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
    items = "".join(f"<li>{esc(p)}</li>" for p in points)
    return f'<section class="summary"><h2>Những điểm chính</h2><ul>{items}</ul></section>'


def audit_appendix(ctx: Any) -> str:
    """The audit's findings (table and key tasks) as the briefing's appendix."""
    parts = [
        "<h2>Phụ lục: kiểm tra số liệu công bố</h2>",
        (
            "<p>Mỗi tỷ lệ phần trăm và mỗi số liệu suy ra trong ghi chú được tính lại từ số liệu gốc. "
            "Số công bố được coi là khớp khi bằng giá trị tính lại đã làm tròn hoặc cắt bớt tới số chữ số "
            "thập phân đã công bố.</p>"
        ),
    ]
    if ctx.has_indicators:
        f = ctx.findings
        parts.append(f"<h3>Biểu chỉ tiêu: {len(f)} số liệu không khớp trên {len(ctx.audit)} số liệu kiểm tra</h3>")
        parts.append(audit_table(f) if not f.empty else "<p>Tất cả khớp.</p>")
        parts.append(correction_hint(ctx.unit))
        shown = explained(ctx.audit)
        if not shown.empty:
            parts.append("<h3>Số liệu khác cách tính nhưng có giải thích (không phải sai sót)</h3>")
            parts.append(audit_table(shown))
    if ctx.has_tasks:
        tf = ctx.task_findings
        parts.append(f"<h3>Nhiệm vụ trọng tâm: {len(tf)} số liệu cần xem lại</h3>")
        parts.append(task_present.task_findings_table(tf))
    fixes = getattr(ctx, "corrections", None)
    if fixes is not None and not fixes.empty:
        parts.append(f"<h3>Đính chính: {len(fixes)} số liệu đã được đính chính sau khi công bố</h3>")
        parts.append(
            "<p>Số liệu công bố được kiểm tra theo số đã công bố; đính chính không tính là sai sót của "
            "báo cáo. Cột “Thay đổi” nêu các số liệu tính ra thay đổi theo số mới.</p>"
        )
        parts.append(corrections_table(fixes, getattr(ctx, "correction_effects", None)))
    return '<section class="appendix">' + "\n".join(parts) + "</section>"


def audit_table(findings: pd.DataFrame) -> str:
    """Published figures that disagree with their recomputation."""
    return html_table(
        findings,
        {
            "tt": ("Dòng", lambda r: esc(r["tt"]) if not pd.isna(r["tt"]) else "—"),
            "indicator": ("Chỉ tiêu", lambda r: esc(r["indicator"])),
            "indicator_id": ("Mã chỉ tiêu", lambda r: f"<code>{esc(r['indicator_id'])}</code>"),
            "figure": ("Số liệu", lambda r: esc(r["figure"])),
            "pub": ("Công bố", lambda r: esc(r["published_text"])),
            "re": ("Tính lại", lambda r: num(r["recomputed"], 2)),
            "expl": ("Giải thích", lambda r: esc(r["explanation"])),
        },
    )


def correction_hint(unit: str) -> str:
    """How to correct a figure: the identifiers a row of ``data/corrections.csv`` needs."""
    return (
        '<p class="note">Đính chính một số liệu sau khi công bố: thêm một dòng vào '
        f"<code>data/corrections.csv</code> với mã đơn vị <code>{esc(unit)}</code>, năm, mã chỉ tiêu "
        "(cột “Mã chỉ tiêu”), loại số liệu (<code>result</code>, <code>plan</code>, …), số cũ, số mới, "
        "lý do, người/cơ quan đính chính, ngày và văn bản (xem <code>data/README.md</code>).</p>"
    )


def corrections_table(fixes: pd.DataFrame, effects: pd.DataFrame | None = None) -> str:
    """The corrections (đính chính) of a unit: figure, old and new value (the Vietnamese way),
    what they change (``effects``, row for row: :func:`~analysis.analyses.corrections.correction_effects`),
    why, who, when, document."""
    from analysis.analyses.corrections import CORRECTION_HEADERS

    def cell(column: str) -> Callable[[pd.Series], str]:
        return lambda r: esc(r[column])

    columns: dict[str, tuple[str, Callable[[pd.Series], str]]] = {}
    for c, h in CORRECTION_HEADERS.items():
        columns[c] = (h, cell(c))
        if c == "indicator":
            columns["indicator_id"] = ("Mã chỉ tiêu", lambda r: f"<code>{esc(r['indicator_id'])}</code>")
    shown = fixes.reset_index(drop=True)
    if effects is not None and len(effects) == len(shown):
        moves = ["; ".join(m) or "—" for m in effects["moves"]]
        shown = shown.assign(moves=moves)
        columns = {
            **dict(list(columns.items())[:6]),
            "moves": ("Thay đổi", cell("moves")),
            **dict(list(columns.items())[6:]),
        }
    return html_table(shown, columns)
