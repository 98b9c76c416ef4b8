"""Roll-ups: the communes of a province or district together (analyses.rollup, report.rollup_context)."""

from __future__ import annotations

import csv
import math

import pandas as pd
import pytest

from analysis import paths
from analysis.analyses.rollup import (
    audit_slips,
    furthest_from_plan,
    indicator_summary,
    member_communes,
    shortfall_pct,
    status_matrix,
)
from analysis.report.rollup_context import rollup_context


def shipped_rows(name: str) -> list[dict[str, str]]:
    with paths.dataset_path(name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def missed_by_hand(district: str, indicator: str, year: int = 2024) -> set[str]:
    """The communes of ``district`` whose ``indicator`` misses its plan in ``year``, worked out
    from the CSV text alone (result or estimate against plan, in the indicator's direction)."""
    units = {r["unit"]: r for r in shipped_rows("units")}
    direction = {(r["unit"], r["indicator_id"]): r["direction"] for r in shipped_rows("commune_indicators")}
    figures: dict[tuple[str, str], float] = {}
    for r in shipped_rows("commune_observations"):
        if r["indicator_id"] == indicator and r["year"] == str(year) and r["kind"] in ("result", "estimate", "plan"):
            figures[(r["unit"], "plan" if r["kind"] == "plan" else "result")] = float(r["value"])
    missed = set()
    for unit, row in units.items():
        if row["parent"] != district or (unit, "result") not in figures or (unit, "plan") not in figures:
            continue
        result, plan = figures[(unit, "result")], figures[(unit, "plan")]
        lower = direction[(unit, indicator)] == "lower"
        if (result > plan) if lower else (result < plan):
            missed.add(row["name"])
    return missed


def test_the_communes_under_a_province_and_a_district():
    units = pd.read_csv(paths.dataset_path("units"), dtype={"valid_from": "Int64", "valid_to": "Int64"})
    province = member_communes(units, "lang-son", 2024)
    # 12 + 12 communes and towns named in the reports, and Khánh Long, Vĩnh Tiến, Đại Đồng
    assert len(province) == 27
    assert set(province["district"]) == {"trang-dinh", "bac-son"}
    after = member_communes(units, "lang-son", 2025)  # Vĩnh Tiến and Đại Đồng ended with 2024
    assert len(after) == 25 and not {"trang-dinh-vinh-tien", "trang-dinh-dai-dong"} & set(after["unit"])
    assert set(member_communes(units, "bac-son", 2024)["district"]) == {"bac-son"}


@pytest.mark.slow
@pytest.mark.parametrize("indicator", ["health_insurance", "poverty_rate", "criminal_offences", "new_forest"])
def test_which_communes_missed_each_indicator_matches_the_csv(indicator):
    ctx = rollup_context("lang-son", 2024)
    row = ctx.summary.set_index("indicator_id").loc[indicator]
    expected = missed_by_hand("trang-dinh", indicator) | missed_by_hand("bac-son", indicator)
    assert set(row["not_achieved"].split(";")) - {""} == expected
    assert row["n_not_achieved"] == len(expected)
    assert row["n_achieved"] + row["n_not_achieved"] + row["n_unknown"] == row["n_units"]
    assert row["illustrative"]


def test_the_map_has_a_status_per_commune_and_indicator():
    ctx = rollup_context("trang-dinh", 2024)
    matrix = ctx.matrix
    # the 12 communes of the reports and Khánh Long, Vĩnh Tiến (illustrative); Đại Đồng has no figures
    assert len(matrix) == 14 and ctx.without_figures == ["Đại Đồng"]
    ids = list(ctx.summary["indicator_id"])
    assert list(matrix.columns) == ["unit", "name", "district", *ids]
    that_khe = matrix.set_index("unit").loc["trang-dinh-that-khe"]
    assert that_khe["ntm_criteria"] == ""  # a town has no NTM criteria
    assert (matrix[ids] == "Không đạt").to_numpy().sum() == ctx.summary["n_not_achieved"].sum()


def test_shortfall_is_direction_aware():
    assert shortfall_pct(15, 19, "higher") == pytest.approx(4 / 19 * 100)
    assert shortfall_pct(6, 4, "lower") == pytest.approx(50.0)
    assert shortfall_pct(3, 4, "lower") == 0.0
    assert math.isnan(shortfall_pct(2, 0, "lower"))  # a ceiling of 0: no relative shortfall
    assert math.isnan(shortfall_pct(float("nan"), 4, "higher"))


def test_the_communes_furthest_from_their_plans_come_first():
    comparison = pd.DataFrame(
        {
            "unit": ["a", "a", "b", "b", "c"],
            "name": ["A", "A", "B", "B", "C"],
            "district": ["d"] * 5,
            "tt": [1, 2, 1, 2, 1],
            "indicator_id": ["x", "y", "x", "y", "x"],
            "indicator": ["Rừng", "Số vụ", "Rừng", "Số vụ", "Rừng"],
            "measure_unit": ["ha", "vụ", "ha", "vụ", "ha"],
            "direction": ["higher", "lower", "higher", "lower", "higher"],
            "result": [9.0, 6.0, 5.0, 2.0, 10.0],
            "plan": [10.0, 4.0, 10.0, 4.0, 10.0],
            "status": ["Không đạt", "Không đạt", "Không đạt", "Vượt", "Đạt"],
            "illustrative": [True] * 5,
        }
    )
    out = furthest_from_plan(comparison)
    # A misses two (10% and 50%: mean 30%), B one by 50%; C achieved everything
    assert out["unit"].tolist() == ["a", "b"]
    assert out["mean_shortfall_pct"].tolist() == pytest.approx([30.0, 50.0])
    assert out["worst_text"].iloc[0] == "Số vụ: 6 vụ so với kế hoạch 4 vụ (cách 2 vụ)"
    assert furthest_from_plan(comparison, top=1)["unit"].tolist() == ["a"]
    summary = indicator_summary(comparison)
    assert summary[["indicator_id", "n_achieved", "n_not_achieved", "not_achieved"]].values.tolist() == [
        ["x", 1, 2, "A;B"],
        ["y", 1, 1, "A"],
    ]
    assert status_matrix(comparison)[["unit", "x", "y"]].values.tolist() == [
        ["a", "Không đạt", "Không đạt"],
        ["b", "Không đạt", "Vượt"],
        ["c", "Đạt", ""],
    ]


@pytest.mark.slow
def test_the_units_with_audit_slips_are_the_real_districts_and_the_two_planted_slips():
    ctx = rollup_context("lang-son", 2024)
    slips = ctx.slips.set_index("unit")
    # data/illustrative/README.md: one deliberate slip per district's communes; the districts'
    # own: row 16 and the note of row 18 (seed 000; row 12's 100% is explained by the plan adjusted
    # to the 20 units left after the merger), seven sub-target findings (seed 001)
    assert list(slips.index) == ["trang-dinh", "bac-son", "trang-dinh-quoc-viet", "bac-son-chien-thang"]
    assert slips.loc["trang-dinh", "n_slips"] == 2 and slips.loc["bac-son", "n_slips"] == 7
    assert not slips.loc["trang-dinh", "illustrative"] and slips.loc["trang-dinh-quoc-viet", "illustrative"]
    assert slips.loc["trang-dinh-quoc-viet", "slips"] == [
        "Dòng 3 (Tỷ lệ người dân tham gia BHYT), TH/KH (%): công bố 109,48%, tính lại 99,48%"
    ]
    assert "công bố 9,36%, tính lại 9,20%" in " ".join(slips.loc["bac-son", "slips"])
    district = rollup_context("trang-dinh", 2024).slips
    assert list(district["unit"]) == ["trang-dinh", "trang-dinh-quoc-viet"]


def test_audit_slips_keeps_the_order_of_units_and_leaves_out_clean_ones():
    units = pd.DataFrame({"unit": ["p", "a", "b"], "name": ["P", "A", "B"], "level": ["province", "commune", "town"]})
    out = audit_slips({"b": ["x", "y"], "a": [], "p": ["z"]}, units, illustrative={"b": True})
    assert out[["unit", "n_slips", "illustrative"]].values.tolist() == [["p", 1, False], ["b", 2, True]]


@pytest.mark.slow
def test_the_headline_says_illustrative_and_counts_what_the_map_shows():
    ctx = rollup_context("lang-son", 2024)
    status = ctx.comparison["status"]
    missed = int((status == "Không đạt").sum())
    assert ctx.headline_text.startswith("Số liệu minh họa — Năm 2024: 26/27 xã, thị trấn có kết quả;")
    assert f", {missed} lượt không đạt;" in ctx.headline_text
    assert "4 đơn vị có số liệu công bố không khớp" in ctx.headline_text
    assert ctx.sources[-1].startswith("Số liệu minh họa cấp xã")
    assert ctx.data_date == "04/12/2024"  # the later of the two districts' reports (04/12/2024, 12/2024)


@pytest.mark.slow
def test_before_the_results_are_in_the_roll_up_says_so():
    ctx = rollup_context("lang-son", 2025)
    assert not ctx.has_results
    assert ctx.headline_text == "Chưa có kết quả năm 2025 của các xã, thị trấn (25 đơn vị)."


@pytest.mark.slow
def test_a_2026_roll_up_names_its_communes_xa_and_phuong_never_thi_tran():
    # Lạng Sơn since 01/07/2025: 65 units, four of them phường (Đông Kinh, Lương Văn Tri, Tam
    # Thanh, Kỳ Lừa: data/units.csv, from the registry); there is no thị trấn any more
    ctx = rollup_context("lang-son", 2026)
    names = list(ctx.members["name"])
    assert len(names) == 65 and sum(n.startswith("Phường ") for n in names) == 4
    assert ctx.kinds == "xã, phường"
    assert ctx.headline_text == "Chưa có kết quả năm 2026 của các xã, phường (65 đơn vị)."
    assert "thị trấn" not in ctx.headline_text


def test_a_roll_up_is_for_a_province_or_a_district():
    from analysis.errors import AnalysisError

    with pytest.raises(AnalysisError, match="a roll-up is made for a province or a district"):
        rollup_context("trang-dinh-hung-son", 2024)
