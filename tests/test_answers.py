"""Every validation rule of the answers file: one clear message naming file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLE_FILES, run_cli
from tutorbargain.answers import answers_from_mapping, json_schema, load_answers
from tutorbargain.errors import AnswersError, InputFileError
from tutorbargain.fields import FIELDS

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
        ("  state: MN", "  state: Minnesotta", 6, "district.state", "two-letter state code"),
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
        ("schema_version: 1\n", "", None, "schema_version", "schema_version: 1"),
        ("schema_version: 1", "schema_version: 2", 1, "schema_version", "newer"),
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
