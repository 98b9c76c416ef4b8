"""An indicator's wording as tables write it: group words, list marks and units taken out.

Field tables put more than the name in the name cell: a group word opening a sub-row
("Tr.đó:", "Trong đó:", "gồm:", often the first line of a multi-line cell) or ending a
parent ("..., trong đó:"); a list mark ("-", "+", "–", "a)") that is structure, not name; and,
in tables without a unit column, the unit ("(%)", "(‰)", "(triệu USD)", "(Tỷ đồng)",
"/vạn dân"). :func:`split_name` takes them apart, so that no exported name starts with a mark
and the unit is the row's, not part of its name.

>>> n = split_name("Tr.đó: - Thu nội địa (Tỷ đồng)")
>>> (n.name, n.opens_sub, n.mark, n.unit)
('Thu nội địa', True, '-', 'tỷ đồng')
>>> n = split_name("Diện tích trồng rừng mới, trong đó:")
>>> (n.name, n.opens_group)
('Diện tích trồng rừng mới', True)
>>> split_name("Số bác sỹ/vạn dân").unit, split_name("Tỷ suất sinh thô (‰)").unit
('bác sỹ/vạn dân', '‰')
>>> split_name("Tỷ lệ hộ nghèo (theo chuẩn mới)").unit
''
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.io.numbers import MEASURE_UNITS, normalise_text

_GROUP_WORD = r"(?:trong\s+đó|tr\s*\.\s*đó|gồm|bao\s+gồm)"
_OPENS = re.compile(r"^" + _GROUP_WORD + r"\s*:?\s*", re.IGNORECASE)
_ENDS = re.compile(r"[\s,;:]*\b" + _GROUP_WORD + r"\s*:?\s*$", re.IGNORECASE)
_MARK = re.compile(r"^(?P<mark>[-–—+•*]|\(?[a-zđ]\))\s*(?=\S)")
_UNIT_ASIDE = re.compile(r"\s*\((?P<unit>[^()]{1,30})\)\s*$")
_PER_TEN_THOUSAND = re.compile(r"(?P<what>[^\W\d_]+(?:\s+[^\W\d_]+)?)\s*/\s*vạn\s+dân\b", re.IGNORECASE)
#: units written in a name's brackets that cells do not write ("‰"), besides MEASURE_UNITS
_NAME_UNITS = {"‰": "‰", "%o": "‰", "phần nghìn": "‰"}


@dataclass(frozen=True)
class Name:
    """A name cell taken apart: the clean ``name``, whether a group word opens it
    (``opens_sub``: "Tr.đó: ...", a first sub-row) or ends it (``opens_group``: a parent), its
    list ``mark`` and the ``unit`` it writes (``""`` when none)."""

    name: str
    opens_sub: bool = False
    opens_group: bool = False
    mark: str = ""
    unit: str = ""
    unit_text: str = ""


def split_name(cell: str) -> Name:
    """The parts of the name cell ``cell`` (see the module)."""
    text = normalise_text(cell)
    opens_sub = bool(_OPENS.match(text))
    text = _OPENS.sub("", text)
    mark = ""
    if m := _MARK.match(text):
        mark, text = m.group("mark"), text[m.end() :]
    opens_group = bool(_ENDS.search(text))
    text = _ENDS.sub("", text).strip()
    unit, unit_text = "", ""
    if m := _UNIT_ASIDE.search(text):
        written = normalise_text(m.group("unit"))
        unit = _NAME_UNITS.get(written.casefold()) or MEASURE_UNITS.get(written.casefold(), "")
        if unit:
            unit_text, text = m.group(0).strip(), text[: m.start()].rstrip(" ,")
    if not unit and (m := _PER_TEN_THOUSAND.search(text)):
        what = m.group("what")
        what = re.sub(r"^số\s+", "", what, flags=re.IGNORECASE)
        unit = MEASURE_UNITS.get(f"{what.casefold()}/vạn dân", f"{what}/vạn dân")
        unit_text = m.group(0)
    return Name(text or normalise_text(cell), opens_sub, opens_group, mark, unit, unit_text)


def starts_group(cell: str) -> bool:
    """Whether a name cell opens with a group word ("Tr.đó:", "Trong đó", "gồm:").

    >>> starts_group("Tr.đó: - Thu nội địa"), starts_group("Trong đó nữ"), starts_group("Tổng thu")
    (True, True, False)
    """
    return bool(_OPENS.match(normalise_text(cell)))
