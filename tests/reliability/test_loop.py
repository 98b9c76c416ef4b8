"""The year-end loop labels and counts what it took in: a correction after publication is
reported as a correction (what it changes), never as slips of the published report, and every
output gives the same count of mismatches.

The correction used here is made up for the tests (never shipped): row 23 of seed 000
(under-canopy planting, "Trồng cây dưới tán") had a 2024 result of 43,3 ha against a plan of
80 ha; the report published TH/KH 54,1% (43,3 / 80 = 54,125%) and TH 2024/TH 2023 53,7%
(43,3 / 80,7 = 53,66%), and its note "Năm 2025 phải đạt ít nhất 114,9ha" (80 × 5 − (30 +
131,1 + 80,7 + 43,3) = 114,9). Corrected to 45 ha, the derived figures move to 45 / 80 =
56,25%, 45 / 80,7 = 55,76% and 80 × 5 − (30 + 131,1 + 80,7 + 45) = 113,2 ha; the published
figures stay right for the published result. Seed 000's own slips are two: row 16's
TH 2024/TH 2023 (published 104,80%, 64,3 / 62,02 = 103,68%) and row 18's note (at most 30
offences published, 5% below 33 allows 31).
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from reliability.kit import Project, cli, write

HEADER = "unit,year,indicator_id,field,measure_unit,old_value,new_value,reason,who,date,source_document\n"
PLANTING = (
    "trang-dinh,2024,understorey_planting,result,,43.3,45,Cộng sót diện tích (minh họa),"
    "Phòng Nông nghiệp (minh họa),2025-01-10,Công văn số 12/UBND (minh họa)\n"
)


def correct(project: Project) -> Path:
    write(project.data / "corrections.csv", HEADER + PLANTING)
    return project.data


def summary_mismatches(path: Path) -> int:
    ws = openpyxl.load_workbook(path).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    column = rows[0].index("Số liệu không khớp")
    return int(rows[1][column])


def test_a_corrected_result_blames_no_published_figure(project: Project):
    got = cli("audit", "--unit", "trang-dinh", "--data-dir", correct(project))
    assert got.code == 0, got.err
    assert "Kiểm tra 56 số liệu công bố: 2 không khớp." in got.out
    blamed = [line for line in got.out.splitlines() if line.startswith("✗")]
    assert [line.split(",")[0] for line in blamed] == ["✗ dòng 16", "✗ dòng 18"]


def test_the_audit_says_what_the_correction_changes(project: Project):
    got = cli("audit", "--unit", "trang-dinh", "--data-dir", correct(project))
    assert got.code == 0, got.err
    text = got.out
    assert "Đính chính: 1 số liệu (không tính là sai sót của báo cáo đã công bố)" in text
    assert "dòng 23, Trồng cây dưới tán — kết quả 2024: 43,3 → 45" in text
    assert "TH/KH (%): 54,13% → 56,25%" in text
    assert "TH 2024/TH 2023 (%): 53,66% → 55,76%" in text
    assert "Giá trị cần đạt năm 2025: 114,9 → 113,2 ha" in text


def test_one_count_of_mismatches_in_audit_and_both_workbooks(project: Project, tmp_path: Path):
    data = correct(project)
    audited = cli("audit", "--unit", "trang-dinh", "--data-dir", data, "--out", tmp_path / "a.xlsx")
    evaluated = cli("evaluate", "--unit", "trang-dinh", "--data-dir", data, "--out", tmp_path / "e.xlsx")
    assert audited.code == 0 and evaluated.code == 0, audited.err + evaluated.err
    assert summary_mismatches(tmp_path / "a.xlsx") == 2
    assert summary_mismatches(tmp_path / "e.xlsx") == 2


@pytest.mark.slow
def test_the_pack_counts_the_same_and_shows_the_correction_in_vietnamese(project: Project):
    data = correct(project)
    write(
        project.params / "2024" / "units.yaml",
        "units:\n  - {unit: trang-dinh, level: district, notebooks: [00_briefing.ipynb]}\n",
    )
    write(project.params / "2024" / "trang-dinh.yaml", "# nothing differs\n")
    got = project.build()
    assert got.code == 0, got.err
    html = (project.reports / "2024" / "trang-dinh" / "00_briefing.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "56 số liệu được tính lại, 2 không khớp" in text
    assert "Biểu chỉ tiêu: 2 số liệu không khớp trên 56 số liệu kiểm tra" in text
    assert " 43,3 " in text and "43.3" not in text
    assert "TH/KH (%): 54,13% → 56,25%" in text
    assert "understorey_planting" in text  # the identifier a correction row needs
    assert data.joinpath("corrections.csv").read_text(encoding="utf-8") == HEADER + PLANTING
