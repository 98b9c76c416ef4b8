"""The command line: ``python -m analysis COMMAND ...`` (``--help`` lists the commands)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pandas as pd

from analysis.errors import AnalysisError


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, never a usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _source_options(p: argparse.ArgumentParser, *, table: bool = True) -> None:
    p.add_argument("--unit", help="unit id from the curated data (python -m analysis units)")
    p.add_argument("--year", type=int, help="year to evaluate (default: the latest year of the data)")
    if table:
        p.add_argument("--table", type=Path, help="an official table file (.txt/.tsv/.xlsx) instead of curated data")
    p.add_argument("--data-dir", type=Path, help="curated data folder (default: data/)")
    p.add_argument("--format", choices=("table", "csv"), default="table", help="output format (default: table)")
    p.add_argument("--out", type=Path, help="write to this file (.csv or .xlsx) instead of standard output")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = _Parser(prog="python -m analysis", description=__doc__)
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
    p.add_argument("--data-dir", type=Path)
    p.add_argument("--format", choices=("table", "csv"), default="table")
    p.add_argument("--out", type=Path)
    p = sub.add_parser("ingest", help="read an official table file into tidy observations")
    p.add_argument("file", type=Path, help="the table (.txt/.tsv/.xlsx)")
    p.add_argument("--unit", help="unit id (default: the file name); a curated catalogue of it is used")
    p.add_argument("--data-dir", type=Path)
    p.add_argument("--out-dir", type=Path, help="write observations.csv, catalogue.csv, problems.csv here")
    p = sub.add_parser("build", help="run the notebooks of every unit and write the briefing packs")
    try:
        from analysis.build.run import add_build_arguments

        add_build_arguments(p)
    except ImportError:  # pragma: no cover - only while the build module is absent
        pass
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run a command; return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        code = _COMMANDS[args.command](args)
        # results were printed, but cells of the table were left out: say so in the exit code
        return 1 if code == 0 and getattr(args, "unusable_cells", 0) else code
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
        print(
            f"error: unexpected {type(exc).__name__}: {exc} (set ANALYSIS_DEBUG=1 for the traceback)", file=sys.stderr
        )
        return 3


def _frames(args: argparse.Namespace):
    """(observations, catalogue, unit, year, title, problems) from --table or curated data."""
    from analysis.io.datasets import load_curated, overlay_curated

    if getattr(args, "table", None):
        from analysis.io.ingest import read_table

        curated = load_curated(args.data_dir) if args.unit else None
        if curated is not None:
            curated.unit_row(args.unit)  # an unknown unit is an error, not a silent new one
        result = read_table(args.table, unit=args.unit, catalogue=None if curated is None else curated.indicators)
        obs, cat = result.observations, result.catalogue
        unit = str(obs["unit"].iloc[0]) if not obs.empty else (args.unit or args.table.stem)
        if curated is not None:
            obs = overlay_curated(obs, curated.observations, unit=unit)
        year = args.year or int(result.meta["year"])
        errors = result.problems[result.problems["severity"] == "error"]
        if not errors.empty:
            args.unusable_cells = len(errors)
            print(
                f"warning: {len(errors)} cell(s) of {args.table.name} could not be used and are left out "
                f"of what follows (first: row {errors.iloc[0]['row']}, column {errors.iloc[0]['column']!r}: "
                f"{errors.iloc[0]['reason']}); python -m analysis ingest {args.table} lists them",
                file=sys.stderr,
            )
        return obs, cat, unit, year, f"{args.table.name} ({unit}, {year})", result.problems
    if not args.unit:
        raise AnalysisError("give --unit UNIT (python -m analysis units lists them) or --table FILE")
    curated = load_curated(args.data_dir)
    name = curated.unit_name(args.unit)
    obs = curated.observations
    years = evaluable_years(obs, args.unit)
    if not years:
        raise AnalysisError(f"no indicator plans and results for unit {args.unit!r} ({name}) in {curated.data_dir}")
    if args.year and args.year not in years:
        raise AnalysisError(
            f"no plan and result for unit {args.unit!r} ({name}) in {args.year}; "
            f"years with both: {', '.join(map(str, years))}"
        )
    year = args.year or years[-1]
    return obs, curated.indicators, args.unit, year, f"{name} ({args.unit}), năm {year}", None


def evaluable_years(obs: pd.DataFrame, unit: str) -> list[int]:
    """Years in which ``unit`` has both a plan and a result (or estimate)."""
    mine = obs[(obs["unit"] == unit) & obs["value"].notna()]
    res = set(mine.loc[mine["kind"].isin(["result", "estimate"]), "year"].dropna().astype(int))
    plan = set(mine.loc[mine["kind"] == "plan", "year"].dropna().astype(int))
    return sorted(res & plan)


def _emit(df: pd.DataFrame, args: argparse.Namespace, text: str) -> None:
    from analysis.report.text import write_frame

    if args.out:
        write_frame(df, args.out)
        print(f"wrote {len(df)} rows to {args.out}", file=sys.stderr)
    elif args.format == "csv":
        df.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        print(text)


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from analysis.analyses.evaluate import evaluate, headline
    from analysis.report.text import evaluated_text

    obs, cat, unit, year, title, problems = _frames(args)
    ev = evaluate(obs, cat, unit=unit, year=year)
    _emit(ev, args, evaluated_text(ev, headline(ev), title=title, problems=problems))
    return 0


def _cmd_audit(args: argparse.Namespace) -> int:
    from analysis.analyses.audit import AUDIT_COLUMNS, audit, findings
    from analysis.report.text import audit_text

    tasks = None if args.table else _task_findings(args, args.unit, args.year)
    if args.table or _has_indicators(args):
        obs, cat, unit, year, title, _ = _frames(args)
        audited = audit(obs, cat, unit=unit, year=year)
    elif tasks is not None:
        audited, title = pd.DataFrame(columns=AUDIT_COLUMNS), _title(args)
    else:
        _frames(args)  # raises the error that says what is missing
        return 2
    shown = audited if args.all else findings(audited)
    if tasks is not None and (args.format == "csv" or args.out):
        shown = pd.concat([shown, _tasks_as_audit(tasks)], ignore_index=True)
    _emit(shown, args, audit_text(shown, audited, title=title, task_findings=tasks))
    return 0


def _has_indicators(args: argparse.Namespace) -> bool:
    from analysis.io.datasets import load_curated

    if not args.unit:
        return True  # let _frames report the missing --unit
    obs = load_curated(args.data_dir).observations
    return bool((obs["unit"] == args.unit).any())


def _title(args: argparse.Namespace) -> str:
    from analysis.io.datasets import load_curated

    return f"{load_curated(args.data_dir).unit_name(args.unit)} ({args.unit})"


def _tasks_as_audit(tf: pd.DataFrame) -> pd.DataFrame:
    """Key-task findings in the audit's columns, for CSV output."""
    return pd.DataFrame(
        {
            "unit": tf["unit"],
            "year": tf["year"],
            "tt": tf["sub"],
            "indicator_id": "",
            "indicator": tf["description"],
            "figure": tf["check"].map({"pct": "Tỷ lệ %", "status": "Đánh giá"}),
            "published": tf["published"],
            "published_text": tf["published"].astype(str),
            "recomputed": tf["recomputed"],
            "decimals": pd.NA,
            "agrees": False,
            "explanation": tf["explanation"],
            "source": "nhiệm vụ trọng tâm " + tf["task"].astype(str),
        }
    )


def _task_findings(args: argparse.Namespace, unit: str | None, year: int | None) -> pd.DataFrame | None:
    from analysis.analyses.tasks import evaluate_subtargets, task_findings
    from analysis.io.datasets import load_curated

    if not unit:
        return None
    curated = load_curated(args.data_dir)
    sub = curated.subtargets
    mine = sub[(sub["unit"] == unit) & sub["published_pct"].notna()]
    if mine.empty:
        return None
    year = year or int(mine["year"].max())
    if not (mine["year"] == year).any():
        return None
    return task_findings(evaluate_subtargets(sub, unit=unit, year=year))


def _cmd_gaps(args: argparse.Namespace) -> int:
    from analysis.analyses.targets import term_gaps
    from analysis.report.text import gaps_text

    obs, cat, unit, year, title, _ = _frames(args)
    gaps = term_gaps(obs, cat, unit=unit, year=year)
    _emit(gaps, args, gaps_text(gaps, title=title))
    return 0


def _cmd_tasks(args: argparse.Namespace) -> int:
    from analysis.analyses.tasks import evaluate_subtargets, evaluate_tasks, load_score_bands
    from analysis.io.datasets import load_curated
    from analysis.report.text import tasks_text

    if not args.unit:
        raise AnalysisError("give --unit UNIT (python -m analysis units lists them)")
    curated = load_curated(args.data_dir)
    name = curated.unit_name(args.unit)
    t = curated.tasks
    years = t.loc[(t["unit"] == args.unit) & t["self_score"].notna(), "year"]
    if years.empty:
        raise AnalysisError(f"no scored key tasks for unit {args.unit!r} ({name})")
    if args.year and not (years == args.year).any():
        raise AnalysisError(
            f"no scored key tasks for unit {args.unit!r} ({name}) in {args.year}; "
            f"years with scores: {', '.join(str(int(y)) for y in sorted(set(years)))}"
        )
    year = args.year or int(years.max())
    from analysis.params import load_defaults

    bands = load_score_bands(load_defaults())
    ev = evaluate_tasks(t, bands, unit=args.unit, year=year, subtargets=curated.subtargets)
    sub = evaluate_subtargets(curated.subtargets, unit=args.unit, year=year)
    _emit(ev, args, tasks_text(ev, sub, title=f"{name} ({args.unit}), năm {year}"))
    return 0


def _cmd_units(args: argparse.Namespace) -> int:
    from analysis.io.datasets import load_curated

    units = load_curated(args.data_dir).units
    cols = ["unit", "name", "level", "parent", "illustrative", "note"]
    _emit(units[cols], args, units[cols[:5]].to_string(index=False))
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    from analysis.io.datasets import load_curated
    from analysis.io.ingest import read_table, write_result

    catalogue = load_curated(args.data_dir).indicators if args.unit else None
    result = read_table(args.file, unit=args.unit, catalogue=catalogue)
    obs, problems = result.observations, result.problems
    years = sorted(int(y) for y in obs["year"].dropna().unique())
    span = f"years {years[0]}–{years[-1]}" if years else "no years"
    print(
        f"{args.file}: {obs['indicator_id'].replace('', pd.NA).nunique()} indicators, "
        f"{len(obs)} observations, {span}, {len(problems)} problem(s)"
    )
    for p in problems.itertuples():
        print(f"  {p.severity}: {p.file}, row {p.row}, column {p.column!r}: {p.reason} — {p.text!r}")
    if args.out_dir:
        for _name, path in write_result(result, args.out_dir).items():
            print(f"wrote {path}")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from analysis.build.run import run_build_command

    return run_build_command(args)


_COMMANDS = {
    "evaluate": _cmd_evaluate,
    "audit": _cmd_audit,
    "gaps": _cmd_gaps,
    "tasks": _cmd_tasks,
    "units": _cmd_units,
    "ingest": _cmd_ingest,
    "build": _cmd_build,
}

if __name__ == "__main__":
    sys.exit(main())
