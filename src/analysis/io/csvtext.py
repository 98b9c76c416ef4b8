"""Curated CSV files edited as text: rows kept byte for byte, rows removed or added.

The curated files are edited by hand and by the intake; a change must not rewrite the rows
it does not touch (numbers stay as written, the file keeps its line endings), so a diff shows
only what changed.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path


def read_rows(path: Path | str) -> tuple[list[str], list[dict[str, str]], str]:
    """The header, the rows (as text) and the line terminator of a CSV file."""
    with Path(path).open(encoding="utf-8", newline="") as f:
        text = f.read()
    terminator = "\r\n" if "\r\n" in text else "\n"
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    rows = [dict(zip(header, r, strict=False)) for r in reader]
    return header, rows, terminator


def render(header: list[str], rows: list[dict[str, str]], terminator: str = "\n") -> str:
    """CSV text of ``rows`` (minimal quoting, the given line terminator).

    >>> render(["a", "b"], [{"a": "1", "b": "x, y"}])
    'a,b\\n1,"x, y"\\n'
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=terminator)
    writer.writerow(header)
    writer.writerows([[r.get(c, "") for c in header] for r in rows])
    return out.getvalue()


def machine_number(value: float) -> str:
    """A number in the curated files' machine format: ``97000``, ``1231.69``, empty for NaN.

    >>> machine_number(97000.0), machine_number(1231.69), machine_number(float("nan"))
    ('97000', '1231.69', '')
    """
    if math.isnan(value):
        return ""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))
