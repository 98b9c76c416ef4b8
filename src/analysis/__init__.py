"""Year-end indicator and key-task analysis for Vietnamese local government.

The public API, re-exported explicitly (DataFrames in, new DataFrames out)::

    from analysis import load_curated, evaluate, headline, term_gaps, audit, findings
    c = load_curated()
    ev = evaluate(c.observations, c.indicators, unit="trang-dinh", year=2024)
    headline(ev).count_text            # '06/26'

Notebooks use :mod:`analysis.context` (one unit's analyses), :mod:`analysis.present`
(HTML tables) and :mod:`analysis.charts`; the year-end run is :mod:`analysis.build`.
"""

from .audit import audit, evaluate_expression, findings
from .communes import compare_communes, commune_standing, read_commune_data, read_commune_facts
from .datasets import Curated, load_curated, read_dataset
from .errors import (AnalysisError, DataValidationError, InputFileError, ParameterError,
                     UnknownUnitError)
from .evaluate import Headline, compare_status, evaluate, headline, ratio_pct
from .ingest import IngestResult, read_table
from .numbers import agrees, format_number, parse_cell, parse_number
from .targets import TargetParams, term_gaps
from .tasks import classify_score, evaluate_subtargets, evaluate_tasks, load_score_bands, task_findings

__version__ = "0.1.0"

__all__ = [
    "AnalysisError", "Curated", "DataValidationError", "Headline", "IngestResult", "InputFileError",
    "ParameterError", "TargetParams", "UnknownUnitError", "agrees", "audit", "classify_score",
    "commune_standing", "compare_communes", "compare_status", "evaluate", "evaluate_expression",
    "evaluate_subtargets", "evaluate_tasks", "findings", "format_number", "headline", "load_curated",
    "load_score_bands", "parse_cell", "parse_number", "ratio_pct", "read_commune_data",
    "read_commune_facts", "read_dataset", "read_table", "task_findings", "term_gaps",
]
