"""Matplotlib figures of the briefing packs. Each function returns a Figure and
draws nothing else; labels are Vietnamese, the reader's language."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from analysis.analyses.targets import STANDING_LABELS
from analysis.analyses.tasks import ScoreBand
from analysis.io.schema import Kind, Status
from analysis.report.present import STANDING_COLOURS

STATUS_COLOURS = {
    Status.EXCEEDED.value: "#1a7f37",
    Status.EXPECTED_EXCEEDED.value: "#1a7f37",
    Status.ACHIEVED.value: "#4c9a6a",
    Status.EXPECTED.value: "#4c9a6a",
    Status.NOT_ACHIEVED.value: "#c62828",
    Status.EXPECTED_NOT_ACHIEVED.value: "#c62828",
    Status.UNKNOWN.value: "#9e9e9e",
}

plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 8.5,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "figure.dpi": 110,
        "savefig.dpi": 110,
        "svg.hashsalt": "analysis",
    }
)


def _label(tt: object, name: str, width: int = 38) -> str:
    short = textwrap.shorten(str(name), width=width, placeholder="…")
    return f"{tt}. {short}"


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


def attainment_chart(evaluated: pd.DataFrame, *, title: str = "Mức đạt kế hoạch (TH/KH, %)") -> Figure:
    """Horizontal bars of TH/KH per indicator, coloured by status, with the 100% line; for an
    indicator where lower is better the bar is KH/TH (hatched), so longer is always better."""
    all_rows = attainment_shares(evaluated)
    ev = all_rows.dropna(subset=["share"]).iloc[::-1]
    left_out = all_rows[all_rows["share"].isna()]
    fig, ax = plt.subplots(figsize=(7.2, 0.22 * max(len(ev), 4) + 1.2))
    colours = [STATUS_COLOURS.get(s, STATUS_COLOURS[Status.UNKNOWN]) for s in ev["status"]]
    bars = ax.barh(
        [_label(t, n) for t, n in zip(ev["tt"], ev["indicator"], strict=True)],
        ev["share"].clip(upper=200),
        color=colours,
        height=0.7,
    )
    for bar, inverted in zip(bars, ev["inverted"], strict=True):
        if inverted:
            bar.set_hatch("///")
            bar.set_edgecolor("white")
    ax.axvline(100, color="#333333", linewidth=0.8, linestyle="--")
    notes = ["% kế hoạch (cắt ở 200%)"]
    if ev["inverted"].any():
        notes.append("vạch chéo: chỉ tiêu càng thấp càng tốt, vẽ KH/TH")
    if not left_out.empty:
        notes.append("không vẽ dòng " + ", ".join(str(t) for t in left_out["tt"]) + " (TH/KH để trống, xem ghi chú)")
    ax.set_xlabel("\n".join(notes))
    ax.set_title(title, loc="left", fontsize=10)
    present = [s for s in STATUS_COLOURS if s in set(ev["status"])]
    handles = [Rectangle((0, 0), 1, 1, color=STATUS_COLOURS[s]) for s in present]
    fig.legend(handles, present, loc="lower center", ncol=3, fontsize=7.5, frameon=False)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def trend_chart(
    observations: pd.DataFrame, evaluated: pd.DataFrame, *, columns: int = 4, title: str = "Diễn biến qua các năm"
) -> Figure:
    """Small multiples: each indicator's results by year, with plans and the term target."""
    ids = list(evaluated["indicator_id"])
    rows = -(-len(ids) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(7.4, 1.45 * rows + 0.5), squeeze=False)
    obs = observations[observations["unit"] == evaluated["unit"].iloc[0]]
    for ax, (_, ind) in zip(axes.flat, evaluated.iterrows()):
        o = obs[obs["indicator_id"] == ind["indicator_id"]].dropna(subset=["value"])
        res = o[o["kind"].isin([Kind.RESULT, Kind.ESTIMATE])].drop_duplicates("year").sort_values("year")
        plan = o[o["kind"] == Kind.PLAN].drop_duplicates("year").sort_values("year")
        target = o[o["kind"] == Kind.TERM_TARGET]
        if ind["target_type"] in ("yearly_reduction", "growth"):
            plan = plan[plan["year"] <= ind["year"]]  # next year's plan is a rate, not a level
        ax.plot(res["year"], res["value"], marker="o", markersize=3, color="#1f4e79", linewidth=1.2)
        ax.plot(plan["year"], plan["value"], marker="_", markersize=8, linestyle="none", color="#e07b00")
        if not target.empty and ind["target_type"] not in ("yearly_reduction", "growth", "stock"):
            ax.plot(target["year"], target["value"], marker="*", markersize=7, linestyle="none", color="#c62828")
        ax.set_title(
            textwrap.shorten(f"{ind['tt']}. {ind['indicator']}", 30, placeholder="…"), fontsize=6.5, loc="left"
        )
        ax.tick_params(labelsize=6)
        years = sorted(set(res["year"]) | set(plan["year"]) | set(target["year"]))
        if years:
            ax.set_xticks([int(y) for y in years])
            ax.set_xticklabels([f"'{int(y) % 100:02d}" for y in years])
    for ax in list(axes.flat)[len(ids) :]:
        ax.axis("off")
    fig.suptitle(f"{title} (● kết quả, — kế hoạch, ★ mục tiêu nhiệm kỳ)", fontsize=9, x=0.01, ha="left")
    fig.tight_layout()
    return fig


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


def gap_chart(gaps: pd.DataFrame, *, title: str = "Khoảng cách tới mục tiêu năm 2025") -> Figure:
    """Latest value as a share of what the target year must reach, coloured by the same
    standing as the gap table's words, with the projection where there is one."""
    g = gap_shares(gaps).iloc[::-1]
    left_out = gaps[~gaps["tt"].isin(g["tt"])]
    fig, ax = plt.subplots(figsize=(7.2, 0.22 * max(len(g), 4) + 1.6))
    labels = [_label(t, n) for t, n in zip(g["tt"], g["indicator"], strict=True)]
    ax.barh(labels, g["share"].clip(upper=150), color=list(g["colour"]), height=0.7)
    ax.plot(g["projected_share"].clip(upper=150), labels, marker="|", markersize=9, linestyle="none", color="#1f4e79")
    ax.axvline(100, color="#333333", linewidth=0.8, linestyle="--")
    notes = ["% so với mức phải đạt (chỉ tiêu càng thấp càng tốt: mức phải đạt / hiện tại)", "| dự báo theo xu hướng"]
    if not left_out.empty:
        notes[1] += "; không vẽ dòng " + ", ".join(str(t) for t in left_out["tt"]) + " (xem bảng)"
    ax.set_xlabel("\n".join(notes), fontsize=7.5)
    ax.set_title(title, loc="left", fontsize=10)
    present = [k for k in STANDING_COLOURS if k in set(g["standing"])]
    handles = [Rectangle((0, 0), 1, 1, color=STANDING_COLOURS[k]) for k in present]
    fig.legend(handles, [STANDING_LABELS[k] for k in present], loc="lower center", ncol=3, fontsize=7.5, frameon=False)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig


def scores_chart(
    tasks: pd.DataFrame, bands: Sequence[ScoreBand], *, title: str = "Điểm tự chấm các nhiệm vụ trọng tâm"
) -> Figure:
    """Self-scores per key task, with the class thresholds."""
    t = tasks.dropna(subset=["self_score"]).iloc[::-1]
    fig, ax = plt.subplots(figsize=(7.2, 0.26 * max(len(t), 4) + 0.9))
    ax.barh([_label(k, n, 50) for k, n in zip(t["task"], t["title"])], t["self_score"], color="#1f4e79", height=0.6)
    for band in bands:
        minimum = getattr(band, "min", getattr(band, "minimum", None))
        if minimum:
            ax.axvline(minimum, color="#999999", linewidth=0.7, linestyle=":")
    ax.set_xlim(0, 100)
    ax.set_xlabel("điểm (đường chấm: ngưỡng xếp loại)")
    ax.set_title(title, loc="left", fontsize=10)
    fig.tight_layout()
    return fig


def communes_chart(comparison: pd.DataFrame, indicator_id: str, highlight: str, *, title: str = "") -> Figure:
    """One indicator across the communes of a district, the briefed commune highlighted."""
    c = comparison[comparison["indicator_id"] == indicator_id].sort_values("result")
    fig, ax = plt.subplots(figsize=(7.2, 0.2 * max(len(c), 4) + 0.9))
    colours = ["#c62828" if u == highlight else "#8fa9c4" for u in c["unit"]]
    ax.barh(c["name"] if "name" in c else c["unit"], c["result"], color=colours, height=0.7)
    if not c.empty and "district_median" in c:
        ax.axvline(c["district_median"].iloc[0], color="#333333", linewidth=0.8, linestyle="--")
    ax.set_title(title or (c["indicator"].iloc[0] if not c.empty else indicator_id), loc="left", fontsize=10)
    ax.set_xlabel(
        "kết quả (đường đứt: trung vị huyện) — SỐ LIỆU MINH HỌA"
        if c.get("illustrative", pd.Series([False])).any()
        else "kết quả (đường đứt: trung vị huyện)"
    )
    fig.tight_layout()
    return fig
