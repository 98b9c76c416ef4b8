"""The roll-up pack's chart: per indicator, how many communes exceeded, achieved or missed
their plan. Colours and fonts are those of :mod:`analysis.report.charts`."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from analysis.io.schema import Status
from analysis.report.charts import STATUS_COLOURS


def summary_chart(summary: pd.DataFrame, *, illustrative: bool = False) -> Figure:
    """One bar per indicator (numbered as the map's columns), split into the communes that
    exceeded, achieved (or are expected to achieve), missed, or cannot be judged."""
    s = summary.iloc[::-1]
    labels = [f"({k}) " + _short(str(name)) for k, name in zip(range(len(summary), 0, -1), s["indicator"], strict=True)]
    parts = [
        ("vượt", s["n_exceeded"], STATUS_COLOURS[Status.EXCEEDED.value]),
        ("đạt", s["n_achieved"] - s["n_exceeded"], STATUS_COLOURS[Status.ACHIEVED.value]),
        ("không đạt", s["n_not_achieved"], STATUS_COLOURS[Status.NOT_ACHIEVED.value]),
        ("chưa đánh giá được", s["n_unknown"], STATUS_COLOURS[Status.UNKNOWN.value]),
    ]
    fig, ax = plt.subplots(figsize=(7.2, 0.3 * max(len(s), 4) + 1.1))
    left = pd.Series(0, index=s.index)
    for label, values, colour in parts:
        ax.barh(labels, values, left=left, color=colour, height=0.65, label=label)
        for y, (x0, v) in enumerate(zip(left, values, strict=True)):
            if v > 0:
                ax.text(x0 + v / 2, y, str(int(v)), ha="center", va="center", fontsize=7, color="white")
        left = left + values
    ax.set_xlabel("số xã, thị trấn" + (" — SỐ LIỆU MINH HỌA" if illustrative else ""))
    ax.legend(loc="lower center", bbox_to_anchor=(0.4, 1.0), ncol=4, fontsize=7.5, frameon=False)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.tight_layout()
    return fig


def _short(text: str, width: int = 42) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
