"""Validate a user's answers (a YAML file or a spreadsheet row) into a typed `Answers`.

The same checks serve the answers file, batch rows and the interview, so a user gets the same
words wherever they typed the value. Every problem names where it is and what was expected.
One value is parsed by the field-kinds table (`kinds.parse_value`); it, `to_plain`,
`ValueProblem` and `clean_text` are importable from here too, where scripts have found them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutorbargain import schema
from tutorbargain.answers.fields import (
    BY_NAME,
    FEDERAL_SOURCES,
    FIELDS,
    SCHEMA_VERSION,
    SECTIONS,
    SUPPORTED_VERSIONS,
    Field,
)
from tutorbargain.answers.kinds import json_type
from tutorbargain.answers.kinds import parse_value as parse_value
from tutorbargain.answers.kinds import to_plain as to_plain
from tutorbargain.answers.parsing import ValueProblem as ValueProblem
from tutorbargain.answers.parsing import clean_text as clean_text
from tutorbargain.answers.parsing import kind_of
from tutorbargain.errors import AnswersError, Problem, by_line, problems_error
from tutorbargain.schema import closest, did_you_mean

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
                        f"not {kind_of(value)}",
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
                    hint = _field_hint(key_text, str(child))
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


def _field_hint(section: str, key: str) -> str:
    """`` (did you mean pay.tutoring_hourly_rate?)``: the same key under another heading, else
    the closest key among its section's fields, then among all. Whole dotted names would match
    on the section alone: "program.colour" looks like any program field."""
    moved = [n for n in BY_NAME if n.rsplit(".", 1)[-1] == key]
    if moved:
        return f" (did you mean {moved[0]}?)"
    for prefix in (f"{section}.", ""):
        names = {n.rsplit(".", 1)[-1]: n for n in BY_NAME if n.startswith(prefix)}
        close = closest(key, names)
        if close is not None:
            return f" (did you mean {names[close]}?)"
    return ""


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
        raise problems_error(AnswersError, source, by_line(problems))
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
        kind = "empty" if data is None else kind_of(data)
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
        raise problems_error(AnswersError, source, by_line(problems))
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
    base = json_type(f)
    if f.name == "program.vendor_name":
        base["description"] += " Required when the provider is vendor or mixed."
    if f.since > 1:
        base["description"] += f" (New in schema version {f.since}.)"
    if f.default is not None:
        base["default"] = f.default
        base["description"] += f" Default {f.default}: {f.default_source}."
    return base
