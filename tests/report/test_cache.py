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


def test_a_files_digest_is_reused_while_it_is_unchanged(tmp_path: Path, monkeypatch):
    import os

    path = tmp_path / "big.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    old = 1_700_000_000
    os.utime(path, (old, old))  # modified long ago: its digest may be kept
    calls = []
    real = cache.sha256_file
    monkeypatch.setattr(cache, "sha256_file", lambda p: calls.append(p) or real(p))
    first = cache.file_digest(path)
    assert cache.file_digest(path) == first and len(calls) == 1
    path.write_text("a\n2\n", encoding="utf-8")  # same size, modified now
    second = cache.file_digest(path)
    assert second != first and second == real(path)
    cache.file_digest(path)  # modified less than RACY_SECONDS ago: hashed again each time
    assert len(calls) == 3


def test_memoize_hands_out_a_copy_of_the_part_asked_for():
    value = {"p1": pd.DataFrame({"x": [1]}), "p2": pd.DataFrame({"x": [2]})}
    got = cache.memoize(("parts", 1), lambda: value, part=lambda v: v["p2"])
    got.loc[0, "x"] = 99
    assert cache.memoize(("parts", 1), dict, part=lambda v: v["p2"])["x"].tolist() == [2]
