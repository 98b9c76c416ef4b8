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
        for kind in ("html", "pdf", "docx"):
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
def test_the_command_line_skips_the_iri_grammars_and_a_python_session_keeps_them(tmp_path: Path):
    """The command line builds one pack in its own process, set up as a pool worker is:
    jsonschema's optional IRI checks (38 grammars compiled on import) are left out. A Python
    session that calls build() goes on afterwards: its modules are left as they were."""
    import subprocess
    import sys

    unit, out = "trang-dinh-hung-son", str(tmp_path)
    skipped = "print('rfc3987_syntax' in sys.modules and sys.modules['rfc3987_syntax'] is None)"
    cli = (
        "import runpy, sys\n"
        f"sys.argv = ['analysis', 'build', '--year', '2024', '--unit', {unit!r}, '--reports-dir', {out!r}, '--no-progress']\n"
        "try:\n    runpy.run_module('analysis', run_name='__main__')\nexcept SystemExit as e:\n    print(e.code)\n"
        + skipped
    )
    session = (
        "import sys; from analysis.build.run import build\n"
        f"print(build(2024, units=[{unit!r}], reports_dir={out!r}, progress=False, force=True).exit_code)\n" + skipped
    )
    for code, expected in ((cli, ["0", "True"]), (session, ["0", "False"])):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert done.stdout.split()[-2:] == expected, done.stdout
