"""Rendering one row, in a worker process or in the main one (--jobs 1).

A worker ignores Ctrl-C and SIGTERM (the main process decides when to stop), ends when the
main process dies, and loads the clause library once for all the rows it renders.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutorbargain.answers.reading import Answers
from tutorbargain.errors import TutorbargainError


@dataclass(frozen=True)
class _Task:
    """What a worker needs to render one row; small and picklable."""

    number: int
    answers: Answers
    folder: Path
    force: bool
    pdf_targets: tuple[Path, ...]
    today: dt.date
    against: Path | None = None
    """The team's previous copy of this local's MOU, for tracked changes keeping its edits."""


@dataclass(frozen=True)
class _Outcome:
    paths: tuple[Path, ...] = ()
    placeholders: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


_LIBRARY: Any = None
"""The clause library of this process, loaded once (per worker, or once for --jobs 1)."""


def _use_library(library: Any) -> None:
    global _LIBRARY
    _LIBRARY = library


@contextlib.contextmanager
def long_lived() -> Iterator[None]:
    """Take what is loaded so far (the library, the imports) out of the garbage collector's
    full passes while rows render: it outlives every row, and walking its objects again and
    again cost a batch about a millisecond a local. A script that runs a batch gets its
    collector back as it was when the batch ends."""
    _freeze_loaded()
    try:
        yield
    finally:
        gc.unfreeze()


def _freeze_loaded() -> None:
    gc.collect()  # what loading left for the collector goes first, or freezing would keep it
    gc.freeze()


def _init_worker(clause_dirs: tuple[str, ...]) -> None:
    """Start a worker: Ctrl-C and SIGTERM are the main process's business (it lets the rows in
    hand finish); the worker ends when the main process dies; load the library once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _end_with_parent()
    from tutorbargain.library.loading import load_library

    _use_library(load_library([Path(d) for d in clause_dirs]))
    _freeze_loaded()  # as `long_lived` does, for the worker's whole life


PR_SET_PDEATHSIG = 1
"""Linux's prctl option: the kernel sends a signal to this process when its parent dies."""


def _end_with_parent() -> None:
    """Make this worker stop when the main process dies (even by SIGKILL), so no worker goes
    on writing folders for a run nobody is watching.

    On Linux the kernel kills it at once (PR_SET_PDEATHSIG); everywhere a watchdog thread
    notices within a second that its parent has changed.
    """
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    if os.getppid() != parent:  # the parent died before the kernel was told
        os._exit(1)
    threading.Thread(target=watch, name="tutorbargain-parent-watch", daemon=True).start()


def _render_task(task: _Task) -> _Outcome:
    """Render and write one row. Runs in a worker, or in the main process for --jobs 1."""
    from tutorbargain.render import build_files
    from tutorbargain.writers.output import write_files

    notes: tuple[str, ...] = ()
    try:
        files, composed, _ = build_files(
            task.answers, task.folder, library=_LIBRARY, today=task.today
        )
        if task.against is not None:
            notes = (_carry_over(files, task, task.against),)
        paths = write_files(files, force=task.force, also_check=task.pdf_targets)
    except TutorbargainError as exc:
        lines = [str(p) for p in exc.problems] or [exc.message]
        return _Outcome(problems=tuple(lines))
    except Exception as exc:  # a bug: keep going with the other rows and say so plainly
        return _Outcome(
            problems=(
                f"tutorbargain hit a bug making this local's documents "
                f"({type(exc).__name__}: {exc}); the other rows are not affected. "
                "Please report it with this row's values",
            )
        )
    return _Outcome(
        paths=tuple(paths),
        placeholders=tuple(composed.placeholders()),
        warnings=_warnings(task) + notes,
    )


def _warnings(task: _Task) -> tuple[str, ...]:
    """What `render` warns a team of, for the report: a bargaining status the state's law
    contradicts, and each date the run's date makes doubtful (a day the Union learned of the
    program that is still to come prints in the letter as it stands)."""
    from tutorbargain.answers.timeline import date_warnings
    from tutorbargain.library.states import (
        conflict_warning,
        document_answers,
        state_facts,
        warning_line,
    )

    conflict = conflict_warning(task.answers, folders=_LIBRARY.folders)
    state = state_facts(task.answers.get("district.state"), folders=_LIBRARY.folders)
    dates = date_warnings(document_answers(task.answers, state), task.today)
    return ((warning_line(conflict),) if conflict is not None else ()) + tuple(dates)


def _carry_over(files: dict[Path, bytes], task: _Task, previous: Path) -> str:
    """Turn the row's MOU into tracked changes against the team's previous copy, if there is
    one; the note for the report says what happened to the team's edits."""
    from tutorbargain.render import apply_against
    from tutorbargain.roundtrip.carryover import summary

    if not previous.is_file():
        return f"no previous copy at {previous}: written fresh, without tracked changes"
    carried = apply_against(files, task.answers, task.folder, previous)
    return f"against {previous}: {summary(carried)}"
