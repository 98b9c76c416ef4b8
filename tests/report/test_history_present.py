"""The history carried to a merged commune, as its pack shows it (report.history_present)."""

from __future__ import annotations

import re

from analysis.report import history_present
from analysis.report.communes_context import commune_context
from analysis.writers.html import html_of


def test_khánh_long_s_pack_names_the_merger_and_the_method_of_each_indicator():
    ctx = commune_context("trang-dinh-khanh-long", 2025)
    html = html_of(history_present.carried_history_section(ctx))
    text = re.sub(r"<[^>]+>", " ", html)
    assert "Số liệu các năm trước sắp xếp, ghép từ các đơn vị cũ (minh họa)" in text
    assert "Từ 01/12/2024: nhập xã Vĩnh Tiến (29,64 km², 636 người) vào xã Khánh Long" in text
    assert "sau sắp xếp xã Khánh Long có 75,2 km², 1.520 người" in text
    rows = {
        re.sub(r"<[^>]+>", "", cells[0]): [re.sub(r"<[^>]+>", "", c) for c in cells]
        for cells in (re.findall(r"<td[^>]*>(.*?)</td>", r) for r in re.split(r"<tr[^>]*>", html)[2:])
    }
    poverty = rows["Tỷ lệ hộ nghèo đa chiều"]
    # (884 × 15,40 + 636 × 19,90) / 1.520 = 17,28 (illustrative figures); weights 884/1520, 636/1520
    assert poverty[4] == "17,28" and poverty[5] == "bình quân theo dân số"
    assert poverty[6] == "xã Khánh Long (địa bàn trước sắp xếp) × 0,5816 + xã Vĩnh Tiến × 0,4184"
    assert rows["Thu ngân sách nhà nước trên địa bàn"][4:6] == ["1.390", "cộng dồn"]
    ntm = rows["Số tiêu chí nông thôn mới xã đạt được"]
    assert ntm[2:6] == ["—", "—", "—", "không chuyển"] and "tiêu chí của từng xã" in ntm[6]
    assert "trang-dinh-" not in text  # names, never ids


def test_a_commune_nothing_was_merged_into_shows_no_such_section():
    assert html_of(history_present.carried_history_section(commune_context("trang-dinh-hung-son", 2025))) == ""


def test_what_cannot_be_carried_says_why_once_for_all_years():
    """Đại Đồng (merged into Đội Cấn) has no figures in the data: nothing is carried, and why."""
    html = html_of(history_present.carried_history_section(commune_context("trang-dinh-doi-can", 2025)))
    assert "Từ 01/12/2024: nhập xã Đại Đồng vào xã Đội Cấn" in html
    assert html.count("thiếu số liệu các năm 2022–2024 của xã Đại Đồng.") == 7  # the 7 indicators that could be
    assert "bình quân theo dân số</td>" not in html and "cộng dồn</td>" not in html
