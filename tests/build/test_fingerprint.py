"""What a pack's fingerprint holds: the rows it uses, the views it shows, nothing else (no kernel)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from analysis import paths
from analysis.build.fingerprint import DataIndex, notebook_reads

NOTEBOOKS = Path(__file__).parents[1] / "fixtures" / "notebooks"


@pytest.mark.parametrize(
    ("name", "reads"),
    [
        ("00_briefing.ipynb", {"unit_context"}),
        ("10_attainment.ipynb", {"unit_context"}),
        ("20_trend.ipynb", {"unit_context"}),
        ("30_gap_2025.ipynb", {"unit_context"}),
        ("40_key_tasks.ipynb", {"unit_context"}),
        ("50_commune_pack.ipynb", {"commune_context"}),
    ],
)
def test_the_shipped_notebooks_reach_the_data_through_a_context(name, reads):
    assert notebook_reads(paths.NOTEBOOKS / name) == reads


def notebook(tmp_path: Path, code: str) -> Path:
    path = tmp_path / "n.ipynb"
    path.write_text(
        json.dumps(
            {
                "cells": [
                    {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": "data_dir = None"},
                    {"cell_type": "code", "metadata": {}, "source": code},
                ]
            }
        ),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "code",
    [
        "from pathlib import Path\nfiles = list(Path(data_dir).iterdir())",  # the data folder itself
        "ctx = unit_context(unit, year, data_dir=data_dir)\nprint(data_dir)",  # data_dir used elsewhere
        "ctx = unit_context(unit, year)",  # the project's data
        "ctx = unit_context(unit, year, data_dir=data_dir + '/x')",
        "this is not python",
    ],
)
def test_any_other_use_of_the_data_means_every_file(tmp_path, code):
    assert notebook_reads(notebook(tmp_path, code)) == {"data_dir"}
    assert notebook_reads(NOTEBOOKS / "briefing.ipynb") == {"data_dir"}


@pytest.fixture
def data(tmp_path) -> Path:
    shutil.copytree(paths.DATA, tmp_path / "data", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return tmp_path / "data"


def components(data: Path, unit: str, rules: set[str], memo: dict | None = None) -> dict:
    return DataIndex(data, package="p", year=2024, memo=memo).components(rules, unit)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_district_pack_depends_on_its_own_rows(data):
    before = components(data, "bac-son", {"unit_context"})
    edit(
        data / "observations.csv",
        "trang-dinh,tourist_visitors,2023,result,79000",
        "trang-dinh,tourist_visitors,2023,result,79001",
    )  # another district
    assert components(data, "bac-son", {"unit_context"}) == before
    edit(data / "tasks.csv", "bac-son,2024,1.2,", "bac-son,2024,1.2 ,")  # its own task
    assert components(data, "bac-son", {"unit_context"}) != before


def test_a_commune_pack_depends_on_what_it_shows_of_its_district(data):
    obs = data / "illustrative" / "commune_observations.csv"
    unit, other = "bac-son-nhat-hoa", "bac-son-vu-son"
    before = components(data, unit, {"commune_context"})
    elsewhere = next(
        line
        for line in obs.read_text(encoding="utf-8").splitlines()
        if line.startswith("trang-dinh-hung-son,village_cultural_houses,2024,result,")
    )
    edit(obs, elsewhere, elsewhere.replace(",result,", ",result,1", 1))  # another district
    assert components(data, unit, {"commune_context"}) == before
    # Another commune's figure of a charted indicator: a bar of this pack's chart moves.
    line = next(
        line
        for line in obs.read_text(encoding="utf-8").splitlines()
        if line.startswith(f"{other},poverty_rate,2024,result,")
    )
    value = line.split(",")[4]
    edit(obs, line, line.replace(f",result,{value},", f",result,{float(value) + 0.01:g},", 1))
    after = components(data, unit, {"commune_context"})
    assert after != before
    assert after["commune_context"]["comparison_shown"] != before["commune_context"]["comparison_shown"]
    assert after["commune_context"]["commune_observations"] == before["commune_context"]["commune_observations"]


def test_data_that_no_longer_validates_rebuilds_the_packs_that_read_it(data):
    before = components(data, "bac-son", {"unit_context"})
    edit(
        data / "observations.csv",
        "trang-dinh,tourist_visitors,2023,result,79000",
        "trang-dinh,tourist_visitors,2023,result,79 nghìn",
    )
    after = components(data, "bac-son", {"unit_context"})
    assert "observations.csv" in after["reader_errors"]["curated"] and after != before


def test_views_are_computed_once_then_taken_from_the_manifest(data, monkeypatch):
    first = DataIndex(data, package="p", year=2024)
    wanted = first.components({"commune_context"}, "bac-son-nhat-hoa")
    memo = json.loads(json.dumps(first.memo_out))  # as the manifest keeps it
    for name in ("_comparison", "_facts", "_check"):
        monkeypatch.setattr(DataIndex, name, lambda *a, **k: pytest.fail("recomputed"))
    assert components(data, "bac-son-nhat-hoa", {"commune_context"}, memo=memo) == wanted


def test_any_change_under_the_data_folder_counts_for_other_notebooks(data):
    before = components(data, "doi-can", {"data_dir"})
    (data / "new.csv").write_text("x\n", encoding="utf-8")
    assert components(data, "doi-can", {"data_dir"}) != before


def test_a_pack_depends_on_the_rules_that_judge_its_indicators(data, monkeypatch):
    monkeypatch.setattr(paths, "DATA", data)  # the project's rule files, here the copy
    before = components(data, "trang-dinh", {"unit_context"})
    with (data / "status_words.csv").open("a", encoding="utf-8") as f:
        f.write("40,^tốt\\b,Đạt,false,Tốt,a verdict word of another province\n")
    after = components(data, "trang-dinh", {"unit_context"})
    assert after["unit_context"]["rules"]["status_words"] != before["unit_context"]["rules"]["status_words"]
    assert after["unit_context"]["rules"]["target_grammar"] == before["unit_context"]["rules"]["target_grammar"]
    assert (
        components(data, "trang-dinh-hung-son", {"commune_context"})["commune_context"]["rules"]
        == after["unit_context"]["rules"]
    )
