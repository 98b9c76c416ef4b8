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


# -- one truth: the index, the roll-ups and the packs count alike -------------------------------

BAC_SON = [
    "bac-son-tan-thanh",
    "bac-son-hung-vu",
    "bac-son-bac-quynh",
    "bac-son-vu-son",
    "bac-son-tan-huong",
    "bac-son-chieu-vu",
    "bac-son-vu-le",
    "bac-son-chien-thang",
    "bac-son-nhat-hoa",
    "bac-son-tan-lap",
    "bac-son-tan-tri",
    "bac-son-bac-son",
]


def as_estimates(project: Project, unit: str) -> None:
    """``unit``'s 2024 results turned into estimates (ước thực hiện), as a commune reports in November."""
    path = project.data / "illustrative" / "commune_observations.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    write(
        path,
        "".join(
            line.replace(",2024,result,", ",2024,estimate,") if line.startswith(unit + ",") else line for line in lines
        ),
    )


def rollup_numbers(headline: str) -> tuple[int, int, int]:
    """(communes with results, judged, not achieved) of a roll-up's headline."""
    m = re.search(
        r"(\d+)/\d+ xã, thị trấn có kết quả; (\d+)/(\d+) lượt chỉ tiêu đạt và vượt kế hoạch, (\d+) lượt", headline
    )
    assert m, headline
    return int(m.group(1)), int(m.group(3)), int(m.group(4))


def test_a_communes_estimates_not_achieved_count_in_the_rollup_as_in_its_pack(project: Project):
    from analysis.report.communes_context import commune_context
    from analysis.report.rollup_context import rollup_context

    as_estimates(project, "bac-son-nhat-hoa")
    own = {u: commune_context(u, 2024, data_dir=project.data).counts for u in BAC_SON}
    nhat_hoa = commune_context("bac-son-nhat-hoa", 2024, data_dir=project.data)
    assert "Dự kiến năm 2024:" in nhat_hoa.headline_text
    assert own["bac-son-nhat-hoa"]["not_achieved"] == len(re.findall(r"\(\d+\)", nhat_hoa.headline_text)) > 0
    rolled = rollup_context("bac-son", 2024, data_dir=project.data)
    assert rollup_numbers(rolled.headline_text) == (
        12,
        sum(c["judged"] for c in own.values()),
        sum(c["not_achieved"] for c in own.values()),
    )


@pytest.mark.slow
def test_the_index_names_the_communes_without_a_pack_and_counts_as_the_rollup(project: Project):
    write(
        project.params / "2024" / "units.yaml",
        "units:\n"
        "  - {unit: bac-son, level: district, notebooks: [60_rollup.ipynb]}\n"
        "  - {unit: bac-son-nhat-hoa, level: commune, notebooks: [50_commune_pack.ipynb]}\n"
        "  - {unit: bac-son-vu-le, level: commune, notebooks: [50_commune_pack.ipynb]}\n",
    )
    for unit in ("bac-son", "bac-son-vu-le"):
        write(project.params / "2024" / f"{unit}.yaml", "# nothing differs\n")
    got = project.build()
    assert got.code == 0, got.err
    out = project.reports / "2024"
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", (out / "index.html").read_text(encoding="utf-8")))
    rollup = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", (out / "bac-son" / "60_rollup.html").read_text(encoding="utf-8"))
    )
    communes, judged, missed = rollup_numbers(rollup)
    assert communes == 12
    assert (
        f"12 đơn vị · 2 báo cáo · 0 lỗi · 10 đơn vị không có báo cáo · {missed}/{judged} lượt chỉ tiêu không đạt"
        in text
    )
    assert "(12 đơn vị có kết quả, trong đó 10 không có báo cáo; số liệu minh họa)" in text
    assert "Xã Tân Thành (huyện Bắc Sơn) bac-son-tan-thanh · mã 06379 Không có báo cáo" in text
    assert text.count("Không có báo cáo Không có trong danh sách chạy năm 2024") == 10


def test_since_july_2025_the_communes_are_named_xa_and_phuong_in_the_index_and_the_rollup():
    from analysis.build.index import group_packs
    from analysis.report.rollup_context import rollup_context

    # two units of Lạng Sơn's 2026 run as the index has them (names from the registry)
    entries = [
        {"unit": "05977-dong-kinh", "unit_name": "Phường Đông Kinh (tỉnh Lạng Sơn, mã 05977)", "level": "commune"},
        {"unit": "06040-that-khe", "unit_name": "Xã Thất Khê (tỉnh Lạng Sơn, mã 06040)", "level": "commune"},
    ]
    [group] = group_packs([{**e, "failed": False, "counts": None} for e in entries], year=2026)
    assert group["label"] == "Cấp xã (xã, phường)"  # before: "Cấp xã (xã, thị trấn)"
    assert rollup_context("lang-son", 2026).headline_text.endswith("của các xã, phường (65 đơn vị).")
