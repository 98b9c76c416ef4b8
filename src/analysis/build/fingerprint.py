"""What each pack is made from, hashed: the build rebuilds a pack only when this changes.

A pack's fingerprint is the SHA-256 of its components, each recorded in the manifest:

``notebook``     the notebook file
``parameters``   the unit's merged parameters and those papermill injects
``package``      the ``analysis`` package's source and templates (:func:`manifest.package_digest`)
``environment``  versions of Python and of the libraries that shape the outputs, the font files
``data``         the data the notebook declares it shows (:mod:`analysis.build.notebook`), below

For each declared dataset, ``data`` holds the SHA-256 of its rows in the declared scope: the
unit's rows (``unit``); the rows of its family in ``units.csv``, a commune's district and
the district's communes (``peers``); the rows of the unit and of every unit under it, a
province's or a district's roll-up (``below``); the file (``all``). ``raw`` is the list of
raw file names. So a change to one commune's figures rebuilds the packs that declare them:
its own, where declared with ``peers`` those of its district's other communes, and the
roll-ups of its district and province, not those of another district. A notebook that
declares nothing gets the SHA-256 of every file under the data folder (``files``).

A declared dataset that no longer reads (:func:`analysis.io.datasets.read_dataset`) adds its
error under ``errors``, and so does a group of datasets read together whose rows no longer
agree (:data:`GROUPS`: a correction of a figure that is not there, an observation of an
indicator not listed), whichever unit's rows are wrong: the pack is rebuilt and fails, as it
would in a fresh build.

Cost: each CSV is read once per build (``csv`` module, :mod:`analysis.io.rows`) and hashed
per unit; nothing is computed. Whether a file reads is checked (with pandas) only when its
bytes differ from those the previous manifest's ``memo`` records.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from analysis.build.notebook import RAW
from analysis.files import MISSING, files_under, sha256_bytes, sha256_file
from analysis.io.rows import DatasetRows

#: Datasets read together, their rows checked against each other (``io.datasets.CURATED`` by
#: ``load_curated``, ``io.datasets.COMMUNE_DATA`` by ``load_commune_data``; kept here by name:
#: planning imports no reader unless a file changed).
GROUPS: dict[str, tuple[str, ...]] = {
    "curated": ("units", "unit_events", "indicators", "observations", "corrections", "tasks", "subtargets", "sources"),
    "commune_data": ("commune_indicators", "commune_observations", "received_commune_observations"),
}


def digest(value: Any) -> str:
    """SHA-256 of ``value`` as canonical JSON.

    >>> digest({"b": 1, "a": [1, 2]}) == digest({"a": [1, 2], "b": 1})
    True
    """
    return sha256_bytes(json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str))


def fingerprint(components: Mapping[str, Any]) -> str:
    """The pack's fingerprint: the digest of its components."""
    return digest(components)


class DataInputs:
    """The data of one build, read once and hashed per unit and dataset.

    ``memo`` is the previous manifest's record of which files read; what this build used is
    in :attr:`memo_out` for the next manifest.
    """

    def __init__(self, data_dir: Path | str, *, package: str, memo: Mapping[str, Any] | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.rows = DatasetRows(self.data_dir)
        self.package = package
        self._memo_in: dict[str, str | None] = dict((memo or {}).get("reads") or {})
        self.memo_out: dict[str, dict[str, str | None]] = {"reads": {}}
        self._digests: dict[tuple[str, str], str] = {}
        self._folder: dict[str, str] | None = None

    def components(self, inputs: Mapping[str, str] | None, unit: str) -> dict[str, Any]:
        """The ``data`` component of a pack of ``unit`` whose notebook declares ``inputs``
        (None: every file under the data folder)."""
        if inputs is None:
            return {"files": self.folder()}
        out: dict[str, Any] = {}
        for name, scope in sorted(inputs.items()):
            if name == RAW:
                out[name] = self.rows.raw_names()
            elif scope == "all" or self.rows.table(name).by_unit is None:
                out[name] = self.rows.table(name).sha256
            elif scope == "unit":
                out[name] = self.unit_digest(name, unit)
            elif scope == "below":
                out[name] = digest({u: self.unit_digest(name, u) for u in self.rows.below(unit)})
            else:
                out[name] = digest({u: self.unit_digest(name, u) for u in self.rows.family(unit)})
        errors = {name: e for name in sorted(inputs) if name != RAW and (e := self.read_error(name))}
        errors.update(self.group_errors(inputs))
        if errors:
            out["errors"] = errors
        return out

    def unit_digest(self, name: str, unit: str) -> str:
        """SHA-256 of the header of dataset ``name`` and of the rows of ``unit`` (file order)."""
        key = (name, unit)
        if key not in self._digests:
            table = self.rows.table(name)
            self._digests[key] = MISSING if table.sha256 == MISSING else digest([table.header, table.of(unit)])
        return self._digests[key]

    def folder(self) -> dict[str, str]:
        """SHA-256 of every file under the data folder (hidden files and caches left out)."""
        if self._folder is None:
            self._folder = {p.relative_to(self.data_dir).as_posix(): sha256_file(p) for p in files_under(self.data_dir)}
        return self._folder

    def read_error(self, name: str) -> str | None:
        """The error reading dataset ``name`` raises, or None (also when the file is missing:
        its hash says so). Remembered by the file's SHA-256 and the package's."""
        sha = self.rows.table(name).sha256
        if sha == MISSING:
            return None
        return self._remembered(digest([name, sha, self.package]), lambda: self._read(name))

    def group_errors(self, inputs: Mapping[str, str]) -> dict[str, str]:
        """The errors of the datasets read together with one of ``inputs`` and checked against
        each other (:data:`GROUPS`: a correction names a figure, an observation its
        indicator), by group: such an error fails every pack that reads the group, whichever
        rows it shows. Remembered by the files' SHA-256 and the package's."""
        out: dict[str, str] = {}
        for group, names in GROUPS.items():
            if not any(name in inputs for name in names):
                continue
            key = digest([group, [self.rows.table(n).sha256 for n in names], self.package])
            error = self._remembered(key, functools.partial(self._load, group))
            if error:
                out[group] = error
        return out

    def _remembered(self, key: str, check: Callable[[], str | None]) -> str | None:
        """The outcome of ``check()`` under ``key``: from the previous manifest's memo when it
        has it, else checked now; kept for the next manifest either way."""
        if key not in self.memo_out["reads"]:
            self.memo_out["reads"][key] = self._memo_in[key] if key in self._memo_in else check()
        return self.memo_out["reads"][key]

    def _load(self, group: str) -> str | None:
        from analysis.io.datasets import load_commune_data, load_curated

        try:
            (load_curated if group == "curated" else load_commune_data)(self.data_dir)
        except Exception as exc:  # the pack shows the error when built
            return f"{type(exc).__name__}: {exc}"
        return None

    def _read(self, name: str) -> str | None:
        from analysis.io.datasets import read_dataset

        try:
            read_dataset(name, self.data_dir)
        except Exception as exc:  # the pack shows the error when built
            return f"{type(exc).__name__}: {exc}"
        return None
