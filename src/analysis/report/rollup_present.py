"""The roll-up pack (a province's or a district's communes together) as the document model.

Built on :mod:`analysis.report.cells` and the status words, so the roll-up reads like the other
packs. Every table whose rows rest on illustrative commune figures says so in a column or in its
heading (the notebook's), and marks those rows.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.io.schema import Status
from analysis.report.cells import bullets, join, num, num_cell, para, section, span, table
from analysis.report.document import Cell, Column, Paragraph, Row, Section, Table, cell

LEVEL_NAMES = {"province": "Tỉnh", "district": "Huyện", "commune": "Xã", "town": "Thị trấn"}


def _names(text: str) -> str:
    """``a;b`` → ``a, b``."""
    return ", ".join(n for n in str(text).split(";") if n)


def summary_table(summary: pd.DataFrame, kinds: str = "xã, thị trấn") -> Table | Paragraph:
    """Per indicator: communes with it, with a result, achieved, not achieved, and which
    (``kinds``: how the communes are named, :func:`analysis.analyses.communes.commune_kinds`)."""
    if summary.empty:
        return para(f"Chưa có số liệu của các {kinds}.")
    return table(
        summary.assign(no=range(1, len(summary) + 1)),
        {
            "tt": ("TT", "stt", lambda r: span(f"({r['no']})")),
            "indicator": ("Chỉ tiêu", "name", lambda r: span(r["indicator"])),
            "mu": ("ĐVT", "unit", lambda r: span(r["measure_unit"])),
            "n": ("Số xã có chỉ tiêu", "number", lambda r: num_cell(r["n_units"], 0)),
            "res": ("Có kết quả", "number", lambda r: num_cell(r["n_result"], 0)),
            "ok": ("Đạt và vượt", "number", lambda r: cell(span(num(r["n_achieved"], 0), "ok"), value=r["n_achieved"])),
            "miss": (
                "Không đạt",
                "number",
                lambda r: cell(
                    span(num(r["n_not_achieved"], 0), "bad" if r["n_not_achieved"] else "num"),
                    value=r["n_not_achieved"],
                ),
            ),
            "who": (f"Các {kinds} không đạt", "text", lambda r: span(_names(r["not_achieved"]) or "—")),
        },
        key="rollup-summary",
    )


def status_map(
    matrix: pd.DataFrame, summary: pd.DataFrame, district_names: dict[str, str], kinds: str = "xã, thị trấn"
) -> Table | Paragraph:
    """The commune × indicator map: a row per commune (grouped by district), a column per
    indicator numbered as in :func:`summary_table`, each cell its status in its colour."""
    if matrix.empty:
        return para(f"Chưa có số liệu của các {kinds}.")
    ids = [str(i) for i in summary["indicator_id"]]
    columns = (
        Column("name", kinds[:1].upper() + kinds[1:], "name"),
        *tuple(Column(f"st{k}", f"({k})", "status") for k in range(1, len(ids) + 1)),
    )
    rows: list[Row] = []
    grouped = len(set(matrix["district"])) > 1 or bool(district_names)
    for district, group in matrix.groupby("district", sort=False):
        if grouped:
            name = district_names.get(str(district))
            title = f"Huyện {name}" if name else "Trực thuộc tỉnh"
            rows.append(Row((cell(span(title)),), role="group"))
        for _, r in group.iterrows():
            rows.append(Row((cell(span(r["name"])), *(_map_cell(str(r[i])) for i in ids))))
    return Table(columns, tuple(rows), key="status-map")


#: The words of the map's cells (short enough for ten columns on A4).
MAP_WORDS = {
    Status.EXCEEDED.value: "Vượt",
    Status.ACHIEVED.value: "Đạt",
    Status.EXPECTED.value: "DK đạt",
    Status.NOT_ACHIEVED.value: "Không đạt",
    Status.UNKNOWN.value: "?",
}


def _map_cell(status: str) -> Cell:
    if not status:
        return Cell()
    return cell(span(MAP_WORDS.get(status, status)), status=status)


def map_legend(summary: pd.DataFrame) -> Section:
    """What the map's columns and words mean."""
    items = []
    for k, (_, r) in enumerate(summary.iterrows(), 1):
        unit = f" ({r['measure_unit']})" if r["measure_unit"] else ""
        items.append(f"({k}) {r['indicator']}{unit}")
    return section(
        para("Các cột:", role="note"),
        bullets(items, style="plain"),
        para(
            "Ô: ",
            span("Vượt", "strong"),
            ", ",
            span("Đạt", "strong"),
            " kế hoạch năm; ",
            span("DK đạt", "strong"),
            ": dự kiến đạt (số ước thực hiện); ",
            span("Không đạt", "strong"),
            "; ",
            span("?", "strong"),
            ": chưa đánh giá được (thiếu kết quả hoặc kế hoạch); ô trống: xã không có chỉ tiêu này.",
            role="note",
        ),
        key="map-legend",
    )


def furthest_note() -> Paragraph:
    """How the communes furthest from their plans are ranked."""
    return para(
        "Xếp theo số chỉ tiêu không đạt kế hoạch năm, rồi theo mức hụt bình quân của các chỉ tiêu "
        "đó: với chỉ tiêu càng cao càng tốt, mức hụt = (kế hoạch − kết quả) / kế hoạch; với chỉ tiêu càng thấp "
        "càng tốt, mức hụt = (kết quả − kế hoạch) / kế hoạch. Với chỉ tiêu tính bằng tỷ lệ, khoảng cách ghi theo "
        "điểm phần trăm.",
        role="note",
    )


def furthest_table(
    furthest: pd.DataFrame, district_names: dict[str, str], kinds: str = "xã, thị trấn"
) -> Table | Paragraph:
    """The communes furthest from their plans."""
    if furthest.empty:
        return para(f"Không có {kinds} nào có chỉ tiêu không đạt kế hoạch.")
    # the district column only where a commune listed has one (none under a province since 2025)
    districts = any(district_names.get(str(d), "") for d in furthest["district"])
    columns: dict[str, tuple[str, Any, Any]] = {
        "no": ("TT", "stt", lambda r: span(str(r["no"]))),
        "name": ("Xã, thị trấn", "text", lambda r: span(r["name"])),
    }
    if districts:
        columns["district"] = ("Huyện", "text", lambda r: span(district_names.get(str(r["district"]), "")))
    columns.update(
        {
            "miss": (
                "Chỉ tiêu không đạt",
                "number",
                lambda r: span(f"{num(r['n_not_achieved'], 0)}/{num(r['n_indicators'], 0)}", "num"),
            ),
            "short": (
                "Mức hụt bình quân so với kế hoạch",
                "percent",
                lambda r: num_cell(r["mean_shortfall_pct"], 1, percent=True),
            ),
            "worst": ("Chỉ tiêu cách kế hoạch xa nhất", "name", lambda r: span(r["worst_text"])),
        }
    )
    return table(furthest.assign(no=range(1, len(furthest) + 1)), columns, key="rollup-furthest")


def _own(row: pd.Series) -> str:
    """Whose report a unit's real figures come from: ``tỉnh`` for a province's own table,
    ``huyện`` for a district's, ``xã`` for a commune's."""
    return LEVEL_NAMES.get(str(row["level"]), "đơn vị").lower()


def slips_table(slips: pd.DataFrame, district_names: dict[str, str]) -> Table | Paragraph:
    """The units whose published figures disagree with their recomputation."""
    if slips.empty:
        return para("Các số liệu công bố đều khớp với giá trị tính lại.")

    def unit(r: pd.Series) -> Cell:
        text = f"{LEVEL_NAMES.get(str(r['level']), '')} {r['name']}".strip()
        district = district_names.get(str(r["district"]), "")
        return cell(span(text), span(f"huyện {district}", "inferred") if district else ())

    return table(
        slips,
        {
            "unit": ("Đơn vị", "text", unit),
            "n": ("Số liệu không khớp", "number", lambda r: num_cell(r["n_slips"], 0)),
            "what": ("Nội dung", "name", lambda r: cell(*(join(f"• {s}") for s in r["slips"]))),
            "ill": (
                "Số liệu",
                "text",
                lambda r: span("minh họa" if bool(r["illustrative"]) else f"thật (báo cáo của {_own(r)})"),
            ),
        },
        key="rollup-slips",
        illustrative=lambda r: bool(r["illustrative"]),
    )


def missing_note(names: list[str], year: int) -> Paragraph | None:
    """The member communes without figures for the year, named."""
    if not names:
        return None
    return para(f"Chưa có số liệu năm {year} của: {', '.join(names)}.", role="note")
