"""What a commune's pages say of its parent: the province's words under a province, the
district's otherwise."""

from __future__ import annotations

import pandas as pd

from analysis.report import commune_present
from analysis.writers.html import html_of


def test_a_commune_under_a_province_reads_of_the_province_not_a_district():
    empty = pd.DataFrame(columns=["year", "task", "text", "source_text"])
    assert "Báo cáo của tỉnh không nêu riêng xã này" in html_of(commune_present.facts_table(empty, area="tỉnh"))
    assert "Báo cáo của huyện không nêu riêng xã này" in html_of(commune_present.facts_table(empty))
    standing = pd.DataFrame(
        {
            "indicator": ["Tỷ lệ hộ nghèo"],
            "measure_unit": ["%"],
            "result": [4.1],
            "district_median": [5.0],
            "rank": [2],
            "n_communes": [97],
            "sentence": ["Tốt hơn trung vị"],
            "figures_illustrative": [False],
        }
    )
    html = html_of(commune_present.standing_table(standing, area="tỉnh"))
    assert "Trung vị tỉnh" in html and "thật (báo cáo tỉnh)" in html and "huyện" not in html
