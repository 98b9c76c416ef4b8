"""A papermill engine that keeps one kernel per process warm across notebooks.

Registered with papermill as the engine ``warm`` (entry point group ``papermill.engine`` in
``pyproject.toml``), so ``papermill.execute_notebook(..., engine_name="warm")`` uses it.
papermill leaves kernel reuse to its users (nteract/papermill#326, #583); starting a kernel
and importing pandas and matplotlib is most of the time of a small notebook.

Fresh-kernel equivalence. Before each notebook the kernel runs
:func:`analysis.build.kernel_state.reset` (its docstring lists what is put back: namespace and
execution counter, our package re-imported, matplotlib figures and rcParams, pandas/numpy
options, warnings, ``sys.path``, working directory, environment). The engine itself makes
sure that what a reset cannot change never differs from a fresh start:

- the kernel is started again when the kernel name, its arguments or an environment
  variable other than :data:`RESETTABLE_ENV` differ from those it was started with
  (``PYTHONHASHSEED`` only acts at interpreter start);
- after a notebook fails (cell error, timeout, dead kernel) the kernel is shut down: the next
  notebook gets a fresh one.

Not covered: a notebook that changes a third-party module in place (monkeypatching pandas,
``%config``) leaks that change into the next notebook of the same kernel. The project's
notebooks only call :mod:`analysis` (``tests/test_notebooks.py``), and the build's tests
compare a pack built in a fresh kernel with the same pack built in a warm one.

One kernel per process, used by one thread at a time (a lock serialises callers; with
Dask use one thread per worker). Kernel work runs in a :class:`contextvars.Context` of
its own, so nbclient's event loop is the same for every notebook whichever thread runs it.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from analysis.build import kernel_state

T = TypeVar("T")

#: Environment variables a reset sets in the running kernel; any other difference restarts it.
RESETTABLE_ENV = frozenset({"SOURCE_DATE_EPOCH"})

#: Imported once when a kernel starts: what the project's notebooks import.
PRELOAD = (
    "pandas",
    "fontTools.ttLib",
    "IPython.display",
    "analysis.report.summary",
    "analysis.report.charts",
    "analysis.report.html_table",
    "analysis.report.cells",
    "analysis.report.markdown",
    "analysis.writers.notebook",
    "analysis.writers.html",
    "analysis.report.present",
    "analysis.report.task_present",
    "analysis.report.commune_present",
    "analysis.report.briefing_present",
    "analysis.report.history_present",
    "analysis.report.predecessors_present",
    "analysis.report.rollup_present",
    "analysis.report.rollup_charts",
    "analysis.report.context",
    "analysis.report.communes_context",
    "analysis.report.rollup_context",
    "analysis.report.svg",
)

#: Seconds a reset or warm-up may take before the kernel counts as dead.
RESET_TIMEOUT = 120


class KernelResetError(RuntimeError):
    """The kernel could not be warmed up or reset (it is shut down; the next run starts a new one)."""


class WarmKernel:
    """One running Jupyter kernel, started by nbclient, reset between notebooks."""

    def __init__(
        self,
        kernel_name: str,
        *,
        extra_arguments: Sequence[str] = (),
        startup_timeout: float = 60,
        cwd: str,
        env: Mapping[str, str],
        preload: Sequence[str] = PRELOAD,
    ) -> None:
        self.kernel_name = kernel_name
        self.extra_arguments = list(extra_arguments)
        self.startup_timeout = startup_timeout
        self.env = dict(env)
        self.cwd = cwd
        self.preload = tuple(preload)
        self.notebooks = 0
        self._context = contextvars.Context()
        self._inside: contextvars.ContextVar[bool] = contextvars.ContextVar("inside")
        self._client: Any = None

    @property
    def km(self) -> Any:
        return self._client.km if self._client is not None else None

    @property
    def kc(self) -> Any:
        return self._client.kc if self._client is not None else None

    def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call ``fn`` in the kernel's context (where nbclient keeps its event loop)."""
        if self._inside.get(False):
            return fn(*args, **kwargs)

        def inside() -> T:
            self._inside.set(True)
            return fn(*args, **kwargs)

        return self._context.run(inside)

    def fits(self, kernel_name: str, extra_arguments: Sequence[str], env: Mapping[str, str]) -> bool:
        """Whether a notebook wanting this kernel and environment can run here after a reset."""
        if kernel_name != self.kernel_name or list(extra_arguments) != self.extra_arguments:
            return False
        keys = (set(env) | set(self.env)) - RESETTABLE_ENV
        return all(env.get(k) == self.env.get(k) for k in keys)

    def alive(self) -> bool:
        try:
            from jupyter_core.utils import run_sync

            return self._client is not None and bool(self.run(run_sync(self.km.is_alive)))
        except Exception:
            return False

    @property
    def connected(self) -> bool:
        return self.kc is not None

    def start(self) -> None:
        """Start the kernel (through nbclient, as papermill would) and warm it up."""
        self.launch()
        self.connect()

    def launch(self) -> None:
        """Start the kernel's process, without waiting for it (:meth:`connect` does)."""
        self.run(self._launch)

    def _launch(self) -> None:
        import nbformat
        from nbclient import NotebookClient

        client = NotebookClient(
            nbformat.v4.new_notebook(),
            kernel_name=self.kernel_name,
            startup_timeout=self.startup_timeout,
            extra_arguments=list(self.extra_arguments),
        )
        client.km = client.create_kernel_manager()
        self._client = client
        client.start_new_kernel(cwd=self.cwd, env=self.env)

    def connect(self) -> None:
        """Wait for the launched kernel, open its channels and warm it up."""
        self.run(self._connect)

    def _connect(self) -> None:
        self._client.start_new_kernel_client()
        state = Path(kernel_state.__file__).as_posix()
        self._execute(
            "def _load():\n"
            "    import importlib.util, sys\n"
            f"    spec = importlib.util.spec_from_file_location({kernel_state.MODULE_NAME!r}, {state!r})\n"
            "    module = importlib.util.module_from_spec(spec)\n"
            "    spec.loader.exec_module(module)\n"
            f"    sys.modules[{kernel_state.MODULE_NAME!r}] = module\n"
            f"    module.warm_up({list(self.preload)!r}, {self.env!r})\n"
            "_load()\n"
            "del _load\n"
        )

    def reset(self, *, cwd: str, env: Mapping[str, str]) -> None:
        """Put the kernel back in the state a fresh one would run a notebook in."""
        self.run(
            self._execute,
            f"__import__('sys').modules[{kernel_state.MODULE_NAME!r}].reset(cwd={cwd!r}, env={dict(env)!r})",
        )

    def _execute(self, code: str) -> None:
        from jupyter_core.utils import run_sync

        reply = run_sync(self.kc.execute_interactive)(
            code,
            silent=True,
            store_history=False,
            allow_stdin=False,
            timeout=RESET_TIMEOUT,
            output_hook=lambda msg: None,
        )
        content = reply.get("content", {})
        if content.get("status") != "ok":
            raise KernelResetError(
                f"kernel {self.kernel_name!r}: {content.get('ename', 'error')}: "
                f"{content.get('evalue', content.get('status'))}"
            )

    def shutdown(self) -> None:
        """Stop the kernel and its channels (quietly if it is already gone)."""
        if self._client is None:
            return
        client, self._client = self._client, None

        def stop() -> None:
            from jupyter_core.utils import run_sync

            try:
                if client.kc is not None:
                    client.kc.stop_channels()
                run_sync(client.km.shutdown_kernel)(now=True)
            except Exception:
                pass
            finally:
                with contextlib.suppress(Exception):
                    run_sync(client.km.cleanup_resources)()

        self.run(stop)

    def kill(self) -> None:
        """Kill the kernel process without its event loop (from any thread, e.g. a Dask
        worker's teardown); its channels go with this process."""
        client, self._client = self._client, None
        if client is None or client.km is None:
            return
        process = getattr(getattr(client.km, "provisioner", None), "process", None)
        try:
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(10)
        except Exception:
            pass
        with contextlib.suppress(Exception):
            client.km.cleanup_connection_file()


_lock = threading.RLock()
_current: WarmKernel | None = None


def warm_kernel(
    kernel_name: str,
    *,
    extra_arguments: Sequence[str] = (),
    startup_timeout: float = 60,
    cwd: str | None = None,
    env: Mapping[str, str] | None = None,
) -> WarmKernel:
    """This process's warm kernel, started (or started again) to fit the request."""
    global _current
    env = dict(os.environ if env is None else env)
    cwd = cwd or os.getcwd()
    with _lock:
        if _current is not None and not (_current.fits(kernel_name, extra_arguments, env) and _current.alive()):
            shutdown_warm_kernel()
        if _current is None:
            prestart_kernel(
                kernel_name, extra_arguments=extra_arguments, startup_timeout=startup_timeout, cwd=cwd, env=env
            )
        kernel = _current
        assert kernel is not None
        if not kernel.connected:
            try:
                kernel.connect()
            except BaseException:
                shutdown_warm_kernel()
                raise
        return kernel


def prestart_kernel(
    kernel_name: str,
    *,
    extra_arguments: Sequence[str] = (),
    startup_timeout: float = 60,
    cwd: str | None = None,
    env: Mapping[str, str] | None = None,
) -> None:
    """Launch this process's kernel now and return at once: it boots while the process sets
    up other things; the first notebook that fits it (:func:`warm_kernel`) waits for it."""
    global _current
    with _lock:
        if _current is not None:
            return
        kernel = WarmKernel(
            kernel_name,
            extra_arguments=extra_arguments,
            startup_timeout=startup_timeout,
            cwd=cwd or os.getcwd(),
            env=dict(os.environ if env is None else env),
        )
        try:
            kernel.launch()
        except BaseException:
            kernel.shutdown()
            raise
        _current = kernel


def shutdown_warm_kernel() -> None:
    """Shut down this process's warm kernel, if any (the next notebook starts a new one)."""
    global _current
    with _lock:
        kernel, _current = _current, None
        if kernel is not None:
            kernel.shutdown()


def kill_warm_kernel() -> None:
    """Kill this process's warm kernel at once (when the process is closing)."""
    global _current
    kernel, _current = _current, None
    if kernel is not None:
        kernel.kill()


def ensure_registered(name: str = "warm") -> None:
    """Register :class:`WarmEngine` with papermill under ``name`` if the entry point is not
    installed (a source checkout run without ``pip install -e .``)."""
    from papermill.engines import papermill_engines
    from papermill.exceptions import PapermillException

    try:
        papermill_engines.get_engine(name)
    except PapermillException:
        papermill_engines.register(name, __getattr__("WarmEngine"))


def _engine_class() -> type:
    """:class:`WarmEngine`, made on first use.

    papermill imports its engines' entry points while ``papermill.engines`` itself is being
    imported; a module that imported ``papermill.engines`` at its top would then be loaded
    half-way. So ``WarmEngine`` is made on first access (module ``__getattr__``), once
    ``Engine`` exists.
    """
    from papermill.engines import Engine

    class WarmEngine(Engine):  # type: ignore[misc]  # papermill ships no type information
        """papermill engine ``warm``: papermill's nbclient engine on a kernel kept across notebooks."""

        @classmethod
        def execute_notebook(
            cls,
            nb: Any,
            kernel_name: str,
            output_path: Any = None,
            progress_bar: bool = True,
            log_output: bool = False,
            autosave_cell_every: int = 30,
            record_output_path: str | None = None,
            **kwargs: Any,
        ) -> Any:
            """papermill's ``Engine.execute_notebook`` without its saves at every cell's start and
            end (two JSON writes, each validated, per cell: most of a short notebook's own
            time). papermill writes the executed notebook once when it returns, the failed
            notebook when a cell raised; here it is written when the kernel itself failed.
            ``record_output_path``: the path the notebook records as its output (the pack's
            file, where papermill writes a temporary one)."""
            from papermill.engines import NotebookExecutionManager

            if record_output_path is not None:
                nb.metadata.papermill["output_path"] = record_output_path

            nb_man = NotebookExecutionManager(
                nb,
                output_path=None,
                progress_bar=progress_bar,
                log_output=log_output,
                autosave_cell_every=autosave_cell_every,
            )
            nb_man.notebook_start()
            done = False
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
                done = True
            finally:
                nb_man.cleanup_pbar()
                if not done:
                    nb_man.output_path = output_path  # a dead kernel or a timeout: keep what ran
                nb_man.notebook_complete()
            return nb_man.nb

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: float = 60,
            execution_timeout: float | None = None,
            **kwargs: Any,
        ) -> Any:
            from papermill.clientwrap import PapermillNotebookClient
            from papermill.log import logger
            from papermill.utils import merge_kwargs, remove_args

            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            options = merge_kwargs(
                safe_kwargs,
                timeout=execution_timeout or kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            cwd, env = os.getcwd(), dict(os.environ)
            with _lock:
                kernel = warm_kernel(
                    kernel_name,
                    extra_arguments=kwargs.get("extra_arguments") or (),
                    startup_timeout=start_timeout,
                    cwd=cwd,
                    env=env,
                )

                def execute() -> Any:
                    kernel.reset(cwd=cwd, env=env)
                    client = PapermillNotebookClient(nb_man, km=kernel.km, **options)
                    client.kc = kernel.kc  # keep the channels: nbclient only opens them when missing
                    return client.execute()

                try:
                    nb = kernel.run(execute)
                except BaseException:
                    shutdown_warm_kernel()
                    raise
                kernel.notebooks += 1
                if nb_man.nb.metadata.get("papermill", {}).get("exception"):
                    shutdown_warm_kernel()  # a cell failed: start the next notebook afresh
                return nb

    WarmEngine.__module__ = __name__
    WarmEngine.__qualname__ = "WarmEngine"
    return WarmEngine


def __getattr__(name: str) -> Any:
    if name == "WarmEngine":
        cls = globals()["WarmEngine"] = _engine_class()
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
