"""Which figures of an evaluated table were corrected (đính chính), for the table and the appendix.

The corrections themselves are applied when the curated data are read
(:func:`analysis.io.corrections.apply_corrections`); here they are only shown.
"""

from __future__ import annotations

import pandas as pd

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
            **{c: mine[c] for c in CORRECTION_COLUMNS if c not in ("unit", "year", "indicator_id", "field", "date")},
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
                f"{FIELD_VI.get(str(r.field), r.field)} {int(r.year)}: {r.old_value} → {r.new_value}"
                for r in hit.itertuples()
            )
        )
    out["corrected"] = pd.Series(texts, index=out.index, dtype=str)
    return out
