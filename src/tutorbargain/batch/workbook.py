"""Reading one sheet of an Excel workbook, refusing what would mislead or swamp the reader.

A workbook is a zip of XML parts: one that would unpack to gigabytes is refused before it is
unpacked, and a sheet past the size limits is refused as soon as it is. Merged cells and
formulas saved without a result would read as blank, so they are refused with a fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tutorbargain.batch.table import (
    MAX_FILE_BYTES,
    _is_blank,
    _split_header,
    column_letter,
    table_place,
)
from tutorbargain.errors import InputFileError, Problem
from tutorbargain.schema import did_you_mean
from tutorbargain.yamlfile import read_bytes

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


def _open_workbook(source: Path, sheet: str | None) -> tuple[Any, Any]:
    """The workbook, open read-only, and its chosen sheet; the caller closes the workbook.

    It stays open while a batch reads the sheet twice (first to check, then row by row as
    each row is rendered), so both readings see the same file even if it is saved meanwhile.
    """
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
        return workbook, _pick_sheet(workbook, source, sheet)
    except BaseException:
        workbook.close()
        raise


def _xlsx_records(
    source: Path, workbook: Any, worksheet: Any, *, check_hidden: bool = True
) -> tuple[list[object], Iterator[tuple[int, list[object]]]]:
    """The header cells and numbered rows of one sheet, values typed, read as they are used.

    With ``check_hidden``, cells that would read as blank but are not (merged, or a formula
    without its result) are refused once every row has been read.
    """
    return _split_header(_sheet_rows(source, workbook, worksheet, check_hidden=check_hidden))


def _sheet_rows(
    source: Path, workbook: Any, worksheet: Any, *, check_hidden: bool
) -> Iterator[tuple[int, list[object]]]:
    try:
        worksheet.reset_dimensions()  # some programs record a wrong size; read every row
        yield from _bounded_rows(source, worksheet.iter_rows(values_only=True))
        hidden = _hidden_values(workbook, worksheet) if check_hidden else []
    except InputFileError:
        raise
    except Exception:  # a damaged sheet inside a workbook that opened
        raise InputFileError(
            "",
            [
                Problem(
                    table_place(source, sheet=worksheet.title),
                    "cannot be read; it may be damaged. Open the workbook in Excel and "
                    "save it again, or save the sheet as CSV UTF-8",
                )
            ],
        ) from None
    if hidden:
        shown = "; ".join(hidden[:5]) + (f"; and {len(hidden) - 5} more" if len(hidden) > 5 else "")
        raise InputFileError(
            "",
            [
                Problem(
                    table_place(source, sheet=worksheet.title),
                    f"has cells whose values cannot be read ({shown}). Unmerge merged cells "
                    "and type the value in each; for a formula, open the workbook in Excel and "
                    "save it (Excel stores the result), or paste it as a value",
                )
            ],
        )


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
) -> Iterator[tuple[int, list[object]]]:
    """The sheet's numbered rows, refused as soon as it holds more than `MAX_ROWS` locals,
    a value past column `MAX_COLUMNS`, or more than `MAX_CELLS` cells."""
    filled = cells = 0
    for number, row in enumerate(values, start=1):
        cells += len(row)
        if len(row) > MAX_COLUMNS and not _is_blank(row[MAX_COLUMNS:]):
            index = next(i for i, c in enumerate(row) if i >= MAX_COLUMNS and not _is_blank([c]))
            _too_big(
                table_place(source, row=number, column=column_letter(index)),
                "has a value past column "
                f"{column_letter(MAX_COLUMNS - 1)}; a list of locals has at most "
                f"{MAX_COLUMNS} columns",
            )
        if not _is_blank(row):
            filled += 1
        if filled > MAX_ROWS + 1:  # the header, then the locals
            _too_big(
                table_place(source, row=number),
                f"is past {MAX_ROWS:,} locals, the most one file "
                "may hold; split the list into several files",
            )
        if cells > MAX_CELLS:
            _too_big(
                table_place(source, row=number),
                f"brings the sheet past {MAX_CELLS:,} cells, the "
                "most tutorbargain reads; delete the unused rows and columns (or save the "
                "sheet as CSV UTF-8)",
            )
        yield number, list(row[:MAX_COLUMNS])


def _too_big(where: str, message: str) -> None:
    raise InputFileError("", [Problem(where, message)])


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
            "", [Problem(table_place(source, sheet=sheet), "is a chart, not a sheet of rows")]
        )
    return chosen
