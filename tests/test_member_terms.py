"""The answers about who tutors, pay, hours and the work itself change the MOU a reader gets.

Each test renders a small answers mapping (an example file with a few answers changed, the way
tests/test_forms.py builds them) and reads the Word text the way a bargaining team would: the
answered number or name is in the clause, and when the fact is the other way the words are
absent or different. Where an unanswered proposal term prints its default, the render lists it
under the defaults used.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import EXAMPLES, docx_text
from test_forms import FORBIDDEN, all_documents_text
from test_forms import render as render_all
from tutorbargain.answers.reading import answers_from_mapping
from tutorbargain.compose.costing import estimate
from tutorbargain.render import RenderResult, render_answers

TODAY = dt.date(2026, 12, 2)


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    data["schema_version"] = 2
    return data


IN_HOUSE = example("riverside-inhouse-esps.yml")
IN_HOUSE["district"]["state"] = "MN"  # Iowa bargains base wages only (Iowa Code 20.9)
"""Minnesota here, a contract, district staff tutor after school in person; teachers, ESPs,
student teachers."""
VENDOR = example("lakeview-vendor-virtual.yml")
"""Ohio, a contract, a vendor tutors online during the school day; retirees tutor."""


def answers(base: dict[str, Any], **sections: dict[str, Any]) -> Any:
    data = copy.deepcopy(base)
    for section, values in sections.items():
        data.setdefault(section, {}).update(values)
    return answers_from_mapping(data)


class Render:
    def __init__(self, result: RenderResult) -> None:
        self.result = result
        paths = {p.name: p for p in result.paths}
        mou = next(p for n, p in paths.items() if n.endswith("-mou.docx"))
        questions = next(p for n, p in paths.items() if n.endswith("-impact-questions.md"))
        self.mou = " ".join(docx_text(mou).split())
        self.questions = " ".join(questions.read_text(encoding="utf-8").split())
        self.defaults = result.defaults_used


@pytest.fixture
def draft(tmp_path: Path) -> Any:
    count = iter(range(1000))

    def _draft(base: dict[str, Any], **sections: dict[str, Any]) -> Render:
        out = tmp_path / f"r{next(count)}"
        return Render(render_answers(answers(base, **sections), out, today=TODAY))

    return _draft


# ---------------------------------------------------------------- proposal terms


def test_posting_days_is_the_answer_or_the_listed_default(draft: Any) -> None:
    answered = draft(IN_HOUSE, terms={"posting_days": 15})
    assert "posted to all Members at least 15 working days before" in answered.mou
    assert "terms.posting_days" not in answered.defaults
    default = draft(IN_HOUSE)
    assert "posted to all Members at least 10 working days before" in default.mou
    assert "at least 15 working days before" not in default.mou
    assert "terms.posting_days" in default.defaults


SITE_COMMITTEES = "each school in the Program will have a site committee"
SITE_QUESTION = "will each have a site committee with Members on it"


def test_site_committees_come_at_the_teams_number_of_students(draft: Any) -> None:
    # 360 students: under the default of 500, so no site committees...
    default = draft(IN_HOUSE)
    assert SITE_COMMITTEES not in default.mou and SITE_QUESTION not in default.questions
    # The default kept them out, so the render lists it with the numbers left to choose.
    assert "terms.site_committee_students" in default.defaults
    # ...until the team lowers its number, which the clause then states.
    lowered = draft(IN_HOUSE, terms={"site_committee_students": 300})
    assert (
        "Because conditions differ from school to school in a program of 300 students or "
        f"more, {SITE_COMMITTEES}" in lowered.mou
    )
    assert SITE_QUESTION in lowered.questions
    assert "terms.site_committee_students" not in lowered.defaults
    # At the default's own number, the clause prints 500 and the render lists the default.
    at_default = draft(IN_HOUSE, program={"students": 500})
    assert f"in a program of 500 students or more, {SITE_COMMITTEES}" in at_default.mou
    assert "terms.site_committee_students" in at_default.defaults
    raised = draft(IN_HOUSE, program={"students": 600}, terms={"site_committee_students": 1000})
    assert SITE_COMMITTEES not in raised.mou and SITE_QUESTION not in raised.questions
    # Without bargaining every program has them, and no size is claimed.
    collaboration = draft(IN_HOUSE, bargaining={"status": "none", "contract_article": None})
    assert f"differ from school to school, {SITE_COMMITTEES}" in collaboration.mou
    assert "students or more" not in collaboration.mou


def test_notice_to_leave_a_tutoring_post(draft: Any) -> None:
    answered = draft(IN_HOUSE, terms={"leave_assignment_days": 5})
    assert "may leave the assignment with 5 working days’ written notice" in answered.mou
    default = draft(IN_HOUSE)
    assert "may leave the assignment with 10 working days’ written notice" in default.mou
    assert "terms.leave_assignment_days" in default.defaults


def test_weekly_hours_cap_and_the_tutors_the_district_plans(draft: Any) -> None:
    answered = draft(IN_HOUSE, terms={"weekly_hours_cap": 12}, program={"tutor_count": 30})
    assert "No Member will be scheduled for more than 12 hours of tutoring in a week" in (
        answered.mou
    )
    assert "The District plans on 30 tutors; if the Program cannot be staffed" in answered.mou
    one = draft(IN_HOUSE, terms={"weekly_hours_cap": 1})
    assert "more than 1 hour of tutoring in a week" in one.mou
    default = draft(IN_HOUSE, program={"tutor_count": None})
    assert "more than 24 hours of tutoring in a week" in default.mou
    assert "The District plans on" not in default.mou
    assert "terms.weekly_hours_cap" in default.defaults
    # A vendor-only program with no Members tutoring has no Member hours to cap.
    assert "Most tutoring hours a week" not in draft(VENDOR).mou


def test_planning_cap_limits_paid_preparation_in_the_mou_and_the_estimate(draft: Any) -> None:
    uncapped = draft(IN_HOUSE)
    assert "one (1) hour of preparation and collaboration time at the Tutoring Rate." in (
        uncapped.mou
    )
    assert "of such paid time a week" not in uncapped.mou
    assert "terms.planning_hours_cap" not in uncapped.defaults  # no cap is no default
    capped = draft(IN_HOUSE, terms={"planning_hours_cap": 1})
    assert "at the Tutoring Rate, up to 1 hour of such paid time a week" in capped.mou
    assert "A Member is not expected to do preparation beyond the paid hours" in capped.mou
    none_paid = draft(IN_HOUSE, terms={"planning_hours_cap": 0})
    assert "take place within paid tutoring time" in none_paid.mou
    assert "For every 3 hours of tutoring" not in none_paid.mou

    # 4,050 hours tutored: 1,350 hours of preparation uncapped; 45 tutors x 1 hour x 20 weeks
    # = 900 hours capped; none at all with a cap of 0.
    def prep(terms: dict[str, Any]) -> list[str]:
        est = estimate(answers(IN_HOUSE, terms=terms))
        assert est is not None
        return [f"{line.working} = {line.shown}" for line in est.lines if "reparation" in line.item]

    assert prep({}) == ["1,350 hours (1 for every 3 tutored) × $40.00 an hour = $54,000"]
    # The estimate costs the ratio the MOU prints, not a fixed one.
    assert prep({"hours_per_prep_hour": 2}) == [
        "2,025 hours (1 for every 2 tutored) × $40.00 an hour = $81,000"
    ]
    assert prep({"planning_hours_cap": 1}) == [
        "900 hours (the cap: 45 tutors × 1 hour a week × 20 weeks) × $40.00 an hour = $36,000"
    ]
    assert prep({"planning_hours_cap": 0}) == []


# ---------------------------------------------------------------- when tutoring happens


@pytest.mark.parametrize(
    ("schedule", "school_day"),
    [(["school_day", "after_school"], True), (["after_school", "summer"], False)],
)
def test_school_day_clauses_follow_the_schedule(
    draft: Any, schedule: list[str], school_day: bool
) -> None:
    """With only the schedule answered, the school-day clauses follow it."""
    got = draft(IN_HOUSE, program={"schedule": schedule, "during_school_day": None})
    assert ("What students miss for tutoring" in got.mou) is school_day
    assert ("No coverage assignments" in got.mou) is school_day
    assert ("; Sessions during the school day;" in got.mou) is school_day
    # An answered schedule is followed: no school-day promise to an after-school program.
    assert "wherever the Committee finds it possible" not in got.mou
    assert ("Which classes or periods will students leave" in got.questions) is school_day
    words = (
        "during the school day and after school" if school_day else "after school and in the summer"
    )
    assert f"The District has said tutoring happens {words}." in got.questions
    assert ("in which periods of the school day" in got.questions) is school_day


def test_custodial_work_follows_sessions_outside_the_school_day(draft: Any) -> None:
    base = {"needs_space": False, "during_school_day": None}
    after = draft(IN_HOUSE, program={**base, "schedule": ["after_school"]})
    assert "opening or closing buildings outside regular hours" in after.mou
    day = draft(IN_HOUSE, program={**base, "schedule": ["school_day"]})
    assert "opening or closing buildings outside regular hours" not in day.mou


# ---------------------------------------------------------------- virtual tutoring


def test_recording_follows_the_answer_and_needs_each_members_consent(draft: Any) -> None:
    recorded = draft(VENDOR, program={"sessions_recorded": True})
    assert "The District has told the Union that virtual Sessions are recorded." in recorded.mou
    assert "unless that Member has consented in writing beforehand" in recorded.mou
    assert "No recording that shows a Member will be used to evaluate" in recorded.mou
    assert "The District records sessions: why, who can see the recordings" in (recorded.questions)
    not_recorded = draft(VENDOR, program={"sessions_recorded": False})
    assert "virtual Sessions are not recorded. If it later wants to record them" in (
        not_recorded.mou
    )
    in_person = draft(VENDOR, program={"delivery": "in_person"})
    assert "Recording of virtual sessions" not in in_person.mou


def test_members_who_tutor_online_get_equipment_and_a_place_to_work(draft: Any) -> None:
    online = draft(IN_HOUSE, program={"delivery": "hybrid"})
    assert "the District will not require a Member to tutor from home" in online.mou
    assert "a working device, headset, licensed software" in online.mou
    assert "Members who tutor online" not in draft(IN_HOUSE).mou  # in person
    # A vendor-only program: no Member tutors online, so no such terms.
    assert "Members who tutor online" not in draft(VENDOR).mou


def test_supervising_virtual_sessions_is_a_paid_counted_duty_never_an_added_class(
    draft: Any,
) -> None:
    yes = draft(VENDOR, program={"members_supervise_virtual": True})
    assert "Supervising students in virtual sessions" in yes.mou
    assert "counts as assigned duty time in the Member’s workload" in yes.mou
    assert (
        "supervision added to a full assignment, or outside the regular workday, is paid at the "
        "Tutoring Rate in addition to the Member’s salary"
    ) in yes.mou
    assert "as another class, period or assignment without the Member’s written consent" in (
        yes.mou
    )
    assert "it will ask Members to supervise students in the room" in yes.mou
    no = draft(VENDOR, program={"members_supervise_virtual": False})
    assert "it will not ask Members to supervise students during virtual tutoring; if it" in (
        no.mou
    )
    assert "counts as assigned duty time" in no.mou  # the protection stays
    assert "it will ask Members" not in no.mou
    assert "who will be in the room with students while the online tutor" not in no.questions
    unknown = draft(VENDOR)
    assert "who will be in the room with students while the online tutor" in unknown.questions
    assert "Where will students join sessions during the school day" in unknown.questions
    after_school = draft(VENDOR, program={"during_school_day": False, "schedule": ["after_school"]})
    assert (
        "who will be in the room with students while the online tutor" not in after_school.questions
    )
    assert "Where will students join sessions during the school day" not in (after_school.questions)
    assert "a supervised place at school to join Sessions" not in after_school.mou
    in_person = draft(VENDOR, program={"delivery": "in_person", "members_supervise_virtual": None})
    assert "Supervising students in virtual sessions" not in in_person.mou


def test_software_tutor_replaces_no_member_and_evaluates_no_one(draft: Any) -> None:
    yes = draft(VENDOR, program={"uses_software_tutor": True})
    assert "puts some students on software" in yes.mou
    assert "No Member’s position, hours, assignment or pay will be cut" in yes.mou
    assert "No Member will be evaluated, rated or disciplined by the software" in yes.mou
    assert (
        "The District will not count the time a student spends on software as tutoring under "
        "this Memorandum of Understanding, and will not use software to raise" in yes.mou
    )  # one sentence with its subject: the District is the one who will not
    no = draft(VENDOR, program={"uses_software_tutor": False})
    assert "Software used as a tutor" not in no.mou
    assert "Will any students be tutored by software" not in no.questions


# ---------------------------------------------------------------- who tutors


def test_the_named_pension_system_replaces_the_states(draft: Any) -> None:
    state = draft(VENDOR)
    assert "return-to-work rules of the State Teachers Retirement System of Ohio (STRS Ohio)" in (
        state.mou
    )
    named = draft(VENDOR, tutors={"retiree_pension_system": "School Employees Retirement System"})
    assert "rules of the School Employees Retirement System and will ask" in named.mou
    assert "State Teachers Retirement System of Ohio" not in named.mou
    assert "Ohio Rev. Code 3307.35" not in named.mou  # STRS's rules, not that system's
    same = draft(VENDOR, tutors={"retiree_pension_system": "STRS Ohio"})
    assert "rules of STRS Ohio (see Ohio Rev. Code 3307.35)" in same.mou


def test_paid_student_tutors_are_supervised_and_not_members_work(draft: Any) -> None:
    yes = draft(IN_HOUSE, tutors={"paid_student_tutors": True, "student_teachers": False})
    assert "work only under the supervision of certificated staff" in yes.mou
    assert "their tutoring is not counted as work of Members’ positions" in yes.mou
    assert "passed the same background check" in yes.mou  # no other outside tutors here
    no = draft(IN_HOUSE, tutors={"paid_student_tutors": False, "student_teachers": False})
    assert "High-school and college students who tutor" not in no.mou
    assert "passed the same background check" not in no.mou
    assert "pay high-school or college students to tutor" not in no.questions


# ---------------------------------------------------------------- pay


def test_tutoring_rate_is_never_below_the_extra_duty_rate(draft: Any) -> None:
    got = draft(IN_HOUSE, pay={"extra_duty_hourly_rate": 38})
    assert (
        "The Tutoring Rate ($40.00 an hour) will never be lower than the hourly rate paid for "
        "other extra duty under Article 11 (Extra Duty Pay) of the Agreement, now $38.00 an hour"
    ) in got.mou
    # The question puts the Union's own number first and concedes no lower floor.
    assert (
        "What hourly rate does the District propose for tutoring (the Union proposes $40.00 an "
        "hour), how does it compare with the $38.00 an hour already paid for extra duty"
    ) in got.questions
    assert "will it be at least" not in got.questions
    assert "never falls below the extra-duty rate" not in draft(IN_HOUSE).mou


def test_training_has_one_rate_for_teachers_and_esps(draft: Any) -> None:
    own = draft(IN_HOUSE, pay={"training_hourly_rate": 50})
    assert "is paid at $50.00 an hour (the “Training Rate”), the same for every Member" in own.mou
    assert "Required training is paid at the Training Rate, as it is for every other Member" in (
        own.mou
    )
    plain = draft(IN_HOUSE)
    assert "Training Rate" not in plain.mou
    assert "in released time and is paid at the Tutoring Rate, the same for every Member" in (
        plain.mou
    )
    assert "Required training is paid at the rate the ESP is paid for tutoring" in plain.mou

    def training(pay: dict[str, Any]) -> str:
        est = estimate(answers(IN_HOUSE, pay=pay))
        assert est is not None
        return next(f"{x.working} = {x.shown}" for x in est.lines if x.item == "Training pay")

    assert (
        training({"training_hourly_rate": 50}) == "45 tutors × 8 hours × $50.00 an hour = $18,000"
    )
    assert training({}) == "45 tutors × 8 hours × $40.00 an hour = $14,400"


def test_a_separate_esp_tutoring_rate(draft: Any) -> None:
    got = draft(IN_HOUSE, pay={"esp_tutoring_hourly_rate": 25})
    assert "ESPs who tutor are paid $25.00 an hour (the “ESP Tutoring Rate”)" in got.mou
    assert "an ESP is paid the ESP Tutoring Rate, or the ESP’s own hourly rate (now $21.75)" in (
        got.mou
    )
    plain = draft(IN_HOUSE)
    assert "ESP Tutoring Rate" not in plain.mou
    assert "an ESP is paid the Tutoring Rate whenever it is higher" in plain.mou

    def esp_lines(pay: dict[str, Any]) -> tuple[list[str], list[str]]:
        est = estimate(answers(IN_HOUSE, pay=pay))
        assert est is not None
        return [f"{x.working} = {x.shown}" for x in est.comparisons], est.assumptions

    comparisons, notes = esp_lines({"esp_tutoring_hourly_rate": 25})
    assert "ESP tutoring rate $25.00 less usual ESP rate $21.75 = $3.25" in comparisons
    assert any("each hour an ESP tutors takes $15.00 off the total" in n for n in notes)
    comparisons, _ = esp_lines({})
    assert "tutoring rate $40.00 less usual ESP rate $21.75 = $18.25" in comparisons


def test_where_only_esps_tutor_the_estimate_uses_the_esp_tutoring_rate() -> None:
    only_esps = {"unit_teachers": False, "student_teachers": False}
    est = estimate(answers(IN_HOUSE, tutors=only_esps, pay={"esp_tutoring_hourly_rate": 25}))
    assert est is not None
    lines = {x.item: f"{x.working} = {x.shown}" for x in est.lines}
    assert lines["Tutoring pay"] == "4,050 hours × $25.00 an hour (all hours) = $101,250"
    assert any("priced at what an ESP is paid to tutor: $25.00" in n for n in est.assumptions)
    # Teachers tutor too: the split is unknown, every hour stays at the Tutoring Rate.
    mixed = estimate(answers(IN_HOUSE, pay={"esp_tutoring_hourly_rate": 25}))
    assert mixed is not None
    assert mixed.lines[0].working.endswith("× $40.00 an hour (all hours)")


def test_student_teacher_rate(draft: Any) -> None:
    got = draft(IN_HOUSE, pay={"student_teacher_hourly_rate": 18})
    assert "for their tutoring time at a rate of no less than $18.00 an hour" in got.mou
    assert "no less than [STUDENT TEACHER RATE] an hour" in draft(IN_HOUSE).mou


def test_lead_tutor_rate(draft: Any) -> None:
    got = draft(IN_HOUSE, pay={"lead_tutor_hourly_rate": 55})
    assert "the Member is paid $55.00 an hour in place of the Tutoring Rate" in got.mou
    # The roles clause points to that pay, not to the Tutoring Rate it replaces.
    assert "paid for all time worked at the lead tutor pay set out in this" in got.mou
    unanswered = draft(IN_HOUSE).mou
    assert "Lead tutor pay" not in unanswered
    assert "paid for all time worked at the Tutoring Rate, plus a stipend" in unanswered


def test_lead_tutor_stipend_is_the_answered_amount(draft: Any) -> None:
    got = draft(IN_HOUSE, pay={"lead_tutor_stipend": 1500})
    assert "plus a stipend of $1,500 for the term." in got.mou
    assert "[LEAD TUTOR STIPEND]" not in got.mou
    # Unanswered, it is a blank the render names with its question, not an orphan placeholder.
    unanswered = draft(IN_HOUSE)
    assert "plus a stipend of [LEAD TUTOR STIPEND] for the term." in unanswered.mou
    # Zero means no stipend, not "a stipend of $0.00".
    none = draft(IN_HOUSE, pay={"lead_tutor_stipend": 0})
    assert "stipend" not in none.mou


# ---------------------------------------------------------------- the work itself


def test_session_and_dosage_are_defined_and_used(draft: Any) -> None:
    got = draft(IN_HOUSE)
    assert "“Session” means one scheduled meeting of a tutor" in got.mou
    assert "planned to last 45 minutes" in got.mou
    assert "the Program plans 3 Sessions a week for 20 weeks" in got.mou
    assert "a Dosage of at least three Sessions a week" in got.mou
    assert "grouping, content or Dosage" in got.mou


def test_vendor_tutors_qualifications_bind_the_district(draft: Any) -> None:
    got = draft(VENDOR)
    assert "The District will write into its contract with the Vendor the qualifications" in (
        got.mou
    )
    assert "The District will require the Vendor, in its contract with the Vendor, to train" in (
        got.mou
    )
    assert "The Vendor trains its tutors" not in got.mou
    assert "write into its contract with the Vendor" not in draft(IN_HOUSE).mou


def test_progress_monitoring_is_paid_and_kept_out_of_evaluation(draft: Any) -> None:
    got = draft(IN_HOUSE)
    assert "arranges for tutors to give and score them within paid tutoring time" in got.mou
    assert "used to change the student’s grouping, content or Dosage" in got.mou
    assert "they are not used to evaluate, rate or discipline any Member" in got.mou


# ---------------------------------------------------------------- impact questions


def test_questions_follow_the_facts(draft: Any) -> None:
    early = draft(IN_HOUSE)  # grades K to 5, ESPs tutor, in person, evaluations without scores
    assert "The Program serves students in kindergarten to grade 2" in early.questions
    assert "Teacher evaluations here use student test scores" not in early.questions
    assert "Will ESPs be asked to give added in-school or technical support" in early.questions
    later = draft(
        IN_HOUSE,
        program={"grades": ["3", "4", "5"], "evaluation_uses_test_scores": None},
        tutors={"esps": False},
        pay={"esp_hourly_rate": None},
    )
    assert "kindergarten to grade 2" not in later.questions
    assert "Teacher evaluations here use student test scores" not in later.questions
    assert "Do teachers’ evaluations here use student test scores" in later.questions
    support = "Will ESPs be asked to give added in-school or technical support"
    quiet = {"needs_space": False, "delivery": "in_person"}
    assert support in draft(IN_HOUSE, program=quiet).questions  # only because ESPs tutor
    assert support not in draft(IN_HOUSE, program=quiet, tutors={"esps": False}).questions
    scores = draft(VENDOR)  # evaluations use scores
    assert "Teacher evaluations here use student test scores" in scores.questions


# ---------------------------------------------------------------- every form reads right

FULL: dict[str, Any] = {
    "program": {
        "schedule": ["school_day", "after_school"],
        "during_school_day": True,
        "delivery": "hybrid",
        "sessions_recorded": True,
        "members_supervise_virtual": True,
        "uses_software_tutor": True,
    },
    "tutors": {
        "unit_teachers": True,
        "esps": True,
        "retirees": True,
        "student_teachers": True,
        "paid_student_tutors": True,
        "retiree_pension_system": "a named system",
    },
    "pay": {
        "extra_duty_hourly_rate": 35,
        "training_hourly_rate": 45,
        "esp_tutoring_hourly_rate": 25,
        "student_teacher_hourly_rate": 20,
        "lead_tutor_hourly_rate": 55,
    },
    "terms": {"planning_hours_cap": 2},
}


@pytest.mark.parametrize(
    ("state", "status", "form"),
    [
        ("OH", "cba", "bargained_mou"),
        ("OH", "meet_and_confer", "meet_and_confer"),
        ("NC", "none", "board_proposal"),
        ("CA", "none", "collaboration"),
    ],
)
def test_the_new_terms_read_right_in_every_form(
    state: str, status: str, form: str, tmp_path: Path
) -> None:
    data = copy.deepcopy(VENDOR)
    data["district"]["state"] = state
    data["bargaining"]["status"] = status
    if status == "none":
        data["bargaining"].pop("contract_article", None)
    got = answers(data, **FULL)
    text = all_documents_text(render_all(got, tmp_path))
    for word in FORBIDDEN[form]:
        assert word not in text, f"{form} says {word!r}"
    assert "supervising counts as assigned duty time" in text
    assert "the training rate" in text


def test_a_program_short_of_the_standards_is_given_a_date_to_meet_them(draft: Any) -> None:
    short = draft(IN_HOUSE, program={"sessions_per_week": 2, "max_group_size": 6})
    assert "at least three Sessions a week (the Program now plans 2)" in short.mou
    assert "groups of no more than four students (the Program now plans groups of up to 6)" in (
        short.mou
    )
    assert "the District, after hearing the Committee’s recommendation, will set in writing" in (
        short.mou
    )
    assert "falls short" not in draft(IN_HOUSE).mou


def test_a_running_program_reviews_its_selection_and_posts_the_positions_that_open(
    draft: Any,
) -> None:
    """Students already chosen and tutors already working: no promise about a time now past."""
    running = draft(IN_HOUSE, program={"started": True})
    assert "before selection begins" not in running.mou
    assert "review the students already chosen against the written criteria" in running.mou
    assert "Every tutoring position that opens, or is added, after signing" in running.mou
    assert "posted in the same way when it next falls open. A posting states the schools" in (
        running.mou
    )
    planned = draft(IN_HOUSE, program={"started": False})
    assert "shared with staff and families before selection begins" in planned.mou
    assert "before they are offered to anyone else, stating the schools" in planned.mou
    assert "already chosen" not in planned.mou


def test_tutoring_in_the_school_day_is_never_paid_twice_or_not_at_all(draft: Any) -> None:
    """An hour that replaces another duty is paid by salary; an hour added to a full load earns
    the Tutoring Rate; the cost estimate says it prices every hour as added work."""
    in_day = draft(IN_HOUSE, program={"during_school_day": True, "delivery": "hybrid"})
    assert "for all tutoring time outside their regular workday, and for tutoring during" in (
        in_day.mou
    )
    assert "no Member is paid twice for the same hour" in in_day.mou
    assert "Supervision that, with the Member’s written consent, takes the place" in in_day.mou
    assert "Time spent supervising counts as assigned duty time in the Member’s workday" not in (
        in_day.mou
    )
    after = draft(IN_HOUSE, program={"during_school_day": False, "schedule": ["after_school"]})
    assert "the “Tutoring Rate”) for all tutoring time, one flat rate" in after.mou
    assert "paid twice" not in after.mou


def test_the_vendor_rate_question_asks_what_reaches_its_tutors(draft: Any) -> None:
    """A vendor's price carries its overhead: the question asks for the tutors' share rather
    than setting the price beside a teacher's pay as if they were the same thing."""
    got = draft(VENDOR, program={"vendor_hourly_rate": 85}, pay={"certificated_hourly_rate": 52.4})
    assert "How much of that rate does" in got.questions
    assert "pay its tutors" in got.questions
