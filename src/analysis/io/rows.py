"""The curated datasets as rows of text, grouped by unit: which rows belong to whom.

The build hashes the rows a pack declares it shows (:mod:`analysis.build.fingerprint`).
:class:`DatasetRows` reads each CSV of :data:`analysis.paths.DATASETS` at most once, with
the ``csv`` module (no pandas, no checks: a plain data lookup), groups its rows by the
``unit`` column, and finds a unit's family and the units under it from the ``parent`` links
of ``units.csv``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from analysis import paths
from analysis.files import MISSING, files_under, sha256_bytes


@dataclass
class CsvRows:
    """One CSV file: the SHA-256 of its bytes (:data:`~analysis.files.MISSING` when absent),
    its header and its rows (as text, file order) by the value of their ``unit`` column."""

    sha256: str
    header: list[str] = field(default_factory=list)
    by_unit: dict[str, list[list[str]]] | None = None  # None: the file has no unit column

    def of(self, unit: str) -> list[list[str]]:
        """The rows of ``unit``, in file order."""
        return (self.by_unit or {}).get(unit, [])


class DatasetRows:
    """The curated datasets under ``data_dir``, each read on first use.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "units.csv").write_text("unit,parent\\nd,\\na,d\\nb,d\\nx,e\\n")
    >>> rows = DatasetRows(d)
    >>> rows.family("a"), rows.family("d"), rows.table("units").of("b")
    (['d', 'a', 'b'], ['d'], [['b', 'd']])
    """

    def __init__(self, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)
        self._tables: dict[str, CsvRows] = {}
        self._children: dict[str, list[str]] | None = None

    def table(self, name: str) -> CsvRows:
        """The dataset ``name`` (a key of :data:`analysis.paths.DATASETS`)."""
        if name not in self._tables:
            self._tables[name] = _read(paths.dataset_path(name, self.data_dir))
        return self._tables[name]

    def parent(self, unit: str) -> str:
        """The ``parent`` of ``unit`` in ``units.csv`` ('' when it has none or is not there)."""
        units = self.table("units")
        rows = units.of(unit)
        if not rows or "parent" not in units.header:
            return ""
        i = units.header.index("parent")
        return rows[0][i] if i < len(rows[0]) else ""

    def family(self, unit: str) -> list[str]:
        """``unit``'s parent and every unit of that parent (``unit`` among them), in the order
        of ``units.csv``: for a commune, its district and the district's communes and towns.
        A unit without a parent is its own family."""
        parent = self.parent(unit)
        if not parent:
            return [unit]
        return [parent, *self._children_of().get(parent, [])]

    def below(self, unit: str) -> list[str]:
        """``unit`` and every unit under it in ``units.csv`` (its children, their children...),
        in the order of ``units.csv``: for a province, its districts and every commune; for a
        district, its communes and towns. A parent link that loops back ends the walk.

        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> _ = (d / "units.csv").write_text("unit,parent\\np,\\nd,p\\na,d\\nb,p\\nx,e\\n")
        >>> rows = DatasetRows(d)
        >>> rows.below("p"), rows.below("d"), rows.below("a")
        (['p', 'd', 'a', 'b'], ['d', 'a'], ['a'])
        """
        children = self._children_of()
        found, todo = {unit}, [unit]
        while todo:
            for child in children.get(todo.pop(), []):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        order = list(self.table("units").by_unit or {})
        return [unit, *(u for u in order if u in found and u != unit)]

    def _children_of(self) -> dict[str, list[str]]:
        if self._children is None:
            self._children = {}
            for u in self.table("units").by_unit or {}:
                self._children.setdefault(self.parent(u), []).append(u)
        return self._children

    def raw_names(self) -> list[str]:
        """The names of the files under ``raw/`` of the data folder."""
        raw = self.data_dir / "raw"
        return [p.relative_to(raw).as_posix() for p in files_under(raw)]


def _read(path: Path) -> CsvRows:
    try:
        raw = path.read_bytes()
    except OSError:
        return CsvRows(MISSING)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8", errors="replace"))))
    header = rows[0] if rows else []
    if "unit" not in header:
        return CsvRows(sha256_bytes(raw), header)
    i = header.index("unit")
    groups: dict[str, list[list[str]]] = {}
    for row in rows[1:]:
        groups.setdefault(row[i] if i < len(row) else "", []).append(row)
    return CsvRows(sha256_bytes(raw), header, groups)
