"""Rendering the checked rows into a folder per local, in row order, one process or many.

Bad rows, rows whose documents exist (without --force) and rows whose folder is a symbolic
link are not rendered; the others become tasks for `worker`, run here or in a pool of
worker processes.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from tutorbargain.batch.report import RowResult, Status
from tutorbargain.batch.stopping import _sigint_ignored
from tutorbargain.batch.table import Locals, Row
from tutorbargain.batch.validation import Checked
from tutorbargain.batch.worker import _init_worker, _Outcome, _render_task, _Task, _use_library
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
    checked: Sequence[Checked], out_dir: Path, *, force: bool = False, pdf: bool = False
) -> list[RowResult]:
    """What `render_rows` would do, writing nothing: the dry run."""
    results: list[RowResult] = []
    for item in checked:
        refused = _refused(item, out_dir, force=force, pdf=pdf)
        if refused is not None:
            results.append(refused)
            continue
        assert item.slug is not None
        row = item.row
        results.append(
            RowResult(
                row.number,
                row.label,
                row.local,
                Status.WOULD_RENDER,
                outputs=tuple(row_outputs(out_dir / item.slug, item.slug, pdf=pdf)),
            )
        )
    return results


def render_rows(
    checked: Sequence[Checked],
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
    """
    from tutorbargain.library.loading import load_library
    from tutorbargain.render import output_names

    day = today or dt.date.today()
    library = load_library(clause_dirs)  # in this process too: a broken library fails first
    plan: list[RowResult | _Task] = []
    for item in checked:
        refused = _refused(item, out_dir, force=force, pdf=pdf)
        if refused is not None:
            plan.append(refused)
            continue
        assert item.answers is not None and item.slug is not None
        folder = out_dir / item.slug
        outputs = row_outputs(folder, item.slug, pdf=pdf)
        pdf_targets = tuple(p for p in outputs if p.suffix == ".pdf")
        previous = None
        if against is not None:
            previous = against / item.slug / output_names(item.slug)["mou"]
        plan.append(_Task(item.row.number, item.answers, folder, force, pdf_targets, day, previous))
    rows = {item.row.number: item.row for item in checked}
    tasks = [entry for entry in plan if isinstance(entry, _Task)]
    workers = min(jobs, len(tasks))
    if workers <= 1:
        _use_library(library)
        stopped = False
        for entry in plan:
            if isinstance(entry, RowResult):
                yield entry
            elif stopped or stop():
                stopped = True
                yield _not_done(rows[entry.number])
            else:
                yield _result(rows[entry.number], _render_task(entry))
        return
    yield from _render_parallel(plan, rows, workers, clause_dirs, stop)


def _render_parallel(
    plan: list[RowResult | _Task],
    rows: Mapping[int, Row],
    workers: int,
    clause_dirs: Sequence[Path],
    stop: Callable[[], bool],
) -> Iterator[RowResult]:
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
        futures: dict[int, Future[_Outcome]] = {
            entry.number: pool.submit(_render_task, entry)
            for entry in plan
            if isinstance(entry, _Task)
        }
    stopped = False
    try:
        for entry in plan:
            if isinstance(entry, RowResult):
                yield entry
                continue
            future = futures[entry.number]
            if not stopped and stop():
                stopped = True
                for pending in futures.values():
                    pending.cancel()  # rows already handed to a worker still finish
            if future.cancelled():
                yield _not_done(rows[entry.number])
                continue
            try:
                outcome = future.result()
            except BrokenProcessPool:
                outcome = _Outcome(
                    problems=(
                        "a worker process stopped unexpectedly, so this row was not written; "
                        "run again with --jobs 1",
                    )
                )
            yield _result(rows[entry.number], outcome)
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
        outputs=outcome.paths,
        placeholders=outcome.placeholders,
        warnings=outcome.warnings,
    )


def _not_done(row: Row) -> RowResult:
    return RowResult(row.number, row.label, row.local, Status.NOT_DONE)


def skipped_results(table: Locals) -> list[RowResult]:
    """The blank rows between locals, as results for the report."""
    return [RowResult(n, f"{table.kind} {n}", "", Status.SKIPPED) for n in table.skipped]
