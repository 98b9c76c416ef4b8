"""Year-end indicator and key-task analysis for Vietnamese local government.

The public API, re-exported explicitly (DataFrames in, new DataFrames out)::

    from analysis import load_curated, headline, term_gaps, findings
    from analysis.analyses import evaluate, audit
    c = load_curated()
    ev = evaluate(c.observations, c.indicators, unit="trang-dinh", year=2024)
    headline(ev).count_text            # '06/26'

Notebooks use :mod:`analysis.report.context` (one unit's analyses), :mod:`analysis.report.present`
and its siblings ``*_present`` (HTML tables) and :mod:`analysis.report.charts`; the year-end run
is :mod:`analysis.build.run`.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.analyses.audit import audit, evaluate_expression, findings
    from analysis.analyses.communes import commune_standing, compare_communes, read_commune_data, read_commune_facts
    from analysis.analyses.evaluate import Headline, compare_status, evaluate, headline, ratio_pct
    from analysis.analyses.targets import TargetParams, term_gaps
    from analysis.analyses.tasks import (
        classify_score,
        evaluate_subtargets,
        evaluate_tasks,
        load_score_bands,
        task_findings,
    )
    from analysis.errors import AnalysisError, DataValidationError, InputFileError, ParameterError, UnknownUnitError
    from analysis.io.datasets import Curated, load_curated, read_dataset
    from analysis.io.ingest import read_table
    from analysis.io.ingest_result import IngestResult
    from analysis.io.numbers import agrees, format_number, parse_cell, parse_number

# Where each public name lives: imported on first use (PEP 562), so that a command that needs
# no analysis (a build with nothing to do) starts without pandas.
_HOMES = {
    "audit": "analysis.analyses.audit",
    "evaluate_expression": "analysis.analyses.audit",
    "findings": "analysis.analyses.audit",
    "commune_standing": "analysis.analyses.communes",
    "compare_communes": "analysis.analyses.communes",
    "read_commune_data": "analysis.analyses.communes",
    "read_commune_facts": "analysis.analyses.communes",
    "Headline": "analysis.analyses.evaluate",
    "compare_status": "analysis.analyses.evaluate",
    "evaluate": "analysis.analyses.evaluate",
    "headline": "analysis.analyses.evaluate",
    "ratio_pct": "analysis.analyses.evaluate",
    "TargetParams": "analysis.analyses.targets",
    "term_gaps": "analysis.analyses.targets",
    "classify_score": "analysis.analyses.tasks",
    "evaluate_subtargets": "analysis.analyses.tasks",
    "evaluate_tasks": "analysis.analyses.tasks",
    "load_score_bands": "analysis.analyses.tasks",
    "task_findings": "analysis.analyses.tasks",
    "AnalysisError": "analysis.errors",
    "DataValidationError": "analysis.errors",
    "InputFileError": "analysis.errors",
    "ParameterError": "analysis.errors",
    "UnknownUnitError": "analysis.errors",
    "Curated": "analysis.io.datasets",
    "load_curated": "analysis.io.datasets",
    "read_dataset": "analysis.io.datasets",
    "read_table": "analysis.io.ingest",
    "IngestResult": "analysis.io.ingest_result",
    "agrees": "analysis.io.numbers",
    "format_number": "analysis.io.numbers",
    "parse_cell": "analysis.io.numbers",
    "parse_number": "analysis.io.numbers",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])


__version__ = "0.1.0"

__all__ = [
    "AnalysisError",
    "Curated",
    "DataValidationError",
    "Headline",
    "IngestResult",
    "InputFileError",
    "ParameterError",
    "TargetParams",
    "UnknownUnitError",
    "agrees",
    "audit",
    "classify_score",
    "commune_standing",
    "compare_communes",
    "compare_status",
    "evaluate",
    "evaluate_expression",
    "evaluate_subtargets",
    "evaluate_tasks",
    "findings",
    "format_number",
    "headline",
    "load_curated",
    "load_score_bands",
    "parse_cell",
    "parse_number",
    "ratio_pct",
    "read_commune_data",
    "read_commune_facts",
    "read_dataset",
    "read_table",
    "task_findings",
    "term_gaps",
]
