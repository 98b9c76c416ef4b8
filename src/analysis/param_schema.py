"""The types of the parameters, checked before any kernel starts (pydantic).

Every parameter the package itself reads is declared here with its type and what is
expected of it; ``params/defaults.yaml`` gives each one its default value. A wrong type is a
:class:`~analysis.errors.ParameterError` of one line naming the file, the key and what was
expected (``params/defaults.yaml: execution_timeout: expected a number of seconds greater
than 0, or null (no limit), got 'ten minutes'``). Names a notebook declares for itself
(``unit_name``...) are not typed here: the notebook's parameters cell is their declaration.

Validation is strict: ``'2.0'`` (text) is not a number, ``true`` is not a number, a whole
number is a number.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr, ValidationError

from analysis.errors import ParameterError

Number = StrictInt | StrictFloat
Text = Annotated[StrictStr, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class ScoreBand(_Strict):
    """One completion class of key tasks: scores from ``min`` up belong to it."""

    min: Annotated[Number, Field(ge=0, le=100)]
    label: Text


class Targets(_Strict):
    """Options of the gap to the term target (:class:`analysis.analyses.targets.TargetParams`)."""

    far_beyond_factor: Annotated[Number, Field(gt=0)] = 2.0
    far_beyond_min_pct: Annotated[Number, Field(ge=0)] = 10.0
    far_beyond_min_points: Annotated[Number, Field(ge=0)] = 2.0
    projection_min_years: Annotated[StrictInt, Field(ge=3)] = 3  # a trend needs three yearly values
    about_tolerance_pct: Annotated[Number, Field(ge=0, lt=100)] = 5.0


class Intake(_Strict):
    """The checks of ``python -m analysis intake`` before anything is read or merged
    (:class:`analysis.build.intake.IntakeRules`)."""

    max_file_mb: Annotated[Number, Field(gt=0)] = 10
    max_unpacked_mb: Annotated[Number, Field(gt=0)] = 100
    jump_factor: Annotated[Number, Field(gt=1)] = 10


class Parameters(_Strict):
    """Every parameter of the package; all optional here, all given in ``defaults.yaml``."""

    report_date: StrictStr | StrictInt | None = None
    kernel_name: Text | None = None
    execution_timeout: Annotated[Number, Field(gt=0)] | None = None
    title: Text | None = None
    sources: Text | list[Text] | None = None
    pdf: Text | None = None  # typst or weasyprint: checked, with a suggestion, by analysis.params
    score_bands: Annotated[list[ScoreBand], Field(min_length=1)] | None = None
    targets: Targets | None = None
    intake: Intake | None = None


#: What is expected of each parameter (and of the fields of its items), for messages.
EXPECTED = {
    "report_date": "a date (YYYY-MM-DD, DD/MM/YYYY, YYYY-MM, MM/YYYY or YYYY) or null",
    "kernel_name": "the name of an installed Jupyter kernel (text), such as 'analysis'",
    "execution_timeout": "a number of seconds greater than 0, or null (no limit)",
    "title": "a non-empty text or null",
    "sources": "a text, a list of texts, or null",
    "pdf": "typst or weasyprint (how the PDF is made), or null (typst)",
    "score_bands": "a non-empty list of {min, label} bands",
    "score_bands.min": "a number from 0 to 100",
    "score_bands.label": "a non-empty text",
    "targets": "a mapping with far_beyond_factor, far_beyond_min_pct, far_beyond_min_points, projection_min_years, about_tolerance_pct",
    "targets.far_beyond_factor": "a number greater than 0",
    "targets.far_beyond_min_pct": "a number of percent, 0 or more",
    "targets.far_beyond_min_points": "a number of percentage points, 0 or more",
    "targets.about_tolerance_pct": "a number of percent from 0 to below 100",
    "targets.projection_min_years": "a whole number of years, 3 or more",
    "intake": "a mapping with max_file_mb, max_unpacked_mb, jump_factor",
    "intake.max_file_mb": "a number of megabytes greater than 0",
    "intake.max_unpacked_mb": "a number of megabytes greater than 0",
    "intake.jump_factor": "a number greater than 1",
}

#: The parameters declared here.
NAMES = frozenset(Parameters.model_fields)

_SUBMODELS: dict[str, type[BaseModel]] = {"score_bands": ScoreBand, "targets": Targets, "intake": Intake}


def check_types(values: Mapping[str, Any], *, where: str) -> None:
    """Raise :class:`ParameterError` (one line: ``where``, the key, what was expected) unless
    every parameter of ``values`` declared here has the right type; other names are left
    to the caller (notebooks declare their own).

    >>> check_types({"execution_timeout": 600, "unit_name": "Đội Cấn"}, where="x.yaml")
    >>> check_types({"targets": {"far_beyond_factor": "x"}}, where="x.yaml")
    Traceback (most recent call last):
    ...
    analysis.errors.ParameterError: x.yaml: targets.far_beyond_factor: expected a number greater than 0, got 'x'
    """
    typed = {k: v for k, v in values.items() if k in NAMES}
    try:
        Parameters.model_validate(typed)
    except ValidationError as exc:
        raise ParameterError(_message(exc.errors()[0], where)) from None


def check_defaults(values: Mapping[str, Any], *, where: str) -> None:
    """:func:`check_types`, and no name of ``defaults.yaml`` may be a near miss of a declared
    one (``execution_timout``): it would be a new parameter nobody reads.

    >>> check_defaults({"execution_timout": 60}, where="defaults.yaml")
    Traceback (most recent call last):
    ...
    analysis.errors.ParameterError: defaults.yaml: unknown parameter 'execution_timout' (did you mean 'execution_timeout'?)
    """
    for name in values:
        close = difflib.get_close_matches(name, NAMES, n=1, cutoff=0.85)
        if name not in NAMES and close:
            raise ParameterError(f"{where}: unknown parameter {name!r} (did you mean {close[0]!r}?)")
    check_types(values, where=where)


def _message(error: Mapping[str, Any], where: str) -> str:
    raw = list(error["loc"])
    if error["type"] == "extra_forbidden":
        unknown, raw = str(raw[-1]), raw[:-1]
    loc = [part for part in raw if isinstance(part, int) or _is_field(part)]
    names = [str(p) for p in loc if isinstance(p, str)]
    shown = "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(loc))
    key = ".".join(names)
    if error["type"] == "extra_forbidden":
        fields = list(_SUBMODELS[names[0]].model_fields) if names else sorted(NAMES)
        close = difflib.get_close_matches(unknown, fields, n=1, cutoff=0.6)
        return (
            f"{where}: {shown}: unknown key {unknown!r}"
            + (f" (did you mean {close[0]!r}?)" if close else "")
            + f"; expected the keys {', '.join(fields)}"
        )
    if error["type"] == "missing":
        return f"{where}: {shown}: missing; expected {EXPECTED.get(key, 'a value')}"
    return f"{where}: {shown}: expected {EXPECTED.get(key, error['msg'])}, got {error.get('input')!r}"


def _is_field(part: object) -> bool:
    return isinstance(part, str) and (part in NAMES or any(part in model.model_fields for model in _SUBMODELS.values()))
