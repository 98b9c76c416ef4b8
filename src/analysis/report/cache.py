"""Data the packs read, kept in memory per process and keyed on what it was made from.

A warm kernel (:mod:`analysis.build.engine`) builds pack after pack from the same curated files.
The contexts the notebooks use (:mod:`analysis.report.context`, :mod:`analysis.report.communes_context`)
read and validate those files, and compare a district's communes, once per process instead
of once per pack. An entry's key holds the SHA-256 of every file it was read from (or of the
frames it was computed from), so a changed file is read again; each caller gets its own
copy, so a notebook that changes a frame cannot change what the next notebook sees. A hit
returns exactly what a miss computes: a pack is the same in a fresh kernel and a warm one.

A file's SHA-256 is computed once per process while its size, modification time and inode
stay the same (:func:`file_digest`, the rule of ``make`` and git's index): a national run reads
files of tens of megabytes for every pack. A file modified less than :data:`RACY_SECONDS`
before it was hashed is hashed again next time (it may change again within the clock's
resolution without its modification time moving).

The kernel reset keeps this module loaded (:data:`analysis.build.kernel_state.KEPT_MODULES`) and
re-imports the rest of the package. At most :data:`MAX_ENTRIES` results are kept.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar, cast, overload

import pandas as pd

from analysis.files import frame_digest, sha256_file

__all__ = ["clear", "copy_value", "file_digest", "files_key", "frame_digest", "memoize", "read_files"]

T = TypeVar("T")
U = TypeVar("U")

MAX_ENTRIES = 1024

#: Seconds after its last modification during which a file's digest is not reused.
RACY_SECONDS = 2.0

_entries: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_digests: dict[str, tuple[tuple[int, int, int, int], str]] = {}
_lock = threading.Lock()


@overload
def memoize(key: tuple[Any, ...], compute: Callable[[], T]) -> T: ...
@overload
def memoize(key: tuple[Any, ...], compute: Callable[[], T], *, part: Callable[[T], U]) -> U: ...
def memoize(key: tuple[Any, ...], compute: Callable[[], T], *, part: Callable[[T], U] | None = None) -> T | U:
    """A copy of the value kept under ``key`` (of ``part(value)`` when given: only that part is
    copied), computing and keeping the value on first use.

    ``key`` must name everything the value depends on (digests of files or frames). An
    exception is raised to the caller and nothing is kept.
    """
    with _lock:
        hit = key in _entries
        if hit:
            _entries.move_to_end(key)
            value = _entries[key]
    if not hit:
        value = compute()
        with _lock:
            _entries[key] = value
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
    return copy_value(part(value) if part is not None else value)


def file_digest(path: Path | str) -> str:
    """SHA-256 of a file (:func:`analysis.files.sha256_file`), computed again only when its size,
    modification time, inode or device changed, or when it was modified less than
    :data:`RACY_SECONDS` before it was last hashed."""
    name = str(Path(path).absolute())
    try:
        st = os.stat(name)
    except OSError:
        return sha256_file(name)
    stamp = (st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)
    kept = _digests.get(name)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    digest = sha256_file(name)
    if time.time_ns() - st.st_mtime_ns > RACY_SECONDS * 1e9:
        _digests[name] = (stamp, digest)
    else:
        _digests.pop(name, None)
    return digest


def files_key(files: Iterable[Path | str]) -> tuple[tuple[str, str], ...]:
    """(path, SHA-256) of each of ``files``: the part of a key that names what was read."""
    return tuple((str(Path(f).absolute()), file_digest(f)) for f in files)


def read_files(name: str, files: Iterable[Path | str], read: Callable[[], T]) -> T:
    """``read()``, kept under ``name`` and the digests of ``files`` (all that it reads)."""
    return memoize((name, *files_key(files)), read)


def clear() -> None:
    """Forget every kept value and file digest."""
    with _lock:
        _entries.clear()
        _digests.clear()


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
