"""The audit: every published figure recomputed, and where they disagree.

A published figure *agrees* when it equals its recomputation rounded or
truncated to the published number of decimals (:func:`analysis.io.numbers.agrees`).
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Iterator, Mapping
from typing import Protocol, TypedDict, cast

import pandas as pd
from pandas.api.typing import NAType

from analysis.analyses.evaluate import Row, evaluate, headline, published_decimals
from analysis.analyses.targets import TargetParams, term_gaps
from analysis.errors import AnalysisError
from analysis.io.numbers import agrees, format_compact, format_number, parse_number
from analysis.io.schema import Kind, Status

AUDIT_COLUMNS = [
    "unit",
    "year",
    "tt",
    "indicator_id",
    "indicator",
    "figure",
    "published",
    "published_text",
    "recomputed",
    "decimals",
    "agrees",
    "explanation",
    "source",
]


class _EvaluatedRow(Protocol):
    """The fields of a row of :func:`~analysis.analyses.evaluate.evaluate` that the audit reads."""

    tt: int
    indicator_id: str
    indicator: str
    previous: float
    plan: float
    result: float
    attainment_pct: float
    trend_pct: float
    status: str
    status_basis: str
    adjusted_plan_note: str
    attainment_agrees: bool | NAType
    trend_agrees: bool | NAType


class _Figure(TypedDict):
    """A published figure of a note and its recomputation (part of an audit row)."""

    figure: str
    published: float
    published_text: str
    recomputed: float
    decimals: int
    agrees: bool | None
    explanation: str
    source: str


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_NUMBER = re.compile(r"\d[\d.]*(?:,\d+)?")


def evaluate_expression(text: str) -> float:
    """Evaluate a note's arithmetic written the Vietnamese way.

    Units and ``%`` are ignored; only numbers, ``+ - * / ( )`` and ``x``/``×``
    are allowed.

    >>> round(evaluate_expression("(1,92%+2,95%+1,76%+3,55%+1,64%)/5"), 3)
    2.364
    >>> evaluate_expression("80 × 5 − (30 + 131,1 + 80,7 + 43,3)")
    114.9
    """
    expr = text.replace("×", "*").replace("x", "*").replace("−", "-").replace("–", "-")
    expr = _NUMBER.sub(lambda m: repr(parse_number(m.group(0))), expr)
    expr = re.sub(r"[^\d.+\-*/() e]", "", expr)
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError as exc:
        raise AnalysisError(f"cannot read the arithmetic {text!r}") from exc

    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            right = walk(node.right)
            if isinstance(node.op, ast.Div) and right == 0:
                raise AnalysisError(f"division by zero in {text!r}")
            return _OPS[type(node.op)](walk(node.left), right)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        raise AnalysisError(f"cannot read the arithmetic {text!r}")

    return round(walk(tree), 12)


def audit(
    observations: pd.DataFrame, catalogue: pd.DataFrame, *, unit: str, year: int, params: TargetParams | None = None
) -> pd.DataFrame:
    """Every published figure of ``unit``'s table for ``year``, with its recomputation.

    Covers TH/KH and TH/TH percentages, published statuses, the notes'
    required values and arithmetic, and the published headline count.
    Use :func:`findings` to keep the disagreements.
    """
    ev = evaluate(observations, catalogue, unit=unit, year=year)
    gaps = term_gaps(observations, catalogue, unit=unit, year=year, params=params)
    # term_gaps has one row per catalogue row, keyed (unit, indicator_id)
    gap_of = dict(zip(gaps["indicator_id"].astype(str), cast(list[Row], gaps.to_dict("records"))))
    obs = observations[observations["unit"] == unit]
    by_indicator = _by_indicator(obs)
    rows: list[dict[str, object]] = []
    # pandas-stubs type every itertuples field as any scalar; these are evaluate()'s column types
    for r in cast(Iterator[_EvaluatedRow], ev.itertuples()):
        o = by_indicator.get(str(r.indicator_id), {})
        base = {"unit": unit, "year": year, "tt": r.tt, "indicator_id": r.indicator_id, "indicator": r.indicator}
        for kind, figure, value, denominator, agree in (
            (Kind.PUBLISHED_ATTAINMENT, "TH/KH (%)", r.attainment_pct, "kế hoạch", r.attainment_agrees),
            (Kind.PUBLISHED_TREND, f"TH {year}/TH {year - 1} (%)", r.trend_pct, f"kết quả {year - 1}", r.trend_agrees),
        ):
            pub = _one(o, kind, year)
            if pub is None or math.isnan(float(pub["value"])):
                continue
            dec = published_decimals(pub)
            ok = None if math.isnan(value) else bool(agree)
            expl = (
                f"Tính lại: {format_compact(r.result, 3)} / "
                f"{format_compact(r.plan if kind == Kind.PUBLISHED_ATTAINMENT else r.previous, 3)}"
                f" = {format_number(value, max(dec, 2))}%"
                if not math.isnan(value)
                else f"Không tính lại được: thiếu {denominator} dạng số."
            )
            if kind == Kind.PUBLISHED_ATTAINMENT and r.adjusted_plan_note and ok is False:
                expl += f". {r.adjusted_plan_note}"
            rows.append(
                {
                    **base,
                    "figure": figure,
                    "published": float(pub["value"]),
                    "published_text": pub["source_text"],
                    "recomputed": value,
                    "decimals": dec,
                    "agrees": ok,
                    "explanation": expl,
                    "source": pub["source"],
                }
            )
        pub = _one(o, Kind.PUBLISHED_STATUS, year)
        if pub is not None and r.status_basis not in ("", "theo báo cáo"):
            ok = status_words_agree(str(pub["text"]), r.status)
            rows.append(
                {
                    **base,
                    "figure": "Đánh giá",
                    "published": float("nan"),
                    "published_text": pub["text"],
                    "recomputed": float("nan"),
                    "decimals": pd.NA,
                    "agrees": ok,
                    "explanation": f"Tính lại: {r.status} (kết quả {r.result:g} so với kế hoạch {r.plan:g}).",
                    "source": pub["source"],
                }
            )
        gap = gap_of[str(r.indicator_id)]
        # notes of this year's table speak of next year (or the term's end)
        for pub in _all(o, Kind.PUBLISHED_REQUIRED, year + 1):
            rows.append({**base, **_check_required(pub, gap)})
        for pub in _all(o, Kind.PUBLISHED_EXPRESSION, year + 1):
            rows.append({**base, **_check_expression(pub)})
    hl = obs[(obs["kind"] == Kind.PUBLISHED_HEADLINE) & (obs["year"] == year)]
    for _, head in hl.iterrows():
        h = headline(ev)
        ok = int(head["value"]) == len(h.not_achieved) and (
            pd.isna(head["value_high"]) or int(head["value_high"]) == h.total
        )
        rows.append(
            {
                "unit": unit,
                "year": year,
                "tt": pd.NA,
                "indicator_id": "",
                "indicator": "Tiêu đề báo cáo",
                "figure": "Số chỉ tiêu không đạt",
                "published": float(head["value"]),
                "published_text": head["text"],
                "recomputed": float(len(h.not_achieved)),
                "decimals": 0,
                "agrees": ok,
                "explanation": f"Tính lại: {h.count_text} chỉ tiêu không đạt.",
                "source": head["source"],
            }
        )
    out = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
    out["agrees"] = out["agrees"].astype("boolean")
    return out


def findings(audited: pd.DataFrame) -> pd.DataFrame:
    """The rows of an audit whose published figure disagrees with its recomputation."""
    return audited[audited["agrees"].eq(False).fillna(False)].reset_index(drop=True)


def _by_indicator(obs: pd.DataFrame) -> dict[str, dict[tuple[str, float], list[Row]]]:
    """``obs`` by indicator, then by (kind, year): its records in frame order."""
    out: dict[str, dict[tuple[str, float], list[Row]]] = {}
    for row in cast(list[Row], obs.to_dict("records")):
        out.setdefault(str(row["indicator_id"]), {}).setdefault((str(row["kind"]), row["year"]), []).append(row)
    return out


def _one(o: Mapping[tuple[str, float], list[Row]], kind: str, year: int) -> Row | None:
    hits = o.get((str(kind), year))
    return hits[0] if hits else None


def _all(o: Mapping[tuple[str, float], list[Row]], kind: str, year: int) -> list[Row]:
    return list(o.get((str(kind), year), ()))


def status_words_agree(published: str, recomputed: str) -> bool:
    """Whether a published status word agrees with the recomputed status.

    "Đạt" (met) covers exceeding; "Vượt" claims more than the plan; "Dự kiến đạt"
    is any achieved status.

    >>> status_words_agree("Đạt", "Vượt"), status_words_agree("Vượt", "Đạt")
    (True, False)
    >>> status_words_agree("không đạt", "Không đạt")
    True
    """
    p, r = published.strip().casefold(), recomputed.strip().casefold()
    achieved = {Status.EXCEEDED.value.casefold(), Status.ACHIEVED.value.casefold(), Status.EXPECTED.value.casefold()}
    if p == Status.EXCEEDED.value.casefold():
        return r == p
    if p in (Status.ACHIEVED.value.casefold(), Status.EXPECTED.value.casefold()):
        return r in achieved
    return p == r


def _check_required(pub: Row, gap: Row) -> _Figure:
    published = float(pub["value"])
    recomputed = float(gap["required_value"])
    mu = pub["measure_unit"]
    dec = published_decimals(pub)
    whole = gap["required_bound"] == "tối đa" and dec == 0
    if math.isnan(recomputed):
        ok, expl = None, f"Không tính lại được: {gap['explanation']}"
    else:
        ok = (published == recomputed) if whole else agrees(published, recomputed, dec)
        expl = f"Tính lại: {gap['explanation']}"
        if ok is False:
            expl += (
                f" Ghi chú nêu {pub['text']!s} {format_number(published, dec)} {mu}".rstrip()
                + f", tính lại được {format_number(recomputed, max(dec, 0 if whole else 3))} {mu}.".replace(" .", ".")
            )
    return {
        "figure": f"Ghi chú: {pub['text'] or 'giá trị'} năm {int(pub['year'])}",
        "published": published,
        "published_text": pub["source_text"],
        "recomputed": recomputed,
        "decimals": dec,
        "agrees": ok,
        "explanation": expl,
        "source": pub["source"],
    }


def _check_expression(pub: Row) -> _Figure:
    published = float(pub["value"])
    dec = published_decimals({"source_text": _after_equals(str(pub["source_text"]))})
    try:
        recomputed = evaluate_expression(str(pub["text"]))
        ok: bool | None = agrees(published, recomputed, dec)
        expl = f"Tính lại: {pub['text']} = {format_number(recomputed, max(dec, 3))}"
    except AnalysisError as exc:
        recomputed, ok, expl = float("nan"), None, f"Không tính lại được: {exc}"
    return {
        "figure": "Ghi chú: phép tính",
        "published": published,
        "published_text": pub["source_text"],
        "recomputed": recomputed,
        "decimals": dec,
        "agrees": ok,
        "explanation": expl,
        "source": pub["source"],
    }


def _after_equals(text: str) -> str:
    return text.rsplit("=", 1)[-1] if "=" in text else text
