"""The empty spreadsheet a staffer fills in: every column in schema order, and a guide sheet
saying what to write in each (``batch --template``)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tutorbargain.answers.fields import FIELDS
from tutorbargain.answers.kinds import column_guide, text_column
from tutorbargain.batch.report import spreadsheet_cell
from tutorbargain.batch.table import column_letter
from tutorbargain.batch.workbook import XLSX_HINT
from tutorbargain.errors import OutputError, Problem
from tutorbargain.writers.output import prepare_dir, refuse_overwrite, write_atomic


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
        if text_column(f):
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
