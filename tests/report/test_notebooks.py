"""House rules of the notebooks, checked statically (no kernel needed)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from analysis import paths

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb"))


def test_there_are_notebooks():
    names = {p.name for p in NOTEBOOKS}
    assert {
        "00_briefing.ipynb",
        "10_attainment.ipynb",
        "20_trend.ipynb",
        "30_gap_2025.ipynb",
        "40_key_tasks.ipynb",
        "50_commune_pack.ipynb",
        "60_rollup.ipynb",
    } <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    dirty = [
        c.get("id") for c in nb["cells"] if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))
    ]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; strip them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_with_the_run_keys(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: expected one cell tagged 'parameters'"
    names = {
        t.id
        for node in ast.parse("".join(tagged[0]["source"])).body
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    assert {"year", "unit", "data_dir", "report_date"} <= names
    assert nb["metadata"]["kernelspec"]["name"] == "analysis"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_thin_no_paths_no_parsing(path: Path):
    """Notebooks call analysis; they do not read files or define functions of their own."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    for banned in ("read_csv", "read_excel", "open(", "data/raw", ".txt", "def ", "class "):
        assert banned not in code, f"{path.name} contains {banned!r}: move it into src/analysis"
    imports = {
        n.module.split(".")[0] if isinstance(n, ast.ImportFrom) else a.name.split(".")[0]
        for n in ast.walk(ast.parse(code))
        if isinstance(n, (ast.Import, ast.ImportFrom))
        for a in (n.names if isinstance(n, ast.Import) else [n])
    }
    assert imports <= {"analysis", "IPython"}, f"{path.name} imports {imports}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_import_only_the_report_layer_and_the_public_api(path: Path):
    """The layers below the report (io, analyses) and the build are reached through
    ``analysis.report`` or the names ``analysis`` itself exports; sections are shown with
    ``analysis.writers.notebook.show``."""
    import analysis

    nb = json.loads(path.read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
            if node.module == "analysis":
                assert {a.name for a in node.names} <= set(analysis.__all__), f"{path.name}: {ast.unparse(node)}"
            else:
                shown = node.module.startswith("analysis.report") or node.module == "analysis.writers.notebook"
                assert shown, f"{path.name}: {ast.unparse(node)}"
        if isinstance(node, ast.Import):
            assert not any(a.name.startswith("analysis") for a in node.names), f"{path.name}: {ast.unparse(node)}"
