"""A whole batch in one call: read, check, render, make PDFs, report (`run_batch`).

It holds the output folder's lock while it writes, tells a `Listener` what happens, and on
Ctrl-C or SIGTERM writes the report before raising `BatchInterrupted`.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from tutorbargain.batch.folder import RunLock, check_out_dir, remove_stale_temporaries
from tutorbargain.batch.pdfs import make_pdfs, with_pdfs
from tutorbargain.batch.progress import Listener, Quiet
from tutorbargain.batch.reading import LocalsFile
from tutorbargain.batch.rendering import preview_row, render_rows
from tutorbargain.batch.report import REPORT_NAME, RowResult, Status, write_report
from tutorbargain.batch.results import RowResults
from tutorbargain.batch.stopping import _StopRequest
from tutorbargain.batch.table import Row
from tutorbargain.batch.validation import (
    Checked,
    _labels,
    check_row,
    folder_name,
    refuse_shared_folder,
)
from tutorbargain.errors import InputFileError, Interrupted, Problem, TutorbargainError
from tutorbargain.writers.output import prepare_dir


class BatchFailed(TutorbargainError):
    """Raised (by the CLI, from `BatchResult.raise_for_failures`) when any row was not rendered."""


class BatchInterrupted(Interrupted):
    """Raised when Ctrl-C or SIGTERM stops a batch; the report is written and `result` says
    what was done. ``exit_code`` is the shell's convention: 128 + the signal's number."""

    def __init__(self, message: str, result: BatchResult, *, signum: int = signal.SIGINT) -> None:
        super().__init__(message)
        self.result = result
        self.exit_code = 128 + signum


@dataclass
class BatchResult:
    """Every row's outcome, where the report went, and whether this was a dry run."""

    source: Path
    out_dir: Path
    results: Sequence[RowResult]
    """In row order; read back from disk for a run (`RowResults`), so a big run stays small."""
    report: Path | None
    dry_run: bool = False

    def count(self, *statuses: Status) -> int:
        if isinstance(self.results, RowResults):
            return self.results.count(*statuses)
        return sum(1 for r in self.results if r.status in statuses)

    @property
    def failed(self) -> list[RowResult]:
        return [r for r in self.results if r.status is Status.FAILED]

    @property
    def ok(self) -> bool:
        return not self.count(Status.FAILED, Status.NOT_DONE)

    def summary(self) -> str:
        """One line with the counts, for the end of the output."""
        skipped = self.count(Status.SKIPPED)
        skipped_words = f"{skipped} skipped (blank)"
        if self.dry_run:
            return (
                f"Dry run: would render {self.count(Status.WOULD_RENDER)}, "
                f"{len(self.failed)} would fail, {skipped_words}. Nothing was written."
            )
        not_done = self.count(Status.NOT_DONE)
        line = f"Rendered {self.count(Status.RENDERED)}, failed {len(self.failed)}, {skipped_words}"
        if not_done:
            line += f", not done {not_done}"
        if self.report is not None:
            line += f". Report: {self.report}"
        return line + "."

    def raise_for_failures(self) -> None:
        """Raise `BatchFailed` (exit code 1) when any row was not rendered."""
        failed = self.failed
        if not failed:
            return
        total = len(self.results) - self.count(Status.SKIPPED)
        rows = _labels(failed[0].label.split()[0], [r.number for r in failed])
        if self.dry_run:
            raise BatchFailed(
                f"{len(failed)} of {total} locals would fail ({rows}); nothing was written."
            )
        done = self.count(Status.RENDERED)
        written = f"; the other {done} {'was' if done == 1 else 'were'} written" if done else ""
        no_pdf = [r for r in failed if r.files]  # Word files written, a PDF not made
        if no_pdf and len(no_pdf) == len(failed):
            rows = _labels(no_pdf[0].label.split()[0], [r.number for r in no_pdf])
            raise BatchFailed(
                f"{len(no_pdf)} of {total} locals have their Word files but not every PDF "
                f"({rows}){written}. {self.report or REPORT_NAME} names each PDF and why. "
                "Run again to retry them, with --force to replace the Word files."
            )
        hints = []
        if any(not r.exists for r in failed):
            hints.append("Fix the rows named above and run again.")
        if any(r.exists for r in failed):
            hints.append("Add --force to replace documents written before.")
        raise BatchFailed(
            f"{len(failed)} of {total} locals were not rendered ({rows}){written}. "
            f"{self.report or REPORT_NAME} lists every row. {' '.join(hints)}"
        )


def run_batch(
    source: Path | str,
    out_dir: Path | str,
    *,
    jobs: int = 1,
    force: bool = False,
    dry_run: bool = False,
    pdf: bool = False,
    sheet: str | None = None,
    clause_dirs: Sequence[Path] = (),
    today: dt.date | None = None,
    listener: Listener | None = None,
    against: Path | str | None = None,
) -> BatchResult:
    """Read, validate, render and report a whole batch. The library entry point for a script.

    Raises `InputFileError` (nothing written) when the file itself cannot be used,
    `ToolMissingError` for ``pdf`` without LibreOffice (before rendering anything), and
    `BatchInterrupted` after writing the report when Ctrl-C stops it. Rows that fail do not
    raise: see `BatchResult.failed` and `BatchResult.raise_for_failures`.
    """
    show = listener or Quiet()
    out = Path(out_dir)
    with LocalsFile(source, sheet=sheet) as table:
        first = _read_through(table)
        check_out_dir(out, force=force)
        if against is not None and not Path(against).is_dir():
            raise InputFileError(
                "",
                [
                    Problem(
                        str(against),
                        "is not a folder: give --against the output folder of the earlier "
                        "batch (the one holding a folder per local)",
                    )
                ],
            )
        if pdf:
            from tutorbargain.writers.pdf import require_soffice

            require_soffice()
        skipped = [RowResult(n, f"{table.kind} {n}", "", Status.SKIPPED) for n in first.skipped]
        cores = usable_cores()
        if jobs > cores:
            show.stage(
                f"Using --jobs {cores}: this computer has {cores} CPU "
                f"core{'s' if cores != 1 else ''}, and more workers than cores only add "
                f"waiting ({jobs} were asked for)."
            )
            jobs = cores
        checked = _checked_rows(table, first)
        if dry_run:
            show.started(first.count, dry_run=True)
            previewed = (preview_row(item, out, force=force, pdf=pdf) for item in checked)
            results = RowResults()
            for result in _with_skipped(previewed, skipped):
                show.row_done(result)
                results.append(result)
            return BatchResult(table.source, out, results, None, True)

        prepare_dir(out)
        with _StopRequest() as stop, RunLock(out, show):
            show.started(first.count, dry_run=False)
            remove_stale_temporaries(out)
            results, interrupted = _render_and_report(
                checked,
                skipped,
                out,
                show,
                stop,
                jobs=jobs,
                force=force,
                pdf=pdf,
                clause_dirs=clause_dirs,
                today=today,
                against=Path(against) if against is not None else None,
            )
            report = write_report(results, out)
    batch = BatchResult(table.source, out, results, report)
    if stop.signum is not None or interrupted:
        signum = stop.signum or signal.SIGINT
        done = batch.count(Status.RENDERED)
        what = (
            "Ctrl-C"
            if signum == signal.SIGINT
            else f"the stop signal ({signal.Signals(signum).name})"
        )
        raise BatchInterrupted(
            f"Stopped. {done} local{'s' if done != 1 else ''} rendered before {what}; every "
            f"file written is complete, and {report} says which rows were done.",
            batch,
            signum=signum,
        )
    return batch


@dataclass(frozen=True)
class _FirstReading:
    """What reading the whole file once tells before any row is rendered, kept small."""

    count: int
    """Rows, and blank rows between them: what the progress display counts."""
    skipped: list[int]
    """The blank rows between locals."""
    folders: dict[int, str | None]
    """Each row's folder name, by row number."""
    shared: dict[str, list[int]]
    """Folder names more than one row gives, and those rows."""


def _read_through(table: LocalsFile) -> _FirstReading:
    """Read the file once, keeping only each row's folder name: every file-level problem
    raises now, before anything is written, and rows that would share a folder are known."""
    folders: dict[int, str | None] = {}
    blank: list[int] = []
    for entry in table.entries():
        if isinstance(entry, Row):
            folders[entry.number] = folder_name(entry)
        else:
            blank.append(entry)
    last = max(folders)
    skipped = [n for n in blank if n < last]  # trailing empty rows are not rows at all
    by_folder: dict[str, list[int]] = {}
    for number, folder in folders.items():
        if folder is not None:
            by_folder.setdefault(folder, []).append(number)
    shared = {folder: numbers for folder, numbers in by_folder.items() if len(numbers) > 1}
    return _FirstReading(len(folders) + len(skipped), skipped, folders, shared)


def _checked_rows(table: LocalsFile, first: _FirstReading) -> Iterator[Checked]:
    """Each row read again and checked, one at a time as the batch reaches it."""
    for entry in table.entries():
        if not isinstance(entry, Row):
            continue
        item = check_row(entry)
        if entry.number not in first.folders or first.folders[entry.number] != item.slug:
            problem = Problem(
                entry.label,
                f"changed in {table.source.name} while the batch was running, so it is not "
                "rendered; run the batch again",
            )
            item = replace(item, answers=None, problems=(*item.problems, problem))
        elif item.slug in first.shared:
            others = [n for n in first.shared[item.slug] if n != entry.number]
            item = refuse_shared_folder(item, others)
        yield item


def _with_skipped(results: Iterable[RowResult], skipped: list[RowResult]) -> Iterator[RowResult]:
    """``results`` with the blank rows between them, in row order."""
    pending = deque(sorted(skipped, key=lambda r: r.number))
    for result in results:
        while pending and pending[0].number < result.number:
            yield pending.popleft()
        yield result
    yield from pending


def _render_and_report(
    checked: Iterable[Checked],
    skipped: list[RowResult],
    out: Path,
    show: Listener,
    stop: _StopRequest,
    *,
    jobs: int,
    force: bool,
    pdf: bool,
    clause_dirs: Sequence[Path],
    today: dt.date | None,
    against: Path | None = None,
) -> tuple[RowResults, bool]:
    """Render every row, then make PDFs; the results in row order, and whether it was stopped."""
    results = RowResults()
    rendered = render_rows(
        checked,
        out,
        jobs=jobs,
        force=force,
        pdf=pdf,
        clause_dirs=clause_dirs,
        today=today,
        stop=lambda: stop.requested,
        against=against,
    )
    for result in _with_skipped(rendered, skipped):
        show.row_done(result)
        results.append(result)
    results.sort()
    interrupted = False
    if pdf and not stop.requested:
        documents = sum(
            p.suffix == ".docx" for r in results if r.status is Status.RENDERED for p in r.outputs
        )
        if documents:
            converters = min(jobs, documents)
            show.stage(
                f"Making PDFs of {documents} documents with LibreOffice ({converters} at a time)..."
            )
            try:
                results = make_pdfs(results, jobs=jobs, stop=lambda: stop.requested)
            except KeyboardInterrupt:
                interrupted = True
                results = with_pdfs(results, failed={}, stopped=True)
    return results, interrupted


def usable_cores() -> int:
    """The CPU cores this process may run on (a container's share, where Linux says it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)
