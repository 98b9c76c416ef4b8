"""What a column of an official table holds, read from its header by synonyms kept as data.

``data/header_synonyms.csv`` lists the wordings tables use (``SYNONYM_COLUMNS``): each
``synonym`` has a ``meaning`` (:data:`MEANINGS`) and a ``match``: ``exact`` (the whole
header), ``prefix`` (its first words) or ``contains`` (words anywhere in it). Headers and
synonyms are compared in one :func:`header_form`: without accents, casefolded, without
years, the word "năm", bracketed asides and ``%``. An exact match wins; otherwise the
first matching row of the file, in order, decides. Years are read from the header itself.

>>> syn = load_synonyms()
>>> syn.classify("Ước thực hiện năm 2025")
Meaning(role='value', kind='estimate', year=2025, base_year=None)
>>> syn.classify("Đánh giá TH 2024/TH 2023 (%)")
Meaning(role='trend', kind='', year=2024, base_year=2023)
>>> syn.classify("NQ Đại hội (đến năm 2030)")
Meaning(role='value', kind='term_target', year=2030, base_year=None)
>>> syn.closest("Đơn vi tinh")
'Đơn vị tính'
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from analysis import paths
from analysis.errors import DataValidationError
from analysis.io.numbers import normalise_text
from analysis.io.rule_files import cell_error, read_rule_frame

SYNONYM_COLUMNS = ["synonym", "meaning", "match", "note"]
#: meaning -> (column role, observation kind of a value column)
MEANINGS: dict[str, tuple[str, str]] = {
    "tt": ("tt", ""),
    "indicator": ("indicator", ""),
    "measure_unit": ("measure_unit", ""),
    "result": ("value", "result"),
    "estimate": ("value", "estimate"),
    "plan": ("value", "plan"),
    "term_target": ("value", "term_target"),
    "attainment": ("attainment", ""),
    "trend": ("trend", ""),
    "published_status": ("status", ""),
    "notes": ("notes", ""),
    "group": ("group", ""),
}
MATCHES = ("exact", "prefix", "contains")

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_ASIDE = re.compile(r"\([^()]*\)")


class Meaning(NamedTuple):
    """What a header says: a column ``role`` (tt, indicator, measure_unit, value,
    attainment, trend, status, notes, group or unknown), the ``kind`` of a value
    column, and the years written in it."""

    role: str
    kind: str
    year: int | None
    base_year: int | None


@dataclass(frozen=True)
class Synonym:
    """One row of the synonyms file, with its header form."""

    synonym: str
    meaning: str
    match: str
    form: str


def header_key(text: str) -> str:
    """A header without accents, casefolded, for matching spelling variants.

    >>> header_key("Nội dung chi tiêu  năm 2024")
    'noi dung chi tieu nam 2024'
    """
    text = unicodedata.normalize("NFD", normalise_text(text).casefold()).replace("đ", "d")
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def header_form(text: str) -> tuple[str, list[int]]:
    """The words of a header that say what it is, and the years written in it (those outside
    brackets first: ``Kế hoạch năm 2025 (NQ số 15/2024)`` is of 2025).

    >>> header_form("Đánh giá TH 2024/TH 2023 (%)")
    ('danh gia th/th', [2024, 2023])
    >>> header_form("Nội dung (chỉ tiêu)"), header_form("Năm 2024")
    (('noi dung', []), ('', [2024]))
    """
    key = header_key(text)
    outside = _ASIDE.sub(" ", key)
    years = [int(y) for y in _YEAR.findall(outside)] or [int(y) for y in _YEAR.findall(key)]
    form = _YEAR.sub(" ", outside.replace("%", " "))
    form = re.sub(r"\bnam\b", " ", form)
    form = re.sub(r"\s*/\s*", "/", form)
    form = re.sub(r"[^\w/]+", " ", form)
    return " ".join(form.split()), years


@dataclass(frozen=True)
class Synonyms:
    """The header synonyms, checked (see :func:`load_synonyms`)."""

    rows: tuple[Synonym, ...]

    def meaning_of(self, form: str) -> str | None:
        """The meaning of a header form, or None when no synonym matches."""
        if not form:
            return None
        for s in self.rows:
            if s.match == "exact" and s.form == form:
                return s.meaning
        for s in self.rows:
            if s.match == "prefix" and re.match(re.escape(s.form) + r"(?:$| )", form):
                return s.meaning
            if s.match == "contains" and re.search(r"(?:^| )" + re.escape(s.form) + r"(?:$| )", form):
                return s.meaning
        return None

    def classify(self, text: str) -> Meaning:
        """The :class:`Meaning` of one header cell; role ``group`` for a bare year
        (``Năm 2024``), ``unknown`` when no synonym matches."""
        form, years = header_form(text)
        meaning = self.meaning_of(form)
        if meaning is None:
            role, kind = ("group", "") if not form and years else ("unknown", "")
        else:
            role, kind = MEANINGS[meaning]
        year = years[0] if years else None
        if role != "trend":
            year = years[-1] if years else None
        base = years[1] if role == "trend" and len(years) > 1 else None
        return Meaning(role, kind, year, base)

    def closest(self, text: str) -> str:
        """The known synonym closest to ``text`` (for an error message)."""
        form = header_form(text)[0]
        forms = {s.form: s.synonym for s in self.rows}
        best = difflib.get_close_matches(form, list(forms), n=1, cutoff=0.0)
        return forms[best[0]] if best else ""


class _Row(NamedTuple):
    synonym: str
    meaning: str
    match: str
    note: str


def load_synonyms(source: pd.DataFrame | Path | str | None = None) -> Synonyms:
    """The header synonyms of ``source`` (a frame, a CSV path, or None for
    ``data/header_synonyms.csv``), checked: a bad meaning or match, an empty synonym, or one
    synonym given two meanings raises :class:`DataValidationError` naming file, row and column."""
    if isinstance(source, pd.DataFrame):
        return _check(source, "header synonyms")
    path = Path(source) if source is not None else paths.dataset_path("header_synonyms")
    return _load_file(path.resolve())


@lru_cache(maxsize=8)
def _load_file(path: Path) -> Synonyms:
    return _check(read_rule_frame(path, SYNONYM_COLUMNS, "header synonyms"), paths.display_path(path))


def _check(df: pd.DataFrame, where: str) -> Synonyms:
    cells = read_rule_frame(df, SYNONYM_COLUMNS, where)
    rows: list[Synonym] = []
    seen: dict[tuple[str, str], tuple[int, str]] = {}
    for i, r in enumerate(map(_Row._make, cells.itertuples(index=False, name=None)), start=2):
        form = header_form(r.synonym)[0]

        def bad(column: str, expected: str, i: int = i, r: _Row = r) -> DataValidationError:
            return cell_error(where, i, column, getattr(r, column), expected)

        if r.meaning not in MEANINGS:
            raise bad("meaning", f"is not one of {', '.join(MEANINGS)}")
        if r.match not in MATCHES:
            raise bad("match", f"is not one of {', '.join(MATCHES)}")
        if not form:
            raise bad("synonym", "has no words once years, brackets and '%' are taken out")
        before = seen.setdefault((form, r.match), (i, r.meaning))
        if before[1] != r.meaning:
            raise bad("synonym", f"already means {before[1]!r} (row {before[0]})")
        rows.append(Synonym(normalise_text(r.synonym), r.meaning, r.match, form))
    return Synonyms(tuple(rows))
