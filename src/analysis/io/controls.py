"""Invisible characters that change how text is shown: bidirectional controls (one can reverse
the rest of a line: a right-to-left override), zero-width characters (they hide where a name
is cut, or hide text), and other control characters.

Vietnamese text never needs them. Where they are met:

- a raw table (:mod:`analysis.io.tables`): each is removed and reported (a warning naming the
  row, the column and the character);
- a curated dataset (:mod:`analysis.io.datasets`): an error naming the file, row and column;
- a briefing's HTML (:mod:`analysis.build.render`): shown as ``[U+202E]``, never applied.
"""

from __future__ import annotations

import re
import unicodedata

#: Bidirectional controls and zero-width characters (and the byte-order mark).
INVISIBLE = (
    "\u061c"  # ARABIC LETTER MARK
    "\u180e"  # MONGOLIAN VOWEL SEPARATOR
    "\u200b\u200c\u200d"  # ZERO WIDTH SPACE, NON-JOINER, JOINER
    "\u200e\u200f"  # LEFT-TO-RIGHT MARK, RIGHT-TO-LEFT MARK
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO (embeddings and overrides)
    "\u2060\u2061\u2062\u2063\u2064"  # WORD JOINER, invisible operators
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI (isolates)
    "\ufeff"  # ZERO WIDTH NO-BREAK SPACE (byte-order mark)
)

#: Any of :data:`INVISIBLE`, or a C0/C1 control character other than tab and line breaks.
CONTROLS = re.compile(f"[{INVISIBLE}\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]")


def controls_in(text: str) -> list[str]:
    """The control characters of ``text``, each once, in order of first appearance.

    >>> controls_in("Xã \\u202eĐội Cấn\\u202c")
    ['\\u202e', '\\u202c']
    """
    return list(dict.fromkeys(CONTROLS.findall(text)))


def describe(chars: list[str]) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE, ...``

    >>> describe(["\\u202e", "\\x1b"])
    'U+202E RIGHT-TO-LEFT OVERRIDE, U+001B'
    """
    return ", ".join(f"U+{ord(c):04X}" + (f" {unicodedata.name(c)}" if unicodedata.name(c, "") else "") for c in chars)


def strip_controls(text: str) -> str:
    """``text`` without its control characters.

    >>> strip_controls("Đội\\u200b Cấn\\u202e")
    'Đội Cấn'
    """
    return CONTROLS.sub("", text)


def show_controls(text: str) -> str:
    """``text`` with each control character written out as ``[U+XXXX]``.

    >>> show_controls("Xã \\u202eĐội Cấn")
    'Xã [U+202E]Đội Cấn'
    """
    return CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)
