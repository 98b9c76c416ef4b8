"""The data-entry form of a unit and year, and the check of a returned one (pure functions).

:func:`form_rows` lists what the form shows per indicator: last year's result and this year's
plan (filled in, locked), the target written out in Vietnamese, and what the result cell
accepts (a number, or the words the target allows). :func:`check_entries` checks what came
back and turns the accepted cells into observations with their provenance. Writing and
reading the workbook: :mod:`analysis.report.form_xlsx` and :mod:`analysis.io.forms`.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from analysis.analyses.evaluate import RESULT_KINDS, pick, unit_catalogue
from analysis.analyses.value_checks import check_value
from analysis.errors import AnalysisError
from analysis.io.forms import Entry
from analysis.io.numbers import format_compact, format_number, parse_cell
from analysis.io.schema import OBSERVATION_COLUMNS, Direction, Kind, Status

FORM_COLUMNS = [
    "tt",
    "indicator_id",
    "indicator",
    "measure_unit",
    "direction",
    "target_type",
    "decimals",
    "previous",
    "previous_text",
    "plan",
    "plan_text",
    "target",
    "accepts",
    "words",
    "illustrative",
]
#: Words a result of a words-only target may take.
RESULT_WORDS = (Status.EXCEEDED.value, Status.ACHIEVED.value, Status.NOT_ACHIEVED.value)
#: The "Loại số liệu" choices and the observation kind of each.
RESULT_KIND_WORDS = {"Thực hiện": Kind.RESULT, "Ước thực hiện": Kind.ESTIMATE}
DIRECTION_VI: dict[str, str] = {
    Direction.HIGHER: "càng cao càng tốt",
    Direction.LOWER: "càng thấp càng tốt",
    Direction.MAINTAIN: "duy trì mức kế hoạch",
    Direction.TEXT: "đánh giá bằng lời",
}


def _written(row: pd.Series | None, measure_unit: str, decimals: int) -> tuple[float, str]:
    """A figure as a number in the indicator's unit (NaN otherwise) and as written."""
    if row is None:
        return float("nan"), ""
    value = float(row["value"]) if not pd.isna(row["value"]) else float("nan")
    same_unit = str(row.get("measure_unit", "")) in ("", measure_unit)
    words = str(row.get("text", "") or "").strip()
    if not math.isnan(value) and same_unit:
        return value, words or _with_unit(format_number(value, decimals), measure_unit)
    return float("nan"), words or str(row.get("source_text", "") or "").strip()


def _with_unit(number: str, measure_unit: str) -> str:
    """``12,00%``, ``200.000 lượt người``."""
    return number + measure_unit if measure_unit == "%" else f"{number} {measure_unit}".strip()


def form_rows(observations: pd.DataFrame, catalogue: pd.DataFrame, *, unit: str, year: int) -> pd.DataFrame:
    """One row per indicator of ``unit`` (columns :data:`FORM_COLUMNS`), in table order.

    ``previous`` is the result (or estimate) of ``year - 1`` and ``plan`` the plan of ``year``,
    as numbers when they are in the indicator's unit (NaN otherwise), with the wording in
    ``previous_text`` / ``plan_text``; ``target`` writes the plan, the direction and the
    congress target out in Vietnamese; ``accepts`` is ``number`` or ``words`` (then ``words``
    lists them, ``;``-separated); ``illustrative`` is true when a figure shown is illustrative.
    """
    cat = unit_catalogue(catalogue, unit)
    obs = observations[observations["unit"] == unit]
    rows: list[dict[str, Any]] = []
    for _, ind in cat.iterrows():
        o = obs[obs["indicator_id"] == ind["indicator_id"]]
        measure, decimals = str(ind["measure_unit"]), _decimals(ind.get("decimals"))
        prev_row, plan_row = pick(o, RESULT_KINDS, year - 1), pick(o, Kind.PLAN, year)
        term_end = _decimals(ind.get("term_end"))
        term_row = pick(o, Kind.TERM_TARGET, term_end) if term_end else None
        previous, previous_text = _written(prev_row, measure, decimals)
        plan, plan_text = _written(plan_row, measure, decimals)
        _, term_text = _written(term_row, measure, decimals)
        direction = str(ind["direction"])
        words = direction == Direction.TEXT
        target = f"Kế hoạch năm {year}: {plan_text or 'chưa có'} ({DIRECTION_VI.get(direction, direction)})"
        if term_text:
            target += f"; Nghị quyết Đại hội đến năm {term_end}: {term_text}"
        used = [r for r in (prev_row, plan_row) if r is not None]
        rows.append(
            {
                "tt": int(ind["tt"]),
                "indicator_id": str(ind["indicator_id"]),
                "indicator": str(ind["indicator"]),
                "measure_unit": measure,
                "direction": direction,
                "target_type": str(ind.get("target_type", "") or ""),
                "decimals": decimals,
                "previous": previous,
                "previous_text": previous_text,
                "plan": plan,
                "plan_text": plan_text,
                "target": target + ".",
                "accepts": "words" if words else "number",
                "words": ";".join(RESULT_WORDS) if words else "",
                "illustrative": any(bool(r.get("illustrative", False)) for r in used),
            }
        )
    return pd.DataFrame(rows, columns=FORM_COLUMNS)


def _decimals(value: Any) -> int:
    """A whole number of the catalogue (decimals, a year), 0 when empty."""
    return 0 if value is None or pd.isna(value) else int(value)


#: A problem of a submission; ``confirmable`` when a confirmation can clear it (a jump from last year).
def _float(value: Any) -> float:
    return float(value)


PROBLEM_COLUMNS = ["file", "sheet", "cell", "indicator_id", "value", "reason", "confirmable"]


NOT_A_NUMBER = "ô kết quả phải là một số: không nhập chữ, ghi chú hay đơn vị tính khác vào ô này"
AMBIGUOUS = (
    "số viết không rõ nghĩa (dấu chấm có thể là dấu phân cách hàng nghìn hoặc dấu thập phân): hãy ghi lại cho rõ"
)


def _number(value: Any, measure_unit: str) -> tuple[float, str]:
    """A result cell as a number, or the reason it is not one. A number typed as text is read
    the Vietnamese way (``1.231,5``), as the ingest reads tables; words, ranges, another unit or
    an ambiguous number are refused.

    >>> _number(12.5, "%"), _number("1.231,5", "ha"), _number("12 vụ", "vụ")
    ((12.5, ''), (1231.5, ''), (12.0, ''))
    >>> _number("chưa có số liệu", "%")[1] == NOT_A_NUMBER, _number("5 ha", "%")[1] == NOT_A_NUMBER
    (True, True)
    >>> _number("1.26", "%")[1] == AMBIGUOUS
    True
    """
    if isinstance(value, bool):
        return float("nan"), NOT_A_NUMBER
    if isinstance(value, int | float):
        number = float(value)
        return (number, "") if math.isfinite(number) else (float("nan"), "ô kết quả không phải là số hợp lệ")
    cell = parse_cell(str(value))
    if cell.ambiguous:
        return float("nan"), AMBIGUOUS
    plain = (
        cell.value is not None
        and not cell.words
        and not cell.details
        and not cell.ambiguous
        and cell.value_high is None
        and cell.measure_unit in ("", measure_unit)
    )
    return (float(cell.value), "") if plain and cell.value is not None else (float("nan"), NOT_A_NUMBER)


def check_entries(
    entries: list[Entry],
    form: pd.DataFrame,
    *,
    unit: str,
    year: int,
    file: str,
    sha256: str,
    jump_factor: float = 10.0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The observations a returned form gives (columns of ``observations.csv``) and its problems
    (:data:`PROBLEM_COLUMNS`, reasons in Vietnamese). A number cell holding words, a word not
    allowed, an unknown indicator, an indicator's second row, an unknown "Loại số liệu", a value
    the indicator cannot take (:func:`analysis.analyses.value_checks.check_value`) are problems;
    an empty result cell is skipped. A jump from last year's result is a *confirmable* problem:
    its observation is given too, taken in only if the jump is confirmed. ``source`` of each
    observation is ``file:sheet!cell:sha256=<hex>`` (the file name first, as in the other
    curated sources).
    """
    known = form.set_index("indicator_id")
    obs: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []

    def refuse(e: Entry, cell: str, value: Any, reason: str, confirmable: bool = False) -> None:
        problems.append(
            {
                "file": file,
                "sheet": e.sheet,
                "cell": cell,
                "indicator_id": e.indicator_id,
                "value": value,
                "reason": reason,
                "confirmable": confirmable,
            }
        )

    rows_of: dict[str, str] = {}
    for e in entries:
        if e.indicator_id not in known.index:
            refuse(e, e.cell, e.value, f"mã chỉ tiêu {e.indicator_id!r} không có trong danh mục của đơn vị")
            continue
        if e.indicator_id in rows_of:
            first = rows_of[e.indicator_id]
            refuse(
                e,
                e.cell,
                e.value,
                f"mã chỉ tiêu {e.indicator_id!r} lặp lại (đã có ở ô {first}): mỗi chỉ tiêu chỉ nhập một dòng",
            )
            continue
        rows_of[e.indicator_id] = e.cell
        row = known.loc[e.indicator_id]
        kind = RESULT_KIND_WORDS.get(e.kind_word.strip() or "Thực hiện")
        if kind is None:
            refuse(e, e.kind_cell, e.kind_word, "loại số liệu phải là 'Thực hiện' hoặc 'Ước thực hiện'")
        if e.value is None or (isinstance(e.value, str) and not e.value.strip()):
            continue
        number, text = float("nan"), ""
        if row["accepts"] == "words":
            allowed = str(row["words"]).split(";")
            if str(e.value).strip() not in allowed:
                refuse(e, e.cell, e.value, "chỉ được chọn một trong: " + ", ".join(allowed))
                continue
            text = str(e.value).strip()
        else:
            number, why = _number(e.value, str(row["measure_unit"]))
            if why:
                refuse(e, e.cell, e.value, why)
                continue
            found = check_value(
                number,
                measure_unit=str(row["measure_unit"]),
                target_type=str(row.get("target_type", "") or ""),
                decimals=_decimals(row["decimals"]),
                previous=_float(row["previous"]),
                year=year,
                jump_factor=jump_factor,
                written=e.value if isinstance(e.value, str) else "",
            )
            if found is not None:
                refuse(e, e.cell, e.value, found.reason, found.confirmable)
                if not found.confirmable:
                    continue
        if kind is None:
            continue
        shown = text or format_compact(number, 6)
        obs.append(
            {
                "unit": unit,
                "indicator_id": e.indicator_id,
                "year": float(year),
                "kind": str(kind),
                "value": number,
                "value_high": float("nan"),
                "measure_unit": "" if text else str(row["measure_unit"]),
                "text": text,
                "source": f"{file}:{e.sheet}!{e.cell}:sha256={sha256}",
                "source_text": shown,
                "note": e.note.strip(),
            }
        )
    return pd.DataFrame(obs, columns=OBSERVATION_COLUMNS), pd.DataFrame(problems, columns=PROBLEM_COLUMNS)


def unit_frames(
    unit: str,
    curated_catalogue: pd.DataFrame,
    curated_observations: pd.DataFrame,
    commune_catalogue: pd.DataFrame | None = None,
    commune_observations: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """The catalogue and observations that hold ``unit``'s indicators, and the dataset its new
    figures go to: ``observations`` (``indicators.csv``) or ``commune_observations`` (the commune
    catalogue of ``data/illustrative/``). :class:`AnalysisError` when neither has the unit.
    """
    if (curated_catalogue["unit"] == unit).any():
        return curated_catalogue, curated_observations, "observations"
    if commune_catalogue is not None and commune_observations is not None and (commune_catalogue["unit"] == unit).any():
        return commune_catalogue, commune_observations, "commune_observations"
    raise AnalysisError(f"unit {unit!r} has no indicator catalogue (indicators.csv or the commune catalogue)")
