"""`tutorbargain batch`: many locals from one spreadsheet, checked row by row.

Tests read back what the staffer sees: the lines printed, report.csv, and the words in each
document, never the bytes of a .docx.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES, ROOT, docx_comments, docx_text, run_cli
from tutorbargain import batch
from tutorbargain.answers.fields import BY_NAME, FIELDS
from tutorbargain.answers.kinds import typed_cell
from tutorbargain.errors import InputFileError, ToolMissingError
from tutorbargain.writers.output import slugify

COLUMNS = [f.name for f in FIELDS]
COMMAND = [sys.executable, "-m", "tutorbargain"]
EXAMPLE_CSV = EXAMPLES / "locals.csv"
TODAY = dt.date(2026, 5, 1)


def example_rows() -> list[dict[str, str]]:
    with EXAMPLE_CSV.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(
    path: Path,
    rows: Sequence[Mapping[str, object]],
    columns: Sequence[str] = COLUMNS,
    *,
    bom: bool = False,
) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(name, "") for name in columns])
    return path


def read_report(out: Path) -> list[dict[str, str]]:
    with (out / "report.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def mou(out: Path, name: str) -> Path:
    slug = slugify(name)
    return out / slug / f"{slug}-mou.docx"


def numbered(count: int) -> list[dict[str, str]]:
    """``count`` valid locals with distinct names, cycling through the example's variety."""
    base = example_rows()
    rows = []
    for index in range(count):
        row = dict(base[index % len(base)])
        row["local.name"] = f"{row['local.name']} Unit {index + 1}"
        rows.append(row)
    return rows


# ---------------------------------------------------------------- the example spreadsheet


def test_example_spreadsheet_renders_every_local(tmp_path: Path) -> None:
    rows = example_rows()
    assert len(rows) >= 8
    assert len({r["district.state"] for r in rows}) >= 8
    for column in ("bargaining.status", "program.provider", "program.delivery", "funding.source"):
        field = BY_NAME[column]
        assert {r[column] for r in rows} >= set(field.choice_values()) - {"other"}, column

    out = tmp_path / "out"
    result = run_cli(["batch", str(EXAMPLE_CSV), "-o", str(out)])

    assert result.code == 0, result.err
    assert f"Rendered {len(rows)}, failed 0, 0 skipped" in result.out
    for row in rows:
        text = docx_text(mou(out, row["local.name"]))
        assert row["local.name"] in text
        assert row["district.name"] in text
        questions = mou(out, row["local.name"]).with_name(
            f"{slugify(row['local.name'])}-impact-questions.docx"
        )
        assert row["local.name"] in docx_text(questions)
    report = read_report(out)
    assert [r["status"] for r in report] == ["rendered"] * len(rows)
    assert [r["local"] for r in report] == [r["local.name"] for r in rows]


def test_example_values_reach_the_documents(tmp_path: Path) -> None:
    """Spreadsheet spellings ($44.50, 9/30/2026, yes, 6;7;8) arrive as the right words."""
    out = tmp_path / "out"
    batch.run_batch(EXAMPLE_CSV, out, today=TODAY)
    maple = docx_text(mou(out, "Maple Ridge Education Association"))
    assert "$48.00" in maple  # pay.tutoring_hourly_rate written as $48.00
    harbor = docx_text(mou(out, "Harbor City Teachers Association"))
    assert "Lumen Learning Partners LLC" in harbor
    assert "September 30, 2026" in harbor  # funding.ends written as 9/30/2026


def test_the_report_warns_of_a_date_still_to_come_as_render_does(tmp_path: Path) -> None:
    """A row whose union learned of the program on a day after the run's date renders, and
    report.csv tells the team to fix the date the letter prints."""
    rows = example_rows()[:2]
    rows[0]["bargaining.union_notified_on"] = "2026-06-15"  # after TODAY, 2026-05-01
    rows[1]["bargaining.union_notified_on"] = "2026-04-20"
    out = tmp_path / "out"
    result = batch.run_batch(write_csv(tmp_path / "locals.csv", rows), out, today=TODAY)
    assert result.ok and result.count(batch.Status.RENDERED) == 2
    notes = [row["message"] for row in read_report(out)]
    assert "bargaining.union_notified_on" in notes[0]
    assert "a day still to come" in notes[0]
    assert "bargaining.union_notified_on" not in notes[1]


# ---------------------------------------------------------------- bad rows


def test_a_script_that_runs_a_batch_gets_its_garbage_collector_back(tmp_path: Path) -> None:
    """A batch keeps its loaded library out of the collector's way while it renders; a script
    running forty batches in one process must not be left with everything frozen."""
    import gc

    result = batch.run_batch(EXAMPLE_CSV, tmp_path / "out", jobs=1)

    assert not result.failed
    assert gc.get_freeze_count() == 0


def test_three_broken_rows_are_named_and_the_rest_render(tmp_path: Path) -> None:
    rows = example_rows()[:6]
    rows[1]["pay.tutoring_hourly_rate"] = "forty dollars"  # row 3
    rows[3]["district.state"] = "Kanzas"  # row 5: misspelt
    rows[4]["program.vendor_name"] = ""  # row 6: a vendor program needs the vendor's name
    source = write_csv(tmp_path / "locals.csv", rows)
    out = tmp_path / "out"

    result = run_cli(["batch", str(source), "-o", str(out)])

    assert result.code == 1
    assert "row 3, column pay.tutoring_hourly_rate: must be an amount of money" in result.out
    assert "row 5, column district.state: must be a two-letter state code" in result.out
    assert "row 6, column program.vendor_name: is required when the provider is vendor" in (
        result.out
    )
    assert "Rendered 3, failed 3, 0 skipped" in result.out
    assert "Error: 3 of 6 locals were not rendered (rows 3, 5 and 6)" in result.err
    assert "Traceback" not in result.err
    report = {int(r["row"]): r for r in read_report(out)}
    assert [report[n]["status"] for n in range(2, 8)] == [
        "rendered",
        "failed",
        "rendered",
        "failed",
        "failed",
        "rendered",
    ]
    assert "row 3, column pay.tutoring_hourly_rate" in report[3]["message"]
    assert "row 5, column district.state" in report[5]["message"]
    assert "row 6, column program.vendor_name" in report[6]["message"]
    assert report[3]["outputs"] == ""
    for number in (2, 4, 7):
        assert mou(out, report[number]["local"]).exists()
        assert report[number]["outputs"].endswith("-impact-questions.md")
    for number in (3, 5, 6):
        assert not (out / slugify(report[number]["local"])).exists()


def test_a_row_with_several_problems_lists_each(tmp_path: Path) -> None:
    rows = example_rows()[:2]
    rows[0].update({"school_year": "2026", "program.weeks": "0", "tutors.esps": "maybe"})
    out = tmp_path / "out"
    result = batch.run_batch(write_csv(tmp_path / "l.csv", rows), out)
    failed = result.failed[0]
    assert failed.label == "row 2"
    wheres = [p.split(":")[0] for p in failed.problems]
    assert wheres == [
        "row 2, column school_year",
        "row 2, column program.weeks",
        "row 2, column tutors.esps",
    ]


def test_two_rows_with_the_same_folder_name_both_fail(tmp_path: Path) -> None:
    rows = example_rows()[:4]
    rows[1]["local.name"] = "Cedar Lake Education Association"
    rows[3]["local.name"] = "Cedar Lake Education Association!"
    out = tmp_path / "out"
    result = batch.run_batch(write_csv(tmp_path / "l.csv", rows), out)
    by_row = {r.number: r for r in result.results}
    assert [by_row[n].status.value for n in (2, 3, 4, 5)] == [
        "rendered",
        "failed",
        "rendered",
        "failed",
    ]
    assert "row 3, column local.name: gives the same folder name" in by_row[3].message
    assert "as row 5" in by_row[3].message
    assert "as row 3" in by_row[5].message
    assert not (out / "cedar-lake-education-association").exists()


def test_unknown_column_is_refused_with_a_hint_and_nothing_is_written(tmp_path: Path) -> None:
    columns = [c if c != "pay.tutoring_hourly_rate" else "pay.tutoring_rate" for c in COLUMNS]
    rows = [{**r, "pay.tutoring_rate": r["pay.tutoring_hourly_rate"]} for r in example_rows()]
    source = write_csv(tmp_path / "locals.csv", rows, columns)
    out = tmp_path / "out"

    result = run_cli(["batch", str(source), "-o", str(out)])

    assert result.code == 1
    letter = batch.column_letter(columns.index("pay.tutoring_rate"))
    assert f"row 1, column {letter} (pay.tutoring_rate): is not a column" in result.err
    assert "did you mean pay.tutoring_hourly_rate?" in result.err
    assert not out.exists()


def test_a_missing_required_column_is_reported_once(tmp_path: Path) -> None:
    columns = [c for c in COLUMNS if c != "district.state"]
    source = write_csv(tmp_path / "locals.csv", example_rows(), columns)
    with pytest.raises(InputFileError) as caught:
        batch.read_locals(source)
    text = str(caught.value)
    assert text.count("district.state") == 1
    assert "has no column district.state" in text


def test_a_misspelt_required_column_is_named_once(tmp_path: Path) -> None:
    columns = [c if c != "district.name" else "district.nam" for c in COLUMNS]
    rows = [{**r, "district.nam": r["district.name"]} for r in example_rows()]
    with pytest.raises(InputFileError) as caught:
        batch.read_locals(write_csv(tmp_path / "locals.csv", rows, columns))
    assert caught.value.lines() == [
        f"{tmp_path / 'locals.csv'}, row 1, column "
        f"{batch.column_letter(COLUMNS.index('district.name'))} (district.nam): is not a column "
        "tutorbargain knows (did you mean district.name?)"
    ]


def test_header_in_other_case_and_with_spaces_is_accepted(tmp_path: Path) -> None:
    columns = [f" {c.upper()} " if c.startswith("local.") else c for c in COLUMNS]
    rows = [{columns[COLUMNS.index(k)]: v for k, v in example_rows()[0].items()}]
    table = batch.read_locals(write_csv(tmp_path / "l.csv", rows, columns))
    assert table.rows[0].values["local.name"] == "Maple Ridge Education Association"


def test_a_file_with_only_a_header_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no locals below them"):
        batch.read_locals(write_csv(tmp_path / "l.csv", []))


def test_a_data_row_in_place_of_the_header_points_to_the_template(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text("Maple Ridge EA,Maple Ridge LSD,OH\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"batch --template locals\.csv"):
        batch.read_locals(path)


# ---------------------------------------------------------------- CSV forms


def test_csv_with_a_byte_order_mark_renders(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "locals.csv", example_rows()[:2], bom=True)
    assert source.read_bytes().startswith(b"\xef\xbb\xbf")
    result = batch.run_batch(source, tmp_path / "out", today=TODAY)
    assert result.ok and result.count(batch.Status.RENDERED) == 2


def test_csv_that_is_not_utf8_says_how_to_save_it(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "locals.csv", example_rows()[:2])
    path.write_bytes(path.read_bytes() + "Pe\u00f1a Education Association\n".encode("cp1252"))
    with pytest.raises(InputFileError) as caught:
        batch.read_locals(path)
    assert "locals.csv, line 4: is not UTF-8 text" in str(caught.value)
    assert "'CSV UTF-8 (Comma delimited)'" in str(caught.value)


def test_ragged_rows_fail_alone(tmp_path: Path) -> None:
    rows = example_rows()[:4]
    header = ",".join(COLUMNS)
    lines = [header]
    for row in rows:
        buffer = [row.get(c, "") for c in COLUMNS]
        lines.append(",".join(f'"{v}"' if "," in v else v for v in buffer))
    lines[2] = lines[2] + ",surplus value"  # row 3: one cell too many
    lines[3] = ",".join(lines[3].split(",")[:10])  # row 4: cut short
    path = tmp_path / "locals.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = batch.run_batch(path, tmp_path / "out", today=TODAY)

    by_row = {r.number: r for r in result.results}
    assert by_row[2].status is batch.Status.RENDERED
    assert by_row[5].status is batch.Status.RENDERED
    assert by_row[3].problems == (
        f"row 3: has {len(COLUMNS) + 1} cells but row 1 names {len(COLUMNS)} columns (first "
        'extra value: "surplus value"); a value with a comma in it needs quotes around it',
    )
    assert by_row[4].problems[0].startswith(f"row 4: has 10 cells but row 1 names {len(COLUMNS)}")
    assert by_row[4].local == rows[2]["local.name"]


def test_trailing_empty_cells_are_not_ragged(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "locals.csv", example_rows()[:1])
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], lines[1] + ",,"]) + "\n", encoding="utf-8")
    (checked,) = batch.validate_rows(batch.read_locals(path))
    assert checked.ok


def test_blank_rows_are_skipped_and_counted(tmp_path: Path) -> None:
    rows = example_rows()[:3]
    path = write_csv(tmp_path / "locals.csv", [rows[0], {}, rows[1], {}, {}, rows[2], {}, {}])
    out = tmp_path / "out"
    result = batch.run_batch(path, out, today=TODAY)
    assert result.count(batch.Status.RENDERED) == 3
    assert result.count(batch.Status.SKIPPED) == 3  # rows 3, 5 and 6; not the two at the end
    assert "Rendered 3, failed 0, 3 skipped (blank)" in result.summary()
    report = read_report(out)
    assert [(r["row"], r["status"]) for r in report] == [
        ("2", "rendered"),
        ("3", "skipped"),
        ("4", "rendered"),
        ("5", "skipped"),
        ("6", "skipped"),
        ("7", "rendered"),
    ]


def test_a_device_named_like_a_spreadsheet_is_refused_not_read(tmp_path: Path) -> None:
    link = tmp_path / "locals.csv"
    link.symlink_to("/dev/zero")  # reports size 0 and never ends
    with pytest.raises(InputFileError, match="is not a regular file"):
        batch.read_locals(link)


def test_semicolon_separated_csv_from_a_european_excel(tmp_path: Path) -> None:
    path = tmp_path / "locals.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(COLUMNS)
        writer.writerow([example_rows()[0].get(c, "") for c in COLUMNS])
    (checked,) = batch.validate_rows(batch.read_locals(path))
    assert checked.ok
    assert checked.answers is not None
    assert checked.answers.get("program.grades") == ["6", "7", "8"]


# ---------------------------------------------------------------- Excel


openpyxl = pytest.importorskip("openpyxl")


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], *, sheet: str = "Locals") -> Path:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(list(row))
    workbook.save(path)
    return path


def typed_row() -> dict[str, object]:
    """Maple Ridge as Excel holds it when the cells are typed: numbers, a date, booleans."""
    row: dict[str, object] = dict(example_rows()[0])
    row.update(
        {
            "pay.tutoring_hourly_rate": 40.0,
            "pay.certificated_hourly_rate": 44.5,
            "program.sessions_per_week": 3,
            "program.students": 300,
            "program.grades": 7,
            "bargaining.tutors_already_negotiated": False,
            "tutors.esps": True,
            "bargaining.contract_article": 12,
            "funding.ends": dt.datetime(2027, 6, 30),
        }
    )
    return row


def test_xlsx_with_typed_cells_renders(tmp_path: Path) -> None:
    row = typed_row()
    path = write_xlsx(tmp_path / "locals.xlsx", [COLUMNS, [row.get(c) or None for c in COLUMNS]])
    out = tmp_path / "out"

    result = run_cli(["batch", str(path), "-o", str(out)])

    assert result.code == 0, result.out + result.err
    text = docx_text(mou(out, "Maple Ridge Education Association"))
    assert "$40.00" in text
    assert "June 30, 2027" in text
    (checked,) = batch.validate_rows(batch.read_locals(path))
    assert checked.answers is not None
    assert checked.answers.get("program.grades") == ["7"]
    assert checked.answers.get("bargaining.contract_article") == "12"
    assert checked.answers.get("funding.ends") == dt.date(2027, 6, 30)
    assert checked.answers.get("tutors.esps") is True


@pytest.mark.parametrize(
    ("name", "cell", "expected"),
    [
        ("pay.tutoring_hourly_rate", 40.0, 40),
        ("pay.tutoring_hourly_rate", 62.5, 62.5),
        ("program.sessions_per_week", 3.0, 3),
        ("program.grades", 5.0, 5),
        ("bargaining.contract_article", 14.0, "14"),
        ("school_year", 2026.0, "2026"),
        ("funding.ends", dt.datetime(2027, 6, 30), dt.datetime(2027, 6, 30)),
        ("local.president", dt.datetime(2027, 6, 30), "2027-06-30"),
        ("tutors.esps", True, True),
        ("tutors.esps", 1.0, 1),
    ],
)
def test_excel_cell_types_become_what_the_field_reads(
    name: str, cell: object, expected: object
) -> None:
    value = typed_cell(BY_NAME[name], cell)
    assert value == expected
    assert type(value) is type(expected)


def test_xlsx_row_numbers_match_excel(tmp_path: Path) -> None:
    good, bad = typed_row(), typed_row()
    bad["local.name"] = "Second Local"
    bad["pay.tutoring_hourly_rate"] = "lots"
    path = write_xlsx(
        tmp_path / "l.xlsx",
        [
            COLUMNS,
            [good.get(c) or None for c in COLUMNS],
            [],
            [bad.get(c) or None for c in COLUMNS],
        ],
    )
    result = batch.run_batch(path, tmp_path / "out", dry_run=True)
    assert [(r.number, r.status.value) for r in result.results] == [
        (2, "would render"),
        (3, "skipped"),
        (4, "failed"),
    ]
    assert result.failed[0].problems[0].startswith("row 4, column pay.tutoring_hourly_rate:")


def test_xlsx_sheet_by_name_and_a_missing_sheet(tmp_path: Path) -> None:
    row = typed_row()
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    workbook.active.append(["not the locals"])
    sheet = workbook.create_sheet("Locals 2026")
    sheet.append(COLUMNS)
    sheet.append([row.get(c) or None for c in COLUMNS])
    path = tmp_path / "locals.xlsx"
    workbook.save(path)

    table = batch.read_locals(path, sheet="Locals 2026")
    assert table.rows[0].local == "Maple Ridge Education Association"

    out = tmp_path / "out"
    result = run_cli(["batch", str(path), "-o", str(out), "--sheet", "Locals 2025"])
    assert result.code == 1
    assert "has no sheet named 'Locals 2025' (did you mean Locals 2026?)" in result.err
    assert "its sheets are: Notes, Locals 2026" in result.err
    assert not out.exists()


def test_corrupt_workbook_gets_a_message(tmp_path: Path) -> None:
    path = tmp_path / "locals.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook")
    with pytest.raises(InputFileError, match="is not an Excel workbook that can be read"):
        batch.read_locals(path)


def test_without_openpyxl_the_message_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_xlsx(tmp_path / "locals.xlsx", [COLUMNS])
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(InputFileError, match=r"pip install 'tutorbargain\[xlsx\]'"):
        batch.read_locals(path)


def test_old_excel_files_are_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "locals.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputFileError, match=r"save it as an Excel Workbook \(\.xlsx\)"):
        batch.read_locals(path)


# ---------------------------------------------------------------- YAML list


class _NoAliases(yaml.SafeDumper):
    """Write shared parts out in full, as a person types them (tutorbargain refuses aliases)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def test_yaml_list_reports_items_by_number_and_field(tmp_path: Path) -> None:
    first = yaml.safe_load((EXAMPLES / "lakeview-vendor-virtual.yml").read_text("utf-8"))
    second = {k: v for k, v in first.items() if k != "schema_version"}
    second["local"] = {**first["local"], "name": "Second Harbor Education Association"}
    third = {**second, "local": {**first["local"], "name": "Third Local"}}
    third["pay"] = {**first["pay"], "tutoring_hourly_rate": "forty"}
    third["program"] = {**first["program"], "vendr_name": "x"}
    path = tmp_path / "locals.yml"
    items = [first, None, second, third]
    path.write_text(yaml.dump(items, Dumper=_NoAliases, sort_keys=False), "utf-8")
    out = tmp_path / "out"

    result = run_cli(["batch", str(path), "-o", str(out)])

    assert result.code == 1
    assert "item 4, field pay.tutoring_hourly_rate (line " in result.out
    assert "item 4, field program.vendr_name (line " in result.out
    assert "did you mean program.vendor_name?" in result.out
    assert "Rendered 2, failed 1, 1 skipped" in result.out
    assert "(item 4)" in result.err
    assert mou(out, "Second Harbor Education Association").exists()


def test_a_schema_version_is_checked_as_in_an_answers_file(tmp_path: Path) -> None:
    rows = example_rows()[:4]
    for row, version in zip(rows, ["2", "", "3", "x"], strict=True):
        row["schema_version"] = version
    source = write_csv(tmp_path / "l.csv", rows, ["schema_version", *COLUMNS])
    checked = batch.validate_rows(batch.read_locals(source))
    assert [item.ok for item in checked] == [True, True, False, False]
    assert [str(p) for p in checked[2].problems] == [
        "row 4, column schema_version: is 3, newer than this tutorbargain understands; "
        "upgrade tutorbargain (pip install --upgrade tutorbargain)"
    ]
    assert [str(p) for p in checked[3].problems] == [
        'row 5, column schema_version: must be 1 or 2, not "x"'
    ]
    path = tmp_path / "locals.yml"
    item = yaml.safe_load((EXAMPLES / "lakeview-vendor-virtual.yml").read_text("utf-8"))
    path.write_text(yaml.dump([{**item, "schema_version": 3}], Dumper=_NoAliases), "utf-8")
    (only,) = batch.validate_rows(batch.read_locals(path))
    assert "item 1, field schema_version (line " in str(only.problems[0])
    assert "is 3, newer than this tutorbargain understands" in str(only.problems[0])


def test_a_single_answers_file_is_not_a_list(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="tutorbargain render"):
        batch.read_locals(EXAMPLES / "lakeview-vendor-virtual.yml")


# ---------------------------------------------------------------- writing safely


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli(["batch", str(EXAMPLE_CSV), "-o", str(out), "--dry-run"])
    assert result.code == 0, result.err
    assert "would write" in result.out
    assert "maple-ridge-education-association-mou.docx" in result.out
    assert "Nothing was written" in result.out
    assert not out.exists()


def test_dry_run_exits_1_when_a_row_would_fail(tmp_path: Path) -> None:
    rows = example_rows()[:2]
    rows[1]["program.delivery"] = "online"
    out = tmp_path / "out"
    source = write_csv(tmp_path / "l.csv", rows)
    result = run_cli(["batch", str(source), "-o", str(out), "--dry-run"])
    assert result.code == 1
    assert "row 3, column program.delivery: must be one of in_person, virtual, hybrid" in (
        result.out
    )
    assert "nothing was written" in result.err
    assert not out.exists()


def test_existing_outputs_are_refused_row_by_row(tmp_path: Path) -> None:
    rows = example_rows()[:3]
    source = write_csv(tmp_path / "locals.csv", rows)
    out = tmp_path / "out"
    taken = mou(out, rows[1]["local.name"])
    taken.parent.mkdir(parents=True)
    taken.write_text("the local's own edits", encoding="utf-8")

    result = run_cli(["batch", str(source), "-o", str(out)])

    assert result.code == 1
    assert f"row 3: {taken} already exists; use --force" in result.out
    assert taken.read_text(encoding="utf-8") == "the local's own edits"
    assert mou(out, rows[0]["local.name"]).exists()
    assert mou(out, rows[2]["local.name"]).exists()
    assert "Add --force to replace documents written before" in result.err


def test_force_replaces_and_a_second_run_without_it_refuses(tmp_path: Path) -> None:
    rows = example_rows()[:2]
    source = write_csv(tmp_path / "locals.csv", rows)
    out = tmp_path / "out"
    assert run_cli(["batch", str(source), "-o", str(out)]).code == 0
    first = mou(out, rows[0]["local.name"]).stat().st_mtime_ns

    again = run_cli(["batch", str(source), "-o", str(out)])
    assert again.code == 1
    assert [r["status"] for r in read_report(out)] == ["failed", "failed"]
    assert mou(out, rows[0]["local.name"]).stat().st_mtime_ns == first

    forced = run_cli(["batch", str(source), "-o", str(out), "--force"])
    assert forced.code == 0, forced.err
    assert [r["status"] for r in read_report(out)] == ["rendered", "rendered"]
    assert mou(out, rows[0]["local.name"]).stat().st_mtime_ns != first


def test_a_report_csv_that_is_not_ours_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.csv").write_text("budget,figures\n", encoding="utf-8")
    result = run_cli(["batch", str(EXAMPLE_CSV), "-o", str(out)])
    assert result.code == 1
    assert "report.csv: already exists and was not written by tutorbargain" in result.err
    assert (out / "report.csv").read_text(encoding="utf-8") == "budget,figures\n"
    assert list(out.iterdir()) == [out / "report.csv"]


def test_jobs_2_gives_the_same_documents_as_jobs_1(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    first = batch.run_batch(EXAMPLE_CSV, one, jobs=1, today=TODAY)
    second = batch.run_batch(EXAMPLE_CSV, two, jobs=2, today=TODAY)
    assert first.ok and second.ok
    files_one = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    files_two = sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert files_one == files_two
    assert len(files_one) == 3 * len(example_rows()) + 1
    for name in files_one:
        if name.suffix == ".docx":
            assert docx_text(one / name) == docx_text(two / name), name
            assert docx_comments(one / name) == docx_comments(two / name), name
        else:
            assert (one / name).read_bytes() == (two / name).read_bytes(), name


# ---------------------------------------------------------------- PDF


def test_pdf_without_libreoffice_stops_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tutorbargain.writers import pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    out = tmp_path / "out"
    with pytest.raises(ToolMissingError, match="PDF output needs LibreOffice"):
        batch.run_batch(EXAMPLE_CSV, out, pdf=True)
    assert not out.exists()


@pytest.mark.skipif(
    not any(
        os.access(os.path.join(d, "soffice"), os.X_OK)
        for d in os.environ.get("PATH", "").split(os.pathsep)
    ),
    reason="LibreOffice is not installed",
)
def test_pdf_makes_one_pdf_per_document(tmp_path: Path) -> None:
    rows = example_rows()[:2]
    out = tmp_path / "out"
    result = run_cli(["batch", str(write_csv(tmp_path / "l.csv", rows)), "-o", str(out), "--pdf"])
    assert result.code == 0, result.err
    for row in rows:
        folder = mou(out, row["local.name"]).parent
        assert sorted(p.name for p in folder.glob("*.pdf")) == [
            f"{folder.name}-impact-questions.pdf",
            f"{folder.name}-mou.pdf",
        ]
    assert all(r["outputs"].count(".pdf") == 2 for r in read_report(out))


# ---------------------------------------------------------------- the command


def test_template_csv_and_xlsx_have_every_column_in_order(tmp_path: Path) -> None:
    csv_path, xlsx_path = tmp_path / "locals.csv", tmp_path / "locals.xlsx"
    assert run_cli(["batch", "--template", str(csv_path)]).code == 0
    assert run_cli(["batch", "--template", str(xlsx_path)]).code == 0

    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [COLUMNS]
    workbook = openpyxl.load_workbook(xlsx_path)
    assert [c.value for c in workbook.worksheets[0][1]] == COLUMNS
    assert workbook.sheetnames == ["Locals", "Columns"]

    again = run_cli(["batch", "--template", str(csv_path)])
    assert again.code == 1
    assert "already exists; use --force" in again.err
    assert run_cli(["batch", "--template", str(csv_path), "--force"]).code == 0


def test_a_filled_in_template_is_read_back(tmp_path: Path) -> None:
    path = tmp_path / "locals.xlsx"
    batch.write_template(path)
    workbook = openpyxl.load_workbook(path)
    row = typed_row()
    workbook.worksheets[0].append([row.get(c) or None for c in COLUMNS])
    workbook.save(path)
    (checked,) = batch.validate_rows(batch.read_locals(path))
    assert checked.ok, checked.problems


@pytest.mark.parametrize(
    "args",
    [
        ["batch"],
        ["batch", "locals.csv", "--template", "t.csv"],
        ["batch", "locals.csv", "--jobs", "0"],
    ],
)
def test_command_line_mistakes_exit_2(tmp_path: Path, args: list[str]) -> None:
    result = run_cli(args, cwd=tmp_path)
    assert result.code == 2, result.err
    assert "Traceback" not in result.err


def test_missing_file_exits_1(tmp_path: Path) -> None:
    result = run_cli(["batch", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "out")])
    assert result.code == 1
    assert "nope.csv: no such file" in result.err


def test_help_has_an_example() -> None:
    result = run_cli(["batch", "--help"])
    assert result.code == 0
    assert "Example: tutorbargain batch examples/locals.csv -o proposals" in result.out


# ---------------------------------------------------------------- Ctrl-C


def _interrupt_running_batch(tmp_path: Path, jobs: int) -> tuple[int, str, Path]:
    """Start a long batch, press Ctrl-C once its first documents exist, and wait for it."""
    source = write_csv(tmp_path / "locals.csv", numbered(120))
    out = tmp_path / "out"
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
    process = subprocess.Popen(
        [*COMMAND, "batch", str(source), "-o", str(out), "--jobs", str(jobs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C would reach
    )
    deadline = time.monotonic() + 120
    while not list(out.glob("*/*.docx")):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the batch never wrote a document"
        time.sleep(0.05)
    time.sleep(0.3)
    os.killpg(process.pid, signal.SIGINT)  # every process of the group, workers included
    _, err = process.communicate(timeout=120)
    return process.returncode, err, out


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_stops_cleanly(tmp_path: Path, jobs: int) -> None:
    code, err, out = _interrupt_running_batch(tmp_path, jobs)

    assert code == 130, err
    assert "Traceback" not in err
    assert "Stopped." in err
    assert not list(out.rglob("*.part"))
    report = read_report(out)
    assert len(report) == 120
    statuses = [r["status"] for r in report]
    assert "not done" in statuses
    rendered = [r for r in report if r["status"] == "rendered"]
    assert rendered
    assert set(statuses) <= {"rendered", "not done"}
    folders = {p.parent for p in out.rglob("*.docx")}
    assert len(folders) == len(rendered)  # a row is written whole, or not at all
    for row in rendered:
        paths = [out / p for p in row["outputs"].split("; ")]
        assert all(p.exists() for p in paths)
        assert row["local"] in docx_text(paths[0])
    for path in out.rglob("*.docx"):
        assert docx_text(path)  # opens, and has words in it


# ---------------------------------------------------------------- memory


def _live_answers() -> int:
    import gc

    from tutorbargain.answers.reading import Answers

    return sum(isinstance(o, Answers) for o in gc.get_objects())


class _CountingAnswers(batch.Quiet):
    """Counts the Answers alive in this process each time a row is done."""

    def __init__(self) -> None:
        self.counts: list[int] = []

    def row_done(self, result: batch.RowResult) -> None:
        self.counts.append(_live_answers())


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_batch_holds_only_the_rows_in_hand(tmp_path: Path, jobs: int) -> None:
    """Memory stays flat in the row count: a batch never holds every row's answers at once,
    only those of the rows being rendered (a few for each worker)."""
    source = write_csv(tmp_path / "locals.csv", numbered(50))
    held = batch.validate_rows(batch.read_locals(source))
    assert _live_answers() >= 50  # the count sees answers while they are held
    del held

    listener = _CountingAnswers()
    result = batch.run_batch(source, tmp_path / "out", jobs=jobs, today=TODAY, listener=listener)

    assert result.count(batch.Status.RENDERED) == 50
    assert len(listener.counts) == 50
    assert max(listener.counts) <= 3 * jobs + 2, listener.counts


# ---------------------------------------------------------------- a row that fails while rendering

POISON = """\
schema_version: 1
clauses:
  - id: our-poison
    topic: voluntary-participation
    order: 99
    title: Ours
    text: "{{ 1 // (program.students - 777) }}"
    rationale: Fails for one row only, when the documents are being made.
    source: NEA/NSSA guide, "Union Members serving as Tutors"
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_row_that_fails_while_rendering_fails_alone(tmp_path: Path, jobs: int) -> None:
    """The third local's documents cannot be made: it is named, nothing of it is left, and
    the locals before and after it are all written."""
    rows = numbered(5)
    rows[2]["program.students"] = "777"
    source = write_csv(tmp_path / "locals.csv", rows, list(rows[0]))
    ours = tmp_path / "ours"
    ours.mkdir()
    (ours / "ours.yml").write_text(POISON, encoding="utf-8")
    out = tmp_path / "out"
    args = ["batch", str(source), "-o", str(out), "--clauses", str(ours), "--jobs", str(jobs)]
    result = run_cli(args)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err + result.out
    assert "row 4" in result.err and "our-poison" in result.out + result.err
    report = {r["row"]: r for r in read_report(out)}
    assert report["4"]["status"] == "failed"
    assert not (out / slugify(rows[2]["local.name"])).exists()
    for index in (0, 1, 3, 4):
        assert rows[index]["local.name"] in docx_text(mou(out, rows[index]["local.name"]))
        assert report[str(index + 2)]["status"] == "rendered"


def test_a_place_in_a_list_of_locals_is_worded_in_one_place() -> None:
    """Rows, columns, YAML fields, sheets and file lines: one helper words them all."""
    from tutorbargain.batch.table import Row, table_place
    from tutorbargain.errors import Place

    assert table_place("l.csv", row=1, column="B (pay)") == "l.csv, row 1, column B (pay)"
    assert table_place("l.csv", row=4, line=6) == "l.csv, row 4 (line 6)"
    assert table_place("l.xlsx", sheet="Locals") == "l.xlsx, sheet Locals"
    line = table_place("l.csv", line=3)
    assert isinstance(line, Place) and line == "l.csv, line 3"
    assert Row(7, {}).where("local.name") == "row 7, column local.name"
    item = Row(3, {}, kind="item", lines={"local": 40})
    assert item.where("local.name") == "item 3, field local.name (line 40)"
    assert item.label == "item 3"


def test_results_kept_on_disk_read_back_whole_and_in_row_order() -> None:
    """A batch's results go to a temporary file; every field comes back, any text survives
    (a lone surrogate from a mis-saved spreadsheet too), and sorting puts rows in order."""
    from tutorbargain.batch.results import RowResults

    odd = "Peña \U0001f600 \ud800 =SUM(A1)"
    made = [
        batch.RowResult(
            7,
            "row 7",
            odd,
            batch.Status.FAILED,
            problems=("row 7, column local.name: bad",),
            exists=True,
        ),
        batch.RowResult(
            3,
            "row 3",
            "Lakeview EA",
            batch.Status.RENDERED,
            files=("/out/lakeview/a.docx", "/out/lakeview/b.md"),
            placeholders=("[VENDOR RATE]",),
            warnings=("Warning: a date",),
        ),
        batch.RowResult(5, "row 5", "", batch.Status.SKIPPED),
    ]
    results = RowResults(made)
    assert list(results) == made
    assert results.count(batch.Status.RENDERED, batch.Status.SKIPPED) == 2
    results.sort()
    assert [r.number for r in results] == [3, 5, 7]
    assert results[-1] == made[0]
    assert results[0:2] == [made[1], made[2]]
    results.append(batch.RowResult(9, "row 9", "x", batch.Status.NOT_DONE))
    assert results[3].status is batch.Status.NOT_DONE
    with pytest.raises(IndexError):
        results[4]
