"""Every validation rule of the answers file: one clear message naming file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLE_FILES, run_cli
from tutorbargain.answers.fields import BY_NAME as BY_NAME_
from tutorbargain.answers.fields import FIELDS
from tutorbargain.answers.reading import answers_from_mapping, json_schema, load_answers
from tutorbargain.errors import AnswersError, InputFileError

GOOD = """\
schema_version: 1
local:
  name: Maple Grove Education Association
district:
  name: Maple Grove Schools
  state: MN
school_year: 2026-27
bargaining:
  status: cba
program:
  provider: in_house
  delivery: in_person
  sessions_per_week: 3
  max_group_size: 4
pay:
  tutoring_hourly_rate: 40
funding:
  ends: 2027-06-30
"""


BASE_MIN = {
    "local": {"name": "A"},
    "district": {"name": "B", "state": "OH"},
    "school_year": "2026-27",
    "bargaining": {"status": "cba"},
    "program": {"provider": "in_house", "delivery": "in_person"},
}


def _bad(tmp_path: Path, text: str) -> tuple[str, Path]:
    """Render a broken answers file; check the shape every failure must have."""
    answers = tmp_path / "answers.yml"
    answers.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(["render", str(answers), "-o", str(out)])
    assert result.code == 1, result
    assert "Traceback" not in result.err
    assert result.err.startswith("Error: ")
    assert str(answers) in result.err
    assert not out.exists(), "nothing may be written for bad input"
    return result.err, answers


def test_good_file_loads() -> None:
    answers = answers_from_mapping(
        {
            "local": {"name": "A"},
            "district": {"name": "B", "state": "mn"},
            "school_year": "2026-2027",
            "bargaining": {"status": "cba"},
            "program": {"provider": "in_house", "delivery": "in_person"},
        }
    )
    assert answers.get("district.state") == "MN"
    assert answers.get("school_year") == "2026-27"
    assert answers.get("pay.tutoring_hourly_rate") is None


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "words"),
    [
        (
            "  provider: in_house",
            "  providr: in_house",
            11,
            "program.providr",
            "did you mean program.provider",
        ),
        ("pay:", "pya:", 15, "pya", "did you mean pay"),
        (
            "  sessions_per_week: 3",
            "  sessions_per_week: three",
            13,
            "program.sessions_per_week",
            "whole number",
        ),
        (
            "  sessions_per_week: 3",
            "  sessions_per_week: 0",
            13,
            "program.sessions_per_week",
            "at least 1",
        ),
        ("  max_group_size: 4", "  max_group_size: 0", 14, "program.max_group_size", "at least 1"),
        (
            "  tutoring_hourly_rate: 40",
            "  tutoring_hourly_rate: -5",
            16,
            "pay.tutoring_hourly_rate",
            "cannot be negative",
        ),
        (
            "  tutoring_hourly_rate: 40",
            "  tutoring_hourly_rate: 40000",
            16,
            "pay.tutoring_hourly_rate",
            "more than this could be",
        ),
        (
            "  tutoring_hourly_rate: 40",
            "  tutoring_hourly_rate: forty dollars",
            16,
            "pay.tutoring_hourly_rate",
            "amount of money",
        ),
        ("  status: cba", "  status: cbaa", 9, "bargaining.status", "did you mean cba"),
        (
            "  delivery: in_person",
            "  delivery: online",
            12,
            "program.delivery",
            "must be one of in_person, virtual, hybrid",
        ),
        ("  state: MN", "  state: Minnesotta", 6, "district.state", "did you mean MN, Minnesota?"),
        ("  state: MN", "  state: ZZ", 6, "district.state", "two-letter state code"),
        ("school_year: 2026-27", "school_year: 2026-29", 7, "school_year", "two years in a row"),
        (
            "  ends: 2027-06-30",
            "  ends: 2027-02-30",
            18,
            "funding.ends",
            "not a day on the calendar",
        ),
        ("  ends: 2027-06-30", "  ends: next summer", 18, "funding.ends", "date like"),
        (
            "  name: Maple Grove Schools",
            "  name: [Maple, Grove]",
            5,
            "district.name",
            "must be text",
        ),
        (
            "  name: Maple Grove Education Association",
            "  name: ''",
            3,
            "local.name",
            "required but empty",
        ),
        (
            "local:\n  name: Maple Grove Education Association\n",
            "",
            None,
            "local.name",
            "required but missing",
        ),
        ("schema_version: 1\n", "", None, "schema_version", "schema_version: 2"),
        ("schema_version: 1", "schema_version: 3", 1, "schema_version", "newer"),
        (
            "  provider: in_house",
            "  provider: in_house\n  vendor_name: Acme",
            12,
            "program.vendor_name",
            "no vendor",
        ),
        (
            "  provider: in_house",
            "  provider: in_house\n  vendor_hourly_rate: 50",
            12,
            "program.vendor_hourly_rate",
            "no vendor",
        ),
        (
            "  provider: in_house",
            "  provider: vendor",
            10,
            "program.vendor_name",
            "required when the provider is vendor",
        ),
        (
            "  status: cba",
            "  status: none\n  contract_article: Article 9",
            10,
            "bargaining.contract_article",
            "no contract",
        ),
        ("program:\n", "program: yes\nx:\n", 10, "program", "section of fields"),
    ],
)
def test_each_rule_names_file_line_and_field(
    tmp_path: Path, old: str, new: str, line: int | None, field: str, words: str
) -> None:
    assert old in GOOD
    err, _ = _bad(tmp_path, GOOD.replace(old, new, 1))
    assert field in err
    assert words in err
    if line is not None:
        assert f"line {line}" in err


def test_several_problems_are_listed_together(tmp_path: Path) -> None:
    text = GOOD.replace("  state: MN", "  state: XX").replace("status: cba", "status: x")
    err, _ = _bad(tmp_path, text)
    assert "has 2 problems" in err
    assert "district.state" in err and "bargaining.status" in err


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    err, _ = _bad(tmp_path, GOOD.replace("  state: MN", "  state: [MN"))
    assert "not valid YAML" in err
    assert "line " in err


def test_tab_indentation(tmp_path: Path) -> None:
    err, _ = _bad(tmp_path, GOOD.replace("  state: MN", "\tstate: MN"))
    assert "line 6" in err and "tab" in err


def test_missing_file(tmp_path: Path) -> None:
    result = run_cli(["render", str(tmp_path / "nope.yml"), "-o", str(tmp_path / "out")])
    assert result.code == 1
    assert "nope.yml: no such file" in result.err
    assert not (tmp_path / "out").exists()


def test_library_errors_are_typed(tmp_path: Path) -> None:
    path = tmp_path / "a.yml"
    path.write_text(GOOD.replace("  state: MN", "  state: 5"), encoding="utf-8")
    with pytest.raises(AnswersError) as info:
        load_answers(path)
    assert info.value.problems[0].where == f"{path}, line 6, district.state"
    path.write_text("local: [", encoding="utf-8")
    with pytest.raises(InputFileError):
        load_answers(path)


def test_money_and_booleans_accept_plain_forms() -> None:
    answers = answers_from_mapping(
        {
            "local": {"name": "A"},
            "district": {"name": "B", "state": "OH"},
            "school_year": "2026-27",
            "bargaining": {"status": "cba"},
            "program": {
                "provider": "in_house",
                "delivery": "in_person",
                "grades": "K; 1; 2",
                "subjects": "math; reading",
                "students": "1,200",
            },
            "tutors": {"esps": "yes", "retirees": "no"},
            "pay": {"tutoring_hourly_rate": "$ 140.5"},
        }
    )
    assert str(answers.get("pay.tutoring_hourly_rate")) == "140.50"
    assert answers.get("program.students") == 1200
    assert answers.get("tutors.esps") is True and answers.get("tutors.retirees") is False
    assert answers.get("program.grades") == ["K", "1", "2"]
    program = {**BASE_MIN["program"], "grades": "K-2; 6 to 8"}
    ranged = answers_from_mapping({**BASE_MIN, "program": program})
    assert ranged.get("program.grades") == ["K", "1", "2", "6", "7", "8"]
    assert answers.get("program.subjects") == ["math", "reading"]


def test_examples_are_valid() -> None:
    assert len(EXAMPLE_FILES) >= 4
    for path in EXAMPLE_FILES:
        load_answers(path)


def test_json_schema_covers_every_field(tmp_path: Path) -> None:
    result = run_cli(["schema"])
    assert result.code == 0
    schema = json.loads(result.out)
    assert schema == json_schema()
    for f in FIELDS:
        if f.section:
            assert f.key in schema["properties"][f.section]["properties"], f.name
        else:
            assert f.name in schema["properties"]
    assert schema["properties"]["bargaining"]["properties"]["status"]["enum"] == [
        "cba",
        "meet_and_confer",
        "none",
    ]


# ---------------------------------------------------------------- schema version 2

V2_GOOD = GOOD.replace("schema_version: 1", "schema_version: 2")


def test_a_v1_file_loads_with_the_same_answers_as_v2() -> None:
    from tutorbargain.yamlfile import parse_yaml

    v1 = parse_yaml(GOOD, path="v1.yml")
    v2 = parse_yaml(V2_GOOD, path="v2.yml")
    assert answers_from_mapping(v1.data).values == answers_from_mapping(v2.data).values


@pytest.mark.parametrize(
    ("section_line", "new_line", "field"),
    [
        ("program:\n", "  started: true\n  start_date: 2026-09-08\n", "program.started"),
        ("pay:\n", "  training_hourly_rate: 50\n", "pay.training_hourly_rate"),
        ("bargaining:\n", "  midterm_notice_days: 30\n", "bargaining.midterm_notice_days"),
    ],
)
def test_a_v1_file_using_a_v2_field_is_told_to_migrate(
    tmp_path: Path, section_line: str, new_line: str, field: str
) -> None:
    text = GOOD.replace(section_line, section_line + new_line, 1)
    err, answers = _bad(tmp_path, text)
    assert field in err
    assert "new in schema version 2" in err
    assert f"run `tutorbargain migrate {answers}`" in err
    path = tmp_path / "v2.yml"
    path.write_text(text.replace("schema_version: 1", "schema_version: 2"), encoding="utf-8")
    load_answers(path)  # the same answer is fine in a version 2 file


def test_v2_fields_parse_to_their_kinds() -> None:
    answers = answers_from_mapping(
        {
            **BASE_MIN,
            "local": {"name": "A", "address": "1 Main St,\n  Akron, OH"},
            "bargaining": {
                "status": "cba",
                "esp_representation": "other union",
                "contract_expires": "6/30/2028",
                "midterm_notice_days": "45",
            },
            "program": {
                **BASE_MIN["program"],
                "schedule": "after school; Summer",
                "started": "yes",
                "start_date": "2026-09-08",
            },
            "funding": {"other_sources": ["esser", "state grant"], "federal": True},
            "pay": {"extra_duty_hourly_rate": "$38.50"},
            "terms": {"posting_days": 15},
        }
    )
    assert answers.get("local.address") == "1 Main St, Akron, OH"
    assert answers.get("bargaining.esp_representation") == "other_union"
    assert str(answers.get("bargaining.contract_expires")) == "2028-06-30"
    assert answers.get("bargaining.midterm_notice_days") == 45
    assert answers.get("program.schedule") == ["after_school", "summer"]
    assert answers.get("funding.other_sources") == ["esser", "state_grant"]
    assert str(answers.get("pay.extra_duty_hourly_rate")) == "38.50"
    assert answers.get("terms.posting_days") == 15
    assert answers.get("terms.notice_days") is None  # unanswered: the default is printed


def test_a_schedule_outside_the_choices_is_refused_with_a_hint() -> None:
    program = {**BASE_MIN["program"], "schedule": ["after_scool"]}
    with pytest.raises(AnswersError) as info:
        answers_from_mapping({**BASE_MIN, "program": program})
    text = str(info.value)
    assert "program.schedule" in text and "did you mean after_school?" in text


@pytest.mark.parametrize(
    ("changes", "first", "second"),
    [
        (
            {"program": {"schedule": ["school_day"], "during_school_day": False}},
            "program.schedule",
            "program.during_school_day",
        ),
        (
            {"program": {"schedule": ["after_school"], "during_school_day": True}},
            "program.schedule",
            "program.during_school_day",
        ),
        ({"program": {"start_date": "2026-09-08"}}, "program.start_date", "program.started"),
        (
            {"program": {"vendor_contract_signed": True}},
            "program.vendor_contract_signed",
            "program.provider",
        ),
        (
            {"program": {"vendor_contract_ends": "2027-06-30"}},
            "program.vendor_contract_ends",
            "program.provider",
        ),
        (
            {"funding": {"federal": False, "source": "esser"}},
            "funding.federal",
            "funding.source",
        ),
        (
            {"funding": {"federal": False, "other_sources": ["general_fund", "title_i"]}},
            "funding.federal",
            "funding.other_sources",
        ),
        (
            {"bargaining": {"status": "none", "midterm_notice_days": 30}},
            "bargaining.midterm_notice_days",
            "bargaining.status",
        ),
        (
            {"program": {"members_supervise_virtual": True}},
            "program.members_supervise_virtual",
            "program.delivery",
        ),
        (
            {"tutors": {"esps": False}, "pay": {"esp_tutoring_hourly_rate": 25}},
            "pay.esp_tutoring_hourly_rate",
            "tutors.esps",
        ),
        (
            {"tutors": {"retirees": False, "retiree_pension_system": "CalSTRS"}},
            "tutors.retiree_pension_system",
            "tutors.retirees",
        ),
    ],
)
def test_answers_that_must_agree_are_refused_naming_both_fields(
    changes: dict[str, dict[str, object]], first: str, second: str
) -> None:
    data: dict[str, object] = {**BASE_MIN}
    for section, values in changes.items():
        base = data.get(section)
        data[section] = {**(base if isinstance(base, dict) else {}), **values}
    with pytest.raises(AnswersError) as info:
        answers_from_mapping(data)
    problems = info.value.problems
    assert len(problems) == 1, problems
    assert first in problems[0].where
    assert second in problems[0].message


def test_agreeing_v2_answers_load() -> None:
    answers = answers_from_mapping(
        {
            **BASE_MIN,
            "program": {
                "provider": "vendor",
                "vendor_name": "X",
                "delivery": "virtual",
                "schedule": ["school_day", "after_school"],
                "during_school_day": True,
                "started": False,
                "start_date": "2027-01-11",
                "vendor_contract_signed": True,
                "vendor_contract_date": "2026-07-01",
                "vendor_contract_ends": "2027-06-30",
                "members_supervise_virtual": True,
            },
            "funding": {"source": "general_fund", "federal": False},
        }
    )
    assert answers.get("program.started") is False


def test_every_default_names_its_source() -> None:
    from tutorbargain.answers.fields import DEFAULTED, UNION_OPENING

    expected = {
        "terms.posting_days": 10,
        "terms.notice_days": 30,
        "terms.information_days": 10,
        "terms.funding_notice_days": 60,
        "terms.reopener_days": 30,
        "terms.weekly_hours_cap": 24,
        "terms.leave_assignment_days": 10,
        "terms.committee_days": 30,
        "terms.answer_days": 15,
        "terms.schedule_notice_days": 10,
        "terms.delivery_days": 30,
        "terms.response_days": 10,
        "terms.reply_days": 5,
        "terms.hours_per_prep_hour": 3,
        "terms.cancel_notice_hours": 24,
        "terms.pathway_days": 60,
        "terms.site_committee_students": 500,
    }
    assert {f.name: f.default for f in DEFAULTED} == expected
    for f in DEFAULTED:
        assert f.default_source, f.name
        assert f.minimum is not None and f.maximum is not None
        assert f.minimum <= f.default <= f.maximum, f.name
    assert "Poudre School District" in BY_NAME_["terms.weekly_hours_cap"].default_source
    assert "Sioux City" in BY_NAME_["terms.hours_per_prep_hour"].default_source
    assert BY_NAME_["terms.posting_days"].default_source == UNION_OPENING
    sites = BY_NAME_["terms.site_committee_students"].default_source
    assert "opening number" in sites and "Consider Bargaining and Advocacy" in sites
    assert "opening number" in UNION_OPENING


def test_the_interview_offers_each_terms_default() -> None:
    from tutorbargain.interview import load_script

    script = load_script()
    for f in FIELDS:
        if f.section == "terms":
            question = script.find(f.name)
            assert question is not None, f.name
            assert question.default == f.default, f.name


def test_json_schema_v2_accepts_both_versions_and_shows_defaults() -> None:
    schema = json_schema()
    assert schema["properties"]["schema_version"] == {"enum": [1, 2]}
    posting = schema["properties"]["terms"]["properties"]["posting_days"]
    assert posting["default"] == 10 and "opening number" in posting["description"]
    schedule = schema["properties"]["program"]["properties"]["schedule"]
    assert schedule["items"]["enum"] == [
        "school_day",
        "before_school",
        "after_school",
        "weekends",
        "summer",
    ]
    assert "New in schema version 2" in schedule["description"]


def test_batch_template_has_every_v2_column(tmp_path: Path) -> None:
    import openpyxl

    csv_path = tmp_path / "t.csv"
    xlsx_path = tmp_path / "t.xlsx"
    for path in (csv_path, xlsx_path):
        result = run_cli(["batch", "--template", str(path)])
        assert result.code == 0, result.err
    header = csv_path.read_text(encoding="utf-8-sig").strip().split(",")
    assert header == [f.name for f in FIELDS]
    guide = openpyxl.load_workbook(xlsx_path)["Columns"]
    rows = {row[0]: row[1] for row in guide.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {f.name for f in FIELDS}
    assert rows["program.schedule"].endswith(
        "school_day; before_school; after_school; weekends; summer"
    )
    assert rows["terms.posting_days"].startswith("a whole number")


# ---------------------------------------------------------------- proposal terms in documents

POSTING_CLAUSE = """\
schema_version: 1
clauses:
  - id: house-posting-period
    topic: facilities-and-custodial
    title: Posting period for tutoring posts
    text: |
      Tutoring posts will be posted for {{ fill('terms.posting_days') }} days
      before they are offered.
    rationale: Every member gets a fair chance to apply.
    source: Test house language.
"""


def _render_with_posting(tmp_path: Path, extra: str) -> tuple[str, str]:
    from conftest import docx_text

    clauses = tmp_path / "house"
    clauses.mkdir()
    (clauses / "house.yml").write_text(POSTING_CLAUSE, encoding="utf-8")
    answers = tmp_path / "answers.yml"
    answers.write_text(V2_GOOD + extra, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(["render", str(answers), "-o", str(out), "--clauses", str(clauses)])
    assert result.code == 0, result.err
    mou = next(out.glob("*-mou.docx"))
    return docx_text(mou), result.out


def test_an_answered_term_is_printed_in_the_mou(tmp_path: Path) -> None:
    text, out = _render_with_posting(tmp_path, "terms:\n  posting_days: 15\n")
    assert "posted for 15 days before they are offered" in text
    assert "terms.posting_days" not in out


def test_an_unanswered_term_prints_its_default_and_render_lists_it(tmp_path: Path) -> None:
    text, out = _render_with_posting(tmp_path, "")
    assert "posted for 10 days before they are offered" in text
    # The bundled clauses print other terms' defaults too (notice_days, reopener_days ...).
    assert "Defaults used (" in out and "; answer them in the answers file" in out
    assert "  terms.posting_days: 10 (the union's opening number" in out


def test_several_problems_are_listed_in_the_order_of_the_file(tmp_path: Path) -> None:
    """Checks run field by field, then key by key; the reader fixes the file top to bottom."""
    text = GOOD.replace("  delivery: in_person", "  delivery: by pigeon").replace(
        "pay:\n", "pay:\n  colour: blue\n"
    )
    text = text.replace("  state: MN", "  state: ZZ")
    err, _ = _bad(tmp_path, text)
    lines = [line for line in err.splitlines() if line.startswith("  - ")]
    numbers = [int(line.split(", line ")[1].split(",")[0]) for line in lines]
    assert len(numbers) == 3 and numbers == sorted(numbers), err


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("tutoring_hourly_rate", "did you mean pay.tutoring_hourly_rate?"),  # wrong heading
        ("tutorcount", "did you mean program.tutor_count?"),  # misspelt in its own section
        ("colour", None),  # like no field: no guess from the shared "program." prefix
    ],
)
def test_an_unknown_key_is_matched_by_its_own_name(
    tmp_path: Path, key: str, hint: str | None
) -> None:
    err, _ = _bad(tmp_path, GOOD.replace("  max_group_size: 4", f"  max_group_size: 4\n  {key}: 3"))
    assert f"program.{key}: is not a field of the answers file" in err
    if hint is None:
        assert "did you mean" not in err
    else:
        assert hint in err
