"""Columns whose header does not say what they hold, decided by what their cells hold.

Field tables put the published verdict under headers that could mean something else: "Kết
quả" (a result, when it holds figures; a verdict, when it holds "Đạt" / "Không đạt"), "So
sánh" alone, or no header at all (the last column). :func:`by_content` reads the cells of
such a column under its header block: verdict words only (``analysis.io.grammar.is_verdict``)
make it the verdict column (role ``status``); figures only leave it as the header says; both
are reported (the column cannot be told, its cells are not read), never guessed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from analysis.io.grammar import is_verdict
from analysis.io.headers import header_form
from analysis.io.numbers import normalise_text
from analysis.io.raw_rows import RawRow

if TYPE_CHECKING:
    from analysis.io.table_model import Column

#: header forms that may head a verdict column as well as something else
_UNCLEAR = frozenset({"ket qua", "so sanh", ""})


def _cell(row: RawRow, j: int) -> str:
    return normalise_text(row.cells[j]) if j < len(row.cells) else ""


def _rows(kinds: dict[int, str], kind: str) -> str:
    rows = [r for r, k in kinds.items() if k == kind]
    shown = ", ".join(map(str, rows[:5])) + (", …" if len(rows) > 5 else "")
    return f"row{'s' if len(rows) > 1 else ''} {shown}"


def by_content(columns: list[Column], body: list[RawRow], table: Any, row: int) -> list[Column]:
    """``columns`` with each unclear one ("Kết quả" without a year, "So sánh" alone, an
    unnamed column, one more unnamed column past the header that the body fills) decided by the
    cells of ``body`` under it; a column holding both words and figures is reported in
    ``table.problems`` and given the role ``unclear`` (its cells are reported as not read)."""
    out = list(columns)
    width = max((len(r.cells) for r in body), default=0)
    extra = [t for r in body if (t := _cell(r, len(out)))]
    if out and width == len(out) + 1 and extra and all(is_verdict(t) for t in extra):
        # an unnamed last column of verdicts only (anything else there stays a shifted row)
        out.append(
            replace(out[-1], index=len(out), header=f"column {len(out) + 1}", role="unknown", kind="", year=None)
        )
    for k, c in enumerate(out):
        form = header_form(c.header.rpartition(" / ")[2])[0] if not c.header.startswith("column ") else ""
        if form not in _UNCLEAR or c.role in ("tt", "indicator") or (c.role == "value" and c.year is not None):
            continue
        kinds = {
            r.row: ("words" if is_verdict(t) else "figures" if re.search(r"\d", t) else "other")
            for r in body
            if (t := _cell(r, c.index))
        }
        if not kinds:
            continue
        found = set(kinds.values())
        if found == {"words"}:
            out[k] = replace(c, role="status", kind="")
        elif "words" in found and "figures" in found:
            table.problems.append(
                {
                    "row": row,
                    "column": c.header,
                    "text": c.header,
                    "severity": "error",
                    "reason": f"the column holds verdict words ({_rows(kinds, 'words')}) and figures "
                    f"({_rows(kinds, 'figures')}): cannot tell a verdict column from a result column; "
                    "its cells are not read",
                }
            )
            out[k] = replace(c, role="unclear", kind="")
    return out
