"""Where a body row sits in an indicator table: an indicator, a sub-row of one, or a section heading.

Tables number their indicators with STT, often restarting in each section. Section rows
carry a mark and a title (``I`` + ``Kinh tế``, ``II. Văn hóa - xã hội``, ``A``, ``B``) or
only an upper-case title (``KINH TẾ``), and no figures. Below an indicator, rows marked
``a)``, ``1.1``, ``-``, ``+`` (in the STT cell or at the start of the wording), or worded
``Trong đó ...``, are its sub-rows: read and kept with their ``parent``, never counted as
indicators of their own. An indicator is keyed by its section and STT.

>>> layout = Layout()
>>> layout.place(5, "I", "Kinh tế", figures=False).section
'I. Kinh tế'
>>> layout.place(6, "1", "Tổng giá trị sản xuất", figures=True).indicator_id
'i_tt01'
>>> sub = layout.place(7, "", "- Trong đó: nông nghiệp", figures=True)
>>> (sub.kind, sub.indicator_id, sub.parent, sub.tt, sub.label)
('sub', 'i_tt01_1', 'i_tt01', 1, '-')
>>> layout.place(8, "", "II. Văn hóa - xã hội", figures=False).section
'II. Văn hóa - xã hội'
>>> layout.place(9, "1", "Tỷ lệ hộ nghèo", figures=True).indicator_id
'ii_tt01'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.io.headers import header_key
from analysis.io.numbers import parse_number

# a section mark alone or before its title in the STT cell ("I", "II.", "A", "B. KINH TẾ")
_MARK_TT = re.compile(r"^(?P<mark>[IVXLC]+|[A-ZĐ])(?:\s*[.):]\s*|\s+|$)(?P<title>.*)$")
# a section mark at the start of the wording ("I. Kinh tế", "A) CÁC CHỈ TIÊU")
_MARK_NAME = re.compile(r"^(?P<mark>[IVXLC]+|[A-ZĐ])\s*[.):]\s*(?P<title>\S.*)$")
_ROMAN = re.compile(r"^[IVXLC]+$")
# sub-row marks in the STT cell, and at the start of the wording
_SUB_TT = re.compile(r"^(?:(?P<sym>[-–—+•*])|\(?(?P<letter>[a-zđ])[.)]|(?P<num>\d+)\.(?P<sub>\d+)\.?)$")
_SUB_NAME = re.compile(r"^(?:(?P<sym>[-–—+•*])\s*|\(?(?P<letter>[a-zđ])\)\s+)(?=\S)")
_IN_WHICH = re.compile(r"^(?:trong\s+đó|tr\s*\.\s*đó|gồm|bao\s+gồm)(?!\w)", re.IGNORECASE)
# how deep a sub-row mark sits: a) and 1.1 under an indicator, "-" under those, "+" under "-"
_RANK = {"letter": 1, "num": 1, "-": 2, "–": 2, "—": 2, "•": 2, "+": 3, "*": 3, "in_which": 2}


@dataclass(frozen=True)
class Place:
    """What a row is: ``kind`` is ``indicator``, ``sub`` (a sub-row), ``section`` or
    ``none`` (not read: ``reason`` and ``severity`` say why)."""

    kind: str
    indicator_id: str = ""
    tt: int | None = None
    label: str = ""
    section: str = ""
    parent: str = ""
    reason: str = ""
    severity: str = ""


def tt_number(text: str) -> int | None:
    """The STT of an indicator row ("1", "12."), or None.

    >>> tt_number("12."), tt_number("a)"), tt_number("0")
    (12, None, None)
    """
    try:
        value = parse_number(text.rstrip("."))
    except ValueError:
        return None
    return int(value) if value.is_integer() and value > 0 else None


@dataclass
class Layout:
    """The running state of a table's rows: open sections, the open indicator and its
    sub-rows, the STTs seen in each section."""

    sections: list[tuple[int, str, str]] = field(default_factory=list)  # (level, label, slug)
    stack: list[tuple[int, str, int]] = field(default_factory=list)  # (rank, indicator_id, tt)
    seen: dict[tuple[str, int], int] = field(default_factory=dict)  # (section slug, STT) -> row
    ids: set[str] = field(default_factory=set)
    children: dict[str, int] = field(default_factory=dict)
    unmarked: int = 0

    @property
    def section(self) -> str:
        return " / ".join(label for _, label, _ in self.sections)

    @property
    def section_id(self) -> str:
        return "_".join(slug for _, _, slug in self.sections)

    def place(self, row: int, tt_text: str, name: str, *, figures: bool) -> Place:
        """Where the row with STT cell ``tt_text`` and wording ``name`` sits; ``figures``
        tells whether any other cell of the row is filled."""
        tt = tt_number(tt_text)
        if tt is not None:
            return self._indicator(row, tt, tt_text)
        if sub := self._sub_mark(tt_text, name):
            return self._sub(*sub)
        if not figures and (section := self._section(tt_text, name)):
            return section
        if not tt_text and figures and self.stack:
            return self._unnumbered(row)
        if not tt_text:
            return Place("none", reason="row has no TT (indicator number): not read", severity="error")
        return Place("none", reason=f"TT {tt_text!r} is not a number: row not read", severity="error")

    def rename(self, old: str, new: str) -> None:
        """The open indicator (or sub-row) ``old`` is known as ``new`` (a curated id)."""
        self.stack = [(rank, new if iid == old else iid, tt) for rank, iid, tt in self.stack]
        self.ids.add(new)

    # kinds of rows ----------------------------------------------------------------------------
    def _indicator(self, row: int, tt: int, tt_text: str) -> Place:
        key = (self.section_id, tt)
        if key in self.seen:
            where = f" in section {self.section!r}" if self.section else ""
            return Place("none", reason=f"TT {tt} repeats row {self.seen[key]}{where}: row not read", severity="error")
        self.seen[key] = row
        iid = self._unique(f"{self.section_id}_tt{tt:02d}" if self.section_id else f"tt{tt:02d}")
        self.stack = [(0, iid, tt)]
        return Place("indicator", iid, tt, tt_text.strip(), self.section)

    def _unnumbered(self, row: int) -> Place:
        """A row without STT between numbered rows, with figures of its own: an indicator of its
        own, after the one above it (it takes that one's STT for its place, ``label`` empty)."""
        tt = self.stack[0][2]
        iid = self._unique(f"{self.section_id}_tt{tt:02d}_x" if self.section_id else f"tt{tt:02d}_x")
        self.stack = [(0, iid, tt)]
        return Place(
            "indicator",
            iid,
            tt,
            "",
            self.section,
            reason=f"row {row} has no STT: read as an indicator of its own, after STT {tt}",
            severity="warning",
        )

    def _sub_mark(self, tt_text: str, name: str) -> tuple[int, str, str] | None:
        """(rank, id suffix, label) of a sub-row, or None."""
        m = _SUB_TT.match(tt_text.strip()) if tt_text else _SUB_NAME.match(name)
        if m is None:
            return (_RANK["in_which"], "", "") if not tt_text and _IN_WHICH.match(name) else None
        label = tt_text.strip() or m.group(0).strip()
        if m.group("letter"):
            return _RANK["letter"], header_key(m.group("letter")), label
        if m.groupdict().get("sub"):
            return _RANK["num"], m.group("sub"), label
        return _RANK[m.group("sym")], "", label

    def _sub(self, rank: int, suffix: str, label: str) -> Place:
        while self.stack and self.stack[-1][0] >= rank:
            self.stack.pop()
        if not self.stack:
            return Place("none", reason="sub-row with no indicator above it in its section: not read", severity="error")
        parent = self.stack[-1][1]
        self.children[parent] = self.children.get(parent, 0) + 1
        iid = self._unique(f"{parent}_{suffix or self.children[parent]}")
        tt = self.stack[0][2]
        self.stack.append((rank, iid, tt))
        return Place("sub", iid, tt, label, self.section, parent)

    def _section(self, tt_text: str, name: str) -> Place | None:
        mark, title = "", name
        if tt_text and (m := _MARK_TT.match(tt_text.strip())):
            mark, title = m.group("mark"), m.group("title").strip() or name
        elif not tt_text and (m := _MARK_NAME.match(name)):
            mark, title = m.group("mark"), m.group("title")
        elif tt_text or not (any(ch.isalpha() for ch in name) and name == name.upper()):
            return None
        if mark:
            level = 1 if self._is_roman(mark) else 0
            slug = header_key(mark)
            label = f"{mark}. {title}" if title else mark
        else:
            self.unmarked += 1
            level, slug, label = 1, f"s{self.unmarked}", title
        self.sections = [s for s in self.sections if s[0] < level] + [(level, label, slug)]
        self.stack = []
        return Place("section", section=self.section)

    def _is_roman(self, mark: str) -> bool:
        """Whether a section mark is a roman numeral: always for II, IV...; for a single
        letter that is also a roman digit (I, V, X, L, C), unless it follows the letter
        before it (H -> I, B -> C)."""
        if not _ROMAN.match(mark):
            return False
        if len(mark) > 1:
            return True
        letters = [slug for level, _, slug in self.sections if level == 0]
        return not (letters and letters[-1] == chr(ord(mark.lower()) - 1))

    def _unique(self, iid: str) -> str:
        base, n = iid, 1
        while iid in self.ids:
            n += 1
            iid = f"{base}_{n}"
        self.ids.add(iid)
        return iid
