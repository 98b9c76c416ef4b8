"""Corrections (đính chính) as data: applied when the data are read, refused when they do not
match, shown in the evaluated table, the pack's appendix and counted in the manifest."""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.__main__ import main
from analysis.build.manifest import corrections_count
from analysis.errors import DataValidationError
from analysis.io.datasets import load_curated
from analysis.report.briefing_present import audit_appendix
from analysis.report.context import unit_context
from analysis.writers.html import html_of

HEADER = "unit,year,indicator_id,field,measure_unit,old_value,new_value,reason,who,date,source_document\n"
# Made-up corrections of the real seed figures, for the tests only (never shipped).
VISITORS = (
    "trang-dinh,2024,tourist_visitors,result,,97000,98000,Cộng sót số liệu tháng 12 (minh họa),"
    "Phòng Văn hóa và Thông tin (minh họa),2025-01-15,Công văn số 01/VHTT (minh họa)\n"
)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    out = tmp_path / "data"
    shutil.copytree(paths.DATA, out, ignore=shutil.ignore_patterns("raw", "illustrative", "*.py"))
    return out


def write(data_dir: Path, *rows: str) -> None:
    (data_dir / "corrections.csv").write_text(HEADER + "".join(rows), encoding="utf-8")


def visitors(obs: pd.DataFrame, year: int = 2024, kind: str = "result") -> pd.Series:
    hit = obs[(obs["indicator_id"] == "tourist_visitors") & (obs["year"] == year) & (obs["kind"] == kind)]
    return hit.iloc[0]


def test_a_correction_changes_the_figure_and_says_so(data_dir):
    write(data_dir, VISITORS)
    curated = load_curated(data_dir)
    row = visitors(curated.observations)
    assert row["value"] == 98000
    assert row["note"] == (
        "Đính chính ngày 15/01/2025: 97000 → 98000 (Cộng sót số liệu tháng 12 (minh họa); Công văn số 01/VHTT (minh họa))."
    )
    assert visitors(load_curated().observations)["value"] == 97000  # the shipped data are untouched
    assert len(curated.corrections) == 1


def test_status_words_and_chained_corrections(data_dir):
    write(
        data_dir,
        "trang-dinh,2024,tourist_visitors,result,,97000,98000,a,b,2025-01-15,c\n",
        "trang-dinh,2024,tourist_visitors,result,,98000,98500,a,b,2025-02-01,d\n",
        "trang-dinh,2024,criminal_offences,published_status,,Không đạt,Đạt,a,b,2025-02-01,d\n",
    )
    obs = load_curated(data_dir).observations
    assert visitors(obs)["value"] == 98500
    status = obs[(obs["indicator_id"] == "criminal_offences") & (obs["kind"] == "published_status")]
    assert status["text"].tolist() == ["Đạt"] and status["note"].iloc[0].startswith("Đính chính ngày 01/02/2025")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "trang-dinh,2024,tourist_visitors,result,,96000,98000,a,b,2025-01-15,c\n",
            (
                r"corrections.csv: row 2, column 'old_value': '96000' does not match the current result of "
                r"'tourist_visitors' \(trang-dinh\) for 2024, which is '97000'"
            ),
        ),
        ("trang-dinh,2031,tourist_visitors,result,,1,2,a,b,2025-01-15,c\n", r"row 2: no result of 'tourist_visitors'"),
        ("trang-dinh,2024,tourist_visitors,result,,97000,98000,a,b,15/01/2025,c\n", r"row 2, column 'date'"),
        ("trang-dinh,2024,tourist_visitors,result,,97000,98.000 người,a,b,2025-01-15,c\n", r"column 'new_value'"),
        ("trang-dinh,2024,tourist_visitors,result,,97000,98000,,b,2025-01-15,c\n", r"row 2, column 'reason'.*empty"),
        ("trang-dinh,2024,tourist_visitors,résultat,,97000,98000,a,b,2025-01-15,c\n", r"row 2, column 'field'"),
        ("nowhere,2024,tourist_visitors,result,,97000,98000,a,b,2025-01-15,c\n", r"row 2, column 'unit'"),
    ],
)
def test_a_correction_that_does_not_fit_names_its_row(data_dir, row, message):
    write(data_dir, row)
    with pytest.raises(DataValidationError, match=message):
        load_curated(data_dir)


@pytest.mark.slow
def test_the_evaluated_table_and_the_appendix_show_it(data_dir):
    write(data_dir, VISITORS)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(
            ["evaluate", "--unit", "trang-dinh", "--year", "2024", "--data-dir", str(data_dir), "--format", "csv"]
        )
    assert code == 0, err.getvalue()
    ev = pd.read_csv(io.StringIO(out.getvalue()), keep_default_na=False)
    assert ev.loc[ev["tt"] == 1, "corrected"].tolist() == ["kết quả 2024: 97.000 → 98.000"]
    assert ev.loc[ev["tt"] == 1, "result"].tolist() == [98000]
    assert (ev.loc[ev["tt"] != 1, "corrected"] == "").all()
    ctx = unit_context("trang-dinh", 2024, data_dir=data_dir)
    assert ctx.corrections[["year", "indicator", "figure", "old_value", "new_value", "date"]].values.tolist() == [
        [2024, "Lượng khách du lịch", "kết quả", "97.000", "98.000", "15/01/2025"]
    ]
    html = html_of(audit_appendix(ctx))
    assert "Đính chính: 1 số liệu đã được đính chính" in html and "Công văn số 01/VHTT (minh họa)" in html
    assert "<h3>Đính chính" not in html_of(audit_appendix(unit_context("trang-dinh", 2024)))


def test_the_manifest_counts_the_corrections(data_dir):
    write(data_dir, VISITORS, "trang-dinh,2024,tourism_revenue,result,,48.5,48.6,a,b,2025-01-15,c\n")
    inputs = {paths.display_path(data_dir / "corrections.csv"): "x", paths.display_path(data_dir / "units.csv"): "y"}
    assert corrections_count(inputs) == 2
    assert corrections_count({paths.display_path(data_dir / "units.csv"): "y"}) == 0


# Row 23 of seed 000 (under-canopy planting): plan 2024 80 ha, results 30 / 131,1 / 80,7 / 43,3 ha
# for 2021-2024, published TH/KH 54,1% and TH/TH 53,7%, note "2025 phải đạt ít nhất 114,9ha".
PLANTING = "trang-dinh,2024,understorey_planting,result,,43.3,45,a,b,2025-01-10,c\n"


def test_a_correction_is_not_a_slip_and_its_effects_are_worked_out(data_dir):
    write(data_dir, PLANTING)
    ctx = unit_context("trang-dinh", 2024, data_dir=data_dir)
    shipped = unit_context("trang-dinh", 2024)
    # audited as published: the same slips as without the correction (rows 16 and 18)
    assert ctx.findings[["tt", "figure"]].values.tolist() == shipped.findings[["tt", "figure"]].values.tolist()
    assert sorted(set(ctx.findings["tt"])) == [16, 18]
    row = ctx.evaluated.set_index("tt").loc[23]
    assert row["result"] == 45 and bool(row["attainment_agrees"]) and bool(row["trend_agrees"])
    assert row["corrected"] == "kết quả 2024: 43,3 → 45"
    effects = ctx.correction_effects
    assert effects[["tt", "figure", "old_value", "new_value"]].values.tolist() == [[23, "kết quả 2024", "43,3", "45"]]
    # 43,3/80 = 54,125% → 45/80 = 56,25%; 43,3/80,7 = 53,655% → 45/80,7 = 55,762%;
    # 80×5 − (30+131,1+80,7+43,3) = 114,9 → 80×5 − (30+131,1+80,7+45) = 113,2 ha
    assert effects["moves"].iloc[0] == [
        "TH/KH (%): 54,13% → 56,25%",
        "TH 2024/TH 2023 (%): 53,66% → 55,76%",
        "Giá trị cần đạt năm 2025: 114,9 → 113,2 ha",
    ]


def test_a_correction_that_changes_a_status_moves_the_headline(data_dir):
    # row 23 corrected to the plan, 80 ha: Dự kiến không đạt → Dự kiến đạt, 06/26 → 05/26
    write(data_dir, "trang-dinh,2024,understorey_planting,result,,43.3,80,a,b,2025-01-10,c\n")
    moves = unit_context("trang-dinh", 2024, data_dir=data_dir).correction_effects["moves"].iloc[0]
    assert "Đánh giá: Dự kiến không đạt → Dự kiến đạt" in moves
    assert moves[-1] == "Số chỉ tiêu không đạt: 06/26 → 05/26"
