"""Data the packs read, kept in memory per process and keyed on what it was made from.

A warm kernel (:mod:`analysis.build.engine`) builds pack after pack from the same curated files.
The contexts the notebooks use (:mod:`analysis.report.context`, :mod:`analysis.report.communes_context`)
read and validate those files, and compare a district's communes, once per process instead
of once per pack. An entry's key holds the SHA-256 of every file it was read from (or of the
frames it was computed from), so a changed file is read again; each caller gets its own
copy, so a notebook that changes a frame cannot change what the next notebook sees. A hit
returns exactly what a miss computes: a pack is the same in a fresh kernel and a warm one.

The kernel reset keeps this module loaded (:data:`analysis.build.kernel_state.KEPT_MODULES`) and
re-imports the rest of the package. At most :data:`MAX_ENTRIES` results are kept.
"""

from __future__ import annotations

import copy
import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar, cast

import pandas as pd

from analysis.files import frame_digest, sha256_file

__all__ = ["clear", "copy_value", "frame_digest", "memoize", "read_files"]

T = TypeVar("T")

MAX_ENTRIES = 32

_entries: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_lock = threading.Lock()


def memoize(key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """A copy of the value kept under ``key``, computing and keeping it on first use.

    ``key`` must name everything the value depends on (digests of files or frames). An
    exception is raised to the caller and nothing is kept.
    """
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return copy_value(_entries[key])
    value = compute()
    with _lock:
        _entries[key] = value
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return copy_value(value)


def read_files(name: str, files: Iterable[Path | str], read: Callable[[], T]) -> T:
    """``read()``, kept under ``name`` and the digests of ``files`` (all that it reads)."""
    key = (name, *((str(Path(f).absolute()), sha256_file(f)) for f in files))
    return memoize(key, read)


def clear() -> None:
    """Forget every kept value."""
    with _lock:
        _entries.clear()


def copy_value(value: T) -> T:
    """A copy of ``value`` that shares no mutable frame with it (frames, tuples, lists, dicts
    and dataclasses of them are copied; strings and numbers are shared)."""
    return cast(T, _copy(value))  # each branch returns a value of the type it was given


def _copy(value: Any) -> Any:
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy(deep=True)
    if isinstance(value, tuple):
        return type(value)(_copy(v) for v in value) if type(value) is tuple else copy.deepcopy(value)
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value, **{f.name: copy_value(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        )
    if isinstance(value, (str, bytes, int, float, bool, type(None), Path)):
        return value
    return copy.deepcopy(value)
