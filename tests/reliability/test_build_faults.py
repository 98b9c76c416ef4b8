"""Build faults: interrupt, kill, two builds at once, a read-only reports folder, a failing
notebook, and an executed pack notebook run again where it sits. The last good pack stays whole
until a new one is complete; nothing half-written is left once a build has run again.

These cases run real builds of one commune pack (a few seconds each) in a child process,
as an analyst's terminal would: Ctrl-C is SIGINT to the whole process group.
"""

from __future__ import annotations

import builtins
import errno
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import paths
from analysis.build.guard import LOCK_FILE, guarded, leftovers
from analysis.build.hold import HOLD_ENV, PACK_WRITTEN
from analysis.errors import AnalysisError
from reliability.kit import UNIT, Project, make_project, write

# builds packs, renders PDFs or starts processes: not in make test-fast
pytestmark = pytest.mark.slow

PACK = "50_commune_pack"
KINDS = ("ipynb", "html", "pdf", "docx")


def build_command(project: Project, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "analysis",
        "build",
        "--year",
        "2024",
        "--params-dir",
        str(project.params),
        "--data-dir",
        str(project.data),
        "--reports-dir",
        str(project.reports),
        *extra,
    ]


def start(project: Project, *extra: str, hold: Path | None = None) -> subprocess.Popen[str]:
    """A build in a child process of its own process group (as a terminal starts it); with
    ``hold``, a folder: the build waits after writing a pack's temporaries until the test
    releases it (:mod:`analysis.build.hold`)."""
    env = dict(os.environ)
    if hold is not None:
        hold.mkdir(parents=True, exist_ok=True)
        env[HOLD_ENV] = str(hold)
    return subprocess.Popen(
        build_command(project, *extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        cwd=paths.ROOT,
        env=env,
        preexec_fn=_ctrl_c_as_in_a_terminal,
    )


def _ctrl_c_as_in_a_terminal() -> None:
    """In the child, before the build starts: Ctrl-C does what it does in a terminal. A test
    run started in the background of a script (``pytest … &``) ignores SIGINT, and a child
    inherits that: its build would never see the Ctrl-C the test sends, and hang at the hold."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def held(hold: Path, child: subprocess.Popen[str]) -> bool:
    """Whether the build waits at its hold point (every pack's files written under temporary
    names, none put in place); fails at once if the build ended instead."""
    if child.poll() is not None:
        out, err = child.communicate()
        pytest.fail(f"the build ended (exit {child.returncode}) before its hold point: {err or out}")
    return (hold / f"{PACK_WRITTEN}.reached").is_file()


def release(hold: Path) -> None:
    (hold / f"{PACK_WRITTEN}.release").write_text("go\n", encoding="ascii")


def wait_for(condition, what: str, limit: float = 600) -> None:
    """Wait until ``condition()`` holds: the build is held at the point the test waits for, so
    this is no race against the clock (a build that ends first fails ``condition``); ``limit``
    only keeps a build that hangs from hanging the test run."""
    end = time.monotonic() + limit
    while not condition():
        if time.monotonic() > end:
            pytest.fail(f"waited {limit} s for {what}: the build hangs")
        time.sleep(0.02)


def pack_files(project: Project, unit: str = UNIT) -> dict[str, bytes]:
    folder = project.reports / "2024" / unit
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Project:
    """A project whose pack was built once (the last good pack), shared by the module: each
    test copies it."""
    project = make_project(tmp_path_factory.mktemp("built") / "project")
    done = subprocess.run(build_command(project, "--no-progress"), capture_output=True, text=True, cwd=paths.ROOT)
    assert done.returncode == 0, done.stderr
    return project


@pytest.fixture
def good(built: Project, tmp_path: Path) -> Project:
    project = Project(tmp_path / "project")
    shutil.copytree(built.root, project.root)
    return project


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_prints_one_line_exits_130_and_keeps_the_last_good_pack(good: Project, workers: str):
    write(
        good.params / "2024" / "units.yaml",
        f"units:\n  - {{unit: {UNIT}, level: commune}}\n  - {{unit: bac-son-tan-lap, level: commune}}\nnotebooks_by_level:\n  commune: [{PACK}.ipynb]\n",
    )
    write(good.params / "2024" / "bac-son-tan-lap.yaml", "")
    before = pack_files(good)
    hold = good.root / "hold"
    child = start(good, "--force", "--workers", workers, hold=hold)
    wait_for(lambda: held(hold, child), "the build to write its packs' temporaries")
    assert leftovers(good.reports / "2024")  # caught while its temporaries are on disk
    os.killpg(child.pid, signal.SIGINT)
    _out, err = child.communicate(timeout=120)
    assert child.returncode == 130
    assert err.splitlines()[-1] == "interrupted"
    assert "Traceback" not in err and "Task exception" not in err and "WARNING" not in err
    assert pack_files(good) == before  # the last good pack, whole
    assert leftovers(good.reports / "2024") == []


def test_kill_9_leaves_temporaries_that_the_next_build_removes(good: Project):
    before = pack_files(good)
    hold = good.root / "hold"
    child = start(good, "--force", "--workers", "1", hold=hold)
    wait_for(lambda: held(hold, child), "the build to write its pack's temporaries")
    os.killpg(child.pid, signal.SIGKILL)
    child.communicate(timeout=60)
    left = leftovers(good.reports / "2024")
    assert left and all(".partial" in p.name for p in left)
    assert {k: v for k, v in pack_files(good).items() if not k.startswith(".")} == before
    done = subprocess.run(build_command(good, "--no-progress"), capture_output=True, text=True, cwd=paths.ROOT)
    assert done.returncode == 0, done.stderr
    assert leftovers(good.reports / "2024") == []
    assert sorted(pack_files(good)) == sorted(f"{PACK}.{kind}" for kind in KINDS)


def test_a_second_build_of_the_same_folder_is_refused_in_one_line(good: Project):
    # the first build held while it writes its pack (it holds the folder's lock), released
    # once the second has been refused
    hold = good.root / "hold"
    child = start(good, "--force", "--workers", "1", hold=hold)
    try:
        wait_for(lambda: held(hold, child), "the first build to write its pack")
        lock = good.reports / "2024" / LOCK_FILE
        assert lock.read_text().strip() == str(child.pid)  # the lock file names the build holding it
        second = subprocess.run(build_command(good, "--no-progress"), capture_output=True, text=True, cwd=paths.ROOT)
    finally:
        release(hold)
        _out, err = child.communicate(timeout=180)
    assert second.returncode == 2, (second.stdout, err)
    assert second.stderr.splitlines() == [
        (
            f"error: {good.reports / '2024'}: another build is writing this folder (process {child.pid}); "
            "wait for it to end, or build into another --reports-dir"
        )
    ]
    assert child.returncode == 0, err  # the first build was not disturbed
    assert sorted(pack_files(good)) == sorted(f"{PACK}.{kind}" for kind in KINDS)


def test_the_lock_is_released_when_a_build_ends(tmp_path: Path):
    with (
        guarded(tmp_path / "2024"),
        pytest.raises(AnalysisError, match="another build is writing this folder"),
        guarded(tmp_path / "2024"),
    ):
        pass
    with guarded(tmp_path / "2024") as lock:
        assert lock.name == LOCK_FILE and lock.read_text().strip() == str(os.getpid())


def test_a_read_only_reports_folder_is_one_line(tmp_path: Path):
    project = make_project(tmp_path / "project")
    project.reports.mkdir(mode=0o555)
    project.reports.chmod(0o555)
    cmd = build_command(project, "--no-progress")
    if os.geteuid() == 0:  # root writes anywhere: run without the capabilities that allow it
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv (util-linux)")
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", *cmd]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=paths.ROOT)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        (
            f"error: {project.reports / '2024'}: cannot write the reports folder (Permission denied); "
            "make it writable or give another one with --reports-dir"
        )
    ]
    assert list(project.reports.iterdir()) == []


def test_a_failing_notebook_replaces_the_pack_with_its_marked_notebook_and_no_stale_report(good: Project):
    broken = good.root / "notebooks"
    shutil.copytree(paths.NOTEBOOKS, broken)
    nb = json.loads((broken / f"{PACK}.ipynb").read_text(encoding="utf-8"))
    nb["cells"].insert(
        3,
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "id": "boom",
            "source": "raise RuntimeError('hỏng có chủ ý')",
        },
    )
    (broken / f"{PACK}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    done = subprocess.run(
        build_command(good, "--no-progress", "--notebooks-dir", str(broken)),
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
    )
    assert done.returncode == 1
    # In [4]: the parameters, the injected parameters, the context, then the broken cell
    assert f"{UNIT}  {PACK}  In [4]  RuntimeError: hỏng có chủ ý" in done.stdout
    assert sorted(pack_files(good)) == [f"{PACK}.ipynb"]
    executed = json.loads(pack_files(good)[f"{PACK}.ipynb"])
    assert any(o.get("ename") == "RuntimeError" for c in executed["cells"] for o in c.get("outputs", []))


def test_an_executed_pack_notebook_runs_again_where_it_sits(built: Project):
    import nbformat
    from nbclient import NotebookClient

    folder = built.reports / "2024" / UNIT
    nb = nbformat.read(folder / f"{PACK}.ipynb", as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert f'data_dir = "{built.data}"' in injected.source  # absolute: no working folder assumed
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    NotebookClient(nb, kernel_name="analysis", resources={"metadata": {"path": str(folder)}}, timeout=300).execute()
    shown = "".join(str(o.get("data", {}).get("text/html", "")) for c in nb.cells for o in c.get("outputs", []))
    assert "Nhất Hòa" in shown


def test_rows_of_another_district_that_no_longer_agree_fail_the_pack_as_a_fresh_build_does(good: Project):
    # after a good build, a correction of a Tràng Định figure that is not there: the commune pack
    # of Bắc Sơn shows none of Tràng Định's rows, but reads the curated data whole, as a fresh
    # build would; the next build (no --force) builds it again and fails it, naming the file
    here = subprocess.run(build_command(good, "--no-progress"), capture_output=True, text=True, cwd=paths.ROOT)
    assert here.returncode == 0, here.stderr  # the copy's own build (its data folder is another)
    with (good.data / "corrections.csv").open("a", encoding="utf-8") as f:
        f.write("trang-dinh,2019,tourist_visitors,result,lượt,1,2,sửa thử,Phòng TC-KH,2024-12-05,CV số 1\n")
    done = subprocess.run(build_command(good, "--no-progress"), capture_output=True, text=True, cwd=paths.ROOT)
    assert done.returncode == 1, done.stderr
    assert "Built 0 packs, 0 up to date, failed 1" in done.stdout
    assert "corrections.csv" in done.stdout and "tourist_visitors" in done.stdout


# -- a full disk ----------------------------------------------------------------------------


class FullDisk:
    """The reports folder on a disk with ``free`` bytes left: files opened for writing under
    ``folder`` (by ``open``/``io.open``, which pathlib, papermill and the package's writers
    use) take their bytes from it, and a write past it writes what fits and raises
    ``OSError(ENOSPC)``, as a full disk does."""

    def __init__(self, folder: Path, free: int) -> None:
        self.folder, self.free = folder.resolve(), free

    def opener(self, real):
        disk = self

        class File:
            def __init__(self, f) -> None:
                self._f = f

            def write(self, data):
                raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
                if len(raw) > disk.free:
                    fits = raw[: disk.free]
                    self._f.write(fits.decode("utf-8", "ignore") if isinstance(data, str) else fits)
                    self._f.flush()
                    disk.free = 0
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                disk.free -= len(raw)
                return self._f.write(data)

            def __getattr__(self, name):
                return getattr(self._f, name)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return self._f.__exit__(*exc)

        def fake_open(file, mode="r", *args, **kwargs):
            f = real(file, mode, *args, **kwargs)
            writing = any(m in mode for m in "wax+")
            if writing and isinstance(file, (str, Path)) and Path(file).resolve().is_relative_to(disk.folder):
                return File(f)
            return f

        return fake_open


def on_full_disk(monkeypatch, folder: Path, free: int) -> None:
    fake = FullDisk(folder, free).opener(builtins.open)
    monkeypatch.setattr(builtins, "open", fake)
    monkeypatch.setattr(io, "open", fake)


def no_space_line(folder: Path, name: str) -> str:
    return (
        f"error: {folder}: no space left on the device while writing {name}; "
        "nothing half-written is kept (the last good files stay): free some space and run the command again"
    )


# where the disk fills: bytes left before the notebook, the HTML, the PDF, the Word file, the index
FILLS = {"ipynb": 0, "html": 1, "pdf": 2, "docx": 3, "index.html": 4}


@pytest.mark.parametrize("where", list(FILLS))
def test_a_full_disk_is_one_line_naming_the_folder_leaves_no_pack_and_the_next_build_repairs(
    built: Project, tmp_path: Path, monkeypatch, where: str
):
    project = make_project(tmp_path / "project")  # no pack yet
    # what fits: the files written before the one the disk fills on, and half of that one
    # (sizes from the built pack: this one's paths, in the notebook, differ by a few bytes)
    sizes = [len(pack_files(built)[f"{PACK}.{kind}"]) for kind in KINDS]
    sizes.append((built.reports / "2024" / "index.html").stat().st_size)
    free = sum(sizes[: FILLS[where]]) + sizes[FILLS[where]] // 2
    with monkeypatch.context() as m:
        on_full_disk(m, project.reports, free)
        done = project.build("--workers", "1")
    folder = project.reports / "2024"
    assert done.code == 2, (done.out, done.err)
    name = "index.html" if where == "index.html" else f"{PACK}.{where}"
    assert done.error_lines == [no_space_line(folder if where == "index.html" else folder / UNIT, name)]
    assert leftovers(folder) == []
    if where == "index.html":  # the pack was whole and put in place before the index
        assert sorted(pack_files(project)) == sorted(f"{PACK}.{kind}" for kind in KINDS)
    else:
        assert pack_files(project) == {}  # nothing half-written left as a pack
    assert not (folder / "manifest.json").exists() and not (folder / "index.html").exists()
    again = project.build()  # space freed: the next build repairs
    assert again.code == 0, again.err
    assert "Built 1 packs, 0 up to date, failed 0" in again.out
    assert sorted(pack_files(project)) == sorted(f"{PACK}.{kind}" for kind in KINDS)
    assert json.loads(pack_files(project)[f"{PACK}.ipynb"])["cells"]
    assert leftovers(folder) == []


def test_a_full_disk_keeps_the_last_good_pack_byte_for_byte(good: Project, monkeypatch):
    before = {**pack_files(good), "manifest.json": (good.reports / "2024" / "manifest.json").read_bytes()}
    with monkeypatch.context() as m:
        on_full_disk(m, good.reports, 0)
        done = good.build("--force", "--workers", "1")
    assert done.code == 2
    assert done.error_lines == [no_space_line(good.reports / "2024" / UNIT, f"{PACK}.ipynb")]
    assert {**pack_files(good), "manifest.json": (good.reports / "2024" / "manifest.json").read_bytes()} == before
    assert leftovers(good.reports / "2024") == []


def test_a_pack_left_unreadable_by_an_earlier_build_is_rebuilt(good: Project):
    # an empty notebook, as an earlier version left on a full disk: rebuilt, not "NotJSONError"
    (good.reports / "2024" / UNIT / f"{PACK}.ipynb").write_text("", encoding="utf-8")
    done = good.build()
    assert done.code == 0, done.err
    assert "Built 1 packs, 0 up to date, failed 0" in done.out
    assert json.loads(pack_files(good)[f"{PACK}.ipynb"])["cells"]


def test_a_real_full_disk_tmpfs(built: Project, tmp_path: Path):
    """The same on a real disk: a tmpfs of 20 KiB as the reports folder (root only)."""
    project = make_project(tmp_path / "project")
    project.reports.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=20k", "tmpfs", str(project.reports)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        done = subprocess.run(
            build_command(project, "--no-progress", "--workers", "1"), capture_output=True, text=True, cwd=paths.ROOT
        )
        assert done.returncode == 2, (done.stdout, done.stderr)
        assert done.stderr.splitlines() == [no_space_line(project.reports / "2024" / UNIT, f"{PACK}.ipynb")]
        assert pack_files(project) == {}
        assert leftovers(project.reports / "2024") == []
        subprocess.run(["mount", "-o", "remount,size=2m", str(project.reports)], check=True)
        again = subprocess.run(build_command(project, "--no-progress"), capture_output=True, text=True, cwd=paths.ROOT)
        assert again.returncode == 0, again.stderr
        assert sorted(pack_files(project)) == sorted(f"{PACK}.{kind}" for kind in KINDS)
    finally:
        subprocess.run(["umount", str(project.reports)], check=False)
