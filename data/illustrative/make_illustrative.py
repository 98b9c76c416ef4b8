"""How ``commune_indicators.csv`` and ``commune_observations.csv`` were made.

THE CSV FILES ARE THE DATASET; this script only documents how they were generated
(once, deterministically: hand-written profiles below plus ``random.Random(SEED)``).
Re-running it rewrites both files identically. Edit the CSV files directly if a
figure must change, and say so in ``README.md``.

Every figure here is ILLUSTRATIVE (made up, plausible for Lạng Sơn mountain
communes), except the rows built from ``data/commune_facts.csv`` (real facts of
the two source reports), which carry ``illustrative = false`` and the report's
sentence as ``source_text``.

Run from the project root: ``.venv/bin/python data/illustrative/make_illustrative.py``.
"""

from __future__ import annotations

import csv
import io
import random
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path

from analysis.io.numbers import format_number

SEED = 20241204
HERE = Path(__file__).resolve().parent
DATA = HERE.parent

IND_COLUMNS = [
    "unit",
    "indicator_id",
    "tt",
    "indicator",
    "measure_unit",
    "direction",
    "target_type",
    "target_source",
    "decimals",
    "term_start",
    "term_end",
    "note",
    "illustrative",
]
OBS_COLUMNS = [
    "unit",
    "indicator_id",
    "year",
    "kind",
    "value",
    "value_high",
    "measure_unit",
    "text",
    "source",
    "source_text",
    "note",
    "illustrative",
]

# indicator_id: (wording, measure unit, direction, target type, target source, decimals)
INDICATORS = {
    "ntm_criteria": ("Số tiêu chí nông thôn mới xã đạt được", "tiêu chí", "higher", "level", "term_target", 0),
    "ntm_advanced_criteria": (
        "Số tiêu chí xã nông thôn mới nâng cao đạt được",
        "tiêu chí",
        "higher",
        "level",
        "term_target",
        0,
    ),
    "model_ntm_rules": (
        "Số quy định xã nông thôn mới kiểu mẫu đạt được",
        "quy định",
        "higher",
        "level",
        "term_target",
        0,
    ),
    "poverty_rate": ("Tỷ lệ hộ nghèo đa chiều", "%", "lower", "level", "term_target", 2),
    "health_insurance": ("Tỷ lệ người dân tham gia BHYT", "%", "higher", "level", "term_target", 1),
    "village_roads_paved": (
        "Tỷ lệ thôn có đường ô tô đến trung tâm thôn được cứng hóa",
        "%",
        "higher",
        "level",
        "term_target",
        1,
    ),
    "village_cultural_houses": ("Tỷ lệ thôn có nhà văn hóa đạt chuẩn", "%", "higher", "level", "term_target", 1),
    "new_forest": ("Trồng rừng mới", "ha", "higher", "every_year", "term_target", 1),
    "criminal_offences": ("Số vụ phạm pháp hình sự", "vụ", "lower", "yearly_reduction", "term_target", 0),
    "budget_revenue": ("Thu ngân sách nhà nước trên địa bàn", "triệu đồng", "higher", "none", "plan", 0),
}
TOWN_WORDING = {
    "village_roads_paved": "Tỷ lệ thôn, khối phố có đường ô tô đến trung tâm được cứng hóa",
    "village_cultural_houses": "Tỷ lệ thôn, khối phố có nhà văn hóa đạt chuẩn",
}

# Hand-written profiles. dev: 0 (remote, poor) .. 1 (developed); villages: thôn (khối phố for a town);
# ntm: NTM criteria 2022, 2023, 2024 (None for a town); adv / model: advanced-NTM criteria and
# model-NTM rules (out of 4) for communes already NTM; forest: scale of new planting (ha/year).
PROFILES = {
    # Tràng Định
    "trang-dinh-hung-son": dict(dev=0.55, villages=9, ntm=(13, 14, 15), forest=55),
    "trang-dinh-tri-phuong": dict(dev=0.40, villages=11, ntm=(12, 13, 14), forest=70),
    "trang-dinh-chi-lang": dict(dev=0.85, villages=10, ntm=(19, 19, 19), adv=(19, 19, 19), model=(1, 2, 4), forest=45),
    "trang-dinh-cao-minh": dict(dev=0.25, villages=8, ntm=(10, 11, 12), forest=85),
    "trang-dinh-de-tham": dict(dev=0.75, villages=9, ntm=(19, 19, 19), forest=50),
    "trang-dinh-doi-can": dict(dev=0.80, villages=12, ntm=(19, 19, 19), adv=(13, 15, 16), forest=60),
    "trang-dinh-quoc-khanh": dict(dev=0.60, villages=13, ntm=(15, 16, 16), forest=65),
    "trang-dinh-khang-chien": dict(dev=0.30, villages=10, ntm=(11, 12, 13), forest=80),
    "trang-dinh-quoc-viet": dict(dev=0.50, villages=11, ntm=(13, 14, 15), forest=75),
    "trang-dinh-chi-minh": dict(dev=0.65, villages=9, ntm=(16, 17, 19), forest=55),
    "trang-dinh-tan-minh": dict(dev=0.20, villages=8, ntm=(9, 10, 11), forest=90),
    "trang-dinh-that-khe": dict(dev=1.0, villages=12, ntm=None, forest=6),
    # Bắc Sơn
    "bac-son-tan-thanh": dict(dev=0.50, villages=10, ntm=(13, 14, 15), forest=35),
    "bac-son-hung-vu": dict(dev=0.80, villages=11, ntm=(19, 19, 19), adv=(9, 10, 12), forest=30),
    "bac-son-bac-quynh": dict(dev=0.85, villages=13, ntm=(19, 19, 19), adv=(19, 19, 19), model=(1, 1, 2), forest=25),
    "bac-son-vu-son": dict(dev=0.80, villages=9, ntm=(19, 19, 19), adv=(19, 19, 19), model=(1, 2, 3), forest=40),
    "bac-son-tan-huong": dict(dev=0.45, villages=8, ntm=(12, 13, 14), forest=45),
    "bac-son-chieu-vu": dict(dev=0.70, villages=7, ntm=(17, 18, 19), forest=30),
    "bac-son-vu-le": dict(dev=0.75, villages=14, ntm=(19, 19, 19), adv=(12, 14, 16), forest=35),
    "bac-son-chien-thang": dict(dev=0.35, villages=9, ntm=(11, 12, 13), forest=50),
    "bac-son-nhat-hoa": dict(dev=0.55, villages=10, ntm=(15, 16, 17), forest=40),
    "bac-son-tan-lap": dict(dev=0.70, villages=12, ntm=(19, 19, 19), adv=(11, 13, 15), forest=45),
    "bac-son-tan-tri": dict(dev=0.15, villages=7, ntm=(9, 10, 11), forest=55),
    "bac-son-bac-son": dict(dev=1.0, villages=10, ntm=None, forest=4),
}

# One deliberate published slip per district, so that the audit has something to show.
SLIPS = {("trang-dinh-quoc-viet", "health_insurance"), ("bac-son-chien-thang", "new_forest")}

# Real facts (data/commune_facts.csv: unit, topic, year) that give an observation, and the value they give.
# kind, indicator, value, note
REAL = {
    ("bac-son-tan-thanh", "ntm_criteria", 2024): ("result", "ntm_criteria", 15, ""),
    ("bac-son-tan-thanh", "ntm_target", 2024): (
        "plan",
        "ntm_criteria",
        19,
        "Reaching the NTM standard = all 19 criteria.",
    ),
    ("bac-son-hung-vu", "ntm_advanced_criteria", 2024): ("result", "ntm_advanced_criteria", 12, ""),
    ("bac-son-hung-vu", "ntm_advanced_target", 2024): (
        "plan",
        "ntm_advanced_criteria",
        19,
        "Reaching the advanced standard = all 19 criteria.",
    ),
    ("bac-son-bac-quynh", "model_ntm_rules", 2024): ("result", "model_ntm_rules", 2, ""),
    ("bac-son-bac-quynh", "ntm_model_target", 2024): (
        "plan",
        "model_ntm_rules",
        4,
        "Reaching the model standard = all 4 rules (quy định).",
    ),
    ("bac-son-vu-son", "model_ntm_rules", 2024): ("result", "model_ntm_rules", 3, ""),
    ("bac-son-nhat-hoa", "ntm_target", 2025): (
        "plan",
        "ntm_criteria",
        19,
        "Reaching the NTM standard = all 19 criteria.",
    ),
    ("bac-son-tan-lap", "ntm_advanced_target", 2025): (
        "plan",
        "ntm_advanced_criteria",
        19,
        "Reaching the advanced standard = all 19 criteria.",
    ),
    ("bac-son-vu-le", "ntm_advanced_target", 2025): (
        "plan",
        "ntm_advanced_criteria",
        19,
        "Reaching the advanced standard = all 19 criteria.",
    ),
    ("trang-dinh-chi-minh", "ntm_expected", 2024): (
        "estimate",
        "ntm_criteria",
        19,
        "Expected NTM by the end of 2024 = all 19 criteria.",
    ),
    ("trang-dinh-chi-lang", "ntm_model_expected", 2024): (
        "estimate",
        "model_ntm_rules",
        4,
        ("Expected model NTM by the end of 2024 = all 4 rules (quy định) of Lạng Sơn's model-NTM standard."),
    ),
}
# Vũ Sơn's plan of 4 rules is in the same sentence as its result (the district's own target).
REAL_EXTRA = [
    (
        ("bac-son-vu-son", "model_ntm_rules", 2024),
        ("plan", "model_ntm_rules", 4, "The district's own target: all 4 rules (quy định)."),
    )
]
# Notes on illustrative figures that a real fact constrains.
NOTES = {
    (
        "trang-dinh-doi-can",
        "ntm_advanced_criteria",
        2024,
        "result",
    ): "Illustrative count; the report (row 5 note) expects Đội Cấn not to reach the advanced standard in 2024.",
    (
        "bac-son-tan-thanh",
        "village_cultural_houses",
        2024,
        "result",
    ): "Illustrative rate, kept consistent with the real fact that 4 of the 5 houses built or repaired in 2024 were finished.",
}


def pct_text(text: str) -> str:
    """A published percentage as written: ``100,0`` -> ``100``; other decimals kept (``88,90``)."""
    whole, _, frac = text.partition(",")
    return whole if not frac.strip("0") else text


def slip_of(text: str) -> str:
    """A typing slip of a written percentage: the last two different adjacent digits of the whole part swapped."""
    whole, sep, frac = text.partition(",")
    for i in range(len(whole) - 1, 0, -1):
        if whole[i] != whole[i - 1] and not (i == 1 and whole[i] == "0"):
            whole = whole[: i - 1] + whole[i] + whole[i - 1] + whole[i + 1 :]
            return whole + sep + frac
    return str(int(whole) + 10) + sep + frac


def q(value: float, decimals: int, rounding=ROUND_HALF_UP) -> float:
    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=rounding))


def vn(value: float, decimals: int) -> str:
    """Vietnamese writing: 1.250 / 98,5."""
    return format_number(value, decimals)


def machine(value: float, decimals: int) -> str:
    text = f"{q(value, decimals):.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def written(value: float, mu: str, decimals: int) -> str:
    """A figure as a report writes it (trailing decimal zeros dropped): 4,9% / 40,5ha / 1.250 triệu đồng."""
    text = vn(value, decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    if mu == "%":
        return text + "%"
    if mu == "ha":
        return text + "ha"
    return f"{text} {mu}"


def build() -> tuple[list[dict], list[dict]]:
    rng = random.Random(SEED)
    facts = {
        (r["unit"], r["topic"], int(r["year"])): r
        for r in csv.DictReader(io.StringIO((DATA / "commune_facts.csv").read_text(encoding="utf-8"), newline=""))
    }
    cat_rows: list[dict] = []
    obs_rows: list[dict] = []
    for unit, p in PROFILES.items():
        town = p["ntm"] is None
        bac_son = unit.startswith("bac-son")
        pct_decimals = 1 if bac_son else 2  # how each district's communes write TH/KH
        series: dict[str, dict] = {}  # indicator -> {results, plan24, plan25, term, term_text}
        dev = p["dev"]
        if not town:
            r = list(p["ntm"])
            plan24 = (
                19 if unit in ("bac-son-tan-thanh", "trang-dinh-chi-minh") else min(19, r[1] + rng.choice((1, 1, 2)))
            )
            term = 19 if r[2] >= 14 else 16
            series["ntm_criteria"] = dict(results=r, plan24=plan24, plan25=min(19, max(r[2] + 2, plan24)), term=term)
        if "adv" in p:
            r = list(p["adv"])
            series["ntm_advanced_criteria"] = dict(
                results=r,
                plan24=19 if r[2] >= 12 else r[1] + 2,
                plan25=19 if r[2] >= 14 or unit == "bac-son-hung-vu" else r[2] + 2,
                term=19,
            )
        if "model" in p:
            r = list(p["model"])
            series["model_ntm_rules"] = dict(results=r, plan24=4, plan25=4, term=4)
        # poverty rate (%), lower is better
        pov22 = 1.2 + rng.uniform(0, 0.6) if town else 3.0 + (1 - dev) * 14 + rng.uniform(-1, 1)
        cut = [pov22 * rng.uniform(0.15, 0.30), pov22 * rng.uniform(0.12, 0.30)]
        pov = [pov22, pov22 - cut[0], pov22 - cut[0] - cut[1]]
        pov = [q(v, 2) for v in pov]
        planned_cut = pov[1] * rng.uniform(0.15, 0.27)
        plan24 = q(max(pov[1] - planned_cut, 0.3), 2)
        series["poverty_rate"] = dict(
            results=pov,
            plan24=plan24,
            plan25=q(max(pov[2] - planned_cut * 0.7, 0.2), 2),
            term=q(max(pov[0] * 0.5, 0.5), 2),
        )
        # health insurance (%)
        b22 = 95.0 + dev * 2.0 + rng.uniform(-0.5, 0.5) + (0 if bac_son else 0.5)
        bh = [q(b22, 1), q(min(b22 + rng.uniform(-0.2, 1.2), 99.5), 1)]
        bh.append(q(min(bh[1] + rng.uniform(-0.3, 1.4), 99.6), 1))
        series["health_insurance"] = dict(
            results=bh,
            plan24=q(min(bh[1] + rng.uniform(0.2, 1.0), 98.5), 1),
            plan25=98.0,
            term=98.0 if not town else 99.0,
        )
        # village roads and cultural houses: counts of villages out of p["villages"]
        n = p["villages"]
        for iid, base in (("village_roads_paved", 0.40 + dev * 0.40), ("village_cultural_houses", 0.30 + dev * 0.40)):
            k0 = max(1, min(n, round(n * (base + rng.uniform(-0.08, 0.08)))))
            k1 = min(n, k0 + rng.choice((0, 1, 1)))
            k2 = min(n, k1 + rng.choice((0, 1, 1, 2)))
            planned = min(n, k1 + rng.choice((1, 1, 2)))
            if unit == "bac-son-tan-thanh" and iid == "village_cultural_houses":
                # consistent with the real fact: 5 houses built or repaired in 2024, 4 finished
                k0, k1, k2, planned = 3, 3, 7, 8
            vals = [q(k / n * 100, 1) for k in (k0, k1, k2)]
            series[iid] = dict(
                results=vals,
                plan24=q(planned / n * 100, 1),
                plan25=q(min(n, k2 + 1) / n * 100, 1),
                term=q(min(n, round(n * min(0.95, base + 0.2))) / n * 100, 1),
            )
        # new forest (ha), every year
        f = p["forest"]
        fr = [q(f * rng.uniform(0.8, 1.25), 1) for _ in range(3)]
        yearly = float(round(f * 0.95))
        series["new_forest"] = dict(
            results=fr, plan24=yearly, plan25=yearly, term=yearly, term_text=f"Hàng năm đạt {vn(yearly, 0)}ha"
        )
        # criminal offences (vụ), lower is better, cut by 5% a year
        o22 = rng.randint(2, 6) if not town else rng.randint(6, 10)
        off = [o22, max(0, o22 + rng.choice((-2, -1, -1, 0, 1))), 0]
        off[2] = max(0, off[1] + rng.choice((-2, -1, 0, 0, 1, 2)))
        series["criminal_offences"] = dict(
            results=off,
            plan24=max(1, off[1] - 1),
            plan25=max(1, min(off[2], off[1]) - 1),
            term=5.0,
            term_text="Giảm 5% trở lên",
            term_unit="%",
        )
        # state budget revenue on the territory (triệu đồng)
        est = (9000 + rng.uniform(0, 4000)) if town else (350 + dev * 1800 + rng.uniform(-150, 250))
        est = round(est / 10) * 10
        bud = [
            round(est * 0.85 * rng.uniform(0.95, 1.15)),
            round(est * 0.95 * rng.uniform(0.95, 1.2)),
            round(est * rng.uniform(0.92, 1.35)),
        ]
        series["budget_revenue"] = dict(results=bud, plan24=est, plan25=round(est * 1.12 / 10) * 10, term=None)

        tt = 0
        for iid, (wording, mu, direction, ttype, tsource, dec) in INDICATORS.items():
            if iid not in series:
                continue
            s = series[iid]
            tt += 1
            cat_rows.append(
                dict(
                    unit=unit,
                    indicator_id=iid,
                    tt=tt,
                    indicator=TOWN_WORDING.get(iid, wording) if town else wording,
                    measure_unit=mu,
                    direction=direction,
                    target_type=ttype,
                    target_source=tsource,
                    decimals=dec,
                    term_start=2021,
                    term_end=2025,
                    note="Illustrative indicator list of the example dataset.",
                    illustrative="true",
                )
            )

            def add(
                year: int,
                kind: str,
                value: float | None,
                *,
                mu_: str = mu,
                text: str = "",
                source_text: str | None = None,
                note: str = "",
            ) -> None:
                obs_rows.append(
                    dict(
                        unit=unit,
                        indicator_id=iid,
                        year=year,
                        kind=kind,
                        value="" if value is None else machine(value, max(dec, 2) if mu_ == "%" else dec),
                        value_high="",
                        measure_unit=mu_,
                        text=text,
                        source="illustrative",
                        source_text=source_text
                        if source_text is not None
                        else ("" if value is None else written(value, mu_, dec if mu_ == mu else 0)),
                        note=note,
                        illustrative="true",
                    )
                )

            for year, value in zip((2022, 2023, 2024), s["results"]):
                add(year, "result", value)
            add(2024, "plan", s["plan24"])
            add(2025, "plan", s["plan25"])
            if s["term"] is not None:
                add(
                    2025,
                    "term_target",
                    s["term"],
                    mu_=s.get("term_unit", mu),
                    text=s.get("term_text", ""),
                    source_text=s.get("term_text") or None,
                )
            if direction == "higher":  # TH/KH is published for higher-is-better indicators only
                att = s["results"][2] / s["plan24"] * 100
                rounding = ROUND_DOWN if rng.random() < 0.25 else ROUND_HALF_UP  # some reports truncate
                pub = q(att, pct_decimals, rounding)
                note = ""
                if (unit, iid) in SLIPS:
                    text = vn(pub, pct_decimals)
                    slip = slip_of(text)
                    note = (
                        f"Deliberate slip of the example: published {pct_text(slip)}% for {pct_text(text)}% "
                        f"({machine(s['results'][2], dec)} / {machine(s['plan24'], dec)}), for the audit to find."
                    )
                    pub = float(slip.replace(".", "").replace(",", "."))
                text = pct_text(vn(pub, pct_decimals))
                obs_rows.append(
                    dict(
                        unit=unit,
                        indicator_id=iid,
                        year=2024,
                        kind="published_attainment_pct",
                        value=machine(pub, pct_decimals),
                        value_high="",
                        measure_unit="%",
                        text="",
                        source="illustrative",
                        source_text=text + "%",
                        note=note,
                        illustrative="true",
                    )
                )

    # Real facts win over illustrative figures.
    for o in obs_rows:
        o["note"] = NOTES.get((o["unit"], o["indicator_id"], o["year"], o["kind"]), o["note"])
    for key, (kind, iid, value, note) in [*REAL.items(), *REAL_EXTRA]:
        unit, topic, year = key
        fact = facts[key]
        hit = [
            o
            for o in obs_rows
            if o["unit"] == unit
            and o["indicator_id"] == iid
            and o["year"] == year
            and o["kind"] in (("result", "estimate") if kind in ("result", "estimate") else (kind,))
        ]
        assert hit, key
        o = hit[0]
        o.update(
            kind=kind,
            value=str(value),
            source=fact["source"],
            source_text=fact["source_text"],
            note=(note + " " if note else "") + f"Real fact (commune_facts.csv: {topic}).",
            illustrative="false",
        )
        # a real result or plan makes the illustrative published TH/KH meaningless: drop it
        obs_rows[:] = [
            x
            for x in obs_rows
            if not (
                x["unit"] == unit
                and x["indicator_id"] == iid
                and x["year"] == year
                and x["kind"] == "published_attainment_pct"
            )
        ]
    return cat_rows, obs_rows


def write(path: Path, columns: list[str], rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


if __name__ == "__main__":
    cat, obs = build()
    write(HERE / "commune_indicators.csv", IND_COLUMNS, cat)
    write(HERE / "commune_observations.csv", OBS_COLUMNS, obs)
    print(f"{len(cat)} indicators, {len(obs)} observations")
