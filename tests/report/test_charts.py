"""The packs' charts as SVG: what they draw, checked in the SVG a reader's browser or the PDF gets."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from analysis.report import charts
from analysis.report.communes_context import commune_context
from analysis.report.context import unit_context

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(chart.svg)


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def fills(root: ET.Element) -> list[str]:
    return [e.get("fill", "") for e in root if e.tag in (f"{SVG}path", f"{SVG}rect") and e.get("fill")]


def comparison(n: int) -> pd.DataFrame:
    """``n`` communes of one province; commune c003 is briefed; results n, n-1, ..., 1."""
    units = [f"c{i:03d}" for i in range(1, n + 1)]
    return pd.DataFrame(
        {
            "unit": units,
            "name": [f"Xã {i}" for i in range(1, n + 1)],
            "indicator_id": "ntm_criteria",
            "indicator": "Số tiêu chí nông thôn mới xã đạt được",
            "result": [float(n - i) for i in range(n)],
            "district_median": (n + 1) / 2,
            "rank": pd.array(range(1, n + 1), dtype="Int64"),
            "n_communes": n,
            "illustrative": True,
        }
    )


def test_a_districts_communes_are_named_bars_the_briefed_one_in_red():
    chart = charts.communes_chart(comparison(12), "ntm_criteria", "c003")
    root = parse(chart)
    shown = texts(root)
    assert [f"Xã {i}" for i in range(1, 13)] == [t for t in shown if t.startswith("Xã ")]  # highest result first
    assert fills(root).count(charts.RED) == 1 and fills(root).count(charts.PEER) == 1  # one path per colour
    assert "kết quả (đường đứt: trung vị huyện) — SỐ LIỆU MINH HỌA" in shown
    assert len(re.findall(r'stroke-dasharray="4 3"', chart.svg)) == 1  # the median


def test_a_provinces_hundred_communes_are_columns_the_briefed_one_named_with_its_rank():
    chart = charts.communes_chart(comparison(98), "ntm_criteria", "c003", area="tỉnh")
    root = parse(chart)
    shown = texts(root)
    assert "Xã 3: 96 — hạng 3/98" in shown  # results 98, 97, 96, …
    assert not any(t == "Xã 50" for t in shown)  # the others are not named
    assert "98 xã, từ hạng 1 (tốt nhất) tới hạng cuối" in shown
    assert "kết quả (đường đứt: trung vị tỉnh) — SỐ LIỆU MINH HỌA" in shown
    boxes = re.findall(r"M[\d.]+ [\d.]+h", next(e.get("d") for e in root if e.get("fill") == charts.PEER))
    assert len(boxes) == 97  # every other commune, one path


def test_the_attainment_chart_colours_each_indicator_by_its_status():
    ctx = unit_context("trang-dinh", 2024)
    root = parse(charts.attainment_chart(ctx.evaluated))
    red = charts.STATUS_COLOURS["Không đạt"]  # also "Dự kiến không đạt": the same colour
    missed = next(e.get("d") for e in root if e.get("fill") == red)
    shown = charts.attainment_shares(ctx.evaluated).dropna(subset=["share"])
    assert len(re.findall(r"M", missed)) == int(shown["status"].map(charts.STATUS_COLOURS).eq(red).sum()) > 0
    labels = [t for t in texts(root) if re.match(r"\d+\. ", t)]
    assert len(labels) == len(shown) and labels[0].startswith("1. ")


def test_charts_are_the_same_svg_every_time_and_say_what_they_are():
    ctx = commune_context("bac-son-nhat-hoa", 2024)
    first = [charts.communes_chart(ctx.comparison, i, ctx.unit, area=ctx.area) for i in ctx.chart_indicators]
    again = [charts.communes_chart(ctx.comparison, i, ctx.unit, area=ctx.area) for i in ctx.chart_indicators]
    assert [c.svg for c in first] == [c.svg for c in again] and len(first) == 4
    assert first[0]._repr_svg_() == first[0].svg and repr(first[0]).startswith("<Biểu đồ: ")


@pytest.mark.parametrize(
    "draw",
    [
        lambda: charts.gap_chart(unit_context("trang-dinh", 2024).gaps),
        lambda: charts.trend_chart(
            unit_context("trang-dinh", 2024).curated.observations, unit_context("trang-dinh", 2024).evaluated
        ),
        lambda: charts.scores_chart(unit_context("bac-son", 2024).tasks, unit_context("bac-son", 2024).score_bands),
    ],
)
def test_every_chart_is_well_formed_svg_within_the_page_width(draw):
    chart = draw()
    root = parse(chart)
    assert float(root.get("width")) <= 665 and texts(root)
