"""The report sent back for each returned form (xlsx and HTML, in Vietnamese): the verdict, every
problem with its sheet, cell and reason, and the figures taken in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from analysis.files import atomic_path, write_atomic
from analysis.io.numbers import format_compact
from analysis.report.excel import set_text
from analysis.report.html_table import esc

PROBLEM_HEADERS = {
    "sheet": "Trang tính",
    "cell": "Ô",
    "indicator_id": "Mã chỉ tiêu",
    "value": "Giá trị",
    "reason": "Lý do",
}
FIGURE_HEADERS = {
    "indicator_id": "Mã chỉ tiêu",
    "value": "Kết quả",
    "kind": "Loại số liệu",
    "cell": "Ô",
    "note": "Ghi chú",
}
KIND_VI = {
    "result": "Thực hiện",
    "estimate": "Ước thực hiện",
    "published_attainment_pct": "TH/KH (%) công bố",
    "published_trend_pct": "So cùng kỳ (%) công bố",
    "published_status": "Đánh giá công bố",
}


def verdict(sub: Any) -> str:
    """One sentence: taken in, or refused with the number of problems."""
    year = sub.year if sub.year is not None else ""
    if sub.merged:
        replaced = f"; thay thế {sub.replaced} số liệu đã có của năm {year}" if sub.replaced else ""
        return f"Đã tiếp nhận: {len(sub.observations)} số liệu năm {year} được nhập vào cơ sở dữ liệu{replaced}."
    asked = int(sub.problems["confirmable"].fillna(False).astype(bool).sum()) if "confirmable" in sub.problems else 0
    confirm = (
        f" (trong đó {asked} số liệu tăng, giảm bất thường so với năm trước: nếu đúng, đề nghị xác nhận)"
        if asked
        else ""
    )
    return (
        f"Chưa tiếp nhận: biểu có {len(sub.problems)} lỗi{confirm}, chưa số liệu nào được nhập. "
        "Đề nghị sửa các ô nêu dưới đây và gửi lại toàn bộ biểu."
    )


def figures(sub: Any) -> pd.DataFrame:
    """The figures of the submission, as the report lists them."""
    obs = sub.observations
    if obs.empty:
        return pd.DataFrame(columns=list(FIGURE_HEADERS))
    return pd.DataFrame(
        {
            "indicator_id": obs["indicator_id"],
            "value": [t or format_compact(v, 6) for t, v in zip(obs["text"], obs["value"], strict=True)],
            "kind": obs["kind"].map(KIND_VI),
            "cell": [str(s).split(":")[1].rpartition("!")[2] if ":" in str(s) else "" for s in obs["source"]],
            "note": obs["note"],
        }
    )


def _lines(sub: Any) -> list[tuple[str, str]]:
    lines = [
        ("Tệp", sub.file.name),
        ("SHA-256", sub.sha256),
        ("Đơn vị", f"{sub.name} ({sub.unit})" if sub.unit else "không xác định"),
        ("Năm", str(sub.year or "")),
        ("Kết quả", verdict(sub)),
    ]
    confirmed = getattr(sub, "confirmed", None)
    if confirmed is not None and not confirmed.empty:
        cells = "; ".join(f"{r.sheet}!{r.cell}: {r.reason}" for r in confirmed.itertuples())
        lines.append(("Đã xác nhận", f"số liệu đã được đơn vị xác nhận với cơ quan tiếp nhận, được nhập: {cells}"))
    return lines


def report_html(sub: Any) -> str:
    """The report as a small HTML page."""

    def table(df: pd.DataFrame, heads: dict[str, str]) -> str:
        head = "".join(f"<th>{esc(h)}</th>" for h in heads.values())
        body = "".join("<tr>" + "".join(f"<td>{esc(r[c])}</td>" for c in heads) + "</tr>" for _, r in df.iterrows())
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    facts = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in _lines(sub))
    parts = [
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">',
        f"<title>Báo cáo tiếp nhận biểu {esc(sub.file.name)}</title>",
        (
            "<style>body{font-family:sans-serif}table{border-collapse:collapse}th,td{border:1px solid #999;"
            "padding:2px 6px;text-align:left}.bad{background:#ffc7ce}</style></head><body>"
        ),
        f"<h1>Báo cáo tiếp nhận {'biểu nhập liệu' if getattr(sub, 'layout', 'form') == 'form' else 'biểu chỉ tiêu'}</h1>",
        f"<table>{facts}</table>",
    ]
    if not sub.problems.empty:
        parts += [f"<h2>Các lỗi cần sửa ({len(sub.problems)})</h2>", table(sub.problems, PROBLEM_HEADERS)]
    if not sub.observations.empty:
        title = "Số liệu đã nhập" if sub.merged else "Số liệu đọc được (chưa nhập)"
        parts += [f"<h2>{title}</h2>", table(figures(sub), FIGURE_HEADERS)]
    return "\n".join([*parts, "</body></html>"]) + "\n"


def report_workbook(sub: Any, path: Path) -> None:
    """The report as a workbook: a sheet "Kết quả" with the verdict and the problems, a sheet
    "Số liệu" with the figures read."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Kết quả"
    for i, (k, v) in enumerate(_lines(sub), start=1):
        set_text(ws.cell(i, 1), k)
        set_text(ws.cell(i, 2), v)
        ws.cell(i, 1).font = Font(bold=True)
    start = len(_lines(sub)) + 2
    for j, h in enumerate(PROBLEM_HEADERS.values(), start=1):
        set_text(ws.cell(start, j), h)
        ws.cell(start, j).font = Font(bold=True)
    red = PatternFill("solid", fgColor="FFC7CE")
    for i, (_, r) in enumerate(sub.problems.iterrows(), start=start + 1):
        for j, c in enumerate(PROBLEM_HEADERS, start=1):
            value = r[c]
            set_text(
                ws.cell(i, j), "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
            )
            ws.cell(i, j).fill = red
    for col, width in zip("ABCDE", (16, 70, 26, 20, 70), strict=True):
        ws.column_dimensions[col].width = width
    sheet = wb.create_sheet("Số liệu")
    fig = figures(sub)
    for j, h in enumerate(FIGURE_HEADERS.values(), start=1):
        set_text(sheet.cell(1, j), h)
        sheet.cell(1, j).font = Font(bold=True)
    for i, (_, r) in enumerate(fig.iterrows(), start=2):
        for j, c in enumerate(FIGURE_HEADERS, start=1):
            set_text(sheet.cell(i, j), str(r[c]))
    wb.save(path)


def write_report(sub: Any, out_dir: Path) -> list[Path]:
    """Write ``<file>.bao-cao.xlsx`` and ``.html`` for a submission into ``out_dir``, atomically."""
    stem = sub.file.stem
    xlsx, html = out_dir / f"{stem}.bao-cao.xlsx", out_dir / f"{stem}.bao-cao.html"
    with atomic_path(xlsx, suffix=".xlsx") as tmp:
        report_workbook(sub, tmp)
    write_atomic(html, report_html(sub))
    return [xlsx, html]
