"""The run's record, ``reports/<year>/manifest.json``: what was built from what, with which
versions, and how to build it again; read back by the next build to skip unchanged packs.

Per pack: its status, outputs with their SHA-256 (and size and modification time, so the next
build checks them without reading them), the parameters, the fingerprint and its components
(:mod:`analysis.build.fingerprint`), timings and the error of a failed pack. Only the manifest holds
run times.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.files import sha256_bytes, sha256_file, tree_digest, write_atomic

VERSIONED = (
    "analysis",
    "pandas",
    "matplotlib",
    "papermill",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "jinja2",
    "weasyprint",
    "typst",
    "pydyf",
    "fonttools",
    "uharfbuzz",
    "tqdm",
    "pyyaml",
)
OUTPUT_KINDS = ("ipynb", "html", "pdf", "docx")
MANIFEST = "manifest.json"


@dataclass
class Previous:
    """What the last manifest of a reports folder says (empty when there is none)."""

    packs: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    memo: dict[str, Any] = field(default_factory=dict)
    keys: list[tuple[str, str]] = field(default_factory=list)
    exists: bool = False

    def reusable(self, unit: str, notebook: str, fingerprint: str) -> dict[str, Any] | None:
        """The record of a pack built from the same inputs whose outputs are still intact."""
        old = self.packs.get((unit, notebook))
        if (
            old
            and old.get("status") in ("built", "up to date")
            and old.get("fingerprint") == fingerprint
            and outputs_intact(old)
        ):
            return old
        return None


def read_previous(manifest_path: Path) -> Previous:
    """The packs, earlier packs and memo of the manifest at ``manifest_path``."""
    try:
        data = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
        records = list(data.get("packs", [])) + list(data.get("earlier_packs", []))
        return Previous(
            packs={(p["unit"], p["notebook"]): p for p in records},
            memo=dict(data.get("memo") or {}),
            keys=[(p["unit"], p["notebook"]) for p in data.get("packs", [])],
            exists=True,
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Previous()


def outputs_intact(record: Mapping[str, Any]) -> bool:
    """Whether a pack's outputs are on disk as recorded: same size and modification time
    as recorded, else the same SHA-256."""
    hashes, outputs = record.get("hashes") or {}, record.get("outputs") or {}
    stats = record.get("stat") or {}
    if set(hashes) != set(OUTPUT_KINDS) or set(outputs) != set(OUTPUT_KINDS):
        return False
    for kind, sha in hashes.items():
        path = paths.from_display(outputs[kind])
        try:
            st = path.stat()
        except OSError:
            return False
        if list(stats.get(kind) or ()) == [st.st_size, st.st_mtime_ns]:
            continue
        if sha256_file(path) != sha:
            return False
    return True


def output_stat(path: Path) -> list[int]:
    st = Path(path).stat()
    return [st.st_size, st.st_mtime_ns]


def build_manifest(
    year: int,
    packs: Sequence[Any],
    plan: Sequence[Mapping[str, Any]],
    *,
    inputs: Mapping[str, str],
    context: Mapping[str, Any],
    command: str,
    started: dt.datetime,
    seconds: float,
    earlier: Iterable[Mapping[str, Any]] = (),
    memo: Mapping[str, Any] | None = None,
    workers: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The run's record: enough to check the outputs and to run it again.

    ``packs`` are this run's :class:`~analysis.build.pack.PackResult`; ``earlier`` the records of
    packs from earlier runs still in the folder (another ``--unit`` selection); ``memo`` what
    the next build may reuse (:class:`analysis.build.fingerprint.DataInputs`).
    """
    from dataclasses import asdict

    commit, dirty = git_state()
    return {
        "year": int(year),
        "rerun": {
            "command": command,
            "git_commit": commit,
            "git_dirty": dirty,
            "steps": [
                f"git checkout {commit or '<commit>'}",
                "make setup",
                "python -m pip install "
                + " ".join(
                    f"{n}=={v}"
                    for n, v in context["versions"].items()
                    if n not in ("python", "analysis") and v != "not installed"
                ),
                command,
            ],
            "note": "Same inputs (sha256 below), same versions → byte-identical HTML and PDF.",
        },
        "started_at": started.isoformat(timespec="seconds"),
        "seconds": round(seconds, 3),
        "workers": dict(workers or {}),
        "summary": {
            "built": sum(p.status == "built" for p in packs),
            "up_to_date": sum(p.status == "up to date" for p in packs),
            "failed": sum(p.failure is not None for p in packs),
        },
        "project": {
            "root": str(paths.ROOT),
            "git_commit": commit,
            "git_dirty": dirty,
            "package_sha256": context["package"],
        },
        "versions": context["versions"],
        "fonts": context["fonts"],
        "inputs": dict(sorted(inputs.items())),
        "corrections": corrections_count(inputs),
        "units": [dict(u) for u in plan],
        "packs": [pack_record(asdict(p)) for p in packs],
        "earlier_packs": list(earlier),
        "memo": dict(memo or {}),
    }


def corrections_count(inputs: Mapping[str, str]) -> int:
    """Rows of the run's ``corrections.csv`` (one per corrected figure, applied to the curated
    data when they are read); 0 when the data folder has none."""
    for shown in inputs:
        if Path(shown).name == paths.DATASETS["corrections"]:
            with paths.from_display(shown).open(encoding="utf-8", newline="") as f:
                return max(0, sum(1 for _ in csv.reader(f)) - 1)
    return 0


def pack_record(rec: dict[str, Any]) -> dict[str, Any]:
    """A pack as the manifest lists it (``error`` for the failure)."""
    rec = dict(rec)
    rec["error"] = rec.pop("failure", None)
    return rec


def git_state() -> tuple[str | None, bool | None]:
    """The project's ``HEAD`` commit (None before the first) and whether the tree is dirty."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(paths.ROOT), *args], capture_output=True, text=True, timeout=20, check=True
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip()

    status = git("status", "--porcelain")
    return git("rev-parse", "--verify", "--quiet", "HEAD") or None, (bool(status) if status is not None else None)


def font_files() -> dict[str, dict[str, str]]:
    """The fonts of the PDFs (shipped with the package) with their SHA-256: the PDF's bytes
    depend on them."""
    from analysis.build.typefaces import shipped_fonts

    return shipped_fonts()


def package_versions() -> dict[str, str]:
    """Versions of Python and of the packages that shape the outputs."""
    versions = {"python": sys.version.split()[0]}
    for name in VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


#: The ``analysis`` package: all of its layers, not only this one.
PACKAGE_ROOT = Path(__file__).resolve().parents[1]


#: Rules kept as data in the project's ``data/`` that every evaluation reads, whatever the data
#: folder of a run: they judge like code, so they count as part of the package.
RULE_DATASETS = ("target_grammar", "status_words", "inference_rules", "header_synonyms")


def package_digest() -> str:
    """SHA-256 over the whole package's source and templates (catches an uncommitted change)
    and the project's rule files (:data:`RULE_DATASETS`)."""
    rules = {name: sha256_file(paths.dataset_path(name)) for name in RULE_DATASETS}
    source = tree_digest(PACKAGE_ROOT, (".py", ".j2", ".css", ".json", ".yaml", ".csv", ".typ"))
    return sha256_bytes(json.dumps({"source": source, "rules": rules}, sort_keys=True))


def write_manifest(path: Path, manifest: Mapping[str, Any]) -> None:
    """Write ``manifest`` as indented JSON, atomically."""
    write_atomic(path, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
