"""A table of our own making, written with the phrasings of issue 9 (bounds, "khoảng", ranges,
levels to come down to, reductions, words) and the unit's own verdicts in the TH/KH column:
read from the file, evaluated, audited and projected, against statuses worked out by hand."""

from __future__ import annotations

import pytest

from analysis.analyses.audit import audit, explained, findings
from analysis.analyses.evaluate import evaluate, headline
from analysis.analyses.targets import term_gaps
from analysis.io.ingest import read_table
from analysis.io.schema import Status
from conftest import FIXTURES

V, D, K = Status.EXCEEDED, Status.ACHIEVED, Status.NOT_ACHIEVED
# tt → (status, why), worked by hand from tests/fixtures/bounds_and_verdicts_2024.txt
BY_HAND = {
    1: (V, "6-6,5%: 7,1 beyond the good end"),
    2: (D, "Khoảng 4% for CPI (lower is better): a ceiling, 3,6 under it"),
    3: (K, "≥ 70%: 69,5 short"),
    4: (V, "Giảm xuống còn 3%: 2,9 under 3"),
    5: (K, "Còn dưới 5%: 5,0 is not under 5"),
    6: (D, "Không quá 12 vụ: 12"),
    7: (D, "Giảm 10% so với năm trước: 9 × 0,9 = 8,1, at most 8; 8"),
    8: (D, "Khoảng 1.500 tỷ đồng: 1.480 within 1.425–1.575"),
    9: (V, "12-14 tiêu chí: 14,5 beyond 14"),
    10: (D, "Duy trì 100%: 100"),
    11: (K, "Tăng so với cùng kỳ: 38 < 40"),
    12: (V, "Trên 65%: 65,3"),
    13: (D, "Dưới 3% (unemployment): 2,8, the limit kept"),
    14: (K, "Tỷ lệ hộ nghèo giảm, Giảm 1,5%: the reduction itself, 1,4 < 1,5"),
}


@pytest.fixture(scope="module")
def table():
    result = read_table(FIXTURES / "bounds_and_verdicts_2024.txt", unit="own")
    assert result.problems.empty, result.problems.to_string()
    return result.observations, result.catalogue


def test_every_status_is_the_one_worked_by_hand(table):
    ev = evaluate(*table, unit="own", year=2024).set_index("tt")
    assert {tt: ev.loc[tt, "status"] for tt in BY_HAND} == {tt: s for tt, (s, _) in BY_HAND.items()}
    # a bound decides the direction, and the table shows it was inferred
    assert ev.loc[4, "direction"] == "lower" and "direction" in ev.loc[4, "inferred"]
    assert ev.loc[3, "target_kind"] == "at_least" and ev.loc[9, "target_kind"] == "range"


def test_ratios_that_mean_nothing_are_blank_with_a_remark(table):
    ev = evaluate(*table, unit="own", year=2024).set_index("tt")
    assert ev.loc[[1, 3, 4, 5, 6, 7, 9, 11, 12, 13], "attainment_pct"].isna().all()
    assert "một khoảng" in ev.loc[1, "remark"] and "một ngưỡng" in ev.loc[3, "remark"]
    assert ev.loc[8, "attainment_pct"] == pytest.approx(1480 / 1500 * 100)  # "khoảng": a figure to compare


def test_the_headline_counts_four_and_the_published_three_is_a_slip(table):
    ev = evaluate(*table, unit="own", year=2024)
    h = headline(ev)
    assert h.count_text == "04/14" and [tt for tt, _ in h.not_achieved] == [3, 5, 11, 14]
    assert h.sentence.startswith("Năm 2024: 04/14")  # results, not estimates: no "Dự kiến"
    a = audit(*table, unit="own", year=2024)
    head = a[a["figure"] == "Số chỉ tiêu không đạt"].iloc[0]
    assert (head["published"], head["recomputed"], head["outcome"]) == (3, 4, "slip")


def test_published_verdicts_slips_and_nuances(table):
    a = audit(*table, unit="own", year=2024)
    verdicts = a[a["figure"] == "Đánh giá"].set_index("tt")["outcome"]
    # published Đạt where the figures say not achieved (3, 11), and Không đạt where they say achieved (7)
    assert set(verdicts[verdicts == "slip"].index) == {3, 7, 11}
    # published Đạt where the figures say Vượt (4: 2,9% under the level of 3%): a degree, not a slip
    assert set(verdicts[verdicts == "nuance"].index) == {4}
    assert set(findings(a)["tt"].dropna().astype(int)) == {3, 7, 11}
    assert set(explained(a)["tt"].astype(int)) == {4}


def test_gaps_speak_of_a_rate_in_points(table):
    g = term_gaps(*table, unit="own", year=2024).set_index("tt")
    # row 4: NQ "Dưới 2%" for the poverty rate, 2,9% now: 0,9 points to go, strictly under 2
    assert g.loc[4, "required_bound"] == "dưới" and "cần giảm 0,9 điểm %" in g.loc[4, "explanation"]
    assert g.loc[4, "standing"] == "unknown" and "không đủ số liệu để dự báo" in g.loc[4, "explanation"]
    # row 9: 14,5 criteria against NQ 15-17: below the range
    assert g.loc[9, "achieved_already"] == False  # noqa: E712
