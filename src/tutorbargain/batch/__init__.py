"""Proposals for many locals from one spreadsheet: read, validate, render, report.

A state-affiliate staffer keeps one row per local in a CSV file, an Excel workbook or a YAML
list. Each row is checked on its own, so one bad row never stops the other thirty-nine; every
problem names the row and column the staffer sees in Excel ("row 7, column
pay.tutoring_hourly_rate"). The steps are separate functions a script can call:

    from tutorbargain.batch import read_locals, validate_rows, render_rows, write_report
    table = read_locals("locals.csv")              # reading (table, workbook)
    checked = validate_rows(table)                 # validation
    results = list(render_rows(checked, Path("out")))  # rendering (worker, stopping)
    write_report(results, Path("out"))             # report

`run_batch` (run) does all four, and `make_pdfs` (pdfs) for --pdf, holding the output
folder's lock (folder) and telling a `Listener` (progress) what happens; the CLI only shows
what it reports. It never holds every row at once: it reads the file through once
(`LocalsFile`) to learn each row's folder name, then again one row at a time, checking
each (`check_row`) as it is rendered, and keeps each row's `RowResult` for the report in a
temporary file (`RowResults`), not in memory.
`write_template` (template) writes the empty spreadsheet.
"""

from tutorbargain.answers.kinds import column_guide
from tutorbargain.batch.folder import LOCK_NAME, RunLock, check_out_dir, remove_stale_temporaries
from tutorbargain.batch.pdfs import make_pdfs, with_pdfs
from tutorbargain.batch.progress import (
    BarListener,
    Listener,
    PlainListener,
    Quiet,
    terminal_listener,
)
from tutorbargain.batch.reading import LocalsFile, read_locals
from tutorbargain.batch.rendering import preview_rows, render_rows, row_outputs, skipped_results
from tutorbargain.batch.report import (
    FORMULA_STARTS,
    REPORT_COLUMNS,
    REPORT_NAME,
    RowResult,
    Status,
    describe,
    spreadsheet_cell,
    write_report,
)
from tutorbargain.batch.results import RowResults
from tutorbargain.batch.run import (
    BatchFailed,
    BatchInterrupted,
    BatchResult,
    run_batch,
    usable_cores,
)
from tutorbargain.batch.table import Locals, Row, column_letter
from tutorbargain.batch.template import write_template
from tutorbargain.batch.validation import Checked, check_row, validate_rows

__all__ = [
    "FORMULA_STARTS",
    "LOCK_NAME",
    "REPORT_COLUMNS",
    "REPORT_NAME",
    "BarListener",
    "BatchFailed",
    "BatchInterrupted",
    "BatchResult",
    "Checked",
    "Listener",
    "Locals",
    "LocalsFile",
    "PlainListener",
    "Quiet",
    "Row",
    "RowResult",
    "RowResults",
    "RunLock",
    "Status",
    "check_out_dir",
    "check_row",
    "column_guide",
    "column_letter",
    "describe",
    "make_pdfs",
    "preview_rows",
    "read_locals",
    "remove_stale_temporaries",
    "render_rows",
    "row_outputs",
    "run_batch",
    "skipped_results",
    "spreadsheet_cell",
    "terminal_listener",
    "usable_cores",
    "validate_rows",
    "with_pdfs",
    "write_report",
    "write_template",
]
