"""Key tasks: score bands, classes and sub-target recomputation (seed 001, Bắc Sơn 2024).

Expected values are copied from the report (data/raw/001_3e13b2f394a39148.txt),
not from the code.
"""

from __future__ import annotations

import math
import unicodedata

import pandas as pd
import pytest
import yaml

from analysis import paths
from analysis.analyses.tasks import (
    ScoreBand,
    classify_score,
    evaluate_subtargets,
    evaluate_tasks,
    load_score_bands,
    read_subtargets,
    read_tasks,
    task_findings,
)
from analysis.errors import DataValidationError, InputFileError, ParameterError
from analysis.io.schema import SUBTARGET_COLUMNS, TASK_COLUMNS, Status

XS, TOT = "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ"
RAW_001 = paths.RAW / "001_3e13b2f394a39148.txt"


@pytest.fixture(scope="module")
def bands() -> list[ScoreBand]:
    return load_score_bands(yaml.safe_load((paths.PARAMS / "defaults.yaml").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def tasks() -> pd.DataFrame:
    return read_tasks()


@pytest.fixture(scope="module")
def subtargets() -> pd.DataFrame:
    return read_subtargets()


@pytest.fixture(scope="module")
def evaluated(subtargets: pd.DataFrame) -> pd.DataFrame:
    return evaluate_subtargets(subtargets, unit="bac-son", year=2024).set_index("sub", drop=False)


def make_sub(**values) -> pd.DataFrame:
    """One sub-target row: every column empty except the ones given."""
    row = dict.fromkeys(SUBTARGET_COLUMNS, "") | {"unit": "u", "year": 2024, "task": "1", "sub": "1.a"}
    return pd.DataFrame([row | values])


def bands_of(*entries) -> dict:
    return {"score_bands": [dict(min=m, label=lab) for m, lab in entries]}


# --- the ten classes of seed 001 ----------------------------------------------------------

SEED_001_CLASSES = [  # task, self-score, class as published
    ("1.1", 100, XS),
    ("1.2", 80, TOT),
    ("1.3", 90, TOT),
    ("1.4", 100, XS),
    ("1.5", 100, XS),
    ("2.1", 100, XS),
    ("2.2", 91, XS),
    ("2.3", 97, XS),
    ("2.4", 100, XS),
    ("2.5", 100, XS),
]


def test_default_bands_reproduce_the_ten_classes_of_seed_001(tasks, bands):
    out = evaluate_tasks(tasks, bands, unit="bac-son", year=2024).set_index("task")
    assert list(out.index) == [t for t, _, _ in SEED_001_CLASSES]
    for task, score, published in SEED_001_CLASSES:
        assert out.loc[task, "self_score"] == score
        assert out.loc[task, "published_class"] == published
        assert out.loc[task, "class"] == published
    assert out["agrees"].all()


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (100, XS),
        (97, XS),
        (91, XS),
        (90.5, TOT),
        (90, TOT),
        (80, TOT),
        (70, TOT),
        (69, "Hoàn thành nhiệm vụ"),
        (50, "Hoàn thành nhiệm vụ"),
        (49.9, "Không hoàn thành nhiệm vụ"),
        (0, "Không hoàn thành nhiệm vụ"),
        (None, ""),
        (math.nan, ""),
        (pd.NA, ""),
    ],
)
def test_classify_score(bands, score, expected):
    assert classify_score(score, bands) == expected


@pytest.mark.parametrize(
    ("score", "message"),
    [
        (105, "self-score 105 is outside 0..100"),
        (-1, "self-score -1 is outside 0..100"),
        ("90", "must be a number"),
        (True, "must be a number"),
    ],
)
def test_classify_score_rejects_bad_scores(bands, score, message):
    with pytest.raises(ValueError, match=message):
        classify_score(score, bands)


def test_evaluate_tasks_names_the_task_with_a_bad_score(tasks, bands):
    bad = tasks.copy()
    bad.loc[bad["task"] == "2.2", "self_score"] = 105
    with pytest.raises(DataValidationError, match=r"task '2\.2' \(bac-son 2024\), column 'self_score'.*105"):
        evaluate_tasks(bad, bands, unit="bac-son", year=2024)


def test_missing_score_gives_no_class_and_unknown_agreement(bands):
    t = pd.DataFrame(
        [dict.fromkeys(TASK_COLUMNS, "") | {"unit": "u", "year": 2024, "task": "1.1", "published_class": XS}]
    )
    out = evaluate_tasks(t, bands, unit="u", year=2024)
    assert out.loc[0, "class"] == "" and out.loc[0, "agrees"] is pd.NA


def test_counts_of_subtargets_and_findings(tasks, subtargets, bands):
    out = evaluate_tasks(tasks, bands, unit="bac-son", year=2024, subtargets=subtargets).set_index("task")
    assert out["n_subtargets"].to_dict() == {
        "1.1": 4,
        "1.2": 2,
        "1.3": 9,
        "1.4": 1,
        "1.5": 1,
        "2.1": 2,
        "2.2": 2,
        "2.3": 4,
        "2.4": 6,
        "2.5": 1,
    }
    assert out["n_findings"].to_dict() == {
        "1.1": 0,
        "1.2": 2,
        "1.3": 4,
        "1.4": 0,
        "1.5": 0,
        "2.1": 0,
        "2.2": 0,
        "2.3": 0,
        "2.4": 1,
        "2.5": 0,
    }


def test_unknown_unit_or_year_gives_an_empty_frame(tasks, bands):
    assert evaluate_tasks(tasks, bands, unit="trang-dinh", year=2024).empty
    assert evaluate_tasks(tasks, bands, unit="bac-son", year=2023).empty


# --- score bands parameters ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, r"score_bands: missing"),
        ({"score_bands": []}, r"score_bands: expected a non-empty list"),
        ({"score_bands": "91"}, r"score_bands: expected a non-empty list"),
        (bands_of((91, "A"), (91, "B"), (0, "C")), r"score_bands\[1\] .*overlap: min 91"),
        (bands_of((91, "A"), (50, "B")), r"score_bands: gap: scores from 0 to below 50"),
        (bands_of((0, "C"), (91, "A")), r"score_bands\[1\] .*unsorted: .*min 91 follows min 0"),
        (bands_of((91, "A"), ("eighty", "B"), (0, "C")), r"score_bands\[1\] .*'eighty'.*min must be a number"),
        (bands_of((120, "A"), (0, "C")), r"score_bands\[0\] .*min must be a number from 0 to 100, got 120"),
        (bands_of((91, "A"), (0, " ")), r"score_bands\[1\] .*label must be a non-empty text"),
        (bands_of((91, "A"), (0, "A")), r"score_bands\[1\] .*label 'A' is used by another band"),
        ({"score_bands": [{"min": 0}]}, r"score_bands\[0\] .*expected exactly the keys min and label"),
        ({"score_bands": [{"min": 0, "label": "A", "max": 100}]}, r"score_bands\[0\] .*unknown: max"),
        ({"score_bands": [0]}, r"score_bands\[0\] 0: expected a mapping"),
    ],
)
def test_bad_score_bands_raise_parameter_error(params, message):
    with pytest.raises(ParameterError, match=message):
        load_score_bands(params)


def test_default_bands(bands):
    assert [(b.min_score, b.label) for b in bands] == [
        (91, XS),
        (70, TOT),
        (50, "Hoàn thành nhiệm vụ"),
        (0, "Không hoàn thành nhiệm vụ"),
    ]


# --- the worked checks of seed 001 ----------------------------------------------------------

WORKED_CHECKS = [
    # sub, numerator, denominator, target, published %, recomputed % (2 dec.), pct agrees, status
    ("1.2.a", 77398, 112498, 100, 68.8, 68.80, True, Status.NOT_ACHIEVED),
    ("1.2.b", 7556, 82102, 100, 9.36, 9.20, False, Status.NOT_ACHIEVED),
    ("1.1.a", 59460, 41020, 41020, 144.9, 144.95, True, Status.EXCEEDED),
    ("1.3.h", 715.96, 600, 600, 119.3, 119.33, True, Status.EXCEEDED),
    ("1.3.i", 229.1, 276.16, 82, 83, 82.96, True, Status.EXCEEDED),
    ("1.4.a", 99, 148, 54, 66.8, 66.89, True, Status.EXCEEDED),
    ("2.3.a", 104, 148, 70, 70, 70.27, True, Status.ACHIEVED),
    ("2.3.b", 249433, 210000, 210000, 118.8, 118.78, True, Status.EXCEEDED),
    ("2.3.c", 137, 118, 118, 116, 116.10, True, Status.EXCEEDED),
    ("2.4.c", 85, 94, 90, 90, 90.43, True, Status.ACHIEVED),
    ("2.4.d", 16, 21, 90, 76, 76.19, True, Status.NOT_ACHIEVED),
    ("2.5.a", 1541, 1541, 90, 100, 100.00, True, Status.EXCEEDED),
]


@pytest.mark.parametrize(("sub", "num", "den", "target", "published", "recomputed", "pct_ok", "status"), WORKED_CHECKS)
def test_worked_checks_of_seed_001(evaluated, sub, num, den, target, published, recomputed, pct_ok, status):
    r = evaluated.loc[sub]
    assert (r["numerator"], r["denominator"], r["target_value"], r["published_pct"]) == (num, den, target, published)
    assert round(r["recomputed_pct"], 2) == recomputed
    assert bool(r["pct_agrees"]) is pct_ok
    assert r["status"] == status


def test_national_programme_funds_9_36_is_listed(evaluated):
    findings = task_findings(evaluated)
    row = findings[(findings["sub"] == "1.2.b") & (findings["check"] == "pct")]
    assert len(row) == 1
    assert row.iloc[0][["task", "published", "recomputed"]].tolist() == ["1.2", "9,36%", "9,20%"]
    assert "7.556 / 82.102 = 9,20%, công bố 9,36%: không khớp" in row.iloc[0]["explanation"]


def test_findings_of_seed_001(evaluated):
    findings = task_findings(evaluated)
    assert sorted(zip(findings["sub"], findings["check"])) == [
        ("1.2.a", "status"),
        ("1.2.b", "pct"),
        ("1.3.a", "status"),
        ("1.3.b", "status"),
        ("1.3.c", "status"),
        ("1.3.d", "status"),
        ("2.4.d", "status"),
    ]
    expected = findings[findings["check"] == "status"]
    assert (expected["published"] == "dự kiến đạt").all()
    assert expected["explanation"].str.contains("dự kiến đạt nhưng số hiện tại còn dưới mục tiêu").all()


@pytest.mark.parametrize(
    ("sub", "result", "target", "status"),
    [
        ("1.3.e", 15.94, 15.8, Status.EXCEEDED),  # bình quân 15,94 tiêu chí / xã against 15,8
        ("2.1.a", 3.3, 3, Status.EXCEEDED),  # poverty rate down 3,3 points against 3
        ("2.2.a", 2, 2, Status.ACHIEVED),  # 2 schools recognised
        ("1.3.a", 15, 19, Status.NOT_ACHIEVED),  # Tân Thành 15/19 criteria
    ],
)
def test_results_without_ratio(evaluated, sub, result, target, status):
    r = evaluated.loc[sub]
    assert (r["result_value"], r["target_value"], r["status"]) == (result, target, status)
    assert math.isnan(r["recomputed_pct"])


def test_word_targets_are_not_judged(evaluated):
    for sub in ("1.5.a", "2.1.b", "2.3.d", "2.4.a"):
        r = evaluated.loc[sub]
        assert r["status"] == Status.UNKNOWN and r["status_agrees"] is pd.NA
        assert r["explanation"].startswith("Mục tiêu bằng lời")


# --- recomputation rules on small tables --------------------------------------------------


@pytest.mark.parametrize(
    ("num", "den", "published", "decimals", "qualifier", "expected"),
    [
        (249433, 210000, 118.8, 1, "trên", True),  # 118,78 rounds to 118,8
        (137, 118, 116, 0, "trên", True),
        (130, 100, 116, 0, "trên", True),  # "trên 116%": 130% is above
        (130, 100, 116, 0, "", False),
        (110, 100, 116, 0, "trên", False),
        (2, 3, 66.66, 2, "", True),  # truncated
        (43.3, 80.7, 53.7, 1, "", True),  # rounded
    ],
)
def test_pct_agreement(num, den, published, decimals, qualifier, expected):
    s = make_sub(
        target_value=100,
        measure_unit="%",
        numerator=num,
        denominator=den,
        published_pct=published,
        published_pct_decimals=decimals,
        published_pct_qualifier=qualifier,
    )
    assert bool(evaluate_subtargets(s, unit="u", year=2024).loc[0, "pct_agrees"]) is expected


@pytest.mark.parametrize(
    ("target", "mu", "num", "den", "result", "word", "status", "status_ok"),
    [
        (90, "%", 85, 94, "", "dự kiến đạt", Status.EXCEEDED, True),  # 90,43 > 90; no published % to round to
        (90, "%", 16, 21, "", "dự kiến đạt", Status.NOT_ACHIEVED, False),
        (90, "%", 16, 21, "", "không đạt", Status.NOT_ACHIEVED, True),
        (90, "%", 19, 20, "", "không đạt", Status.EXCEEDED, False),
        (600, "ha", 500, 600, "", "vượt", Status.NOT_ACHIEVED, False),
        (4, "quy định", "", "", 4, "đạt", Status.ACHIEVED, True),
        (4, "quy định", "", "", 3, "", Status.NOT_ACHIEVED, pd.NA),
        ("", "", "", "", "", "đạt", Status.UNKNOWN, pd.NA),
        (2, "sản phẩm", "", "", "", "dự kiến đạt", Status.UNKNOWN, pd.NA),
    ],
)
def test_status(target, mu, num, den, result, word, status, status_ok):
    s = make_sub(
        target_value=target, measure_unit=mu, numerator=num, denominator=den, result_value=result, published_status=word
    )
    r = evaluate_subtargets(s, unit="u", year=2024).loc[0]
    assert r["status"] == status
    assert (r["status_agrees"] is pd.NA) if status_ok is pd.NA else (bool(r["status_agrees"]) is status_ok)


@pytest.mark.parametrize(
    ("num", "den", "reason"),
    [
        (5, 0, "mẫu số bằng 0"),
        (5, "", "thiếu tử số hoặc mẫu số"),
        ("", 5, "thiếu tử số hoặc mẫu số"),
    ],
)
def test_unrecomputable_percentage_is_reported_not_raised(num, den, reason):
    s = make_sub(
        target_value=100,
        measure_unit="%",
        numerator=num,
        denominator=den,
        published_pct=9.36,
        published_pct_decimals=2,
        published_status="đạt",
    )
    r = evaluate_subtargets(s, unit="u", year=2024).loc[0]
    assert math.isnan(r["recomputed_pct"]) and r["pct_agrees"] is pd.NA
    assert reason in r["explanation"] and "số công bố 9,36% không kiểm tra được" in r["explanation"]
    assert task_findings(evaluate_subtargets(s, unit="u", year=2024)).empty


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("published_status", "Đạt ", r"column 'published_status': 'Đạt' is not one of"),
        ("published_pct_qualifier", "khoảng", r"column 'published_pct_qualifier': 'khoảng'"),
        ("published_pct", "9,36", r"row 2, column 'published_pct': '9,36' is not a number"),
        ("published_pct_decimals", "1.5", r"column 'published_pct_decimals': '1.5' is not a whole number"),
    ],
)
def test_bad_subtarget_cells(column, value, message):
    with pytest.raises(DataValidationError, match=message):
        evaluate_subtargets(make_sub(**{column: value}), unit="u", year=2024)


# --- the shipped data ---------------------------------------------------------------------


def test_shipped_tables_have_the_schema_columns(tasks, subtargets):
    assert list(tasks.columns) == TASK_COLUMNS
    assert list(subtargets.columns) == SUBTARGET_COLUMNS


def test_shipped_tasks(tasks):
    assert (tasks["year"] == 2024).sum() == 10
    y2025 = tasks[tasks["year"] == 2025]
    assert list(y2025["task"]) == [f"III.1.{i}" for i in range(1, 17)] + [f"III.2.{i}" for i in range(1, 4)]
    assert y2025["self_score"].isna().all() and (y2025["published_class"] == "").all()
    assert set(tasks.loc[tasks["year"] == 2024, "group"]) == {
        "Phát triển kinh tế",
        "Văn hóa, xã hội và cải cách hành chính",
    }


def test_shipped_text_is_nfc_and_quoted_from_the_report(tasks, subtargets):
    raw = unicodedata.normalize("NFC", RAW_001.read_text(encoding="utf-8")).replace("*", "")
    raw = raw.replace(r"$\geq 5\%$", "≥ 5%").replace(r"$\geq 3\%$", "≥ 3%")
    for frame, column in ((tasks, "title"), (subtargets, "source_text")):
        for text in frame[column]:
            assert unicodedata.is_normalized("NFC", text)
            assert text in raw, text
    assert set(subtargets["task"]) <= set(tasks.loc[tasks["year"] == 2024, "task"])
    assert set(subtargets["published_status"]) <= {"", "vượt", "đạt", "dự kiến đạt", "không đạt"}
    has_pct = subtargets["published_pct"].notna()
    assert (subtargets["published_pct_decimals"].notna() == has_pct).all()


def test_read_reports_a_bad_cell_with_row_and_column(tmp_path, subtargets):
    bad = subtargets.astype("object").copy()
    bad.loc[3, "denominator"] = "x"
    bad.to_csv(tmp_path / "subtargets.csv", index=False)
    with pytest.raises(DataValidationError, match=r"row 5, column 'denominator': 'x' is not a number"):
        read_subtargets(tmp_path)


def test_read_rejects_duplicate_keys_and_missing_files(tmp_path, tasks):
    pd.concat([tasks, tasks.iloc[[0]]]).to_csv(tmp_path / "tasks.csv", index=False)
    with pytest.raises(DataValidationError, match=r"row 31: duplicate key unit='bac-son', year=2024, task='1.1'"):
        read_tasks(tmp_path)
    with pytest.raises(InputFileError, match="file not found"):
        read_subtargets(tmp_path)
