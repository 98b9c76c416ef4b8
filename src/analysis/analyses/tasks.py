"""Key tasks (nhiệm vụ trọng tâm): score bands, completion classes and sub-targets.

A unit reports each key task with sub-targets (published figures and a status
word), gives itself a score and a class. This module re-derives the class from
the score with the province's bands (``params/defaults.yaml: score_bands``),
recomputes every published percentage and status, and lists the disagreements.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, NamedTuple

import pandas as pd
from pandas.api.typing import NAType

from analysis.errors import DataValidationError, ParameterError
from analysis.io.datasets import read_dataset
from analysis.io.numbers import agrees, format_number, round_half_up
from analysis.io.schema import ACHIEVED_STATUSES, SUBTARGET_COLUMNS, Status, validate_frame  # noqa: F401  (SUBTARGET_COLUMNS: doctests)

PUBLISHED_STATUS_WORDS: dict[str, Status] = {
    "vượt": Status.EXCEEDED,
    "đạt": Status.ACHIEVED,
    "dự kiến đạt": Status.EXPECTED,
    "không đạt": Status.NOT_ACHIEVED,
}
PCT_QUALIFIERS = frozenset({"", "trên"})
NumericKind = Literal["Int64", "float64", "score"]  # score: Int64 when all whole, else float64
TASK_NUMERIC: dict[str, NumericKind] = {"year": "Int64", "self_score": "score"}
SUBTARGET_NUMERIC: dict[str, NumericKind] = {
    "year": "Int64",
    "target_value": "float64",
    "numerator": "float64",
    "denominator": "float64",
    "result_value": "float64",
    "published_pct": "float64",
    "published_pct_decimals": "Int64",
}
EVALUATED_TASK_COLUMNS = [
    "unit",
    "year",
    "task",
    "group",
    "title",
    "self_score",
    "published_class",
    "class",
    "agrees",
    "n_subtargets",
    "n_findings",
    "source",
]
FINDING_COLUMNS = ["unit", "year", "task", "sub", "description", "check", "published", "recomputed", "explanation"]


@dataclass(frozen=True)
class ScoreBand:
    """Scores from ``min_score`` (inclusive) up to the next band give ``label``."""

    min_score: float
    label: str


# --- score bands and classes ------------------------------------------------------------


def load_score_bands(params: Mapping[str, Any]) -> list[ScoreBand]:
    """The ``score_bands`` of a parameter mapping, checked: highest band first,
    no two bands with the same ``min`` (overlap), the last starting at 0 (no gap).

    >>> load_score_bands({"score_bands": [{"min": 50, "label": "Đạt"}, {"min": 0, "label": "Chưa"}]})
    [ScoreBand(min_score=50.0, label='Đạt'), ScoreBand(min_score=0.0, label='Chưa')]
    >>> load_score_bands({"score_bands": [{"min": 50, "label": "Đạt"}]})
    Traceback (most recent call last):
    ...
    analysis.errors.ParameterError: score_bands: gap: scores from 0 to below 50 are in no band (the last band must have min: 0)
    """
    if "score_bands" not in params:
        raise ParameterError("score_bands: missing; expected a list of {min, label} entries")
    raw = params["score_bands"]
    if not isinstance(raw, list) or not raw:
        raise ParameterError(f"score_bands: expected a non-empty list of {{min, label}} entries, got {raw!r}")
    bands: list[ScoreBand] = []
    for i, entry in enumerate(raw):
        where = f"score_bands[{i}] {entry!r}"
        if not isinstance(entry, Mapping):
            raise ParameterError(f"{where}: expected a mapping with keys min and label")
        unknown = sorted(set(entry) - {"min", "label"})
        if unknown or "min" not in entry or "label" not in entry:
            raise ParameterError(
                f"{where}: expected exactly the keys min and label"
                + (f" (unknown: {', '.join(map(str, unknown))})" if unknown else "")
            )
        low, label = entry["min"], entry["label"]
        if isinstance(low, bool) or not isinstance(low, int | float) or not 0 <= low <= 100:
            raise ParameterError(f"{where}: min must be a number from 0 to 100, got {low!r}")
        if not isinstance(label, str) or not label.strip():
            raise ParameterError(f"{where}: label must be a non-empty text, got {label!r}")
        if bands and low == bands[-1].min_score:
            raise ParameterError(f"{where}: overlap: min {low} is also the min of score_bands[{i - 1}]")
        if bands and low > bands[-1].min_score:
            raise ParameterError(
                f"{where}: unsorted: bands must go from the highest min to the lowest, "
                f"but min {low} follows min {bands[-1].min_score:g}"
            )
        if label in {b.label for b in bands}:
            raise ParameterError(f"{where}: label {label!r} is used by another band")
        bands.append(ScoreBand(float(low), label.strip()))
    if bands[-1].min_score != 0:
        raise ParameterError(
            f"score_bands: gap: scores from 0 to below {bands[-1].min_score:g} are in no "
            "band (the last band must have min: 0)"
        )
    return bands


def classify_score(score: object, bands: Sequence[ScoreBand]) -> str:
    """The class label of a self-score (0–100).

    A missing score (None or NaN) gives ``""``: the caller reports it (as
    :func:`evaluate_tasks` does, with ``agrees`` missing). A score that is not a
    number or is outside 0..100 raises ``ValueError``.

    >>> bands = [ScoreBand(91, "Xuất sắc"), ScoreBand(70, "Tốt"), ScoreBand(0, "Khác")]
    >>> classify_score(91, bands), classify_score(90, bands), classify_score(None, bands)
    ('Xuất sắc', 'Tốt', '')
    >>> classify_score(105, bands)
    Traceback (most recent call last):
    ...
    ValueError: self-score 105 is outside 0..100
    """
    if score is None or score is pd.NA or (isinstance(score, float) and math.isnan(score)):
        return ""
    if isinstance(score, bool) or not isinstance(score, int | float):
        raise ValueError(f"self-score must be a number from 0 to 100, got {score!r}")
    if not 0 <= score <= 100:
        raise ValueError(f"self-score {score:g} is outside 0..100")
    for band in bands:
        if score >= band.min_score:
            return band.label
    raise ValueError(
        f"self-score {score:g} is in no band (lowest min is {bands[-1].min_score:g})"
        if bands
        else "no score bands given"
    )


def evaluate_tasks(
    tasks: pd.DataFrame, bands: Sequence[ScoreBand], *, unit: str, year: int, subtargets: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The tasks of ``unit`` in ``year`` with ``class`` derived from ``self_score``,
    ``agrees`` (class == published_class; missing when the score is missing),
    ``n_subtargets`` and ``n_findings`` (rows of :func:`task_findings`; both 0
    when ``subtargets`` is not given). No rows for ``unit``/``year`` gives an
    empty frame. A score outside 0..100 raises :class:`DataValidationError`.

    >>> t = pd.DataFrame({"unit": ["u"], "year": [2024], "task": ["1.1"], "group": ["g"],
    ...     "title": ["t"], "self_score": [90], "published_class": ["Tốt"], "source": [""]})
    >>> bands = [ScoreBand(91, "Xuất sắc"), ScoreBand(0, "Tốt")]
    >>> evaluate_tasks(t, bands, unit="u", year=2024)[["task", "class", "agrees"]]
      task class  agrees
    0  1.1   Tốt    True
    """
    validate_frame(tasks, "tasks")
    tasks = _typed(tasks, TASK_NUMERIC, "tasks")
    out = tasks.loc[(tasks["unit"] == unit) & (tasks["year"] == year)].copy().reset_index(drop=True)
    classes, agree = [], []
    for row in out.itertuples(index=False):
        score = _number(row.self_score)
        try:
            label = classify_score(score, bands)
        except ValueError as exc:
            raise DataValidationError(f"tasks: task {row.task!r} ({unit} {year}), column 'self_score': {exc}") from None
        classes.append(label)
        agree.append(pd.NA if label == "" else label == _text(row.published_class))
    out["class"] = pd.Series(classes, dtype="str")
    out["agrees"] = pd.array(agree, dtype="boolean")
    out["n_subtargets"] = 0
    out["n_findings"] = 0
    if subtargets is not None:
        evaluated = evaluate_subtargets(subtargets, unit=unit, year=year)
        findings = task_findings(evaluated)
        out["n_subtargets"] = out["task"].map(evaluated["task"].value_counts()).fillna(0).astype(int)
        out["n_findings"] = out["task"].map(findings["task"].value_counts()).fillna(0).astype(int)
    return out[EVALUATED_TASK_COLUMNS + [c for c in out.columns if c not in EVALUATED_TASK_COLUMNS]]


# --- sub-targets ------------------------------------------------------------------------


def evaluate_subtargets(subtargets: pd.DataFrame, *, unit: str, year: int) -> pd.DataFrame:
    """The sub-targets of ``unit`` in ``year`` with their recomputation.

    Adds ``recomputed_pct`` (numerator / denominator × 100, else result_value /
    target_value × 100 when a percentage is published and the target is not a
    rate), ``pct_agrees`` (rounded or truncated to ``published_pct_decimals``;
    with the qualifier ``trên`` the rounded value need only reach the published
    one), ``achieved_value`` (the rate for a ``%`` target, else numerator or
    result_value), ``status`` (Vượt / Đạt / Không đạt against target_value,
    higher is better, judged at the published precision; Chưa xác định when the
    target is in words or no result is published), ``status_agrees`` (vượt, đạt
    and dự kiến đạt count as achieved) and ``explanation``. Missing or zero
    denominators give NaN with an explanation, never an error.

    >>> s = pd.DataFrame([dict.fromkeys(SUBTARGET_COLUMNS, "")])
    >>> s = s.assign(unit="u", year=2024, task="1", sub="1.a", target_value=100, measure_unit="%",
    ...              numerator=7556, denominator=82102, published_pct=9.36, published_pct_decimals=2,
    ...              published_status="không đạt")
    >>> r = evaluate_subtargets(s, unit="u", year=2024).iloc[0]
    >>> float(round(r.recomputed_pct, 2)), bool(r.pct_agrees), str(r.status), bool(r.status_agrees)
    (9.2, False, 'Không đạt', True)
    """
    validate_frame(subtargets, "subtargets")
    df = _typed(subtargets, SUBTARGET_NUMERIC, "subtargets")
    out = df.loc[(df["unit"] == unit) & (df["year"] == year)].copy().reset_index(drop=True)
    rows = [_evaluate_row(r) for r in _records(out)]
    out["recomputed_pct"] = pd.Series([r.recomputed_pct for r in rows], dtype="float64")
    out["pct_agrees"] = pd.array([r.pct_agrees for r in rows], dtype="boolean")
    out["achieved_value"] = pd.Series([r.achieved_value for r in rows], dtype="float64")
    out["status"] = pd.Series([str(r.status) for r in rows], dtype="str")
    out["status_agrees"] = pd.array([r.status_agrees for r in rows], dtype="boolean")
    out["explanation"] = pd.Series([r.explanation for r in rows], dtype="str")
    return out


def task_findings(evaluated_subtargets: pd.DataFrame) -> pd.DataFrame:
    """The disagreements of :func:`evaluate_subtargets`: one row per published
    percentage (``check`` = ``pct``) or status word (``check`` = ``status``)
    that the recomputation contradicts. Unverifiable figures are not listed.

    >>> s = pd.DataFrame([dict.fromkeys(SUBTARGET_COLUMNS, "")])
    >>> s = s.assign(unit="u", year=2024, task="1", sub="1.a", target_value=100, measure_unit="%",
    ...              numerator=7556, denominator=82102, published_pct=9.36, published_pct_decimals=2)
    >>> task_findings(evaluate_subtargets(s, unit="u", year=2024))[["sub", "published", "recomputed"]]
       sub published recomputed
    0  1.a     9,36%      9,20%
    """
    records = []
    for r in _records(evaluated_subtargets):
        base = {k: r[k] for k in ("unit", "year", "task", "sub", "description")}
        if _is_false(r["pct_agrees"]):
            records.append(
                base
                | {
                    "check": "pct",
                    "published": _published_pct_text(r),
                    "recomputed": _pct(r["recomputed_pct"], _pct_decimals(r)),
                    "explanation": r["explanation"],
                }
            )
        if _is_false(r["status_agrees"]):
            records.append(
                base
                | {
                    "check": "status",
                    "published": r["published_status"],
                    "recomputed": r["status"],
                    "explanation": r["explanation"],
                }
            )
    return pd.DataFrame(records, columns=FINDING_COLUMNS)


# --- reading ----------------------------------------------------------------------------


def read_tasks(data_dir: Path | str | None = None) -> pd.DataFrame:
    """``data/tasks.csv`` checked against the schema; empty text cells are ``""``."""
    return _typed(read_dataset("tasks", data_dir), TASK_NUMERIC, "tasks")


def read_subtargets(data_dir: Path | str | None = None) -> pd.DataFrame:
    """``data/subtargets.csv`` checked against the schema; empty text cells are ``""``."""
    return _typed(read_dataset("subtargets", data_dir), SUBTARGET_NUMERIC, "subtargets")


def _typed(df: pd.DataFrame, numeric: Mapping[str, NumericKind], where: str) -> pd.DataFrame:
    """A copy with ``numeric`` columns converted; the first bad cell is named by row and column."""
    out = df.copy()
    for column, kind in numeric.items():
        values = out[column]
        blank = values.isna() | (values.astype("str").str.strip() == "")
        converted = pd.to_numeric(values.where(~blank, None), errors="coerce")
        bad = converted.isna() & ~blank
        dtype: Literal["Int64", "float64"]
        if kind == "score":
            dtype = "Int64" if (converted.dropna() % 1 == 0).all() else "float64"
        else:
            dtype = kind
        if dtype == "Int64":
            bad |= converted.notna() & (converted % 1 != 0)
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise DataValidationError(
                f"{where}: row {i + 2}, column {column!r}: {values.iloc[i]!r} is not "
                + ("a whole number" if dtype == "Int64" else "a number")
            )
        out[column] = converted.astype(dtype)
    return out


class _SubtargetCheck(NamedTuple):
    """The recomputation of one sub-target (columns added by :func:`evaluate_subtargets`)."""

    recomputed_pct: float
    pct_agrees: bool | NAType
    achieved_value: float
    status: Status
    status_agrees: bool | NAType
    explanation: str


def _evaluate_row(r: Mapping[str, Any]) -> _SubtargetCheck:
    """The recomputed percentage and status of one sub-target row, with the explanation."""
    target, num, den = _number(r["target_value"]), _number(r["numerator"]), _number(r["denominator"])
    result, published = _number(r["result_value"]), _number(r["published_pct"])
    qualifier, word, mu = _text(r["published_pct_qualifier"]), _text(r["published_status"]), _text(r["measure_unit"])
    where = f"subtargets: sub {_text(r['sub'])!r}"
    if qualifier not in PCT_QUALIFIERS:
        raise DataValidationError(f"{where}, column 'published_pct_qualifier': {qualifier!r} is not one of '', 'trên'")
    if word and word not in PUBLISHED_STATUS_WORDS:
        raise DataValidationError(
            f"{where}, column 'published_status': {word!r} is not one of " + ", ".join(PUBLISHED_STATUS_WORDS)
        )
    parts: list[str] = []
    decimals = _pct_decimals(r)
    # 1. the percentage
    pct = math.nan
    pct_ok: bool | NAType = pd.NA
    if not (math.isnan(num) and math.isnan(den)):
        if math.isnan(num) or math.isnan(den):
            parts.append("không tính lại được tỷ lệ: thiếu tử số hoặc mẫu số")
        elif den == 0:
            parts.append(f"không tính lại được {_fmt(num)} / 0: mẫu số bằng 0")
        else:
            pct = num / den * 100
            parts.append(f"{_fmt(num)} / {_fmt(den)} = {_pct(pct, decimals)}")
    elif not math.isnan(published) and mu != "%" and not math.isnan(result) and not math.isnan(target):
        if target == 0:
            parts.append("không tính lại được kết quả / mục tiêu: mục tiêu bằng 0")
        else:
            pct = result / target * 100
            parts.append(f"{_fmt(result)} / {_fmt(target)} = {_pct(pct, decimals)}")
    if not math.isnan(published):
        if math.isnan(pct):
            parts.append(f"số công bố {_published_pct_text(r)} không kiểm tra được")
        else:
            d = 0 if decimals is None else decimals
            pct_ok = agrees(published, pct, d) or (qualifier == "trên" and round_half_up(pct, d) >= published)
            parts[-1] += f", công bố {_published_pct_text(r)}: {'khớp' if pct_ok else 'không khớp'}"
    # 2. the status
    if mu == "%":  # a rate target: the recomputed rate, else the published result
        achieved, shown_decimals = (pct, decimals) if not math.isnan(pct) else (result, None)
    else:  # a quantity target: the numerator (the quantity), else the result
        achieved, shown_decimals = (num if not math.isnan(num) else result), None
    status = Status.UNKNOWN
    status_ok: bool | NAType = pd.NA
    if math.isnan(target):
        parts.append(
            "mục tiêu bằng lời: không tính lại đánh giá"
            + (f", báo cáo ghi '{word}'" if word else ", báo cáo không ghi")
        )
    elif math.isnan(achieved):
        parts.append(f"không có kết quả: chưa đánh giá được (mục tiêu {_with_unit(target, mu)})")
    else:
        shown = achieved if shown_decimals is None else round_half_up(achieved, shown_decimals)
        status = Status.NOT_ACHIEVED if achieved < target else Status.ACHIEVED if shown == target else Status.EXCEEDED
        value = _pct(achieved, decimals) if mu == "%" and not math.isnan(pct) else _with_unit(achieved, mu)
        parts.append(f"{value} so với mục tiêu {_with_unit(target, mu)} → {status}")
        if word:
            published_status = PUBLISHED_STATUS_WORDS[word]
            status_ok = (published_status in ACHIEVED_STATUSES) == (status in ACHIEVED_STATUSES)
            if status_ok:
                parts[-1] += f", báo cáo ghi '{word}': khớp"
            elif published_status is Status.EXPECTED:
                parts[-1] += f", báo cáo ghi '{word}': dự kiến đạt nhưng số hiện tại còn dưới mục tiêu (cần theo dõi)"
            elif published_status in ACHIEVED_STATUSES:
                parts[-1] += f", báo cáo ghi '{word}': báo cáo là đạt nhưng tính lại chưa đạt"
            else:
                parts[-1] += f", báo cáo ghi '{word}': báo cáo là không đạt nhưng tính lại đã đạt"
    text = "; ".join(parts)
    return _SubtargetCheck(pct, pct_ok, achieved, status, status_ok, text[:1].upper() + text[1:] + ".")


# --- small helpers ----------------------------------------------------------------------


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a frame as dicts keyed by column name."""
    return [{str(k): v for k, v in r.items()} for r in df.to_dict("records")]


def _number(value: Any) -> float:
    """A float, NaN for missing (None, NA, NaN, "")."""
    if value is None or value is pd.NA or (isinstance(value, str) and not value.strip()):
        return math.nan
    return float(value)


def _plain(value: Any) -> Any:
    """A numpy scalar as a plain Python value (for messages)."""
    return value.item() if hasattr(value, "item") else value


def _is_false(value: Any) -> bool:
    """True only for a definite False (not for a missing value)."""
    return value is not None and value is not pd.NA and not bool(value)


def _text(value: Any) -> str:
    return (
        ""
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
        else str(value).strip()
    )


def _pct_decimals(r: Mapping[str, Any]) -> int | None:
    """Published decimals: the column, else those of the published number, else None."""
    d = r.get("published_pct_decimals")
    if d is not None and d is not pd.NA and not (isinstance(d, float) and math.isnan(d)) and str(d).strip():
        return int(float(d))
    published = _number(r.get("published_pct"))
    return None if math.isnan(published) else _decimals_of(published)


def _decimals_of(value: float) -> int:
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0, -int(exponent)) if isinstance(exponent, int) else 0


def _fmt(value: float) -> str:
    """Vietnamese number with the decimals it needs (at most 4)."""
    return format_number(value, min(_decimals_of(value), 4))


def _with_unit(value: float, measure_unit: str) -> str:
    """``3,3%``, ``715,96 ha``, ``2``."""
    sep = "" if measure_unit in ("", "%") else " "
    return f"{_fmt(value)}{sep}{measure_unit}"


def _pct(value: float, decimals: int | None) -> str:
    """A recomputed percentage, shown with at least 2 decimals so that rounding stays visible."""
    return format_number(value, max(2, decimals or 0), percent=True) if not math.isnan(value) else ""


def _published_pct_text(r: Mapping[str, Any]) -> str:
    qualifier = _text(r.get("published_pct_qualifier"))
    value = format_number(_number(r.get("published_pct")), _pct_decimals(r) or 0, percent=True)
    return f"{qualifier} {value}".strip()
