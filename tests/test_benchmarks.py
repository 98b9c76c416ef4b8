"""The benchmark's own tools (benchmarks/): the synthetic province and the floor renderer."""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pytest

from analysis import paths
from analysis.analyses.communes import read_commune_data
from analysis.build.units import run_units
from analysis.io.datasets import load_curated
from analysis.report.communes_context import commune_context

sys.path.insert(0, str(paths.ROOT / "benchmarks"))

from make_province import make_province


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> dict:
    return make_province(5, tmp_path_factory.mktemp("province") / "p", seed=0)


def test_province_is_deterministic(province, tmp_path):
    again = make_province(5, tmp_path / "again", seed=0)
    first, second = _files(province["data_dir"].parent), _files(again["data_dir"].parent)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []
    other = make_province(5, tmp_path / "other", seed=1)
    assert _files(other["data_dir"].parent) != first


def test_province_keeps_the_shipped_data_and_flags_every_added_row(province):
    data = province["data_dir"]
    curated = load_curated(data)
    shipped = load_curated(paths.DATA)
    assert set(shipped.units["unit"]) < set(curated.units["unit"])
    added = curated.units[curated.units["unit"].str.startswith("syn")]
    assert added["unit"].tolist() == ["syn-p01", *province["communes"]]
    assert set(added["illustrative"]) == {"true"}
    assert len(set(added["name"])) == len(added)
    catalogue, observations = read_commune_data(data)
    syn = observations[observations["unit"].str.startswith("syn")]
    assert syn["illustrative"].all() and set(syn["unit"]) == set(province["communes"])
    assert catalogue[catalogue["unit"].str.startswith("syn")]["illustrative"].all()
    ntm = syn[(syn["indicator_id"] == "ntm_criteria") & (syn["kind"] == "result")]["value"]
    assert ntm.between(8, 19).all()
    assert set(syn["year"]) == {2022, 2023, 2024, 2025}
    assert (syn["kind"] == "published_attainment_pct").any()


def test_province_communes_evaluate_and_are_in_the_run(province):
    unit = province["communes"][0]
    ctx = commune_context(unit, 2024, data_dir=province["data_dir"])
    assert ctx.headline_text.startswith("Số liệu minh họa — Năm 2024")
    assert len(ctx.standing) == len(ctx.evaluated) > 5
    items = run_units(2024, params_dir=province["params_dir"])
    listed = [i["unit"] for i in items]
    assert listed[:3] == ["lang-son", "trang-dinh", "bac-son"] and listed[-5:] == province["communes"]
    assert all(i["notebooks"] == ["50_commune_pack.ipynb"] for i in items[-5:])
    assert (province["params_dir"] / "2024" / f"{unit}.yaml").is_file()


@pytest.mark.slow
def test_provinces_of_about_a_hundred_communes_directly_under_the_province(tmp_path):
    """Since 2025: two levels. 205 communes make ceil(205 / 100) = 3 provinces of 69, 68 and 68
    communes, each commune's parent a province; a slice lists only the first communes."""
    info = make_province(205, tmp_path / "p", listed=70)
    units = load_curated(info["data_dir"]).units
    syn = units[units["unit"].str.startswith("syn")]
    assert info["provinces"] == ["syn-p01", "syn-p02", "syn-p03"]
    assert set(syn.loc[syn["level"] == "province", "parent"]) == {""}
    communes = syn[syn["level"] == "commune"]
    assert communes.groupby("parent").size().to_dict() == {"syn-p01": 69, "syn-p02": 68, "syn-p03": 68}
    assert not (syn["level"] == "district").any()
    run = [i["unit"] for i in run_units(2024, params_dir=info["params_dir"])]
    assert run[-70:] == info["listed"] == info["communes"][:70]
    assert info["communes"][70] not in run
    ctx = commune_context(info["communes"][0], 2024, data_dir=info["data_dir"])
    assert ctx.area == "tỉnh" and ctx.full_name.endswith(f"(tỉnh {units.set_index('unit').loc['syn-p01', 'name']})")
    assert set(ctx.comparison["unit"]) == set(communes.loc[communes["parent"] == "syn-p01", "unit"])
    assert ctx.standing["n_communes"].max() == 69


def test_province_is_never_written_into_the_shipped_data():
    with pytest.raises(ValueError, match="shipped data"):
        make_province(1, paths.DATA / "synthetic")


@pytest.mark.slow
def test_floor_renders_a_commune_pack_with_headline_and_pdf(province, tmp_path):
    from pypdf import PdfReader

    import floor

    unit = province["communes"][1]
    ctx = commune_context(unit, 2024, data_dir=province["data_dir"])
    out = floor.render_pack_direct(unit, 2024, data_dir=province["data_dir"], out_dir=tmp_path)
    assert out == {kind: tmp_path / unit / f"50_commune_pack.{kind}" for kind in ("html", "pdf", "docx")}
    html = out["html"].read_text(encoding="utf-8")
    assert f'<p class="headline">{ctx.headline_text}</p>' in html
    assert html.count('<figure class="chart">') == len(ctx.chart_indicators) > 0
    assert "SỐ LIỆU MINH HỌA" in html
    text = unicodedata.normalize(
        "NFC", re.sub(r"\s+", " ", "\n".join(p.extract_text() or "" for p in PdfReader(out["pdf"]).pages))
    )
    assert ctx.name in text and "Tài liệu của xã" in text
    import docx

    document = docx.Document(str(out["docx"]))
    assert ctx.headline_text in [p.text for p in document.paragraphs]
    assert len(document.inline_shapes) == len(ctx.chart_indicators)  # each chart a picture


def test_floor_mirrors_every_notebook_and_its_section_headings():
    """A cheap guard against drift (bench.py compares the floor's packs with the build's in full):
    every notebook has a direct rendering, and every heading a notebook's code shows, and every
    table or chart function it calls (``present.evaluated_table``...), is in its page's function
    (or a helper of floor.py that function calls)."""
    import inspect
    import json

    import floor

    def page_source(page: object) -> str:
        text = inspect.getsource(page)  # type: ignore[arg-type]
        helpers = [getattr(floor, n) for n in set(re.findall(r"\b(_\w+)\(", text)) if callable(getattr(floor, n, None))]
        return text + "".join(inspect.getsource(h) for h in helpers if inspect.isfunction(h))

    source = (paths.ROOT / "benchmarks" / "floor.py").read_text(encoding="utf-8")
    for nb_path in sorted(paths.NOTEBOOKS.glob("*.ipynb")):
        assert nb_path.stem in floor.PAGES, f"{nb_path.name}: no direct rendering in benchmarks/floor.py"
        cells = json.loads(nb_path.read_text(encoding="utf-8"))["cells"]
        code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        headings = re.findall(r"heading\(f?\".*?\"\)", code)
        assert headings or nb_path.stem not in ("00_briefing", "50_commune_pack", "60_rollup"), nb_path.name
        for heading in headings:
            assert heading in source, f"{nb_path.name}: {heading} is not in benchmarks/floor.py"
        shown = r"\b((?:\w*present|html_table|charts|rollup_charts)\.\w+)\("
        page = page_source(floor.PAGES[nb_path.stem][1])
        for name in set(re.findall(shown, code)):
            assert re.search(rf"\b{re.escape(name)}\b", page), f"{nb_path.name}: {name} is not in its floor page"
        # and those imported by name (``from analysis.report.rollup_charts import summary_chart``)
        modules = r"\w*present|html_table|charts|rollup_charts"
        for names in re.findall(rf"^from analysis\.report\.(?:{modules}) import (.+)$", code, flags=re.MULTILINE):
            for name in (n.strip() for n in names.split(",")):
                if re.search(rf"\b{re.escape(name)}\(", code):
                    used = re.sub(r"^\s*(?:from|import) .*$", "", page, flags=re.MULTILINE)  # imported is not used
                    assert re.search(rf"\b{re.escape(name)}\b", used), (
                        f"{nb_path.name}: {name} is not in its floor page"
                    )
