"""Write the units of a province in force since 01/07/2025 into ``data/units.csv``, from the
registry snapshot (``data/registry/``), so that a 2026 run can build their packs.

Each commune of the province in the period ``2025-07`` becomes a row whose id is its code and
its short name in ASCII (``06040-that-khe``, :func:`analysis.analyses.registry.code_unit_id`),
with its official name (``Xã Thất Khê``), level ``commune`` (xã, phường and đặc khu alike: the
name says which), parent the province's slug of ``unit_codes.csv`` (``lang-son``), ``valid_from``
2026 (in force from 01/07/2025; the year-end runs report by these units from 2026, the 2025 run
by the units of 01/12/2024) and the registry's source. The units of ``units.csv`` that the
arrangement of 01/07/2025 ended (every unit of ``unit_codes.csv`` with a lineage row into the
period, kind merge or partial_transfer) get ``valid_to`` 2025 where it is empty.

The rows written before (ids starting with a digit, parent the province) are replaced, so
running it twice gives the same file. Run from the project root:

    .venv/bin/python tools/registry_units.py --province 20
"""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

from analysis.analyses.registry import CURRENT, province_units
from analysis.io.registry import load_registry

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "vietnam-provinces-2026.9.0"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--province", default="20", help="the province's code (default 20, Lạng Sơn)")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data")
    args = parser.parse_args()
    registry = load_registry(args.data_dir)
    units_file = args.data_dir / "units.csv"
    with units_file.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        columns = list(reader.fieldnames or [])
        rows = list(reader)
    codes = registry.unit_codes
    head = codes[(codes["period"] == CURRENT) & (codes["code"] == args.province)]
    if head.empty:
        raise SystemExit(f"province {args.province}: no slug in data/registry/unit_codes.csv for {CURRENT}")
    province = str(head["unit"].iloc[0])
    ended = set()
    lineage = registry.lineage
    moved = lineage[
        (lineage["to_period"] == CURRENT)
        & (lineage["level"] == "commune")
        & lineage["kind"].isin(["merge", "partial_transfer"])
    ]
    old = set(zip(moved["from_period"], moved["from_code"], strict=True))
    for unit, period, code in zip(codes["unit"], codes["period"], codes["code"], strict=True):
        if (period, code) in old:
            ended.add(str(unit))
    kept = [r for r in rows if not (r["unit"][:1].isdigit() and r["parent"] == province)]
    for r in kept:
        if r["unit"] in ended and not r["valid_to"]:
            r["valid_to"] = "2025"
    communes = province_units(registry, args.province).iloc[1:]
    for c in communes.itertuples(index=False):
        name = str(c.name)
        official = name[:1].upper() + name[1:]  # the registry writes one 'xã Bắc Sơn'
        kept.append(
            {
                **dict.fromkeys(columns, ""),
                "unit": str(c.unit_id),
                "name": official,
                "level": "commune",
                "parent": province,
                "valid_from": "2026",
                "valid_to": "",
                "illustrative": "false",
                "source": SOURCE,
                "note": f"Mã {c.code} ({c.type}), danh mục từ 01/07/2025: data/registry/units.csv, period {CURRENT}"
                + ("; the registry writes 'xã' in lower case" if official != name else "")
                + ". Written by tools/registry_units.py.",
            }
        )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(kept)
    units_file.write_text(out.getvalue(), encoding="utf-8")
    print(f"{units_file}: {len(communes)} communes of {province} ({args.province}); {len(ended)} units end in 2025")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
