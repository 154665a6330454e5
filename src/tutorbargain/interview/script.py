"""The interview's questions, as data: ``interview.yml`` read and checked into a `Script`.

Each question fills one answers-file field; its ``when`` rule (the clause-rule syntax, decided
by `rules`) says whether it applies to this program. Fields deliberately not asked are listed
with the reason, so a field added to the schema and forgotten here is caught by a test.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutorbargain import schema
from tutorbargain.answers.fields import BY_NAME, FIELDS, Field, Kind
from tutorbargain.answers.kinds import parse_value
from tutorbargain.answers.parsing import ValueProblem
from tutorbargain.answers.reading import Locate
from tutorbargain.errors import InputFileError, Problem, problems_error
from tutorbargain.library.rules import Rule, RuleProblem, fields_in, parse_rule
from tutorbargain.schema import did_you_mean
from tutorbargain.yamlfile import load_yaml

INTERVIEW_FILE = Path(__file__).with_name("interview.yml")
INTERVIEW_FORMAT = 1
"""The ``schema_version`` an interview file declares."""

_TOP_KEYS = ("schema_version", "sections", "skipped")
_SECTION_KEYS = ("id", "title", "questions")
_QUESTION_KEYS = ("field", "prompt", "hint", "when", "default", "unsure")


@dataclass(frozen=True)
class Question:
    """One question: the field it fills, its words, when it applies and what Enter gives."""

    field: Field
    section: str
    prompt: str
    hint: str
    """One line on why the answer matters at the bargaining table."""
    when: Rule
    default: Any = None
    """A typed value (parsed by `answers.parse_value`), or None for no default."""
    unsure: bool = False
    """For a yes/no field: also offer "Not sure yet", which leaves it blank."""

    @property
    def name(self) -> str:
        return self.field.name

    @property
    def label(self) -> str:
        """The field's label as the start of a line: "Vendor name"."""
        return cap(self.field.label)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Script:
    """Every question in the order asked, and the fields deliberately not asked, with why."""

    sections: tuple[Section, ...]
    skipped: Mapping[str, str]

    def questions(self) -> list[Question]:
        return [q for section in self.sections for q in section.questions]

    def find(self, name: str) -> Question | None:
        return next((q for q in self.questions() if q.name == name), None)

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def unasked(self) -> list[str]:
        """Schema fields neither asked nor skipped with a reason: a gap in the interview."""
        asked = {q.name for q in self.questions()}
        return [f.name for f in FIELDS if f.name not in asked and f.name not in self.skipped]


def load_script(path: Path = INTERVIEW_FILE) -> Script:
    """Read and check an interview file; every problem names its line.

    A question's ``when`` may only read fields asked before it, so whether it applies is known
    when its turn comes, and a later answer can never change what was asked earlier.
    """
    doc = load_yaml(path, what="an interview file")
    data = doc.data
    if not isinstance(data, Mapping):
        raise InputFileError("", [Problem(str(path), "must hold sections: and their questions")])
    problems = [
        Problem(doc.where(key), message)
        for key, message in schema.unknown_keys(data, _TOP_KEYS, what="top-level key")
    ]
    version = schema.version_problem(data.get("schema_version"), (INTERVIEW_FORMAT,))
    if version:
        problems.append(Problem(doc.where("schema_version"), version))
    asked: list[str] = []
    sections: list[Section] = []
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        problems.append(Problem(doc.where("sections"), "must be a list of sections"))
        raw_sections = []
    for index, raw in enumerate(raw_sections):
        key = f"sections[{index}]"
        if not isinstance(raw, Mapping) or not {"id", "title", "questions"} <= set(raw):
            problems.append(Problem(doc.where(key), "a section needs an id, a title and questions"))
            continue
        for extra, message in schema.unknown_keys(raw, _SECTION_KEYS, what="key of a section"):
            problems.append(Problem(doc.where(f"{key}.{extra}"), message))
        section_id = str(raw["id"])
        questions = [
            q
            for q_index, raw_q in enumerate(raw["questions"] or [])
            if (
                q := _question(
                    doc.where, f"{key}.questions[{q_index}]", raw_q, section_id, asked, problems
                )
            )
        ]
        sections.append(Section(section_id, str(raw["title"]), tuple(questions)))
    skipped = _skipped(doc.where, data.get("skipped"), asked, problems)
    if problems:
        raise problems_error(InputFileError, str(path), problems)
    return Script(tuple(sections), skipped)


def _question(
    where: Locate, key: str, raw: object, section: str, asked: list[str], problems: list[Problem]
) -> Question | None:
    """One question from the file, or None (with problems noted) when it cannot be used."""
    if not isinstance(raw, Mapping):
        problems.append(Problem(where(key), "a question needs field, prompt and hint"))
        return None
    for extra, message in schema.unknown_keys(raw, _QUESTION_KEYS, what="key of a question"):
        problems.append(Problem(where(f"{key}.{extra}"), message))
    name = str(raw.get("field"))
    f = BY_NAME.get(name)
    if f is None:
        hint = did_you_mean(name, BY_NAME)
        problems.append(Problem(where(f"{key}.field"), f"'{name}' is not an answers field{hint}"))
        return None
    if name in asked:
        problems.append(Problem(where(f"{key}.field"), f"{name} is asked twice"))
    words = {part: raw.get(part) for part in ("prompt", "hint")}
    for part, text in words.items():
        if not isinstance(text, str) or not text.strip():
            problems.append(
                Problem(where(f"{key}.{part}" if part in raw else key), f"needs a {part}")
            )
    try:
        when = parse_rule(raw.get("when"))
    except RuleProblem as exc:
        problems.append(Problem(where(f"{key}.when"), str(exc)))
        when = parse_rule(None)
    later = sorted(fields_in(when) - set(asked))
    if later:
        problems.append(
            Problem(
                where(f"{key}.when"),
                f"reads {', '.join(later)}, which is not asked before this question",
            )
        )
    default = None
    if "default" in raw:
        try:
            default = parse_value(f, raw["default"])
        except ValueProblem as exc:
            problems.append(Problem(where(f"{key}.default"), f"the default {exc}"))
    unsure = raw.get("unsure", False)
    if not isinstance(unsure, bool) or (unsure and f.kind is not Kind.BOOL):
        problems.append(Problem(where(f"{key}.unsure"), "is true or false, for yes/no fields"))
        unsure = False
    asked.append(name)
    return Question(f, section, str(words["prompt"]), str(words["hint"]), when, default, unsure)


def _skipped(
    where: Locate, raw: object, asked: list[str], problems: list[Problem]
) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        problems.append(Problem(where("skipped"), "must map field names to the reason"))
        return {}
    skipped: dict[str, str] = {}
    for name, reason in raw.items():
        key = f"skipped.{name}"
        if str(name) not in BY_NAME:
            problems.append(
                Problem(where(key), f"is not an answers field{did_you_mean(str(name), BY_NAME)}")
            )
        elif str(name) in asked:
            problems.append(Problem(where(key), "is asked, so it cannot also be skipped"))
        elif not isinstance(reason, str) or not reason.strip():
            problems.append(Problem(where(key), "needs the reason it is not asked"))
        else:
            skipped[str(name)] = reason
    return skipped


def cap(text: str) -> str:
    """Text as the start of a line: its first letter a capital."""
    return text[:1].upper() + text[1:]


def short_prompt(q: Question) -> str:
    """The question without its typing example: "Which school year is the program for?"."""
    return re.sub(r"\s*\([^()]*\)$", "", q.prompt)
