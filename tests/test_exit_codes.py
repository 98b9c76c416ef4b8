"""The exit codes the README's table documents are the ones the command line returns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis import __main__ as cli
from analysis import paths
from factories import run_cli as run

UNUSABLE = (
    "TT\tNội dung chỉ tiêu năm 2024\tKết quả thực hiện năm 2023\tNăm 2024\t\tLạ lùng\n"
    "\t\t\tKế hoạch\tKết quả\t\n1\tTrồng rừng\t10ha\t10ha\t12ha\tabc\n"
)


def documented_codes() -> dict[int, str]:
    """Code -> meaning from the README's "Exit codes" table."""
    text = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Exit codes", 1)[1].split("\n#", 1)[0]
    return {int(code): meaning.strip() for code, meaning in re.findall(r"^\|\s*(\d+)\s*\|(.+)\|\s*$", section, re.M)}


def test_the_readme_documents_the_five_codes():
    assert sorted(documented_codes()) == [0, 1, 2, 3, 130]


def test_0_when_every_cell_was_used():
    code, out, err = run("evaluate", "--unit", "trang-dinh", "--year", "2024")
    assert (code, err) == (0, "") and "06/26 chỉ tiêu không đạt" in out


def test_1_when_cells_were_left_out_and_they_are_named(tmp_path: Path):
    table = tmp_path / "bang.txt"
    table.write_text(UNUSABLE, encoding="utf-8")
    code, out, err = run("evaluate", "--table", str(table))
    assert code == 1 and "01 chỉ tiêu" in out  # the results were still printed
    assert "column 'Lạ lùng'" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["evaluate", "--no-such-option"], "unrecognized arguments: --no-such-option"),
        (["evaluate", "--table", "khong-co.txt"], "khong-co.txt"),
        (["evaluate", "--unit", "trang-dinh", "--year", "1999"], "1999"),
    ],
)
def test_2_for_usage_and_input_errors_in_one_line(argv: list[str], message: str):
    code, out, err = run(*argv)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_3_for_an_internal_fault_in_one_line(monkeypatch):
    def fault(args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(cli._COMMANDS, "units", fault)
    monkeypatch.delenv("ANALYSIS_DEBUG", raising=False)
    code, _, err = run("units")
    assert code == 3
    assert err.splitlines() == [
        "error: unexpected ZeroDivisionError: division by zero (set ANALYSIS_DEBUG=1 for the traceback)"
    ]


def test_130_when_interrupted(monkeypatch):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setitem(cli._COMMANDS, "units", interrupted)
    code, _, err = run("units")
    assert (code, err.splitlines()) == (130, ["interrupted"])


def test_help_is_plain_text_and_lists_the_exit_codes():
    import contextlib
    import io

    texts = {}
    for name in ["", *cli._COMMANDS]:
        out = io.StringIO()
        with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
            cli.main([name, "--help"] if name else ["--help"])
        texts[name] = out.getvalue()
    for name, text in texts.items():
        for markup in ("``", ":mod:", ":func:", ":data:", ":class:"):
            assert markup not in text, (name, markup)
    main_help = " ".join(texts[""].split())
    for code in documented_codes():
        assert f"{code} " in main_help.split("exit codes:", 1)[1]
