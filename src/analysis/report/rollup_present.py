"""HTML pieces of the roll-up pack (a province's or a district's communes together).

Built on :func:`analysis.report.html_table.html_table` and its status classes, so the roll-up
reads like the other packs. Every table whose rows rest on illustrative commune figures says
so in a column or in its heading (the notebook's).
"""

from __future__ import annotations

import pandas as pd

from analysis.io.schema import Status
from analysis.report.html_table import STATUS_CLASS, esc, html_table, num

LEVEL_NAMES = {"province": "Tỉnh", "district": "Huyện", "commune": "Xã", "town": "Thị trấn"}


def _names(text: str) -> str:
    """``a;b`` → ``a, b``."""
    return ", ".join(n for n in str(text).split(";") if n)


def summary_table(summary: pd.DataFrame) -> str:
    """Per indicator: communes with it, with a result, achieved, not achieved, and which."""
    if summary.empty:
        return "<p>Chưa có số liệu của các xã, thị trấn.</p>"
    return html_table(
        summary.assign(no=range(1, len(summary) + 1)),
        {
            "tt": ("TT", lambda r: f"({r['no']})"),
            "indicator": ("Chỉ tiêu", lambda r: esc(r["indicator"])),
            "mu": ("ĐVT", lambda r: esc(r["measure_unit"])),
            "n": ("Số xã có chỉ tiêu", lambda r: num(r["n_units"], 0)),
            "res": ("Có kết quả", lambda r: num(r["n_result"], 0)),
            "ok": ("Đạt và vượt", lambda r: f'<span class="ok">{num(r["n_achieved"], 0)}</span>'),
            "miss": (
                "Không đạt",
                lambda r: f'<span class="bad">{num(r["n_not_achieved"], 0)}</span>' if r["n_not_achieved"] else "0",
            ),
            "who": ("Các xã, thị trấn không đạt", lambda r: esc(_names(r["not_achieved"])) or "—"),
        },
        css_class="data rollup-summary",
    )


def status_map(matrix: pd.DataFrame, summary: pd.DataFrame, district_names: dict[str, str]) -> str:
    """The commune × indicator map: a row per commune (grouped by district), a column per
    indicator numbered as in :func:`summary_table`, each cell its status in its colour."""
    if matrix.empty:
        return "<p>Chưa có số liệu của các xã, thị trấn.</p>"
    ids = [str(i) for i in summary["indicator_id"]]
    head = "<th>Xã, thị trấn</th>" + "".join(
        f'<th title="{esc(name)}">({k})</th>' for k, name in enumerate(summary["indicator"], 1)
    )
    rows = []
    grouped = len(set(matrix["district"])) > 1 or bool(district_names)
    for district, group in matrix.groupby("district", sort=False):
        if grouped:
            name = district_names.get(str(district))
            title = f"Huyện {name}" if name else "Trực thuộc tỉnh"
            rows.append(f'<tr class="group"><th colspan="{len(ids) + 1}">{esc(title)}</th></tr>')
        for _, r in group.iterrows():
            cells = "".join(_map_cell(str(r[i])) for i in ids)
            rows.append(f'<tr><td class="c-name">{esc(r["name"])}</td>{cells}</tr>')
    body = "\n".join(rows)
    return f'<table class="data status-map"><thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table>'


#: The words of the map's cells (short enough for ten columns on A4).
MAP_WORDS = {
    Status.EXCEEDED.value: "Vượt",
    Status.ACHIEVED.value: "Đạt",
    Status.EXPECTED.value: "DK đạt",
    Status.NOT_ACHIEVED.value: "Không đạt",
    Status.UNKNOWN.value: "?",
}


def _map_cell(status: str) -> str:
    if not status:
        return '<td class="c-st st-none"></td>'
    css = STATUS_CLASS.get(status, "st-unknown")
    return f'<td class="c-st {css}">{esc(MAP_WORDS.get(status, status))}</td>'


def map_legend(summary: pd.DataFrame) -> str:
    """What the map's columns and words mean."""
    items = []
    for k, (_, r) in enumerate(summary.iterrows(), 1):
        unit = f" ({esc(r['measure_unit'])})" if r["measure_unit"] else ""
        items.append(f"<li>({k}) {esc(r['indicator'])}{unit}</li>")
    return (
        '<div class="map-legend"><p>Các cột:</p>'
        f'<ol class="plain">{"".join(items)}</ol>'
        "<p>Ô: <b>Vượt</b>, <b>Đạt</b> kế hoạch năm; <b>DK đạt</b>: dự kiến đạt (số ước thực hiện); "
        "<b>Không đạt</b>; <b>?</b>: chưa đánh giá được (thiếu kết quả hoặc kế hoạch); "
        "ô trống: xã không có chỉ tiêu này.</p></div>"
    )


def furthest_note() -> str:
    """How the communes furthest from their plans are ranked."""
    return (
        '<p class="note">Xếp theo số chỉ tiêu không đạt kế hoạch năm, rồi theo mức hụt bình quân của các chỉ tiêu '
        "đó: với chỉ tiêu càng cao càng tốt, mức hụt = (kế hoạch − kết quả) / kế hoạch; với chỉ tiêu càng thấp "
        "càng tốt, mức hụt = (kết quả − kế hoạch) / kế hoạch. Với chỉ tiêu tính bằng tỷ lệ, khoảng cách ghi theo "
        "điểm phần trăm.</p>"
    )


def furthest_table(furthest: pd.DataFrame, district_names: dict[str, str]) -> str:
    """The communes furthest from their plans."""
    if furthest.empty:
        return "<p>Không có xã, thị trấn nào có chỉ tiêu không đạt kế hoạch.</p>"
    # the district column only where a commune listed has one (none under a province since 2025)
    districts = any(district_names.get(str(d), "") for d in furthest["district"])
    return html_table(
        furthest.assign(no=range(1, len(furthest) + 1)),
        {
            "no": ("TT", lambda r: str(r["no"])),
            "name": ("Xã, thị trấn", lambda r: esc(r["name"])),
            **({"district": ("Huyện", lambda r: esc(district_names.get(str(r["district"]), "")))} if districts else {}),
            "miss": ("Chỉ tiêu không đạt", lambda r: f"{num(r['n_not_achieved'], 0)}/{num(r['n_indicators'], 0)}"),
            "short": ("Mức hụt bình quân so với kế hoạch", lambda r: num(r["mean_shortfall_pct"], 1, percent=True)),
            "worst": ("Chỉ tiêu cách kế hoạch xa nhất", lambda r: esc(r["worst_text"])),
        },
        css_class="data rollup-furthest",
    )


def _own(row: pd.Series) -> str:
    """Whose report a unit's real figures come from: ``tỉnh`` for a province's own table,
    ``huyện`` for a district's, ``xã`` for a commune's."""
    return LEVEL_NAMES.get(str(row["level"]), "đơn vị").lower()


def slips_table(slips: pd.DataFrame, district_names: dict[str, str]) -> str:
    """The units whose published figures disagree with their recomputation."""
    if slips.empty:
        return "<p>Các số liệu công bố đều khớp với giá trị tính lại.</p>"

    def unit(r: pd.Series) -> str:
        text = f"{LEVEL_NAMES.get(str(r['level']), '')} {r['name']}".strip()
        district = district_names.get(str(r["district"]), "")
        return esc(text) + (f'<br><span class="inferred">huyện {esc(district)}</span>' if district else "")

    return html_table(
        slips,
        {
            "unit": ("Đơn vị", unit),
            "n": ("Số liệu không khớp", lambda r: num(r["n_slips"], 0)),
            "what": (
                "Nội dung",
                lambda r: "<ul class='plain'>" + "".join(f"<li>{esc(s)}</li>" for s in r["slips"]) + "</ul>",
            ),
            "ill": ("Số liệu", lambda r: "minh họa" if bool(r["illustrative"]) else f"thật (báo cáo của {_own(r)})"),
        },
        css_class="data rollup-slips",
    )


def missing_note(names: list[str], year: int) -> str:
    """The member communes without figures for the year, named."""
    if not names:
        return ""
    return f'<p class="note">Chưa có số liệu năm {year} của: {esc(", ".join(names))}.</p>'
