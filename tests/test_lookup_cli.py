"""python -m analysis lookup: units of the registry by name or code, a province's communes, lineage."""

from __future__ import annotations

from factories import run_cli


def test_lookup_says_what_thi_tran_that_khe_became_and_what_formed_it():
    code, out, err = run_cli("lookup", "Thị trấn Thất Khê", "--period", "2025-01")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "2025-01 06040 Thị trấn Thất Khê (thị trấn, Huyện Tràng Định)"
    after = lines[lines.index("  trở thành:") + 1]
    assert after.startswith("    2025-07 06040 Xã Thất Khê [nhập toàn bộ, 01/07/2025, 1672/NQ-UBTVQH15")


def test_lookup_of_the_new_commune_lists_its_three_predecessors():
    code, out, _ = run_cli("lookup", "xa that khe", "--period", "2025-07")
    assert code == 0
    formed = [line.split(" [")[0].strip() for line in out.splitlines() if line.startswith("    2025-01")]
    assert formed == ["2025-01 06013 Xã Chí Minh", "2025-01 06034 Xã Chi Lăng", "2025-01 06040 Thị trấn Thất Khê"]


def test_lookup_history_reaches_the_2023_list():
    code, out, _ = run_cli("lookup", "06040", "--period", "2025-07", "--history")
    assert code == 0
    assert "      2023 06040 Xã Đại Đồng [một phần, 01/12/2024" in out


def test_lookup_of_a_province_lists_its_communes():
    code, out, _ = run_cli("lookup", "--province", "20")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Tỉnh Lạng Sơn (20, 2025-07): 65 đơn vị cấp xã (61 xã, 4 phường)"
    assert len(lines) == 66
    assert "  06040 Xã Thất Khê" in lines


def test_lookup_shows_a_disagreement_of_the_sources():
    code, out, _ = run_cli("lookup", "Đặng Xá")
    assert code == 0
    assert "lưu ý (successors_disagree)" in out and "Thuận An" in out


def test_lookup_as_csv_has_one_row_per_unit():
    code, out, _ = run_cli("lookup", "06040", "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("period,code,level,type,name")
    assert len(lines) == 4


def test_lookup_of_nothing_found_exits_1_and_says_so():
    assert run_cli("lookup", "không có xã này") == (1, "Không tìm thấy đơn vị nào.\n", "")


def test_lookup_without_a_query_is_refused():
    code, _, err = run_cli("lookup")
    assert (code, err) == (2, "error: lookup needs a code or a name, or --province CODE\n")


def test_commands_take_a_unit_by_its_code_in_the_years_list():
    # 180 is Huyện Tràng Định in the lists of 2023 and 2025-01 (data/registry/unit_codes.csv)
    assert run_cli("evaluate", "--unit", "180", "--year", "2024") == run_cli(
        "evaluate", "--unit", "trang-dinh", "--year", "2024"
    )
    # codes are reused: 06040 is Xã Đại Đồng in the 2023 list (a 2024 run), Thị trấn Thất Khê in 2025-01
    code, _, err = run_cli("evaluate", "--unit", "06040", "--year", "2024")
    assert code == 2 and "'trang-dinh-dai-dong' (Đại Đồng)" in err
    code, _, err = run_cli("evaluate", "--unit", "06040", "--year", "2025")
    assert code == 2 and "'trang-dinh-that-khe' (Thất Khê)" in err


def test_a_form_for_a_unit_given_by_code(tmp_path):
    import openpyxl

    out = tmp_path / "bieu.xlsx"
    code, _, _ = run_cli("template", "--unit", "180", "--year", "2025", "--out", str(out))
    assert code == 0
    sheet = openpyxl.load_workbook(out)["Biểu nhập liệu"]
    assert "Huyện Tràng Định" in sheet["A1"].value
