"""Rules kept as data (``data/*.csv``: inference rules, header synonyms, the target grammar,
status words): one way to read such a file and to name a bad cell in it.

>>> import tempfile
>>> path = Path(tempfile.mkdtemp()) / "r.csv"; _ = path.write_text("a,b\\n1,\\n", encoding="utf-8")
>>> read_rule_frame(path, ["a", "b"], "test rules").to_dict("records")
[{'a': '1', 'b': ''}]
>>> read_rule_frame(path, ["a", "c"], "test rules")
Traceback (most recent call last):
...
analysis.errors.DataValidationError: ...r.csv: missing columns: c
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.errors import DataValidationError


def read_rule_frame(source: Path | pd.DataFrame, columns: list[str], what: str) -> pd.DataFrame:
    """The rule file ``source`` (or a frame already read) as text cells ("" when empty), with
    ``columns`` checked present; :class:`DataValidationError` names the file otherwise."""
    if isinstance(source, pd.DataFrame):
        df, where = source, what
    else:
        where = paths.display_path(source)
        if not source.is_file():
            raise DataValidationError(f"{where}: file not found ({what})")
        df = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataValidationError(f"{where}: missing columns: {', '.join(missing)}")
    return df[columns].fillna("").astype("str")


def cell_error(where: str, row: int, column: str, value: object, expected: str) -> DataValidationError:
    """The error for one cell of a rule file: ``FILE: row N, column 'C': 'value' expected``."""
    return DataValidationError(f"{where}: row {row}, column {column!r}: {value!r} {expected}")
