"""A locals table as rows: the header's column names, and each row's cells by name.

CSV files and Excel workbooks both come down to a header row and numbered records; this
module maps the header to the answers file's dotted names and each record to a `Row`, so
every problem names the row and column the staffer sees ("row 7, column pay.tutoring_rate").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tutorbargain.answers.fields import BY_NAME, FIELDS
from tutorbargain.answers.kinds import typed_cell
from tutorbargain.errors import InputFileError, Place, Problem, problems_error
from tutorbargain.schema import closest, did_you_mean

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Far larger than any real list of locals; a guard against reading the wrong file."""


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
        return table_place(row=self.number, kind=self.kind)

    def where(self, name: str) -> str:
        """``row 7, column pay.tutoring_hourly_rate`` or ``item 3, field ... (line 40)``."""
        line = None
        if self.kind == "item":
            line = self.lines.get(name) or self.lines.get(name.partition(".")[0])
        return table_place(row=self.number, column=name, line=line, kind=self.kind)

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


def table_place(
    source: Path | str = "",
    *,
    sheet: str = "",
    row: int | None = None,
    column: str = "",
    line: int | None = None,
    kind: str = "row",
) -> str:
    """Where in a list of locals something is, in the one wording every batch message uses:
    ``locals.csv, row 7, column pay.tutoring_rate`` or ``item 3, field local.name (line 40)``.

    ``kind`` is the word the file uses for a local (``row``, or ``item`` in a YAML list, whose
    columns are fields). A place known only by a line of the file's text is a `Place`.
    """
    if row is None and not sheet:
        return Place(str(source), line)
    parts = [*([str(source)] if source else []), *([f"sheet {sheet}"] if sheet else [])]
    if row is not None:
        parts.append(f"{kind} {row}")
    if column:
        parts.append(f"{'column' if kind == 'row' else 'field'} {column}")
    words = ", ".join(parts)
    return f"{words} (line {line})" if line else words


def _split_header(
    records: Iterable[tuple[int, list[object]]],
) -> tuple[list[object], Iterator[tuple[int, list[object]]]]:
    """The first non-blank row is the header; rows keep their own numbers after it."""
    rest = iter(records)
    for _, record in rest:
        if not _is_blank(record):
            return record, rest
    return [], rest


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
        where = table_place(source, row=1, column=f"{letter} ({text})")
        if name not in known:
            close = closest(name, known)
            if close is not None:
                meant.add(close)
            hint = did_you_mean(name, known)
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
                    table_place(source, row=1),
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
                table_place(source, row=1),
                f"has no column {', '.join(missing)}; every local needs "
                f"{'it' if len(missing) == 1 else 'them'}, so add the column"
                f"{'' if len(missing) == 1 else 's'}",
            )
        )
    if problems:
        raise problems_error(InputFileError, str(source), problems)
    return columns


def _table_entries(
    source: Path,
    header: Sequence[object],
    records: Iterator[tuple[int, list[object]]],
    *,
    typed: bool,
) -> Iterator[Row | int]:
    """Each record after the header as a `Row`, or the number of a blank one, read as they come."""
    columns = _columns(source, header)
    width = max(i for i, name in enumerate(columns) if name is not None) + 1
    any_row = False
    for number, record in records:
        if _is_blank(record):
            yield number
            continue
        any_row = True
        yield _table_row(number, record, columns, width, typed=typed)
    if not any_row:
        raise InputFileError(
            "", [Problem(str(source), "has column names but no locals below them")]
        )


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
        return Row(
            number, local, problems=(Problem(table_place(row=number), message),), readable=False
        )
    values: dict[str, object] = {}
    problems: list[Problem] = []
    for index, name in enumerate(columns):
        cell = record[index] if index < len(record) else None
        if name is None:
            if not _is_blank([cell]):
                problems.append(
                    Problem(
                        table_place(row=number, column=column_letter(index)),
                        "has a value, but its column has no name in row 1; "
                        "delete the value or name the column",
                    )
                )
        elif typed and name in BY_NAME:
            values[name] = typed_cell(BY_NAME[name], cell)
        else:
            values[name] = cell
    return Row(number, values, problems=tuple(problems))
