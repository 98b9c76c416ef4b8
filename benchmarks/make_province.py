"""Synthetic provinces for the benchmark: N made-up communes next to the shipped data.

Since 1 July 2025 local government has two levels: provinces, and communes directly under
them (no districts). The generator writes that shape, a self-contained data folder and
params folder::

    OUT/data/     a copy of the shipped curated data (the two real districts still build)
                  + synthetic provinces ``syn-p01``… of about :data:`COMMUNES_PER_PROVINCE`
                  communes each, communes ``syn-p01-c001``… whose parent is their province,
                  appended to ``units.csv``, their indicators to
                  ``illustrative/commune_indicators.csv`` and their figures to
                  ``illustrative/commune_observations.csv``; every added row is illustrative
    OUT/params/   a copy of ``params/`` whose ``<year>/units.yaml`` lists the shipped units
                  (unless ``shipped_units=False``) and the synthetic communes, each with
                  ``50_commune_pack.ipynb``, plus one small ``<year>/<unit>.yaml`` per commune

The figures come from the generator that made the shipped illustrative dataset
(``data/illustrative/make_illustrative.py``: same indicators, same ranges, TH/KH published
with truncations and one deliberate slip per province), fed with seeded random commune
profiles instead of its hand-written ones. Same ``n`` and ``seed`` → same bytes.
``--communes 3321`` is the whole country: 34 provinces of 97–98 communes.

NEVER write this under ``data/``: it is benchmark input, not data. The default output is
``benchmarks/out/province-<n>/`` (git-ignored).

    python benchmarks/make_province.py --communes 200 --out /tmp/province
    python benchmarks/make_province.py --communes 3321 --out /tmp/country --list 332   # a slice listed
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import math
import random
import shutil
import sys
from pathlib import Path
from types import ModuleType
from unittest import mock

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = ROOT / "data"
PARAMS = ROOT / "params"
GENERATOR = DATA / "illustrative" / "make_illustrative.py"

PREFIX = "syn"
COMMUNES_PER_PROVINCE = 100
#: Communes, wards and special zones of the country since 1 July 2025 (34 provinces).
COUNTRY_COMMUNES = 3321
COMMUNE_NOTEBOOK = "50_commune_pack.ipynb"
SOURCE = "synthetic: benchmarks/make_province.py"
NOTE = "Synthetic unit of the benchmark (made up, illustrative); never shipped as data."
CATALOGUE_NOTE = "Synthetic benchmark commune (benchmarks/make_province.py): illustrative indicator list."
# Indicators whose published TH/KH may carry a province's deliberate slip (higher is better).
SLIP_INDICATORS = ("health_insurance", "village_roads_paved", "new_forest")

# Syllables of Vietnamese place names; two (or three) make a name.
SYLLABLES = (
    "An",
    "Bình",
    "Cao",
    "Châu",
    "Đông",
    "Đức",
    "Hà",
    "Hải",
    "Hòa",
    "Hồng",
    "Hưng",
    "Khánh",
    "Kim",
    "Lạc",
    "Lâm",
    "Long",
    "Minh",
    "Mỹ",
    "Nam",
    "Nghĩa",
    "Ngọc",
    "Phong",
    "Phú",
    "Phúc",
    "Quang",
    "Sơn",
    "Tân",
    "Thạch",
    "Thanh",
    "Thành",
    "Thịnh",
    "Thuận",
    "Tiến",
    "Trung",
    "Vân",
    "Việt",
    "Vĩnh",
    "Xuân",
    "Yên",
    "Lương",
)


def make_province(
    n: int = 200,
    out: Path | str | None = None,
    *,
    seed: int = 0,
    year: int = 2024,
    shipped_units: bool = True,
    listed: int | None = None,
    data_dir: Path | str = DATA,
    params_dir: Path | str = PARAMS,
) -> dict:
    """Write ``n`` synthetic communes in provinces of about :data:`COMMUNES_PER_PROVINCE` under
    ``out``; return what was written.

    ``out`` (default ``benchmarks/out/province-<n>``) is replaced. ``listed`` (default all) is how
    many communes ``units.yaml`` lists, the first ones in order: a slice of the run whose data
    are those of all ``n``. Returns ``data_dir``, ``params_dir``, ``provinces`` and ``communes``
    (ids, in order) and ``listed`` (the communes of the run).

    >>> import tempfile
    >>> info = make_province(3, Path(tempfile.mkdtemp()) / "p")
    >>> info["communes"], info["provinces"]
    (['syn-p01-c001', 'syn-p01-c002', 'syn-p01-c003'], ['syn-p01'])
    """
    if n < 1:
        raise ValueError(f"n: at least one commune expected, got {n}")
    if listed is not None and not 1 <= listed <= n:
        raise ValueError(f"listed: between 1 and {n} communes expected, got {listed}")
    out = Path(out) if out is not None else HERE / "out" / f"province-{n}"
    src_data, src_params = Path(data_dir).resolve(), Path(params_dir).resolve()
    if out.resolve() == src_data or src_data in out.resolve().parents:
        raise ValueError(f"out: {out} is inside the shipped data folder; the synthetic province is never written there")
    if out.exists():
        shutil.rmtree(out)
    data, params = out / "data", out / "params"
    shutil.copytree(src_data, data, ignore=shutil.ignore_patterns("*.py", "__pycache__", ".*"))
    shutil.copytree(src_params, params, ignore=shutil.ignore_patterns("__pycache__", ".*"))

    rng = random.Random(f"make_province:{seed}")
    units = synthetic_units(n, rng)
    communes = [u for u in units if u["level"] == "commune"]
    provinces = [u["unit"] for u in units if u["level"] == "province"]
    catalogue, observations = synthetic_figures(communes, rng, seed=seed)

    _append_csv(data / "units.csv", units)
    _append_csv(data / "illustrative" / "commune_indicators.csv", catalogue)
    _append_csv(data / "illustrative" / "commune_observations.csv", observations)
    run = communes[: listed or n]
    _write_params(params / str(year), run, year=year, shipped_units=shipped_units)
    return {
        "data_dir": data,
        "params_dir": params,
        "provinces": provinces,
        "communes": [c["unit"] for c in communes],
        "listed": [c["unit"] for c in run],
    }


def synthetic_units(n: int, rng: random.Random) -> list[dict]:
    """Rows of ``units.csv``: ``ceil(n / 100)`` provinces, each followed by its communes (the
    ``n`` communes spread evenly; all illustrative)."""
    n_provinces = max(1, math.ceil(n / COMMUNES_PER_PROVINCE))
    names = unique_names(n + n_provinces, rng)
    row = dict(valid_from="", valid_to="", illustrative="true", source=SOURCE, note=NOTE)
    units = []
    sizes = [n // n_provinces + (i < n % n_provinces) for i in range(n_provinces)]
    for p, size in enumerate(sizes, start=1):
        province = f"{PREFIX}-p{p:02d}"
        units.append(dict(unit=province, name=names.pop(), level="province", parent="", **row))
        units += [
            dict(unit=f"{province}-c{c:03d}", name=names.pop(), level="commune", parent=province, **row)
            for c in range(1, size + 1)
        ]
    return units


def unique_names(k: int, rng: random.Random) -> list[str]:
    """``k`` different place names of two syllables (three when two do not suffice)."""
    pairs = [f"{a} {b}" for a in SYLLABLES for b in SYLLABLES if a != b]
    if k > len(pairs):
        pairs += [f"{p} {c}" for p in pairs for c in SYLLABLES if c not in p.split()]
    return rng.sample(pairs, k)


def synthetic_figures(communes: list[dict], rng: random.Random, *, seed: int) -> tuple[list[dict], list[dict]]:
    """Catalogue and observation rows of ``communes``, from the shipped illustrative generator."""
    gen = _load_generator()
    profiles, by_province = {}, {}
    for c in communes:
        profiles[c["unit"]] = random_profile(rng)
        by_province.setdefault(c["parent"], []).append(c["unit"])
    slips = {(rng.choice(units), rng.choice(SLIP_INDICATORS)) for units in by_province.values()}
    with mock.patch.multiple(
        gen, SEED=f"make_province:{seed}:figures", PROFILES=profiles, SLIPS=slips, REAL={}, REAL_EXTRA=[], NOTES={}
    ):
        catalogue, observations = gen.build()
    for row in catalogue:
        row["note"] = CATALOGUE_NOTE
    return catalogue, observations


def random_profile(rng: random.Random) -> dict:
    """A commune profile as ``make_illustrative.PROFILES`` writes them (NTM criteria 8–19)."""
    dev = round(rng.uniform(0.1, 0.95), 2)
    first = max(8, min(19, round(8 + dev * 11 + rng.uniform(-2, 2))))
    ntm = [first]
    for _ in range(2):
        ntm.append(min(19, ntm[-1] + rng.choice((0, 1, 1, 2))))
    profile = dict(dev=dev, villages=rng.randint(6, 15), ntm=tuple(ntm), forest=rng.randint(15, 90))
    if ntm[0] == 19 and rng.random() < 0.6:  # already NTM: working towards the advanced standard
        adv = [rng.randint(8, 16)]
        for _ in range(2):
            adv.append(min(19, adv[-1] + rng.choice((0, 1, 2))))
        profile["adv"] = tuple(adv)
        if adv[0] == 19 or (adv[2] == 19 and rng.random() < 0.5):
            model = [rng.randint(0, 2)]
            for _ in range(2):
                model.append(min(4, model[-1] + rng.choice((0, 1))))
            profile["adv"], profile["model"] = (19, 19, 19), tuple(model)
    return profile


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_make_illustrative", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _append_csv(path: Path, rows: list[dict]) -> None:
    """Append ``rows`` in the file's own column order (header checked, bytes of the copy kept)."""
    text = path.read_text(encoding="utf-8")
    header = next(csv.reader(io.StringIO(text)))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n", extrasaction="raise")
    writer.writerows({k: row.get(k, "") for k in header} | row for row in rows)
    path.write_text(text + ("" if text.endswith("\n") else "\n") + buf.getvalue(), encoding="utf-8")


def _write_params(year_dir: Path, communes: list[dict], *, year: int, shipped_units: bool) -> None:
    path = year_dir / "units.yaml"
    plan = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    plan = plan or {}
    items = list(plan.get("units") or []) if shipped_units else []
    items += [
        {"unit": c["unit"], "level": "commune", "name": c["name"], "notebooks": [COMMUNE_NOTEBOOK]} for c in communes
    ]
    plan["units"] = items
    head = (
        f"# The {year} run of the benchmark (benchmarks/make_province.py): "
        + ("the shipped units and " if shipped_units else "")
        + f"{len(communes)} synthetic communes (illustrative, made up).\n"
    )
    path.write_text(head + yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if not shipped_units:
        for old in year_dir.glob("*.yaml"):
            if old.name != "units.yaml":
                old.unlink()
    for c in communes:
        (year_dir / f"{c['unit']}.yaml").write_text(
            f"# {c['name']} ({c['parent']}), {year}: synthetic benchmark commune; nothing differs from "
            "params/defaults.yaml.\n",
            encoding="utf-8",
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--communes",
        type=int,
        default=200,
        help=f"number of synthetic communes (default 200; {COUNTRY_COMMUNES} = the whole country)",
    )
    parser.add_argument("--list", type=int, metavar="K", help="units.yaml lists only the first K communes (a slice)")
    parser.add_argument("--out", type=Path, help="output folder (replaced; default benchmarks/out/province-N)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument(
        "--only-synthetic",
        action="store_true",
        help="units.yaml lists the synthetic communes only (not the shipped units)",
    )
    args = parser.parse_args(argv)
    info = make_province(
        args.communes,
        args.out,
        seed=args.seed,
        year=args.year,
        shipped_units=not args.only_synthetic,
        listed=args.list,
    )
    print(
        f"{len(info['communes'])} communes in {len(info['provinces'])} provinces ({len(info['listed'])} in the run) → "
        f"data {info['data_dir']}  params {info['params_dir']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
