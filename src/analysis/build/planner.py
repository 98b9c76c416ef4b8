"""The plan of a run: every pack of the year's units with its parameters and fingerprint,
split into those to build (worker tasks) and those already done.

A pack is done before any worker starts when it is up to date (same fingerprint as in the
previous manifest, outputs intact, no ``--force``) or when its parameters or its notebook's
declaration of inputs are wrong (it fails by name). Planning reads each parameter file,
notebook (:func:`analysis.build.notebook.read_notebook`) and CSV once, computes nothing from
the data and starts no kernel: a run with nothing to build takes well under a second or two.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.build.fingerprint import DataInputs, digest, fingerprint
from analysis.build.manifest import Previous, font_files, package_digest, package_versions
from analysis.build.notebook import Notebook, read_notebook
from analysis.build.pack import PackFailure, PackResult, PackTask, remove_outputs
from analysis.build.units import run_units, select_units, unit_folder, unit_ids
from analysis.errors import AnalysisError
from analysis.files import MISSING, files_under, sha256_file
from analysis.params import (
    DEFAULTS_FILE,
    check_notebook_parameters,
    load_defaults,
    load_params,
    notebook_parameters,
    params_root,
)


@dataclass
class Plan:
    """What a run will do. ``keys`` lists every pack (unit, notebook stem) in plan order."""

    units: list[dict[str, Any]]
    keys: list[tuple[str, str]] = field(default_factory=list)
    tasks: list[PackTask] = field(default_factory=list)
    done: dict[tuple[str, str], PackResult] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)
    data: DataInputs | None = None
    files: list[Path] = field(default_factory=list)
    file_hashes: dict[str, str] = field(default_factory=dict)

    def inputs(self) -> dict[str, str]:
        """SHA-256 of every input file of the run (data, parameter files, notebooks), by the
        path shown in the manifest."""
        out = {paths.display_path(p): self.file_hashes.get(str(p)) or sha256_file(p) for p in self.files}
        return dict(sorted(out.items()))


def plan_packs(
    year: int,
    *,
    units: Sequence[str] | None = None,
    force: bool = False,
    previous: Previous | None = None,
    out_dir: Path,
    params_dir: Path | str | None = None,
    data_dir: Path | str | None = None,
    notebooks_dir: Path | str | None = None,
    engine: str = "warm",
    check_params: Callable[[Mapping[str, Any], Mapping[str, Any], Path, Path], None] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Plan:
    """The :class:`Plan` of ``year`` (of ``units`` only when given); ``overrides`` replace build
    keys of every unit's parameters (``--pdf``)."""

    previous = previous or Previous()
    pdir = params_root(params_dir)
    ddir = Path(data_dir) if data_dir is not None else paths.DATA
    nbdir = Path(notebooks_dir) if notebooks_dir is not None else paths.NOTEBOOKS
    known = unit_ids(ddir)
    units_file = paths.display_path(ddir / "units.csv")
    items = select_units(
        run_units(year, params_dir=pdir, known_units=known, units_file=units_file, data_dir=ddir), units
    )
    versions, fonts = package_versions(), font_files()
    package = package_digest()
    context = {"package": package, "versions": versions, "fonts": fonts}
    environment = digest({"versions": versions, "fonts": fonts})
    data = DataInputs(ddir, package=package, memo=previous.memo.get("data"))
    plan = Plan(units=items, context=context, data=data)
    plan.files = [*files_under(ddir), pdir / "defaults.yaml", pdir / str(year) / "units.yaml"]
    defaults = load_defaults(params_dir=pdir)  # wrong here is wrong for every unit: the run stops
    defaults_file = pdir / DEFAULTS_FILE
    if check_params is not None:
        check_params(defaults, defaults, defaults_file, defaults_file)
    notebooks: dict[Path, Notebook] = {}
    data_text = paths.display_path(ddir)

    for item in items:
        unit = item["unit"]
        unit_dir = unit_folder(out_dir, item.get("folder", unit))
        nb_paths = [nbdir / name for name in item["notebooks"]]
        for nb_path in nb_paths:
            if nb_path not in notebooks:
                notebooks[nb_path] = read_notebook(nb_path)
                if notebooks[nb_path].sha256 != MISSING:
                    plan.files.append(nb_path)
                    plan.file_hashes[str(nb_path)] = notebooks[nb_path].sha256
        unit_file = pdir / str(year) / f"{unit}.yaml"
        if unit_file.is_file():
            plan.files.append(unit_file)
        plan.keys += [(unit, p.stem) for p in nb_paths]
        try:
            declared = {}
            for p in nb_paths:
                got = notebooks[p].parameters
                if isinstance(got, AnalysisError):
                    raise got
                declared[p] = got
            params = load_params(
                year,
                unit,
                params_dir=pdir,
                defaults=defaults,
                known={k for d in declared.values() for k in d},
                required=not item.get("registry"),
            )
            if check_params is not None:
                check_params(params, defaults, unit_file, defaults_file)
            params = {**params, **(overrides or {})}
        except AnalysisError as exc:
            for p in nb_paths:
                remove_outputs(unit_dir, p.stem, keep_ipynb=True)
                plan.done[(unit, p.stem)] = _failed(unit, p.stem, exc)
            continue
        for nb_path in nb_paths:
            _plan_pack(
                plan,
                notebooks[nb_path],
                params,
                declared[nb_path],
                unit_dir,
                year=year,
                data_text=data_text,
                environment=environment,
                engine=engine,
                force=force,
                previous=previous,
            )
    plan.files = list(dict.fromkeys(plan.files))
    return plan


def _plan_pack(
    plan: Plan,
    nb: Notebook,
    params: Mapping[str, Any],
    declared: Mapping[str, str],
    unit_dir: Path,
    *,
    year: int,
    data_text: str,
    environment: str,
    engine: str,
    force: bool,
    previous: Previous,
) -> None:
    from analysis.build.render import source_date_epoch

    unit, stem = params["unit"], nb.path.stem
    nb_params = notebook_parameters(params, declared)
    # an absolute data folder: the executed notebook runs again where it sits (reports/<year>/<unit>/)
    data_dir = str(Path(paths.from_display(data_text)).absolute())
    nb_params.update(year=int(params["year"]), unit=unit, data_dir=data_dir, report_date=params.get("report_date"))
    try:
        check_notebook_parameters(nb.path, nb_params, declared=declared)
        if isinstance(nb.inputs, AnalysisError):
            raise nb.inputs
    except AnalysisError as exc:
        remove_outputs(unit_dir, stem, keep_ipynb=True)
        step = "inputs" if exc is nb.inputs else "parameters"
        plan.done[(unit, stem)] = _failed(unit, stem, exc, step=step, parameters=nb_params)
        return
    assert plan.data is not None
    components = {
        "notebook": nb.sha256,
        "parameters": digest({"params": dict(params), "notebook": nb_params}),
        "package": plan.context["package"],
        "environment": environment,
        "data": plan.data.components(nb.inputs, unit),
    }
    fp = fingerprint(components)
    old = None if force else previous.reusable(unit, stem, fp)
    if old is not None:
        done = PackResult.from_dict({**old, "status": "up to date", "failure": None, "error": None, "timings": {}})
        done.parameters, done.fingerprint, done.components = nb_params, fp, components
        plan.done[(unit, stem)] = done
        return
    plan.tasks.append(
        PackTask(
            unit=unit,
            notebook=stem,
            nb_path=str(nb.path.absolute()),
            unit_dir=str(unit_dir.absolute()),
            cwd=str(paths.ROOT),
            year=int(year),
            params=dict(params),
            nb_params=nb_params,
            data_dir_text=data_text,
            epoch=source_date_epoch(params.get("report_date")),
            engine=engine,
            fingerprint=fp,
            components=components,
        )
    )


def _failed(unit: str, stem: str, exc: BaseException, *, step: str = "parameters", **kw: Any) -> PackResult:
    return PackResult(unit, stem, "failed", failure=PackFailure(unit, stem, step, type(exc).__name__, str(exc)), **kw)
