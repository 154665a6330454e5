"""The field-kinds table: each kind's parsing, words, spreadsheet guide and linter samples."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tutorbargain.answers.fields import BY_NAME, FIELDS, Kind
from tutorbargain.answers.kinds import (
    KINDS,
    LISTED,
    ORDERED,
    PICKED,
    as_typed_text,
    column_guide,
    format_value,
    json_type,
    parse_value,
    read_typed,
    sample_values,
    text_column,
    to_plain,
    typed_cell,
    words_for,
)
from tutorbargain.answers.parsing import ValueProblem
from tutorbargain.answers.words import dollars, money, rate_words

EXAMPLE = {
    Kind.TEXT: "local.name",
    Kind.BOOL: "tutors.esps",
    Kind.COUNT: "program.weeks",
    Kind.MONEY: "pay.tutoring_hourly_rate",
    Kind.DATE: "funding.ends",
    Kind.CHOICE: "bargaining.status",
    Kind.LIST: "program.subjects",
    Kind.GRADES: "program.grades",
    Kind.STATE: "district.state",
    Kind.SCHOOL_YEAR: "school_year",
}
"""One field of each kind."""


def test_every_kind_has_one_entry_and_an_example() -> None:
    assert set(KINDS) == set(Kind) == set(EXAMPLE)
    assert all(BY_NAME[name].kind is kind for kind, name in EXAMPLE.items())
    assert {Kind.COUNT, Kind.MONEY, Kind.DATE} == ORDERED
    assert {Kind.LIST, Kind.GRADES} == LISTED
    assert {Kind.BOOL, Kind.CHOICE} == PICKED


@pytest.mark.parametrize(
    ("kind", "raw", "value", "plain", "words", "said"),
    [
        (Kind.TEXT, "  Cedar   Valley EA ", "Cedar Valley EA", "Cedar Valley EA", None, None),
        (Kind.BOOL, "yes", True, True, "yes", "yes"),
        (Kind.BOOL, 0, False, False, "no", "no"),
        (Kind.COUNT, "1,000", None, None, None, None),  # weeks stop at 52
        (Kind.COUNT, "12", 12, 12, "12", "12"),
        (Kind.MONEY, "$41.8", Decimal("41.80"), 41.8, "$41.80", "$41.80"),
        (Kind.MONEY, 40, Decimal("40.00"), 40, "$40.00", "$40.00"),
        (Kind.DATE, "6/30/2027", dt.date(2027, 6, 30), "2027-06-30", "June 30, 2027", None),
        (Kind.CHOICE, "Meet and confer", "meet_and_confer", "meet_and_confer", None, None),
        (Kind.LIST, "math; reading", ["math", "reading"], ["math", "reading"], None, None),
        (Kind.GRADES, "K-3", ["K", "1", "2", "3"], ["K", "1", "2", "3"], "K through 3", None),
        (Kind.STATE, "ohio", "OH", "OH", "Ohio", "OH"),
        (Kind.SCHOOL_YEAR, "2026/2027", "2026-27", "2026-27", "2026-27", "2026-27"),
    ],
)
def test_each_kind_parses_and_is_worded(
    kind: Kind, raw: object, value: Any, plain: Any, words: str | None, said: str | None
) -> None:
    f = BY_NAME[EXAMPLE[kind]]
    if value is None:
        with pytest.raises(ValueProblem, match="more than this could be"):
            parse_value(f, raw)
        return
    parsed = parse_value(f, raw)
    assert parsed == value
    assert to_plain(f, parsed) == plain
    assert type(to_plain(f, parsed)) is type(plain)
    expected_words = {
        Kind.TEXT: "Cedar Valley EA",
        Kind.CHOICE: "meet-and-confer or consultation",
        Kind.LIST: "math and reading",
    }.get(kind, words)
    assert format_value(f, parsed) == expected_words
    expected_said = {
        Kind.TEXT: "Cedar Valley EA",
        Kind.DATE: "2027-06-30",
        Kind.CHOICE: "meet-and-confer or consultation",
        Kind.LIST: "math, reading",
        Kind.GRADES: "K, 1, 2, 3",
    }.get(kind, said)
    assert words_for(f, parsed) == f.words_for(parsed) == expected_said


def test_blank_and_range() -> None:
    weeks = BY_NAME["program.weeks"]
    assert parse_value(weeks, "  ") is None and parse_value(weeks, None) is None
    with pytest.raises(ValueProblem, match="must be at least 1, not 0"):
        parse_value(weeks, 0)
    rate = BY_NAME["pay.tutoring_hourly_rate"]
    with pytest.raises(ValueProblem, match=r"the most allowed is \$"):
        parse_value(rate, "99999")
    assert words_for(rate, None) == "not answered"


def test_list_words_use_the_choices_words() -> None:
    f = BY_NAME["funding.other_sources"]
    value = parse_value(f, ["esser", "title_i", "other"])
    assert format_value(f, value) == (
        "federal ESSER relief funds, federal Title I funds and another source"
    )
    assert (
        words_for(f, value) == "federal ESSER relief funds, federal Title I funds, another source"
    )
    assert words_for(f, []) == "none"


def test_money_words_are_shared_by_documents_and_costs() -> None:
    assert money(Decimal("1500.00")) == "$1,500"
    assert money(Decimal("41.8")) == "$41.80"
    assert money(999) == "$999.00"
    assert dollars(Decimal("314999.5")) == "$315,000"
    assert rate_words(Decimal("45.005")) == "$45.01"


def test_json_types() -> None:
    assert json_type(BY_NAME["tutors.esps"]) == {
        "description": BY_NAME["tutors.esps"].help,
        "type": "boolean",
    }
    assert json_type(BY_NAME["program.weeks"])["maximum"] == 52
    assert json_type(BY_NAME["district.state"])["enum"][0] == "AL"
    money_json = json_type(BY_NAME["pay.tutoring_hourly_rate"])
    assert [t["type"] for t in money_json["anyOf"]] == ["number", "string"]
    grades = json_type(BY_NAME["program.grades"])
    assert grades["type"] == "array" and "anyOf" in grades["items"]
    for f in FIELDS:
        assert json_type(f)["description"] == f.help


@pytest.mark.parametrize(
    ("name", "guide"),
    [
        ("local.name", "required; text"),
        ("tutors.esps", "yes or no"),
        ("program.weeks", "a whole number, 1 to 52"),
        ("pay.tutoring_hourly_rate", "an amount like 40 or $40.00"),
        ("funding.ends", "a date like 2027-06-30 (or 6/30/2027)"),
        ("bargaining.status", "required; one of: cba, meet_and_confer, none"),
        ("program.subjects", "words separated by ; like math; reading"),
        (
            "funding.other_sources",
            "any of these, separated by ;: esser; title_i; state_grant; general_fund; other",
        ),
        ("program.grades", "grades separated by ; like K; 1; 2"),
        ("district.state", "required; a two-letter state code like OH"),
        ("school_year", "required; a school year like 2026-27"),
        ("program.vendor_name", "required when program.provider is vendor or mixed; text"),
    ],
)
def test_column_guide(name: str, guide: str) -> None:
    assert column_guide(BY_NAME[name]) == guide


def test_column_guide_names_a_terms_default() -> None:
    f = next(f for f in FIELDS if f.default is not None)
    assert column_guide(f).endswith(f"; blank means {f.default} ({f.default_source})")


def test_text_columns_in_the_excel_template() -> None:
    numbers = {f.kind for f in FIELDS if not text_column(f)}
    assert numbers == {Kind.BOOL, Kind.COUNT, Kind.MONEY, Kind.DATE}


@pytest.mark.parametrize(
    ("name", "cell", "expected"),
    [
        ("pay.tutoring_hourly_rate", 40.0, 40),
        ("pay.tutoring_hourly_rate", 41.5, 41.5),
        ("program.grades", 5.0, 5),
        ("bargaining.contract_article", 14.0, "14"),
        ("school_year", 2026.0, "2026"),
        ("funding.ends", dt.datetime(2027, 6, 30), dt.datetime(2027, 6, 30)),
        ("local.president", dt.datetime(2027, 6, 30), "2027-06-30"),
        ("local.president", dt.date(2027, 6, 30), "2027-06-30"),
        ("tutors.esps", True, True),
        ("tutors.esps", 1.0, 1),
        ("local.name", None, None),
        ("local.name", "Cedar", "Cedar"),
    ],
)
def test_typed_cell(name: str, cell: object, expected: object) -> None:
    value = typed_cell(BY_NAME[name], cell)
    assert value == expected
    assert type(value) is type(expected)


def test_sample_values_for_each_kind() -> None:
    def samples(name: str, constants: list[Any], typical: Any) -> list[Any]:
        return sample_values(BY_NAME[name], constants, typical=typical)

    assert samples("program.weeks", [10], 24) == [1, 9, 10, 11, 24, 52, None]
    assert samples("bargaining.status", [], "cba") == ["cba", "meet_and_confer", "none"]
    assert samples("tutors.esps", [], True) == [True, False, None]
    rate = samples("pay.tutoring_hourly_rate", [Decimal(40)], Decimal("41.80"))
    assert rate == [*map(Decimal, ("0", "39", "40", "41", "41.80", "1000")), None]
    day = dt.date(2027, 6, 30)
    ends = samples("funding.ends", [day], day)
    assert ends == [day - dt.timedelta(days=1), day, day + dt.timedelta(days=1), None]
    grades = samples("program.grades", ["K", "1"], ["K"])
    assert grades == [["K"], ["1"], ["K", "1"], ["2"], [], None]
    assert samples("program.subjects", ["math"], ["math"]) == [
        ["math"],
        ["something else"],
        [],
        None,
    ]
    assert samples("local.name", [], "Cedar") == ["Cedar"]  # required: never blank
    assert samples("local.president", ["A", "A"], "B") == ["A", "B", None]


def test_typed_text_in_the_interview() -> None:
    subjects = BY_NAME["program.subjects"]
    assert read_typed(subjects, "math, reading; math") == ["math", "reading"]
    assert read_typed(subjects, "  ") is None
    assert read_typed(BY_NAME["program.grades"], "K, 1, 2") == ["K", "1", "2"]
    assert as_typed_text(subjects, ["math", "reading"]) == "math, reading"
    assert as_typed_text(subjects, []) == "" and as_typed_text(subjects, None) == ""
    rate = BY_NAME["pay.tutoring_hourly_rate"]
    assert read_typed(rate, as_typed_text(rate, Decimal("999.5"))) == Decimal("999.50")
