"""Parameters: defaults ← per-unit files, the run's units, notebook parameter checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import paths
from analysis.build.units import run_units
from analysis.errors import ParameterError
from analysis.params import (
    BUILD_KEYS,
    RUN_KEYS,
    check_notebook_parameters,
    declared_parameters,
    load_params,
    notebook_parameters,
    parse_report_date,
)

FIXTURE_NB = Path(__file__).parent / "fixtures" / "notebooks" / "briefing.ipynb"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def params_dir(tmp_path: Path) -> Path:
    root = tmp_path / "params"
    write(root / "defaults.yaml", "kernel_name: analysis\nreport_date: null\nthreshold: 5\n")
    write(
        root / "2024" / "units.yaml",
        "notebooks_by_level:\n  commune: [pack.ipynb]\n  district: [brief.ipynb]\n"
        "units:\n  - {unit: doi-can, level: commune, name: Đội Cấn}\n"
        "  - {unit: trang-dinh, level: district, notebooks: [a.ipynb, b.ipynb]}\n",
    )
    write(root / "2024" / "doi-can.yaml", "report_date: 2024-12-04\nthreshold: 7\n")
    return root


def test_unit_file_overrides_defaults(params_dir: Path) -> None:
    params = load_params(2024, "doi-can", params_dir=params_dir)
    assert params == {
        "kernel_name": "analysis",
        "report_date": "2024-12-04",
        "threshold": 7,
        "year": 2024,
        "unit": "doi-can",
        "pdf": "typst",  # the PDF route, always named (a pack's fingerprint follows it)
    }


@pytest.mark.parametrize(
    ("text", "named", "suggestion"),
    [
        ("reprot_date: 2024-12-04\n", "'reprot_date'", "did you mean 'report_date'?"),
        ("treshold: 3\n", "'treshold'", "did you mean 'threshold'?"),
        ("kernel: analysis\n", "'kernel'", "did you mean 'kernel_name'?"),
        ("zzz: 1\n", "'zzz'", ""),
    ],
)
def test_unknown_key_is_named_with_a_suggestion(params_dir: Path, text: str, named: str, suggestion: str) -> None:
    write(params_dir / "2024" / "doi-can.yaml", text)
    with pytest.raises(ParameterError, match=r"doi-can\.yaml: unknown parameter") as err:
        load_params(2024, "doi-can", params_dir=params_dir)
    assert named in str(err.value) and suggestion in str(err.value)


def test_names_a_notebook_declares_are_known(params_dir: Path) -> None:
    write(params_dir / "2024" / "doi-can.yaml", "unit_name: Đội Cấn\n")
    with pytest.raises(ParameterError, match="unit_name"):
        load_params(2024, "doi-can", params_dir=params_dir)
    params = load_params(2024, "doi-can", params_dir=params_dir, known=["unit_name"])
    assert params["unit_name"] == "Đội Cấn"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("year: 2023\n", "year comes from the file's place"),
        ("data_dir: /elsewhere\n", "data_dir comes from the build"),
        ("- a\n- b\n", "expected a mapping"),
        ("a: [1\n", "not valid YAML"),
        ("nested.key: 1\n", "not a valid name"),
        ("report_date: 31/11/2024\n", "report_date '31/11/2024' is not a date"),
        ("pdf: weasyprnt\n", "doi-can.yaml: pdf: unknown PDF route 'weasyprnt' .did you mean 'weasyprint'"),
    ],
)
def test_bad_unit_files(params_dir: Path, text: str, match: str) -> None:
    write(params_dir / "2024" / "doi-can.yaml", text)
    with pytest.raises(ParameterError, match=match):
        load_params(2024, "doi-can", params_dir=params_dir)


def test_missing_unit_file_names_its_path(params_dir: Path) -> None:
    with pytest.raises(ParameterError, match=r"2024[/\\]nhat-hoa.yaml: parameter file not found"):
        load_params(2024, "nhat-hoa", params_dir=params_dir)


def test_run_units_reads_the_list_and_the_notebooks_by_level(params_dir: Path) -> None:
    assert run_units(2024, params_dir=params_dir) == [
        # code: the unit's code in the registry's list of the year (data/registry/unit_codes.csv,
        # 2023 for a 2024 run: Tràng Định is 180); folder: its id (a run from params, not the registry)
        {
            "unit": "doi-can",
            "level": "commune",
            "name": "Đội Cấn",
            "notebooks": ["pack.ipynb"],
            "code": "",
            "folder": "doi-can",
        },
        {
            "unit": "trang-dinh",
            "level": "district",
            "name": "trang-dinh",
            "notebooks": ["a.ipynb", "b.ipynb"],
            "code": "180",
            "folder": "trang-dinh",
        },
    ]


@pytest.mark.parametrize(
    ("units", "match"),
    [
        ("units:\n  - {unit: x, level: village}\n", "level 'village' is not one of"),
        (
            "units:\n  - {unit: x, level: commune, notebook: [a.ipynb]}\n",
            "unknown key 'notebook' \\(did you mean 'notebooks'\\?\\)",
        ),
        ("units:\n  - {unit: x, level: province}\n", "no notebooks"),
        (
            (
                "units:\n  - {unit: x, level: commune, notebooks: [a.ipynb]}\n"
                "  - {unit: x, level: commune, notebooks: [a.ipynb]}\n"
            ),
            "listed twice",
        ),
        ("units: []\n", "non-empty list"),
        ("unit:\n  - {unit: x, level: commune}\n", "unknown key 'unit'"),
    ],
)
def test_run_units_errors(tmp_path: Path, units: str, match: str) -> None:
    write(tmp_path / "2024" / "units.yaml", units)
    with pytest.raises(ParameterError, match=match):
        run_units(2024, params_dir=tmp_path)


def test_declared_parameters_of_the_fixture_notebook() -> None:
    assert list(declared_parameters(FIXTURE_NB)) == ["year", "unit", "data_dir", "report_date", "unit_name"]


def test_check_notebook_parameters_names_unknown_keys() -> None:
    check_notebook_parameters(FIXTURE_NB, {"year": 2024, "unit": "x", "unit_name": "X"})
    with pytest.raises(
        ParameterError,
        match="unknown parameter 'unitname' "
        r"\(did you mean 'unit_name'\?\)",
    ):
        check_notebook_parameters(FIXTURE_NB, {"year": 2024, "unitname": "X"})


def test_a_notebook_must_declare_the_run_keys(tmp_path: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("year = 2024\nunit = 'x'", metadata={"tags": ["parameters"]})]
    )
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(ParameterError, match="must assign data_dir, report_date"):
        check_notebook_parameters(path, {})
    nb.cells[0].metadata = {}
    nbformat.write(nb, path)
    with pytest.raises(ParameterError, match="no code cell tagged 'parameters'"):
        declared_parameters(path)


def test_notebook_parameters_leave_out_build_keys() -> None:
    params = {"year": 2024, "unit": "x", "kernel_name": "analysis", "score_bands": [], "n": 1}
    assert notebook_parameters(params, ["year", "unit", "kernel_name", "n"]) == {"year": 2024, "unit": "x", "n": 1}
    assert "kernel_name" in BUILD_KEYS and set(RUN_KEYS) >= {"year", "unit", "report_date"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-12-04", (2024, 12, 4)),
        ("04/12/2024", (2024, 12, 4)),
        ("4/12/2024", (2024, 12, 4)),
        ("2024-12", (2024, 12, None)),
        ("12/2024", (2024, 12, None)),
        ("2024", (2024, None, None)),
        (None, None),
        ("", None),
    ],
)
def test_parse_report_date(value, expected) -> None:
    assert parse_report_date(value) == expected


@pytest.mark.parametrize("value", ["2024-13-01", "today", "04.12.2024", "2024/12/04"])
def test_parse_report_date_rejects(value) -> None:
    with pytest.raises(ValueError, match=r"expected YYYY-MM-DD|day is out of range|month must be"):
        parse_report_date(value)


def test_the_shipped_2024_parameters_load() -> None:
    """params/2024: every unit of the run has a valid file; its notebooks declare the run keys."""
    for item in run_units(2024):
        notebooks = [paths.NOTEBOOKS / n for n in item["notebooks"]]
        known = set()
        for nb in notebooks:
            if nb.is_file():
                known |= set(declared_parameters(nb))
                check_notebook_parameters(nb, {})
        params = load_params(2024, item["unit"], known=known)
        assert params["unit"] == item["unit"] and params["kernel_name"]
