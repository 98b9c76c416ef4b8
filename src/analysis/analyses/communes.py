"""The commune pack: a commune's figures, its key tasks, and its standing in the district.

Commune-level figures are not in the source reports: the commune dataset under
``data/illustrative/`` is an illustrative (made-up) example, flagged row by row
in its ``illustrative`` column, while ``data/commune_facts.csv`` keeps every real
fact the reports give about a named commune. Units merge and split: their history is
carried by :mod:`analysis.analyses.lineage`, from ``unit_events.csv``.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.analyses.evaluate import RESULT_KINDS, evaluate, first_observations, pick_first
from analysis.errors import AnalysisError, DataValidationError, UnknownUnitError
from analysis.io.datasets import load_commune_data, read_dataset
from analysis.io.schema import Direction, Kind
from analysis.paths import dataset_path

COMPARISON_COLUMNS = [
    "district",
    "year",
    "unit",
    "name",
    "tt",
    "indicator_id",
    "indicator",
    "parent",
    "measure_unit",
    "direction",
    "result",
    "result_kind",
    "plan",
    "attainment_pct",
    "status",
    "rank",
    "n_communes",
    "district_median",
    "above_median",
    "figures_illustrative",
    "illustrative",
]
COMMUNE_TASK_COLUMNS = [
    "unit",
    "year",
    "kind",
    "task",
    "sub",
    "topic",
    "text",
    "value",
    "denominator",
    "measure_unit",
    "scope",
    "self_score",
    "published_class",
    "published_status",
    "source",
    "source_text",
]
COMMUNE_LEVELS = ("commune", "town")


# --- reading ----------------------------------------------------------------------------


#: The commune catalogue and observations (``data/illustrative/``), typed and checked: same
#: columns as ``indicators.csv`` / ``observations.csv`` plus ``illustrative``; every observation
#: belongs to an indicator of its unit's catalogue (:func:`analysis.io.datasets.load_commune_data`).
read_commune_data = load_commune_data


def read_commune_facts(data_dir: Path | str | None = None) -> pd.DataFrame:
    """``data/commune_facts.csv``: the real facts the reports give about named communes."""
    facts = read_dataset("commune_facts", data_dir)
    path = dataset_path("commune_facts", data_dir)
    for column in ("unit", "year", "topic", "source", "source_text"):
        blank = facts[column].isna() if column == "year" else facts[column].str.strip() == ""
        if blank.any():
            n = int(blank.to_numpy().nonzero()[0][0])
            raise DataValidationError(
                f"{path}: row {n + 2}, column {column!r}: empty; every fact needs "
                "a unit, year, topic, source and the sentence it comes from"
            )
    return facts


# --- units and mergers -------------------------------------------------------------------


def _valid_in(units: pd.DataFrame, year: int) -> pd.Series:
    start = pd.to_numeric(units["valid_from"], errors="coerce")
    end = pd.to_numeric(units["valid_to"], errors="coerce")
    return (start.isna() | (start <= year)) & (end.isna() | (end >= year))


def communes_of(units: pd.DataFrame, district: str, year: int | None = None) -> pd.DataFrame:
    """The communes and towns whose parent is ``district`` (those valid in ``year`` if given).

    >>> units = pd.DataFrame({"unit": ["d", "a", "b", "c"], "name": ["D", "A", "B", "C"],
    ...     "level": ["district", "commune", "commune", "town"], "parent": ["", "d", "d", "d"],
    ...     "valid_from": [None, None, None, 2025], "valid_to": [None, 2024, None, None]})
    >>> communes_of(units, "d")["unit"].tolist()
    ['a', 'b', 'c']
    >>> communes_of(units, "d", 2025)["unit"].tolist()
    ['b', 'c']
    """
    if district not in set(units["unit"]):
        raise UnknownUnitError(f"unknown district {district!r}: not in the units table")
    mask = (units["parent"] == district) & units["level"].isin(COMMUNE_LEVELS)
    if year is not None:
        mask &= _valid_in(units, year)
    return units[mask].reset_index(drop=True)


# --- standing among the district's communes ---------------------------------------------


def compare_communes(
    catalogue: pd.DataFrame, observations: pd.DataFrame, units: pd.DataFrame, *, district: str, year: int
) -> pd.DataFrame:
    """Every indicator × commune of ``district`` in ``year``, with rank and district median.

    Result, plan, attainment and status come from :func:`analysis.analyses.evaluate.evaluate`
    per commune. ``rank`` (1 = best, ties share the best rank) and ``district_median``
    are over the communes with a result for that indicator; lower-is-better
    indicators rank ascending. ``above_median`` is direction-aware (True = better
    than the median; NA without a result). ``figures_illustrative``: the commune's
    own result or plan is illustrative; ``illustrative``: any figure of the row, its own
    or the other communes' behind rank and median, is illustrative. Rows follow the
    order of ``units``, then ``tt``.
    Communes without indicators or without figures for ``year`` are left out.
    """
    members = communes_of(units, district, year)
    mine = set(members["unit"])
    # each commune's own rows, found once (a province's run has a hundred communes)
    cat_of = dict(iter(catalogue[catalogue["unit"].isin(mine)].groupby("unit", sort=False)))
    obs = observations[observations["unit"].isin(mine)]
    if "illustrative" not in obs.columns:
        obs = obs.assign(illustrative=False)
    obs_of = dict(iter(obs.groupby("unit", sort=False)))
    parts = []
    for _, unit_row in members.iterrows():
        unit = unit_row["unit"]
        own = obs_of.get(unit)
        if unit not in cat_of or own is None or not (own["year"] == year).any():
            continue
        ev = evaluate(own, cat_of[unit], unit=unit, year=year)
        first = first_observations(own)
        flags = []
        for iid in ev["indicator_id"]:
            o = first.get(str(iid), {})
            used = [
                r
                for r in (
                    pick_first(o, RESULT_KINDS, year),
                    pick_first(o, Kind.PLAN, year),
                    pick_first(o, Kind.ADJUSTED_PLAN, year),
                )
                if r is not None
            ]
            flags.append(any(bool(r["illustrative"]) for r in used))
        ev = ev.assign(name=unit_row["name"], figures_illustrative=flags)
        parts.append(ev)
    if not parts:
        raise AnalysisError(f"no commune of {district!r} has indicators and figures for {year}")
    out = pd.concat(parts, ignore_index=True)
    out["district"] = district
    out["rank"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    out["n_communes"] = 0
    out["district_median"] = float("nan")
    out["above_median"] = pd.Series(pd.NA, index=out.index, dtype="boolean")
    out["illustrative"] = out["figures_illustrative"]
    for _, group in out.groupby("indicator_id", sort=False):
        direction = group["direction"].iloc[0]
        has = group[group["result"].notna()]
        out.loc[group.index, "n_communes"] = len(has)
        if has.empty or direction == Direction.TEXT:
            continue
        lower = direction == Direction.LOWER
        out.loc[has.index, "rank"] = has["result"].rank(method="min", ascending=lower).astype("Int64")
        median = float(has["result"].median())
        out.loc[group.index, "district_median"] = median
        better = has["result"] < median if lower else has["result"] > median
        out.loc[has.index, "above_median"] = better.astype("boolean")
        if bool(has["figures_illustrative"].any()):  # rank and median rest on illustrative figures
            out.loc[group.index, "illustrative"] = True
    out["n_communes"] = out["n_communes"].astype(int)
    order = {u: i for i, u in enumerate(members["unit"])}
    out = out.assign(_order=out["unit"].map(order)).sort_values(["_order", "tt"], kind="stable")
    return out[COMPARISON_COLUMNS].reset_index(drop=True)


def commune_standing(comparison: pd.DataFrame, commune: str) -> pd.DataFrame:
    """The rows of ``commune`` in a :func:`compare_communes` table, with a Vietnamese ``sentence``.

    >>> comparison = pd.DataFrame({"unit": ["a"], "rank": pd.array([3], dtype="Int64"), "n_communes": [12],
    ...     "result": [5.0], "district_median": [4.0], "above_median": pd.array([True], dtype="boolean"),
    ...     "illustrative": [False]})
    >>> commune_standing(comparison, "a")["sentence"].iloc[0]
    'Xếp thứ 3 trong 12 xã có số liệu; tốt hơn trung vị.'
    """
    rows = comparison[comparison["unit"] == commune]
    if rows.empty:
        raise UnknownUnitError(
            f"commune {commune!r} is not in the comparison; communes there: "
            + ", ".join(sorted(set(comparison["unit"])))
        )
    return rows.assign(sentence=[_standing_sentence(r) for _, r in rows.iterrows()]).reset_index(drop=True)


def _standing_sentence(r: pd.Series) -> str:
    if pd.isna(r["rank"]):
        text = "Chưa có kết quả để xếp hạng." if pd.isna(r["result"]) else "Không xếp hạng."
    else:
        text = f"Xếp thứ {int(r['rank'])} trong {int(r['n_communes'])} xã có số liệu; "
        if r["result"] == r["district_median"]:
            text += "bằng trung vị."
        else:  # above_median is direction-aware: True = better than the median
            text += "tốt hơn trung vị." if bool(r["above_median"]) else "kém hơn trung vị."
    return text + (" (Số liệu minh họa.)" if bool(r["illustrative"]) else "")


# --- real facts and key tasks ------------------------------------------------------------


def commune_tasks(
    facts: pd.DataFrame,
    tasks: pd.DataFrame | None,
    unit: str,
    *,
    units: pd.DataFrame,
    subtargets: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """What the district report says about ``unit``: its real facts and the key tasks naming it.

    ``kind`` is ``fact`` (a row of ``commune_facts.csv``), ``key_task`` (a task of the
    commune's district whose wording names it — ``xã <name>`` / ``thị trấn <name>`` —,
    that a fact refers to, or that one of its sub-targets names; ``scope`` = ``named``;
    tasks set for every commune and town of the district have ``scope`` =
    ``all_communes``) or ``subtarget`` (``communes`` lists the commune's name).
    ``tasks`` and ``subtargets`` may be None or empty (not curated yet).
    """
    hit = units[units["unit"] == unit]
    if hit.empty:
        raise UnknownUnitError(f"unknown unit {unit!r}: not in the units table")
    name, district = unicodedata.normalize("NFC", str(hit["name"].iloc[0])), str(hit["parent"].iloc[0])
    rows: list[dict[str, Any]] = []
    own = facts[facts["unit"] == unit]
    for _, f in own.iterrows():
        rows.append(
            {
                "unit": unit,
                "year": f["year"],
                "kind": "fact",
                "task": f["task"],
                "topic": f["topic"],
                "text": f["text"],
                "value": f["value"],
                "denominator": f["denominator"],
                "measure_unit": f["measure_unit"],
                "scope": "named",
                "source": f["source"],
                "source_text": f["source_text"],
            }
        )
    named_subs = pd.DataFrame()
    if subtargets is not None and not subtargets.empty and "communes" in subtargets.columns:
        subs = subtargets[subtargets["unit"] == district]
        names = (
            subs["communes"]
            .fillna("")
            .astype(str)
            .map(lambda s: [unicodedata.normalize("NFC", n).strip() for n in s.split(";")])
        )
        named_subs = subs[names.map(lambda ns: name in ns)]
        for _, s in named_subs.iterrows():
            rows.append(
                {
                    "unit": unit,
                    "year": s["year"],
                    "kind": "subtarget",
                    "task": s["task"],
                    "sub": s["sub"],
                    "text": s["description"],
                    "value": s.get("result_value", float("nan")),
                    "denominator": s.get("denominator", float("nan")),
                    "measure_unit": s["measure_unit"],
                    "scope": "named",
                    "published_status": s.get("published_status", ""),
                    "source": f"subtargets.csv: {s['sub']}",
                    "source_text": s["source_text"],
                }
            )
    if tasks is not None and not tasks.empty:
        mine = tasks[tasks["unit"] == district]
        pattern = re.compile(r"(?:xã|thị trấn)\s+" + re.escape(name) + r"(?!\w)", re.IGNORECASE)
        linked = {(float(y), str(t)) for y, t in zip(own["year"], own["task"]) if str(t).strip()}
        linked |= {(float(y), str(t)) for y, t in zip(named_subs.get("year", []), named_subs.get("task", []))}
        for _, t in mine.iterrows():
            key = (float(t["year"]), str(t["task"]))
            if pattern.search(unicodedata.normalize("NFC", str(t["title"]))) or key in linked:
                scope = "named"
            elif "các xã, thị trấn" in str(t["group"]).casefold():
                scope = "all_communes"
            else:
                continue
            rows.append(
                {
                    "unit": unit,
                    "year": t["year"],
                    "kind": "key_task",
                    "task": t["task"],
                    "text": t["title"],
                    "scope": scope,
                    "self_score": t.get("self_score", float("nan")),
                    "published_class": t.get("published_class", ""),
                    "source": t["source"],
                }
            )
    numeric = ("year", "value", "denominator", "self_score")
    out = pd.DataFrame(
        [{c: float("nan") if c in numeric else "" for c in COMMUNE_TASK_COLUMNS} | r for r in rows],
        columns=COMMUNE_TASK_COLUMNS,
    )
    for column in COMMUNE_TASK_COLUMNS:
        if column in numeric:
            out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
        else:
            out[column] = out[column].map(lambda v: "" if pd.isna(v) else str(v)).astype(str)
    order = {"key_task": 0, "subtarget": 1, "fact": 2}
    keys = [(y, _task_key(t), order[k]) for y, t, k in zip(out["year"], out["task"], out["kind"])]
    positions = sorted(range(len(out)), key=lambda i: keys[i])
    return out.iloc[positions].reset_index(drop=True)


def _task_key(task: str) -> tuple[object, ...]:
    """Sort ``1.3`` < ``2.2`` < ``III.1.10`` naturally; no task last."""
    if not task:
        return (1,)
    return (0, tuple((0, int(p)) if p.isdigit() else (1, p) for p in task.split(".")))
