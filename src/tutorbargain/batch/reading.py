"""Reading a file of locals: a CSV file, an Excel workbook or a YAML list, by its name.

A file-level problem (cannot be read, an unknown or missing required column, no rows) raises
at once, before anything is rendered; a problem with one row stays on that row.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from tutorbargain.answers.fields import SUPPORTED_VERSIONS
from tutorbargain.answers.reading import flatten
from tutorbargain.batch.table import (
    MAX_FILE_BYTES,
    Locals,
    Row,
    _split_header,
    _table_entries,
    table_place,
)
from tutorbargain.batch.workbook import _open_workbook, _xlsx_records
from tutorbargain.errors import InputFileError, Problem
from tutorbargain.schema import version_problem
from tutorbargain.yamlfile import read_bytes


def read_locals(path: Path | str, *, sheet: str | None = None) -> Locals:
    """Read a .csv, .xlsx or .yml/.yaml list of locals; file-level problems raise at once.

    A file-level problem (cannot be read, an unknown or missing required column, no rows)
    raises `InputFileError` before anything is rendered. Problems with one row stay on the row.
    Every row is held at once; `LocalsFile` reads them one at a time instead.
    """
    with LocalsFile(path, sheet=sheet) as table:
        rows: list[Row] = []
        blank: list[int] = []
        for entry in table.entries():
            if isinstance(entry, Row):
                rows.append(entry)
            else:
                blank.append(entry)
        last = rows[-1].number
        skipped = tuple(n for n in blank if n < last)  # trailing empty rows are not rows at all
        return Locals(source=table.source, rows=tuple(rows), skipped=skipped, kind=table.kind)


class LocalsFile:
    """A list of locals held open and read one row at a time, from the top each time it is
    asked (`entries`): a batch reads it once to check it and again as it renders, so it never
    holds every row at once. Both readings see the same file, even if it is saved meanwhile.

    A file-level problem raises `InputFileError`: opening the file, or when the reading
    reaches it (a bad header at once, a byte that is not UTF-8 on its line). Close it when done.
    """

    def __init__(self, path: Path | str, *, sheet: str | None = None) -> None:
        self.source = Path(path)
        suffix = self.source.suffix.lower()
        if sheet is not None and suffix != ".xlsx":
            raise InputFileError(
                "", [Problem(str(self.source), "--sheet only applies to an Excel workbook (.xlsx)")]
            )
        self.kind = "item" if suffix in (".yml", ".yaml") else "row"
        self._handle: BinaryIO | None = None
        self._workbook: Any = None
        self._worksheet: Any = None
        self._yaml: list[tuple[Any, dict[str, int]]] | None = None
        self._read_whole = False  # the first full reading checks what only it can see
        if suffix == ".csv":
            self._handle = _open_csv(self.source)
        elif suffix == ".xlsx":
            self._workbook, self._worksheet = _open_workbook(self.source, sheet)
        elif suffix in (".yml", ".yaml"):
            self._yaml = _load_yaml_list(self.source)
        elif suffix in (".xls", ".ods", ".numbers", ".xlsm"):
            raise InputFileError(
                "",
                [
                    Problem(
                        str(self.source),
                        f"is a {suffix} file; save it as an Excel Workbook (.xlsx) or as "
                        "CSV UTF-8 and try again",
                    )
                ],
            )
        else:
            raise InputFileError(
                "",
                [
                    Problem(
                        str(self.source),
                        "batch reads a spreadsheet (.csv or .xlsx) or a YAML list (.yml); "
                        "this file has none of those endings",
                    )
                ],
            )

    def entries(self) -> Iterator[Row | int]:
        """Every local in file order, from the top: a `Row`, or the number of a blank row.

        Blank rows after the last local are yielded too; they are not rows of the list.
        """
        check = not self._read_whole
        if self._handle is not None:
            header, records = _csv_records(self.source, self._handle)
            yield from _table_entries(self.source, header, records, typed=False)
        elif self._workbook is not None:
            header, records = _xlsx_records(
                self.source, self._workbook, self._worksheet, check_hidden=check
            )
            yield from _table_entries(self.source, header, records, typed=True)
        elif self._yaml is not None:
            yield from _yaml_entries(self.source, self._yaml)
        self._read_whole = True

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
        if self._workbook is not None:
            self._workbook.close()

    def __enter__(self) -> LocalsFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _open_csv(source: Path) -> BinaryIO:
    """The CSV file open for reading, after the checks every list of locals gets."""
    read_bytes(source, what="a list of locals", read=False, limit=MAX_FILE_BYTES)
    try:
        return source.open("rb")
    except OSError:  # gone or changed since the check: let it say why
        read_bytes(source, what="a list of locals", limit=MAX_FILE_BYTES)
        raise


def _csv_lines(source: Path, handle: BinaryIO) -> Iterator[str]:
    """The file's lines from the top, as text, split as the csv module expects (newline="");
    refused if it is not UTF-8 or grows past `MAX_FILE_BYTES`."""
    handle.seek(0)
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    try:
        while line := text.readline(MAX_FILE_BYTES):
            if handle.tell() > MAX_FILE_BYTES:
                raise InputFileError(
                    "",
                    [
                        Problem(
                            str(source),
                            f"is more than {MAX_FILE_BYTES:,} bytes, too large to be a list "
                            "of locals",
                            "too-large",
                        )
                    ],
                )
            yield line
    except UnicodeDecodeError:
        handle.seek(0)
        raw = handle.read(MAX_FILE_BYTES + 1)
        try:
            raw.decode("utf-8-sig")
            line_number = 1  # (it decoded this time: the file changed while being read)
        except UnicodeDecodeError as exc:
            line_number = raw[: exc.start].count(b"\n") + 1
        raise InputFileError(
            "",
            [
                Problem(
                    table_place(source, line=line_number),
                    "is not UTF-8 text. In Excel use File > Save As > 'CSV UTF-8 (Comma "
                    "delimited)', or give tutorbargain the .xlsx workbook itself",
                )
            ],
        ) from None
    finally:
        if not handle.closed:
            text.detach()  # the file stays open for the next reading


def _csv_records(
    source: Path, handle: BinaryIO
) -> tuple[list[object], Iterator[tuple[int, list[object]]]]:
    """The header cells and the numbered records of a CSV file (UTF-8, with or without BOM),
    read as they are used."""
    lines = _csv_lines(source, handle)
    first_line = next(lines, "")
    delimiter = ","
    if "," not in first_line:
        delimiter = ";" if ";" in first_line else "\t" if "\t" in first_line else ","
    # strict: a quote that is never closed is an error, not a cell that swallows the rows below
    reader = csv.reader(itertools.chain([first_line], lines), delimiter=delimiter, strict=True)
    return _split_header(_numbered_records(source, handle, reader))


def _numbered_records(
    source: Path, handle: BinaryIO, reader: Any
) -> Iterator[tuple[int, list[object]]]:
    number, line = 0, 0  # the last record read, and the line it ended on
    try:
        for number, record in enumerate(reader, start=1):
            line = reader.line_num
            yield number, list(record)
    except csv.Error as exc:
        where = table_place(source, row=number + 1, line=line + 1)
        handle.seek(0)
        text = handle.read(MAX_FILE_BYTES + 1).decode("utf-8-sig", errors="replace")
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


def _offset_of_line(text: str, line: int) -> int:
    """Where line ``line + 1`` starts (lines counted from 1; 0 is the start of the text)."""
    offset = 0
    for _ in range(line):
        found = text.find("\n", offset)
        if found < 0:
            return len(text)
        offset = found + 1
    return offset


def _load_yaml_list(source: Path) -> list[tuple[Any, dict[str, int]]]:
    """A YAML list of locals, whole (YAML is not read a piece at a time), and each item's lines."""
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
    return [(item, lines_of.get(index, {})) for index, item in enumerate(data)]


def _yaml_entries(source: Path, items: list[tuple[Any, dict[str, int]]]) -> Iterator[Row | int]:
    any_row = False
    for index, (item, lines) in enumerate(items):
        number = index + 1
        if item is None:
            yield number
            continue
        any_row = True
        probe = Row(number, {}, kind="item", lines=lines)
        if not isinstance(item, Mapping):
            yield replace(
                probe,
                problems=(
                    Problem(
                        table_place(row=number, kind="item"),
                        "must be one local's answers (local:, district:, ...)",
                    ),
                ),
                readable=False,
            )
            continue
        flat, problems = flatten(item, probe.where)
        problem = version_problem(item.get("schema_version"), SUPPORTED_VERSIONS, required=False)
        if problem:
            problems.append(Problem(probe.where("schema_version"), problem))
        yield replace(probe, values=flat, problems=tuple(problems))
    if not any_row:
        raise InputFileError("", [Problem(str(source), "is an empty list; it has no locals")])
