"""Hostile text: invisible control characters (bidirectional overrides, zero-width
characters), a long unbroken word in a name, a formula-like name (test_unsafe), negative
plans. Each is reported or shown, never applied silently, and the figures stay on the page."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.analyses.evaluate import evaluate
from analysis.build.render import html_to_pdf, notebook_to_html, stylesheet
from analysis.io.ingest import read_table
from analysis.report.present import evaluated_table
from analysis.writers.html import html_of
from factories import make_catalogue, make_observations
from reliability.kit import BODY, HEADER, Project, cli, table_text, write

CONTROL_CASES = [
    ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("\u202b", "U+202B RIGHT-TO-LEFT EMBEDDING"),
    ("\u2067", "U+2067 RIGHT-TO-LEFT ISOLATE"),
    ("\u200f", "U+200F RIGHT-TO-LEFT MARK"),
    ("\u200b", "U+200B ZERO WIDTH SPACE"),
    ("\u200d", "U+200D ZERO WIDTH JOINER"),
    ("\u2060", "U+2060 WORD JOINER"),
    ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("\x1b", "U+001B"),
]


@pytest.mark.parametrize(("char", "name"), CONTROL_CASES)
def test_a_control_character_in_a_raw_table_is_removed_and_reported(tmp_path: Path, char: str, name: str):
    rows = [*HEADER, ["1", f"Thu nhập {char}bình quân", "50 triệu đồng", "55 triệu đồng", "56 triệu đồng", ""]]
    result = read_table(write(tmp_path / "t.txt", table_text(rows)), unit="t")
    assert result.catalogue["indicator"].tolist() == ["Thu nhập bình quân"]
    warned = result.problems[result.problems["reason"].str.startswith("invisible")]
    assert warned[["row", "column", "text", "reason", "severity"]].values.tolist() == [
        [
            3,
            "column 2",
            f"Thu nhập [U+{ord(char):04X}]bình quân",
            f"invisible control character(s) removed: {name}",
            "warning",
        ]
    ]
    assert len(result.observations[result.observations["kind"].isin(["result", "plan"])]) == 3  # nothing lost


@pytest.mark.parametrize(
    ("dataset", "column", "row"),
    [("units.csv", "name", 3), ("indicators.csv", "indicator", 2), ("observations.csv", "source_text", 5)],
)
def test_a_control_character_in_curated_data_is_an_error_naming_the_cell(
    project: Project, dataset: str, column: str, row: int
):
    path = project.data / dataset
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 2, column] = "\u202e" + frame.loc[row - 2, column]
    frame.to_csv(path, index=False)
    shown = "[U+202E]" + frame.loc[row - 2, column][1:]
    got = cli("evaluate", "--unit", "trang-dinh", "--data-dir", project.data)
    assert got.code == 2
    assert got.error_lines == [
        (
            f"error: {path}: row {row}, column {column!r}: {shown!r} holds invisible control character(s) "
            "U+202E RIGHT-TO-LEFT OVERRIDE: remove them"
        )
    ]


def _pdf_text(pdf: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


@pytest.mark.slow
def test_a_control_character_reaching_a_briefing_is_shown_not_applied(tmp_path: Path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    nb = new_notebook(
        cells=[
            new_code_cell("", outputs=[new_output("display_data", data={"text/html": "<p>Xã \u202eĐội Cấn: 95%</p>"})])
        ]
    )
    html = notebook_to_html(nbformat.from_dict(nb), title="Thử", unit="x", year=2024, headline="Tràng\u200b Định")
    assert "\u202e" not in html and "\u200b" not in html
    assert "Xã [U+202E]Đội Cấn: 95%" in html
    html_to_pdf(html, tmp_path / "x.pdf")
    text = _pdf_text(tmp_path / "x.pdf")
    assert "Xã [U+202E]Đội Cấn: 95%" in text and "Tràng[U+200B] Định" in text


def _evaluated(name: str, plan: float, result: float, previous: float) -> pd.DataFrame:
    cat = make_catalogue([{"indicator": name, "measure_unit": "%", "decimals": 1}], unit="x")
    obs = make_observations(
        [("i1", 2024, "plan", plan), ("i1", 2024, "result", result), ("i1", 2023, "result", previous)], unit="x"
    )
    return evaluate(obs, cat, unit="x", year=2024)


@pytest.mark.parametrize(
    "name",
    [
        "https://example.invalid/" + "a" * 300,
        "Mã" + "X" * 400,
        "Tỷ lệ hộ nghèo " + "đa-chiều-" * 60,
    ],
)
@pytest.mark.slow
def test_a_long_unbroken_word_keeps_the_figures_on_the_a4_page(name: str):
    """Laid out as the PDF is (same stylesheets and fonts): every figure lies inside the page."""
    from weasyprint import HTML

    from analysis.build.typefaces import pdf_stylesheets

    ev = _evaluated(name, 55.0, 56.0, 50.0)
    html = f"<html><head><style>{stylesheet()}</style></head><body>{html_of(evaluated_table(ev))}</body></html>"
    stylesheets, font_config = pdf_stylesheets()
    pages = HTML(string=html).render(stylesheets=stylesheets, font_config=font_config).pages
    figures = {"50", "55", "56", "101,82%", "112%"}
    placed = {
        box.text.strip(): (box.position_x, box.position_x + box.width, page.width)
        for page in pages
        for box in page._page_box.descendants()
        if getattr(box, "text", "").strip() in figures
    }
    assert set(placed) == figures
    assert all(left > 0 and right < width for left, right, width in placed.values()), placed


@pytest.mark.parametrize(
    ("plan", "result", "previous", "attainment", "trend", "remark"),
    [
        (
            -1.0,
            -3.0,
            2.0,
            None,
            None,
            (
                "TH/KH không tính được: kế hoạch âm (-1), tỷ lệ không có nghĩa; "
                "TH/TH không tính được: kết quả âm (-3), tỷ lệ không có nghĩa"
            ),
        ),
        (
            5.0,
            -3.0,
            2.0,
            None,
            None,
            (
                "TH/KH không tính được: kết quả âm (-3), tỷ lệ không có nghĩa; "
                "TH/TH không tính được: kết quả âm (-3), tỷ lệ không có nghĩa"
            ),
        ),
        (5.0, 6.0, -2.0, 120.0, None, "TH/TH không tính được: kết quả 2023 âm (-2), tỷ lệ không có nghĩa"),
        (0.0, 6.0, 3.0, None, 200.0, "TH/KH không tính được: kế hoạch bằng 0"),
        (4.0, 0.0, 2.0, 0.0, 0.0, ""),
    ],
)
def test_negative_figures_give_no_ratio_but_a_remark(plan, result, previous, attainment, trend, remark):
    row = _evaluated("Tốc độ tăng trưởng", plan, result, previous).iloc[0]
    for got, expected in ((row["attainment_pct"], attainment), (row["trend_pct"], trend)):
        assert (math.isnan(got) and expected is None) or got == pytest.approx(expected)
    assert row["remark"] == remark


def test_a_negative_plan_in_a_table_shows_no_attainment(tmp_path: Path):
    rows = [*HEADER, BODY[0], ["2", "Tốc độ tăng dân số", "0,5%", "-1%", "-3%", ""]]
    got = cli("evaluate", "--table", write(tmp_path / "t.txt", table_text(rows)), "--format", "csv")
    assert got.code == 0
    ev = pd.read_csv(__import__("io").StringIO(got.out))
    assert ev["attainment_pct"].isna().tolist() == [False, True]
    assert "kế hoạch âm (-1), tỷ lệ không có nghĩa" in ev["remark"].iloc[1]
    assert re.search(r"kết quả âm \(-3\)", ev["remark"].iloc[1])
