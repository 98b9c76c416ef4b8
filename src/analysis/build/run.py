"""The year-end run: units × notebooks → packs (papermill → HTML → PDF) → index and manifest.

``python -m analysis build --year 2024`` calls :func:`build`, which:

1. plans every pack (unit, notebook) of ``params/<year>/units.yaml`` (or of ``--unit``): its
   parameters and its fingerprint (:mod:`analysis.build.fingerprint`). A pack whose fingerprint
   matches the previous manifest and whose outputs are intact is up to date, unless
   ``--force``;
2. builds the others on workers (:mod:`analysis.build.executors`: a local process pool, or Dask),
   each keeping a warm kernel (:mod:`analysis.build.engine`) and its renderers set up
   (:mod:`analysis.build.pack`), printing each pack as it ends;
3. writes the index and the manifest (:mod:`analysis.build.manifest`), unless nothing changed.

Every pack is built on its own: a failure is recorded (unit, notebook, cell, error), the
failed executed notebook is kept, and the run goes on. Outputs::

    reports/<year>/<unit>/<notebook>.ipynb|.html|.pdf
    reports/<year>/index.html       every pack with its headline
    reports/<year>/manifest.json    inputs (SHA-256), fingerprints, parameters, versions, timings

A notebook tells the build its headline (and title, unit name, sources, report date) with
:func:`record`; the build never computes them. This module is imported by every notebook (for
:func:`record`): it imports nothing heavy at load time.
"""

from __future__ import annotations

import datetime as dt
import shlex
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.build.pack import PackFailure, PackResult
from analysis.errors import AnalysisError
from analysis.files import write_atomic
from analysis.params import unknown_names_message
from analysis.report.summary import read_summary


@dataclass
class BuildSummary:
    """What a run did; ``exit_code`` is 1 when any pack failed."""

    year: int
    packs: list[PackResult]
    out_dir: Path
    index_path: Path
    manifest_path: Path
    seconds: float

    @property
    def built(self) -> list[PackResult]:
        return [p for p in self.packs if p.status == "built"]

    @property
    def skipped(self) -> list[PackResult]:
        return [p for p in self.packs if p.status == "up to date"]

    @property
    def failures(self) -> list[PackFailure]:
        return [p.failure for p in self.packs if p.failure is not None]

    @property
    def exit_code(self) -> int:
        return 1 if self.failures else 0

    def format(self) -> str:
        """The end-of-run summary, with a table of failures."""
        lines = [
            (
                f"Built {len(self.built)} packs, {len(self.skipped)} up to date, "
                f"failed {len(self.failures)} ({self.seconds:.1f} s) → {self.out_dir}"
            )
        ]
        if self.failures:
            rows = [("unit", "notebook", "cell", "error")] + [
                (f.unit, f.notebook, f.where, f"{f.error}: {_one_line(f.message, 400)}") for f in self.failures
            ]
            widths = [max(len(r[i]) for r in rows) for i in range(3)]
            for r in rows:
                lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[3])
        lines.append(f"Index: {self.index_path}   Manifest: {self.manifest_path}")
        return "\n".join(lines)


def build(
    year: int,
    *,
    units: Sequence[str] | None = None,
    force: bool = False,
    reports_dir: Path | str | None = None,
    params_dir: Path | str | None = None,
    data_dir: Path | str | None = None,
    notebooks_dir: Path | str | None = None,
    progress: bool = True,
    workers: int | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    engine: str = "warm",
    pdf: str | None = None,
) -> BuildSummary:
    """Build every pack of ``year`` (or of ``units`` only) and write index and manifest.

    A pack whose fingerprint (notebook, parameters, the data it uses, package source,
    versions) matches the previous manifest and whose outputs are intact is left as is
    unless ``force``. The others are built by ``workers`` processes (default: one per CPU)
    of ``executor`` (``local`` or ``dask``; ``scheduler`` is a Dask scheduler's address, else
    a local cluster is started), running notebooks with the papermill engine ``engine``.
    ``pdf`` (``typst`` or ``weasyprint``) overrides the units' build key ``pdf`` for this run.
    """
    from analysis.build.executors import default_workers, run_tasks
    from analysis.build.guard import guarded
    from analysis.build.manifest import MANIFEST, read_previous, write_manifest
    from analysis.build.param_checks import check_analysis_params
    from analysis.build.planner import plan_packs
    from analysis.build.stamp import keep_stamp, kept_stamp, unchanged
    from analysis.build.units import check_run_year

    check_run_year(year, params_dir)  # before the reports folder is made or locked
    started, t0 = dt.datetime.now(dt.UTC), time.perf_counter()
    workers = default_workers() if workers is None else workers
    out_dir = Path(reports_dir if reports_dir is not None else paths.REPORTS).absolute() / str(year)
    with guarded(out_dir):
        previous = read_previous(out_dir / MANIFEST)
        index_path, manifest_path = out_dir / "index.html", out_dir / MANIFEST
        stamp = _stamp(year, units, pdf, params_dir=params_dir, data_dir=data_dir, notebooks_dir=notebooks_dir)
        if not force and index_path.is_file() and unchanged(stamp, kept_stamp(out_dir, manifest_path), previous):
            # nothing changed since the last build: every pack is up to date (analysis.build.stamp)
            packs = [
                PackResult.from_dict(
                    {**previous.packs[k], "status": "up to date", "failure": None, "error": None, "timings": {}}
                )
                for k in previous.keys
            ]
            if progress:
                print(
                    f"build {year}: nothing changed since the last build, {len(packs)} pack(s) up to date",
                    file=sys.stderr,
                )
            return BuildSummary(int(year), packs, out_dir, index_path, manifest_path, time.perf_counter() - t0)
        plan = plan_packs(
            year,
            units=units,
            force=force,
            previous=previous,
            out_dir=out_dir,
            params_dir=params_dir,
            data_dir=data_dir,
            notebooks_dir=notebooks_dir,
            engine=engine,
            check_params=check_analysis_params,
            overrides={"pdf": pdf} if pdf is not None else None,
        )
        if plan.tasks:
            _check_engine(engine)
        slots: dict[tuple[str, str], PackResult] = dict(plan.done)
        report = _Progress(year, len(plan.tasks), progress)
        report.start(plan, min(workers, len(plan.tasks)), executor)
        results = run_tasks(plan.tasks, executor=executor, workers=workers, scheduler=scheduler)
        try:
            for result in results:
                pack = PackResult.from_dict(result)
                slots[(pack.unit, pack.notebook)] = pack
                report.done(pack)
        finally:  # closed at once when a pack stops the build (a full disk): its workers end with it
            getattr(results, "close", lambda: None)()
            report.close()
        packs = [slots[key] for key in plan.keys]
        earlier = [
            rec
            for key, rec in previous.packs.items()
            if key not in slots and paths.from_display(rec.get("outputs", {}).get("ipynb", "/nonexistent")).is_file()
        ]
        changed = (
            not previous.exists
            or not index_path.is_file()
            or plan.keys != previous.keys
            or any(p.status != "up to date" for p in packs)
        )
        seconds = time.perf_counter() - t0
        if changed:
            from analysis.build.render import index_to_html
            from analysis.build.units import year_codes

            known = _run_units(year, params_dir, plan.units, data_dir=data_dir)
            entries = index_entries(out_dir, packs, known, earlier)
            codes = year_codes(int(year), data_dir=data_dir)
            write_atomic(index_path, index_to_html(year, entries, units=known, codes=codes))
            seconds = time.perf_counter() - t0
            manifest = _manifest(
                year,
                packs,
                plan,
                started=started,
                seconds=seconds,
                earlier=earlier,
                workers={
                    "executor": executor,
                    "workers": workers,
                    "engine": engine,
                    **({"scheduler": scheduler} if scheduler else {}),
                },
                command=rerun_command(
                    year,
                    units=units,
                    force=force,
                    pdf=pdf,
                    reports_dir=reports_dir,
                    params_dir=params_dir,
                    data_dir=data_dir,
                    notebooks_dir=notebooks_dir,
                ),
            )
            write_manifest(manifest_path, manifest)
        if stamp != kept_stamp(out_dir, manifest_path) or changed:
            keep_stamp(out_dir, manifest_path, stamp)  # what this build's packs were made from
        return BuildSummary(int(year), packs, out_dir, index_path, manifest_path, seconds)


def _manifest(year: int, packs: list[PackResult], plan: Any, **kw: Any) -> dict[str, Any]:
    from analysis.build.manifest import build_manifest

    return build_manifest(
        year, packs, plan.units, inputs=plan.inputs(), context=plan.context, memo={"data": plan.data.memo_out}, **kw
    )


def index_entries(
    out_dir: Path,
    packs: Sequence[PackResult],
    plan: Sequence[Mapping[str, Any]],
    earlier: Sequence[Mapping[str, Any]] = (),
) -> list[dict[str, Any]]:
    """One entry per executed notebook under ``out_dir`` (this run's and earlier ones), sorted
    by unit and notebook, with links relative to the index and the unit's ``level`` (from
    ``plan``, the run's units; '' for a unit not there). The facts shown come from this
    run's results and the manifest's records; a notebook is read only when neither has them.
    """
    this_run = {(p.unit, p.notebook): p for p in packs}
    recorded = {(r["unit"], r["notebook"]): PackResult.from_dict(r) for r in earlier}
    names = {u["unit"]: u.get("name", u["unit"]) for u in plan}
    levels = {u["unit"]: str(u.get("level", "")) for u in plan}
    codes = {u["unit"]: str(u.get("code", "")) for u in plan}
    by_folder = {str(u.get("folder", u["unit"])): u["unit"] for u in plan}
    entries = []
    for nb_file in sorted(out_dir.glob("*/*.ipynb")):
        if nb_file.name.startswith("."):
            continue
        folder, stem = nb_file.parent.name, nb_file.stem
        unit = by_folder.get(folder, folder)
        pack = this_run.get((unit, stem))
        known = pack or recorded.get((unit, stem))
        html, pdf, docx = nb_file.with_suffix(".html"), nb_file.with_suffix(".pdf"), nb_file.with_suffix(".docx")
        failed = not html.is_file() or (pack is not None and pack.failure is not None)
        if known is not None and known.failure is None and not failed and known.facts.get("title"):
            facts, nb = known.facts, None
        else:
            import nbformat

            try:
                nb = nbformat.read(nb_file, as_version=4)
            except Exception as exc:  # a notebook left broken (an earlier version, a full disk): shown failed
                entries.append({**_unreadable_entry(unit, nb_file, names, levels, exc), "code": codes.get(unit, "")})
                continue
            facts = {
                **read_summary(nb),
                **(
                    {"title": nb.metadata["title"]}
                    if nb.metadata.get("title") and not read_summary(nb).get("title")
                    else {}
                ),
            }
        error = (
            f"{pack.failure.error}: {_one_line(pack.failure.message)}"
            if pack is not None and pack.failure
            else _first_error(nb)
            if failed and nb is not None
            else ""
        )
        entries.append(
            {
                "unit": unit,
                "unit_name": facts.get("unit_name") or names.get(unit, unit),
                "code": codes.get(unit, ""),
                "level": levels.get(unit, ""),
                "illustrative": bool(facts.get("illustrative")),
                "title": facts.get("title") or stem,
                "headline": facts.get("headline") or "",
                "counts": facts.get("counts"),
                "members": facts.get("members") or [],
                "failed": failed,
                "error": error,
                "ipynb": f"{folder}/{nb_file.name}",
                "html": f"{folder}/{html.name}" if html.is_file() and not failed else "",
                "pdf": f"{folder}/{pdf.name}" if pdf.is_file() and not failed else "",
                "docx": f"{folder}/{docx.name}" if docx.is_file() and not failed else "",
            }
        )
    return entries


def _unreadable_entry(
    unit: str, nb_file: Path, names: Mapping[str, str], levels: Mapping[str, str], exc: Exception
) -> dict[str, Any]:
    """The index's entry of an executed notebook that cannot be read: failed, with the reason."""
    return {
        "unit": unit,
        "unit_name": names.get(unit, unit),
        "level": levels.get(unit, ""),
        "illustrative": False,
        "title": nb_file.stem,
        "headline": "",
        "failed": True,
        "error": f"the notebook cannot be read ({type(exc).__name__}): build the pack again",
        "ipynb": f"{nb_file.parent.name}/{nb_file.name}",
        "html": "",
        "pdf": "",
        "docx": "",
    }


def rerun_command(
    year: int,
    *,
    units: Sequence[str] | None = None,
    force: bool = False,
    pdf: str | None = None,
    **dirs: Path | str | None,
) -> str:
    """The command line that runs the same build.

    >>> rerun_command(2024, units=["trang-dinh"])
    'python -m analysis build --year 2024 --unit trang-dinh'
    """
    args = ["python", "-m", "analysis", "build", "--year", str(year)]
    for unit in units or ():
        args += ["--unit", unit]
    if force:
        args.append("--force")
    if pdf is not None:
        args += ["--pdf", pdf]
    for name, value in dirs.items():
        if value is not None:
            args += [f"--{name.replace('_', '-')}", paths.display_path(Path(value))]
    return shlex.join(args)


# -- helpers ---------------------------------------------------------------------------


def _run_units(
    year: int,
    params_dir: Path | str | None,
    selected: Sequence[Mapping[str, Any]],
    *,
    data_dir: Path | str | None = None,
) -> list[dict[str, Any]]:
    """The units of the year's whole run (for the index's levels and names: a build of some
    units shows the earlier packs of the others too), the selected ones first."""
    from analysis.build.units import run_units

    chosen = {str(u["unit"]) for u in selected}
    try:
        others = [u for u in run_units(year, params_dir=params_dir, data_dir=data_dir) if u["unit"] not in chosen]
    except AnalysisError:  # the run's file was read when planning; never fail the index on it
        others = []
    return [*(dict(u) for u in selected), *others]


def _stamp(
    year: int,
    units: Sequence[str] | None,
    pdf: str | None,
    *,
    params_dir: Path | str | None,
    data_dir: Path | str | None,
    notebooks_dir: Path | str | None,
) -> str | None:
    """The stamp of this run's inputs and options (:mod:`analysis.build.stamp`)."""
    from analysis.build.stamp import input_files, run_stamp
    from analysis.params import params_root

    pdir = params_root(params_dir)
    ddir = Path(data_dir) if data_dir is not None else paths.DATA
    nbdir = Path(notebooks_dir) if notebooks_dir is not None else paths.NOTEBOOKS
    options = {
        "year": int(year),
        "units": list(units) if units else None,
        "pdf": pdf,
        "dirs": [str(d.absolute()) for d in (pdir, ddir, nbdir)],
    }
    return run_stamp(input_files(int(year), data_dir=ddir, params_dir=pdir, notebooks_dir=nbdir), options)


def _check_engine(name: str) -> None:
    """Raise :class:`AnalysisError` unless papermill has an engine ``name`` (its own
    ``nbclient``, ours ``warm``, or one registered by an entry point); papermill itself is
    not imported here (the workers do)."""
    from importlib.metadata import entry_points

    known = {"nbclient", "warm"} | {ep.name for ep in entry_points(group="papermill.engine")}
    if name not in known:
        raise AnalysisError(unknown_names_message([name], known, where="--engine", noun="papermill engine"))


def _first_error(nb: Any) -> str:
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") == "error":
                return f"{out.get('ename')}: {_one_line(out.get('evalue', ''))}"
    return ""


def _one_line(text: str, width: int = 120) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


class _Progress:
    """One line per finished pack (``[k/n]``), through a tqdm bar when stderr is a terminal."""

    def __init__(self, year: int, total: int, enabled: bool) -> None:
        self.year, self.total, self.enabled, self.count = year, total, enabled, 0
        self.bar: Any = None  # a tqdm bar while one is shown

    def start(self, plan: Any, workers: int, executor: str) -> None:
        if not self.enabled:
            return
        up = sum(p.status == "up to date" for p in plan.done.values())
        print(
            f"build {self.year}: {len(plan.tasks)} pack(s) to build, {up} up to date"
            + (f", on {workers} {executor} worker(s)" if plan.tasks else ""),
            file=sys.stderr,
            flush=True,
        )
        for pack in plan.done.values():
            if pack.failure is not None:
                self.line(pack)
        if plan.tasks and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=len(plan.tasks), desc=f"build {self.year}", unit="pack", file=sys.stderr)

    def line(self, pack: PackResult, counter: str = "") -> None:
        if not self.enabled:
            return
        secs = sum(pack.timings.values())
        line = f"{counter}{pack.status:>10}  {pack.unit}/{pack.notebook}" + (f"  {secs:.1f} s" if secs else "")
        if pack.failure:
            line += f"  {pack.failure.where} {pack.failure.error}: {_one_line(pack.failure.message, 80)}"
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr, flush=True)

    def done(self, pack: PackResult) -> None:
        self.count += 1
        width = len(str(self.total))
        self.line(pack, f"[{self.count:>{width}}/{self.total}] ")
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
