"""Official indicator tables (.txt/.tsv/.xlsx) -> tidy observations, catalogue and problems.

Every non-empty body cell ends up somewhere: in observations (numbers, or words kept
as ``text``; the "Đánh giá" verdict verbatim), in the catalogue (TT, wording, unit column,
section heading), or in ``problems`` with file, row, column, the text and the reason.
Columns are known by their header synonyms (:mod:`analysis.io.headers`), sections and
sub-rows by :mod:`analysis.io.row_model`. Years come from the headers. Direction and
target type of indicators missing from the curated catalogue are inferred from their
wording by the rules of ``data/inference_rules.csv`` (see :mod:`analysis.io.inference`).

>>> from analysis import paths
>>> result = read_table(paths.RAW / "000_ca595b78d09ccdc2.txt", unit="trang-dinh")
>>> result.meta["year"], result.meta["previous_year"], result.meta["next_year"]
(2024, 2023, 2025)
>>> len(result.catalogue), sorted(set(result.problems["severity"]))
(26, ['ambiguous', 'warning'])
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.errors import AnalysisError
from analysis.io import notes
from analysis.io.catalogue_match import TableCatalogue
from analysis.io.headers import Synonyms, load_synonyms
from analysis.io.inference import TERM_YEARS, load_rules
from analysis.io.ingest_result import IngestResult, Observation, Problem
from analysis.io.numbers import normalise_text, parse_cell
from analysis.io.row_model import Layout, Place
from analysis.io.schema import INDICATOR_COLUMNS, LAYOUT_COLUMNS
from analysis.io.sheets import RawRow
from analysis.io.tables import Column, Table, Years, read_table_layout, table_years, with_years

_SIGNS = re.compile(r"[≥≤<>≈~]")  # a bound written with a sign ("≥ 95%"): the words are kept
_HEADLINE = re.compile(r"(?<!\d)(\d{1,3})\s*/\s*(\d{1,3})\s+chỉ tiêu", re.IGNORECASE)


class _Reader:
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
            return
        cell = {c.index: cells[c.index] if c.index < len(cells) else "" for c in columns}
        figures = any(cell[c.index] for c in columns if c.role not in ("tt", "indicator"))
        place = self.layout.place(row.row, cell[tt_col.index], cell[name_col.index], figures=figures)
        if place.kind == "section":
            self.used.update({(row.row, tt_col.index), (row.row, name_col.index)})
            self.sections.append(place.section)
            return
        if place.kind == "none":
            for col in columns:
                if cell[col.index]:
                    self.problem(row.row, col.header, cell[col.index], place.reason, place.severity, col.index)
            return
        if len(row.cells) < len(columns):
            self.problem(
                row.row,
                "",
                "\t".join(row.cells),
                f"row has {len(row.cells)} cells, the header has {len(columns)}: cells may be shifted",
                "warning",
            )
        unit_col = by_role.get("measure_unit")
        written_unit = cell[unit_col.index] if unit_col is not None else ""
        entry = self.indicator_entry(row, place, cell[name_col.index], columns, cell, written_unit)
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
            else:
                self.problem(row.row, col.header, text, "column header not recognised", "error", col.index)
        self._fill_units(entry, start, written=bool(written_unit))
        for col in columns:
            if col.role == "notes" and cell[col.index]:
                self.read_notes(row, col, entry, cell[col.index], start)

    # catalogue -----------------------------------------------------------------------------
    def indicator_entry(
        self, row: RawRow, place: Place, name: str, columns: list[Column], cell: dict[int, str], written_unit: str
    ) -> dict[str, object]:
        """The catalogue row of this indicator (or sub-row): curated when it matches, else
        inferred (:mod:`analysis.io.catalogue_match`); a curated match renames it in the layout."""
        match = self.catalogue.add(place, name, columns, cell, written_unit)
        if match.warning:
            self.problem(
                row.row, next(c.header for c in columns if c.role == "indicator"), name, match.warning, "warning"
            )
        if match.curated:
            self.layout.rename(place.indicator_id, str(match.entry["indicator_id"]))
        return match.entry

    # cells ---------------------------------------------------------------------------------
    def read_value(self, row: RawRow, col: Column, entry: dict[str, object], text: str) -> None:
        ind = str(entry["indicator_id"])
        pc = parse_cell(text)
        if pc.is_text:
            self.observe(row, col, ind, col.kind, col.year, text=pc.text)
            return
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
    def read_preamble(self, meta: dict[str, object]) -> None:
        lines = [(r, " ".join(normalise_text(c) for c in r.cells if c.strip())) for r in self.table.preamble]
        other = []
        for row, line in lines:
            if m := _HEADLINE.search(line):
                year = re.search(r"năm\s+((?:19|20)\d\d)", line, re.IGNORECASE)
                col = Column(0, "", "preamble")
                self.observe(
                    row,
                    col,
                    "",
                    "published_headline",
                    int(year.group(1)) if year else self.years["year"],
                    float(m.group(1)),
                    value_high=float(m.group(2)),
                    measure_unit="chỉ tiêu",
                    text=line,
                )
                meta["headline"] = line
            elif "title" not in meta:
                meta["title"] = line
            elif "reference" not in meta and re.search(r"kèm theo|báo cáo|số \d+", line, re.I):
                meta["reference"] = line.strip("()")
            else:
                other.append(line)
        meta["preamble"] = other

    def account(self) -> None:
        """Safety net: a non-empty body cell nobody used becomes a problem."""
        for row, columns in self.table.body:
            for j, text in enumerate(row.cells):
                if normalise_text(text) and (row.row, j) not in self.used:
                    header = columns[j].header if j < len(columns) else f"column {j + 1}"
                    self.problem(row.row, header, normalise_text(text), "cell not read", "error", j)


def normalise_cell(text: str) -> str:
    """A cell as written, NFC, without the surrounding spaces."""
    return normalise_text(text) if "\n" in text else text.strip()


def _check_years(table: Table, years: Years, reader: _Reader) -> None:
    row = table.header_rows[0]
    for c in table.columns:
        expected = {"attainment": years["year"], "indicator": years["year"], "trend": years["year"]}.get(c.role)
        if c.year is not None and expected is not None and c.year != expected:
            reader.problem(
                row, c.header, c.header, f"header year {c.year} differs from the evaluated year {expected}", "warning"
            )
        if c.role == "trend" and years["previous_year"] and c.base_year != years["previous_year"]:
            reader.problem(
                row,
                c.header,
                c.header,
                f"trend base year {c.base_year} differs from the previous result year {years['previous_year']}",
                "warning",
            )


def read_table(
    path: Path | str,
    *,
    unit: str | None = None,
    catalogue: pd.DataFrame | None = None,
    rules: pd.DataFrame | None = None,
    sheet: str | int | None = None,
    synonyms: Synonyms | pd.DataFrame | Path | str | None = None,
) -> IngestResult:
    """Read an official indicator table into observations, catalogue and problems.

    ``unit`` defaults to the file stem; rows of ``catalogue`` (curated, any units) for
    ``unit`` override what is inferred with ``rules`` (default ``data/inference_rules.csv``).
    Headers are read with ``synonyms`` (default ``data/header_synonyms.csv``); of a
    workbook, ``sheet`` is read, else the first sheet that holds an indicator table.
    Raises :class:`~analysis.errors.InputFileError` naming the file when it cannot be read.
    """
    path = Path(path)
    unit = unit or path.stem
    if not isinstance(synonyms, Synonyms):
        synonyms = load_synonyms(synonyms)
    table = read_table_layout(path, sheet, synonyms)
    years = table_years(table.columns, path.name, table.header_rows[0])
    table = with_years(table, years)
    rules = load_rules() if rules is None else load_rules(rules)
    curated = pd.DataFrame(columns=INDICATOR_COLUMNS) if catalogue is None else catalogue
    missing = [c for c in INDICATOR_COLUMNS if c not in curated.columns]
    if missing:
        raise AnalysisError(f"catalogue: missing columns: {', '.join(missing)}")
    curated = curated[curated["unit"].astype("str") == unit].copy()
    for c in LAYOUT_COLUMNS:
        curated[c] = curated[c].fillna("").astype("str") if c in curated.columns else ""
    reader = _Reader(table, unit, years, curated, rules)
    term_start = years["term_end"] - TERM_YEARS + 1 if years["term_end"] else None
    meta: dict[str, object] = {
        "source": path.name,
        "unit": unit,
        **years,
        "term_start": term_start,
        "header_rows": table.header_rows,
        "sheet": table.sheet,
    }
    for p in table.problems:
        reader.problem(**p)
    _check_years(table, years, reader)
    reader.read_preamble(meta)
    for row, columns in table.body:
        reader.read_row(row, columns)
    reader.account()
    meta["sections"] = reader.sections
    # where each column is (0-based), by the header its observations and problems name
    meta["column_index"] = {c.header: c.index for c in table.columns} | {
        c.header: c.index for _, columns in table.body for c in columns
    }
    return IngestResult.from_records(reader.obs, reader.catalogue.entries, reader.problems, meta)
