"""The year's index grouped by level, with totals (build.index, the index template; no kernel)."""

from __future__ import annotations

import re

from analysis.build.index import group_packs, not_achieved
from analysis.build.render import index_to_html


def pack(unit: str, level: str, notebook: str, headline: str = "", *, failed: bool = False, **kw: object) -> dict:
    return {
        "unit": unit,
        "unit_name": kw.get("unit_name", unit),
        "level": level,
        "title": notebook,
        "headline": headline,
        "failed": failed,
        "error": "RuntimeError: hỏng" if failed else "",
        "illustrative": kw.get("illustrative", False),
        "html": "" if failed else f"{unit}/{notebook}.html",
        "pdf": "" if failed else f"{unit}/{notebook}.pdf",
        "docx": "" if failed else f"{unit}/{notebook}.docx",
        "ipynb": f"{unit}/{notebook}.ipynb",
    }


PACKS = [
    pack("bac-son", "district", "00_briefing", "10 nhiệm vụ trọng tâm: 8 hoàn thành xuất sắc nhiệm vụ"),
    pack(
        "bac-son-vu-le",
        "commune",
        "50_commune_pack",
        "Số liệu minh họa — Năm 2024: 03/09 chỉ tiêu không đạt so với kế hoạch.",
        illustrative=True,
    ),
    pack(
        "lang-son",
        "province",
        "60_rollup",
        "Số liệu minh họa — Năm 2024: 124/200 lượt chỉ tiêu đạt và vượt kế hoạch, 76 lượt không đạt.",
        illustrative=True,
    ),
    pack("trang-dinh", "district", "00_briefing", "Năm 2024: 06/26 chỉ tiêu không đạt so với kế hoạch, gồm: ..."),
    pack("trang-dinh", "district", "10_attainment", "Năm 2024: 06/26 chỉ tiêu không đạt so với kế hoạch, gồm: ..."),
    pack("trang-dinh", "district", "60_rollup", failed=True),
    pack(
        "trang-dinh-that-khe",
        "town",
        "50_commune_pack",
        "Số liệu minh họa — Năm 2024: 02/07 chỉ tiêu không đạt so với kế hoạch.",
        illustrative=True,
    ),
    pack("old-unit", "", "00_briefing", "Năm 2023: 01/05 chỉ tiêu không đạt so với kế hoạch."),
]


def test_groups_by_level_with_totals_counting_each_unit_once():
    groups = {g["key"]: g for g in group_packs(PACKS)}
    assert list(groups) == ["province", "district", "commune", "other"]
    assert [g["label"] for g in groups.values()] == ["Cấp tỉnh", "Cấp huyện", "Cấp xã (xã, thị trấn)", "Đơn vị khác"]
    district = groups["district"]
    # Tràng Định's two headlines say 06/26: counted once; Bắc Sơn's gives no count
    assert (district["units"], len(district["packs"]), district["failed"]) == (2, 4, 1)
    assert (district["not_achieved"], district["indicators"], district["counted"]) == (6, 26, 1)
    commune = groups["commune"]  # a commune and a town: 3/9 + 2/7
    assert (commune["units"], commune["not_achieved"], commune["indicators"], commune["illustrative"]) == (
        2,
        5,
        16,
        True,
    )
    assert groups["province"]["counted"] == 0  # the roll-up's "lượt" sentence is not the unit's own count


def test_the_index_page_shows_the_groups_and_their_totals():
    html = index_to_html(2024, PACKS)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "8 báo cáo · 1 lỗi" in text
    assert text.index("Cấp tỉnh") < text.index("Cấp huyện") < text.index("Cấp xã (xã, thị trấn)")
    assert "2 đơn vị · 4 báo cáo · 1 lỗi · 6/26 chỉ tiêu không đạt (1 đơn vị có biểu chỉ tiêu)" in text
    assert (
        "2 đơn vị · 2 báo cáo · 0 lỗi · 5/16 chỉ tiêu không đạt (2 đơn vị có biểu chỉ tiêu; số liệu minh họa)" in text
    )
    totals = html[html.index('<table class="index-totals">') : html.index("</table>")]
    rows = [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r)]
        for r in totals.split("<tr")[1:]
    ]
    assert rows == [
        ["Cấp", "Đơn vị", "Báo cáo", "Lỗi", "Chỉ tiêu không đạt"],
        ["Cấp tỉnh", "1", "1", "0", "—"],
        ["Cấp huyện", "2", "4", "1", "6/26 (1 đơn vị)"],
        ["Cấp xã (xã, thị trấn)", "2", "2", "0", "5/16 (2 đơn vị; số liệu minh họa)"],
        ["Đơn vị khác", "1", "1", "0", "1/5 (1 đơn vị)"],
    ]
    assert "Lỗi khi chạy : RuntimeError: hỏng" in text and 'href="trang-dinh/60_rollup.html"' not in html
    # a unit's name once per group, on its first pack
    assert html.count('<span class="unit-id">trang-dinh</span>') == 1


def test_a_headline_without_a_judged_indicator_gives_no_count():
    assert (
        not_achieved("Năm 2025: 00/26 chỉ tiêu không đạt so với kế hoạch. 26 chỉ tiêu chưa đánh giá được: ...") is None
    )
    assert not_achieved("Năm 2025: 00/26 chỉ tiêu không đạt so với kế hoạch. 03 chỉ tiêu chưa đánh giá được: ...") == (
        0,
        26,
    )


def test_an_executed_notebook_that_cannot_be_read_is_an_entry_marked_failed(tmp_path):
    # an empty notebook, as a full disk left one (before the build stopped on it): never a crash
    from analysis.build.run import index_entries

    folder = tmp_path / "bac-son-nhat-hoa"
    folder.mkdir()
    (folder / "50_commune_pack.ipynb").write_text("", encoding="utf-8")
    (folder / "50_commune_pack.html").write_text("<p>cũ</p>", encoding="utf-8")
    [entry] = index_entries(tmp_path, [], [{"unit": "bac-son-nhat-hoa", "name": "Xã Nhất Hòa", "level": "commune"}])
    assert entry["failed"] and entry["html"] == "" and entry["pdf"] == ""
    assert entry["unit_name"] == "Xã Nhất Hòa" and entry["level"] == "commune"
    assert entry["error"] == "the notebook cannot be read (NotJSONError): build the pack again"
