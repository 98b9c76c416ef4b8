"""The 2026 run from the registry: Lạng Sơn's communes by code, and the history carried to them."""

from __future__ import annotations

import pytest

from analysis.build.units import run_units, select_units
from analysis.errors import UnknownUnitError
from analysis.io.registry import code_unit_id, year_period
from analysis.report.communes_context import commune_context


def test_the_2026_run_is_lang_son_and_its_65_communes() -> None:
    # Resolution 1672/NQ-UBTVQH15 (data/registry/acts.csv): Lạng Sơn has 65 commune-level units
    # since 01/07/2025, 4 of them wards (phường), as the registry tests have it.
    plan = run_units(2026)
    assert plan[0]["unit"] == "lang-son" and plan[0]["code"] == "20" and plan[0]["folder"] == "20-lang-son"
    communes = [u for u in plan if u["level"] == "commune"]
    assert len(communes) == 65
    assert sum(u["name"].startswith("Phường") for u in communes) == 4
    that_khe = next(u for u in plan if u["code"] == "06040")
    assert (that_khe["unit"], that_khe["name"], that_khe["folder"]) == (
        "06040-that-khe",
        "Xã Thất Khê",
        "06040-that-khe",
    )


def test_a_unit_is_asked_for_by_its_code_within_the_years_list() -> None:
    assert [u["unit"] for u in select_units(run_units(2026), ["06040"])] == ["06040-that-khe"]
    # in 2024 the town of Thất Khê was 05995 (06040 was Đại Đồng, not in that run)
    assert [u["unit"] for u in select_units(run_units(2024), ["05995"])] == ["trang-dinh-that-khe"]
    assert [u["unit"] for u in select_units(run_units(2024), ["trang-dinh"])] == ["trang-dinh"]
    with pytest.raises(UnknownUnitError, match="06040"):
        select_units(run_units(2024), ["06040"])
    assert (year_period(2024), year_period(2025), year_period(2026)) == ("2023", "2025-01", "2025-07")
    assert code_unit_id("05983", "Lương Văn Tri") == "05983-luong-van-tri"


def test_vu_le_carries_the_sum_of_its_three_old_communes() -> None:
    # Xã Vũ Lễ (06364) = old Vũ Sơn + Chiến Thắng + Vũ Lễ of Bắc Sơn; 2024 results of
    # data/illustrative/commune_observations.csv: new forest 39 + 41,6 + 42,2 ha,
    # budget revenue 2.383 + 1.013 + 1.668 triệu đồng.
    ctx = commune_context("06364-vu-le", 2026)
    h = ctx.carried_history.set_index(["indicator_id", "year"])
    assert h.loc[("new_forest", 2024), "value"] == pytest.approx(122.8)
    assert h.loc[("budget_revenue", 2024), "value"] == pytest.approx(5064)
    assert h.loc[("new_forest", 2024), "method"] == "sum"
    # no populations in the sources: rates are not carried, and the note says why
    assert h.loc[("poverty_rate", 2024), "method"] == "not_carried"
    assert "dân số" in h.loc[("poverty_rate", 2024), "note"]


def test_that_khe_names_its_predecessors_and_what_could_not_be_carried() -> None:
    # Xã Thất Khê (06040) = old Thị trấn Thất Khê + xã Chí Minh + xã Chi Lăng (Resolution 1672);
    # the town took part of Đại Đồng on 01/12/2024, which has no figures: nothing summed.
    from analysis.report.predecessors_present import predecessors_section
    from analysis.writers.html import html_of

    ctx = commune_context("06040-that-khe", 2026)
    events, labels = ctx.arrangement
    assert labels["trang-dinh-chi-minh"] == "xã Chí Minh (mã 06013)"
    assert sorted(events.loc[events["kind"] == "merge", "from_unit"]) == [
        "trang-dinh-chi-lang",
        "trang-dinh-chi-minh",
        "trang-dinh-that-khe",
    ]
    assert set(ctx.carried_events["event"]) >= {"td-2024-2"}
    assert (ctx.carried_history["method"] == "not_carried").all()
    html = html_of(predecessors_section(ctx))
    assert "thị trấn Thất Khê (mã 06040)" in html and "Nghị quyết 1672/NQ-UBTVQH15" in html
    assert ctx.full_name == "Xã Thất Khê (tỉnh Lạng Sơn, mã 06040)"
