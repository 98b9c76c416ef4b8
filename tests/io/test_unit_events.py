"""unit_events.csv and sources.csv: the shipped arrangement, and errors that name file, row and column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.errors import DataValidationError
from analysis.io.datasets import load_curated, read_dataset


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the shipped curated data (without the illustrative folder)."""
    out = tmp_path / "data"
    shutil.copytree(paths.DATA, out, ignore=shutil.ignore_patterns("raw", "illustrative", "*.py"))
    return out


def edit(path: Path, row: int, column: str, value: str) -> None:
    """Set a cell of a CSV file (``row`` counts the header as row 1)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[row - 2, column] = value
    df.to_csv(path, index=False)


def test_the_shipped_arrangement_of_01_12_2024(curated):
    ev = curated.unit_events.set_index("event")
    assert ev.loc["td-2024-1", ["kind", "from_unit", "to_unit"]].tolist() == [
        "merge",
        "trang-dinh-vinh-tien",
        "trang-dinh-khanh-long",
    ]
    assert ev.loc["td-2024-1", ["area_km2", "population", "to_area_km2_after", "to_population_after"]].tolist() == [
        29.64,
        636,
        75.2,
        1520,
    ]
    split = ev.loc["td-2024-2"]
    assert (split["kind"], split["from_unit"], split["to_unit"]) == (
        "partial_transfer",
        "trang-dinh-dai-dong",
        "trang-dinh-that-khe",
    )
    assert (split["area_km2"], split["population"], split["to_population_after"]) == (18.61, 8527, 13776)
    assert ev.loc["td-2024-3", ["from_unit", "to_unit", "to_population_after"]].tolist() == [
        "trang-dinh-dai-dong",
        "trang-dinh-doi-can",
        1333,
    ]
    assert set(ev.loc[["td-2024-1", "td-2024-2", "td-2024-3"], "date"]) == {"2024-12-01"}
    levels = ev[ev["kind"] == "dissolve_level"]
    assert sorted(levels["from_unit"]) == ["bac-son", "trang-dinh"] and set(levels["date"]) == {"2025-07-01"}
    assert all("202/2025/QH15" in s and "1672/NQ-UBTVQH15" in s for s in levels["legal_source"])
    units = curated.units.set_index("unit")
    assert units.loc[["trang-dinh-vinh-tien", "trang-dinh-dai-dong"], "valid_to"].tolist() == [2024, 2024]
    assert units.loc["trang-dinh-khanh-long", "name"] == "Khánh Long"
    sources = read_dataset("sources").set_index("file")
    for ids in ev["source"]:
        for ref in ids.split(";"):
            assert ref.strip().split(":")[0] in sources.index
    assert sources.loc["vov-2024-11-03", "url"].startswith("https://vov.gov.vn/")


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (2, "date", "01/12/2024", r"unit_events.csv: row 2, column 'date': '01/12/2024' is not a date"),
        (2, "kind", "absorb", r"unit_events.csv: row 2, column 'kind': 'absorb' is not one of"),
        (3, "to_unit", "trang-dinh-nowhere", r"row 3, column 'to_unit': 'trang-dinh-nowhere' is not a unit"),
        (3, "population", "", r"row 3, column 'population': '' is empty: a partial transfer gives the population"),
        (3, "population_share", "1.5", r"row 3, column 'population_share': '1.5' is not between 0 and 1"),
        (2, "population", "6,36", r"row 2, column 'population': '6,36' is not a number"),
        (2, "source", "vov-2099", r"row 2, column 'source': 'vov-2099' names 'vov-2099', which is not a row"),
        (2, "event", "td-2024-2", r"unit_events.csv: row 3: duplicate key event='td-2024-2'"),
    ],
)
def test_bad_events_are_refused_naming_file_row_and_column(data_dir, row, column, value, message):
    edit(data_dir / "unit_events.csv", row, column, value)
    with pytest.raises(DataValidationError, match=message):
        load_curated(data_dir)


def test_an_ended_unit_must_end_in_units_csv(data_dir):
    units = read_dataset("units", data_dir)
    row = int((units["unit"] == "trang-dinh-vinh-tien").to_numpy().nonzero()[0][0]) + 2
    edit(data_dir / "units.csv", row, "valid_to", "")
    with pytest.raises(DataValidationError, match=r"row 2, column 'from_unit'.*valid_to in units.csv must be 2024"):
        load_curated(data_dir)


def test_events_and_corrections_may_be_absent(data_dir):
    (data_dir / "unit_events.csv").unlink()
    (data_dir / "corrections.csv").unlink()
    curated = load_curated(data_dir)
    assert curated.unit_events.empty and curated.corrections.empty
