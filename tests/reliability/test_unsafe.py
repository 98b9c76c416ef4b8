"""Unsafe inputs: unit ids used as paths, text that a spreadsheet would run as a formula,
YAML that expands without end. Each is refused in one line (exit 2) before any file of a unit
is read or written, or written so that nothing runs."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis.report.text import write_frame
from reliability.kit import BODY, HEADER, UNIT, Project, cli, table_text, write

SLUG = "is not a slug: expected lower-case letters and digits joined by single hyphens, such as 'trang-dinh-hung-son'"
NOTEBOOK = (
    "is not a notebook file name: expected a name such as '00_briefing.ipynb' (no folder), of a notebook in notebooks/"
)


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("{unit: '../../x', level: commune}", f"units[1]: unit id '../../x' {SLUG}"),
        ("{unit: '{elsewhere}', level: commune}", f"units[1]: unit id '{{elsewhere}}' {SLUG}"),
        ("{unit: '..', level: commune}", f"units[1]: unit id '..' {SLUG}"),
        ("{unit: 'a/b', level: commune}", f"units[1]: unit id 'a/b' {SLUG}"),
        ("{unit: 'Bac-Son', level: commune}", f"units[1]: unit id 'Bac-Son' {SLUG}"),
        ("{unit: 'bac_son', level: commune}", f"units[1]: unit id 'bac_son' {SLUG}"),
        ("{unit: 'bac--son', level: commune}", f"units[1]: unit id 'bac--son' {SLUG}"),
        ("{unit: 'bac-son ', level: commune}", f"units[1]: unit id 'bac-son ' {SLUG}"),
        ("{unit: 'bắc-sơn', level: commune}", f"units[1]: unit id 'bắc-sơn' {SLUG}"),
        ("{unit: 2024, level: commune}", f"units[1]: unit id 2024 {SLUG}"),
        (
            "{unit: bac-son-nhat-hao, level: commune}",
            (
                "units[1]: unknown unit 'bac-son-nhat-hao' (did you mean 'bac-son-nhat-hoa'?) "
                "(not in {data}/units.csv; python -m analysis units lists the units)"
            ),
        ),
        (
            "{unit: xa-moi, level: commune}",
            "units[1]: unknown unit 'xa-moi' (not in {data}/units.csv; python -m analysis units lists the units)",
        ),
        (
            f"{{unit: {UNIT}, level: commune, notebooks: ['../../x.ipynb']}}",
            f"units[1] ({UNIT}): notebooks: '../../x.ipynb' {NOTEBOOK}",
        ),
        (
            f"{{unit: {UNIT}, level: commune, notebooks: ['/etc/x.ipynb']}}",
            f"units[1] ({UNIT}): notebooks: '/etc/x.ipynb' {NOTEBOOK}",
        ),
        (
            f"{{unit: {UNIT}, level: commune, notebooks: [briefing.py]}}",
            f"units[1] ({UNIT}): notebooks: 'briefing.py' {NOTEBOOK}",
        ),
        (
            f"{{unit: {UNIT}, level: commune, notebooks: 7}}",
            f"units[1] ({UNIT}): notebooks: expected a list of notebook file names",
        ),
    ],
)
def test_a_unit_id_or_notebook_that_is_not_a_plain_name_touches_no_file(
    project: Project, tmp_path: Path, item: str, expected: str
):
    elsewhere = tmp_path / "elsewhere"
    item = item.replace("{elsewhere}", str(elsewhere))
    # what the climbed-to places hold: parameters to read, reports to delete
    write(project.root / "x.yaml", "report_date: 1999-01-01\n")
    write(project.root / "x" / "50_commune_pack.html", "<p>not ours</p>")
    write(elsewhere / "50_commune_pack.pdf", b"%PDF-1.7 not ours")
    write(project.params / "2024" / "units.yaml", f"units:\n  - {item}\n")
    before = project.outside_reports()

    got = project.build()

    assert got.code == 2
    message = expected.replace("{elsewhere}", str(elsewhere)).replace("{data}", str(project.data))
    assert got.error_lines == [f"error: {project.params / '2024' / 'units.yaml'}: {message}"]
    assert project.outside_reports() == before
    assert not [p for p in project.reports.rglob("*") if p.is_file() and p.name != ".build.lock"]


def test_a_unit_chosen_on_the_command_line_is_one_of_the_run(project: Project):
    got = project.build("--unit", "../../x")
    assert got.code == 2
    assert got.error_lines == [
        f"error: --unit: unknown unit '../../x'; the run of this year has: {UNIT}",
    ]


# -- formulas ------------------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://example.invalid/?q="&A1,"Bấm vào đây")',
    "=1+2",
    "+1+2",
    "-1+2",
    "@SUM(A1:A3)",
    "\t=1+2",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_text_that_starts_like_a_formula_is_a_plain_string_cell_in_a_workbook(tmp_path: Path, text: str):
    out = tmp_path / "out.xlsx"
    write_frame(pd.DataFrame({"indicator": [text, "Đạt"], "value": [-1.5, 2.0]}), out)
    sheet = openpyxl.load_workbook(out).active
    cell = sheet["A2"]
    assert (cell.value, cell.data_type) == (text, "s")  # shown as typed, never evaluated
    assert (sheet["A3"].value, sheet["B2"].value, sheet["B2"].data_type) == ("Đạt", -1.5, "n")


@pytest.mark.parametrize("text", [*FORMULAS, "\r=1+2"])
def test_text_that_starts_like_a_formula_gets_a_leading_quote_in_csv(tmp_path: Path, text: str):
    out = tmp_path / "out.csv"
    write_frame(pd.DataFrame({"indicator": [text, "Đạt"], "value": [-1.5, 2.0]}), out)
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [["indicator", "value"], ["'" + text, "-1.5"], ["Đạt", "2.0"]]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_an_indicator_named_like_a_formula_reaches_the_file_as_text(tmp_path: Path, suffix: str):
    name = '=HYPERLINK("http://example.invalid","Tỷ lệ hộ nghèo")'
    table = write(tmp_path / "t.txt", table_text([*HEADER, *BODY[:1], ["2", name, "5%", "4%", "3,5%", ""]]))
    out = tmp_path / f"out{suffix}"
    got = cli("evaluate", "--table", table, "--out", out)
    account = "t.txt: 2 row(s) in the table: 2 judged, 0 reported"
    assert (got.code, got.error_lines) == (0, [f"wrote 2 rows to {out}", account])
    if suffix == ".xlsx":
        book = openpyxl.load_workbook(out)  # a summary sheet, then one sheet per unit
        cell = next(c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value == name)
        assert cell.data_type == "s"
    else:
        assert pd.read_csv(out)["indicator"].tolist() == ["Thu nhập bình quân đầu người", "'" + name]


def test_csv_on_standard_output_is_neutralised_too(tmp_path: Path):
    table = write(tmp_path / "t.txt", table_text([*HEADER, ["1", "@SUM(A1)", "5%", "4%", "3,5%", ""]]))
    got = cli("evaluate", "--table", table, "--format", "csv")
    assert got.code == 0
    assert pd.read_csv(io.StringIO(got.out))["indicator"].tolist() == ["'@SUM(A1)"]


def test_ingest_out_dir_writes_no_formula_and_keeps_negative_numbers_numbers(tmp_path: Path):
    name = '=HYPERLINK("http://example.invalid","Tỷ lệ hộ nghèo")'
    rows = [*HEADER, *BODY[:1], ["2", name, "5%", "4%", "3,5%", ""], ["3", "@SUM(A1:A3)", "-3,5%", "-1%", "-2%", ""]]
    table = write(tmp_path / "t.txt", table_text(rows))
    got = cli("ingest", table, "--out-dir", tmp_path / "out")
    assert got.code == 0
    with (tmp_path / "out" / "catalogue.csv").open(encoding="utf-8", newline="") as f:
        names = [r["indicator"] for r in csv.DictReader(f)]
    assert names == ["Thu nhập bình quân đầu người", "'" + name, "'@SUM(A1:A3)"]
    with (tmp_path / "out" / "observations.csv").open(encoding="utf-8", newline="") as f:
        values = [r["value"] for r in csv.DictReader(f) if r["indicator_id"] == "tt03"]
    assert sorted(values) == ["-1", "-2", "-3.5"]  # numbers as numbers: no quote before a minus sign
    # the cell as written ("-3,5%") is a number too, left as it is
    assert "'-" not in (tmp_path / "out" / "observations.csv").read_text(encoding="utf-8")


def test_a_negative_number_stays_a_number_in_every_csv(tmp_path: Path):
    out = tmp_path / "out.csv"
    write_frame(
        pd.DataFrame({"indicator": ["Tăng trưởng", "-1+2"], "value": [-3.5, -1.0], "text": ["-3.5", "-2"]}), out
    )
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [["indicator", "value", "text"], ["Tăng trưởng", "-3.5", "-3.5"], ["'-1+2", "-1.0", "-2"]]


# -- YAML ----------------------------------------------------------------------------------

LAUGHS = "".join(
    f"{a}: &{a} [{', '.join([f'*{p}'] * 9) if p else ', '.join(['lol'] * 9)}]\n"
    for p, a in zip(["", *"abcdefgh"], "abcdefghi")
)


@pytest.mark.parametrize(
    ("file", "text", "expected"),
    [
        (
            "defaults.yaml",
            LAUGHS,
            "line 1: YAML anchor &a is not allowed in parameter files (no anchors or aliases): write the values out",
        ),
        (
            f"2024/{UNIT}.yaml",
            "report_date: &d 2024-12-04\ntitle: *d\n",
            "line 1: YAML anchor &d is not allowed in parameter files (no anchors or aliases): write the values out",
        ),
        (
            "2024/units.yaml",
            f"units:\n  - &u {{unit: {UNIT}, level: commune}}\n  - *u\n",
            "line 2: YAML anchor &u is not allowed in parameter files (no anchors or aliases): write the values out",
        ),
        (
            "defaults.yaml",
            "a: !!python/object/apply:os.system ['touch /tmp/pwned']\n",
            (
                "not valid YAML: line 1, column 4: could not determine a constructor for the tag "
                "'tag:yaml.org,2002:python/object/apply:os.system'"
            ),
        ),
        ("defaults.yaml", "kernel_name: analysis\nkernel_name: python3\n", "line 2: key 'kernel_name' is given twice"),
        (
            "defaults.yaml",
            "targets: {far_beyond_factor: [1, 2\n",
            "not valid YAML: line 2, column 1: did not find expected ',' or ']'",
        ),
        ("defaults.yaml", "- a\n- b\n", "expected a mapping of names to values, got list"),
        ("defaults.yaml", b"kernel_name: \xff\n", "not UTF-8 text (byte 0xff at offset 13)"),
        (
            "defaults.yaml",
            "x: " + "a" * (1 << 20) + "\n",
            "1048580 bytes; a parameter file holds at most 1048576 bytes",
        ),
    ],
)
def test_a_yaml_file_that_could_run_code_or_expand_is_refused_in_one_line(
    project: Project, file: str, text: str | bytes, expected: str
):
    write(project.params / file, text)
    got = project.build()
    path = project.params / file
    if file.startswith("2024/") and file != "2024/units.yaml":  # a unit's own file: that pack fails by name
        assert got.code == 1
        assert f"ParameterError: {path}: {expected}"[:100] in got.out
    else:
        assert got.code == 2
        assert got.error_lines == [f"error: {path}: {expected}"]
