"""The command line: ``python -m analysis COMMAND ...`` (``--help`` lists the commands).

Argument parsing and printing only: what to analyse is chosen by
:mod:`analysis.analyses.selection`, the analyses are in :mod:`analysis.analyses`, the text
views in :mod:`analysis.report.text` and the year-end run in :mod:`analysis.build.run`.
Errors are one line (exit 2); ``-v`` shows the package's diagnostics (logging), ``-vv`` more.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from analysis.errors import AnalysisError

if TYPE_CHECKING:
    import pandas as pd

    from analysis.analyses.selection import Selection
    from analysis.io.row_account import RowAccount

log = logging.getLogger("analysis")


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, never a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _common_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-v", "--verbose", action="count", default=0, help="show diagnostics (-vv: more)")


def _output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("table", "csv"), default="table", help="output format (default: table)")
    p.add_argument("--out", type=Path, help="write to this file (.csv or .xlsx) instead of standard output")


def _source_options(p: argparse.ArgumentParser, *, table: bool = True) -> None:
    p.add_argument("--unit", help="unit id from the curated data (python -m analysis units) or its code (180, 06040)")
    p.add_argument("--year", type=int, help="year to evaluate (default: the latest year of the data)")
    if table:
        p.add_argument("--table", type=Path, help="an official table file (.txt/.tsv/.xlsx) instead of curated data")
        _sheet_option(p)
    p.add_argument("--data-dir", type=Path, help="curated data folder (default: data/)")
    _output_options(p)


def _sheet_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--sheet",
        metavar="NAME",
        help="the sheet of an .xlsx workbook to read (default: the first that holds an indicator table; "
        "other sheets with content are reported)",
    )


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"at least 1 expected, got {value}")
    return value


def _build_options(p: argparse.ArgumentParser) -> None:
    from analysis.build.executors import EXECUTORS
    from analysis.params import PDF_ROUTES

    p.add_argument("--year", type=int, required=True, help="year of the run (params/<year>/)")
    p.add_argument("--unit", action="append", dest="units", metavar="UNIT", help="build only this unit (repeatable)")
    p.add_argument("--force", action="store_true", help="rebuild packs whose inputs have not changed")
    p.add_argument(
        "--workers", type=_positive, metavar="N", help="worker processes, each with a warm kernel (default: the CPUs)"
    )
    p.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="local",
        help="local: a process pool on this machine (default); dask: a Dask cluster",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --executor dask: the scheduler (tcp://host:8786); default: a local cluster of --workers processes",
    )
    p.add_argument(
        "--engine",
        default="warm",
        metavar="NAME",
        help="papermill engine (default: warm, a kernel kept per worker; nbclient: a fresh kernel per notebook)",
    )
    p.add_argument(
        "--pdf",
        choices=PDF_ROUTES,
        help="how the PDFs are made: typst (in process, fast) or weasyprint (the HTML page printed); "
        "default: the build key pdf of params/defaults.yaml (typst)",
    )
    p.add_argument("--reports-dir", type=Path, help="default: reports/")
    p.add_argument("--params-dir", type=Path, help="default: params/")
    p.add_argument("--data-dir", type=Path, help="default: data/")
    p.add_argument("--notebooks-dir", type=Path, help="default: notebooks/")
    p.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar nor per-pack lines")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = _Parser(
        prog="python -m analysis",
        description="The year-end indicator workbook: evaluate, audit and build the briefing packs. "
        "'python -m analysis COMMAND --help' shows the options of a command.",
        epilog="exit codes: 0 done, every cell used; 1 done, but cells left out or refused (each named), a pack "
        "failed or a submission refused; 2 usage or input error (one line naming the file, row or key); "
        "3 internal fault (ANALYSIS_DEBUG=1 shows the traceback); 130 interrupted",
    )
    _common_options(parser)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("evaluate", help="the evaluated indicator table and its headline")
    _source_options(p)
    p = sub.add_parser("audit", help="published figures that disagree with their recomputation")
    _source_options(p)
    p.add_argument("--all", action="store_true", help="list every check, not only disagreements")
    p = sub.add_parser("gaps", help="gap of each indicator to its term target")
    _source_options(p)
    p = sub.add_parser("tasks", help="key tasks with their classes and recomputed sub-targets")
    _source_options(p, table=False)
    p = sub.add_parser("units", help="the units of the curated data")
    p.add_argument("--data-dir", type=Path, help="curated data folder (default: data/)")
    _output_options(p)
    p = sub.add_parser("lookup", help="official units (data/registry): by name or code, a province's communes, lineage")
    p.add_argument("query", nargs="?", help="a code (06040) or a name, diacritics optional ('that khe', 'Thất Khê')")
    p.add_argument("--period", help="only this period of the registry (2023, 2025-01, 2025-07)")
    p.add_argument("--level", choices=("province", "district", "commune"), help="only units of this level")
    p.add_argument(
        "--province", metavar="CODE", help="list the communes of this province (with --period; default 2025-07)"
    )
    p.add_argument("--history", action="store_true", help="the whole chain of predecessors, back to the oldest list")
    p.add_argument("--data-dir", type=Path, help="curated data folder (default: data/)")
    _output_options(p)
    p = sub.add_parser("ingest", help="read an official table file into tidy observations")
    p.add_argument("file", type=Path, help="the table (.txt/.tsv/.xlsx)")
    p.add_argument("--unit", help="unit id (default: the file name); a curated catalogue of it is used")
    p.add_argument("--data-dir", type=Path, help="curated data folder (default: data/)")
    p.add_argument("--out-dir", type=Path, help="write observations.csv, catalogue.csv, problems.csv here")
    _sheet_option(p)
    p = sub.add_parser("template", help="write the data-entry form (.xlsx) of a unit, or of every unit of a run")
    p.add_argument("--year", type=int, required=True, help="the year whose results the form collects")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--unit", help="unit id (python -m analysis units) or its code (180, 06040)")
    which.add_argument("--all", action="store_true", help="every unit of params/<year>/units.yaml")
    p.add_argument("--out", type=Path, required=True, help="the .xlsx file (--unit) or a folder (--all)")
    p.add_argument("--data-dir", type=Path, help="curated data folder (default: data/)")
    p.add_argument("--params-dir", type=Path, help="parameters folder (default: params/)")
    p = sub.add_parser("intake", help="take returned data-entry forms into the curated data, with a report for each")
    p.add_argument("folder", type=Path, help="folder of returned forms (.xlsx)")
    p.add_argument("--year", type=int, required=True, help="the year whose results the forms hold")
    p.add_argument("--data-dir", type=Path, help="curated data folder (default: data/)")
    p.add_argument("--report-dir", type=Path, help="where the reports go (default: FOLDER/bao-cao)")
    p.add_argument("--params-dir", type=Path, help="parameters folder (default: params/): the intake checks")
    p.add_argument(
        "--confirm",
        action="append",
        default=[],
        metavar="FILE!CELL",
        help="take in a flagged jump from last year's result that the unit confirmed (repeatable), "
        "such as 'trang-dinh.xlsx!G5'",
    )
    p = sub.add_parser("build", help="run the notebooks of every unit and write the briefing packs")
    _build_options(p)
    for action in sub.choices.values():
        _common_options(action)
    return parser


def configure_logging(verbosity: int) -> None:
    """Diagnostics of the package to standard error: warnings by default, ``-v`` info, ``-vv`` debug."""
    level = logging.WARNING if verbosity <= 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(level)
    log.propagate = False


def main(argv: list[str] | None = None) -> int:
    """Run a command; return the exit code."""
    args = build_parser().parse_args(argv)
    configure_logging(args.verbose)
    try:
        _unit_by_code(args)
        code = _COMMANDS[args.command](args)
        # results were printed, but cells of the table were left out: say so in the exit code
        unusable: int = getattr(args, "unusable_cells", 0)
        return 1 if code == 0 and unusable else code
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except (OSError, UnicodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: still one line for the analyst; the traceback on request
        if os.environ.get("ANALYSIS_DEBUG"):
            raise
        log.debug("unexpected error", exc_info=True)
        print(
            f"error: unexpected {type(exc).__name__}: {exc} (set ANALYSIS_DEBUG=1 for the traceback)", file=sys.stderr
        )
        return 3


def _unit_by_code(args: argparse.Namespace) -> None:
    """``--unit`` given as a code ("180", "06040", "06040-that-khe") becomes the curated unit it
    names in the registry's list of ``--year`` (build resolves its own run's codes)."""
    from analysis.io.registry import unit_for_code

    given = getattr(args, "unit", None)
    if isinstance(given, str) and args.command != "build":
        unit = unit_for_code(given, getattr(args, "year", None), getattr(args, "data_dir", None))
        if unit is not None:
            args.unit = unit


def _selection(args: argparse.Namespace) -> Selection:
    from analysis.analyses.selection import select_indicators

    table, sheet = getattr(args, "table", None), getattr(args, "sheet", None)
    if sheet and not table:
        raise AnalysisError("--sheet is for a workbook given with --table")
    sel = select_indicators(unit=args.unit, year=args.year, table=table, data_dir=args.data_dir, sheet=sheet)
    bad = sel.unusable
    if not bad.empty:
        args.unusable_cells = len(bad)
        first = bad.iloc[0]
        print(
            f"warning: {len(bad)} cell(s) of {args.table.name} could not be used and are left out "
            f"of what follows (first: row {first['row']}, column {first['column']!r}: {first['reason']}); "
            f"python -m analysis ingest {args.table} lists them",
            file=sys.stderr,
        )
    return sel


def _row_account(sel: Selection, ev: pd.DataFrame) -> RowAccount | None:
    """Rows of a table file: in the source, judged (in ``ev``), reported with row and reason."""
    from analysis.io.row_account import account_rows

    if sel.meta is None:
        return None
    account = account_rows(sel.meta, evaluated=set(ev["indicator_id"].astype(str)))
    return account


def _emit(df: pd.DataFrame, args: argparse.Namespace, text: str, mismatches: dict[str, int] | None = None) -> None:
    from analysis.report.text import write_frame

    if args.out:
        write_frame(df, args.out, mismatches=mismatches)
        print(f"wrote {len(df)} rows to {args.out}", file=sys.stderr)
    elif args.format == "csv":
        from analysis.io.csvtext import write_csv

        write_csv(df, sys.stdout)
    else:
        print(text)


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from analysis.analyses.evaluate import headline
    from analysis.analyses.selection import evaluate_selection, mismatch_count
    from analysis.report.text import evaluated_text, rows_text

    sel = _selection(args)
    ev = evaluate_selection(sel)
    account = _row_account(sel, ev)
    mismatches = {sel.unit: mismatch_count(sel)} if args.out else None  # the audit's count, in every output
    text = evaluated_text(ev, headline(ev), title=sel.title, problems=sel.problems)
    if account is not None:  # the text view is the analyst's, in Vietnamese; csv and --out: standard error
        text += "\n" + rows_text(account, args.table.name)
    _emit(ev, args, text, mismatches)
    if account is not None and (args.out or args.format == "csv"):
        listed = "; ".join(account.reported_lines())
        print(f"{args.table.name}: {account.summary()}" + (f" ({listed})" if listed else ""), file=sys.stderr)
    return 0


def _cmd_audit(args: argparse.Namespace) -> int:
    import pandas as pd

    from analysis.analyses.audit import AUDIT_COLUMNS, findings
    from analysis.analyses.corrections import EFFECT_COLUMNS
    from analysis.analyses.selection import audit_selection, has_indicators, subtarget_findings, tasks_as_audit
    from analysis.io.datasets import load_curated
    from analysis.report.text import audit_text

    curated = load_curated(args.data_dir) if args.unit and not args.table else None
    tasks = None if curated is None else subtarget_findings(curated, args.unit, args.year)
    if curated is None or has_indicators(curated, args.unit) or tasks is None:
        sel = _selection(args)  # raises the error that says what is missing
        (audited, effects), title = audit_selection(sel), sel.title
    else:
        audited, title = pd.DataFrame(columns=AUDIT_COLUMNS), f"{curated.unit_name(args.unit)} ({args.unit})"
        effects = pd.DataFrame(columns=EFFECT_COLUMNS)
    shown = audited if args.all else findings(audited)
    if tasks is not None and (args.format == "csv" or args.out):
        shown = pd.concat([shown, tasks_as_audit(tasks)], ignore_index=True)
    _emit(shown, args, audit_text(shown, audited, title=title, task_findings=tasks, effects=effects))
    return 0


def _cmd_gaps(args: argparse.Namespace) -> int:
    from analysis.analyses.targets import term_gaps
    from analysis.report.text import gaps_text

    sel = _selection(args)
    gaps = term_gaps(sel.observations, sel.catalogue, unit=sel.unit, year=sel.year)
    _emit(gaps, args, gaps_text(gaps, title=sel.title))
    return 0


def _cmd_tasks(args: argparse.Namespace) -> int:
    from analysis.analyses.selection import scored_task_year
    from analysis.analyses.tasks import evaluate_subtargets, evaluate_tasks, load_score_bands
    from analysis.io.datasets import load_curated
    from analysis.params import load_defaults
    from analysis.report.text import tasks_text

    if not args.unit:
        raise AnalysisError("give --unit UNIT (python -m analysis units lists them)")
    curated = load_curated(args.data_dir)
    year = scored_task_year(curated, args.unit, args.year)
    bands = load_score_bands(load_defaults())
    ev = evaluate_tasks(curated.tasks, bands, unit=args.unit, year=year, subtargets=curated.subtargets)
    sub = evaluate_subtargets(curated.subtargets, unit=args.unit, year=year)
    _emit(ev, args, tasks_text(ev, sub, title=f"{curated.unit_name(args.unit)} ({args.unit}), năm {year}"))
    return 0


def _cmd_units(args: argparse.Namespace) -> int:
    from analysis.io.datasets import load_curated

    units = load_curated(args.data_dir).units
    cols = ["unit", "name", "level", "parent", "illustrative", "note"]
    _emit(units[cols], args, units[cols[:5]].to_string(index=False))
    return 0


def _cmd_lookup(args: argparse.Namespace) -> int:
    from analysis.analyses.registry import CURRENT, communes_of, find_units, lineage_links, unit_row
    from analysis.io.datasets import load_curated
    from analysis.io.registry import load_registry
    from analysis.report.registry_text import communes_text, lookup_text

    registry = load_registry(args.data_dir)
    if args.province:
        period = args.period or CURRENT
        communes = communes_of(registry, args.province, period=period)
        province = unit_row(registry, period, args.province)
        _emit(communes.drop(columns=["parent_name"]), args, communes_text(province, communes))
        return 0
    if not args.query:
        raise AnalysisError("lookup needs a code or a name, or --province CODE")
    found = find_units(registry, args.query, period=args.period, level=args.level)
    links = lineage_links(registry, load_curated(args.data_dir).unit_events)
    _emit(found.drop(columns=["parent_name"]), args, lookup_text(registry, found, links, history=args.history))
    return 0 if not found.empty else 1


def _cmd_ingest(args: argparse.Namespace) -> int:
    import pandas as pd

    from analysis.io.datasets import load_curated
    from analysis.io.ingest import read_table
    from analysis.io.ingest_result import write_result
    from analysis.io.row_account import account_rows

    catalogue = load_curated(args.data_dir).indicators if args.unit else None
    result = read_table(args.file, unit=args.unit, catalogue=catalogue, sheet=args.sheet)
    obs, cat, problems = result.observations, result.catalogue, result.problems
    years = sorted(int(y) for y in obs["year"].dropna().unique())
    span = f"years {years[0]}–{years[-1]}" if years else "no years"
    subs = int((cat["parent"] != "").sum())
    sections = result.meta.get("sections")
    sections = sections if isinstance(sections, list) else []
    sheet = f" (sheet {result.meta['sheet']!r})" if result.meta.get("sheet") else ""
    print(
        f"{args.file}{sheet}: {len(cat) - subs} indicators"
        + (f" and {subs} sub-row(s)" if subs else "")
        + (f" in {len(sections)} section(s)" if sections else "")
        + f", {len(obs)} observations, {span}, {len(problems)} problem(s)"
    )
    for p in problems.itertuples():
        number: Any = p.row
        row = f"row {number}, " if not pd.isna(number) else ""
        print(f"  {p.severity}: {p.file}, {row}column {p.column!r}: {p.reason} — {p.text!r}")
    account = account_rows(result.meta)
    listed = "; ".join(account.reported_lines())
    print(
        f"rows: {account.summary().replace(' judged', ' read as indicators or sub-rows')}"
        + (f" ({listed})" if listed else "")
    )
    if args.out_dir:
        for path in write_result(result, args.out_dir).values():
            print(f"wrote {path}")
    rejected = problems[problems["severity"].isin(["error", "ambiguous"])]
    if not rejected.empty:  # every cell is listed above; the exit code says some were not used
        rows = sorted({int(r) for r in rejected["row"].dropna()})
        print(
            f"error: {len(rejected)} cell(s) of {args.file.name} "
            + ("not read or refused " if (rejected["severity"] == "ambiguous").any() else "not read ")
            + f"(row{'s' if len(rows) > 1 else ''} {', '.join(map(str, rows))}); "
            "they are listed above",
            file=sys.stderr,
        )
        return 1
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    from analysis.build.forms import write_templates

    units = None if args.all else [args.unit]
    done = write_templates(args.year, units=units, out=args.out, data_dir=args.data_dir, params_dir=args.params_dir)
    for unit, path, reason in done:
        print(f"wrote {path}" if path else f"skipped {unit}: {reason}")
    return 0 if any(path for _, path, _ in done) else 1


def _cmd_intake(args: argparse.Namespace) -> int:
    from analysis.build.intake import intake

    subs = intake(
        args.folder,
        args.year,
        data_dir=args.data_dir,
        report_dir=args.report_dir,
        params_dir=args.params_dir,
        confirmed=args.confirm,
    )
    for s in subs:
        state = (
            f"merged {len(s.observations)} figure(s) of {s.unit}"
            if s.merged
            else f"refused, {len(s.problems)} problem(s)"
        )
        rows = f" ({s.rows})" if s.rows else ""
        print(f"{s.file.name}: {state}{rows}; report {s.reports[0] if s.reports else '-'}")
        flags = s.problems["confirmable"].fillna(False).astype(bool).tolist()
        for sheet, cell, reason, confirmable in zip(
            s.problems["sheet"], s.problems["cell"], s.problems["reason"], flags, strict=True
        ):
            print(f"  {sheet or '-'}!{cell or '-'}: {reason}")
            if confirmable:
                print(f"  (if the figure is right, take it in with --confirm '{s.file.name}!{cell}')")
        for line in s.details:
            print(f"  {line}")
    used = {f"{s.file.name}!{c}" for s in subs for c in s.confirmed["cell"]}
    for asked in dict.fromkeys(args.confirm):
        if asked not in used:
            print(f"warning: --confirm {asked}: no figure of that file and cell needed a confirmation", file=sys.stderr)
    return 0 if all(s.merged for s in subs) else 1


def _cmd_build(args: argparse.Namespace) -> int:
    from analysis.build.executors import skip_iri_grammars

    skip_iri_grammars()  # this process ends with the build, and may build its packs itself
    from analysis.build.run import build

    if args.scheduler and args.executor != "dask":
        raise AnalysisError("--scheduler is for --executor dask")
    summary = build(
        args.year,
        units=args.units,
        force=args.force,
        reports_dir=args.reports_dir,
        params_dir=args.params_dir,
        data_dir=args.data_dir,
        notebooks_dir=args.notebooks_dir,
        progress=args.progress,
        workers=args.workers,
        executor=args.executor,
        scheduler=args.scheduler,
        engine=args.engine,
        pdf=args.pdf,
    )
    print(summary.format())
    return summary.exit_code


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "evaluate": _cmd_evaluate,
    "audit": _cmd_audit,
    "gaps": _cmd_gaps,
    "tasks": _cmd_tasks,
    "units": _cmd_units,
    "lookup": _cmd_lookup,
    "ingest": _cmd_ingest,
    "template": _cmd_template,
    "intake": _cmd_intake,
    "build": _cmd_build,
}

if __name__ == "__main__":
    sys.exit(main())
