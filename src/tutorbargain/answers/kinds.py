"""What each kind of field means, in one table: a new kind of answer is one entry here.

For each `Kind`: how a typed or YAML value is parsed and checked, how the value is held in
YAML or CSV, its words in the documents and in reasons or the review screen, its JSON Schema
type, how to fill in its spreadsheet column and how a typed spreadsheet cell is read, the
values the rule linter tries, whether rules may compare it by order, whether it is a list, and
whether the interview asks it by picking an option or by typing. The functions below the table
are what the rest of the tool calls; they add what is the same for every kind.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from tutorbargain.answers.fields import GRADE_VALUES, STATE_NAMES, STATES, Field, Kind
from tutorbargain.answers.parsing import (
    MONEY_PATTERN,
    check_range,
    parse_bool,
    parse_choice,
    parse_count,
    parse_date,
    parse_grades,
    parse_list,
    parse_money,
    parse_school_year,
    parse_state,
    parse_text,
)
from tutorbargain.answers.words import and_list, count_words, grades_words, long_date, money

Samples = Callable[[Field, list[Any], Any], list[Any]]
"""(field, the values a rule compares it to, a typical value) -> values worth trying."""


class Asked(Enum):
    """How the interview asks for a value of a kind."""

    YES_NO = "yes or no"
    PICK = "one of the choices"
    TYPED = "typed"


@dataclass(frozen=True)
class KindRules:
    """Everything one kind of field means, wherever a value of it is read, checked or shown."""

    parse: Callable[[Field, object], Any]
    """A typed or YAML value as the field's type, or `ValueProblem` (blanks never get here)."""
    json: Callable[[Field], dict[str, Any]]
    """Its JSON Schema type, for editors that check an answers file as it is typed."""
    guide: Callable[[Field], str]
    """How to fill in its spreadsheet column, in words."""
    samples: Samples
    """The values the rule linter tries: enough to meet or miss any comparison in a rule."""
    words: Callable[[Field, Any], str] = lambda f, value: str(value)
    """A value in the words an agreement uses."""
    said: Callable[[Field, Any], str] = lambda f, value: _said(value)
    """A value in the words a reason or the review screen uses ("yes", "$41.80")."""
    plain: Callable[[Any], Any] = lambda value: (
        list(value) if isinstance(value, list | tuple) else value
    )
    """A value as YAML or CSV holds it (and as a template reads it)."""
    yaml: Callable[[Any], str] | None = None
    """A value as a person writes it after ``key:`` in an answers file, where YAML's own dump
    would write it worse (41.8 for 41.80, quoted grades). None: YAML's dump of `plain`."""
    unit: str | None = None
    """For a number: checked against the field's minimum and maximum, this before each
    number in the message ("$"). None: the kind has no range."""
    ordered: bool = False
    """Rules may compare two values by order (gt, lt, gt_field, gte_field)."""
    listed: bool = False
    """A value is a list of items (rules may ask whether it contains one)."""
    asked: Asked = Asked.TYPED
    """How the interview asks for it: a yes/no question, a list of the field's choices, or a
    line to type. Picked from options, a blank is "Not sure yet"."""
    typed_list: bool = False
    """The interview reads one typed line as items split at commas or semicolons."""
    number_cell: bool = False
    """A number in a spreadsheet cell is passed on as a number (else as its text)."""
    date_cell: bool = False
    """A date in a spreadsheet cell is passed on as a date (else as ISO text)."""
    text_column: bool = True
    """The Excel template formats the column as text, so Excel keeps "3;4;5" as typed."""


def _said(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "none"
    return str(value)


def _typical(f: Field, consts: list[Any], typical: Any) -> list[Any]:
    return [*consts, *([typical] if typical not in consts else [])]


def _around(step: Any) -> Samples:
    """Samples for an ordered kind: each compared value and one ``step`` either side of it,
    the field's limits and a typical value, all within what the field accepts."""

    def samples(f: Field, consts: list[Any], typical: Any) -> list[Any]:
        values = [typical, *consts]
        for c in consts:
            values += [c - step, c + step]
        if f.kind is not Kind.DATE:
            bounds = [b for b in (f.minimum, f.maximum) if b is not None]
            values += [Decimal(b) if f.kind is Kind.MONEY else b for b in bounds]
        return sorted(set(filter(lambda v: _in_range(f, v), values)))

    return samples


def _in_range(f: Field, value: Any) -> bool:
    if f.kind is Kind.DATE:
        return bool(2000 <= value.year <= 2100)
    low = f.minimum if f.minimum is not None else -math.inf
    high = f.maximum if f.maximum is not None else math.inf
    return bool(low <= value <= high)


def _lists(others: Sequence[str]) -> Samples:
    """Samples for a list kind: each compared value alone, all of them, another and none."""

    def samples(f: Field, consts: list[Any], typical: Any) -> list[Any]:
        other = next(item for item in others if item not in consts)
        lists: list[Any] = [[c] for c in consts]
        if len(consts) > 1:
            lists.append(consts)
        return [*lists, [other], []]

    return samples


def _choice_words(f: Field, items: Any) -> list[str]:
    words = dict(f.choices)
    return [words.get(str(item), str(item)) for item in items]


def _list_said(f: Field, value: Any) -> str:
    if f.choices and isinstance(value, list | tuple):
        return ", ".join(_choice_words(f, value)) or "none"
    return _said(value)


def _list_json(f: Field) -> dict[str, Any]:
    if f.choices:
        return {"type": "array", "items": {"enum": f.choice_values()}, "uniqueItems": True}
    return {"type": "array", "items": {"type": "string"}}


def _list_guide(f: Field) -> str:
    if f.choices:
        return "any of these, separated by ;: " + "; ".join(f.choice_values())
    return "words separated by ; like math; reading"


def _grades_json(f: Field) -> dict[str, Any]:
    """A grade is K to 12, a number 1 to 12, or a span like "K-5" or "6 to 8"."""
    span = r"^\s*(K|\d{1,2})\s*(-|to|through)\s*\d{1,2}\s*$"
    one = [
        {"enum": list(GRADE_VALUES)},
        {"type": "integer", "minimum": 1, "maximum": 12},
        {"type": "string", "pattern": span},
    ]
    return {"type": "array", "items": {"anyOf": one}}


KINDS: dict[Kind, KindRules] = {
    Kind.TEXT: KindRules(
        parse=parse_text,
        json=lambda f: {"type": "string", "maxLength": f.max_length},
        guide=lambda f: "text",
        samples=_typical,
    ),
    Kind.BOOL: KindRules(
        parse=parse_bool,
        json=lambda f: {"type": "boolean"},
        guide=lambda f: "yes or no",
        samples=lambda f, consts, typical: [True, False],
        words=lambda f, value: "yes" if value else "no",
        said=lambda f, value: "yes" if value else "no",
        asked=Asked.YES_NO,
        number_cell=True,
        text_column=False,
    ),
    Kind.COUNT: KindRules(
        parse=parse_count,
        json=lambda f: {"type": "integer", "minimum": f.minimum, "maximum": f.maximum},
        guide=lambda f: f"a whole number, {f.minimum} to {f.maximum:,}",
        samples=_around(1),
        words=lambda f, value: count_words(value),
        unit="",
        ordered=True,
        number_cell=True,
        text_column=False,
    ),
    Kind.MONEY: KindRules(
        parse=parse_money,
        json=lambda f: {
            "anyOf": [
                {"type": "number", "minimum": f.minimum, "maximum": f.maximum},
                {"type": "string", "pattern": MONEY_PATTERN.pattern},
            ]
        },
        guide=lambda f: "an amount like 40 or $40.00",
        samples=_around(Decimal(1)),
        words=lambda f, value: money(value),
        said=lambda f, value: f"${value:,.2f}",
        plain=lambda value: int(value) if value == value.to_integral_value() else float(value),
        yaml=lambda value: str(int(value)) if value == value.to_integral_value() else f"{value:f}",
        unit="$",
        ordered=True,
        number_cell=True,
        text_column=False,
    ),
    Kind.DATE: KindRules(
        parse=parse_date,
        json=lambda f: {"type": "string", "format": "date"},
        guide=lambda f: "a date like 2027-06-30 (or 6/30/2027)",
        samples=_around(dt.timedelta(days=1)),
        words=lambda f, value: long_date(value),
        plain=lambda value: value.isoformat(),
        yaml=lambda value: value.isoformat(),  # the loader reads ISO text as a date: no quotes
        ordered=True,
        date_cell=True,
        text_column=False,
    ),
    Kind.CHOICE: KindRules(
        parse=parse_choice,
        json=lambda f: {"enum": f.choice_values()},
        guide=lambda f: "one of: " + ", ".join(f.choice_values()),
        samples=lambda f, consts, typical: f.choice_values(),
        words=lambda f, value: dict(f.choices).get(str(value), str(value)),
        said=lambda f, value: dict(f.choices).get(str(value), str(value)),
        asked=Asked.PICK,
    ),
    Kind.LIST: KindRules(
        parse=parse_list,
        json=_list_json,
        guide=_list_guide,
        samples=_lists(("something else", "anything else")),
        words=lambda f, value: and_list(_choice_words(f, value) if f.choices else value),
        said=_list_said,
        listed=True,
        typed_list=True,
    ),
    Kind.GRADES: KindRules(
        parse=parse_grades,
        json=_grades_json,
        guide=lambda f: "grades separated by ; like K; 1; 2",
        samples=_lists(GRADE_VALUES),
        words=lambda f, value: grades_words(value),
        yaml=lambda value: "[" + ", ".join(value) + "]",  # [K, 1, 2], not ['K', '1', '2']
        listed=True,
        number_cell=True,
    ),
    Kind.STATE: KindRules(
        parse=parse_state,
        json=lambda f: {"enum": list(STATES)},
        guide=lambda f: "a two-letter state code like OH",
        samples=_typical,
        words=lambda f, value: STATE_NAMES.get(str(value), str(value)),
    ),
    Kind.SCHOOL_YEAR: KindRules(
        parse=parse_school_year,
        json=lambda f: {"type": "string", "pattern": r"^20\d\d-\d\d$"},
        guide=lambda f: "a school year like 2026-27",
        samples=_typical,
    ),
}

ORDERED = frozenset(kind for kind, rules in KINDS.items() if rules.ordered)
"""The kinds rules may compare by order (counts, money, dates)."""

LISTED = frozenset(kind for kind, rules in KINDS.items() if rules.listed)
"""The kinds whose value is a list of items."""

PICKED = frozenset(kind for kind, rules in KINDS.items() if rules.asked is not Asked.TYPED)
"""The kinds the interview asks by offering options (yes/no, choices)."""


# ---------------------------------------------------------------- what every kind shares


def parse_value(f: Field, raw: object) -> Any:
    """Turn what a user typed (or YAML gave) into the field's type, or raise `ValueProblem`.

    Blank strings mean "no answer" and come back as None.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    rules = KINDS[f.kind]
    value = rules.parse(f, raw)
    if rules.unit is not None:
        check_range(f, value, rules.unit)
    return value


def to_plain(f: Field, value: Any) -> Any:
    """A typed value as YAML/CSV can hold it (money as a number, dates as ISO text)."""
    return KINDS[f.kind].plain(value)


def yaml_text(f: Field, value: Any) -> str | None:
    """The value as written after ``key:`` in an answers file, or None for YAML's own dump."""
    write = KINDS[f.kind].yaml
    return None if write is None else write(value)


def format_value(f: Field, value: Any) -> str:
    """An answer in the words an agreement uses."""
    return KINDS[f.kind].words(f, value)


def words_for(f: Field, value: object) -> str:
    """A value in the words a reader of a reason or a review screen expects."""
    if value is None:
        return "not answered"
    return KINDS[f.kind].said(f, value)


def json_type(f: Field) -> dict[str, Any]:
    """The JSON Schema of one field's value, with its help as the description."""
    return {"description": f.help, **KINDS[f.kind].json(f)}


def column_guide(f: Field) -> str:
    """How to fill in a column, in words: for the template's help sheet and the README."""
    text = KINDS[f.kind].guide(f)
    if f.required:
        text = "required; " + text
    elif f.name == "program.vendor_name":
        text = "required when program.provider is vendor or mixed; " + text
    if f.default is not None:
        text += f"; blank means {f.default} ({f.default_source})"
    return text


def text_column(f: Field) -> bool:
    """Whether the Excel template formats the field's column as text."""
    return KINDS[f.kind].text_column


def typed_cell(f: Field, cell: object) -> object:
    """An Excel cell's typed value in the form `parse_value` reads for this field.

    Excel hands over 40.0 for a typed 40, a datetime for a date cell and a number for a
    text column that holds digits (an article number, a one-grade list); none of that is
    the user's mistake.
    """
    if cell is None or isinstance(cell, bool | str):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    rules = KINDS[f.kind]
    if isinstance(cell, dt.datetime | dt.date):
        if rules.date_cell:
            return cell
        day = cell.date() if isinstance(cell, dt.datetime) else cell
        return day.isoformat()
    if isinstance(cell, int | float) and rules.number_cell:
        return cell
    return str(cell)


def sample_values(f: Field, constants: Sequence[Any] = (), *, typical: Any) -> list[Any]:
    """The values worth trying for ``f``: enough to meet or miss any comparison in a rule.

    Every choice; yes and no; each number, amount or date in the rule (``constants``), one
    either side of it, and ``typical``; for lists, each value alone, all of them, something
    else and empty; and no answer at all, unless the answer is required.
    """
    unset: list[Any] = [] if f.required else [None]
    consts = list(dict.fromkeys(constants))
    return [*KINDS[f.kind].samples(f, consts, typical), *unset]


def read_typed(f: Field, typed: str) -> Any:
    """What a person typed, as the field's value (or `ValueProblem`), by `parse_value`.

    Only the shape of the input differs from a file: a list is typed as one line, so its items
    are split at commas or semicolons first.
    """
    if KINDS[f.kind].typed_list and typed.strip():
        value = parse_value(f, re.split(r"[,;]", typed))
        return value or None
    return parse_value(f, typed)


def as_typed_text(f: Field, value: Any) -> str:
    """A value as a person would type it, to offer as the default when it is asked again."""
    if value is None or value == []:
        return ""
    return words_for(f, value)
