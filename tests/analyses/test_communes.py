"""The commune pack: real facts, the illustrative dataset, ranking, mergers, key tasks."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.analyses.communes import (
    commune_standing,
    commune_tasks,
    communes_of,
    compare_communes,
    read_commune_data,
    read_commune_facts,
)
from analysis.analyses.evaluate import evaluate
from analysis.errors import AnalysisError, DataValidationError, InputFileError, UnknownUnitError
from analysis.io.datasets import read_dataset
from analysis.io.schema import INDICATOR_COLUMNS, OBSERVATION_COLUMNS

ELISION = " […] "


@pytest.fixture(scope="module")
def units() -> pd.DataFrame:
    return read_dataset("units")


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    return read_commune_facts()


@pytest.fixture(scope="module")
def commune_data() -> tuple[pd.DataFrame, pd.DataFrame]:
    return read_commune_data()


def raw_text(source: str) -> str:
    """The raw file a ``source`` names (``file:line:column`` or ``file: section``), NFC,
    markdown ``*`` of the text conversion removed (as in the curated quotes)."""
    name = source.split(":", 1)[0].strip()
    path = paths.RAW / name
    assert path.is_file(), f"source {source!r} names no raw file"
    return unicodedata.normalize("NFC", path.read_text(encoding="utf-8")).replace("*", "")


def quoted_in(quote: str, text: str) -> bool:
    """Every part of ``quote`` (parts separated by `` […] ``) occurs in ``text``, in order."""
    pos = 0
    for part in unicodedata.normalize("NFC", quote).split(ELISION):
        found = text.find(part, pos)
        if not part or found < 0:
            return False
        pos = found + len(part)
    return True


def named_in_reports(units: pd.DataFrame, district: str | None = None, year: int | None = None) -> set[str]:
    """The communes and towns the two seed reports name (units.csv also holds those that only
    the unit_events.csv sources name: Khánh Long, Vĩnh Tiến, Đại Đồng)."""
    rows = units if district is None else communes_of(units, district, year)
    rows = rows[rows["level"].isin(["commune", "town"]) & rows["source"].str.contains(r"000_|001_")]
    return set(rows["unit"])


# --- commune_facts.csv ---------------------------------------------------------------------

REAL_FACTS = [  # unit, year, topic, value, denominator, a phrase of the quote
    ("bac-son-tan-thanh", 2024, "ntm_criteria", 15, 19, "xã Tân Thành đạt 15/19 tiêu chí xã nông thôn mới"),
    ("bac-son-hung-vu", 2024, "ntm_advanced_criteria", 12, 19, "xã Hưng Vũ đạt 12/19 tiêu"),
    ("bac-son-bac-quynh", 2024, "model_ntm_rules", 2, 4, "xã Bắc Quỳnh đạt 2/4 quy định"),
    ("bac-son-vu-son", 2024, "model_ntm_rules", 3, 4, "đạt 3/4 quy định xã nông thôn mới kiểu mẫu"),
    ("bac-son-hung-vu", 2024, "ocop_product", None, None, "Trà hoa cúc chi tại xã Hưng Vũ"),
    ("bac-son-tan-thanh", 2024, "ocop_product", None, None, "Mật ong Hoa rừng Bắc Sơn tại xã Tân Thành"),
    ("bac-son-vu-son", 2024, "ocop_product", None, None, "Hạt Macca tại xã Vũ Sơn"),
    ("bac-son-tan-huong", 2024, "ocop_product", None, None, "Quýt Oma tại xã Tân Hương"),
    ("bac-son-bac-quynh", 2024, "value_chain", None, None, "Gạo nếp cái hoa vàng xã Bắc Quỳnh"),
    ("bac-son-tan-thanh", 2024, "cultural_houses", 4, 5, "Có 04/05 nhà văn hóa thôn trên địa bàn xã Tân Thành"),
    ("bac-son-chieu-vu", 2024, "school_recognised", 2, None, "Quyết định số 1460/QĐ-UBND ngày 22/8/2024"),
    ("bac-son-vu-le", 2024, "school_rerecognition_target", 1, None, "Trường THCS xã Vũ Lễ"),
    ("bac-son-chien-thang", 2024, "school_rerecognition_target", 1, None, "Trường TH&THCS xã Chiến Thắng"),
    ("bac-son-nhat-hoa", 2025, "ntm_target", None, None, "(xã Nhất Hòa)"),
    ("bac-son-tan-lap", 2025, "ntm_advanced_target", None, None, "(xã Tân Lập, xã Vũ Lễ)"),
    ("bac-son-vu-le", 2025, "ntm_advanced_target", None, None, "(xã Tân Lập, xã Vũ Lễ)"),
    ("bac-son-tan-tri", 2025, "poverty_pilot", None, None, "xã Tân Tri là xã điểm thực hiện công tác giảm nghèo"),
    ("bac-son-tan-huong", 2025, "school_recognition_target", 1, None, "Trường MN xã Tân Hương"),
    ("bac-son-vu-son", 2025, "school_rerecognition_target", 2, None, "Trường MN xã Vũ Sơn; trường THCS xã Vũ Sơn"),
    ("trang-dinh-chi-minh", 2024, "ntm_expected", None, None, "xã Chí Minh đạt chuẩn NTM"),
    ("trang-dinh-chi-lang", 2024, "ntm_model_expected", None, None, "xã Chi Lăng đạt chuẩn NTM kiểu mẫu"),
    ("trang-dinh-doi-can", 2024, "ntm_advanced_not_expected", None, None, "xã Đội Cán không đạt chuẩn NTM nâng cao"),
]


@pytest.mark.parametrize(("unit", "year", "topic", "value", "denominator", "phrase"), REAL_FACTS)
def test_facts_hold_the_real_facts(facts, unit, year, topic, value, denominator, phrase):
    hit = facts[
        (facts["unit"] == unit)
        & (facts["year"] == year)
        & (facts["topic"] == topic)
        & facts["source_text"].str.contains(phrase, regex=False)
    ]
    assert len(hit) == 1, (unit, year, topic)
    row = hit.iloc[0]
    assert pd.isna(row["value"]) if value is None else row["value"] == value
    assert pd.isna(row["denominator"]) if denominator is None else row["denominator"] == denominator


def test_tan_thanh_15_of_19_in_2024_with_its_sentence(facts):
    row = facts[(facts["unit"] == "bac-son-tan-thanh") & (facts["topic"] == "ntm_criteria")].iloc[0]
    assert (row["year"], row["value"], row["denominator"], row["measure_unit"], row["task"]) == (
        2024,
        15,
        19,
        "tiêu chí",
        "1.3",
    )
    assert row["source_text"] == "Đến nay, xã Tân Thành đạt 15/19 tiêu chí xã nông thôn mới"
    assert row["source"].startswith("001_3e13b2f394a39148.txt")


def test_the_twelve_communes_with_a_standard_cultural_house(facts, units):
    rows = facts[facts["topic"] == "commune_cultural_house_standard"]
    assert set(rows["year"]) == {2025}  # the note clarifies the 2025 target (12/20 = 60%)
    assert rows["note"].str.contains("2025").all()
    assert set(rows["unit"]) == named_in_reports(units, "trang-dinh")
    assert len(rows) == 12


def test_fact_rows_name_known_communes_and_no_duplicates(facts, units):
    known = set(units.loc[units["level"].isin(["commune", "town"]), "unit"])
    assert set(facts["unit"]) <= known
    assert not facts.duplicated(["unit", "year", "topic"]).any()
    assert (facts["source_text"] == facts["source_text"].map(lambda s: unicodedata.normalize("NFC", s))).all()


def test_every_fact_is_quoted_verbatim_from_the_raw_file_it_names(facts):
    missing = [
        (r.unit, r.topic, r.source_text[:60])
        for r in facts.itertuples()
        if not quoted_in(r.source_text, raw_text(r.source))
    ]
    assert missing == []


# --- the illustrative dataset ----------------------------------------------------------------


def test_columns_are_those_of_the_district_datasets_plus_illustrative_and_provenance(commune_data):
    catalogue, observations = commune_data
    assert list(catalogue.columns) == [*INDICATOR_COLUMNS, "illustrative"]
    assert list(observations.columns) == [*OBSERVATION_COLUMNS, "illustrative", "provenance", "file", "received"]
    assert catalogue["illustrative"].dtype == bool and observations["illustrative"].dtype == bool
    # nothing taken in in the shipped data: every made-up row is 'illustrative', every real fact 'published'
    assert (
        observations["provenance"] == observations["illustrative"].map({True: "illustrative", False: "published"})
    ).all()


def test_every_illustrative_row_is_flagged(commune_data):
    catalogue, observations = commune_data
    assert catalogue["illustrative"].all()
    made_up = observations["source"] == "illustrative"
    assert (observations.loc[made_up, "illustrative"]).all()
    assert not observations.loc[~made_up, "illustrative"].any()


def test_every_real_commune_observation_is_traceable_to_a_raw_sentence(commune_data):
    _, observations = commune_data
    real = observations[~observations["illustrative"]]
    assert len(real) >= 10
    for r in real.itertuples():
        assert quoted_in(r.source_text, raw_text(r.source)), (r.unit, r.indicator_id, r.year, r.kind)
        assert "commune_facts.csv" in r.note


def test_real_facts_win_over_illustrative_figures(commune_data):
    _, obs = commune_data
    tan_thanh = obs[
        (obs["unit"] == "bac-son-tan-thanh") & (obs["indicator_id"] == "ntm_criteria") & (obs["year"] == 2024)
    ]
    result = tan_thanh[tan_thanh["kind"].isin(["result", "estimate"])]
    assert len(result) == 1 and result["value"].iloc[0] == 15 and not result["illustrative"].iloc[0]
    assert tan_thanh.loc[tan_thanh["kind"] == "plan", "value"].tolist() == [19]
    assert tan_thanh[tan_thanh["kind"] == "published_attainment_pct"].empty
    hung_vu = obs[
        (obs["unit"] == "bac-son-hung-vu")
        & (obs["indicator_id"] == "ntm_advanced_criteria")
        & (obs["year"] == 2024)
        & (obs["kind"] == "result")
    ]
    assert hung_vu["value"].tolist() == [12] and not hung_vu["illustrative"].iloc[0]


#: Units only the unit_events.csv sources name, given illustrative figures to show the history
#: carried after Vĩnh Tiến merged into Khánh Long (01/12/2024); Đại Đồng has none.
MERGER_EXAMPLE = {"trang-dinh-khanh-long", "trang-dinh-vinh-tien"}


def test_every_commune_of_units_csv_has_illustrative_data(commune_data, units):
    catalogue, observations = commune_data
    communes = named_in_reports(units) | MERGER_EXAMPLE
    # the communes of 01/07/2025 (ids from their codes, tools/registry_units.py): a catalogue,
    # 2026 plans and 2030 targets (make_illustrative_2026.py), no results of their own
    registry = {u for u in units["unit"] if u[:1].isdigit()}
    assert len(registry) == 65
    assert "trang-dinh-dai-dong" not in set(catalogue["unit"])
    assert set(catalogue["unit"]) == communes | registry
    assert set(observations["unit"]) == communes | registry
    new = observations[observations["unit"].isin(registry)]
    assert set(zip(new["year"], new["kind"])) == {(2026, "plan"), (2030, "term_target")}
    assert new["illustrative"].all()
    catalogue = catalogue[~catalogue["unit"].isin(registry)]
    assert catalogue.groupby("unit").size().between(7, 10).all()
    for year in (2022, 2023, 2024):
        have = observations[observations["kind"].isin(["result", "estimate"]) & (observations["year"] == year)]
        assert set(have["unit"]) == communes


@pytest.mark.parametrize("district", ["trang-dinh", "bac-son"])
def test_evaluate_runs_on_every_commune_for_2024(commune_data, units, district):
    catalogue, observations = commune_data
    for unit in sorted(named_in_reports(units, district, 2024)):
        ev = evaluate(observations, catalogue, unit=unit, year=2024)
        assert len(ev) == (catalogue["unit"] == unit).sum()
        assert ev["result"].notna().all()


@pytest.mark.slow  # audits every commune of the district
@pytest.mark.parametrize(
    ("district", "slip"),
    [("trang-dinh", ("trang-dinh-quoc-viet", "health_insurance")), ("bac-son", ("bac-son-chien-thang", "new_forest"))],
)
def test_audit_finds_the_one_deliberate_slip_per_district(commune_data, units, district, slip):
    from analysis.analyses.audit import audit, findings

    catalogue, observations = commune_data
    found = pd.concat(
        [
            findings(audit(observations, catalogue, unit=u, year=2024))
            for u in communes_of(units, district, 2024)["unit"]
            if u in named_in_reports(units)
        ],
        ignore_index=True,
    )
    assert [(r.unit, r.indicator_id, r.figure) for r in found.itertuples()] == [(*slip, "TH/KH (%)")]


def test_the_shipped_comparison_is_labelled_illustrative(commune_data, units):
    catalogue, observations = commune_data
    cmp = compare_communes(catalogue, observations, units, district="bac-son", year=2024)
    # every rank rests on made-up figures of other communes, except the model-NTM rules, whose
    # only two communes (Bắc Quỳnh 2/4, Vũ Sơn 3/4) both have real figures
    real_only = cmp["indicator_id"] == "model_ntm_rules"
    assert cmp.loc[~real_only, "illustrative"].all()
    assert set(cmp.loc[real_only, "unit"]) == {"bac-son-bac-quynh", "bac-son-vu-son"}
    assert not cmp.loc[real_only, "illustrative"].any()
    assert cmp.loc[real_only].set_index("unit")["rank"].to_dict() == {"bac-son-bac-quynh": 2, "bac-son-vu-son": 1}
    real = cmp[(cmp["unit"] == "bac-son-tan-thanh") & (cmp["indicator_id"] == "ntm_criteria")].iloc[0]
    assert (real["result"], real["plan"], bool(real["figures_illustrative"])) == (15, 19, False)
    standing = commune_standing(cmp, "bac-son-tan-thanh")
    assert standing["sentence"].str.endswith("(Số liệu minh họa.)").all()


# --- compare_communes on a hand-made district ------------------------------------------------


def fixture_units() -> pd.DataFrame:
    rows = [
        ("d", "D", "district", ""),
        ("a", "A", "commune", "d"),
        ("b", "B", "commune", "d"),
        ("c", "C", "commune", "d"),
        ("t", "T", "town", "d"),
        ("z", "Z", "commune", "other"),
        ("other", "O", "district", ""),
    ]
    return pd.DataFrame(
        [
            {
                "unit": u,
                "name": n,
                "level": lv,
                "parent": p,
                "valid_from": float("nan"),
                "valid_to": float("nan"),
                "illustrative": "false",
                "source": "",
                "note": "",
            }
            for u, n, lv, p in rows
        ]
    )


def fixture_data(illustrative_unit: str = "") -> tuple[pd.DataFrame, pd.DataFrame]:
    catalogue, observations = [], []
    # "up": higher is better; "down": lower is better. (plan, result) per unit; None = no result.
    figures = {
        "up": {"a": (10, 10), "b": (25, 30), "c": (25, 20), "t": (5, None), "z": (1, 99)},
        "down": {"a": (4, 5), "b": (2, 1), "c": (3, 3), "t": (3, 3), "z": (1, 0)},
    }
    for unit in "abctz":
        for tt, (iid, direction) in enumerate((("up", "higher"), ("down", "lower")), 1):
            catalogue.append(
                {
                    "unit": unit,
                    "indicator_id": iid,
                    "tt": tt,
                    "indicator": iid,
                    "measure_unit": "",
                    "direction": direction,
                    "target_type": "level",
                    "target_source": "term_target",
                    "decimals": 0,
                    "term_start": 2021,
                    "term_end": 2025,
                    "note": "",
                    "illustrative": False,
                }
            )
            plan, result = figures[iid][unit]
            for kind, value in (("plan", plan), ("result", result)):
                if value is not None:
                    observations.append(
                        {
                            "unit": unit,
                            "indicator_id": iid,
                            "year": 2024.0,
                            "kind": kind,
                            "value": float(value),
                            "value_high": float("nan"),
                            "measure_unit": "",
                            "text": "",
                            "source": "test",
                            "source_text": str(value),
                            "note": "",
                            "illustrative": unit == illustrative_unit,
                        }
                    )
    return pd.DataFrame(catalogue), pd.DataFrame(observations)


def test_compare_communes_ranks_direction_aware_with_medians():
    catalogue, observations = fixture_data()
    cmp = compare_communes(catalogue, observations, fixture_units(), district="d", year=2024)
    got = {
        (r.unit, r.indicator_id): (
            None if pd.isna(r.rank) else int(r.rank),
            r.n_communes,
            r.district_median,
            None if pd.isna(r.above_median) else bool(r.above_median),
            r.status,
        )
        for r in cmp.itertuples()
    }
    # up (higher): results a 10, b 30, c 20, t none -> b 1st, c 2nd, a 3rd of 3; median 20.
    # down (lower): a 5, b 1, c 3, t 3 -> b 1st, c and t tie 2nd, a 4th of 4; median (3 + 3) / 2 = 3.
    # z belongs to another district and is left out.
    assert got == {
        ("a", "up"): (3, 3, 20.0, False, "Đạt"),
        ("b", "up"): (1, 3, 20.0, True, "Vượt"),
        ("c", "up"): (2, 3, 20.0, False, "Không đạt"),
        ("t", "up"): (None, 3, 20.0, None, "Chưa xác định"),
        ("a", "down"): (4, 4, 3.0, False, "Không đạt"),
        ("b", "down"): (1, 4, 3.0, True, "Vượt"),
        ("c", "down"): (2, 4, 3.0, False, "Đạt"),
        ("t", "down"): (2, 4, 3.0, False, "Đạt"),
    }
    assert not cmp["illustrative"].any()
    assert cmp.loc[(cmp["unit"] == "b") & (cmp["indicator_id"] == "up"), "attainment_pct"].iloc[0] == 120.0


def test_one_illustrative_commune_makes_every_rank_illustrative():
    catalogue, observations = fixture_data(illustrative_unit="c")
    cmp = compare_communes(catalogue, observations, fixture_units(), district="d", year=2024)
    assert set(cmp.loc[cmp["figures_illustrative"], "unit"]) == {"c"}
    # every row shows a rank or a median that rests on c's figures, even the town's row without a result
    assert cmp["illustrative"].all()
    assert cmp["unit"].tolist() == ["a", "a", "b", "b", "c", "c", "t", "t"]


def test_commune_standing_sentences():
    catalogue, observations = fixture_data()
    cmp = compare_communes(catalogue, observations, fixture_units(), district="d", year=2024)
    assert commune_standing(cmp, "b")["sentence"].tolist() == [
        "Xếp thứ 1 trong 3 xã có số liệu; tốt hơn trung vị.",
        "Xếp thứ 1 trong 4 xã có số liệu; tốt hơn trung vị.",
    ]
    assert commune_standing(cmp, "c")["sentence"].tolist() == [
        "Xếp thứ 2 trong 3 xã có số liệu; bằng trung vị.",
        "Xếp thứ 2 trong 4 xã có số liệu; bằng trung vị.",
    ]
    assert commune_standing(cmp, "t")["sentence"].iloc[0] == "Chưa có kết quả để xếp hạng."
    with pytest.raises(UnknownUnitError, match="'z'"):
        commune_standing(cmp, "z")


def test_compare_communes_without_figures_is_an_error():
    catalogue, observations = fixture_data()
    with pytest.raises(AnalysisError, match="2030"):
        compare_communes(catalogue, observations, fixture_units(), district="d", year=2030)
    with pytest.raises(UnknownUnitError, match="nowhere"):
        compare_communes(catalogue, observations, fixture_units(), district="nowhere", year=2024)


# --- mergers ----------------------------------------------------------------------------------


def merger_units() -> pd.DataFrame:
    """a and b (valid to 2024) merged into c (from 2025)."""
    rows = [
        ("d", "district", "", None, None),
        ("a", "commune", "d", None, 2024),
        ("b", "commune", "d", None, 2024),
        ("c", "commune", "d", 2025, None),
    ]
    return pd.DataFrame(
        [
            {"unit": u, "name": u.upper(), "level": lv, "parent": p, "valid_from": vf, "valid_to": vt}
            for u, lv, p, vf, vt in rows
        ]
    )


def test_communes_of_follows_validity_years():
    units = merger_units()
    assert communes_of(units, "d", 2024)["unit"].tolist() == ["a", "b"]
    assert communes_of(units, "d", 2025)["unit"].tolist() == ["c"]


# --- key tasks -----------------------------------------------------------------------------


def fixture_tasks() -> pd.DataFrame:
    rows = [
        (2024, "1.3", "Phát triển kinh tế", "Xây dựng 01 xã đạt chuẩn nông thôn mới (xã Tân Thành).", 90.0),
        (2024, "1.4", "Phát triển kinh tế", "Cấp giấy chứng nhận cho nhà sinh hoạt cộng đồng.", 100.0),
        (2024, "2.3", "Văn hóa, xã hội", "Nâng tỷ lệ thôn có nhà văn hóa đạt chuẩn 70%.", 97.0),
        (2025, "III.1.1", "Các nhiệm vụ chung của UBND huyện năm 2025", "Thêm 01 xã NTM (xã Nhất Hòa).", None),
        (2025, "III.2.1", "Các nhiệm vụ chung của UBND các xã, thị trấn năm 2025", "Tăng thu ngân sách.", None),
    ]
    return pd.DataFrame(
        [
            {
                "unit": "bac-son",
                "year": y,
                "task": t,
                "group": g,
                "title": title,
                "self_score": s,
                "published_class": "",
                "source": f"001: {t}",
            }
            for y, t, g, title, s in rows
        ]
    )


def test_commune_tasks_gathers_facts_and_the_tasks_that_name_the_commune(facts, units):
    subs = pd.DataFrame(
        [
            {
                "unit": "bac-son",
                "year": 2024,
                "task": "2.3",
                "sub": "2.3.a",
                "description": "Nhà văn hóa thôn",
                "measure_unit": "%",
                "result_value": 70.0,
                "denominator": 148.0,
                "published_status": "đạt",
                "communes": "Hưng Vũ; Tân Thành",
                "source_text": "Có 04/05 nhà văn hóa thôn",
            }
        ]
    )
    out = commune_tasks(facts, fixture_tasks(), "bac-son-tan-thanh", units=units, subtargets=subs)
    tasks = out[out["kind"] == "key_task"]
    assert tasks[["task", "scope"]].values.tolist() == [["1.3", "named"], ["2.3", "named"], ["III.2.1", "all_communes"]]
    assert out.loc[out["kind"] == "subtarget", "sub"].tolist() == ["2.3.a"]
    assert set(out.loc[out["kind"] == "fact", "topic"]) >= {"ntm_criteria", "cultural_houses", "ocop_product"}
    assert out["year"].is_monotonic_increasing
    nhat_hoa = commune_tasks(facts, fixture_tasks(), "bac-son-nhat-hoa", units=units)
    assert nhat_hoa.loc[nhat_hoa["kind"] == "key_task", "task"].tolist() == ["III.1.1", "III.2.1"]


def test_commune_tasks_without_task_files(facts, units):
    out = commune_tasks(facts, None, "trang-dinh-doi-can", units=units)
    assert set(out["kind"]) == {"fact"}
    assert set(out["topic"]) == {"ntm_advanced_not_expected", "commune_cultural_house_standard"}
    empty = commune_tasks(facts.iloc[0:0], pd.DataFrame(), "bac-son-tan-tri", units=units)
    assert empty.empty
    # another district's tasks never reach a Tràng Định commune
    assert commune_tasks(facts, fixture_tasks(), "trang-dinh-chi-minh", units=units)["kind"].eq("fact").all()
    with pytest.raises(UnknownUnitError):
        commune_tasks(facts, None, "nowhere", units=units)


def test_commune_tasks_with_the_shipped_task_files(facts, units):
    if not (paths.dataset_path("tasks").is_file() and paths.dataset_path("subtargets").is_file()):
        pytest.skip("data/tasks.csv or data/subtargets.csv not curated yet")
    from analysis.analyses.tasks import read_subtargets, read_tasks

    out = commune_tasks(facts, read_tasks(), "bac-son-tan-thanh", units=units, subtargets=read_subtargets())
    assert {"1.3", "2.3"} <= set(out.loc[(out["kind"] == "key_task") & (out["scope"] == "named"), "task"])


# --- reading errors ------------------------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    (tmp_path / "illustrative").mkdir()
    for name in ("commune_indicators", "commune_observations", "commune_facts"):
        shutil.copy(paths.dataset_path(name), paths.dataset_path(name, tmp_path))
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_bad_illustrative_flag_is_named_by_row_and_column(data_copy):
    path = paths.dataset_path("commune_observations", data_copy)
    _edit(path, ",true\n", ",yes\n")
    with pytest.raises(DataValidationError, match=r"commune_observations\.csv: row 2, column 'illustrative'"):
        read_commune_data(data_copy)


def test_observation_outside_the_catalogue_is_an_error(data_copy):
    _edit(
        paths.dataset_path("commune_observations", data_copy),
        "trang-dinh-hung-son,ntm_criteria,2022",
        "trang-dinh-hung-son,no_such_indicator,2022",
    )
    with pytest.raises(DataValidationError, match=r"row 2, column 'indicator_id': 'no_such_indicator'"):
        read_commune_data(data_copy)


def test_vietnamese_number_in_facts_is_an_error(data_copy):
    _edit(paths.dataset_path("commune_facts", data_copy), ",15,,19,", ',"15,5",,19,')
    with pytest.raises(DataValidationError, match=r"column 'value': '15,5' is not a number"):
        read_commune_facts(data_copy)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(InputFileError, match=r"commune_facts\.csv: file not found"):
        read_commune_facts(tmp_path)
