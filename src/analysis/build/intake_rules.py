"""The checks of ``python -m analysis intake`` made before a submission is read: its size (and a
workbook's unpacked size) against the limits of ``intake`` in ``params/defaults.yaml``, and
whether its file name names the unit it is for; the rules (:class:`IntakeRules`) also carry the
jump factor and the jumps the analyst confirmed (``--confirm FILE!CELL``). Messages are in
Vietnamese and name only the submitter's own file.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import AnalysisError
from analysis.io.datasets import Curated
from analysis.io.numbers import format_compact, format_number
from analysis.io.raw_rows import XLSX_SUFFIXES

MB = 1024 * 1024


@dataclass(frozen=True)
class IntakeRules:
    """The checks before anything is read or merged (``intake`` in ``params/defaults.yaml``):
    the largest file and unpacked workbook taken, the jump from last year's result that needs a
    confirmation, and the cells confirmed (``FILE!CELL``, ``intake --confirm``)."""

    max_file_mb: float = 10.0
    max_unpacked_mb: float = 100.0
    jump_factor: float = 10.0
    confirmed: frozenset[str] = frozenset()

    @classmethod
    def from_params(cls, params_dir: Path | str | None = None, confirmed: Iterable[str] = ()) -> IntakeRules:
        from analysis.params import load_defaults

        values = load_defaults(params_dir=params_dir).get("intake") or {}
        return cls(**{k: float(v) for k, v in values.items()}, confirmed=frozenset(confirmed))


def too_big(path: Path, rules: IntakeRules) -> str:
    """Why ``path`` is not read at all (its size, or a workbook's unpacked size), or ``""``;
    from the file system and the zip directory only, before anything is opened or hashed."""
    size = path.stat().st_size
    if size > rules.max_file_mb * MB:
        return (
            f"tệp có dung lượng {format_number(size / MB, 1)} MB, vượt giới hạn {format_compact(rules.max_file_mb, 2)} MB"
            " của một biểu gửi về (intake.max_file_mb): tệp không được đọc; đề nghị gửi lại biểu đúng mẫu"
        )
    if path.suffix.lower() not in XLSX_SUFFIXES:
        return ""
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError):  # not a workbook: its reading says so
        return ""
    if unpacked > rules.max_unpacked_mb * MB:
        return (
            f"nội dung tệp Excel khi giải nén là {format_number(unpacked / MB, 1)} MB, vượt giới hạn "
            f"{format_compact(rules.max_unpacked_mb, 2)} MB (intake.max_unpacked_mb): tệp không được đọc; "
            "đề nghị gửi lại biểu đúng mẫu"
        )
    return ""


def own(text: str, path: Path) -> str:
    """A reader's message with the submitted file named by its name only, not the intake folder's path."""
    return text.replace(str(path), path.name)


def other_unit(named: list[str], unit: str, where: str, curated: Curated) -> str:
    """Why a file whose name names ``named`` is not ``unit``'s (``""`` when it is, or names none)."""
    if not named or unit in named:
        return ""
    try:
        name = f" ({curated.unit_name(unit)})"
    except AnalysisError:
        name = ""
    others = ", ".join(repr(u) for u in named)
    return f"tên tệp ghi đơn vị {others} nhưng {where} đơn vị {unit!r}{name}: kiểm tra lại tệp gửi về"
