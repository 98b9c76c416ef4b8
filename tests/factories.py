"""Tiny hand-made frames for unit tests, and one-cell edits of a copy of the data."""

from __future__ import annotations

import csv
import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd

from analysis.io.schema import INDICATOR_COLUMNS, OBSERVATION_COLUMNS


def make_catalogue(rows: list[dict], unit: str = "x") -> pd.DataFrame:
    """A catalogue from short dicts; missing columns get neutral defaults."""
    defaults = {
        "unit": unit,
        "measure_unit": "",
        "direction": "higher",
        "target_type": "level",
        "target_source": "term_target",
        "decimals": 2,
        "term_start": 2021,
        "term_end": 2025,
        "note": "",
        "indicator": "",
    }
    out = []
    for i, r in enumerate(rows, 1):
        row = {**defaults, "tt": i, "indicator_id": f"i{i}", **r}
        row["indicator"] = row["indicator"] or row["indicator_id"]
        out.append(row)
    return pd.DataFrame(out, columns=INDICATOR_COLUMNS)


def make_observations(rows: list[tuple], unit: str = "x") -> pd.DataFrame:
    """Observations from (indicator_id, year, kind, value[, text[, source_text]]) tuples."""
    out = []
    for r in rows:
        iid, year, kind, value, *rest = r
        text = rest[0] if rest else ""
        source_text = rest[1] if len(rest) > 1 else ("" if value is None else str(value).replace(".", ","))
        out.append(
            {
                "unit": unit,
                "indicator_id": iid,
                "year": year,
                "kind": kind,
                "value": float("nan") if value is None else float(value),
                "value_high": float("nan"),
                "measure_unit": "",
                "text": text,
                "source": "test",
                "source_text": source_text,
                "note": "",
            }
        )
    df = pd.DataFrame(out, columns=OBSERVATION_COLUMNS)
    df["year"] = df["year"].astype("float64")
    return df


def change_cell(path: Path, column: str, value: str, **match: str) -> str:
    """Set ``column`` to ``value`` in the one row of the CSV at ``path`` whose cells equal
    ``match``, leaving every other byte as is; return the old value."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    head = rows[0]
    hits = [r for r in rows[1:] if all(r[head.index(k)] == v for k, v in match.items())]
    assert len(hits) == 1, (path.name, match, len(hits))
    old, hits[0][head.index(column)] = hits[0][head.index(column)], value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return old


def run_cli(*argv: str) -> tuple[int, str, str]:
    """``python -m analysis ARGV`` in this process: its exit code (argparse's too), standard
    output and standard error."""
    from analysis.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


#: Tràng Định's published 2024 results, TT 1 to 26 (seed 000, column "Năm 2024 / Kết quả"):
#: typed again as made-up 2025 results, they pass every check of intake (shares within 100%,
#: no jump from last year).
TRANG_DINH_2024_RESULTS = [97000, 48.5, 12, 73.092, 2, 14.19, 100, 79.5, 1, 65.06, 52.3, 20, 8]
TRANG_DINH_2024_RESULTS += [98.7, 42, 64.3, 1.92, 33, 21, 1206.64, 64.5, 102, 43.3, 100, 99, 100]
