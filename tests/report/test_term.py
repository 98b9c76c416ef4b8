"""Any congress term, not only 2021–2025: the packs speak of the term's final year."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.report.context import unit_context


def term_2030(tmp_path: Path) -> Path:
    """A copy of the data in which Tràng Định's indicators belong to the 2026–2030 term, their
    congress targets (NQ Đại hội) set for 2030: the same figures, another term."""
    data = tmp_path / "data"
    shutil.copytree(paths.DATA, data, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    cat = pd.read_csv(data / "indicators.csv", dtype=str, keep_default_na=False)
    mine = cat["unit"] == "trang-dinh"
    cat.loc[mine, "term_start"], cat.loc[mine, "term_end"] = "2026", "2030"
    cat.to_csv(data / "indicators.csv", index=False, lineterminator="\n")
    obs = pd.read_csv(data / "observations.csv", dtype=str, keep_default_na=False)
    targets = (obs["unit"] == "trang-dinh") & (obs["kind"] == "term_target")
    obs.loc[targets, "year"] = "2030"
    obs.to_csv(data / "observations.csv", index=False, lineterminator="\n")
    return data


def test_the_term_comes_from_the_data():
    assert unit_context("trang-dinh", 2024).term == (2021, 2025)


def test_another_term_is_the_one_the_context_gives(tmp_path: Path):
    ctx = unit_context("trang-dinh", 2024, data_dir=term_2030(tmp_path))
    assert ctx.term == (2026, 2030) and ctx.term_end == 2030
    assert set(ctx.gaps["term_end"]) == {2030}


@pytest.mark.parametrize("path", sorted(paths.NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_no_notebook_writes_a_term_year_of_its_own(path: Path):
    """Headings and titles take the term's final year from the context (the parameters cell
    may hold a default year)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            continue
        assert not re.search(r"\b20[2-3]\d\b", "".join(cell["source"])), f"{path.name}: {cell.get('id')}"


@pytest.mark.slow
def test_the_gap_pack_of_a_2030_term_says_2030(tmp_path: Path):
    from analysis.build.run import build

    params = tmp_path / "params"
    shutil.copytree(paths.PARAMS, params)
    (params / "2024" / "units.yaml").write_text(
        "units:\n  - unit: trang-dinh\n    level: district\n    notebooks: [00_briefing.ipynb, 30_gap_2025.ipynb]\n",
        encoding="utf-8",
    )
    summary = build(
        2024, data_dir=term_2030(tmp_path), params_dir=params, reports_dir=tmp_path / "reports", progress=False
    )
    assert summary.exit_code == 0, summary.format()
    gap = (summary.out_dir / "trang-dinh" / "30_gap_2025.html").read_text(encoding="utf-8")
    briefing = (summary.out_dir / "trang-dinh" / "00_briefing.html").read_text(encoding="utf-8")
    assert "Khoảng cách tới mục tiêu Nghị quyết Đại hội (đến năm 2030)" in gap
    assert "2. Khoảng cách tới mục tiêu năm 2030" in briefing
    for html in (gap, briefing):  # the body; the title block quotes the source's own title
        body = html[html.index("<main>") :]
        assert "mục tiêu năm 2025" not in body and "đến năm 2025" not in body
