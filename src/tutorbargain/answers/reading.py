"""Validate a user's answers (a YAML file or a spreadsheet row) into a typed `Answers`.

The same checks serve the answers file, batch rows and the interview, so a user gets the same
words wherever they typed the value. Every problem names where it is and what was expected.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from tutorbargain import schema
from tutorbargain.answers.fields import (
    BY_NAME,
    FEDERAL_SOURCES,
    FIELDS,
    GRADE_VALUES,
    SCHEMA_VERSION,
    SECTIONS,
    STATE_NAMES,
    STATES,
    SUPPORTED_VERSIONS,
    Field,
    Kind,
)
from tutorbargain.errors import AnswersError, Problem, problems_error
from tutorbargain.schema import did_you_mean, shown

Locate = Callable[[str], str]
"""Turns a dotted field name into the words for where it is (file and line, or row and column)."""


@dataclass(frozen=True)
class Answers:
    """Validated answers: every schema field, typed, with None where the user gave no answer."""

    values: Mapping[str, Any]
    source: str = "answers"

    def get(self, name: str) -> Any:
        return self.values[name]

    def is_set(self, name: str) -> bool:
        return self.values[name] is not None

    def nested(self) -> dict[str, Any]:
        """Every field as nested sections (``program.weeks`` -> ``{"program": {"weeks": ..}}``)."""
        out: dict[str, Any] = {section: {} for section in SECTIONS}
        for f in FIELDS:
            value = self.values[f.name]
            if isinstance(value, list):
                value = list(value)
            if f.section:
                out[f.section][f.key] = value
            else:
                out[f.name] = value
        return out

    def to_data(self) -> dict[str, Any]:
        """The answers as plain YAML-ready data, only the fields that are set, schema order."""
        out: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
        for f in FIELDS:
            value = self.values[f.name]
            if value is None:
                continue
            value = to_plain(f, value)
            if f.section:
                out.setdefault(f.section, {})[f.key] = value
            else:
                out[f.name] = value
        return out


def to_plain(f: Field, value: Any) -> Any:
    """A typed value as YAML/CSV can hold it (money as a number, dates as ISO text)."""
    if f.kind is Kind.MONEY:
        return int(value) if value == value.to_integral_value() else float(value)
    if f.kind is Kind.DATE:
        return value.isoformat()
    if isinstance(value, tuple | list):
        return list(value)
    return value


# ---------------------------------------------------------------- parsing one value


class ValueProblem(ValueError):
    """A value that does not fit its field; the message is already in plain words."""


_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_TEMPLATE_CODE = re.compile(r"\{\{|\{%|\{#|\}\}|%\}")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
_MONEY = re.compile(r"^\$?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Bidirectional embedding, override and isolate controls (the "Trojan Source" characters)."""


def clean_text(raw: str, *, max_length: int) -> str:
    """Collapse whitespace and refuse characters a Word document cannot hold."""
    bad = _BAD_CHARS.search(raw)
    if bad:
        code = f"U+{ord(bad.group()):04X}"
        raise ValueProblem(f"contains an invisible control character ({code}); remove it")
    bidi = _BIDI.search(raw)
    if bidi:  # they reorder what a reader sees: "Cedar EA" can show as something else
        code = f"U+{ord(bidi.group()):04X}"
        raise ValueProblem(
            f"contains an invisible text-direction control ({code}), which can make the "
            "words show in a different order than they are stored; remove it"
        )
    text = " ".join(raw.split())
    if len(text) > max_length:
        raise ValueProblem(f"is {len(text):,} characters long; keep it to {max_length} or fewer")
    if _TEMPLATE_CODE.search(text):
        raise ValueProblem(
            f"{shown(text)} contains template code ({{{{ }}}} or {{% %}}), which looks like "
            "an unfilled mail-merge field; type the real words"
        )
    return text


def parse_value(f: Field, raw: object) -> Any:
    """Turn what a user typed (or YAML gave) into the field's type, or raise `ValueProblem`.

    Blank strings mean "no answer" and come back as None.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    parser = _PARSERS[f.kind]
    value = parser(f, raw)
    if f.kind in (Kind.COUNT, Kind.MONEY):
        _check_range(f, value)
    return value


def _parse_text(f: Field, raw: object) -> str:
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise ValueProblem(f"must be text, not {_kind_of(raw)}")
    if not isinstance(raw, str):
        raise ValueProblem(f"must be text; put {raw} in quotes if you mean it as words")
    return clean_text(raw, max_length=f.max_length)


def _parse_bool(f: Field, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        word = raw.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise ValueProblem(f"must be yes or no, not {shown(raw)}")


def _parse_count(f: Field, raw: object) -> int:
    if isinstance(raw, bool):
        raise ValueProblem(f"must be a whole number, not {shown(raw)}")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and re.fullmatch(r"\s*\d{1,3}(,\d{3})*\s*|\s*\d+\s*", raw):
        digits = raw.replace(",", "").strip()
        if len(digits) > 18:  # int() of a 5,000-digit text is a Python error, not a count
            raise ValueProblem(f"is out of range (a number of {len(digits):,} digits)")
        return int(digits)
    raise ValueProblem(f"must be a whole number, not {shown(raw)}")


def _parse_money(f: Field, raw: object) -> Decimal:
    if isinstance(raw, bool):
        raise ValueProblem(f"must be an amount of money like 40 or $40.00, not {shown(raw)}")
    if isinstance(raw, int | float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValueProblem("must be an amount of money like 40 or $40.00")
        if raw < 0:
            raise ValueProblem(f"cannot be negative ({raw})")
        value = Decimal(str(raw))
    elif isinstance(raw, str) and _MONEY.match(raw.strip()):
        value = Decimal(raw.strip().lstrip("$").strip().replace(",", ""))
    elif isinstance(raw, str) and raw.strip().startswith("-"):
        raise ValueProblem(f"cannot be negative ({raw.strip()})")
    else:
        raise ValueProblem(f"must be an amount of money like 40 or $40.00, not {shown(raw)}")
    try:
        return value.quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueProblem("must be an amount of money like 40 or $40.00") from None


def _parse_date(f: Field, raw: object) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if not isinstance(raw, str):
        raise ValueProblem(f"must be a date like 2027-06-30, not {shown(raw)}")
    text = raw.strip()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    us = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif us:
        month, day, year = (int(part) for part in us.groups())
    else:
        raise ValueProblem(f"must be a date like 2027-06-30, not {shown(raw)}")
    try:
        value = dt.date(year, month, day)
    except ValueError:
        raise ValueProblem(f"{text} is not a day on the calendar") from None
    if not 2000 <= value.year <= 2100:
        raise ValueProblem(f"{text} is not a plausible date for this program")
    return value


def _parse_choice(f: Field, raw: object) -> str:
    values = f.choice_values()
    if isinstance(raw, str):
        word = raw.strip()
        if word in values:
            return word
        lowered = word.lower().replace("-", "_").replace(" ", "_")
        if lowered in values:
            return lowered
        for value, words in f.choices:
            if word.lower() == words.lower():
                return value
    hint = did_you_mean(str(raw), values)
    raise ValueProblem(f"must be one of {', '.join(values)}, not {shown(raw)}{hint}")


def _parse_list(f: Field, raw: object) -> list[str]:
    items: list[object]
    if isinstance(raw, str):
        items = [part for part in raw.split(";")]
    elif isinstance(raw, list | tuple):
        items = list(raw)
    else:
        raise ValueProblem(f"must be a list, like [math, reading], not {shown(raw)}")
    out: list[str] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise ValueProblem(f"must be a list of words, but one item is {_kind_of(item)}")
        text = clean_text(str(item), max_length=f.max_length)
        if text and f.choices:
            text = _parse_choice(f, text)
        if text and text not in out:
            out.append(text)
    if len(out) > 30:
        raise ValueProblem(f"has {len(out)} items; list 30 or fewer")
    return out


def _parse_grades(f: Field, raw: object) -> list[str]:
    items: list[object]
    if isinstance(raw, str):
        items = [part.strip() for part in re.split(r"[;,]", raw)]
    elif isinstance(raw, list | tuple):
        items = list(raw)
    elif isinstance(raw, int) and not isinstance(raw, bool):
        items = [raw]
    else:
        raise ValueProblem(f"must be a list of grades like [K, 1, 2], not {shown(raw)}")
    grades: set[str] = set()
    for item in items:
        if item is None or item == "":
            continue
        if isinstance(item, bool):
            raise ValueProblem(f"grades are K and 1 to 12; {shown(item)} is not a grade")
        text = str(item).strip()
        span = re.fullmatch(r"(\w+)\s*(?:-|–|to|through)\s*(\w+)", text, flags=re.IGNORECASE)
        if span:  # a range like K-5 or 6 to 8
            first, last = (_grade(part, item) for part in span.groups())
            low, high = sorted((GRADE_VALUES.index(first), GRADE_VALUES.index(last)))
            grades.update(GRADE_VALUES[low : high + 1])
        else:
            grades.add(_grade(text, item))
    return [grade for grade in GRADE_VALUES if grade in grades]


def _grade(text: str, item: object) -> str:
    word = text.strip().upper()
    if word in ("KG", "KINDERGARTEN", "0"):
        word = "K"
    if word not in GRADE_VALUES:
        raise ValueProblem(f"grades are K and 1 to 12; {shown(item)} is not a grade")
    return word


def _parse_state(f: Field, raw: object) -> str:
    if isinstance(raw, str) and raw.strip().upper() in STATES:
        return raw.strip().upper()
    by_name = {name.lower().removeprefix("the "): code for code, name in STATE_NAMES.items()}
    if isinstance(raw, str) and " ".join(raw.lower().split()) in by_name:
        return by_name[" ".join(raw.lower().split())]
    hint = did_you_mean(str(raw).upper(), STATES) if isinstance(raw, str) else ""
    raise ValueProblem(f"must be a two-letter state code like OH or CA, not {shown(raw)}{hint}")


def _parse_school_year(f: Field, raw: object) -> str:
    text = str(raw).strip() if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
    match = re.fullmatch(r"(20\d\d)\s*[-/–]\s*(\d{2}|20\d\d)", text)
    if match:
        first = int(match.group(1))
        second = int(match.group(2)[-2:])
        if second == (first + 1) % 100:
            return f"{first}-{second:02d}"
        raise ValueProblem(
            f"{text} does not name two years in a row; "
            f"write it like {first}-{(first + 1) % 100:02d}"
        )
    raise ValueProblem(f"must be a school year like 2026-27, not {shown(raw)}")


_PARSERS: dict[Kind, Callable[[Field, object], Any]] = {
    Kind.TEXT: _parse_text,
    Kind.BOOL: _parse_bool,
    Kind.COUNT: _parse_count,
    Kind.MONEY: _parse_money,
    Kind.DATE: _parse_date,
    Kind.CHOICE: _parse_choice,
    Kind.LIST: _parse_list,
    Kind.GRADES: _parse_grades,
    Kind.STATE: _parse_state,
    Kind.SCHOOL_YEAR: _parse_school_year,
}


def _check_range(f: Field, value: int | Decimal) -> None:
    unit = "$" if f.kind is Kind.MONEY else ""
    if f.minimum is not None and value < f.minimum:
        if value < 0:
            raise ValueProblem(f"cannot be negative ({unit}{value})")
        raise ValueProblem(f"must be at least {unit}{f.minimum}, not {unit}{value}")
    if f.maximum is not None and value > f.maximum:
        raise ValueProblem(
            f"{unit}{value:,} is more than this could be; the most allowed is {unit}{f.maximum:,}"
        )


def _kind_of(raw: object) -> str:
    if isinstance(raw, dict):
        return "a section of fields"
    if isinstance(raw, list | tuple):
        return "a list"
    if isinstance(raw, bool):
        return "yes/no"
    if isinstance(raw, int | float):
        return "a number"
    if isinstance(raw, bytes):
        return "binary data (a !!binary value)"
    if isinstance(raw, set | frozenset):
        return "a set (a !!set value)"
    return "text"


# ---------------------------------------------------------------- a whole answer set


def flatten(data: Mapping[str, Any], locate: Locate) -> tuple[dict[str, object], list[Problem]]:
    """Nested sections to dotted names, refusing unknown keys with a "did you mean" hint."""
    flat: dict[str, object] = {}
    problems: list[Problem] = []
    known_top = [*SECTIONS, *(f.name for f in FIELDS if not f.section), "schema_version"]

    def put(dotted: str, value: object) -> None:
        if dotted in flat:
            problems.append(
                Problem(
                    locate(dotted),
                    "is given twice (once written out in full, once "
                    "inside its section); keep one of them",
                )
            )
        flat[dotted] = value

    for key, value in data.items():
        if key is None or (isinstance(key, str) and not key.strip()):
            problems.append(Problem(locate("null"), "has a key with no name; remove it"))
            continue
        key_text = str(key)
        if key_text == "schema_version":
            continue
        if key_text in SECTIONS:
            if value is None:
                continue
            if not isinstance(value, Mapping):
                problems.append(
                    Problem(
                        locate(key_text),
                        f"must be a section of fields (like {_example_child(key_text)}), "
                        f"not {_kind_of(value)}",
                    )
                )
                continue
            for child, child_value in value.items():
                dotted = f"{key_text}.{child}"
                if child is None:
                    problems.append(Problem(locate(key_text), "has a key with no name; remove it"))
                elif dotted in BY_NAME:
                    put(dotted, child_value)
                else:
                    hint = did_you_mean(dotted, BY_NAME)
                    problems.append(
                        Problem(locate(dotted), f"is not a field of the answers file{hint}")
                    )
        elif key_text in BY_NAME:
            put(key_text, value)
        else:
            hint = did_you_mean(key_text, known_top)
            if not hint and "." in key_text:
                hint = did_you_mean(key_text, BY_NAME)
            problems.append(Problem(locate(key_text), f"is not a field of the answers file{hint}"))
    return flat, problems


def _example_child(section: str) -> str:
    first = next(f for f in FIELDS if f.section == section)
    example = first.choice_values()[0] if first.choices else "..."
    return f"{first.key}: {example}"


def validate_flat(flat: Mapping[str, object], locate: Locate, *, source: str) -> Answers:
    """Check dotted values against the schema and the cross-field rules; raise `AnswersError`."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for f in FIELDS:
        raw = flat.get(f.name)
        try:
            value = parse_value(f, raw)
        except ValueProblem as exc:
            problems.append(Problem(locate(f.name), str(exc)))
            values[f.name] = None
            continue
        if value is None and f.required:
            verb = "is required but empty" if f.name in flat else "is required but missing"
            problems.append(Problem(locate(f.name), f"{verb}: {f.help}"))
        values[f.name] = value
    problems.extend(cross_field_problems(values, locate))
    if problems:
        raise problems_error(AnswersError, source, problems)
    return Answers(values=values, source=source)


def cross_field_problems(values: Mapping[str, Any], locate: Locate) -> list[Problem]:
    """Rules between fields: a vendor needs a name; a vendor rate needs a vendor; and so on."""
    problems: list[Problem] = []
    provider = values.get("program.provider")
    has_vendor = provider in ("vendor", "mixed")
    if has_vendor and values.get("program.vendor_name") is None:
        problems.append(
            Problem(
                locate("program.vendor_name"),
                f"is required when the provider is {provider}: name the vendor, or write "
                "'unknown' and the documents will show [VENDOR NAME] to fill in",
            )
        )
    if provider == "in_house":
        for name, what in (
            ("program.vendor_name", "vendor name"),
            ("program.vendor_hourly_rate", "vendor rate"),
            ("program.vendor_contract_signed", "vendor contract answer"),
            ("program.vendor_contract_date", "vendor contract date"),
            ("program.vendor_contract_ends", "vendor contract end date"),
        ):
            if values.get(name) is not None:
                problems.append(
                    Problem(
                        locate(name),
                        f"a {what} is given, but program.provider is in_house (no vendor); "
                        "remove it or set the provider to vendor or mixed",
                    )
                )
    if values.get("bargaining.status") == "none":
        for name, what in (
            ("bargaining.contract_article", "names a contract article"),
            ("bargaining.contract_expires", "gives the contract's expiry date"),
            ("bargaining.midterm_notice_days", "gives the contract's mid-term notice period"),
            ("bargaining.midterm_article", "names a contract article"),
        ):
            if values.get(name) is not None:
                problems.append(
                    Problem(
                        locate(name),
                        f"{what}, but bargaining.status is none (no contract); "
                        "remove it or change the status",
                    )
                )
    problems.extend(_v2_agreement_problems(values, locate))
    return problems


def _v2_agreement_problems(values: Mapping[str, Any], locate: Locate) -> list[Problem]:
    """Pairs of version 2 answers that must agree; each message names both fields."""
    problems: list[Problem] = []

    def clash(name: str, message: str) -> None:
        problems.append(Problem(locate(name), message))

    schedule = values.get("program.schedule") or []
    school_day = values.get("program.during_school_day")
    if "school_day" in schedule and school_day is False:
        clash(
            "program.schedule",
            "includes school_day, but program.during_school_day is no; make the two answers agree",
        )
    elif schedule and "school_day" not in schedule and school_day is True:
        clash(
            "program.schedule",
            "leaves out school_day, but program.during_school_day is yes; "
            "make the two answers agree",
        )
    if values.get("program.start_date") is not None and values.get("program.started") is None:
        clash(
            "program.start_date",
            "is given, but program.started is not: answer program.started (yes if tutoring "
            "has begun, no if it starts on that date)",
        )
    if (
        values.get("program.vendor_contract_date") is not None
        and values.get("program.vendor_contract_signed") is False
    ):
        clash(
            "program.vendor_contract_date",
            "gives a signing date, but program.vendor_contract_signed is no; "
            "make the two answers agree",
        )
    signed_on = values.get("program.vendor_contract_date")
    ends_on = values.get("program.vendor_contract_ends")
    if signed_on is not None and ends_on is not None and ends_on < signed_on:
        clash(
            "program.vendor_contract_ends",
            f"({ends_on.isoformat()}) is before program.vendor_contract_date "
            f"({signed_on.isoformat()}); check both dates",
        )
    if values.get("funding.federal") is False:
        sources = [values.get("funding.source"), *(values.get("funding.other_sources") or [])]
        federal = [s for s in sources if s in FEDERAL_SOURCES]
        if federal:
            where = (
                "funding.source"
                if values.get("funding.source") in federal
                else ("funding.other_sources")
            )
            clash(
                "funding.federal",
                f"is no, but {where} includes {federal[0]}, which is federal money; "
                "make the two answers agree",
            )
    if values.get("program.delivery") == "in_person" and values.get(
        "program.members_supervise_virtual"
    ):
        clash(
            "program.members_supervise_virtual",
            "is yes, but program.delivery is in_person (no virtual sessions); "
            "make the two answers agree",
        )
    for name, group, words in (
        ("pay.esp_tutoring_hourly_rate", "tutors.esps", "ESPs"),
        ("pay.student_teacher_hourly_rate", "tutors.student_teachers", "student teachers"),
        ("tutors.retiree_pension_system", "tutors.retirees", "retirees"),
    ):
        if values.get(name) is not None and values.get(group) is False:
            clash(name, f"is given, but {group} is no ({words} do not tutor); remove one")
    return problems


def version_problem(version: object) -> str | None:
    """What is wrong with a declared ``schema_version``, or None when this tool reads it."""
    return schema.version_problem(version, SUPPORTED_VERSIONS)


def newer_field_problems(
    flat: Mapping[str, object], version: int, locate: Locate, *, source: str
) -> list[Problem]:
    """Fields a file of an older ``version`` may not use yet, each with how to upgrade."""
    target = source if source.endswith((".yml", ".yaml")) else "FILE"
    return [
        Problem(
            locate(name),
            f"is new in schema version {BY_NAME[name].since}, but this file says "
            f"schema_version: {version}; run `tutorbargain migrate {target}` to upgrade it",
        )
        for name in flat
        if name in BY_NAME and BY_NAME[name].since > version
    ]


def validate_data(data: object, locate: Locate, *, source: str, need_version: bool) -> Answers:
    """Validate a nested mapping (an answers file's data, or a YAML batch item)."""
    if not isinstance(data, Mapping):
        kind = "empty" if data is None else _kind_of(data)
        raise AnswersError(
            "",
            [Problem(source, f"must be a set of answers (local:, district:, ...), not {kind}")],
        )
    problems: list[Problem] = []
    version = data.get("schema_version")
    problem = schema.version_problem(version, SUPPORTED_VERSIONS, required=need_version)
    if problem:
        problems.append(Problem(locate("schema_version"), problem))
    flat, unknown = flatten(data, locate)
    problems.extend(unknown)
    if version in SUPPORTED_VERSIONS and not isinstance(version, bool):
        problems.extend(newer_field_problems(flat, int(version), locate, source=source))
    try:
        answers = validate_flat(flat, locate, source=source)
    except AnswersError as exc:
        problems.extend(exc.problems)
    if problems:
        raise problems_error(AnswersError, source, problems)
    return answers


def load_answers(path: Path | str) -> Answers:
    """Read and validate an answers file. The library entry point for a script.

    Raises `InputFileError` when the file cannot be read or parsed and `AnswersError` when its
    answers break the schema; both name the file, line and field.
    """
    from tutorbargain.yamlfile import load_yaml

    doc = load_yaml(Path(path), what="an answers file")
    return validate_data(doc.data, doc.where, source=str(path), need_version=True)


def answers_from_mapping(data: Mapping[str, Any], *, source: str = "answers") -> Answers:
    """Validate answers given as nested Python data (for scripts and tests)."""
    return validate_data(data, lambda name: f"{source}, {name}", source=source, need_version=False)


# ---------------------------------------------------------------- JSON Schema


def json_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of answers files, for editors that validate YAML."""
    sections: dict[str, dict[str, Any]] = {}
    top: dict[str, Any] = {"schema_version": {"enum": list(SUPPORTED_VERSIONS)}}
    required_top = ["schema_version"]
    for f in FIELDS:
        prop = _json_type(f)
        if f.section:
            section = sections.setdefault(
                f.section,
                {"type": "object", "additionalProperties": False, "properties": {}, "required": []},
            )
            section["properties"][f.key] = prop
            if f.required:
                section["required"].append(f.key)
                if f.section not in required_top:
                    required_top.append(f.section)
        else:
            top[f.name] = prop
            if f.required:
                required_top.append(f.name)
    for section in sections.values():
        if not section["required"]:
            del section["required"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://tutorbargain.example/answers-v{SCHEMA_VERSION}.schema.json",
        "title": f"tutorbargain answers file, schema version {SCHEMA_VERSION}",
        "type": "object",
        "additionalProperties": False,
        "properties": {**top, **sections},
        "required": required_top,
    }


def _json_type(f: Field) -> dict[str, Any]:
    base: dict[str, Any] = {"description": f.help}
    kind = f.kind
    if kind is Kind.TEXT:
        base.update(type="string", maxLength=f.max_length)
    elif kind is Kind.BOOL:
        base.update(type="boolean")
    elif kind is Kind.COUNT:
        base.update(type="integer", minimum=f.minimum, maximum=f.maximum)
    elif kind is Kind.MONEY:
        base["anyOf"] = [
            {"type": "number", "minimum": f.minimum, "maximum": f.maximum},
            {"type": "string", "pattern": _MONEY.pattern},
        ]
    elif kind is Kind.DATE:
        base.update(type="string", format="date")
    elif kind is Kind.CHOICE:
        base.update(enum=f.choice_values())
    elif kind is Kind.LIST and f.choices:
        base.update(type="array", items={"enum": f.choice_values()}, uniqueItems=True)
    elif kind is Kind.LIST:
        base.update(type="array", items={"type": "string"})
    elif kind is Kind.GRADES:
        base.update(
            type="array",
            items={
                "anyOf": [
                    {"enum": list(GRADE_VALUES)},
                    {"type": "integer", "minimum": 1, "maximum": 12},
                    {
                        "type": "string",
                        "pattern": r"^\s*(K|\d{1,2})\s*(-|to|through)\s*\d{1,2}\s*$",
                    },
                ]
            },
        )
    elif kind is Kind.STATE:
        base.update(enum=list(STATES))
    elif kind is Kind.SCHOOL_YEAR:
        base.update(type="string", pattern=r"^20\d\d-\d\d$")
    if f.name == "program.vendor_name":
        base["description"] += " Required when the provider is vendor or mixed."
    if f.since > 1:
        base["description"] += f" (New in schema version {f.since}.)"
    if f.default is not None:
        base["default"] = f.default
        base["description"] += f" Default {f.default}: {f.default_source}."
    return base
