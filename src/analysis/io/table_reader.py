"""The body of an indicator table, row by row, into observation, catalogue and problem records.

:class:`TableReader` holds the state of reading one table. Each body row is placed by
:mod:`analysis.io.row_model` (an indicator, a sub-row, a section heading, or not read and
why), given its catalogue entry (:mod:`analysis.io.catalogue_match`), and its cells are read
by the meaning of their column: values by :func:`analysis.io.numbers.parse_cell` (a number
and its unit, a range, details, words), published percentages and verdicts, and the notes
(:mod:`analysis.io.notes`). A bare number takes the unit of its indicator. A row whose cells
a tab inside a cell may have shifted is not read. Every cell used is marked, and
:meth:`TableReader.account` reports any non-empty body cell left over.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.io import notes
from analysis.io.catalogue_match import TableCatalogue
from analysis.io.grammar import is_verdict
from analysis.io.ingest_result import Observation, Problem
from analysis.io.numbers import normalise_text, parse_cell, result_qualifier
from analysis.io.raw_rows import RawRow
from analysis.io.row_model import Layout, Place
from analysis.io.row_names import Name, split_name
from analysis.io.tables import Column, Table, Years

_SIGNS = re.compile(r"[≥≤<>≈~]")  # a bound written with a sign ("≥ 95%"): the words are kept


class TableReader:
    """The state of reading one table: rows in, records out, every cell accounted for."""

    def __init__(self, table: Table, unit: str, years: Years, curated: pd.DataFrame, rules: pd.DataFrame) -> None:
        self.table, self.unit, self.years = table, unit, years
        self.obs: list[Observation] = []
        self.where: list[tuple[int, str]] = []  # (row, column header) of each observation
        self.problems: list[Problem] = []
        self.catalogue = TableCatalogue(curated, rules, unit, years)
        self.used: set[tuple[int, int]] = set()
        self.layout = Layout()
        self.sections: list[str] = []
        self.verdicts: list[int] = []  # rows that publish a verdict
        #: what became of each body row: row → (fate, indicator id, reason); fate is
        #: ``indicator``, ``sub``, ``section`` or ``not_read`` (:mod:`analysis.io.row_account`)
        self.fates: dict[int, tuple[str, str, str]] = {}

    # records -------------------------------------------------------------------------------
    def observe(
        self,
        row: RawRow,
        col: Column,
        indicator_id: str,
        kind: str,
        year: int | None,
        value: float | None = None,
        *,
        value_high: float | None = None,
        measure_unit: str = "",
        text: str = "",
        note: str = "",
    ) -> Observation:
        rec = Observation(
            unit=self.unit,
            indicator_id=indicator_id,
            year=year,
            kind=kind,
            value=value,
            value_high=value_high,
            measure_unit=measure_unit,
            text=text,
            source=f"{self.table.file}:{row.row}:{col.header}",
            source_text=normalise_cell(row.cells[col.index]),
            note=note,
        )
        self.obs.append(rec)
        self.where.append((row.row, col.header))
        self.used.add((row.row, col.index))
        return rec

    def problem(self, row: int, column: str, text: str, reason: str, severity: str, index: int | None = None) -> None:
        self.problems.append(
            Problem(file=self.table.file, row=row, column=column, text=text, reason=reason, severity=severity)
        )
        if index is not None:
            self.used.add((row, index))

    # rows ----------------------------------------------------------------------------------
    def read_row(self, row: RawRow, columns: list[Column]) -> None:
        cells = [normalise_text(c) for c in row.cells]
        by_role = {c.role: c for c in reversed(columns)}
        tt_col, name_col = by_role["tt"], by_role["indicator"]
        usual = self.table.shifted.get(row.row, len(columns))
        if row.row in self.table.shifted or any(cells[len(columns) :]):  # a tab inside a cell shifts the rest
            reason = (
                f"row has {max(len(cells), usual + 1) if row.row in self.table.shifted else len(cells)} cells, "
                f"the table {usual}: a tab inside a cell may have shifted the cells after it; row not read"
            )
            for j, text in enumerate(cells):
                if text:
                    header = columns[j].header if j < len(columns) else f"column {j + 1}"
                    self.problem(row.row, header, text, reason, "error", j)
            self.fates[row.row] = ("not_read", "", reason)
            return
        cell = {c.index: cells[c.index] if c.index < len(cells) else "" for c in columns}
        figures = any(cell[c.index] for c in columns if c.role not in ("tt", "indicator"))
        place = self.layout.place(row.row, cell[tt_col.index], cell[name_col.index], figures=figures)
        if place.kind == "section":
            self.used.update({(row.row, tt_col.index), (row.row, name_col.index)})
            self.sections.append(place.section)
            self.fates[row.row] = ("section", "", f"section heading {place.section!r}")
            return
        if place.kind == "none":
            for col in columns:
                if cell[col.index]:
                    self.problem(row.row, col.header, cell[col.index], place.reason, place.severity, col.index)
            self.fates[row.row] = ("not_read", "", place.reason)
            return
        if len(row.cells) < len(columns):
            self.problem(
                row.row,
                "",
                "\t".join(row.cells),
                f"row has {len(row.cells)} cells, the header has {len(columns)}: cells may be shifted",
                "warning",
            )
        if place.reason:
            self.problem(row.row, name_col.header, cell[name_col.index], place.reason, place.severity)
        unit_col = by_role.get("measure_unit")
        written_unit = cell[unit_col.index] if unit_col is not None else ""
        name = split_name(cell[name_col.index])
        entry = self.indicator_entry(row, place, name, columns, cell, written_unit)
        self.fates[row.row] = (place.kind, str(entry["indicator_id"]), "")
        self.used.update({(row.row, tt_col.index), (row.row, name_col.index)})
        if unit_col is not None:
            self.used.add((row.row, unit_col.index))
        start = len(self.obs)
        for col in columns:
            text = cell[col.index]
            if not text or col.role in ("tt", "indicator", "notes", "measure_unit"):
                continue
            if col.role == "value":
                self.read_value(row, col, entry, text)
            elif col.role in ("attainment", "trend"):
                self.read_percent(row, col, entry, text)
            elif col.role == "status":
                self.observe(row, col, str(entry["indicator_id"]), "published_status", col.year, text=text)
                self.verdicts.append(row.row)
            else:
                self.problem(row.row, col.header, text, "column header not recognised", "error", col.index)
        self._fill_units(entry, start, written=bool(written_unit))
        for col in columns:
            if col.role == "notes" and cell[col.index] and is_verdict(cell[col.index]):
                # a notes column ("Ghi chú") holding the row's verdict: a published verdict
                self.observe(
                    row,
                    col,
                    str(entry["indicator_id"]),
                    "published_status",
                    self.years["year"],
                    text=text_of(cell[col.index]),
                )
                self.verdicts.append(row.row)
            elif col.role == "notes" and cell[col.index]:
                self.read_notes(row, col, entry, cell[col.index], start)

    # catalogue -----------------------------------------------------------------------------
    def indicator_entry(
        self, row: RawRow, place: Place, name: Name, columns: list[Column], cell: dict[int, str], written_unit: str
    ) -> dict[str, object]:
        """The catalogue row of this indicator (or sub-row): curated when it matches, else
        inferred (:mod:`analysis.io.catalogue_match`); a curated match renames it in the layout.
        The name is kept without its list mark and group words; a unit written in it is the
        row's when no unit column says one, and reported when it disagrees with one."""
        header = next(c.header for c in columns if c.role == "indicator")
        match = self.catalogue.add(place, name.name, columns, cell, written_unit)
        if match.warning:
            self.problem(row.row, header, name.name, match.warning, "warning")
        entry = match.entry
        if match.curated:
            self.layout.rename(place.indicator_id, str(match.entry["indicator_id"]))
        elif name.unit and written_unit and name.unit.casefold() != written_unit.casefold():
            self.problem(
                row.row,
                header,
                name.unit_text,
                f"TT {entry['tt']}: the name writes the unit {name.unit_text!r}, the unit column {written_unit!r}: "
                "the unit column's is used",
                "warning",
            )
        elif name.unit and not written_unit:
            cells_unit = str(entry.get("measure_unit") or "")
            if cells_unit and cells_unit.casefold() != name.unit.casefold():
                self.problem(
                    row.row,
                    header,
                    name.unit_text,
                    f"TT {entry['tt']}: the name writes the unit {name.unit_text!r}, the cells {cells_unit!r}: "
                    "the cells' is used",
                    "warning",
                )
            else:
                entry["measure_unit"] = name.unit
        if place.reason and "STT" in place.reason:  # an unnumbered row: its STT is the one above it
            entry["inferred"] = ",".join(x for x in (str(entry.get("inferred") or ""), "tt") if x)
        return entry

    # cells ---------------------------------------------------------------------------------
    def read_value(self, row: RawRow, col: Column, entry: dict[str, object], text: str) -> None:
        ind = str(entry["indicator_id"])
        pc = parse_cell(text)
        if pc.is_text:
            self.observe(row, col, ind, col.kind, col.year, text=pc.text)
            return
        if pc.value is not None and (why := _rate_beyond_100(entry, pc.measure_unit, text, pc.value)):
            self.problem(row.row, col.header, text, f"TT {entry['tt']}: {why}", "ambiguous", col.index)
            return
        qualified = result_qualifier(text) if col.kind in ("result", "estimate") else None
        if pc.value is not None and qualified:
            self.problem(
                row.row,
                col.header,
                text,
                f"TT {entry['tt']}: the result is written {text!r}, not an exact figure: "
                f"read as {pc.value:g} with the word {qualified[0]!r} kept, and judged as not exact",
                "warning",
            )
        if pc.value is not None:
            self.observe(
                row,
                col,
                ind,
                col.kind,
                col.year,
                pc.value,
                value_high=pc.value_high,
                measure_unit=pc.measure_unit,
                text=pc.text if pc.qualifier or pc.words or pc.value_high or _SIGNS.search(text) else "",
            )
        for value, unit, year in pc.details:
            self.observe(row, col, ind, "detail", year or col.year, value, measure_unit=unit)
        for token, reason in pc.ambiguous:
            self.problem(row.row, col.header, token, f"TT {entry['tt']}: {reason}", "ambiguous", col.index)

    def read_percent(self, row: RawRow, col: Column, entry: dict[str, object], text: str) -> None:
        ind = str(entry["indicator_id"])
        pc = parse_cell(text)
        kind = "published_attainment_pct" if col.role == "attainment" else "published_trend_pct"
        if pc.is_text:
            self.observe(row, col, ind, "published_status", col.year, text=pc.text)
        elif pc.value is not None and pc.measure_unit in ("%", "") and not pc.details:
            self.observe(row, col, ind, kind, col.year, pc.value, measure_unit="%", text=pc.text if pc.words else "")
        elif pc.ambiguous:
            for token, reason in pc.ambiguous:
                self.problem(row.row, col.header, token, f"TT {entry['tt']}: {reason}", "ambiguous", col.index)
        else:
            self.problem(
                row.row,
                col.header,
                text,
                f"TT {entry['tt']}: expected a percentage such as '102,32%' or words such as 'Không đạt'",
                "error",
                col.index,
            )

    def _fill_units(self, entry: dict[str, object], start: int, *, written: bool) -> None:
        """A bare number ("20", "100") takes the unit of its indicator: silently when the
        row writes it in a unit column (ĐVT), else with a warning."""
        unit = str(entry.get("measure_unit") or "")
        for rec, (row, column) in zip(self.obs[start:], self.where[start:]):
            if written and rec["measure_unit"].casefold() == unit.casefold():
                rec["measure_unit"] = unit  # "vụ" in a cell of a row whose ĐVT is "Vụ"
            if (
                unit
                and not rec["measure_unit"]
                and rec["value"] is not None
                and rec["kind"] in ("result", "estimate", "plan", "term_target")
            ):
                rec["measure_unit"] = unit
                if written:
                    continue
                self.problem(
                    row,
                    column,
                    str(rec["source_text"]),
                    f"TT {entry['tt']}: no unit written; read as {unit!r}, the unit of the indicator",
                    "warning",
                )

    def read_notes(self, row: RawRow, col: Column, entry: dict[str, object], text: str, start: int) -> None:
        """Required values, arithmetic, past results and stocks stated in a note
        (:func:`analysis.io.notes.read_notes`); a past result is checked against the row's."""
        ind, tt = str(entry["indicator_id"]), entry["tt"]
        results = {
            (r["year"], r["measure_unit"]): (r["value"], r["source_text"])
            for r in self.obs[start:]
            if r["kind"] in ("result", "estimate") and r["value"] is not None
        }
        target_year = col.year or self.years["next_year"]
        figures, problems = notes.read_notes(text, year=self.years["year"], target_year=target_year, results=results)
        for p in problems:
            self.problem(row.row, col.header, p.text, f"TT {tt}: {p.reason}", p.severity, col.index)
        for f in figures:
            self.observe(row, col, ind, f.kind, f.year, f.value, measure_unit=f.measure_unit, text=f.text, note=f.note)
        self.used.add((row.row, col.index))

    # table level ---------------------------------------------------------------------------
    def account(self) -> None:
        """Safety net: a non-empty body cell nobody used becomes a problem."""
        for row, columns in self.table.body:
            for j, text in enumerate(row.cells):
                if normalise_text(text) and (row.row, j) not in self.used:
                    header = columns[j].header if j < len(columns) else f"column {j + 1}"
                    self.problem(row.row, header, normalise_text(text), "cell not read", "error", j)


_RATE_NAME = re.compile(r"^(?:tỷ|tỉ)\s+lệ\b|^độ\s+che\s+phủ\b", re.IGNORECASE)
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d.,])")


def _rate_beyond_100(entry: dict[str, object], cell_unit: str, text: str, value: float) -> str:
    """Why a rate (a share, at most 100%) written ``1.260`` cannot be read: the dot groups
    thousands (1260, beyond 100%) or is a decimal point (1,260%); '' when it reads one way."""
    unit = cell_unit or str(entry.get("measure_unit") or "")
    if unit != "%" or value <= 100 or not _RATE_NAME.match(str(entry.get("indicator") or "")):
        return ""
    token = _THOUSANDS.search(text)
    if token is None:
        return ""
    t = token.group(0)
    return (
        f"{t!r} read as {t.replace('.', '')}% is beyond 100% for a rate, and {t.replace('.', ',')}% "
        "(the dot as a decimal point) is a guess: resolve it in the table or the curated data"
    )


def text_of(cell: str) -> str:
    """A cell's words on one line (NFC, single spaces)."""
    return normalise_text(cell)


def normalise_cell(text: str) -> str:
    """A cell as written, NFC, without the surrounding spaces."""
    return normalise_text(text) if "\n" in text else text.strip()
