"""The build end to end on a tiny fixture run: papermill, HTML, PDF, index, manifest.

One run of three units (one deliberately broken, one with a misspelled parameter) and a
second build of one unit into another folder are shared by every test of the module.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import nbformat
import pytest

from analysis.__main__ import build_parser, main
from analysis.build.run import BuildSummary, build
from analysis.files import sha256_file
from analysis.report.summary import read_summary

NOTEBOOKS = Path(__file__).parents[1] / "fixtures" / "notebooks"
HEADLINE = "Đội Cấn — Nhất Hòa — 06/26 chỉ tiêu không đạt"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("run")
    params, data = root / "params", root / "data"
    write(params / "defaults.yaml", "kernel_name: analysis\nexecution_timeout: 120\nreport_date: null\n")
    write(
        params / "2024" / "units.yaml",
        "notebooks_by_level:\n  commune: [briefing.ipynb]\nunits:\n"
        "  - {unit: doi-can, level: commune}\n  - {unit: broken, level: commune}\n"
        "  - {unit: typo, level: commune}\n  - {unit: nhat-hoa, level: commune}\n",
    )
    write(params / "2024" / "doi-can.yaml", "report_date: 2024-12-04\n")
    write(params / "2024" / "nhat-hoa.yaml", "report_date: 12/2024\nunit_name: Nhất Hòa\n")
    write(params / "2024" / "broken.yaml", "# raises in its second cell\n")
    write(params / "2024" / "typo.yaml", "reprot_date: 2024-12-04\n")
    write(data / "units.csv", "unit,name\ndoi-can,Đội Cấn\nbroken,Hỏng\ntypo,Gõ nhầm\nnhat-hoa,Nhất Hòa\n")
    return {"params_dir": params, "data_dir": data, "notebooks_dir": NOTEBOOKS, "root": root}


@pytest.fixture(scope="module")
def run(inputs) -> BuildSummary:
    dirs = {k: v for k, v in inputs.items() if k != "root"}
    return build(2024, reports_dir=inputs["root"] / "reports", progress=False, **dirs)


@pytest.fixture(scope="module")
def rerun(inputs, run) -> BuildSummary:
    """The same unit built again from the same inputs, into another folder."""
    dirs = {k: v for k, v in inputs.items() if k != "root"}
    return build(2024, units=["doi-can"], reports_dir=inputs["root"] / "again", progress=False, **dirs)


def pack(run: BuildSummary, unit: str, kind: str) -> Path:
    return run.out_dir / unit / f"briefing.{kind}"


@pytest.mark.slow
def test_papermill_executed_the_notebook(run: BuildSummary) -> None:
    nb = nbformat.read(pack(run, "doi-can", "ipynb"), as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and 'unit = "doi-can"' in injected[0].source
    assert 'report_date = "2024-12-04"' in injected[0].source
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert any(o.get("name") == "stdout" and HEADLINE in o.text for o in outputs)
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert read_summary(nb)["headline"] == HEADLINE
    # the pack's own file as the recorded output, not the temporary name papermill wrote
    assert nb.metadata.papermill.output_path == str(pack(run, "doi-can", "ipynb"))


@pytest.mark.slow
def test_the_parameters_cell_shows_vietnamese_as_written(run: BuildSummary) -> None:
    nb = nbformat.read(pack(run, "nhat-hoa", "ipynb"), as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'unit_name = "Nhất Hòa"' in injected.source and "\\x" not in injected.source


@pytest.mark.slow
def test_html_has_the_headline_and_no_code(run: BuildSummary) -> None:
    html = pack(run, "doi-can", "html").read_text(encoding="utf-8")
    assert HEADLINE in html and "data:image/png;base64," in html
    for code in (
        "input_area",
        "jp-InputArea-editor",
        "raise ValueError",
        "from analysis.build.run",
        "plt.subplots",
        "highlight",
    ):
        assert code not in html, code
    assert "04/12/2024" in html and "Tệp thử nghiệm units.csv" in html


@pytest.mark.slow
def test_pdf_text_keeps_the_vietnamese_names(run: BuildSummary) -> None:
    from pypdf import PdfReader

    for unit in ("doi-can", "nhat-hoa"):
        text = "".join(p.extract_text() for p in PdfReader(pack(run, unit, "pdf")).pages)
        assert "Đội Cấn" in text and "Nhất Hòa" in text, unit
        assert unicodedata.is_normalized("NFC", text)
    text = PdfReader(pack(run, "nhat-hoa", "pdf")).pages[0].extract_text()
    assert "tháng 12/2024" in text  # the date from the unit's parameters, never today's


@pytest.mark.slow
def test_word_briefing_has_the_headline_the_date_and_the_chart(run: BuildSummary) -> None:
    import docx

    for unit in ("doi-can", "nhat-hoa"):
        document = docx.Document(str(pack(run, unit, "docx")))
        text = "\n".join(p.text for p in document.paragraphs)
        assert HEADLINE in text and unicodedata.is_normalized("NFC", text), unit
        assert document.inline_shapes, unit  # the notebook's PNG chart is a picture in the document
    block = docx.Document(str(pack(run, "nhat-hoa", "docx"))).tables[0]  # quốc hiệu and date
    # the month from the unit's parameters ("12/2024"), the day left for the office
    assert "……, ngày … tháng 12 năm 2024" in [p.text for c in block._cells for p in c.paragraphs]


@pytest.mark.slow
def test_a_broken_unit_does_not_stop_the_others(run: BuildSummary) -> None:
    assert sorted(p.unit for p in run.built) == ["doi-can", "nhat-hoa"]
    assert run.exit_code == 1
    broken = next(f for f in run.failures if f.unit == "broken")
    assert (broken.notebook, broken.step, broken.error) == ("briefing", "execute", "ValueError")
    assert broken.exec_count is not None and broken.cell is not None
    assert "hỏng có chủ ý" in broken.message
    text = run.format()
    assert "failed 2" in text
    line = next(row for row in text.splitlines() if row.strip().startswith("broken"))
    assert "briefing" in line and f"In [{broken.exec_count}]" in line and "ValueError" in line


@pytest.mark.slow
def test_the_failed_notebook_is_kept_with_its_error(run: BuildSummary) -> None:
    nb = nbformat.read(pack(run, "broken", "ipynb"), as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors and errors[0].ename == "ValueError"
    assert not any(pack(run, "broken", kind).exists() for kind in ("html", "pdf", "docx"))
    # no temporary files left; the build's lock file stays (analysis.build.guard)
    assert [p.name for p in run.out_dir.rglob(".*")] == [".build.lock"]


@pytest.mark.slow
def test_a_misspelled_parameter_fails_its_unit_by_name(run: BuildSummary) -> None:
    typo = next(f for f in run.failures if f.unit == "typo")
    assert (typo.step, typo.error) == ("parameters", "ParameterError")
    assert "'reprot_date' (did you mean 'report_date'?)" in typo.message
    assert not (run.out_dir / "typo").exists()


@pytest.mark.slow
def test_index_links_every_pack_with_its_headline(run: BuildSummary) -> None:
    html = run.index_path.read_text(encoding="utf-8")
    assert html.count(HEADLINE) == 2
    for link in (
        "doi-can/briefing.html",
        "doi-can/briefing.pdf",
        "doi-can/briefing.docx",
        "nhat-hoa/briefing.ipynb",
        "broken/briefing.ipynb",
    ):
        assert f'href="{link}"' in html
    assert (
        'href="broken/briefing.html"' not in html and 'href="broken/briefing.docx"' not in html and "ValueError" in html
    )


@pytest.mark.slow
def test_manifest_says_what_was_built_from_what(run: BuildSummary, inputs) -> None:
    manifest = json.loads(run.manifest_path.read_text(encoding="utf-8"))
    assert manifest["year"] == 2024
    assert manifest["summary"] == {"built": 2, "up_to_date": 0, "failed": 2}
    hashes = {Path(k).name: v for k, v in manifest["inputs"].items()}
    assert hashes["units.csv"] == sha256_file(inputs["data_dir"] / "units.csv")
    assert {"defaults.yaml", "units.yaml", "doi-can.yaml", "briefing.ipynb"} <= set(hashes)
    assert {"python", "pandas", "matplotlib", "papermill", "nbconvert", "weasyprint", "analysis"} <= set(
        manifest["versions"]
    )
    assert "git_commit" in manifest["project"] and "git_dirty" in manifest["project"]
    assert manifest["rerun"]["command"].startswith("python -m analysis build --year 2024")
    packs = {p["unit"]: p for p in manifest["packs"]}
    assert packs["doi-can"]["parameters"]["report_date"] == "2024-12-04"
    assert set(packs["doi-can"]["timings"]) == {"execute", "html", "pdf", "docx"}
    assert packs["doi-can"]["hashes"]["pdf"] == sha256_file(pack(run, "doi-can", "pdf"))
    assert packs["broken"]["error"]["error"] == "ValueError"


@pytest.mark.slow
def test_building_twice_gives_identical_html_pdf_and_docx(run: BuildSummary, rerun: BuildSummary) -> None:
    assert [p.status for p in rerun.packs] == ["built"] and rerun.exit_code == 0
    for kind in ("html", "pdf", "docx"):
        assert pack(rerun, "doi-can", kind).read_bytes() == pack(run, "doi-can", kind).read_bytes()


@pytest.mark.slow
def test_an_unchanged_pack_is_not_built_again(inputs, rerun: BuildSummary) -> None:
    before = pack(rerun, "doi-can", "pdf").stat().st_mtime_ns
    dirs = {k: v for k, v in inputs.items() if k != "root"}
    again = build(2024, units=["doi-can"], reports_dir=inputs["root"] / "again", progress=False, **dirs)
    assert [p.status for p in again.packs] == ["up to date"]
    assert pack(again, "doi-can", "pdf").stat().st_mtime_ns == before


def test_command_line_unknown_unit(inputs, capsys) -> None:
    argv = ["build", "--year", "2024", "--unit", "doi-cam", "--params-dir", str(inputs["params_dir"])]
    argv += ["--data-dir", str(inputs["data_dir"])]
    assert main([*argv, "--reports-dir", str(inputs["root"] / "cli")]) == 2
    assert "unknown unit 'doi-cam' (did you mean 'doi-can'?)" in capsys.readouterr().err


def test_command_line_workers_executor_and_scheduler(inputs, capsys) -> None:
    parser = build_parser()
    opts = "build --year 2024 --workers 3 --executor dask --scheduler tcp://127.0.0.1:8786 --engine nbclient"
    args = parser.parse_args(opts.split())
    assert (args.workers, args.executor, args.scheduler, args.engine) == (3, "dask", "tcp://127.0.0.1:8786", "nbclient")
    assert parser.parse_args(["build", "--year", "2024"]).executor == "local"
    argv = ["build", "--year", "2024", "--scheduler", "tcp://127.0.0.1:8786", "--params-dir", str(inputs["params_dir"])]
    assert main(argv) == 2
    assert "--scheduler is for --executor dask" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parser.parse_args(["build", "--year", "2024", "--workers", "0"])


@pytest.mark.slow
def test_the_manifest_records_each_fingerprint_and_its_components(run: BuildSummary) -> None:
    manifest = json.loads(run.manifest_path.read_text(encoding="utf-8"))
    pack = next(p for p in manifest["packs"] if p["unit"] == "doi-can")
    assert set(pack["components"]) == {"notebook", "parameters", "package", "environment", "data"}
    assert pack["components"]["data"]["files"]["units.csv"] == sha256_file(
        run.out_dir.parent.parent / "data" / "units.csv"
    )
    assert len(pack["fingerprint"]) == 64
    assert manifest["workers"]["executor"] == "local"


def test_an_unknown_engine_is_named_before_anything_runs(inputs) -> None:
    from analysis.errors import AnalysisError

    dirs = {k: v for k, v in inputs.items() if k != "root"}
    with pytest.raises(AnalysisError, match=r"--engine: unknown papermill engine 'wram' .did you mean 'warm'"):
        build(
            2024,
            units=["doi-can"],
            reports_dir=inputs["root"] / "engine",
            progress=False,
            force=True,
            engine="wram",
            **dirs,
        )


@pytest.mark.slow
def test_the_weasyprint_route_is_a_build_option_and_switching_routes_rebuilds(inputs) -> None:
    from pypdf import PdfReader

    dirs = {k: v for k, v in inputs.items() if k != "root"}
    out = inputs["root"] / "routes"
    typst = build(2024, units=["doi-can"], reports_dir=out, progress=False, **dirs)
    typst_pdf = pack(typst, "doi-can", "pdf").read_bytes()
    printed = build(2024, units=["doi-can"], reports_dir=out, progress=False, pdf="weasyprint", **dirs)
    assert [p.status for p in printed.packs] == ["built"]  # another route: not up to date
    reader = PdfReader(pack(printed, "doi-can", "pdf"))
    assert "WeasyPrint" in reader.metadata.producer
    assert HEADLINE in unicodedata.normalize("NFC", "".join(p.extract_text() for p in reader.pages))
    back = build(2024, units=["doi-can"], reports_dir=out, progress=False, pdf="typst", **dirs)
    assert [p.status for p in back.packs] == ["built"] and pack(back, "doi-can", "pdf").read_bytes() == typst_pdf
    assert "Typst" in PdfReader(pack(back, "doi-can", "pdf")).metadata.creator
    assert "--pdf typst" in json.loads(back.manifest_path.read_text(encoding="utf-8"))["rerun"]["command"]
