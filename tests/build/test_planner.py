"""Planning and incremental builds on a copy of the shipped data: a pack is rebuilt when the
rows its notebook declares change, and only then; planning reads each notebook once."""

from __future__ import annotations

import builtins
import io
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from analysis import paths
from analysis.build.planner import plan_packs
from analysis.build.run import BuildSummary, build
from factories import change_cell

pytestmark = pytest.mark.slow  # every test builds packs in Jupyter kernels

DISTRICT = "bac-son"
COMMUNES = ["bac-son-tan-thanh", "bac-son-vu-son", "bac-son-tan-tri", "bac-son-nhat-hoa"]
UNITS = [DISTRICT, *COMMUNES]  # the district's three notebooks and four commune packs


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("incremental")
    shutil.copytree(paths.DATA, root / "data", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


def run(ws: Path, **kw) -> BuildSummary:
    summary = build(2024, units=UNITS, data_dir=ws / "data", reports_dir=ws / "reports", progress=False, **kw)
    assert summary.exit_code == 0, summary.format()
    return summary


def built(summary: BuildSummary) -> set[str]:
    return {f"{p.unit}/{p.notebook}" for p in summary.built}


def set_result(data: Path, unit: str, indicator: str, value: str) -> None:
    """Change one 2024 result in the commune observations, leaving every other byte as is."""
    path = data / "illustrative" / "commune_observations.csv"
    change_cell(path, "value", value, unit=unit, indicator_id=indicator, year="2024", kind="result")


def test_only_the_packs_whose_declared_rows_changed_are_built_again(workspace: Path):
    data = workspace / "data"
    first = run(workspace)
    everything = built(first)
    assert everything == {"bac-son/00_briefing", "bac-son/40_key_tasks", "bac-son/60_rollup"} | {
        f"{u}/50_commune_pack" for u in COMMUNES
    }

    again = run(workspace)
    assert built(again) == set() and len(again.skipped) == len(everything)
    stamp = {p: p.stat().st_mtime_ns for p in (again.manifest_path, again.index_path)}

    # One commune's figure: the commune pack declares its peers' figures (every commune of
    # Bắc Sơn), the district's roll-up every commune's; its briefings no commune figures.
    set_result(data, "bac-son-tan-tri", "budget_revenue", "1400")
    third = run(workspace)
    assert built(third) == {f"{u}/50_commune_pack" for u in COMMUNES} | {"bac-son/60_rollup"}
    assert all(p.stat().st_mtime_ns != t for p, t in stamp.items())  # index and manifest rewritten

    # A figure of a commune of another district: no pack of this run shows it (the district's
    # roll-up declares the rows of the units below it).
    set_result(data, "trang-dinh-hung-son", "budget_revenue", "1400")
    assert built(run(workspace)) == set()

    # One commune's own fact (declared ``unit``): that commune's pack only.
    change_cell(data / "commune_facts.csv", "text", "Sự kiện đã sửa", unit="bac-son-vu-son", topic="ocop_product")
    assert built(run(workspace)) == {"bac-son-vu-son/50_commune_pack"}

    # Nothing changed: nothing built, index and manifest left as they are.
    stamp = {p: p.stat().st_mtime_ns for p in (again.manifest_path, again.index_path)}
    assert built(run(workspace)) == set()
    assert {p: p.stat().st_mtime_ns for p in stamp} == stamp

    # --force builds what it is given again.
    forced = build(
        2024, units=[COMMUNES[0]], data_dir=data, reports_dir=workspace / "reports", progress=False, force=True
    )
    assert built(forced) == {f"{COMMUNES[0]}/50_commune_pack"}

    # The manifest records each pack's data: a digest per declared dataset.
    manifest = json.loads(again.manifest_path.read_text(encoding="utf-8"))
    record = next(p for p in manifest["packs"] if p["unit"] == COMMUNES[0])
    assert set(record["components"]["data"]) == {
        "commune_facts",
        "commune_indicators",
        "commune_observations",
        "corrections",
        "raw",
        "received_commune_observations",
        "sources",
        "subtargets",
        "tasks",
        "unit_events",
        "units",
    }


def test_a_pack_whose_outputs_were_touched_is_built_again(workspace: Path):
    run(workspace)  # whatever the previous test left, up to date now
    pdf = workspace / "reports" / "2024" / COMMUNES[1] / "50_commune_pack.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n")
    assert built(run(workspace)) == {f"{COMMUNES[1]}/50_commune_pack"}


def test_planning_reads_each_notebook_once(tmp_path, monkeypatch):
    opened: Counter[str] = Counter()
    real_open = io.open

    def counting_open(file, *args, **kwargs):
        if str(file).endswith(".ipynb"):
            opened[Path(file).name] += 1
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", counting_open)
    monkeypatch.setattr(builtins, "open", counting_open)
    plan = plan_packs(2024, out_dir=tmp_path / "reports")
    monkeypatch.undo()
    assert dict(opened) == {p.name: 1 for p in paths.NOTEBOOKS.glob("*.ipynb")}
    assert len(plan.tasks) == 33 and not plan.done  # the province roll-up, 8 district notebooks, 24 commune packs


def test_a_misspelled_input_fails_that_notebook_by_name(tmp_path):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS, notebooks)
    path = notebooks / "20_trend.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["metadata"]["analysis"]["inputs"]["observation"] = nb["metadata"]["analysis"]["inputs"].pop("observations")
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    plan = plan_packs(2024, units=["trang-dinh"], notebooks_dir=notebooks, out_dir=tmp_path / "reports")
    assert list(plan.done) == [("trang-dinh", "20_trend")]
    failure = plan.done[("trang-dinh", "20_trend")].failure
    assert failure is not None and failure.step == "inputs"
    assert str(path) in failure.message and "'observation' (did you mean 'observations'?)" in failure.message
    assert sorted(t["notebook"] for t in plan.tasks) == ["00_briefing", "10_attainment", "30_gap_2025", "60_rollup"]
