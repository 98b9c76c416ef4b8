"""The packs' charts, drawn as SVG (:mod:`analysis.report.svg`); labels are Vietnamese.

Each function returns a :class:`Chart`, which a notebook shows with ``display(chart)``: the
same SVG goes into the HTML page and the PDF. A chart draws what the reader needs and little
else: bars of one colour are one path, grid lines another; styles are constants of this
module, nothing is set globally.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.analyses.targets import STANDING_LABELS
from analysis.analyses.tasks import ScoreBand
from analysis.io.numbers import format_compact
from analysis.io.schema import Kind, Status
from analysis.report.present import STANDING_COLOURS
from analysis.report.svg import WIDTH, Canvas, fit_text, nice_ticks, text_width, tick_label

STATUS_COLOURS = {
    Status.EXCEEDED.value: "#1a7f37",
    Status.EXPECTED_EXCEEDED.value: "#1a7f37",
    Status.ACHIEVED.value: "#4c9a6a",
    Status.EXPECTED.value: "#4c9a6a",
    Status.NOT_ACHIEVED.value: "#c62828",
    Status.EXPECTED_NOT_ACHIEVED.value: "#c62828",
    Status.UNKNOWN.value: "#9e9e9e",
}
INK, GREY, GRID = "#333333", "#666666", "#e3e3e3"
BLUE, ORANGE, RED, PEER = "#1f4e79", "#e07b00", "#c62828", "#8fa9c4"
TITLE, LABEL, SMALL = 13.0, 11.0, 10.0  # font sizes (CSS px)
ROW = 15.0  # height of one bar's row
#: Above this many communes, a parent's communes are drawn as sorted columns without names.
MAX_NAMED_BARS = 40


@dataclass(frozen=True)
class Chart:
    """An SVG chart; shown by IPython as ``image/svg+xml``."""

    svg: str
    title: str

    def _repr_svg_(self) -> str:
        return self.svg

    def __repr__(self) -> str:
        return f"<Biểu đồ: {self.title}>"


def _label(tt: object, name: str, width: int = 38) -> str:
    short = textwrap.shorten(str(name), width=width, placeholder="…")
    return f"{tt}. {short}"


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    colours: Sequence[str],
    *,
    title: str,
    xlabel: Sequence[str] = (),
    refs: Sequence[tuple[float, str, str]] = (),
    marks: Sequence[float] | None = None,
    limits: tuple[float, float] | None = None,
    legend: Sequence[tuple[str, str]] = (),
    hatched: Sequence[bool] = (),
) -> Chart:
    """Horizontal bars, first label at the top. ``refs``: vertical lines (value, colour, dash);
    ``marks``: a tick per bar (NaN: none); ``limits``: the value axis (default 0 to the largest
    value or line, rounded up); ``legend``: (colour, text) squares under the axis; ``hatched``:
    bars striped (per bar; default none)."""
    finite = [
        v for v in [*values, *(r[0] for r in refs), *(marks or [])] if isinstance(v, float | int) and math.isfinite(v)
    ]
    low, high = limits or (min(0.0, *finite) if finite else 0.0, max(finite, default=1.0))
    ticks = nice_ticks(low, high) if limits is None else nice_ticks(*limits)
    lo, hi = (ticks[0], ticks[-1]) if limits is None else limits
    label_w = min(max((text_width(t, LABEL) for t in labels), default=0), WIDTH * 0.45)
    left, right, top = label_w + 12, WIDTH - 14, 26.0
    height_plot = ROW * max(len(labels), 1)
    bottom = top + height_plot
    legend_rows = _legend_rows(legend, WIDTH - 20)
    total = bottom + 18 + 14 * len(xlabel) + 16 * len(legend_rows) + 6
    c = Canvas(WIDTH, total, title=title)

    def x(v: float) -> float:
        return left + (min(max(v, lo), hi) - lo) / ((hi - lo) or 1) * (right - left)

    c.text(2, 16, fit_text(title, TITLE, WIDTH - 4), size=TITLE)
    c.lines([(x(t), top, x(t), bottom) for t in ticks], GRID)
    by_colour: dict[str, list[tuple[float, float, float, float]]] = {}
    stripes: list[tuple[float, float, float, float]] = []
    for i, (label, value, colour) in enumerate(zip(labels, values, colours)):
        y = top + i * ROW
        c.text(left - 6, y + ROW * 0.72, fit_text(label, LABEL, label_w), size=LABEL, anchor="end")
        if isinstance(value, float | int) and math.isfinite(value):
            x0, x1 = x(max(lo, 0.0) if lo < 0 < hi else lo), x(value)
            box = (min(x0, x1), y + ROW * 0.15, abs(x1 - x0), ROW * 0.7)
            by_colour.setdefault(colour, []).append(box)
            if i < len(hatched) and hatched[i]:
                stripes.append(box)
    for colour, boxes in by_colour.items():
        c.bars(boxes, colour)
    c.hatch(stripes)
    if marks is not None:
        ticks_at = [
            (x(m), top + i * ROW + 1, x(m), top + (i + 1) * ROW - 1) for i, m in enumerate(marks) if math.isfinite(m)
        ]
        c.lines(ticks_at, BLUE, width=2)
    for value, colour, dash in refs:
        c.line(x(value), top - 2, x(value), bottom, colour, width=1.2, dash=dash)
    c.line(left, bottom, right, bottom, INK)
    c.lines([(x(t), bottom, x(t), bottom + 4) for t in ticks], INK)
    for t in ticks:
        c.text(x(t), bottom + 15, tick_label(t), size=SMALL, anchor="middle")
    y = bottom + 18
    centre = (left + right) / 2
    for line in xlabel:
        y += 14
        c.text(centre, y, fit_text(line, SMALL, 2 * min(centre, WIDTH - centre) - 8), size=SMALL, anchor="middle")
    for row in legend_rows:
        y += 16
        cx = 10.0
        for colour, text in row:
            c.rect(cx, y - 9, 10, 10, colour)
            c.text(cx + 14, y, text, size=SMALL)
            cx += 24 + text_width(text, SMALL)
    return Chart(c.to_svg(), title)


def _legend_rows(items: Sequence[tuple[str, str]], width: float) -> list[list[tuple[str, str]]]:
    rows: list[list[tuple[str, str]]] = []
    used = width
    for colour, text in items:
        w = 24 + text_width(text, SMALL)
        if used + w > width:
            rows.append([])
            used = 0.0
        rows[-1].append((colour, text))
        used += w
    return rows


def attainment_shares(evaluated: pd.DataFrame) -> pd.DataFrame:
    """What the TH/KH chart draws: per indicator the published TH/KH (else the recomputed
    one); for a lower-is-better indicator KH/TH, so that longer is always better and a
    failure never looks like the best bar. Rows without a meaningful TH/KH are left out."""
    ev = evaluated.copy()
    pub = ev["published_attainment_pct"] if "published_attainment_pct" in ev else pd.Series(float("nan"), ev.index)
    shown = pub.where(pub.notna(), ev["attainment_pct"])
    lower = ev["direction"] == "lower"
    inverted = (ev["plan"] / ev["result"] * 100).where(ev["result"] > 0)
    ev["share"] = shown.where(~lower, inverted.where(ev["attainment_pct"].notna() | pub.notna()))
    ev["inverted"] = lower
    return ev


def attainment_chart(evaluated: pd.DataFrame, *, title: str = "Mức đạt kế hoạch (TH/KH, %)") -> Chart:
    """Horizontal bars of TH/KH per indicator, coloured by status, with the 100% line; for an
    indicator where lower is better the bar is KH/TH (hatched), so longer is always better."""
    all_rows = attainment_shares(evaluated)
    ev = all_rows.dropna(subset=["share"])
    left_out = all_rows[all_rows["share"].isna()]
    notes = ["% kế hoạch (cắt ở 200%; đường đứt: 100%)"]
    if ev["inverted"].any():
        notes.append("vạch chéo: chỉ tiêu càng thấp càng tốt, vẽ KH/TH")
    if not left_out.empty:
        notes.append("không vẽ dòng " + ", ".join(str(t) for t in left_out["tt"]) + " (TH/KH để trống, xem ghi chú)")
    present = [s for s in STATUS_COLOURS if s in set(ev["status"])]
    return bar_chart(
        [_label(t, n) for t, n in zip(ev["tt"], ev["indicator"], strict=True)],
        [min(float(v), 200.0) for v in ev["share"]],
        [STATUS_COLOURS.get(s, STATUS_COLOURS[Status.UNKNOWN]) for s in ev["status"]],
        title=title,
        xlabel=notes,
        refs=[(100.0, INK, "4 3")],
        legend=[(STATUS_COLOURS[s], s) for s in present],
        hatched=[bool(v) for v in ev["inverted"]],
    )


def gap_shares(gaps: pd.DataFrame) -> pd.DataFrame:
    """What the gap chart draws: the latest value as a share of what the target year must
    reach (the other way round where lower is better), and the projection likewise; only
    rows with a standing (:func:`analysis.analyses.targets.standing`), coloured by it."""
    g = gaps[(gaps["standing"].astype(str) != "")].dropna(subset=["required_value", "latest_value"])
    g = g[(g["required_value"] > 0) & (g["latest_value"] > 0)].copy()
    lower = g["direction"] == "lower"
    g["share"] = (g["latest_value"] / g["required_value"] * 100).where(
        ~lower, g["required_value"] / g["latest_value"] * 100
    )
    g["projected_share"] = (g["projected_value"] / g["required_value"] * 100).where(
        ~lower, g["required_value"] / g["projected_value"] * 100
    )
    g["colour"] = g["standing"].map(STANDING_COLOURS)
    return g


def gap_chart(gaps: pd.DataFrame, *, title: str = "Khoảng cách tới mục tiêu năm 2025") -> Chart:
    """Latest value as a share of what the target year must reach, coloured by the same
    standing as the gap table's words, with the projection where there is one."""
    g = gap_shares(gaps)
    left_out = gaps[~gaps["tt"].isin(g["tt"])]
    notes = ["% so với mức phải đạt (chỉ tiêu càng thấp càng tốt: mức phải đạt / hiện tại)", "| dự báo theo xu hướng"]
    if not left_out.empty:
        notes[1] += "; không vẽ dòng " + ", ".join(str(t) for t in left_out["tt"]) + " (xem bảng)"
    present = [k for k in STANDING_COLOURS if k in set(g["standing"])]
    return bar_chart(
        [_label(t, n) for t, n in zip(g["tt"], g["indicator"], strict=True)],
        [min(float(s), 150.0) for s in g["share"]],
        [str(c) for c in g["colour"]],
        title=title,
        xlabel=notes,
        refs=[(100.0, INK, "4 3")],
        marks=[min(float(p), 150.0) if pd.notna(p) else float("nan") for p in g["projected_share"]],
        legend=[(STANDING_COLOURS[k], STANDING_LABELS[k]) for k in present],
    )


def scores_chart(
    tasks: pd.DataFrame, bands: Sequence[ScoreBand], *, title: str = "Điểm tự chấm các nhiệm vụ trọng tâm"
) -> Chart:
    """Self-scores per key task, with the class thresholds."""
    t = tasks.dropna(subset=["self_score"])
    minimums = [m for b in bands if (m := getattr(b, "min", getattr(b, "minimum", None)))]
    return bar_chart(
        [_label(k, n, 50) for k, n in zip(t["task"], t["title"])],
        [float(s) for s in t["self_score"]],
        [BLUE] * len(t),
        title=title,
        xlabel=["điểm (đường chấm: ngưỡng xếp loại)"],
        refs=[(float(m), GREY, "2 2") for m in minimums],
        limits=(0.0, 100.0),
    )


def communes_chart(
    comparison: pd.DataFrame, indicator_id: str, highlight: str, *, title: str = "", area: str = "huyện"
) -> Chart:
    """One indicator across the communes of a parent (``area``: huyện or tỉnh), the briefed
    commune highlighted and the parent's median dashed. Up to :data:`MAX_NAMED_BARS` communes
    as named bars; more (a province's hundred) as sorted columns, the commune named."""
    c = comparison[comparison["indicator_id"] == indicator_id].sort_values("result", ascending=False, kind="stable")
    title = title or (str(c["indicator"].iloc[0]) if not c.empty else indicator_id)
    median = float(c["district_median"].iloc[0]) if not c.empty and "district_median" in c else float("nan")
    names = [str(n) for n in (c["name"] if "name" in c else c["unit"])]
    illustrative = bool(c["illustrative"].any()) if "illustrative" in c else False
    note = f"kết quả (đường đứt: trung vị {area})" + (" — SỐ LIỆU MINH HỌA" if illustrative else "")
    if len(c) > MAX_NAMED_BARS:
        return _columns_chart(c, names, highlight, title=title, median=median, note=note)
    return bar_chart(
        names,
        [float(v) for v in c["result"]],
        [RED if u == highlight else PEER for u in c["unit"]],
        title=title,
        xlabel=[note],
        refs=[(median, INK, "4 3")] if math.isfinite(median) else [],
    )


def _columns_chart(c: pd.DataFrame, names: list[str], highlight: str, *, title: str, median: float, note: str) -> Chart:
    """Many communes: one column each, from the best rank to the worst (the direction of the
    indicator decides), the commune in red and named with its value and rank."""
    c = c.assign(_rank=c["rank"].astype("Float64").fillna(math.inf)).sort_values("_rank", kind="stable")
    names = [str(n) for n in (c["name"] if "name" in c else c["unit"])]
    values = [float(v) for v in c["result"]]
    shown = [v for v in values if math.isfinite(v)]
    ticks = nice_ticks(min(0.0, *shown) if shown else 0.0, max(shown, default=1.0))
    left, right, top, bottom = 44.0, WIDTH - 8, 44.0, 184.0
    canvas = Canvas(WIDTH, bottom + 40, title=title)
    canvas.text(2, 16, fit_text(title, TITLE, WIDTH - 4), size=TITLE)
    step = (right - left) / len(values)

    def y(v: float) -> float:
        return bottom - (v - ticks[0]) / ((ticks[-1] - ticks[0]) or 1) * (bottom - top)

    canvas.lines([(left, y(t), right, y(t)) for t in ticks], GRID)
    for t in ticks:
        canvas.text(left - 5, y(t) + 4, tick_label(t), size=SMALL, anchor="end")
    peers: list[tuple[int, tuple[float, float, float, float]]] = []
    mine: list[tuple[int, tuple[float, float, float, float]]] = []
    base = y(max(ticks[0], 0.0))
    for i, (unit, v) in enumerate(zip(c["unit"], values)):
        if math.isfinite(v):
            box = (left + i * step + step * 0.1, min(y(v), base), step * 0.8, abs(base - y(v)))
            (mine if unit == highlight else peers).append((i, box))
    canvas.bars([b for _, b in peers], PEER)
    canvas.bars([b for _, b in mine], RED)
    if math.isfinite(median):
        canvas.line(left, y(median), right, y(median), INK, width=1.2, dash="4 3")
    canvas.line(left, bottom, right, bottom, INK)
    for i, box in mine:
        rank = "" if pd.isna(c["rank"].iloc[i]) else f" — hạng {int(c['rank'].iloc[i])}/{int(c['n_communes'].iloc[i])}"
        text = f"{names[i]}: {format_compact(values[i], 2)}{rank}"
        x = box[0] + box[2] / 2
        anchor = "start" if x < WIDTH / 2 else "end"
        canvas.line(x, box[1] - 2, x, 30, RED, width=1)
        canvas.text(x + (4 if anchor == "start" else -4), 38, text, size=LABEL, anchor=anchor, fill=RED, bold=True)
    canvas.text(left, bottom + 16, f"{len(values)} xã, từ hạng 1 (tốt nhất) tới hạng cuối", size=SMALL)
    canvas.text((left + right) / 2, bottom + 32, fit_text(note, SMALL, WIDTH - 8), size=SMALL, anchor="middle")
    return Chart(canvas.to_svg(), title)


def trend_chart(
    observations: pd.DataFrame, evaluated: pd.DataFrame, *, columns: int = 4, title: str = "Diễn biến qua các năm"
) -> Chart:
    """Small multiples: each indicator's results by year, with plans and the term target."""
    rows_n = -(-len(evaluated) // columns)
    cell_w, cell_h, top = WIDTH / columns, 118.0, 28.0
    c = Canvas(WIDTH, top + rows_n * cell_h + 4, title=title)
    c.text(2, 16, fit_text(f"{title} (● kết quả, — kế hoạch, ★ mục tiêu nhiệm kỳ)", TITLE, WIDTH - 4), size=TITLE)
    obs = observations[observations["unit"] == evaluated["unit"].iloc[0]] if not evaluated.empty else observations
    for k, (_, ind) in enumerate(evaluated.iterrows()):
        ox, oy = (k % columns) * cell_w, top + (k // columns) * cell_h
        o = obs[obs["indicator_id"] == ind["indicator_id"]].dropna(subset=["value"])
        res = o[o["kind"].isin([Kind.RESULT, Kind.ESTIMATE])].drop_duplicates("year").sort_values("year")
        plan = o[o["kind"] == Kind.PLAN].drop_duplicates("year").sort_values("year")
        target = o[o["kind"] == Kind.TERM_TARGET]
        if ind["target_type"] in ("yearly_reduction", "growth"):
            plan = plan[plan["year"] <= ind["year"]]  # next year's plan is a rate, not a level
        if ind["target_type"] in ("yearly_reduction", "growth", "stock"):
            target = target.iloc[:0]
        c.text(ox + 4, oy + 12, fit_text(f"{ind['tt']}. {ind['indicator']}", 9.5, cell_w - 8), size=9.5)
        years = sorted({int(y) for y in (*res["year"], *plan["year"], *target["year"])})
        values = [float(v) for v in (*res["value"], *plan["value"], *target["value"])]
        if not years or not values:
            continue
        left, right, ptop, pbottom = ox + 34, ox + cell_w - 10, oy + 22, oy + cell_h - 22
        ticks = nice_ticks(min(values), max(values), 3)

        def px(year: float, left: float = left, right: float = right, years: list[int] = years) -> float:
            return (
                (left + right) / 2
                if len(years) == 1
                else left + (year - years[0]) / (years[-1] - years[0]) * (right - left)
            )

        def py(v: float, ticks: list[float] = ticks, ptop: float = ptop, pbottom: float = pbottom) -> float:
            return pbottom - (v - ticks[0]) / ((ticks[-1] - ticks[0]) or 1) * (pbottom - ptop)

        c.lines([(left, py(t), right, py(t)) for t in (ticks[0], ticks[-1])], GRID)
        c.text(left - 3, py(ticks[-1]) + 3, tick_label(ticks[-1]), size=8, anchor="end", fill=GREY)
        c.text(left - 3, py(ticks[0]) + 3, tick_label(ticks[0]), size=8, anchor="end", fill=GREY)
        for year in years:
            c.text(px(year), pbottom + 13, f"'{year % 100:02d}", size=8, anchor="middle", fill=GREY)
        points = [(px(float(yr)), py(float(v))) for yr, v in zip(res["year"], res["value"])]
        c.polyline(points, BLUE, width=1.5)
        for x, y in points:
            c.circle(x, y, 2.5, BLUE)
        c.lines(
            [
                (px(float(yr)) - 5, py(float(v)), px(float(yr)) + 5, py(float(v)))
                for yr, v in zip(plan["year"], plan["value"])
            ],
            ORANGE,
            width=2,
        )
        for yr, v in zip(target["year"], target["value"]):
            c.text(px(float(yr)), py(float(v)) + 4, "★", size=11, anchor="middle", fill=RED)
    return Chart(c.to_svg(), title)
