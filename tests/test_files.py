"""Atomic writes on a full disk: one error naming the folder and the file, nothing half-written."""

from __future__ import annotations

import errno
import os
import pickle
from pathlib import Path

import pytest

from analysis.errors import AnalysisError, NoSpaceError
from analysis.files import atomic_path, no_space, write_atomic


def full(*_args: object, **_kw: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_write_on_a_full_disk_names_the_folder_and_the_file_and_keeps_the_old_one(tmp_path: Path, monkeypatch):
    target = tmp_path / "index.html"
    target.write_text("cũ", encoding="utf-8")
    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(NoSpaceError) as caught:
        write_atomic(target, "mới")
    assert str(caught.value) == (
        f"{tmp_path}: no space left on the device while writing index.html; nothing half-written is kept "
        "(the last good files stay): free some space and run the command again"
    )
    assert isinstance(caught.value, AnalysisError)
    assert target.read_text(encoding="utf-8") == "cũ"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]  # no temporary left


def test_another_error_of_a_write_is_not_a_full_disk(tmp_path: Path):
    with pytest.raises(PermissionError), atomic_path(tmp_path / "x.csv"):
        raise PermissionError(errno.EACCES, "Permission denied")
    assert list(tmp_path.iterdir()) == []


def _saved() -> None:
    try:
        full()
    except OSError as exc:
        raise RuntimeError("papermill could not save") from exc


def test_a_full_disk_is_found_behind_the_error_it_caused():
    with pytest.raises(RuntimeError) as caught:
        _saved()
    assert no_space(caught.value)
    assert not no_space(RuntimeError("a cell raised"))
    assert no_space(OSError(errno.EDQUOT, "Disk quota exceeded"))


def test_the_error_crosses_process_boundaries_whole():
    exc = pickle.loads(pickle.dumps(NoSpaceError("/r/2024/x", "p.ipynb")))
    assert (exc.folder, exc.name) == ("/r/2024/x", "p.ipynb")
    assert str(exc).startswith("/r/2024/x: no space left on the device while writing p.ipynb;")
