"""The audit: every published figure recomputed, and where they disagree.

A published figure *agrees* when it equals its recomputation rounded or
truncated to the published number of decimals (:func:`analysis.io.numbers.agrees`).
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Iterator
from typing import Protocol, TypedDict, cast

import pandas as pd
from pandas.api.typing import NAType

from analysis.analyses.evaluate import RESULT_KINDS, by_indicator, evaluate, headline, pick, published_decimals, rows_of
from analysis.analyses.targets import TargetParams, term_gaps
from analysis.analyses.verdicts import audit_verdict, compare
from analysis.errors import AnalysisError
from analysis.io.numbers import agrees, format_compact, format_number, parse_number
from analysis.io.schema import Kind

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
    "outcome",
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
    recomputed_attainment_pct: float
    recomputed_trend_pct: float
    status: str
    status_basis: str
    requirement: str
    adjusted_plan_note: str
    check_note: str
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
    observations: pd.DataFrame,
    catalogue: pd.DataFrame,
    *,
    unit: str,
    year: int,
    params: TargetParams | None = None,
) -> pd.DataFrame:
    """Every published figure of ``unit``'s table for ``year``, with its recomputation.

    Covers TH/KH and TH/TH percentages, published statuses (verdicts), the notes'
    required values and arithmetic, and the published headline count. ``outcome`` says
    what the check found: ``agrees``; ``slip`` (a disagreement: :func:`findings`);
    ``explained`` (disagrees with the plan as printed, agrees with a plan adjusted by
    data, whose reason is given); ``nuance`` (a verdict of Vượt where the figures say
    Đạt, or the reverse: shown, not a slip); ``not_checked``.
    """
    params = params or TargetParams()
    ev = evaluate(observations, catalogue, unit=unit, year=year, about_tolerance_pct=params.about_tolerance_pct)
    gaps = term_gaps(observations, catalogue, unit=unit, year=year, params=params).set_index("indicator_id")
    obs = observations[observations["unit"] == unit]
    parts = by_indicator(obs)
    rows: list[dict[str, object]] = []
    # pandas-stubs type every itertuples field as any scalar; these are evaluate()'s column types
    for r in cast(Iterator[_EvaluatedRow], ev.itertuples()):
        o = rows_of(parts, obs, r.indicator_id)
        base = {"unit": unit, "year": year, "tt": r.tt, "indicator_id": r.indicator_id, "indicator": r.indicator}
        for kind, figure, value, agree in (
            (Kind.PUBLISHED_ATTAINMENT, "TH/KH (%)", r.recomputed_attainment_pct, r.attainment_agrees),
            (Kind.PUBLISHED_TREND, f"TH {year}/TH {year - 1} (%)", r.recomputed_trend_pct, r.trend_agrees),
        ):
            pub = _one(o, kind, year)
            if pub is None or math.isnan(float(pub["value"])):
                continue
            rows.append({**base, **_check_ratio(pub, kind, figure, value, agree, r, o, year)})
        pub = _one(o, Kind.PUBLISHED_STATUS, year)
        if pub is not None:  # every published verdict: agrees, disagrees (why) or cannot tell (why)
            rows.append({**base, **audit_verdict(r, pub, ev)})
        # a Series: term_gaps has one row per catalogue row, keyed (unit, indicator_id)
        gap = cast(pd.Series, gaps.loc[r.indicator_id])
        # notes of this year's table speak of next year (or the term's end)
        for pub in _all(o, Kind.PUBLISHED_REQUIRED, year + 1):
            rows.append({**base, **_with_outcome(_check_required(pub, gap))})
        for pub in _all(o, Kind.PUBLISHED_EXPRESSION, year + 1):
            rows.append({**base, **_with_outcome(_check_expression(pub))})
    hl = obs[(obs["kind"] == Kind.PUBLISHED_HEADLINE) & (obs["year"] == year)]
    for _, pub in hl.iterrows():
        h = headline(ev)
        ok = int(pub["value"]) == len(h.not_achieved) and (
            pd.isna(pub["value_high"]) or int(pub["value_high"]) == h.total
        )
        rows.append(
            {
                "unit": unit,
                "year": year,
                "tt": pd.NA,
                "indicator_id": "",
                "indicator": "Tiêu đề báo cáo",
                "figure": "Số chỉ tiêu không đạt",
                "published": float(pub["value"]),
                "published_text": pub["text"],
                "recomputed": float(len(h.not_achieved)),
                "decimals": 0,
                "agrees": ok,
                "outcome": "agrees" if ok else "slip",
                "explanation": f"Tính lại: {h.count_text} chỉ tiêu không đạt.",
                "source": pub["source"],
            }
        )
    out = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
    out["agrees"] = out["agrees"].astype("boolean")
    return out


_AGREES: dict[str, bool | None] = {
    "agrees": True,
    "explained": True,
    "nuance": True,
    "slip": False,
    "not_checked": None,
}


def _with_outcome(figure: _Figure) -> dict[str, object]:
    ok = figure["agrees"]
    return {**figure, "outcome": "not_checked" if ok is None else ("agrees" if ok else "slip")}


# The figures of a row a published ratio may have been worked from, by name.
def _candidates(o: pd.DataFrame, year: int) -> list[tuple[str, float]]:
    named = [
        (f"kết quả {year}", pick(o, RESULT_KINDS, year)),
        (f"KH {year}", pick(o, Kind.PLAN, year)),
        (f"KH điều chỉnh {year}", pick(o, Kind.ADJUSTED_PLAN, year)),
        (f"KH {year + 1}", pick(o, Kind.PLAN, year + 1)),
        ("NQ Đại hội", pick(o, Kind.TERM_TARGET, year + 1)),
        (f"kết quả {year - 1}", pick(o, RESULT_KINDS, year - 1)),
    ]
    return [(name, float(row["value"])) for name, row in named if row is not None and not pd.isna(row["value"])]


def likely_cause(o: pd.DataFrame, year: int, published: float, decimals: int, intended: tuple[str, str]) -> str:
    """Which other figures of the row give the published percentage, in words ('' if none):
    the likely reason of a disagreement (row 16: 65 / 62,02 = 104,80%, KH 2025 for the result)."""
    figures = _candidates(o, year)
    for num_name, num in figures:
        for den_name, den in figures:
            if (num_name, den_name) == intended or num_name == den_name or not den:
                continue
            value = num / den * 100
            if agrees(published, value, decimals):
                return (
                    f"Số công bố khớp với {format_compact(num, 3)} / {format_compact(den, 3)} = "
                    f"{format_number(value, max(decimals, 2))}% ({num_name} / {den_name}): có thể đã dùng nhầm số liệu."
                )
    return ""


def _check_ratio(
    pub: pd.Series, kind: str, figure: str, value: float, agree: object, r: _EvaluatedRow, o: pd.DataFrame, year: int
) -> dict[str, object]:
    attainment = kind == Kind.PUBLISHED_ATTAINMENT
    dec = published_decimals(pub)
    denominator = r.plan if attainment else r.previous
    if math.isnan(value):
        outcome, expl = (
            "not_checked",
            f"Không tính lại được: thiếu {'kế hoạch' if attainment else f'kết quả {year - 1}'} dạng số.",
        )
    else:
        expl = (
            f"Tính lại: {format_compact(r.result, 3)} / {format_compact(denominator, 3)}"
            f" = {format_number(value, max(dec, 2))}%"
        )
        outcome = "agrees" if bool(agree) else "slip"
        if attainment and r.check_note and bool(agree):
            outcome = "explained"
            expl = (
                f"{r.check_note}. {r.adjusted_plan_note}".strip(". ")
                + ". Số công bố đúng, được giải thích bởi kế hoạch điều chỉnh."
            )
        elif outcome == "slip":
            intended = (f"kết quả {year}", f"KH {year}" if attainment else f"kết quả {year - 1}")
            cause = likely_cause(o, year, float(pub["value"]), dec, intended)
            expl += f". {cause}" if cause else "."
            notes = [str(n["text"]) for n in _all(o, Kind.NOTE, year) + _all(o, Kind.NOTE, year + 1) if n["text"]]
            if notes and attainment:
                expl += f" Ghi chú của dòng: “{notes[0]}”."
    return {
        "figure": figure,
        "published": float(pub["value"]),
        "published_text": pub["source_text"],
        "recomputed": value,
        "decimals": dec,
        "agrees": _AGREES[outcome],
        "outcome": outcome,
        "explanation": expl,
        "source": pub["source"],
    }


def findings(audited: pd.DataFrame) -> pd.DataFrame:
    """The rows of an audit whose published figure disagrees with its recomputation (slips)."""
    return audited[audited["agrees"].eq(False).fillna(False)].reset_index(drop=True)


def explained(audited: pd.DataFrame) -> pd.DataFrame:
    """The rows of an audit that differ from a plain recomputation for a reason the data give,
    and the verdicts that differ only in degree (Vượt or Đạt): shown, not slips."""
    return audited[audited["outcome"].isin(["explained", "nuance"])].reset_index(drop=True)


def _one(o: pd.DataFrame, kind: str, year: int) -> pd.Series | None:
    return pick(o, kind, year)


def _all(o: pd.DataFrame, kind: str, year: int) -> list[pd.Series]:
    # numpy masks, as pick: called for every row of every audited table
    if o.empty:
        return []
    hits = ((o["kind"].to_numpy() == kind) & (o["year"].to_numpy() == year)).nonzero()[0]
    return [o.iloc[i] for i in hits]


def compare_verdicts(published: str, recomputed: str) -> str:
    """How a published verdict compares with the recomputed status: ``agrees``, ``nuance``
    (Vượt against Đạt, or the reverse), ``slip`` (achieved against not achieved) or
    ``not_checked``. "Dự kiến" (an estimate) is no difference.

    >>> compare_verdicts("Đạt", "Dự kiến đạt"), compare_verdicts("Vượt", "Đạt"), compare_verdicts("Đạt", "Không đạt")
    ('agrees', 'nuance', 'slip')
    >>> compare_verdicts("không đạt", "Dự kiến không đạt"), compare_verdicts("tốt", "Đạt")
    ('agrees', 'not_checked')
    """
    return compare(published, recomputed)


def _check_required(pub: pd.Series, gap: pd.Series) -> _Figure:
    published = float(pub["value"])
    recomputed = float(gap["required_value"])
    mu = pub["measure_unit"]
    dec = published_decimals(pub)
    whole = gap["required_bound"] == "tối đa" and dec == 0
    if math.isnan(recomputed):
        ok, expl = None, f"Không tính lại được: {gap['explanation']}"
    else:
        ok = (published == recomputed) if whole else agrees(published, recomputed, dec)
        said = str(gap["explanation"])
        if gap["projection_note"]:
            said = said.replace(f"; {gap['projection_note']}", "")
        expl = f"Tính lại: {said}"
        if ok is False:
            expl += (
                f" Ghi chú nêu {pub['text']!s} {format_number(published, dec)} {mu}".rstrip()
                + f", tính lại được {format_number(recomputed, max(dec, 0 if whole else 3))} {mu}.".replace(" .", ".")
            )
    return _figure(
        pub, f"Ghi chú: {pub['text'] or 'giá trị'} năm {int(pub['year'])}", published, recomputed, dec, ok, expl
    )


def _check_expression(pub: pd.Series) -> _Figure:
    published = float(pub["value"])
    dec = published_decimals(pd.Series({"source_text": _after_equals(str(pub["source_text"]))}))
    try:
        recomputed = evaluate_expression(str(pub["text"]))
        ok: bool | None = agrees(published, recomputed, dec)
        expl = f"Tính lại: {pub['text']} = {format_number(recomputed, max(dec, 3))}"
    except AnalysisError as exc:
        recomputed, ok, expl = float("nan"), None, f"Không tính lại được: {exc}"
    return _figure(pub, "Ghi chú: phép tính", published, recomputed, dec, ok, expl)


def _figure(
    pub: pd.Series, figure: str, published: float, recomputed: float, dec: int, ok: bool | None, expl: str
) -> _Figure:
    """One checked figure of a note, in the audit's words."""
    return {
        "figure": figure,
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
