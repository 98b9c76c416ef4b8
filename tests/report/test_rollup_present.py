"""What the roll-up pack shows: the map of statuses in colour, grouped by district; the tables."""

from __future__ import annotations

import re

import pytest

from analysis.report import rollup_present
from analysis.report.rollup_context import rollup_context
from analysis.writers.html import html_of


@pytest.fixture(scope="module")
def ctx():
    return rollup_context("lang-son", 2024)


@pytest.mark.slow
def test_the_map_colours_every_status_and_groups_communes_by_district(ctx):
    html = html_of(rollup_present.status_map(ctx.matrix, ctx.summary, ctx.district_names))
    status = ctx.comparison["status"]
    assert len(re.findall(r'class="c-st\d+ k-status st-missed"', html)) == int((status == "Không đạt").sum())
    assert len(re.findall(r'class="c-st\d+ k-status st-exceeded"', html)) == int((status == "Vượt").sum())
    assert html.count("<tr><td") == len(ctx.matrix)
    groups = re.findall(r'<tr class="group"><th colspan="(\d+)">([^<]+)</th>', html)
    assert groups == [(str(len(ctx.summary) + 1), "Huyện Tràng Định"), (str(len(ctx.summary) + 1), "Huyện Bắc Sơn")]
    legend = html_of(rollup_present.map_legend(ctx.summary))
    assert "(1) Số tiêu chí nông thôn mới xã đạt được (tiêu chí)" in legend


def test_the_summary_names_the_communes_that_missed(ctx):
    html = html_of(rollup_present.summary_table(ctx.summary))
    row = ctx.summary.set_index("indicator_id").loc["health_insurance"]
    names = ", ".join(row["not_achieved"].split(";"))
    assert names in html and html.count("<tr>") == len(ctx.summary) + 1


@pytest.mark.slow
def test_the_slips_say_which_figures_are_real(ctx):
    html = html_of(rollup_present.slips_table(ctx.slips, ctx.district_names))
    assert html.count("thật (báo cáo của huyện)") == 2 and html.count(">minh họa<") == 2
    assert "Xã Quốc Việt" in html and "huyện Tràng Định" in html
    assert (
        html_of(rollup_present.missing_note(["Đại Đồng"], 2024))
        == '<p class="note">Chưa có số liệu năm 2024 của: Đại Đồng.</p>'
    )


def test_a_province_without_districts_is_not_written_as_one():
    import pandas as pd

    # since 2025: communes directly under the province, and the province's own table
    furthest = pd.DataFrame(
        {
            "name": ["Hồng Phong"],
            "district": [""],
            "n_not_achieved": [3],
            "n_indicators": [9],
            "mean_shortfall_pct": [12.5],
            "worst_text": ["Tỷ lệ hộ nghèo: 6,4% so với kế hoạch tối đa 5%"],
        }
    )
    html = html_of(rollup_present.furthest_table(furthest, {}))
    assert "Huyện" not in html and "Hồng Phong" in html and "3/9" in html
    slips = pd.DataFrame(
        {
            "unit": ["lang-son"],
            "level": ["province"],
            "name": ["Lạng Sơn"],
            "district": [""],
            "n_slips": [1],
            "slips": [["Dòng 4: TH/KH công bố 101,2%, tính lại 100,8%"]],
            "illustrative": [False],
        }
    )
    html = html_of(rollup_present.slips_table(slips, {}))
    assert "thật (báo cáo của tỉnh)" in html and "huyện" not in html.lower()
