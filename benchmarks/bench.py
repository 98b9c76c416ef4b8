"""The benchmark: the same packs built three ways on the same machine, in one run.

    make bench                     # = .venv/bin/python benchmarks/bench.py (the country, a slice of 332)
    .venv/bin/python benchmarks/bench.py --slice 0          # all 3,321 communes (about 10 minutes more)
    .venv/bin/python benchmarks/bench.py --communes 200 --slice 0 --plain-sample 5 --scenarios national

Scenarios: the shipped units (``params/<year>/units.yaml``, ``data/``) and the national run: a
synthetic country of ``--communes`` communes (default 3,321) in provinces of about a hundred
(``make_province.py``, generated into a temporary folder), of which the first ``--slice``
(default 332, a tenth) are built and the figures extrapolated to all (marked ``*``). Modes, for
every pack (unit × notebook) of a scenario:

- *floor*: :func:`floor.render_pack_direct` in this process: the analysis, charts, HTML,
  PDF and Word document with no notebook or kernel — the cost of the work itself;
- *build*: ``python -m analysis build --force`` as shipped (a subprocess; its split by stage,
  execute, HTML, PDF and Word, from the timings in its manifest), then *build again* with
  nothing changed (no ``--force``), timed separately;
- *plain*: per pack, the three commands an analyst would script — ``papermill``,
  ``jupyter nbconvert --to html --no-input``, a ``python -c`` that prints the HTML with
  WeasyPrint — on ``--plain-sample`` packs spread over the run, extrapolated to all packs.

Prints per scenario: mode, packs, wall seconds, seconds per unit, speed-up over plain, ratio to
the floor, the peak RSS of any single process (psutil, every 0.2 s), the national figures
(extrapolated from the slice when not all communes were built), then the issue's targets,
each ``ok`` or ``NOT MET``, and the machine's load (``uptime``) before and after. Always exits
0 unless it cannot run at all.
"""

from __future__ import annotations

import argparse
import html as html_lib
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import floor
from analysis import paths
from analysis.build.units import run_units
from make_province import make_province

MODES = ("floor", "build", "rebuild", "plain")
SCENARIOS = ("shipped", "national")
GIB = 1 << 30
# The targets (issue 11): the shipped build against plain; the national build (3,321
# communes, or a slice of a tenth) on two cores; a build with nothing changed; memory.
MIN_SPEEDUP, MAX_NATIONAL_S, MAX_SLICE_S, MAX_REBUILD_S, MAX_RSS = 20.0, 600.0, 60.0, 1.0, GIB
MAX_FLOOR_RATIO = 2.0
COUNTRY, SLICE = 3321, 332
CORES = 2  # the machine
PDF_SCRIPT = "import sys, weasyprint; weasyprint.HTML(sys.argv[1]).write_pdf(sys.argv[2])"


# -- measuring ------------------------------------------------------------------------------


class PeakRSS:
    """Samples a process (and, with ``tree``, its descendants) every ``interval`` seconds and
    keeps the largest RSS of any single process and of the whole tree."""

    def __init__(self, pid: int, *, tree: bool = True, interval: float = 0.2) -> None:
        self.pid, self.tree, self.interval = pid, tree, interval
        self.peak, self.peak_name, self.peak_tree, self.processes = 0, "", 0, set()
        self.cpu = 0.0  # CPU seconds, set by the caller
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakRSS:
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        try:
            root = psutil.Process(self.pid)
            procs = [root] + (root.children(recursive=True) if self.tree else [])
        except psutil.Error:
            return
        total = 0
        for p in procs:
            try:
                rss, name = p.memory_info().rss, _describe(p)
            except psutil.Error:
                continue
            total += rss
            self.processes.add(p.pid)
            if rss > self.peak:
                self.peak, self.peak_name = rss, name
        self.peak_tree = max(self.peak_tree, total)


def _describe(p: psutil.Process) -> str:
    """``papermill``, ``python -m ipykernel_launcher``, ``python -m analysis build``… for the report."""
    try:
        cmd = p.cmdline()
    except psutil.Error:
        return p.name()
    if not cmd:
        return p.name()
    exe, rest = Path(cmd[0]).name, cmd[1:]
    while rest and rest[0].startswith("-") and rest[0] not in ("-m", "-c"):
        rest = rest[1:]  # interpreter options such as -Xfrozen_modules=off
    if len(rest) >= 2 and rest[0] == "-m":
        return " ".join([exe, "-m", rest[1]] + ([rest[2]] if len(rest) > 2 and not rest[2].startswith("-") else []))
    if len(rest) >= 2 and rest[0] == "-c":
        return f"{exe} -c (multiprocessing worker)" if "multiprocessing" in rest[1] else f"{exe} -c"
    if rest and exe.startswith("python"):
        return Path(rest[0]).name
    return exe


def cpu_seconds(who: int) -> float:
    """User + system CPU seconds of ``resource.RUSAGE_SELF`` or ``RUSAGE_CHILDREN`` so far."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run_timed(cmd: list[str], *, log: Path, cwd: Path, env: dict[str, str]) -> tuple[float, int, PeakRSS]:
    """Run ``cmd`` (output to ``log``); return its wall seconds, exit code and peak RSS; the CPU
    seconds of it and of every process it waited for (workers, kernels) are in ``rss.cpu``."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        out.write(("$ " + " ".join(cmd) + "\n").encode())
        out.flush()
        t, cpu = time.perf_counter(), cpu_seconds(resource.RUSAGE_CHILDREN)
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env)
        with PeakRSS(proc.pid) as rss:
            code = proc.wait()
        rss.cpu = cpu_seconds(resource.RUSAGE_CHILDREN) - cpu
        return time.perf_counter() - t, code, rss


@dataclass
class Timing:
    """One mode of one scenario."""

    mode: str
    label: str
    packs: int
    units: int
    seconds: float
    measured_packs: int
    measured_seconds: float
    peak_rss: int = 0
    peak_process: str = ""
    peak_tree: int = 0
    processes: int = 0
    failed: int = 0
    note: str = ""
    steps: dict[str, float] = field(default_factory=dict)
    cpu: float = 0.0  # CPU seconds (user + system) of every process of the mode

    @property
    def extrapolated(self) -> bool:
        return self.measured_packs < self.packs

    @property
    def per_unit(self) -> float:
        return self.seconds / max(self.units, 1)


@dataclass
class Scenario:
    name: str
    label: str
    data_dir: Path
    params_dir: Path
    work: Path
    items: list[dict] = field(default_factory=list)
    timings: dict[str, Timing] = field(default_factory=dict)
    parity: tuple[int, list[str]] | None = None  # floor vs build: packs alike, differences
    whole: int = 0  # units of the whole run when only a slice is built (national)

    @property
    def packs(self) -> list[tuple[str, str]]:
        return [(i["unit"], nb) for i in self.items for nb in i["notebooks"]]

    @property
    def scale(self) -> float:
        """Units of the whole run ÷ units built (1 when all were built)."""
        return self.whole / len(self.items) if self.whole and self.items else 1.0

    def national(self, mode: str) -> float | None:
        """Seconds of ``mode`` for the whole run: measured, or the slice's × :attr:`scale`."""
        x = self.timings.get(mode)
        return None if x is None else x.seconds * self.scale


# -- the modes --------------------------------------------------------------------------------


def run_floor(sc: Scenario, year: int) -> Timing:
    out = sc.work / "floor"
    floor.reset_seconds()
    failed = 0
    t, cpu = time.perf_counter(), cpu_seconds(resource.RUSAGE_SELF)
    with PeakRSS(os.getpid(), tree=False) as rss:
        for unit, nb in sc.packs:
            try:
                floor.render_pack_direct(unit, year, data_dir=sc.data_dir, out_dir=out, notebook=nb)
            except Exception as exc:  # report, carry on
                failed += 1
                print(f"  floor: {unit}/{nb} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    seconds = time.perf_counter() - t
    return Timing(
        "floor",
        "floor (in process)",
        len(sc.packs),
        len(sc.items),
        seconds,
        len(sc.packs),
        seconds,
        rss.peak,
        "this process (the benchmark)",
        rss.peak_tree,
        1,
        failed,
        steps={k: round(v, 2) for k, v in floor.SECONDS.items()},
        cpu=cpu_seconds(resource.RUSAGE_SELF) - cpu,
    )


def settle_inputs(sc: Scenario, year: int) -> float:
    """Wait, before the first build, until no input file was modified less than
    ``analysis.build.stamp.RACY_SECONDS`` ago; return the seconds waited. A build does not
    keep the stamp of files written just before it (they could change again without their
    modification time moving), so the next one would plan instead of seeing that nothing
    changed. An analyst's data is not written within two seconds of a build; the generated
    country is: without the wait, *build again* would measure that corner, not the use."""
    from analysis.build.stamp import RACY_SECONDS, input_files

    files = input_files(year, data_dir=Path(sc.data_dir), params_dir=Path(sc.params_dir), notebooks_dir=paths.NOTEBOOKS)
    newest = max((f.stat().st_mtime for f in files if f.is_file()), default=0.0)
    wait = newest + RACY_SECONDS + 0.05 - time.time()
    if wait > 0:
        time.sleep(wait)
    return max(wait, 0.0)


def run_build(
    sc: Scenario, year: int, *, python: str, env: dict[str, str], options: set[str], workers: int | None, force: bool
) -> Timing:
    cmd = [
        python,
        "-m",
        "analysis",
        "build",
        "--year",
        str(year),
        "--data-dir",
        str(sc.data_dir),
        "--params-dir",
        str(sc.params_dir),
        "--reports-dir",
        str(sc.work / "build"),
    ]
    if force:
        cmd.append("--force")
    if "--no-progress" in options:
        cmd.append("--no-progress")
    note = ""
    if workers is not None:
        if "--workers" in options:
            cmd += ["--workers", str(workers)]
            note = f"--workers {workers}"
        else:
            note = "the build has no --workers option: not passed"
    if force and (waited := settle_inputs(sc, year)) > 0:
        note = "; ".join(
            x for x in (note, f"waited {waited:.1f} s first: inputs written just now (stamp.RACY_SECONDS)") if x
        )
    log = sc.work / "logs" / ("build.log" if force else "rebuild.log")
    seconds, code, rss = run_timed(cmd, log=log, cwd=ROOT, env=env)
    summary = _build_summary(log)
    failed = int(summary.get("failed", 0)) if summary or code == 0 else len(sc.packs)
    if code != 0:
        note = (note + "; " if note else "") + f"exit code {code} (see {log})"
    mode = "build" if force else "rebuild"
    label = "build (--force)" if force else "build again (no change)"
    notes = [n for n in (summary.get("line", "the build printed no summary"), note) if n]
    return Timing(
        mode,
        label,
        len(sc.packs),
        len(sc.items),
        seconds,
        len(sc.packs),
        seconds,
        rss.peak,
        rss.peak_name,
        rss.peak_tree,
        len(rss.processes),
        failed,
        "; ".join(notes),
        steps=_manifest_steps(sc.work / "build" / str(year) / "manifest.json") if force else {},
        cpu=rss.cpu,
    )


def _manifest_steps(manifest: Path) -> dict[str, float]:
    """Worker seconds of each stage of the build's packs (execute, html, pdf, docx), summed
    from the timings the manifest records for every pack built."""
    try:
        packs = json.loads(manifest.read_text(encoding="utf-8"))["packs"]
    except (OSError, ValueError, KeyError):
        return {}
    steps: dict[str, float] = {}
    for pack in packs:
        for stage, seconds in (pack.get("timings") or {}).items():
            steps[stage] = round(steps.get(stage, 0.0) + float(seconds), 2)
    return steps


def _build_summary(log: Path) -> dict:
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    for line in reversed(lines):
        m = re.search(r"Built (\d+) packs, (\d+) up to date, failed (\d+)", line)
        if m:
            return {"built": m[1], "up_to_date": m[2], "failed": m[3], "line": m[0]}
    return {}


def plain_sample(packs: list[tuple[str, str]], k: int) -> list[tuple[str, str]]:
    """``k`` packs spread evenly over ``packs`` (all of them when ``k`` is 0 or too large).

    >>> plain_sample([("a", 1), ("b", 1), ("c", 1), ("d", 1)], 2)
    [('a', 1), ('c', 1)]
    """
    if k <= 0 or k >= len(packs):
        return list(packs)
    return [packs[i] for i in sorted({round(j * len(packs) / k) for j in range(k)})]


def run_plain(
    sc: Scenario, year: int, *, bindir: Path, env: dict[str, str], sample: int, notebooks_dir: Path
) -> Timing:
    """papermill → nbconvert → WeasyPrint, three processes per pack, as an analyst scripts it."""
    chosen = plain_sample(sc.packs, sample)
    out, log = sc.work / "plain", sc.work / "logs" / "plain.log"
    total, failed, peak, peak_name, peak_tree, procs, cpu = 0.0, 0, 0, "", 0, 0, 0.0
    split: dict[str, float] = {}
    for unit, nb in chosen:
        stem = Path(nb).stem
        ipynb = out / unit / f"{stem}.ipynb"
        ipynb.parent.mkdir(parents=True, exist_ok=True)
        steps = [
            [
                str(bindir / "papermill"),
                str(notebooks_dir / nb),
                str(ipynb),
                "-p",
                "year",
                str(year),
                "-p",
                "unit",
                unit,
                "-p",
                "data_dir",
                str(sc.data_dir),
                "-k",
                "analysis",
            ],
            [str(bindir / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(ipynb)],
            [str(bindir / "python"), "-c", PDF_SCRIPT, str(ipynb.with_suffix(".html")), str(ipynb.with_suffix(".pdf"))],
        ]
        for step, cmd in zip(("papermill", "nbconvert", "weasyprint"), steps):
            seconds, code, rss = run_timed(cmd, log=log, cwd=ipynb.parent, env=env)
            total += seconds
            cpu += rss.cpu
            split[step] = split.get(step, 0.0) + seconds
            procs += len(rss.processes)
            peak_tree = max(peak_tree, rss.peak_tree)
            if rss.peak > peak:
                peak, peak_name = rss.peak, rss.peak_name
            if code != 0:
                failed += 1
                print(f"  plain: {unit}/{stem}: {Path(cmd[0]).name} exited {code} (see {log})", file=sys.stderr)
                break
    per_pack = total / max(len(chosen), 1)
    seconds = per_pack * len(sc.packs)
    label = "plain" if len(chosen) == len(sc.packs) else f"plain* ({len(chosen)} of {len(sc.packs)})"
    return Timing(
        "plain",
        label,
        len(sc.packs),
        len(sc.items),
        seconds,
        len(chosen),
        total,
        peak,
        peak_name,
        peak_tree,
        procs,
        failed,
        ""
        if len(chosen) == len(sc.packs)
        else f"extrapolated: {total:.1f} s measured on {len(chosen)} packs ({per_pack:.2f} s/pack) "
        f"× {len(sc.packs)} packs",
        steps={k: round(v, 2) for k, v in split.items()},
        cpu=cpu / max(len(chosen), 1) * len(sc.packs),
    )


def visible(path: Path) -> tuple[str, list[int]]:
    """The text a reader sees in an HTML pack (no style, no tags, no hidden heading anchors,
    spaces collapsed) and the hashes of its embedded charts (SVG or PNG)."""
    raw = path.read_text(encoding="utf-8")
    images = [hash(m) for m in re.findall(r"data:image/(?:svg\+xml|png);base64,([A-Za-z0-9+/=]+)", raw)]
    # nbconvert's heading anchors (¶) are hidden by the pack's CSS (a.anchor-link): not seen
    raw = re.sub(r"<style.*?</style>|<title>.*?</title>|<a class=\"anchor-link\"[^>]*>.*?</a>", " ", raw, flags=re.S)
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", raw))
    return " ".join(text.split()), images


def compare_outputs(sc: Scenario, year: int) -> tuple[int, list[str]]:
    """Packs whose floor HTML shows the same text and charts as the build's; the differences."""
    same, differ = 0, []
    for unit, nb in sc.packs:
        stem = Path(nb).stem
        built, direct = sc.work / "build" / str(year) / unit / f"{stem}.html", sc.work / "floor" / unit / f"{stem}.html"
        if not (built.is_file() and direct.is_file()):
            differ.append(f"{unit}/{stem}: missing {'build' if not built.is_file() else 'floor'} HTML")
            continue
        (bt, bi), (ft, fi) = visible(built), visible(direct)
        if bt == ft and bi == fi:
            same += 1
            continue
        if bt != ft:
            i = next((k for k, (a, b) in enumerate(zip(bt, ft)) if a != b), min(len(bt), len(ft)))
            differ.append(
                f"{unit}/{stem}: text differs at …{bt[max(0, i - 40) : i + 40]!r} (build) "
                f"vs …{ft[max(0, i - 40) : i + 40]!r} (floor)"
            )
        else:
            differ.append(f"{unit}/{stem}: charts differ ({len(bi)} in the build, {len(fi)} in the floor)")
    return same, differ


# -- reporting --------------------------------------------------------------------------------


def mib(n: int) -> str:
    return f"{n / (1 << 20):.0f} MiB" if n else "—"


def ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "—"
    r = a / b
    return f"{r:.1f}×" if r >= 0.1 else f"{r:.3f}×"


def format_scenario(sc: Scenario) -> str:
    t = sc.timings
    plain, fl = t.get("plain"), t.get("floor")
    rows = [
        ("mode", "packs", "wall s", "CPU s", "s/unit", "plain ÷ mode", "mode ÷ floor", "peak RSS/process", "process")
    ]
    for mode in ("plain", "build", "rebuild", "floor"):
        if mode not in t:
            continue
        x = t[mode]
        rows.append(
            (
                x.label,
                str(x.packs),
                f"{x.seconds:.1f}",
                f"{x.cpu:.1f}",
                f"{x.per_unit:.2f}",
                ratio(plain.seconds, x.seconds) if plain else "—",
                ratio(x.seconds, fl.seconds) if fl else "—",
                mib(x.peak_rss),
                x.peak_process,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [f"\n== {sc.label}: {len(sc.items)} units, {len(sc.packs)} packs (unit × notebook) =="]
    for i, r in enumerate(rows):
        lines.append(
            "  "
            + "  ".join(c.ljust(w) if j in (0, 8) else c.rjust(w) for j, (c, w) in enumerate(zip(r, widths))).rstrip()
        )
        if i == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    for x in t.values():
        if x.note:
            lines.append(f"  {x.label}: {x.note}")
        if x.failed:
            lines.append(f"  {x.label}: {x.failed} FAILED pack(s)")
        if x.steps:
            total = sum(x.steps.values()) or 1
            lines.append(
                f"  {x.label} split: "
                + ", ".join(
                    f"{k} {v:.1f} s ({v / total:.0%})" for k, v in sorted(x.steps.items(), key=lambda kv: -kv[1])
                )
            )
    if sc.whole:
        star = "*" if sc.scale != 1 else ""
        lines.append(
            f"  the whole run{star} ({sc.whole} units"
            + (f"; * = the slice's {len(sc.items)} units × {sc.scale:.2f}" if star else "")
            + "): "
            + ", ".join(
                f"{t[m].label} {sc.national(m):.1f} s"
                for m in ("build", "rebuild", "plain", "floor")
                if m in t and not (star and m == "rebuild")
            )
        )
        if "build" in t:
            lines.append(
                f"  the whole run's build{star}: {t['build'].cpu * sc.scale:.0f} CPU s, i.e. "
                f"{t['build'].cpu * sc.scale / CORES:.0f} s of wall on {CORES} cores free of other work"
            )
    if sc.parity is not None:
        same, differ = sc.parity
        lines.append(f"  floor vs build: {same}/{len(sc.packs)} packs show the same text and the same charts")
        lines += [f"    {d}" for d in differ[:5]] + ([f"    … and {len(differ) - 5} more"] if len(differ) > 5 else [])
    return "\n".join(lines)


def checks(scenarios: list[Scenario]) -> list[tuple[bool | None, str]]:
    """The issue's targets, per scenario: (met, text); met is None when not measured."""
    out: list[tuple[bool | None, str]] = []
    for sc in scenarios:
        t = sc.timings
        b, p, f, r = t.get("build"), t.get("plain"), t.get("floor"), t.get("rebuild")
        name = sc.label
        broken = f" — not comparable: the build failed {b.failed} of {b.packs} packs" if b and b.failed else ""
        star = "*" if sc.scale != 1 else ""
        if b and p and sc.name == "shipped":
            s = p.seconds / b.seconds
            out.append(
                (
                    s >= MIN_SPEEDUP and not broken,
                    f"{name}: build ≥ {MIN_SPEEDUP:g}× faster than plain (papermill + nbconvert + WeasyPrint "
                    f"per notebook) — {s:.1f}×"
                    + (" (plain extrapolated from a sample)" if p.extrapolated else "")
                    + broken,
                )
            )
        if b and sc.name == "national":
            whole = sc.national("build") or 0.0
            out.append(
                (
                    whole <= MAX_NATIONAL_S and not broken,
                    f"{name}: {sc.whole} communes, build --force ≤ {MAX_NATIONAL_S:g} s on this machine — "
                    f"{whole:.0f} s{star}" + broken,
                )
            )
            if len(sc.items) == SLICE:
                out.append(
                    (
                        b.seconds <= MAX_SLICE_S and not broken,
                        f"{name}: the slice of {SLICE} communes ≤ {MAX_SLICE_S:g} s — {b.seconds:.1f} s" + broken,
                    )
                )
        if r and sc.name == "national":
            rebuilt = re.search(r"Built (\d+) packs", r.note)
            why = (
                f"; it rebuilt {rebuilt[1]} packs (inputs, package source or versions changed?)"
                if rebuilt and rebuilt[1] != "0"
                else ""
            )
            if star:  # its time hardly grows with the packs: the slice's × the scale says little
                out.append(
                    (
                        None if r.seconds < MAX_REBUILD_S and not why else False,
                        f"{name}: a build with nothing changed < {MAX_REBUILD_S:g} s — {r.seconds:.2f} s for the "
                        f"slice's {len(sc.items)} packs; the whole run's is measured with --slice 0" + why,
                    )
                )
            else:
                out.append(
                    (
                        r.seconds < MAX_REBUILD_S and not r.failed and not why,
                        f"{name}: a build with nothing changed < {MAX_REBUILD_S:g} s for the whole run — "
                        f"{r.seconds:.2f} s" + why,
                    )
                )
        if b and f:
            s = b.seconds / f.seconds
            out.append((None, f"{name}: build ÷ floor (one process doing the work, no notebook) — {s:.2f}×"))
        for mode in ("build", "rebuild"):
            x = t.get(mode)
            if x:
                out.append(
                    (
                        x.peak_rss < MAX_RSS,
                        (
                            f"{name}: peak RSS per build process < 1 GiB ({x.label}) — "
                            f"{mib(x.peak_rss)} ({x.peak_process})"
                        ),
                    )
                )
        if not b:
            out.append((None, f"{name}: build not run: its targets are not measured"))
        if sc.parity is not None:
            out.append(
                (
                    not sc.parity[1],
                    (
                        f"{name}: the floor renders what the build renders (same text and "
                        f"charts) — {sc.parity[0]}/{len(sc.packs)} packs"
                    ),
                )
            )
        for x in t.values():
            if x.failed:
                out.append((False, f"{name}: {x.label}: {x.failed} pack(s) failed"))
    if not any(sc.name == "national" for sc in scenarios):
        out.append((None, "national run not run: its targets are not measured"))
    return out


def load() -> str:
    """The machine's load as ``uptime`` prints it (other processes slow every figure down)."""
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "load averages " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


# -- the run ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--communes", type=int, default=COUNTRY, help=f"communes of the synthetic country (default {COUNTRY})"
    )
    parser.add_argument(
        "--slice",
        type=int,
        default=SLICE,
        metavar="K",
        help=f"build the first K communes and extrapolate to all (0 = all; default {SLICE})",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic country (default 0)")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument(
        "--plain-sample",
        type=int,
        default=10,
        metavar="K",
        help="time plain on K packs spread over the run and extrapolate (0 = all; default 10)",
    )
    parser.add_argument("--workers", type=int, help="passed to the build as --workers N if it has that option")
    parser.add_argument(
        "--scenarios", default=",".join(SCENARIOS), help=f"comma-separated, of {', '.join(SCENARIOS)} (default both)"
    )
    parser.add_argument("--modes", default=",".join(MODES), help=f"comma-separated, of {', '.join(MODES)}")
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="work in DIR and keep the outputs (default: a temporary folder, removed)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    scenarios_wanted = _pick(args.scenarios, SCENARIOS, "--scenarios")
    modes = _pick(args.modes, MODES, "--modes")
    if "rebuild" in modes and "build" not in modes:
        parser.error("--modes: rebuild needs build")

    python = sys.executable  # .venv/bin/python: not resolved, so the venv holds
    bindir = Path(python).parent
    missing = [x for x in ("papermill", "jupyter") if "plain" in modes and not (bindir / x).is_file()]
    if missing:
        parser.error(
            f"{', '.join(missing)} not found beside {python}: run with the project's .venv/bin/python (make setup)"
        )
    env = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    help_text = subprocess.run(
        [python, "-m", "analysis", "build", "--help"], capture_output=True, text=True, cwd=ROOT, env=env
    ).stdout
    options = set(re.findall(r"--[a-z][a-z-]+", help_text))

    work = args.keep or Path(tempfile.mkdtemp(prefix="analysis-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(
        f"benchmark {time.strftime('%Y-%m-%d %H:%M')} on {platform.node()}: {psutil.cpu_count()} CPUs, "
        f"{psutil.virtual_memory().total / GIB:.1f} GiB, Python {platform.python_version()}; "
        f"modes {', '.join(modes)}; work in {work}",
        flush=True,
    )
    print(f"build options found: {' '.join(sorted(o for o in options if o != '--help'))}", flush=True)
    before = load()
    print(f"load: {before}", flush=True)

    scenarios: list[Scenario] = []
    if "shipped" in scenarios_wanted:
        scenarios.append(
            Scenario(
                "shipped", f"shipped units (params/{args.year}/units.yaml)", paths.DATA, paths.PARAMS, work / "shipped"
            )
        )
    if "national" in scenarios_wanted:
        t = time.perf_counter()
        listed = args.slice if 0 < args.slice < args.communes else None
        info = make_province(
            args.communes, work / "country", seed=args.seed, year=args.year, shipped_units=False, listed=listed
        )
        print(
            f"synthetic country: {len(info['communes'])} communes in {len(info['provinces'])} provinces "
            f"({len(info['listed'])} in the run), generated in {time.perf_counter() - t:.1f} s",
            flush=True,
        )
        scenarios.append(
            Scenario(
                "national",
                f"national run ({args.communes} communes"
                + (f", the first {len(info['listed'])} built" if listed else "")
                + ")",
                info["data_dir"],
                info["params_dir"],
                work / "national",
                whole=args.communes,
            )
        )
    for sc in scenarios:
        sc.items = run_units(args.year, params_dir=sc.params_dir)
        print(f"\n{sc.label}: {len(sc.items)} units, {len(sc.packs)} packs", flush=True)
        for mode in MODES:
            if mode not in modes:
                continue
            print(f"  {mode} …", end=" ", flush=True)
            if mode == "floor":
                x = run_floor(sc, args.year)
            elif mode in ("build", "rebuild"):
                x = run_build(
                    sc, args.year, python=python, env=env, options=options, workers=args.workers, force=mode == "build"
                )
            else:
                x = run_plain(
                    sc, args.year, bindir=bindir, env=env, sample=args.plain_sample, notebooks_dir=paths.NOTEBOOKS
                )
            sc.timings[mode] = x
            print(f"{x.seconds:.1f} s" + (" (extrapolated)" if x.extrapolated else ""), flush=True)
        if "floor" in sc.timings and "build" in sc.timings:
            sc.parity = compare_outputs(sc, args.year)

    print("\n" + "\n".join(format_scenario(sc) for sc in scenarios))
    print("\n  CPU s = user + system seconds of every process of the mode (workers, kernels: the load of other")
    print("  processes does not change it); s/unit = wall ÷ units; plain ÷ mode = speed-up over plain;")
    print("  mode ÷ floor = times the floor;")
    print("  peak RSS/process = the largest resident memory of any single process of the mode (sampled every 0.2 s).")
    print("  * plain timed on a sample of packs spread over the run and extrapolated to all packs;")
    print("    national figures marked * are the slice's × (communes ÷ communes built).")
    results = checks(scenarios)
    after = load()
    print("\nTargets (issue 11; reported, never fatal):")
    for met, text in results:
        print(f"  [{'ok' if met else 'NOT MET' if met is False else 'n/a'}] {text}")
    print(f"\nload before: {before}\nload after:  {after}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": {
                        "cpus": psutil.cpu_count(),
                        "memory_gib": round(psutil.virtual_memory().total / GIB, 1),
                        "python": platform.python_version(),
                    },
                    "communes": args.communes,
                    "slice": args.slice,
                    "load": {"before": before, "after": after},
                    "build_options": sorted(options),
                    "scenarios": [
                        {
                            "name": sc.name,
                            "label": sc.label,
                            "units": len(sc.items),
                            "packs": len(sc.packs),
                            "whole": sc.whole,
                            "national_seconds": {m: sc.national(m) for m in sc.timings},
                            "modes": {m: asdict(x) | {"per_unit": x.per_unit} for m, x in sc.timings.items()},
                            "floor_vs_build": None
                            if sc.parity is None
                            else {"same": sc.parity[0], "differences": sc.parity[1]},
                        }
                        for sc in scenarios
                    ],
                    "checks": [{"met": m, "text": s} for m, s in results],
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"\nfigures written to {args.json}")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"outputs kept in {work}")
    return 0


def _pick(text: str, allowed: tuple[str, ...], option: str) -> list[str]:
    chosen = [w.strip() for w in text.split(",") if w.strip()]
    bad = [w for w in chosen if w not in allowed]
    if bad or not chosen:
        raise SystemExit(f"{option}: {', '.join(bad) or 'nothing'} not among {', '.join(allowed)}")
    return chosen


if __name__ == "__main__":
    sys.exit(main())
