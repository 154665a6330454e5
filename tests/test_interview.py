"""The `tutorbargain new` interview, driven by a scripted asker: what is asked, what is saved.

Each test answers the questions by field name, then checks the questions asked (in order),
the messages a person would read, and the answers file a later `render` reads.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import docx_text, run_cli
from tutorbargain import __version__
from tutorbargain.answers.fields import BY_NAME, FIELDS
from tutorbargain.answers.reading import (
    AnswersError,
    ValueProblem,
    answers_from_mapping,
    load_answers,
    parse_value,
    validate_data,
)
from tutorbargain.answers.writing import answers_yaml
from tutorbargain.errors import InputFileError, Interrupted, TutorbargainError
from tutorbargain.interview import (
    UNSURE,
    Interview,
    load_script,
    read_answers_file,
    require_terminal,
    run_new,
)
from tutorbargain.interview.asker import (
    BACK,
    DEFAULT,
    INTERRUPT,
    Heading,
    Option,
    ScriptedAsker,
    ScriptError,
)
from tutorbargain.library.loading import load_library
from tutorbargain.yamlfile import parse_yaml

SCRIPT = load_script()
TODAY = dt.date(2026, 11, 23)

# A vendor-run hybrid program with ESPs: every question applies, typed as a person would.
FULL: dict[str, object] = {
    "local.name": "Lakeview Education Association",
    "local.affiliate": "Ohio Education Association",
    "local.president": "Dana Whitfield",
    "local.address": "120 Main Street, Lakeview, OH 44000",
    "district.name": "Lakeview City School District",
    "district.state": "oh",
    "district.superintendent": "Dr. Marcus Bell",
    "school_year": "2026-27",
    "bargaining.status": "cba",
    "bargaining.tutors_already_negotiated": False,
    "bargaining.contract_article": "Article 14 (Supplemental Duties)",
    "bargaining.contract_expires": "2028-06-30",
    "bargaining.midterm_article": "Article 3",
    "bargaining.midterm_notice_days": "30",
    "bargaining.union_notified_on": "2026-08-15",
    "bargaining.union_notified_how": "a board agenda",
    "terms.notice_days": "30",
    "terms.information_days": "10",
    "terms.reopener_days": "30",
    "terms.committee_days": "30",
    "terms.answer_days": "15",
    "terms.schedule_notice_days": "10",
    "terms.delivery_days": "30",
    "terms.response_days": "10",
    "terms.reply_days": "5",
    "program.vendor_contract_signed": True,
    "program.vendor_contract_date": "2026-07-01",
    "program.vendor_contract_ends": "2027-06-30",
    "program.student_data_to_vendor": True,
    "program.sessions_recorded": False,
    "program.members_supervise_virtual": True,
    "program.schedule": "school day",
    "program.started": False,
    "program.start_date": "2026-09-08",
    "program.uses_software_tutor": False,
    "bargaining.esp_representation": "same_union",
    "tutors.paid_student_tutors": False,
    "terms.posting_days": "10",
    "terms.pathway_days": "60",
    "terms.leave_assignment_days": "10",
    "terms.weekly_hours_cap": "24",
    "terms.hours_per_prep_hour": "3",
    "terms.planning_hours_cap": "",
    "terms.cancel_notice_hours": "24",
    "pay.esp_tutoring_hourly_rate": "25",
    "tutors.retiree_pension_system": "STRS Ohio",
    "pay.student_teacher_hourly_rate": "20",
    "pay.lead_tutor_hourly_rate": "",
    "pay.lead_tutor_stipend": "1200",
    "pay.extra_duty_hourly_rate": "38",
    "pay.training_hourly_rate": "45",
    "funding.other_sources": "",
    "funding.federal": True,
    "terms.funding_notice_days": "60",
    "program.name": "Learning Boost",
    "program.provider": "vendor",
    "program.vendor_name": "BrightPath Tutoring, Inc.",
    "program.vendor_hourly_rate": "$62.50",
    "program.delivery": "hybrid",
    "program.during_school_day": True,
    "program.sessions_per_week": "3",
    "program.minutes_per_session": "30",
    "program.weeks": "24",
    "program.max_group_size": "4",
    "program.students": "420",
    "terms.site_committee_students": "500",
    "program.tutor_count": "30",
    "program.subjects": "math, reading",
    "program.grades": "K, 1, 2",
    "program.student_identification": "multiple_measures",
    "program.evaluation_uses_test_scores": None,
    "program.serves_iep_students": True,
    "program.needs_space": False,
    "tutors.unit_teachers": True,
    "tutors.esps": True,
    "tutors.retirees": True,
    "tutors.student_teachers": True,
    "tutors.community_volunteers": False,
    "pay.certificated_hourly_rate": "41.80",
    "pay.tutoring_hourly_rate": "45",
    "pay.esp_hourly_rate": "24.50",
    "pay.training_hours": "10",
    "funding.source": "title_i",
    "funding.ends": "2027-06-30",
    "review": "done",
}
ALL_QUESTIONS = [q.name for q in SCRIPT.questions()]


def interview(replies: dict[str, object], **start: Any) -> tuple[Interview, ScriptedAsker]:
    """Run the questions and the review (no saving) with ``replies`` over `FULL`."""
    asker = ScriptedAsker({**FULL, **replies})
    iv = Interview(asker, SCRIPT, start.get("values"))
    iv.settle()
    iv.review()
    return iv, asker


def fields_asked(asker: ScriptedAsker) -> list[str]:
    return [name for name in asker.asked if name in BY_NAME]


def saved(iv: Interview) -> dict[str, Any]:
    """What `render` will read from the saved file: load it back through the schema."""
    text = answers_yaml(iv.values, path=Path("answers.yml"), library_version="x", today=TODAY)
    doc = parse_yaml(text, path="answers.yml")
    return dict(validate_data(doc.data, doc.where, source="answers.yml", need_version=True).values)


# ---------------------------------------------------------------- the questions file


def test_every_schema_field_is_asked_or_skipped_with_a_reason() -> None:
    assert SCRIPT.unasked() == []
    assert all(reason.strip() for reason in SCRIPT.skipped.values())
    assert len(ALL_QUESTIONS) == len(set(ALL_QUESTIONS))


def test_every_question_has_a_prompt_and_a_one_line_hint() -> None:
    for q in SCRIPT.questions():
        assert q.prompt.endswith(("?", ")")), q.name
        assert q.hint and "\n" not in q.hint and len(q.hint) < 120, q.name


def test_sections_follow_the_issue() -> None:
    assert [s.title for s in SCRIPT.sections] == [
        "The local and the district",
        "Bargaining",
        "The tutoring program",
        "Who tutors",
        "Pay",
        "Funding",
    ]


def test_interview_file_is_inside_the_package() -> None:
    import tutorbargain

    assert (Path(tutorbargain.__file__).parent / "interview" / "interview.yml").is_file()


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("{field: local.nmae, prompt: A?, hint: b}", "'local.nmae' is not an answers field"),
        (
            "{field: local.name, prompt: A?, hint: b, when: {field: tutors.esps, equals: true}}",
            "reads tutors.esps, which is not asked before this question",
        ),
        (
            "{field: local.name, prompt: A?, hint: b, when: {field: tutors.esps, eq: true}}",
            "unknown comparison 'eq'",
        ),
        ("{field: program.weeks, prompt: A?, hint: b, default: ten}", "the default must be"),
        ("{field: local.name, prompt: A?}", "needs a hint"),
        ("{field: local.name, prompt: A?, hint: b, unsure: true}", "for yes/no fields"),
        ("{field: local.name, prompt: A?, hint: b, why: c}", "is not a key of a question"),
    ],
)
def test_a_broken_interview_file_names_the_line(
    tmp_path: Path, question: str, message: str
) -> None:
    path = tmp_path / "interview.yml"
    path.write_text(
        f"schema_version: 1\nsections:\n  - id: a\n    title: A\n    questions:\n"
        f"      - {question}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError) as caught:
        load_script(path)
    text = str(caught.value)
    assert message in text
    assert f"{path}, line 6" in text


@pytest.mark.parametrize(
    ("head", "message"),
    [
        ("schema_version: 2", "newer than this tutorbargain understands"),
        ("schema_version: one", 'must be 1, not "one"'),
        ("schema_version: 1\nsectoins: []", "(did you mean sections?)"),
    ],
)
def test_an_interview_files_version_and_keys_are_worded_like_every_file(
    tmp_path: Path, head: str, message: str
) -> None:
    path = tmp_path / "interview.yml"
    path.write_text(
        f"{head}\nsections:\n  - id: a\n    title: A\n    questions:\n"
        "      - {field: local.name, prompt: A?, hint: b}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError) as caught:
        load_script(path)
    assert message in str(caught.value)


def test_an_answers_file_too_new_to_start_from_says_to_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "answers.yml"
    path.write_text("schema_version: 9\nlocal:\n  name: X\n", encoding="utf-8")
    with pytest.raises(AnswersError, match="newer than this tutorbargain understands"):
        read_answers_file(path)


# ---------------------------------------------------------------- only what applies


def test_a_vendor_run_hybrid_program_with_esps_asks_everything_once() -> None:
    iv, asker = interview({})
    assert fields_asked(asker) == ALL_QUESTIONS
    assert asker.asked[-1] == "review"
    values = saved(iv)
    assert values["program.vendor_name"] == "BrightPath Tutoring, Inc."
    assert values["pay.esp_hourly_rate"] == parse_value(BY_NAME["pay.esp_hourly_rate"], "24.50")
    assert values["district.state"] == "OH"
    assert values["program.subjects"] == ["math", "reading"]
    assert values["program.grades"] == ["K", "1", "2"]
    assert values["program.evaluation_uses_test_scores"] is None
    assert asker.unused() == {}


def asked_only_after(name: str) -> list[str]:
    """The questions whose `when` reads ``name``, directly or through another such question."""
    from tutorbargain.library.rules import fields_in

    found: list[str] = []
    for q in SCRIPT.questions():
        if fields_in(q.when) & {name, *found}:
            found.append(q.name)
    return found


VENDOR_QUESTIONS = asked_only_after("program.provider")


@pytest.mark.parametrize("provider", ["in_house", "vendor", "mixed"])
def test_vendor_questions_only_when_a_vendor_is_involved(provider: str) -> None:
    iv, asker = interview({"program.provider": provider})
    values = saved(iv)
    asked = fields_asked(asker)
    assert values["program.provider"] == provider
    if provider == "in_house":
        assert not set(VENDOR_QUESTIONS) & set(asked)
        assert values["program.vendor_name"] is None
    else:
        after = asked[asked.index("program.provider") + 1 :]
        assert after[: len(VENDOR_QUESTIONS)] == VENDOR_QUESTIONS
        assert values["program.vendor_name"] == "BrightPath Tutoring, Inc."


CONTRACT_QUESTIONS = ["bargaining.tutors_already_negotiated", "bargaining.contract_article"]


@pytest.mark.parametrize("status", ["cba", "meet_and_confer", "none"])
def test_contract_questions_only_where_there_is_bargaining(status: str) -> None:
    iv, asker = interview({"bargaining.status": status})
    values = saved(iv)
    asked = fields_asked(asker)
    assert values["bargaining.status"] == status
    if status == "none":
        assert not set(CONTRACT_QUESTIONS) & set(asked)
        assert values["bargaining.contract_article"] is None
    else:
        assert set(CONTRACT_QUESTIONS) <= set(asked)
        assert values["bargaining.contract_article"] == "Article 14 (Supplemental Duties)"


TUTOR_KINDS = [
    name
    for name in ALL_QUESTIONS
    if name.startswith("tutors.") and BY_NAME[name].kind.value == "bool"
]


@pytest.mark.parametrize("kind", TUTOR_KINDS)
def test_each_kind_of_tutor_is_saved_and_brings_its_own_questions(kind: str) -> None:
    replies: dict[str, object] = {name: name == kind for name in TUTOR_KINDS}
    iv, asker = interview(replies)
    values = saved(iv)
    assert {name: values[name] for name in TUTOR_KINDS} == replies
    assert ("pay.esp_hourly_rate" in fields_asked(asker)) == (kind == "tutors.esps")


@pytest.mark.parametrize("delivery", ["in_person", "virtual", "hybrid"])
def test_each_delivery_is_saved(delivery: str) -> None:
    iv, asker = interview({"program.delivery": delivery})
    assert saved(iv)["program.delivery"] == delivery
    online = {"program.sessions_recorded", "program.members_supervise_virtual"}
    expected = [q for q in ALL_QUESTIONS if delivery != "in_person" or q not in online]
    assert fields_asked(asker) == expected


def test_the_hint_says_why_it_matters_and_defaults_come_from_the_file() -> None:
    _, asker = interview({"tutors.unit_teachers": DEFAULT, "tutors.esps": DEFAULT})
    assert "vendor" in asker.hints["program.provider"]
    assert asker.defaults["tutors.unit_teachers"] is True
    assert asker.defaults["tutors.esps"] is False
    assert asker.defaults["bargaining.status"] == "cba"


# A small interview of its own proves the rule mechanism for questions that only some programs
# get (retirees tutor; virtual or hybrid delivery), whatever fields the schema grows.
CUSTOM = """\
schema_version: 1
sections:
  - id: basics
    title: Basics
    questions:
      - {field: local.name, prompt: Name?, hint: h}
      - {field: program.delivery, prompt: Delivery?, hint: h}
      - {field: tutors.retirees, prompt: Retirees?, hint: h}
  - id: more
    title: More
    questions:
      - field: pay.training_hours
        prompt: Training?
        hint: only for retirees
        when: {field: tutors.retirees, equals: true}
      - field: program.needs_space
        prompt: Space?
        hint: only online
        when: {field: program.delivery, in: [virtual, hybrid]}
        unsure: true
"""


@pytest.fixture
def custom(tmp_path: Path) -> Any:
    path = tmp_path / "interview.yml"
    path.write_text(CUSTOM, encoding="utf-8")
    return load_script(path)


@pytest.mark.parametrize(
    ("delivery", "retirees", "expected"),
    [
        ("in_person", False, []),
        ("virtual", False, ["program.needs_space"]),
        ("hybrid", True, ["pay.training_hours", "program.needs_space"]),
        ("in_person", True, ["pay.training_hours"]),
    ],
)
def test_retiree_and_online_questions_follow_their_rules(
    custom: Any, delivery: str, retirees: bool, expected: list[str]
) -> None:
    asker = ScriptedAsker(
        {
            **FULL,
            "program.delivery": delivery,
            "tutors.retirees": retirees,
            "program.needs_space": True,
        }
    )
    iv = Interview(asker, custom)
    iv.settle()
    assert fields_asked(asker)[3:] == expected


def test_turning_retirees_off_on_review_drops_their_answers_and_says_so(custom: Any) -> None:
    asker = ScriptedAsker(
        {
            **FULL,
            "program.delivery": "in_person",
            "tutors.retirees": [True, False],
            "review": ["change", "done"],
            "review.change": "tutors.retirees",
        }
    )
    iv = Interview(asker, custom)
    iv.settle()
    iv.review()
    assert "pay.training_hours" not in iv.values
    notice = asker.said.index(
        "These answers no longer apply to this program, so they were dropped:"
    )
    assert asker.said[notice + 1] == "  Training? 10"


# ---------------------------------------------------------------- checking as the user types


BAD_VALUES = [
    ("district.state", "Ohoi"),
    ("school_year", "2026-28"),
    ("program.weeks", "ten"),
    ("program.max_group_size", "0"),
    ("program.students", "-4"),
    ("program.grades", "3, 13"),
    ("pay.tutoring_hourly_rate", "-5"),
    ("pay.certificated_hourly_rate", "forty"),
    ("program.vendor_hourly_rate", "5000"),
    ("funding.ends", "2027-02-30"),
    ("funding.ends", "next June"),
    ("local.name", "{{ local }}"),
]


@pytest.mark.parametrize(("name", "bad"), BAD_VALUES)
def test_a_typing_mistake_gets_the_answers_file_message_and_is_asked_again(
    name: str, bad: str
) -> None:
    iv, asker = interview({name: [bad, FULL[name]]})
    assert [n for n, _ in asker.rejected] == [name]
    label, _, message = asker.rejected[0][1].partition(": ")
    assert label == BY_NAME[name].label[:1].upper() + BY_NAME[name].label[1:]
    nested = _nested({**{k: v for k, v in FULL.items() if k in BY_NAME}, name: bad})
    with pytest.raises(AnswersError) as caught:
        answers_from_mapping(nested)
    file_messages = [p.message for p in caught.value.problems if p.where.endswith(name)]
    assert file_messages == [message]
    assert saved(iv)[name] == parse_value(BY_NAME[name], FULL[name])


def _nested(flat: dict[str, object]) -> dict[str, Any]:
    """Typed-in answers as an answers file's data (UNSURE stands for a blank)."""
    out: dict[str, Any] = {}
    for name, value in flat.items():
        plain = None if value == UNSURE else value
        section, _, key = name.rpartition(".")
        if section:
            out.setdefault(section, {})[key] = plain
        else:
            out[key] = plain
    return out


def test_plain_words_for_common_mistakes() -> None:
    _, asker = interview(
        {
            "district.state": ["Ohoi", "Ohio"],
            "local.name": ["  ", "Lakeview EA"],
            "program.vendor_name": ["", "unknown"],
        }
    )
    rejected = dict(asker.rejected)
    assert rejected["local.name"] == (
        "The local's name: this one cannot be left blank; the documents need it."
    )
    assert rejected["district.state"] == (
        "State: must be a two-letter state code like OH or CA, or a state's name, "
        'not "Ohoi" (did you mean OH, Ohio?)'
    )
    # The cross-field rule's own words, as the answers file gives them.
    assert rejected["program.vendor_name"].startswith(
        "Vendor name: is required when the provider is vendor"
    )


def test_blank_optional_answers_are_saved_empty_with_their_placeholder() -> None:
    iv, _ = interview({"local.president": "", "pay.training_hours": ""})
    text = answers_yaml(iv.values, path=Path("a.yml"), library_version="x", today=TODAY)
    assert "  president:  # not answered yet\n" in text
    assert saved(iv)["local.president"] is None


# ---------------------------------------------------------------- the review screen


def test_review_lists_every_answer_by_section() -> None:
    _, asker = interview({"local.president": ""})
    start = asker.said.index("Your answers")
    shown = asker.said[start:]
    assert shown.index("The local and the district") < shown.index("Funding")
    # Each answer under the words of its question, and a blank says what the person chose.
    assert "  What is your local's full name? -> Lakeview Education Association" in shown
    assert "  What does the district pay the vendor for each hour of tutoring? -> $62.50" in shown
    assert "  Who will sign for the local? -> (left blank)" in shown
    assert "  Will students with IEPs be tutored? -> Yes" in shown
    assert "  Do teacher evaluations in the district use student test scores? -> Not sure yet" in (
        shown
    )


def test_changing_to_a_vendor_on_review_asks_the_vendor_questions() -> None:
    iv, asker = interview(
        {
            "program.provider": ["in_house", "mixed"],
            "review": ["change", "done"],
            "review.change": "program.provider",
        }
    )
    tail = asker.asked[asker.asked.index("review") :]
    assert tail == [
        "review",
        "review.change",
        "program.provider",
        *VENDOR_QUESTIONS,
        "review",
    ]
    assert "That change brings up more questions." in asker.said
    assert saved(iv)["program.vendor_name"] == "BrightPath Tutoring, Inc."
    assert asker.defaults["program.provider"] == "in_house"  # the current answer is offered


def test_changing_to_in_house_drops_the_vendor_answers_and_says_so() -> None:
    iv, asker = interview(
        {
            "program.provider": ["vendor", "in_house"],
            "review": ["change", "done"],
            "review.change": "program.provider",
        }
    )
    values = saved(iv)
    assert values["program.vendor_name"] is None and values["program.vendor_hourly_rate"] is None
    notice = asker.said.index(
        "These answers no longer apply to this program, so they were dropped:"
    )
    assert asker.said[notice + 1 : notice + 3] == [
        "  What is the vendor's name? BrightPath Tutoring, Inc.",
        "  What does the district pay the vendor for each hour of tutoring? $62.50",
    ]
    # ...and the notice is shown again just above the review's prompt, where it stays visible.
    last_review = len(asker.said) - 1 - asker.said[::-1].index("Your answers")
    assert asker.said.index(
        "These answers no longer apply to this program, so they were dropped:", last_review
    )


def test_going_through_a_section_again_asks_what_now_applies() -> None:
    iv, asker = interview(
        {
            "bargaining.status": ["none", "meet_and_confer"],
            "review": ["section", "done"],
            "review.section": "bargaining",
            **{name: [FULL[name]] * 2 for name in FULL if name.startswith("terms.")},
        }
    )
    tail = fields_asked(asker)[len(ALL_QUESTIONS) - len(asked_only_after("bargaining.status")) :]
    cba_only = {"bargaining.contract_expires", "bargaining.midterm_article"}
    cba_only.add("bargaining.midterm_notice_days")
    section = [q.name for q in SCRIPT.section("bargaining").questions if q.name not in cba_only]
    # Then the questions of later sections that bargaining brings: the size that brings site
    # committees (a program without bargaining has them at any size), a contract's rate in Pay.
    assert tail == [*section, "terms.site_committee_students", "pay.extra_duty_hourly_rate"]
    assert set(CONTRACT_QUESTIONS) <= set(tail)
    assert saved(iv)["bargaining.status"] == "meet_and_confer"


@pytest.mark.parametrize("represented_by", ["other_union", "unrepresented"])
def test_no_esp_terms_are_asked_for_esps_the_union_does_not_represent(
    represented_by: str,
) -> None:
    iv, asker = interview({"bargaining.esp_representation": represented_by})
    asked = fields_asked(asker)
    assert "tutors.esps" in asked and "pay.esp_hourly_rate" in asked  # a fact, still asked
    # The local proposes no tutoring rate or pathway for people it does not represent.
    assert "pay.esp_tutoring_hourly_rate" not in asked and "terms.pathway_days" not in asked
    assert saved(iv)["bargaining.esp_representation"] == represented_by


def test_turning_esps_on_asks_their_rate_in_the_pay_section() -> None:
    iv, asker = interview(
        {
            "tutors.esps": [False, True],
            "review": ["change", "done"],
            "review.change": "tutors.esps",
        }
    )
    esp_questions = asked_only_after("tutors.esps")
    assert fields_asked(asker)[-1 - len(esp_questions) :] == ["tutors.esps", *esp_questions]
    assert "pay.esp_hourly_rate" in esp_questions
    assert "── Pay (5 of 6)" in asker.said
    assert saved(iv)["pay.esp_hourly_rate"] is not None


def test_back_changes_nothing() -> None:
    iv, asker = interview(
        {"review": ["change", "section", "done"], "review.change": "back", "review.section": "back"}
    )
    assert asker.asked[len(ALL_QUESTIONS) :] == [
        "review",
        "review.change",
        "review",
        "review.section",
        "review",
    ]
    assert iv.values == BASE_VALUES


def test_the_change_menu_groups_answers_under_section_headings() -> None:
    seen: dict[str, list[Option | Heading]] = {}

    class Peek(ScriptedAsker):
        def select(self, name: str, prompt: str, options: Any, **kw: Any) -> str:
            seen[name] = list(options)
            return super().select(name, prompt, options, **kw)

    asker = Peek({**FULL, "review": ["change", "done"], "review.change": "back"})
    iv = Interview(asker, SCRIPT)
    iv.settle()
    iv.review()
    menu = seen["review.change"]
    assert menu[0] == Heading("The local and the district")
    assert Option("district.state", "Which state is the district in? OH") in menu
    assert menu[-1] == Option("back", "Back to the review (change nothing)")


def test_answers_that_do_not_fit_together_send_the_user_back_to_the_question() -> None:
    start = {"program.provider": "vendor", "program.vendor_name": None}
    asker = ScriptedAsker({**FULL, "review": ["done", "done"], "program.vendor_name": "Acme"})
    iv = Interview(asker, SCRIPT, start)
    iv.settle()
    iv.review()
    assert "Some answers do not fit together:" in asker.said
    assert asker.asked[-3:] == ["review", "program.vendor_name", "review"]
    assert saved(iv)["program.vendor_name"] == "Acme"


# ---------------------------------------------------------------- saving


def test_the_saved_file_is_commented_in_schema_order_and_renders(tmp_path: Path) -> None:
    result = run_new(
        ScriptedAsker(FULL), save=tmp_path / "answers.yml", out_dir=tmp_path / "out", today=TODAY
    )
    text = result.saved.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# Answers for tutorbargain, written by `tutorbargain new` on 2026-11-23"
    assert f"tutorbargain {__version__}, clause library {load_library().version}" in lines[1]
    assert "schema_version: 2" in lines
    # Every field, in schema order, on the line after a comment with its help text.
    names: list[str] = []
    section = ""
    for number, line in enumerate(lines):
        if not line or line.lstrip().startswith("#") or line == "schema_version: 2":
            continue
        if not line.startswith(" ") and line.endswith(":"):
            section = line[:-1]
            continue
        key = line.strip().partition(":")[0]
        names.append(f"{section}.{key}" if line.startswith(" ") else key)
        assert lines[number - 1].strip() == f"# {BY_NAME[names[-1]].help}"
    assert names == [f.name for f in FIELDS]
    assert "  vendor_hourly_rate: 62.50" in lines
    assert "  grades: [K, 1, 2]" in lines
    assert "  ends: 2027-06-30" in lines
    # `render` reads the file unchanged, to the same answers.
    assert load_answers(result.saved).values == result.answers.values
    assert result.rendered is not None
    assert "Lakeview City School District" in docx_text(result.rendered.paths[0])


def test_an_existing_answers_file_is_never_replaced_unasked(tmp_path: Path) -> None:
    existing = tmp_path / "answers.yml"
    existing.write_text("keep me\n", encoding="utf-8")
    asker = ScriptedAsker(
        {**FULL, "save.replace": False, "save.path": str(tmp_path / "lakeview.yml")}
    )
    result = run_new(asker, save=existing, out_dir=tmp_path / "out", today=TODAY)
    assert existing.read_text(encoding="utf-8") == "keep me\n"
    assert result.saved == tmp_path / "lakeview.yml"
    assert (
        asker.prompts["save.replace"]
        == f"{existing} already exists. Replace it with these answers?"
    )
    assert asker.defaults["save.path"] == str(tmp_path / "answers-2.yml")


def test_replacing_the_answers_file_when_the_user_says_so(tmp_path: Path) -> None:
    existing = tmp_path / "answers.yml"
    existing.write_text("old\n", encoding="utf-8")
    run_new(
        ScriptedAsker({**FULL, "start.resume": False, "save.replace": True}),
        save=existing,
        out_dir=tmp_path / "out",
        today=TODAY,
    )
    assert load_answers(existing).get("local.name") == "Lakeview Education Association"


def test_documents_already_there_are_replaced_only_when_the_user_says_so(tmp_path: Path) -> None:
    first = run_new(ScriptedAsker(FULL), save=tmp_path / "a.yml", out_dir=tmp_path, today=TODAY)
    assert first.rendered is not None
    before = first.rendered.paths[0].stat().st_mtime_ns
    again = run_new(
        ScriptedAsker(
            {**FULL, "start.resume": False, "save.replace": True, "render.replace": False}
        ),
        save=tmp_path / "a.yml",
        out_dir=tmp_path,
        today=TODAY,
    )
    assert again.rendered is None
    assert first.rendered.paths[0].stat().st_mtime_ns == before


# Text a person could type, including Unicode and characters YAML treats specially.
_TRICKY = st.sampled_from(
    [
        "yes",
        "no",
        "null",
        "~",
        "true",
        "0x1F",
        "1e3",
        "012",
        "2026-27",
        "- dash",
        "# hash",
        "a: b",
        "key: value #not a comment",
        "'quoted'",
        '"double"',
        "[list]",
        "{map}",
        "*alias",
        "&anchor",
        "!tag",
        "%directive",
        "@at",
        "`tick`",
        "|",
        ">",
        "? q",
        "Café Ñandú",
        "Ω Σ 東京 🍎",
        "tab\tin",
        "ends with space ",
        " starts",
        "\u00a0nbsp",
        "A\u200bB",
        "\ufeffbom",
        "R\u00e9sum\u00e9 \u2014 dash",
        "100%",
        "$45",
        "…",
        "a,b;c",
    ]
)
_TEXT = st.one_of(_TRICKY, st.text(min_size=1, max_size=60))


def _typed_ok(f_name: str, raw: str) -> bool:
    try:
        return parse_value(BY_NAME[f_name], raw) is not None
    except ValueProblem:
        return False


BASE_VALUES = interview({})[0].values


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(name=_TEXT, vendor=_TEXT, subject=_TEXT)
def test_any_text_survives_the_round_trip(name: str, vendor: str, subject: str) -> None:
    values = dict(BASE_VALUES)
    for field_name, raw in (
        ("local.name", name),
        ("program.vendor_name", vendor),
        ("district.superintendent", subject),
    ):
        if _typed_ok(field_name, raw):
            values[field_name] = parse_value(BY_NAME[field_name], raw)
    if _typed_ok("program.subjects", subject):
        values["program.subjects"] = parse_value(BY_NAME["program.subjects"], [subject, "math"])
    text = answers_yaml(values, path=Path("answers.yml"), library_version="x", today=TODAY)
    doc = parse_yaml(text, path="answers.yml")
    loaded = validate_data(doc.data, doc.where, source="answers.yml", need_version=True)
    for field_name, value in values.items():
        assert loaded.get(field_name) == value, field_name


# ---------------------------------------------------------------- starting from a file

START = """\
schema_version: 1
local:
  name: Riverside Teachers Union
district:
  name: Riverside Unified
  state: CA
school_year: 2025-26
bargaining:
  status: cba
  contract_article: Article 9
program:
  provider: in_house
  delivery: in_person
  weeks: twelve
tutors:
  unit_teachers: true
  esps: false
"""


def test_starting_from_a_file_asks_only_what_is_missing(tmp_path: Path) -> None:
    start = tmp_path / "last-year.yml"
    start.write_text(START, encoding="utf-8")
    replies = {**FULL, "program.provider": "in_house", "school_year": "2026-27"}
    asker = ScriptedAsker(replies)
    result = run_new(
        asker, start=start, save=tmp_path / "answers.yml", out_dir=tmp_path / "o", today=TODAY
    )
    given = {
        "local.name",
        "district.name",
        "district.state",
        "school_year",
        "bargaining.status",
        "bargaining.contract_article",
        "program.provider",
        "program.delivery",
        "tutors.unit_teachers",
        "tutors.esps",
    }
    expected = [
        q
        for q in ALL_QUESTIONS
        if q not in given
        and q not in VENDOR_QUESTIONS
        and q not in asked_only_after("tutors.esps")
        and q not in asked_only_after("program.delivery")
    ]
    assert fields_asked(asker) == expected  # program.weeks is asked again: "twelve" did not fit
    assert any(
        "last-year.yml, line 14, program.weeks: must be a whole number" in line
        for line in asker.said
    )
    values = load_answers(result.saved)
    assert values.get("local.name") == "Riverside Teachers Union"
    assert values.get("school_year") == "2025-26"  # kept: the review is where to change it
    assert values.get("program.weeks") == 24
    assert start.read_text(encoding="utf-8") == START


def test_a_complete_file_goes_straight_to_the_review(tmp_path: Path) -> None:
    first = run_new(
        ScriptedAsker(FULL), save=tmp_path / "a.yml", out_dir=tmp_path / "o1", today=TODAY
    )
    asker = ScriptedAsker(
        {
            "review": ["change", "done"],
            "review.change": "pay.tutoring_hourly_rate",
            "pay.tutoring_hourly_rate": "47.50",
            "save.back": DEFAULT,
        }
    )
    second = run_new(
        asker, start=first.saved, save=first.saved, out_dir=tmp_path / "o2", today=TODAY
    )
    assert asker.asked[:4] == ["review", "review.change", "pay.tutoring_hourly_rate", "review"]
    assert asker.defaults["pay.tutoring_hourly_rate"] == "$45.00"
    assert asker.prompts["save.back"].endswith(", the file you started from?")
    assert asker.defaults["save.back"] is True  # one answers file at the end, not two
    assert str(load_answers(second.saved).get("pay.tutoring_hourly_rate")) == "47.50"


def test_an_unchanged_start_file_is_left_as_it_is(tmp_path: Path) -> None:
    start = tmp_path / "answers.yml"
    first = run_new(ScriptedAsker(FULL), save=start, out_dir=tmp_path / "o1", today=TODAY)
    before = first.saved.read_text(encoding="utf-8")
    asker = ScriptedAsker({"review": "done"})
    run_new(asker, start=start, save=start, out_dir=tmp_path / "o2", today=TODAY)
    assert asker.asked == ["review"]
    assert f"Your answers are unchanged in {start}." in asker.said
    assert start.read_text(encoding="utf-8") == before


def test_answers_that_no_longer_apply_in_a_start_file_are_dropped(tmp_path: Path) -> None:
    start = tmp_path / "start.yml"
    start.write_text(
        START.replace("  provider: in_house\n", "  provider: in_house\n  vendor_name: Acme\n"),
        encoding="utf-8",
    )
    iv_asker = ScriptedAsker({**FULL, "program.provider": "in_house"})
    result = run_new(
        iv_asker, start=start, save=tmp_path / "a.yml", out_dir=tmp_path / "o", today=TODAY
    )
    assert "  What is the vendor's name? Acme" in iv_asker.said
    assert load_answers(result.saved).get("program.vendor_name") is None


def test_a_start_file_with_an_unknown_key_is_refused(tmp_path: Path) -> None:
    start = tmp_path / "start.yml"
    start.write_text("schema_version: 1\nlocal:\n  nmae: X\n", encoding="utf-8")
    with pytest.raises(AnswersError) as caught:
        read_answers_file(start)
    assert (
        "line 3, local.nmae: is not a field of the answers file (did you mean local.name?)"
        in str(caught.value)
    )


# ---------------------------------------------------------------- stopping


def test_ctrl_c_offers_to_save_and_the_file_resumes(tmp_path: Path) -> None:
    save = tmp_path / "answers.yml"
    asker = ScriptedAsker({**FULL, "program.provider": INTERRUPT, "stop": "save"})
    with pytest.raises(Interrupted) as caught:
        run_new(asker, save=save, out_dir=tmp_path / "out", today=TODAY)
    assert caught.value.message == (
        f"Stopped. Your answers so far are in {save}.\n"
        f"To finish, run: tutorbargain new --answers {save}"
    )
    assert asker.options["stop"] == ["go-on", "save", "quit"]
    assert asker.defaults["stop"] == "go-on"  # a stray Ctrl-C or Esc goes on
    assert f"Save the answers so far in {save}, and stop" in asker.titles["stop"]
    text = save.read_text(encoding="utf-8")
    assert "# Not finished yet" in text
    assert not (tmp_path / "out").exists()
    values, problems = read_answers_file(save)
    assert problems == [] and values["program.name"] == "Learning Boost"
    assert "program.provider" not in values

    # Resumed, it asks only what is missing and saves back into the same file: one file.
    resumed = ScriptedAsker({**FULL, "save.back": DEFAULT})
    result = run_new(resumed, start=save, out_dir=tmp_path / "out", today=TODAY)
    first_asked = ALL_QUESTIONS.index("program.provider")
    assert fields_asked(resumed) == ALL_QUESTIONS[first_asked:]
    assert result.saved == save
    assert load_answers(save).get("program.provider") == "vendor"
    assert sorted(p.name for p in tmp_path.glob("*.yml")) == ["answers.yml"]


def test_going_on_after_ctrl_c_asks_the_same_question_again(tmp_path: Path) -> None:
    asker = ScriptedAsker({**FULL, "program.provider": [INTERRUPT, "vendor"], "stop": DEFAULT})
    iv = Interview(asker, SCRIPT, on_interrupt=lambda: None)
    iv.settle()
    assert asker.asked.count("program.provider") == 2
    first = asker.asked.index("program.provider")
    assert asker.asked[first + 1] == "program.provider"  # the same question, asked again
    assert iv.values["program.provider"] == "vendor"


def test_ctrl_c_again_at_the_offer_just_stops(tmp_path: Path) -> None:
    save = tmp_path / "answers.yml"
    asker = ScriptedAsker({**FULL, "program.weeks": INTERRUPT, "stop": INTERRUPT})
    with pytest.raises(Interrupted) as caught:
        run_new(asker, save=save, out_dir=tmp_path, today=TODAY)
    assert caught.value.message == "Stopped. Nothing was saved."
    assert list(tmp_path.iterdir()) == []


def test_stopping_without_saving_asks_first_and_no_goes_on(tmp_path: Path) -> None:
    asker = ScriptedAsker(
        {**FULL, "review": [INTERRUPT, "done"], "stop": "quit", "stop.discard": False}
    )
    result = run_new(asker, save=tmp_path / "a.yml", out_dir=tmp_path / "o", today=TODAY)
    assert asker.asked.count("review") == 2
    assert load_answers(result.saved).get("program.name") == "Learning Boost"


def test_stopping_without_saving_saves_nothing(tmp_path: Path) -> None:
    asker = ScriptedAsker({**FULL, "review": INTERRUPT, "stop": "quit", "stop.discard": True})
    with pytest.raises(Interrupted):
        run_new(asker, save=tmp_path / "a.yml", out_dir=tmp_path, today=TODAY)
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_before_any_answer_offers_to_go_on_or_stop(tmp_path: Path) -> None:
    asker = ScriptedAsker({"local.name": INTERRUPT, "stop": "quit"})
    with pytest.raises(Interrupted) as caught:
        run_new(asker, save=tmp_path / "a.yml", out_dir=tmp_path, today=TODAY)
    assert caught.value.message == "Stopped. Nothing was saved."
    assert asker.asked == ["local.name", "stop"]
    assert asker.options["stop"] == ["go-on", "quit"]


def test_a_partial_save_never_replaces_a_file_it_did_not_start_from(tmp_path: Path) -> None:
    save = tmp_path / "answers.yml"
    save.write_text("old\n", encoding="utf-8")
    asker = ScriptedAsker({**FULL, "funding.ends": INTERRUPT, "stop": "save"})
    with pytest.raises(Interrupted) as caught:
        run_new(asker, save=save, out_dir=tmp_path / "o", today=TODAY)
    other = tmp_path / "answers-2.yml"
    assert (
        f"Save the answers so far in {other} ({save} stays as it is), and stop"
        in (asker.titles["stop"])
    )
    assert save.read_text(encoding="utf-8") == "old\n"
    assert f"Your answers so far are in {other}." in caught.value.message
    assert read_answers_file(other)[0]["program.name"] == "Learning Boost"


def test_a_complete_answers_file_survives_ctrl_c_with_enter_at_every_prompt(
    tmp_path: Path,
) -> None:
    save = tmp_path / "answers.yml"
    run_new(ScriptedAsker(FULL), save=save, out_dir=tmp_path / "o1", today=TODAY)
    complete = load_answers(save).values
    names = ["start.resume", "review", "stop", "save.back", "render.replace"]
    asker = ScriptedAsker({name: DEFAULT for name in names} | {"review": [INTERRUPT, DEFAULT]})
    run_new(asker, save=save, out_dir=tmp_path / "o2", today=TODAY)
    assert asker.asked[:4] == ["start.resume", "review", "stop", "review"]
    assert any(
        line.startswith(f"There is already an answers file here: {save}, with ")
        for line in asker.said
    )
    assert load_answers(save).values == complete


def test_declining_to_resume_keeps_the_file_and_saves_elsewhere(tmp_path: Path) -> None:
    save = tmp_path / "answers.yml"
    run_new(ScriptedAsker(FULL), save=save, out_dir=tmp_path / "o1", today=TODAY)
    before = save.read_text(encoding="utf-8")
    asker = ScriptedAsker(
        {**FULL, "start.resume": False, "program.name": INTERRUPT, "stop": DEFAULT}
        | {"program.name": [INTERRUPT, "x"], "stop": "save"}
    )
    with pytest.raises(Interrupted):
        run_new(asker, save=save, out_dir=tmp_path / "o2", today=TODAY)
    assert save.read_text(encoding="utf-8") == before
    assert (tmp_path / "answers-2.yml").exists()


def test_a_script_without_a_reply_fails_loudly() -> None:
    with pytest.raises(ScriptError, match=r"nothing scripted for 'local\.name'"):
        Interview(ScriptedAsker({}), SCRIPT).settle()


# ---------------------------------------------------------------- the command


def test_without_a_terminal_it_refuses_in_one_line(tmp_path: Path) -> None:
    import io

    with pytest.raises(TutorbargainError, match="tutorbargain render ANSWERS"):
        require_terminal(io.StringIO())
    run = run_cli(["new"], cwd=tmp_path, input="")
    assert run.code == 1
    assert run.err.strip().count("\n") == 0
    assert run.err.startswith("Error: `tutorbargain new` asks questions, so it needs a terminal")
    assert list(tmp_path.iterdir()) == []


def test_help_does_not_load_questionary() -> None:
    code = (
        "import sys\n"
        "from tutorbargain import cli\n"
        "try:\n    cli.app(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('questionary' in sys.modules, 'prompt_toolkit' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "False False"


def test_new_has_help_with_an_example() -> None:
    run = run_cli(["new", "--help"])
    assert run.code == 0
    assert "Example: tutorbargain new" in run.out
    assert "--answers" in run.out and "--save" in run.out


def test_a_blank_program_name_and_contract_article_stay_in_the_mou_as_blanks(
    tmp_path: Path,
) -> None:
    data = parse_yaml(
        (Path(__file__).parents[1] / "examples" / "lakeview-vendor-virtual.yml").read_text(
            encoding="utf-8"
        ),
        path="lakeview.yml",
    ).data
    data["program"].pop("name", None)
    data["bargaining"]["status"] = "cba"
    data["bargaining"].pop("contract_article", None)
    data["tutors"]["unit_teachers"] = True
    from tutorbargain.render import render_answers

    result = render_answers(answers_from_mapping(data), tmp_path, today=TODAY)
    text = docx_text(result.paths[0])
    assert "It sets the terms on which [PROGRAM NAME], a high-impact tutoring program" in text
    assert "the terms of [CONTRACT ARTICLE] of the Agreement apply to it" in text
    assert "[PROGRAM NAME]" in result.placeholders and "[CONTRACT ARTICLE]" in result.placeholders


# ---------------------------------------------------------------- going back


def test_back_three_questions_across_a_topic_boundary_and_change_one() -> None:
    iv, asker = interview(
        {
            "bargaining.status": [BACK, DEFAULT],
            "school_year": ["2026-27", BACK, DEFAULT],
            "district.superintendent": ["Dr. Marcus Bell", BACK, DEFAULT],
            "district.state": ["oh", "ca"],
        }
    )
    start = asker.asked.index("bargaining.status")
    assert asker.asked[start : start + 7] == [
        "bargaining.status",
        "school_year",
        "district.superintendent",
        "district.state",
        "district.superintendent",
        "school_year",
        "bargaining.status",
    ]
    # Each question gone back to offers its answer, so Enter keeps it.
    assert asker.defaults["district.superintendent"] == "Dr. Marcus Bell"
    assert asker.defaults["school_year"] == "2026-27"
    assert asker.said.count("── The local and the district (1 of 6)") == 2
    values = saved(iv)
    assert values["district.state"] == "CA"
    assert values["district.superintendent"] == "Dr. Marcus Bell"
    assert values["bargaining.status"] == "cba"


def test_back_skips_questions_that_no_longer_apply() -> None:
    iv, asker = interview(
        {
            "program.delivery": [BACK, "hybrid"],
            **{name: [FULL[name], BACK] for name in VENDOR_QUESTIONS},
            "program.provider": ["vendor", "in_house"],
        }
    )
    start = asker.asked.index("program.delivery")
    assert asker.asked[start : start + len(VENDOR_QUESTIONS) + 3] == [
        "program.delivery",
        *reversed(VENDOR_QUESTIONS),
        "program.provider",
        "program.delivery",  # the vendor questions no longer apply, so they are not asked
    ]
    assert "These answers no longer apply to this program, so they were dropped:" in asker.said
    assert saved(iv)["program.vendor_name"] is None


def test_back_at_the_first_question_says_so() -> None:
    _, asker = interview({"local.name": [BACK, "Lakeview Education Association"]})
    assert asker.asked[:2] == ["local.name", "local.name"]
    assert "  This is the first question; there is none before it." in asker.said


def test_back_from_the_review_asks_the_last_question_again() -> None:
    last = ALL_QUESTIONS[-1]
    iv, asker = interview({"review": [BACK, "done"], last: ["60", "90"]})
    assert asker.asked[-3:] == ["review", last, "review"]
    assert saved(iv)[last] == 90


def test_escape_in_the_change_menu_returns_to_the_review() -> None:
    iv, asker = interview({"review": ["change", "done"], "review.change": INTERRUPT})
    assert asker.asked[-3:] == ["review", "review.change", "review"]
    assert iv.values == BASE_VALUES


# ---------------------------------------------------------------- one way to say each thing


def test_one_not_sure_choice_and_yes_no_questions_take_y_n_or_not_sure() -> None:
    _, asker = interview({})
    assert asker.options["program.student_identification"] == [
        "test_scores",
        "teacher_referral",
        "multiple_measures",
        "undecided",
    ]
    assert "not-sure" in asker.options["funding.source"]
    # Enter on it, unanswered, means "not decided yet", never a silent first choice.
    fresh = ScriptedAsker({**FULL, "program.student_identification": DEFAULT})
    Interview(fresh, SCRIPT).settle()
    assert fresh.defaults["program.student_identification"] == "undecided"
    bools = [q.name for q in SCRIPT.questions() if q.field.kind.name == "BOOL"]
    assert bools and not any(name in asker.options for name in bools)  # never a numbered list


def test_a_long_review_is_shown_a_page_per_section_with_its_notices_at_the_bottom() -> None:
    asker = ScriptedAsker(
        {
            **FULL,
            "program.provider": ["vendor", "in_house"],
            "review.page": ["next", "next", "change", "next", "next", "next"],
            "review.change": "program.provider",
        },
        rows=40,
    )
    iv = Interview(asker, SCRIPT)
    iv.settle()
    iv.review()
    assert asker.asked.count("review.page") == 6
    assert "Your answers: The tutoring program (3 of 6)" in asker.said
    # After the change, the program page is shown again with the notice under it, last
    # before the prompt, so it cannot scroll away.
    again = (
        len(asker.said) - 1 - asker.said[::-1].index("Your answers: The tutoring program (3 of 6)")
    )
    notice = asker.said.index(
        "These answers no longer apply to this program, so they were dropped:", again
    )
    page_lines = [line for line in asker.said[again:notice] if line.startswith("  ")]
    assert len(page_lines) == len([q for q in iv.applicable() if q.section == "program"])


# ---------------------------------------------------------------- blanks that are told


def test_an_unknown_that_leaves_clauses_out_is_listed_by_its_question(tmp_path: Path) -> None:
    from tutorbargain.interview import left_out_for_unknowns
    from tutorbargain.library.selection import select

    iv, _ = interview({"program.serves_iep_students": None})
    answers = iv.answers()
    gaps = {
        gap.field.name: gap
        for gap in left_out_for_unknowns(select(load_library(), answers), answers)
    }
    iep = gaps["program.serves_iep_students"]
    # Not knowing matters at the table: the impact question on IEPs stays in the list.
    asked = {c.entry.id for c in select(load_library(), answers).questions if c.included}
    assert "q-iep" in asked
    assert '"Will students with IEPs be tutored?" (program.serves_iep_students)' in iep.line()
    assert any("IEP" in title for title in iep.titles)
    known, _ = interview({})
    assert "program.serves_iep_students" not in {
        gap.field.name
        for gap in left_out_for_unknowns(select(load_library(), known.answers()), known.answers())
    }


def test_render_says_what_not_knowing_left_out_instead_of_nothing_to_fill_in(
    tmp_path: Path,
) -> None:
    iv, _ = interview({"program.serves_iep_students": None})
    path = tmp_path / "answers.yml"
    path.write_text(
        answers_yaml(iv.values, path=path, library_version="x", today=TODAY), encoding="utf-8"
    )
    run = run_cli(["render", "answers.yml", "-o", "out"], cwd=tmp_path)
    assert run.code == 0, run.err
    assert "Left out because not known yet:" in run.out
    assert '(answer "Will students with IEPs be tutored?"' in run.out
    assert "Nothing left to fill in." not in run.out


@pytest.mark.parametrize(("state", "usual"), [("oh", "cba"), ("nc", "none")])
def test_the_bargaining_default_is_the_states_usual_status_with_the_reason(
    state: str, usual: str
) -> None:
    from tutorbargain.library.states import usual_status

    iv, asker = interview({"district.state": state, "bargaining.status": DEFAULT})
    expected, why = usual_status(state.upper())
    assert expected == usual
    assert asker.defaults["bargaining.status"] == usual
    assert asker.hints["bargaining.status"].startswith(why)
    assert iv.values["bargaining.status"] == usual


def test_the_answers_file_writes_each_kind_as_a_person_would() -> None:
    """Money keeps its cents, dates and grades need no quotes, text with a colon is quoted;
    and the file reads back to the same values."""
    import datetime as dt_
    from decimal import Decimal

    from tutorbargain.answers.reading import load_answers

    values = {
        "local.name": "Maple: Grove Teachers",
        "district.name": "Maple Grove Schools",
        "district.state": "MN",
        "school_year": "2026-27",
        "bargaining.status": "cba",
        "program.provider": "in_house",
        "program.delivery": "in_person",
        "program.grades": ["K", "1", "2"],
        "pay.tutoring_hourly_rate": Decimal("41.80"),
        "pay.certificated_hourly_rate": Decimal("40"),
        "funding.ends": dt_.date(2027, 6, 30),
    }
    text = answers_yaml(values, path=Path("a.yml"), library_version="x", today=TODAY)
    for line in (
        "  tutoring_hourly_rate: 41.80",
        "  certificated_hourly_rate: 40",
        "  ends: 2027-06-30",
        "  grades: [K, 1, 2]",
        "  name: 'Maple: Grove Teachers'",
    ):
        assert line in text.splitlines(), line
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.yml"
        path.write_text(text, encoding="utf-8")
        loaded = load_answers(path)
    for name, value in values.items():
        assert loaded.get(name) == value, name
