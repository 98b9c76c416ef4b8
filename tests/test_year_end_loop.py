"""Issue 12, done when: the year-end loop end to end on a fresh copy of the shipped data.

A template for Tràng Định 2025, filled with results, is taken in by ``intake`` and ``evaluate``
shows them; a submission with a word in a number cell is refused with a report naming the
cell, and nothing is merged; a correction appears in the pack; the province's roll-up pack and
the grouped index are built; a merged commune's pack shows the history carried from its
predecessors. Figures typed into forms here are ILLUSTRATIVE (made up for the test).
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis import paths
from analysis.io.forms import FORM
from factories import TRANG_DINH_2024_RESULTS
from factories import run_cli as run

pytestmark = pytest.mark.slow  # builds packs in Jupyter kernels

FIRST_ROW = 5  # the form's first indicator row; column G holds this year's result


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def text_of(html: Path) -> str:
    raw = html.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", raw))


def fill_form(data: Path, folder: Path, unit: str, values: dict[int, object]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{unit}.xlsx"
    code, _, err = run("template", "--year", "2025", "--unit", unit, "--data-dir", str(data), "--out", str(path))
    assert code == 0, err
    wb = openpyxl.load_workbook(path)
    for offset, value in values.items():
        wb[FORM].cell(FIRST_ROW + offset, 7).value = value
    wb.save(path)
    return path


def test_the_year_end_loop(tmp_path: Path):
    from analysis.build.run import build

    data = tmp_path / "data"
    shutil.copytree(paths.DATA, data, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    shipped = pd.read_csv(data / "observations.csv", dtype=str, keep_default_na=False)

    # 1. Tràng Định's form for 2025, filled in, is taken in; evaluate shows the results.
    results: dict[int, object] = dict(enumerate(TRANG_DINH_2024_RESULTS))  # the 2024 results again
    fill_form(data, tmp_path / "round-1", "trang-dinh", results)
    code, out, _ = run("intake", str(tmp_path / "round-1"), "--year", "2025", "--data-dir", str(data))
    assert code == 0 and "merged 26 figure(s) of trang-dinh" in out
    code, out, _ = run("evaluate", "--unit", "trang-dinh", "--year", "2025", "--data-dir", str(data), "--format", "csv")
    ev = pd.read_csv(io.StringIO(out)).sort_values("tt")
    assert code == 0 and ev["result"].tolist() == [float(v) for v in TRANG_DINH_2024_RESULTS]
    assert ev.loc[ev["tt"] == 1, "plan"].tolist() == [200000.0]  # last year's table's plan for 2025

    # 2. A form with a word in a number cell: refused, the report names the cell, nothing merged.
    fill_form(data, tmp_path / "round-2", "trang-dinh-khanh-long", {0: 14, 1: "khoảng 15 phần trăm"})
    before = digest(data)
    code, out, _ = run("intake", str(tmp_path / "round-2"), "--year", "2025", "--data-dir", str(data))
    assert code == 1 and "refused, 1 problem(s)" in out and f"{FORM}!G6: ô kết quả phải là một số" in out
    assert digest(data) == before
    report = text_of(tmp_path / "round-2" / "bao-cao" / "trang-dinh-khanh-long.bao-cao.html")
    assert "Chưa tiếp nhận" in report and "G6" in report and "khoảng 15 phần trăm" in report

    # 3. A correction (đính chính) of a published 2024 figure: applied, and shown in the pack.
    (data / "corrections.csv").write_text(
        "unit,year,indicator_id,field,measure_unit,old_value,new_value,reason,who,date,source_document\n"
        "trang-dinh,2024,new_forest,result,ha,1206.64,1210,Cộng sót diện tích của một xã (minh họa),"
        "Phòng Tài chính - Kế hoạch,2025-01-10,Công văn 12/UBND (minh họa)\n",
        encoding="utf-8",
    )
    assert shipped.query(
        "unit == 'trang-dinh' and indicator_id == 'new_forest' and year == '2024' and kind == 'result'"
    )["value"].tolist() == ["1206.64"]

    # 4. The 2024 run: the province's roll-up pack, Tràng Định's packs, the grouped index.
    reports = tmp_path / "reports"
    summary = build(2024, units=["lang-son", "trang-dinh"], data_dir=data, reports_dir=reports, progress=False)
    assert summary.exit_code == 0, summary.format()
    briefing = text_of(summary.out_dir / "trang-dinh" / "00_briefing.html")
    assert "Đính chính: 1 số liệu đã được đính chính sau khi công bố" in briefing
    assert "Cộng sót diện tích của một xã (minh họa)" in briefing and "Công văn 12/UBND (minh họa)" in briefing
    rollup = summary.out_dir / "lang-son" / "60_rollup"
    text = text_of(rollup.with_suffix(".html"))
    for heading in (
        "1. Kết quả từng chỉ tiêu của các xã, thị trấn năm 2024 (minh họa)",
        "2. Bản đồ đánh giá: xã, thị trấn × chỉ tiêu (minh họa)",
        "3. Các xã, thị trấn cách xa kế hoạch nhất (minh họa)",
        "4. Đơn vị có số liệu công bố không khớp khi tính lại",
    ):
        assert heading in text
    from pypdf import PdfReader

    pages = [unicodedata.normalize("NFC", p.extract_text() or "") for p in PdfReader(rollup.with_suffix(".pdf")).pages]
    assert pages and all("SỐ LIỆU MINH HỌA" in p for p in pages)  # every page carries the label
    index = text_of(summary.index_path)
    assert index.index("Cấp tỉnh") < index.index("Cấp huyện")
    assert "1 đơn vị · 1 báo cáo · 0 lỗi" in index
    # Bắc Sơn and the communes are units of the run this build left out: named, not dropped
    assert "2 đơn vị · 5 báo cáo · 0 lỗi · 1 đơn vị không có báo cáo · 6/26 lượt chỉ tiêu không đạt" in index
    # the index counts the communes as the province's roll-up does
    m = re.search(
        r"(\d+)/(\d+) xã, thị trấn có kết quả; \d+/(\d+) lượt chỉ tiêu đạt và vượt kế hoạch, (\d+) lượt", text
    )
    assert m, text
    with_results, members, judged, missed = m.groups()
    assert f"{members} đơn vị · 0 báo cáo · 0 lỗi · {members} đơn vị không có báo cáo · {missed}/{judged} lượt" in index
    assert f"({with_results} đơn vị có kết quả, trong đó {with_results} không có báo cáo; số liệu minh họa)" in index

    # 5. The 2025 pack of Khánh Long, into which Vĩnh Tiến merged on 01/12/2024.
    summary = build(2025, units=["trang-dinh-khanh-long"], data_dir=data, reports_dir=reports, progress=False)
    assert summary.exit_code == 0, summary.format()
    pack = text_of(summary.out_dir / "trang-dinh-khanh-long" / "50_commune_pack.html")
    assert "Số liệu các năm trước sắp xếp, ghép từ các đơn vị cũ (minh họa)" in pack
    assert "Từ 01/12/2024: nhập xã Vĩnh Tiến (29,64 km², 636 người) vào xã Khánh Long" in pack
    assert "bình quân theo dân số" in pack and "cộng dồn" in pack and "không chuyển" in pack
    assert "SỐ LIỆU MINH HỌA" in pack
