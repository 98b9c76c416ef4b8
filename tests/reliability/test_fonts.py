"""The PDF's fonts are the DejaVu files shipped with the package, whatever the system has:
its usual fonts, none at all, or a fontconfig rule that puts another font first."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import paths
from analysis.build.typefaces import FACES, FONTS_DIR

# builds packs, renders PDFs or starts processes: not in make test-fast
pytestmark = pytest.mark.slow

RENDER = """
import sys
from analysis.build.render import html_to_pdf, stylesheet
html = ("<html><head><style>" + stylesheet() + "</style></head><body><h1>Đội Cấn</h1>"
        "<p>Nhất Hòa <b>0,5%</b> <i>nghiêng</i></p><table><tr><th>TT</th><td>Chỉ tiêu</td></tr></table>"
        "<code>x = 1</code></body></html>")
html_to_pdf(html, sys.argv[1])
"""

SHIPPED = {
    "Briefing-Serif",
    "Briefing-Serif-Bold",
    "Briefing-Serif-Italic",
    "Briefing-Sans",
    "Briefing-Sans-Bold",
    "Briefing-Sans-Condensed,-Semi-Condensed",
    "Briefing-Mono",
}


def fontconfig(tmp_path: Path, case: str) -> dict[str, str]:
    """Environment of a system whose fontconfig is ``case``."""
    if case == "system":
        return {}
    conf = tmp_path / "fonts.conf"
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    rule = ""
    if case == "another font first":  # every family asked for resolves to DejaVu Sans Mono
        (fonts / "DejaVuSansMono.ttf").write_bytes((FONTS_DIR / "DejaVuSansMono.ttf").read_bytes())
        rule = (
            '<match target="pattern"><edit name="family" mode="prepend" binding="strong">'
            "<string>DejaVu Sans Mono</string></edit></match>"
        )
    conf.write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{fonts}</dir><cachedir>{tmp_path / "cache"}</cachedir>{rule}</fontconfig>',
        encoding="utf-8",
    )
    return {"FONTCONFIG_FILE": str(conf)}


def embedded_fonts(pdf: Path) -> set[str]:
    from pypdf import PdfReader

    return {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in PdfReader(pdf).pages
        for font in page["/Resources"]["/Font"].values()
    }


@pytest.fixture(scope="module")
def system_pdf(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("fonts") / "system.pdf"
    subprocess.run([sys.executable, "-c", RENDER, str(out)], check=True, cwd=paths.ROOT)
    return out.read_bytes()


@pytest.mark.parametrize("case", ["system", "no fonts at all", "another font first"])
def test_the_pdf_embeds_the_shipped_fonts_whatever_the_system_has(tmp_path: Path, case: str, system_pdf: bytes):
    out = tmp_path / "x.pdf"
    done = subprocess.run(
        [sys.executable, "-c", RENDER, str(out)],
        env={**os.environ, **fontconfig(tmp_path, case)},
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
    )
    assert (done.returncode, done.stderr) == (0, "")  # no warning either
    assert embedded_fonts(out) == SHIPPED
    assert out.read_bytes() == system_pdf  # the same bytes as with the system's fonts


def test_the_shipped_fonts_are_dejavu_with_their_licence():
    from fontTools.ttLib import TTFont

    for *_, file in FACES:
        assert TTFont(FONTS_DIR / file, lazy=True)["name"].getDebugName(1).startswith("DejaVu"), file
    licence = (FONTS_DIR / "LICENSE").read_text(encoding="utf-8")
    assert "Bitstream Vera Fonts Copyright" in licence and "Permission is hereby granted" in licence


def test_the_manifest_records_each_shipped_font_by_its_hash():
    from analysis.build.manifest import font_files

    fonts = font_files()
    assert sorted(fonts) == sorted(file for *_, file in FACES)
    for file, entry in fonts.items():
        assert entry["sha256"] == hashlib.sha256((FONTS_DIR / file).read_bytes()).hexdigest()
