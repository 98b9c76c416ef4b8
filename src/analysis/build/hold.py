"""Where a build waits for a test: the reliability kit's fault cases hold a build at the
point they mean to test (Ctrl-C, ``kill -9`` or a second build while a pack is written) and
release it themselves, instead of racing a build against the clock.

Honoured only under pytest (``PYTEST_VERSION`` is in the environment, as pytest sets it for
its process and the builds it starts) and only when :data:`HOLD_ENV` names a folder: at the
point ``name``, the process writes ``<folder>/<name>.reached`` (its process id) and waits
until ``<folder>/<name>.release`` exists. A build run by an analyst never waits.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

#: The environment variable naming the folder of a test's hold points.
HOLD_ENV = "ANALYSIS_TEST_HOLD"

#: The point after a pack's three files are written under temporary names, before they are put in place.
PACK_WRITTEN = "pack-written"


def hold(name: str) -> None:
    """Wait at the point ``name`` while a test holds it (see the module's text); else return at once."""
    folder = os.environ.get(HOLD_ENV)
    if not folder or "PYTEST_VERSION" not in os.environ:
        return
    where = Path(folder)
    reached = where / f"{name}.reached"
    tmp = where / f".{name}.{os.getpid()}.tmp"
    tmp.write_text(f"{os.getpid()}\n", encoding="ascii")
    os.replace(tmp, reached)  # whole when seen
    release = where / f"{name}.release"
    while not release.exists():
        time.sleep(0.01)
