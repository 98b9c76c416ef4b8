"""Regenerate the unit registry snapshot (data/registry/) from the downloaded source packages.

The run time reads only the snapshot; this script is the one place that reads the packages.
It opens the downloaded wheels as zip files and reads their data (JSON files, and the Python
literal tables parsed with `ast`, never imported or executed), so it runs on the project's
Python 3.11 although `vietnam-provinces` 2026.x needs 3.12 to be installed.

Download the three wheels without installing them, then run this script:

    pip download --no-deps --python-version 3.12 --only-binary=:all: -d /tmp/vp vietnam-provinces==2026.9.0
    pip download --no-deps -d /tmp/vp vietnam-provinces==0.5.0
    pip download --no-deps -d /tmp/vp vietnamadminunits==1.0.4
    .venv/bin/python tools/registry_snapshot.py /tmp/vp

It writes data/registry/periods.csv, units.csv, lineage.csv and lineage_report.csv (see
data/README.md). Nothing is resolved silently: a unit without a successor, a successor the two
sources do not agree on, a code one list has and the other does not, are rows of the report.
"""

from __future__ import annotations

import argparse
import ast
import csv
import datetime
import io
import json
import re
import sqlite3
import sys
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "registry"

VP_NEW = "vietnam_provinces-2026.9.0-py3-none-any.whl"
VP_OLD = "vietnam_provinces-0.5.0-py3-none-any.whl"
VAU = "vietnamadminunits-1.0.4-py3-none-any.whl"

# The periods of the registry: one official list each (see data/README.md).
P2023, P2025_01, P2025_07 = "2023", "2025-01", "2025-07"
PERIODS = [
    {
        "period": P2023,
        "as_of": "2023-05-07",
        "in_force_from": "",
        "in_force_to": "",
        "scope": "20",
        "source": "vietnam-provinces-0.5.0",
        "note": "The statistics office's list as of 07/05/2023 (the package's __data_version__); "
        "kept for Lạng Sơn (code 20) only, the province whose 2023-2025 events the project records.",
    },
    {
        "period": P2025_01,
        "as_of": "2025-01-04",
        "in_force_from": "",
        "in_force_to": "2025-06-30",
        "scope": "",
        "source": "vietnam-provinces-2026.9.0",
        "note": "The last list before the two-tier government (vietnam_provinces.legacy, generated "
        "from the statistics office's Xa_2025-01-04.csv): 63 provinces, districts, communes.",
    },
    {
        "period": P2025_07,
        "as_of": "2026-09-20",
        "in_force_from": "2025-07-01",
        "in_force_to": "",
        "scope": "",
        "source": "vietnam-provinces-2026.9.0",
        "note": "The units in force since 01/07/2025: 34 provinces and cities, commune-level units.",
    },
]
EFFECTIVE_2025 = "2025-07-01"
PROVINCE_ACT = "202/2025/QH15"

# The resolutions of the National Assembly Standing Committee arranging each province's communes
# (2025) are curated by hand from the sources that name them: data/registry/acts_sources.csv,
# one row per province, each source an id of data/sources.csv. A province without a row gets a
# placeholder act and a report row; nothing is taken from memory.
ACTS_SOURCES = ROOT / "data" / "registry" / "acts_sources.csv"
SOURCES = ROOT / "data" / "sources.csv"
ACTS_SOURCE_COLUMNS = [
    "province_code",
    "act",
    "date",
    "title",
    "number_sources",
    "date_sources",
    "date_other",
    "note",
]
COMMUNE_ACT = re.compile(r"^[0-9]+/NQ-UBTVQH15$")


class CuratedInputError(Exception):
    """A row of a curated input file that cannot be used: the message names file, row and column."""


def read_commune_acts(path: Path = ACTS_SOURCES, sources: Path = SOURCES) -> dict[str, dict[str, str]]:
    """The curated Standing Committee resolutions by province code, each row checked: a 2-digit
    province code given once, an act number ``N/NQ-UBTVQH15`` given once, an ISO date, a title
    naming the act, and source ids that are rows of ``sources.csv``."""
    with sources.open(encoding="utf-8", newline="") as f:
        known = {row["file"] for row in csv.DictReader(f)}
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in ACTS_SOURCE_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CuratedInputError(f"{path}: row 1: missing column(s) {', '.join(missing)}")
        rows = list(reader)
    acts: dict[str, dict[str, str]] = {}
    numbers: set[str] = set()

    def refuse(i: int, column: str, why: str) -> CuratedInputError:
        return CuratedInputError(f"{path}: row {i + 2}, column {column!r}: {rows[i][column]!r} {why}")

    for i, row in enumerate(rows):
        province, act = row["province_code"], row["act"]
        if not (province.isdigit() and len(province) == 2):
            raise refuse(i, "province_code", "expected the 2 digits of a province")
        if province in acts:
            raise refuse(i, "province_code", "is given twice: one resolution per province")
        if not COMMUNE_ACT.match(act):
            raise refuse(i, "act", "expected a Standing Committee resolution number such as 1672/NQ-UBTVQH15")
        if act in numbers:
            raise refuse(i, "act", "is given twice: each province has its own resolution")
        try:
            datetime.date.fromisoformat(row["date"])
        except ValueError:
            raise refuse(i, "date", "expected a date yyyy-mm-dd") from None
        if act not in row["title"]:
            raise refuse(i, "title", f"does not name the act {act}")
        for column in ("number_sources", "date_sources"):
            ids = [s.strip() for s in row[column].split(";") if s.strip()]
            if not ids:
                raise refuse(i, column, "is empty: name the source (a row of sources.csv) that says it")
            for source in ids:
                if source not in known:
                    raise refuse(i, column, f"names {source!r}, which is not a row (file) of {sources}")
        numbers.add(act)
        acts[province] = row
    return acts


def act_sources(entry: dict[str, str]) -> str:
    """The sources of an act, number sources first, each once."""
    ids = [s.strip() for column in ("number_sources", "date_sources") for s in entry[column].split(";")]
    return "; ".join(dict.fromkeys(s for s in ids if s))


TYPES = {
    "TINH": "tỉnh",
    "THANH_PHO_TRUNG_UONG": "thành phố",
    "HUYEN": "huyện",
    "QUAN": "quận",
    "THANH_PHO": "thành phố",
    "THI_XA": "thị xã",
    "XA": "xã",
    "PHUONG": "phường",
    "THI_TRAN": "thị trấn",
    "DAC_KHU": "đặc khu",
}
# Name prefixes, longest first: the type of a unit of the 2023 list is read from its name.
PREFIXES = [
    ("Thành phố ", "thành phố"),
    ("Thị trấn ", "thị trấn"),
    ("Thị xã ", "thị xã"),
    ("Đặc khu ", "đặc khu"),
    ("Huyện ", "huyện"),
    ("Quận ", "quận"),
    ("Phường ", "phường"),
    ("Tỉnh ", "tỉnh"),
    ("Xã ", "xã"),
]

UNIT_COLUMNS = ["period", "code", "level", "type", "name", "short_name", "parent_code", "valid_from", "valid_to"]
LINEAGE_COLUMNS = [
    "level",
    "from_period",
    "from_code",
    "to_period",
    "to_code",
    "kind",
    "effective_date",
    "legal_source",
    "source",
    "note",
]
ACT_COLUMNS = ["act", "date", "title", "source"]
REPORT_COLUMNS = ["issue", "level", "period", "code", "name", "vietnam_provinces", "vietnamadminunits", "note"]


def literal(node: ast.expr) -> Any:
    """The value of a data literal of the source tables: constants, enum members, calls, tuples."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Tuple):
        return tuple(literal(e) for e in node.elts)
    if isinstance(node, ast.Call):
        return [literal(a) for a in node.args]
    raise ValueError(f"unexpected literal {ast.dump(node)[:80]}")


def table(source: str, name: str) -> dict[Any, Any]:
    """The dict literal assigned to `name` at the top of a module's source."""
    for node in ast.parse(source).body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if isinstance(target, ast.Name) and target.id == name and isinstance(node.value, ast.Dict):
            return {literal(k): literal(v) for k, v in zip(node.value.keys, node.value.values) if k is not None}
    raise KeyError(f"{name} not found")


def short(name: str) -> tuple[str, str]:
    """(type from the prefix, name without it): 'Xã Thất Khê' -> ('xã', 'Thất Khê')."""
    for prefix, kind in PREFIXES:
        if name[: len(prefix)].lower() == prefix.lower():
            return kind, name[len(prefix) :]
    raise ValueError(f"no type prefix in {name!r}")


def code(number: int | str, width: int) -> str:
    return str(int(str(number).split("_")[-1])).zfill(width)


def unit(period: str, number: int | str, level: str, kind: str, name: str, parent: str) -> dict[str, str]:
    width = {"province": 2, "district": 3, "commune": 5}[level]
    spec = next(p for p in PERIODS if p["period"] == period)
    return {
        "period": period,
        "code": code(number, width),
        "level": level,
        "type": kind,
        "name": name,
        "short_name": short(name)[1],
        "parent_code": parent,
        "valid_from": spec["in_force_from"],
        "valid_to": spec["in_force_to"],
    }


def read_vp_new(wheel: zipfile.ZipFile) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """Units in force since 01/07/2025 and the ward and province conversion tables."""
    lookup = wheel.read("vietnam_provinces/_lookup.py").decode()
    units = [unit(P2025_07, c, "province", TYPES[v[2]], v[0], "") for c, v in table(lookup, "PROVINCE_MAPPING").items()]
    units += [
        unit(P2025_07, c, "commune", TYPES[v[2]], v[0], code(v[4], 2)) for c, v in table(lookup, "WARD_MAPPING").items()
    ]
    wards = wheel.read("vietnam_provinces/_ward_conversion_2025.py").decode()
    provinces = wheel.read("vietnam_provinces/_province_conversion_2025.py").decode()
    conversions = {"wards": table(wards, "OLD_TO_NEW"), "provinces": table(provinces, "OLD_TO_NEW")}
    return units, conversions


def read_vp_legacy(wheel: zipfile.ZipFile) -> list[dict[str, str]]:
    """The list of 04/01/2025: provinces, districts, communes."""
    lookup = wheel.read("vietnam_provinces/legacy/_lookup.py").decode()
    units = [unit(P2025_01, c, "province", TYPES[v[2]], v[0], "") for c, v in table(lookup, "PROVINCE_MAPPING").items()]
    units += [
        unit(P2025_01, c, "district", TYPES[v[2]], v[0], code(v[4], 2))
        for c, v in table(lookup, "DISTRICT_MAPPING").items()
    ]
    units += [
        unit(P2025_01, c, "commune", TYPES[v[2]], v[0], code(v[4], 3)) for c, v in table(lookup, "WARD_MAPPING").items()
    ]
    return units


def read_vp_2023(wheel: zipfile.ZipFile, province: str) -> list[dict[str, str]]:
    """One province of the list of 07/05/2023 (types from the names: the JSON's are not reliable)."""
    nested = json.loads(wheel.read("vietnam_provinces/data/nested-divisions.json"))
    units: list[dict[str, str]] = []
    for p in nested:
        if code(p["code"], 2) != province:
            continue
        units.append(unit(P2023, p["code"], "province", short(p["name"])[0], p["name"], ""))
        for d in p["districts"]:
            units.append(unit(P2023, d["code"], "district", short(d["name"])[0], d["name"], province))
            units += [
                unit(P2023, w["code"], "commune", short(w["name"])[0], w["name"], code(d["code"], 3))
                for w in d["wards"]
            ]
    return units


def read_vau(wheel: zipfile.ZipFile) -> dict[str, Any]:
    """vietnamadminunits: its two lists (codes, names) and its lineage, turned from name keys into codes."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "dataset.db"
        db.write_bytes(wheel.read("vietnamadminunits/data/dataset.db"))
        con = sqlite3.connect(db)
        legacy = con.execute(
            "select provinceKey, districtKey, wardKey, wardCode, ward, districtCode from admin_units_legacy"
        ).fetchall()
        new = con.execute("select provinceKey, wardKey, wardCode, ward, provinceCode from admin_units").fetchall()
        con.close()
    old_code = {f"{p}_{d}_{w}": c for p, d, w, c, _, _ in legacy}
    new_code = {(p, w): c for p, w, c, _, _ in new}
    converter = json.loads(wheel.read("vietnamadminunits/data/converter_2025.json"))
    successors: dict[str, set[str]] = defaultdict(set)
    unmatched: list[str] = []

    def link(old: str, province: str, ward: str) -> None:
        if old in old_code and (province, ward) in new_code:
            successors[old_code[old]].add(new_code[(province, ward)])
        else:
            unmatched.append(f"{old} -> {province}_{ward}")

    for province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward, olds in wards.items():
            for old in olds:
                link(old, province, ward)
    for province, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, news in olds.items():
            for item in news:
                link(old, province, item["newWardKey"])
    legacy_codes: dict[str, list[str]] = defaultdict(list)
    for province, district, _ward, c, name, _ in legacy:
        if c is None:
            unmatched.append(f"{province}_{district} (a district without communes)")
        else:
            legacy_codes[c].append(name)
    return {
        "legacy": legacy_codes,
        "new": {c: name for _, _, c, name, _ in new},
        "successors": successors,
        "unmatched": unmatched,
    }


def commune_lineage(
    conversions: dict[str, Any], new_province: dict[str, str], commune_acts: dict[str, dict[str, str]]
) -> tuple[list[dict[str, str]], dict[str, set[str]]]:
    rows: list[dict[str, str]] = []
    successors: dict[str, set[str]] = defaultdict(set)
    for old, entry in conversions["wards"].items():
        ref, news = entry
        partly = bool(ref[3])
        for new in news:
            new_code = code(new[0], 5)
            successors[code(old, 5)].add(new_code)
            act = commune_acts.get(new_province[new_code])
            number, source = (act["act"], act_sources(act)) if act else ("", "")
            rows.append(
                {
                    "level": "commune",
                    "from_period": P2025_01,
                    "from_code": code(old, 5),
                    "to_period": P2025_07,
                    "to_code": new_code,
                    "kind": "partial_transfer" if partly else "merge",
                    "effective_date": EFFECTIVE_2025,
                    "legal_source": number or f"UBTVQH-2025-{new_province[new_code]}",
                    "source": "; ".join(s for s in ("vietnam-provinces-2026.9.0", source) if s),
                    "note": "" if number else "resolution number not recorded (lineage_report.csv)",
                }
            )
    return rows, successors


def province_lineage(conversions: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "level": "province",
            "from_period": P2025_01,
            "from_code": code(old, 2),
            "to_period": P2025_07,
            "to_code": code(new[0], 2),
            "kind": "merge",
            "effective_date": EFFECTIVE_2025,
            "legal_source": PROVINCE_ACT,
            "source": "vietnam-provinces-2026.9.0",
            "note": "",
        }
        for old, (_, news) in conversions["provinces"].items()
        for new in news
    ]


def district_lineage(units: list[dict[str, str]], successors: dict[str, set[str]]) -> list[dict[str, str]]:
    """A district's level ended on 01/07/2025: its communes came under the province(s) of their successors."""
    province_of = {u["code"]: u["parent_code"] for u in units if u["period"] == P2025_07 and u["level"] == "commune"}
    provinces: dict[str, set[str]] = defaultdict(set)
    for u in units:
        if u["period"] == P2025_01 and u["level"] == "commune":
            provinces[u["parent_code"]].update(province_of[s] for s in successors.get(u["code"], ()))
    return [
        {
            "level": "district",
            "from_period": P2025_01,
            "from_code": district,
            "to_period": P2025_07,
            "to_code": province,
            "kind": "dissolve_level",
            "effective_date": EFFECTIVE_2025,
            "legal_source": PROVINCE_ACT,
            "source": "vietnam-provinces-2026.9.0",
            "note": "the district level ended; its communes' successors lie in this province",
        }
        for district, targets in sorted(provinces.items())
        for province in sorted(targets)
    ]


def report(
    units: list[dict[str, str]], vp_successors: dict[str, set[str]], vau: dict[str, Any]
) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    name = {(u["period"], u["code"]): u["name"] for u in units if u["level"] == "commune"}
    legacy = sorted(c for p, c in name if p == P2025_01)
    new = sorted(c for p, c in name if p == P2025_07)

    def add(issue: str, period: str, c: str, vp: str, va: str, note: str) -> None:
        rows.append(
            {
                "issue": issue,
                "level": "commune",
                "period": period,
                "code": c,
                "name": name.get((period, c), ""),
                "vietnam_provinces": vp,
                "vietnamadminunits": va,
                "note": note,
            }
        )

    def names(codes: Iterable[str]) -> str:
        return "; ".join(f"{c} {name.get((P2025_07, c), '?')}" for c in sorted(codes))

    for c in legacy:
        vp, va = vp_successors.get(c, set()), vau["successors"].get(c, set())
        if not vp or not va:
            said = [n for n, s in (("vietnam-provinces", vp), ("vietnamadminunits", va)) if not s]
            where = "" if c in vau["legacy"] else " (not in vietnamadminunits' list)"
            add("no_successor", P2025_01, c, names(vp), names(va), f"no successor in {' and '.join(said)}{where}")
        if vp and va and vp != va:
            add("successors_disagree", P2025_01, c, names(vp), names(va), "not resolved: both kept here")
    for c in sorted(set(vp_successors) - set(legacy)):
        add(
            "lineage_code_not_in_list",
            P2025_01,
            c,
            names(vp_successors[c]),
            "",
            "old code in the conversion table only, not in the list: its rows are left out of lineage.csv",
        )
    for c in legacy:
        if c not in vau["legacy"]:
            add("not_in_other_list", P2025_01, c, "in the list", "absent", "")
    for c, names_ in sorted(vau["legacy"].items()):
        if (P2025_01, c) not in name:
            add("not_in_other_list", P2025_01, c, "absent", "; ".join(names_), "")
        elif len(names_) > 1:
            add("duplicate_code", P2025_01, c, "once", "; ".join(names_), "one code, several rows in vietnamadminunits")
    for key in vau["unmatched"]:
        add("key_without_code", P2025_01, "", "", key, "a name key of vietnamadminunits' lineage that names no unit")
    for (period, c), written in sorted(name.items()):
        if written[:1].islower():
            add(
                "name_lower_case",
                period,
                c,
                written,
                vau["new"].get(c, "") if period == P2025_07 else "",
                "kept as written",
            )
    for c in new:
        other = vau["new"].get(c)
        if other is None:
            add("not_in_other_list", P2025_07, c, "in the list", "absent", "")
        elif other != name[(P2025_07, c)]:
            add("names_differ", P2025_07, c, name[(P2025_07, c)], other, "")
    for c in sorted(set(vau["new"]) - set(new)):
        add("not_in_other_list", P2025_07, c, "absent", vau["new"][c], "")
    predecessors = {s for targets in vp_successors.values() for s in targets}
    for c in new:
        if c not in predecessors:
            add("no_predecessor", P2025_07, c, "none", "", "new unit with no old unit in vietnam-provinces")
    return rows


def compare_2023(units: list[dict[str, str]]) -> list[dict[str, str]]:
    """Units of the 2023 list (one province) that the list of 2025-01 does not carry with the same code and name."""
    later = {(u["level"], u["code"]): u["name"] for u in units if u["period"] == P2025_01}
    rows = []
    for u in units:
        if u["period"] == P2023 and later.get((u["level"], u["code"])) != u["name"]:
            rows.append(
                {
                    "issue": "changed_2023_2025",
                    "level": u["level"],
                    "period": P2023,
                    "code": u["code"],
                    "name": u["name"],
                    "vietnam_provinces": later.get((u["level"], u["code"]), "absent") + " (2025-01)",
                    "vietnamadminunits": "",
                    "note": "an arrangement between the lists; only data/unit_events.csv says what became of it",
                }
            )
    return rows


def act_report(units: list[dict[str, str]], commune_acts: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    """What the curated resolutions leave open, one row per province: no number in the sources
    read, a number read in one source only, a date another source gives otherwise."""
    rows: list[dict[str, str]] = []

    def add(issue: str, u: dict[str, str], said: str, note: str) -> None:
        rows.append(
            {
                "issue": issue,
                "level": "province",
                "period": P2025_07,
                "code": u["code"],
                "name": u["name"],
                "vietnam_provinces": "",
                "vietnamadminunits": "",
                "note": f"{said}: {note}" if said else note,
            }
        )

    for u in sorted(units, key=lambda u: u["code"]):
        if u["period"] != P2025_07 or u["level"] != "province":
            continue
        act = commune_acts.get(u["code"])
        if act is None:
            add(
                "act_number_not_recorded",
                u,
                "",
                "the Standing Committee resolution for this province's communes is not in the sources read",
            )
            continue
        number_sources = [s.strip() for s in act["number_sources"].split(";") if s.strip()]
        if len(number_sources) == 1:
            add("act_number_one_source", u, act["act"], f"read in {number_sources[0]} only; no second source found")
        if act["date_other"]:
            add(
                "act_dates_differ",
                u,
                act["act"],
                f"{act['date']} ({act['date_sources']}); {act['date_other']}; kept {act['date']}, the date the text itself bears where it was read",
            )
    return rows


def acts(units: list[dict[str, str]], commune_acts: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    """The legal acts the lineage names, one row each: the curated resolutions (acts_sources.csv),
    or a placeholder for a province without one."""
    rows = [
        {
            "act": PROVINCE_ACT,
            "date": "2025-06-12",
            "title": "Nghị quyết 202/2025/QH15 của Quốc hội về việc sắp xếp đơn vị hành chính cấp tỉnh "
            "(chính quyền địa phương hai cấp từ 01/7/2025)",
            "source": "thuviennhadat-695404",
        }
    ]
    for u in units:
        if u["period"] != P2025_07 or u["level"] != "province":
            continue
        act = commune_acts.get(u["code"])
        if act is not None:
            rows.append({"act": act["act"], "date": act["date"], "title": act["title"], "source": act_sources(act)})
            continue
        title = f"về việc sắp xếp các đơn vị hành chính cấp xã của {u['name'][0].lower()}{u['name'][1:]} năm 2025"
        rows.append(
            {
                "act": f"UBTVQH-2025-{u['code']}",
                "date": "2025-06-16",
                "title": f"Nghị quyết của Ủy ban Thường vụ Quốc hội {title} (số hiệu chưa ghi: lineage_report.csv)",
                "source": "thuviennhadat-685791",
            }
        )
    return rows


def same_2023_2025(units: list[dict[str, str]]) -> list[dict[str, str]]:
    """Units of the 2023 list that the 2025-01 list carries with the same level, code and name: the same unit."""
    later = {(u["level"], u["code"]): u for u in units if u["period"] == P2025_01}
    rows = []
    for u in units:
        v = later.get((u["level"], u["code"]))
        if u["period"] == P2023 and v is not None and v["name"] == u["name"]:
            rows.append(
                {
                    "level": u["level"],
                    "from_period": P2023,
                    "from_code": u["code"],
                    "to_period": P2025_01,
                    "to_code": u["code"],
                    "kind": "same",
                    "effective_date": "",
                    "legal_source": "",
                    "source": "vietnam-provinces-0.5.0; vietnam-provinces-2026.9.0",
                    "note": "same level, code and name in both lists",
                }
            )
    return rows


LEVELS = {"province": ("province",), "district": ("district",), "commune": ("commune",), "town": ("commune",)}
TOWN_TYPES = {"commune": "xã", "town": "thị trấn"}


def unit_codes(units: list[dict[str, str]], local: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The official code, in each period, of every unit of data/units.csv: matched by level, type and
    name within its parent (the province Lạng Sơn by name among the provinces). What does not match
    exactly one unit is a row of the report, never a guess."""
    with local.open(encoding="utf-8") as f:
        own = list(csv.DictReader(f))
    rows: list[dict[str, str]] = []
    problems: list[dict[str, str]] = []
    for period in (P2023, P2025_01, P2025_07):
        found: dict[str, str] = {}
        for r in own:  # parents come before their units in units.csv
            parent = found.get(r["parent"], "") if r["parent"] else ""
            if r["parent"] and not parent:
                continue
            candidates = [
                u
                for u in units
                if u["period"] == period
                and u["level"] == {"town": "commune"}.get(r["level"], r["level"])
                and u["short_name"] == r["name"]
                and u["parent_code"] == parent
                and (r["level"] not in TOWN_TYPES or u["type"] == TOWN_TYPES[r["level"]])
            ]
            if len(candidates) == 1:
                found[r["unit"]] = candidates[0]["code"]
                rows.append(
                    {
                        "unit": r["unit"],
                        "period": period,
                        "code": candidates[0]["code"],
                        "name": candidates[0]["name"],
                        "method": "level, type and name within its parent",
                    }
                )
            elif len(candidates) > 1 or (period != P2025_07 and r["valid_to"] in ("", "2025")):
                problems.append(
                    {
                        "issue": "local_unit_unmatched",
                        "level": r["level"],
                        "period": period,
                        "code": "; ".join(u["code"] for u in candidates),
                        "name": r["name"],
                        "vietnam_provinces": f"{len(candidates)} units match",
                        "vietnamadminunits": "",
                        "note": f"data/units.csv {r['unit']}: no code recorded for this period",
                    }
                )
    return rows, problems


def write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wheels", type=Path, help="folder holding the three downloaded wheels")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the snapshot (data/registry)")
    parser.add_argument(
        "--acts",
        type=Path,
        default=ACTS_SOURCES,
        help="the curated Standing Committee resolutions, one per province (data/registry/acts_sources.csv)",
    )
    parser.add_argument("--sources", type=Path, default=SOURCES, help="the source ids they name (data/sources.csv)")
    args = parser.parse_args(argv)
    try:  # the curated input is checked before any package is read
        commune_acts = read_commune_acts(args.acts, args.sources)
    except CuratedInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with (
        zipfile.ZipFile(args.wheels / VP_NEW) as vp_new,
        zipfile.ZipFile(args.wheels / VP_OLD) as vp_old,
        zipfile.ZipFile(args.wheels / VAU) as vau_wheel,
    ):
        new_units, conversions = read_vp_new(vp_new)
        units = read_vp_2023(vp_old, "20") + read_vp_legacy(vp_new) + new_units
        vau = read_vau(vau_wheel)
    provinces = {u["code"] for u in new_units if u["level"] == "province"}
    for i, code in enumerate(commune_acts):
        if code not in provinces:
            print(
                f"error: {args.acts}: row {i + 2}, column 'province_code': {code!r} is not a province of period "
                f"{P2025_07} in {VP_NEW}",
                file=sys.stderr,
            )
            return 2
    new_province = {u["code"]: u["parent_code"] for u in new_units if u["level"] == "commune"}
    communes, successors = commune_lineage(conversions, new_province, commune_acts)
    listed = {u["code"] for u in units if u["period"] == P2025_01 and u["level"] == "commune"}
    communes = [r for r in communes if r["from_code"] in listed]  # the others: lineage_code_not_in_list
    lineage = province_lineage(conversions) + district_lineage(units, successors) + communes + same_2023_2025(units)
    codes, unmatched = unit_codes(units, ROOT / "data" / "units.csv")
    findings = report(units, successors, vau) + act_report(units, commune_acts) + compare_2023(units) + unmatched
    order = {P2023: 0, P2025_01: 1, P2025_07: 2}
    levels = {"province": 0, "district": 1, "commune": 2}
    units.sort(key=lambda u: (order[u["period"]], levels[u["level"]], u["code"]))
    lineage.sort(key=lambda r: (levels[r["level"]], r["from_period"], r["from_code"], r["to_code"]))
    args.out.mkdir(parents=True, exist_ok=True)
    write(args.out / "periods.csv", list(PERIODS[0]), PERIODS)
    write(args.out / "units.csv", UNIT_COLUMNS, units)
    write(args.out / "acts.csv", ACT_COLUMNS, acts(units, commune_acts))
    write(args.out / "unit_codes.csv", ["unit", "period", "code", "name", "method"], codes)
    write(args.out / "lineage.csv", LINEAGE_COLUMNS, lineage)
    write(args.out / "lineage_report.csv", REPORT_COLUMNS, findings)
    print(f"{len(units)} units, {len(lineage)} lineage rows, {len(findings)} report rows -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
