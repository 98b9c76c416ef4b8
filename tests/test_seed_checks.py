"""Every worked check of domain.md for seed 000, from the curated data AND from the raw
file, and a table of our own making evaluated and audited with no change to code."""

from __future__ import annotations

import pytest

from analysis.analyses.audit import audit, findings
from analysis.analyses.evaluate import evaluate, headline
from analysis.analyses.targets import term_gaps
from analysis.io.datasets import overlay_curated
from analysis.io.ingest import read_table
from analysis.io.schema import Status
from conftest import FIXTURES, SEED_TABLE


@pytest.fixture(scope="module", params=["curated", "raw"])
def seed(request, curated):
    """(observations, catalogue) of Tràng Định 2024, from data/*.csv or from the raw table
    (read with the unit's curated catalogue and its curation overlay)."""
    if request.param == "curated":
        return curated.observations, curated.indicators
    result = read_table(SEED_TABLE, unit="trang-dinh", catalogue=curated.indicators)
    return overlay_curated(result.observations, curated.observations, unit="trang-dinh"), result.catalogue


def test_six_not_achieved(seed):
    ev = evaluate(*seed, unit="trang-dinh", year=2024)
    # estimates: the table's headline opens "Dự kiến năm 2024"
    assert set(ev.loc[ev["status"] == Status.EXPECTED_NOT_ACHIEVED, "tt"]) == {5, 17, 18, 19, 21, 23}
    assert headline(ev).count_text == "06/26"
    assert headline(ev).sentence.startswith("Dự kiến năm 2024: 06/26 chỉ tiêu không đạt")


def test_published_percentages_agree_but_one_and_row_12_is_explained(seed):
    a = audit(*seed, unit="trang-dinh", year=2024)
    f = findings(a)
    pct = f[f["figure"].str.contains("%")]
    assert {(int(r.tt), r.figure) for r in pct.itertuples()} == {(16, "TH 2024/TH 2023 (%)")}
    # row 12: 100% published, 20/21 = 95,24% on the printed plan, 20/20 on the post-merger plan (data)
    row12 = a[(a["tt"] == 12) & (a["figure"] == "TH/KH (%)")].iloc[0]
    assert row12["outcome"] == "explained"


def test_notes_and_requirements(seed):
    gaps = term_gaps(*seed, unit="trang-dinh", year=2024).set_index("tt")
    assert round(gaps.loc[23, "required_value"], 1) == 114.9  # 80 × 5 − 285,1
    assert gaps.loc[19, "required_value"] == 19  # ⌊21 × 0,95⌋
    assert round(gaps.loc[3, "required_value"], 3) == 16.956  # 15,139 × 1,12
    a = audit(*seed, unit="trang-dinh", year=2024).set_index(["tt", "figure"])
    assert a.loc[(17, "Ghi chú: phép tính"), "recomputed"] == pytest.approx(2.364)  # 11,82 / 5
    row18 = a.loc[(18, "Ghi chú: tối đa năm 2025")]
    assert (row18["published"], row18["recomputed"], bool(row18["agrees"])) == (30, 31, False)


def test_the_only_findings_are_the_seeds_two(seed):
    f = findings(audit(*seed, unit="trang-dinh", year=2024))
    assert sorted(int(t) for t in f["tt"]) == [16, 18]


def test_row_12_is_consistent_everywhere(seed):
    """Judged on the adjusted plan of 20; the published 100% explained, not a slip; the congress
    target of 22 communes said to be impossible (20 units after the merger), not "far beyond"."""
    ev = evaluate(*seed, unit="trang-dinh", year=2024).set_index("tt")
    assert ev.loc[12, "status"] == Status.EXPECTED and ev.loc[12, "adjusted_plan"] == 20
    gaps = term_gaps(*seed, unit="trang-dinh", year=2024).set_index("tt")
    assert gaps.loc[12, "standing"] == "impossible" and not gaps.loc[12, "far_beyond"]
    assert "không thể đạt" in gaps.loc[12, "explanation"] and "vượt xa" not in gaps.loc[12, "explanation"]


@pytest.fixture(scope="module")
def own_table():
    result = read_table(FIXTURES / "example_commune_2023.txt", unit="example")
    return result.observations, result.catalogue


def test_own_table_is_read_for_its_own_years_and_unit(own_table):
    obs, cat = own_table
    assert set(obs["unit"]) == {"example"} and len(cat) == 11
    assert {2022, 2023, 2024, 2025} <= set(obs["year"].dropna().astype(int))


def test_own_table_statuses(own_table):
    ev = evaluate(*own_table, unit="example", year=2023).set_index("tt")
    # estimates ("Ước thực hiện"): "Dự kiến vượt / đạt / không đạt"
    assert ev.loc[1, "status"] == Status.EXPECTED_NOT_ACHIEVED  # 47,1 < 48 tỷ đồng
    assert ev.loc[2, "status"] == Status.EXPECTED_EXCEEDED  # poverty level 5,2% < 5,5%: lower is better
    assert ev.loc[3, "status"] == Status.EXPECTED_EXCEEDED  # 7 < 8 offences
    assert ev.loc[4, "status"] == Status.EXPECTED_EXCEEDED  # 3 < 4 accidents
    assert ev.loc[5, "status"] == Status.EXPECTED  # maintain 100% = 100%
    assert ev.loc[6, "status"] == Status.EXPECTED  # "Giữ vững" against "Giữ vững", published "Đạt"
    assert ev.loc[8, "status"] == Status.EXPECTED_EXCEEDED  # 1.420 > 1.300 triệu đồng
    assert ev.loc[9, "status"] == Status.EXPECTED_EXCEEDED  # reduction rate 1,3 > 1,2: higher is better
    assert list(ev.loc[[2, 3, 4, 5, 9], "direction"]) == ["lower", "lower", "lower", "maintain", "higher"]
    assert ev.loc[[2, 3, 4, 5, 9], "inferred"].str.contains("direction").all()
    assert headline(ev.reset_index()).count_text == "01/11"


def test_own_table_audit_finds_the_slip_and_only_it(own_table):
    a = audit(*own_table, unit="example", year=2023)
    f = findings(a)
    assert len(f) == 1
    slip = f.iloc[0]
    assert (int(slip["tt"]), slip["figure"]) == (8, "TH 2023/TH 2022 (%)")
    assert slip["published"] == pytest.approx(116.0) and slip["recomputed"] == pytest.approx(113.6)  # 1.420/1.250
    checked = a.set_index(["tt", "figure"])
    assert bool(checked.loc[(3, "Ghi chú: tối đa năm 2024"), "agrees"])  # ⌊7 × 0,95⌋ = 6
    assert checked.loc[(9, "Ghi chú: phép tính"), "recomputed"] == pytest.approx(1.32)  # 6,6 / 5


def test_own_table_gaps(own_table):
    g = term_gaps(*own_table, unit="example", year=2023).set_index("tt")
    assert g.loc[3, "required_value"] == 6
    assert g.loc[10, "gap"] == 1  # 6 schools targeted, 5 now
    assert bool(g.loc[11, "achieved_already"])  # 15 within 15–19
    assert g.loc[2, "required_bound"] == "tối đa"
