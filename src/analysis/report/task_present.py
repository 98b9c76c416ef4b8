"""A unit's key tasks (nhiệm vụ trọng tâm) as the document model: the tasks with their
self-score and class, their sub-targets with the recomputed figures, the sub-target figures
that disagree, the one-sentence headline, and next year's proposed tasks.
"""

from __future__ import annotations

import pandas as pd

from analysis.report.cells import bullets, check_span, join, num_cell, num_span, para, span, status_span, table
from analysis.report.document import BulletList, Cell, Paragraph, Table, cell


def tasks_headline(tasks: pd.DataFrame, findings: pd.DataFrame) -> str:
    """One sentence on the key tasks: classes and disagreements."""
    if tasks.empty:
        return "Không có nhiệm vụ trọng tâm có điểm tự chấm."
    counts = tasks["class"].value_counts()
    parts = ", ".join(f"{n} {str(label).lower()}" for label, n in counts.items())
    agree = int(tasks["agrees"].fillna(False).astype(bool).sum())
    return (
        f"{len(tasks)} nhiệm vụ trọng tâm: {parts}; xếp loại khớp thang điểm ở {agree}/{len(tasks)} nhiệm vụ; "
        f"{len(findings)} số liệu con cần xem lại."
    )


def tasks_table(tasks: pd.DataFrame) -> Table:
    """Key tasks with self-score, published and recomputed class."""
    return table(
        tasks,
        {
            "task": ("Nhiệm vụ", "stt", lambda r: span(r["task"])),
            "title": ("Nội dung", "name", lambda r: span(r["title"])),
            "score": ("Điểm tự chấm", "number", lambda r: num_cell(r["self_score"], 0)),
            "pub": ("Xếp loại (báo cáo)", "text", lambda r: span(r["published_class"])),
            "cls": ("Xếp loại theo thang điểm", "text", lambda r: span(r["class"])),
            "agree": ("Khớp", "check", lambda r: check_span(r["agrees"])),
        },
        key="tasks",
    )


def subtargets_table(sub: pd.DataFrame) -> Table:
    """Sub-targets of key tasks with the recomputed figures."""

    def pub_pct(r: pd.Series) -> Cell:
        if pd.isna(r["published_pct"]):
            return Cell()
        q = str(r.get("published_pct_qualifier") or "")
        return cell(join(f"{q} " if q else "", num_span(r["published_pct"], 2, percent=True)))

    return table(
        sub,
        {
            "sub": ("Mục", "stt", lambda r: span(r["sub"])),
            "desc": ("Chỉ tiêu con", "name", lambda r: span(r["description"])),
            "pub": ("% công bố", "percent", pub_pct),
            "re": ("% tính lại", "percent", lambda r: num_cell(r["recomputed_pct"], 2, percent=True)),
            "ok": ("Khớp", "check", lambda r: check_span(r["pct_agrees"])),
            "pst": ("Đánh giá (báo cáo)", "text", lambda r: span(r["published_status"])),
            "st": ("Đánh giá tính lại", "status", lambda r: status_span(r["status"]) if r["status"] else ()),
        },
        key="subtargets",
    )


def _figure(value: object) -> Cell:
    return num_cell(value, 2) if isinstance(value, float) else cell(span(value))


def task_findings_table(findings: pd.DataFrame) -> Table | Paragraph:
    """Sub-target figures or statuses that disagree with their recomputation."""
    if findings.empty:
        return para("Không có số liệu không khớp.")
    return table(
        findings,
        {
            "task": ("Mục", "stt", lambda r: span(r["sub"])),
            "desc": ("Chỉ tiêu con", "name", lambda r: span(r["description"])),
            "check": ("Kiểm tra", "text", lambda r: span("tỷ lệ %" if r["check"] == "pct" else "đánh giá")),
            "pub": ("Công bố", "number", lambda r: _figure(r["published"])),
            "re": ("Tính lại", "number", lambda r: _figure(r["recomputed"])),
            "expl": ("Giải thích", "text", lambda r: span(r["explanation"])),
        },
        key="task-findings",
    )


def proposed_tasks_list(tasks: pd.DataFrame) -> BulletList:
    """Next year's proposed key tasks as a list."""
    return bullets(
        (join(span(r["task"], "strong"), " ", str(r["title"])) for _, r in tasks.iterrows()), style="proposed"
    )
