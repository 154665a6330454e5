"""Rendering the checked rows into a folder per local, in row order, one process or many.

Bad rows, rows whose documents exist (without --force) and rows whose folder is a symbolic
link are not rendered; the others become tasks for `worker`, run here or in a pool of
worker processes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import multiprocessing
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from tutorbargain.batch.report import RowResult, Status, files_of
from tutorbargain.batch.stopping import _sigint_ignored
from tutorbargain.batch.table import Locals, Row
from tutorbargain.batch.validation import Checked
from tutorbargain.batch.worker import (
    _init_worker,
    _Outcome,
    _render_task,
    _Task,
    _use_library,
    long_lived,
)
from tutorbargain.errors import OutputError
from tutorbargain.writers.output import refuse_overwrite


def row_outputs(folder: Path, slug: str, *, pdf: bool = False) -> list[Path]:
    """The files a row writes, in the order they are written (PDFs last)."""
    from tutorbargain.render import output_names

    paths = [folder / name for name in output_names(slug).values()]
    if pdf:
        paths += [p.with_suffix(".pdf") for p in paths if p.suffix == ".docx"]
    return paths


def _failed(item: Checked) -> RowResult:
    row = item.row
    return RowResult(
        row.number, row.label, row.local, Status.FAILED, problems=tuple(map(str, item.problems))
    )


def _existing_outputs(item: Checked, out_dir: Path, *, force: bool, pdf: bool) -> RowResult | None:
    """A failed result when the row's files exist and ``force`` was not given."""
    assert item.slug is not None
    folder = out_dir / item.slug
    try:
        refuse_overwrite(row_outputs(folder, item.slug, pdf=pdf), force=force)
    except OutputError:
        row = item.row
        existing = [p for p in row_outputs(folder, item.slug, pdf=pdf) if p.exists()]
        more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
        return RowResult(
            row.number,
            row.label,
            row.local,
            Status.FAILED,
            problems=(
                f"{row.label}: {existing[0] if existing else folder}{more} already exists; "
                "use --force to replace this local's documents, or choose another folder "
                "with -o",
            ),
            exists=True,
        )
    return None


def _refused(item: Checked, out_dir: Path, *, force: bool, pdf: bool) -> RowResult | None:
    """Why a row will not be rendered (its problems, or outputs already there), or None."""
    if not item.ok:
        return _failed(item)
    assert item.slug is not None
    folder = out_dir / item.slug
    if folder.is_symlink():  # it could point anywhere: never write outside -o through it
        row = item.row
        return RowResult(
            row.number,
            row.label,
            row.local,
            Status.FAILED,
            problems=(
                f"{row.label}: {folder} is a symbolic link, so this local's documents could "
                "land outside the output folder; remove the link (or choose another folder "
                "with -o) and run again",
            ),
        )
    return _existing_outputs(item, out_dir, force=force, pdf=pdf)


def preview_rows(
    checked: Iterable[Checked], out_dir: Path, *, force: bool = False, pdf: bool = False
) -> list[RowResult]:
    """What `render_rows` would do, writing nothing: the dry run."""
    return [preview_row(item, out_dir, force=force, pdf=pdf) for item in checked]


def preview_row(
    item: Checked, out_dir: Path, *, force: bool = False, pdf: bool = False
) -> RowResult:
    """What `render_rows` would do with one row, writing nothing."""
    refused = _refused(item, out_dir, force=force, pdf=pdf)
    if refused is not None:
        return refused
    assert item.slug is not None
    row = item.row
    return RowResult(
        row.number,
        row.label,
        row.local,
        Status.WOULD_RENDER,
        files=files_of(row_outputs(out_dir / item.slug, item.slug, pdf=pdf)),
    )


_AHEAD = 2
"""Rows handed to each worker ahead of the one it renders, so none waits for the next row
while the main process reads and checks it; more would only hold more rows' answers."""


def render_rows(
    checked: Iterable[Checked],
    out_dir: Path,
    *,
    jobs: int = 1,
    force: bool = False,
    pdf: bool = False,
    clause_dirs: Sequence[Path] = (),
    today: dt.date | None = None,
    stop: Callable[[], bool] = lambda: False,
    against: Path | None = None,
) -> Iterator[RowResult]:
    """Render every good row into ``out_dir/<slug>/``, yielding results in row order.

    Bad rows yield their problems and are not rendered. ``jobs`` > 1 renders in that many
    worker processes, each loading the clause library once. When ``stop()`` turns true (Ctrl-C)
    no new row starts; rows already started finish, and the rest yield `Status.NOT_DONE`.
    PDFs are not made here (see `make_pdfs`), but their names are checked. With ``against``
    (an earlier batch's output folder), each MOU is written as tracked changes against the
    same local's MOU there, keeping the team's edits.

    ``checked`` is taken one row at a time, as rows are rendered: only the rows in hand (a few
    for each worker) are held, never every row's answers.
    """
    from tutorbargain.library.loading import load_library

    day = today or dt.date.today()
    library = load_library(clause_dirs)  # in this process too: a broken library fails first
    plan = (
        _plan(item, out_dir, force=force, pdf=pdf, today=day, against=against) for item in checked
    )
    # As many workers as there are rows to render, up to jobs: look ahead until that is known.
    ahead: list[RowResult | _Planned] = []
    tasks = 0
    for entry in plan:
        ahead.append(entry)
        tasks += isinstance(entry, _Planned)
        if tasks >= jobs:
            break
    entries = itertools.chain(ahead, plan)
    workers = min(jobs, tasks)
    if workers <= 1:
        _use_library(library)
        with long_lived():
            yield from _render_here(entries, stop)
        return
    yield from _render_parallel(entries, workers, clause_dirs, stop)


@dataclass(frozen=True)
class _Planned:
    """A row to render: the row (for its result) and its worker's task."""

    row: Row
    task: _Task


def _plan(
    item: Checked,
    out_dir: Path,
    *,
    force: bool,
    pdf: bool,
    today: dt.date,
    against: Path | None,
) -> RowResult | _Planned:
    """Why the row is not rendered, or its task."""
    from tutorbargain.render import output_names

    refused = _refused(item, out_dir, force=force, pdf=pdf)
    if refused is not None:
        return refused
    assert item.answers is not None and item.slug is not None
    folder = out_dir / item.slug
    outputs = row_outputs(folder, item.slug, pdf=pdf)
    pdf_targets = tuple(p for p in outputs if p.suffix == ".pdf")
    previous = None
    if against is not None:
        previous = against / item.slug / output_names(item.slug)["mou"]
    task = _Task(item.row.number, item.answers, folder, force, pdf_targets, today, previous)
    return _Planned(item.row, task)


def _render_here(
    entries: Iterable[RowResult | _Planned], stop: Callable[[], bool]
) -> Iterator[RowResult]:
    """Render each row in this process (--jobs 1)."""
    stopped = False
    for entry in entries:
        if isinstance(entry, RowResult):
            yield entry
        elif stopped or stop():
            stopped = True
            yield _not_done(entry.row)
        else:
            yield _result(entry.row, _render_task(entry.task))


_BROKEN = _Outcome(
    problems=(
        "a worker process stopped unexpectedly, so this row was not written; "
        "run again with --jobs 1",
    )
)


def _render_parallel(
    entries: Iterable[RowResult | _Planned],
    workers: int,
    clause_dirs: Sequence[Path],
    stop: Callable[[], bool],
) -> Iterator[RowResult]:
    """Render in ``workers`` processes, handing each a few rows ahead, results in row order."""
    # "spawn" everywhere: forking a process that runs a progress thread can deadlock, and the
    # same start method on every platform keeps --jobs results the same everywhere.
    context = multiprocessing.get_context("spawn")
    with _sigint_ignored():
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(tuple(str(d) for d in clause_dirs),),
        )
    in_hand: deque[RowResult | tuple[Row, Future[_Outcome]]] = deque()  # in row order
    submitted = 0  # rows of in_hand handed to a worker
    started = 0  # rows handed to a worker in all
    stopped = False

    def check_stop() -> bool:
        nonlocal stopped
        if not stopped and stop():
            stopped = True
            for held in in_hand:
                if not isinstance(held, RowResult):
                    held[1].cancel()  # rows already handed to a worker still finish
        return stopped

    def finish(held: RowResult | tuple[Row, Future[_Outcome]]) -> RowResult:
        if isinstance(held, RowResult):
            return held
        row, future = held
        if future.cancelled():
            return _not_done(row)
        try:
            outcome = future.result()
        except BrokenProcessPool:
            outcome = _BROKEN
        return _result(row, outcome)

    try:
        for entry in entries:
            if isinstance(entry, RowResult):
                in_hand.append(entry)
            elif check_stop():
                in_hand.append(_not_done(entry.row))
            else:
                try:
                    # The first rows start the worker processes: they begin ignoring Ctrl-C
                    with _sigint_ignored() if started < workers else contextlib.nullcontext():
                        future = pool.submit(_render_task, entry.task)
                except BrokenProcessPool:
                    in_hand.append(_result(entry.row, _BROKEN))
                else:
                    in_hand.append((entry.row, future))
                    submitted += 1
                    started += 1
            del entry  # (a row's answers are held only while it is in hand)
            # Hand back every result that is ready in order, waiting only when enough rows are
            # in hand to keep every worker busy.
            while in_hand and (
                isinstance(in_hand[0], RowResult)
                or submitted >= workers * (1 + _AHEAD)
                or in_hand[0][1].done()
            ):
                held = in_hand.popleft()
                if not isinstance(held, RowResult):
                    submitted -= 1
                check_stop()
                yield finish(held)
        while in_hand:
            check_stop()
            yield finish(in_hand.popleft())
    finally:
        with _sigint_ignored():
            pool.shutdown(wait=True, cancel_futures=True)


def _result(row: Row, outcome: _Outcome) -> RowResult:
    if outcome.problems:
        return RowResult(
            row.number,
            row.label,
            row.local,
            Status.FAILED,
            problems=tuple(f"{row.label}: {p}" for p in outcome.problems),
        )
    return RowResult(
        row.number,
        row.label,
        row.local,
        Status.RENDERED,
        files=files_of(outcome.paths),
        # The same few blanks in every row: one copy of each, not one a row
        placeholders=tuple(sys.intern(p) for p in outcome.placeholders),
        warnings=outcome.warnings,
    )


def _not_done(row: Row) -> RowResult:
    return RowResult(row.number, row.label, row.local, Status.NOT_DONE)


def skipped_results(table: Locals) -> list[RowResult]:
    """The blank rows between locals, as results for the report."""
    return [RowResult(n, f"{table.kind} {n}", "", Status.SKIPPED) for n in table.skipped]
