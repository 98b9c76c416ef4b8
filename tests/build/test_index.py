"""The year's index grouped by level, with totals (build.index, the index template; no kernel)."""

from __future__ import annotations

import re

from analysis.build.index import group_packs
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
        "counts": kw.get("counts"),
        "html": "" if failed else f"{unit}/{notebook}.html",
        "pdf": "" if failed else f"{unit}/{notebook}.pdf",
        "docx": "" if failed else f"{unit}/{notebook}.docx",
        "ipynb": f"{unit}/{notebook}.ipynb",
    }


def counts(not_achieved: int, judged: int) -> dict[str, int]:
    return {"not_achieved": not_achieved, "judged": judged, "with_result": judged}


PACKS = [
    pack("bac-son", "district", "00_briefing", "10 nhiệm vụ trọng tâm: 8 hoàn thành xuất sắc nhiệm vụ"),
    pack(
        "bac-son-vu-le",
        "commune",
        "50_commune_pack",
        "Số liệu minh họa — Năm 2024: 03/09 chỉ tiêu không đạt so với kế hoạch.",
        illustrative=True,
        counts=counts(3, 9),
    ),
    pack(
        "lang-son",
        "province",
        "60_rollup",
        "Số liệu minh họa — Năm 2024: 124/200 lượt chỉ tiêu đạt và vượt kế hoạch, 76 lượt không đạt.",
        illustrative=True,
    ),
    pack(
        "trang-dinh",
        "district",
        "00_briefing",
        "Năm 2024: 06/26 chỉ tiêu không đạt so với kế hoạch, gồm: ...",
        counts=counts(6, 26),
    ),
    pack(
        "trang-dinh",
        "district",
        "10_attainment",
        "Năm 2024: 06/26 chỉ tiêu không đạt so với kế hoạch, gồm: ...",
        counts=counts(6, 26),
    ),
    pack("trang-dinh", "district", "60_rollup", failed=True),
    pack(
        "trang-dinh-that-khe",
        "town",
        "50_commune_pack",
        "Số liệu minh họa — Năm 2024: 02/07 chỉ tiêu không đạt so với kế hoạch.",
        illustrative=True,
        counts=counts(2, 7),
    ),
    pack("old-unit", "", "00_briefing", "Năm 2023: 01/05 chỉ tiêu không đạt so với kế hoạch.", counts=counts(1, 5)),
]


def test_groups_by_level_with_totals_counting_each_unit_once():
    groups = {g["key"]: g for g in group_packs(PACKS)}
    assert list(groups) == ["province", "district", "commune", "other"]
    assert [g["label"] for g in groups.values()] == ["Cấp tỉnh", "Cấp huyện", "Cấp xã (xã, thị trấn)", "Đơn vị khác"]
    district = groups["district"]
    # Tràng Định's two headlines say 06/26: counted once; Bắc Sơn's gives no count
    assert (district["units"], len(district["packs"]), district["failed"]) == (2, 4, 1)
    assert (district["not_achieved"], district["judged"], district["counted"]) == (6, 26, 1)
    commune = groups["commune"]  # a commune and a town: 3/9 + 2/7
    assert (commune["units"], commune["not_achieved"], commune["judged"], commune["illustrative"]) == (
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
    assert "2 đơn vị · 4 báo cáo · 1 lỗi · 6/26 lượt chỉ tiêu không đạt (1 đơn vị có kết quả)" in text
    assert "2 đơn vị · 2 báo cáo · 0 lỗi · 5/16 lượt chỉ tiêu không đạt (2 đơn vị có kết quả; số liệu minh họa)" in text
    totals = html[html.index('<table class="index-totals">') : html.index("</table>")]
    rows = [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r)]
        for r in totals.split("<tr")[1:]
    ]
    assert rows == [
        ["Cấp", "Đơn vị", "Báo cáo", "Lỗi", "Không có báo cáo", "Lượt chỉ tiêu không đạt / đánh giá được"],
        ["Cấp tỉnh", "1", "1", "0", "0", "—"],
        ["Cấp huyện", "2", "4", "1", "0", "6/26 (1 đơn vị có kết quả)"],
        ["Cấp xã (xã, thị trấn)", "2", "2", "0", "0", "5/16 (2 đơn vị có kết quả; số liệu minh họa)"],
        ["Đơn vị khác", "1", "1", "0", "0", "1/5 (1 đơn vị có kết quả)"],
    ]
    assert "Lỗi khi chạy : RuntimeError: hỏng" in text and 'href="trang-dinh/60_rollup.html"' not in html
    # a unit's name once per group, on its first pack
    assert html.count('<span class="unit-id">trang-dinh</span>') == 1


def member(unit: str, name: str, not_achieved: int, judged: int, *, figures: bool = True) -> dict:
    return {
        "unit": unit,
        "full_name": name,
        "level": "commune",
        "has_figures": figures,
        "has_results": figures and judged > 0,
        "not_achieved": not_achieved,
        "judged": judged,
        "illustrative": True,
    }


# A province roll-up of three communes: A (its own pack too), B (figures, no pack), C (no figures).
ROLLUP = pack("p", "province", "60_rollup", "Số liệu minh họa — Năm 2024: 2/3 xã, thị trấn có kết quả; ...")
ROLLUP["members"] = [
    member("a", "Xã A (huyện D)", 2, 8),
    member("b", "Xã B (huyện D)", 1, 5),
    member("c", "Xã C", 0, 0, figures=False),
]
ROLLUP["counts"] = None
OWN_A = {**pack("a", "commune", "50_commune_pack", "Số liệu minh họa — Năm 2024: 02/08 ..."), "counts": counts(2, 8)}


def test_the_communes_a_rollup_covers_without_a_pack_are_named_and_counted_as_it_counts_them():
    groups = {g["key"]: g for g in group_packs([ROLLUP, OWN_A], year=2024, codes={"b": "06001"})}
    commune = groups["commune"]
    # the roll-up counts 2 + 1 not achieved of 8 + 5 judged, over A and B: so does the index
    assert (commune["units"], len(commune["packs"]), commune["not_achieved"], commune["judged"]) == (3, 1, 3, 13)
    assert (commune["counted"], commune["without_pack"], commune["conflicts"]) == (2, 1, [])
    missing = {m["unit"]: m for m in commune["missing"]}
    assert list(missing) == ["b", "c"]
    assert missing["b"]["code"] == "06001" and missing["b"]["unit_name"] == "Xã B (huyện D)"
    assert missing["b"]["reason"].startswith("Không có trong danh sách chạy năm 2024 (params/2024/units.yaml)")
    assert missing["c"]["reason"] == "Không có số liệu năm 2024; không có trong danh sách chạy năm 2024"
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", index_to_html(2024, [ROLLUP, OWN_A], codes={"b": "06001"})))
    assert "2 báo cáo · 0 lỗi · 2 đơn vị không có báo cáo" in text
    assert "3 đơn vị · 1 báo cáo · 0 lỗi · 2 đơn vị không có báo cáo · 3/13 lượt chỉ tiêu không đạt" in text
    assert "(2 đơn vị có kết quả, trong đó 1 không có báo cáo; số liệu minh họa)" in text
    assert "Xã B (huyện D) b · mã 06001 Không có báo cáo Không có trong danh sách chạy năm 2024" in text


def test_a_pack_and_a_rollup_that_count_a_commune_differently_are_shown_as_a_conflict():
    other = {**OWN_A, "counts": counts(3, 8)}
    [_, commune] = group_packs([ROLLUP, other], year=2024)
    assert commune["conflicts"] == ["a"]
    assert (commune["not_achieved"], commune["judged"]) == (4, 13)  # the pack's own count, and B's
    assert "Số liệu không khớp giữa báo cáo của đơn vị và báo cáo tổng hợp: a." in re.sub(
        r"<[^>]+>", "", index_to_html(2024, [ROLLUP, other])
    )


def test_a_unit_of_the_run_never_built_is_named_with_the_command_that_builds_it():
    units = [
        {"unit": "a", "level": "commune", "name": "Xã A"},
        {"unit": "z", "level": "commune", "name": "Xã Z", "code": "06007"},
    ]
    [commune] = group_packs([OWN_A], units=units, year=2024)
    assert commune["missing"] == [
        {
            "unit": "z",
            "unit_name": "Xã Z",
            "level": "commune",
            "code": "06007",
            "reason": "Chưa chạy (python -m analysis build --year 2024 --unit z)",
        }
    ]
    assert commune["units"] == 2


def test_a_unit_whose_indicators_have_no_result_yet_gives_no_count():
    # "Năm 2025: chưa đánh giá được chỉ tiêu nào": 26 indicators, none with a result
    before = pack("trang-dinh", "district", "00_briefing", counts={"not_achieved": 0, "judged": 0, "with_result": 0})
    [group] = group_packs([before])
    assert (group["counted"], group["not_achieved"], group["judged"]) == (0, 0, 0)
    # three not yet judged, the other 23 judged and achieved: a count of 0/23
    some = pack("trang-dinh", "district", "00_briefing", counts={"not_achieved": 0, "judged": 23, "with_result": 23})
    [group] = group_packs([some])
    assert (group["counted"], group["not_achieved"], group["judged"]) == (1, 0, 23)


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
