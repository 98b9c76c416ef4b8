"""Looking units up and following a lineage 2023 → 2025-01 → 2025-07 (analysis.analyses.registry).

Expected chains come from the sources: the 2025 arrangement as the statistics office's
conversion table gives it (Xã Thất Khê from Thị trấn Thất Khê, Xã Chí Minh, Xã Chi Lăng), and
the arrangement of 01/12/2024 of unit_events.csv (part of Đại Đồng into the town of Thất Khê,
the rest into Đội Cấn; Vĩnh Tiến into Khánh Long).
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.analyses.registry import ancestry, communes_of, find_units, fold, lineage_links, successors
from analysis.errors import UnknownUnitError
from analysis.io.datasets import load_curated
from analysis.io.registry import load_registry


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.fixture(scope="module")
def links(registry):
    return lineage_links(registry, load_curated().unit_events)


def keys(frame: pd.DataFrame, side: str) -> set[tuple[str, str]]:
    return set(zip(frame[f"{side}_period"], frame[f"{side}_code"]))


@pytest.mark.parametrize(
    ("text", "folded"), [("Thất Khê", "that khe"), ("ĐỘI CẤN", "doi can"), ("  Xã  Chi  Lăng", "xa chi lang")]
)
def test_fold_drops_diacritics_case_and_extra_spaces(text: str, folded: str):
    assert fold(text) == folded


def test_a_name_without_diacritics_finds_every_period_of_that_khe(registry):
    found = find_units(registry, "that khe")
    assert set(zip(found["period"], found["code"], found["name"])) == {
        ("2023", "05995", "Thị trấn Thất Khê"),
        ("2025-01", "06040", "Thị trấn Thất Khê"),
        ("2025-07", "06040", "Xã Thất Khê"),
    }


def test_a_name_with_diacritics_matches_them_exactly(registry):
    found = find_units(registry, "Chí Minh", period="2025-01")
    assert "Xã Chí Minh" in set(found["name"]) and "06013" in set(found["code"])
    assert all("chí minh" in name.lower() for name in found["name"])  # never "Chi Minh" with other marks
    folded = find_units(registry, "chi minh", period="2025-01")
    assert set(found["code"]) <= set(folded["code"])


def test_a_code_finds_the_unit_of_each_period(registry):
    found = find_units(registry, "06040")
    assert list(found.sort_values("period")["name"]) == ["Xã Đại Đồng", "Thị trấn Thất Khê", "Xã Thất Khê"]


def test_the_communes_of_lang_son_in_2026_and_before(registry):
    now = communes_of(registry, "20")
    assert len(now) == 65
    assert set(now["parent_name"]) == {"Tỉnh Lạng Sơn"}
    before = communes_of(registry, "20", period="2025-01")
    assert len(before) > len(now)  # the 2025 arrangement put several old communes together
    with pytest.raises(UnknownUnitError, match="no province '99'"):
        communes_of(registry, "99")


def test_xa_that_khe_is_formed_from_three_old_units(links):
    chain = ancestry(links, "2025-07", "06040")
    first = chain[chain["depth"] == 1]
    assert keys(first, "from") == {("2025-01", "06040"), ("2025-01", "06013"), ("2025-01", "06034")}


def test_the_chain_goes_back_to_dai_dong_of_2023_through_the_2024_event(links):
    chain = ancestry(links, "2025-07", "06040")
    second = chain[chain["depth"] == 2]
    # the town itself (05995 in 2023), part of Đại Đồng (06040 in 2023), and Chí Minh and Chi Lăng unchanged
    assert keys(second, "from") == {("2023", "05995"), ("2023", "06040"), ("2023", "06013"), ("2023", "06034")}
    dai_dong = second[second["from_code"] == "06040"].iloc[0]
    assert (dai_dong["kind"], dai_dong["effective_date"]) == ("partial_transfer", "2024-12-01")
    assert dai_dong["source"] == "unit_events.csv td-2024-2"


def test_dai_dong_of_2023_went_to_that_khe_and_doi_can(links):
    assert keys(successors(links, "2023", "06040"), "to") == {("2025-01", "06040"), ("2025-01", "06025")}


def test_vinh_tien_went_to_khanh_long(registry, links):
    (to,) = keys(successors(links, "2023", "06007"), "to")
    u = registry.units.set_index(["period", "code"])["name"]
    assert u[to] == "Xã Khánh Long"


def test_doi_can_went_into_quoc_khanh_in_2025(registry, links):
    # the conversion table: Đội Cấn (06025) → Xã Quốc Khánh (06004), as the 2025 list names it
    u = registry.units.set_index(["period", "code"])["name"]
    assert [u[k] for k in keys(successors(links, "2025-01", "06025"), "to")] == ["Xã Quốc Khánh"]
