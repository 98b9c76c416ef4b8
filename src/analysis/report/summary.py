"""The record a notebook leaves for the build: its headline, title, unit name, sources,
report date, whether it shows illustrative figures, its indicator counts and, for a roll-up,
the counts of every commune it covers (the index takes its numbers from these).

A notebook calls :func:`record`; the output it displays carries the facts under
:data:`SUMMARY_MIME`, which the build reads back from the executed notebook with
:func:`read_summary`. This module imports nothing heavy: every notebook loads it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from analysis.errors import AnalysisError
from analysis.params import unknown_names_message

SUMMARY_MIME = "application/vnd.analysis.summary+json"
SUMMARY_FIELDS = ("headline", "title", "unit_name", "sources", "report_date", "illustrative", "counts", "members")


def record(**fields: Any) -> None:
    """In a notebook: hand facts to the build (``headline``, ``title``, ``unit_name``,
    ``sources``, ``report_date``, ``illustrative`` — True marks every page of the pack as
    showing illustrative figures —, ``counts``: the unit's indicator counts
    (:meth:`analysis.analyses.headline.StatusCounts.as_record`, None without indicators),
    ``members``: a roll-up's communes, each with its counts). Shown as a one-line note in JupyterLab, never in
    the briefing. Later calls update earlier ones.
    """
    unknown = [k for k in fields if k not in SUMMARY_FIELDS]
    if unknown:
        raise AnalysisError(unknown_names_message(unknown, SUMMARY_FIELDS, where="record()", noun="field"))
    fields = {k: v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v for k, v in fields.items()}
    json.dumps(fields)  # the values must travel as JSON
    from IPython.display import display

    display({SUMMARY_MIME: fields, "text/plain": f"[recorded for the build: {', '.join(fields)}]"}, raw=True)


def read_summary(nb: Any) -> dict[str, Any]:
    """The facts recorded with :func:`record` in an executed notebook (later ones win)."""
    summary: dict[str, Any] = {}
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = out.get("data", {})
            if SUMMARY_MIME in data:
                value = data[SUMMARY_MIME]
                summary.update(json.loads(value) if isinstance(value, str) else dict(value))
    return summary
