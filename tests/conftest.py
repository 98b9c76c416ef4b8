"""Shared fixtures: the shipped curated data, the raw seed table, and tiny frames."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.datasets import Curated, load_curated

SEED_TABLE = paths.RAW / "000_ca595b78d09ccdc2.txt"
SEED_TASKS = paths.RAW / "001_3e13b2f394a39148.txt"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def curated() -> Curated:
    """The curated datasets shipped in data/."""
    return load_curated()
