"""Rules are data: parsed with checks, evaluated without eval, explained in words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import pytest

from tutorbargain.answers.reading import Answers, answers_from_mapping
from tutorbargain.library.rules import RuleProblem, describe_rule, evaluate, fields_in, parse_rule

BASE = {
    "local": {"name": "A"},
    "district": {"name": "B", "state": "OH"},
    "school_year": "2026-27",
    "bargaining": {"status": "cba"},
    "program": {
        "provider": "vendor",
        "vendor_name": "V",
        "delivery": "hybrid",
        "max_group_size": 5,
        "grades": ["K", "1"],
        "vendor_hourly_rate": 60,
    },
    "tutors": {"esps": False},
    "pay": {"certificated_hourly_rate": 45},
}
ANSWERS = answers_from_mapping(BASE)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (None, True),
        ("always", True),
        ({"field": "bargaining.status", "equals": "cba"}, True),
        ({"field": "bargaining.status", "not_equals": "cba"}, False),
        ({"field": "program.delivery", "in": ["virtual", "hybrid"]}, True),
        ({"field": "program.delivery", "not_in": ["virtual", "hybrid"]}, False),
        ({"field": "program.max_group_size", "gt": 4}, True),
        ({"field": "program.max_group_size", "lte": 4}, False),
        ({"field": "program.grades", "contains": "K"}, True),
        ({"field": "program.grades", "contains": 3}, False),
        ({"field": "tutors.esps", "equals": False}, True),
        ({"field": "tutors.retirees", "equals": False}, False),  # unanswered is not "no"
        ({"field": "tutors.retirees", "is_set": False}, True),
        ({"field": "program.weeks", "not_equals": 10}, True),  # unanswered: not 10
        ({"field": "program.vendor_hourly_rate", "gt_field": "pay.certificated_hourly_rate"}, True),
        (
            {
                "all": [
                    {"field": "bargaining.status", "equals": "cba"},
                    {"not": {"field": "tutors.esps", "equals": True}},
                ]
            },
            True,
        ),
        (
            {
                "any": [
                    {"field": "tutors.esps", "equals": True},
                    {"field": "program.provider", "equals": "in_house"},
                ]
            },
            False,
        ),
    ],
)
def test_evaluate(rule: object, expected: bool) -> None:
    assert evaluate(parse_rule(rule), ANSWERS).matched is expected


def test_reasons_are_words() -> None:
    rule = parse_rule(
        {
            "all": [
                {"field": "program.provider", "in": ["vendor", "mixed"]},
                {"field": "tutors.esps", "equals": True},
            ]
        }
    )
    verdict = evaluate(rule, ANSWERS)
    assert not verdict.matched
    assert verdict.reasons == ("education support professionals tutor: no (needs yes)",)
    assert describe_rule(rule) == (
        'who runs the program is one of "an outside vendor", "district staff and an outside '
        'vendor" and education support professionals tutor is "yes"'
    )
    assert fields_in(rule) == {"program.provider", "tutors.esps"}


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ({"field": "program.provider", "equals": "vendr"}, "did you mean vendor"),
        ({"field": "program.providr", "equals": "vendor"}, "did you mean program.provider"),
        ({"field": "program.weeks", "greater": 3}, "unknown comparison"),
        ({"field": "program.weeks", "gt": "many"}, "whole number"),
        ({"field": "tutors.esps", "gt": 1}, "needs a number"),
        ({"field": "program.weeks", "in": 3}, "list of values"),
        ({"field": "program.weeks", "equals": 3, "gt": 1}, "exactly one"),
        ({"all": []}, "one or more rules"),
        ({"all": [], "any": []}, "stand alone"),
        ({"field": "program.weeks", "is_set": "yes"}, "true or false"),
        ({"field": "program.students", "gte_field": "terms.sites"}, "not in the answers schema"),
        ({"field": "program.students", "gte_field": "pay.esp_hourly_rate"}, "one kind"),
        ({"field": "tutors.esps", "gte_field": "tutors.retirees"}, "one kind"),
        (["not", "a", "rule"], "a rule must be a mapping"),
        ({"field": "program.name", "equals": None}, "is_set: false"),
    ],
)
def test_bad_rules_say_what_is_wrong(rule: object, words: str) -> None:
    with pytest.raises(RuleProblem) as info:
        parse_rule(rule)
    assert words in str(info.value)


# ---------------------------------------------------------------- boundaries

# Each ordered comparison at the value, one below and one above (counts, money and dates), so
# turning `>=` into `>` (or `<` into `<=`) fails here.
BOUNDARIES = {
    "gt": (False, False, True),
    "gte": (False, True, True),
    "lt": (True, False, False),
    "lte": (True, True, False),
}
ORDERED_VALUES = {
    "program.max_group_size": (3, 4, 5),
    "pay.certificated_hourly_rate": ("44.99", "45", "45.01"),
    "funding.ends": ("2027-06-29", "2027-06-30", "2027-07-01"),
}


def _with(name: str, value: object) -> Answers:
    """BASE with one answer set (or, with None, left out)."""
    section, key = name.split(".")
    fields = {**cast(Mapping[str, object], BASE.get(section, {})), key: value}
    return answers_from_mapping({**BASE, section: fields})


@pytest.mark.parametrize("op", sorted(BOUNDARIES))
@pytest.mark.parametrize("name", sorted(ORDERED_VALUES))
def test_each_ordered_comparison_at_its_boundary(op: str, name: str) -> None:
    below, at, above = ORDERED_VALUES[name]
    rule = parse_rule({"field": name, op: at})
    verdicts = tuple(evaluate(rule, _with(name, v)).matched for v in (below, at, above))
    assert verdicts == BOUNDARIES[op]


@pytest.mark.parametrize("op", sorted(BOUNDARIES))
def test_an_unanswered_field_meets_no_ordered_comparison(op: str) -> None:
    assert evaluate(parse_rule({"field": "program.weeks", op: 10}), ANSWERS).matched is False


@pytest.mark.parametrize(("vendor", "expected"), [("44.99", False), ("45", False), ("45.01", True)])
def test_more_than_another_field_is_strictly_more(vendor: str, expected: bool) -> None:
    rule = parse_rule(
        {"field": "program.vendor_hourly_rate", "gt_field": "pay.certificated_hourly_rate"}
    )
    assert evaluate(rule, _with("program.vendor_hourly_rate", vendor)).matched is expected


@pytest.mark.parametrize(
    ("name", "values", "ids"),
    [
        ("program.students", (499, 500, None), ("site-committees", "q-site-committees")),
        ("program.max_group_size", (4, 5, None), ("q-group-size",)),
    ],
)
def test_the_bundled_thresholds_at_their_edge(
    name: str, values: tuple[int, int, None], ids: tuple[str, ...]
) -> None:
    """The library's own numbers: 500 students bring site committees, a group of five the
    group-size question; one less, or no answer, brings neither."""
    from tutorbargain.library.loading import load_library
    from tutorbargain.library.selection import select

    library = load_library(())
    below, edge, unanswered = values
    for value, expected in ((below, False), (edge, True), (unanswered, False)):
        selection = select(library, _with(name, value))
        chosen = {c.entry.id for c in (*selection.clauses, *selection.questions) if c.included}
        for ident in ids:
            assert (ident in chosen) is expected, (ident, value)


SITES = {"field": "program.students", "gte_field": "terms.site_committee_students"}
"""At least as many students as the team's term (500 unless answered)."""


@pytest.mark.parametrize(
    ("students", "term", "expected"),
    [
        (499, None, False),
        (500, None, True),  # the term unanswered: compared with its default, 500
        (501, None, True),
        (299, 300, False),
        (300, 300, True),  # the team's own number
        (600, 1000, False),
        (None, 300, False),  # no students answered: no comparison holds
    ],
)
def test_at_least_another_field_or_its_default(
    students: int | None, term: int | None, expected: bool
) -> None:
    answers = answers_from_mapping(
        {
            **BASE,
            "program": {**cast(Mapping[str, object], BASE["program"]), "students": students},
            "terms": {"site_committee_students": term},
        }
    )
    verdict = evaluate(parse_rule(SITES), answers)
    assert verdict.matched is expected
    said = str(students) if students is not None else "not answered"
    if not expected:
        said += f" (needs at least {term or 500})"
    other = str(term) if term is not None else "500 (the default)"
    assert verdict.reasons == (
        f"students served: {said}; site-committee size in students: {other}",
    )


def test_at_least_another_field_in_words() -> None:
    rule = parse_rule(SITES)
    assert describe_rule(rule) == ("students served is at least site-committee size in students")
    assert fields_in(rule) == {"program.students", "terms.site_committee_students"}
    negated = evaluate(parse_rule({"not": SITES}), _with("program.students", 600))
    assert not negated.matched
    assert "(needs" not in negated.reasons[0]


def test_a_negated_rule_says_what_the_negation_needs() -> None:
    rule = parse_rule({"not": {"field": "bargaining.status", "equals": "cba"}})
    failed = evaluate(rule, ANSWERS)  # status is cba, so "not cba" fails
    assert not failed.matched
    assert failed.reasons == (
        "bargaining status: a collective bargaining agreement (needs anything but a collective "
        "bargaining agreement)",
    )
    other = answers_from_mapping({**BASE, "bargaining": {"status": "none"}})
    passed = evaluate(rule, other)
    assert passed.matched and passed.reasons == ("bargaining status: no bargaining",)
    unset = parse_rule({"not": {"field": "program.name", "is_set": True}})
    assert evaluate(unset, ANSWERS).reasons == ("program name: not answered",)
