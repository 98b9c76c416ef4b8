"""A small SVG canvas for the packs' charts: rectangles, paths, lines and text, written as text.

Charts are a few dozen shapes; drawing them as SVG text costs a millisecond where a plotting
library spends a tenth of a second per figure, and the same SVG goes into the HTML page and,
unchanged, into the PDF. Text is laid out with the advance widths of DejaVu Sans (the font of
the packs, read once per process from :data:`analysis.fonts.FONTS_DIR`: :func:`text_width`), so
labels are placed and shortened to fit without a renderer. Output is deterministic: the same
drawing calls give the same bytes.
"""

from __future__ import annotations

import html
import math

from analysis.fonts import font_file, measure, read_widths
from analysis.io.numbers import format_compact
from analysis.report.cache import file_digest, memoize

#: The font family charts are drawn in (the packs' sans-serif).
FONT_FAMILY = "DejaVu Sans, Noto Sans, sans-serif"
#: Width of a chart: the text width of an A4 page with the packs' margins (176 mm) in CSS pixels.
WIDTH = 665.0


def _widths(bold: bool) -> bytes:
    """The font's advance widths (:func:`analysis.fonts.read_widths`), kept per process by
    :mod:`analysis.report.cache` (a warm kernel re-imports this module for every notebook)."""
    path = font_file(bold=bold)
    return memoize(("svg-font-widths", str(path), file_digest(path)), lambda: read_widths(path))


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width of ``text`` set in DejaVu Sans at ``size`` (:func:`analysis.fonts.text_width`).

    >>> round(text_width("Nhất Hòa", 10), 1)
    46.8
    """
    return measure(text, size, _widths(bold))


def fit_text(text: str, size: float, width: float, *, bold: bool = False) -> str:
    """``text``, cut at a word and ended with "…" when it is wider than ``width``.

    >>> fit_text("Tỷ lệ người dân tham gia bảo hiểm y tế", 10, 100)
    'Tỷ lệ người dân…'
    """
    if text_width(text, size, bold=bold) <= width:
        return text
    words = text.split()
    while words:
        words.pop()
        shorter = " ".join(words).rstrip(",;:") + "…"
        if text_width(shorter, size, bold=bold) <= width:
            return shorter
    return "…"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering ``low``..``high`` (about ``count`` of them).

    >>> nice_ticks(0, 17.3)
    [0.0, 5.0, 10.0, 15.0, 20.0]
    >>> nice_ticks(0, 0)
    [0.0, 1.0]
    """
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        start = float(low) if math.isfinite(low) else 0.0
        return [start, start + 1.0]
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step + 1e-9) * step
    ticks = []
    value = first
    while value < high + step - 1e-9 * step:
        ticks.append(round(value, 10) + 0.0)
        value = first + len(ticks) * step
    return ticks


def tick_label(value: float) -> str:
    """A tick as a Vietnamese number (decimal comma, no trailing zeros).

    >>> tick_label(2.5), tick_label(1500.0)
    ('2,5', '1.500')
    """
    return format_compact(value, 2)


def _num(value: float) -> str:
    """A coordinate with at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class Canvas:
    """An SVG drawing of ``width`` × ``height`` CSS pixels; shapes are kept in call order."""

    def __init__(self, width: float, height: float, *, title: str = "") -> None:
        self.width, self.height, self.title = width, height, title
        self._parts: list[str] = []
        self._hatched = False

    def rect(self, x: float, y: float, w: float, h: float, fill: str) -> None:
        self._parts.append(
            f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(max(w, 0))}" height="{_num(h)}" fill="{fill}"/>'
        )

    def bars(self, boxes: list[tuple[float, float, float, float]], fill: str) -> None:
        """Many rectangles (x, y, w, h) of one colour as one path: one drawing object."""
        if not boxes:
            return
        d = " ".join(f"M{_num(x)} {_num(y)}h{_num(max(w, 0))}v{_num(h)}h{_num(-max(w, 0))}z" for x, y, w, h in boxes)
        self._parts.append(f'<path d="{d}" fill="{fill}"/>')

    def hatch(self, boxes: list[tuple[float, float, float, float]], stroke: str = "#ffffff") -> None:
        """Diagonal stripes over rectangles (x, y, w, h) already drawn: one path filled with a
        pattern (defined once per drawing)."""
        if not boxes:
            return
        if not self._hatched:
            self._hatched = True
            self._parts.insert(
                0,
                '<defs><pattern id="hatch" patternUnits="userSpaceOnUse" width="6" height="6" '
                f'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="{stroke}" '
                'stroke-width="2"/></pattern></defs>',
            )
        d = " ".join(f"M{_num(x)} {_num(y)}h{_num(max(w, 0))}v{_num(h)}h{_num(-max(w, 0))}z" for x, y, w, h in boxes)
        self._parts.append(f'<path d="{d}" fill="url(#hatch)"/>')

    def line(
        self, x1: float, y1: float, x2: float, y2: float, stroke: str, *, width: float = 1, dash: str = ""
    ) -> None:
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        self._parts.append(
            f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" '
            f'stroke="{stroke}" stroke-width="{_num(width)}"{dashed}/>'
        )

    def lines(self, segments: list[tuple[float, float, float, float]], stroke: str, *, width: float = 1) -> None:
        """Many straight segments of one style as one path."""
        if not segments:
            return
        d = " ".join(f"M{_num(a)} {_num(b)}L{_num(c)} {_num(e)}" for a, b, c, e in segments)
        self._parts.append(f'<path d="{d}" fill="none" stroke="{stroke}" stroke-width="{_num(width)}"/>')

    def polyline(self, points: list[tuple[float, float]], stroke: str, *, width: float = 1) -> None:
        if len(points) < 2:
            return
        pts = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
        self._parts.append(f'<polyline points="{pts}" fill="none" stroke="{stroke}" stroke-width="{_num(width)}"/>')

    def circle(self, x: float, y: float, r: float, fill: str) -> None:
        self._parts.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" fill="{fill}"/>')

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float = 11,
        anchor: str = "start",
        bold: bool = False,
        fill: str = "#1b1b1b",
    ) -> None:
        """``text`` with its baseline at ``y``; ``anchor`` start, middle or end."""
        attrs = f' text-anchor="{anchor}"' if anchor != "start" else ""
        attrs += ' font-weight="bold"' if bold else ""
        attrs += f' fill="{fill}"' if fill != "#1b1b1b" else ""
        self._parts.append(
            f'<text x="{_num(x)}" y="{_num(y)}" font-size="{_num(size)}"{attrs}>{html.escape(text, quote=False)}</text>'
        )

    def to_svg(self) -> str:
        """The drawing as a standalone SVG document (one line per shape)."""
        w, h = _num(self.width), _num(math.ceil(self.height))
        title = f"<title>{html.escape(self.title, quote=False)}</title>\n" if self.title else ""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
            f'font-family="{FONT_FAMILY}" fill="#1b1b1b">\n{title}' + "\n".join(self._parts) + "\n</svg>\n"
        )
