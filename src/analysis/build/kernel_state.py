"""Inside a warm kernel: the state a fresh kernel starts a notebook with, kept and put back.

:mod:`analysis.build.engine` loads this file into each kernel it keeps warm, under the private
name :data:`MODULE_NAME` (outside the ``analysis`` package, which :func:`reset` drops), calls
:func:`warm_up` once after the kernel starts and :func:`reset` before every notebook.

What :func:`reset` puts back, so a notebook sees what a fresh kernel would show it:

- the user namespace, ``In``/``Out``, the history session and the execution counter
  (IPython's ``reset(new_session=True)``: the first cell is ``In [1]`` again);
- our own package: every ``analysis`` module is dropped from ``sys.modules``, so the notebook
  imports it afresh and its import-time effects happen again, in the same order as in a
  fresh kernel; third-party libraries
  (pandas, matplotlib, IPython...) stay imported — that is the time saved. Only
  :data:`KEPT_MODULES` stay: :mod:`analysis.report.cache`, whose entries are keyed on the bytes of
  the files they were read from and handed out as copies;
- matplotlib: every figure closed, the inline backend's pending draws dropped, rcParams back
  to the values read from the matplotlibrc files (``rc_file_defaults``);
- pandas options, numpy print and error options, warning filters and the "already
  warned" registries, ``sys.path``, the working directory and the environment variables
  (the build's, as a kernel started now would inherit them, plus the kernel's own).

For speed, :func:`warm_up` freezes what is loaded then out of the garbage collector's way
(``gc.freeze``) and keeps our modules' compiled code for their re-imports.

What it cannot put back is listed in :mod:`analysis.build.engine`: a kernel is restarted when a
variable that only acts at start-up (``PYTHONHASHSEED``) differs.
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
import os
import sys
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

#: The name this file is loaded under in a kernel.
MODULE_NAME = "_analysis_kernel_state"

#: Packages re-imported by every notebook (their modules are dropped before each one).
FRESH_PACKAGES = ("analysis",)

#: Modules of those packages kept loaded: caches whose keys hold the digests of what they were
#: made from, and which hand out copies (:mod:`analysis.report.cache`).
KEPT_MODULES = ("analysis.report.cache",)

_baseline: dict[str, Any] = {}


def warm_up(modules: Iterable[str], parent_env: Mapping[str, str]) -> None:
    """Import ``modules`` (what notebooks import; their third-party imports stay loaded), load
    the charts' font metrics, then record the state :func:`reset` returns to.

    ``parent_env`` is the environment the kernel was started with: the variables the kernel
    sets for itself (``MPLBACKEND``, ``JPY_PARENT_PID``...) are those that differ from it.
    """
    for name in modules:
        importlib.import_module(name)
    svg = sys.modules.get("analysis.report.svg")
    if svg is not None:  # the charts' font metrics, kept by analysis.report.cache
        svg.text_width("Đội Cấn 0123456789", 10)
        svg.text_width("Đội Cấn 0123456789", 10, bold=True)
    drop_modules()
    _keep_compiled_code()
    _baseline.clear()
    _baseline.update(
        kernel_env={k: v for k, v in os.environ.items() if parent_env.get(k) != v},
        sys_path=list(sys.path),
        warnings=list(warnings.filters),
        pandas=_pandas_options(),
        numpy=_numpy_options(),
    )
    gc.collect()
    gc.freeze()  # what is loaded now stays: collections (IPython's reset runs one) skip it


def reset(*, cwd: str, env: Mapping[str, str]) -> None:
    """Return the kernel to the recorded state for a notebook run in ``cwd`` with ``env``."""
    if not _baseline:
        raise RuntimeError("kernel_state.reset() before warm_up()")
    _reset_matplotlib()
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True)
    drop_modules()
    warnings.filters[:] = _baseline["warnings"]  # type: ignore[index]  # typeshed types filters as a Sequence; it is a list
    if hasattr(warnings, "_filters_mutated"):
        warnings._filters_mutated()  # forget what was already warned once
    _set_pandas_options(_baseline["pandas"])
    _set_numpy_options(_baseline["numpy"])
    sys.path[:] = _baseline["sys_path"]
    os.environ.clear()
    os.environ.update(env)
    os.environ.update(_baseline["kernel_env"])
    os.chdir(cwd)


def drop_modules(packages: Iterable[str] = FRESH_PACKAGES, keep: Iterable[str] = KEPT_MODULES) -> list[str]:
    """Remove ``packages`` and their submodules but ``keep`` from ``sys.modules``; return the names."""
    packages, keep = tuple(packages), set(keep)
    names = [n for n in sys.modules if n not in keep and any(n == p or n.startswith(p + ".") for p in packages)]
    for name in names:
        del sys.modules[name]
    return names


_compiled: dict[str, tuple[tuple[int, int], Any]] = {}


def _keep_compiled_code(packages: Iterable[str] = FRESH_PACKAGES) -> None:
    """Keep the compiled code of the modules :func:`drop_modules` drops, by file, size and
    modification time: importing them again runs their code afresh without compiling their
    source again (there may be no ``.pyc`` files: ``PYTHONDONTWRITEBYTECODE``)."""
    from importlib.machinery import SourceFileLoader

    if getattr(SourceFileLoader.get_code, "_keeps_code", False):
        return
    roots = tuple(
        os.path.dirname(spec.origin) + os.sep
        for p in packages
        if (spec := importlib.util.find_spec(p)) is not None and spec.origin
    )
    original = SourceFileLoader.get_code

    def get_code(self: Any, fullname: str) -> Any:
        path = self.get_filename(fullname)
        if not path.startswith(roots):
            return original(self, fullname)
        st = os.stat(path)
        key = (st.st_mtime_ns, st.st_size)
        kept = _compiled.get(path)
        if kept is None or kept[0] != key:
            kept = _compiled[path] = (key, original(self, fullname))
        return kept[1]

    get_code._keeps_code = True  # type: ignore[attr-defined]
    SourceFileLoader.get_code = get_code  # type: ignore[method-assign]  # patched on purpose: see the docstring


def _reset_matplotlib() -> None:
    if "matplotlib" not in sys.modules:
        return
    import matplotlib

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    inline = sys.modules.get("matplotlib_inline.backend_inline")
    if inline is not None:
        inline.show._to_draw = []
        inline.show._draw_called = False
    matplotlib.rc_file_defaults()


def _pandas_options() -> dict[str, Any] | None:
    if "pandas" not in sys.modules:
        return None
    import pandas as pd

    try:
        from pandas._config.config import _registered_options  # type: ignore[attr-defined]  # private registry, no stub
    except ImportError:  # pragma: no cover - a pandas without the registry
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {key: pd.get_option(key) for key in _registered_options}


def _set_pandas_options(saved: dict[str, Any] | None) -> None:
    if not saved or "pandas" not in sys.modules:
        return
    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for key, value in saved.items():
            if pd.get_option(key) != value:
                pd.set_option(key, value)


def _numpy_options() -> dict[str, Any] | None:
    if "numpy" not in sys.modules:
        return None
    import numpy as np

    return {"print": np.get_printoptions(), "err": np.geterr()}


def _set_numpy_options(saved: dict[str, Any] | None) -> None:
    if not saved or "numpy" not in sys.modules:
        return
    import numpy as np

    np.set_printoptions(**saved["print"])
    np.seterr(**saved["err"])
