"""A unit's indicators as the document model (:mod:`analysis.report.document`): the evaluated
table (figures, attainment and trend as published, status) with its notes and remarks, the
trend table, and the gap table with the standing of each row and its one-sentence headline.

Built on :mod:`analysis.report.cells`; the standings' colours are shared with the gap chart
(:mod:`analysis.report.charts`) and the writers.
"""

from __future__ import annotations

import pandas as pd

from analysis.analyses.audit import compare_verdicts
from analysis.analyses.targets import STANDING_LABELS
from analysis.report.cells import check_span, join, num, num_cell, num_span, para, section, span, status_span, table
from analysis.report.document import BulletList, Cell, Inline, Section, Table, cell

# One colour per standing of a gap row: the gap table's words and the gap chart's bars.
STANDING_COLOURS = {
    "achieved": "#1a7f37",
    "on_track": "#4c9a6a",
    "off_track": "#e07b00",
    "far_beyond": "#c62828",
    "impossible": "#5d4037",
    "unknown": "#8a8a8a",
}


def published_pct_cell(r: pd.Series, which: str) -> Cell:
    """A TH/KH or TH/TH cell: the percentage as published; the recomputation beside it only
    where they disagree (or the reason the data give); the recomputed one, marked, where the
    source printed none; blank where it means nothing (the remark says why)."""
    text = r.get(f"published_{which}_text", "")
    agree = r.get(f"{which}_agrees")
    recomputed = r.get(f"recomputed_{which}_pct")
    if isinstance(text, str) and text:
        shown = span(text, "num")
        if which == "attainment" and r.get("check_note"):
            adj = num(r.get("adjusted_plan"), 3)
            return cell(shown, span(f"khớp KH điều chỉnh {adj}", "inferred"))
        if agree is not pd.NA and agree is not None and not bool(agree):
            return cell(shown, span(f"tính lại {num(recomputed, 2, percent=True)}", "bad"))
        return cell(shown)
    value = r.get(f"{which}_pct")
    if value is None or pd.isna(value):
        return Cell()
    return cell(num_span(value, 2, percent=True), span("(tính)", "inferred"), value=float(value))


def status_cell(r: pd.Series) -> Cell:
    """The status word, with the published verdict beneath where it words it otherwise."""
    badge = status_span(r["status"])
    published = r.get("published_status", "")
    if not isinstance(published, str) or not published.strip() or r.get("status_basis") == "theo báo cáo":
        return cell(badge)
    outcome = compare_verdicts(published, str(r["status"]))
    if outcome == "nuance":
        return cell(badge, span(f"báo cáo: {published}", "inferred"))
    if outcome == "slip":
        return cell(badge, span(f"báo cáo: {published}", "bad"))
    return cell(badge)


def evaluated_table(ev: pd.DataFrame) -> Section:
    """The indicator table with attainment, trend and status, and its notes.

    Percentages are shown as published (:func:`published_pct_cell`); figures keep the
    decimals of the catalogue; sub-rows are indented under their indicator.
    """
    y = int(ev["year"].iloc[0]) if not ev.empty else 0

    def dec(r: pd.Series) -> int:
        return int(r["decimals"]) if "decimals" in r and not pd.isna(r["decimals"]) else 2

    def plan(r: pd.Series) -> Cell:
        if not pd.isna(r["plan"]) and r.get("target_kind", "point") in ("point", ""):
            return num_cell(r["plan"], dec(r))
        words = plan_words(r)
        return cell(span(words, "words")) if words else num_cell(r["plan"], dec(r))

    def name(r: pd.Series) -> Inline:
        sub = bool(r.get("parent"))
        out = span(("↳ " if sub else "") + str(r["indicator"]))
        if r.get("inferred"):
            out += span(f" (suy luận: {inferred_vi(r['inferred'])})", "inferred")
        return out

    def illustrative(r: pd.Series) -> bool:
        return bool(r.get("illustrative", False)) if "illustrative" in r else False

    estimate = bool(ev.get("estimate", pd.Series(dtype=bool)).astype(bool).any())
    t = table(
        ev,
        {
            "tt": ("TT", "stt", lambda r: span(r["tt"])),
            "indicator": ("Chỉ tiêu", "name", name),
            "mu": ("ĐVT", "unit", lambda r: span(r["measure_unit"])),
            "prev": (f"TH {y - 1}", "number", lambda r: num_cell(r["previous"], dec(r))),
            "plan": (f"KH {y}", "number", plan),
            "res": (f"{'Ước TH' if estimate else 'TH'} {y}", "number", lambda r: num_cell(r["result"], dec(r))),
            "att": ("TH/KH", "percent", lambda r: published_pct_cell(r, "attainment")),
            "trend": (f"TH {y}/{y - 1}", "percent", lambda r: published_pct_cell(r, "trend")),
            "status": ("Đánh giá", "status", status_cell),
            "agree": ("Khớp số công bố", "check", lambda r: check_span(r["agrees"])),
        },
        key="evaluated",
        depth=lambda r: 1 if r.get("parent") else 0,
        illustrative=illustrative,
    )
    notes = []
    if estimate:
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
    return section(t, *(para(n, role="note") for n in notes))


def plan_words(r: pd.Series) -> str:
    """A plan written in words, without the indicator's own wording where the plan repeats it
    (the cell beside the name says only what the plan adds).

    >>> plan_words(pd.Series({"indicator": "Tỷ lệ che phủ rừng", "plan_text": "Tỷ lệ che phủ rừng đạt 67%"}))
    'đạt 67%'
    >>> plan_words(pd.Series({"indicator": "Giảm nghèo", "plan_text": "trên 3%"}))
    'trên 3%'
    >>> plan_words(pd.Series({"indicator": "Không để xảy ra cháy rừng", "plan_text": "Không để xảy ra cháy rừng"}))
    'như nội dung chỉ tiêu'
    """
    words = str(r.get("plan_text") or "").strip()
    if not words or words in ("nan", "<NA>"):
        return ""
    name = str(r.get("indicator") or "").strip()
    if name and " ".join(words.split()).casefold() == " ".join(name.split()).casefold():
        return "như nội dung chỉ tiêu"
    if name and words.casefold().startswith(name.casefold()) and len(words) > len(name):
        rest = words[len(name) :].lstrip(" :,-–")
        return rest or words
    return words


def inferred_vi(fields: object) -> str:
    """The inferred fields of a row (``direction,target_type``) as the tables name them.

    >>> inferred_vi("direction, measure_unit")
    'hướng, ĐVT'
    """
    names = {"direction": "hướng", "target_type": "loại mục tiêu", "decimals": "số lẻ", "measure_unit": "ĐVT"}
    return ", ".join(names.get(f.strip(), f.strip()) for f in str(fields or "").split(",") if f.strip())


def remarks_list(ev: pd.DataFrame) -> Section:
    """The remarks of an evaluated table (undefined ratios, adjusted plans) as a list (an empty
    section when there are none)."""
    rows = ev[ev["remark"].astype(str) != ""]
    if rows.empty:
        return section()
    items = tuple(join(f"Dòng {r['tt']}: {r['remark']}") for _, r in rows.iterrows())
    return section(para("Ghi chú:", role="remark"), BulletList(items, style="remarks"))


def trend_table(ev: pd.DataFrame) -> Table:
    """This year against last year, indicator by indicator."""
    y = int(ev["year"].iloc[0]) if not ev.empty else 0
    return table(
        ev,
        {
            "tt": ("TT", "stt", lambda r: span(r["tt"])),
            "indicator": ("Chỉ tiêu", "name", lambda r: span(r["indicator"])),
            "mu": ("ĐVT", "unit", lambda r: span(r["measure_unit"])),
            "prev": (f"TH {y - 1}", "number", lambda r: num_cell(r["previous"])),
            "res": (f"TH {y}", "number", lambda r: num_cell(r["result"])),
            "trend": (f"TH {y}/{y - 1}", "percent", lambda r: published_pct_cell(r, "trend")),
            "chg": ("Thay đổi", "number", change_text),
        },
        key="trend",
    )


def change_text(r: pd.Series) -> Inline:
    """This year against last: percentage points for a rate, percent for a quantity, the
    count itself for an indicator held down; marked better / worse.

    >>> change_text(pd.Series({"measure_unit": "%", "previous": 47.6, "result": 52.3, "trend_pct": 109.87,
    ...     "direction": "higher"}))
    (Span(text='+4,7 điểm %', mark='better', status=''),)
    """
    prev, res = r.get("previous"), r.get("result")
    if prev is None or res is None or pd.isna(prev) or pd.isna(res):
        return ()
    d = float(res) - float(prev)
    if r.get("measure_unit") == "%":
        text = f"{'+' if d > 0 else '−' if d < 0 else ''}{num(abs(d), 2)} điểm %"
    elif pd.isna(r.get("trend_pct")):
        unit = r.get("measure_unit") or ""
        text = f"{'+' if d > 0 else '−' if d < 0 else ''}{num(abs(d), 2)} {unit}".rstrip()
    else:
        rel = float(r["trend_pct"]) - 100
        text = f"{'+' if rel > 0 else '−' if rel < 0 else ''}{num(abs(rel), 1)}%"
    better = d > 0 if r.get("direction") != "lower" else d < 0
    return span(text, "better" if better else ("worse" if d != 0 else "num"))


def standing_word(key: object) -> Inline:
    """A gap row's standing in the words (and, in the writers, the colour) of the gap chart."""
    if not isinstance(key, str) or key not in STANDING_LABELS:
        return ()
    return span(STANDING_LABELS[key], "standing", key)


def gaps_table(gaps: pd.DataFrame) -> Table:
    """What the final year must reach, per indicator; the last column is the row's standing."""
    return table(
        gaps,
        {
            "tt": ("TT", "stt", lambda r: span(r["tt"])),
            "indicator": ("Chỉ tiêu", "name", lambda r: span(r["indicator"])),
            "target": (
                "Mục tiêu",
                "text",
                lambda r: (
                    span(r["target_text"])
                    + (span(f" ({r['target_from']})", "inferred") if r.get("target_from") else ())
                ),
            ),
            "expl": ("Phải đạt / nhận định", "text", lambda r: span(r["explanation"])),
            "flag": ("Xu hướng", "text", lambda r: standing_word(r.get("standing"))),
        },
        key="gaps",
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
