"""History carried to the units that merge, split and change level (``unit_events.csv``).

After a change, a unit's territory is its own old territory (if it existed) plus what came
from its predecessors. For the years before the change, :func:`carry_history` combines the
predecessors' figures into a baseline for the unit as it is now:

- **counts** (``vụ``, ``ha``, ``triệu đồng``, ...) are summed, a predecessor that gave only part
  of itself counting with the share of its population it gave (``population_share``);
- **rates** (``%``) are weighted by the population each piece brought;
- **levels of one unit** (NTM criteria, model rules) and **words** are not carried.

Every carried value records its method, its predecessors and their weights, and a Vietnamese
sentence for the pack; a value that cannot be carried (a share or a population not published,
a predecessor's figure missing) is listed with the reason, never guessed. When an event takes
effect: :func:`analysis.io.events.effect_year`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pandas as pd

from analysis.errors import AnalysisError
from analysis.io.events import effect_year, parse_date
from analysis.io.schema import EventKind, Kind


class Method(StrEnum):
    """How a predecessor's figures make the successor's baseline."""

    SUM = "sum"
    POPULATION_WEIGHTED = "population_weighted"
    NOT_CARRIED = "not_carried"


#: Method by measure unit; a measure unit not listed here is not carried (say how, by ``methods``).
DEFAULT_METHODS: dict[str, Method] = {
    "%": Method.POPULATION_WEIGHTED,
    "vụ": Method.SUM,
    "ha": Method.SUM,
    "triệu đồng": Method.SUM,
    "tỷ đồng": Method.SUM,
    "lượt người": Method.SUM,
    "người": Method.SUM,
    "hộ": Method.SUM,
    "tiêu chí": Method.NOT_CARRIED,
    "quy định": Method.NOT_CARRIED,
}
METHOD_VI = {
    Method.SUM: "cộng dồn",
    Method.POPULATION_WEIGHTED: "bình quân theo dân số",
    Method.NOT_CARRIED: "không chuyển",
}
CARRIED_COLUMNS = [
    "unit",
    "indicator_id",
    "year",
    "kind",
    "value",
    "measure_unit",
    "method",
    "predecessors",
    "weights",
    "events",
    "illustrative",
    "note",
]
#: Events along which a unit's territory (and history) moves.
MOVES = (EventKind.MERGE, EventKind.PARTIAL_TRANSFER, EventKind.RENAME, EventKind.CREATE)


@dataclass(frozen=True)
class Piece:
    """Part of a unit's present territory that reported on its own in a past year."""

    unit: str
    #: share of ``unit``'s own counts that belongs here (None: not published)
    count_share: float | None
    #: share of the present unit's population living here (None: not published)
    population_fraction: float | None
    events: tuple[str, ...] = ()


def _events(events: pd.DataFrame) -> pd.DataFrame:
    ev = events[events["kind"].isin(list(MOVES))].copy()
    ev["_date"] = [parse_date(str(d)) for d in ev["date"]]
    ev["_effect"] = [effect_year(d) for d in ev["_date"]]
    return ev


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _count_share(ev: pd.DataFrame, row: pd.Series) -> float | None:
    """Share of ``from_unit``'s counts that the event ``row`` moves."""
    given = _num(row["population_share"])
    if given is not None:
        return given
    if row["kind"] == EventKind.PARTIAL_TRANSFER:
        return None
    others = ev[(ev["from_unit"] == row["from_unit"]) & (ev["_date"] == row["_date"]) & (ev["event"] != row["event"])]
    shares = [_num(s) for s in others["population_share"]]
    if any(s is None for s in shares):
        return None
    return 1.0 - sum(s for s in shares if s is not None)


def decompose(events: pd.DataFrame, unit: str, *, figure_year: int, seen_in: int) -> list[Piece]:
    """The pieces of ``unit``'s territory of year ``seen_in`` that reported on their own in
    ``figure_year``: ``[Piece(unit, 1, 1)]`` when no change lies between the two years.

    >>> ev = pd.DataFrame({"event": ["e1"], "date": ["2024-12-01"], "kind": ["merge"], "from_unit": ["a"],
    ...     "to_unit": ["b"], "population": [300.0], "population_share": [None], "to_population_after": [1000.0]})
    >>> [(p.unit, p.count_share, p.population_fraction) for p in decompose(ev, "b", figure_year=2024, seen_in=2025)]
    [('b', 1.0, 0.7), ('a', 1.0, 0.3)]
    >>> [p.unit for p in decompose(ev, "b", figure_year=2025, seen_in=2025)]
    ['b']
    """
    return _decompose(_events(events), unit, figure_year, seen_in, depth=0)


def _decompose(ev: pd.DataFrame, unit: str, figure_year: int, seen_in: int, *, depth: int) -> list[Piece]:
    if depth > 50:
        raise AnalysisError(f"unit_events.csv: the changes into {unit!r} go round in a cycle")
    window = (ev["_effect"] > figure_year) & (ev["_effect"] <= seen_in)
    # part of the unit given away since: its counts shrink by the share given (rates stay)
    given = ev[window & (ev["from_unit"] == unit) & (ev["kind"] == EventKind.PARTIAL_TRANSFER)]
    shares = [_num(s) for s in given["population_share"]]
    kept = None if any(s is None for s in shares) else 1.0 - sum(s or 0.0 for s in shares)
    into = ev[window & (ev["to_unit"] == unit)]
    if into.empty:
        return [Piece(unit, kept, 1.0, tuple(str(e) for e in given["event"]))]
    date = into["_date"].max()
    last = into[into["_date"] == date]
    before = int(last["_effect"].iloc[0]) - 1  # the territories as they were before the change
    incoming = [_num(p) for p in last.loc[last["kind"] != EventKind.CREATE, "population"]]
    after = _num(last["to_population_after"].dropna().iloc[0]) if last["to_population_after"].notna().any() else None
    known_in = None if any(p is None for p in incoming) else sum(p or 0.0 for p in incoming)
    total = after if after is not None else known_in
    parts: list[tuple[str, float | None, float | None, tuple[str, ...]]] = []
    if not last["kind"].isin([EventKind.RENAME, EventKind.CREATE]).any():  # the unit's own old territory
        own = None if after is None or known_in is None else after - known_in
        parts.append((unit, kept, None if own is None or not total else own / total, ()))
    for _, row in last[last["kind"] != EventKind.CREATE].iterrows():
        rename = row["kind"] == EventKind.RENAME
        pop = _num(row["population"])
        fraction = 1.0 if rename else (None if pop is None or not total else pop / total)
        share = 1.0 if rename else _count_share(ev, row)
        parts.append((str(row["from_unit"]), share, fraction, (str(row["event"]),)))
    pieces: list[Piece] = []
    for name, share, fraction, via in parts:
        for p in _decompose(ev, name, figure_year, before, depth=depth + 1):
            pieces.append(
                Piece(
                    p.unit,
                    None if share is None or p.count_share is None else share * p.count_share,
                    None if fraction is None or p.population_fraction is None else fraction * p.population_fraction,
                    via + p.events,
                )
            )
    return pieces


def carry_history(
    observations: pd.DataFrame,
    catalogue: pd.DataFrame,
    events: pd.DataFrame,
    *,
    unit: str,
    year: int,
    kinds: tuple[str, ...] = (Kind.RESULT, Kind.ESTIMATE),
    methods: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The baseline of ``unit`` as it is in ``year``, carried from its predecessors' figures of
    the years before the changes that made it (columns :data:`CARRIED_COLUMNS`).

    One row per indicator of ``unit``'s catalogue and past year in which some predecessor has a
    figure: ``method`` ``sum`` or ``population_weighted`` with ``value``, or ``not_carried``
    with an empty value and the reason in ``note``. ``methods`` maps an ``indicator_id`` (or a
    measure unit) to a method, over :data:`DEFAULT_METHODS`. ``illustrative`` is true when any
    figure used is illustrative. Years without a change in between are the unit's own figures
    and are not listed.
    """
    cat = catalogue[catalogue["unit"] == unit]
    if cat.empty:
        raise AnalysisError(f"no indicators for unit {unit!r} in the catalogue: nothing to carry")
    # the years whose figures come from other units, found before any pass over the figures:
    # most units (a country's communes) have none
    carried: dict[int, list[Piece]] = {}
    for fig_year in sorted({int(y) for y in observations["year"].dropna().unique() if int(y) < year}):
        pieces = decompose(events, unit, figure_year=fig_year, seen_in=year)
        if [(p.unit, p.count_share) for p in pieces] != [(unit, 1.0)]:
            carried[fig_year] = pieces
    if carried:
        obs = observations[observations["kind"].isin(list(kinds)) & observations["value"].notna()].reset_index(
            drop=True
        )
    else:
        obs = observations.iloc[0:0]
    flags = obs["illustrative"] if "illustrative" in obs.columns else pd.Series(False, index=obs.index)
    chosen = {
        **{k: Method(v) for k, v in DEFAULT_METHODS.items()},
        **{k: Method(v) for k, v in (methods or {}).items()},
    }
    rows = []
    for fig_year, pieces in carried.items():
        for _, ind in cat.iterrows():
            iid, measure = str(ind["indicator_id"]), str(ind["measure_unit"])
            method = chosen.get(iid, chosen.get(measure, Method.NOT_CARRIED))
            values: list[tuple[Piece, float, bool, str]] = []
            for p in pieces:
                hit = obs[(obs["unit"] == p.unit) & (obs["indicator_id"] == iid) & (obs["year"] == fig_year)]
                hit = hit.sort_values("kind", key=lambda k: k.map({str(x): i for i, x in enumerate(kinds)}))
                if not hit.empty:
                    values.append((p, float(hit["value"].iloc[0]), bool(flags[hit.index[0]]), str(hit["kind"].iloc[0])))
            if not values:
                continue
            rows.append(_combine(unit, iid, fig_year, measure, method, pieces, values, ind))
    out = pd.DataFrame(rows, columns=CARRIED_COLUMNS)
    out["value"] = out["value"].astype("float64")
    out["illustrative"] = out["illustrative"].astype(bool)
    return out


def _combine(
    unit: str,
    iid: str,
    fig_year: int,
    measure: str,
    method: Method,
    pieces: list[Piece],
    values: list[tuple[Piece, float, bool, str]],
    ind: pd.Series,
) -> dict[str, object]:
    names = [p.unit for p in pieces]
    events = sorted({e for p in pieces for e in p.events})
    weights = [p.count_share if method == Method.SUM else p.population_fraction for p in pieces]
    row: dict[str, object] = {
        "unit": unit,
        "indicator_id": iid,
        "year": fig_year,
        "kind": Kind.ESTIMATE if any(k == Kind.ESTIMATE for *_, k in values) else Kind.RESULT,
        "value": float("nan"),
        "measure_unit": measure,
        "method": Method.NOT_CARRIED,
        "predecessors": ";".join(names),
        "weights": ";".join("" if w is None else f"{w:.6g}" for w in weights),
        "events": ";".join(events),
        "illustrative": any(flag for _, _, flag, _ in values),
        "note": "",
    }
    have = {p.unit for p, *_ in values}
    missing = [n for n in names if n not in have]
    if method == Method.NOT_CARRIED or ind.get("direction") == "text":
        row["note"] = (
            f"Không chuyển: chỉ tiêu đo bằng {measure or 'lời văn'} của từng xã, không cộng hay bình quân được."
        )
    elif missing:
        row["note"] = f"Không chuyển: thiếu số liệu năm {fig_year} của {', '.join(missing)}."
    elif any(w is None for w in weights):
        unknown = [n for n, w in zip(names, weights, strict=True) if w is None]
        what = "tỷ lệ dân số chuyển sang" if method == Method.SUM else "dân số"
        row["note"] = f"Không chuyển: chưa công bố {what} của phần {', '.join(unknown)}."
    else:
        total = sum((w or 0.0) * v for (_, v, _, _), w in zip(values, weights, strict=True))
        row["value"] = total
        row["method"] = method
        parts = ", ".join(f"{n} × {_vi(w or 0.0)}" for n, w in zip(names, weights, strict=True))
        row["note"] = f"Số liệu năm {fig_year} ghép từ các đơn vị trước sắp xếp ({METHOD_VI[method]}: {parts})."
    if math.isnan(float(row["value"])):  # type: ignore[arg-type]
        row["method"] = Method.NOT_CARRIED
    return row


def _vi(x: float) -> str:
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def successors(events: pd.DataFrame, unit: str, year: int) -> list[str]:
    """The units that carry ``unit``'s territory in ``year`` (itself when unchanged; several
    after a split), following merges, partial transfers and renames that took effect by then.

    >>> ev = pd.DataFrame({"event": ["e1", "e2"], "date": ["2024-12-01", "2024-12-01"],
    ...     "kind": ["partial_transfer", "merge"], "from_unit": ["a", "a"], "to_unit": ["b", "c"]})
    >>> successors(ev, "a", 2024), successors(ev, "a", 2025)
    (['a'], ['b', 'c'])
    """
    ev = _events(events)
    out: list[str] = []
    todo, seen = [unit], set()
    while todo:
        current = todo.pop(0)
        if current in seen:
            continue
        seen.add(current)
        moves = ev[(ev["from_unit"] == current) & (ev["_effect"] <= year)]
        ends = moves["kind"].isin([EventKind.MERGE, EventKind.RENAME]).any()
        if not ends:
            out.append(current)
        todo += [str(u) for u in moves["to_unit"] if str(u) not in seen]
    return out


def parent_in(units: pd.DataFrame, events: pd.DataFrame, unit: str, year: int) -> str:
    """The unit's parent in ``year``: its ``parent`` in ``units.csv``, or, once that level was
    dissolved (``dissolve_level``), the unit it handed its sub-units to.

    >>> units = pd.DataFrame({"unit": ["p", "d", "c"], "parent": ["", "p", "d"]})
    >>> ev = pd.DataFrame({"event": ["x"], "date": ["2025-07-01"], "kind": ["dissolve_level"],
    ...     "from_unit": ["d"], "to_unit": ["p"]})
    >>> parent_in(units, ev, "c", 2025), parent_in(units, ev, "c", 2026)
    ('d', 'p')
    """
    hit = units[units["unit"] == unit]
    if hit.empty:
        raise AnalysisError(f"unknown unit {unit!r}: not in the units table")
    parent = str(hit["parent"].iloc[0])
    dissolved = events[events["kind"] == EventKind.DISSOLVE_LEVEL]
    for _ in range(10):
        gone = dissolved[dissolved["from_unit"] == parent]
        if gone.empty or effect_year(parse_date(str(gone["date"].iloc[0]))) > year:
            return parent
        parent = str(gone["to_unit"].iloc[0])
    raise AnalysisError(f"unit_events.csv: dissolve_level events of {unit!r}'s parents go round in a cycle")


def with_carried(observations: pd.DataFrame, carried: pd.DataFrame) -> pd.DataFrame:
    """``observations`` in which each value :func:`carry_history` carried (method not
    ``not_carried``) replaces the unit's own results and estimates of that indicator and year,
    so that the year before a change reads as the unit's territory is now. The new rows have
    ``source`` ``lineage:<events>`` and the carried ``note``; ``illustrative`` as carried.

    >>> obs = pd.DataFrame({"unit": ["b", "b"], "indicator_id": ["x", "x"], "year": [2024, 2025],
    ...     "kind": ["result", "plan"], "value": [1.0, 3.0], "source": ["", ""], "note": ["", ""]})
    >>> carried = pd.DataFrame({"unit": ["b"], "indicator_id": ["x"], "year": [2024], "kind": ["result"],
    ...     "value": [2.5], "measure_unit": ["ha"], "method": ["sum"], "events": ["e1"], "illustrative": [True],
    ...     "note": ["ghép"]})
    >>> with_carried(obs, carried)[["year", "kind", "value", "source"]].values.tolist()
    [[2025, 'plan', 3.0, ''], [2024, 'result', 2.5, 'lineage:e1']]
    """
    used = carried[carried["method"] != Method.NOT_CARRIED]
    if used.empty:
        return observations
    keys = set(zip(used["unit"], used["indicator_id"], used["year"].astype(int), strict=True))
    own = [
        (u, i, int(y)) in keys and k in (Kind.RESULT, Kind.ESTIMATE)
        for u, i, y, k in zip(
            observations["unit"], observations["indicator_id"], observations["year"], observations["kind"], strict=True
        )
    ]
    kept = observations[[not o for o in own]]
    new = pd.DataFrame(
        {
            "unit": used["unit"],
            "indicator_id": used["indicator_id"],
            "year": used["year"].astype(observations["year"].dtype),
            "kind": used["kind"],
            "value": used["value"],
            "source": ["lineage:" + str(e) for e in used["events"]],
            "note": used["note"],
            **({"measure_unit": used["measure_unit"]} if "measure_unit" in observations.columns else {}),
            **({"illustrative": used["illustrative"]} if "illustrative" in observations.columns else {}),
        }
    )
    return pd.concat([kept, new.reindex(columns=observations.columns)], ignore_index=True)
