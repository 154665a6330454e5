"""Showing a batch's progress: a bar on a terminal, one line a row in a log, or nothing."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from typing import Any, Protocol

from tutorbargain.batch.report import RowResult, Status, describe


class Listener(Protocol):
    """What a progress display hears from `run_batch` (the CLI's bar or plain lines)."""

    def started(self, total: int, *, dry_run: bool) -> None: ...

    def row_done(self, result: RowResult) -> None: ...

    def stage(self, text: str) -> None: ...


class Quiet:
    """A listener that shows nothing (for scripts and tests)."""

    def started(self, total: int, *, dry_run: bool) -> None:
        return None

    def row_done(self, result: RowResult) -> None:
        return None

    def stage(self, text: str) -> None:
        return None


class PlainListener:
    """One line per row, for logs and pipes (no terminal)."""

    def __init__(self, echo: Callable[[str], None]) -> None:
        self.echo = echo

    def started(self, total: int, *, dry_run: bool) -> None:
        what = "Checking" if dry_run else "Rendering"
        self.echo(f"{what} {total} row{'s' if total != 1 else ''}.")

    def row_done(self, result: RowResult) -> None:
        for line in describe(result):
            self.echo(line)

    def stage(self, text: str) -> None:
        self.echo(text)


class BarListener:
    """A progress bar on a terminal; failed rows are printed above it as they happen."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = Console(highlight=False)
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        self.task: Any = None

    def __enter__(self) -> BarListener:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.task is not None:
            self.progress.stop()

    def started(self, total: int, *, dry_run: bool) -> None:
        self.progress.start()  # only now: a file refused up front shows no empty bar
        self.task = self.progress.add_task("Checking" if dry_run else "Rendering", total=total)

    def row_done(self, result: RowResult) -> None:
        if result.status in (Status.FAILED, Status.WOULD_RENDER):
            for line in describe(result):
                self.progress.console.print(line, markup=False, highlight=False)
        if self.task is not None:
            self.progress.advance(self.task)

    def stage(self, text: str) -> None:
        if self.task is not None:
            self.progress.update(self.task, description=text)
        else:
            self.progress.console.print(text, markup=False)


def terminal_listener(echo: Callable[[str], None]) -> contextlib.AbstractContextManager[Any]:
    """A bar on a terminal, plain lines otherwise; use it in a ``with`` block."""
    if sys.stdout.isatty():
        return BarListener()
    return contextlib.nullcontext(PlainListener(echo))
