"""What each pack is made from, hashed: the build rebuilds a pack only when this changes.

A pack's fingerprint is the SHA-256 of its components, each recorded in the manifest:

``notebook``     the notebook file
``parameters``   the unit's merged parameters and those papermill injects
``package``      the ``analysis`` package's source and templates (:func:`manifest.package_digest`)
``environment``  versions of Python and of the libraries that shape the outputs, the font files
``data``         the input data the pack actually shows, below

How a notebook reaches the data is read from its code (:func:`notebook_reads`):

- ``unit_context(..., data_dir=data_dir)``: the unit's rows of ``units.csv``, ``indicators``,
  ``observations``, ``tasks`` and ``subtargets``; ``sources.csv``; ``params/defaults.yaml``
  (the context reads it for score bands and targets); the judging rules of ``data/``
  (``target_grammar.csv``, ``status_words.csv``), which every evaluation reads;
- ``commune_context(..., data_dir=data_dir)``: the commune's and its district's rows of
  ``units.csv``; the commune's rows of the commune catalogue and observations; what the pack
  shows of the district's comparison (:func:`analysis.report.communes_context.shown_comparison`: its
  standing, and every commune's row of the indicators charted for it) — so another commune's
  change rebuilds this pack only when it moves this commune's rank or the median, or a
  charted bar; the facts and key tasks naming it (:func:`analysis.analyses.communes.commune_tasks`);
  ``sources.csv``; the names of the raw files (the pack lists those that exist);
- any other use of the data (``data_dir`` passed elsewhere, or a notebook that reads data
  without it): every file under the data folder, as one hash per file.

Both context rules also hold whether the readers those contexts call accept the files, so a
pack whose data no longer validates is rebuilt (and fails, as it would in a fresh build).

Cost: each CSV is read once per build (``csv`` module, no pandas) and hashed per unit. The two
computed views (district comparison, commune facts) are computed with pandas only when the
hashes of what they are computed from differ from those in the previous manifest's ``memo``;
reader checks likewise. A build with nothing changed computes neither.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.files import files_under, frame_digest, sha256_bytes, sha256_file

#: Context functions whose data use the build knows, with the rule of each.
CONTEXT_READERS = {"unit_context": "unit_context", "commune_context": "commune_context"}
#: The rule for any other use of the data.
WHOLE_FOLDER = "data_dir"
#: The project's rule files read by every evaluation, whatever the data folder.
JUDGING_RULES = ("target_grammar", "status_words")

#: Datasets read with ``load_curated``, the commune datasets, by reader (validity checks).
READERS = {
    "unit_context": ("curated",),
    "commune_context": ("curated", "commune_data", "commune_facts"),
}


def digest(value: Any) -> str:
    """SHA-256 of ``value`` as canonical JSON.

    >>> digest({"b": 1, "a": [1, 2]}) == digest({"a": [1, 2], "b": 1})
    True
    """
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fingerprint(components: Mapping[str, Any]) -> str:
    """The pack's fingerprint: the digest of its components."""
    return digest(components)


# -- how a notebook reaches the data ----------------------------------------------------------

_reads_cache: dict[tuple[str, str], frozenset[str]] = {}


def notebook_reads(nb_path: Path | str, notebook_sha: str | None = None) -> frozenset[str]:
    """The data rules of a notebook: the context functions it calls with ``data_dir=data_dir``
    (``unit_context``, ``commune_context``), or ``{"data_dir"}`` (every file) when the
    notebook uses ``data_dir`` any other way, calls a context without it, or cannot be parsed.

    >>> import json, tempfile
    >>> nb = {"cells": [{"cell_type": "code", "source": "ctx = unit_context(unit, year, data_dir=data_dir)"}]}
    >>> path = Path(tempfile.mkdtemp()) / "n.ipynb"; _ = path.write_text(json.dumps(nb))
    >>> sorted(notebook_reads(path))
    ['unit_context']
    """
    path = Path(nb_path)
    key = (str(path.absolute()), notebook_sha or sha256_bytes(path.read_bytes()))
    if key not in _reads_cache:
        _reads_cache[key] = _notebook_reads(path)
    return _reads_cache[key]


def _notebook_reads(path: Path) -> frozenset[str]:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        sources = [
            "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb.get("cells", [])
            if c.get("cell_type") == "code" and "parameters" not in c.get("metadata", {}).get("tags", [])
        ]
        tree = ast.parse("\n".join(s for s in sources if not s.lstrip().startswith(("%", "!"))))
    except (OSError, ValueError, KeyError, SyntaxError):
        return frozenset({WHOLE_FOLDER})
    found: set[str] = set()
    passed: set[int] = set()  # ids of the data_dir names handed to a known context
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = (
                node.func.id
                if isinstance(node.func, ast.Name)
                else (node.func.attr if isinstance(node.func, ast.Attribute) else None)
            )
            if name in CONTEXT_READERS:
                arg = next((k.value for k in node.keywords if k.arg == "data_dir"), None)
                if not (isinstance(arg, ast.Name) and arg.id == "data_dir"):
                    return frozenset({WHOLE_FOLDER})
                found.add(CONTEXT_READERS[name])
                passed.add(id(arg))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "data_dir" and id(node) not in passed:
            return frozenset({WHOLE_FOLDER})
    return frozenset(found) if found else frozenset({WHOLE_FOLDER})


# -- the data, hashed per unit -------------------------------------------------------------------


@dataclass
class Table:
    """One CSV file: its bytes' SHA-256 and its rows grouped by a column."""

    sha256: str
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    _groups: dict[str, dict[str, list[list[str]]]] = field(default_factory=dict)

    def group(self, column: str) -> dict[str, list[list[str]]]:
        if column not in self._groups:
            groups: dict[str, list[list[str]]] = {}
            if column in self.header:
                i = self.header.index(column)
                for row in self.rows:
                    groups.setdefault(row[i] if i < len(row) else "", []).append(row)
            self._groups[column] = groups
        return self._groups[column]

    def digest_of(self, key: str, column: str = "unit") -> str:
        """SHA-256 of the header and the rows whose ``column`` is ``key`` (file order)."""
        if self.sha256 == "missing":
            return "missing"
        return digest([self.header, self.group(column).get(key, [])])


class DataIndex:
    """The curated data of one build, read once, hashed per unit, with memoised views.

    ``memo`` is the previous manifest's record of computed views and reader checks; what
    this build used is in :attr:`memo_out` for the next manifest.
    """

    def __init__(self, data_dir: Path | str, *, package: str, memo: Mapping[str, Any] | None = None, year: int) -> None:
        self.data_dir = Path(data_dir)
        self.package, self.year = package, int(year)
        memo = memo or {}
        self._memo_in = {k: dict(memo.get(k) or {}) for k in ("comparison", "facts", "readers")}
        self.memo_out: dict[str, dict[str, Any]] = {"comparison": {}, "facts": {}, "readers": {}}
        self._tables: dict[str, Table] = {}
        self._folder: dict[str, str] | None = None
        self._raw: list[str] | None = None
        self._defaults: str | None = None

    # raw tables
    def table(self, name: str) -> Table:
        if name not in self._tables:
            path = paths.dataset_path(name, self.data_dir)
            try:
                raw = path.read_bytes()
            except OSError:
                self._tables[name] = Table("missing")
            else:
                rows = list(csv.reader(io.StringIO(raw.decode("utf-8", errors="replace"))))
                self._tables[name] = Table(sha256_bytes(raw), rows[0] if rows else [], rows[1:])
        return self._tables[name]

    def rows(self, name: str, unit: str) -> str:
        return self.table(name).digest_of(unit)

    def file(self, name: str) -> str:
        return self.table(name).sha256

    def parent_of(self, unit: str) -> str:
        t = self.table("units")
        rows = t.group("unit").get(unit, [])
        if not rows or "parent" not in t.header:
            return ""
        i = t.header.index("parent")
        return rows[0][i] if i < len(rows[0]) else ""

    def folder(self) -> dict[str, str]:
        """SHA-256 of every file under the data folder (hidden files and caches left out)."""
        if self._folder is None:
            self._folder = {
                p.relative_to(self.data_dir).as_posix(): sha256_bytes(p.read_bytes())
                for p in files_under(self.data_dir)
            }
        return self._folder

    def raw_names(self) -> list[str]:
        """The names of the raw files (a commune pack names those its facts cite that exist)."""
        if self._raw is None:
            raw = self.data_dir / "raw"
            self._raw = sorted(p.name for p in raw.iterdir() if p.is_file()) if raw.is_dir() else []
        return self._raw

    def defaults(self) -> str:
        """SHA-256 of the project's ``params/defaults.yaml``, which ``unit_context`` reads."""
        if self._defaults is None:
            self._defaults = sha256_file(paths.PARAMS / "defaults.yaml")
        return self._defaults

    def judging_rules(self) -> dict[str, str]:
        """SHA-256 of the project's rules that judge every indicator (the target grammar and
        the status words, :mod:`analysis.io.grammar`): a change of them changes every status."""
        return {name: sha256_file(paths.dataset_path(name)) for name in JUDGING_RULES}

    # what the packs use
    def components(self, rules: Iterable[str], unit: str) -> dict[str, Any]:
        """The data components of a pack of ``unit`` whose notebook follows ``rules``."""
        rules = set(rules)
        if WHOLE_FOLDER in rules:
            return {"files": self.folder()}
        out: dict[str, Any] = {}
        if "unit_context" in rules:
            out["unit_context"] = {
                **{
                    name: self.rows(name, unit)
                    for name in ("units", "indicators", "observations", "tasks", "subtargets")
                },
                "sources": self.file("sources"),
                "defaults": self.defaults(),
                "rules": self.judging_rules(),
            }
        if "commune_context" in rules:
            district = self.parent_of(unit)
            out["commune_context"] = {
                "units": [self.rows("units", unit), self.rows("units", district)],
                "commune_indicators": self.rows("commune_indicators", unit),
                "commune_observations": self.rows("commune_observations", unit),
                "comparison_shown": self.comparison_shown(district, unit),
                "facts": self.facts(unit, district),
                "sources": self.file("sources"),
                "raw_files": self.raw_names(),
                "rules": self.judging_rules(),
            }
        readers = sorted({r for rule in rules for r in READERS.get(rule, ())})
        problems = {r: e for r in readers if (e := self.reader_error(r))}
        if problems:
            out["reader_errors"] = problems
        return out

    # views computed with the package, memoised on what they are computed from
    def comparison_shown(self, district: str, commune: str) -> str:
        units = self.table("units")
        column = units.header.index("unit") if "unit" in units.header else 0
        ids = [r[column] for r in units.group("parent").get(district, []) if r]
        key = digest(
            [
                self.year,
                district,
                self.table("units").digest_of(district, "parent"),
                {m: [self.rows("commune_indicators", m), self.rows("commune_observations", m)] for m in ids},
                self.package,
            ]
        )
        value = self._view("comparison", key, lambda: self._comparison(district))
        return value.get(commune, "absent") if isinstance(value, dict) else str(value)

    def _comparison(self, district: str) -> dict[str, str] | str:
        from analysis.report.communes_context import district_comparison, shown_comparison

        try:
            curated, catalogue, observations = self._frames()
            comparison = district_comparison(catalogue, observations, curated.units, district=district, year=self.year)
            return {
                unit: frame_digest(shown_comparison(comparison, unit)) for unit in dict.fromkeys(comparison["unit"])
            }
        except Exception as exc:  # the pack shows the error when built
            return f"error: {type(exc).__name__}: {exc}"

    def facts(self, commune: str, district: str) -> str:
        key = digest(
            [
                commune,
                self.rows("commune_facts", commune),
                self.rows("tasks", district),
                self.rows("subtargets", district),
                self.rows("units", commune),
                self.package,
            ]
        )
        return self._view("facts", key, lambda: self._facts(commune))

    def _facts(self, commune: str) -> str:
        from analysis.analyses.communes import commune_tasks

        try:
            curated = self._curated()
            facts = self._commune_facts()
            return frame_digest(
                commune_tasks(facts, curated.tasks, commune, units=curated.units, subtargets=curated.subtargets)
            )
        except Exception as exc:
            return f"error: {type(exc).__name__}: {exc}"

    def reader_error(self, reader: str) -> str | None:
        """The error the context's reader ``reader`` raises on these files, or None."""
        files = _reader_files(reader, self.data_dir)
        key = digest([reader, [(f.name, self.table_sha(f)) for f in files], self.package])
        return self._view("readers", key, lambda: self._check(reader))

    def table_sha(self, path: Path) -> str:
        for name, _rel in paths.DATASETS.items():
            if paths.dataset_path(name, self.data_dir) == path:
                return self.file(name)
        return sha256_file(path)

    def _check(self, reader: str) -> str | None:
        try:
            {"curated": self._curated, "commune_data": self._commune_data, "commune_facts": self._commune_facts}[
                reader
            ]()
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"
        return None

    def _view(self, kind: str, key: str, compute: Callable[[], Any]) -> Any:
        if key in self.memo_out[kind]:
            return self.memo_out[kind][key]
        value = self._memo_in[kind][key] if key in self._memo_in[kind] else compute()
        self.memo_out[kind][key] = value
        return value

    # frames, through the same cached readers the notebooks use
    def _curated(self) -> Any:
        from analysis.report.context import read_curated

        return read_curated(self.data_dir)

    def _commune_data(self) -> Any:
        from analysis.analyses.communes import read_commune_data
        from analysis.report.cache import read_files

        return read_files(
            f"commune_data:{self.data_dir}",
            _reader_files("commune_data", self.data_dir),
            lambda: read_commune_data(self.data_dir),
        )

    def _commune_facts(self) -> Any:
        from analysis.analyses.communes import read_commune_facts
        from analysis.report.cache import read_files

        return read_files(
            f"commune_facts:{self.data_dir}",
            _reader_files("commune_facts", self.data_dir),
            lambda: read_commune_facts(self.data_dir),
        )

    def _frames(self) -> tuple[Any, Any, Any]:
        curated = self._curated()
        catalogue, observations = self._commune_data()
        return curated, catalogue, observations


def _reader_files(reader: str, data_dir: Path) -> list[Path]:
    from analysis.io.datasets import curated_files

    if reader == "curated":
        return curated_files(data_dir)
    if reader == "commune_data":
        return [
            paths.dataset_path("commune_indicators", data_dir),
            paths.dataset_path("commune_observations", data_dir),
        ]
    return [paths.dataset_path("commune_facts", data_dir)]
