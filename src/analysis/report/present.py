"""HTML of a unit's indicators: the evaluated table (figures, attainment and trend as
published, status) with its notes and remarks, the trend table, and the gap table with the
standing of each row and its one-sentence headline.

Built on :func:`analysis.report.html_table.html_table`; the standings' colours are shared with
the gap chart (:mod:`analysis.report.charts`).
"""

from __future__ import annotations

import pandas as pd

from analysis.analyses.audit import compare_verdicts
from analysis.analyses.targets import STANDING_LABELS
from analysis.report.html_table import cell_num, check_mark, esc, html_table, num, status_badge, words

# One colour per standing of a gap row: the gap table's words and the gap chart's bars.
STANDING_COLOURS = {
    "achieved": "#1a7f37",
    "on_track": "#4c9a6a",
    "off_track": "#e07b00",
    "far_beyond": "#c62828",
    "impossible": "#5d4037",
    "unknown": "#8a8a8a",
}


def published_pct_cell(r: pd.Series, which: str) -> str:
    """A TH/KH or TH/TH cell: the percentage as published; the recomputation beside it only
    where they disagree (or the reason the data give); the recomputed one, marked, where the
    source printed none; blank where it means nothing (the remark says why)."""
    text = r.get(f"published_{which}_text", "")
    agree = r.get(f"{which}_agrees")
    recomputed = r.get(f"recomputed_{which}_pct")
    if isinstance(text, str) and text:
        cell = f'<span class="n">{esc(text)}</span>'
        if which == "attainment" and r.get("check_note"):
            adj = num(r.get("adjusted_plan"), 3)
            return cell + f'<br><span class="inferred">khớp KH điều chỉnh {esc(adj)}</span>'
        if agree is not pd.NA and agree is not None and not bool(agree):
            return cell + f'<br><span class="bad">tính lại {num(recomputed, 2, percent=True)}</span>'
        return cell
    shown = r.get(f"{which}_pct")
    if shown is None or pd.isna(shown):
        return ""
    return f'<span class="n">{num(shown, 2, percent=True)}</span><br><span class="inferred">(tính)</span>'


def status_cell(r: pd.Series) -> str:
    """The status badge, with the published verdict beneath where it words it otherwise."""
    badge = status_badge(r["status"])
    published = r.get("published_status", "")
    if not isinstance(published, str) or not published.strip() or r.get("status_basis") == "theo báo cáo":
        return badge
    outcome = compare_verdicts(published, str(r["status"]))
    if outcome == "nuance":
        return badge + f'<br><span class="inferred">báo cáo: {esc(published)}</span>'
    if outcome == "slip":
        return badge + f'<br><span class="bad">báo cáo: {esc(published)}</span>'
    return badge


def evaluated_table(ev: pd.DataFrame) -> str:
    """The indicator table with attainment, trend and status.

    Percentages are shown as published (:func:`published_pct_cell`); figures keep the
    decimals of the catalogue; sub-rows are indented under their indicator.
    """
    y = int(ev["year"].iloc[0]) if not ev.empty else 0

    def dec(r: pd.Series) -> int:
        return int(r["decimals"]) if "decimals" in r and not pd.isna(r["decimals"]) else 2

    def plan(r: pd.Series) -> str:
        if not pd.isna(r["plan"]) and r.get("target_kind", "point") in ("point", ""):
            return cell_num(r["plan"], dec(r))
        return words(r["plan_text"]) or cell_num(r["plan"], dec(r))

    def name(r: pd.Series) -> str:
        sub = bool(r.get("parent"))
        text = ("↳ " if sub else "") + esc(r["indicator"])
        if r.get("inferred"):
            text += f' <span class="inferred">(suy luận: {esc(inferred_vi(r["inferred"]))})</span>'
        return text

    table = html_table(
        ev,
        {
            "tt": ("TT", lambda r: esc(r["tt"])),
            "indicator": ("Chỉ tiêu", name),
            "mu": ("ĐVT", lambda r: esc(r["measure_unit"])),
            "prev": (f"TH {y - 1}", lambda r: cell_num(r["previous"], dec(r))),
            "plan": (f"KH {y}", plan),
            "res": (
                f"{'Ước TH' if ev.get('estimate', pd.Series(dtype=bool)).any() else 'TH'} {y}",
                lambda r: cell_num(r["result"], dec(r)),
            ),
            "att": ("TH/KH", lambda r: published_pct_cell(r, "attainment")),
            "trend": (f"TH {y}/{y - 1}", lambda r: published_pct_cell(r, "trend")),
            "status": ("Đánh giá", status_cell),
            "agree": ("Khớp số công bố", lambda r: check_mark(r["agrees"])),
        },
    )
    notes = []
    if "estimate" in ev and ev["estimate"].astype(bool).any():
        notes.append(
            f"Kết quả năm {y} là số ước tại thời điểm báo cáo, nên đánh giá ghi “Dự kiến vượt / Dự kiến đạt / "
            "Dự kiến không đạt”."
        )
    notes.append(
        "TH/KH và TH/TH ghi như số đơn vị công bố; bên dưới ghi số tính lại khi khác, “(tính)” khi nguồn không ghi."
    )
    lower = ev[(ev["direction"] == "lower") & ev["attainment_pct"].notna()]
    if not lower.empty:
        rows = ", ".join(str(t) for t in lower["tt"])
        notes.append(f"Dòng {rows}: chỉ tiêu càng thấp càng tốt; TH/KH dưới 100% là tốt hơn kế hoạch.")
    return table + "".join(f'<p class="note">{esc(n)}</p>' for n in notes)


def inferred_vi(fields: object) -> str:
    """The inferred fields of a row (``direction,target_type``) as the tables name them.

    >>> inferred_vi("direction, measure_unit")
    'hướng, ĐVT'
    """
    names = {"direction": "hướng", "target_type": "loại mục tiêu", "decimals": "số lẻ", "measure_unit": "ĐVT"}
    return ", ".join(names.get(f.strip(), f.strip()) for f in str(fields or "").split(",") if f.strip())


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
    return html_table(
        ev,
        {
            "tt": ("TT", lambda r: esc(r["tt"])),
            "indicator": ("Chỉ tiêu", lambda r: esc(r["indicator"])),
            "mu": ("ĐVT", lambda r: esc(r["measure_unit"])),
            "prev": (f"TH {y - 1}", lambda r: num(r["previous"])),
            "res": (f"TH {y}", lambda r: num(r["result"])),
            "trend": (f"TH {y}/{y - 1}", lambda r: published_pct_cell(r, "trend")),
            "chg": ("Thay đổi", change_text),
        },
    )


def change_text(r: pd.Series) -> str:
    """This year against last: percentage points for a rate, percent for a quantity, the
    count itself for an indicator held down; coloured better / worse.

    >>> change_text(pd.Series({"measure_unit": "%", "previous": 47.6, "result": 52.3, "trend_pct": 109.87,
    ...     "direction": "higher"}))
    '<span class="ok n">+4,7 điểm %</span>'
    """
    prev, res = r.get("previous"), r.get("result")
    if prev is None or res is None or pd.isna(prev) or pd.isna(res):
        return ""
    d = float(res) - float(prev)
    if r.get("measure_unit") == "%":
        text = f"{'+' if d > 0 else '−' if d < 0 else ''}{num(abs(d), 2)} điểm %"
    elif pd.isna(r.get("trend_pct")):
        unit = r.get("measure_unit") or ""
        text = f"{'+' if d > 0 else '−' if d < 0 else ''}{num(abs(d), 2)} {esc(unit)}".rstrip()
    else:
        rel = float(r["trend_pct"]) - 100
        text = f"{'+' if rel > 0 else '−' if rel < 0 else ''}{num(abs(rel), 1)}%"
    better = d > 0 if r.get("direction") != "lower" else d < 0
    cls = "ok" if better else ("bad" if d != 0 else "")
    return f'<span class="{cls} n">{text}</span>'


def standing_word(key: object) -> str:
    """A gap row's standing in the words and colour of the gap chart."""
    if not isinstance(key, str) or key not in STANDING_LABELS:
        return ""
    return f'<b style="color:{STANDING_COLOURS[key]}">{esc(STANDING_LABELS[key])}</b>'


def gaps_table(gaps: pd.DataFrame) -> str:
    """What the final year must reach, per indicator; the last column is the row's standing."""
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
            "flag": ("Xu hướng", lambda r: standing_word(r.get("standing"))),
        },
    )


def gaps_headline(gaps: pd.DataFrame) -> str:
    """One sentence: how the term targets stand (the standings of the gap table)."""
    counted = gaps[gaps["standing"].astype(str) != ""]
    end = int(gaps["term_end"].max()) if not gaps.empty else 0

    def rows(key: str) -> list[str]:
        return [str(t) for t in counted.loc[counted["standing"] == key, "tt"]]

    # a target to meet every year is not "reached" before its last year
    reached = counted[(counted["standing"] == "achieved") & (counted["target_type"] != "every_year")]
    parts = [f"{len(reached)}/{len(counted)} chỉ tiêu có mục tiêu số đã đạt mức {end}"]
    for key, wording in (
        ("on_track", "theo xu hướng đủ để đạt"),
        ("off_track", "theo xu hướng chưa đủ để đạt"),
        ("far_beyond", "cần mức thay đổi vượt xa mọi năm trước"),
        ("impossible", "mục tiêu không thể đạt theo số liệu"),
    ):
        if hit := rows(key):
            parts.append(f"{wording}: dòng {', '.join(hit)}")
    unknown = counted[counted["standing"] == "unknown"]
    counts = unknown["projection_note"].astype(str).str.startswith("không dự báo số")
    if few := [str(t) for t in unknown.loc[~counts, "tt"]]:
        parts.append(f"chưa đạt, chưa đủ số liệu để dự báo: dòng {', '.join(few)}")
    if held := [str(t) for t in unknown.loc[counts, "tt"]]:
        parts.append(f"số vụ phải giảm năm tới (không dự báo theo xu hướng): dòng {', '.join(held)}")
    return "; ".join(parts) + "."
