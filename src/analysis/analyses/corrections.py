"""Which figures of an evaluated table were corrected (đính chính), and what each correction
changes, for the table and the appendix.

The corrections themselves are applied when the curated data are read
(:func:`analysis.io.corrections.apply_corrections`); here they are shown. A correction is not a
slip of the published report: the audit checks the figures as published
(:attr:`analysis.io.datasets.Curated.as_published`), and :func:`correction_effects` says,
apart, which derived figures a correction moves (old value, new value).
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.analyses.evaluate import evaluate, headline
from analysis.analyses.targets import TargetParams, term_gaps
from analysis.io.numbers import format_compact, format_number
from analysis.io.schema import CORRECTION_COLUMNS

#: The figure a correction's ``field`` names, in Vietnamese.
FIELD_VI = {
    "result": "kết quả",
    "estimate": "ước thực hiện",
    "plan": "kế hoạch",
    "adjusted_plan": "kế hoạch điều chỉnh",
    "term_target": "mục tiêu Nghị quyết Đại hội",
    "stock": "số lũy kế",
    "published_attainment_pct": "TH/KH (%) công bố",
    "published_trend_pct": "TH/TH (%) công bố",
    "published_status": "đánh giá công bố",
}
#: The columns of :func:`unit_corrections`, with their Vietnamese headers.
CORRECTION_HEADERS = {
    "year": "Năm",
    "indicator": "Chỉ tiêu",
    "figure": "Số liệu",
    "old_value": "Số cũ",
    "new_value": "Số mới",
    "reason": "Lý do",
    "who": "Người/cơ quan đính chính",
    "date": "Ngày",
    "source_document": "Văn bản",
}
#: The columns of :func:`correction_effects`.
EFFECT_COLUMNS = ["unit", "year", "tt", "indicator_id", "indicator", "figure", "old_value", "new_value", "moves"]


def correction_value(field: str, text: object) -> str:
    """A correction's value as an official reads it: numbers the Vietnamese way (``43.3`` →
    ``43,3``, ``97000`` → ``97.000``), words (``published_status``) as written.

    >>> correction_value("result", "43.3"), correction_value("plan", "97000"), correction_value("published_status", "Đạt")
    ('43,3', '97.000', 'Đạt')
    """
    try:
        value = float(str(text).strip())
    except ValueError:
        return str(text).strip()
    return str(text).strip() if field == "published_status" or math.isnan(value) else format_compact(value, 6)


def unit_corrections(
    corrections: pd.DataFrame, catalogue: pd.DataFrame, *, unit: str, up_to_year: int | None = None
) -> pd.DataFrame:
    """The corrections of ``unit`` (of the years up to ``up_to_year`` when given), with the
    indicator's wording and the figure named in Vietnamese (``figure``), in file order.

    >>> fixes = pd.DataFrame([{"unit": "u", "year": 2024.0, "indicator_id": "i", "field": "result",
    ...     "measure_unit": "", "old_value": "95", "new_value": "97", "reason": "nhập nhầm", "who": "Phòng TK",
    ...     "date": "2025-01-10", "source_document": "CV 12"}])
    >>> cat = pd.DataFrame({"unit": ["u"], "indicator_id": ["i"], "indicator": ["Tỷ lệ BHYT"]})
    >>> unit_corrections(fixes, cat, unit="u")[["year", "indicator", "figure", "date"]].values.tolist()
    [[2024, 'Tỷ lệ BHYT', 'kết quả', '10/01/2025']]
    """
    mine = corrections[corrections["unit"] == unit]
    if up_to_year is not None:
        mine = mine[mine["year"] <= up_to_year]
    names = dict(zip(catalogue.loc[catalogue["unit"] == unit, "indicator_id"], catalogue["indicator"], strict=False))
    out = pd.DataFrame(
        {
            "unit": mine["unit"],
            "year": mine["year"].astype(int),
            "indicator_id": mine["indicator_id"],
            "indicator": [names.get(i, i) for i in mine["indicator_id"]],
            "field": mine["field"],
            "figure": [FIELD_VI.get(f, f) for f in mine["field"]],
            **{
                c: mine[c]
                for c in CORRECTION_COLUMNS
                if c not in ("unit", "year", "indicator_id", "field", "date", "old_value", "new_value")
            },
            "old_value": [correction_value(f, v) for f, v in zip(mine["field"], mine["old_value"], strict=True)],
            "new_value": [correction_value(f, v) for f, v in zip(mine["field"], mine["new_value"], strict=True)],
            "date": [pd.Timestamp(d).strftime("%d/%m/%Y") for d in mine["date"]],
        }
    )
    return out.reset_index(drop=True)


def mark_corrected(evaluated: pd.DataFrame, corrections: pd.DataFrame) -> pd.DataFrame:
    """``evaluated`` with a ``corrected`` column: the figures of each row that were corrected,
    in Vietnamese (``kết quả 2024: 95 → 97``), '' for the rows without a correction. The
    figures of a row are those of its year and last year's result (its ``previous``).

    >>> ev = pd.DataFrame({"unit": ["u", "u"], "year": [2024, 2024], "indicator_id": ["i", "j"]})
    >>> fixes = pd.DataFrame({"unit": ["u"], "year": [2023.0], "indicator_id": ["i"], "field": ["result"],
    ...     "old_value": ["95"], "new_value": ["97"]})
    >>> mark_corrected(ev, fixes)["corrected"].tolist()
    ['kết quả 2023: 95 → 97', '']
    >>> fixes.loc[0, ["old_value", "new_value"]] = ["97000", "98000.5"]
    >>> mark_corrected(ev, fixes)["corrected"].tolist()[0]
    'kết quả 2023: 97.000 → 98.000,5'
    """
    out = evaluated.copy()
    texts = []
    for unit, year, iid in zip(out["unit"], out["year"], out["indicator_id"], strict=True):
        this_year = corrections["year"] == int(year)
        last_result = (corrections["year"] == int(year) - 1) & corrections["field"].isin(["result", "estimate"])
        hit = corrections[
            (corrections["unit"] == unit) & (corrections["indicator_id"] == iid) & (this_year | last_result)
        ]
        texts.append(
            "; ".join(
                f"{FIELD_VI.get(str(r.field), r.field)} {int(r.year)}: "
                f"{correction_value(str(r.field), r.old_value)} → {correction_value(str(r.field), r.new_value)}"
                for r in hit.itertuples()
            )
        )
    out["corrected"] = pd.Series(texts, index=out.index, dtype=str)
    return out


#: The columns of :func:`~analysis.analyses.evaluate.evaluate` that say whether a published
#: percentage agrees with its recomputation.
AGREEMENT_COLUMNS = ("attainment_agrees", "trend_agrees", "agrees")


def agreement_as_published(evaluated: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """``evaluated`` (of the corrected figures) with its agreement columns taken from
    ``published`` (the same table evaluated on the figures as published): a published
    percentage that was right for the published result is not blamed for a later correction.

    >>> ev = pd.DataFrame({"indicator_id": ["i"], "attainment_agrees": [False], "trend_agrees": [True],
    ...     "agrees": [False]})
    >>> pub = pd.DataFrame({"indicator_id": ["i"], "attainment_agrees": [True], "trend_agrees": [True],
    ...     "agrees": [True]})
    >>> agreement_as_published(ev, pub)["agrees"].tolist()
    [True]
    """
    out = evaluated.copy()
    by_id = published.set_index("indicator_id")
    for column in AGREEMENT_COLUMNS:
        if column in out.columns and column in by_id.columns:
            out[column] = out["indicator_id"].map(by_id[column]).astype(out[column].dtype)
    return out


def _pct(value: object) -> str:
    number = float(str(value)) if value is not None else math.nan
    return "—" if math.isnan(number) else format_number(number, 2) + "%"


def _by_id(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """The rows of ``frame`` by ``indicator_id`` (its first, if listed twice)."""
    rows: dict[str, pd.Series] = {}
    for _, row in frame.iterrows():
        rows.setdefault(str(row["indicator_id"]), row)
    return rows


def _moves(before: pd.Series, after: pd.Series, gap_before: pd.Series, gap_after: pd.Series, year: int) -> list[str]:
    """The derived figures of one indicator that differ between the published and the corrected
    figures, ``name: old → new`` each."""
    out = []
    for column, name in (
        ("recomputed_attainment_pct", "TH/KH (%)"),
        ("recomputed_trend_pct", f"TH {year}/TH {year - 1} (%)"),
    ):
        old, new = before[column], after[column]
        if _pct(old) != _pct(new):
            out.append(f"{name}: {_pct(old)} → {_pct(new)}")
    if str(before["status"]) != str(after["status"]):
        out.append(f"Đánh giá: {before['status']} → {after['status']}")
    old_req, new_req = gap_before["required_value"], gap_after["required_value"]
    if not (pd.isna(old_req) and pd.isna(new_req)) and format_compact(old_req, 3) != format_compact(new_req, 3):
        mu = str(after.get("measure_unit", "") or "")
        target_year = gap_after["target_year"]
        when = int(gap_after["term_end"] if pd.isna(target_year) else target_year)
        out.append(
            f"Giá trị cần đạt năm {when}: "
            f"{format_compact(old_req, 3) or '—'} → {format_compact(new_req, 3) or '—'} {mu}".rstrip()
        )
    return out


def correction_effects(
    published: pd.DataFrame,
    corrected: pd.DataFrame,
    catalogue: pd.DataFrame,
    corrections: pd.DataFrame,
    *,
    unit: str,
    year: int,
    params: TargetParams | None = None,
) -> pd.DataFrame:
    """What each correction of ``unit`` (up to next year's plan) changes in ``year``'s tables:
    the corrected figure (old and new value, the Vietnamese way) and, in ``moves``, every
    derived figure of its indicator that moves (TH/KH, TH/TH, status, the value the term's
    final year must reach), plus the headline's count when it moves. A correction is never a
    slip of the published report: the published figures are audited as published.

    ``published`` and ``corrected`` are the observations before and after the corrections.
    """
    params = params or TargetParams()
    mine = corrections[(corrections["unit"] == unit) & (corrections["year"] <= year + 1)]
    if mine.empty:
        return pd.DataFrame(columns=EFFECT_COLUMNS)
    tol = params.about_tolerance_pct
    before = evaluate(published, catalogue, unit=unit, year=year, about_tolerance_pct=tol)
    after = evaluate(corrected, catalogue, unit=unit, year=year, about_tolerance_pct=tol)
    gaps_before = _by_id(term_gaps(published, catalogue, unit=unit, year=year, params=params))
    gaps_after = _by_id(term_gaps(corrected, catalogue, unit=unit, year=year, params=params))
    b, a = _by_id(before), _by_id(after)
    rows: list[dict[str, object]] = []
    all_moves: list[list[str]] = []
    for fix in mine.itertuples():
        iid, field = str(fix.indicator_id), str(fix.field)
        known = iid in a and iid in b
        moves = (
            _moves(b[iid], a[iid], gaps_before[iid], gaps_after[iid], year)
            if known and iid in gaps_before and iid in gaps_after
            else []
        )
        all_moves.append(moves)
        rows.append(
            {
                "unit": unit,
                "year": int(float(str(fix.year))),
                "tt": a[iid]["tt"] if known else pd.NA,
                "indicator_id": iid,
                "indicator": str(a[iid]["indicator"]) if known else iid,
                "figure": f"{FIELD_VI.get(field, field)} {int(float(str(fix.year)))}",
                "old_value": correction_value(field, fix.old_value),
                "new_value": correction_value(field, fix.new_value),
            }
        )
    h_before, h_after = headline(before), headline(after)
    if h_before.count_text != h_after.count_text and all_moves:
        all_moves[-1].append(f"Số chỉ tiêu không đạt: {h_before.count_text} → {h_after.count_text}")
    out = pd.DataFrame(rows, columns=EFFECT_COLUMNS)
    out["moves"] = pd.Series(all_moves, index=out.index, dtype=object)
    return out


def effect_text(row: pd.Series) -> str:
    """One correction's effect in a line: ``kết quả 2024: 43,3 → 45; TH/KH (%): 54,13% → 56,25%``.

    >>> effect_text(pd.Series({"figure": "kết quả 2024", "old_value": "43,3", "new_value": "45",
    ...     "moves": ["TH/KH (%): 54,13% → 56,25%"]}))
    'kết quả 2024: 43,3 → 45; TH/KH (%): 54,13% → 56,25%'
    """
    return "; ".join([f"{row['figure']}: {row['old_value']} → {row['new_value']}", *row["moves"]])
