"""``python -m analysis intake FOLDER --year Y``: returned forms and tables into the curated data.

Every ``.xlsx``, ``.txt`` and ``.tsv`` file of the folder is a submission: a data-entry form
written by ``template`` (a workbook with its hidden information sheet), or a table in any
official layout the ingest reads (:mod:`analysis.analyses.table_intake`). A submission is
checked whole (:func:`analysis.io.forms.read_form`, :func:`analysis.analyses.forms.check_entries`;
:func:`analysis.io.ingest.read_table`, :func:`analysis.analyses.table_intake.check_table`): with
any problem it merges nothing; without, its figures replace that unit's figures of the same
kinds of that year (results; for a table also the percentages and verdicts it publishes) in the
dataset holding the unit's indicators (``observations.csv``, or the commune dataset), each with
its provenance in ``source`` (``file:sheet!cell:sha256=…``), and the file gets a row in
``sources.csv``. The merged data are loaded and checked (references, corrections) in a copy
before a file is replaced, atomically. Each submission gets a report in Vietnamese (xlsx and
HTML) to send back.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.analyses.forms import PROBLEM_COLUMNS, check_entries, form_rows
from analysis.build.forms import unit_data
from analysis.build.intake_rules import IntakeRules, other_unit, own, too_big
from analysis.errors import AnalysisError
from analysis.files import sha256_file, write_atomic
from analysis.io.csvtext import machine_number, read_rows, render
from analysis.io.datasets import Curated, load_curated
from analysis.io.forms import is_form, read_form
from analysis.io.raw_rows import TEXT_SUFFIXES, XLSX_SUFFIXES
from analysis.io.schema import OBSERVATION_COLUMNS, RECEIVED_COLUMNS, Kind

REPLACED_KINDS = (Kind.RESULT, Kind.ESTIMATE)
#: The files a folder of submissions may hold: forms (.xlsx) and tables (.txt, .tsv, .xlsx).
SUFFIXES = (*TEXT_SUFFIXES, *XLSX_SUFFIXES)


@dataclass
class Submission:
    """One returned form: what it says, what is wrong with it, and whether it was merged."""

    file: Path
    sha256: str
    unit: str = ""
    name: str = ""
    year: int | None = None
    dataset: str = ""
    observations: pd.DataFrame = field(default_factory=lambda: pd.DataFrame())
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROBLEM_COLUMNS))
    merged: bool = False
    replaced: int = 0
    reports: list[Path] = field(default_factory=list)
    #: the kinds of the unit's rows of the year that the submission replaces
    kinds: tuple[str, ...] = REPLACED_KINDS
    #: what the submission is: the data-entry form, or a table in an official layout
    layout: str = "form"
    #: the confirmable problems the analyst confirmed (``--confirm``): taken in, listed in the report
    confirmed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROBLEM_COLUMNS))
    #: what the analyst is told besides the problems (internal paths allowed; not in the report)
    details: list[str] = field(default_factory=list)
    #: for a table: its rows accounted (``N row(s) in the table: R read, P reported``)
    rows: str = ""

    @property
    def accepted(self) -> bool:
        """No problem, and at least one figure."""
        return self.problems.empty and not self.observations.empty

    def add_problem(self, sheet: str, cell: str, reason: str, value: object = "", indicator_id: str = "") -> None:
        row: dict[str, object] = {"file": self.file.name, "sheet": sheet, "cell": cell}
        row |= {"indicator_id": indicator_id, "value": value, "reason": reason, "confirmable": False}
        self.problems = pd.concat([self.problems, pd.DataFrame([row], columns=PROBLEM_COLUMNS)], ignore_index=True)


def submission_files(folder: Path) -> list[Path]:
    """The forms and tables of ``folder`` (``.xlsx``, ``.txt``, ``.tsv``; not Excel's ``~$`` lock
    files, not hidden ones), sorted."""
    if not folder.is_dir():
        raise AnalysisError(f"{folder}: not a folder of returned forms")
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in SUFFIXES and not p.name.startswith(("~$", ".")) and p.is_file()
    )


def _no_catalogue(sub: Submission, unit: str, exc: AnalysisError) -> Submission:
    sub.add_problem("", "", f"đơn vị {unit!r} chưa có danh mục chỉ tiêu trong cơ sở dữ liệu")
    sub.details.append(str(exc))
    return sub


def check_submission(path: Path, year: int, curated: Curated, rules: IntakeRules | None = None) -> Submission:
    """Read and check one returned form or table (nothing is written)."""
    from analysis.analyses.table_intake import named_units

    rules = rules or IntakeRules()
    why = too_big(path, rules)
    if why:
        sub = Submission(file=path, sha256="")
        sub.add_problem("", "", why)
        return sub
    if not is_form(path):
        return check_table_submission(path, year, curated, rules)
    sub = Submission(file=path, sha256=sha256_file(path))
    form = read_form(path)
    for sheet, cell, reason in form.problems or []:
        sub.add_problem(sheet, cell, own(reason, path))
    if form.year is None or form.problems:
        return sub
    sub.unit, sub.year = form.unit, form.year
    other = other_unit(named_units(path.stem, curated.units), form.unit, "biểu được lập cho", curated)
    if other:
        sub.add_problem("", "", other)
        return sub
    if form.year != year:
        sub.add_problem("", "", f"biểu của năm {form.year}, không phải năm {year} đang tiếp nhận")
        return sub
    try:
        sub.name = curated.unit_name(form.unit)
        data = unit_data(curated, form.unit)
    except AnalysisError as exc:
        return _no_catalogue(sub, form.unit, exc)
    sub.dataset = data.dataset
    rows = form_rows(data.observations, data.catalogue, unit=form.unit, year=year)
    obs, problems = check_entries(
        form.entries or [],
        rows,
        unit=form.unit,
        year=year,
        file=path.name,
        sha256=sub.sha256,
        jump_factor=rules.jump_factor,
    )
    sub.observations = obs
    _add_problems(sub, problems, rules)
    if sub.problems.empty and obs.empty:
        sub.add_problem("", "", f"biểu chưa có kết quả nào của năm {year}")
    return sub


def _add_problems(sub: Submission, problems: pd.DataFrame, rules: IntakeRules) -> None:
    """``problems`` into ``sub``, but the confirmable ones the analyst confirmed (``FILE!CELL``)."""
    if problems.empty:
        return
    asked = pd.Series([f"{sub.file.name}!{c}" in rules.confirmed for c in problems["cell"]], index=problems.index)
    done = problems["confirmable"].astype(bool) & asked
    sub.confirmed = problems[done].reset_index(drop=True)
    rest = problems[~done]
    if not rest.empty:
        sub.problems = pd.concat([sub.problems, rest], ignore_index=True) if not sub.problems.empty else rest


def check_table_submission(path: Path, year: int, curated: Curated, rules: IntakeRules | None = None) -> Submission:
    """Read and check a table in an official layout (nothing is written)."""
    from analysis.analyses.table_intake import TABLE_KINDS, check_table, identify_unit, named_units
    from analysis.io.ingest import read_table
    from analysis.io.row_account import account_rows

    rules = rules or IntakeRules()
    sub = Submission(file=path, sha256=sha256_file(path), kinds=tuple(TABLE_KINDS), layout="table")
    try:
        first = read_table(path)
    except AnalysisError as exc:
        sub.add_problem("", "", f"không đọc được tệp ({own(str(exc), path)})")
        return sub
    meta = first.meta
    titles = [str(meta.get(k) or "") for k in ("title", "reference", "headline")] + [
        str(t)
        for t in meta.get("preamble") or []  # type: ignore[attr-defined]
    ]
    unit, why = identify_unit(path.stem, titles, curated.units)
    if not unit:
        sub.add_problem(str(meta.get("sheet") or ""), "", why)
        return sub
    titled, _ = identify_unit("", titles, curated.units)
    if titled and titled != unit:
        sub.add_problem("", "", other_unit(named_units(path.stem, curated.units), titled, "tiêu đề biểu ghi", curated))
        return sub
    sub.unit, sub.year = unit, int(meta["year"]) if meta.get("year") else None  # type: ignore[call-overload]
    try:
        sub.name = curated.unit_name(unit)
        data = unit_data(curated, unit)
    except AnalysisError as exc:
        return _no_catalogue(sub, unit, exc)
    sub.dataset = data.dataset
    rows = form_rows(data.observations, data.catalogue, unit=unit, year=year)
    previous = dict(zip(rows["indicator_id"], rows["previous"].astype(float), strict=True))
    result = read_table(path, unit=unit, catalogue=data.catalogue, sheet=meta.get("sheet"))  # type: ignore[arg-type]
    sub.rows = account_rows(result.meta).summary("read")
    obs, problems = check_table(
        result.observations,
        result.problems,
        result.catalogue,
        result.meta,
        unit=unit,
        year=year,
        file=path.name,
        sha256=sub.sha256,
        previous=previous,
        jump_factor=rules.jump_factor,
    )
    sub.observations = obs
    _add_problems(sub, problems, rules)
    return sub


#: Where a dataset's taken-in figures go: a commune's form never writes into the shipped
#: illustrative example (``data/illustrative/``) but into ``data/received/``, which the reader
#: puts in place of the example's figures (:func:`analysis.io.datasets.with_received`).
RECEIVED_INTO = {"commune_observations": "received_commune_observations"}


def merged_text(path: Path, sub: Submission, today: dt.date | None = None) -> tuple[str, int]:
    """The dataset file's new text: the unit's results of the year replaced by the submission's
    (every other row byte for byte as it was), and how many rows were replaced. A taken-in
    dataset (``data/received/``, absent before the first form) names each figure's form and
    the day it was received (``today``)."""
    if path.is_file():
        header, rows, terminator = read_rows(path)
    else:
        header, rows, terminator = [*OBSERVATION_COLUMNS, *RECEIVED_COLUMNS], [], "\n"
    kinds = {str(k) for k in sub.kinds}
    old = {
        i for i, r in enumerate(rows) if r["unit"] == sub.unit and _year(r["year"]) == sub.year and r["kind"] in kinds
    }
    kept = [r for i, r in enumerate(rows) if i not in old]
    new = []
    for _, o in sub.observations.iterrows():
        row = {c: "" if pd.isna(o.get(c)) else str(o.get(c)) for c in header if c in o.index}
        row |= {"year": str(int(o["year"])), "value": machine_number(float(o["value"]))}
        row["value_high"] = machine_number(float(o["value_high"]))
        if "illustrative" in header:
            row["illustrative"] = "false"
        if "received" in header:
            row |= {"file": sub.file.name, "received": f"{today or dt.date.today():%Y-%m-%d}"}
        new.append(row)
    return render(header, kept + new, terminator), len(old)


def _superseded(sub: Submission, data_dir: Path) -> int:
    """How many figures of the unit's kinds and year the readers give before the merge."""
    from analysis.io.datasets import load_commune_data

    obs = load_commune_data(data_dir)[1]
    kinds = {str(k) for k in sub.kinds}
    return int(((obs["unit"] == sub.unit) & (obs["year"] == sub.year) & obs["kind"].isin(kinds)).sum())


def _year(text: str) -> int | None:
    try:
        return int(float(text))
    except ValueError:
        return None


def sources_text(path: Path, sub: Submission, today: dt.date) -> str:
    """``sources.csv`` with a row for the submitted file (replacing one of the same name)."""
    header, rows, terminator = read_rows(path)
    rows = [r for r in rows if r["file"] != sub.file.name]
    rows.append(
        {
            "file": sub.file.name,
            "unit": sub.unit,
            "date": f"{today:%d/%m/%Y}",
            "title": f"{'Biểu nhập' if sub.layout == 'form' else 'Biểu'} kết quả thực hiện các chỉ tiêu "
            f"năm {sub.year} do {sub.name} gửi (SHA-256 {sub.sha256[:12]}…, tiếp nhận ngày {today:%d/%m/%Y})",
            "url": "",
        }
    )
    return render(header, rows, terminator)


def merge_submission(sub: Submission, data_dir: Path, today: dt.date) -> None:
    """Write an accepted submission into the curated data, after checking the result loads."""
    dataset = RECEIVED_INTO.get(sub.dataset, sub.dataset)
    target = paths.dataset_path(dataset, data_dir)
    sources = paths.dataset_path("sources", data_dir)
    text, sub.replaced = merged_text(target, sub, today)
    if dataset != sub.dataset:  # the figures the form supersedes, shipped or taken in before
        sub.replaced = _superseded(sub, data_dir)
    src_text = sources_text(sources, sub, today) if sources.is_file() else None
    with tempfile.TemporaryDirectory(prefix="intake-") as tmp:
        trial = Path(tmp) / "data"
        shutil.copytree(data_dir, trial, ignore=shutil.ignore_patterns("raw", "*.py", "__pycache__", ".*"))
        trial_target = paths.dataset_path(dataset, trial)
        trial_target.parent.mkdir(parents=True, exist_ok=True)
        trial_target.write_text(text, encoding="utf-8", newline="")
        if src_text is not None:
            paths.dataset_path("sources", trial).write_text(src_text, encoding="utf-8", newline="")
        try:
            load_curated(trial)
            if sub.dataset == "commune_observations":
                from analysis.analyses.communes import read_commune_data

                read_commune_data(trial)
        except AnalysisError as exc:
            sub.add_problem(
                "",
                "",
                "số liệu không nhập được vào cơ sở dữ liệu vì không khớp với số liệu đã có "
                "(cơ quan tiếp nhận sẽ kiểm tra và thông báo lại)",
            )
            sub.details.append(str(exc).replace(str(trial), str(data_dir)))
            return
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text)
    if src_text is not None:
        write_atomic(sources, src_text)
    sub.merged = True


def intake(
    folder: Path | str,
    year: int,
    *,
    data_dir: Path | str | None = None,
    report_dir: Path | str | None = None,
    today: dt.date | None = None,
    write_reports: Callable[[Submission, Path], list[Path]] | None = None,
    params_dir: Path | str | None = None,
    confirmed: Iterable[str] = (),
) -> list[Submission]:
    """Check every form of ``folder``, merge the accepted ones, write a report for each into
    ``report_dir`` (default ``FOLDER/bao-cao``). Two forms of the same unit: the second is refused.
    The checks' limits come from ``intake`` of ``params/defaults.yaml`` (:class:`IntakeRules`);
    ``confirmed`` lists the flagged jumps (``FILE!CELL``) the analyst confirmed with the unit."""
    from analysis.report.intake_report import write_report

    folder = Path(folder)
    ddir = Path(data_dir) if data_dir is not None else paths.DATA
    out = Path(report_dir) if report_dir is not None else folder / "bao-cao"
    today = today or dt.date.today()
    rules = IntakeRules.from_params(params_dir, confirmed)
    files = submission_files(folder)
    if not files:
        raise AnalysisError(f"{folder}: no .xlsx file to take in")
    done: list[Submission] = []
    seen: dict[str, str] = {}
    for path in files:
        curated = load_curated(ddir)  # again after each merge: the next form is checked against it
        sub = check_submission(path, year, curated, rules)
        if sub.unit and sub.unit in seen and sub.problems.empty:
            sub.add_problem("", "", f"đơn vị {sub.unit!r} đã có biểu {seen[sub.unit]!r} trong cùng thư mục")
        if sub.accepted:
            merge_submission(sub, ddir, today)
        if sub.unit:
            seen.setdefault(sub.unit, path.name)
        sub.reports = (write_reports or write_report)(sub, out)
        done.append(sub)
    return done
