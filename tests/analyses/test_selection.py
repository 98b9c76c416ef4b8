"""Choosing what a command analyses: unit, year, title, and key-task findings as audit rows."""

from __future__ import annotations

import pytest

from analysis.analyses.audit import AUDIT_COLUMNS
from analysis.analyses.selection import (
    scored_task_year,
    select_indicators,
    subtarget_findings,
    tasks_as_audit,
)
from analysis.errors import AnalysisError, UnknownUnitError
from conftest import SEED_TABLE


def test_curated_unit_defaults_to_its_latest_year_with_plan_and_result() -> None:
    sel = select_indicators(unit="trang-dinh", year=None)
    assert (sel.unit, sel.year, sel.problems) == ("trang-dinh", 2024, None)
    assert sel.title == "Tràng Định (trang-dinh), năm 2024"


def test_a_year_without_plan_and_result_names_the_years_that_have_them() -> None:
    with pytest.raises(
        AnalysisError, match=r"no plan and result for unit 'trang-dinh' .* in 2019; years with both: 2024"
    ):
        select_indicators(unit="trang-dinh", year=2019)


def test_no_unit_and_no_table_says_what_to_give() -> None:
    with pytest.raises(AnalysisError, match=r"give --unit UNIT"):
        select_indicators(unit=None, year=None)


def test_a_table_file_with_an_unknown_unit_is_refused() -> None:
    with pytest.raises(UnknownUnitError, match=r"unknown unit 'trang-dihn'"):
        select_indicators(unit="trang-dihn", year=None, table=SEED_TABLE)


def test_a_table_file_gives_its_own_year_and_problems() -> None:
    sel = select_indicators(unit=None, year=None, table=SEED_TABLE)
    assert sel.year == 2024 and sel.title.startswith(SEED_TABLE.name)
    assert sel.problems is not None


def test_scored_key_tasks_of_bac_son(curated) -> None:
    assert scored_task_year(curated, "bac-son", None) == 2024
    with pytest.raises(AnalysisError, match=r"in 2023; years with scores: 2024"):
        scored_task_year(curated, "bac-son", 2023)
    with pytest.raises(AnalysisError, match=r"no scored key tasks for unit 'trang-dinh'"):
        scored_task_year(curated, "trang-dinh", None)


def test_the_key_task_slip_becomes_an_audit_row(curated) -> None:
    found = subtarget_findings(curated, "bac-son", None)
    assert found is not None
    rows = tasks_as_audit(found)
    assert list(rows.columns) == list(AUDIT_COLUMNS)
    # seed 001: national-programme funds 7.556 / 82.102 = 9,20%, published 9,36%
    slip = rows[rows["published"].astype(str).str.contains("9.36")]
    assert len(slip) == 1 and not slip["agrees"].iloc[0]
    assert slip["source"].iloc[0].startswith("nhiệm vụ trọng tâm")
    assert subtarget_findings(curated, "trang-dinh", None) is None
