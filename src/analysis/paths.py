"""Every project path, from the project root, in one place.

The root is the folder holding ``pyproject.toml`` above this package (an
editable install), or the value of the ``ANALYSIS_ROOT`` environment variable.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The project's root folder."""
    env = os.environ.get("ANALYSIS_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "data").is_dir():
            return parent
    return Path.cwd()


ROOT = project_root()
DATA = ROOT / "data"
RAW = DATA / "raw"
PARAMS = ROOT / "params"
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"

# The curated datasets, each named once.
DATASETS = {
    "units": "units.csv",
    "unit_events": "unit_events.csv",
    "corrections": "corrections.csv",
    "indicators": "indicators.csv",
    "observations": "observations.csv",
    "tasks": "tasks.csv",
    "subtargets": "subtargets.csv",
    "inference_rules": "inference_rules.csv",
    "header_synonyms": "header_synonyms.csv",
    "target_grammar": "target_grammar.csv",
    "status_words": "status_words.csv",
    "sources": "sources.csv",
    "commune_facts": "commune_facts.csv",
    "commune_indicators": "illustrative/commune_indicators.csv",
    "commune_observations": "illustrative/commune_observations.csv",
    "received_commune_observations": "received/commune_observations.csv",
}


def dataset_path(name: str, data_dir: Path | str | None = None) -> Path:
    """Path of the curated dataset ``name`` under ``data_dir`` (default ``data/``)."""
    return Path(data_dir or DATA) / DATASETS[name]


def display_path(path: Path | str) -> str:
    """``path`` relative to the project root when inside it, else absolute (POSIX).

    >>> display_path(ROOT / "data" / "units.csv")
    'data/units.csv'
    """
    path = Path(path).absolute()
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.as_posix()


def from_display(text: str) -> Path:
    """The path :func:`display_path` shows as ``text``."""
    p = Path(text)
    return p if p.is_absolute() else ROOT / p
