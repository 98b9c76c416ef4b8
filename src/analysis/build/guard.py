"""One build at a time in a reports folder, and no half-written file left behind.

:func:`guarded` is held around a build of ``reports/<year>``: it checks that the folder can
be written (one line if not), takes the folder's lock (``.build.lock``, an ``flock``: the
system drops it when the build ends in any way, ``kill -9`` included, so a stale lock never
blocks the next build), and removes the temporary files an interrupted or killed build left
(hidden names holding ``.partial``: see :func:`analysis.files.atomic_path` and
:mod:`analysis.build.pack`), before the build and again after it.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from analysis.errors import AnalysisError

log = logging.getLogger(__name__)

LOCK_FILE = ".build.lock"


class BuildLockedError(AnalysisError):
    """Another build holds the lock of the reports folder."""


def leftovers(out_dir: Path) -> list[Path]:
    """Temporary files of unfinished writes in ``out_dir`` and its unit folders."""
    found: list[Path] = []
    for folder in (out_dir, *(p for p in out_dir.iterdir() if p.is_dir())) if out_dir.is_dir() else ():
        found += [p for p in folder.iterdir() if p.name.startswith(".") and ".partial" in p.name and p.is_file()]
    return sorted(found)


def remove_leftovers(out_dir: Path) -> list[Path]:
    """Delete :func:`leftovers` (only ever under the lock: no other build is writing)."""
    removed = leftovers(out_dir)
    for path in removed:
        path.unlink(missing_ok=True)
    if removed:
        log.info("removed %d temporary file(s) of an unfinished build in %s", len(removed), out_dir)
    return removed


@contextlib.contextmanager
def guarded(out_dir: Path) -> Iterator[Path]:
    """Hold ``out_dir`` for one build (see the module's text); yields the lock file."""
    lock = out_dir / LOCK_FILE
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir, prefix=".probe.", suffix=".partial"):
            pass
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise AnalysisError(
            f"{out_dir}: cannot write the reports folder ({exc.strerror}); "
            "make it writable or give another one with --reports-dir"
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
            raise BuildLockedError(
                f"{out_dir}: another build is writing this folder (process {holder}); "
                "wait for it to end, or build into another --reports-dir"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        remove_leftovers(out_dir)
        try:
            yield lock
        finally:
            remove_leftovers(out_dir)
    finally:
        os.close(fd)  # releases the lock
