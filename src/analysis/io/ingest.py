"""Official indicator tables (.txt/.tsv/.xlsx) -> tidy observations, catalogue and problems.

Every non-empty body cell ends up somewhere: in observations (numbers, or words kept
as ``text``; the "Đánh giá" verdict verbatim), in the catalogue (TT, wording, unit column,
section heading), or in ``problems`` with file, row, column, the text and the reason.
:func:`read_table` runs the reading, one part at a time: columns are known by their header
synonyms (:mod:`analysis.io.headers`) and years come from the headers
(:mod:`analysis.io.tables`); here the preamble gives title, report reference and headline,
and header years that disagree are reported. The body rows are read by
:mod:`analysis.io.table_reader` (sections and sub-rows by :mod:`analysis.io.row_model`, the
notes column by :mod:`analysis.io.notes`). Direction and target type of indicators missing
from the curated catalogue are inferred from their wording by the rules of
``data/inference_rules.csv`` (:mod:`analysis.io.catalogue_match`). What comes out, and its
CSV files, is :mod:`analysis.io.ingest_result`.

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
from analysis.io.headers import Synonyms, load_synonyms
from analysis.io.inference import TERM_YEARS, load_rules
from analysis.io.ingest_result import IngestResult
from analysis.io.numbers import normalise_text
from analysis.io.schema import INDICATOR_COLUMNS, LAYOUT_COLUMNS
from analysis.io.table_reader import TableReader
from analysis.io.tables import Column, Table, Years, read_table_layout, table_years, with_years

_HEADLINE = re.compile(r"(?<!\d)(\d{1,3})\s*/\s*(\d{1,3})\s+chỉ tiêu", re.IGNORECASE)


def _read_preamble(reader: TableReader, meta: dict[str, object]) -> None:
    """Title, report reference and headline ("06/26 chỉ tiêu") from the lines above the header."""
    lines = [(r, " ".join(normalise_text(c) for c in r.cells if c.strip())) for r in reader.table.preamble]
    other = []
    for row, line in lines:
        if m := _HEADLINE.search(line):
            year = re.search(r"năm\s+((?:19|20)\d\d)", line, re.IGNORECASE)
            col = Column(0, "", "preamble")
            reader.observe(
                row,
                col,
                "",
                "published_headline",
                int(year.group(1)) if year else reader.years["year"],
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


def _check_years(table: Table, years: Years, reader: TableReader) -> None:
    """Warn of a header whose year is not the table's evaluated (or, for a trend, previous) year."""
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
    reader = TableReader(table, unit, years, curated, rules)
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
    _read_preamble(reader, meta)
    for row, columns in table.body:
        reader.read_row(row, columns)
    reader.account()
    meta["sections"] = reader.sections
    # every row of the table and what became of it (analysis.io.row_account)
    meta["source_rows"] = sorted({row.row for row, _ in table.body} | set(table.left_out_rows))
    meta["row_fates"] = {row: list(fate) for row, fate in reader.fates.items()} | {
        row: ["left_out", "", reason] for row, reason in table.left_out_rows.items()
    }
    # where each column is (0-based), by the header its observations and problems name
    meta["column_index"] = {c.header: c.index for c in table.columns} | {
        c.header: c.index for _, columns in table.body for c in columns
    }
    return IngestResult.from_records(reader.obs, reader.catalogue.entries, reader.problems, meta)
