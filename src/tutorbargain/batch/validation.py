"""Checking each row of a locals table on its own, so one bad row never stops the others.

A row becomes answers, or every problem with it; then rows whose documents would land in
the same folder are refused, since one local's files would replace another's.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from tutorbargain.answers.fields import BY_NAME, SUPPORTED_VERSIONS
from tutorbargain.answers.reading import Answers, ValueProblem, parse_value, validate_flat
from tutorbargain.batch.table import Locals, Row
from tutorbargain.errors import AnswersError, Problem
from tutorbargain.schema import version_problem
from tutorbargain.writers.output import slugify


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
    checked = [check_row(row) for row in table.rows]
    return _refuse_shared_folders(checked)


def folder_name(row: Row) -> str | None:
    """The folder a row's documents go in (its local's name as a file name); None without
    a usable name."""
    with contextlib.suppress(ValueProblem):
        name = parse_value(BY_NAME["local.name"], row.values.get("local.name"))
        return slugify(name) if name else None
    return None


def check_row(row: Row) -> Checked:
    """One row's answers, or every problem with it. Whether another row shares its folder
    is not known from the row alone: see `refuse_shared_folder`."""
    slug = folder_name(row)
    if not row.readable:
        return Checked(row, None, row.problems, slug)
    problems = list(row.problems)
    answers: Answers | None = None
    if row.kind == "row":
        version = _cell_version(row.values.get("schema_version"))
        problem = version_problem(version, SUPPORTED_VERSIONS, required=False)
        if problem:
            problems.append(Problem(row.where("schema_version"), problem))
    values = {k: v for k, v in row.values.items() if k != "schema_version"}
    try:
        answers = validate_flat(values, row.where, source=row.label)
    except AnswersError as exc:
        problems.extend(exc.problems)
    return Checked(row, answers if not problems else None, tuple(problems), slug)


def refuse_shared_folder(item: Checked, others: Sequence[int]) -> Checked:
    """The row refused, when the rows numbered ``others`` have the same folder name."""
    if not others or item.slug is None:
        return item
    problem = Problem(
        item.row.where("local.name"),
        f"gives the same folder name ({item.slug}) as {_labels(item.row.kind, others)}, "
        "so one local's documents would replace the other's; give each local a "
        "different name or delete the repeated row",
    )
    return replace(item, answers=None, problems=(*item.problems, problem))


def _cell_version(cell: object) -> object:
    """A table's schema_version cell as a YAML file would hold it: the text "2" (CSV) and
    Excel's number 2.0 are the version 2, and a blank cell declares none."""
    if cell == "":
        return None
    if isinstance(cell, str) and cell.isascii() and cell.isdigit() and len(cell) < 10:
        return int(cell)
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    return cell


def _refuse_shared_folders(checked: list[Checked]) -> list[Checked]:
    by_slug: dict[str, list[int]] = {}
    for item in checked:
        if item.slug is not None:
            by_slug.setdefault(item.slug, []).append(item.row.number)
    return [
        refuse_shared_folder(item, [n for n in by_slug[item.slug] if n != item.row.number])
        if item.slug is not None
        else item
        for item in checked
    ]


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
