"""The document model of the units a commune was formed from on 01/07/2025 (the registry's lineage,
:func:`analysis.analyses.registry.arrangement_events`): each predecessor with its code, how it
joined and by which act, and each one's own series of the years before, as the data hold them.
What the predecessors' figures make together is the carried history
(:func:`analysis.report.history_present.carried_history_section`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.io.schema import Kind
from analysis.report.cells import bullets, heading, num_cell, para, section, span, table
from analysis.report.document import Cell, Section, cell

if TYPE_CHECKING:
    from analysis.report.communes_context import CommuneContext

HOW_VI = {"merge": "nhập toàn bộ", "partial_transfer": "nhập một phần (chia cho nhiều xã mới)"}


def predecessor_series(
    observations: pd.DataFrame, catalogue: pd.DataFrame, predecessors: list[str], *, year: int
) -> pd.DataFrame:
    """The results (or estimates) of each of ``predecessors`` before ``year``, one row per
    predecessor and indicator (columns ``unit``, ``indicator``, ``measure_unit``, ``decimals``,
    one per year, ``illustrative``), in the order of ``predecessors`` and of each catalogue.

    >>> obs = pd.DataFrame({"unit": ["a", "a"], "indicator_id": ["x", "x"], "year": [2023, 2024],
    ...     "kind": ["result", "result"], "value": [1.0, 2.5], "illustrative": [True, True]})
    >>> cat = pd.DataFrame({"unit": ["a"], "indicator_id": ["x"], "tt": [1], "indicator": ["X"],
    ...     "measure_unit": ["ha"], "decimals": [1]})
    >>> predecessor_series(obs, cat, ["a", "b"], year=2026)[["unit", "indicator", 2023, 2024]].values.tolist()
    [['a', 'X', 1.0, 2.5]]
    """
    obs = observations[
        observations["unit"].isin(predecessors)
        & observations["kind"].isin([Kind.RESULT, Kind.ESTIMATE])
        & (observations["year"] < year)
        & observations["value"].notna()
    ]
    years = sorted({int(y) for y in obs["year"]})
    rows = []
    for unit in predecessors:
        cat = catalogue[catalogue["unit"] == unit].sort_values("tt", kind="stable")
        mine = obs[obs["unit"] == unit]
        for ind in cat.itertuples(index=False):
            hits = mine[mine["indicator_id"] == ind.indicator_id]
            if hits.empty:
                continue
            row: dict[object, object] = {
                "unit": unit,
                "indicator": ind.indicator,
                "measure_unit": ind.measure_unit,
                "decimals": _decimals(ind.decimals),
                "illustrative": bool(hits["illustrative"].any()) if "illustrative" in hits else False,
            }
            for y in years:
                h = hits[hits["year"] == y].sort_values("kind")  # result before estimate
                row[y] = float(h["value"].iloc[0]) if not h.empty else float("nan")
            rows.append(row)
    return pd.DataFrame(rows, columns=["unit", "indicator", "measure_unit", "decimals", *years, "illustrative"])


def _decimals(value: object) -> int:
    try:
        return int(str(value)) if str(value) not in ("", "nan", "None") else 2
    except ValueError:
        return int(float(str(value)))


def _year_cell(year: int) -> Callable[[pd.Series], Cell]:
    return lambda r: num_cell(r[year], int(r["decimals"])) if not pd.isna(r[year]) else cell(span("—"))


def predecessors_section(ctx: CommuneContext, *, level: int = 3) -> Section:
    """The section of a 2026 commune pack on the units it was formed from: empty for a unit
    the registry's arrangement did not form (a commune of the runs before 2026)."""
    events, labels = ctx.arrangement
    joined = events[events["kind"] != "create"]
    if joined.empty:
        return section()
    items = []
    have = set(ctx.observations["unit"])
    for e in joined.itertuples(index=False):
        name = labels.get(str(e.from_unit), str(e.from_unit))
        data = "có số liệu trong bộ dữ liệu" if str(e.from_unit) in have else "không có số liệu trong bộ dữ liệu"
        day = pd.Timestamp(str(e.date))
        items.append(
            f"{name}: {HOW_VI.get(str(e.kind), str(e.kind))} từ {day:%d/%m/%Y}; {data}. Căn cứ: {e.legal_source}."
        )
    preds = [str(u) for u in joined["from_unit"]]
    series = predecessor_series(ctx.observations, ctx.catalogue, preds, year=ctx.year)
    missing = [labels.get(u, u) for u in preds if u not in set(series["unit"])]
    parts: list[Any] = [
        heading(f"Các đơn vị cũ hợp thành {ctx.name} (từ 01/07/2025)", level),
        bullets(items, style="events"),
    ]
    if not series.empty:
        years = [int(c) for c in series.columns if str(c).isdigit()]
        columns: dict[str, tuple[str, Any, Callable[[pd.Series], Any]]] = {
            "unit": ("Đơn vị cũ", "text", lambda r: span(labels.get(str(r["unit"]), str(r["unit"])))),
            "indicator": ("Chỉ tiêu", "name", lambda r: span(r["indicator"])),
            "mu": ("ĐVT", "unit", lambda r: span(r["measure_unit"])),
        }
        for y in years:
            columns[f"y{y}"] = (f"TH {y}", "number", _year_cell(y))
        illustrative = bool(series["illustrative"].any())
        parts.append(para("Số liệu của từng đơn vị cũ" + (" (minh họa)" if illustrative else "") + ":"))
        parts.append(table(series, columns, key="predecessors", illustrative=lambda r: bool(r["illustrative"])))
    if missing:
        parts.append(
            para(
                "Không có số liệu của " + ", ".join(missing) + ": các chỉ tiêu cộng dồn hay bình quân "
                "cần số liệu của mọi đơn vị cũ nên không ghép được cho các năm trước sắp xếp.",
                role="note",
            )
        )
    return section(*parts)
