"""Bad parameters: each is caught before any kernel starts, in one line naming the file, the
key and what was expected. In ``defaults.yaml`` it stops the run (exit 2); in a unit's own
file, that unit's packs fail by name and the run goes on (exit 1, the line in the summary
and the manifest)."""

from __future__ import annotations

import json

import pytest

from reliability.kit import UNIT, Project, cli, write

DEFAULTS = [
    (
        "targets:\n  far_beyond_factor: 'x'\n",
        "targets.far_beyond_factor: expected a number greater than 0, got 'x'",
    ),
    (
        "targets:\n  far_beyond_factor: '2.0'\n",
        "targets.far_beyond_factor: expected a number greater than 0, got '2.0'",
    ),
    (
        "targets:\n  far_beyond_factor: 0\n",
        "targets.far_beyond_factor: expected a number greater than 0, got 0",
    ),
    (
        "targets:\n  far_beyond_factr: 3\n",
        (
            "targets: unknown key 'far_beyond_factr' (did you mean 'far_beyond_factor'?); expected the keys "
            "far_beyond_factor, far_beyond_min_pct, far_beyond_min_points, projection_min_years, about_tolerance_pct"
        ),
    ),
    (
        "targets:\n  projection_min_years: 2.5\n",
        "targets.projection_min_years: expected a whole number of years, 3 or more, got 2.5",
    ),
    (
        "targets: many\n",
        "targets: expected a mapping with far_beyond_factor, far_beyond_min_pct, far_beyond_min_points, projection_min_years, about_tolerance_pct, got 'many'",
    ),
    (
        "execution_timeout: ten minutes\n",
        "execution_timeout: expected a number of seconds greater than 0, or null (no limit), got 'ten minutes'",
    ),
    (
        "execution_timeout: -5\n",
        "execution_timeout: expected a number of seconds greater than 0, or null (no limit), got -5",
    ),
    (
        "execution_timeout: 0\n",
        "execution_timeout: expected a number of seconds greater than 0, or null (no limit), got 0",
    ),
    (
        "execution_timeout: yes\n",
        "execution_timeout: expected a number of seconds greater than 0, or null (no limit), got True",
    ),
    ("execution_timout: 60\n", "unknown parameter 'execution_timout' (did you mean 'execution_timeout'?)"),
    (
        "kernel_name: analysys\n",
        "kernel_name: unknown Jupyter kernel 'analysys' (did you mean 'analysis'?); installed: {kernels}",
    ),
    (
        "kernel_name: 3\n",
        "kernel_name: expected the name of an installed Jupyter kernel (text), such as 'analysis', got 3",
    ),
    ("sources: 5\n", "sources: expected a text, a list of texts, or null, got 5"),
    ("title: ''\n", "title: expected a non-empty text or null, got ''"),
    (
        "score_bands:\n  - {min: 91, label: A}\n  - {min: x, label: B}\n",
        "score_bands[1].min: expected a number from 0 to 100, got 'x'",
    ),
    (
        "score_bands:\n  - {min: 120, label: A}\n  - {min: 0, label: B}\n",
        "score_bands[0].min: expected a number from 0 to 100, got 120",
    ),
    ("score_bands:\n  - {min: 0}\n", "score_bands[0].label: missing; expected a non-empty text"),
    (
        "score_bands:\n  - {min: 0, label: A, max: 9}\n",
        "score_bands[0]: unknown key 'max'; expected the keys min, label",
    ),
    ("score_bands: []\n", "score_bands: expected a non-empty list of {min, label} bands, got []"),
    (
        "score_bands:\n  - {min: 50, label: A}\n  - {min: 90, label: B}\n  - {min: 0, label: C}\n",
        (
            "score_bands[1] {'min': 90, 'label': 'B'}: unsorted: bands must go from the highest min to the lowest, "
            "but min 90 follows min 50"
        ),
    ),
    (
        "score_bands:\n  - {min: 50, label: A}\n",
        "score_bands: gap: scores from 0 to below 50 are in no band (the last band must have min: 0)",
    ),
    ("report_date: 31/11/2024\n", "report_date '31/11/2024' is not a date: day is out of range for month"),
    (
        "report_date: [2024]\n",
        "report_date: expected a date (YYYY-MM-DD, DD/MM/YYYY, YYYY-MM, MM/YYYY or YYYY) or null, got [2024]",
    ),
]


def _kernels() -> str:
    from analysis.build.param_checks import installed_kernels

    return ", ".join(sorted(installed_kernels()))


#: A valid defaults.yaml, one top-level key a line.
BASE = {
    "report_date": "report_date: null\n",
    "kernel_name": "kernel_name: analysis\n",
    "execution_timeout": "execution_timeout: 600\n",
    "title": "title: null\n",
    "sources": "sources: null\n",
    "score_bands": "score_bands:\n  - {min: 50, label: Tốt}\n  - {min: 0, label: Chưa tốt}\n",
    "targets": "targets:\n  far_beyond_factor: 2.0\n  far_beyond_min_pct: 10.0\n  projection_min_years: 3\n",
}


def defaults_with(text: str) -> str:
    """:data:`BASE` with the top-level keys of ``text`` given by ``text``."""
    keys = {line.split(":")[0] for line in text.splitlines() if line and not line.startswith(" ")}
    return "".join(v for k, v in BASE.items() if k not in keys) + text


@pytest.mark.parametrize(("text", "expected"), DEFAULTS)
def test_a_wrong_default_stops_the_run_before_any_kernel(project: Project, text: str, expected: str):
    path = write(project.params / "defaults.yaml", defaults_with(text))
    got = project.build()
    assert got.code == 2
    assert got.error_lines == [f"error: {path}: {expected.replace('{kernels}', _kernels())}"]
    assert not (project.reports / "2024" / UNIT).exists()


def test_the_base_defaults_build_plans(project: Project):
    write(project.params / "defaults.yaml", defaults_with(""))
    got = project.build("--unit", UNIT, "--workers", "1", "--engine", "no-such-engine")
    assert (got.code, got.error_lines[-1:]) == (2, ["error: --engine: unknown papermill engine 'no-such-engine'"])


UNIT_FILES = [
    (
        "execution_timeout: ten minutes\n",
        "execution_timeout: expected a number of seconds greater than 0, or null (no limit), got 'ten minutes'",
    ),
    (
        "execution_timeout: -1\n",
        "execution_timeout: expected a number of seconds greater than 0, or null (no limit), got -1",
    ),
    (
        "kernel_name: pyhton3\n",
        "kernel_name: unknown Jupyter kernel 'pyhton3' (did you mean 'python3'?); installed: {kernels}",
    ),
    ("reprot_date: 2024-12-04\n", "unknown parameter 'reprot_date' (did you mean 'report_date'?)"),
    ("targets:\n  far_beyond_factor: x\n", "targets.far_beyond_factor: expected a number greater than 0, got 'x'"),
    (
        "year: 2023\n",
        "year comes from the file's place (params/2024/bac-son-nhat-hoa.yaml) and may not be set in a parameter file",
    ),
    ("data_dir: /etc\n", "data_dir comes from the build (--data-dir) and may not be set in a parameter file"),
    # YAML reads 2024-13-04 as a date and its constructor fails: the file, the line and the key
    (
        "unit_name: Vũ Lễ\nreport_date: 2024-13-04\n",
        (
            "line 2, report_date: '2024-13-04' is not a calendar date (month must be in 1..12); "
            "expected a date such as 2024-12-04"
        ),
    ),
]


@pytest.mark.parametrize(("text", "expected"), UNIT_FILES)
def test_a_wrong_unit_parameter_fails_that_pack_by_name(project: Project, text: str, expected: str):
    path = write(project.params / "2024" / f"{UNIT}.yaml", text)
    got = project.build()
    message = f"{path}: {expected.replace('{kernels}', _kernels())}"
    assert got.code == 1
    assert f"{UNIT}  50_commune_pack  (parameters)  ParameterError: {message}" in got.out
    record = json.loads((project.reports / "2024" / "manifest.json").read_text(encoding="utf-8"))["packs"][0]
    assert (record["status"], record["error"]["step"], record["error"]["message"]) == ("failed", "parameters", message)
    assert not (project.reports / "2024" / UNIT / "50_commune_pack.ipynb").exists()  # no kernel ran


def test_the_shipped_defaults_declare_every_typed_parameter():
    from analysis import paths
    from analysis.param_schema import NAMES
    from analysis.params import load_defaults

    assert set(load_defaults(params_dir=paths.PARAMS)) >= NAMES


REGISTRY_RUNS = [
    (
        'registry:\n  province: "99"\n',
        (
            "registry: no province '99' in period '2025-07' of the registry (codes: 01, 04, 08, 11, 12, 14, 15, 19, 20, "
            "22, 24, 25, 31, 33, 37, 38, 40, 42, 44, 46, 48, 51, 52, 56, 66, 68, 75, 79, 80, 82, 86, 91, 92, 96)"
        ),
    ),
    (
        'registry:\n  provnce: "20"\n',
        "registry: expected a mapping with 'province' (a province's code, such as \"20\")",
    ),
    (
        'registry:\n  province: "20"\n  period: "2023"\n',
        "registry: unknown key 'period'",
    ),
    ("registry: 20\n", "registry: expected a mapping with 'province' (a province's code, such as \"20\")"),
]


@pytest.mark.parametrize(("text", "expected"), REGISTRY_RUNS)
def test_a_wrong_registry_run_is_refused_naming_the_key(tmp_path, text: str, expected: str):
    from analysis.build.units import run_units
    from analysis.errors import ParameterError

    path = write(
        tmp_path / "2026" / "units.yaml", text + "notebooks_by_level:\n  commune: [x.ipynb]\n  province: [x.ipynb]\n"
    )
    with pytest.raises(ParameterError) as info:
        run_units(2026, params_dir=tmp_path)
    assert str(info.value) == f"{path}: {expected}"


def test_a_code_that_names_no_unit_of_the_years_run_is_refused():
    # 06040 is Xã Đại Đồng in the 2023 list that a 2024 run names its units by: not in that run
    from analysis.build.units import run_units, select_units
    from analysis.errors import UnknownUnitError

    with pytest.raises(
        UnknownUnitError, match=r"--unit: unknown unit '06040'.* \(no unit of this year's run has code 06040"
    ):
        select_units(run_units(2024), ["06040"])


def test_a_year_without_a_run_lists_the_years_there_are(project: Project):
    write(project.params / "2026" / "units.yaml", "units: []\n")
    (project.params / "2019").mkdir()  # a folder with no units.yaml is not a run
    got = cli(
        "build", "--year", "2019", "--params-dir", project.params, "--data-dir", project.data,
        "--reports-dir", project.reports, "--no-progress",
    )  # fmt: skip
    assert got.code == 2
    assert got.error_lines == [
        (
            f"error: {project.params}/2019/units.yaml: no run for 2019: the years with a run are 2024, 2026 "
            f"(each a folder {project.params}/<year>/ with units.yaml)"
        )
    ]
    assert not project.reports.exists()


def test_a_form_for_a_year_without_figures_is_refused_not_written_empty(tmp_path):
    out = tmp_path / "bieu.xlsx"
    got = cli("template", "--unit", "trang-dinh", "--year", "1999", "--out", out)
    assert got.code == 2 and not out.exists()
    assert got.error_lines == [
        (
            "error: no figure of 1998 or 1999 for unit 'trang-dinh' (Tràng Định): its form for 1999 would be "
            "empty (no result of 1998, no plan of 1999); years with figures: 2021, 2022, 2023, 2024, 2025"
        )
    ]


def test_a_unit_code_of_no_curated_unit_says_where_to_look_it_up():
    # 99999 is no unit's code; 06046 (Xã Tràng Định since 01/07/2025) was Xã Đề Thám before it
    got = cli("evaluate", "--unit", "99999", "--year", "2024")
    assert (got.code, got.out) == (2, "")
    assert got.error_lines == [
        (
            "error: --unit 99999: no unit of the curated data has code 99999 in the registry's list of 2024 "
            "(period 2023) (python -m analysis lookup 99999 tells which unit the code is)"
        )
    ]
    got = cli("evaluate", "--unit", "06046", "--year", "2026")
    assert got.code == 2
    assert got.error_lines == [
        (
            "error: --unit 06046: no unit of the curated data has code 06046 in the registry's list of 2026 "
            "(period 2025-07); in other lists it names trang-dinh-de-tham (2023), trang-dinh-de-tham (2025-01) "
            "(python -m analysis lookup 06046 tells which unit the code is)"
        )
    ]
