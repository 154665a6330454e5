"""Ctrl-C leaves only complete files: `render` and `batch` stopped at many moments.

Each test starts the real command in its own process group and sends SIGINT to the group, as a
terminal's Ctrl-C does, after a delay spread over the command's run (measured first, so the
delays suit a fast or a slow machine). Whenever the signal arrives, the command must exit 130
without a traceback, leave no ``.part`` temporary file, and every document left behind must
open. Writes are atomic (temp file, then rename), so this holds even mid-write.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest

from conftest import EXAMPLES, ROOT
from tutorbargain.answers.fields import FIELDS
from tutorbargain.library import cache
from tutorbargain.writers import output
from tutorbargain.writers.output import write_atomic

LARGEST = EXAMPLES / "cedar-valley-mixed-iep.yml"
"""The example with the most clauses: the longest render."""
_SCRIPT = Path(sys.executable).with_name("tutorbargain")
COMMAND = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "tutorbargain"]
"""The installed command, as a user runs it. (Under ``python -m``, CPython exits by SIGINT,
-2, rather than 130 when Ctrl-C lands in code run by ``exec`` of a string, such as a
dataclass being built, even though tutorbargain caught it; a shell shows 130 either way.)"""
INTERRUPTED = (130,) if _SCRIPT.exists() else (130, -signal.SIGINT)


@dataclass
class Stopped:
    code: int
    err: str
    was_running: bool
    out: str = ""


def run_and_interrupt(
    args: list[str],
    *,
    env: dict[str, str],
    delay: float = 0.0,
    when: Callable[[], bool] | None = None,
) -> Stopped:
    """Start the command, press Ctrl-C after ``delay`` seconds (or as soon as ``when()`` holds),
    and wait for it to stop."""
    process = subprocess.Popen(
        [*COMMAND, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    if when is None:
        time.sleep(delay)
    else:
        deadline = time.monotonic() + 120
        while not when() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
    was_running = process.poll() is None
    if was_running:
        os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=300)
    return Stopped(process.returncode, err, was_running, out)


def environment(cache_dir: Path) -> dict[str, str]:
    """A fresh cache per run, so a run also writes its cache while it may be interrupted."""
    return {
        **os.environ,
        "NO_COLOR": "1",
        "TERM": "dumb",
        "TUTORBARGAIN_CACHE_DIR": str(cache_dir),
    }


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([*COMMAND, *args], capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    return time.perf_counter() - start


def assert_left_clean(stopped: Stopped, out: Path) -> None:
    """Exit 130, no traceback, no temporary file, and every document opens.

    Only the output folder is checked for temporary files: the cache folder can keep one
    today (see test_cache_write_stopped_leaves_no_temporary_file, a known bug).
    """
    assert stopped.code in INTERRUPTED, stopped.err
    assert "Traceback" not in stopped.err
    assert not list(out.rglob("*.part")), f"temporary files left in {out}"
    for path in out.rglob("*.docx"):
        assert docx.Document(str(path)).paragraphs, path


# ---------------------------------------------------------------- render


RENDER_OPTIONS = ("--kit", "--clean")
"""Five documents rather than three: a longer window in which files are being written."""
FRACTIONS = (0.25, 0.4, 0.55, 0.7)
"""When to press Ctrl-C, as fractions of an uninterrupted run: start-up, loading the library,
composing, building the Word files. (The writing itself is caught by its own test below.)"""


@pytest.fixture(scope="module")
def render_seconds(tmp_path_factory: pytest.TempPathFactory) -> float:
    """Wall time of an uninterrupted render with an empty cache, the fastest of three."""
    root = tmp_path_factory.mktemp("timing")
    times = []
    for attempt in range(3):
        out, cache_dir = root / f"out{attempt}", root / f"cache{attempt}"
        args = ["render", str(LARGEST), "-o", str(out), *RENDER_OPTIONS]
        times.append(timed(args, environment(cache_dir)))
    return min(times)


@pytest.mark.parametrize("fraction", FRACTIONS)
def test_render_stopped_with_ctrl_c(fraction: float, render_seconds: float, tmp_path: Path) -> None:
    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    stopped = run_and_interrupt(
        ["render", str(LARGEST), "-o", str(out), *RENDER_OPTIONS],
        env=environment(cache_dir),
        delay=fraction * render_seconds,
    )
    if not stopped.was_running:
        pytest.skip("the render finished before Ctrl-C was pressed")
    if stopped.code == 0 and "Next: open" in stopped.out:
        # The work was done and said so; the Ctrl-C landed while Python was shutting down,
        # where the CLI ignores it on purpose. The files must still all open.
        assert "Traceback" not in stopped.err
        for path in out.rglob("*.docx"):
            assert docx.Document(str(path)).paragraphs, path
        pytest.skip("the render had finished its work before Ctrl-C arrived")
    assert_left_clean(stopped, out)


def test_render_stopped_while_writing(tmp_path: Path) -> None:
    """Ctrl-C the moment the first document is being written (its temporary file is on disk):
    the documents are all written or none, and none is half-written."""
    out = tmp_path / "out"
    stopped = run_and_interrupt(
        ["render", str(LARGEST), "-o", str(out), *RENDER_OPTIONS],
        env=environment(tmp_path / "cache"),
        when=lambda: any(out.glob(".*.part")),
    )
    assert stopped.was_running
    assert_left_clean(stopped, out)
    assert "Stopped." in stopped.err
    assert len(list(out.glob("*.docx"))) in (0, 5)


def test_write_stopped_just_after_the_temporary_file_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def made_then_interrupted(*args: Any, **kwargs: Any) -> int:
        os.close(real_open(*args, **kwargs))
        raise KeyboardInterrupt  # as if the signal arrived as the file was made

    monkeypatch.setattr(output.os, "open", made_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "mou.docx", b"new draft")
    assert not list(tmp_path.iterdir())


def all_written(out: Path) -> Callable[[], bool]:
    """True once the six files of a render with --kit --clean are all in ``out``."""
    return lambda: out.exists() and len(list(out.iterdir())) >= 6


def test_render_stopped_as_it_finishes(tmp_path: Path) -> None:
    for attempt in range(6):
        out = tmp_path / f"out{attempt}"
        stopped = run_and_interrupt(
            ["render", str(LARGEST), "-o", str(out), *RENDER_OPTIONS],
            env=environment(tmp_path / "cache"),
            when=all_written(out),
        )
        assert "Traceback" not in stopped.err, stopped.err
        assert stopped.code in (0, *INTERRUPTED), stopped.err


def test_write_stopped_midway_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C between writing a file and renaming it into place (deterministic, in process):
    no half file, no temporary file, and the older file at that name is left as it was."""
    target = tmp_path / "mou.docx"
    target.write_bytes(b"last week's draft")

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new draft")
    assert target.read_bytes() == b"last week's draft"
    assert [p.name for p in tmp_path.iterdir()] == ["mou.docx"]


def test_cache_write_stopped_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TUTORBARGAIN_CACHE_DIR", str(tmp_path))

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cache.store("templates", "key", b"compiled")
    assert not list(tmp_path.rglob("*.part"))


def python_start_seconds() -> float:
    """How long Python itself takes to start here now, before any tutorbargain code runs (the
    console script's own `import re, sys`): a Ctrl-C inside that is Python's, not ours."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import re, sys"], check=True)
        times.append(time.perf_counter() - start)
    return sorted(times)[1]


@pytest.mark.parametrize("delay", [0.02, 0.05])
def test_render_stopped_during_start_up(delay: float, tmp_path: Path) -> None:
    """Ctrl-C while tutorbargain imports its command line (Typer and friends)."""
    stopped = run_and_interrupt(
        ["render", str(LARGEST), "-o", str(tmp_path / "out")],
        env=environment(tmp_path / "cache"),
        delay=python_start_seconds() + delay,
    )
    assert_left_clean(stopped, tmp_path)


# ---------------------------------------------------------------- batch


ROWS = 300


def write_locals(path: Path, count: int) -> Path:
    """``count`` valid locals, cycling through the example spreadsheet's variety."""
    with (EXAMPLES / "locals.csv").open(encoding="utf-8-sig", newline="") as handle:
        base = list(csv.DictReader(handle))
    columns = [f.name for f in FIELDS]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for index in range(count):
            row = base[index % len(base)]
            row = {**row, "local.name": f"{row['local.name']} Unit {index + 1}"}
            writer.writerow([row.get(c, "") for c in columns])
    return path


@pytest.fixture(scope="module")
def locals_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_locals(tmp_path_factory.mktemp("locals") / "locals.csv", ROWS)


@pytest.mark.parametrize(
    ("jobs", "delay"),
    [(1, 0.4), (1, 1.5), (1, 3.0), (2, 1.5), (2, 3.5)],
    ids=["jobs1-starting", "jobs1-early", "jobs1-later", "jobs2-early", "jobs2-later"],
)
def test_batch_stopped_with_ctrl_c(
    jobs: int, delay: float, locals_csv: Path, tmp_path: Path
) -> None:
    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    stopped = run_and_interrupt(
        ["batch", str(locals_csv), "-o", str(out), "--jobs", str(jobs)],
        env=environment(cache_dir),
        delay=delay,
    )
    assert stopped.was_running, "a batch of 300 locals cannot finish this quickly"
    assert_left_clean(stopped, out)
    report = out / "report.csv"
    if report.exists():
        with report.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == ROWS
        done = [r for r in rows if r["status"] == "rendered"]
        assert {r["status"] for r in rows} <= {"rendered", "not done"}
        for row in done:
            assert all((out / p).exists() for p in row["outputs"].split("; "))
        folders = {p.parent for p in out.rglob("*.docx")}
        assert len(folders) == len(done), "a local is written whole or not at all"
    shutil.rmtree(out, ignore_errors=True)


def test_a_ctrl_c_wrapped_by_python_during_import_still_exits_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Python turns a Ctrl-C inside ``__set_name__`` into a RuntimeError whose cause is the
    KeyboardInterrupt; the entry point must still say "Stopped." and exit 130."""
    from tutorbargain import _entry, cli

    def interrupted() -> None:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise RuntimeError("Error calling __set_name__") from exc

    monkeypatch.setattr(cli, "main", interrupted)
    with pytest.raises(SystemExit) as exit_info:
        _entry.main()
    assert exit_info.value.code == 130
    assert capsys.readouterr().err == "Stopped.\n"
