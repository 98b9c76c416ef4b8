"""The audit lists exactly the seed's disagreements."""

from __future__ import annotations

import pytest

from analysis.analyses.audit import audit, evaluate_expression, findings
from analysis.errors import AnalysisError


@pytest.fixture(scope="module")
def seed_audit(curated):
    return audit(curated.observations, curated.indicators, unit="trang-dinh", year=2024)


def test_seed_findings_are_rows_12_16_and_18(seed_audit):
    f = findings(seed_audit)
    got = {(int(r.tt), r.figure.split(" ")[0]) for r in f.itertuples()}
    assert got == {(12, "TH/KH"), (16, "TH"), (18, "Ghi")}
    row18 = f[f["tt"] == 18].iloc[0]
    assert row18["published"] == 30 and row18["recomputed"] == 31  # 33 × 0,95 = 31,35 → at most 31
    assert "30" in row18["explanation"] and "31" in row18["explanation"]
    row16 = f[f["tt"] == 16].iloc[0]
    assert row16["published"] == pytest.approx(104.8) and row16["recomputed"] == pytest.approx(103.676, abs=1e-3)


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
