"""What a pack's fingerprint holds: the rows of the data its notebook declares, in the declared
scope, and nothing else (no kernel, no analysis)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from analysis import paths
from analysis.build.fingerprint import DataInputs
from analysis.build.notebook import read_notebook
from analysis.errors import DeclarationError
from factories import change_cell

FIXTURES = Path(__file__).parents[1] / "fixtures" / "notebooks"
SHIPPED = sorted(paths.NOTEBOOKS.glob("*.ipynb"))


@pytest.fixture
def data(tmp_path) -> Path:
    shutil.copytree(paths.DATA, tmp_path / "data", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return tmp_path / "data"


def inputs_of(name: str) -> dict[str, str]:
    inputs = read_notebook(paths.NOTEBOOKS / name).inputs
    assert isinstance(inputs, dict)
    return inputs


def components(data: Path, unit: str, notebook: str, memo: dict | None = None) -> dict:
    return DataInputs(data, package="p", memo=memo).components(inputs_of(notebook), unit)


def changed(before: dict, after: dict) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_notebook_declares_the_data_it_shows(path: Path):
    nb = read_notebook(path)
    assert isinstance(nb.parameters, dict) and isinstance(nb.inputs, dict) and nb.inputs


def test_a_district_pack_changes_with_its_own_rows_only(data):
    before = components(data, "bac-son", "00_briefing.ipynb")
    change_cell(data / "observations.csv", "value", "79001", unit="trang-dinh", indicator_id="tourist_visitors", year="2023", kind="result")  # fmt: skip
    commune_obs = data / "illustrative" / "commune_observations.csv"
    change_cell(commune_obs, "value", "1", unit="bac-son-vu-son", indicator_id="poverty_rate", year="2024", kind="result")  # fmt: skip
    assert components(data, "bac-son", "00_briefing.ipynb") == before  # another district; a commune's figures

    change_cell(data / "tasks.csv", "title", "Nhiệm vụ đã sửa", unit="bac-son", year="2024", task="1.2")
    assert changed(before, components(data, "bac-son", "00_briefing.ipynb")) == {"tasks"}


@pytest.mark.slow
def test_a_commune_pack_changes_with_its_own_rows_and_its_peers(data):
    unit, pack = "bac-son-nhat-hoa", "50_commune_pack.ipynb"
    commune_obs = data / "illustrative" / "commune_observations.csv"
    before = components(data, unit, pack)

    # Rows of units that are not its peers: a commune of another district, another district.
    change_cell(commune_obs, "value", "78.8", unit="trang-dinh-hung-son", indicator_id="village_cultural_houses", year="2024", kind="result")  # fmt: skip
    change_cell(data / "units.csv", "note", "ghi chú", unit="trang-dinh-hung-son")
    # A peer's fact: the pack shows its own facts only (declared ``unit``).
    change_cell(data / "commune_facts.csv", "text", "Sự kiện đã sửa", unit="bac-son-vu-son", topic="ocop_product")
    assert components(data, unit, pack) == before

    # A peer's figure (another commune of Bắc Sơn), the district's key task, its own fact.
    change_cell(commune_obs, "value", "1", unit="bac-son-vu-son", indicator_id="poverty_rate", year="2024", kind="result")  # fmt: skip
    after_peer = components(data, unit, pack)
    assert changed(before, after_peer) == {"commune_observations"}
    change_cell(data / "tasks.csv", "title", "Nhiệm vụ đã sửa", unit="bac-son", year="2024", task="1.2")
    after_district = components(data, unit, pack)
    assert changed(after_peer, after_district) == {"tasks"}
    change_cell(data / "commune_facts.csv", "text", "Sự kiện đã sửa", unit=unit, topic="ntm_target")
    assert changed(after_district, components(data, unit, pack)) == {"commune_facts"}


def test_a_roll_up_changes_with_the_rows_of_the_units_below_it(data):
    pack, commune_obs = "60_rollup.ipynb", data / "illustrative" / "commune_observations.csv"
    before = {u: components(data, u, pack) for u in ("lang-son", "bac-son", "trang-dinh")}

    # A Tràng Định commune's figure: Tràng Định's roll-up and the province's, not Bắc Sơn's.
    change_cell(commune_obs, "value", "78.8", unit="trang-dinh-hung-son", indicator_id="village_cultural_houses", year="2024", kind="result")  # fmt: skip
    after = {u: components(data, u, pack) for u in before}
    assert after["bac-son"] == before["bac-son"]
    assert changed(before["trang-dinh"], after["trang-dinh"]) == {"commune_observations"}
    assert changed(before["lang-son"], after["lang-son"]) == {"commune_observations"}

    # Bắc Sơn's own key task: its roll-up (which audits the district's own tables) and the province's.
    change_cell(data / "tasks.csv", "title", "Nhiệm vụ đã sửa", unit="bac-son", year="2024", task="1.2")
    again = {u: components(data, u, pack) for u in before}
    assert again["trang-dinh"] == after["trang-dinh"]
    assert changed(after["bac-son"], again["bac-son"]) == {"tasks"} == changed(after["lang-son"], again["lang-son"])


def test_the_groups_checked_together_are_those_the_readers_read():
    from analysis.build.fingerprint import GROUPS
    from analysis.io.datasets import COMMUNE_DATA, CURATED

    assert GROUPS == {"curated": CURATED, "commune_data": COMMUNE_DATA}


def test_rows_that_no_longer_agree_fail_every_pack_that_reads_them(data):
    # A fresh build of Bắc Sơn's packs fails when another district's rows disagree with each
    # other: every notebook reads the whole curated data (load_curated checks it), every
    # commune pack the whole commune data.
    packs = [
        ("bac-son", "60_rollup.ipynb"),
        ("bac-son", "00_briefing.ipynb"),
        ("bac-son-vu-le", "50_commune_pack.ipynb"),
    ]
    before = {p: components(data, *p) for p in packs}
    assert not any("errors" in c for c in before.values())

    with (data / "corrections.csv").open("a", encoding="utf-8") as f:  # a figure that is not there
        f.write("trang-dinh,2019,tourist_visitors,result,lượt,1,2,sửa thử,Phòng TC-KH,2024-12-05,CV số 1\n")
    after = {p: components(data, *p) for p in packs}
    for pack in packs:
        assert set(after[pack]["errors"]) == {"curated"}, pack
        assert "tourist_visitors" in after[pack]["errors"]["curated"] and "2019" in after[pack]["errors"]["curated"]

    commune_obs = data / "illustrative" / "commune_observations.csv"
    change_cell(commune_obs, "indicator_id", "no_such_indicator", unit="trang-dinh-hung-son", indicator_id="poverty_rate", year="2024", kind="result")  # fmt: skip
    vu_le = components(data, "bac-son-vu-le", "50_commune_pack.ipynb")
    assert set(vu_le["errors"]) == {"curated", "commune_data"}
    assert "no_such_indicator" in vu_le["errors"]["commune_data"]
    assert "commune_data" not in components(data, "bac-son", "00_briefing.ipynb")["errors"]  # it reads no commune data


def test_a_notebook_that_declares_nothing_depends_on_every_file(data):
    assert read_notebook(FIXTURES / "briefing.ipynb").inputs is None
    before = DataInputs(data, package="p").components(None, "doi-can")
    assert set(before) == {"files"} and "units.csv" in before["files"]
    (data / "new.csv").write_text("x\n", encoding="utf-8")
    assert DataInputs(data, package="p").components(None, "doi-can") != before


def notebook(tmp_path: Path, metadata: dict) -> Path:
    cells = [{"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": "year = 2024"}]
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": metadata}), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        (
            {"analysis": {"inputs": {"observation": "unit"}}},
            "metadata.analysis.inputs: unknown dataset 'observation' (did you mean 'observations'?)",
        ),
        (
            {"analysis": {"inputs": {"tasks": "peer"}}},
            "metadata.analysis.inputs.tasks: unknown scope 'peer' (did you mean 'peers'?)",
        ),
        ({"analysis": {"input": {"tasks": "unit"}}}, "metadata.analysis: unknown key 'input' (did you mean 'inputs'?)"),
        ({"analyses": {"inputs": {"tasks": "unit"}}}, "metadata: unknown key 'analyses' (did you mean 'analysis'?)"),
        ({"analysis": {"inputs": ["tasks"]}}, "metadata.analysis.inputs: a mapping of dataset names to scopes"),
        ({"analysis": {"inputs": {"raw": "unit"}}}, "metadata.analysis.inputs.raw: the raw files are not split"),
    ],
)
def test_a_wrong_declaration_is_an_error_naming_the_notebook_and_the_key(tmp_path, metadata, message):
    path = notebook(tmp_path, metadata)
    error = read_notebook(path).inputs
    assert isinstance(error, DeclarationError)
    assert str(error).startswith(f"{path}: ") and message in str(error)


def test_data_that_no_longer_reads_rebuilds_the_packs_that_declare_it(data):
    district, commune = components(data, "bac-son", "00_briefing.ipynb"), components(data, "bac-son-nhat-hoa", "50_commune_pack.ipynb")  # fmt: skip
    change_cell(data / "observations.csv", "value", "79 nghìn", unit="trang-dinh", indicator_id="tourist_visitors", year="2023", kind="result")  # fmt: skip
    after = components(data, "bac-son", "00_briefing.ipynb")
    assert changed(district, after) == {"errors"} and "observations.csv" in after["errors"]["observations"]
    # the commune pack shows no district figure, but reads the curated data whole (to find its
    # district's report), so a fresh build of it fails too
    after_commune = components(data, "bac-son-nhat-hoa", "50_commune_pack.ipynb")
    assert changed(commune, after_commune) == {"errors"} and set(after_commune["errors"]) == {"curated"}
    assert "observations.csv" in after_commune["errors"]["curated"]


def test_reads_are_checked_once_then_taken_from_the_manifest(data, monkeypatch):
    first = DataInputs(data, package="p")
    wanted = first.components(inputs_of("50_commune_pack.ipynb"), "bac-son-nhat-hoa")
    memo = json.loads(json.dumps(first.memo_out))  # as the manifest keeps it
    monkeypatch.setattr(DataInputs, "_read", lambda *a, **k: pytest.fail("read again"))
    monkeypatch.setattr(DataInputs, "_load", lambda *a, **k: pytest.fail("loaded again"))
    assert components(data, "bac-son-nhat-hoa", "50_commune_pack.ipynb", memo=memo) == wanted


def test_the_package_component_covers_every_layer_of_the_package(tmp_path, monkeypatch) -> None:
    """A change in analyses/ or io/ must rebuild packs, not only a change in build/."""
    import analysis
    from analysis.build import manifest

    root = Path(analysis.__file__).resolve().parent
    assert root == manifest.PACKAGE_ROOT
    assert {p.parent.name for p in root.rglob("*.py")} >= {"io", "analyses", "report", "build", "analysis"}
    before = manifest.package_digest()
    copy = tmp_path / "analysis"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(manifest, "PACKAGE_ROOT", copy)
    assert manifest.package_digest() == before
    (copy / "analyses" / "evaluate.py").write_text("# changed\n", encoding="utf-8")
    assert manifest.package_digest() != before


def test_a_pack_depends_on_the_rules_that_judge_its_indicators(tmp_path, monkeypatch) -> None:
    """The target grammar and the status words judge every indicator: editing them rebuilds."""
    from analysis import paths
    from analysis.build import manifest

    before = manifest.package_digest()
    shutil.copytree(paths.DATA, tmp_path / "data")
    monkeypatch.setattr(paths, "DATA", tmp_path / "data")
    assert manifest.package_digest() == before
    with (tmp_path / "data" / "status_words.csv").open("a", encoding="utf-8") as f:
        f.write("40,^tốt\\b,Đạt,false,Tốt,a verdict word of another province\n")
    assert manifest.package_digest() != before
