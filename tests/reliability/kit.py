"""The reliability kit's tools: the command line run in this process, a small project to
spoil (parameters, data, reports in a temporary folder), tables written from rows, and the
list of files under a folder (to show nothing was written where it should not be)."""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from analysis import paths
from analysis.__main__ import main

#: A unit whose one notebook (the commune pack) is quick to plan; the kit never runs it
#: unless a case says so.
UNIT = "bac-son-nhat-hoa"

#: A small indicator table in the layout of seed 000 (header block of two rows, body rows).
HEADER = [
    ["TT", "Nội dung chỉ tiêu", "Kết quả thực hiện năm 2023", "Năm 2024", "", "Ghi chú"],
    ["", "", "", "Kế hoạch", "Kết quả", ""],
]
BODY = [
    ["1", "Thu nhập bình quân đầu người", "50 triệu đồng", "55 triệu đồng", "56 triệu đồng", ""],
    ["2", "Tỷ lệ hộ nghèo", "5%", "4%", "3,5%", ""],
    ["3", "Số xã đạt chuẩn nông thôn mới", "10 xã", "12 xã", "11 xã", ""],
]


@dataclass
class Outcome:
    """What a command did: exit code, standard output, standard error."""

    code: int
    out: str
    err: str

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def cli(*argv: str | Path) -> Outcome:
    """``python -m analysis ARGV`` in this process."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
    return Outcome(code, out.getvalue(), err.getvalue())


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def table_text(rows: list[list[str]]) -> str:
    """Tab-separated text of ``rows``, one line each."""
    return "".join("\t".join(r) + "\n" for r in rows)


def files_under(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (hidden ones too) with its bytes, by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@dataclass
class Project:
    """A project to spoil: ``params/`` (defaults and a 2024 run of :data:`UNIT`), a copy of
    ``data/``, and ``reports/``, all under ``root``; notebooks are the shipped ones."""

    root: Path

    @property
    def params(self) -> Path:
        return self.root / "params"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def build(self, *extra: str | Path) -> Outcome:
        return cli(
            "build",
            "--year",
            "2024",
            "--params-dir",
            self.params,
            "--data-dir",
            self.data,
            "--reports-dir",
            self.reports,
            "--no-progress",
            *extra,
        )

    def outside_reports(self) -> dict[str, bytes]:
        """Every file of the project's root folder and above it (its parent), but reports/."""
        return {k: v for k, v in files_under(self.root.parent).items() if "/reports/" not in f"/{k}"}


def make_project(root: Path) -> Project:
    """A :class:`Project` under ``root``: the shipped defaults and data, a 2024 run of :data:`UNIT`."""
    shutil.copytree(paths.DATA, root / "data", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    write(root / "params" / "defaults.yaml", (paths.PARAMS / "defaults.yaml").read_text(encoding="utf-8"))
    write(
        root / "params" / "2024" / "units.yaml",
        f"units:\n  - {{unit: {UNIT}, level: commune, notebooks: [50_commune_pack.ipynb]}}\n",
    )
    write(root / "params" / "2024" / f"{UNIT}.yaml", "# nothing differs\n")
    return Project(root)
