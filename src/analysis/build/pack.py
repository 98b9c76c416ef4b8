"""One pack: a notebook run for one unit by papermill, then its HTML briefing and its PDF.

:func:`build_pack_task` is what a worker runs, in this process, a local process pool or a Dask
cluster (:mod:`analysis.build.executors`): it takes a :class:`PackTask` (a plain dict, so it travels
anywhere) and returns the :class:`PackResult` as a dict. A failure is recorded (unit,
notebook, step, cell, error), the failed executed notebook is kept, and nothing is raised.
Every path in a task is absolute. :func:`setup_worker` loads once per process what every pack
needs (nbconvert's exporters and templates, the PDF route's compiler and fonts); the papermill
engine ``warm`` (:mod:`analysis.build.engine`) keeps the kernel.

The PDF takes the route of the unit's build key ``pdf`` (:data:`analysis.params.PDF_ROUTES`):
``typst`` (:mod:`analysis.build.typst_export`: the same cells written as Typst and compiled in
process) or ``weasyprint`` (the HTML page printed, :func:`analysis.build.render.html_to_pdf`).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from analysis import paths
from analysis.build.hold import PACK_WRITTEN, hold
from analysis.build.manifest import OUTPUT_KINDS, output_stat
from analysis.errors import NoSpaceError
from analysis.files import no_space, sha256_file
from analysis.params import PDF_ROUTES
from analysis.report.summary import read_summary

log = logging.getLogger(__name__)


#: Arguments of every kernel: its own start-up warnings are not the notebook's output; no
#: input history (an SQLite database shared by every kernel of the machine, written at every
#: cell and every reset: the build never reads it).
KERNEL_ARGUMENTS = ("--log-level=CRITICAL", "--HistoryManager.enabled=False")

#: MIME type of the facts a notebook records for the build (not shown in briefings).


@dataclass
class PackFailure:
    """Where and how a pack failed: ``cell`` is the 0-based index in the executed notebook
    (papermill's), ``exec_count`` the ``In [n]`` an analyst sees; ``step`` is
    parameters, inputs (the notebook's declaration), execute, html, pdf or docx."""

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
    """One (unit, notebook) of a run: ``status`` is built, failed or up to date.

    ``facts`` are those the notebook recorded (:func:`analysis.report.summary.record`); ``fingerprint``
    and ``components`` what the pack was built from (:mod:`analysis.build.fingerprint`); ``stat``
    the size and modification time of each output.
    """

    unit: str
    notebook: str
    status: str
    outputs: dict[str, str] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    headline: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    fingerprint: str | None = None
    components: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    stat: dict[str, list[int]] = field(default_factory=dict)
    failure: PackFailure | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PackResult:
        """The result :func:`build_pack_task` returned as a dict (or a manifest record)."""
        data = dict(data)
        failure = data.pop("failure", None) or data.pop("error", None)
        known = set(cls.__dataclass_fields__)
        result = cls(**{k: v for k, v in data.items() if k in known})
        result.failure = PackFailure(**failure) if failure else None
        return result


class PackTask(TypedDict):
    """What a worker needs to build one pack (absolute paths; JSON-able values)."""

    unit: str
    notebook: str  # the notebook's stem
    nb_path: str  # the notebook file
    unit_dir: str  # reports/<year>/<unit>
    cwd: str  # working directory of the kernel (the project root)
    year: int
    params: dict[str, Any]  # the unit's merged parameters
    nb_params: dict[str, Any]  # what papermill injects
    data_dir_text: str  # the data folder as shown in a briefing without sources
    epoch: int  # SOURCE_DATE_EPOCH of the pack (its report date)
    engine: str  # papermill engine name
    fingerprint: str
    components: dict[str, Any]


_set_up = False


def setup_worker(kernel_name: str | None = None, cwd: str | None = None, pdf: str | None = None) -> None:
    """Once per worker process: nbconvert's exporter and template, and those of the PDF route
    ``pdf`` (default :data:`analysis.params.PDF_ROUTES`' first; later calls do nothing). With
    ``kernel_name``, the worker's kernel is launched first and boots meanwhile (in ``cwd``,
    with the environment :func:`build_pack_task` gives notebooks)."""
    global _set_up
    if _set_up:
        return
    if kernel_name:
        from analysis.build.engine import prestart_kernel
        from analysis.build.render import reproducible_env

        with reproducible_env():
            prestart_kernel(
                kernel_name, extra_arguments=KERNEL_ARGUMENTS, cwd=cwd or str(paths.ROOT), env=dict(os.environ)
            )
    if (pdf or PDF_ROUTES[0]) == "weasyprint":
        from analysis.build.render import warm_up

        warm_up()
    else:
        from analysis.build.typst_export import warm_up as warm_up_typst

        warm_up_typst()
    _set_up = True


def freeze_loaded() -> None:
    """In a worker process, after :func:`setup_worker`: what is loaded now (libraries, fonts)
    is never garbage, so the garbage collector need not scan it again."""
    import gc

    gc.collect()
    gc.freeze()


def build_pack_task(task: Mapping[str, Any]) -> dict[str, Any]:
    """Build one pack (:class:`PackTask`) and return its :class:`PackResult` as a dict."""
    from analysis.build.render import reproducible_env

    setup_worker()
    with reproducible_env(int(task["epoch"])):
        result = _execute_and_render(task)
    log.debug("%s/%s: %s, seconds %s", result.unit, result.notebook, result.status, result.timings)
    return asdict(result)


def _execute_and_render(task: Mapping[str, Any]) -> PackResult:
    """Run the notebook, render its HTML, PDF and Word document, each to a temporary name beside
    the pack, and put them in place together at the end: the last good pack stays whole until a new
    one is complete. An interrupted run changes nothing (its temporaries are removed; those
    of a killed one by the next build, :mod:`analysis.build.guard`). A run that fails is a
    complete outcome: its notebook, with the error marked, replaces the old one and the old
    HTML, PDF and Word files go, so that no stale report sits beside a failed run."""
    stem = task["notebook"]
    unit_dir = Path(task["unit_dir"])
    out = {kind: unit_dir / f"{stem}.{kind}" for kind in OUTPUT_KINDS}
    tmp = {kind: unit_dir / f".{stem}.{os.getpid()}.partial.{kind}" for kind in OUTPUT_KINDS}
    try:
        try:
            result = _run_pack(task, tmp)
        except _NoRoom as full:  # the disk is full: the build stops, the last good pack stays
            raise NoSpaceError(str(unit_dir), out[full.kind].name) from None
        hold(PACK_WRITTEN)  # a test's fault case may hold the build here (never an analyst's)
        if result.status == "built":
            for kind in ("docx", "pdf", "html", "ipynb"):
                os.replace(tmp[kind], out[kind])
        else:
            remove_outputs(unit_dir, stem, keep_ipynb=True)
            if tmp["ipynb"].is_file():
                os.replace(tmp["ipynb"], out["ipynb"])
        _fill_outputs(result, out)
        return result
    finally:
        for path in tmp.values():
            path.unlink(missing_ok=True)


def _run_pack(task: Mapping[str, Any], tmp: Mapping[str, Path]) -> PackResult:
    unit, stem, params = task["unit"], task["notebook"], task["params"]
    result = PackResult(
        unit,
        stem,
        "built",
        parameters=dict(task["nb_params"]),
        fingerprint=task["fingerprint"],
        components=dict(task["components"]),
    )
    t = time.perf_counter()
    executed: list[Any] = []
    try:
        failure = execute_notebook(
            Path(task["nb_path"]),
            tmp["ipynb"],
            task["nb_params"],
            kernel_name=params.get("kernel_name") or "analysis",
            timeout=params.get("execution_timeout"),
            engine=task["engine"],
            cwd=task["cwd"],
            executed=executed,
            recorded_path=Path(task["unit_dir"]) / f"{task['notebook']}.ipynb",
        )
    except Exception as exc:
        if no_space(exc):
            raise _NoRoom("ipynb") from None
        raise
    result.timings["execute"] = round(time.perf_counter() - t, 3)
    if failure is not None:
        result.status, result.failure = "failed", failure
        return result
    step = "html"
    try:
        import nbformat

        from analysis.build.render import html_to_pdf, notebook_to_html

        t = time.perf_counter()
        # the executed notebook as papermill returned it (the file holds the same), else read
        nb = executed[0] if executed else nbformat.read(tmp["ipynb"], as_version=4)
        facts = read_summary(nb)
        result.facts = {
            k: facts[k] for k in ("title", "unit_name", "headline", "illustrative", "counts", "members") if k in facts
        }
        result.headline = facts.get("headline")
        sources = (
            facts.get("sources")
            or params.get("sources")
            or [f"Dữ liệu chuẩn hóa trong {task['data_dir_text']}/ (mã SHA-256 trong manifest.json)"]
        )
        briefing = dict(
            title=facts.get("title") or params.get("title") or nb.metadata.get("title") or stem,
            unit=unit,
            year=int(task["year"]),
            unit_name=facts.get("unit_name"),
            report_date=facts.get("report_date") or params.get("report_date"),
            sources=[sources] if isinstance(sources, str) else list(sources),
            headline=result.headline,
            illustrative=bool(facts.get("illustrative")),
        )
        html = notebook_to_html(nb, **briefing)
        tmp["html"].write_text(html, encoding="utf-8")
        result.timings["html"] = round(time.perf_counter() - t, 3)
        step, t = "pdf", time.perf_counter()
        if params.get("pdf", PDF_ROUTES[0]) == "weasyprint":
            html_to_pdf(html, tmp["pdf"])
        else:
            from analysis.build.render import source_date_epoch
            from analysis.build.typst_export import notebook_to_typst, typst_to_pdf

            epoch = source_date_epoch(briefing["report_date"])  # the date the page shows, as WeasyPrint's PDF
            typst_to_pdf(notebook_to_typst(nb, **briefing), tmp["pdf"], epoch=epoch)
        result.timings["pdf"] = round(time.perf_counter() - t, 3)
        step, t = "docx", time.perf_counter()
        from analysis.build.docx_export import notebook_to_docx

        notebook_to_docx(nb, tmp["docx"], **briefing)
        result.timings["docx"] = round(time.perf_counter() - t, 3)
    except Exception as exc:  # one pack's failure must not stop the run (a full disk stops it)
        if no_space(exc):
            raise _NoRoom(step) from None
        result.status = "failed"
        result.failure = PackFailure(unit, stem, step, type(exc).__name__, str(exc))
    return result


class _NoRoom(Exception):
    """A pack's file (``kind``: ipynb, html, pdf or docx) found no room on the disk."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def execute_notebook(
    nb_path: Path,
    out_path: Path,
    parameters: Mapping[str, Any],
    *,
    kernel_name: str,
    timeout: float | None = None,
    engine: str = "warm",
    cwd: Path | str | None = None,
    executed: list[Any] | None = None,
    recorded_path: Path | None = None,
) -> PackFailure | None:
    """Run ``nb_path`` through papermill (engine ``engine``) into ``out_path`` in ``cwd``
    (default: the project root). Give a temporary name: papermill writes as it goes; the
    notebook records ``recorded_path`` (the pack's file) as its output path (engine ``warm``).
    The parameters cell writes text as it is (``"Hoàn thành"``, not papermill's
    ``"Ho\\xe0n th\\xe0nh"``).

    Returns ``None`` on success, else the failure; the executed notebook is kept either way
    (papermill marks the failing cell). On success the executed notebook is appended to
    ``executed`` when given (no need to read the file back). A write that found no room (a
    full disk) is no failure of the notebook: it raises.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    engine_kwargs: dict[str, Any] = {}
    if engine == "warm":
        from analysis.build.engine import ensure_registered

        ensure_registered()
        if recorded_path is not None:
            engine_kwargs["record_output_path"] = str(recorded_path)
    register_translator()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    unit, stem = parameters["unit"], nb_path.stem
    failure = None
    try:
        nb = pm.execute_notebook(
            str(nb_path),
            str(out_path),
            parameters=dict(parameters),
            engine_name=engine,
            kernel_name=kernel_name,
            cwd=str(cwd or paths.ROOT),
            log_output=False,
            progress_bar=False,
            execution_timeout=timeout,
            extra_arguments=list(KERNEL_ARGUMENTS),
            **engine_kwargs,
        )
        if executed is not None:
            executed.append(nb)
    except PapermillExecutionError as exc:
        failure = PackFailure(
            unit, stem, "execute", exc.ename, exc.evalue, cell=exc.cell_index, exec_count=exc.exec_count
        )
    except Exception as exc:  # kernel died, timeout, unreadable notebook...
        if no_space(exc):
            raise
        failure = PackFailure(unit, stem, "execute", type(exc).__name__, str(exc))
    return failure


def literal(text: str) -> str:
    """A Python string literal of ``text`` in double quotes, its letters as written: JSON's
    escapes (quotes, backslashes, control characters) are Python's too.

    >>> print(literal('Hoàn thành "xuất sắc"'))
    "Hoàn thành \\"xuất sắc\\""
    """
    return json.dumps(text, ensure_ascii=False)


def register_translator() -> None:
    """papermill's Python translator with strings written as :func:`literal` (papermill's own
    escapes every letter outside ASCII). Idempotent."""
    from papermill.translators import PythonTranslator, papermill_translators

    if getattr(papermill_translators._translators.get("python"), "keeps_letters", False):
        return

    class Translator(PythonTranslator):  # type: ignore[misc]  # papermill ships no type information
        keeps_letters = True

        @classmethod
        def translate_str(cls, val: str) -> str:
            return literal(val)

    papermill_translators.register("python", Translator)


def remove_outputs(unit_dir: Path, stem: str, *, keep_ipynb: bool) -> None:
    """Delete a pack's HTML, PDF and Word files so a stale report never sits next to a failed run."""
    for kind in OUTPUT_KINDS:
        if kind != "ipynb" or not keep_ipynb:
            (unit_dir / f"{stem}.{kind}").unlink(missing_ok=True)


def _fill_outputs(result: PackResult, out: Mapping[str, Path]) -> None:
    for kind, path in out.items():
        if path.is_file():
            result.outputs[kind] = paths.display_path(path)
            result.hashes[kind] = sha256_file(path)
            result.stat[kind] = output_stat(path)
