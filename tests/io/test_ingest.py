"""Ingestion of official indicator tables: the seed, a fixture of another year, encodings,
.xlsx, inference rules and the errors of bad input.

Expected numbers are worked out by hand from the tables (arithmetic in comments).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import DataValidationError, InputFileError
from analysis.io import inference, ingest_result
from analysis.io.ingest import read_table
from analysis.io.ingest_result import IngestResult, write_result
from analysis.io.numbers import agrees, parse_cell
from analysis.io.schema import INDICATOR_COLUMNS, OBSERVATION_COLUMNS
from analysis.paths import RAW

SEED = RAW / "000_ca595b78d09ccdc2.txt"
FIXTURE = Path(__file__).parents[1] / "fixtures" / "example_commune_2023.txt"
HEADERS = [
    "TT",
    "Nội dung chỉ tiêu năm 2024",
    "Kết quả thực hiện năm 2023",
    "Năm 2024 / Kế hoạch",
    "Năm 2024 / Kết quả",
    "Đánh giá TH/KH năm 2024 (%)",
    "Đánh giá TH 2024/TH 2023 (%)",
    "KH năm 2025",
    "NQ Đại hội (đến năm 2025)",
    "Ghi chú (Làm rõ một số mục tiêu năm 2025)",
]
RESULT_2024, ATTAIN, TREND, NOTES = HEADERS[4], HEADERS[5], HEADERS[6], HEADERS[9]


@pytest.fixture(scope="module")
def seed() -> IngestResult:
    return read_table(SEED, unit="trang-dinh")


@pytest.fixture(scope="module")
def commune() -> IngestResult:
    return read_table(FIXTURE, unit="minh-khai")


def pick(result: IngestResult, tt: int, kind: str, year: int | None = None) -> pd.DataFrame:
    obs = result.observations
    hit = obs[(obs["indicator_id"] == f"tt{tt:02d}") & (obs["kind"] == kind)]
    return hit if year is None else hit[hit["year"] == year]


def one(result: IngestResult, tt: int, kind: str, year: int) -> pd.Series:
    hit = pick(result, tt, kind, year)
    assert len(hit) == 1, hit
    return hit.iloc[0]


# --- the seed ---------------------------------------------------------------------------------


def test_seed_shape_and_years(seed: IngestResult) -> None:
    assert list(seed.observations.columns) == OBSERVATION_COLUMNS
    assert list(seed.catalogue.columns) == [*INDICATOR_COLUMNS, "section", "parent", "label", "inferred"]
    # no sections, no sub-rows: every indicator is a row of its own, keyed by its TT
    assert set(seed.catalogue["section"]) == {""} and set(seed.catalogue["parent"]) == {""}
    assert seed.catalogue["label"].tolist() == [str(tt) for tt in range(1, 27)]
    assert list(seed.problems.columns) == ingest_result.PROBLEM_COLUMNS
    assert seed.catalogue["tt"].tolist() == list(range(1, 27))
    meta = seed.meta
    assert (meta["year"], meta["previous_year"], meta["next_year"], meta["term_end"]) == (2024, 2023, 2025, 2025)
    assert meta["source"] == SEED.name
    assert meta["title"].startswith("BIỂU ĐÁNH GIÁ TÌNH HÌNH THỰC HIỆN")
    assert "5596/BC-UBND" in meta["reference"]
    assert set(seed.observations["year"].dropna()) == {2021, 2022, 2023, 2024, 2025}


def test_seed_three_header_blocks_including_chi_tieu(seed: IngestResult) -> None:
    # lines 9, 22 and 37; the third is spelled "Nội dung chi tiêu"
    assert seed.meta["header_rows"] == [9, 22, 37]
    assert "header" not in " ".join(seed.problems["reason"])
    # TT 23-26 sit under the third block and are read with its columns
    assert one(seed, 26, "result", 2024)["source"] == f"{SEED.name}:42:{RESULT_2024}"


def test_seed_problems_are_the_expected_ones(seed: IngestResult) -> None:
    p = seed.problems
    assert sorted(p["severity"]) == ["ambiguous", "warning", "warning", "warning"]
    # bare numbers take the unit of their indicator: TT 12 "20", "22" (xã), TT 24 "100" (%)
    warned = p[p["severity"] == "warning"]
    assert list(zip(warned["row"], warned["text"])) == [(25, "20"), (25, "22"), (40, "100")]
    assert one(seed, 12, "term_target", 2025)["measure_unit"] == "xã"
    assert one(seed, 24, "plan", 2024)["measure_unit"] == "%"


def test_seed_row_3_ambiguity_is_listed_not_guessed(seed: IngestResult) -> None:
    amb = seed.problems[seed.problems["severity"] == "ambiguous"]
    assert len(amb) == 1
    a = amb.iloc[0]
    assert (a["file"], a["row"], a["column"], a["text"]) == (SEED.name, 13, RESULT_2024, "13.517 triệu USD")
    assert a["reason"].startswith("TT 3:") and "13517" in a["reason"] and "13,517" in a["reason"]
    tt3 = pick(seed, 3, "detail")
    assert tt3[["year", "value", "measure_unit"]].values.tolist() == [[2024, 15.139, "triệu USD"]]
    values = seed.observations["value"]
    assert not values.isin([13517.0, 13.517]).any()
    assert one(seed, 3, "result", 2024)["value"] == 12.0


@pytest.mark.parametrize(
    ("tt", "kind", "value", "decimals"),
    [
        (1, "published_attainment_pct", 102.32, 2),
        (3, "published_attainment_pct", 100.0, 1),  # "100,0%"
        (5, "published_attainment_pct", 66.66, 2),  # 2/3 truncated
        (7, "published_attainment_pct", 100.0, 0),
        (16, "published_trend_pct", 104.80, 2),
        (23, "published_attainment_pct", 54.1, 1),
        (23, "published_trend_pct", 53.7, 1),
    ],
)
def test_seed_published_percentages(seed: IngestResult, tt: int, kind: str, value: float, decimals: int) -> None:
    row = one(seed, tt, kind, 2024)
    assert (row["value"], row["measure_unit"]) == (value, "%")
    assert parse_cell(row["source_text"]).decimals == decimals


@pytest.mark.parametrize("tt", [18, 19])
def test_seed_not_achieved_words(seed: IngestResult, tt: int) -> None:
    row = one(seed, tt, "published_status", 2024)
    assert row["text"] == "Không đạt" and pd.isna(row["value"])
    assert row["source"].endswith(ATTAIN)
    assert pick(seed, tt, "published_trend_pct").empty  # the trend cell is empty


def test_seed_row_23_history_and_requirement(seed: IngestResult) -> None:
    assert one(seed, 23, "result", 2021)["value"] == 30.0
    assert one(seed, 23, "result", 2022)["value"] == 131.1
    # 2023 and 2024 are in the table with the same values: not duplicated
    assert one(seed, 23, "result", 2023)["value"] == 80.7
    assert one(seed, 23, "result", 2024)["value"] == 43.3
    req = one(seed, 23, "published_required", 2025)
    assert (req["value"], req["measure_unit"], req["text"]) == (114.9, "ha", "ít nhất")
    # by hand: 80 ha × 5 years − (30 + 131,1 + 80,7 + 43,3) = 400 − 285,1 = 114,9 ha
    assert pytest.approx(114.9) == 80 * 5 - (30 + 131.1 + 80.7 + 43.3)
    assert one(seed, 23, "term_target", 2025)[["value", "measure_unit", "text"]].tolist() == [
        80.0,
        "ha/năm",
        "80ha/năm",
    ]


@pytest.mark.parametrize(
    ("tt", "value", "unit", "text"),
    [
        (18, 30.0, "vụ", "tối đa"),
        (19, 19.0, "vụ", "tối đa"),
        (3, 16.956, "triệu USD", "ít nhất"),  # 15,139 × 1,12 = 16,955.68 → 16,956
    ],
)
def test_seed_required_values_from_notes(seed: IngestResult, tt: int, value: float, unit: str, text: str) -> None:
    row = one(seed, tt, "published_required", 2025)
    assert (row["value"], row["measure_unit"], row["text"]) == (value, unit, text)
    assert row["source"].endswith(NOTES)


def test_seed_expression_stock_and_notes(seed: IngestResult) -> None:
    expr = one(seed, 17, "published_expression", 2025)
    assert expr["text"] == "(1,92%+2,95%+1,76%+3,55%+1,64%)/5"
    # by hand: (1,92 + 2,95 + 1,76 + 3,55 + 1,64) / 5 = 11,82 / 5 = 2,364 → 2,36
    assert (expr["value"], expr["measure_unit"]) == (2.36, "%")
    stock = one(seed, 9, "stock", 2024)
    assert (stock["value"], stock["measure_unit"]) == (28.0, "trường")
    assert one(seed, 12, "note", 2025)["text"] == "Sau sáp nhập, toàn huyện có 19 xã, 01 thị trấn"


def test_seed_headline(seed: IngestResult) -> None:
    obs = seed.observations
    head = obs[obs["kind"] == "published_headline"]
    assert len(head) == 1
    h = head.iloc[0]
    assert (h["indicator_id"], h["year"], h["value"], h["value_high"]) == ("", 2024, 6.0, 26.0)
    assert h["text"].startswith("Dự kiến năm 2024: 06/26 chỉ tiêu không đạt")
    assert h["source"] == f"{SEED.name}:7:"


def test_seed_text_targets_keep_their_words(seed: IngestResult) -> None:
    duy_tri = one(seed, 15, "plan", 2025)
    assert (duy_tri["value"], duy_tri["text"]) == (42.0, "Duy trì 42%")
    giam = one(seed, 18, "plan", 2025)
    assert (giam["value"], giam["measure_unit"], giam["text"]) == (5.0, "%", "Giảm 5% trở lên")
    words = one(seed, 19, "plan", 2024)
    assert pd.isna(words["value"]) and words["text"].startswith("Kiểm chế số vụ")
    rng = one(seed, 6, "term_target", 2025)
    assert (rng["value"], rng["value_high"], rng["measure_unit"]) == (14.0, 16.0, "tiêu chí")
    plain = one(seed, 1, "result", 2024)
    assert (plain["value"], plain["text"], plain["source_text"]) == (97000.0, "", "97.000 lượt người")


def test_seed_traffic_details(seed: IngestResult) -> None:
    assert one(seed, 19, "result", 2023)[["value", "measure_unit"]].tolist() == [7.0, "vụ"]
    details = pick(seed, 19, "detail")
    assert details[["year", "value", "measure_unit"]].values.tolist() == [
        [2023, 5.0, "người chết"],
        [2023, 7.0, "người bị thương"],
        [2024, 7.0, "người chết"],
        [2024, 18.0, "người bị thương"],
        [2025, 3.0, "tiêu chí"],
    ]


def test_seed_every_cell_is_accounted_for(seed: IngestResult) -> None:
    """Each non-empty body cell is an observation, the catalogue's TT/wording, or a problem."""
    obs_sources = set(seed.observations["source"])
    problems = set(zip(seed.problems["row"], seed.problems["column"]))
    lines = SEED.read_text(encoding="utf-8").split("\n")
    counted = 0
    for number, line in enumerate(lines, start=1):
        cells = line.split("\t")
        if not cells[0].isdigit():
            continue
        tt = int(cells[0])
        assert len(cells) == len(HEADERS)
        cat = seed.catalogue[seed.catalogue["tt"] == tt].iloc[0]
        assert cat["indicator"] == cells[1]
        for header, text in zip(HEADERS[2:], cells[2:]):
            if not text.strip():
                continue
            counted += 1
            assert f"{SEED.name}:{number}:{header}" in obs_sources or (number, header) in problems, (
                number,
                header,
                text,
            )
    # 26 rows × 8 cells = 208, minus the empty ones: TT 4, 5 (NQ ×2, notes ×2...) counted by hand:
    # empty NQ: TT 4, 5, 15, 18, 19 (5); empty trend: TT 18, 19 (2); notes filled: TT 3, 5, 9, 11,
    # 12, 17, 18, 19, 20, 23 (10 of 26, so 16 empty) → 208 − 5 − 2 − 16 = 185
    assert counted == 185
    assert "cell not read" not in set(seed.problems["reason"])


@pytest.mark.parametrize(
    ("tt", "direction", "target_type", "target_source"),
    [
        (1, "higher", "level", "term_target"),
        (3, "higher", "growth", "term_target"),  # "Tăng kim ngạch ..."
        (6, "higher", "range", "term_target"),  # "Duy trì, củng cố, nâng cao": keep and raise
        (9, "higher", "stock", "term_target"),  # "Toàn huyện có 27 trường"
        (12, "higher", "level", "term_target"),
        (15, "maintain", "level", "plan"),  # "Duy trì 42%" in KH 2025, NQ empty
        (17, "higher", "rate_average", "term_target"),  # "Tỉ lệ hộ nghèo giảm 2%": a reduction rate
        (18, "lower", "yearly_reduction", "plan"),  # offences, "Giảm 5% trở lên"
        (19, "lower", "yearly_reduction", "plan"),  # TNGT
        (20, "higher", "every_year", "term_target"),  # "Hàng năm đạt 1.200ha"
        (23, "higher", "term_average", "term_target"),  # "80ha/năm"
    ],
)
def test_seed_inferred_catalogue(
    seed: IngestResult, tt: int, direction: str, target_type: str, target_source: str
) -> None:
    row = seed.catalogue[seed.catalogue["tt"] == tt].iloc[0]
    assert (row["direction"], row["target_type"], row["target_source"]) == (direction, target_type, target_source)
    assert row["indicator_id"] == f"tt{tt:02d}" and row["inferred"] == "direction,target_type"
    assert (row["term_start"], row["term_end"]) == (2021, 2025)


@pytest.mark.parametrize(
    ("tt", "unit", "decimals"),
    [
        (3, "%", 2),  # 12,70% / 11,80%: two decimals; the detail 15,139 does not count
        (4, "tỷ đồng", 3),  # 50,494 tỷ đồng
        (12, "xã", 0),
        (20, "ha", 2),  # 1.231,69ha
        (23, "ha", 1),
    ],
)
def test_seed_inferred_units_and_decimals(seed: IngestResult, tt: int, unit: str, decimals: int) -> None:
    row = seed.catalogue[seed.catalogue["tt"] == tt].iloc[0]
    assert (row["measure_unit"], row["decimals"]) == (unit, decimals)


def test_curated_catalogue_overrides_inference() -> None:
    curated = pd.DataFrame(
        [
            dict(
                unit="trang-dinh",
                indicator_id="criminal_offences",
                tt=18,
                indicator="Giảm  phạm pháp hình sự từ 5% trở lên",
                measure_unit="vụ",
                direction="lower",
                target_type="yearly_reduction",
                target_source="plan",
                decimals=0,
                term_start=2021,
                term_end=2025,
                note="",
            ),
            dict(
                unit="trang-dinh",
                indicator_id="tourists",
                tt=1,
                indicator="Lượng khách du lịch đến huyện",
                measure_unit="lượt người",
                direction="higher",
                target_type="level",
                target_source="term_target",
                decimals=0,
                term_start=2021,
                term_end=2025,
                note="",
            ),
            dict(
                unit="other-unit",
                indicator_id="x",
                tt=2,
                indicator="Doanh thu du lịch",
                measure_unit="",
                direction="lower",
                target_type="none",
                target_source="plan",
                decimals=0,
                term_start=2021,
                term_end=2025,
                note="",
            ),
        ]
    )
    result = read_table(SEED, unit="trang-dinh", catalogue=curated)
    cat = result.catalogue.set_index("tt")
    assert cat.loc[18, "indicator_id"] == "criminal_offences" and cat.loc[18, "inferred"] == ""
    assert cat.loc[1, "indicator_id"] == "tourists" and cat.loc[1, "inferred"] == ""
    assert cat.loc[2, "indicator_id"] == "tt02" and cat.loc[2, "direction"] == "higher"  # other unit ignored
    assert cat.loc[2, "inferred"] == "direction,target_type"
    assert len(pick(result, 18, "result")) == 0
    obs = result.observations
    # 21 vụ, 19 vụ, 33 vụ, "Không đạt", "Giảm 5% trở lên", the note "tối đa 30 vụ": 6 observations
    assert len(obs[obs["indicator_id"] == "criminal_offences"]) == 6
    # matched by TT, but the wording differs: said, not silent
    [warn] = result.problems[result.problems["reason"].str.contains("matched by TT")].itertuples()
    assert warn.row == 11 and warn.text == "Lượng khách du lịch"


def test_rules_are_data() -> None:
    rules = inference.load_rules()
    extra = pd.DataFrame(
        [dict(field="direction", applies_to="indicator", pattern="du lịch", value="lower", priority="1", note="test")]
    )
    result = read_table(SEED, unit="trang-dinh", rules=pd.concat([extra, rules.astype(str)]))
    cat = result.catalogue.set_index("tt")
    assert cat.loc[1, "direction"] == "lower" and "du lịch" in cat.loc[1, "note"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pattern": "t[ỷỉ lệ"}, "row 2, column 'pattern'"),
        ({"value": "better"}, "row 2, column 'value'"),
        ({"field": "colour"}, "row 2, column 'field'"),
        ({"applies_to": "both"}, "row 2, column 'applies_to'"),
        ({"priority": "first"}, "row 2, column 'priority'"),
    ],
)
def test_bad_rules_name_row_and_column(tmp_path: Path, change: dict[str, str], message: str) -> None:
    row = (
        dict(field="direction", applies_to="indicator", pattern="tai nạn", value="lower", priority="10", note="")
        | change
    )
    path = tmp_path / "inference_rules.csv"
    pd.DataFrame([row]).to_csv(path, index=False)
    with pytest.raises(DataValidationError, match=message) as info:
        inference.load_rules(path)
    assert str(path) in str(info.value)


# --- the fixture: another unit and another year ----------------------------------------------


def test_fixture_years_from_headers(commune: IngestResult) -> None:
    meta = commune.meta
    assert (meta["year"], meta["previous_year"], meta["next_year"], meta["term_end"]) == (2023, 2022, 2024, 2025)
    assert meta["header_rows"] == [7, 16]
    assert len(commune.catalogue) == 11
    assert set(commune.observations["unit"]) == {"minh-khai"}
    # the "Ước thực hiện" column gives estimates
    assert one(commune, 1, "estimate", 2023)["value"] == 47.1
    assert pick(commune, 1, "result", 2023).empty
    assert one(commune, 1, "result", 2022)["value"] == 45.2
    assert one(commune, 1, "plan", 2024)["value"] == 50.0


@pytest.mark.parametrize(
    ("tt", "direction", "target_type"),
    [
        (1, "higher", "level"),
        (2, "lower", "level"),  # "Tỷ lệ hộ nghèo": a level
        (3, "lower", "yearly_reduction"),  # offences
        (4, "lower", "level"),  # accidents
        (5, "maintain", "level"),  # "Duy trì ..."
        (6, "text", "text"),  # "Giữ vững ..."
        (7, "higher", "every_year"),
        (9, "higher", "rate_average"),  # "Tỉ lệ hộ nghèo giảm"
        (10, "higher", "stock"),  # "Toàn xã có 6 trường"
        (11, "higher", "range"),
    ],
)
def test_fixture_inferred_directions(commune: IngestResult, tt: int, direction: str, target_type: str) -> None:
    row = commune.catalogue[commune.catalogue["tt"] == tt].iloc[0]
    assert (row["direction"], row["target_type"]) == (direction, target_type)


def test_fixture_published_figures_and_the_slip(commune: IngestResult) -> None:
    attain = one(commune, 8, "published_attainment_pct", 2023)["value"]
    trend = one(commune, 8, "published_trend_pct", 2023)["value"]
    # by hand: 1.420 / 1.300 × 100 = 109,2307… → 109,23 (agrees)
    assert attain == 109.23 and agrees(attain, 109.2307, 2)
    # by hand: 1.420 / 1.250 × 100 = 113,6, but the table says 116,0 (the slip)
    assert trend == 116.0 and not agrees(trend, 113.6, 1)
    # by hand: 47,1 / 48 × 100 = 98,125 → 98,13
    assert one(commune, 1, "published_attainment_pct", 2023)["value"] == 98.13
    status = pick(commune, 6, "published_status")
    assert status["text"].tolist() == ["Đạt", "Đạt"]


def test_fixture_notes(commune: IngestResult) -> None:
    # "Ghi chú" has no year: notes look at the next year, 2024; 7 vụ × 0,95 = 6,65 → at most 6
    req = one(commune, 3, "published_required", 2024)
    assert (req["value"], req["measure_unit"], req["text"]) == (6.0, "vụ", "tối đa")
    # by hand: (1,4 + 1,5 + 1,3 + 1,2 + 1,2) / 5 = 6,6 / 5 = 1,32
    assert one(commune, 9, "published_expression", 2024)["value"] == 1.32
    assert one(commune, 10, "stock", 2023)["value"] == 5.0
    assert one(commune, 11, "result", 2021)["value"] == 10.0
    assert one(commune, 11, "result", 2022)["value"] == 12.0  # not duplicated
    [p] = commune.problems.itertuples()
    assert (p.row, p.column, p.severity) == (18, "Ghi chú", "warning")
    assert "note says 2022 = 52ha, table says 52,5ha" in p.reason


def test_fixture_headline(commune: IngestResult) -> None:
    obs = commune.observations
    h = obs[obs["kind"] == "published_headline"].iloc[0]
    assert (h["year"], h["value"], h["value_high"]) == (2023, 1.0, 11.0)


# --- encodings and formats -------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["utf16_crlf", "utf8_bom", "nfd", "cr"])
def test_encoding_variants_give_the_same_observations(seed: IngestResult, tmp_path: Path, variant: str) -> None:
    text = SEED.read_text(encoding="utf-8")
    data = {
        "utf16_crlf": text.replace("\n", "\r\n").encode("utf-16"),
        "utf8_bom": text.encode("utf-8-sig"),
        "nfd": unicodedata.normalize("NFD", text).encode("utf-8"),
        "cr": text.replace("\n", "\r").encode("utf-8"),
    }[variant]
    path = tmp_path / SEED.name
    path.write_bytes(data)
    result = read_table(path, unit="trang-dinh")
    pd.testing.assert_frame_equal(result.observations, seed.observations)
    pd.testing.assert_frame_equal(result.problems, seed.problems)
    pd.testing.assert_frame_equal(result.catalogue, seed.catalogue)


def test_latin1_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "bang_chi_tieu.txt"
    path.write_bytes("TT\tRésumé de l'année\n1\tCafé\t12%\n".encode("latin-1"))
    with pytest.raises(InputFileError, match=r"bang_chi_tieu\.txt: cannot be read as UTF-8") as info:
        read_table(path)
    assert "byte 0xe9" in str(info.value) and info.value.file == "bang_chi_tieu.txt"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("table.csv", b"TT,x\n", r"table\.csv: unsupported file type '\.csv'"),
        ("old.xls", b"\xd0\xcf\x11\xe0", r"old\.xls: .*save the old \.xls workbook as \.xlsx"),
        ("empty.txt", b"  \n", r"empty\.txt: is empty"),
        ("notable.txt", "Báo cáo\nkhông có bảng\n".encode(), r"notable\.txt: no header row found"),
        ("zip.txt", b"PK\x03\x04rest", r"zip\.txt: is a zip file"),
        ("broken.xlsx", b"not a zip", r"broken\.xlsx: is not a readable \.xlsx workbook"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputFileError, match=message):
        read_table(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="file not found"):
        read_table(tmp_path / "nothing.txt")


def _table(tmp_path: Path, body: list[str], header: str | None = None) -> Path:
    head = header or "\t".join(HEADERS)
    sub = "\t\t\tKế hoạch\tKết quả\t\t\t\t\t"
    path = tmp_path / "t.txt"
    path.write_text("\n".join([head, sub, *body]) + "\n", encoding="utf-8")
    return path


def test_header_without_year_is_an_error(tmp_path: Path) -> None:
    header = "\t".join(["TT", "Nội dung chỉ tiêu", "Kết quả thực hiện", *HEADERS[3:]])
    with pytest.raises(InputFileError, match=r"t\.txt, row 1, column 'Kết quả thực hiện': no year"):
        read_table(_table(tmp_path, [], header))


def test_header_without_indicator_column_is_an_error(tmp_path: Path) -> None:
    header = "\t".join(["TT", "Tên", *HEADERS[2:]])
    with pytest.raises(InputFileError, match=r"row 1: the header has no 'indicator' column"):
        read_table(_table(tmp_path, [], header))


def test_bad_rows_become_problems(tmp_path: Path) -> None:
    good = "1\tLượng khách du lịch\t79.000 lượt người\t94.800 lượt người\t97.000 lượt người\t102,32%\t122,78%\t\t\t"
    body = [
        "A\tCHỈ TIÊU KINH TẾ",  # a section heading: read as the section of the rows below
        good,
        "x2\tDoanh thu\t37 tỷ đồng\t\t\t\t\t\t\t",  # TT not a number
        "\tDòng tiếp\t5 tỷ đồng",  # no TT, figures of its own: an indicator of its own (issue 18)
        good,  # TT 1 again
        "3\tTrồng rừng\t10ha\t12ha\t11ha\t91,67%\t110ha\t\t\t\tthừa",  # 11 cells; ha in trend
        "4\tTrồng cây\t10ha",  # short row
    ]
    result = read_table(_table(tmp_path, body, "\t".join([*HEADERS[:9], "Cột lạ"])))
    p = result.problems
    reasons = dict(zip(zip(p["row"], p["column"]), zip(p["severity"], p["reason"])))
    assert reasons[(1, "Cột lạ")][0] == "error"  # header not recognised
    assert not (p["row"] == 3).any()  # the section heading is understood
    assert reasons[(5, "TT")] == ("error", "TT 'x2' is not a number: row not read")
    assert reasons[(5, "Kết quả thực hiện năm 2023")][0] == "error"
    assert reasons[(6, "Nội dung chỉ tiêu năm 2024")] == (
        "warning",
        "row 6 has no STT: read as an indicator of its own, after STT 1",
    )
    assert reasons[(7, "TT")][1] == "TT 1 repeats row 4 in section 'A. CHỈ TIÊU KINH TẾ': row not read"
    # a cell beyond the header: the row's cells may be shifted (a tab inside a cell), none is read
    shifted = "row has 11 cells, the table 10: a tab inside a cell may have shifted the cells after it; row not read"
    assert reasons[(8, "column 11")] == ("error", shifted)
    assert reasons[(8, TREND)] == ("error", shifted) and reasons[(8, "TT")] == ("error", shifted)
    assert reasons[(9, "")][0] == "warning" and "row has 3 cells" in reasons[(9, "")][1]
    assert sorted(result.catalogue["tt"]) == [1, 1, 4]  # the unnumbered row takes the place after STT 1
    assert set(result.catalogue["section"]) == {"A. CHỈ TIÊU KINH TẾ"}
    assert sorted(result.catalogue["indicator_id"]) == ["a_tt01", "a_tt01_x", "a_tt04"]
    assert "cell not read" not in set(p["reason"])


def _write_xlsx(path: Path, *, blank_rows_before: int = 22) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Biểu"
    r = 0
    for line in SEED.read_text(encoding="utf-8").split("\n"):
        r += 1
        if r == blank_rows_before:  # two blank rows where the page breaks
            r += 2
        cells = line.split("\t")
        for j, text in enumerate(cells, start=1):
            if not text:
                continue
            value: object = int(text) if j == 1 and text.isdigit() else text
            ws.cell(row=r, column=j, value=value)
        if cells[0] == "TT":  # the "Năm 2024" group spans Kế hoạch and Kết quả
            ws.merge_cells(start_row=r, start_column=4, end_row=r, end_column=5)
        if cells[0] == "1":  # a real percentage cell, formatted
            c = ws.cell(row=r, column=6, value=1.0232)
            c.number_format = "0.00%"
    wb.save(path)


def test_xlsx_gives_the_same_observations(seed: IngestResult, tmp_path: Path) -> None:
    path = tmp_path / "bieu_2024.xlsx"
    _write_xlsx(path)
    result = read_table(path, unit="trang-dinh", sheet="Biểu")
    cols = [c for c in OBSERVATION_COLUMNS if c != "source"]
    pd.testing.assert_frame_equal(result.observations[cols], seed.observations[cols])
    assert result.observations["source"].str.startswith("bieu_2024.xlsx:").all()
    assert result.meta["header_rows"] == [9, 24, 39]  # two blank rows inserted before line 22
    pd.testing.assert_frame_equal(result.catalogue, seed.catalogue)
    with pytest.raises(InputFileError, match="has no sheet 'Sheet9'; sheets: Biểu"):
        read_table(path, sheet="Sheet9")


def test_write_result_is_atomic_and_machine_formatted(seed: IngestResult, tmp_path: Path) -> None:
    written = write_result(seed, tmp_path / "out")
    assert sorted(written) == ["catalogue", "observations", "problems"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "catalogue.csv",
        "observations.csv",
        "problems.csv",
    ]  # no temporary files left
    obs = pd.read_csv(written["observations"], dtype=str, keep_default_na=False)
    assert list(obs.columns) == OBSERVATION_COLUMNS and len(obs) == len(seed.observations)
    first = obs[(obs["indicator_id"] == "tt20") & (obs["kind"] == "result")].iloc[0]
    assert (first["year"], first["value"], first["source_text"]) == ("2023", "1231.69", "1.231,69ha")
    cat = pd.read_csv(written["catalogue"], dtype=str, keep_default_na=False)
    assert cat.loc[0, "tt"] == "1" and cat.loc[0, "term_end"] == "2025"


# --- review fixes: nothing read wrongly or lost silently --------------------------------------


def test_a_row_worded_differently_from_the_catalogue_is_not_matched_by_tt(tmp_path: Path):
    from analysis.io.datasets import load_curated

    text = SEED.read_text(encoding="utf-8").replace("2\tDoanh thu du lịch\t", "2\tSố vụ phạm pháp hình sự\t")
    path = tmp_path / "next_year.txt"
    path.write_text(text, encoding="utf-8")
    result = read_table(path, unit="trang-dinh", catalogue=load_curated().indicators)
    row2 = result.catalogue[result.catalogue["tt"] == 2].iloc[0]
    assert row2["indicator_id"] == "tt02" and row2["direction"] == "lower"  # offences: fewer is better
    assert "direction" in row2["inferred"]
    assert result.problems["reason"].str.contains("a different indicator: not matched").any()
    row1 = result.catalogue[result.catalogue["tt"] == 1].iloc[0]
    assert row1["indicator_id"] == "tourist_visitors" and row1["inferred"] == ""


def test_an_xlsx_formula_without_a_saved_result_is_a_problem_not_a_figure(tmp_path: Path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["TT", "Nội dung chỉ tiêu năm 2024", "Kết quả thực hiện năm 2023"])
    ws.append([1, "Trồng rừng", "=1200+6.64"])
    wb.save(tmp_path / "f.xlsx")
    result = read_table(tmp_path / "f.xlsx")
    assert result.observations[result.observations["kind"] == "result"].empty
    [p] = result.problems[result.problems["severity"] == "error"].to_dict("records")
    assert (p["row"], p["column"], p["text"], p["severity"]) == (2, "Kết quả thực hiện năm 2023", "=1200+6.64", "error")
    assert p["reason"].startswith("Sheet!C2: the formula '=1200+6.64' has no saved result: not read; open the workbook")


def test_an_xlsx_date_where_a_range_was_typed_is_refused(tmp_path: Path):
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["TT", "Nội dung chỉ tiêu năm 2024", "NQ Đại hội (đến năm 2025)"])
    ws.append([6, "Số tiêu chí NTM bình quân", dt.datetime(2024, 12, 16)])  # "14-16" turned into a date
    wb.save(tmp_path / "d.xlsx")
    with pytest.raises(InputFileError, match=r"d.xlsx, row 2, column 'C': a date"):
        read_table(tmp_path / "d.xlsx")


def test_blank_rows_between_the_two_header_rows_are_a_page_break_not_a_new_layout(tmp_path: Path):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    # a blank line between "TT ... Năm 2024" and "Kế hoạch / Kết quả" of the second header block
    second = [i for i, line in enumerate(lines) if line.startswith("TT\t")][1]
    lines.insert(second + 1, "")
    path = tmp_path / "blank.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    broken, original = read_table(path, unit="trang-dinh"), read_table(SEED, unit="trang-dinh")
    assert not (broken.problems["severity"] == "error").any()
    cols = [c for c in OBSERVATION_COLUMNS if c != "source"]
    assert broken.observations[cols].equals(original.observations[cols])
