"""CSV text: the one guarded writer of every CSV the package writes for people to open, and
curated CSV files edited as text (rows kept byte for byte, rows removed or added).

Every table the package writes as CSV (``evaluate --out x.csv``, ``--format csv``,
``ingest --out-dir``) goes through :func:`write_csv`: text that a spreadsheet would run as a
formula gets a leading single quote (OWASP, "CSV Injection"); numbers, and text that is only
a signed number (``-3.5``, ``-3,5%``), are left as they are.

The curated files are edited by hand and by the intake; a change must not rewrite the rows
it does not touch (numbers stay as written, the file keeps its line endings), so a diff shows
only what changed. They are data the package reads back, so :func:`render` keeps their text
as it is.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path
from typing import TextIO

import pandas as pd

#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Text that is a signed number and nothing else (``-3.5``, ``+1.234,5``, ``-3,5%``): a
#: spreadsheet reads it as a number, never as a formula, so it is left alone.
_SIGNED_NUMBER = re.compile(r"[+-]?[0-9][0-9 .,]*%?")


def neutral_text(value: object) -> object:
    """``value`` with a leading single quote if it is text a spreadsheet would run as a formula.

    >>> neutral_text("=1+2"), neutral_text("-1+2"), neutral_text("-3.5"), neutral_text("-3,5%"), neutral_text(-3.5)
    ("'=1+2", "'-1+2", '-3.5', '-3,5%', -3.5)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _SIGNED_NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells starting like a formula (:data:`FORMULA_STARTS`)
    are prefixed with a single quote, as OWASP recommends for CSV: a spreadsheet then
    shows the text and never evaluates it. Numbers, and text that is only a signed number,
    are left alone.

    >>> neutralise_formulas(pd.DataFrame({"a": ["=1+2", "Đạt", "-3%x", "-3.5"], "b": [-1.5, 2.0, 3.0, 4.0]}))["a"].tolist()
    ["'=1+2", 'Đạt', "'-3%x", '-3.5']
    """
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutral_text)
    return out


def write_csv(df: pd.DataFrame, target: Path | TextIO, *, terminator: str = "\n") -> None:
    """Write ``df`` as CSV (UTF-8, no index, minimal quoting) to a path or an open text
    stream, text never as a formula (:func:`neutralise_formulas`). A path is written as it
    is given: the caller makes the write atomic (:func:`analysis.files.atomic_path`).

    >>> out = io.StringIO(); write_csv(pd.DataFrame({"a": ["@SUM(A1)"], "b": [-2.5]}), out); out.getvalue()
    "a,b\\n'@SUM(A1),-2.5\\n"
    """
    frame = neutralise_formulas(df)
    if isinstance(target, Path):
        with target.open("w", encoding="utf-8", newline="") as f:
            frame.to_csv(f, index=False, lineterminator=terminator)
    else:
        frame.to_csv(target, index=False, lineterminator=terminator)


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
