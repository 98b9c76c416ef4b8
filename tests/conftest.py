"""Shared fixtures: the shipped curated data, the raw seed table, and tiny frames."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import paths
from analysis.io.datasets import Curated, load_curated

SEED_TABLE = paths.RAW / "000_ca595b78d09ccdc2.txt"
SEED_TASKS = paths.RAW / "001_3e13b2f394a39148.txt"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def curated() -> Curated:
    """The curated datasets shipped in data/."""
    return load_curated()


#: The shipped units of the shared build, in plan order: two districts (six notebooks), then
#: a commune of each district; all eight packs run in one warm kernel, bac-son-nhat-hoa's last.
WARM_UNITS = ["trang-dinh", "bac-son", "trang-dinh-hung-son", "bac-son-nhat-hoa"]


@pytest.fixture(scope="session")
def warm_packs(tmp_path_factory) -> Path:
    """``reports/2024`` of a build of :data:`WARM_UNITS` by one worker (one warm kernel)."""
    from analysis.build.run import build

    out = tmp_path_factory.mktemp("warm-reports")
    summary = build(2024, units=WARM_UNITS, reports_dir=out, progress=False, workers=1)
    assert summary.exit_code == 0, summary.format()
    assert [p.unit for p in summary.packs][-1] == "bac-son-nhat-hoa"
    return out / "2024"


@pytest.fixture(autouse=True)
def every_table_row_accounted(monkeypatch):
    """Every table any test reads (in this process): rows in the source = rows judged + rows
    reported, and no row that nothing was made of (issue 18, item 6)."""
    from analysis.io import ingest
    from analysis.io.row_account import NOTHING_MADE, account_rows

    results = []
    make = ingest.IngestResult.from_records

    def recording(*args, **kwargs):
        result = make(*args, **kwargs)
        results.append(result)
        return result

    monkeypatch.setattr(ingest.IngestResult, "from_records", recording)
    yield
    for result in results:
        account = account_rows(result.meta)
        assert account.balanced, (result.meta.get("source"), account)
        assert NOTHING_MADE not in account.reported.values(), (result.meta.get("source"), account)
