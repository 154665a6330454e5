"""Reading a file of locals: a CSV file, an Excel workbook or a YAML list, by its name.

A file-level problem (cannot be read, an unknown or missing required column, no rows) raises
at once, before anything is rendered; a problem with one row stays on that row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path

from tutorbargain.answers.fields import SUPPORTED_VERSIONS
from tutorbargain.answers.reading import flatten
from tutorbargain.batch.table import (
    MAX_FILE_BYTES,
    Locals,
    Row,
    _from_table,
    _split_header,
    table_place,
)
from tutorbargain.batch.workbook import _xlsx_records
from tutorbargain.errors import InputFileError, Problem
from tutorbargain.schema import version_problem
from tutorbargain.yamlfile import read_bytes


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
                    table_place(source, line=line),
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
        where = table_place(source, row=number + 1, line=line + 1)
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
                            table_place(row=number, kind="item"),
                            "must be one local's answers (local:, district:, ...)",
                        ),
                    ),
                    readable=False,
                )
            )
            continue
        flat, problems = flatten(item, probe.where)
        problem = version_problem(item.get("schema_version"), SUPPORTED_VERSIONS, required=False)
        if problem:
            problems.append(Problem(probe.where("schema_version"), problem))
        rows.append(replace(probe, values=flat, problems=tuple(problems)))
    if not rows:
        raise InputFileError("", [Problem(str(source), "is an empty list; it has no locals")])
    last = rows[-1].number
    return Locals(
        source=source, rows=tuple(rows), skipped=tuple(n for n in blank if n < last), kind="item"
    )
