"""HTML pieces of the briefing packs: title block, tables with status colours.

Tables are written here rather than with ``DataFrame.style`` so that the HTML is
deterministic (no random ids) and carries the classes the pack's CSS styles.
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
    Status.ACHIEVED.value: "st-achieved",
    Status.EXPECTED.value: "st-expected",
    Status.NOT_ACHIEVED.value: "st-missed",
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


def evaluated_table(ev: pd.DataFrame) -> str:
    """The indicator table with attainment, trend and status.

    Figures keep the decimals of the catalogue (at least 2 for percentages of plan).
    """
    y = int(ev["year"].iloc[0]) if not ev.empty else 0

    def dec(r: pd.Series) -> int:
        return int(r["decimals"]) if "decimals" in r and not pd.isna(r["decimals"]) else 2

    table = html_table(
        ev,
        {
            "tt": ("TT", lambda r: esc(r["tt"])),
            "indicator": (
                "Chỉ tiêu",
                lambda r: (
                    esc(r["indicator"])
                    + (f' <span class="inferred">(suy luận: {esc(r["inferred"])})</span>' if r.get("inferred") else "")
                ),
            ),
            "mu": ("ĐVT", lambda r: esc(r["measure_unit"])),
            "prev": (f"TH {y - 1}", lambda r: cell_num(r["previous"], dec(r))),
            "plan": (
                f"KH {y}",
                lambda r: cell_num(r["plan"], dec(r)) if not pd.isna(r["plan"]) else words(r["plan_text"]),
            ),
            "res": (f"TH {y}", lambda r: cell_num(r["result"], dec(r))),
            "att": ("TH/KH", lambda r: cell_num(r["attainment_pct"], 2, percent=True)),
            "trend": (f"TH {y}/{y - 1}", lambda r: cell_num(r["trend_pct"], 2, percent=True)),
            "status": ("Đánh giá", lambda r: status_badge(r["status"])),
            "agree": ("Khớp số công bố", lambda r: check_mark(r["agrees"])),
        },
    )
    lower = ev[ev["direction"] == "lower"]
    if lower.empty:
        return table
    rows = ", ".join(str(t) for t in lower["tt"])
    return table + (
        f'<p class="note">Dòng {esc(rows)}: chỉ tiêu càng thấp càng tốt; TH/KH trên 100% '
        "nghĩa là vượt mức cho phép (chưa đạt).</p>"
    )


def gaps_table(gaps: pd.DataFrame) -> str:
    """What the final year must reach, per indicator."""

    def flag(r: pd.Series) -> str:
        if r["far_beyond"] is True or (r["far_beyond"] is not pd.NA and bool(r["far_beyond"])):
            return '<span class="bad">vượt xa xu hướng</span>'
        if r["on_track"] is pd.NA or r["on_track"] is None:
            return ""
        return '<span class="ok">đúng hướng</span>' if bool(r["on_track"]) else '<span class="warn">chưa đủ</span>'

    return html_table(
        gaps,
        {
            "tt": ("TT", lambda r: esc(r["tt"])),
            "indicator": ("Chỉ tiêu", lambda r: esc(r["indicator"])),
            "target": (
                "Mục tiêu",
                lambda r: (
                    esc(r["target_text"])
                    + (f' <span class="inferred">({esc(r["target_from"])})</span>' if r.get("target_from") else "")
                ),
            ),
            "expl": ("Phải đạt / nhận định", lambda r: esc(r["explanation"])),
            "flag": ("Xu hướng", flag),
        },
    )


def audit_table(findings: pd.DataFrame) -> str:
    """Published figures that disagree with their recomputation."""
    return html_table(
        findings,
        {
            "tt": ("Dòng", lambda r: esc(r["tt"]) if not pd.isna(r["tt"]) else "—"),
            "indicator": ("Chỉ tiêu", lambda r: esc(r["indicator"])),
            "figure": ("Số liệu", lambda r: esc(r["figure"])),
            "pub": ("Công bố", lambda r: esc(r["published_text"])),
            "re": ("Tính lại", lambda r: num(r["recomputed"], 2)),
            "expl": ("Giải thích", lambda r: esc(r["explanation"])),
        },
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


def remarks_list(ev: pd.DataFrame) -> str:
    """The remarks of an evaluated table (undefined ratios, adjusted plans) as a list."""
    rows = ev[ev["remark"].astype(str) != ""]
    if rows.empty:
        return ""
    items = "".join(f"<li>Dòng {esc(r['tt'])}: {esc(r['remark'])}</li>" for _, r in rows.iterrows())
    return f'<div class="remarks"><p>Ghi chú:</p><ul>{items}</ul></div>'


def trend_table(ev: pd.DataFrame) -> str:
    """This year against last year, indicator by indicator."""
    y = int(ev["year"].iloc[0]) if not ev.empty else 0

    def change(r: pd.Series) -> str:
        if pd.isna(r["trend_pct"]):
            return ""
        d = r["trend_pct"] - 100
        better = (d > 0) if r["direction"] != "lower" else (d < 0)
        cls = "ok" if better else ("bad" if d != 0 else "")
        return f'<span class="{cls}">{"+" if d > 0 else ""}{num(d, 1)}%</span>'

    return html_table(
        ev,
        {
            "tt": ("TT", lambda r: esc(r["tt"])),
            "indicator": ("Chỉ tiêu", lambda r: esc(r["indicator"])),
            "mu": ("ĐVT", lambda r: esc(r["measure_unit"])),
            "prev": (f"TH {y - 1}", lambda r: num(r["previous"])),
            "res": (f"TH {y}", lambda r: num(r["result"])),
            "trend": (f"TH {y}/{y - 1}", lambda r: num(r["trend_pct"], 2, percent=True)),
            "chg": ("Thay đổi", change),
        },
    )


def gaps_headline(gaps: pd.DataFrame) -> str:
    """One sentence: how many term targets are reached, on track, or far off."""
    with_target = gaps[~gaps["target_type"].isin(["none", "text"])]
    # a target to meet every year is not "reached" before its last year
    final = with_target[with_target["target_type"] != "every_year"]
    reached = int(final["achieved_already"].fillna(False).astype(bool).sum())
    off = with_target[
        ~with_target["achieved_already"].fillna(False).astype(bool) & with_target["on_track"].eq(False).fillna(False)
    ]
    far = with_target[with_target["far_beyond"].fillna(False).astype(bool)]
    end = int(gaps["term_end"].max()) if not gaps.empty else 0
    text = (
        f"{reached}/{len(with_target)} chỉ tiêu có mục tiêu số đã đạt mức {end}; "
        f"{len(off)} chỉ tiêu theo xu hướng chưa đủ để đạt"
    )
    if not far.empty:
        text += "; cần mức thay đổi vượt xa mọi năm trước: " + ", ".join(f"dòng {int(t)}" for t in far["tt"])
    return text + "."


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


def briefing_headline(ctx: Any) -> str:
    """The headline of a unit's briefing: the indicators' sentence, else the tasks'."""
    if ctx.has_indicators:
        return ctx.headline.sentence
    if ctx.has_tasks:
        return tasks_headline(ctx.tasks, ctx.task_findings)
    return f"Chưa có số liệu năm {ctx.year} cho {ctx.name}."


def briefing_summary(ctx: Any) -> str:
    """The opening box of a briefing: the points an official reads first."""
    points = []
    if ctx.has_indicators:
        points.append(ctx.headline.sentence)
        points.append(gaps_headline(ctx.gaps))
        n = len(ctx.findings)
        points.append(
            f"Kiểm tra số liệu công bố: {len(ctx.audit)} số liệu được tính lại, {n} không khớp (xem phụ lục)."
        )
    if ctx.has_tasks:
        points.append(tasks_headline(ctx.tasks, ctx.task_findings))
    items = "".join(f"<li>{esc(p)}</li>" for p in points)
    return f'<section class="summary"><h2>Những điểm chính</h2><ul>{items}</ul></section>'


def proposed_tasks_list(tasks: pd.DataFrame) -> str:
    """Next year's proposed key tasks as a numbered list."""
    items = "".join(f"<li><b>{esc(r['task'])}</b> {esc(r['title'])}</li>" for _, r in tasks.iterrows())
    return f'<ul class="proposed">{items}</ul>'


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
    if ctx.has_tasks:
        tf = ctx.task_findings
        parts.append(f"<h3>Nhiệm vụ trọng tâm: {len(tf)} số liệu cần xem lại</h3>")
        parts.append(task_findings_table(tf))
    return '<section class="appendix">' + "\n".join(parts) + "</section>"


def facts_table(facts: pd.DataFrame) -> str:
    """Real facts and key tasks of the district report that name the commune."""
    if facts.empty:
        return "<p>Báo cáo của huyện không nêu riêng xã này.</p>"
    return html_table(
        facts,
        {
            "year": ("Năm", lambda r: "" if pd.isna(r["year"]) else str(int(r["year"]))),
            "task": ("Nhiệm vụ", lambda r: esc(r["task"])),
            "text": ("Nội dung", lambda r: esc(r["text"])),
            "src": ("Nguồn (trích)", lambda r: f'<span class="quote">{esc(r["source_text"])}</span>'),
        },
    )


def standing_table(standing: pd.DataFrame, *, area: str = "huyện") -> str:
    """The commune's rank and median comparison per indicator (``area``: the parent as the
    pack names it, huyện or tỉnh)."""
    return html_table(
        standing,
        {
            "indicator": ("Chỉ tiêu", lambda r: esc(r["indicator"])),
            "mu": ("ĐVT", lambda r: esc(r["measure_unit"])),
            "res": ("Kết quả", lambda r: num(r["result"])),
            "median": (f"Trung vị {area}", lambda r: num(r["district_median"])),
            "rank": ("Xếp hạng", lambda r: f"{num(r['rank'], 0)}/{num(r['n_communes'], 0)}"),
            "sentence": ("Nhận định", lambda r: esc(r["sentence"])),
            "ill": ("Số liệu", lambda r: "minh họa" if bool(r["figures_illustrative"]) else "thật (báo cáo huyện)"),
        },
    )
