"""A returned table in an official layout (not the data-entry form), checked for intake.

``python -m analysis intake`` takes, besides the forms it wrote, any table the ingest reads
(:func:`analysis.io.ingest.read_table`: .txt/.tsv/.xlsx). The same rule holds: any problem and
nothing is merged. Here, from what the ingest read:

- :func:`identify_unit`: whose table it is (the file name holds a unit id, or the title names
  the unit: "UBND huyện Tràng Định");
- :func:`check_table`: the problems, each with its sheet, cell and a Vietnamese reason (a cell
  the ingest could not read or read two ways, an indicator not in the unit's catalogue, a
  result that is not a number, another measure unit, a table of another year), and the
  observations to merge: the year's results (or estimates) and the percentages and verdicts
  published with them, each with its provenance ``file:sheet!cell:sha256=…``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from analysis.analyses.forms import AMBIGUOUS, NOT_A_NUMBER, PROBLEM_COLUMNS
from analysis.analyses.value_checks import check_value
from analysis.io.schema import OBSERVATION_COLUMNS, Direction, Kind

#: The kinds a table's year brings: they replace the unit's rows of these kinds for that year.
TABLE_KINDS = (
    Kind.RESULT,
    Kind.ESTIMATE,
    Kind.PUBLISHED_ATTAINMENT,
    Kind.PUBLISHED_TREND,
    Kind.PUBLISHED_STATUS,
)
RESULT_KINDS = (Kind.RESULT, Kind.ESTIMATE)

#: Vietnamese reasons for the ingest's problems, by a pattern of its (English) reason.
_REASONS = (
    (re.compile(r"cell not read"), "ô có nội dung nhưng không đọc được (không thuộc cột hay dòng chỉ tiêu nào)"),
    (re.compile(r"header not recognised"), "không nhận ra tiêu đề cột"),
    (re.compile(r"no TT"), "dòng không có số thứ tự (TT) của chỉ tiêu: không đọc được"),
    (re.compile(r"is not a number: row"), "số thứ tự (TT) không phải là số: dòng không đọc được"),
    (re.compile(r"repeats row"), "số thứ tự (TT) trùng với một dòng trước: dòng không đọc được"),
    (re.compile(r"sub-row"), "dòng “trong đó” không có chỉ tiêu ở trên: không đọc được"),
    (
        re.compile(r"in a hidden row"),
        "ô nằm trong dòng bị ẩn của bảng tính: không đọc (bỏ ẩn dòng nếu dòng thuộc biểu)",
    ),
    (
        re.compile(r"in a hidden column"),
        "ô nằm trong cột bị ẩn của bảng tính: không đọc (bỏ ẩn cột nếu cột thuộc biểu)",
    ),
    (
        re.compile(r"the Excel error value"),
        "ô chứa giá trị lỗi của Excel (như #DIV/0!), không phải là số: hãy sửa công thức hoặc nhập số",
    ),
    (
        re.compile(r"has no saved result"),
        "công thức chưa có kết quả được lưu: hãy mở bảng tính bằng Excel (hoặc LibreOffice) rồi lưu lại",
    ),
    (
        re.compile(r"one merged cell over the columns"),
        "ô gộp trên nhiều cột số liệu, không rõ là số của cột nào: hãy bỏ gộp ô và nhập số vào từng cột",
    ),
)
#: The cell a workbook problem names itself ("Biểu 01!D7: ..."), beside the column it is under.
_OWN_CELL = re.compile(r"^[^:]*!([A-Z]{1,3}\d+)(?::[A-Z]{1,3}\d+)?: ")
SPACED = (
    "số viết có dấu cách không rõ nghĩa (dấu cách chỉ phân cách hàng nghìn theo nhóm ba chữ số, như 94 800): "
    "hãy ghi lại cho rõ"
)
_LEVEL_WORDS = {"province": "tỉnh", "district": "huyện", "commune": "xã", "town": "thị trấn"}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", str(text)).casefold()


def identify_unit(stem: str, titles: Iterable[str], units: pd.DataFrame) -> tuple[str, str]:
    """``(unit, "")`` for the unit a table belongs to, or ``("", reason)``: a unit id in the file
    name (the longest one, between word boundaries), else the one unit whose level and name
    the title lines write ("UBND huyện Tràng Định", "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH").

    >>> units = pd.DataFrame({"unit": ["td", "td-a"], "name": ["Tràng Định", "A"], "level": ["district", "commune"]})
    >>> identify_unit("bao-cao-td-a-2025", [], units), identify_unit("td_2025", [], units)
    (('td-a', ''), ('td', ''))
    >>> identify_unit("x", ["UBND HUYỆN TRÀNG ĐỊNH"], units)
    ('td', '')
    >>> identify_unit("x", ["Biểu"], units)[1].startswith("không xác định được đơn vị")
    True
    """
    tokens = re.split(r"[^\w]+|_", _fold(stem))

    def within(unit: str) -> bool:
        want = re.split(r"[^\w]+|_", _fold(unit))
        return any(tokens[i : i + len(want)] == want for i in range(len(tokens) - len(want) + 1))

    ids = [str(u) for u in units["unit"] if within(str(u))]
    if ids:
        return max(ids, key=len), ""
    text = " ".join(_fold(t) for t in titles)
    named = [
        str(u)
        for u, n, lv in zip(units["unit"], units["name"], units["level"], strict=True)
        if re.search(rf"\b{re.escape(_LEVEL_WORDS.get(str(lv), str(lv)))}\s+{re.escape(_fold(n))}(?!\w)", text)
    ]
    if len(named) == 1:
        return named[0], ""
    if named:
        return "", "tiêu đề biểu nêu nhiều đơn vị (" + ", ".join(named) + "): đặt tên tệp theo mã đơn vị"
    return "", (
        "không xác định được đơn vị của biểu: đặt tên tệp theo mã đơn vị (ví dụ trang-dinh.xlsx) "
        "hoặc ghi tên đơn vị trong tiêu đề biểu (ví dụ “UBND huyện Tràng Định”)"
    )


def named_units(stem: str, units: pd.DataFrame) -> list[str]:
    """The unit ids a file name holds (between word boundaries), but an id inside a longer one
    found there (``trang-dinh`` in ``...-trang-dinh-hung-son``).

    >>> units = pd.DataFrame({"unit": ["td", "td-a", "b"]})
    >>> named_units("bieu-2025-td-a", units), named_units("td_b", units), named_units("x", units)
    (['td-a'], ['td', 'b'], [])
    """
    tokens = re.split(r"[^\w]+|_", _fold(stem))
    spans: list[tuple[int, int, str]] = []
    for u in map(str, units["unit"]):
        want = re.split(r"[^\w]+|_", _fold(u))
        spans += [
            (i, i + len(want), u) for i in range(len(tokens) - len(want) + 1) if tokens[i : i + len(want)] == want
        ]
    inner = {u for a, b, u in spans for c, d, v in spans if v != u and c <= a and b <= d and (d - c) > (b - a)}
    return list(dict.fromkeys(u for _, _, u in spans if u not in inner))


def cell_name(row: Any, index: int | None) -> str:
    """``G13`` for row 13 and the 7th column (0-based index 6); ``dòng 13`` without a column.

    >>> cell_name(13, 6), cell_name(13, None), cell_name(None, None)
    ('G13', 'dòng 13', '')
    """
    if row is None or pd.isna(row):
        return ""
    if index is None:
        return f"dòng {int(row)}"
    letters, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{int(row)}"


#: The reader's refusal of a rate written with a dot ("'1.260' read as 1260% is beyond 100% ...").
_RATE_WITH_DOT = re.compile(
    r"(?:^|: )'(?P<written>\d{1,3}(?:\.\d{3})+)' read as (?P<value>\d+)% is beyond 100% for a rate"
)


def _reason(reason: str, severity: str) -> str:
    if rate := _RATE_WITH_DOT.search(reason):  # the reader's refusal, in the words a form gets
        found = check_value(
            float(rate.group("value")),
            measure_unit="%",
            target_type="level",
            decimals=0,
            year=0,
            jump_factor=math.inf,
            written=rate.group("written"),
        )
        if found is not None:
            return found.reason
    if severity == "ambiguous":
        return SPACED if "a space groups thousands" in reason else AMBIGUOUS
    return next((vi for pattern, vi in _REASONS if pattern.search(reason)), "ô không đọc được")


def check_table(
    observations: pd.DataFrame,
    ingest_problems: pd.DataFrame,
    catalogue: pd.DataFrame,
    meta: Mapping[str, Any],
    *,
    unit: str,
    year: int,
    file: str,
    sha256: str,
    previous: Mapping[str, float] | None = None,
    jump_factor: float = 10.0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The observations a table read by the ingest gives for ``year`` (columns of
    ``observations.csv``; kinds :data:`TABLE_KINDS`) and its problems (:data:`PROBLEM_COLUMNS`,
    reasons in Vietnamese). ``catalogue`` is the unit's curated catalogue as the ingest used
    it plus the ingest's ``inferred`` column (an indicator it could not match there);
    ``meta`` the ingest's (``year``, ``sheet``, ``column_index``: header → column);
    ``previous`` last year's result of each indicator in its unit, for the checks of
    :func:`analysis.analyses.value_checks.check_value` (a jump is a *confirmable* problem: its
    figure is kept, taken in only if the jump is confirmed). An indicator's second figure of a
    kind (two rows read as one indicator) is a problem naming both cells.
    """
    sheet = str(meta.get("sheet") or "")
    columns: Mapping[str, int] = meta.get("column_index") or {}
    problems: list[dict[str, Any]] = []

    def refuse(
        row: Any,
        header: str,
        value: Any,
        reason: str,
        indicator_id: str = "",
        confirmable: bool = False,
        cell: str = "",
    ) -> None:
        where = cell or cell_name(row, columns.get(header))
        problems.append(
            {
                "file": file,
                "sheet": sheet,
                "cell": where,
                "indicator_id": indicator_id,
                "value": value,
                "reason": reason,
                "confirmable": confirmable,
            }
        )

    if meta.get("year") != year:
        refuse(None, "", meta.get("year"), f"biểu của năm {meta.get('year') or 'không rõ'}, không phải năm {year}")
        return pd.DataFrame(columns=OBSERVATION_COLUMNS), pd.DataFrame(problems, columns=PROBLEM_COLUMNS)
    for p in ingest_problems[ingest_problems["severity"].isin(["error", "ambiguous"])].itertuples():
        own = _OWN_CELL.match(str(p.reason))
        refuse(p.row, str(p.column), p.text, _reason(str(p.reason), str(p.severity)), cell=own.group(1) if own else "")
    where = _places(observations)
    known = catalogue.set_index("indicator_id")
    for iid in dict.fromkeys(observations["indicator_id"]):
        if iid and (iid not in known.index or str(known.loc[iid].get("inferred", "") or "")):
            row, header = where.get(iid, (None, ""))
            refuse(row, "", iid, "chỉ tiêu không có trong danh mục chỉ tiêu của đơn vị", iid)
    mine = observations[(observations["year"] == year) & observations["kind"].isin([str(k) for k in TABLE_KINDS])]
    keep = []
    first_cell: dict[tuple[str, str, str], str] = {}
    for i, o in mine.iterrows():
        row, header = _place(str(o["source"]))
        iid = str(o["indicator_id"])
        if iid not in known.index:
            continue
        ind = known.loc[iid]
        key = (iid, str(o["kind"]), str(o["measure_unit"]))
        if key in first_cell:
            refuse(
                row,
                header,
                o["source_text"],
                f"chỉ tiêu {iid!r} có hai dòng số liệu (đã có ở ô {first_cell[key]}): mỗi chỉ tiêu chỉ ghi một dòng",
                iid,
            )
            continue
        first_cell[key] = cell_name(row, columns.get(header))
        if o["kind"] in RESULT_KINDS and ind["direction"] != Direction.TEXT:
            if math.isnan(float(o["value"])):
                refuse(row, header, o["source_text"], NOT_A_NUMBER, iid)
                continue
            if str(o["measure_unit"]) not in ("", str(ind["measure_unit"])):
                refuse(
                    row,
                    header,
                    o["source_text"],
                    f"đơn vị tính {o['measure_unit']!r} khác đơn vị của chỉ tiêu ({ind['measure_unit']})",
                    iid,
                )
                continue
            found = check_value(
                float(o["value"]),
                measure_unit=str(ind["measure_unit"]),
                target_type=str(ind.get("target_type", "") or ""),
                decimals=_whole(ind.get("decimals")),
                previous=(previous or {}).get(iid, math.nan),
                year=year,
                jump_factor=jump_factor,
                written=str(o["source_text"] or ""),
            )
            if found is not None:
                refuse(row, header, o["source_text"], found.reason, iid, found.confirmable)
                if not found.confirmable:
                    continue
        keep.append(i)
    obs = mine.loc[keep].copy()
    if not (obs["kind"].isin([str(k) for k in RESULT_KINDS])).any() and not problems:
        refuse(None, "", "", f"biểu không có kết quả thực hiện năm {year}")
    obs["source"] = [_provenance(s, file, sheet, columns, sha256) for s in obs["source"]]
    return obs[OBSERVATION_COLUMNS].reset_index(drop=True), pd.DataFrame(problems, columns=PROBLEM_COLUMNS)


def _whole(value: Any) -> int:
    return 0 if value is None or pd.isna(value) or str(value) == "" else int(float(value))


def _place(source: str) -> tuple[int | None, str]:
    """(row, column header) of an ingest observation's ``file:row:header`` source."""
    parts = source.split(":", 2)
    if len(parts) < 3 or not parts[1].isdigit():
        return None, ""
    return int(parts[1]), parts[2]


def _places(observations: pd.DataFrame) -> dict[str, tuple[int | None, str]]:
    """The first (row, header) of each indicator's observations."""
    out: dict[str, tuple[int | None, str]] = {}
    for iid, source in zip(observations["indicator_id"], observations["source"], strict=True):
        out.setdefault(str(iid), _place(str(source)))
    return out


def _provenance(source: str, file: str, sheet: str, columns: Mapping[str, int], sha256: str) -> str:
    row, header = _place(source)
    return f"{file}:{sheet or '-'}!{cell_name(row, columns.get(header))}:sha256={sha256}"
