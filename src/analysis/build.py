"""The year-end run: units × notebooks → papermill → HTML/PDF → index and manifest.

``python -m analysis build --year 2024`` calls :func:`run_build_command`. Every pack
(one unit, one notebook) is built on its own: a failure is recorded (unit, notebook,
cell, error), the failed executed notebook is kept, and the run goes on. Outputs::

    reports/<year>/<unit>/<notebook>.ipynb|.html|.pdf
    reports/<year>/index.html       every pack with its headline
    reports/<year>/manifest.json    inputs (SHA-256), parameters, versions, commit, timings

Only the manifest holds run times. A notebook tells the build its headline (and title,
unit name, sources, report date) with :func:`record`; the build never computes them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import shlex
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from . import paths
from .errors import AnalysisError, UnknownUnitError
from .params import (RUN_KEYS, check_notebook_parameters, declared_parameters, load_params,
                     notebook_parameters, params_root, run_units, unknown_names_message)

#: MIME type of the facts a notebook records for the build (not shown in briefings).
SUMMARY_MIME = "application/vnd.analysis.summary+json"
SUMMARY_FIELDS = ("headline", "title", "unit_name", "sources", "report_date", "illustrative")
VERSIONED = ("analysis", "pandas", "matplotlib", "papermill", "nbconvert", "nbformat",
             "ipykernel", "jinja2", "weasyprint", "pydyf", "fonttools", "tqdm", "pyyaml")
OUTPUT_KINDS = ("ipynb", "html", "pdf")


def record(**fields: Any) -> None:
    """In a notebook: hand facts to the build (``headline``, ``title``, ``unit_name``,
    ``sources``, ``report_date``, ``illustrative`` — True marks every page of the pack as
    showing illustrative figures). Shown as a one-line note in JupyterLab, never in
    the briefing. Later calls update earlier ones.
    """
    unknown = [k for k in fields if k not in SUMMARY_FIELDS]
    if unknown:
        raise AnalysisError(unknown_names_message(unknown, SUMMARY_FIELDS, where="record()",
                                                  noun="field"))
    fields = {k: v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v
              for k, v in fields.items()}
    json.dumps(fields)  # the values must travel as JSON
    from IPython.display import display

    display({SUMMARY_MIME: fields, "text/plain": f"[recorded for the build: {', '.join(fields)}]"},
            raw=True)


def read_summary(nb: Any) -> dict[str, Any]:
    """The facts recorded with :func:`record` in an executed notebook (later ones win)."""
    summary: dict[str, Any] = {}
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = out.get("data", {})
            if SUMMARY_MIME in data:
                value = data[SUMMARY_MIME]
                summary.update(json.loads(value) if isinstance(value, str) else dict(value))
    return summary


@dataclass
class PackFailure:
    """Where and how a pack failed: ``cell`` is the 0-based index in the executed notebook
    (papermill's), ``exec_count`` the ``In [n]`` an analyst sees; ``step`` is
    parameters, execute, html or pdf."""

    unit: str
    notebook: str
    step: str
    error: str
    message: str
    cell: int | None = None
    exec_count: int | None = None

    @property
    def where(self) -> str:
        if self.exec_count is not None:
            return f"In [{self.exec_count}]"
        return f"cell {self.cell}" if self.cell is not None else f"({self.step})"


@dataclass
class PackResult:
    """One (unit, notebook) of a run: ``status`` is built, failed or up to date."""

    unit: str
    notebook: str
    status: str
    outputs: dict[str, str] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    headline: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    digest: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    failure: PackFailure | None = None


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
        lines = [f"Built {len(self.built)} packs, {len(self.skipped)} up to date, "
                 f"failed {len(self.failures)} ({self.seconds:.1f} s) → {self.out_dir}"]
        if self.failures:
            rows = [("unit", "notebook", "cell", "error")] + [
                (f.unit, f.notebook, f.where, f"{f.error}: {_one_line(f.message)}")
                for f in self.failures]
            widths = [max(len(r[i]) for r in rows) for i in range(3)]
            for r in rows:
                lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[3])
        lines.append(f"Index: {self.index_path}   Manifest: {self.manifest_path}")
        return "\n".join(lines)


def build(year: int, *, units: Sequence[str] | None = None, force: bool = False,
          reports_dir: Path | str | None = None, params_dir: Path | str | None = None,
          data_dir: Path | str | None = None, notebooks_dir: Path | str | None = None,
          progress: bool = True) -> BuildSummary:
    """Build every pack of ``year`` (or of ``units`` only) and write index and manifest.

    A pack whose inputs (notebook, parameters, data, package source, versions) match the
    previous manifest and whose outputs are intact is left as is unless ``force``.
    """
    started, t0 = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    pdir = params_root(params_dir)
    ddir = Path(data_dir) if data_dir is not None else paths.DATA
    nbdir = Path(notebooks_dir) if notebooks_dir is not None else paths.NOTEBOOKS
    out_dir = Path(reports_dir if reports_dir is not None else paths.REPORTS) / str(year)
    plan = select_units(run_units(year, params_dir=pdir), units)
    inputs = {_display_path(p): sha256_file(p) for p in _files_under(ddir)}
    inputs[_display_path(pdir / "defaults.yaml")] = sha256_file(pdir / "defaults.yaml")
    inputs[_display_path(pdir / str(year) / "units.yaml")] = sha256_file(pdir / str(year) / "units.yaml")
    context = {"data": inputs.copy(), "package": package_digest(), "versions": package_versions()}
    previous = {} if force else _previous_packs(out_dir / "manifest.json")
    tasks = sum(len(u["notebooks"]) for u in plan)
    bar = _progress_bar(tasks, year, progress)
    packs: list[PackResult] = []
    for item in plan:
        unit = item["unit"]
        nb_paths = [nbdir / name for name in item["notebooks"]]
        for nb_path in nb_paths:
            if nb_path.is_file():
                inputs[_display_path(nb_path)] = sha256_file(nb_path)
        unit_file = pdir / str(year) / f"{unit}.yaml"
        if unit_file.is_file():
            inputs[_display_path(unit_file)] = sha256_file(unit_file)
        try:
            declared = {p: declared_parameters(p) for p in nb_paths}
            params = load_params(year, unit, params_dir=pdir,
                                 known={k for d in declared.values() for k in d})
        except AnalysisError as exc:
            for nb_path in nb_paths:
                _remove_outputs(out_dir / unit, nb_path.stem, keep_ipynb=True)
                packs.append(_failed(unit, nb_path.stem, "parameters", exc))
                _report(bar, packs[-1], progress)
            continue
        for nb_path in nb_paths:
            pack = build_pack(nb_path, params, declared[nb_path], out_dir / unit,
                              data_dir=ddir, context=context, previous=previous)
            packs.append(pack)
            _report(bar, pack, progress)
    if bar is not None:
        bar.close()
    index_path = out_dir / "index.html"
    from .render import index_to_html, write_atomic

    write_atomic(index_path, index_to_html(year, index_entries(out_dir, packs, plan)))
    seconds = time.perf_counter() - t0
    manifest_path = out_dir / "manifest.json"
    manifest = build_manifest(year, packs, plan, inputs=inputs, context=context,
                              command=rerun_command(year, units=units, force=force,
                                                    reports_dir=reports_dir, params_dir=params_dir,
                                                    data_dir=data_dir, notebooks_dir=notebooks_dir),
                              started=started, seconds=seconds)
    write_atomic(manifest_path, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return BuildSummary(int(year), packs, out_dir, index_path, manifest_path, seconds)


def build_pack(nb_path: Path, params: Mapping[str, Any], declared: Iterable[str], unit_dir: Path,
               *, data_dir: Path, context: Mapping[str, Any],
               previous: Mapping[tuple[str, str], dict] | None = None) -> PackResult:
    """Execute one notebook for one unit, then render its HTML and PDF into ``unit_dir``."""
    unit, stem = params["unit"], nb_path.stem
    nb_params = notebook_parameters(params, declared)
    nb_params.update(year=int(params["year"]), unit=unit, data_dir=_display_path(data_dir),
                     report_date=params.get("report_date"))
    try:
        check_notebook_parameters(nb_path, nb_params)
    except AnalysisError as exc:
        _remove_outputs(unit_dir, stem, keep_ipynb=True)
        return _failed(unit, stem, "parameters", exc, parameters=nb_params)
    digest = _sha256_json({"notebook": sha256_file(nb_path), "parameters": nb_params,
                           "params": dict(params), **context})
    old = (previous or {}).get((unit, stem))
    if old and old.get("digest") == digest and _outputs_intact(old):
        return PackResult(unit, stem, "up to date", outputs=old["outputs"], hashes=old["hashes"],
                          headline=old.get("headline"), parameters=nb_params, digest=digest)
    from .render import reproducible_env, source_date_epoch

    with reproducible_env(source_date_epoch(params.get("report_date"))):
        return _execute_and_render(nb_path, params, nb_params, unit_dir, digest, data_dir)


def _execute_and_render(nb_path: Path, params: Mapping[str, Any], nb_params: dict[str, Any],
                        unit_dir: Path, digest: str, data_dir: Path) -> PackResult:
    unit, stem = params["unit"], nb_path.stem
    result = PackResult(unit, stem, "built", parameters=nb_params, digest=digest)
    out = {kind: unit_dir / f"{stem}.{kind}" for kind in OUTPUT_KINDS}
    t = time.perf_counter()
    failure = execute_notebook(nb_path, out["ipynb"], nb_params,
                               kernel_name=params.get("kernel_name") or "analysis",
                               timeout=params.get("execution_timeout"))
    result.timings["execute"] = round(time.perf_counter() - t, 3)
    if failure is not None:
        _remove_outputs(unit_dir, stem, keep_ipynb=True)
        result.status, result.failure = "failed", failure
        _fill_outputs(result, out)
        return result
    step = "html"
    try:
        import nbformat

        from .render import html_to_pdf, notebook_to_html, write_atomic

        t = time.perf_counter()
        nb = nbformat.read(out["ipynb"], as_version=4)
        facts = read_summary(nb)
        result.headline = facts.get("headline")
        sources = facts.get("sources") or params.get("sources") or [
            f"Dữ liệu chuẩn hóa trong {_display_path(data_dir)}/ (mã SHA-256 trong manifest.json)"]
        html = notebook_to_html(
            nb, title=facts.get("title") or params.get("title") or nb.metadata.get("title") or stem,
            unit=unit, year=int(params["year"]), unit_name=facts.get("unit_name"),
            report_date=facts.get("report_date") or params.get("report_date"),
            sources=[sources] if isinstance(sources, str) else list(sources),
            headline=result.headline, illustrative=bool(facts.get("illustrative")))
        write_atomic(out["html"], html)
        result.timings["html"] = round(time.perf_counter() - t, 3)
        step, t = "pdf", time.perf_counter()
        html_to_pdf(html, out["pdf"])
        result.timings["pdf"] = round(time.perf_counter() - t, 3)
    except Exception as exc:  # one pack's failure must not stop the run
        _remove_outputs(unit_dir, stem, keep_ipynb=True)
        result.status = "failed"
        result.failure = PackFailure(unit, stem, step, type(exc).__name__, str(exc))
    _fill_outputs(result, out)
    return result


def execute_notebook(nb_path: Path, out_path: Path, parameters: Mapping[str, Any], *,
                     kernel_name: str, timeout: float | None = None) -> PackFailure | None:
    """Run ``nb_path`` through papermill into ``out_path`` (through a temporary name).

    Returns ``None`` on success, else the failure; the executed notebook is kept either way
    (papermill marks the failing cell).
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(f".{out_path.stem}.{os.getpid()}.partial.ipynb")
    unit, stem = parameters["unit"], nb_path.stem
    failure = None
    try:
        pm.execute_notebook(str(nb_path), str(tmp), parameters=dict(parameters),
                            kernel_name=kernel_name, cwd=str(paths.ROOT), log_output=False,
                            progress_bar=False, execution_timeout=timeout,
                            # the kernel's own start-up warnings (not the notebook's output)
                            extra_arguments=["--log-level=CRITICAL"])
    except PapermillExecutionError as exc:
        failure = PackFailure(unit, stem, "execute", exc.ename, exc.evalue,
                              cell=exc.cell_index, exec_count=exc.exec_count)
    except Exception as exc:  # kernel died, timeout, unreadable notebook...
        failure = PackFailure(unit, stem, "execute", type(exc).__name__, str(exc))
    finally:
        if tmp.exists():
            os.replace(tmp, out_path)
    return failure


def select_units(plan: list[dict[str, Any]], units: Sequence[str] | None) -> list[dict[str, Any]]:
    """The items of ``plan`` named in ``units`` (all when ``None``), in plan order."""
    if not units:
        return plan
    known = [u["unit"] for u in plan]
    unknown = [u for u in units if u not in known]
    if unknown:
        raise UnknownUnitError(unknown_names_message(unknown, known, where="--unit", noun="unit")
                               + f"; the run of this year has: {', '.join(known)}")
    return [u for u in plan if u["unit"] in set(units)]


def index_entries(out_dir: Path, packs: Sequence[PackResult],
                  plan: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One entry per executed notebook under ``out_dir`` (this run's and earlier ones),
    sorted by unit and notebook, with links relative to the index."""
    import nbformat

    this_run = {(p.unit, p.notebook): p for p in packs}
    names = {u["unit"]: u.get("name", u["unit"]) for u in plan}
    entries = []
    for nb_file in sorted(out_dir.glob("*/*.ipynb")):
        if nb_file.name.startswith("."):
            continue
        unit, stem = nb_file.parent.name, nb_file.stem
        nb = nbformat.read(nb_file, as_version=4)
        facts, pack = read_summary(nb), this_run.get((unit, stem))
        html, pdf = nb_file.with_suffix(".html"), nb_file.with_suffix(".pdf")
        failed = not html.is_file() or (pack is not None and pack.failure is not None)
        error = (f"{pack.failure.error}: {_one_line(pack.failure.message)}"
                 if pack is not None and pack.failure else _first_error(nb) if failed else "")
        entries.append({
            "unit": unit, "unit_name": facts.get("unit_name") or names.get(unit, unit),
            "title": facts.get("title") or nb.metadata.get("title") or stem,
            "headline": facts.get("headline") or "", "failed": failed, "error": error,
            "ipynb": f"{unit}/{nb_file.name}",
            "html": f"{unit}/{html.name}" if html.is_file() and not failed else "",
            "pdf": f"{unit}/{pdf.name}" if pdf.is_file() and not failed else "",
        })
    return entries


def build_manifest(year: int, packs: Sequence[PackResult], plan: Sequence[Mapping[str, Any]], *,
                   inputs: Mapping[str, str], context: Mapping[str, Any], command: str,
                   started: dt.datetime, seconds: float) -> dict[str, Any]:
    """The run's record: enough to check the outputs and to run it again."""
    commit, dirty = git_state()
    return {
        "year": int(year),
        "rerun": {
            "command": command,
            "git_commit": commit,
            "git_dirty": dirty,
            "steps": [f"git checkout {commit or '<commit>'}", "make setup",
                      "python -m pip install " + " ".join(
                          f"{n}=={v}" for n, v in context["versions"].items()
                          if n not in ("python", "analysis") and v != "not installed"),
                      command],
            "note": "Same inputs (sha256 below), same versions → byte-identical HTML and PDF.",
        },
        "started_at": started.isoformat(timespec="seconds"),
        "seconds": round(seconds, 3),
        "summary": {"built": sum(p.status == "built" for p in packs),
                    "up_to_date": sum(p.status == "up to date" for p in packs),
                    "failed": sum(p.failure is not None for p in packs)},
        "project": {"root": str(paths.ROOT), "git_commit": commit, "git_dirty": dirty,
                    "package_sha256": context["package"]},
        "versions": context["versions"],
        "fonts": font_files(),
        "inputs": dict(sorted(inputs.items())),
        "units": [dict(u) for u in plan],
        "packs": [_pack_record(p) for p in packs],
    }


def git_state() -> tuple[str | None, bool | None]:
    """The project's ``HEAD`` commit (None before the first) and whether the tree is dirty."""
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(paths.ROOT), *args], capture_output=True,
                                  text=True, timeout=20, check=True)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip()

    status = git("status", "--porcelain")
    return git("rev-parse", "--verify", "--quiet", "HEAD") or None, (bool(status) if status is not None else None)


def font_files(families: Sequence[str] = ("DejaVu Serif", "DejaVu Sans", "DejaVu Sans:bold",
                                           "DejaVu Sans Condensed")) -> dict[str, dict[str, str]]:
    """The font files the stylesheet's families resolve to (fontconfig), with their SHA-256:
    the PDF's bytes depend on them."""
    found = {}
    for family in families:
        try:
            done = subprocess.run(["fc-match", "--format=%{file}", family], capture_output=True,
                                  text=True, timeout=20, check=True)
        except (OSError, subprocess.SubprocessError):
            continue
        if done.stdout:
            found[family] = {"file": done.stdout, "sha256": sha256_file(done.stdout)}
    return found


def package_versions() -> dict[str, str]:
    """Versions of Python and of the packages that shape the outputs."""
    versions = {"python": sys.version.split()[0]}
    for name in VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def package_digest() -> str:
    """SHA-256 over the package's source and templates (catches an uncommitted change)."""
    root = Path(__file__).parent
    h = hashlib.sha256()
    for p in sorted(_files_under(root)):
        if p.suffix in (".py", ".j2", ".css", ".json", ".yaml"):
            h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def sha256_file(path: Path | str) -> str:
    """SHA-256 of a file's bytes (``"missing"`` when it does not exist)."""
    path = Path(path)
    if not path.is_file():
        return "missing"
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def rerun_command(year: int, *, units: Sequence[str] | None = None, force: bool = False,
                  **dirs: Path | str | None) -> str:
    """The command line that runs the same build.

    >>> rerun_command(2024, units=["trang-dinh"])
    'python -m analysis build --year 2024 --unit trang-dinh'
    """
    args = ["python", "-m", "analysis", "build", "--year", str(year)]
    for unit in units or ():
        args += ["--unit", unit]
    if force:
        args.append("--force")
    for name, value in dirs.items():
        if value is not None:
            args += [f"--{name.replace('_', '-')}", _display_path(Path(value))]
    return shlex.join(args)


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``python -m analysis build``."""
    parser.add_argument("--year", type=int, required=True, help="year of the run (params/<year>/)")
    parser.add_argument("--unit", action="append", dest="units", metavar="UNIT",
                        help="build only this unit (repeatable)")
    parser.add_argument("--force", action="store_true",
                        help="rebuild packs whose inputs have not changed")
    parser.add_argument("--reports-dir", type=Path, help="default: reports/")
    parser.add_argument("--params-dir", type=Path, help="default: params/")
    parser.add_argument("--data-dir", type=Path, help="default: data/")
    parser.add_argument("--notebooks-dir", type=Path, help="default: notebooks/")
    parser.add_argument("--no-progress", dest="progress", action="store_false",
                        help="no progress bar nor per-pack lines")


def run_build_command(args: argparse.Namespace) -> int:
    """Run :func:`build` from parsed arguments, print the summary, return the exit code."""
    try:
        summary = build(args.year, units=args.units, force=args.force,
                        reports_dir=args.reports_dir, params_dir=args.params_dir,
                        data_dir=args.data_dir, notebooks_dir=args.notebooks_dir,
                        progress=args.progress)
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(summary.format())
    return summary.exit_code


# -- helpers ---------------------------------------------------------------------------

def _failed(unit: str, stem: str, step: str, exc: BaseException, **kw: Any) -> PackResult:
    return PackResult(unit, stem, "failed", failure=PackFailure(unit, stem, step,
                                                                type(exc).__name__, str(exc)), **kw)


def _fill_outputs(result: PackResult, out: Mapping[str, Path]) -> None:
    for kind, path in out.items():
        if path.is_file():
            result.outputs[kind] = _display_path(path)
            result.hashes[kind] = sha256_file(path)


def _remove_outputs(unit_dir: Path, stem: str, *, keep_ipynb: bool) -> None:
    """Delete a pack's HTML and PDF so a stale report never sits next to a failed run."""
    for kind in OUTPUT_KINDS:
        if kind != "ipynb" or not keep_ipynb:
            (unit_dir / f"{stem}.{kind}").unlink(missing_ok=True)


def _outputs_intact(old: Mapping[str, Any]) -> bool:
    hashes = old.get("hashes") or {}
    return set(hashes) == set(OUTPUT_KINDS) and all(
        sha256_file(_from_display(old["outputs"][k])) == h for k, h in hashes.items())


def _previous_packs(manifest_path: Path) -> dict[tuple[str, str], dict]:
    try:
        data = json.loads(manifest_path.read_text(encoding="utf-8"))
        return {(p["unit"], p["notebook"]): p for p in data.get("packs", [])
                if p.get("status") in ("built", "up to date")}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _pack_record(p: PackResult) -> dict[str, Any]:
    rec = asdict(p)
    rec["error"] = rec.pop("failure")
    return rec


def _first_error(nb: Any) -> str:
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") == "error":
                return f"{out.get('ename')}: {_one_line(out.get('evalue', ''))}"
    return ""


def _files_under(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file()
                  and not any(part.startswith(".") or part == "__pycache__"
                              for part in p.relative_to(folder).parts))


def _display_path(path: Path) -> str:
    """``path`` relative to the project root when inside it, else absolute (POSIX)."""
    path = Path(path).absolute()
    return path.relative_to(paths.ROOT).as_posix() if path.is_relative_to(paths.ROOT) else path.as_posix()


def _from_display(text: str) -> Path:
    p = Path(text)
    return p if p.is_absolute() else paths.ROOT / p


def _sha256_json(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False,
                                     default=str).encode()).hexdigest()


def _one_line(text: str, width: int = 120) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _progress_bar(total: int, year: int, progress: bool):
    if not progress or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=f"build {year}", unit="pack", file=sys.stderr)


def _report(bar: Any, pack: PackResult, progress: bool) -> None:
    """One line per finished pack (through the bar when there is one)."""
    if not progress:
        return
    secs = sum(pack.timings.values())
    line = f"{pack.status:>10}  {pack.unit}/{pack.notebook}" + (f"  {secs:.1f} s" if secs else "")
    if pack.failure:
        line += f"  {pack.failure.where} {pack.failure.error}: {_one_line(pack.failure.message, 80)}"
    if bar is not None:
        bar.write(line, file=sys.stderr)
        bar.update(1)
    else:
        print(line, file=sys.stderr, flush=True)
