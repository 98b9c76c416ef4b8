"""The hold points of a build: a test's fault case waits on them, an analyst's build never does."""

from __future__ import annotations

import threading
from pathlib import Path

from analysis.build.hold import HOLD_ENV, PACK_WRITTEN, hold


def test_a_build_outside_pytest_never_waits(monkeypatch, tmp_path: Path):
    monkeypatch.setenv(HOLD_ENV, str(tmp_path))
    monkeypatch.delenv("PYTEST_VERSION", raising=False)
    hold(PACK_WRITTEN)  # returns at once: nothing released, nothing written
    assert list(tmp_path.iterdir()) == []


def test_without_the_variable_nothing_waits(monkeypatch, tmp_path: Path):
    monkeypatch.delenv(HOLD_ENV, raising=False)
    hold(PACK_WRITTEN)
    assert list(tmp_path.iterdir()) == []


def test_a_held_point_says_it_is_reached_and_waits_for_its_release(monkeypatch, tmp_path: Path):
    monkeypatch.setenv(HOLD_ENV, str(tmp_path))
    monkeypatch.setenv("PYTEST_VERSION", "test")
    waiting = threading.Thread(target=hold, args=(PACK_WRITTEN,))
    waiting.start()
    reached = tmp_path / f"{PACK_WRITTEN}.reached"
    while not reached.is_file():
        waiting.join(0.01)
    assert waiting.is_alive()  # held until released
    (tmp_path / f"{PACK_WRITTEN}.release").write_text("go")
    waiting.join()
    assert not waiting.is_alive()
    assert reached.read_text().strip().isdigit()
