"""What happened to each row: its `Status`, the lines a user reads, and report.csv.

report.csv opens in Excel, so every cell that would start a formula is made inert first.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from tutorbargain.writers.output import write_atomic


def files_of(paths: Iterable[Path]) -> tuple[str, ...]:
    """Paths as the text a `RowResult` keeps (a Path costs several times its text)."""
    return tuple(str(p) for p in paths)


REPORT_NAME = "report.csv"
REPORT_COLUMNS = ("row", "local", "status", "outputs", "message")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes Excel or LibreOffice read a cell as a formula (OWASP's list for CSV injection)."""


def spreadsheet_cell(value: object) -> object:
    """A cell the tool writes to CSV or XLSX, made inert: text that would start a formula gets
    a leading apostrophe, so a local named ``=HYPERLINK(...)`` is shown, never run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class Status(str, Enum):
    """What happened to a row; the words in report.csv's status column."""

    RENDERED = "rendered"
    FAILED = "failed"
    SKIPPED = "skipped"
    WOULD_RENDER = "would render"
    NOT_DONE = "not done"


@dataclass(frozen=True, slots=True)
class RowResult:
    """One row's outcome, as report.csv and the progress display show it.

    A batch keeps one for every row until the report is written, so it is kept small: its
    files are held as text (`files`), and `outputs` makes Paths of them when asked.
    """

    number: int
    label: str
    local: str
    status: Status
    files: tuple[str, ...] = ()
    """The row's files (written, or that would be), as paths in text; see `outputs`."""
    problems: tuple[str, ...] = ()
    """Each problem in full: ``row 7, column pay.tutoring_hourly_rate: must be ...``."""
    placeholders: tuple[str, ...] = ()
    """Blanks the documents leave for the team to fill in (``[VENDOR RATE]``)."""
    warnings: tuple[str, ...] = ()
    """Notes for the team: a state-law warning (the answered bargaining status conflicts with
    the state's law), each doubtful date (as `render` warns), and with --against what
    happened to the team's edits."""
    exists: bool = False
    """Failed only because its documents exist and --force was not given."""

    @property
    def outputs(self) -> tuple[Path, ...]:
        """The row's files as Paths, in the order they are written (PDFs last)."""
        return tuple(Path(f) for f in self.files)

    @property
    def message(self) -> str:
        if self.problems:
            return "\n".join(self.problems)
        if self.status is Status.SKIPPED:
            return "blank row"
        if self.status is Status.NOT_DONE:
            return "not reached: the run was stopped (Ctrl-C or a stop signal)"
        fill = ["fill in: " + ", ".join(self.placeholders)] if self.placeholders else []
        return "; ".join([*(w.rstrip(".") for w in self.warnings), *fill])


def _report_text(results: Sequence[RowResult], out_dir: Path) -> bytes:
    # Encoded as it is written: text gathered first would be held several times over.
    buffer = io.BytesIO()
    buffer.write("\ufeff".encode())  # a byte-order mark, so Excel opens names like "Peña"
    text = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    writer = csv.writer(text)
    writer.writerow(REPORT_COLUMNS)
    for result in _in_row_order(results):
        outputs = "; ".join(_relative(p, out_dir) for p in result.outputs)
        cells = (result.number, result.local, result.status.value, outputs, result.message)
        writer.writerow([spreadsheet_cell(cell) for cell in cells])
    text.flush()
    data = buffer.getvalue()
    text.detach()
    return data


def _in_row_order(results: Sequence[RowResult]) -> Sequence[RowResult]:
    """``results`` as they are when already in row order (a batch's are), else sorted: a
    batch's results are read back from disk, and sorting them would hold them all at once."""
    numbers = [result.number for result in results]
    if all(a < b for a, b in itertools.pairwise(numbers)):
        return results
    return sorted(results, key=lambda r: r.number)


def _relative(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return str(path)


def write_report(results: Sequence[RowResult], out_dir: Path) -> Path:
    """Write ``out_dir/report.csv`` (atomically): every row's status, outputs and message."""
    path = out_dir / REPORT_NAME
    write_atomic(path, _report_text(results, out_dir))
    return path


def _is_our_report(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8-sig") as handle:
            return handle.readline().strip() == ",".join(REPORT_COLUMNS)
    except (OSError, UnicodeDecodeError):
        return False


def describe(result: RowResult) -> list[str]:
    """The lines a user reads about one row: what happened, then each problem."""
    head = f"{result.label:<9} {_WORDS[result.status]:<11} "
    if result.status is Status.RENDERED:
        folder = result.outputs[0].parent if result.outputs else ""
        return [f"{head}{result.local} -> {folder}{os.sep}"]
    if result.status is Status.WOULD_RENDER:
        folder = result.outputs[0].parent if result.outputs else Path()
        files = ", ".join(p.name for p in result.outputs)
        return [f"{head}{folder}{os.sep} ({files})"]
    if result.status is Status.SKIPPED:
        return [f"{head}(blank row)"]
    return [f"{head}{result.local}".rstrip(), *(f"    {p}" for p in result.problems)]


_WORDS = {
    Status.RENDERED: "rendered",
    Status.WOULD_RENDER: "would write",
    Status.FAILED: "FAILED",
    Status.SKIPPED: "skipped",
    Status.NOT_DONE: "not done",
}
