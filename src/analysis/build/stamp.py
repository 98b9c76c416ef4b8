"""A build with nothing changed, known without planning: the stamp of a run's inputs.

Planning a national run reads every curated CSV (tens of megabytes) and hashes each unit's rows:
seconds. When nothing a pack is made from has changed since the previous build of the same
folder — no input file's size, modification time or inode (data, parameter files, notebooks,
the PDF fonts), the same package source, library versions, fonts and run options — every
fingerprint is the previous one. The stamp is the digest of those facts, kept beside the
manifest (:data:`STAMP_FILE`, with the manifest's size and modification time); a build whose
stamp equals the one kept, whose manifest is the one the stamp was kept with, whose packs all
built and whose outputs are all intact, has nothing to do: it plans nothing and writes nothing
(as ``make`` decides from modification times). Anything else plans as usual.

A file modified less than :data:`RACY_SECONDS` before the stamp is taken could change again
without its modification time moving: the stamp is then not recorded (the next build plans).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from analysis.build.fingerprint import digest
from analysis.build.manifest import Previous, font_files, outputs_intact, package_digest, package_versions
from analysis.files import files_under, write_atomic
from analysis.fonts import FONTS_DIR

#: Seconds after its last modification during which a file's stamp is not trusted.
RACY_SECONDS = 2.0
#: The stamp of the inputs of the last build of a reports folder, beside its manifest.
STAMP_FILE = ".inputs-stamp.json"


def input_files(year: int, *, data_dir: Path, params_dir: Path, notebooks_dir: Path) -> list[Path]:
    """Every file a run's packs may be made from: the data folder, ``defaults.yaml`` and the
    year's parameter files, the notebooks, and the PDF fonts."""
    year_dir = params_dir / str(year)
    return [
        *files_under(data_dir),
        params_dir / "defaults.yaml",
        *(sorted(year_dir.glob("*.yaml")) if year_dir.is_dir() else []),
        *sorted(notebooks_dir.glob("*.ipynb")),
        *sorted(FONTS_DIR.glob("*.ttf")),
    ]


def run_stamp(files: Iterable[Path], options: Mapping[str, Any], *, now: float | None = None) -> str | None:
    """The stamp of a run of ``options`` (year, units, directories, overrides) on ``files``:
    None when one was modified less than :data:`RACY_SECONDS` ago."""
    now_ns = int((time.time() if now is None else now) * 1e9)
    stats: list[tuple[str, list[int] | None]] = []
    for path in files:
        try:
            st = os.stat(path)
        except OSError:
            stats.append((str(path), None))
            continue
        if now_ns - st.st_mtime_ns < RACY_SECONDS * 1e9:
            return None
        stats.append((str(path), [st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev]))
    context = {"package": package_digest(), "versions": package_versions(), "fonts": font_files()}
    return digest({"options": dict(options), "files": stats, "context": context})


def kept_stamp(out_dir: Path, manifest: Path) -> str | None:
    """The stamp kept in ``out_dir`` with the manifest as it is now (None: none, or another)."""
    try:
        kept = json.loads((out_dir / STAMP_FILE).read_text(encoding="utf-8"))
        st = manifest.stat()
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("manifest") != [st.st_size, st.st_mtime_ns]:
        return None
    stamp = kept.get("stamp")
    return stamp if isinstance(stamp, str) else None


def keep_stamp(out_dir: Path, manifest: Path, stamp: str | None) -> None:
    """Keep ``stamp`` beside ``manifest`` (forget the one kept when None)."""
    path = out_dir / STAMP_FILE
    if stamp is None or not manifest.is_file():
        path.unlink(missing_ok=True)
        return
    st = manifest.stat()
    write_atomic(path, json.dumps({"stamp": stamp, "manifest": [st.st_size, st.st_mtime_ns]}) + "\n")


def unchanged(stamp: str | None, kept: str | None, previous: Previous) -> bool:
    """Whether the run's ``stamp`` is the one ``kept`` with the previous manifest, every one of
    its packs built and their outputs are intact."""
    if stamp is None or stamp != kept or not previous.keys:
        return False
    return all(
        (rec := previous.packs.get(key)) is not None
        and rec.get("status") in ("built", "up to date")
        and outputs_intact(rec)
        for key in previous.keys
    )
