"""Proposals for many locals from one spreadsheet: read, validate, render, report.

A state-affiliate staffer keeps one row per local in a CSV file, an Excel workbook or a YAML
list. Each row is checked on its own, so one bad row never stops the other thirty-nine; every
problem names the row and column the staffer sees in Excel ("row 7, column
pay.tutoring_hourly_rate"). The steps are separate functions a script can call:

    from tutorbargain.batch import read_locals, validate_rows, render_rows, write_report
    table = read_locals("locals.csv")
    checked = validate_rows(table)
    results = list(render_rows(checked, Path("out")))
    write_report(results, Path("out"))

`run_batch` does all four, with a `Listener` for progress; the CLI only shows what it reports.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import difflib
import io
import json
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from types import FrameType
from typing import Any, Protocol

from tutorbargain.answers.fields import (
    BY_NAME,
    FIELDS,
    SCHEMA_VERSION,
    SUPPORTED_VERSIONS,
    Field,
    Kind,
)
from tutorbargain.answers.reading import (
    Answers,
    ValueProblem,
    flatten,
    parse_value,
    validate_flat,
)
from tutorbargain.errors import (
    AnswersError,
    InputFileError,
    Interrupted,
    OutputError,
    Problem,
    TutorbargainError,
    problems_error,
)
from tutorbargain.schema import did_you_mean
from tutorbargain.writers.output import prepare_dir, refuse_overwrite, slugify, write_atomic
from tutorbargain.writers.output import remove_stale_temporaries as remove_temporaries
from tutorbargain.yamlfile import read_bytes

REPORT_NAME = "report.csv"
REPORT_COLUMNS = ("row", "local", "status", "outputs", "message")
MAX_FILE_BYTES = 64 * 1024 * 1024
"""Far larger than any real list of locals; a guard against reading the wrong file."""
MAX_COLUMNS = 500
"""Columns a spreadsheet may fill: the answers file has far fewer fields."""
MAX_ROWS = 20_000
"""Locals in one file: more than every school district in the largest state."""
MAX_CELLS = 2_000_000
"""Cells read from a workbook, blank ones included (Excel stores formatted empty cells)."""
MAX_PART_BYTES = 64 * 1024 * 1024
"""What one part of an .xlsx may unpack to, by the size the zip file declares."""
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
"""What all the parts of an .xlsx may unpack to together."""
XLSX_HINT = "pip install 'tutorbargain[xlsx]'"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes Excel or LibreOffice read a cell as a formula (OWASP's list for CSV injection)."""


def spreadsheet_cell(value: object) -> object:
    """A cell the tool writes to CSV or XLSX, made inert: text that would start a formula gets
    a leading apostrophe, so a local named ``=HYPERLINK(...)`` is shown, never run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class BatchFailed(TutorbargainError):
    """Raised (by the CLI, from `BatchResult.raise_for_failures`) when any row was not rendered."""


class BatchInterrupted(Interrupted):
    """Raised when Ctrl-C or SIGTERM stops a batch; the report is written and `result` says
    what was done. ``exit_code`` is the shell's convention: 128 + the signal's number."""

    def __init__(self, message: str, result: BatchResult, *, signum: int = signal.SIGINT) -> None:
        super().__init__(message)
        self.result = result
        self.exit_code = 128 + signum


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class Row:
    """One local as the user typed it: dotted column name -> raw value (text, or Excel's type)."""

    number: int
    """The spreadsheet's own row number (the header is row 1), or the YAML item number."""
    values: Mapping[str, object]
    problems: tuple[Problem, ...] = ()
    """Problems found while reading (a ragged row, an unknown key in a YAML item)."""
    readable: bool = True
    """False when the row's cells cannot be matched to columns; it is not validated further."""
    kind: str = "row"
    """``row`` for spreadsheets, ``item`` for YAML lists: the word the user's file uses."""
    lines: Mapping[str, int] = field(default_factory=dict)
    """For YAML items, the line of each dotted field."""

    @property
    def label(self) -> str:
        return f"{self.kind} {self.number}"

    def where(self, name: str) -> str:
        """``row 7, column pay.tutoring_hourly_rate`` or ``item 3, field ... (line 40)``."""
        if self.kind == "row":
            return f"row {self.number}, column {name}"
        line = self.lines.get(name) or self.lines.get(name.partition(".")[0])
        return f"item {self.number}, field {name}" + (f" (line {line})" if line else "")

    @property
    def local(self) -> str:
        """The local's name as typed, for reports; empty when there is none."""
        raw = self.values.get("local.name")
        return " ".join(str(raw).split()) if raw is not None else ""


@dataclass(frozen=True)
class Locals:
    """Everything read from a locals file: its rows, and the blank rows between them."""

    source: Path
    rows: tuple[Row, ...]
    skipped: tuple[int, ...] = ()
    """Numbers of blank rows (or empty YAML items) between locals; reported as skipped."""
    kind: str = "row"

    @property
    def count(self) -> int:
        return len(self.rows) + len(self.skipped)


def read_locals(path: Path | str, *, sheet: str | None = None) -> Locals:
    """Read a .csv, .xlsx or .yml/.yaml list of locals; file-level problems raise at once.

    A file-level problem (cannot be read, an unknown or missing required column, no rows)
    raises `InputFileError` before anything is rendered. Problems with one row stay on the row.
    """
    source = Path(path)
    suffix = source.suffix.lower()
    if sheet is not None and suffix != ".xlsx":
        raise InputFileError(
            "", [Problem(str(source), "--sheet only applies to an Excel workbook (.xlsx)")]
        )
    if suffix == ".csv":
        header, records = _csv_records(source)
        return _from_table(source, header, records, typed=False)
    if suffix == ".xlsx":
        header, records = _xlsx_records(source, sheet)
        return _from_table(source, header, records, typed=True)
    if suffix in (".yml", ".yaml"):
        return _from_yaml(source)
    if suffix in (".xls", ".ods", ".numbers", ".xlsm"):
        raise InputFileError(
            "",
            [
                Problem(
                    str(source),
                    f"is a {suffix} file; save it as an Excel Workbook (.xlsx) or as "
                    "CSV UTF-8 and try again",
                )
            ],
        )
    raise InputFileError(
        "",
        [
            Problem(
                str(source),
                "batch reads a spreadsheet (.csv or .xlsx) or a YAML list (.yml); "
                "this file has none of those endings",
            )
        ],
    )


def _csv_records(source: Path) -> tuple[list[object], Iterator[tuple[int, list[object]]]]:
    """The header cells and the numbered records of a CSV file (UTF-8, with or without BOM)."""
    raw = read_bytes(source, what="a list of locals", limit=MAX_FILE_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputFileError(
            "",
            [
                Problem(
                    f"{source}, line {line}",
                    "is not UTF-8 text. In Excel use File > Save As > 'CSV UTF-8 (Comma "
                    "delimited)', or give tutorbargain the .xlsx workbook itself",
                )
            ],
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first_line:
        delimiter = ";" if ";" in first_line else "\t" if "\t" in first_line else ","
    # strict: a quote that is never closed is an error, not a cell that swallows the rows below
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[object]]] = []
    number, line = 0, 0  # the last record read, and the line it ended on
    try:
        for number, record in enumerate(reader, start=1):
            records.append((number, list(record)))
            line = reader.line_num
    except csv.Error as exc:
        where = f"{source}, row {number + 1} (line {line + 1})"
        if text.count('"', _offset_of_line(text, line)) % 2:
            raise InputFileError(
                "",
                [
                    Problem(
                        where,
                        'opens a quote (") that is never closed, so the rows after it would be '
                        "read as part of one cell; close the quote or remove it",
                    )
                ],
            ) from None
        raise InputFileError("", [Problem(where, f"cannot be read as CSV ({exc})")]) from None
    return _split_header(records)


def _offset_of_line(text: str, line: int) -> int:
    """Where line ``line + 1`` starts (lines counted from 1; 0 is the start of the text)."""
    offset = 0
    for _ in range(line):
        found = text.find("\n", offset)
        if found < 0:
            return len(text)
        offset = found + 1
    return offset


def _split_header(
    records: list[tuple[int, list[object]]],
) -> tuple[list[object], Iterator[tuple[int, list[object]]]]:
    """The first non-blank row is the header; rows keep their own numbers after it."""
    rest = iter(records)
    for _, record in rest:
        if not _is_blank(record):
            return record, rest
    return [], rest


def _xlsx_records(
    source: Path, sheet: str | None
) -> tuple[list[object], Iterator[tuple[int, list[object]]]]:
    """The header cells and numbered rows of one sheet of an Excel workbook, values typed."""
    try:
        import openpyxl
    except ImportError:
        raise InputFileError(
            "",
            [
                Problem(
                    str(source),
                    "reading Excel workbooks needs the openpyxl library, which is not "
                    f"installed. Install it with: {XLSX_HINT}  (or save the sheet as CSV UTF-8)",
                )
            ],
        ) from None
    # The same missing / folder / device messages as a CSV gets; openpyxl reads the file.
    read_bytes(source, what="a list of locals", read=False, limit=MAX_FILE_BYTES)
    _refuse_zip_bomb(source)
    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a file that is not a workbook
        raise InputFileError(
            "",
            [
                Problem(
                    str(source),
                    "is not an Excel workbook that can be read: it may be damaged, protected "
                    "with a password, or another kind of file renamed to .xlsx. Open it in "
                    "Excel and save it again as .xlsx, or save the sheet as CSV UTF-8",
                )
            ],
        ) from None
    try:
        worksheet = _pick_sheet(workbook, source, sheet)
        try:
            worksheet.reset_dimensions()  # some programs record a wrong size; read every row
            rows = _bounded_rows(source, worksheet.iter_rows(values_only=True))
            hidden = _hidden_values(workbook, worksheet)
        except InputFileError:
            raise
        except Exception:  # a damaged sheet inside a workbook that opened
            raise InputFileError(
                "",
                [
                    Problem(
                        f"{source}, sheet {worksheet.title}",
                        "cannot be read; it may be damaged. Open the workbook in Excel and "
                        "save it again, or save the sheet as CSV UTF-8",
                    )
                ],
            ) from None
    finally:
        workbook.close()
    if hidden:
        shown = "; ".join(hidden[:5]) + (f"; and {len(hidden) - 5} more" if len(hidden) > 5 else "")
        raise InputFileError(
            "",
            [
                Problem(
                    f"{source}, sheet {worksheet.title}",
                    f"has cells whose values cannot be read ({shown}). Unmerge merged cells "
                    "and type the value in each; for a formula, open the workbook in Excel and "
                    "save it (Excel stores the result), or paste it as a value",
                )
            ],
        )
    return _split_header(rows)


def _refuse_zip_bomb(source: Path) -> None:
    """Refuse a workbook whose parts would unpack to far more than any list of locals, by the
    sizes its zip directory declares, before anything is unpacked. (Python's zip reader never
    unpacks more than a part declares.) A file that is not a zip is left to openpyxl's check."""
    import zipfile

    try:
        with zipfile.ZipFile(source) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    total = sum(part.file_size for part in parts)
    biggest = max(parts, key=lambda part: part.file_size, default=None)
    if biggest is not None and (biggest.file_size > MAX_PART_BYTES or total > MAX_UNPACKED_BYTES):
        raise InputFileError(
            "",
            [
                Problem(
                    str(source),
                    f"would unpack to {total / 1024**2:,.0f} MB ({biggest.filename} alone is "
                    f"{biggest.file_size / 1024**2:,.0f} MB); a list of locals is far smaller, "
                    f"so this is not read. Limits: {MAX_PART_BYTES // 1024**2} MB a part, "
                    f"{MAX_UNPACKED_BYTES // 1024**2} MB in all",
                )
            ],
        )


def _bounded_rows(
    source: Path, values: Iterator[tuple[object, ...]]
) -> list[tuple[int, list[object]]]:
    """The sheet's numbered rows, refused as soon as it holds more than `MAX_ROWS` locals,
    a value past column `MAX_COLUMNS`, or more than `MAX_CELLS` cells."""
    rows: list[tuple[int, list[object]]] = []
    filled = cells = 0
    for number, row in enumerate(values, start=1):
        cells += len(row)
        if len(row) > MAX_COLUMNS and not _is_blank(row[MAX_COLUMNS:]):
            index = next(i for i, c in enumerate(row) if i >= MAX_COLUMNS and not _is_blank([c]))
            _too_big(
                source,
                f"row {number}, column {column_letter(index)}",
                "has a value past column "
                f"{column_letter(MAX_COLUMNS - 1)}; a list of locals has at most "
                f"{MAX_COLUMNS} columns",
            )
        if not _is_blank(row):
            filled += 1
        if filled > MAX_ROWS + 1:  # the header, then the locals
            _too_big(
                source,
                f"row {number}",
                f"is past {MAX_ROWS:,} locals, the most one file "
                "may hold; split the list into several files",
            )
        if cells > MAX_CELLS:
            _too_big(
                source,
                f"row {number}",
                f"brings the sheet past {MAX_CELLS:,} cells, the "
                "most tutorbargain reads; delete the unused rows and columns (or save the "
                "sheet as CSV UTF-8)",
            )
        rows.append((number, list(row[:MAX_COLUMNS])))
    return rows


def _too_big(source: Path, where: str, message: str) -> None:
    raise InputFileError("", [Problem(f"{source}, {where}", message)])


def _hidden_values(workbook: Any, worksheet: Any) -> list[str]:
    """Cells that would read as blank but are not: the covered cells of a merged range, and
    formulas saved without their result (written by a program other than Excel)."""
    import xml.etree.ElementTree as ET

    path = getattr(worksheet, "_worksheet_path", None)
    archive = getattr(workbook, "_archive", None)
    if path is None or archive is None:
        return []
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    found: list[str] = []
    with archive.open(path) as handle:
        for _, element in ET.iterparse(handle):
            if element.tag == f"{main}mergeCell":
                found.append(f"cells {element.get('ref')} are merged")
            elif element.tag == f"{main}c":
                value = element.find(f"{main}v")
                if element.find(f"{main}f") is not None and (value is None or not value.text):
                    found.append(f"cell {element.get('r')} is a formula with no saved result")
                element.clear()
            elif element.tag == f"{main}row":
                element.clear()
    return found


def _pick_sheet(workbook: Any, source: Path, sheet: str | None) -> Any:
    names = list(workbook.sheetnames)
    if sheet is None:
        if not workbook.worksheets:
            raise InputFileError("", [Problem(str(source), "has no sheet of rows to read")])
        return workbook.worksheets[0]
    if sheet not in names:
        listed = ", ".join(names)
        raise InputFileError(
            "",
            [
                Problem(
                    str(source),
                    f"has no sheet named '{sheet}'{did_you_mean(sheet, names)}; "
                    f"its sheets are: {listed}",
                )
            ],
        )
    chosen = workbook[sheet]
    if not hasattr(chosen, "iter_rows"):
        raise InputFileError(
            "", [Problem(f"{source}, sheet {sheet}", "is a chart, not a sheet of rows")]
        )
    return chosen


def _is_blank(record: Sequence[object]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in record)


def column_letter(index: int) -> str:
    """Excel's name for the column at 0-based ``index``: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _columns(source: Path, header: Sequence[object]) -> list[str | None]:
    """The dotted name of each header cell (None for a blank one); refuse unknown names."""
    if not header:
        raise InputFileError(
            "",
            [
                Problem(
                    str(source),
                    "is empty; row 1 must hold the column names. "
                    "`tutorbargain batch --template locals.csv` writes an empty spreadsheet "
                    "with every column",
                )
            ],
        )
    known = [*BY_NAME, "schema_version"]
    columns: list[str | None] = []
    problems: list[Problem] = []
    first_seen: dict[str, str] = {}
    meant: set[str] = set()  # suggested for a misspelt column: not reported missing as well
    for index, cell in enumerate(header):
        letter = column_letter(index)
        text = "" if cell is None else str(cell).strip()
        if not text:
            columns.append(None)
            continue
        name = text.lower()
        where = f"{source}, row 1, column {letter} ({text})"
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]}?)" if close else ""
            meant.update(close)
            problems.append(Problem(where, f"is not a column tutorbargain knows{hint}"))
            columns.append(None)
            continue
        if name in first_seen:
            problems.append(
                Problem(where, f"repeats column {first_seen[name]}; delete one of the two")
            )
        first_seen.setdefault(name, letter)
        columns.append(name)
    if problems and not first_seen:
        raise InputFileError(
            "",
            [
                Problem(
                    f"{source}, row 1",
                    "must hold the column names (local.name, district.name, ...), but none of "
                    "its cells is one. `tutorbargain batch --template locals.csv` writes an "
                    "empty spreadsheet with every column",
                )
            ],
        )
    missing = [f.name for f in FIELDS if f.required and f.name not in {*first_seen, *meant}]
    if missing:
        problems.append(
            Problem(
                f"{source}, row 1",
                f"has no column {', '.join(missing)}; every local needs "
                f"{'it' if len(missing) == 1 else 'them'}, so add the column"
                f"{'' if len(missing) == 1 else 's'}",
            )
        )
    if problems:
        raise problems_error(InputFileError, str(source), problems)
    return columns


def _from_table(
    source: Path,
    header: Sequence[object],
    records: Iterator[tuple[int, list[object]]],
    *,
    typed: bool,
) -> Locals:
    columns = _columns(source, header)
    width = max(i for i, name in enumerate(columns) if name is not None) + 1
    rows: list[Row] = []
    blank: list[int] = []
    for number, record in records:
        if _is_blank(record):
            blank.append(number)
            continue
        rows.append(_table_row(number, record, columns, width, typed=typed))
    last = rows[-1].number if rows else 0
    skipped = tuple(n for n in blank if n < last)  # trailing empty rows are not rows at all
    if not rows:
        raise InputFileError(
            "", [Problem(str(source), "has column names but no locals below them")]
        )
    return Locals(source=source, rows=tuple(rows), skipped=skipped, kind="row")


def _table_row(
    number: int, record: list[object], columns: list[str | None], width: int, *, typed: bool
) -> Row:
    """One spreadsheet row as dotted name -> raw value, or a row error when cells do not line up.

    A CSV row with fewer cells than the header has names, or with values past the last named
    column, has probably lost or gained a comma: its values may sit under the wrong column, so
    it is refused whole rather than half-read. (Excel rows simply end early; that is fine.)
    """
    name_at = columns.index("local.name")  # present: a required column, checked already
    local = {"local.name": record[name_at]} if name_at < len(record) else {}
    extra = next(
        ((i, cell) for i, cell in enumerate(record) if i >= width and not _is_blank([cell])),
        None,
    )
    message = ""
    if not typed and len(record) < width:
        message = (
            f"has {len(record)} cells but row 1 names {width} columns; a comma may be missing, "
            "so values could sit under the wrong column. Check the row in a spreadsheet program"
        )
    elif extra is not None:
        index, cell = extra
        shown = " ".join(str(cell).split())[:40]
        if typed:
            message = (
                f'has a value in column {column_letter(index)} ("{shown}"), which has no name '
                "in row 1; delete the value or name the column"
            )
        else:
            message = (
                f"has {len(record)} cells but row 1 names {width} columns (first extra value: "
                f'"{shown}"); a value with a comma in it needs quotes around it'
            )
    if message:
        return Row(number, local, problems=(Problem(f"row {number}", message),), readable=False)
    values: dict[str, object] = {}
    problems: list[Problem] = []
    for index, name in enumerate(columns):
        cell = record[index] if index < len(record) else None
        if name is None:
            if not _is_blank([cell]):
                problems.append(
                    Problem(
                        f"row {number}, column {column_letter(index)}",
                        "has a value, but its column has no name in row 1; "
                        "delete the value or name the column",
                    )
                )
        elif typed and name in BY_NAME:
            values[name] = _typed_cell(BY_NAME[name], cell)
        else:
            values[name] = cell
    return Row(number, values, problems=tuple(problems))


def _typed_cell(f: Field, cell: object) -> object:
    """An Excel cell's typed value in the form `parse_value` reads for this field.

    Excel hands over 40.0 for a typed 40, a datetime for a date cell and a number for a
    text column that holds digits (an article number, a one-grade list); none of that is
    the user's mistake.
    """
    if cell is None or isinstance(cell, bool | str):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, dt.datetime | dt.date):
        if f.kind is Kind.DATE:
            return cell
        day = cell.date() if isinstance(cell, dt.datetime) else cell
        return day.isoformat()
    if isinstance(cell, int | float):
        if f.kind in (Kind.COUNT, Kind.MONEY, Kind.BOOL, Kind.GRADES):
            return cell
        return str(cell)
    return str(cell)


def _from_yaml(source: Path) -> Locals:
    from tutorbargain.yamlfile import load_yaml

    doc = load_yaml(source, what="a list of locals")
    data = doc.data
    if not isinstance(data, list):
        if isinstance(data, Mapping) and "local" in data:
            message = (
                "holds one local's answers; batch needs a list of locals (put '- ' before "
                "each local's answers), or use `tutorbargain render` for one local"
            )
        else:
            message = "must be a list of locals, each one's answers starting with '- '"
        raise InputFileError("", [Problem(str(source), message)])
    lines_of: dict[int, dict[str, int]] = {}
    for key, line in doc.lines.items():  # "[3].pay.tutoring_hourly_rate" -> item 3's lines
        index_text, _, dotted = key.partition("].")
        if index_text.startswith("[") and index_text[1:].isdigit() and dotted:
            lines_of.setdefault(int(index_text[1:]), {})[dotted] = line
    rows: list[Row] = []
    blank: list[int] = []
    for index, item in enumerate(data):
        number = index + 1
        lines = lines_of.get(index, {})
        if item is None:
            blank.append(number)
            continue
        probe = Row(number, {}, kind="item", lines=lines)
        if not isinstance(item, Mapping):
            rows.append(
                replace(
                    probe,
                    problems=(
                        Problem(
                            f"item {number}",
                            "must be one local's answers (local:, district:, ...)",
                        ),
                    ),
                    readable=False,
                )
            )
            continue
        flat, problems = flatten(item, probe.where)
        version = item.get("schema_version")
        if version is not None and version not in SUPPORTED_VERSIONS:
            problems.append(
                Problem(
                    probe.where("schema_version"),
                    f"must be {SCHEMA_VERSION} (or left out), not {version!r}",
                )
            )
        rows.append(replace(probe, values=flat, problems=tuple(problems)))
    if not rows:
        raise InputFileError("", [Problem(str(source), "is an empty list; it has no locals")])
    last = rows[-1].number
    return Locals(
        source=source, rows=tuple(rows), skipped=tuple(n for n in blank if n < last), kind="item"
    )


# ---------------------------------------------------------------- validating


@dataclass(frozen=True)
class Checked:
    """A row after validation: its answers, or every problem with it (never both)."""

    row: Row
    answers: Answers | None
    problems: tuple[Problem, ...]
    slug: str | None
    """The folder name the local's documents go in; None when the name is unusable."""

    @property
    def ok(self) -> bool:
        return self.answers is not None and not self.problems


def validate_rows(table: Locals) -> list[Checked]:
    """Validate each row on its own, then refuse rows whose documents would share a folder.

    Pure: reads nothing from disk. Rows keep the order of the file.
    """
    name_field = BY_NAME["local.name"]
    checked: list[Checked] = []
    for row in table.rows:
        slug: str | None = None
        with contextlib.suppress(ValueProblem):
            name = parse_value(name_field, row.values.get("local.name"))
            slug = slugify(name) if name else None
        if not row.readable:
            checked.append(Checked(row, None, row.problems, slug))
            continue
        problems = list(row.problems)
        answers: Answers | None = None
        if row.kind == "row" and "schema_version" in row.values:
            version = row.values["schema_version"]
            if version not in (None, "", *SUPPORTED_VERSIONS, *map(str, SUPPORTED_VERSIONS)):
                problems.append(
                    Problem(row.where("schema_version"), f"must be {SCHEMA_VERSION} or blank")
                )
        values = {k: v for k, v in row.values.items() if k != "schema_version"}
        try:
            answers = validate_flat(values, row.where, source=row.label)
        except AnswersError as exc:
            problems.extend(exc.problems)
        checked.append(Checked(row, answers if not problems else None, tuple(problems), slug))
    return _refuse_shared_folders(checked)


def _refuse_shared_folders(checked: list[Checked]) -> list[Checked]:
    by_slug: dict[str, list[int]] = {}
    for index, item in enumerate(checked):
        if item.slug is not None:
            by_slug.setdefault(item.slug, []).append(index)
    out = list(checked)
    for slug, indexes in by_slug.items():
        if len(indexes) < 2:
            continue
        for index in indexes:
            item = checked[index]
            others = [checked[i].row.number for i in indexes if i != index]
            problem = Problem(
                item.row.where("local.name"),
                f"gives the same folder name ({slug}) as {_labels(item.row.kind, others)}, "
                "so one local's documents would replace the other's; give each local a "
                "different name or delete the repeated row",
            )
            out[index] = replace(item, answers=None, problems=(*item.problems, problem))
    return out


def _labels(kind: str, row_numbers: Sequence[int]) -> str:
    """``row 9``, ``rows 9 and 12``, ``items 2, 5 and 8`` (the numbers a user looks up)."""
    numbers = [str(n) for n in row_numbers]
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"{kind} {numbers[0]}"
    if len(numbers) > 12:
        numbers = [*numbers[:10], f"{len(numbers) - 10} more"]
    return f"{kind}s {', '.join(numbers[:-1])} and {numbers[-1]}"


# ---------------------------------------------------------------- rendering


class Status(str, Enum):
    """What happened to a row; the words in report.csv's status column."""

    RENDERED = "rendered"
    FAILED = "failed"
    SKIPPED = "skipped"
    WOULD_RENDER = "would render"
    NOT_DONE = "not done"


@dataclass(frozen=True)
class RowResult:
    """One row's outcome, as report.csv and the progress display show it."""

    number: int
    label: str
    local: str
    status: Status
    outputs: tuple[Path, ...] = ()
    problems: tuple[str, ...] = ()
    """Each problem in full: ``row 7, column pay.tutoring_hourly_rate: must be ...``."""
    placeholders: tuple[str, ...] = ()
    """Blanks the documents leave for the team to fill in (``[VENDOR RATE]``)."""
    warnings: tuple[str, ...] = ()
    """Notes for the team: a state-law warning (the answered bargaining status conflicts with
    the state's law), and with --against what happened to the team's edits."""
    exists: bool = False
    """Failed only because its documents exist and --force was not given."""

    @property
    def message(self) -> str:
        if self.problems:
            return "\n".join(self.problems)
        if self.status is Status.SKIPPED:
            return "blank row"
        if self.status is Status.NOT_DONE:
            return "not reached: the run was stopped (Ctrl-C or a stop signal)"
        fill = ["fill in: " + ", ".join(self.placeholders)] if self.placeholders else []
        return "; ".join([*self.warnings, *fill])


def row_outputs(folder: Path, slug: str, *, pdf: bool = False) -> list[Path]:
    """The files a row writes, in the order they are written (PDFs last)."""
    from tutorbargain.render import output_names

    paths = [folder / name for name in output_names(slug).values()]
    if pdf:
        paths += [p.with_suffix(".pdf") for p in paths if p.suffix == ".docx"]
    return paths


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


def _init_worker(clause_dirs: tuple[str, ...]) -> None:
    """Start a worker: Ctrl-C and SIGTERM are the main process's business (it lets the rows in
    hand finish); the worker ends when the main process dies; load the library once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _end_with_parent()
    from tutorbargain.library.loading import load_library

    _use_library(load_library([Path(d) for d in clause_dirs]))


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
    from tutorbargain.library.states import conflict_warning, warning_line

    warning = conflict_warning(task.answers, folders=_LIBRARY.folders)
    return _Outcome(
        paths=tuple(paths),
        placeholders=tuple(composed.placeholders()),
        warnings=((warning_line(warning),) if warning is not None else ()) + notes,
    )


def _carry_over(files: dict[Path, bytes], task: _Task, previous: Path) -> str:
    """Turn the row's MOU into tracked changes against the team's previous copy, if there is
    one; the note for the report says what happened to the team's edits."""
    from tutorbargain.render import apply_against
    from tutorbargain.roundtrip.carryover import summary

    if not previous.is_file():
        return f"no previous copy at {previous}: written fresh, without tracked changes"
    carried = apply_against(files, task.answers, task.folder, previous)
    return f"against {previous}: {summary(carried)}"


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
"""Ctrl-C, and the polite stop a service manager or `kill` sends: both end a batch cleanly."""


class _StopRequest:
    """Ctrl-C or SIGTERM while rendering lets the row in hand finish, then stops the batch.

    So every row is written whole or not at all, and the report can say which. Only the main
    thread can own signals; elsewhere Ctrl-C stays a plain `KeyboardInterrupt`.
    """

    def __init__(self) -> None:
        self.signum: int | None = None
        self._previous: dict[int, Any] = {}

    @property
    def requested(self) -> bool:
        return self.signum is not None

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.signum is None:
            self.signum = signum

    def __enter__(self) -> _StopRequest:
        if threading.current_thread() is threading.main_thread():
            for signum in STOP_SIGNALS:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore Ctrl-C for a moment: worker processes started now inherit it (no tracebacks)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


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


def make_pdfs(
    results: Sequence[RowResult], *, jobs: int = 1, stop: Callable[[], bool] = lambda: False
) -> list[RowResult]:
    """Convert the .docx of every rendered row to PDF: ``jobs`` LibreOffice processes side by
    side, each started once for hundreds of documents (see `pdf.convert_files`).

    A row whose PDFs LibreOffice could not make becomes failed, naming them (its .docx files
    stay). When ``stop()`` turns true the converters stop; rows keep the PDFs already made.
    The PDF names were checked against existing files before the row was rendered.
    """
    from tutorbargain.writers.pdf import convert_files

    docx_files = [p for r in results if r.status is Status.RENDERED for p in r.outputs]
    run = convert_files([p for p in docx_files if p.suffix == ".docx"], jobs=jobs, stop=stop)
    return with_pdfs(results, failed=run.failed, stopped=run.stopped)


def with_pdfs(
    results: Sequence[RowResult], *, failed: Mapping[Path, str], stopped: bool = False
) -> list[RowResult]:
    """Add each rendered row's PDFs that exist to its outputs. A row missing one fails, naming
    each missing PDF with the reason in ``failed`` (keyed by its .docx); when the run was
    ``stopped`` (Ctrl-C), a PDF with no reason was not tried and the row just has fewer files."""
    out: list[RowResult] = []
    for result in results:
        if result.status is not Status.RENDERED:
            out.append(result)
            continue
        docx_files = [p for p in result.outputs if p.suffix == ".docx"]
        made = tuple(
            p.with_suffix(".pdf")
            for p in docx_files
            if p not in failed and p.with_suffix(".pdf").exists()  # (an old one is no PDF of it)
        )
        why = {
            p: failed.get(p, "LibreOffice gave no reason")
            for p in docx_files
            if p.with_suffix(".pdf") not in made and (p in failed or not stopped)
        }
        for p in why:  # a PDF left from an earlier run (--force) is not a PDF of this MOU
            with contextlib.suppress(OSError):
                p.with_suffix(".pdf").unlink(missing_ok=True)
        if why:
            names = "; ".join(
                f"{p.with_suffix('.pdf').name} was not made ({w})" for p, w in why.items()
            )
            out.append(
                replace(
                    result,
                    status=Status.FAILED,
                    outputs=(*result.outputs, *made),
                    problems=(f"{result.label}: the Word files are written, but {names}",),
                )
            )
        else:
            out.append(replace(result, outputs=(*result.outputs, *made)))
    return out


# ---------------------------------------------------------------- reporting


def _report_text(results: Sequence[RowResult], out_dir: Path) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REPORT_COLUMNS)
    for result in sorted(results, key=lambda r: r.number):
        outputs = "; ".join(_relative(p, out_dir) for p in result.outputs)
        cells = (result.number, result.local, result.status.value, outputs, result.message)
        writer.writerow([spreadsheet_cell(cell) for cell in cells])
    # A byte-order mark, so Excel opens names like "Peña" correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


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


def check_out_dir(out_dir: Path, *, force: bool) -> None:
    """Refuse an output folder that is a file, or holds a report.csv tutorbargain did not write.

    A report.csv from an earlier batch is replaced: it describes the latest run.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("", [Problem(str(out_dir), "is a file, not a folder for the outputs")])
    report = out_dir / REPORT_NAME
    if not force and (report.exists() or report.is_symlink()) and not _is_our_report(report):
        raise OutputError(
            "",
            [
                Problem(
                    str(report),
                    "already exists and was not written by tutorbargain; use --force to "
                    "replace it, or choose another folder with -o",
                )
            ],
        )


# ---------------------------------------------------------------- one run per folder


LOCK_NAME = ".tutorbargain-batch.lock"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    except OSError:
        return True
    return True


class RunLock:
    """One batch at a time in an output folder: two runs writing the same folders would
    replace each other's files and each write a report.csv that tells half the story.

    The lock is a file in the folder naming the run (process id, computer, start time). A
    second run refuses, naming the first; a lock whose process has died on this computer
    (the run was killed) is taken over, and the listener is told so.
    """

    def __init__(self, out_dir: Path, listener: Listener) -> None:
        self.path = out_dir / LOCK_NAME
        self.listener = listener
        self.text = json.dumps(
            {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            }
        )

    def __enter__(self) -> RunLock:
        for _ in range(3):
            if self._create():
                return self
            holder = self._holder()
            if holder is None:
                continue  # the other run just finished and removed it: try again
            pid, host, started = holder
            if host == socket.gethostname() and pid > 0 and not _alive(pid):
                self.listener.stage(
                    f"Taking over {self.path}: the run that made it (process {pid}, started "
                    f"{started}) is no longer running."
                )
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
                continue
            raise OutputError(
                "",
                [
                    Problem(
                        str(self.path.parent),
                        f"is in use by another tutorbargain batch (process {pid} on {host}, "
                        f"started {started}); wait for it to finish or choose another folder "
                        f"with -o. If that run is surely gone, delete {self.path}",
                    )
                ],
            )
        raise OutputError("", [Problem(str(self.path), "cannot be created; try again")])

    def _create(self) -> bool:
        """Make the lock file whole, or not at all: a reader never sees it half-written."""
        temp = self.path.with_name(f".{LOCK_NAME}.{os.getpid()}.tmp")
        try:
            temp.write_text(self.text, encoding="utf-8")
            try:
                os.link(temp, self.path)  # fails if the lock exists; never replaces it
            except FileExistsError:
                return False
            except OSError:  # a file system without hard links: create it exclusively
                try:
                    fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                except FileExistsError:
                    return False
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(self.text)
            return True
        except OSError as exc:
            raise OutputError(
                "", [Problem(str(self.path), f"cannot be written ({exc.strerror or exc})")]
            ) from None
        finally:
            with contextlib.suppress(OSError):
                temp.unlink()

    def _holder(self) -> tuple[int, str, str] | None:
        """The process id, computer and start time the lock names; None if it is gone."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError):
            text = ""
        try:
            data = json.loads(text)
            return int(data["pid"]), str(data["host"]), str(data["started"])
        except (ValueError, KeyError, TypeError):
            return 0, "an unknown computer", "at an unknown time"

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            if self.path.read_text(encoding="utf-8") == self.text:
                self.path.unlink()


def remove_stale_temporaries(out_dir: Path) -> list[Path]:
    """Remove the ``.part`` temporaries a killed run (SIGKILL, a power cut) left behind in
    ``out_dir`` and its per-local folders. Only while holding the `RunLock`: no live run is
    writing into the folder then, so even a fresh temporary is a leftover."""
    removed = remove_temporaries(out_dir, older_than=0)
    with contextlib.suppress(OSError):
        for entry in os.scandir(out_dir):
            if entry.is_dir(follow_symlinks=False):
                removed += remove_temporaries(Path(entry.path), older_than=0)
    return removed


# ---------------------------------------------------------------- the whole batch


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


@dataclass
class BatchResult:
    """Every row's outcome, where the report went, and whether this was a dry run."""

    source: Path
    out_dir: Path
    results: list[RowResult]
    report: Path | None
    dry_run: bool = False

    def count(self, *statuses: Status) -> int:
        return sum(1 for r in self.results if r.status in statuses)

    @property
    def failed(self) -> list[RowResult]:
        return [r for r in self.results if r.status is Status.FAILED]

    @property
    def ok(self) -> bool:
        return not any(r.status in (Status.FAILED, Status.NOT_DONE) for r in self.results)

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
        total = sum(1 for r in self.results if r.status is not Status.SKIPPED)
        rows = _labels(failed[0].label.split()[0], [r.number for r in failed])
        if self.dry_run:
            raise BatchFailed(
                f"{len(failed)} of {total} locals would fail ({rows}); nothing was written."
            )
        done = self.count(Status.RENDERED)
        written = f"; the other {done} {'was' if done == 1 else 'were'} written" if done else ""
        no_pdf = [r for r in failed if r.outputs]  # Word files written, a PDF not made
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
    table = read_locals(source, sheet=sheet)
    checked = validate_rows(table)
    check_out_dir(out, force=force)
    if against is not None and not Path(against).is_dir():
        raise InputFileError(
            "",
            [
                Problem(
                    str(against),
                    "is not a folder: give --against the output folder of the earlier batch "
                    "(the one holding a folder per local)",
                )
            ],
        )
    if pdf:
        from tutorbargain.writers.pdf import require_soffice

        require_soffice()
    skipped = skipped_results(table)
    cores = usable_cores()
    if jobs > cores:
        show.stage(
            f"Using --jobs {cores}: this computer has {cores} CPU core{'s' if cores != 1 else ''}"
            f", and more workers than cores only add waiting ({jobs} were asked for)."
        )
        jobs = cores
    if dry_run:
        show.started(table.count, dry_run=True)
        previewed = preview_rows(checked, out, force=force, pdf=pdf)
        for result in _in_order([*previewed, *skipped]):
            show.row_done(result)
        return BatchResult(table.source, out, _in_order([*previewed, *skipped]), None, True)

    prepare_dir(out)
    with _StopRequest() as stop, RunLock(out, show):
        show.started(table.count, dry_run=False)
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


def _render_and_report(
    checked: Sequence[Checked],
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
) -> tuple[list[RowResult], bool]:
    """Render every row, then make PDFs; the results in row order, and whether it was stopped."""
    results: list[RowResult] = []
    pending_skips = sorted(skipped, key=lambda r: r.number)
    for result in render_rows(
        checked,
        out,
        jobs=jobs,
        force=force,
        pdf=pdf,
        clause_dirs=clause_dirs,
        today=today,
        stop=lambda: stop.requested,
        against=against,
    ):
        while pending_skips and pending_skips[0].number < result.number:
            show.row_done(pending_skips[0])
            results.append(pending_skips.pop(0))
        show.row_done(result)
        results.append(result)
    results = _in_order([*results, *pending_skips])
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


def _in_order(results: Sequence[RowResult]) -> list[RowResult]:
    return sorted(results, key=lambda r: r.number)


# ---------------------------------------------------------------- the empty spreadsheet


def column_guide(f: Field) -> str:
    """How to fill in a column, in words: for the template's help sheet and the README."""
    kind = f.kind
    if kind is Kind.BOOL:
        text = "yes or no"
    elif kind is Kind.COUNT:
        text = f"a whole number, {f.minimum} to {f.maximum:,}"
    elif kind is Kind.MONEY:
        text = "an amount like 40 or $40.00"
    elif kind is Kind.DATE:
        text = "a date like 2027-06-30 (or 6/30/2027)"
    elif kind is Kind.CHOICE:
        text = "one of: " + ", ".join(f.choice_values())
    elif kind is Kind.LIST and f.choices:
        text = "any of these, separated by ;: " + "; ".join(f.choice_values())
    elif kind is Kind.LIST:
        text = "words separated by ; like math; reading"
    elif kind is Kind.GRADES:
        text = "grades separated by ; like K; 1; 2"
    elif kind is Kind.STATE:
        text = "a two-letter state code like OH"
    elif kind is Kind.SCHOOL_YEAR:
        text = "a school year like 2026-27"
    else:
        text = "text"
    if f.required:
        text = "required; " + text
    elif f.name == "program.vendor_name":
        text = "required when program.provider is vendor or mixed; " + text
    if f.default is not None:
        text += f"; blank means {f.default} ({f.default_source})"
    return text


def write_template(path: Path | str, *, force: bool = False) -> Path:
    """Write an empty spreadsheet (CSV, or .xlsx by its name) with every column, schema order."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise OutputError(
            "", [Problem(str(target), "a template is a .csv or .xlsx file; end the name with one")]
        )
    refuse_overwrite([target], force=force)
    prepare_dir(target.parent)
    names = [f.name for f in FIELDS]
    if suffix == ".csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerow([spreadsheet_cell(name) for name in names])
        write_atomic(target, ("\ufeff" + buffer.getvalue()).encode("utf-8"))
    else:
        write_atomic(target, _template_xlsx())
    return target


def _template_xlsx() -> bytes:
    try:
        import openpyxl
        from openpyxl.styles import Alignment, Font
    except ImportError:
        raise OutputError(
            f"Writing an Excel template needs the openpyxl library; install it with: "
            f"{XLSX_HINT}  (or give a name ending .csv instead)"
        ) from None
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Locals"
    sheet.append([spreadsheet_cell(f.name) for f in FIELDS])
    for index, f in enumerate(FIELDS):
        letter = column_letter(index)
        sheet[f"{letter}1"].font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, len(f.name) + 2)
        if f.kind not in (Kind.BOOL, Kind.COUNT, Kind.MONEY, Kind.DATE):
            # Text format, so Excel keeps "3;4;5" and "2026-27" as typed.
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Columns")
    guide.append(["column", "what to write", "what it is"])
    for f in FIELDS:
        guide.append([spreadsheet_cell(text) for text in (f.name, column_guide(f), f.help)])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for letter, width in (("A", 34), ("B", 48), ("C", 70)):
        guide.column_dimensions[letter].width = width
        for cell in guide[letter]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- showing progress


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
