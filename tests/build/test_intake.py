"""The year-end loop: a form goes out, comes back filled, is taken in (or refused with a report)."""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis import paths
from analysis.analyses.forms import check_entries, form_rows
from analysis.io.forms import FORM, Entry
from factories import TRANG_DINH_2024_RESULTS
from factories import run_cli as run

FIRST_ROW = 5  # the form's first indicator row


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    out = tmp_path / "data"
    shutil.copytree(paths.DATA, out, ignore=shutil.ignore_patterns("raw", "*.py", "__pycache__"))
    return out


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*.csv"))
    }


def make_form(data_dir: Path, folder: Path, unit: str, fill: dict[int, object], kind: str = "") -> Path:
    """The form of ``unit`` for 2025, with ``fill`` = {row offset: value} typed in column G."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{unit}.xlsx"
    assert run("template", "--year", "2025", "--unit", unit, "--data-dir", str(data_dir), "--out", str(path))[0] == 0
    wb = openpyxl.load_workbook(path)
    ws = wb[FORM]
    for offset, value in fill.items():
        ws.cell(FIRST_ROW + offset, 7).value = value
        ws.cell(FIRST_ROW + offset, 8).value = kind or None
    wb.save(path)
    return path


def tràng_định_results() -> dict[int, object]:
    """Made-up 2025 results for the 26 indicators of Tràng Định (ILLUSTRATIVE, for the test only):
    the 2024 results typed again, 2 more visitors and 2 ha more fruit trees, so that every
    figure passes the checks of intake (shares within 100%, no jump from last year)."""
    values: dict[int, object] = dict(enumerate(TRANG_DINH_2024_RESULTS))
    values[0], values[21] = 97002, 104
    return values


@pytest.mark.slow
def test_a_filled_form_is_taken_in_and_evaluated(data_dir, tmp_path):
    form = make_form(data_dir, tmp_path / "in", "trang-dinh", tràng_định_results(), kind="Ước thực hiện")
    code, out, _ = run("intake", str(tmp_path / "in"), "--year", "2025", "--data-dir", str(data_dir))
    assert code == 0 and "merged 26 figure(s) of trang-dinh" in out
    obs = pd.read_csv(data_dir / "observations.csv", dtype=str, keep_default_na=False)
    new = obs[(obs["year"] == "2025") & (obs["kind"] == "estimate")]
    assert len(new) == 26
    sha = hashlib.sha256(form.read_bytes()).hexdigest()
    first = new[new["indicator_id"] == "tourist_visitors"].iloc[0]
    assert first["value"] == "97002" and first["source"] == f"trang-dinh.xlsx:{FORM}!G5:sha256={sha}"
    sources = pd.read_csv(data_dir / "sources.csv", dtype=str, keep_default_na=False)
    assert sources["file"].iloc[-1] == "trang-dinh.xlsx" and sha[:12] in sources["title"].iloc[-1]
    code, out, _ = run(
        "evaluate", "--unit", "trang-dinh", "--year", "2025", "--data-dir", str(data_dir), "--format", "csv"
    )
    assert code == 0
    ev = pd.read_csv(io.StringIO(out))
    assert ev.loc[ev["tt"] == 1, "result"].tolist() == [97002.0] and ev.loc[ev["tt"] == 22, "result"].tolist() == [
        104.0
    ]
    assert set(ev["result_kind"]) == {"estimate"}
    report = openpyxl.load_workbook(tmp_path / "in" / "bao-cao" / "trang-dinh.bao-cao.xlsx")["Kết quả"]
    assert report["B5"].value.startswith("Đã tiếp nhận: 26 số liệu năm 2025")


def test_a_word_in_a_number_cell_is_refused_and_nothing_is_merged(data_dir, tmp_path):
    fill = tràng_định_results()
    fill[2] = "chưa tổng hợp"  # row 7, column G
    make_form(data_dir, tmp_path / "in", "trang-dinh", fill)
    before = digest(data_dir)
    code, out, _ = run("intake", str(tmp_path / "in"), "--year", "2025", "--data-dir", str(data_dir))
    assert code == 1 and "refused, 1 problem(s)" in out and f"{FORM}!G7" in out
    assert digest(data_dir) == before  # byte-identical
    wb = openpyxl.load_workbook(tmp_path / "in" / "bao-cao" / "trang-dinh.bao-cao.xlsx")
    rows = [[c.value for c in r] for r in wb["Kết quả"].iter_rows(min_row=8)]
    assert [c.value for c in wb["Kết quả"][7]] == ["Trang tính", "Ô", "Mã chỉ tiêu", "Giá trị", "Lý do"]
    assert rows == [[FORM, "G7", "export_growth", "chưa tổng hợp", rows[0][4]]]
    assert "phải là một số" in rows[0][4]
    html = (tmp_path / "in" / "bao-cao" / "trang-dinh.bao-cao.html").read_text(encoding="utf-8")
    assert "Chưa tiếp nhận" in html and "<td>G7</td>" in html


@pytest.mark.slow
def test_a_corrected_resubmission_replaces_that_unit_and_year_only(data_dir, tmp_path):
    make_form(data_dir, tmp_path / "first", "trang-dinh", tràng_định_results())
    make_form(data_dir, tmp_path / "first", "trang-dinh-that-khe", {0: 0.5, 1: 97.5})
    assert run("intake", str(tmp_path / "first"), "--year", "2025", "--data-dir", str(data_dir))[0] == 0
    make_form(data_dir, tmp_path / "second", "trang-dinh", {0: 123456, 1: 60.5})
    code, out, _ = run("intake", str(tmp_path / "second"), "--year", "2025", "--data-dir", str(data_dir))
    assert code == 0 and "merged 2 figure(s) of trang-dinh" in out
    obs = pd.read_csv(data_dir / "observations.csv", dtype=str, keep_default_na=False)
    results_2025 = obs[(obs["year"] == "2025") & (obs["kind"] == "result")]
    assert results_2025[["indicator_id", "value"]].values.tolist() == [
        ["tourist_visitors", "123456"],
        ["tourism_revenue", "60.5"],
    ]
    assert len(obs[(obs["year"] == "2024") & (obs["kind"] == "result")]) == 26  # the other years stay
    commune = pd.read_csv(data_dir / "received" / "commune_observations.csv", dtype=str, keep_default_na=False)
    tk = commune[
        (commune["unit"] == "trang-dinh-that-khe") & (commune["year"] == "2025") & (commune["kind"] == "result")
    ]
    assert tk[["indicator_id", "value", "file"]].values.tolist() == [
        ["poverty_rate", "0.5", "trang-dinh-that-khe.xlsx"],
        ["health_insurance", "97.5", "trang-dinh-that-khe.xlsx"],
    ]
    report = (tmp_path / "second" / "bao-cao" / "trang-dinh.bao-cao.html").read_text(encoding="utf-8")
    assert "thay thế 26 số liệu đã có của năm 2025" in report


@pytest.mark.slow
def test_forms_that_cannot_be_taken_in(data_dir, tmp_path):
    folder = tmp_path / "in"
    make_form(data_dir, folder, "trang-dinh", {0: "=1+2"})
    other = folder / "z-copy.xlsx"
    make_form(data_dir, tmp_path / "x", "trang-dinh-hung-son", {0: 16}).rename(other)
    (folder / "notes.xlsx").write_bytes(b"not a workbook")
    (folder / "~$trang-dinh.xlsx").write_bytes(b"lock file")
    wrong_year = make_form(data_dir, tmp_path / "y", "trang-dinh-cao-minh", {0: 1})
    wb = openpyxl.load_workbook(wrong_year)
    wb["_thong_tin"]["B2"] = 2024
    wb.save(folder / "cao-minh.xlsx")
    before = digest(data_dir)
    code, out, _ = run("intake", str(folder), "--year", "2025", "--data-dir", str(data_dir))
    assert code == 1
    lines = out.splitlines()
    assert "cao-minh.xlsx: refused" in lines[0] and "năm 2024, không phải năm 2025" in lines[1]
    assert "notes.xlsx: refused" in out and "không đọc được tệp Excel" in out
    assert "trang-dinh.xlsx: refused" in out and f"{FORM}!G5: ô chứa công thức" in out
    assert "z-copy.xlsx: merged 1 figure(s) of trang-dinh-hung-son" in out
    assert "~$" not in out
    changed = {k for k in digest(data_dir) if digest(data_dir)[k] != before[k]}
    assert changed == {"received/commune_observations.csv", "sources.csv"}  # never the illustrative example


@pytest.mark.slow
def test_a_merge_that_breaks_a_correction_is_refused(data_dir, tmp_path):
    make_form(data_dir, tmp_path / "a", "trang-dinh", {0: 98000})
    assert run("intake", str(tmp_path / "a"), "--year", "2025", "--data-dir", str(data_dir))[0] == 0
    (data_dir / "corrections.csv").write_text(
        "unit,year,indicator_id,field,measure_unit,old_value,new_value,reason,who,date,source_document\n"
        "trang-dinh,2025,tourist_visitors,result,,98000,99000,a (minh họa),b,2026-01-05,c\n",
        encoding="utf-8",
    )
    make_form(data_dir, tmp_path / "b", "trang-dinh", {0: 98500})
    before = digest(data_dir)
    code, out, _ = run("intake", str(tmp_path / "b"), "--year", "2025", "--data-dir", str(data_dir))
    assert code == 1 and "không nhập được vào cơ sở dữ liệu" in out and "old_value" in out
    assert digest(data_dir) == before


# --- the check of a form's cells, on a made-up catalogue (ILLUSTRATIVE) ------------------------


def test_check_entries_numbers_words_and_kinds():
    catalogue = pd.DataFrame(
        {
            "unit": ["u"] * 5,
            "indicator_id": ["rate", "verdict", "verdict_b", "rate_b", "rate_c"],
            "tt": [1, 2, 3, 4, 5],
            "indicator": ["Tỷ lệ (minh họa)", "Đánh giá (minh họa)", "Đánh giá B", "Tỷ lệ B", "Tỷ lệ C"],
            "measure_unit": ["%", "", "", "%", "%"],
            "direction": ["higher", "text", "text", "higher", "higher"],
            "target_type": ["level"] * 5,
            "decimals": [1, 0, 0, 1, 1],
            "term_end": [2025] * 5,
        }
    )
    empty = pd.DataFrame(columns=["unit", "indicator_id", "year", "kind", "value", "text", "measure_unit"])
    rows = form_rows(empty, catalogue, unit="u", year=2025)
    assert rows["accepts"].tolist() == ["number", "words", "words", "number", "number"]
    assert rows["words"].iloc[1] == "Vượt;Đạt;Không đạt"

    def entry(iid: str, value: object, kind: str = "", cell: str = "G5") -> Entry:
        return Entry(iid, value, kind, "", FORM, cell, "H" + cell[1:])

    obs, problems = check_entries(
        [
            entry("rate", "12,5", cell="G5"),
            entry("verdict", "Đạt", "Ước thực hiện", cell="G6"),
            entry("verdict_b", "Tốt", cell="G7"),
            entry("rate_b", 5, "Dự kiến", cell="G8"),
            entry("nope", 1, cell="G9"),
            entry("rate_c", None, cell="G10"),
            entry("rate", 7, cell="G11"),  # a second row of TT 1
        ],
        rows,
        unit="u",
        year=2025,
        file="f.xlsx",
        sha256="ab",
    )
    assert obs[["indicator_id", "kind", "text", "source"]].values.tolist() == [
        ["rate", "result", "", f"f.xlsx:{FORM}!G5:sha256=ab"],
        ["verdict", "estimate", "Đạt", f"f.xlsx:{FORM}!G6:sha256=ab"],
    ]
    assert obs["value"].iloc[0] == 12.5 and pd.isna(obs["value"].iloc[1])
    assert problems[["cell", "reason"]].values.tolist() == [
        ["G7", "chỉ được chọn một trong: Vượt, Đạt, Không đạt"],
        ["H8", "loại số liệu phải là 'Thực hiện' hoặc 'Ước thực hiện'"],
        ["G9", "mã chỉ tiêu 'nope' không có trong danh mục của đơn vị"],
        ["G11", "mã chỉ tiêu 'rate' lặp lại (đã có ở ô G5): mỗi chỉ tiêu chỉ nhập một dòng"],
    ]


# --- the checks before a submission is read ------------------------------------------------------


def test_the_size_limits_are_checked_from_the_file_system_only(tmp_path):
    import zipfile

    from analysis.build.intake_rules import IntakeRules, too_big

    rules = IntakeRules(max_file_mb=1, max_unpacked_mb=2)
    small, sparse = tmp_path / "a.txt", tmp_path / "b.txt"
    small.write_bytes(b"x" * 1024 * 1024)  # exactly the limit: taken
    with open(sparse, "wb") as f:
        f.truncate(1024 * 1024 + 1)
    assert too_big(small, rules) == ""
    assert too_big(sparse, rules).startswith("tệp có dung lượng 1,0 MB, vượt giới hạn 1 MB")
    with zipfile.ZipFile(tmp_path / "c.xlsx", "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.xml", b"\0" * (2 * 1024 * 1024 + 1))
    assert too_big(tmp_path / "c.xlsx", rules).startswith("nội dung tệp Excel khi giải nén là 2,0 MB")
    (tmp_path / "d.xlsx").write_bytes(b"not a zip")  # its reading says what is wrong
    assert too_big(tmp_path / "d.xlsx", rules) == ""


def test_the_rules_come_from_the_defaults(tmp_path):
    from analysis.build.intake_rules import IntakeRules

    shipped = IntakeRules.from_params(confirmed=["a.xlsx!G5"])
    assert (shipped.max_file_mb, shipped.max_unpacked_mb, shipped.jump_factor) == (10, 100, 10)
    assert shipped.confirmed == frozenset({"a.xlsx!G5"})
    (tmp_path / "defaults.yaml").write_text(
        (paths.PARAMS / "defaults.yaml").read_text(encoding="utf-8").replace("jump_factor: 10", "jump_factor: 1"),
        encoding="utf-8",
    )
    from analysis.errors import ParameterError

    with pytest.raises(ParameterError, match=r"intake\.jump_factor: expected a number greater than 1, got 1"):
        IntakeRules.from_params(tmp_path)
