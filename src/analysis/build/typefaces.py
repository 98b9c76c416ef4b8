"""The fonts of the PDF briefings, shipped with the package (``build/fonts/``, DejaVu 2.37).

The stylesheet sets text in the families ``Briefing Serif``, ``Briefing Sans``, ``Briefing Sans
Condensed`` and ``Briefing Mono``, which no system has: they exist only through the
``@font-face`` rules of :func:`font_faces_css`, given to WeasyPrint with every PDF, and
fontconfig is set up for the PDF from ``fonts/fonts.conf`` alone (no system font, no system
rule). The PDF's fonts are therefore the same on every machine, whatever fontconfig would
pick, and when the system has no fonts at all. A character DejaVu lacks (none of Vietnamese)
shows as an empty box rather than in a font of the machine.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from analysis.files import sha256_file
from analysis.fonts import FONTS_DIR

__all__ = ["FACES", "FONTS_DIR", "font_faces_css", "pdf_stylesheets", "shipped_fonts"]

#: (family, weight, style, file) of every face the stylesheet may ask for.
FACES = (
    ("Briefing Serif", "normal", "normal", "DejaVuSerif.ttf"),
    ("Briefing Serif", "bold", "normal", "DejaVuSerif-Bold.ttf"),
    ("Briefing Serif", "normal", "italic", "DejaVuSerif-Italic.ttf"),
    ("Briefing Serif", "bold", "italic", "DejaVuSerif-BoldItalic.ttf"),
    ("Briefing Sans", "normal", "normal", "DejaVuSans.ttf"),
    ("Briefing Sans", "bold", "normal", "DejaVuSans-Bold.ttf"),
    ("Briefing Sans", "normal", "italic", "DejaVuSans-Oblique.ttf"),
    ("Briefing Sans", "bold", "italic", "DejaVuSans-BoldOblique.ttf"),
    ("Briefing Sans Condensed", "normal", "normal", "DejaVuSansCondensed.ttf"),
    ("Briefing Sans Condensed", "bold", "normal", "DejaVuSansCondensed-Bold.ttf"),
    ("Briefing Sans Condensed", "normal", "italic", "DejaVuSansCondensed-Oblique.ttf"),
    ("Briefing Sans Condensed", "bold", "italic", "DejaVuSansCondensed-BoldOblique.ttf"),
    ("Briefing Mono", "normal", "normal", "DejaVuSansMono.ttf"),
    ("Briefing Mono", "bold", "normal", "DejaVuSansMono-Bold.ttf"),
)


def font_faces_css(fonts_dir: Path = FONTS_DIR) -> str:
    """``@font-face`` rules of :data:`FACES`, by absolute ``file:`` URL.

    >>> font_faces_css().count("@font-face"), "DejaVuSerif-Bold.ttf" in font_faces_css()
    (14, True)
    """
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{(fonts_dir / file).absolute().as_uri()}") format("truetype"); }}'
        for family, weight, style, file in FACES
    )


def shipped_fonts() -> dict[str, dict[str, str]]:
    """Each shipped font file with its SHA-256, for the manifest (the PDF's bytes depend on them).

    >>> sorted(shipped_fonts())[0], len(shipped_fonts()["DejaVuSans.ttf"]["sha256"])
    ('DejaVuSans-Bold.ttf', 64)
    """
    return {
        file: {"file": f"analysis/build/fonts/{file}", "sha256": sha256_file(FONTS_DIR / file)}
        for *_, file in sorted(FACES, key=lambda f: f[3])
    }


_local = threading.local()


def pdf_stylesheets() -> tuple[list[Any], Any]:
    """WeasyPrint's ``stylesheets`` and ``font_config`` for a PDF: the shipped faces, loaded
    once per thread (a ``FontConfiguration`` is not shared between threads)."""
    loaded = getattr(_local, "loaded", None)
    if loaded is None:
        import warnings

        with warnings.catch_warnings():  # WeasyPrint warns on import when the system has no font
            warnings.filterwarnings("ignore", message="No fonts configured in FontConfig")
            from weasyprint import CSS
            from weasyprint.text.fonts import FontConfiguration

        missing = [file for *_, file in FACES if not (FONTS_DIR / file).is_file()]
        if missing:
            from analysis.errors import AnalysisError

            raise AnalysisError(f"{FONTS_DIR}: shipped font(s) missing: {', '.join(missing)}; reinstall the package")
        config = _isolated_font_configuration(FontConfiguration)
        loaded = _local.loaded = ([CSS(string=font_faces_css(), font_config=config)], config)
    return loaded


_env_lock = threading.Lock()


def _isolated_font_configuration(factory: Any) -> Any:
    """``factory()`` (WeasyPrint's ``FontConfiguration``) made while fontconfig reads
    ``fonts/fonts.conf``: no system font, no system rule (a rule may replace any family by
    another). Its warning that no font is configured is expected: the fonts come next."""
    import os
    import warnings

    with _env_lock, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="No fonts configured in FontConfig")
        old = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = str(FONTS_DIR / "fonts.conf")
        try:
            return factory()
        finally:
            if old is None:
                os.environ.pop("FONTCONFIG_FILE", None)
            else:
                os.environ["FONTCONFIG_FILE"] = old
