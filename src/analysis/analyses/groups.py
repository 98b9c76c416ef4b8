"""A parent row with no figures of its own, judged from its sub-rows.

Field tables head a group with a row that only names it ("Diện tích trồng rừng mới, trong
đó:") and give the figures, often ranges, on its sub-rows ("- Rừng sản xuất: 100-120 ha").
The group is achieved when every sub-row is (status ``Đạt``, basis "theo các dòng con");
otherwise it is not, and the remark names the sub-rows that are not; when a sub-row cannot
be judged, neither can the group, and the remark says which.

>>> ev = pd.DataFrame({
...     "indicator_id": ["g", "g_1", "g_2"], "parent": ["", "g", "g"], "indicator": ["Rừng", "Sản xuất", "Phòng hộ"],
...     "status": ["Chưa xác định", "Dự kiến đạt", "Dự kiến không đạt"], "status_basis": ["", "tính toán", "tính toán"],
...     "result": [float("nan"), 1.0, 2.0], "plan": [float("nan"), 1.0, 3.0], "plan_text": ["", "", ""],
...     "estimate": [False, True, True], "remark": ["", "", ""]})
>>> judge_groups(ev).loc[0, ["status", "status_basis", "remark"]].tolist()
['Dự kiến không đạt', 'theo các dòng con', 'Không đạt ở 1/2 dòng con: Phòng hộ (Dự kiến không đạt)']
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.io.schema import ACHIEVED_STATUSES, NOT_ACHIEVED_STATUSES, Status, as_estimate

BASIS = "theo các dòng con"


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def judge_groups(ev: pd.DataFrame) -> pd.DataFrame:
    """``ev`` (evaluated rows) with each parent that has no result, no plan and no status of
    its own judged from its direct sub-rows (see the module); a new frame."""
    out = ev.copy()
    parents = out["parent"].fillna("").astype("str")
    for i, row in out.iterrows():
        children = out[parents == str(row["indicator_id"])]
        own = not (_empty(row["result"]) and _empty(row["plan"]) and not str(row.get("plan_text") or ""))
        if children.empty or own or row["status"] != Status.UNKNOWN:
            continue
        statuses = [Status(s) for s in children["status"]]
        names = [f"{n} ({s})" for n, s in zip(children["indicator"], children["status"], strict=True)]
        short = [n for n, s in zip(names, statuses, strict=True) if s in NOT_ACHIEVED_STATUSES]
        unknown = [n for n, s in zip(names, statuses, strict=True) if s == Status.UNKNOWN]
        total = len(statuses)
        if short:
            status = Status.NOT_ACHIEVED
            said = f"Không đạt ở {len(short)}/{total} dòng con: {', '.join(short)}"
        elif unknown:
            status = Status.UNKNOWN
            said = f"Chưa đánh giá được {len(unknown)}/{total} dòng con: {', '.join(unknown)}"
        elif all(s in ACHIEVED_STATUSES for s in statuses):
            status = Status.ACHIEVED
            said = f"Cả {total} dòng con đều đạt"
        else:
            continue
        if status != Status.UNKNOWN and bool(children["estimate"].any()):
            status = as_estimate(status)
        out.at[i, "status"] = str(status)
        out.at[i, "status_basis"] = BASIS if status != Status.UNKNOWN else ""
        out.at[i, "remark"] = "; ".join(x for x in (said, str(row["remark"] or "")) if x)
    return out
