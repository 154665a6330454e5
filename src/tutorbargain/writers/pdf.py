"""Convert .docx files to PDF with LibreOffice: one converter per job, side by side.

Each converter is one ``soffice --headless --convert-to pdf`` process given a long list of
files, so LibreOffice starts once for hundreds of documents, not once a file. Every converter
has its own profile in a private temporary folder (mode 0700, removed at the end), so two
converters, or two runs, never share LibreOffice's state.

A converter that dies, or makes no PDF for `FILE_TIMEOUT_SECONDS` (it hangs), is stopped and
started again on the files it had not done; the file it was on is tried once more and, if it
fails again, is named in `PdfRun.failed` while the others go on. LibreOffice writes each PDF
in its own folder and is taken only once complete (`_complete`); it is then written beside its
.docx atomically (`output.write_atomic`), never half a file.

Converters run in their own process group, so Ctrl-C in the terminal does not reach them; the
caller's ``stop()`` (or a KeyboardInterrupt) stops them all at once, and no LibreOffice process
is left behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tutorbargain.errors import OutputError, Problem, ToolMissingError
from tutorbargain.writers.output import write_atomic

CANDIDATES = ("soffice", "libreoffice")
PDF_FILTER = 'pdf:writer_pdf_Export:{"ExportNotesInMargin":{"type":"boolean","value":"true"}}'
"""The team's rationales (Word comments) printed in the page margin; a clean copy has none.
LibreOffice 7.5 and later honour the option; 7.4 ignores it and keeps comments as PDF notes."""
FILE_TIMEOUT_SECONDS = 120.0
"""A converter that makes no new PDF for this long hangs (a file takes about 0.3 s, a start a
few seconds): it is stopped and started again."""
FILES_PER_START = 500
"""Files handed to one LibreOffice start: a start costs about two seconds, 500 files about two
and a half minutes, and the command line stays far below the system's limit."""
ATTEMPTS = 2
"""A file the converter died or hung on is tried this many times in all."""
STARTS_WITHOUT_PDF = 3
"""A converter that stops this many times without ever making a PDF is broken (LibreOffice
itself will not run): its remaining files fail at once instead of two starts each."""
POLL_SECONDS = 0.05


def find_soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_soffice() -> str:
    program = find_soffice()
    if program is None:
        raise ToolMissingError(
            "PDF output needs LibreOffice, which is not installed. Install it (on Debian or "
            "Ubuntu: sudo apt-get install libreoffice-writer-nogui) or leave out --pdf; the "
            ".docx files open in Word or LibreOffice as they are."
        )
    return program


@dataclass
class PdfRun:
    """What a conversion did: the PDFs made, the files that failed and why, and how often
    LibreOffice was started (``restarts`` of them after a converter died or hung)."""

    made: dict[Path, Path] = field(default_factory=dict)
    """Each converted .docx and its PDF beside it."""
    failed: dict[Path, str] = field(default_factory=dict)
    """Each .docx whose PDF could not be made, and the reason in words."""
    starts: int = 0
    restarts: int = 0
    stopped: bool = False
    """``stop()`` turned true (Ctrl-C): the files neither made nor failed were not tried."""


def convert_to_pdf(files: Sequence[Path], *, force: bool) -> list[Path]:
    """Write ``X.pdf`` beside each ``X.docx`` with one LibreOffice start; the PDFs in order.

    Raises `OutputError` when a PDF exists and ``force`` is not given (before converting), or
    when any file could not be converted (the PDFs that could be made are written).
    """
    if not files:
        return []
    targets = [f.with_suffix(".pdf") for f in files]
    if not force:
        existing = [t for t in targets if t.exists()]
        if existing:
            raise OutputError(
                "",
                [
                    Problem(
                        ", ".join(map(str, existing)), "already exists; use --force to replace it"
                    )
                ],
            )
    run = convert_files(files, jobs=1)
    if run.failed:
        raise OutputError("", [Problem(str(source), why) for source, why in run.failed.items()])
    return [run.made[f] for f in files]


def convert_files(
    files: Sequence[Path],
    *,
    jobs: int = 1,
    stop: Callable[[], bool] = lambda: False,
    program: str | None = None,
) -> PdfRun:
    """Convert every file to a PDF beside it (replacing one that exists) with ``jobs``
    LibreOffice processes side by side. Never raises for a file that fails: see `PdfRun`.

    The files are shared out by size (`shares`). When ``stop()`` turns true, or on
    KeyboardInterrupt, every converter is stopped at once; the PDFs already made are kept.
    """
    run = PdfRun()
    if not files:
        return run
    soffice = program or require_soffice()
    count = max(1, min(jobs, len(files)))
    halt = threading.Event()

    def stopping() -> bool:
        return halt.is_set() or stop()

    with tempfile.TemporaryDirectory(
        prefix="tutorbargain-pdf-", ignore_cleanup_errors=True
    ) as work:
        os.chmod(work, 0o700)  # (mkdtemp makes it so; said here because the profiles are in it)
        lock = threading.Lock()
        converters = [
            _Converter(soffice, Path(work), n, share, run, lock, stopping)
            for n, share in enumerate(shares(files, count))
        ]
        threads = [
            threading.Thread(target=c.run, name=f"tutorbargain-pdf-{c.number}", daemon=True)
            for c in converters
        ]
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                while thread.is_alive():
                    thread.join(0.2)  # a short wait, so Ctrl-C is seen at once
        except BaseException:
            halt.set()
            for thread in threads:
                thread.join()
            raise
    run.stopped = stopping() and any(f not in run.made and f not in run.failed for f in files)
    return run


def shares(files: Sequence[Path], count: int) -> list[list[Path]]:
    """``files`` in ``count`` shares of about the same work, each in the given order.

    LibreOffice takes its files as one list at start, so the work is split beforehand: each
    file, largest first, goes to the share with the fewest bytes so far (a file's size stands
    for its pages). Dealing them out in turn gave one converter every MOU and the other every
    question list of a batch, which lists each local's two files side by side.
    """

    def size(path: Path) -> int:
        try:
            return path.stat().st_size
        except OSError:
            return 0

    sizes = {f: size(f) for f in files}
    loads = [0] * count
    owner: dict[Path, int] = {}
    for f in sorted(files, key=lambda f: -sizes[f]):
        lightest = loads.index(min(loads))
        owner[f] = lightest
        loads[lightest] += sizes[f]
    return [[f for f in files if owner[f] == n] for n in range(count)]


@dataclass
class _Ended:
    done: set[Path]
    clean: bool
    """LibreOffice exited by itself with status 0 (it went through every file)."""
    why: str


class _Converter:
    """One LibreOffice at a time for one share of the files, started again when it dies."""

    def __init__(
        self,
        program: str,
        work: Path,
        number: int,
        files: list[Path],
        run: PdfRun,
        lock: threading.Lock,
        stop: Callable[[], bool],
    ) -> None:
        self.program = program
        self.work = work
        self.number = number
        self.queue = deque(files)
        self.run_result = run
        self.lock = lock
        self.stop = stop
        self.tries: dict[Path, int] = {}
        self.generation = 0
        self.profile = work / f"profile-{number}"
        self.made_any = False

    def run(self) -> None:
        fruitless = 0
        try:
            while self.queue and not self.stop():
                chunk = self._take()
                ended = self._convert(chunk)
                if self.stop():
                    return
                self.made_any = self.made_any or bool(ended.done)
                fruitless = 0 if ended.done else fruitless + 1
                if not ended.clean:  # a killed LibreOffice can leave its profile half-written
                    self.profile = self.work / f"profile-{self.number}-{self.generation}"
                self._settle(chunk, ended)
                if not self.made_any and fruitless >= STARTS_WITHOUT_PDF and self.queue:
                    why = (
                        f"LibreOffice stopped {fruitless} times in a row without making a PDF "
                        f"({ended.why})"
                    )
                    while self.queue:
                        self._fail(self.queue.popleft(), why)
        except Exception as exc:  # a bug or a full disk: the rest of this share fails, said so
            why = f"the PDF could not be made ({type(exc).__name__}: {exc})"
            while self.queue:
                self._fail(self.queue.popleft(), why)

    def _take(self) -> list[Path]:
        """The next files for one start; no two with the same name (LibreOffice names each
        PDF after its file, in one folder)."""
        chunk: list[Path] = []
        names: set[str] = set()
        while self.queue and len(chunk) < FILES_PER_START and self.queue[0].stem not in names:
            names.add(self.queue[0].stem)
            chunk.append(self.queue.popleft())
        return chunk

    def _settle(self, chunk: list[Path], ended: _Ended) -> None:
        """Charge the files of a finished start; put back those to try again."""
        missing = [f for f in chunk if f not in ended.done]
        if not missing:
            return
        if ended.clean:  # LibreOffice went through them all and could not convert these
            for source in missing:
                self._fail(source, f"LibreOffice could not convert it ({ended.why})")
            return
        with self.lock:
            self.run_result.restarts += 1
        last = max((chunk.index(f) for f in ended.done), default=-1)
        passed = [f for f in missing if chunk.index(f) < last]
        ahead = [f for f in missing if chunk.index(f) > last]
        for source in passed:  # LibreOffice went past these before it stopped
            self._fail(source, f"LibreOffice could not convert it ({ended.why})")
        if not ahead:  # it stopped after its last file
            return
        culprit, rest = ahead[0], ahead[1:]
        self.tries[culprit] = self.tries.get(culprit, 0) + 1
        if self.tries[culprit] >= ATTEMPTS:
            self._fail(culprit, f"LibreOffice {ended.why} on it {ATTEMPTS} times")
            self.queue.extendleft(reversed(rest))
        else:
            self.queue.extendleft(reversed([culprit, *rest]))

    def _fail(self, source: Path, why: str) -> None:
        with self.lock:
            self.run_result.failed[source] = why

    def _made(self, source: Path, pdf: Path) -> None:
        target = source.with_suffix(".pdf")
        try:
            write_atomic(target, pdf.read_bytes())
        except OutputError as exc:
            self._fail(source, str(exc.problems[0].message if exc.problems else exc))
            return
        finally:
            pdf.unlink()
        with self.lock:
            self.run_result.made[source] = target

    def _convert(self, chunk: list[Path]) -> _Ended:
        """One LibreOffice start on ``chunk``: each PDF moved into place as it appears."""
        self.generation += 1
        name = f"{self.number}-{self.generation}"
        out_dir = self.work / f"out-{name}"
        out_dir.mkdir()
        command = [
            self.program,
            f"-env:UserInstallation={self.profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            PDF_FILTER,
            "--outdir",
            str(out_dir),
            *(str(f) for f in chunk),
        ]
        expected = {f"{f.stem}.pdf": f for f in chunk}
        done: set[Path] = set()
        errors_path = self.work / f"errors-{name}.txt"
        with errors_path.open("wb") as errors:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                # Its home and temporary files in the private folder too, so a killed
                # LibreOffice leaves nothing behind once that folder is removed.
                env={**os.environ, "HOME": str(self.work), "TMPDIR": str(self.work)},
                start_new_session=os.name == "posix",  # Ctrl-C is ours to pass on, not its
            )
        with self.lock:
            self.run_result.starts += 1
        last_progress = time.monotonic()
        hung = stopped = False
        try:
            while True:
                finished = _exited(process)
                for entry in os.scandir(out_dir):  # after the exit check: nothing is missed
                    source = expected.get(entry.name)
                    if (
                        source is not None
                        and source not in done
                        and _complete(Path(entry.path), exited=finished)
                    ):
                        self._made(source, Path(entry.path))
                        done.add(source)
                        last_progress = time.monotonic()
                if finished:
                    break
                if self.stop():
                    stopped = True
                    break
                if time.monotonic() - last_progress > FILE_TIMEOUT_SECONDS:
                    hung = True
                    break
                time.sleep(POLL_SECONDS)
        finally:
            _end(process)
        if stopped:
            return _Ended(done, False, "was stopped")
        if hung:
            return _Ended(done, False, f"made no PDF for {FILE_TIMEOUT_SECONDS:.0f} seconds")
        code = process.returncode
        if code == 0:
            return _Ended(done, True, _last_line(errors_path) or "LibreOffice gave no reason")
        how = f"stopped by signal {-code}" if code < 0 else f"stopped with exit status {code}"
        detail = _last_line(errors_path)
        return _Ended(done, False, f"{how}{f': {detail}' if detail else ''}")


def _complete(path: Path, *, exited: bool) -> bool:
    """Whether LibreOffice has finished writing the PDF at ``path``.

    It writes a temporary file, then copies it to the PDF's name while it holds a lock file
    (``.~lock.NAME#``) beside it; so a PDF is whole once its lock is gone (or LibreOffice has
    exited) and it ends as every PDF ends, with ``%%EOF``.
    """
    if not exited and path.with_name(f".~lock.{path.name}#").exists():
        return False
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - 64))
            tail = handle.read()
    except OSError:
        return False
    return tail.rstrip().endswith(b"%%EOF")


def _exited(process: subprocess.Popen[bytes]) -> bool:
    """Whether the converter has exited, without reaping it on POSIX: while it is a zombie its
    process group id cannot be reused, so `_end` can signal the group safely."""
    if os.name != "posix":
        return process.poll() is not None
    try:
        info = os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return True
    return info is not None


def _end(process: subprocess.Popen[bytes]) -> None:
    """Kill the converter and everything it started (LibreOffice's own processes), reap it,
    and wait for the rest of its process group to be gone."""
    if os.name != "posix":
        if process.poll() is None:
            process.kill()
        process.wait()
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.01)


def _last_line(path: Path) -> str:
    """LibreOffice's last words on stderr, leaving out its usual noise about Java."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    useful = [line.strip() for line in lines if line.strip() and "javaldx" not in line]
    return useful[-1] if useful else ""
