"""A build with nothing changed is known from the inputs' stamp, without planning (build/stamp)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.build import planner
from analysis.build.run import BuildSummary, build

NOTEBOOKS = Path(__file__).parents[1] / "fixtures" / "notebooks"
LONG_AGO = 1_700_000_000  # 2023: inputs last modified long before the build


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (LONG_AGO, LONG_AGO))


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    write(tmp_path / "params" / "defaults.yaml", "kernel_name: analysis\nexecution_timeout: 120\nreport_date: null\n")
    write(
        tmp_path / "params" / "2024" / "units.yaml",
        "notebooks_by_level:\n  commune: [briefing.ipynb]\nunits:\n  - {unit: doi-can, level: commune}\n",
    )
    write(tmp_path / "params" / "2024" / "doi-can.yaml", "report_date: 2024-12-04\n")
    write(tmp_path / "data" / "units.csv", "unit,name\ndoi-can,Đội Cấn\n")
    return tmp_path


def run(ws: Path) -> BuildSummary:
    summary = build(
        2024,
        params_dir=ws / "params",
        data_dir=ws / "data",
        notebooks_dir=NOTEBOOKS,
        reports_dir=ws / "reports",
        progress=False,
        workers=1,
    )
    assert summary.exit_code == 0, summary.format()
    return summary


def plans(monkeypatch) -> list[int]:
    """Count the planner's calls from now on."""
    calls: list[int] = []
    real = planner.plan_packs
    monkeypatch.setattr(planner, "plan_packs", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


@pytest.mark.slow
def test_nothing_changed_means_no_planning_and_nothing_written(ws: Path, monkeypatch):
    first = run(ws)
    assert [p.status for p in first.packs] == ["built"]
    written = {p: p.stat().st_mtime_ns for p in (first.manifest_path, first.index_path)}
    calls = plans(monkeypatch)
    again = run(ws)
    assert calls == [] and [p.status for p in again.packs] == ["up to date"]
    assert {p: p.stat().st_mtime_ns for p in written} == written

    # a data file touched (same bytes, another time): planned again, still up to date
    os.utime(ws / "data" / "units.csv", (LONG_AGO + 60, LONG_AGO + 60))
    assert [p.status for p in run(ws).packs] == ["up to date"] and calls == [1]
    run(ws)
    assert calls == [1]  # the new stamp was recorded: no planning again

    # an output gone: planned and built again
    (first.out_dir / "doi-can" / "briefing.pdf").unlink()
    assert [p.status for p in run(ws).packs] == ["built"] and calls == [1, 1]


@pytest.mark.slow
def test_a_file_modified_just_now_is_not_trusted(ws: Path, monkeypatch):
    run(ws)
    (ws / "params" / "2024" / "doi-can.yaml").write_text("report_date: 2024-12-04\n", encoding="utf-8")  # now
    calls = plans(monkeypatch)
    run(ws)
    run(ws)
    assert calls == [1, 1]  # within RACY_SECONDS of its change the stamp is not taken
