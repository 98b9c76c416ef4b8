"""How the 2026 rows of ``commune_indicators.csv`` and ``commune_observations.csv`` were made:
the catalogue, the 2026 plans and the 2030 congress targets of every commune of Lạng Sơn in
force since 01/07/2025 (the rows of ``data/units.csv`` whose id starts with a code,
``tools/registry_units.py``).

EVERY FIGURE IS ILLUSTRATIVE: no commune's 2026 plan or 2025–2030 congress target is published
in the sources the project holds. Each row has ``illustrative = true``, ``source =
illustrative`` and a ``note`` naming this script. The figures are drawn from a random generator
seeded by the commune's code (``SEED`` + code), so re-running the script rewrites the same rows;
where every predecessor of the commune has an (illustrative) 2024 result of the indicator
(``data/registry/lineage.csv`` → ``unit_codes.csv`` slugs), the plan starts from their sum
(counts) or their mean (rates), so a carried history and the plan agree in size.

The rows written before (units whose id starts with a digit) are replaced; the other rows are
kept as they are. Run from the project root:
``.venv/bin/python data/illustrative/make_illustrative_2026.py``.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

from analysis.io.numbers import format_number

SEED = 20260101
HERE = Path(__file__).resolve().parent
DATA = HERE.parent
NOTE = "Illustrative 2026 plan / 2030 target (make_illustrative_2026.py)."

#: indicator_id: (tt, name, measure unit, direction, target type, target source, decimals, xã only)
CATALOGUE = {
    "ntm_criteria": (1, "Số tiêu chí nông thôn mới xã đạt được", "tiêu chí", "higher", "level", "term_target", 0, True),
    "poverty_rate": (2, "Tỷ lệ hộ nghèo đa chiều", "%", "lower", "level", "term_target", 2, False),
    "health_insurance": (3, "Tỷ lệ người dân tham gia BHYT", "%", "higher", "level", "term_target", 1, False),
    "village_roads_paved": (
        4,
        "Tỷ lệ thôn, tổ dân phố có đường ô tô đến trung tâm được cứng hóa",
        "%",
        "higher",
        "level",
        "term_target",
        1,
        False,
    ),
    "village_cultural_houses": (
        5,
        "Tỷ lệ thôn, tổ dân phố có nhà văn hóa đạt chuẩn",
        "%",
        "higher",
        "level",
        "term_target",
        1,
        False,
    ),
    "new_forest": (6, "Trồng rừng mới", "ha", "higher", "every_year", "term_target", 1, True),
    "criminal_offences": (7, "Số vụ phạm pháp hình sự", "vụ", "lower", "yearly_reduction", "term_target", 0, False),
    "budget_revenue": (8, "Thu ngân sách nhà nước trên địa bàn", "triệu đồng", "higher", "none", "plan", 0, False),
}
#: indicator_id: (low, high) of the made-up base when the predecessors give none
BASE = {
    "ntm_criteria": (12, 19),
    "poverty_rate": (3.0, 22.0),
    "health_insurance": (93.0, 98.5),
    "village_roads_paved": (70.0, 96.0),
    "village_cultural_houses": (60.0, 95.0),
    "new_forest": (30.0, 260.0),
    "criminal_offences": (2, 14),
    "budget_revenue": (1500, 9000),
}
SUMMED = {"new_forest", "criminal_offences", "budget_revenue"}


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def predecessors() -> dict[str, list[str]]:
    """``{new code: [slug or '' per predecessor of 2025-01]}``."""
    _, codes = read(DATA / "registry" / "unit_codes.csv")
    slug = {(r["period"], r["code"]): r["unit"] for r in codes}
    _, lineage = read(DATA / "registry" / "lineage.csv")
    out: dict[str, list[str]] = {}
    for r in lineage:
        if r["to_period"] == "2025-07" and r["level"] == "commune" and r["kind"] in ("merge", "partial_transfer"):
            out.setdefault(r["to_code"], []).append(slug.get((r["from_period"], r["from_code"]), ""))
    return out


def plan_and_target(iid: str, base: float, rng: random.Random) -> tuple[float, float | None]:
    if iid == "ntm_criteria":
        return min(19.0, round(base) + rng.choice([0, 1, 1, 2])), 19.0
    if iid == "poverty_rate":
        return max(0.3, round(base - rng.uniform(0.8, 2.5), 2)), max(0.5, round(base * 0.45, 2))
    if iid == "health_insurance":
        return min(99.5, round(base + rng.uniform(0.2, 1.0), 1)), 99.0
    if iid in ("village_roads_paved", "village_cultural_houses"):
        return min(100.0, round(base + rng.uniform(1.0, 5.0), 1)), 100.0
    if iid == "new_forest":
        plan = round(base * rng.uniform(0.9, 1.1), 1)
        return plan, plan
    if iid == "criminal_offences":
        plan = max(0.0, round(base) - rng.choice([0, 1]))
        return plan, float(round(plan * 0.95**4))
    return float(round(base * rng.uniform(1.05, 1.12))), None


def main() -> int:
    _, units = read(DATA / "units.csv")
    new = [u for u in units if u["unit"][:1].isdigit()]
    ind_path, obs_path = HERE / "commune_indicators.csv", HERE / "commune_observations.csv"
    ind_cols, indicators = read(ind_path)
    obs_cols, observations = read(obs_path)
    indicators = [r for r in indicators if not r["unit"][:1].isdigit()]
    observations = [r for r in observations if not r["unit"][:1].isdigit()]
    results_2024 = {
        (r["unit"], r["indicator_id"]): float(r["value"])
        for r in observations
        if r["year"] == "2024" and r["kind"] == "result" and r["value"]
    }
    preds = predecessors()
    for u in new:
        code = u["unit"].split("-", 1)[0]
        rng = random.Random(SEED + int(code))
        ward = u["name"].startswith("Phường")
        for iid, (tt, name, mu, direction, ttype, tsource, dec, xa_only) in CATALOGUE.items():
            if xa_only and ward:
                continue
            indicators.append(
                {
                    **dict.fromkeys(ind_cols, ""),
                    "unit": u["unit"],
                    "indicator_id": iid,
                    "tt": str(tt - (1 if ward else 0)),
                    "indicator": name,
                    "measure_unit": mu,
                    "direction": direction,
                    "target_type": ttype,
                    "target_source": tsource,
                    "decimals": str(dec),
                    "term_start": "2026",
                    "term_end": "2030",
                    "note": "Illustrative indicator list of a commune in force since 01/07/2025.",
                    "illustrative": "true",
                }
            )
            olds = preds.get(code, [])
            values = [results_2024.get((s, iid)) for s in olds]
            low, high = BASE[iid]
            drawn = rng.randint(int(low), int(high)) if isinstance(low, int) else rng.uniform(low, high)
            if olds and all(v is not None for v in values):
                known = [v for v in values if v is not None]
                base = sum(known) if iid in SUMMED else sum(known) / len(known)
            else:
                base = float(drawn)
            plan, target = plan_and_target(iid, base, rng)
            for year, kind, value in (("2026", "plan", plan), ("2030", "term_target", target)):
                if value is None:
                    continue
                text = format_number(value, dec) + ("%" if mu == "%" else f" {mu}")
                observations.append(
                    {
                        **dict.fromkeys(obs_cols, ""),
                        "unit": u["unit"],
                        "indicator_id": iid,
                        "year": year,
                        "kind": kind,
                        "value": f"{value:g}",
                        "measure_unit": mu,
                        "source": "illustrative",
                        "source_text": text,
                        "note": NOTE,
                        "illustrative": "true",
                    }
                )
    write(ind_path, ind_cols, indicators)
    write(obs_path, obs_cols, observations)
    print(f"{len(new)} communes: {ind_path.name}, {obs_path.name} rewritten")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
