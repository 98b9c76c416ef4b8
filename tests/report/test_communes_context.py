"""A commune pack's context: its parent's communes compared once per process."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.analyses import communes
from analysis.analyses.communes import compare_communes, read_commune_data
from analysis.io.schema import Kind
from analysis.report import cache
from analysis.report import communes_context as cc
from analysis.report.context import read_curated


@pytest.mark.slow
def test_the_districts_comparison_is_computed_once_for_all_its_communes(monkeypatch):
    cache.clear()
    calls = []
    real = communes.compare_communes
    monkeypatch.setattr(cc, "compare_communes", lambda *a, **k: calls.append(k["district"]) or real(*a, **k))
    packs = [cc.commune_context(u, 2024) for u in ("bac-son-nhat-hoa", "bac-son-vu-le", "bac-son-tan-tri")]
    standings = [ctx.standing for ctx in packs]
    assert calls == ["bac-son"]
    catalogue, observations = read_commune_data()
    whole = compare_communes(catalogue, observations, read_curated().units, district="bac-son", year=2024)
    pd.testing.assert_frame_equal(packs[0].comparison.reset_index(drop=True), whole)
    assert [int(s["n_communes"].max()) for s in standings] == [12, 12, 12]


def test_a_pack_names_its_parent_and_reads_its_own_rows():
    ctx = cc.commune_context("trang-dinh-hung-son", 2024)
    assert ctx.area == "huyện" and ctx.full_name == "Xã Hùng Sơn (huyện Tràng Định)"
    assert set(ctx.own[1]["unit"]) == {"trang-dinh-hung-son"}


@pytest.mark.slow
def test_a_roll_up_and_a_commune_pack_audit_the_commune_once(monkeypatch):
    from analysis.analyses import audit as audit_module
    from analysis.report.rollup_context import rollup_context

    cache.clear()
    calls: list[str] = []
    real = audit_module.audit
    monkeypatch.setattr(cc, "audit", lambda *a, **k: calls.append(k["unit"]) or real(*a, **k))
    rollup = rollup_context("bac-son", 2024)
    slips = rollup.slips
    ctx = cc.commune_context("bac-son-vu-le", 2024)
    own = ctx.audit_findings
    assert calls.count("bac-son-vu-le") == 1 and len(calls) == len(set(calls))
    # what the pack shows is the audit of the commune's table, worked out afresh
    catalogue, observations = read_commune_data()
    direct = audit_module.findings(real(observations, catalogue, unit="bac-son-vu-le", year=2024))
    pd.testing.assert_frame_equal(own, direct)
    assert ("bac-son-vu-le" in set(slips["unit"])) == (not direct.empty)

    # a changed figure of the commune is audited again
    changed = observations.copy()
    published = (
        (changed["unit"] == "bac-son-vu-le")
        & (changed["kind"] == Kind.PUBLISHED_ATTAINMENT)
        & (changed["year"] == 2024)
        & ~changed["indicator_id"].isin(set(direct["indicator_id"]))
    )
    row = changed.index[published][0]
    changed.loc[row, "value"] = changed.loc[row, "value"] + 7
    again = cc.unit_findings(catalogue, changed, unit="bac-son-vu-le", year=2024)
    assert calls.count("bac-son-vu-le") == 2
    assert len(again) == len(direct) + 1
    assert changed.loc[row, "indicator_id"] in set(again["indicator_id"])
