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

#: Set by the build for every notebook; every notebook must declare them.
RUN_KEYS = ("year", "unit", "data_dir", "report_date")

#: Read by the build itself, never passed to a notebook (documented in defaults.yaml).
BUILD_KEYS = frozenset({"kernel_name", "execution_timeout", "title", "sources", "pdf"})

#: How a pack's PDF is made (build key ``pdf``): ``typst`` (the notebook's outputs set by the
#: Typst compiler, in process) or ``weasyprint`` (the HTML page printed).
PDF_ROUTES = ("typst", "weasyprint")

# libyaml's parser when PyYAML has it (the same safe constructors, several times faster).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DEFAULTS_FILE = "defaults.yaml"


def params_root(params_dir: Path | str | None = None) -> Path:
    """The parameters folder (default ``params/`` of the project)."""
    return Path(params_dir) if params_dir is not None else paths.PARAMS


def read_yaml_mapping(path: Path) -> dict[str, Any]:
    """Read a YAML file whose top level is a mapping of names to values.

    Dates are turned into ISO strings, so every value can travel to a notebook.
    An empty file is an empty mapping.
    """
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except FileNotFoundError:
        raise ParameterError(f"{path}: parameter file not found") from None
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML: {exc}") from None
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


def _plain(value: Any) -> Any:
    """``value`` with dates as ISO strings, recursively."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


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
    """The mapping in ``defaults.yaml``."""
    return read_yaml_mapping(params_root(params_dir) / DEFAULTS_FILE)


def load_params(
    year: int,
    unit: str,
    *,
    params_dir: Path | str | None = None,
    known: Iterable[str] = (),
    defaults: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Parameters of ``unit`` for ``year``: ``defaults.yaml`` updated by ``<year>/<unit>.yaml``.

    ``known`` adds names that are valid besides the defaults and the build's keys
    (the build passes the names the unit's notebooks declare). ``year``, ``unit`` and
    ``data_dir`` come from the run and may not be set in the file.
    """
    root = params_root(params_dir)
    defaults = dict(defaults) if defaults is not None else load_defaults(params_dir=root)
    unit_file = root / str(year) / f"{unit}.yaml"
    own = read_yaml_mapping(unit_file)
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
