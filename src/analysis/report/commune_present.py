"""A commune's own pages as the document model: what its parent's report says of it (facts
and key tasks that name it) and where it stands among the communes of its parent (rank,
median).

``area`` is the parent as the pack names it: huyện, or tỉnh for a commune directly under a
province.
"""

from __future__ import annotations

import pandas as pd

from analysis.report.cells import num, num_cell, para, span, table
from analysis.report.document import Paragraph, Table


def facts_table(facts: pd.DataFrame, *, area: str = "huyện") -> Table | Paragraph:
    """Real facts and key tasks of the parent's report that name the commune (``area``: the
    parent as the pack names it, huyện or tỉnh)."""
    if facts.empty:
        return para(f"Báo cáo của {area} không nêu riêng xã này.")
    return table(
        facts,
        {
            "year": ("Năm", "stt", lambda r: span("" if pd.isna(r["year"]) else str(int(r["year"])))),
            "task": ("Nhiệm vụ", "text", lambda r: span(r["task"])),
            "text": ("Nội dung", "name", lambda r: span(r["text"])),
            "src": ("Nguồn (trích)", "text", lambda r: span(r["source_text"], "quote")),
        },
        key="facts",
    )


def standing_table(standing: pd.DataFrame, *, area: str = "huyện") -> Table:
    """The commune's rank and median comparison per indicator (``area``: the parent as the
    pack names it, huyện or tỉnh); rows on illustrative figures are marked as such."""
    return table(
        standing,
        {
            "indicator": ("Chỉ tiêu", "name", lambda r: span(r["indicator"])),
            "mu": ("ĐVT", "unit", lambda r: span(r["measure_unit"])),
            "res": ("Kết quả", "number", lambda r: num_cell(r["result"])),
            "median": (f"Trung vị {area}", "number", lambda r: num_cell(r["district_median"])),
            "rank": ("Xếp hạng", "number", lambda r: span(f"{num(r['rank'], 0)}/{num(r['n_communes'], 0)}", "num")),
            "sentence": ("Nhận định", "text", lambda r: span(r["sentence"])),
            "ill": (
                "Số liệu",
                "text",
                lambda r: span("minh họa" if bool(r["figures_illustrative"]) else f"thật (báo cáo {area})"),
            ),
        },
        key="standing",
        illustrative=lambda r: bool(r["figures_illustrative"]),
    )
