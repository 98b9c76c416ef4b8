"""Files written atomically, and the one way this package hashes files, bytes and frames.

Every output goes through :func:`atomic_path` (or :func:`write_atomic`): it is written
under a temporary name in its folder and renamed into place only when complete, so a killed
run never leaves a half-written file that looks whole.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.errors import NoSpaceError

if TYPE_CHECKING:
    import pandas as pd

#: What :func:`sha256_file` returns for a path that is not a readable file.
MISSING = "missing"

#: The errors of a write that found no room: the disk is full, or the user's quota spent.
NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})


def no_space(exc: BaseException) -> bool:
    """Whether ``exc`` (or an error it was raised from) is a write that found no room.

    >>> no_space(OSError(errno.ENOSPC, "No space left on device")), no_space(OSError(errno.EACCES, "no"))
    (True, False)
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, NoSpaceError) or (isinstance(current, OSError) and current.errno in NO_SPACE):
            return True
        current = current.__cause__ or current.__context__
    return False


@contextlib.contextmanager
def atomic_path(path: Path | str, *, suffix: str = ".partial") -> Iterator[Path]:
    """A temporary path beside ``path``, renamed to ``path`` when the block ends normally
    and removed when it raises; a write that finds no room (a full disk) raises
    :class:`~analysis.errors.NoSpaceError` naming the folder and the file.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
    ('done', ['out.txt'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        if no_space(exc):
            raise NoSpaceError(str(path.parent), path.name) from None
        raise
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(path: Path | str, data: bytes | str) -> None:
    """Write ``data`` (text is written as UTF-8) to ``path`` atomically."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(path) as tmp:
        tmp.write_bytes(raw)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def sha256_bytes(data: bytes | str) -> str:
    """SHA-256 of ``data`` (text as UTF-8), in hex.

    >>> sha256_bytes("")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def sha256_file(path: Path | str) -> str:
    """SHA-256 of a file's bytes, :data:`MISSING` when it is not a readable file.

    >>> sha256_file("/no/such/file")
    'missing'
    """
    h = hashlib.sha256()
    try:
        with Path(path).open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
        return MISSING
    return h.hexdigest()


def frame_digest(*frames: pd.DataFrame) -> str:
    """SHA-256 over the columns, dtypes and values of ``frames`` (the index is left out).

    The values go in as pandas' row hashes (``hash_pandas_object``, with its fixed key): the
    digest is the same in every process and every session, and a province's hundred communes
    are hashed in a few milliseconds (written out as CSV text, three to four times longer).

    >>> import pandas as pd
    >>> a = pd.DataFrame({"x": [1.0, 2.0]})
    >>> frame_digest(a) == frame_digest(a.copy()), frame_digest(a) == frame_digest(a.assign(x=[1.0, 3.0]))
    (True, False)
    """
    import pandas as pd  # not at the top: the planner imports this module and never pandas

    h = hashlib.sha256()
    for df in frames:
        h.update(repr([(str(c), str(t)) for c, t in df.dtypes.items()]).encode("utf-8") + b"\0")
        h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes() + b"\1")
    return h.hexdigest()


def tree_digest(folder: Path, suffixes: tuple[str, ...]) -> str:
    """SHA-256 over the relative names and bytes of the files under ``folder`` whose names end
    in one of ``suffixes`` (hidden files and ``__pycache__`` left out).

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp()); _ = (root / "a").mkdir(); _ = (root / "a" / "m.py").write_text("x = 1")
    >>> before = tree_digest(root, (".py",)); _ = (root / "a" / "m.py").write_text("x = 2")
    >>> before == tree_digest(root, (".py",)), before == tree_digest(root, (".txt",))
    (False, False)
    """
    h = hashlib.sha256()
    for p in files_under(folder):
        if p.suffix in suffixes:
            h.update(p.relative_to(folder).as_posix().encode("utf-8") + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def files_under(folder: Path) -> list[Path]:
    """Files under ``folder``, sorted, hidden files and ``__pycache__`` left out."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") or part == "__pycache__" for part in p.relative_to(folder).parts)
    )
