"""The roll-up pack's chart: per indicator, how many communes exceeded, achieved or missed
their plan. Colours and drawing are those of :mod:`analysis.report.charts` (SVG, :mod:`analysis.report.svg`)."""

from __future__ import annotations

import pandas as pd

from analysis.io.schema import Status
from analysis.report.charts import INK, LABEL, ROW, SMALL, STATUS_COLOURS, TITLE, Chart
from analysis.report.svg import WIDTH, Canvas, fit_text, nice_ticks, text_width, tick_label

TITLE_VI = "Số {kinds} theo kết quả từng chỉ tiêu"


def summary_chart(summary: pd.DataFrame, *, illustrative: bool = False, kinds: str = "xã, thị trấn") -> Chart:
    """One bar per indicator (numbered as the map's columns), split into the communes that
    exceeded, achieved (or are expected to achieve), missed, or cannot be judged."""
    labels = [f"({k}) " + _short(str(name)) for k, name in enumerate(summary["indicator"], start=1)]
    parts = [
        ("vượt", summary["n_exceeded"], STATUS_COLOURS[Status.EXCEEDED.value]),
        ("đạt", summary["n_achieved"] - summary["n_exceeded"], STATUS_COLOURS[Status.ACHIEVED.value]),
        ("không đạt", summary["n_not_achieved"], STATUS_COLOURS[Status.NOT_ACHIEVED.value]),
        ("chưa đánh giá được", summary["n_unknown"], STATUS_COLOURS[Status.UNKNOWN.value]),
    ]
    totals = sum((values.fillna(0).astype(float) for _, values, _ in parts), pd.Series(0.0, index=summary.index))
    ticks = [t for t in nice_ticks(0.0, max(float(totals.max()) if len(totals) else 1.0, 1.0)) if t == int(t)]
    hi = ticks[-1] or 1.0
    label_w = min(max((text_width(t, LABEL) for t in labels), default=0), WIDTH * 0.45)
    left, right, top = label_w + 12, WIDTH - 14, 48.0
    bottom = top + ROW * max(len(labels), 1)
    title = TITLE_VI.format(kinds=kinds)
    c = Canvas(WIDTH, bottom + 40, title=title)
    c.text(2, 16, fit_text(title, TITLE, WIDTH - 4), size=TITLE)
    lx = 10.0
    for name, _, colour in parts:
        c.rect(lx, 26, 10, 10, colour)
        c.text(lx + 14, 35, name, size=SMALL)
        lx += 24 + text_width(name, SMALL)

    def x(v: float) -> float:
        return left + v / hi * (right - left)

    c.lines([(x(t), top, x(t), bottom) for t in ticks], "#e3e3e3")
    start = [0.0] * len(labels)
    counts: list[tuple[float, float, str]] = []
    for i, label in enumerate(labels):
        c.text(left - 6, top + i * ROW + ROW * 0.72, fit_text(label, LABEL, label_w), size=LABEL, anchor="end")
    for _, values, colour in parts:
        boxes = []
        for i, v in enumerate(values.fillna(0).astype(float)):
            if v > 0:
                boxes.append((x(start[i]), top + i * ROW + ROW * 0.15, x(start[i] + v) - x(start[i]), ROW * 0.7))
                w = x(start[i] + v) - x(start[i])
                if w >= text_width(str(int(v)), SMALL) + 2:
                    counts.append((x(start[i] + v / 2), top + i * ROW + ROW * 0.72, str(int(v))))
                start[i] += v
        c.bars(boxes, colour)
    for cx, cy, text in counts:
        c.text(cx, cy, text, size=SMALL, anchor="middle", fill="#ffffff")
    c.line(left, bottom, right, bottom, INK)
    for t in ticks:
        c.text(x(t), bottom + 15, tick_label(t), size=SMALL, anchor="middle")
    note = f"số {kinds}" + (" — SỐ LIỆU MINH HỌA" if illustrative else "")
    c.text((left + right) / 2, bottom + 32, note, size=SMALL, anchor="middle")
    return Chart(c.to_svg(), title)


def _short(text: str, width: int = 42) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
