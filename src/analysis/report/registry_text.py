"""The registry as text for the command line (``python -m analysis lookup``): units with their
parent and period, the units they were formed from and the units they became."""

from __future__ import annotations

import pandas as pd

from analysis.analyses.registry import ancestry, predecessors, successors
from analysis.io.registry import Registry

KIND_WORDS = {
    "merge": "nhập toàn bộ",
    "partial_transfer": "một phần",
    "dissolve_level": "kết thúc cấp huyện",
    "same": "cùng đơn vị",
}


def vn_date(iso: str) -> str:
    """``2025-07-01`` → ``01/07/2025``; '' stays ''.

    >>> vn_date("2025-07-01")
    '01/07/2025'
    """
    return "/".join(reversed(iso.split("-"))) if iso else ""


def unit_line(unit: pd.Series) -> str:
    """``2025-07 06040 Xã Thất Khê (xã, Tỉnh Lạng Sơn)``."""
    parent = f", {unit['parent_name']}" if unit.get("parent_name") else ""
    return f"{unit['period']} {unit['code']} {unit['name']} ({unit['type']}{parent})"


def _names(registry: Registry) -> dict[tuple[str, str], str]:
    u = registry.units
    return dict(zip(zip(u["period"], u["code"]), u["name"]))


def link_line(link: pd.Series, names: dict[tuple[str, str], str], side: str) -> str:
    period, code = str(link[f"{side}_period"]), str(link[f"{side}_code"])
    when = f", {vn_date(str(link['effective_date']))}" if link["effective_date"] else ""
    act = f", {link['legal_source']}" if link["legal_source"] else ""
    kind = KIND_WORDS.get(str(link["kind"]), str(link["kind"]))
    return f"{period} {code} {names.get((period, code), '?')} [{kind}{when}{act}]"


def lookup_text(registry: Registry, found: pd.DataFrame, links: pd.DataFrame, *, history: bool = False) -> str:
    """Each unit found, then the units it was formed from and those it became (``history``: the
    whole chain back, one indent per step)."""
    if found.empty:
        return "Không tìm thấy đơn vị nào."
    names = _names(registry)
    lines: list[str] = []
    for _, unit in found.iterrows():
        period, code = str(unit["period"]), str(unit["code"])
        lines.append(unit_line(unit))
        if history:
            chain = ancestry(links, period, code)
            if not chain.empty:
                lines.append("  hình thành từ (theo từng bước):")
            for _, link in chain.iterrows():
                lines.append("    " + "  " * (int(link["depth"]) - 1) + link_line(link, names, "from"))
        else:
            before = predecessors(links, period, code)
            if not before.empty:
                lines.append("  hình thành từ:")
                lines += ["    " + link_line(link, names, "from") for _, link in before.iterrows()]
        after = successors(links, period, code)
        if not after.empty:
            lines.append("  trở thành:")
            lines += ["    " + link_line(link, names, "to") for _, link in after.iterrows()]
        elif period != "2025-07" and unit["level"] == "commune":
            lines.append("  trở thành: không có trong nguồn (xem data/registry/lineage_report.csv)")
        report = registry.lineage_report
        for _, r in report[(report["period"] == period) & (report["code"] == code)].iterrows():
            vp, va = str(r["vietnam_provinces"]) or "—", str(r["vietnamadminunits"]) or "—"
            lines.append(f"  lưu ý ({r['issue']}): vietnam-provinces: {vp}; vietnamadminunits: {va}")
    return "\n".join(lines)


def communes_text(province: pd.Series, communes: pd.DataFrame) -> str:
    """A province's communes, one a line, with the count by type."""
    counts = communes["type"].value_counts()
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    head = f"{province['name']} ({province['code']}, {province['period']}): {len(communes)} đơn vị cấp xã ({summary})"
    return "\n".join([head, *(f"  {r.code} {r.name}" for r in communes.itertuples(index=False))])
