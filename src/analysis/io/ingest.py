"""Official indicator tables (.txt/.tsv/.xlsx) -> tidy observations, catalogue and problems.

Every non-empty body cell ends up somewhere: in observations (numbers, or words kept
as ``text``), in the catalogue (TT and indicator wording), or in ``problems`` with
file, row, column, the text and the reason. Years come from the headers. Direction and
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

import math
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import pandas as pd

from analysis.errors import AnalysisError
from analysis.files import atomic_path
from analysis.io.inference import TERM_YEARS, infer, load_rules, name_key
from analysis.io.numbers import normalise_text, parse_cell, parse_number
from analysis.io.schema import INDICATOR_COLUMNS, OBSERVATION_COLUMNS
from analysis.io.tables import (
    Column,
    RawRow,
    Table,
    read_rows,
    read_sheet_name,
    split_table,
    table_years,
    unread_sheets,
)

PROBLEM_COLUMNS = ["file", "row", "column", "text", "reason", "severity"]
SEVERITIES = ("error", "ambiguous", "warning")
CATALOGUE_COLUMNS = [*INDICATOR_COLUMNS, "inferred"]
_NUMERIC_OBS = ("year", "value", "value_high")
_NUMERIC_CAT = ("tt", "decimals", "term_start", "term_end")

# A quantity in a note: a number, an optional %, and up to three words (its unit and more).
_Q = r"(?P<q>[-\u2212]?\d(?:[\d.,]*\d)?(?:\s*%)?(?:[^\S\n]*[^\W\d_][^\s,;.()]*){0,3})"
_REQUIRED = (
    ("tối đa", re.compile(r"\btối đa\s+(?:là\s+)?" + _Q, re.IGNORECASE)),
    ("ít nhất", re.compile(r"\bít nhất\s+(?:là\s+)?" + _Q, re.IGNORECASE)),
)
_EXPRESSION = re.compile(r"(?P<expr>\([^()]*\d[^()]*\)\s*/\s*\d+(?:,\d+)?)\s*=\s*" + _Q)
_HISTORY = re.compile(r"\bnăm\s+(?P<y>(?:19|20)\d\d)\s+đạt\s+" + _Q, re.IGNORECASE)
_STOCK = re.compile(r"\bđến nay\b[^.;]*?\bđã có\s+" + _Q, re.IGNORECASE)
_HEADLINE = re.compile(r"(?<!\d)(\d{1,3})\s*/\s*(\d{1,3})\s+chỉ tiêu", re.IGNORECASE)
_SECTION = re.compile(r"^(?:[IVXLC]+|[A-Z])\.?$")


# Same TT and wording at least this similar (0..1), or one wording inside the other:
# the same indicator, reworded.
MIN_WORDING_SIMILARITY = 0.8


@dataclass
class IngestResult:
    """What :func:`read_table` found: observations (``OBSERVATION_COLUMNS``), catalogue
    (``INDICATOR_COLUMNS`` + ``inferred``), problems (``PROBLEM_COLUMNS``) and meta."""

    observations: pd.DataFrame
    catalogue: pd.DataFrame
    problems: pd.DataFrame
    meta: dict[str, object] = field(default_factory=dict)


class _Reader:
    """The state of reading one table: rows in, records out, every cell accounted for."""

    def __init__(
        self, table: Table, unit: str, years: dict[str, int | None], curated: pd.DataFrame, rules: pd.DataFrame
    ) -> None:
        self.table, self.unit, self.years = table, unit, years
        self.curated, self.rules = curated, rules
        self.obs: list[dict[str, object]] = []
        self.where: list[tuple[int, str]] = []  # (row, column header) of each observation
        self.problems: list[dict[str, object]] = []
        self.catalogue: list[dict[str, object]] = []
        self.used: set[tuple[int, int]] = set()
        self.seen_tt: dict[int, int] = {}

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
    ) -> dict[str, object]:
        rec = dict(
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
            dict(file=self.table.file, row=row, column=column, text=text, reason=reason, severity=severity)
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
        tt_text = cells[tt_col.index] if tt_col.index < len(cells) else ""
        tt = _tt_number(tt_text)
        if tt is None or tt in self.seen_tt:
            self._skip_row(row, columns, cells, tt_text, tt)
            return
        self.seen_tt[tt] = row.row
        if len(row.cells) < len(columns):
            self.problem(
                row.row,
                "",
                "\t".join(row.cells),
                f"row has {len(row.cells)} cells, the header has {len(columns)}: cells may be shifted",
                "warning",
            )
        cell = {c.index: cells[c.index] if c.index < len(cells) else "" for c in columns}
        entry = self.indicator_entry(row, tt, cell[name_col.index], columns, cell)
        self.used.update({(row.row, tt_col.index), (row.row, name_col.index)})
        start = len(self.obs)
        for col in columns:
            text = cell[col.index]
            if not text or col.role in ("tt", "indicator", "notes"):
                continue
            if col.role == "value":
                self.read_value(row, col, entry, text)
            elif col.role in ("attainment", "trend"):
                self.read_percent(row, col, entry, text)
            else:
                self.problem(row.row, col.header, text, "column header not recognised", "error", col.index)
        self._fill_units(entry, start)
        for col in columns:
            if col.role == "notes" and cell[col.index]:
                self.read_notes(row, col, entry, cell[col.index], start)

    def _skip_row(self, row: RawRow, columns: list[Column], cells: list[str], tt_text: str, tt: int | None) -> None:
        filled = [(c, cells[c.index]) for c in columns if c.index < len(cells) and cells[c.index]]
        if tt is not None:
            reason, severity = f"TT {tt} repeats row {self.seen_tt[tt]}: row not read", "error"
        elif not tt_text:
            reason, severity = "row has no TT (indicator number): not read", "error"
        elif _SECTION.match(tt_text) and len(filled) <= 2:
            reason, severity = f"section heading (TT {tt_text!r} is not a number): not read", "warning"
        else:
            reason, severity = f"TT {tt_text!r} is not a number: row not read", "error"
        for col, text in filled:
            self.problem(row.row, col.header, text, reason, severity, col.index)

    # catalogue -----------------------------------------------------------------------------
    def indicator_entry(
        self, row: RawRow, tt: int, name: str, columns: list[Column], cell: dict[int, str]
    ) -> dict[str, object]:
        """The catalogue row of this indicator: curated when it matches, else inferred."""
        hit = self._curated_match(row, tt, name, columns)
        if hit is not None:
            entry = {c: hit.get(c, "") for c in INDICATOR_COLUMNS} | {"inferred": ""}
            entry.update(unit=self.unit, tt=tt)
        else:
            entry = self._inferred_entry(tt, name, columns, cell)
        self.catalogue.append(entry)
        return entry

    def _inferred_entry(self, tt: int, name: str, columns: list[Column], cell: dict[int, str]) -> dict[str, object]:
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
            indicator_id=f"tt{tt:02d}",
            tt=tt,
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

    def _curated_match(self, row: RawRow, tt: int, name: str, columns: list[Column]) -> dict[str, object] | None:
        cur = self.curated
        if cur.empty:
            return None
        col = next(c.header for c in columns if c.role == "indicator")
        by_tt = cur[pd.to_numeric(cur["tt"], errors="coerce") == tt]
        by_name = cur[cur["indicator"].map(name_key) == name_key(name)]
        if not by_name.empty and (by_tt.empty or name_key(str(by_tt.iloc[0]["indicator"])) != name_key(name)):
            by_tt = by_name.iloc[0:0]  # the wording decides when TT and wording disagree
        if not by_tt.empty:
            hit = by_tt.iloc[0].to_dict()
            a, b = name_key(str(hit["indicator"])), name_key(name)
            similarity = 1.0 if a == b else (0.99 if a in b or b in a else SequenceMatcher(None, a, b).ratio())
            if similarity < MIN_WORDING_SIMILARITY:
                self.problem(
                    row.row,
                    col,
                    name,
                    f"catalogue TT {tt} ({hit['indicator_id']}) is worded "
                    f"{hit['indicator']!r}, a different indicator: not matched, direction and "
                    "target type inferred from the wording",
                    "warning",
                )
                return None
            if similarity < 1:
                self.problem(
                    row.row,
                    col,
                    name,
                    f"catalogue TT {tt} ({hit['indicator_id']}) is "
                    f"worded {hit['indicator']!r}; matched by TT and similar wording",
                    "warning",
                )
            return hit
        if not by_name.empty:
            hit = by_name.iloc[0].to_dict()
            self.problem(
                row.row,
                col,
                name,
                f"TT {tt} is not in the catalogue; matched by wording "
                f"to {hit['indicator_id']} (catalogue TT {hit['tt']})",
                "warning",
            )
            return hit
        return None

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
                text=pc.text if pc.qualifier or pc.words or pc.value_high else "",
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

    def _fill_units(self, entry: dict[str, object], start: int) -> None:
        """A bare number ("20", "100") takes the unit of its indicator, with a warning."""
        unit = str(entry.get("measure_unit") or "")
        for rec, (row, column) in zip(self.obs[start:], self.where[start:]):
            if (
                unit
                and not rec["measure_unit"]
                and rec["value"] is not None
                and rec["kind"] in ("result", "estimate", "plan", "term_target")
            ):
                rec["measure_unit"] = unit
                self.problem(
                    row,
                    column,
                    str(rec["source_text"]),
                    f"TT {entry['tt']}: no unit written; read as {unit!r}, the unit of the indicator",
                    "warning",
                )

    def read_notes(self, row: RawRow, col: Column, entry: dict[str, object], text: str, start: int) -> None:
        """Required values, arithmetic, past results and stocks stated in a note."""
        ind, tt = str(entry["indicator_id"]), entry["tt"]
        target_year = col.year or self.years["next_year"]
        made = 0

        def quantity(q: str) -> tuple[float, str] | None:
            pc = parse_cell(q)
            for token, reason in pc.ambiguous:
                self.problem(row.row, col.header, token, f"TT {tt}: {reason}", "ambiguous", col.index)
            return None if pc.value is None else (pc.value, pc.measure_unit)

        for word, pattern in _REQUIRED:
            for m in pattern.finditer(text):
                if q := quantity(m.group("q")):
                    self.observe(row, col, ind, "published_required", target_year, q[0], measure_unit=q[1], text=word)
                    made += 1
        for m in _EXPRESSION.finditer(text):
            if q := quantity(m.group("q")):
                self.observe(
                    row, col, ind, "published_expression", target_year, q[0], measure_unit=q[1], text=m.group("expr")
                )
                made += 1
        table = {
            (r["year"], r["measure_unit"]): r
            for r in self.obs[start:]
            if r["kind"] in ("result", "estimate") and r["value"] is not None
        }
        for m in _HISTORY.finditer(text):
            year, q = int(m.group("y")), quantity(m.group("q"))
            if q is None or year > self.years["year"]:
                continue
            made += 1
            known = table.get((year, q[1]))
            if known is None:
                self.observe(row, col, ind, "result", year, q[0], measure_unit=q[1], note="stated in the notes column")
            elif not math.isclose(float(known["value"]), q[0], rel_tol=1e-9):
                self.problem(
                    row.row,
                    col.header,
                    m.group(0),
                    f"TT {tt}: note says {year} = {m.group('q').strip()}, table says {known['source_text']}",
                    "warning",
                    col.index,
                )
        for m in _STOCK.finditer(text):
            if q := quantity(m.group("q")):
                clause = re.split(r"[.;(]", text[m.start() :])[0].strip()
                self.observe(row, col, ind, "stock", self.years["year"], q[0], measure_unit=q[1], text=clause)
                made += 1
        if not made:
            self.observe(row, col, ind, "note", target_year, text=text)
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


def _tt_number(text: str) -> int | None:
    try:
        value = parse_number(text.rstrip("."))
    except ValueError:
        return None
    return int(value) if value.is_integer() and value > 0 else None


def _check_years(table: Table, years: dict[str, int | None], reader: _Reader) -> None:
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
) -> IngestResult:
    """Read an official indicator table into observations, catalogue and problems.

    ``unit`` defaults to the file stem; rows of ``catalogue`` (curated, any units) for
    ``unit`` override what is inferred with ``rules`` (default ``data/inference_rules.csv``).
    Raises :class:`~analysis.errors.InputFileError` naming the file when it cannot be read.
    """
    path = Path(path)
    unit = unit or path.stem
    table = split_table(read_rows(path, sheet), path.name)
    years = table_years(table.columns, path.name, table.header_rows[0])
    rules = load_rules() if rules is None else load_rules(rules)
    curated = pd.DataFrame(columns=INDICATOR_COLUMNS) if catalogue is None else catalogue
    missing = [c for c in INDICATOR_COLUMNS if c not in curated.columns]
    if missing:
        raise AnalysisError(f"catalogue: missing columns: {', '.join(missing)}")
    curated = curated[curated["unit"].astype("str") == unit]
    reader = _Reader(table, unit, years, curated, rules)
    term_start = years["term_end"] - TERM_YEARS + 1 if years["term_end"] else None
    meta: dict[str, object] = {
        "source": path.name,
        "unit": unit,
        **years,
        "term_start": term_start,
        "header_rows": table.header_rows,
    }
    for p in table.problems:
        reader.problem(**p)
    for name, rows in unread_sheets(path, sheet):
        reader.problem(
            None,  # type: ignore[arg-type]
            f"sheet {name!r}",
            "",
            f"{rows} row(s) with values in another sheet of the workbook: not read (only "
            f"{read_sheet_name(path, sheet)!r} is); put each table in its own workbook",
            "warning",
        )
    _check_years(table, years, reader)
    reader.read_preamble(meta)
    for row, columns in table.body:
        reader.read_row(row, columns)
    reader.account()
    return IngestResult(
        _frame(reader.obs, OBSERVATION_COLUMNS, _NUMERIC_OBS),
        _frame(reader.catalogue, CATALOGUE_COLUMNS, _NUMERIC_CAT),
        _frame(reader.problems, PROBLEM_COLUMNS, ("row",)),
        meta,
    )


def _frame(records: list[dict[str, object]], columns: list[str], numeric: tuple[str, ...]) -> pd.DataFrame:
    df = pd.DataFrame.from_records(records, columns=columns)
    for c in columns:
        if c == "row":
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("Int64")
        elif c in numeric:
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
        else:
            df[c] = df[c].fillna("").astype("str")
    return df


def _machine(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def write_result(result: IngestResult, out_dir: Path | str) -> dict[str, Path]:
    """Write observations.csv, catalogue.csv and problems.csv into ``out_dir`` atomically
    (each to a temporary name, then renamed). Numbers in machine format (``1231.69``)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, df, numeric in (
        ("observations", result.observations, _NUMERIC_OBS),
        ("catalogue", result.catalogue, _NUMERIC_CAT),
        ("problems", result.problems, ("row",)),
    ):
        df = df.copy()
        for c in numeric:
            df[c] = df[c].map(_machine)
        target = out / f"{name}.csv"
        with atomic_path(target, suffix=".tmp") as tmp, tmp.open("w", encoding="utf-8", newline="") as f:
            df.to_csv(f, index=False, lineterminator="\n")
        written[name] = target
    return written
