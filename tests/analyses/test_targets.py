"""Gap to the term target for every target type, with the seed's worked checks."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.analyses.targets import (
    TargetParams,
    cagr,
    growth_requirement,
    term_average_requirement,
    term_gaps,
    yearly_reduction_ceiling,
)
from factories import make_catalogue, make_observations


@pytest.fixture(scope="module")
def seed_gaps(curated):
    return term_gaps(curated.observations, curated.indicators, unit="trang-dinh", year=2024).set_index("tt")


def test_row_23_must_reach_114_9_ha(seed_gaps):
    # 80 × 5 − (30 + 131,1 + 80,7 + 43,3) = 400 − 285,1 = 114,9
    row = seed_gaps.loc[23]
    assert row["required_value"] == pytest.approx(114.9)
    assert "phải đạt ít nhất 114,9 ha" in row["explanation"]
    assert row["on_track"] is False or row["on_track"] == False  # noqa: E712  trend 30 → 43,3 ha is far short


def test_row_17_term_average_is_2_36(seed_gaps):
    # (1,92 + 2,95 + 1,76 + 3,55 + 1,64) / 5 = 11,82 / 5 = 2,364
    assert seed_gaps.loc[17, "planned_average"] == pytest.approx(2.364)
    assert "2,36%" in seed_gaps.loc[17, "explanation"]


def test_row_19_allows_at_most_19_accidents(seed_gaps):
    assert seed_gaps.loc[19, "required_value"] == 19  # 21 × 0,95 = 19,95 → 19
    assert seed_gaps.loc[19, "required_bound"] == "tối đa"


def test_row_18_a_five_percent_cut_from_33_allows_31(seed_gaps):
    assert seed_gaps.loc[18, "required_value"] == 31  # 33 × 0,95 = 31,35 → 31


def test_row_3_export_must_reach_16_956_million_usd(seed_gaps):
    assert round(seed_gaps.loc[3, "required_value"], 3) == 16.956  # 15,139 × 1,12 = 16,95568
    assert "16,956 triệu USD" in seed_gaps.loc[3, "explanation"]


def test_row_1_visitors_need_a_change_far_beyond_any_seen(seed_gaps):
    row = seed_gaps.loc[1]
    assert row["required_change_pct"] == pytest.approx((200000 / 97000 - 1) * 100)  # +106,2%
    assert row["max_seen_change_pct"] == pytest.approx((97000 / 79000 - 1) * 100)  # +22,8%
    assert row["far_beyond"] == True  # noqa: E712
    assert not seed_gaps.loc[8, "far_beyond"]  # 79,5% → 80% is an ordinary step


def test_other_seed_target_types(seed_gaps):
    assert seed_gaps.loc[9, "achieved_already"] == True and seed_gaps.loc[9, "latest_value"] == 28  # noqa: E712
    assert seed_gaps.loc[6, "achieved_already"] == True  # 14,19 within 14–16  # noqa: E712
    assert seed_gaps.loc[21, "gap"] == pytest.approx(1.6)  # 66,1 − 64,5
    assert seed_gaps.loc[4, "target_type"] == "none" and "Không có mục tiêu" in seed_gaps.loc[4, "explanation"]
    assert "bằng lời" in seed_gaps.loc[5, "explanation"]
    assert "đều đạt" in seed_gaps.loc[20, "explanation"]


def _gap(rows, obs, year=2024, **params):
    cat = make_catalogue(rows)
    return term_gaps(make_observations(obs), cat, unit="x", year=year, params=TargetParams(**params)).iloc[0]


def test_level_lower_is_better():
    # poverty level 5% → 3% target: needs −2 points; three years 7 → 6 → 5 fall 1 point a year: 4 in 2025 > 3
    g = _gap(
        [{"direction": "lower", "decimals": 1, "measure_unit": "%"}],
        [
            ("i1", 2022, "result", 7),
            ("i1", 2023, "result", 6),
            ("i1", 2024, "result", 5),
            ("i1", 2025, "term_target", 3),
        ],
    )
    assert g["required_bound"] == "tối đa" and g["required_value"] == 3
    assert g["projected_value"] == pytest.approx(4)  # linear, in points
    assert g["on_track"] == False and g["achieved_already"] == False  # noqa: E712
    assert g["standing"] == "off_track" and "cần giảm 2 điểm %" in g["explanation"]


def test_two_years_give_no_projection():
    g = _gap(
        [{"direction": "lower", "decimals": 1, "measure_unit": "%"}],
        [("i1", 2023, "result", 6), ("i1", 2024, "result", 5), ("i1", 2025, "term_target", 3)],
    )
    assert math.isnan(g["projected_value"]) and g["standing"] == "unknown"
    assert "không đủ số liệu để dự báo" in g["explanation"]


def test_every_year_lists_the_years_missed():
    g = _gap(
        [{"target_type": "every_year", "measure_unit": "ha"}],
        [
            ("i1", 2022, "result", 1100),
            ("i1", 2023, "result", 1250),
            ("i1", 2024, "result", 1210),
            ("i1", 2025, "term_target", 1200),
        ],
    )
    assert "chưa đạt các năm 2022" in g["explanation"]


def test_term_average_with_a_missing_year_says_which():
    g = _gap(
        [{"target_type": "term_average"}],
        [
            ("i1", 2021, "result", 30),
            ("i1", 2023, "result", 80),
            ("i1", 2024, "result", 40),
            ("i1", 2025, "term_target", 80),
        ],
    )
    assert math.isnan(g["required_value"]) and "Thiếu kết quả các năm 2022" in g["explanation"]


def test_range_outside():
    g = _gap([{"target_type": "range"}], [("i1", 2024, "result", 13), ("i1", 2025, "term_target", 14)])
    # value_high is NaN here: open-ended range
    assert g["achieved_already"] == False and g["gap"] == 1  # noqa: E712


def test_growth_without_a_detail_grows_the_result():
    obs = make_observations([("i1", 2024, "result", 200), ("i1", 2025, "plan", 10)])
    obs.loc[obs["kind"] == "plan", "measure_unit"] = "%"
    g = term_gaps(obs, make_catalogue([{"target_type": "growth", "target_source": "plan"}]), unit="x", year=2024).iloc[
        0
    ]
    assert g["required_value"] == pytest.approx(220)  # 200 × 1,10


def test_a_reduction_rate_must_be_a_percentage():
    # KH 2025 = 18 vụ is a count, not a rate: the rate comes from the term target "Giảm 5%".
    obs = make_observations(
        [("i1", 2024, "result", 20), ("i1", 2025, "plan", 18), ("i1", 2025, "term_target", 5, "Giảm 5% trở lên")]
    )
    obs.loc[obs["kind"] == "term_target", "measure_unit"] = "%"
    g = term_gaps(
        obs,
        make_catalogue([{"target_type": "yearly_reduction", "direction": "lower", "decimals": 0}]),
        unit="x",
        year=2024,
    ).iloc[0]
    assert g["required_value"] == 19  # ⌊20 × 0,95⌋


def test_no_result_is_said_not_crashed():
    g = _gap([{}], [("i1", 2024, "plan", 5), ("i1", 2025, "term_target", 8)])
    assert "Chưa có kết quả" in g["explanation"]


def test_unknown_target_parameter_is_an_error():
    from analysis.errors import ParameterError

    with pytest.raises(ParameterError, match="unknown parameter\\(s\\) far_beyond_factr"):
        TargetParams.from_mapping({"far_beyond_factr": 3})


@pytest.mark.parametrize(
    ("last", "rate", "whole", "expected"),
    [(21, 5, True, 19), (33, 5, True, 31), (20, 5, True, 19), (100, 3, False, 97.0), (0, 5, True, 0)],
)
def test_yearly_reduction_ceiling(last, rate, whole, expected):
    assert yearly_reduction_ceiling(last, rate, whole=whole) == pytest.approx(expected)


def test_pure_rules():
    assert growth_requirement(100, 12) == pytest.approx(112)
    assert term_average_requirement(2, 5, [1, 2, 3, 1]) == pytest.approx(3)
    assert math.isnan(cagr(pd.Series([0.0, 5.0], index=[2023, 2024])))
    assert cagr(pd.Series([100.0, 121.0], index=[2022, 2024])) == pytest.approx(0.1)


def test_the_gap_table_says_where_each_target_comes_from(seed_gaps):
    # row 1: NQ Đại hội 200.000 lượt người; row 3: the 2025 plan's 12% (the NQ says 11,80%);
    # row 18: no NQ target, next year's plan, labelled so
    assert seed_gaps.loc[1, "target_from"] == "NQ Đại hội"
    assert (seed_gaps.loc[3, "target_from"], seed_gaps.loc[3, "target_text"]) == ("KH 2025; NQ Đại hội: 11,80%", "12%")
    assert seed_gaps.loc[18, "target_from"] == "KH 2025; không có mục tiêu NQ Đại hội"


def test_a_rate_far_beyond_its_trend_is_judged_in_points():
    # 41% → 60% in one year: 19 points against 1 point seen (40 → 41)
    g = _gap(
        [{"measure_unit": "%"}],
        [("i1", 2023, "result", 40), ("i1", 2024, "result", 41), ("i1", 2025, "term_target", 60)],
    )
    assert g["change_unit"] == "điểm %" and g["required_change"] == pytest.approx(19)
    assert g["standing"] == "far_beyond"
    assert "cần tăng 19 điểm % — vượt xa mức thay đổi lớn nhất đã có (1 điểm %/năm)" in g["explanation"]


def test_a_target_the_data_show_impossible_is_said_so():
    obs = make_observations(
        [
            ("i1", 2023, "result", 20),
            ("i1", 2024, "result", 20),
            ("i1", 2025, "term_target", 22),
            ("i1", 2024, "max_possible", 20, "Sau sáp nhập còn 20 xã"),
        ]
    )
    g = term_gaps(obs, make_catalogue([{"measure_unit": "xã", "decimals": 0}]), unit="x", year=2024).iloc[0]
    assert g["standing"] == "impossible" and g["far_beyond"] == False  # noqa: E712
    assert g["explanation"].startswith("Mục tiêu 22 xã không thể đạt: sau sáp nhập còn 20 xã (tối đa 20 xã).")


def test_a_count_held_down_is_never_projected():
    obs = make_observations(
        [("i1", y, "result", v) for y, v in ((2021, 10), (2022, 14), (2023, 21), (2024, 33))]
        + [("i1", 2025, "plan", 5, "Giảm 5% trở lên")]
    )
    obs.loc[obs["kind"] == "plan", "measure_unit"] = "%"
    cat = make_catalogue(
        [{"target_type": "yearly_reduction", "direction": "lower", "decimals": 0, "measure_unit": "vụ"}]
    )
    g = term_gaps(obs, cat, unit="x", year=2024).iloc[0]
    assert math.isnan(g["projected_value"]) and g["required_value"] == 31  # ⌊33 × 0,95⌋, four years yet no projection
    assert "không dự báo số vụ theo xu hướng" in g["explanation"]


def test_a_row_never_claims_a_trend_it_says_it_cannot_project(seed_gaps):
    # seed 000 row 1: two results (2023, 2024) are too few for a trend, yet +106% against the
    # +22,8% seen is far beyond any change seen: the standing says that, not "vượt xa xu hướng"
    from analysis.analyses.gap_model import STANDING_LABELS

    assert seed_gaps.loc[1, "standing"] == "far_beyond"
    assert STANDING_LABELS["far_beyond"] == "vượt xa mức đã có"
    unprojected = seed_gaps[seed_gaps["projection_note"].str.startswith("không đủ số liệu", na=False)]
    assert 1 in unprojected.index
    for tt, row in unprojected.iterrows():
        said = f"{STANDING_LABELS[row['standing']]} {row['explanation']}"
        assert "xu hướng" not in said, (tt, said)
