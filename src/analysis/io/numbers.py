"""Vietnamese numbers: formatting, parsing of table cells, and the rounding rules of
published figures.

Vietnamese convention: ``.`` groups thousands and ``,`` is the decimal mark
(``94.800`` = 94800, ``47,4`` = 47.4). :func:`parse_cell` reads a whole cell (number,
range, unit, qualifier words, further numbers) and lists what it must not guess.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal


def format_number(value: float | None, decimals: int = 0, *, percent: bool = False) -> str:
    """Write ``value`` the Vietnamese way with ``decimals`` decimals.

    Missing values (None or NaN) are written as an empty string.

    >>> format_number(94800)
    '94.800'
    >>> format_number(1231.69, 2)
    '1.231,69'
    >>> format_number(-0.5, 1, percent=True)
    '-0,5%'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    q = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    whole, _, frac = f"{abs(q):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sign + ".".join(groups) + ("," + frac if frac else "")
    return text + ("%" if percent else "")


def format_compact(value: float | None, decimals: int = 2) -> str:
    """Like :func:`format_number` with at most ``decimals`` decimals: trailing zeros dropped.

    >>> format_compact(114.9), format_compact(80.0), format_compact(2.364), format_compact(None)
    ('114,9', '80', '2,36', '')
    """
    text = format_number(value, decimals)
    return text.rstrip("0").rstrip(",") if "," in text else text


def round_half_up(value: float, decimals: int) -> float:
    """Round as people do (half away from zero), not as binary floats do.

    >>> round_half_up(2.675, 2), round(2.675, 2)
    (2.68, 2.67)
    """
    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def truncate(value: float, decimals: int) -> float:
    """Cut ``value`` to ``decimals`` decimals, as some reports do.

    >>> truncate(66.6666, 2)
    66.66
    """
    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_DOWN))


def agrees(published: float, recomputed: float, decimals: int) -> bool:
    """A published figure agrees with its recomputation when it equals the
    recomputed value rounded or truncated to the published number of decimals.

    >>> agrees(66.66, 200 / 3, 2)      # truncated
    True
    >>> agrees(53.7, 43.3 / 80.7 * 100, 1)  # rounded
    True
    >>> agrees(104.80, 64.3 / 62.02 * 100, 2)
    False
    """
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (published, recomputed)):
        return False
    p = Decimal(repr(float(published))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return p in {
        Decimal(repr(round_half_up(recomputed, decimals))).quantize(Decimal(1).scaleb(-decimals)),
        Decimal(repr(truncate(recomputed, decimals))).quantize(Decimal(1).scaleb(-decimals)),
    }


# --- Reading numbers as they are written ----------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|[1-9]\d{0,2}(?: \d{3})+|\d+)(?:,\d+)?")
_THOUSANDS_ONLY = re.compile(r"\d{1,3}\.\d{3}")  # "13.517": thousands, or a decimal point?
_SHORT_DECIMAL = re.compile(r"\d{1,3},\d+")  # "15,139": decimal comma, no thousands dot


def normalise_text(text: str) -> str:
    """NFC, every run of spaces (tabs, newlines, non-breaking) as one space, stripped.

    >>> normalise_text("  Duy\\u00a0tri\\u0300  42% ")
    'Duy trì 42%'
    """
    text = unicodedata.normalize("NFC", str(text)).replace("\u200b", "").replace("\ufeff", "")
    return re.sub(r"\s+", " ", text).strip()


def parse_number(token: str) -> float:
    """Read one number written the Vietnamese way (``.`` thousands, ``,`` decimals); a
    space (or a no-break space) may group the thousands too, in threes.

    >>> parse_number("94.800"), parse_number("47,4"), parse_number("1.231,69")
    (94800.0, 47.4, 1231.69)
    >>> parse_number("94 800"), parse_number("1\u00a0234\u00a0567"), parse_number("1\u202f234,5")
    (94800.0, 1234567.0, 1234.5)
    >>> parse_number("07"), parse_number("-1,5")
    (7.0, -1.5)
    >>> parse_number("1.23")
    Traceback (most recent call last):
    ...
    ValueError: '1.23' is not a number in Vietnamese notation (dots group thousands in threes, a comma marks decimals: 94.800, 47,4, 1.231,69)
    """
    text = normalise_text(token).replace("\u2212", "-")
    if not _NUMBER.fullmatch(text):
        raise ValueError(
            f"{token!r} is not a number in Vietnamese notation (dots group thousands "
            "in threes, a comma marks decimals: 94.800, 47,4, 1.231,69)"
        )
    return float(text.replace(".", "").replace(" ", "").replace(",", "."))


# Measure units as written (casefolded) -> the spelling used in the data. Longest match wins.
MEASURE_UNITS: dict[str, str] = {
    "%": "%",
    "lượt người": "lượt người",
    "lượt khách": "lượt khách",
    "lượt": "lượt",
    "người chết": "người chết",
    "người bị thương": "người bị thương",
    "người": "người",
    "tỷ đồng": "tỷ đồng",
    "tỉ đồng": "tỷ đồng",
    "triệu đồng": "triệu đồng",
    "nghìn đồng": "nghìn đồng",
    "đồng": "đồng",
    "triệu usd": "triệu USD",
    "nghìn usd": "nghìn USD",
    "usd": "USD",
    "tiêu chí": "tiêu chí",
    "bác sỹ/vạn dân": "bác sỹ/vạn dân",
    "bác sĩ/vạn dân": "bác sỹ/vạn dân",
    "giường bệnh/vạn dân": "giường bệnh/vạn dân",
    "ha": "ha",
    "km": "km",
    "km2": "km²",
    "km²": "km²",
    "m2": "m²",
    "m²": "m²",
    "m3": "m³",
    "m³": "m³",
    "tấn": "tấn",
    "xã": "xã",
    "thị trấn": "thị trấn",
    "thôn": "thôn",
    "bản": "bản",
    "khu phố": "khu phố",
    "trường": "trường",
    "vụ": "vụ",
    "hộ": "hộ",
    "lao động": "lao động",
    "sản phẩm": "sản phẩm",
    "doanh nghiệp": "doanh nghiệp",
    "hợp tác xã": "hợp tác xã",
    "công trình": "công trình",
    "nhà": "nhà",
    "con": "con",
    "cây": "cây",
    "học sinh": "học sinh",
    "cơ sở": "cơ sở",
    "điểm": "điểm",
    "sao": "sao",
}
_NOT_LETTER = r"(?![^\W\d_])"
_UNIT = re.compile(
    r"\s*(" + "|".join(re.escape(u) for u in sorted(MEASURE_UNITS, key=len, reverse=True)) + r")" + _NOT_LETTER,
    re.IGNORECASE,
)
_PER_YEAR = re.compile(r"\s*/\s*năm" + _NOT_LETTER, re.IGNORECASE)
_YEAR_AFTER = re.compile(r"\s*(?:vào\s+)?năm\s+((?:19|20)\d\d)(?!\d)", re.IGNORECASE)
_YEAR_BEFORE = re.compile(r"(?:\bnăm|\bgiai đoạn|\bđến|\btừ)\s*$", re.IGNORECASE)
# a number: thousands grouped by spaces ("1 234 567", "1 234,5"), or digits with dots and commas
_TOKEN = re.compile(
    r"(?<![\w.,])(?P<sign>[-\u2212\u2013](?=\d))?(?P<num>[1-9]\d{0,2}(?: \d{3})+(?:,\d+)?(?![\d.]|,\d)|\d(?:[\d.,]*\d)?)"
)
_EXCEL_ERROR = re.compile(r"#(?:DIV/0!|N/A|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!)")
_RANGE_DASH = re.compile(r"\s*[-\u2013\u2014]\s*")

# Words that qualify a target, as written -> their normalised keyword.
QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("duy trì", r"\bduy trì\b"),
    ("giảm", r"\bgiảm\b"),
    ("tăng", r"\btăng\b"),
    ("tối đa", r"\btối đa\b"),
    ("ít nhất", r"\bít nhất\b"),
    ("tối thiểu", r"\btối thiểu\b"),
    ("trở lên", r"\btrở lên\b"),
    ("hàng năm", r"\bh[àằ]ng năm\b"),
    ("/năm", r"/\s*năm\b"),
    ("không đạt", r"\bkhông đạt\b"),
    ("thêm", r"\bthêm\b"),
)
_CHANGE_QUALIFIERS = frozenset({"giảm", "tăng"})


@dataclass(frozen=True)
class ParsedCell:
    """What a table cell says: its main number, unit and words.

    ``details`` holds further numbers of the cell as ``(value, measure_unit, year)``;
    ``ambiguous`` holds ``(token, reason)`` for numbers that must not be guessed;
    ``words`` is what is left of the text once numbers, units and years are removed.
    """

    text: str
    value: float | None = None
    value_high: float | None = None
    measure_unit: str = ""
    decimals: int = 0
    qualifier: str | None = None
    details: tuple[tuple[float, str, int | None], ...] = ()
    ambiguous: tuple[tuple[str, str], ...] = ()
    is_text: bool = False
    words: str = ""


@dataclass
class _Number:
    start: int
    end: int
    token: str  # the number as written (a range: "14-16")
    label: str = ""  # the number with its unit, as written
    value: float | None = None
    high: float | None = None
    unit: str = ""
    decimals: int = 0
    year: int | None = None
    problem: str = ""


def _is_year(text: str, match: re.Match[str]) -> bool:
    num = match.group("num")
    return (
        len(num) == 4
        and num.isdigit()
        and 1900 <= int(num) <= 2100
        and not match.group("sign")
        and bool(_YEAR_BEFORE.search(text[: match.start()]))
    )


def _read(num: _Number, tokens: list[str]) -> None:
    try:
        values = [parse_number(t) for t in tokens]
    except ValueError as exc:
        num.problem = str(exc)
        return
    num.value, num.high = values[0], (values[1] if len(values) > 1 else None)
    num.decimals = max(len(t.partition(",")[2]) for t in tokens)


def _spaced(text: str, m: re.Match[str], following: list[re.Match[str]]) -> _Number | None:
    """Two numbers with only a space between them that do not group thousands in threes
    ("12 5"): two numbers, or one with a stray space? Never glued nor split by a guess."""
    if not following or following[0].group("sign") or _is_year(text, following[0]):
        return None
    n = following[0]
    if text[m.end() : n.start()] != " ":
        return None
    token = text[m.start() : n.end()]
    num = _Number(start=m.start(), end=n.end(), token=token)
    num.problem = (
        f"{token!r} are two numbers or one written with a space between its digits, but a space groups "
        "thousands only in threes (94 800, 1 234 567): resolve it in the curated data"
    )
    if unit := _UNIT.match(text, n.end()):
        num.unit, num.end = MEASURE_UNITS[unit.group(1).casefold()], unit.end()
    num.label = text[num.start : num.end]
    return num


def _scan(text: str) -> tuple[list[_Number], list[tuple[int, int]]]:
    """Numbers (with their units and years) and the spans of stand-alone years."""
    numbers: list[_Number] = []
    years: list[tuple[int, int]] = []
    matches = list(_TOKEN.finditer(text))
    i = 0
    while i < len(matches):
        m = matches[i]
        if _is_year(text, m) or (
            years and years[-1][1] == m.start() - 1 and len(m.group("num")) == 4 and text[m.start() - 1] in "-\u2013"
        ):
            years.append(m.span())
            i += 1
            continue
        tokens = [(m.group("sign") or "").replace("\u2212", "-").replace("\u2013", "-") + m.group("num")]
        end = m.end()
        if (joined := _spaced(text, m, matches[i + 1 : i + 2])) is not None:
            numbers.append(joined)
            i += 2
            continue
        if i + 1 < len(matches):
            n = matches[i + 1]
            between = text[end : n.start()]
            if _RANGE_DASH.fullmatch(between) or (n.group("sign") and not between.strip()):
                tokens.append(n.group("num"))
                end = n.end()
                i += 1
        num = _Number(start=m.start(), end=end, token="-".join(tokens))
        _read(num, tokens)
        if unit := _UNIT.match(text, end):
            num.unit, end = MEASURE_UNITS[unit.group(1).casefold()], unit.end()
        if per := _PER_YEAR.match(text, end):
            num.unit, end = num.unit + "/năm", per.end()
        num.label = text[num.start : end]
        if year := _YEAR_AFTER.match(text, end):
            num.year, end = int(year.group(1)), year.end()
        num.end = end
        numbers.append(num)
        i += 1
    return numbers, years


# Units of things counted whole: "97,000 lượt người" cannot be 97 visitors and a comma decimal.
COUNT_UNITS = frozenset(
    {
        "lượt người",
        "người",
        "lượt",
        "vụ",
        "xã",
        "trường",
        "hộ",
        "sản phẩm",
        "nhà",
        "thôn",
        "hồ sơ",
        "công trình",
        "doanh nghiệp",
        "lao động",
    }
)
_COMMA_THOUSANDS = re.compile(r"\d{1,3},\d{3}")


def _mark_ambiguous(numbers: list[_Number]) -> None:
    """Flag ``d.ddd`` when the cell also writes a short decimal comma in the same unit,
    and ``d,ddd`` of a count (an English thousands comma, or a fraction of a person?)."""
    for num in numbers:
        if not num.problem and num.unit in COUNT_UNITS and _COMMA_THOUSANDS.fullmatch(num.token.lstrip("-")):
            num.problem = (
                f"{num.token!r} {num.unit} could be {num.token.replace(',', '')} (comma as "
                f"thousands separator, as English writes it) or {num.token} (comma as decimal "
                f"mark), but {num.unit} are counted whole; resolve it in the curated data"
            )
            continue
        if num.problem or not _THOUSANDS_ONLY.fullmatch(num.token.lstrip("-")):
            continue
        other = next(
            (
                o
                for o in numbers
                if o is not num and o.unit == num.unit and _SHORT_DECIMAL.fullmatch(o.token.lstrip("-"))
            ),
            None,
        )
        if other is not None:
            whole = num.token.replace(".", "")
            num.problem = (
                f"{num.token!r} could be {whole} (dot as thousands separator) or "
                f"{num.token.replace('.', ',')} (dot as decimal point, as {other.token!r} "
                "in the same cell suggests); resolve it in the curated data"
            )


def _qualifier(text: str) -> str | None:
    found = [(m.start(), word) for word, pattern in QUALIFIERS if (m := re.search(pattern, text, re.IGNORECASE))]
    return min(found)[1] if found else None


# Negatives as accountants write them: "(3,26)" (the whole cell in brackets), "âm 3,26".
_BRACKETED = re.compile(r"\(\s*(?P<num>\d(?:[\d.,]*\d)?)\s*(?P<pct>%?)\s*\)\s*(?P<after>%?)")
_MINUS_WORD = re.compile(r"\bâm\s+(?=\d)", re.IGNORECASE)
# Words before a result that say it is not exact, as written -> the bound they set on the figure:
# "about" (either side), "above" (more than it), "below" (less than it).
RESULT_QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("ước đạt", "about"),
    ("ước tính", "about"),
    ("ước", "about"),
    ("khoảng", "about"),
    ("xấp xỉ", "about"),
    ("trên", "above"),
    ("hơn", "above"),
    ("gần", "below"),
    ("dưới", "below"),
    ("chưa đến", "below"),
)
_RESULT_QUALIFIER = re.compile(
    r"^(?P<word>" + "|".join(re.escape(w) for w, _ in RESULT_QUALIFIERS) + r")\s*(?=[\d\-\u2013(])", re.IGNORECASE
)


def negative_form(text: str) -> str:
    """A cell with its accountants' negatives written with a minus: "(3,26)" -> "-3,26",
    "âm 3,26" -> "-3,26"; anything else as it is.

    >>> negative_form("(3,26)"), negative_form("(3,26%)"), negative_form("âm 3,26%"), negative_form("0,7% (còn 4,33%)")
    ('-3,26', '-3,26%', '-3,26%', '0,7% (còn 4,33%)')
    """
    if m := _BRACKETED.fullmatch(text.strip()):
        return f"-{m.group('num')}{m.group('pct') or m.group('after')}"
    return _MINUS_WORD.sub("-", text)


def result_qualifier(text: str) -> tuple[str, str] | None:
    """``(word, bound)`` of a result written as not exact ("khoảng 65", "trên 65"): the word as
    written and ``about``, ``above`` or ``below``; None for a plain figure.

    >>> result_qualifier("khoảng 65"), result_qualifier("Trên 65%"), result_qualifier("65"), result_qualifier("Ước 1.200 ha")
    (('khoảng', 'about'), ('Trên', 'above'), None, ('Ước', 'about'))
    """
    m = _RESULT_QUALIFIER.match(normalise_text(text))
    if m is None:
        return None
    word = m.group("word")
    return word, dict(RESULT_QUALIFIERS)[word.casefold()]


def parse_cell(text: str) -> ParsedCell:
    """Read a table cell: main number, range, unit, qualifier, further numbers, ambiguity.

    >>> c = parse_cell("1.231,69ha")
    >>> c.value, c.measure_unit, c.decimals
    (1231.69, 'ha', 2)
    >>> c = parse_cell("14-16 tiêu chí")
    >>> c.value, c.value_high, c.measure_unit
    (14.0, 16.0, 'tiêu chí')
    >>> c = parse_cell("Duy trì 42%")
    >>> c.value, c.qualifier, c.words
    (42.0, 'duy trì', 'Duy trì')
    >>> c = parse_cell("12,0% (Đạt 15,139 triệu USD/13.517 triệu USD năm 2023)")
    >>> c.value, c.decimals, c.details, c.ambiguous[0][0]
    (12.0, 1, ((15.139, 'triệu USD', None),), '13.517 triệu USD')
    >>> parse_cell("Không đạt").is_text
    True
    >>> [parse_cell(t).value for t in ("(3,26)", "-3,26", "\u20133,26", "âm 3,26", "14\u201316")]
    [-3.26, -3.26, -3.26, -3.26, 14.0]
    """
    text = normalise_text(text)
    if error := _EXCEL_ERROR.search(text):  # "#DIV/0!" holds a 0 that is not a figure
        reason = f"the Excel error value {error.group(0)}, not a figure"
        return ParsedCell(text=text, ambiguous=((error.group(0), reason),))
    text = negative_form(text)
    numbers, years = _scan(text)
    _mark_ambiguous(numbers)
    qualifier = _qualifier(text)
    spans = sorted([(n.start, n.end) for n in numbers] + years)
    rest, pos = [], 0
    for start, end in spans:
        rest.append(text[pos:start])
        pos = max(pos, end)
    rest.append(text[pos:])
    words = normalise_text(re.sub(r"[()\[\],;:/+=.\-\u2013*]", " ", " ".join(rest)))
    words = words if re.search(r"[^\W\d_]", words) else ""
    if not numbers:
        return ParsedCell(text=text, qualifier=qualifier, is_text=bool(text), words=words)
    main = numbers[0]
    if qualifier in _CHANGE_QUALIFIERS and main.unit != "%":
        percents = [n for n in numbers if n.unit == "%" and not n.problem]
        if len(percents) == 1:
            main = percents[0]
    details = tuple(
        (n.value, n.unit, n.year) for n in numbers if n is not main and not n.problem and n.value is not None
    )
    ambiguous = tuple((n.label, n.problem) for n in numbers if n.problem)
    ok = not main.problem
    return ParsedCell(
        text=text,
        value=main.value if ok else None,
        value_high=main.high if ok else None,
        measure_unit=main.unit,
        decimals=main.decimals if ok else 0,
        qualifier=qualifier,
        details=details,
        ambiguous=ambiguous,
        is_text=False,
        words=words,
    )
