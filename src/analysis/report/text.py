"""Plain-text views of the analysis frames for the command line, and file output."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.analyses.evaluate import Headline
from analysis.analyses.targets import STANDING_LABELS
from analysis.errors import AnalysisError
from analysis.files import atomic_path
from analysis.io.csvtext import write_csv
from analysis.io.row_account import RowAccount
from analysis.report.html_table import num as _num
from analysis.report.present import inferred_vi


def _as_published(ev: pd.DataFrame, which: str) -> pd.Series:
    """A percentage column as published; the recomputed one beside it where they disagree."""
    out = []
    for r in ev.to_dict("records"):
        text = r.get(f"published_{which}_text") or ""
        if text:
            ok = r.get(f"{which}_agrees")
            bad = ok is not pd.NA and ok is not None and not bool(ok)
            out.append(text + (f" (tính lại {_num(r[f'recomputed_{which}_pct'])}%)" if bad else ""))
        else:
            out.append(_num(r[f"{which}_pct"]))
    return pd.Series(out, index=ev.index)


def _short(text: object, width: int = 46) -> str:
    s = str(text)
    return s if len(s) <= width else s[: width - 1] + "…"


def evaluated_text(ev: pd.DataFrame, hl: Headline, *, title: str, problems: pd.DataFrame | None = None) -> str:
    """The evaluated table as an analyst reads it, headline first."""
    view = pd.DataFrame(
        {
            "TT": ev["tt"],
            "Chỉ tiêu": ev["indicator"].map(_short),
            "TH trước": ev["previous"].map(lambda v: _num(v, 3)),
            "KH": ev["plan"]
            .map(lambda v: _num(v, 3))
            .where(
                ev["plan"].notna() & ev["target_kind"].isin(["point", ""]), ev["plan_text"].map(lambda t: _short(t, 16))
            ),
            "TH": ev["result"].map(lambda v: _num(v, 3)),
            "ĐVT": ev["measure_unit"],
            "TH/KH": _as_published(ev, "attainment"),
            "TH/TH": _as_published(ev, "trend"),
            "Đánh giá": ev["status"],
            "Khớp": ev["agrees"].map(lambda a: "" if pd.isna(a) else ("✓" if a else "✗")),
            "Suy luận": ev["inferred"].map(inferred_vi),
        }
    )
    if not ev["inferred"].astype(bool).any():
        view = view.drop(columns="Suy luận")
    lines = [title, "", hl.sentence, "", view.to_string(index=False)]
    remarks = ev[ev["remark"] != ""]
    if not remarks.empty:
        lines += ["", "Ghi chú:"] + [f"  {r.tt}. {r.remark}" for r in remarks.itertuples()]
    if "corrected" in ev.columns and ev["corrected"].astype(bool).any():
        lines += ["", "Đính chính:"] + [f"  {r.tt}. {r.corrected}" for r in ev[ev["corrected"] != ""].itertuples()]
    if ev["inferred"].astype(bool).any():
        lines += ["", "Suy luận: hướng đánh giá / loại mục tiêu suy ra từ tên chỉ tiêu (không có danh mục)."]
    if problems is not None and not problems.empty:
        lines += ["", f"{len(problems)} ô chưa dùng được (python -m analysis ingest FILE để xem chi tiết)."]
    return "\n".join(lines)


def audit_text(
    shown: pd.DataFrame,
    audited: pd.DataFrame,
    *,
    title: str,
    task_findings: pd.DataFrame | None = None,
    effects: pd.DataFrame | None = None,
) -> str:
    """The audit's disagreements (or every check) as text; then, apart, what each correction
    changes (``effects``: :func:`~analysis.analyses.corrections.correction_effects`)."""
    lines = [title]
    if not audited.empty:
        n_bad = int(audited["agrees"].eq(False).fillna(False).sum())
        lines += ["", f"Kiểm tra {len(audited)} số liệu công bố: {n_bad} không khớp."]
    for r in shown.itertuples():
        if str(r.source).startswith("nhiệm vụ trọng tâm"):
            continue
        agrees: Any = r.agrees
        tt: Any = r.tt
        mark = "?" if pd.isna(agrees) else ("✓" if bool(agrees) else "✗")
        where = f"dòng {tt}" if not pd.isna(tt) else "tiêu đề"
        lines.append(
            f"{mark} {where}, {_short(r.indicator, 60)} — {r.figure}: công bố {r.published_text!s}; {r.explanation}"
        )
    if task_findings is not None:
        wrong = task_findings[task_findings["check"] == "pct"]
        watch = task_findings[task_findings["check"] != "pct"]
        lines += [
            "",
            (f"Nhiệm vụ trọng tâm: {len(wrong)} tỷ lệ công bố không khớp, {len(watch)} đánh giá cần xem lại."),
        ]
        for r in task_findings.itertuples():
            mark = "✗" if r.check == "pct" else "!"
            lines.append(f"{mark} nhiệm vụ {r.task} ({r.sub}) {_short(r.description, 50)}: {r.explanation}")
    if effects is not None and not effects.empty:
        from analysis.analyses.corrections import effect_text

        lines += ["", f"Đính chính: {len(effects)} số liệu (không tính là sai sót của báo cáo đã công bố)."]
        for _, e in effects.iterrows():
            where = f"dòng {e['tt']}" if not pd.isna(e["tt"]) else str(e["indicator_id"])
            lines.append(f"→ {where}, {_short(str(e['indicator']), 60)} — {effect_text(e)}")
    return "\n".join(lines)


def gaps_text(gaps: pd.DataFrame, *, title: str) -> str:
    """Gap to the term target, one sentence per indicator."""
    lines = [title, ""]
    for r in gaps.itertuples():
        label = STANDING_LABELS.get(str(r.standing), "")
        flag = f" [{label.upper()}]" if label else ""
        lines.append(f"{r.tt:>3}. {_short(r.indicator, 60)}: {r.explanation}{flag}")
    return "\n".join(lines)


def tasks_text(ev: pd.DataFrame, sub: pd.DataFrame, *, title: str) -> str:
    """Key tasks with their classes and recomputed sub-targets."""
    lines = [title, ""]
    agree = int(ev["agrees"].fillna(False).sum())
    lines.append(f"{len(ev)} nhiệm vụ; xếp loại theo thang điểm khớp với báo cáo ở {agree}/{len(ev)} nhiệm vụ.")
    for _, t in ev.iterrows():
        mark = "" if pd.isna(t["agrees"]) else ("✓" if bool(t["agrees"]) else "✗")
        lines += [
            "",
            f"{t['task']}. {_short(t['title'], 90)}",
            f"   Điểm tự chấm {_num(t['self_score'], 0)} → {t['class']} {mark}"
            + ("" if mark != "✗" else f" (báo cáo: {t['published_class']})"),
        ]
        for _, s in sub[sub["task"] == t["task"]].iterrows():
            pct = "" if pd.isna(s["recomputed_pct"]) else f" tính lại {_num(s['recomputed_pct'], 2)}%"
            pub = "" if pd.isna(s["published_pct"]) else f", công bố {_num(s['published_pct'], 2)}%"
            ok = "" if pd.isna(s["pct_agrees"]) else (" ✓" if s["pct_agrees"] else " ✗")
            figures = f"{pct}{pub}{ok};" if pct or pub else ""
            lines.append(
                f"   - {s['sub']} {_short(s['description'], 60)}:{figures} {s['status'] or ''}"
                f" (báo cáo: {s['published_status'] or 'không ghi'})"
            )
    return "\n".join(lines)


def write_frame(df: pd.DataFrame, path: Path, *, mismatches: Mapping[str, int] | None = None) -> None:
    """Write ``df`` to ``path`` (.csv or .xlsx) atomically, text never as a formula.

    CSV has no cell types, so text that starts like a formula gets a leading single quote
    (:func:`analysis.io.csvtext.write_csv`). In a workbook, every text cell is written as a string
    cell (type ``s``), whatever its first character: Excel shows it as typed and never
    evaluates it, and the text is intact for a reader.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise AnalysisError(f"{path}: output must end in .csv or .xlsx")
    with atomic_path(path, suffix=suffix) as tmp:
        if suffix == ".csv":
            # RFC 4180 line ends: a cell holding a line break of either kind is quoted whole
            write_csv(df, tmp, terminator="\r\n")
        else:  # for officials: Vietnamese headers, formats, colours, a sheet per unit; text as text
            from analysis.report.excel import write_excel

            write_excel(df, tmp, mismatches=mismatches)


def rows_text(account: RowAccount, file: str) -> str:
    """The account of a table's rows as the text view shows it (Vietnamese): rows in the
    file = rows judged + rows not judged, these named by row (``ingest`` gives the reasons).

    >>> from analysis.io.row_account import RowAccount
    >>> rows_text(RowAccount((5, 6, 7), {6: "i_tt01", 7: "i_tt02"}, {5: "section heading 'I'"}), "t.txt")
    'Số dòng của t.txt: 3 = 2 dòng được đánh giá + 1 dòng không đánh giá (dòng 5; lý do: python -m analysis ingest t.txt).'
    """
    line = (
        f"Số dòng của {file}: {len(account.source)} = {len(account.judged)} dòng được đánh giá "
        f"+ {len(account.reported)} dòng không đánh giá"
    )
    if account.reported:
        rows = ", ".join(str(r) for r in sorted(account.reported))
        line += f" (dòng {rows}; lý do: python -m analysis ingest {file})"
    return line + "."
