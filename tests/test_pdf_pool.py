"""`batch --pdf`: one LibreOffice per job, kept for the run, restarted when it dies or hangs.

What a staffer checks: every row's PDFs are there and open with the local's name in them; a
converter that dies or hangs costs a restart, not the batch; a document LibreOffice can never
convert is named in report.csv and the exit code, while every other PDF is made; and when the
run ends (or is stopped with Ctrl-C or SIGTERM) no LibreOffice process is left running.

The failures are played by a small fake ``soffice`` put first on PATH: it writes a stand-in
PDF for each file as LibreOffice does (a temporary name, then a rename), and dies or hangs on
the file it is told to. Nothing here measures time.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, ROOT, run_cli
from tutorbargain import batch
from tutorbargain.answers.fields import FIELDS
from tutorbargain.batch import run as batch_run
from tutorbargain.writers import pdf
from tutorbargain.writers.output import slugify

COLUMNS = [f.name for f in FIELDS]
HAVE_OFFICE = bool(shutil.which("soffice") and shutil.which("pdftotext"))
ON_LINUX = sys.platform.startswith("linux")

pytestmark = pytest.mark.skipif(not ON_LINUX, reason="reads /proc to find leftover processes")


def _need_office() -> None:
    """As tests/test_word.py: in CI (CI=true) LibreOffice must be there; elsewhere, skip."""
    if HAVE_OFFICE:
        return
    if os.environ.get("CI"):
        pytest.fail("LibreOffice and poppler must be installed in CI (.ci/run installs them)")
    pytest.skip("LibreOffice or poppler is not installed")


def example_rows(count: int) -> list[dict[str, str]]:
    with (EXAMPLES / "locals.csv").open(encoding="utf-8-sig", newline="") as handle:
        base = list(csv.DictReader(handle))
    rows = []
    for index in range(count):
        row = dict(base[index % len(base)])
        if index >= len(base):
            row["local.name"] = f"{row['local.name']} Unit {index + 1}"
        rows.append(row)
    return rows


def write_csv(path: Path, rows: Sequence[Mapping[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([row.get(name, "") for name in COLUMNS])
    return path


def read_report(out: Path) -> dict[str, dict[str, str]]:
    with (out / "report.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {r["local"]: r for r in csv.DictReader(handle)}


def folder_of(out: Path, name: str) -> Path:
    return out / slugify(name)


def pdf_text(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(done.stdout.split())


def processes_mentioning(text: str) -> list[str]:
    """Command lines of running processes that mention ``text`` (a test's own folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            status = (entry / "status").read_text()
        except OSError:
            continue
        if text in command and "State:\tZ" not in status:
            found.append(command)
    return found


FAKE = """\
#!{python}
# A stand-in for soffice --convert-to pdf: logs each start, then converts file by file.
import os, signal, sys, time
from pathlib import Path

MODE, TARGET, LOG = {mode!r}, {target!r}, Path({log!r})
args = sys.argv[1:]
out = Path(args[args.index("--outdir") + 1])
files = [Path(a) for a in args[args.index("--outdir") + 2 :]]
with LOG.open("a") as log:
    log.write(" ".join(f.name for f in files) + "\\n")
once = LOG.with_name("once")
for source in files:
    if source.name == TARGET:
        if MODE == "die-always" or (MODE == "die-once" and not once.exists()):
            once.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        if MODE == "hang-once" and not once.exists():
            once.touch()
            time.sleep(600)
    if MODE == "slow":
        time.sleep(0.3)
    temporary = out / "lu0000.tmp"
    temporary.write_bytes(b"%PDF-1.4\\n% fake PDF of " + source.name.encode() + b"\\n%%EOF\\n")
    temporary.rename(out / (source.stem + ".pdf"))
"""


def fake_soffice(folder: Path, mode: str, target: str = "") -> Path:
    """A fake ``soffice`` in ``folder/bin``; its starts are logged in ``folder/calls.log``."""
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    log = folder / "calls.log"
    script.write_text(FAKE.format(python=sys.executable, mode=mode, target=target, log=str(log)))
    script.chmod(0o755)
    return log


def starts(log: Path) -> list[list[str]]:
    return [line.split() for line in log.read_text().splitlines()]


def fake_env(tmp_path: Path) -> dict[str, str]:
    """The test's environment with the fake first on PATH and temporaries in the test folder."""
    temp = tmp_path / "tmp"
    temp.mkdir(exist_ok=True)
    return {
        **os.environ,
        "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "TMPDIR": str(temp),
    }


def assert_nothing_left(tmp_path: Path) -> None:
    """No converter still runs, and the private folder (profiles, scratch PDFs) is gone."""
    assert processes_mentioning(str(tmp_path)) == []
    assert list((tmp_path / "tmp").iterdir()) == []
    assert not list(tmp_path.rglob("*.part"))


# ---------------------------------------------------------------- real LibreOffice


def test_every_row_gets_pdfs_that_open_at_jobs_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _need_office()
    rows = example_rows(5)
    out = tmp_path / "out"
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    monkeypatch.setattr(batch_run, "usable_cores", lambda: 2)  # two converters even on one core
    runs: list[pdf.PdfRun] = []
    real = pdf.convert_files

    def spy(*args: Any, **kwargs: Any) -> pdf.PdfRun:
        runs.append(real(*args, **kwargs))
        return runs[-1]

    monkeypatch.setattr(pdf, "convert_files", spy)

    result = batch.run_batch(write_csv(tmp_path / "l.csv", rows), out, jobs=2, pdf=True)

    assert result.ok, [r.message for r in result.failed]
    (run,) = runs
    assert (run.starts, run.restarts) == (2, 0)  # one LibreOffice per job, for all ten files
    report = read_report(out)
    for row in rows:
        name = row["local.name"]
        pdfs = sorted(folder_of(out, name).glob("*.pdf"))
        assert [p.name.rsplit("-", 1)[-1] for p in pdfs] == ["questions.pdf", "mou.pdf"]
        for path in pdfs:
            assert name in pdf_text(path), path
        assert report[name]["outputs"].count(".pdf") == 2
    assert_nothing_left(tmp_path)


def _stop_during_pdfs(tmp_path: Path, how: signal.Signals) -> tuple[int, str, Path]:
    """Start a batch with --pdf, send ``how`` once its first PDF exists, wait for it to end."""
    env = {**fake_env(tmp_path), "PATH": os.environ.get("PATH", ""), "NO_COLOR": "1"}
    out = tmp_path / "out"
    source = write_csv(tmp_path / "l.csv", example_rows(24))
    process = subprocess.Popen(
        [sys.executable, "-m", "tutorbargain", "batch", str(source), "-o", str(out), "--pdf"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C would reach
    )
    deadline = time.monotonic() + 240
    while not list(out.glob("*/*.pdf")):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the batch never made a PDF"
        time.sleep(0.02)
    if how is signal.SIGINT:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: the whole foreground group
    else:
        os.kill(process.pid, how)  # a service manager's stop: the main process only
    _, err = process.communicate(timeout=120)
    return process.returncode, err, out


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_stopping_while_making_pdfs_leaves_no_libreoffice(
    tmp_path: Path, how: signal.Signals
) -> None:
    _need_office()
    code, err, out = _stop_during_pdfs(tmp_path, how)

    assert code == 128 + how, err
    assert "Stopped." in err and "Traceback" not in err
    report = read_report(out)
    assert {r["status"] for r in report.values()} == {"rendered"}  # every .docx was written
    made = [r for r in report.values() if ".pdf" in r["outputs"]]
    assert made and len(made) < len(report)  # stopped midway: some rows have their PDFs
    for row in made:
        for name in row["outputs"].split("; "):
            if name.endswith(".pdf"):
                assert row["local"] in pdf_text(out / name)  # a PDF listed is whole
    assert_nothing_left(tmp_path)


# ---------------------------------------------------------------- a converter that fails


def test_a_converter_killed_on_its_first_file_is_restarted_and_the_file_retried(
    tmp_path: Path,
) -> None:
    rows = example_rows(3)
    first = f"{slugify(rows[0]['local.name'])}-mou.docx"
    log = fake_soffice(tmp_path, "die-once", first)
    out = tmp_path / "out"

    result = run_cli(
        ["batch", str(write_csv(tmp_path / "l.csv", rows)), "-o", str(out), "--pdf"],
        env=fake_env(tmp_path),
    )

    assert result.code == 0, result.err
    begun = starts(log)
    assert len(begun) == 2  # started again once, after it died
    assert begun[0][0] == begun[1][0] == first  # on the file it died on
    assert (folder_of(out, rows[0]["local.name"]) / first).with_suffix(
        ".pdf"
    ).read_bytes() == b"%PDF-1.4\n% fake PDF of " + first.encode() + b"\n%%EOF\n"
    for row in rows:
        assert len(list(folder_of(out, row["local.name"]).glob("*.pdf"))) == 2
    assert {r["status"] for r in read_report(out).values()} == {"rendered"}
    assert_nothing_left(tmp_path)


def test_a_file_that_always_kills_the_converter_is_named_and_the_rest_are_made(
    tmp_path: Path,
) -> None:
    rows = example_rows(3)
    bad_local = rows[1]["local.name"]
    bad = f"{slugify(bad_local)}-mou.docx"
    log = fake_soffice(tmp_path, "die-always", bad)
    out = tmp_path / "out"

    result = run_cli(
        ["batch", str(write_csv(tmp_path / "l.csv", rows)), "-o", str(out), "--pdf"],
        env=fake_env(tmp_path),
    )

    assert result.code == 1, result.err
    assert "1 of 3 locals have their Word files but not every PDF (row 3)" in result.err
    assert sum(line.count(bad) for line in log.read_text().splitlines()) == 2  # tried twice
    report = read_report(out)
    assert report[bad_local]["status"] == "failed"
    message = report[bad_local]["message"]
    assert f"{bad[: -len('.docx')]}.pdf was not made" in message
    assert "2 times" in message
    bad_folder = folder_of(out, bad_local)
    assert sorted(p.suffix for p in bad_folder.iterdir()) == [".docx", ".docx", ".md", ".pdf"]
    assert not (bad_folder / bad).with_suffix(".pdf").exists()
    for row in (rows[0], rows[2]):
        assert report[row["local.name"]]["status"] == "rendered"
        assert len(list(folder_of(out, row["local.name"]).glob("*.pdf"))) == 2
    assert_nothing_left(tmp_path)


def test_a_hanging_converter_is_stopped_and_started_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = example_rows(2)
    second = f"{slugify(rows[0]['local.name'])}-impact-questions.docx"
    log = fake_soffice(tmp_path, "hang-once", second)
    for name, value in fake_env(tmp_path).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    monkeypatch.setattr(pdf, "FILE_TIMEOUT_SECONDS", 1.0)  # (not timed: how long "hangs" is)
    out = tmp_path / "out"

    result = batch.run_batch(write_csv(tmp_path / "l.csv", rows), out, pdf=True)

    assert result.ok, [r.message for r in result.failed]
    begun = starts(log)
    assert len(begun) == 2 and begun[1][0] == second
    assert all(len(list(folder_of(out, r["local.name"]).glob("*.pdf"))) == 2 for r in rows)
    assert_nothing_left(tmp_path)


def test_a_converter_that_never_starts_fails_its_files_without_a_start_each(
    tmp_path: Path,
) -> None:
    """A broken LibreOffice (it dies at once, every time) is given up after a few starts."""
    rows = example_rows(4)
    log = fake_soffice(tmp_path, "die-always", "")
    script = tmp_path / "bin" / "soffice"
    script.write_text(
        script.read_text().replace("for source in files:", "os._exit(77)\nfor source in files:")
    )
    out = tmp_path / "out"

    result = run_cli(
        ["batch", str(write_csv(tmp_path / "l.csv", rows)), "-o", str(out), "--pdf"],
        env=fake_env(tmp_path),
    )

    assert result.code == 1
    assert len(starts(log)) == pdf.STARTS_WITHOUT_PDF
    report = read_report(out)
    assert {r["status"] for r in report.values()} == {"failed"}
    assert all("exit status 77" in r["message"] for r in report.values())
    assert all(len(list(folder_of(out, r["local.name"]).glob("*.docx"))) == 2 for r in rows)
    assert_nothing_left(tmp_path)


def test_a_pdf_left_from_an_earlier_run_goes_when_its_new_conversion_fails(
    tmp_path: Path,
) -> None:
    """With --force, an old PDF beside a new MOU it no longer matches would mislead: it goes."""
    rows = example_rows(2)
    bad_local = rows[0]["local.name"]
    bad = f"{slugify(bad_local)}-mou.docx"
    sheet = write_csv(tmp_path / "l.csv", rows)
    out = tmp_path / "out"
    assert run_cli(["batch", str(sheet), "-o", str(out)]).code == 0
    old_pdf = folder_of(out, bad_local) / bad.replace(".docx", ".pdf")
    old_pdf.write_bytes(b"%PDF-1.4\n% last week's MOU\n%%EOF\n")
    fake_soffice(tmp_path, "die-always", bad)

    result = run_cli(
        ["batch", str(sheet), "-o", str(out), "--pdf", "--force"], env=fake_env(tmp_path)
    )

    assert result.code == 1, result.err
    assert not old_pdf.exists()
    assert read_report(out)[bad_local]["status"] == "failed"
    assert_nothing_left(tmp_path)


def test_two_converters_share_a_batch_of_long_and_short_documents_evenly(tmp_path: Path) -> None:
    """A batch lists each local's question list beside its MOU: the converters must each get
    some of both and about the same bytes of work, not one all the MOUs."""
    files = []
    for n in range(40):
        folder = tmp_path / f"local-{n:02}"
        folder.mkdir()
        for name, size in (("impact-questions", 20_000 + 37 * n), ("mou", 60_000 + 53 * n)):
            path = folder / f"local-{n:02}-{name}.docx"
            path.write_bytes(b"x" * size)
            files.append(path)
    one, two = pdf.shares(files, 2)
    assert sorted(one + two) == sorted(files)
    assert one == [f for f in files if f in one]  # each share keeps the batch's order
    for share in (one, two):
        assert sum("mou" in f.name for f in share) >= 15
    loads = [sum(f.stat().st_size for f in share) for share in (one, two)]
    assert abs(loads[0] - loads[1]) <= 62_000  # within one MOU of each other
