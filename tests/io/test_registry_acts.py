"""The Standing Committee's resolutions on each province's communes (2025) in the registry,
checked against the source texts they were read in (data/registry/acts_sources.csv names the
sources; data/sources.csv gives their addresses). The expected numbers are quoted from those
texts here, not read back from the snapshot."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import paths
from analysis.io.registry import load_registry


@pytest.fixture(scope="module")
def registry():
    return load_registry()


# (province code in the 2025-07 list, resolution, source id, the source's words)
QUOTED = [
    # sonoivu.sonla.gov.vn: "Ngày 16/6/2025, Chủ tịch Quốc hội Trần Thanh Mẫn đã thay mặt Ủy ban
    # Thường vụ Quốc hội ký ban hành Nghị quyết số 1681/NQ-UBTVQH15 về việc sắp xếp các đơn vị hành
    # chính cấp xã của tỉnh Sơn La năm 2025."
    ("14", "1681/NQ-UBTVQH15", "sonoivu-sonla-926190"),
    # vietnamplus.vn: "Ngày 16/6, thay mặt Ủy ban Thường vụ Quốc hội, Chủ tịch Quốc hội Trần Thanh
    # Mẫn ký Nghị quyết số 1664/NQ-UBTVQH15 về việc sắp xếp các đơn vị hành chính cấp xã của tỉnh
    # Gia Lai năm 2025."
    ("52", "1664/NQ-UBTVQH15", "vietnamplus-1045638"),
    # thuviennhadat.vn (full text): "Số: 1655/NQ-UBTVQH15 / Hà Nội, ngày 16 tháng 6 năm 2025 /
    # NGHỊ QUYẾT VỀ VIỆC SẮP XẾP CÁC ĐƠN VỊ HÀNH CHÍNH CẤP XÃ CỦA TỈNH CÀ MAU NĂM 2025"
    ("96", "1655/NQ-UBTVQH15", "thuviennhadat-661058"),
    # thethaovanhoa.vn (TTXVN): "Theo Nghị quyết số 1658/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban
    # Thường vụ Quốc hội, sau khi sắp xếp, tỉnh Bắc Ninh có 99 đơn vị hành chính cấp xã"
    ("24", "1658/NQ-UBTVQH15", "thethaovanhoa-2025062715193351"),
    # thuvienphapluat.vn (English): "No. 1682/NQ-UBTVQH15 | Hanoi, June 16, 2025 | RESOLUTION ON
    # THE ARRANGEMENT OF COMMUNE-LEVEL ADMINISTRATIVE DIVISIONS OF TAY NINH PROVINCE IN 2025"
    ("80", "1682/NQ-UBTVQH15", "thuvienphapluat-1682"),
    # baotintuc.vn (TTXVN): "Theo Nghị quyết số 1662/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường
    # vụ Quốc hội, sau khi sắp xếp, tỉnh Đồng Nai có 95 đơn vị hành chính cấp xã"
    ("75", "1662/NQ-UBTVQH15", "baotintuc-20250627110335679"),
    # lawfirm.vn (English): "No. 1654/NQ-UBTVQH15 | Hanoi, June 16, 2025 | ARRANGEMENT OF
    # COMMUNE-LEVEL ADMINISTRATIVE DIVISIONS OF AN GIANG PROVINCE IN 2025"
    ("91", "1654/NQ-UBTVQH15", "lawfirm-1654"),
]


@pytest.mark.parametrize(("province", "act", "source"), QUOTED)
def test_a_provinces_resolution_is_the_one_its_source_names(registry, province: str, act: str, source: str):
    acts = registry.acts.set_index("act")
    assert acts.loc[act, "date"] == "2025-06-16"
    assert source in acts.loc[act, "source"].split("; ")
    communes = registry.units[(registry.units["period"] == "2025-07") & (registry.units["parent_code"] == province)]
    into = registry.lineage[
        (registry.lineage["to_period"] == "2025-07") & registry.lineage["to_code"].isin(communes["code"])
    ]
    assert len(into) > 0
    assert set(into["legal_source"]) == {act}
    assert all(source in s.split("; ") for s in into["source"])


def test_every_province_has_its_resolution_number_and_none_is_a_placeholder(registry):
    # tinhthanhvn's table: "| 1 | 1654/NQ-UBTVQH15 | An Giang | ... | 34 | 1687/NQ-UBTVQH15 | Vinh Long |",
    # one number for each of the 34 new provinces.
    acts = registry.acts[registry.acts["act"] != "202/2025/QH15"]
    assert set(acts["act"]) == {f"{n}/NQ-UBTVQH15" for n in range(1654, 1688)}
    assert not acts["title"].str.contains("chưa ghi").any()
    assert "act_number_not_recorded" not in set(registry.lineage_report["issue"])


def test_a_title_names_the_province_as_the_resolution_did_in_2025(registry):
    # thuviennhadat.vn (full text of 1679): "VỀ VIỆC SẮP XẾP CÁC ĐƠN VỊ HÀNH CHÍNH CẤP XÃ CỦA TỈNH
    # QUẢNG NINH NĂM 2025", though the 2026 list names it Thành phố Quảng Ninh.
    title = registry.acts.set_index("act").loc["1679/NQ-UBTVQH15", "title"]
    assert "của tỉnh Quảng Ninh năm 2025" in title
    assert registry.units.query("period == '2025-07' and code == '22'")["name"].item() == "Thành phố Quảng Ninh"


def test_numbers_read_in_one_source_only_and_the_other_date_are_reported(registry):
    report = registry.lineage_report
    one = report[report["issue"] == "act_number_one_source"]
    # Cao Bằng, Lào Cai, Nghệ An, Đắk Lắk, Lâm Đồng: no page of the search index named their number.
    assert set(one["code"]) == {"04", "15", "40", "66", "68"}
    assert one.set_index("code").loc["04", "note"].startswith("1657/NQ-UBTVQH15: read in tinhthanhvn-readme only")
    # tinhthanhvn says "all issued 2025-06-18"; the texts read say "ngày 16 tháng 6 năm 2025".
    differ = report[report["issue"] == "act_dates_differ"]
    assert len(differ) == 34
    assert all("2025-06-18" in n and "kept 2025-06-16" in n for n in differ["note"])


def test_every_source_an_act_names_is_a_row_of_sources_csv_with_its_address(registry):
    sources = pd.read_csv(paths.DATA / "sources.csv", dtype=str, keep_default_na=False).set_index("file")
    named = {s for cell in registry.acts["source"] for s in cell.split("; ")}
    assert named <= set(sources.index)
    assert all(sources.loc[s, "url"].startswith(("https://", "http://")) for s in named)
