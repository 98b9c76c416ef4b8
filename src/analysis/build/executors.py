"""Where the packs are built: a local process pool (the default) or a Dask cluster.

Both run the same top-level function, :func:`analysis.build.pack.build_pack_task`, on the same
plain-dict tasks, and yield each result as it completes (for the progress bar). Each
worker process sets up once (:func:`analysis.build.pack.setup_worker`) and keeps one warm kernel
(:mod:`analysis.build.engine`), shut down when the worker ends.

- ``local``: :class:`concurrent.futures.ProcessPoolExecutor` of ``workers`` processes
  (``spawn``), or this very process when one worker is enough;
- ``dask``: ``distributed.Client(scheduler)``, or a ``LocalCluster`` of ``workers`` processes
  of one thread each when no scheduler address is given. Workers of a remote cluster need
  the package installed and the project's folders at the same paths (tasks carry absolute
  paths; the outputs are written by the workers).

A worker that dies takes its pack down with it: that pack is reported as failed with the
error, the others go on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import uuid
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from analysis.errors import AnalysisError, NoSpaceError

log = logging.getLogger(__name__)


if TYPE_CHECKING:
    from analysis.build.pack import PackTask

EXECUTORS = ("local", "dask")


def default_workers() -> int:
    """The number of CPUs (the default of ``--workers``)."""
    return os.cpu_count() or 1


def run_tasks(
    tasks: Sequence[PackTask],
    *,
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Build every task; yield each result (a :class:`~analysis.build.pack.PackResult` dict) as it completes."""
    if executor not in EXECUTORS:
        raise AnalysisError(f"--executor: {executor!r} is not one of {', '.join(EXECUTORS)}")
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise AnalysisError(f"--workers: at least 1 expected, got {workers}")
    if not tasks:
        return iter(())
    log.info("%d pack(s) on %s with up to %d worker(s)", len(tasks), executor, workers)
    if executor == "dask":
        return _run_dask(tasks, workers, scheduler)
    if scheduler:
        raise AnalysisError("--scheduler is for --executor dask")
    if min(workers, len(tasks)) == 1:
        return _run_here(tasks)
    return _run_pool(tasks, min(workers, len(tasks)))


def _run_here(tasks: Sequence[PackTask]) -> Iterator[dict[str, Any]]:
    from analysis.build.engine import shutdown_warm_kernel
    from analysis.build.pack import build_pack_task, setup_worker

    setup_worker(*_kernel_of(tasks))
    try:
        for task in tasks:
            yield build_pack_task(task)
    finally:
        shutdown_warm_kernel()


def skip_iri_grammars() -> None:
    """In a worker process, or the command line's (which builds its packs itself when one
    worker is enough), before anything imports ``jsonschema``: leave out its optional IRI
    format checks, whose ``rfc3987_syntax`` compiles 38 grammars when imported (most of a second
    per process). nbformat imports ``jsonschema`` to validate notebooks, which never checks IRIs.
    Not for a process that goes on after the build (a user's Python session calling
    :func:`analysis.build.run.build`): its ``jsonschema`` would lose those checks for good."""
    import sys

    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None: "cannot be imported"


def _init_pool_worker(kernel_name: str | None, cwd: str | None, pdf: str | None) -> None:
    import multiprocessing.util

    skip_iri_grammars()

    from analysis.build.engine import shutdown_warm_kernel
    from analysis.build.pack import freeze_loaded, setup_worker

    multiprocessing.util.Finalize(None, shutdown_warm_kernel, exitpriority=10)
    _quiet_on_interrupt()
    _exit_with_parent()
    setup_worker(kernel_name, cwd, pdf)
    freeze_loaded()


def _quiet_on_interrupt() -> None:
    """In a worker: Ctrl-C is the build's to handle (it reaches every process of the
    terminal's group), and the build's ``terminate()`` ends the worker and its kernel at
    once, without a traceback."""
    import signal

    def end(signum: int, frame: object) -> None:
        from analysis.build.engine import kill_warm_kernel

        kill_warm_kernel()
        os._exit(128 + signum)

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, end)


def _exit_with_parent(interval: float = 1.0) -> None:
    """End this worker (and its kernel) when the build that started it is gone: a killed
    build leaves no worker waiting on its queue for ever."""
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                from analysis.build.engine import kill_warm_kernel

                kill_warm_kernel()
                os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _run_pool(tasks: Sequence[PackTask], workers: int) -> Iterator[dict[str, Any]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from analysis.build.pack import build_pack_task

    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_pool_worker,
        initargs=_kernel_of(tasks),
    )
    try:
        futures = {pool.submit(build_pack_task, task): task for task in tasks}
        for future in as_completed(futures):
            try:
                yield future.result()
            except NoSpaceError:  # the disk is full: the build stops, saying so
                raise
            except Exception as exc:  # the worker died (BrokenProcessPool...)
                yield _lost(futures[future], exc)
    except BaseException:  # Ctrl-C, or the caller stopped: end the workers now, not after their packs
        _terminate(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _terminate(pool: Any) -> None:
    """End every worker of ``pool`` (each kills its kernel first) and wait for them."""
    processes = list(getattr(pool, "_processes", {}).values())
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)


def _run_dask(tasks: Sequence[PackTask], workers: int, scheduler: str | None) -> Iterator[dict[str, Any]]:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise AnalysisError("--executor dask needs dask.distributed (pip install 'dask[distributed]')") from exc

    from analysis.build.pack import build_pack_task

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        with _sigint_ignored():  # the worker processes inherit it: Ctrl-C is the build's to handle
            cluster = LocalCluster(
                # dashboard_address ":0": any free port (another cluster on the machine may hold 8787)
                n_workers=min(workers, len(tasks)),
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
            )
        client = Client(cluster)
    try:
        client.register_plugin(worker_plugin(tasks[0]["params"].get("pdf")), name="analysis-pack-worker")
        run = uuid.uuid4().hex[:8]  # a cluster may still hold the results of an earlier build
        futures = client.map(
            build_pack_task, list(tasks), pure=False, key=[f"pack-{t['unit']}-{t['notebook']}-{run}" for t in tasks]
        )
        task_of = {f.key: t for f, t in zip(futures, tasks)}
        for future in as_completed(futures):
            try:
                yield future.result()
            except NoSpaceError:  # the disk is full: the build stops, saying so
                raise
            except Exception as exc:  # the worker died, or the task could not run there
                yield _lost(task_of[future.key], exc)
            future.release()
    except BaseException:  # Ctrl-C: the cluster's workers are stopped below; their warnings add nothing
        for name in ("distributed", "tornado", "asyncio"):
            logging.getLogger(name).setLevel(logging.CRITICAL + 1)
        raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ctrl-C ignored in this block (only the main thread may change it: elsewhere, nothing)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def worker_plugin(pdf: str | None = None) -> Any:
    """A Dask ``WorkerPlugin`` that sets each worker up (exporters, the PDF route ``pdf``'s
    compiler and fonts) and stops its warm
    kernel when the worker closes. The kernel itself starts with the worker's first pack, in
    the thread that runs the tasks. (The class is made here so that importing this module
    does not import Dask; its methods import by absolute name, as it travels by value.)
    """
    from distributed.diagnostics.plugin import WorkerPlugin

    class PackWorkerPlugin(WorkerPlugin):
        idempotent = True

        def __init__(self, pdf: str | None = None) -> None:
            self.pdf = pdf

        def setup(self, worker: Any) -> None:
            from analysis.build.executors import skip_iri_grammars
            from analysis.build.pack import freeze_loaded, setup_worker

            skip_iri_grammars()
            setup_worker(pdf=self.pdf)
            freeze_loaded()

        def teardown(self, worker: Any) -> None:
            from analysis.build.engine import kill_warm_kernel

            kill_warm_kernel()

    return PackWorkerPlugin(pdf)


def _kernel_of(tasks: Sequence[PackTask]) -> tuple[str | None, str | None, str | None]:
    """The kernel the first task wants and its working directory (to start it early), and
    its PDF route (to set up that one)."""
    first = tasks[0]
    pdf = first["params"].get("pdf")
    if first.get("engine") != "warm":
        return None, None, pdf
    return first["params"].get("kernel_name") or "analysis", first["cwd"], pdf


def _lost(task: PackTask, exc: BaseException) -> dict[str, Any]:
    from dataclasses import asdict

    from analysis.build.pack import PackFailure, PackResult

    return asdict(
        PackResult(
            task["unit"],
            task["notebook"],
            "failed",
            parameters=dict(task["nb_params"]),
            fingerprint=task["fingerprint"],
            components=dict(task["components"]),
            failure=PackFailure(task["unit"], task["notebook"], "worker", type(exc).__name__, str(exc)),
        )
    )
