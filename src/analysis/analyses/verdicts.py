"""Every published verdict ("Đánh giá", or a verdict in "Ghi chú") audited against the figures.

:func:`audit_verdict` gives one audit row for each published verdict: ``agrees``, ``nuance``
(Vượt against Đạt: a degree), ``slip`` (achieved against not achieved, with the reason), or
``not_checked`` (cannot tell, and why: no figures to judge, a result written "khoảng 65"
that a little more or less would judge otherwise). Two cases of field tables are named:
a strict bound met with equality ("< 7,6" and 7,6 published "Đạt": the bound as written is
not met; the table may have meant "≤"), and a verdict written only on the first sub-row of
a group (it may be the group's: the audit judges it both ways).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from analysis.io.grammar import status_from_words
from analysis.io.numbers import format_compact
from analysis.io.schema import ACHIEVED_STATUSES, Status, status_level

_AGREES: dict[str, bool | None] = {"agrees": True, "nuance": True, "slip": False, "not_checked": None}
_STRICT = {"below": "dưới", "above": "trên"}


def compare(published: str, recomputed: str) -> str:
    """``agrees``, ``nuance`` (Vượt against Đạt, or the reverse), ``slip`` (achieved against
    not achieved) or ``not_checked``; "Dự kiến" (an estimate) is no difference.

    >>> compare("Đạt và vượt", "Dự kiến vượt"), compare("Cơ bản đạt", "Không đạt"), compare("Ước đạt", "Đạt")
    ('nuance', 'slip', 'agrees')
    """
    said = status_from_words(published)
    if said is None or recomputed == Status.UNKNOWN:
        return "not_checked"
    p, r = said[0], status_level(recomputed)
    if p == r:
        return "agrees"
    if p in ACHIEVED_STATUSES and r in ACHIEVED_STATUSES:
        return "nuance"
    return "slip"


def audit_verdict(r: Any, pub: pd.Series, ev: pd.DataFrame) -> dict[str, object]:
    """The audit fields (figure, published, outcome, explanation, ...) of the verdict ``pub``
    published for the evaluated row ``r`` of ``ev`` (its table, for the row's group)."""
    text = str(pub["text"])
    outcome, said = _judged(r, text)
    group = _group_of_first_child(r, ev)
    if group is not None:
        other = compare(text, str(group["status"]))
        said += (
            f" Đánh giá chỉ ghi ở dòng con đầu tiên: có thể là của cả nhóm “{group['indicator']}”"
            f" (theo các dòng con: {group['status']})."
        )
        if _AGREES[other] != _AGREES[outcome]:
            outcome = "not_checked"
            said += " Hai cách hiểu cho kết quả khác nhau: chưa kết luận được."
    return {
        "figure": "Đánh giá",
        "published": float("nan"),
        "published_text": text,
        "recomputed": float("nan"),
        "decimals": pd.NA,
        "agrees": _AGREES[outcome],
        "outcome": outcome,
        "explanation": said,
        "source": pub["source"],
    }


def _judged(r: Any, text: str) -> tuple[str, str]:
    status, basis = str(r.status), str(r.status_basis)
    if status_from_words(text) is None:
        return "not_checked", f"Không đọc được đánh giá “{text}” (không phải Vượt / Đạt / Không đạt)."
    if status == Status.UNKNOWN or basis in ("", "theo báo cáo"):
        why = str(r.remark).split("; ")[0] if str(r.remark) else "thiếu kế hoạch hoặc kết quả dạng số"
        return "not_checked", f"Không kiểm tra được từ số liệu ({why})."
    outcome = compare(text, status)
    result = format_compact(float(r.result), 3) if not math.isnan(float(r.result)) else ""
    said = f"Tính lại: {status}" + (f" ({r.requirement}; kết quả {result})" if r.requirement else "")
    # what the figure alone does not say: a second measure of the cell, a result not exact
    told = [x for x in str(r.remark).split("; ") if x.startswith(("Chỉ tiêu thứ hai", "Kết quả ghi"))]
    if told:
        said += ". " + "; ".join(told)
    if basis == "theo các dòng con":
        said += f" ({str(r.remark).split('; ')[0]})"
    if outcome == "nuance":
        said += f". Khác mức độ với báo cáo (“{text}”), không phải sai sót"
    if outcome == "slip" and (strict := _strict_equal(r)):
        said += f". {strict}"
    if not bool(getattr(r, "status_certain", True)):
        outcome = "not_checked"
        said += ". Kết quả không phải số chính xác và sát kế hoạch: chưa kết luận được"
    return outcome, said + ("" if said.endswith(".") else ".")


def _strict_equal(r: Any) -> str:
    """The reason of a slip where a strict bound ("< 7,6") is met with equality."""
    word = _STRICT.get(str(r.target_kind))
    plan, result = float(r.plan), float(r.result)
    if word is None or math.isnan(plan) or math.isnan(result) or plan != result:
        return ""
    figure = format_compact(plan, 3)
    return (
        f"Kế hoạch “{r.plan_text}” là ngưỡng chặt (phải {word} {figure}); kết quả {figure} bằng ngưỡng nên "
        f"theo chữ viết là không đạt; báo cáo ghi “Đạt”, có lẽ đã hiểu là “{'≤' if word == 'dưới' else '≥'} {figure}”"
    )


def _group_of_first_child(r: Any, ev: pd.DataFrame) -> pd.Series | None:
    """The group row when ``r`` is the first sub-row of a parent that publishes no verdict and
    whose other sub-rows publish none either."""
    parent = str(r.parent)
    if not parent:
        return None
    siblings = ev[ev["parent"] == parent]
    owner = ev[ev["indicator_id"] == parent]
    if owner.empty or siblings.empty or siblings.iloc[0]["indicator_id"] != r.indicator_id or len(siblings) < 2:
        return None
    if str(owner.iloc[0]["published_status"]) or (siblings.iloc[1:]["published_status"].astype(str) != "").any():
        return None
    return owner.iloc[0]
