"""Incremental builds on a copy of the shipped data: a pack is rebuilt when what it shows may
have changed, and only then."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.build.run import BuildSummary, build

DISTRICT = "bac-son"
COMMUNES = ["bac-son-tan-thanh", "bac-son-vu-son", "bac-son-tan-tri", "bac-son-nhat-hoa"]
UNITS = [DISTRICT, *COMMUNES]  # the district's two notebooks and four commune packs
CHANGED, INDICATOR = "bac-son-tan-tri", "budget_revenue"  # not one of the charted indicators


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
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    head = rows[0]
    hits = [
        r
        for r in rows[1:]
        if r[head.index("unit")] == unit
        and r[head.index("indicator_id")] == indicator
        and r[head.index("year")] == "2024"
        and r[head.index("kind")] == "result"
    ]
    assert len(hits) == 1
    hits[0][head.index("value")] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def standing(data: Path) -> tuple[dict[str, int], float]:
    """Rank (1 = best, higher is better) and median of the district's 2024 results of INDICATOR,
    straight from the CSV files."""
    units = pd.read_csv(data / "units.csv", dtype=str)
    obs = pd.read_csv(data / "illustrative" / "commune_observations.csv", dtype={"unit": str})
    obs = obs[
        obs["unit"].isin(units.loc[units["parent"] == DISTRICT, "unit"])
        & (obs["indicator_id"] == INDICATOR)
        & (obs["year"] == 2024)
        & (obs["kind"] == "result")
    ]
    values = obs.set_index("unit")["value"]
    return values.rank(ascending=False, method="min").astype(int).to_dict(), float(values.median())


def test_only_the_packs_whose_inputs_changed_are_built_again(workspace: Path):
    data = workspace / "data"
    first = run(workspace)
    everything = built(first)
    assert len(everything) == len(COMMUNES) + 2

    again = run(workspace)
    assert built(again) == set() and len(again.skipped) == len(everything)
    stamp = {p: p.stat().st_mtime_ns for p in (again.manifest_path, again.index_path)}

    # One commune's figure overtakes others: its pack, and the packs whose rank it moved.
    before, median = standing(data)
    set_result(data, CHANGED, INDICATOR, "1400")
    after, median_after = standing(data)
    assert median_after == median  # the data are such: no median moves
    moved = {u for u in before if before[u] != after[u]}
    expected = {f"{u}/50_commune_pack" for u in (moved | {CHANGED}) & set(COMMUNES)}
    assert 2 <= len(expected) < len(COMMUNES)  # some neighbours move, not all
    third = run(workspace)
    assert built(third) == expected
    assert all(p.stat().st_mtime_ns != t for p, t in stamp.items())  # index and manifest rewritten

    # A change that moves nobody else: that commune's pack only.
    set_result(data, CHANGED, INDICATOR, "1410")
    assert standing(data)[0] == after
    assert built(run(workspace)) == {f"{CHANGED}/50_commune_pack"}

    # Nothing changed: nothing built, index and manifest left as they are.
    stamp = {p: p.stat().st_mtime_ns for p in (again.manifest_path, again.index_path)}
    assert built(run(workspace)) == set()
    assert {p: p.stat().st_mtime_ns for p in stamp} == stamp

    # --force builds what it is given again.
    forced = build(
        2024, units=[COMMUNES[0]], data_dir=data, reports_dir=workspace / "reports", progress=False, force=True
    )
    assert built(forced) == {f"{COMMUNES[0]}/50_commune_pack"}


def test_a_pack_whose_outputs_were_touched_is_built_again(workspace: Path):
    run(workspace)  # whatever the previous test left, up to date now
    pdf = workspace / "reports" / "2024" / COMMUNES[1] / "50_commune_pack.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n")
    assert built(run(workspace)) == {f"{COMMUNES[1]}/50_commune_pack"}
