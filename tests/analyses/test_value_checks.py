"""What values an indicator can take, from its catalogue row, and the findings on a returned figure."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import paths
from analysis.analyses.table_intake import named_units
from analysis.analyses.value_checks import check_value, nature


def test_the_nature_of_each_tràng_định_indicator_comes_from_its_catalogue_row():
    cat = pd.read_csv(paths.dataset_path("indicators"), dtype=str, keep_default_na=False)
    cat = cat[cat["unit"] == "trang-dinh"]
    kinds = {r.indicator_id: nature(r.measure_unit, r.target_type).kind for r in cat.itertuples()}
    # seed 000: TT 3 is a growth of exports (%), TT 17 the yearly fall of the poverty rate (%)
    assert sorted(k for k, v in kinds.items() if v == "change") == ["export_growth", "poverty_reduction_rate"]
    # the other twelve indicators in % are shares of a whole: TT 7, 8, 10, 11, 14, 15, 16, 21, 24, 25, 26
    shares = sorted(int(t) for t, k in zip(cat["tt"], cat["indicator_id"], strict=True) if kinds[k] == "share")
    assert shares == [7, 8, 10, 11, 14, 15, 16, 21, 24, 25, 26]
    assert kinds["tourist_visitors"] == kinds["criminal_offences"] == kinds["new_forest"] == "quantity"


def finding(value: float, unit: str = "%", target_type: str = "level", **kw) -> str:
    got = check_value(value, measure_unit=unit, target_type=target_type, year=2025, jump_factor=10, **kw)
    return "" if got is None else got.reason + (" [confirmable]" if got.confirmable else "")


@pytest.mark.parametrize(
    ("args", "kw", "expected"),
    [
        ((100,), {"decimals": 0}, ""),  # a share may be 100%
        ((0,), {"decimals": 0}, ""),
        ((1000, "‰"), {"decimals": 0}, ""),  # a share in ‰ goes up to 1000
        ((1000.5, "‰"), {"decimals": 1}, "1.000,5 vượt quá 1.000‰: một tỷ lệ không thể lớn hơn 1.000‰"),
        (
            (1260000,),
            {"decimals": 0, "written": "1.260.000"},  # two dots: no reading as a decimal
            (
                "'1.260.000' đọc theo cách viết Việt Nam là 1.260.000 (dấu chấm phân cách hàng nghìn), "
                "vượt quá 100%: một tỷ lệ không thể lớn hơn 100%"
            ),
        ),
        ((-0.5, "%", "growth"), {"decimals": 1}, ""),  # a change may be negative
        ((350, "%", "rate_average"), {"decimals": 1, "previous": 2.0}, ""),  # and is never a "jump"
        ((-1, "tỷ đồng"), {"decimals": 1}, "-1 là số âm: chỉ tiêu đo bằng tỷ đồng không thể âm"),
    ],
)
def test_bounds(args, kw, expected):
    assert finding(*args, **kw) == expected


@pytest.mark.parametrize(
    ("value", "previous", "decimals", "expected"),
    [
        (970000, 97000, 0, ""),  # exactly ×10 is not "more than"
        (970001, 97000, 0, "gấp hơn 10 lần"),
        (9700, 97000, 0, ""),  # exactly ÷10
        (9699, 97000, 0, "chưa bằng 1/10"),
        (0, 33, 0, "chưa bằng 1/10"),  # 33 offences to none: 33 units, more than 10
        (0, 3, 0, ""),  # a whole count moving by 10 units or fewer
        (11, 1, 0, ""),  # 1 → 11 schools: ×11, but 10 units
        (12, 1, 0, "gấp hơn 10 lần"),  # 1 → 12: 11 units
        (12.5, 1, 1, "gấp hơn 10 lần"),  # a quantity with decimals has no such allowance
        (5000, 0, 0, ""),  # no ratio to a previous 0
        (5000, math.nan, 0, ""),  # nor to none
    ],
)
def test_a_jump_from_last_year(value, previous, decimals, expected):
    got = finding(value, "ha", "level", decimals=decimals, previous=previous)
    assert (expected in got and got.endswith("[confirmable]")) if expected else got == ""


def test_the_jump_reason_names_both_figures_with_their_unit():
    assert finding(15, "vụ", "yearly_reduction", decimals=0, previous=300) == (
        "15 vụ chưa bằng 1/10 kết quả năm 2024 (300 vụ): đề nghị kiểm tra lại; "
        "nếu số liệu đúng, đề nghị xác nhận với cơ quan tiếp nhận [confirmable]"
    )


def test_the_units_a_file_name_names():
    units = pd.read_csv(paths.dataset_path("units"), dtype=str, keep_default_na=False)
    assert named_units("bieu-nhap-lieu-2025-trang-dinh-hung-son", units) == ["trang-dinh-hung-son"]
    assert named_units("bieu-nhap-lieu-2025-trang-dinh", units) == ["trang-dinh"]
    assert named_units("Trang-Dinh_2025 (1)", units) == ["trang-dinh"]
    assert named_units("bao-cao-tong-hop", units) == []
