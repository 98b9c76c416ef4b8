"""The unit registry snapshot (data/registry/) against figures worked out from its sources.

The expected figures are those of /work/shared/domain.md and the sources it names, not read
back from the snapshot: the statistics office's list in force since 01/07/2025 (34 provinces
and cities; 3,321 communes = 2,621 xã + 687 phường + 13 đặc khu; Lạng Sơn 65 = 61 xã + 4
phường); seed 000's "19 xã, 01 thị trấn" for Tràng Định after 01/12/2024; the 2023 list with
Vĩnh Tiến and Đại Đồng still in it (unit_events.csv).
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.io.registry import load_registry


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def units_of(registry, period: str, level: str) -> pd.DataFrame:
    u = registry.units
    return u[(u["period"] == period) & (u["level"] == level)]


def test_the_units_in_force_since_july_2025_are_34_provinces_and_3321_communes(registry):
    assert len(units_of(registry, "2025-07", "province")) == 34
    communes = units_of(registry, "2025-07", "commune")
    assert len(communes) == 3321
    assert communes["type"].value_counts().to_dict() == {"xã": 2621, "phường": 687, "đặc khu": 13}
    assert units_of(registry, "2025-07", "district").empty  # two tiers: no districts


@pytest.mark.parametrize(
    ("code", "name"),
    [("01", "Thành phố Hà Nội"), ("20", "Tỉnh Lạng Sơn"), ("46", "Thành phố Huế"), ("79", "Thành phố Hồ Chí Minh")],
)
def test_province_codes_are_the_statistics_offices(registry, code: str, name: str):
    provinces = units_of(registry, "2025-07", "province").set_index("code")
    assert provinces.loc[code, "name"] == name


def test_lang_son_has_65_communes_61_xa_and_4_phuong(registry):
    communes = units_of(registry, "2025-07", "commune")
    lang_son = communes[communes["parent_code"] == "20"]
    assert lang_son["type"].value_counts().to_dict() == {"xã": 61, "phường": 4}
    assert lang_son["code"].str.fullmatch(r"\d{5}").all()


def test_a_code_is_a_different_unit_in_each_period(registry):
    u = registry.units
    named = {p: u[(u["period"] == p) & (u["code"] == "06040")]["name"].tolist() for p in ("2023", "2025-01", "2025-07")}
    assert named == {"2023": ["Xã Đại Đồng"], "2025-01": ["Thị trấn Thất Khê"], "2025-07": ["Xã Thất Khê"]}


def test_trang_dinh_in_the_last_list_before_july_2025_is_19_xa_and_1_thi_tran(registry):
    # seed 000, line 25: "Sau sáp nhập, toàn huyện có 19 xã, 01 thị trấn"
    communes = units_of(registry, "2025-01", "commune")
    trang_dinh = communes[communes["parent_code"] == "180"]
    assert trang_dinh["type"].value_counts().to_dict() == {"xã": 19, "thị trấn": 1}
    district = units_of(registry, "2025-01", "district").set_index("code").loc["180"]
    assert (district["name"], district["parent_code"]) == ("Huyện Tràng Định", "20")


def test_the_2023_list_still_holds_vinh_tien_and_dai_dong(registry):
    communes = units_of(registry, "2023", "commune")
    trang_dinh = communes[communes["parent_code"] == "180"]
    assert len(trang_dinh) == 22  # the 20 units after 01/12/2024 plus the two the arrangement ended
    assert {"Xã Vĩnh Tiến", "Xã Đại Đồng", "Thị trấn Thất Khê"} <= set(trang_dinh["name"])


def test_the_last_list_before_july_2025_has_63_provinces_and_about_10040_communes(registry):
    assert len(units_of(registry, "2025-01", "province")) == 63
    assert 10_000 <= len(units_of(registry, "2025-01", "commune")) <= 10_100  # "about 10,040", not 2020's ~10,600


def test_thi_tran_that_khe_became_xa_that_khe_with_chi_minh_and_chi_lang(registry):
    lin = registry.lineage
    into = lin[(lin["to_period"] == "2025-07") & (lin["to_code"] == "06040")]
    old = registry.units[registry.units["period"] == "2025-01"].set_index("code")["name"]
    assert sorted(old[c] for c in into["from_code"]) == ["Thị trấn Thất Khê", "Xã Chi Lăng", "Xã Chí Minh"]
    assert set(into["effective_date"]) == {"2025-07-01"}
    assert set(into["legal_source"]) == {"1672/NQ-UBTVQH15"}


def test_about_28_old_units_have_no_successor_in_one_source_and_they_are_reported(registry):
    report = registry.lineage_report
    none = report[report["issue"] == "no_successor"]
    assert 20 <= len(none) <= 35
    lin = registry.lineage
    with_successor = set(lin[(lin["level"] == "commune") & (lin["from_period"] == "2025-01")]["from_code"])
    listed = set(units_of(registry, "2025-01", "commune")["code"])
    # every old commune has a successor or a row of the report: none is dropped silently
    assert listed - with_successor == set(none["code"])


def test_dang_xa_of_gia_lam_is_reported_as_a_disagreement_not_resolved(registry):
    report = registry.lineage_report
    rows = report[(report["issue"] == "successors_disagree") & (report["name"] == "Xã Đặng Xá")]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["vietnam_provinces"] != row["vietnamadminunits"]
    assert "Phù Đổng" in row["vietnam_provinces"] and "Thuận An" in row["vietnamadminunits"]


def test_every_province_act_the_lineage_names_is_listed(registry):
    assert set(registry.lineage["legal_source"]) - {""} <= set(registry.acts["act"])
    assert "202/2025/QH15" in set(registry.lineage[registry.lineage["level"] == "province"]["legal_source"])


def test_our_units_have_their_official_codes(registry):
    codes = registry.unit_codes.set_index(["unit", "period"])["code"]
    assert codes[("lang-son", "2025-07")] == "20"
    assert codes[("trang-dinh", "2025-01")] == "180"
    assert codes[("trang-dinh-that-khe", "2023")] != codes[("trang-dinh-that-khe", "2025-01")] == "06040"
    assert codes[("trang-dinh-dai-dong", "2023")] == "06040"
    assert ("trang-dinh-dai-dong", "2025-01") not in codes.index  # ended on 01/12/2024


def test_the_snapshot_stays_small(registry):
    from analysis.io.registry import registry_dir

    total = sum(p.stat().st_size for p in registry_dir().glob("*.csv"))
    assert total < 5_000_000
