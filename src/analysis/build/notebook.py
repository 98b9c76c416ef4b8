"""A notebook as the planner sees it, read and parsed once: its SHA-256, the parameters its
``parameters`` cell declares, and the data it declares it shows.

The declaration is in the notebook's metadata, next to the code that reads the data (a
notebook used at several levels declares once; editing it changes the notebook's hash)::

    "metadata": {"analysis": {"inputs": {"observations": "unit", "sources": "all"}}}

Each key of ``inputs`` names a curated dataset (:data:`analysis.paths.DATASETS`) or ``raw``
(the names of the raw source files); each value is the scope of the rows the notebook shows:

``unit``    the rows of the pack's unit (the dataset's ``unit`` column)
``peers``   the rows of the unit's parent in ``units.csv`` and of every unit of that parent:
            for a commune, its district's rows and those of the district's communes
``below``   the rows of the unit and of every unit under it in ``units.csv`` (children,
            their children...): for a province's roll-up, its districts and communes
``all``     the whole file

A notebook without ``metadata.analysis`` shows, for the build, every file under the data
folder. Anything else there that is not as above is a :class:`DeclarationError` naming the
notebook and the key.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.errors import AnalysisError, DeclarationError, ParameterError
from analysis.files import MISSING, sha256_bytes
from analysis.params import declared_parameters, parse_notebook, unknown_names_message

#: The scopes of a declared input (``unit`` the narrowest, ``all`` the widest).
SCOPES = ("unit", "peers", "below", "all")
#: The input naming the raw source files (only ``all``).
RAW = "raw"
#: Every name an input may have.
INPUT_NAMES = (*paths.DATASETS, RAW)
#: The metadata key of the declaration, and the keys it holds.
KEY = "analysis"
KEYS = ("inputs",)


@dataclass(frozen=True)
class Notebook:
    """One notebook file: ``parameters`` and ``inputs`` hold what it declares or the error
    that tells why it cannot be used; ``inputs`` is None when it declares nothing."""

    path: Path
    sha256: str
    parameters: dict[str, str] | AnalysisError
    inputs: dict[str, str] | AnalysisError | None


def read_notebook(path: Path | str) -> Notebook:
    """Read and parse the notebook at ``path`` (its only read while planning)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError:
        missing = ParameterError(f"{path}: notebook not found")
        return Notebook(path, MISSING, missing, missing)
    try:
        nb = parse_notebook(raw, where=path)
    except AnalysisError as exc:
        return Notebook(path, sha256_bytes(raw), exc, exc)
    parameters: dict[str, str] | AnalysisError
    inputs: dict[str, str] | AnalysisError | None
    try:
        parameters = declared_parameters(nb, where=path)
    except AnalysisError as exc:
        parameters = exc
    try:
        inputs = declared_inputs(nb, where=path)
    except AnalysisError as exc:
        inputs = exc
    return Notebook(path, sha256_bytes(raw), parameters, inputs)


def declared_inputs(nb: Mapping[str, Any], *, where: Path | str) -> dict[str, str] | None:
    """The inputs the parsed notebook ``nb`` declares, by name, or None when it declares
    nothing; :class:`DeclarationError` when the declaration is not as the module says.

    >>> declared_inputs({"metadata": {"analysis": {"inputs": {"tasks": "unit"}}}}, where="n.ipynb")
    {'tasks': 'unit'}
    >>> declared_inputs({"metadata": {"analysis": {"inputs": {"taks": "unit"}}}}, where="n.ipynb")
    Traceback (most recent call last):
    ...
    analysis.errors.DeclarationError: n.ipynb: metadata.analysis.inputs: unknown dataset 'taks' (did you mean 'tasks'?)
    """
    metadata = nb.get("metadata", {})
    if not isinstance(metadata, Mapping):
        raise DeclarationError(f"{where}: metadata: a mapping expected, got {type(metadata).__name__}")
    if KEY not in metadata:
        near = [k for k in metadata if difflib.get_close_matches(str(k), [KEY], n=1, cutoff=0.75)]
        if near:
            raise DeclarationError(unknown_names_message(near, [KEY], where=f"{where}: metadata", noun="key"))
        return None
    declaration = metadata[KEY]
    here = f"{where}: metadata.{KEY}"
    if not isinstance(declaration, Mapping):
        raise DeclarationError(f"{here}: a mapping with {', '.join(KEYS)} expected, got {declaration!r}")
    unknown = [k for k in declaration if k not in KEYS]
    if unknown:
        raise DeclarationError(unknown_names_message(unknown, KEYS, where=here, noun="key"))
    inputs = declaration.get("inputs")
    if not isinstance(inputs, Mapping):
        raise DeclarationError(
            f"{here}.inputs: a mapping of dataset names to scopes ({', '.join(SCOPES)}) expected, got {inputs!r}"
        )
    unknown = [k for k in inputs if k not in INPUT_NAMES]
    if unknown:
        raise DeclarationError(unknown_names_message(unknown, INPUT_NAMES, where=f"{here}.inputs", noun="dataset"))
    for name, scope in inputs.items():
        if scope not in SCOPES:
            raise DeclarationError(
                unknown_names_message([str(scope)], SCOPES, where=f"{here}.inputs.{name}", noun="scope")
            )
        if name == RAW and scope != "all":
            raise DeclarationError(f"{here}.inputs.{RAW}: the raw files are not split by unit; declare 'all'")
    return dict(inputs)
