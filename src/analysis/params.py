"""Parameters of a run: ``params/defaults.yaml``, one file per year and unit, the run's units.

Layout (all flat keys)::

    params/defaults.yaml          every parameter name with its default (the vocabulary)
    params/<year>/units.yaml      the units of the year's run and the notebooks each one gets
    params/<year>/<unit>.yaml     what differs for that unit and year (report_date, ...)

A unit file may only set names that ``defaults.yaml`` defines, that the build knows
(:data:`BUILD_KEYS`), or that a notebook of the unit declares in its cell tagged
``parameters``. Anything else is a :class:`~analysis.errors.ParameterError` that names
the key and suggests the closest known name; papermill alone would only warn.
"""

from __future__ import annotations

import ast
import datetime as dt
import difflib
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from analysis import paths
from analysis.errors import ParameterError
from analysis.param_schema import check_defaults, check_types

#: A unit id: lower-case ASCII letters and digits in words joined by single hyphens
#: (``trang-dinh-hung-son``). Ids name folders (``reports/<year>/<unit>/``) and files
#: (``params/<year>/<unit>.yaml``), so nothing else is accepted: no dots, slashes or spaces.
UNIT_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

#: Set by the build for every notebook; every notebook must declare them.
RUN_KEYS = ("year", "unit", "data_dir", "report_date")

#: Read by the build itself, never passed to a notebook (documented in defaults.yaml).
BUILD_KEYS = frozenset({"kernel_name", "execution_timeout", "title", "sources", "pdf"})

#: How a pack's PDF is made (build key ``pdf``): ``typst`` (the notebook's outputs set by the
#: Typst compiler, in process) or ``weasyprint`` (the HTML page printed).
PDF_ROUTES = ("typst", "weasyprint")

# libyaml's parser when PyYAML has it (the same safe constructors, several times faster).
_YAML_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _BadValue(Exception):
    """A scalar YAML's constructors refuse (a date such as 2024-13-04): where and why."""

    def __init__(self, node: yaml.Node, problem: str) -> None:
        super().__init__(problem)
        self.node, self.problem = node, problem


class _YamlLoader(_YAML_BASE):  # type: ignore[misc,valid-type]
    """The safe loader whose date constructor says which scalar it could not read (PyYAML's
    raises a bare ValueError, "month must be in 1..12", with no line)."""


def _timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise _BadValue(
            node, f"{node.value!r} is not a calendar date ({exc}); expected a date such as 2024-12-04"
        ) from None


_YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_YAML_LOADER = _YamlLoader
DEFAULTS_FILE = "defaults.yaml"

#: Largest parameter file read (bytes): these files hold a few flat keys.
MAX_YAML_BYTES = 1 << 20


def params_root(params_dir: Path | str | None = None) -> Path:
    """The parameters folder (default ``params/`` of the project)."""
    return Path(params_dir) if params_dir is not None else paths.PARAMS


def read_yaml_mapping(path: Path) -> dict[str, Any]:
    """Read a YAML file whose top level is a mapping of names to values.

    Safe loading only: PyYAML's safe constructors (no Python objects), no anchors or
    aliases (``&name``/``*name``: nested aliases can expand a small file into gigabytes, the
    "billion laughs"), at most :data:`MAX_YAML_BYTES`. Every refusal is one line naming the
    file and the line. Dates are turned into ISO strings, so every value can travel to a
    notebook. An empty file is an empty mapping.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ParameterError(f"{path}: parameter file not found") from None
    except IsADirectoryError:
        raise ParameterError(f"{path}: is a folder, not a parameter file") from None
    except OSError as exc:
        raise ParameterError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_YAML_BYTES:
        raise ParameterError(f"{path}: {len(raw)} bytes; a parameter file holds at most {MAX_YAML_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParameterError(f"{path}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None
    try:
        _check_yaml_events(text, path)
        data = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML: {_yaml_problem(exc)}") from None
    except _BadValue as exc:
        line = exc.node.start_mark.line
        key = text.splitlines()[line].split(":", 1)[0].strip().lstrip("- ") if exc.node.start_mark else ""
        where = f"line {line + 1}, {key}" if key else f"line {line + 1}"
        raise ParameterError(f"{path}: {where}: {exc.problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParameterError(f"{path}: expected a mapping of names to values, got {type(data).__name__}")
    for key in data:
        if not isinstance(key, str) or not key.isidentifier():
            raise ParameterError(
                f"{path}: parameter name {key!r} is not a valid name (letters, digits and _; flat keys only)"
            )
    return {key: _plain(value) for key, value in data.items()}


def _check_yaml_events(text: str, path: Path) -> None:
    """Raise :class:`ParameterError` at the first anchor, alias or repeated key of ``text``
    (YAML keeps the last of two equal keys without a word). Only the parser runs: each
    event is a few bytes of the file, nothing is expanded."""
    maps: list[tuple[set[str], list[bool]] | None] = []  # per open node: (keys, [expect key]) or None
    for event in yaml.parse(text, Loader=_YAML_LOADER):
        line = event.start_mark.line + 1 if event.start_mark is not None else "?"
        anchor = getattr(event, "anchor", None)
        if anchor:
            kind = "alias *" if isinstance(event, yaml.AliasEvent) else "anchor &"
            raise ParameterError(
                f"{path}: line {line}: YAML {kind}{anchor} is not allowed in "
                "parameter files (no anchors or aliases): write the values out"
            )
        if isinstance(event, yaml.NodeEvent):
            top = maps[-1] if maps else None
            if top is not None:
                keys, expect = top
                if expect[0] and isinstance(event, yaml.ScalarEvent):
                    if event.value in keys:
                        raise ParameterError(f"{path}: line {line}: key {event.value!r} is given twice")
                    keys.add(event.value)
                expect[0] = not expect[0]
            if isinstance(event, yaml.MappingStartEvent):
                maps.append((set(), [True]))
            elif isinstance(event, yaml.SequenceStartEvent):
                maps.append(None)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            maps.pop()


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """PyYAML's error as one line: the problem and its line and column."""
    problem = getattr(exc, "problem", None) or str(exc)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    return where + " ".join(str(problem).split())


def _plain(value: Any) -> Any:
    """``value`` with dates as ISO strings, recursively."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def check_unit_id(unit: object, *, where: str) -> str:
    """``unit`` when it is a unit id (:data:`UNIT_ID`); else :class:`ParameterError`.

    >>> check_unit_id("trang-dinh", where="x.yaml")
    'trang-dinh'
    >>> check_unit_id("../../x", where="x.yaml")
    Traceback (most recent call last):
    ...
    analysis.errors.ParameterError: x.yaml: unit id '../../x' is not a slug: expected lower-case letters and digits joined by single hyphens, such as 'trang-dinh-hung-son'
    """
    if not isinstance(unit, str) or not UNIT_ID.fullmatch(unit):
        raise ParameterError(
            f"{where}: unit id {unit!r} is not a slug: expected lower-case letters and digits "
            "joined by single hyphens, such as 'trang-dinh-hung-son'"
        )
    return unit


def unknown_names_message(unknown: Iterable[str], known: Iterable[str], *, where: str, noun: str = "parameter") -> str:
    """A message naming each unknown name, with the closest known one if any.

    >>> unknown_names_message(["reprot_date"], ["report_date", "year"], where="x.yaml")
    "x.yaml: unknown parameter 'reprot_date' (did you mean 'report_date'?)"
    """
    known = sorted(set(known))
    parts = []
    for name in sorted(unknown):
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        parts.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return f"{where}: unknown {noun}{'' if len(parts) == 1 else 's'} " + ", ".join(parts)


def load_defaults(*, params_dir: Path | str | None = None) -> dict[str, Any]:
    """The mapping in ``defaults.yaml``, its types checked (:mod:`analysis.param_schema`)."""
    path = params_root(params_dir) / DEFAULTS_FILE
    values = read_yaml_mapping(path)
    check_defaults(values, where=str(path))
    check_report_date(values.get("report_date"), where=str(path))
    return values


def load_params(
    year: int,
    unit: str,
    *,
    params_dir: Path | str | None = None,
    known: Iterable[str] = (),
    defaults: Mapping[str, Any] | None = None,
    required: bool = True,
) -> dict[str, Any]:
    """Parameters of ``unit`` for ``year``: ``defaults.yaml`` updated by ``<year>/<unit>.yaml``
    (which may be absent when not ``required``: a unit of a run read from the registry has a
    file only where something differs).

    ``known`` adds names that are valid besides the defaults and the build's keys
    (the build passes the names the unit's notebooks declare). ``year``, ``unit`` and
    ``data_dir`` come from the run and may not be set in the file.
    """
    root = params_root(params_dir)
    check_unit_id(unit, where=str(root / str(int(year))))
    defaults = dict(defaults) if defaults is not None else load_defaults(params_dir=root)
    unit_file = root / str(year) / f"{unit}.yaml"
    own = read_yaml_mapping(unit_file) if required or unit_file.exists() else {}
    for key, origin in (
        ("year", f"the file's place (params/{year}/{unit}.yaml)"),
        ("unit", f"the file's place (params/{year}/{unit}.yaml)"),
        ("data_dir", "the build (--data-dir)"),
    ):
        if key in own:
            raise ParameterError(f"{unit_file}: {key} comes from {origin} and may not be set in a parameter file")
    allowed = set(defaults) | BUILD_KEYS | set(RUN_KEYS) | set(known)
    unknown = [k for k in own if k not in allowed]
    if unknown:
        raise ParameterError(unknown_names_message(unknown, allowed, where=str(unit_file)))
    check_types(own, where=str(unit_file))
    merged = {**defaults, **own}
    merged["year"], merged["unit"] = int(year), unit
    check_report_date(merged.get("report_date"), where=str(unit_file if "report_date" in own else root / DEFAULTS_FILE))
    merged["pdf"] = merged.get("pdf") or PDF_ROUTES[0]  # explicit: a pack's fingerprint names its route
    if merged["pdf"] not in PDF_ROUTES:
        where = str(unit_file if "pdf" in own else root / DEFAULTS_FILE)
        raise ParameterError(
            unknown_names_message([str(merged["pdf"])], PDF_ROUTES, where=f"{where}: pdf", noun="PDF route")
        )
    return merged


def parse_report_date(value: Any) -> tuple[int, int | None, int | None] | None:
    """``report_date`` as (year, month, day), month and day ``None`` when the source leaves
    them blank. Accepts a date, ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, and the Vietnamese
    ``DD/MM/YYYY`` and ``MM/YYYY``; empty gives ``None``. Anything else is a ValueError.

    >>> parse_report_date("04/12/2024"), parse_report_date("2024-12"), parse_report_date(None)
    ((2024, 12, 4), (2024, 12, None), None)
    """
    if value is None or value == "":
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year, value.month, value.day
    text = str(value).strip()
    patterns = (r"(?P<y>\d{4})(-(?P<m>\d{1,2})(-(?P<d>\d{1,2}))?)?", r"((?P<d>\d{1,2})/)?(?P<m>\d{1,2})/(?P<y>\d{4})")
    for pattern in patterns:
        if m := re.fullmatch(pattern, text):
            y = int(m["y"])  # both patterns require the year
            mo, d = (int(m[k]) if m[k] else None for k in ("m", "d"))
            dt.date(y, mo or 1, d or 1)  # raises ValueError for 31/11
            return y, mo, d
    raise ValueError(f"report_date {value!r}: expected YYYY-MM-DD, DD/MM/YYYY, YYYY-MM, MM/YYYY or YYYY")


def check_report_date(value: Any, *, where: str) -> None:
    """``report_date`` is the date printed on the report: the data's date, never the run's.
    Raise :class:`ParameterError` unless :func:`parse_report_date` reads it.

    >>> check_report_date("31/11/2024", where="x.yaml")
    Traceback (most recent call last):
    ...
    analysis.errors.ParameterError: x.yaml: report_date '31/11/2024' is not a date: day is out of range for month
    """
    try:
        parse_report_date(value)
    except ValueError as exc:
        raise ParameterError(f"{where}: report_date {value!r} is not a date: {exc}") from None


def parse_notebook(raw: bytes | str, *, where: Path | str) -> dict[str, Any]:
    """A notebook's bytes parsed as JSON; :class:`ParameterError` naming ``where`` otherwise."""
    try:
        nb = json.loads(raw)
    except ValueError as exc:
        raise ParameterError(f"{where}: not a notebook (invalid JSON: {exc})") from None
    if not isinstance(nb, dict):
        raise ParameterError(f"{where}: not a notebook (a JSON object expected)")
    return nb


def declared_parameters(notebook: Path | str | Mapping[str, Any], *, where: Path | str = "notebook") -> dict[str, str]:
    """Names assigned in the notebook's cell tagged ``parameters``, with their source text.

    ``notebook`` is a notebook file, or a notebook already parsed (:func:`parse_notebook`)
    that messages call ``where``.
    """
    if isinstance(notebook, Mapping):
        nb, path = notebook, where
    else:
        try:
            nb, path = parse_notebook(Path(notebook).read_bytes(), where=notebook), notebook
        except FileNotFoundError:
            raise ParameterError(f"{notebook}: notebook not found") from None
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            try:
                tree = ast.parse(source)
            except SyntaxError as exc:
                raise ParameterError(
                    f"{path}: the parameters cell is not valid Python: {exc.msg} (line {exc.lineno})"
                ) from None
            names: dict[str, str] = {}
            for node in tree.body:
                targets = (
                    node.targets
                    if isinstance(node, ast.Assign)
                    else [node.target]
                    if isinstance(node, ast.AnnAssign)
                    else []
                )
                for target in targets:
                    if isinstance(target, ast.Name):
                        names[target.id] = ast.get_source_segment(source, node) or target.id
            return names
    raise ParameterError(f"{path}: no code cell tagged 'parameters'")


def check_notebook_parameters(
    notebook_path: Path | str, params: Mapping[str, Any], *, declared: Mapping[str, str] | None = None
) -> None:
    """Raise :class:`ParameterError` unless every key of ``params`` is declared by the notebook
    and the notebook declares every run key (:data:`RUN_KEYS`).

    The message names each unknown key with the closest declared name.
    """
    declared = declared if declared is not None else declared_parameters(notebook_path)
    missing = [k for k in RUN_KEYS if k not in declared]
    if missing:
        raise ParameterError(
            f"{notebook_path}: the parameters cell must assign "
            f"{', '.join(missing)} (every notebook gets {', '.join(RUN_KEYS)})"
        )
    unknown = [k for k in params if k not in declared]
    if unknown:
        raise ParameterError(unknown_names_message(unknown, declared, where=str(notebook_path)))


def notebook_parameters(params: Mapping[str, Any], declared: Iterable[str]) -> dict[str, Any]:
    """The part of a unit's ``params`` a notebook gets: what it declares, build keys excluded.

    >>> notebook_parameters({"year": 2024, "kernel_name": "analysis", "x": 1}, ["year", "y"])
    {'year': 2024}
    """
    declared = set(declared)
    return {k: v for k, v in params.items() if k in declared and k not in BUILD_KEYS}
