"""The warm papermill engine: registered with papermill, and a pack built in a warm kernel
after other units is the very pack a fresh kernel gives."""

from __future__ import annotations

import json
import re
import unicodedata
from importlib import metadata
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from analysis.build import engine
from analysis.build.run import build


def test_the_entry_point_gives_papermill_the_warm_engine():
    from papermill.engines import papermill_engines

    assert "warm" in {ep.name for ep in metadata.entry_points(group="papermill.engine")}
    assert papermill_engines.get_engine("warm") is engine.WarmEngine


def outputs(path: Path) -> list:
    """What each code cell shows, with its In [n] (papermill's timings left out)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(c.get("execution_count"), c.get("outputs")) for c in nb["cells"] if c["cell_type"] == "code"]


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return unicodedata.normalize("NFC", "\n".join(p.extract_text() or "" for p in PdfReader(path).pages))


@pytest.mark.slow
def test_a_pack_built_after_other_units_in_a_warm_kernel_is_the_fresh_kernel_pack(warm_packs, tmp_path):
    """bac-son-nhat-hoa's pack, built last of eight packs of four units (two districts, two
    communes) in one warm kernel, against the same pack from plain papermill (a new kernel)."""
    fresh = build(2024, units=["bac-son-nhat-hoa"], reports_dir=tmp_path, progress=False, workers=1, engine="nbclient")
    assert fresh.exit_code == 0, fresh.format()
    warm = warm_packs / "bac-son-nhat-hoa"
    new = tmp_path / "2024" / "bac-son-nhat-hoa"
    stem = "50_commune_pack"
    assert (new / f"{stem}.html").read_bytes() == (warm / f"{stem}.html").read_bytes()
    assert pdf_text(new / f"{stem}.pdf") == pdf_text(warm / f"{stem}.pdf")
    assert (new / f"{stem}.pdf").read_bytes() == (warm / f"{stem}.pdf").read_bytes()
    assert outputs(new / f"{stem}.ipynb") == outputs(warm / f"{stem}.ipynb")  # In [1] again, same charts


def run(nb_path: Path, out: Path, engine_name: str = "warm") -> nbformat.NotebookNode:
    import papermill as pm

    return pm.execute_notebook(
        str(nb_path),
        str(out),
        engine_name=engine_name,
        kernel_name="analysis",
        cwd=str(nb_path.parent),
        progress_bar=False,
        extra_arguments=["--log-level=CRITICAL"],
    )


@pytest.fixture
def probes(tmp_path) -> dict[str, Path]:
    """A notebook that changes what a kernel keeps, and one that reports it."""
    messy = new_notebook(
        cells=[
            new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
            new_code_cell(
                "import os, sys, warnings\n"
                "import matplotlib.pyplot as plt\n"
                "import pandas as pd\n"
                "from analysis.report import charts\n"
                "charts.LEAKED = True\n"
                "leaked_variable = 42\n"
                "plt.rcParams['font.size'] = 30\n"
                "plt.figure()\n"
                "pd.set_option('display.max_rows', 3)\n"
                "warnings.simplefilter('ignore')\n"
                "os.environ['LEAKED_VARIABLE'] = '1'\n"
                "sys.path.append('/leaked')\n"
                "os.chdir('/')\n"
            ),
        ]
    )
    probe = new_notebook(
        cells=[
            new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
            new_code_cell(
                "import os, sys, warnings\n"
                "import matplotlib, matplotlib.pyplot as plt\n"
                "import pandas as pd\n"
                "from analysis.report import charts\n"
                "print({'variable': 'leaked_variable' in globals(),\n"
                "       'module': hasattr(charts, 'LEAKED'),\n"
                "       'font_size': plt.rcParams['font.size'],\n"
                "       'figures': len(plt.get_fignums()),\n"
                "       'max_rows': pd.get_option('display.max_rows'),\n"
                "       'ignore_all': any(f[0] == 'ignore' and f[2] is Warning for f in warnings.filters),\n"
                "       'env': 'LEAKED_VARIABLE' in os.environ,\n"
                "       'path': '/leaked' in sys.path,\n"
                "       'cwd': os.getcwd(),\n"
                "       'pid': os.getpid()})"
            ),
        ]
    )
    paths = {"messy": tmp_path / "messy.ipynb", "probe": tmp_path / "probe.ipynb", "fail": tmp_path / "fail.ipynb"}
    nbformat.write(messy, paths["messy"])
    nbformat.write(probe, paths["probe"])
    nbformat.write(
        new_notebook(
            cells=[
                new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                new_code_cell("raise RuntimeError('on purpose')"),
            ]
        ),
        paths["fail"],
    )
    return paths


def probe_result(nb: nbformat.NotebookNode) -> dict:
    import ast

    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    return ast.literal_eval(text.strip())


@pytest.mark.slow
def test_the_reset_puts_back_what_a_fresh_kernel_has(probes, tmp_path):
    from papermill.exceptions import PapermillExecutionError

    try:
        fresh = probe_result(run(probes["probe"], tmp_path / "p0.ipynb", "nbclient"))  # a new kernel
        messy = run(probes["messy"], tmp_path / "m.ipynb")
        warm = probe_result(run(probes["probe"], tmp_path / "p1.ipynb"))
        assert messy.metadata.papermill.exception is None
        assert {k: v for k, v in warm.items() if k != "pid"} == {k: v for k, v in fresh.items() if k != "pid"}
        assert warm["cwd"] == str(tmp_path) and warm["font_size"] != 30  # the messy notebook's rcParams are gone
        nb = nbformat.read(tmp_path / "p1.ipynb", as_version=4)
        assert [c.execution_count for c in nb.cells] == [1, 2]  # In [1] again

        again = probe_result(run(probes["probe"], tmp_path / "p2.ipynb"))
        assert again["pid"] == warm["pid"], "the kernel was not reused"
        with pytest.raises(PapermillExecutionError, match="on purpose"):
            run(probes["fail"], tmp_path / "f.ipynb")
        assert engine._current is None  # a failed notebook ends its kernel
        after = probe_result(run(probes["probe"], tmp_path / "p3.ipynb"))
        assert after["pid"] != warm["pid"]
    finally:
        engine.shutdown_warm_kernel()


@pytest.mark.slow
def test_a_kernel_is_started_again_when_the_environment_cannot_be_reset(probes, tmp_path, monkeypatch):
    try:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")
        first = probe_result(run(probes["probe"], tmp_path / "a.ipynb"))
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "2")  # reset in the running kernel
        second = probe_result(run(probes["probe"], tmp_path / "b.ipynb"))
        monkeypatch.setenv("PYTHONHASHSEED", "7")  # only acts at start-up
        third = probe_result(run(probes["probe"], tmp_path / "c.ipynb"))
    finally:
        engine.shutdown_warm_kernel()
    assert first["pid"] == second["pid"] != third["pid"]


def test_kernel_state_keeps_only_the_cache_of_our_package():
    import sys

    import analysis.report.cache
    import analysis.report.charts  # noqa: F401
    from analysis.build import kernel_state

    before = {n: m for n, m in sys.modules.items() if n == "analysis" or n.startswith("analysis.")}
    try:
        dropped = kernel_state.drop_modules()
        assert "analysis.report.charts" in dropped and "analysis" in dropped
        assert "analysis.report.cache" not in dropped and "analysis.report.cache" in sys.modules
        assert not re.search(
            r"^analysis\.(?!report\.cache$)", "\n".join(n for n in sys.modules if n.startswith("analysis")), re.M
        )
    finally:
        sys.modules.update(before)


def test_a_warm_kernel_loads_what_every_notebook_imports_from_the_package():
    """What the notebooks import is loaded once when a kernel starts (its libraries stay loaded
    across packs), not by the first pack that happens to need it."""
    from analysis import paths
    from analysis.build.engine import PRELOAD

    imported: set[str] = set()
    for nb_path in paths.NOTEBOOKS.glob("*.ipynb"):
        cells = json.loads(nb_path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        for module, names in re.findall(r"^from (analysis[\w.]*) import (.+)$", code, flags=re.MULTILINE):
            if module == "analysis.report":  # from analysis.report import charts, present
                imported |= {f"analysis.report.{n.strip()}" for n in names.split(",")}
            else:
                imported.add(module)
    assert imported and imported <= set(PRELOAD), sorted(imported - set(PRELOAD))
