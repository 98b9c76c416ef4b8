"""How a set of commune-level units is named by the kinds it holds (xã, phường, thị trấn, đặc
khu): the words of the registry's types, for the roll-ups and the index alike."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

#: The kinds of commune-level unit, in the order the reports name them, and the word of each.
_KIND_WORDS = (("xã", "xã"), ("phường", "phường"), ("thị trấn", "thị trấn"), ("đặc khu", "đặc khu"))


def commune_kinds(levels: Sequence[str], names: Sequence[str]) -> str:
    """How a set of commune-level units is named, from the kinds it holds: ``xã, thị trấn``
    (Bắc Sơn, 2024), ``xã, phường`` (Lạng Sơn, 2026), ``xã`` alone. A unit's kind is its
    level ``town`` (thị trấn) or the type word its official name starts with (``Phường Đông
    Kinh``); else it is a xã. No unit: ``xã``.

    >>> commune_kinds(["commune", "town"], ["Tân Tri", "Bắc Sơn"])
    'xã, thị trấn'
    >>> commune_kinds(["commune", "commune", "commune"], ["Xã Thất Khê", "Phường Đông Kinh", "Phường Tam Thanh"])
    'xã, phường'
    """
    found = set()
    for level, name in zip(levels, names, strict=True):
        text = unicodedata.normalize("NFC", str(name)).casefold()
        kind = "thị trấn" if level == "town" else next((k for k, _ in _KIND_WORDS if text.startswith(k + " ")), "xã")
        found.add(kind)
    return ", ".join(word for kind, word in _KIND_WORDS if kind in found) or "xã"
