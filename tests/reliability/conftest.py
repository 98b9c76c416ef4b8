"""Fixtures of the reliability kit, and the summary ``make reliability`` prints."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from reliability.kit import Project, make_project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A fresh project to spoil (see :class:`reliability.kit.Project`)."""
    return make_project(tmp_path / "project")


# -- summary of the kit ------------------------------------------------------------------------


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """A table of the kit's cases by group (file) and outcome, when the kit is run."""
    counts: Counter[tuple[str, str]] = Counter()
    for outcome in ("passed", "failed", "error", "skipped", "xfailed"):
        for report in terminalreporter.stats.get(outcome, []):
            nodeid = getattr(report, "nodeid", "")
            if "tests/reliability/" in nodeid and getattr(report, "when", "call") in ("call", "setup"):
                if outcome == "passed" and report.when != "call":
                    continue
                group = nodeid.split("tests/reliability/")[1].split("::")[0].removesuffix(".py").removeprefix("test_")
                counts[(group, outcome)] += 1
    if not counts:
        return
    groups = sorted({g for g, _ in counts})
    write = terminalreporter.write_line
    write("")
    write("Reliability kit: cases by group")
    write(f"  {'group':<20} {'cases':>6} {'passed':>7} {'failed':>7} {'skipped':>8}")
    for g in groups:
        total = sum(n for (gg, _), n in counts.items() if gg == g)
        write(
            f"  {g:<20} {total:>6} {counts[(g, 'passed')]:>7} "
            f"{counts[(g, 'failed')] + counts[(g, 'error')]:>7} {counts[(g, 'skipped')]:>8}"
        )
    total = sum(counts.values())
    bad = sum(n for (_, o), n in counts.items() if o in ("failed", "error"))
    write(f"  {'all':<20} {total:>6} {counts_sum(counts, 'passed'):>7} {bad:>7} {counts_sum(counts, 'skipped'):>8}")


def counts_sum(counts: Counter[tuple[str, str]], outcome: str) -> int:
    return sum(n for (_, o), n in counts.items() if o == outcome)
