"""What the indicator tables show of the seed: published figures kept, one standing for the gap table and
chart, lower-is-better failures never drawn as the best bar, rates changing in points."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.report import charts, present
from analysis.report.context import unit_context
from analysis.writers.html import html_of, inline_html


@pytest.fixture(scope="module")
def ctx():
    return unit_context("trang-dinh", 2024)


def _row(html: str, tt: int) -> str:
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    return next(r for r in rows if re.search(rf'<td class="c-tt[^"]*">{tt}</td>', r))


def test_percentages_are_shown_as_published_with_the_recomputation_only_where_they_disagree(ctx):
    html = html_of(present.evaluated_table(ctx.evaluated))
    row3 = _row(html, 3)
    assert "94,48%" in row3 and "94,49" not in row3  # published 94,48 (truncated), agrees
    assert "100,0%" in row3  # as written, one decimal
    row16 = _row(html, 16)
    assert "104,80%" in row16 and "tính lại 103,68%" in row16  # disagrees: both
    row12 = _row(html, 12)
    assert "100%" in row12 and "khớp KH điều chỉnh 20" in row12 and "95,24" not in row12
    row18 = _row(html, 18)
    assert "173,68" not in row18 and "157,14" not in row18  # blank, as the source leaves it
    assert "300%" not in _row(html, 19)


def test_the_gap_chart_and_table_read_one_standing(ctx):
    table = html_of(present.gaps_table(ctx.gaps))
    shown = charts.gap_shares(ctx.gaps)
    for r in shown.itertuples():
        cell = re.search(r'<td class="c-flag[^"]*">(.*?)</td>', _row(table, int(r.tt))).group(1)
        assert f"color:{r.colour}" in cell, (r.tt, cell, r.colour)
    # rows 8, 11, 16, 20 disagreed before (table "đúng hướng", chart orange): now one standing each
    standing = ctx.gaps.set_index("tt")["standing"]
    assert {tt: standing[tt] for tt in (8, 11, 16, 20)} == dict.fromkeys((8, 11, 16, 20), "unknown")
    assert standing[12] == "impossible" and standing[1] == "far_beyond"
    assert "vượt xa mức đã có" not in _row(table, 12)


def test_a_lower_is_better_failure_is_never_the_best_bar(ctx):
    ev = ctx.evaluated.copy()
    # a table that prints TH/KH for offences: 33 against at most 19 (173,68%)
    ev.loc[ev["tt"] == 18, ["attainment_pct", "published_attainment_pct"]] = [33 / 19 * 100, 173.68]
    shares = charts.attainment_shares(ev).set_index("tt")
    assert shares.loc[18, "share"] == pytest.approx(19 / 33 * 100)  # drawn KH/TH: 57,6%, short
    achieved = shares[shares["status"].isin(["Dự kiến đạt", "Dự kiến vượt"])]
    assert shares.loc[18, "share"] < achieved["share"].min()  # shorter than every achieved bar
    assert bool(shares.loc[18, "inverted"])
    svg = charts.attainment_chart(ev).svg  # the inverted bar is striped, and the note says why
    assert svg.count('fill="url(#hatch)"') == 1 and "vạch chéo: chỉ tiêu càng thấp càng tốt" in svg
    # as shipped, rows 18 and 19 print no TH/KH: not drawn at all
    assert charts.attainment_shares(ctx.evaluated).set_index("tt").loc[[18, 19], "share"].isna().all()


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"measure_unit": "%", "previous": 47.6, "result": 52.3, "trend_pct": 109.87}, "+4,7 điểm %"),
        ({"measure_unit": "lượt người", "previous": 79000, "result": 97000, "trend_pct": 122.78}, "+22,8%"),
        ({"measure_unit": "vụ", "previous": 21, "result": 33, "trend_pct": float("nan")}, "+12 vụ"),
    ],
)
def test_changes_of_a_rate_are_in_points(row, expected):
    html = inline_html(present.change_text(pd.Series({"direction": "higher", **row})))
    assert re.sub(r"<[^>]+>", "", html) == expected


def test_gap_sentences_speak_in_points(ctx):
    gaps = ctx.gaps.set_index("tt")
    assert "cần tăng 1,7 điểm %" in gaps.loc[11, "explanation"]  # 54% − 52,3%, not 3,3%
    assert "3,3%" not in gaps.loc[11, "explanation"]
    assert "không đủ số liệu để dự báo" in gaps.loc[8, "explanation"]  # two yearly values
    assert "ước 52 vụ" not in gaps.loc[18, "explanation"] and "ước 63 vụ" not in gaps.loc[19, "explanation"]
    assert "1.260 ha (theo mục tiêu UBND tỉnh giao huyện)" in gaps.loc[20, "explanation"]
