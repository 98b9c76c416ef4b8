"""Intake of tables in official layouts (not the data-entry form): the same all-or-nothing
rule and report, cells named as a spreadsheet names them."""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis import paths
from analysis.io.numbers import format_compact
from factories import TRANG_DINH_2024_RESULTS
from factories import run_cli as run


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    out = tmp_path / "data"
    shutil.copytree(paths.DATA, out, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return out


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*.csv"))
    }


HEADER = ["STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch năm 2025", "Ước thực hiện năm 2025", "Ghi chú"]
TITLE = ["ỦY BAN NHÂN DÂN HUYỆN TRÀNG ĐỊNH", "BIỂU KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NGHỊ QUYẾT NĂM 2025", ""]


def tràng_định_rows(word_at: int | None = None, visitors: int = 98000) -> list[list[str]]:
    """The 26 indicators of Tràng Định (their curated TT and wording) with made-up 2025
    estimates (ILLUSTRATIVE, for the test only: the 2024 results again, ``visitors`` visitors);
    ``word_at``: that row's estimate is a word."""
    cat = pd.read_csv(paths.dataset_path("indicators"), dtype=str, keep_default_na=False)
    cat = cat[cat["unit"] == "trang-dinh"].sort_values("tt", key=lambda s: s.astype(int))
    rows = []
    for i, (_, r) in enumerate(cat.iterrows()):
        figure = visitors if i == 0 else TRANG_DINH_2024_RESULTS[i]
        value = "chưa có số liệu" if i == word_at else format_compact(figure, 6)
        rows.append([r["tt"], r["indicator"], r["measure_unit"], "", value, ""])
    return rows


def write_tsv(path: Path, rows: list[list[str]], title: list[str] = TITLE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([*title, "\t".join(HEADER), *("\t".join(r) for r in rows)]) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_an_official_table_is_taken_in_and_evaluated(data_dir: Path, tmp_path: Path):
    table = write_tsv(tmp_path / "in" / "trang-dinh-2025.txt", tràng_định_rows())
    code, out, _ = run("intake", str(tmp_path / "in"), "--year", "2025", "--data-dir", str(data_dir))
    assert code == 0 and "trang-dinh-2025.txt: merged 26 figure(s) of trang-dinh" in out
    obs = pd.read_csv(data_dir / "observations.csv", dtype=str, keep_default_na=False)
    new = obs[(obs["year"] == "2025") & (obs["kind"] == "estimate")]
    sha = hashlib.sha256(table.read_bytes()).hexdigest()
    # line 5 (after three title lines and the header), column E ("Ước thực hiện năm 2025")
    visitors = new[new["indicator_id"] == "tourist_visitors"].iloc[0]
    assert (visitors["value"], visitors["source"]) == ("98000", f"trang-dinh-2025.txt:-!E5:sha256={sha}")
    code, out, _ = run(
        "evaluate", "--unit", "trang-dinh", "--year", "2025", "--data-dir", str(data_dir), "--format", "csv"
    )
    ev = pd.read_csv(io.StringIO(out))
    assert code == 0 and ev.loc[ev["tt"] == 26, "result"].tolist() == [100.0]  # TT 26's 2024 result again
    html = (tmp_path / "in" / "bao-cao" / "trang-dinh-2025.bao-cao.html").read_text(encoding="utf-8")
    assert "Đã tiếp nhận: 26 số liệu năm 2025" in html and "Báo cáo tiếp nhận biểu chỉ tiêu" in html
    # a corrected table replaces that unit's figures of that year, and only those
    write_tsv(table, tràng_định_rows(visitors=99000))
    code, out, _ = run("intake", str(tmp_path / "in"), "--year", "2025", "--data-dir", str(data_dir))
    obs = pd.read_csv(data_dir / "observations.csv", dtype=str, keep_default_na=False)
    again = obs[(obs["year"] == "2025") & (obs["kind"] == "estimate")]
    assert code == 0 and len(again) == 26 and again["value"].iloc[0] == "99000"
    assert len(obs) == len(pd.read_csv(paths.dataset_path("observations"))) + 26


def test_a_word_in_a_number_cell_refuses_the_whole_table(data_dir: Path, tmp_path: Path):
    before = digest(data_dir)
    write_tsv(tmp_path / "in" / "trang-dinh.txt", tràng_định_rows(word_at=4))
    code, out, _ = run("intake", str(tmp_path / "in"), "--year", "2025", "--data-dir", str(data_dir))
    assert code == 1 and "trang-dinh.txt: refused, 1 problem(s)" in out
    assert "-!E9: ô kết quả phải là một số" in out  # TT 5 is on line 9
    assert digest(data_dir) == before
    report = openpyxl.load_workbook(tmp_path / "in" / "bao-cao" / "trang-dinh.bao-cao.xlsx")["Kết quả"]
    cells = [[c.value for c in r] for r in report.iter_rows(min_row=7, max_row=8, max_col=5)]
    assert cells == [
        ["Trang tính", "Ô", "Mã chỉ tiêu", "Giá trị", "Lý do"],
        [None, "E9", "ntm_communes_added", "chưa có số liệu", cells[1][4]],
    ]


def test_the_unit_is_found_by_the_title_and_a_workbook_is_read_like_a_text_table(data_dir: Path, tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Biểu 01"
    for row in [[t] for t in TITLE] + [HEADER] + tràng_định_rows(word_at=0):
        ws.append(row)
    folder = tmp_path / "in"
    folder.mkdir()
    wb.save(folder / "bieu-tong-hop.xlsx")
    code, out, _ = run("intake", str(folder), "--year", "2025", "--data-dir", str(data_dir))
    assert code == 1 and "Biểu 01!E5: ô kết quả phải là một số" in out


@pytest.mark.parametrize(
    ("name", "title", "year", "expected"),
    [
        ("bieu.txt", ["BIỂU KẾT QUẢ NĂM 2025", ""], "2025", "không xác định được đơn vị của biểu"),
        ("trang-dinh.txt", TITLE, "2024", "biểu của năm 2025, không phải năm 2024"),
    ],
)
def test_a_table_of_no_known_unit_or_of_another_year_is_refused(data_dir, tmp_path, name, title, year, expected):
    before = digest(data_dir)
    write_tsv(tmp_path / "in" / name, tràng_định_rows(), title)
    code, out, _ = run("intake", str(tmp_path / "in"), "--year", year, "--data-dir", str(data_dir))
    assert code == 1 and expected in out and digest(data_dir) == before


def test_the_seed_table_is_refused_for_its_ambiguous_cell(data_dir: Path, tmp_path: Path):
    """Seed 000 as a district would send it: '13.517 triệu USD' (row 3) reads two ways."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(paths.RAW / "000_ca595b78d09ccdc2.txt", folder / "trang-dinh-2024.txt")
    before = digest(data_dir)
    code, out, _ = run("intake", str(folder), "--year", "2024", "--data-dir", str(data_dir))
    assert code == 1 and "-!E13: số viết không rõ nghĩa" in out
    assert digest(data_dir) == before


def test_an_indicator_not_in_the_catalogue_is_refused(data_dir: Path, tmp_path: Path):
    rows = [*tràng_định_rows(), ["27", "Số hợp tác xã thành lập mới", "HTX", "", "3", ""]]
    write_tsv(tmp_path / "in" / "trang-dinh.txt", rows)
    code, out, _ = run("intake", str(tmp_path / "in"), "--year", "2025", "--data-dir", str(data_dir))
    assert code == 1 and "dòng 31: chỉ tiêu không có trong danh mục chỉ tiêu của đơn vị" in out


def test_a_workbook_hiding_a_row_or_holding_an_error_value_is_refused_by_cell(data_dir: Path, tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Biểu 01"
    rows = tràng_định_rows()
    rows[5][4] = "#DIV/0!"  # TT 6, line 10: an error value Excel saved (a cell of type 'e')
    for row in [[t] for t in TITLE] + [HEADER] + rows:
        ws.append(row)
    ws.row_dimensions[9].hidden = True  # TT 5, line 9
    folder = tmp_path / "in"
    folder.mkdir()
    wb.save(folder / "trang-dinh.xlsx")
    before = digest(data_dir)
    code, out, _ = run("intake", str(folder), "--year", "2025", "--data-dir", str(data_dir))
    assert code == 1 and "trang-dinh.xlsx: refused" in out
    assert "Biểu 01!E9: ô nằm trong dòng bị ẩn của bảng tính" in out
    assert "Biểu 01!E10: ô chứa giá trị lỗi của Excel" in out
    assert digest(data_dir) == before
