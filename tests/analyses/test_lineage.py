"""History carried to successor units, worked by hand on made-up communes (illustrative), and the
real 01/12/2024 arrangement of Tràng Định."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import paths
from analysis.analyses.lineage import carry_history, decompose, parent_in, successors
from analysis.errors import AnalysisError

# Every figure below is ILLUSTRATIVE (made up for the test), row by row.
EVENT_COLUMNS = [
    "event",
    "date",
    "kind",
    "from_unit",
    "to_unit",
    "population",
    "population_share",
    "to_population_after",
]


def events(*rows: tuple[object, ...]) -> pd.DataFrame:
    df = pd.DataFrame(list(rows), columns=EVENT_COLUMNS)
    for c in ("population", "population_share", "to_population_after"):
        df[c] = pd.to_numeric(df[c]).astype("float64")
    return df


#: b (1 000 people) merged into a, which has 4 000 after (3 000 of its own); d split: 600 people
#: (60 %) to e (1 600 after), the rest (400 people) merged into f (1 400 after).
ILLUSTRATIVE_EVENTS = events(
    ("m1", "2024-12-01", "merge", "b", "a", 1000, None, 4000),
    ("s1", "2024-12-01", "partial_transfer", "d", "e", 600, 0.6, 1600),
    ("s2", "2024-12-01", "merge", "d", "f", 400, None, 1400),
)


def catalogue(unit: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit": [unit] * 3,
            "indicator_id": ["poverty", "offences", "ntm"],
            "measure_unit": ["%", "vụ", "tiêu chí"],
            "direction": ["lower", "lower", "higher"],
            "illustrative": [True] * 3,
        }
    )


def observations(figures: dict[str, tuple[float, float, float]], year: int = 2024) -> pd.DataFrame:
    rows = [
        (u, iid, year, "result", v, True)
        for u, (poverty, offences, ntm) in figures.items()
        for iid, v in (("poverty", poverty), ("offences", offences), ("ntm", ntm))
    ]
    return pd.DataFrame(rows, columns=["unit", "indicator_id", "year", "kind", "value", "illustrative"])


OBS = observations({"a": (10.0, 4, 15), "b": (30.0, 2, 12), "d": (20.0, 10, 14), "e": (5.0, 3, 19), "f": (6.0, 1, 18)})


def by_indicator(out: pd.DataFrame) -> dict[str, pd.Series]:
    return {r["indicator_id"]: r for _, r in out.iterrows()}


def test_merge_sums_counts_and_weights_rates_by_population():
    out = by_indicator(carry_history(OBS, catalogue("a"), ILLUSTRATIVE_EVENTS, unit="a", year=2025))
    # 3 000 × 10 % + 1 000 × 30 % over 4 000 = 15 %; 4 + 2 offences = 6
    assert out["poverty"]["value"] == pytest.approx(15.0)
    assert out["poverty"]["method"] == "population_weighted"
    assert out["poverty"]["predecessors"] == "a;b"
    assert out["poverty"]["weights"] == "0.75;0.25"
    assert out["offences"]["value"] == 6 and out["offences"]["method"] == "sum"
    assert out["offences"]["events"] == "m1"
    assert "cộng dồn" in out["offences"]["note"] and "a × 1, b × 1" in out["offences"]["note"]
    # NTM criteria are a level of one commune: not carried, with the reason
    assert out["ntm"]["method"] == "not_carried" and pd.isna(out["ntm"]["value"])
    assert "không cộng hay bình quân" in out["ntm"]["note"]
    assert out["poverty"]["illustrative"]


def test_split_gives_each_successor_its_share():
    e = by_indicator(carry_history(OBS, catalogue("e"), ILLUSTRATIVE_EVENTS, unit="e", year=2025))
    f = by_indicator(carry_history(OBS, catalogue("f"), ILLUSTRATIVE_EVENTS, unit="f", year=2025))
    # e: 3 own + 60 % of d's 10 = 9; (1 000 × 5 + 600 × 20) / 1 600 = 10,625 %
    assert e["offences"]["value"] == pytest.approx(9.0)
    assert e["poverty"]["value"] == pytest.approx(10.625)
    # f: 1 own + the remaining 40 % of d's 10 = 5; (1 000 × 6 + 400 × 20) / 1 400 = 10 %
    assert f["offences"]["value"] == pytest.approx(5.0)
    assert f["poverty"]["value"] == pytest.approx(10.0)
    assert f["offences"]["weights"] == "1;0.4"


def test_years_after_the_change_are_the_units_own():
    later = pd.concat([OBS, observations({"a": (9.0, 3, 16)}, year=2025)])
    out = carry_history(later, catalogue("a"), ILLUSTRATIVE_EVENTS, unit="a", year=2026)
    assert sorted(set(out["year"])) == [2024]
    assert carry_history(OBS, catalogue("a"), ILLUSTRATIVE_EVENTS, unit="a", year=2024).empty


def test_unknown_share_or_missing_figure_is_not_guessed():
    no_share = ILLUSTRATIVE_EVENTS.assign(population_share=[None, None, None])
    e = by_indicator(carry_history(OBS, catalogue("e"), no_share, unit="e", year=2025))
    assert e["offences"]["method"] == "not_carried" and pd.isna(e["offences"]["value"])
    assert "tỷ lệ dân số chuyển sang" in e["offences"]["note"] and "d" in e["offences"]["note"]
    assert e["poverty"]["value"] == pytest.approx(10.625)  # rates need populations only
    a = by_indicator(carry_history(OBS[OBS["unit"] != "b"], catalogue("a"), ILLUSTRATIVE_EVENTS, unit="a", year=2025))
    assert a["offences"]["method"] == "not_carried" and "thiếu số liệu năm 2024 của b" in a["offences"]["note"]


def test_a_chain_of_changes_and_a_new_unit():
    chain = events(
        ("c1", "2023-01-01", "merge", "g", "h", 100, None, 300),
        ("c2", "2025-01-01", "create", "", "k", None, None, 500),
        ("c3", "2025-01-01", "merge", "h", "k", 300, None, 500),
        ("c4", "2025-01-01", "merge", "j", "k", 200, None, 500),
    )
    obs = observations({"g": (40.0, 1, 0), "h": (10.0, 2, 0), "j": (20.0, 5, 0)}, year=2022)
    obs = pd.concat([obs, observations({"h": (16.0, 3, 0), "j": (25.0, 6, 0)}, year=2024)])
    out = carry_history(obs, catalogue("k"), chain, unit="k", year=2025)
    y2022 = by_indicator(out[out["year"] == 2022])
    # 2022: g, h (own 200) and j → 1 + 2 + 5 = 8; (100 × 40 + 200 × 10 + 200 × 20) / 500 = 20 %
    assert y2022["offences"]["value"] == 8 and y2022["offences"]["predecessors"] == "h;g;j"
    assert y2022["poverty"]["value"] == pytest.approx(20.0)
    y2024 = by_indicator(out[out["year"] == 2024])
    assert y2024["offences"]["value"] == 9  # h (with g) + j
    assert y2024["poverty"]["value"] == pytest.approx((300 * 16 + 200 * 25) / 500)
    assert [p.unit for p in decompose(chain, "k", figure_year=2024, seen_in=2025)] == ["h", "j"]


def test_successors_and_parents():
    assert successors(ILLUSTRATIVE_EVENTS, "d", 2024) == ["d"]
    assert successors(ILLUSTRATIVE_EVENTS, "d", 2025) == ["e", "f"]
    assert successors(ILLUSTRATIVE_EVENTS, "b", 2030) == ["a"]
    assert successors(ILLUSTRATIVE_EVENTS, "a", 2030) == ["a"]
    with pytest.raises(AnalysisError, match="unknown unit"):
        parent_in(pd.DataFrame({"unit": ["x"], "parent": [""]}), ILLUSTRATIVE_EVENTS, "nope", 2025)


def test_no_catalogue_is_an_error():
    with pytest.raises(AnalysisError, match="no indicators for unit 'z'"):
        carry_history(OBS, catalogue("a"), ILLUSTRATIVE_EVENTS, unit="z", year=2025)


# --- the real arrangement of 01/12/2024 (unit_events.csv) ------------------------------------


def test_tràng_định_2024_arrangement(curated):
    ev = curated.unit_events
    khanh_long = decompose(ev, "trang-dinh-khanh-long", figure_year=2024, seen_in=2025)
    # Khánh Long 1.520 people after, of which Vĩnh Tiến's 636: 884 of its own
    assert [(p.unit, p.count_share) for p in khanh_long] == [
        ("trang-dinh-khanh-long", 1.0),
        ("trang-dinh-vinh-tien", 1.0),
    ]
    assert [p.population_fraction for p in khanh_long] == pytest.approx([884 / 1520, 636 / 1520])
    that_khe = decompose(ev, "trang-dinh-that-khe", figure_year=2024, seen_in=2025)
    # Thất Khê 13.776 after, of which 8.527 from Đại Đồng: 5.249 of its own; Đại Đồng's share of
    # its own population is not published, so its counts cannot be split
    assert [p.unit for p in that_khe] == ["trang-dinh-that-khe", "trang-dinh-dai-dong"]
    assert [p.population_fraction for p in that_khe] == pytest.approx([5249 / 13776, 8527 / 13776])
    assert [p.count_share for p in that_khe] == [1.0, None]
    doi_can = decompose(ev, "trang-dinh-doi-can", figure_year=2024, seen_in=2025)
    assert [p.population_fraction for p in doi_can] == [None, None]
    assert successors(ev, "trang-dinh-dai-dong", 2025) == ["trang-dinh-that-khe", "trang-dinh-doi-can"]
    assert successors(ev, "trang-dinh-vinh-tien", 2024) == ["trang-dinh-vinh-tien"]
    # the district level ends on 01/07/2025: from the 2026 figures on, communes sit under the province
    assert parent_in(curated.units, ev, "trang-dinh-that-khe", 2025) == "trang-dinh"
    assert parent_in(curated.units, ev, "trang-dinh-that-khe", 2026) == "lang-son"
    assert set(ev.loc[ev["event"].str.startswith("td-2024"), "parent_units_after"]) == {20}


def test_the_commune_pack_context_carries_thất_khê_its_share_of_đại_đồng(tmp_path):
    """Thất Khê seen in 2025: its 2024 rates combine its own (5.249 people) and Đại Đồng's part
    (8.527 people). Đại Đồng's figures here are ILLUSTRATIVE (made up for the test)."""
    import shutil

    from analysis import paths
    from analysis.report.communes_context import commune_context

    data = tmp_path / "data"
    shutil.copytree(paths.DATA, data, ignore=shutil.ignore_patterns("raw", "*.py"))
    obs_file = data / "illustrative" / "commune_observations.csv"
    cat_file = data / "illustrative" / "commune_indicators.csv"
    obs = pd.read_csv(obs_file, dtype=str, keep_default_na=False)
    cat = pd.read_csv(cat_file, dtype=str, keep_default_na=False)
    own = cat[cat["unit"] == "trang-dinh-that-khe"].assign(unit="trang-dinh-dai-dong")
    made_up = {"poverty_rate": "8.5", "criminal_offences": "4"}
    rows = [
        {**dict.fromkeys(obs.columns, ""), "unit": "trang-dinh-dai-dong", "indicator_id": i, "year": "2024"}
        | {"kind": "result", "value": v, "source": "illustrative", "illustrative": "true"}
        for i, v in made_up.items()
    ]
    pd.concat([cat, own]).to_csv(cat_file, index=False)
    pd.concat([obs, pd.DataFrame(rows)]).to_csv(obs_file, index=False)
    ctx = commune_context("trang-dinh-that-khe", 2025, data_dir=data)
    history = ctx.carried_history
    assert sorted(set(history["year"])) == [2022, 2023, 2024]  # the years before 01/12/2024 with figures
    carried = history[history["year"] == 2024].set_index("indicator_id")
    that_khe = obs[(obs["unit"] == "trang-dinh-that-khe") & (obs["year"] == "2024") & (obs["kind"] == "result")]
    own_rate = float(that_khe.loc[that_khe["indicator_id"] == "poverty_rate", "value"].iloc[0])
    assert carried.loc["poverty_rate", "value"] == pytest.approx((5249 * own_rate + 8527 * 8.5) / 13776)
    assert carried.loc["poverty_rate", "illustrative"]
    # counts: Đại Đồng's share of its own population is not published
    assert carried.loc["criminal_offences", "method"] == "not_carried"
    assert (
        "chưa công bố tỷ lệ dân số chuyển sang của phần trang-dinh-dai-dong" in carried.loc["criminal_offences", "note"]
    )
    assert carried.loc["health_insurance", "note"] == "Không chuyển: thiếu số liệu năm 2024 của trang-dinh-dai-dong."


def test_khánh_long_seen_in_2025_carries_vĩnh_tiến_s_history():
    """Khánh Long as it is from 01/12/2024 (1.520 people: its own 884 and Vĩnh Tiến's 636):
    its 2022–2024 baseline is both communes' figures, which are ILLUSTRATIVE (data/illustrative/)."""
    from analysis.report.communes_context import commune_context

    ctx = commune_context("trang-dinh-khanh-long", 2025)
    history = ctx.carried_history.set_index(["indicator_id", "year"])
    obs = pd.read_csv(paths.dataset_path("commune_observations"), dtype=str, keep_default_na=False)

    def own(unit: str, indicator: str, year: int) -> float:
        row = obs[(obs["unit"] == unit) & (obs["indicator_id"] == indicator) & (obs["year"] == str(year))]
        return float(row.loc[row["kind"] == "result", "value"].iloc[0])

    kl, vt = "trang-dinh-khanh-long", "trang-dinh-vinh-tien"
    for year in (2022, 2023, 2024):
        rate = (884 * own(kl, "poverty_rate", year) + 636 * own(vt, "poverty_rate", year)) / 1520
        assert history.loc[("poverty_rate", year), "value"] == pytest.approx(rate)
        assert history.loc[("poverty_rate", year), "method"] == "population_weighted"
        assert history.loc[("budget_revenue", year), "value"] == own(kl, "budget_revenue", year) + own(
            vt, "budget_revenue", year
        )
        assert history.loc[("criminal_offences", year), "method"] == "sum"
        assert history.loc[("ntm_criteria", year), "method"] == "not_carried"  # criteria of one commune
    assert history["illustrative"].all()
    assert list(ctx.carried_events["event"]) == ["td-2024-1"]
    # last year's column of the commune's table reads as the commune is now
    ev = ctx.evaluated.set_index("indicator_id")
    assert ev.loc["poverty_rate", "previous"] == pytest.approx(history.loc[("poverty_rate", 2024), "value"])
    assert ev.loc["budget_revenue", "previous"] == 910 + 480
    assert ev.loc["ntm_criteria", "previous"] == own(kl, "ntm_criteria", 2024)  # not carried: its own
    # the year before the change, nothing is carried: Khánh Long's 2024 pack shows its own figures
    assert commune_context("trang-dinh-khanh-long", 2024).carried_history.empty


def test_with_carried_replaces_only_the_carried_results():
    from analysis.analyses.lineage import with_carried

    obs = pd.DataFrame(
        {
            "unit": ["b", "b", "b", "a"],
            "indicator_id": ["x", "x", "y", "x"],
            "year": [2024, 2024, 2024, 2024],
            "kind": ["result", "plan", "result", "result"],
            "value": [1.0, 2.0, 5.0, 7.0],
            "source": [""] * 4,
            "note": [""] * 4,
        }
    )
    carried = pd.DataFrame(
        {
            "unit": ["b", "b"],
            "indicator_id": ["x", "y"],
            "year": [2024, 2024],
            "kind": ["result", "result"],
            "value": [8.0, float("nan")],
            "measure_unit": ["ha", "tiêu chí"],
            "method": ["sum", "not_carried"],
            "events": ["e1", "e1"],
            "illustrative": [False, False],
            "note": ["ghép", "không chuyển"],
        }
    )
    out = with_carried(obs, carried)
    got = {(u, i, k): v for u, i, k, v in zip(out["unit"], out["indicator_id"], out["kind"], out["value"])}
    assert got == {
        ("b", "x", "plan"): 2.0,
        ("b", "y", "result"): 5.0,
        ("a", "x", "result"): 7.0,
        ("b", "x", "result"): 8.0,
    }
