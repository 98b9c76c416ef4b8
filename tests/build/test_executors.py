"""Where packs are built: a Dask cluster gives the packs the local executor gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.build.executors import run_tasks
from analysis.build.run import build
from analysis.errors import AnalysisError


@pytest.mark.slow
def test_a_build_on_a_dask_local_cluster_gives_the_same_packs(warm_packs: Path, tmp_path: Path):
    units = ["trang-dinh-hung-son", "bac-son-nhat-hoa"]
    summary = build(2024, units=units, reports_dir=tmp_path, progress=False, executor="dask", workers=2)
    assert summary.exit_code == 0, summary.format()
    assert sorted(p.unit for p in summary.built) == sorted(units)
    for unit in units:
        for kind in ("html", "pdf"):
            name = f"50_commune_pack.{kind}"
            assert (tmp_path / "2024" / unit / name).read_bytes() == (warm_packs / unit / name).read_bytes(), unit
    assert summary.manifest_path.is_file() and summary.index_path.is_file()


def test_nothing_to_build_starts_nothing():
    assert list(run_tasks([], executor="dask", scheduler="tcp://nowhere:1")) == []


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"executor": "spark"}, "--executor"),
        ({"workers": 0}, "--workers"),
        ({"scheduler": "tcp://localhost:8786"}, "--scheduler is for --executor dask"),
    ],
)
def test_bad_options_are_named(kw, message):
    with pytest.raises(AnalysisError, match=message):
        list(run_tasks([{"unit": "x"}], **kw))


@pytest.mark.slow
def test_a_build_in_this_process_skips_the_iri_grammars(tmp_path: Path):
    """One pack is built in the build's own process, which then sets up as a pool worker does:
    jsonschema's optional IRI checks (38 grammars compiled on import) are left out."""
    import subprocess
    import sys

    code = (
        "import sys; from analysis.build.run import build; "
        f"s = build(2024, units=['trang-dinh-hung-son'], reports_dir={str(tmp_path)!r}, progress=False, workers=1); "
        "print(s.exit_code, len(s.built), 'rfc3987_syntax' in sys.modules and sys.modules['rfc3987_syntax'] is not None)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["0", "1", "False"]
