"""The empty spreadsheet a staffer fills in: every column in schema order, and a guide sheet
saying what to write in each (``batch --template``)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tutorbargain.answers.fields import FIELDS, Field, Kind
from tutorbargain.batch.report import spreadsheet_cell
from tutorbargain.batch.table import column_letter
from tutorbargain.batch.workbook import XLSX_HINT
from tutorbargain.errors import OutputError, Problem
from tutorbargain.writers.output import prepare_dir, refuse_overwrite, write_atomic


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
