"""HTML of a unit's key tasks (nhiệm vụ trọng tâm): the tasks with their self-score and class,
their sub-targets with the recomputed figures, the sub-target figures that disagree, the
one-sentence headline, and next year's proposed tasks.
"""

from __future__ import annotations

import pandas as pd

from analysis.report.html_table import check_mark, esc, html_table, num, status_badge


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


def tasks_table(tasks: pd.DataFrame) -> str:
    """Key tasks with self-score, published and recomputed class."""
    return html_table(
        tasks,
        {
            "task": ("Nhiệm vụ", lambda r: esc(r["task"])),
            "title": ("Nội dung", lambda r: esc(r["title"])),
            "score": ("Điểm tự chấm", lambda r: num(r["self_score"], 0)),
            "pub": ("Xếp loại (báo cáo)", lambda r: esc(r["published_class"])),
            "cls": ("Xếp loại theo thang điểm", lambda r: esc(r["class"])),
            "agree": ("Khớp", lambda r: check_mark(r["agrees"])),
        },
    )


def subtargets_table(sub: pd.DataFrame) -> str:
    """Sub-targets of key tasks with the recomputed figures."""

    def pub_pct(r: pd.Series) -> str:
        if pd.isna(r["published_pct"]):
            return ""
        q = r.get("published_pct_qualifier") or ""
        return esc(f"{q} ".lstrip()) + num(r["published_pct"], 2, percent=True)

    return html_table(
        sub,
        {
            "sub": ("Mục", lambda r: esc(r["sub"])),
            "desc": ("Chỉ tiêu con", lambda r: esc(r["description"])),
            "pub": ("% công bố", pub_pct),
            "re": ("% tính lại", lambda r: num(r["recomputed_pct"], 2, percent=True)),
            "ok": ("Khớp", lambda r: check_mark(r["pct_agrees"])),
            "pst": ("Đánh giá (báo cáo)", lambda r: esc(r["published_status"])),
            "st": ("Đánh giá tính lại", lambda r: status_badge(r["status"]) if r["status"] else ""),
        },
    )


def task_findings_table(findings: pd.DataFrame) -> str:
    """Sub-target figures or statuses that disagree with their recomputation."""
    if findings.empty:
        return "<p>Không có số liệu không khớp.</p>"
    return html_table(
        findings,
        {
            "task": ("Mục", lambda r: esc(r["sub"])),
            "desc": ("Chỉ tiêu con", lambda r: esc(r["description"])),
            "check": ("Kiểm tra", lambda r: "tỷ lệ %" if r["check"] == "pct" else "đánh giá"),
            "pub": (
                "Công bố",
                lambda r: num(r["published"], 2) if isinstance(r["published"], float) else esc(r["published"]),
            ),
            "re": (
                "Tính lại",
                lambda r: num(r["recomputed"], 2) if isinstance(r["recomputed"], float) else esc(r["recomputed"]),
            ),
            "expl": ("Giải thích", lambda r: esc(r["explanation"])),
        },
    )


def proposed_tasks_list(tasks: pd.DataFrame) -> str:
    """Next year's proposed key tasks as a numbered list."""
    items = "".join(f"<li><b>{esc(r['task'])}</b> {esc(r['title'])}</li>" for _, r in tasks.iterrows())
    return f'<ul class="proposed">{items}</ul>'
