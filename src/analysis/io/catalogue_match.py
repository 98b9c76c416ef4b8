"""The catalogue entry of a row of an indicator table: the curated one when it matches, else one inferred.

A unit's curated catalogue (``data/indicators.csv``) is matched row by row, each curated
row at most once: an indicator by its section and TT with a similar wording
(:data:`MIN_WORDING_SIMILARITY`), or by the same wording when TT and wording disagree; a
sub-row only by its wording under the same parent. A row that matches nothing gets an
entry inferred from it: direction and target type from its wording and target by the
rules of ``data/inference_rules.csv`` (:mod:`analysis.io.inference`), measure unit and
decimals from its value cells. Either way, section, parent and printed STT are the table's.

>>> import pandas as pd
>>> from analysis.io.inference import load_rules
>>> from analysis.io.row_model import Place
>>> curated = pd.DataFrame([{"unit": "x", "indicator_id": "poor", "tt": 1, "indicator": "Tỷ lệ hộ nghèo",
...                          "section": "", "parent": "", "label": ""}])
>>> years = {"year": 2024, "previous_year": 2023, "next_year": 2025, "term_end": 2025}
>>> catalogue = TableCatalogue(curated, load_rules(), "x", years)
>>> match = catalogue.add(Place("indicator", "tt01", tt=1), "Tỷ lệ hộ nghèo (%)", [], {}, "")
>>> match.entry["indicator_id"], match.curated, match.warning
('poor', True, "catalogue TT 1 (poor) is worded 'Tỷ lệ hộ nghèo'; matched by TT and similar wording")
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

import pandas as pd

from analysis.io.inference import TERM_YEARS, infer, name_key
from analysis.io.numbers import parse_cell
from analysis.io.row_model import Place
from analysis.io.schema import INDICATOR_COLUMNS
from analysis.io.tables import Column, Years

# Same TT and wording at least this similar (0..1), or one wording inside the other:
# the same indicator, reworded.
MIN_WORDING_SIMILARITY = 0.8


@dataclass(frozen=True)
class Match:
    """The catalogue entry of a row; ``curated`` when it is a curated row's; ``warning``
    what the reader should check about the match ("" when nothing)."""

    entry: dict[str, object]
    curated: bool
    warning: str = ""


class TableCatalogue:
    """The catalogue of one table, an entry for each indicator and sub-row as it is read.

    ``curated`` holds the unit's curated rows with the ``LAYOUT_COLUMNS`` as text;
    ``rules`` the inference rules (:func:`analysis.io.inference.load_rules`).
    """

    def __init__(self, curated: pd.DataFrame, rules: pd.DataFrame, unit: str, years: Years) -> None:
        self.curated, self.rules, self.unit, self.years = curated, rules, unit, years
        self.entries: list[dict[str, object]] = []

    def add(self, place: Place, name: str, columns: list[Column], cell: dict[int, str], written_unit: str) -> Match:
        """The entry of the row at ``place`` worded ``name`` (its cells ``cell`` by column
        index, ``written_unit`` that of its unit column), added to :attr:`entries`."""
        assert place.tt is not None
        hit, warning = self._curated_match(place, name)
        if hit is not None:
            entry = {c: hit.get(c, "") for c in INDICATOR_COLUMNS} | {"inferred": ""}
            entry.update(unit=self.unit, tt=place.tt)
        else:
            entry = self._inferred_entry(place, name, columns, cell)
            if written_unit:
                entry["measure_unit"] = written_unit
        entry.update(section=place.section, parent=place.parent, label=place.label)
        self.entries.append(entry)
        return Match(entry, hit is not None, warning)

    def _inferred_entry(
        self, place: Place, name: str, columns: list[Column], cell: dict[int, str]
    ) -> dict[str, object]:
        """Direction and target type from the rules; unit and decimals from the value cells."""
        values = [(c, parse_cell(cell[c.index])) for c in columns if c.role == "value" and cell[c.index]]
        term = next((cell[c.index] for c, _ in values if c.kind == "term_target"), "")
        plan = next((cell[c.index] for c, _ in values if c.kind == "plan" and c.year == self.years["next_year"]), "")
        direction, why_d = infer(self.rules, "direction", indicator=name, target=term or plan)
        target_type, why_t = infer(self.rules, "target_type", indicator=name, target=term or plan)
        # the unit of the evaluated year's result (or plan) cell, else of any value cell
        this_year = [pc for c, pc in values if c.year == self.years["year"] and c.kind != "plan"]
        this_year += [pc for c, pc in values if c.year == self.years["year"] and c.kind == "plan"]
        unit = next((pc.measure_unit for pc in this_year + [pc for _, pc in values] if pc.measure_unit), "")
        term_end = self.years["term_end"] or self.years["next_year"] or self.years["year"]
        return dict(
            unit=self.unit,
            indicator_id=place.indicator_id,
            tt=place.tt,
            indicator=name,
            measure_unit=unit,
            direction=direction,
            target_type=target_type,
            target_source="term_target" if term else "plan",
            decimals=max((pc.decimals for _, pc in values if pc.value is not None), default=0),
            term_start=term_end - TERM_YEARS + 1 if term_end else None,
            term_end=term_end,
            note=f"direction: {why_d}; target_type: {why_t}",
            inferred="direction,target_type",
        )

    def _curated_match(self, place: Place, name: str) -> tuple[dict[str, object] | None, str]:
        """The curated row of this indicator: same section and TT with similar wording, or
        the same wording (a sub-row: the same wording under the same parent); and a
        warning when the match (or its refusal) is worth a look."""
        taken = {str(e["indicator_id"]) for e in self.entries}
        cur = self.curated[
            (self.curated["parent"] == place.parent) & ~self.curated["indicator_id"].astype("str").isin(taken)
        ]
        if cur.empty:
            return None, ""
        tt = place.tt
        by_tt = cur[(pd.to_numeric(cur["tt"], errors="coerce") == tt) & (cur["section"] == place.section)]
        if place.kind == "sub":
            by_tt = by_tt.iloc[0:0]
        by_name = cur[cur["indicator"].map(name_key) == name_key(name)]
        if not by_name.empty and (by_tt.empty or name_key(str(by_tt.iloc[0]["indicator"])) != name_key(name)):
            by_tt = by_name.iloc[0:0]  # the wording decides when TT and wording disagree
        if not by_tt.empty:
            hit = _first_row(by_tt)
            a, b = name_key(str(hit["indicator"])), name_key(name)
            similarity = 1.0 if a == b else (0.99 if a in b or b in a else SequenceMatcher(None, a, b).ratio())
            if similarity < MIN_WORDING_SIMILARITY:
                return None, (
                    f"catalogue TT {tt} ({hit['indicator_id']}) is worded "
                    f"{hit['indicator']!r}, a different indicator: not matched, direction and "
                    "target type inferred from the wording"
                )
            if similarity < 1:
                return hit, (
                    f"catalogue TT {tt} ({hit['indicator_id']}) is "
                    f"worded {hit['indicator']!r}; matched by TT and similar wording"
                )
            return hit, ""
        if not by_name.empty:
            hit = _first_row(by_name)
            return hit, (
                f"TT {tt} is not in the catalogue; matched by wording "
                f"to {hit['indicator_id']} (catalogue TT {hit['tt']})"
            )
        return None, ""


def _first_row(df: pd.DataFrame) -> dict[str, object]:
    """The first row of a frame with text column names, as a dict."""
    return {str(k): v for k, v in df.iloc[0].to_dict().items()}
