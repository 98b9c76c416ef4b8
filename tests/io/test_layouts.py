"""Tables in layouts unlike the seeds, read by meaning: sections, STT restarting, sub-rows,
unit columns, "So sánh (%)" groups, published verdicts, several sheets.

The three tables of tests/fixtures/tables/ were written for these tests (illustrative
figures); every expectation below was worked out by hand from them:

- commune_2025_sections.txt: a commune's year-end table, sections I (8 indicators) and II
  (8), STT 1-8 in each, "Đơn vị tính", "Ước thực hiện năm 2025", "So sánh (%)" over "TH/KH"
  and "Cùng kỳ", "Đánh giá", four "Trong đó" sub-rows (two under I.1, one under II.1, II.5);
- national_2025_verdicts.tsv: 12 indicators numbered 1-12 under three upper-case section
  titles, "Đơn vị", "Kế hoạch năm 2025", "Thực hiện năm 2025" and the government's "Đánh giá";
- district_2025_ab.xlsx (make_tables.py): sheets "Bìa", "Biểu 01", "Biểu 02"; the table has
  sections A (4 indicators) and B (5), sub-rows "a)", "b)", "+", "ĐVT", "Ước TH năm 2025",
  "KH năm 2026" and "NQ Đại hội (đến năm 2030)".
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.analyses.evaluate import evaluate, headline
from analysis.errors import DataValidationError, InputFileError
from analysis.io.headers import load_synonyms
from analysis.io.ingest import read_table
from analysis.io.ingest_result import IngestResult
from analysis.io.row_model import Layout
from conftest import FIXTURES
from factories import run_cli as run

TABLES = FIXTURES / "tables"
COMMUNE = TABLES / "commune_2025_sections.txt"
NATIONAL = TABLES / "national_2025_verdicts.tsv"
DISTRICT = TABLES / "district_2025_ab.xlsx"


@pytest.fixture(scope="module")
def commune() -> IngestResult:
    return read_table(COMMUNE, unit="hoa-binh")


@pytest.fixture(scope="module")
def national() -> IngestResult:
    return read_table(NATIONAL, unit="ca-nuoc")


@pytest.fixture(scope="module")
def district() -> IngestResult:
    return read_table(DISTRICT, unit="minh-hoa", sheet="Biểu 01")


def of_kind(result: IngestResult, kind: str, year: int | None = None) -> pd.DataFrame:
    obs = result.observations
    hit = obs[obs["kind"] == kind]
    return hit if year is None else hit[hit["year"] == year]


# --- (a) a commune's year-end table with sections and "Trong đó" sub-rows ---------------------

COMMUNE_IDS = (
    ["i_tt01", "i_tt01_1", "i_tt01_2"]
    + [f"i_tt{n:02d}" for n in range(2, 9)]
    + ["ii_tt01", "ii_tt01_1", "ii_tt02", "ii_tt03", "ii_tt04", "ii_tt05", "ii_tt05_1", "ii_tt06", "ii_tt07", "ii_tt08"]
)
# the "Đánh giá" column, top to bottom, as written
COMMUNE_VERDICTS = [
    "Vượt", "Không đạt", "Vượt", "Vượt", "Vượt", "Không đạt", "Vượt", "Đạt", "Đạt", "Không đạt",
    "Vượt", "Không đạt", "Vượt", "Dự kiến đạt", "Đạt", "Vượt", "Không đạt", "Vượt", "Vượt", "Không đạt",
]  # fmt: skip


def test_commune_every_indicator_and_sub_row_is_read(commune: IngestResult) -> None:
    assert commune.problems.empty
    cat = commune.catalogue
    assert cat["indicator_id"].tolist() == COMMUNE_IDS
    indicators = cat[cat["parent"] == ""]
    assert len(indicators) == 16
    # STT restarts in section II: keyed by section and STT, the printed STT kept
    assert indicators["tt"].tolist() == [*range(1, 9), *range(1, 9)]
    assert commune.meta["sections"] == ["I. Kinh tế", "II. Văn hóa - xã hội"]
    assert cat.groupby("section").size().to_dict() == {"I. Kinh tế": 10, "II. Văn hóa - xã hội": 10}
    subs = cat[cat["parent"] != ""].set_index("indicator_id")
    assert subs["parent"].to_dict() == {
        "i_tt01_1": "i_tt01",
        "i_tt01_2": "i_tt01",
        "ii_tt01_1": "ii_tt01",
        "ii_tt05_1": "ii_tt05",
    }
    assert subs["label"].tolist() == ["-", "-", "", "-"]  # "Trong đó: ..." has no mark
    assert subs["tt"].tolist() == [1, 1, 1, 5]  # the STT of the indicator they belong to


def test_commune_years_estimates_and_units(commune: IngestResult) -> None:
    meta = commune.meta
    assert (meta["year"], meta["previous_year"], meta["next_year"], meta["term_end"]) == (2025, 2024, None, None)
    # "Ước thực hiện năm 2025" gives estimates, "Thực hiện năm 2024" results: one each per row
    assert of_kind(commune, "estimate", 2025)["indicator_id"].tolist() == COMMUNE_IDS
    assert of_kind(commune, "result", 2024)["indicator_id"].tolist() == COMMUNE_IDS
    assert of_kind(commune, "result", 2025).empty
    # bare figures take the row's "Đơn vị tính", with no warning
    est = of_kind(commune, "estimate", 2025).set_index("indicator_id")
    assert est.loc["i_tt03", ["value", "measure_unit", "source_text"]].tolist() == [2415.0, "Triệu đồng", "2.415"]
    assert est.loc["i_tt02", ["value", "measure_unit"]].tolist() == [56.5, "Triệu đồng/người"]
    units = commune.catalogue.set_index("indicator_id")["measure_unit"]
    assert (units["i_tt04"], units["ii_tt05_1"], units["ii_tt07"]) == ("Tấn", "Người", "Vụ")
    plan = of_kind(commune, "plan", 2025).set_index("indicator_id").loc["ii_tt07"]
    assert (plan["value"], plan["text"]) == (10.0, "Giảm 10% so với năm trước")


def test_commune_so_sanh_group_and_verdicts(commune: IngestResult) -> None:
    att = of_kind(commune, "published_attainment_pct", 2025).set_index("indicator_id")
    trend = of_kind(commune, "published_trend_pct", 2025).set_index("indicator_id")
    # 19 TH/KH cells (II.7 has none: its plan is words), 20 "Cùng kỳ" cells
    assert len(att) == 19 and "ii_tt07" not in att.index and len(trend) == 20
    # by hand: 468 / 450 = 104,0%; 468 / 410 = 114,146% -> published 114,1
    assert (att.loc["i_tt01", "value"], trend.loc["i_tt01", "value"]) == (104.0, 114.1)
    assert att.loc["i_tt01", "source"] == "commune_2025_sections.txt:9:So sánh (%) / TH/KH"
    assert trend.loc["i_tt01", "source"] == "commune_2025_sections.txt:9:So sánh (%) / Cùng kỳ"
    verdicts = of_kind(commune, "published_status", 2025)
    assert verdicts["indicator_id"].tolist() == COMMUNE_IDS
    assert verdicts["text"].tolist() == COMMUNE_VERDICTS
    assert verdicts["source"].str.endswith(":Đánh giá").all()


def test_commune_every_body_cell_is_used(commune: IngestResult) -> None:
    # 20 rows x 6 figure cells (TH 2024, KH, ước TH, TH/KH, cùng kỳ, đánh giá) = 120, less the
    # empty TH/KH of II.7, plus the 2 notes (I.4, I.7) = 121; and the preamble's headline
    assert len(commune.observations) == 121 + 1
    assert commune.observations["source"].nunique() == 122
    notes = of_kind(commune, "note")
    assert notes["text"].tolist() == ["Ảnh hưởng của bão số 3", "Thêm 02 sản phẩm được công nhận trong năm"]


def test_commune_headline_counts_indicators_not_sub_rows(commune: IngestResult) -> None:
    ev = evaluate(commune.observations, commune.catalogue, unit="hoa-binh", year=2025)
    assert ev["indicator_id"].tolist() == COMMUNE_IDS  # table order, sections kept apart
    assert ev["published_status"].tolist() == COMMUNE_VERDICTS
    h = headline(ev)
    # by hand: I.4 5.850 < 5.900 t, I.8 16 < 17 tiêu chí, II.8 88% < 90%; the sub-rows I.1 (158 <
    # 160), II.1 and II.5 (10 < 15 người) miss too but are not indicators of their own
    assert (h.count_text, h.estimated) == ("03/16", True)
    assert [name for _, name in h.not_achieved] == [
        "Tổng sản lượng lương thực có hạt",
        "Số tiêu chí nông thôn mới nâng cao đạt được",
        "Tỷ lệ chất thải rắn sinh hoạt được thu gom, xử lý",
    ]


def test_commune_curated_catalogue_matches_by_section_and_stt(commune: IngestResult) -> None:
    base = dict(unit="hoa-binh", measure_unit="", target_type="level", target_source="plan", decimals=1)
    base |= dict(term_start=2021, term_end=2025, note="", parent="", label="")
    curated = pd.DataFrame(
        [
            base | dict(indicator_id="gross_output", tt=1, section="I. Kinh tế", direction="higher",
                        indicator="Tổng giá trị sản xuất (giá so sánh 2010)"),
            base | dict(indicator_id="poverty_rate", tt=1, section="II. Văn hóa - xã hội", direction="lower",
                        indicator="Tỷ lệ hộ nghèo"),
        ]
    )  # fmt: skip
    result = read_table(COMMUNE, unit="hoa-binh", catalogue=curated)
    ids = result.catalogue.set_index("indicator_id")
    assert {"gross_output", "poverty_rate"} <= set(ids.index)
    # the sub-rows hang from the curated ids
    assert ids.loc[["gross_output_1", "gross_output_2"], "parent"].tolist() == ["gross_output"] * 2
    assert ids.loc["poverty_rate_1", "parent"] == "poverty_rate"
    assert result.problems.empty


# --- (b) a national table with the government's verdicts --------------------------------------

NATIONAL_VERDICTS = ["Vượt", "Vượt", "Đạt", "Đạt", "Vượt", "Vượt", "Đạt", "Đạt", "Không đạt", "Vượt", "Đạt", "Đạt"]


def test_national_twelve_indicators_by_meaning(national: IngestResult) -> None:
    assert national.problems.empty
    cat = national.catalogue
    assert cat["tt"].tolist() == list(range(1, 13)) and (cat["parent"] == "").all()
    assert national.meta["sections"] == ["VỀ KINH TẾ", "VỀ XÃ HỘI", "VỀ MÔI TRƯỜNG"]
    assert cat["section"].value_counts().to_dict() == {"VỀ KINH TẾ": 5, "VỀ XÃ HỘI": 5, "VỀ MÔI TRƯỜNG": 2}
    assert cat["indicator_id"].tolist()[:2] == ["s1_tt01", "s1_tt02"] and cat["indicator_id"].iloc[-1] == "s3_tt12"
    # "Đơn vị" is the unit column
    assert cat["measure_unit"].tolist() == ["%", "USD", "%", "%", "%", "%", "%", "%", "Bác sĩ", "%", "%", "Vụ"]
    meta = national.meta
    assert (meta["year"], meta["previous_year"], meta["next_year"]) == (2025, None, None)
    assert len(of_kind(national, "result", 2025)) == 12 and of_kind(national, "estimate").empty
    assert len(national.observations) == 12 * 3


def test_national_verdicts_verbatim_and_targets_with_their_words(national: IngestResult) -> None:
    assert of_kind(national, "published_status", 2025)["text"].tolist() == NATIONAL_VERDICTS
    plan = of_kind(national, "plan", 2025).set_index("indicator_id")
    cols = ["value", "value_high", "measure_unit", "text"]
    assert plan.loc["s1_tt01", cols].tolist()[:3] == [6.5, 7.0, "%"]
    assert plan.loc["s1_tt01", "text"] == "6,5-7%"
    assert plan.loc["s1_tt03", ["value", "text"]].tolist() == [4.5, "Khoảng 4,5%"]
    assert plan.loc["s2_tt07", ["value", "text"]].tolist() == [4.0, "Dưới 4%"]
    assert plan.loc["s2_tt08", ["value", "text"]].tolist() == [4.5, "Dưới 4,5%"]
    assert plan.loc["s3_tt12", ["value", "measure_unit", "text"]].tolist() == [12.0, "Vụ", "Tối đa 12 vụ"]
    assert plan.loc["s1_tt02", ["value", "measure_unit", "source_text"]].tolist() == [4900.0, "USD", "4.900"]


def test_a_row_numbering_the_columns_is_part_of_the_header(national: IngestResult, tmp_path: Path) -> None:
    lines = NATIONAL.read_text(encoding="utf-8").split("\n")
    lines.insert(lines.index(next(line for line in lines if line.startswith("STT\t"))) + 1, "A\tB\t(1)\t(2)\t(3)\t(4)")
    path = tmp_path / NATIONAL.name
    path.write_text("\n".join(lines), encoding="utf-8")
    result = read_table(path, unit="ca-nuoc")
    assert result.problems.empty
    cols = [c for c in result.observations.columns if c != "source"]
    pd.testing.assert_frame_equal(result.observations[cols], national.observations[cols])


# --- (c) an A/B workbook with "a)"/"+" sub-rows, KH năm 2026 and NQ Đại hội (đến năm 2030) ---

DISTRICT_PARENTS = {
    "a_tt02_a": "a_tt02",
    "a_tt02_b": "a_tt02",
    "a_tt04_1": "a_tt04",
    "b_tt03_a": "b_tt03",
    "b_tt03_a_1": "b_tt03_a",  # "+" under "a)"
}


def test_district_sections_sub_rows_and_term(district: IngestResult) -> None:
    assert district.problems.empty and district.meta["sheet"] == "Biểu 01"
    cat = district.catalogue
    assert len(cat) == 14 and (cat["parent"] == "").sum() == 9
    assert cat.loc[cat["parent"] == "", "tt"].tolist() == [1, 2, 3, 4, 1, 2, 3, 4, 5]
    assert district.meta["sections"] == ["A. CÁC CHỈ TIÊU KINH TẾ", "B. CÁC CHỈ TIÊU XÃ HỘI - MÔI TRƯỜNG"]
    assert cat[cat["parent"] != ""].set_index("indicator_id")["parent"].to_dict() == DISTRICT_PARENTS
    assert cat.set_index("indicator_id").loc[list(DISTRICT_PARENTS), "label"].tolist() == ["a)", "b)", "+", "a)", "+"]
    meta = district.meta
    assert (meta["year"], meta["previous_year"], meta["next_year"], meta["term_end"]) == (2025, 2024, 2026, 2030)
    # the header says "đến năm 2030": the new term, 2026-2030
    assert set(cat["term_end"]) == {2030} and set(cat["term_start"]) == {2026}


def test_district_years_and_targets(district: IngestResult) -> None:
    assert len(of_kind(district, "estimate", 2025)) == 14  # "Ước TH năm 2025"
    assert len(of_kind(district, "result", 2024)) == 14 and of_kind(district, "result", 2025).empty
    assert len(of_kind(district, "plan", 2026)) == 14  # "KH năm 2026"
    term = of_kind(district, "term_target", 2030).set_index("indicator_id")
    assert term.loc["a_tt01", ["value", "value_high", "measure_unit"]].tolist() == [8.0, 9.0, "%"]
    assert term.loc["a_tt04", ["value", "source_text"]].tolist() == [1500.0, "1.500"]  # a number formatted #,##0
    words = term["text"].to_dict()
    assert [words[i] for i in ("b_tt01", "b_tt02", "b_tt03", "b_tt03_a_1", "b_tt04")] == [
        "Còn dưới 2%",
        "Từ 90% trở lên",
        "Trên 97%",
        "Duy trì 100%",
        "Giảm bình quân 5%/năm",
    ]
    plan = of_kind(district, "plan", 2025).set_index("indicator_id")
    assert plan.loc["b_tt03", ["value", "text"]].tolist() == [95.0, "≥ 95%"]  # the sign kept in the words
    assert plan.loc["b_tt04", ["value", "measure_unit", "text"]].tolist() == [13.0, "Vụ", "Không quá 13 vụ"]
    # 7,8% typed as 0.078 in a cell formatted 0.0%
    res = of_kind(district, "result", 2024).set_index("indicator_id").loc["a_tt01"]
    assert res[["value", "measure_unit", "source_text"]].tolist() == [7.8, "%", "7,8%"]
    # count by hand (make_tables.py): 41 figure and note cells in A, 40 in B
    assert len(district.observations) == 81


def test_district_without_sheet_reads_the_table_and_reports_the_other_sheets(district: IngestResult) -> None:
    result = read_table(DISTRICT, unit="minh-hoa")
    assert result.meta["sheet"] == "Biểu 01"
    pd.testing.assert_frame_equal(result.observations, district.observations)
    p = result.problems
    assert p["severity"].tolist() == ["warning", "warning"]
    assert "sheet 'Bìa'" in p["reason"].iloc[0] and "--sheet 'Bìa'" in p["reason"].iloc[0]
    assert "sheet 'Biểu 02'" in p["reason"].iloc[1]
    with pytest.raises(InputFileError, match="has no sheet 'Biểu 03'; sheets: Bìa, Biểu 01, Biểu 02"):
        read_table(DISTRICT, sheet="Biểu 03")


# --- the command line --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "summary"),
    [
        ([str(COMMUNE)], "16 indicators and 4 sub-row(s) in 2 section(s), 122 observations"),
        ([str(NATIONAL)], "12 indicators in 3 section(s), 36 observations"),
        ([str(DISTRICT), "--sheet", "Biểu 01"], "9 indicators and 5 sub-row(s) in 2 section(s), 81 observations"),
    ],
)
def test_ingest_exits_0_when_every_cell_is_understood(argv: list[str], summary: str) -> None:
    code, out, _ = run("ingest", *argv)
    assert code == 0 and summary in out and "0 problem(s)" in out


def test_evaluate_csv_keeps_status_verdict_section_and_parent() -> None:
    code, out, _ = run("evaluate", "--table", str(DISTRICT), "--sheet", "Biểu 01", "--format", "csv")
    assert code == 0
    df = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert {"status", "published_status", "section", "parent"} <= set(df.columns)
    assert df["parent"].tolist().count("") == 9 and len(df) == 14
    assert df.loc[df["indicator_id"] == "b_tt03_a_1", ["section", "parent"]].values.tolist() == [
        ["B. CÁC CHỈ TIÊU XÃ HỘI - MÔI TRƯỜNG", "b_tt03_a"]
    ]
    code, out, _ = run("evaluate", "--table", str(DISTRICT), "--sheet", "Biểu 01")
    assert code == 0 and "/09 chỉ tiêu không đạt" in out


def test_sheet_is_for_workbooks() -> None:
    code, _, err = run("evaluate", "--table", str(COMMUNE), "--sheet", "Biểu 01")
    assert code == 2 and "a text file has no sheets" in err
    code, _, err = run("evaluate", "--unit", "trang-dinh", "--sheet", "Biểu 01")
    assert code == 2 and "--sheet is for a workbook given with --table" in err


# --- headers by meaning, synonyms as data ------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "meaning"),
    [
        ("STT", ("tt", "", None, None)),
        ("TT", ("tt", "", None, None)),
        ("Chỉ tiêu", ("indicator", "", None, None)),
        ("Nội dung (chỉ tiêu)", ("indicator", "", None, None)),
        ("Nội dung chỉ tiêu", ("indicator", "", None, None)),
        ("ĐVT", ("measure_unit", "", None, None)),
        ("Đơn vị", ("measure_unit", "", None, None)),
        ("Đơn vị tính", ("measure_unit", "", None, None)),
        ("Thực hiện năm 2024", ("value", "result", 2024, None)),
        ("Kết quả năm 2024", ("value", "result", 2024, None)),
        ("TH năm 2025", ("value", "result", 2025, None)),
        ("Kết quả thực hiện năm 2025", ("value", "result", 2025, None)),
        ("Kế hoạch năm 2025", ("value", "plan", 2025, None)),
        ("KH năm 2026", ("value", "plan", 2026, None)),
        ("Ước thực hiện năm 2025", ("value", "estimate", 2025, None)),
        ("Ước TH năm 2025", ("value", "estimate", 2025, None)),
        ("Dự kiến năm 2024", ("value", "estimate", 2024, None)),
        ("TH/KH", ("attainment", "", None, None)),
        ("TH/TH", ("trend", "", None, None)),
        ("Cùng kỳ", ("trend", "", None, None)),
        ("Đánh giá", ("status", "", None, None)),
        ("Ghi chú", ("notes", "", None, None)),
        ("NQ Đại hội (đến năm 2030)", ("value", "term_target", 2030, None)),
        ("Mục tiêu nhiệm kỳ 2025-2030", ("value", "term_target", 2030, None)),
        ("So sánh (%)", ("group", "", None, None)),
        ("Đơn vị thực hiện", ("unknown", "", None, None)),  # the agency, not the unit
    ],
)
def test_headers_by_meaning(header: str, meaning: tuple[str, str, int | None, int | None]) -> None:
    assert tuple(load_synonyms().classify(header)) == meaning


def _write(tmp_path: Path, header: str, row: str, preamble: str = "") -> Path:
    path = tmp_path / "t.txt"
    path.write_text(f"{preamble}\n{header}\n{row}\n", encoding="utf-8")
    return path


def test_an_unknown_header_names_the_closest_known_and_synonyms_are_data(tmp_path: Path) -> None:
    path = _write(tmp_path, "STT\tChỉ tiêu\tĐơn vị tín\tKế hoạch năm 2025\tThực hiện năm 2025", "1\tA\t%\t5\t6")
    # the header (row 2) and the cell under it (row 3) are both reported
    p, cell = read_table(path).problems.itertuples()
    assert (p.severity, p.row, p.column) == ("error", 2, "Đơn vị tín")
    assert "closest known: 'Đơn vị tính'" in p.reason and "header_synonyms.csv" in p.reason
    assert (cell.severity, cell.row, cell.text) == ("error", 3, "%")
    code, out, _ = run("ingest", str(path))
    assert code == 1 and "closest known: 'Đơn vị tính'" in out
    extra = pd.DataFrame([{"synonym": "Đơn vị tín", "meaning": "measure_unit", "match": "exact", "note": ""}])
    shipped = pd.read_csv(paths.dataset_path("header_synonyms"), dtype=str, keep_default_na=False)
    synonyms = pd.concat([extra, shipped])
    result = read_table(path, synonyms=synonyms)
    assert result.problems.empty and result.catalogue["measure_unit"].tolist() == ["%"]


def test_a_group_heading_without_sub_headers_is_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, "STT\tChỉ tiêu\tKế hoạch năm 2025\tThực hiện năm 2025\tSo sánh (%)", "1\tA\t5\t6\t120")
    p, cell = read_table(path).problems.itertuples()
    assert p.column == "So sánh (%)" and p.severity == "error" and "without sub-headers" in p.reason
    assert (cell.row, cell.text, cell.severity) == (3, "120", "error")


def test_a_term_target_without_a_year_takes_it_from_the_title_or_is_an_error(tmp_path: Path) -> None:
    header = "STT\tChỉ tiêu\tKế hoạch năm 2025\tThực hiện năm 2025\tMục tiêu nhiệm kỳ"
    title = "CÁC CHỈ TIÊU NGHỊ QUYẾT ĐẠI HỘI NHIỆM KỲ 2025 - 2030"
    result = read_table(_write(tmp_path, header, "1\tA\t5\t6\t9", title))
    assert result.meta["term_end"] == 2030
    [p] = result.problems.itertuples()
    assert p.severity == "warning" and "2030 is taken from the title" in p.reason
    with pytest.raises(InputFileError, match=r"no year in the header 'Mục tiêu nhiệm kỳ'"):
        read_table(_write(tmp_path, header, "1\tA\t5\t6\t9"))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"meaning": "colour"}, "row 2, column 'meaning'"),
        ({"match": "fuzzy"}, "row 2, column 'match'"),
        ({"synonym": "(%)"}, "row 2, column 'synonym'"),
    ],
)
def test_bad_synonyms_name_row_and_column(row: dict[str, str], message: str) -> None:
    frame = pd.DataFrame([{"synonym": "Ghi chú", "meaning": "notes", "match": "prefix", "note": ""} | row])
    with pytest.raises(DataValidationError, match=message):
        load_synonyms(frame)


def test_one_synonym_with_two_meanings_is_refused() -> None:
    frame = pd.DataFrame(
        [
            {"synonym": "KH", "meaning": "plan", "match": "exact", "note": ""},
            {"synonym": "kh", "meaning": "result", "match": "exact", "note": ""},
        ]
    )
    with pytest.raises(DataValidationError, match=r"row 3, column 'synonym': 'kh' already means 'plan' \(row 2\)"):
        load_synonyms(frame)


# --- rows: sections and sub-rows ----------------------------------------------------------------


def test_letters_and_roman_numerals_nest() -> None:
    layout = Layout()
    assert layout.place(1, "A", "KINH TẾ", figures=False).section == "A. KINH TẾ"
    assert layout.place(2, "I", "Nông nghiệp", figures=False).section == "A. KINH TẾ / I. Nông nghiệp"
    assert layout.place(3, "1", "Sản lượng lúa", figures=True).indicator_id == "a_i_tt01"
    assert layout.place(4, "B", "XÃ HỘI", figures=False).section == "B. XÃ HỘI"
    # "C" after "B" is the next letter, not the roman hundred
    assert layout.place(5, "C", "MÔI TRƯỜNG", figures=False).section == "C. MÔI TRƯỜNG"
    assert layout.place(6, "1", "Tỷ lệ che phủ rừng", figures=True).indicator_id == "c_tt01"
    sub = layout.place(7, "1.1", "Rừng phòng hộ", figures=True)
    assert (sub.kind, sub.parent, sub.indicator_id) == ("sub", "c_tt01", "c_tt01_1")


@pytest.mark.parametrize(
    ("tt", "name", "figures", "reason"),
    [
        ("", "- Trong đó: nữ", True, "sub-row with no indicator above it"),
        ("A", "Doanh thu", True, "TT 'A' is not a number"),  # a mark with figures is no section
        ("", "Dòng tiếp", True, "row has no TT"),
    ],
)
def test_rows_that_are_not_read_say_why(tt: str, name: str, figures: bool, reason: str) -> None:
    place = Layout().place(1, tt, name, figures=figures)
    assert place.kind == "none" and place.severity == "error" and reason in place.reason
