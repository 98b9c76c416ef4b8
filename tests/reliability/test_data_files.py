"""Bad or missing curated data files: each is one line naming the file (and row and column
when a cell is at fault) and what was expected, exit 2 — never read as "no data"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analysis import paths
from reliability.kit import Project, cli, write

HINT = "a data folder without {what} keeps {name}.csv with its header row only (data/README.md)"


@pytest.mark.parametrize(
    ("name", "what"),
    [("tasks", "key tasks"), ("subtargets", "sub-targets")],
)
@pytest.mark.parametrize("command", [["evaluate", "--unit", "trang-dinh"], ["tasks", "--unit", "bac-son"], ["units"]])
def test_a_missing_tasks_file_is_an_error_not_no_tasks(project: Project, name: str, what: str, command: list[str]):
    (project.data / f"{name}.csv").unlink()
    got = cli(*command, "--data-dir", project.data)
    assert got.code == 2
    assert got.error_lines == [
        f"error: {project.data / f'{name}.csv'}: file not found (dataset {name!r}); "
        + HINT.format(what=what, name=name)
    ]


def test_a_tasks_file_with_its_header_only_means_no_tasks(project: Project):
    for name in ("tasks", "subtargets"):
        path = project.data / f"{name}.csv"
        write(path, path.read_text(encoding="utf-8").splitlines()[0] + "\n")
    got = cli("tasks", "--unit", "bac-son", "--data-dir", project.data)
    assert (got.code, got.error_lines) == (2, ["error: no scored key tasks for unit 'bac-son' (Bắc Sơn)"])
    assert cli("evaluate", "--unit", "trang-dinh", "--data-dir", project.data).code == 0


@pytest.mark.parametrize(
    ("file", "edit", "expected"),
    [
        ("units.csv", None, "{path}: file not found (dataset 'units')"),
        ("observations.csv", None, "{path}: file not found (dataset 'observations')"),
        (
            "observations.csv",
            ("trang-dinh,tourist_visitors,2023,result,79000,", 'trang-dinh,tourist_visitors,2023,result,"79.000,5",'),
            "{path}: row 2, column 'value': '79.000,5' is not a number (machine format expected: 1231.69, not 1.231,69)",
        ),
        (
            "units.csv",
            ("bac-son,Bắc Sơn,district,", "bac-son,Bắc Sơn,huyen,"),
            "{path}: row 4, column 'level': 'huyen' is not one of commune, district, province, town",
        ),
        (
            "indicators.csv",
            ("trang-dinh,tourist_visitors,", "trang-dinh-x,tourist_visitors,"),
            "{path}: row 2, column 'unit': 'trang-dinh-x' is not a unit of units.csv",
        ),
    ],
)
def test_a_bad_data_file_is_one_line_naming_the_cell(project: Project, file: str, edit, expected: str):
    path = project.data / file
    if edit is None:
        path.unlink()
    else:
        text = path.read_text(encoding="utf-8")
        assert edit[0] in text, edit[0]
        write(path, text.replace(edit[0], edit[1], 1))
    got = cli("evaluate", "--unit", "trang-dinh", "--data-dir", project.data)
    assert got.code == 2
    assert got.error_lines == [f"error: {expected.format(path=path)}"]


def test_a_missing_units_file_stops_the_build_before_any_file_is_written(project: Project):
    (project.data / "units.csv").unlink()
    got = project.build()
    assert got.code == 2
    assert got.error_lines == [
        (
            f"error: {project.data / 'units.csv'}: file not found: the unit ids of a run are checked against it "
            "(give --data-dir)"
        )
    ]
    assert [p.name for p in project.reports.rglob("*") if p.is_file()] == [".build.lock"]


@pytest.mark.parametrize(
    ("file", "edit", "expected"),
    [
        ("units.csv", None, "{path}: file not found (the unit registry; tools/registry_snapshot.py writes it)"),
        (
            "units.csv",
            ("2023,20,province,tỉnh,Tỉnh Lạng Sơn,", "2023,020,province,tỉnh,Tỉnh Lạng Sơn,"),
            "{path}: row 2, column 'code': '020' expected 2 digits for a province",
        ),
        (
            "units.csv",
            ("2023,20,province,tỉnh,Tỉnh Lạng Sơn,", "2020,20,province,tỉnh,Tỉnh Lạng Sơn,"),
            "{path}: row 2, column 'period': '2020' is not a period of periods.csv (2023, 2025-01, 2025-07)",
        ),
        (
            "units.csv",
            ("2023,20,province,tỉnh,", "2023,20,province,huyện,"),
            "{path}: row 2, column 'type': 'huyện' is not a type of province (thành phố, tỉnh)",
        ),
        (
            "units.csv",
            (
                "2023,178,district,thành phố,Thành phố Lạng Sơn,Lạng Sơn,20,",
                "2023,178,district,thành phố,Thành phố Lạng Sơn,Lạng Sơn,21,",
            ),
            "{path}: row 3, column 'parent_code': '21' is not a province of period 2023",
        ),
        (
            "lineage.csv",
            ("commune,2025-01,06040,2025-07,06040,", "commune,2025-01,06040,2025-07,99999,"),
            "{path}: row {row}, column 'to_code': '99999' is not a unit of period 2025-07 in units.csv",
        ),
        (
            "lineage.csv",
            (
                "commune,2025-01,06040,2025-07,06040,merge,2025-07-01,1672/NQ-UBTVQH15",
                "commune,2025-01,06040,2025-07,06040,merge,2025-07-01,1672/NQ",
            ),
            "{path}: row {row}, column 'legal_source': '1672/NQ' is not an act of acts.csv",
        ),
    ],
)
def test_a_bad_registry_file_is_one_line_naming_the_cell(project: Project, file: str, edit, expected: str):
    path = project.data / "registry" / file
    row = 0
    if edit is None:
        path.unlink()
    else:
        text = path.read_text(encoding="utf-8")
        assert edit[0] in text, edit[0]
        row = text[: text.index(edit[0])].count("\n") + 1
        write(path, text.replace(edit[0], edit[1], 1))
    got = cli("lookup", "Thất Khê", "--data-dir", project.data)
    assert got.code == 2
    assert got.error_lines == [f"error: {expected.format(path=path, row=row)}"]


def test_a_duplicate_unit_of_a_period_is_refused(project: Project):
    path = project.data / "registry" / "units.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    write(path, "".join([*lines[:3], lines[2], *lines[3:]]))
    got = cli("lookup", "--province", "20", "--data-dir", project.data)
    assert got.error_lines == [f"error: {path}: row 4, column 'code': '178' appears twice as a district of period 2023"]
    assert got.code == 2


SNAPSHOT_TOOL = paths.ROOT / "tools" / "registry_snapshot.py"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("sonoivu-sonla-926190; tinhthanhvn-readme", "sonoivu-sonla; tinhthanhvn-readme"),
            (
                "row {row}, column 'number_sources': 'sonoivu-sonla; tinhthanhvn-readme' names 'sonoivu-sonla', "
                "which is not a row (file) of {sources}"
            ),
        ),
        (
            ("14,1681/NQ-UBTVQH15,", "14,1681/NQ,"),
            (
                "row {row}, column 'act': '1681/NQ' expected a Standing Committee resolution number such as "
                "1672/NQ-UBTVQH15"
            ),
        ),
        (
            ("15,1673/NQ-UBTVQH15,", "14,1673/NQ-UBTVQH15,"),
            "row {row}, column 'province_code': '14' is given twice: one resolution per province",
        ),
    ],
)
def test_a_bad_curated_act_stops_the_snapshot_tool_before_it_reads_a_package(
    project: Project, tmp_path: Path, edit, expected: str
):
    """data/registry/acts_sources.csv (the resolutions read in named sources) spoilt: the tool
    refuses it in one line, exit 2, and writes nothing."""
    path, sources = project.data / "registry" / "acts_sources.csv", project.data / "sources.csv"
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text, edit[0]
    row = text[: text.index(edit[0])].count("\n") + 1
    write(path, text.replace(edit[0], edit[1], 1))
    out = tmp_path / "snapshot"
    args = [str(SNAPSHOT_TOOL), str(tmp_path / "no-wheels"), "--out", str(out), "--acts", str(path)]
    got = subprocess.run([sys.executable, *args, "--sources", str(sources)], capture_output=True, text=True)
    assert got.returncode == 2
    assert got.stderr.splitlines() == [f"error: {path}: " + expected.format(row=row, sources=sources)]
    assert not out.exists()
