"""A commune pack's context: its parent's communes compared once per process."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.analyses import communes
from analysis.analyses.communes import compare_communes, read_commune_data
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
