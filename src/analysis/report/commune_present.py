"""HTML of a commune's own pages: what its parent's report says of it (facts and key tasks
that name it) and where it stands among the communes of its parent (rank, median).

``area`` is the parent as the pack names it: huyện, or tỉnh for a commune directly under a
province.
"""

from __future__ import annotations

import pandas as pd

from analysis.report.html_table import esc, html_table, num


def facts_table(facts: pd.DataFrame, *, area: str = "huyện") -> str:
    """Real facts and key tasks of the parent's report that name the commune (``area``: the
    parent as the pack names it, huyện or tỉnh)."""
    if facts.empty:
        return f"<p>Báo cáo của {esc(area)} không nêu riêng xã này.</p>"
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
            "ill": (
                "Số liệu",
                lambda r: "minh họa" if bool(r["figures_illustrative"]) else f"thật (báo cáo {esc(area)})",
            ),
        },
    )
