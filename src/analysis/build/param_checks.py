"""Checks of a run's parameters that need the analyses (score bands, target options) and the
installed Jupyter kernels: made before any kernel starts.

The planner computes no analysis (an import-linter contract); :func:`analysis.build.run.build`
hands it :func:`check_analysis_params` to call on the defaults and on each unit's parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from analysis.errors import ParameterError
from analysis.params import unknown_names_message


def check_analysis_params(
    params: Mapping[str, Any], defaults: Mapping[str, Any], unit_file: Path, defaults_file: Path
) -> None:
    """What the types alone do not say (:mod:`analysis.param_schema` checked them), before any
    kernel starts: the score bands make a scale (sorted, no gap, no overlap), the target
    options are known, the kernel is installed. :class:`ParameterError` names the file
    that set the value (the unit's, else ``defaults.yaml``) and the key."""
    from analysis.analyses.targets import TargetParams
    from analysis.analyses.tasks import load_score_bands

    def where(key: str) -> Path:
        return defaults_file if key in defaults and params.get(key) is defaults[key] else unit_file

    try:
        if params.get("score_bands") is not None:
            load_score_bands(params)
        if params.get("targets") is not None:
            TargetParams.from_mapping(dict(params["targets"]))
    except ParameterError as exc:
        key = "score_bands" if str(exc).startswith("score_bands") else "targets"
        raise ParameterError(f"{where(key)}: {exc}") from None
    kernel = params.get("kernel_name") or "analysis"
    kernels = installed_kernels()
    if kernels and kernel not in kernels:
        raise ParameterError(
            unknown_names_message(
                [kernel], kernels, where=f"{where('kernel_name')}: kernel_name", noun="Jupyter kernel"
            )
            + f"; installed: {', '.join(sorted(kernels))}"
        )


_kernels: frozenset[str] | None = None


def installed_kernels() -> frozenset[str]:
    """Names of the Jupyter kernels installed (read once per process; empty when unknown)."""
    global _kernels
    if _kernels is None:
        try:
            from jupyter_client.kernelspec import KernelSpecManager

            _kernels = frozenset(KernelSpecManager().find_kernel_specs())
        except Exception:  # no jupyter_client: papermill says so when it runs
            _kernels = frozenset()
    return _kernels
