"""The per-process cache of what the packs read: keyed on the files' bytes, handing out copies."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pandas as pd

from analysis.report import cache


def test_a_changed_file_is_read_again_and_callers_get_copies(tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    reads = []

    def read() -> pd.DataFrame:
        reads.append(1)
        return pd.read_csv(path)

    first = cache.read_files("test", [path], read)
    first.loc[0, "a"] = 99  # a notebook changing its frame...
    second = cache.read_files("test", [path], read)
    assert len(reads) == 1 and second["a"].tolist() == [1]  # ...does not change the next one's
    path.write_text("a\n2\n", encoding="utf-8")
    assert cache.read_files("test", [path], read)["a"].tolist() == [2] and len(reads) == 2


def test_errors_are_not_kept(tmp_path: Path):
    calls = []

    def fail() -> None:
        calls.append(1)
        raise ValueError("no")

    for _ in range(2):
        with contextlib.suppress(ValueError):
            cache.memoize(("failing", str(tmp_path)), fail)
    assert len(calls) == 2


def test_the_cache_is_bounded():
    for i in range(cache.MAX_ENTRIES + 5):
        cache.memoize(("bounded", i), lambda i=i: i)
    assert len(cache._entries) <= cache.MAX_ENTRIES
