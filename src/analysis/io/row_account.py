"""Every row of a table accounted for: rows in the source = rows judged + rows reported.

:func:`~analysis.io.ingest.read_table` records the rows of the table's body as the source
holds them (``meta["source_rows"]``: every non-empty row below the header, header blocks
repeated after a page break and column-numbering rows excepted, and the rows a workbook
hides) and, separately, what became of each (``meta["row_fates"]``). :func:`account_rows`
puts the two together: a row read as an indicator or a sub-row is *judged* (when the
indicators of an evaluation are given, only if the evaluation has it); every other row is
*reported* with its row number and the reason (a section heading, a row not read and why, a
hidden row). A row of the source that nothing became of is reported too ("nothing was made
of this row"), so the equality always holds and such a row is never silent.

>>> meta = {"source_rows": [5, 6, 7, 8], "row_fates": {
...     5: ["section", "", "section heading 'I. Kinh tế'"], 6: ["indicator", "i_tt01", ""],
...     7: ["sub", "i_tt01_1", ""], 8: ["not_read", "", "row has no TT (indicator number): not read"]}}
>>> account = account_rows(meta)
>>> account.summary()
'4 row(s) in the table: 2 judged, 2 reported'
>>> account.reported[8]
'row has no TT (indicator number): not read'
>>> account_rows(meta, evaluated={"i_tt01"}).reported[7]
"read as 'i_tt01_1' but not in the evaluation"
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

#: Fates of a row that make it an indicator the evaluation judges.
JUDGED_FATES = ("indicator", "sub")
NOTHING_MADE = "nothing was made of this row (a fault of the program)"


@dataclass(frozen=True)
class RowAccount:
    """The rows of one table: ``source`` (row numbers), ``judged`` (row → indicator id) and
    ``reported`` (row → reason)."""

    source: tuple[int, ...]
    judged: dict[int, str]
    reported: dict[int, str]

    @property
    def balanced(self) -> bool:
        """Whether rows in the source = rows judged + rows reported, each row once."""
        return (
            not set(self.judged) & set(self.reported)
            and set(self.judged) | set(self.reported) == set(self.source)
            and len(self.source) == len(self.judged) + len(self.reported)
        )

    def summary(self, verb: str = "judged") -> str:
        """``N row(s) in the table: J judged, R reported`` (``verb``: what became of the
        indicator rows, "read" for a table taken in)."""
        return f"{len(self.source)} row(s) in the table: {len(self.judged)} {verb}, {len(self.reported)} reported"

    def reported_lines(self) -> list[str]:
        """One ``row N: reason`` per reported row, in the order of the table."""
        return [f"row {row}: {reason}" for row, reason in sorted(self.reported.items())]


def account_rows(meta: Mapping[str, object], evaluated: Collection[str] | None = None) -> RowAccount:
    """The account of the rows of a read table (its ``meta``); with ``evaluated`` (the
    indicator ids of an evaluation), a row read as an indicator is judged only when the
    evaluation has it, else reported."""
    source = tuple(int(r) for r in meta.get("source_rows") or ())  # type: ignore[attr-defined]
    fates: Mapping[int, list[str]] = meta.get("row_fates") or {}  # type: ignore[assignment]
    judged: dict[int, str] = {}
    reported: dict[int, str] = {}
    for row in source:
        fate, indicator_id, reason = fates.get(row) or ("", "", NOTHING_MADE)
        if fate in JUDGED_FATES and (evaluated is None or indicator_id in evaluated):
            judged[row] = indicator_id
        elif fate in JUDGED_FATES:
            reported[row] = f"read as {indicator_id!r} but not in the evaluation"
        else:
            reported[row] = reason or NOTHING_MADE
    return RowAccount(source, judged, reported)
