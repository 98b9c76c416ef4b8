"""The packs' fonts: where they are, and how wide a text is in their sans-serif, without a renderer.

:data:`FONTS_DIR` is the one folder the PDFs are set from (:mod:`analysis.build.typst_export`).
Charts place and shorten their labels with :func:`text_width` (:mod:`analysis.report.svg`), and
the writers size table columns as a browser would (:mod:`analysis.writers.layout`).
The advance widths of DejaVu Sans are read from that folder into a table of the Basic
Multilingual Plane; kerning is left out.
"""

from __future__ import annotations

from array import array
from functools import lru_cache
from pathlib import Path

#: The one folder of fonts the PDFs are set in: DejaVu Serif and Sans (which cover Vietnamese),
#: shipped with the package (``analysis/build/fonts/``, :mod:`analysis.build.typefaces`). Only
#: these are used, whatever else the machine has, by both PDF routes and the charts' text widths.
FONTS_DIR = Path(__file__).parent / "build" / "fonts"

#: Advance width (in ems) of a character the font does not have.
FALLBACK_EM = 0.6


def font_file(*, bold: bool = False, condensed: bool = False) -> Path:
    """DejaVu Sans (bold, condensed) in :data:`FONTS_DIR`."""
    return FONTS_DIR / f"DejaVuSans{'Condensed' if condensed else ''}{'-Bold' if bold else ''}.ttf"


def read_widths(path: Path | str) -> bytes:
    """The advance widths of a font's characters U+0000–U+FFFF in thousandths of an em, as the
    bytes of an array of unsigned shorts (0: not in the font)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    upm = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    table = array("H", bytes(2 * 65536))
    for code, glyph in font.getBestCmap().items():
        if code < 65536:
            table[code] = max(1, round(metrics[glyph][0] * 1000 / upm))
    return table.tobytes()


@lru_cache(maxsize=4)
def _widths(bold: bool, condensed: bool) -> bytes:
    return read_widths(font_file(bold=bold, condensed=condensed))


def measure(text: str, size: float, widths: bytes) -> float:
    """Width of ``text`` at ``size`` with the advance ``widths`` of :func:`read_widths`."""
    table = memoryview(widths).cast("H")
    fallback = round(FALLBACK_EM * 1000)
    total = 0
    for ch in text:
        code = ord(ch)
        total += (table[code] if code < 65536 else 0) or fallback
    return total * size / 1000


def text_width(text: str, size: float, *, bold: bool = False, condensed: bool = False) -> float:
    """Width of ``text`` set in DejaVu Sans (bold, condensed) at ``size`` (same unit as
    ``size``); the font's widths are read once per process (FreeType measures "Nhất Hòa" at
    10 pt as 46.81 pt).

    >>> round(text_width("Nhất Hòa", 10), 1), text_width("", 10)
    (46.8, 0.0)
    >>> text_width("Không đạt", 8, condensed=True) < text_width("Không đạt", 8)
    True
    """
    return measure(text, size, _widths(bold, condensed))
