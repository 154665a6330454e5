"""Can a rule ever hold? A small search over the answers each rule compares.

A rule reads a few answers; trying the values worth trying for each (every choice, each number
in the rule and one either side of it, no answer at all) and completing the rest from a full
sample finds answers that meet the rule, or shows that none can. `clauses lint` uses it to
find impossible rules and to pick answers to render each text with; the rule-coverage and
drafting tests run over `answer_space`, the union of those answers for a whole library.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from tutorbargain.answers.fields import BY_NAME, FIELDS, Field
from tutorbargain.answers.kinds import sample_values
from tutorbargain.answers.reading import Answers, answers_from_mapping, cross_field_problems
from tutorbargain.errors import AnswersError
from tutorbargain.library.model import Library
from tutorbargain.library.rules import (
    FIELD_OPERATORS,
    AllOf,
    AnyOf,
    Compare,
    Not,
    Rule,
    describe_rule,
    evaluate_values,
    fields_in,
)

SEARCH_LIMIT = 200_000
"""Most answer combinations tried for one rule; a rule reading more is reported, not searched."""
CORE = ("bargaining.status", "program.provider", "program.delivery")
"""The answers that shape a whole document; the search tries each of their combinations."""


class SearchTooLarge(Exception):
    """A rule reads so many answers that trying every candidate combination would take too long."""

    def __init__(self, fields: int) -> None:
        super().__init__(f"{fields} fields")
        self.fields = fields


_FULL_DATA: dict[str, Any] = {
    "local": {
        "name": "Sample Education Association",
        "affiliate": "Sample State Education Association",
        "president": "Pat Sample",
        "address": "1 Main Street, Sample City, OH 43000",
    },
    "district": {"name": "Sample School District", "state": "OH", "superintendent": "Dr. Lee"},
    "school_year": "2026-27",
    "bargaining": {
        "status": "cba",
        "tutors_already_negotiated": False,
        "contract_article": "Article 14",
        "esp_representation": "same_union",
        "contract_expires": "2028-06-30",
        "midterm_notice_days": 30,
        "midterm_article": "Article 3",
        "union_notified_on": "2026-08-15",
        "union_notified_how": "a board agenda",
    },
    "program": {
        "name": "Sample Tutoring",
        "provider": "mixed",
        "vendor_name": "Sample Tutoring Co.",
        "vendor_hourly_rate": 60,
        "delivery": "hybrid",
        "during_school_day": True,
        "sessions_per_week": 3,
        "minutes_per_session": 30,
        "weeks": 24,
        "max_group_size": 3,
        "students": 300,
        "tutor_count": 20,
        "subjects": ["math", "reading"],
        "grades": ["3", "4", "5"],
        "student_identification": "multiple_measures",
        "evaluation_uses_test_scores": False,
        "serves_iep_students": True,
        "needs_space": True,
        "started": True,
        "start_date": "2026-09-08",
        "schedule": ["school_day", "after_school"],
        "vendor_contract_signed": True,
        "vendor_contract_date": "2026-07-01",
        "vendor_contract_ends": "2027-06-30",
        "sessions_recorded": True,
        "student_data_to_vendor": True,
        "members_supervise_virtual": True,
        "uses_software_tutor": True,
    },
    "tutors": {
        "unit_teachers": True,
        "esps": True,
        "retirees": True,
        "student_teachers": True,
        "community_volunteers": True,
        "retiree_pension_system": "STRS Ohio",
        "paid_student_tutors": True,
    },
    "pay": {
        "certificated_hourly_rate": 42,
        "tutoring_hourly_rate": 45,
        "esp_hourly_rate": 22,
        "training_hours": 6,
        "extra_duty_hourly_rate": 40,
        "training_hourly_rate": 45,
        "esp_tutoring_hourly_rate": 25,
        "student_teacher_hourly_rate": 20,
        "lead_tutor_hourly_rate": 50,
        "lead_tutor_stipend": 1000,
    },
    "funding": {
        "source": "title_i",
        "ends": "2027-06-30",
        "other_sources": ["state_grant"],
        "federal": True,
    },
    "terms": {
        "posting_days": 10,
        "notice_days": 30,
        "information_days": 10,
        "funding_notice_days": 60,
        "reopener_days": 30,
        "committee_days": 30,
        "answer_days": 15,
        "schedule_notice_days": 10,
        "weekly_hours_cap": 24,
        "planning_hours_cap": 1,
        "leave_assignment_days": 10,
        "delivery_days": 30,
        "response_days": 10,
        "reply_days": 5,
        "hours_per_prep_hour": 3,
        "cancel_notice_hours": 24,
        "pathway_days": 60,
        "site_committee_students": 500,
    },
}
"""Every answer given, all valid together; the other answers of a searched rule come from here."""

_full_values: dict[str, Any] | None = None


def full_values() -> dict[str, Any]:
    """The typed values of a sample where every answer is given."""
    global _full_values
    if _full_values is None:
        _full_values = dict(answers_from_mapping(_FULL_DATA, source="sample answers").values)
        missing = [name for name, value in _full_values.items() if value is None]
        assert not missing, f"the linter's sample answers leave out {missing}"
    return dict(_full_values)


def minimal_values() -> dict[str, Any]:
    """The sample with only the required answers given, as in an early draft."""
    return {
        name: (value if BY_NAME[name].required else None) for name, value in full_values().items()
    }


def rule_constants(rule: Rule) -> dict[str, list[Any]]:
    """Each field a rule reads, with the values the rule compares it to."""
    out: dict[str, list[Any]] = {}

    def visit(r: Rule) -> None:
        if isinstance(r, Compare):
            values = out.setdefault(r.field, [])
            if r.op in FIELD_OPERATORS:
                out.setdefault(r.value, [])
                default = BY_NAME[r.value].default
                if default is not None:  # so the values tried meet and miss it
                    values.append(default)
            elif r.op in ("in", "not_in"):
                values.extend(r.value)
            elif r.op != "is_set":
                values.append(r.value)
        elif isinstance(r, Not):
            visit(r.rule)
        elif isinstance(r, AllOf | AnyOf):
            for child in r.rules:
                visit(child)

    visit(rule)
    return out


def candidate_values(f: Field, constants: Sequence[Any] = ()) -> list[Any]:
    """The values worth trying for ``f``: enough to meet or miss any comparison in the rule.

    Every choice; yes and no; each number, amount or date in the rule, one either side of it,
    and a typical value; for lists, each value alone, all of them, something else and empty;
    and no answer at all, unless the answer is required.
    """
    return sample_values(f, constants, typical=full_values()[f.name])


def complete_answers(assignment: Mapping[str, Any], *, minimal: bool = False) -> Answers | None:
    """Valid answers that keep ``assignment`` and fill in the rest, or None if none exist.

    The other answers come from the full (or minimal) sample. When the cross-field checks object
    (a vendor name without a vendor, say), the answer they name is dropped or supplied; if that
    answer is one of ``assignment``'s, the bargaining status, provider and delivery not fixed by
    ``assignment`` are tried in turn. The result passes the same validation as an answers file.
    """
    free = [name for name in CORE if name not in assignment]
    sample = full_values()
    orders = [_first(BY_NAME[name].choice_values(), sample[name]) for name in free]
    for combo in itertools.product(*orders):
        values = minimal_values() if minimal else full_values()
        values.update(zip(free, combo, strict=True))
        values.update(assignment)
        answers = _repaired(values, fixed=assignment)
        if answers is not None:
            return answers
    return None


def _first(values: list[str], first: str) -> list[str]:
    return [first, *(v for v in values if v != first)]


def _repaired(values: dict[str, Any], *, fixed: Mapping[str, Any]) -> Answers | None:
    for _ in range(len(FIELDS)):
        problems = cross_field_problems(values, lambda name: name)
        if not problems:
            break
        flips = [p.where for p in problems if p.where in BY_NAME and p.where not in fixed]
        if len(flips) < len(problems):
            return None
        for name in flips:
            values[name] = None if values[name] is not None else full_values()[name]
    else:
        return None
    try:
        return answers_from_mapping(Answers(values).to_data(), source="sample answers")
    except AnswersError:
        return None


def rule_assignments(rule: Rule, *, also: Sequence[str] = ()) -> Iterator[dict[str, Any]]:
    """Every combination of candidate values of the fields ``rule`` reads (and ``also``)."""
    constants = rule_constants(rule)
    names = sorted({*fields_in(rule), *also})
    options = [candidate_values(BY_NAME[n], constants.get(n, ())) for n in names]
    if math.prod(len(o) for o in options) > SEARCH_LIMIT:
        raise SearchTooLarge(len(names))
    for combo in itertools.product(*options):
        yield dict(zip(names, combo, strict=True))


@functools.lru_cache(maxsize=4096)
def satisfying_answers(
    rule: Rule,
    *,
    unset: str | None = None,
    minimal: bool = False,
) -> Answers | None:
    """Valid answers for which ``rule`` holds (and ``unset`` has no answer), or None.

    Raises `SearchTooLarge` when the rule reads too many answers to search. Results are
    cached: a rule's answer does not change within a process, and `clauses lint` over an overlay
    re-checks every bundled rule.
    """
    also = [unset] if unset else []
    for values in rule_assignments(rule, also=also):
        if unset is not None and values[unset] is not None:
            continue
        if not evaluate_values(rule, values):
            continue
        answers = complete_answers(values, minimal=minimal)
        if answers is not None:
            return answers
    return None


def can_be_blank(rule: Rule, name: str) -> bool:
    """Whether some answers include the text while leaving ``name`` unanswered."""
    try:
        return satisfying_answers(rule, unset=name) is not None
    except SearchTooLarge:
        return True


# ---------------------------------------------------------------- the combination space

TUTOR_KINDS = tuple(name for name in BY_NAME if name.startswith("tutors."))


def answer_space(library: Library) -> Iterator[Answers]:
    """Representative answer sets for a library, each once, all valid.

    The union of the core product (every bargaining status x provider x delivery x each kind
    of tutor on or off, the other answers alternately all given and all blank) and, for each
    rule of the library, every combination of the values worth trying for the fields it reads
    (see `candidate_values`), with the other answers given and then blank. The rule-coverage
    and drafting tests run over it, so it grows with the library.
    """
    seen: set[tuple[tuple[str, Any], ...]] = set()
    for assignment, minimal in itertools.chain(_core_product(), _per_rule(library)):
        key = (*frozen_items(assignment), ("minimal", minimal))
        if key in seen:
            continue
        seen.add(key)
        answers = complete_answers(assignment, minimal=minimal)
        if answers is not None:
            yield answers


def _core_product() -> Iterator[tuple[dict[str, Any], bool]]:
    choices = [BY_NAME[name].choice_values() for name in CORE]
    tutors = [[True, False]] * len(TUTOR_KINDS)
    for index, combo in enumerate(itertools.product(*choices, *tutors)):
        yield dict(zip((*CORE, *TUTOR_KINDS), combo, strict=True)), index % 2 == 1


def _per_rule(library: Library) -> Iterator[tuple[dict[str, Any], bool]]:
    rules = {entry.when for entry in library.entries()}
    rules |= {posture.when for posture in library.postures}
    for rule in sorted(rules, key=describe_rule):
        for assignment in rule_assignments(rule):
            yield assignment, False
            yield assignment, True


def frozen_items(values: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """Answers as a dictionary key."""
    return tuple((name, frozen(v)) for name, v in sorted(values.items()))


def frozen(value: Any) -> Any:
    """A value as a dictionary key (a list becomes a tuple)."""
    return tuple(value) if isinstance(value, list) else value


def full_answers() -> Answers:
    """The sample where every answer is given, as answers."""
    return answers_from_mapping(_FULL_DATA, source="sample answers")
