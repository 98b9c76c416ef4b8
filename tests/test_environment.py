"""The environment is declared once: pyproject.toml names every distribution the code imports,
requirements.lock pins each of them (with hashes), environment.yml pins the same versions."""

from __future__ import annotations

import ast
import functools
import json
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from analysis import paths

ROOT = paths.ROOT
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LOCK_TEXT = (ROOT / "requirements.lock").read_text(encoding="utf-8")

#: One pinned distribution of the lock: ``name==version \`` then its ``--hash=sha256:...`` lines.
_LOCK_ENTRY = re.compile(r"^([A-Za-z0-9][\w.-]*)==(\S+) \\\n((?:[ \t]+--hash=sha256:[0-9a-f]{64}(?: \\)?\n)*)", re.M)


def locked() -> dict[str, tuple[str, list[str]]]:
    """Canonical name -> (version, hashes) of every distribution in requirements.lock."""
    return {
        canonicalize_name(name): (version, re.findall(r"sha256:[0-9a-f]{64}", hashes))
        for name, version, hashes in _LOCK_ENTRY.findall(LOCK_TEXT)
    }


def requirements(*groups: str) -> list[Requirement]:
    """The requirements of pyproject.toml's ``dependencies`` and of the named optional groups."""
    found = [Requirement(r) for r in PROJECT["project"]["dependencies"]]
    for group in groups:
        found += [Requirement(r) for r in PROJECT["project"]["optional-dependencies"][group]]
    return found


def _sources(pattern: str) -> list[tuple[Path, str]]:
    """(file, Python source) of the files matching ``pattern``; a notebook gives its code cells."""
    found = []
    for path in sorted(ROOT.glob(pattern)):
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
            # IPython's magics and shell escapes are not Python
            source = "\n".join(
                line for cell in code for line in cell.splitlines() if not line.lstrip().startswith(("%", "!"))
            )
            found.append((path, source))
        else:
            found.append((path, path.read_text(encoding="utf-8")))
    return found


#: Modules of this repository imported as top-level names (tests/ and benchmarks/ are on sys.path).
LOCAL_MODULES = (
    {"analysis"}
    | {p.stem for d in ("tests", "benchmarks") for p in (ROOT / d).rglob("*.py")}
    | {p.name for p in (ROOT / "tests").iterdir() if p.is_dir() and any(p.glob("*.py"))}  # tests/reliability
)


def third_party_imports(patterns: list[str]) -> dict[str, set[str]]:
    """Top-level module -> the files importing it, for every absolute import that is neither
    the standard library's nor this repository's."""
    imports: dict[str, set[str]] = {}
    for pattern in patterns:
        for path, source in _sources(pattern):
            for node in ast.walk(ast.parse(source, filename=str(path))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in LOCAL_MODULES:
                        imports.setdefault(top, set()).add(path.relative_to(ROOT).as_posix())
    return imports


def test_imports_are_found_in_the_repository():
    """The scan sees the imports it is meant to check (a scan that read nothing would pass)."""
    src = third_party_imports(["src/analysis/**/*.py"])
    assert {"pandas", "yaml", "jinja2", "nbclient", "IPython", "distributed"} <= set(src)
    assert "src/analysis/build/render.py" in src["jinja2"]
    assert "psutil" in third_party_imports(["benchmarks/*.py"])


# What runs where: the package, its notebooks and data scripts need the dependencies only; the
# tests add the test extra; the benchmarks may use both plus the bench extra.
SCOPES = {
    "package": (["src/analysis/**/*.py", "notebooks/*.ipynb", "data/**/*.py"], []),
    "tests": (["tests/**/*.py"], ["test"]),
    "benchmarks": (["benchmarks/*.py"], ["test", "bench"]),
    "tools": (["tools/*.py"], []),
}


@functools.cache
def owners() -> dict[str, list[str]]:
    """Top-level module -> the installed distributions providing it (reads every installed one)."""
    return metadata.packages_distributions()


@pytest.mark.parametrize("scope", SCOPES)
def test_every_imported_distribution_is_declared(scope):
    patterns, groups = SCOPES[scope]
    declared = {canonicalize_name(r.name) for r in requirements(*groups)}
    undeclared = {}
    for module, files in sorted(third_party_imports(patterns).items()):
        distributions = {canonicalize_name(d) for d in owners().get(module, [])}
        if not distributions & declared:
            undeclared[module] = (sorted(distributions) or ["not installed"], sorted(files))
    assert undeclared == {}, f"imported but not declared in pyproject.toml for {scope}: {undeclared}"


def test_the_lock_pins_every_requirement_within_its_range():
    """make setup installs only the lock: each requirement of pyproject.toml (every group, the
    build backend, what a requirement's extras add) must be pinned there."""
    pins = locked()
    wanted = requirements(*PROJECT["project"]["optional-dependencies"])
    wanted += [Requirement(r) for r in PROJECT["build-system"]["requires"]] + [Requirement("pip")]
    for requirement in list(wanted):
        for extra in requirement.extras:  # what the extra adds, from the installed distribution
            for line in metadata.requires(requirement.name) or []:
                extra_requirement = Requirement(line)
                if extra_requirement.marker and extra_requirement.marker.evaluate({"extra": extra}):
                    wanted.append(extra_requirement)
    outside = {
        str(r): pins.get(canonicalize_name(r.name), ("missing",))[0]
        for r in wanted
        if canonicalize_name(r.name) not in pins
        or not r.specifier.contains(pins[canonicalize_name(r.name)][0], prereleases=True)
    }
    assert outside == {}, f"requirements.lock is out of step with pyproject.toml (make lock): {outside}"


def test_every_pin_has_its_hashes():
    entries = locked()
    pinned_lines = re.findall(r"^[A-Za-z0-9][\w.-]*==", LOCK_TEXT, re.M)
    assert len(entries) == len(pinned_lines) > 100  # every pinned line was read as an entry
    assert [name for name, (_, hashes) in entries.items() if not hashes] == []


def test_environment_yml_pins_the_locked_versions():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    entries = [e for e in environment["dependencies"] if isinstance(e, str)]
    assert "python=3.11" in entries
    assert {"pip": ["-e ."]} in environment["dependencies"]
    conda = dict(e.split("==") for e in entries if e != "python=3.11")
    # conda-forge name (the project's spelling, lower case: jupyter_core) -> name in the lock
    expected = {"pip": "pip"}
    for requirement in requirements(*PROJECT["project"]["optional-dependencies"]):
        expected[requirement.name.lower()] = canonicalize_name(requirement.name)
    assert sorted(conda) == sorted(expected)
    pins = locked()
    assert {name: version for name, version in conda.items() if version != pins[expected[name]][0]} == {}


def _closure_gaps() -> list[str]:
    """Requirements of locked distributions (their extras followed) that the lock does not meet."""
    pins = locked()
    gaps, seen = [], set()
    todo = [(name, frozenset()) for name in pins]
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        for text in metadata.distribution(name).requires or []:
            req = Requirement(text)
            envs = [{"extra": e} for e in extras] or [{"extra": ""}]
            if req.marker is not None and not any(req.marker.evaluate(env) for env in envs):
                continue
            dep = canonicalize_name(req.name)
            if dep not in pins or not req.specifier.contains(pins[dep][0], prereleases=True):
                gaps.append(f"{name}{sorted(extras) or ''} needs {text}: the lock has {pins.get(dep, ('nothing',))[0]}")
                continue
            todo.append((dep, frozenset(req.extras)))
    return gaps


def test_the_lock_is_whole_with_extras_so_it_installs_without_resolving():
    # pip 23.2 (Python 3.11's own) in --require-hashes mode resolved weasyprint's
    # fonttools[woff] to the newest fonttools on PyPI rather than the pinned one and refused the
    # install: make setup installs the lock with --no-deps, which is sound only if the lock
    # holds every requirement of every pin, extras included
    assert _closure_gaps() == []
    install = [line for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines() if "-r $(LOCK)" in line]
    assert install and all("--require-hashes" in line and "--no-deps" in line for line in install)
