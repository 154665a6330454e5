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
        checked.append(Checked(row, answers if not problems else None, tuple(problems), slug))
    return _refuse_shared_folders(checked)


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
