"""The audit lists exactly the seed's disagreements."""

from __future__ import annotations

import pytest

from analysis.analyses.audit import audit, compare_verdicts, evaluate_expression, explained, findings
from analysis.errors import AnalysisError


@pytest.fixture(scope="module")
def seed_audit(curated):
    return audit(curated.observations, curated.indicators, unit="trang-dinh", year=2024)


def test_seed_findings_are_rows_16_and_18_and_row_12_is_explained(seed_audit):
    f = findings(seed_audit)
    got = {(int(r.tt), r.figure.split(" ")[0]) for r in f.itertuples()}
    assert got == {(16, "TH"), (18, "Ghi")}
    row12 = seed_audit[(seed_audit["tt"] == 12) & (seed_audit["figure"] == "TH/KH (%)")].iloc[0]
    assert row12["outcome"] == "explained" and row12["recomputed"] == pytest.approx(20 / 21 * 100)
    assert "kế hoạch điều chỉnh" in row12["explanation"] and "sáp nhập" in row12["explanation"]
    assert list(explained(seed_audit)["tt"]) == [12]
    row18 = f[f["tt"] == 18].iloc[0]
    assert row18["published"] == 30 and row18["recomputed"] == 31  # 33 × 0,95 = 31,35 → at most 31
    assert "30" in row18["explanation"] and "31" in row18["explanation"]
    row16 = f[f["tt"] == 16].iloc[0]
    assert row16["published"] == pytest.approx(104.8) and row16["recomputed"] == pytest.approx(103.676, abs=1e-3)
    # the likely reason: 65 / 62,02 = 104,80%, next year's plan used for the result
    assert "65 / 62,02 = 104,80% (KH 2025 / kết quả 2023)" in row16["explanation"]


def test_published_verdicts_of_rows_18_and_19_agree(seed_audit):
    verdicts = seed_audit[seed_audit["figure"] == "Đánh giá"].set_index("tt")
    assert set(verdicts.index) == {18, 19}
    assert (verdicts["outcome"] == "agrees").all()  # "Không đạt" = "Dự kiến không đạt"


def test_the_notes_that_agree_are_checked(seed_audit):
    notes = seed_audit[seed_audit["figure"].str.startswith("Ghi chú")].set_index("tt")
    assert bool(notes.loc[3, "agrees"]) and bool(notes.loc[19, "agrees"]) and bool(notes.loc[23, "agrees"])
    assert notes.loc[17, "recomputed"] == pytest.approx(2.364) and bool(notes.loc[17, "agrees"])


def test_the_published_headline_is_checked(seed_audit):
    head = seed_audit[seed_audit["figure"] == "Số chỉ tiêu không đạt"].iloc[0]
    assert head["published"] == 6 and head["recomputed"] == 6 and bool(head["agrees"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(1,92%+2,95%+1,76%+3,55%+1,64%)/5", 2.364),
        ("12/20", 0.6),
        ("1.200 x 2", 2400),
        ("-(3 - 5)", 2),
    ],
)
def test_evaluate_expression(text, expected):
    assert evaluate_expression(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [("(1 + 2", "cannot read"), ("5 / (2 - 2)", "division by zero"), ("__import__('os')", "cannot read")],
)
def test_bad_expressions_are_errors(text, message):
    with pytest.raises(AnalysisError, match=message):
        evaluate_expression(text)


@pytest.mark.parametrize(
    ("published", "recomputed", "outcome"),
    [
        ("Đạt", "Đạt", "agrees"),
        ("Vượt", "Dự kiến vượt", "agrees"),
        ("Vượt", "Đạt", "nuance"),  # a degree, not a slip
        ("Đạt", "Dự kiến vượt", "nuance"),
        ("Đạt", "Không đạt", "slip"),
        ("Dự kiến đạt", "Dự kiến không đạt", "slip"),
        ("Không đạt", "Vượt", "slip"),
        ("Không đạt", "Dự kiến không đạt", "agrees"),
        ("Cơ bản đạt", "Đạt", "agrees"),
        ("tốt", "Đạt", "not_checked"),
        ("Đạt", "Chưa xác định", "not_checked"),
    ],
)
def test_compare_verdicts(published, recomputed, outcome):
    assert compare_verdicts(published, recomputed) == outcome
