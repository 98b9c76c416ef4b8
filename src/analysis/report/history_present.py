"""The document model of a history carried to a unit from the units merged into it
(:func:`analysis.analyses.lineage.carry_history`): the changes, then one row per indicator
with the carried value of each past year and how it was made (summed, weighted by
population, or not carried and why)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.io.numbers import format_compact
from analysis.report.cells import bullets, heading, num_cell, para, section, span, table
from analysis.report.document import Cell, Paragraph, Section, Table, cell

if TYPE_CHECKING:
    from analysis.report.communes_context import CommuneContext

METHOD_VI = {"sum": "cộng dồn", "population_weighted": "bình quân theo dân số", "not_carried": "không chuyển"}
LEVEL_WORD = {"commune": "xã", "town": "thị trấn", "district": "huyện", "province": "tỉnh"}


def unit_labels(units: pd.DataFrame) -> dict[str, str]:
    """``{"trang-dinh-vinh-tien": "xã Vĩnh Tiến", "06040-that-khe": "xã Thất Khê", ...}`` for every
    unit of ``units.csv`` (an official name that says its type keeps it, lower-cased)."""
    from analysis.report.communes_context import has_type_word

    return {
        str(u): (n[:1].lower() + n[1:] if has_type_word(str(n)) else f"{LEVEL_WORD.get(str(lv), '')} {n}".strip())
        for u, n, lv in zip(units["unit"], units["name"], units["level"], strict=True)
    }


def _named(text: str, labels: Mapping[str, str]) -> str:
    """``text`` with unit ids replaced by their names (longest ids first)."""
    for unit in sorted(labels, key=len, reverse=True):
        text = text.replace(unit, labels[unit])
    return text


def _vi(value: Any, decimals: int = 2) -> str:
    return "" if value is None or pd.isna(value) else format_compact(float(value), decimals)


def event_sentences(events: pd.DataFrame, labels: Mapping[str, str]) -> list[str]:
    """One sentence per change: what moved where, from when, by which act.

    >>> ev = pd.DataFrame({"date": ["2024-12-01"], "kind": ["merge"], "from_unit": ["a"], "to_unit": ["b"],
    ...     "area_km2": [29.64], "population": [636.0], "to_area_km2_after": [75.2], "to_population_after": [1520.0],
    ...     "legal_source": ["Nghị quyết X"]})
    >>> event_sentences(ev, {"a": "xã A", "b": "xã B"})[0]
    'Từ 01/12/2024: nhập xã A (29,64 km², 636 người) vào xã B; sau sắp xếp xã B có 75,2 km², 1.520 người. Căn cứ: Nghị quyết X.'
    """
    out = []
    for _, e in events.iterrows():
        src, dst = (
            labels.get(str(e["from_unit"]), str(e["from_unit"])),
            labels.get(str(e["to_unit"]), str(e["to_unit"])),
        )
        size = ", ".join(
            t
            for t in (
                f"{_vi(e['area_km2'])} km²" if not pd.isna(e["area_km2"]) else "",
                f"{_vi(e['population'], 0)} người" if not pd.isna(e["population"]) else "",
            )
            if t
        )
        moved = f"{src} ({size})" if size else src
        kind = str(e["kind"])
        what = {
            "merge": f"nhập {moved} vào {dst}",
            "partial_transfer": f"chuyển một phần {moved} sang {dst}",
            "rename": f"đổi tên {src} thành {dst}",
            "create": f"thành lập {dst}",
        }.get(kind, f"{kind}: {src} → {dst}")
        after = ", ".join(
            t
            for t in (
                f"{_vi(e['to_area_km2_after'])} km²" if not pd.isna(e["to_area_km2_after"]) else "",
                f"{_vi(e['to_population_after'], 0)} người" if not pd.isna(e["to_population_after"]) else "",
            )
            if t
        )
        day = pd.Timestamp(str(e["date"]))
        sentence = f"Từ {day:%d/%m/%Y}: {what}" + (f"; sau sắp xếp {dst} có {after}" if after else "")
        out.append(sentence + f". Căn cứ: {e['legal_source']}.")
    return out


def carried_history_table(
    history: pd.DataFrame, catalogue: pd.DataFrame, labels: Mapping[str, str], *, illustrative: bool = True
) -> Table | None:
    """One row per indicator of ``catalogue`` (the unit's, in table order) that has a carried
    row: the value of each past year, the method, and from what it was made (or why not)."""
    if history.empty:
        return None
    years = sorted({int(y) for y in history["year"]})
    rows = []
    for _, ind in catalogue.sort_values("tt", kind="stable").iterrows():
        h = history[history["indicator_id"] == ind["indicator_id"]]
        if h.empty:
            continue
        dec = int(ind["decimals"]) if not pd.isna(ind["decimals"]) else 2
        done = h[h["method"] != "not_carried"]
        row: dict[str, object] = {"indicator": ind["indicator"], "measure_unit": ind["measure_unit"]}
        for y in years:
            hit = h[h["year"] == y]
            row[str(y)] = float(hit["value"].iloc[0]) if not hit.empty else float("nan")
        if not done.empty:
            last = done.iloc[-1]
            row["method"] = METHOD_VI[str(last["method"])]
            row["how"] = _weights_text(last, labels)
        else:
            row["method"] = METHOD_VI["not_carried"]
            reasons = {re.sub(r"năm \d{4}", "{years}", str(n)).removeprefix("Không chuyển: ") for n in h["note"]}
            first, last = int(h["year"].min()), int(h["year"].max())
            period = f"năm {first}" if first == last else f"các năm {first}–{last}"
            row["how"] = "; ".join(_named(r, labels).replace("{years}", period) for r in sorted(reasons))
        missing = h[h["method"] == "not_carried"]
        if not done.empty and not missing.empty:
            row["how"] = f"{row['how']}; " + "; ".join(
                f"năm {int(r['year'])}: " + _named(str(r["note"]).removeprefix("Không chuyển: "), labels)
                for _, r in missing.iterrows()
            )
        row["decimals"] = dec
        rows.append(row)
    frame = pd.DataFrame(rows)
    columns: dict[str, tuple[str, Any, Callable[[pd.Series], Any]]] = {
        "indicator": ("Chỉ tiêu", "name", lambda r: span(r["indicator"])),
        "mu": ("ĐVT", "unit", lambda r: span(r["measure_unit"])),
    }
    for y in years:
        columns[f"y{y}"] = (f"TH {y} (ghép)", "number", _year_cell(str(y)))
    columns["method"] = ("Cách ghép", "text", lambda r: span(r["method"]))
    columns["how"] = ("Ghép từ / lý do không chuyển", "text", lambda r: span(r["how"]))
    return table(frame, columns, key="carried", illustrative=illustrative)


def _year_cell(year: str) -> Callable[[pd.Series], Cell]:
    return lambda r: num_cell(r[year], int(r["decimals"])) if not pd.isna(r[year]) else cell(span("—"))


def _weights_text(row: pd.Series, labels: Mapping[str, str]) -> str:
    """``xã Khánh Long (địa bàn trước sắp xếp) × 0,5816 + xã Vĩnh Tiến × 0,4184`` (a weight of 1
    is not written)."""
    names = str(row["predecessors"]).split(";")
    weights = str(row["weights"]).split(";")
    parts = []
    for name, w in zip(names, weights, strict=False):
        label = labels.get(name, name) + (" (địa bàn trước sắp xếp)" if name == str(row["unit"]) else "")
        parts.append(label if w in ("1", "") else f"{label} × {format_compact(float(w), 4)}")
    return " + ".join(parts)


def method_note() -> Paragraph:
    """How the carried values are made."""
    return para(
        "Số lượng (số vụ, diện tích, thu ngân sách…) được cộng dồn theo phần địa bàn chuyển sang; "
        "tỷ lệ (%) được bình quân theo dân số của từng phần; chỉ tiêu đo theo từng xã (số tiêu chí nông thôn mới, "
        "số quy định…) và chỉ tiêu bằng lời không chuyển. Cột TH năm trước trong bảng số liệu của xã dùng số liệu "
        "ghép khi ghép được.",
        role="note",
    )


def carried_history_section(ctx: CommuneContext, *, level: int = 3) -> Section:
    """The section of a commune pack on the history carried to it: the changes, the table and
    how the values are made; an empty section when nothing was merged into the commune."""
    history = ctx.carried_history
    if history.empty:
        return section()
    labels = {**unit_labels(ctx.curated.units), **ctx.arrangement[1]}
    illustrative = bool(history["illustrative"].any())
    title = "Số liệu các năm trước sắp xếp, ghép từ các đơn vị cũ" + (" (minh họa)" if illustrative else "")
    return section(
        heading(title, level),
        bullets(event_sentences(ctx.carried_events, labels), style="events"),
        carried_history_table(history, ctx.unit_catalogue, labels, illustrative=illustrative),
        method_note(),
    )
