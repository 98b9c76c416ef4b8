"""Year-end indicator and key-task analysis for Vietnamese local government.

The public API, re-exported explicitly (DataFrames in, new DataFrames out)::

    from analysis import load_curated, headline, term_gaps, findings
    from analysis.analyses import evaluate, audit
    c = load_curated()
    ev = evaluate(c.observations, c.indicators, unit="trang-dinh", year=2024)
    headline(ev).count_text            # '06/26'

Notebooks use :mod:`analysis.report.context` (one unit's analyses), :mod:`analysis.report.present`
(HTML tables) and :mod:`analysis.report.charts`; the year-end run is :mod:`analysis.build.run`.
"""

from analysis.analyses.audit import audit, evaluate_expression, findings
from analysis.analyses.communes import commune_standing, compare_communes, read_commune_data, read_commune_facts
from analysis.analyses.evaluate import Headline, compare_status, evaluate, headline, ratio_pct
from analysis.analyses.targets import TargetParams, term_gaps
from analysis.analyses.tasks import classify_score, evaluate_subtargets, evaluate_tasks, load_score_bands, task_findings
from analysis.errors import AnalysisError, DataValidationError, InputFileError, ParameterError, UnknownUnitError
from analysis.io.datasets import Curated, load_curated, read_dataset
from analysis.io.ingest import IngestResult, read_table
from analysis.io.numbers import agrees, format_number, parse_cell, parse_number

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
