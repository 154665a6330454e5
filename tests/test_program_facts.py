"""The facts of schema v2 about the bargaining frame, the program's timeline, the vendor
contract, funding and the letters change the documents a reader gets.

Each test renders an example with one fact set one way and then the other, and reads the MOU,
the letter, the information request or the question list as the district's lawyer would.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import EXAMPLES, docx_text, run_cli
from test_forms import FORBIDDEN, all_documents_text
from tutorbargain.answers.reading import Answers, answers_from_mapping
from tutorbargain.library.states import document_form, state_facts
from tutorbargain.render import render_answers

TODAY = dt.date(2026, 11, 23)
KINDS = ("mou-clean", "demand-letter", "information-request", "impact-questions-clean")


def answers(example: str, **sections: dict[str, Any]) -> Answers:
    """An example's answers, as schema version 2, with some sections' fields changed."""
    data = yaml.safe_load((EXAMPLES / f"{example}.yml").read_text(encoding="utf-8"))
    data["schema_version"] = 2
    if example == "riverside-inhouse-esps":  # Iowa bargains base wages only (Iowa Code 20.9):
        data["district"]["state"] = "MN"  # these tests need an in-house local that bargains
    for section, values in sections.items():
        data.setdefault(section, {}).update(values)
    return answers_from_mapping(data)


def documents(given: Answers, folder: Path) -> dict[str, str]:
    """The district's MOU, the letter, the request and the questions, as text."""
    result = render_answers(given, folder, kit=True, clean=True, today=TODAY)
    out = {}
    for path in result.paths:
        kind = next((k for k in KINDS if path.name.endswith(f"-{k}.docx")), None)
        if kind:
            out[kind] = docx_text(path)
    return out


def test_notice_of_program_changes_is_the_teams_number(tmp_path: Path) -> None:
    default = documents(answers("lakeview-vendor-virtual"), tmp_path / "default")["mou-clean"]
    assert "written notice at least 30 calendar days before any change to the Program" in default
    chosen = documents(
        answers("lakeview-vendor-virtual", terms={"notice_days": 45}), tmp_path / "45"
    )["mou-clean"]
    assert "written notice at least 45 calendar days before any change to the Program" in chosen
    assert "30 calendar days" not in chosen and "thirty (30) calendar days" not in chosen
    # Stated once: the vendor contract and a change of vendor point to that one period.
    assert chosen.count("45 calendar days") == 1
    assert "is a change to the Program under the notice terms of this" in chosen
    assert "sixty (60) days before it renews" not in chosen
    # The form without bargaining uses the same number.
    board = documents(answers("piedmont-no-bargaining", terms={"notice_days": 45}), tmp_path / "nc")
    assert "in writing at least 45 calendar days before any change" in board["mou-clean"]


def test_the_letter_says_when_and_how_the_union_learned(tmp_path: Path) -> None:
    told = answers(
        "lakeview-vendor-virtual",
        bargaining={"union_notified_on": "2026-08-15", "union_notified_how": "a board agenda"},
    )
    docs = documents(told, tmp_path / "told")
    assert (
        "The Union learned of the program through a board agenda on August 15, 2026."
        in (docs["demand-letter"])
    )
    assert "[DATE THE UNION LEARNED OF THE PROGRAM]" not in docs["demand-letter"]
    assert (
        "first learned of it through a board agenda on August 15, 2026"
        in (docs["information-request"])
    )
    assert "When and how was the Union told?" not in docs["impact-questions-clean"]
    blank = documents(answers("lakeview-vendor-virtual"), tmp_path / "blank")
    assert (
        "learned of the program on [DATE THE UNION LEARNED OF THE PROGRAM]."
        in (blank["demand-letter"])
    )
    assert "through a board agenda" not in blank["demand-letter"] + blank["information-request"]
    assert "When and how was the Union told?" in blank["impact-questions-clean"]


def test_the_mid_term_article_and_its_notice_come_from_the_answers(tmp_path: Path) -> None:
    article = {"midterm_article": "Article 3 (Mid-Term Bargaining)", "midterm_notice_days": 21}
    letter = documents(answers("lakeview-vendor-virtual", bargaining=article), tmp_path / "cba")[
        "demand-letter"
    ]
    assert "and Article 3 (Mid-Term Bargaining) of our collective bargaining agreement" in letter
    assert "That article requires 21 days’ notice to the Union before a change" in letter
    assert "[CONTRACT ARTICLE ON MID-TERM BARGAINING]" not in letter
    blank = documents(answers("lakeview-vendor-virtual"), tmp_path / "blank")["demand-letter"]
    assert "[CONTRACT ARTICLE ON MID-TERM BARGAINING] of our collective bargaining" in blank
    assert "That article requires" not in blank
    # Meeting and conferring has no contract article to cite.
    confer = documents(answers("cedar-valley-mixed-iep", bargaining=article), tmp_path / "confer")[
        "demand-letter"
    ]
    assert "Article 3" not in confer and "That article requires" not in confer


def test_a_program_already_running_is_named_in_the_letter_in_each_forms_words(
    tmp_path: Path,
) -> None:
    started = {"started": True, "start_date": "2026-09-08"}
    letter = documents(answers("lakeview-vendor-virtual", program=started), tmp_path / "oh")[
        "demand-letter"
    ]
    assert "is already running Lakeview Learning Boost" in letter
    assert "Tutoring began on September 8, 2026, without the District first bargaining" in letter
    assert "over the effects it has already had on the employees we represent." in letter
    assert "made whole" not in letter  # no Member works in the vendor's program: no back pay
    assert "not implement any further effect of the program" in letter
    assert "the employees we represent, before any further effect is implemented." in letter
    planned = documents(
        answers("lakeview-vendor-virtual", program={"started": False}), tmp_path / "planned"
    )["demand-letter"]
    assert "plans to offer Lakeview Learning Boost" in planned
    assert "Tutoring began" not in planned and "made whole" not in planned
    assert "before those effects are implemented." in planned
    # The status quo is kept from now on, without stopping the students' tutoring.
    inhouse = documents(answers("riverside-inhouse-esps", program=started), tmp_path / "ia")
    assert (
        "not ask the District to stop tutoring students while bargaining goes on"
        in (inhouse["demand-letter"])
    )
    assert "keep the status quo from now on" in inhouse["demand-letter"]
    assert (
        "made whole: paid, on the terms bargained, for all the program work"
        in (inhouse["demand-letter"])
    )
    assert (
        "and its effects now that it has begun, and not contract out" in (inhouse["demand-letter"])
    )
    assert "before it takes effect" not in inhouse["demand-letter"]
    confer = documents(answers("cedar-valley-mixed-iep", program=started), tmp_path / "mo")
    assert (
        "without the District first meeting and conferring with the Union over it"
        in (confer["demand-letter"])
    )
    assert "paid, on the terms reached" in confer["demand-letter"]
    board = documents(answers("piedmont-no-bargaining", program=started), tmp_path / "nc")
    letter_nc = board["demand-letter"]
    assert "without the District first meeting with the Union about it" in letter_nc
    assert "paid for every hour of that work not yet paid, at the rate in force" in letter_nc
    assert "made whole" not in letter_nc and "status quo" not in letter_nc.lower()


def test_back_pay_only_when_the_program_has_started_and_from_its_start(tmp_path: Path) -> None:
    started = documents(
        answers("riverside-inhouse-esps", program={"started": True, "start_date": "2026-09-08"}),
        tmp_path / "started",
    )
    mou = started["mou-clean"]
    assert "Work already done" in mou
    assert "The Program began on September 8, 2026. Every Member who tutored" in mou
    assert "what the Member was already paid for the same work counts toward" in mou
    # Nothing is promised "before the Program starts" once it has.
    assert "Within 30 days of signing, the District will name the senior leader" in mou
    assert "Before the Program starts, the District will name" not in mou
    request = started["information-request"]
    assert "Since tutoring has begun (the Union understands on September 8, 2026)" in request
    assert "the bids of other vendors" not in request  # no vendor in this program
    questions = started["impact-questions-clean"]
    assert "Riverside After-School Tutoring began on September 8, 2026." in questions
    for fact in (False, None):
        program = {"started": fact} if fact is not None else {}
        mou = documents(answers("riverside-inhouse-esps", program=program), tmp_path / str(fact))[
            "mou-clean"
        ]
        assert "Work already done" not in mou and "The Program began" not in mou
        assert "Before the Program starts, the District will name the senior leader" in mou


def test_the_information_period_is_the_teams_number(tmp_path: Path) -> None:
    docs = documents(
        answers("lakeview-vendor-virtual", terms={"information_days": 15}), tmp_path / "15"
    )
    assert "Please provide it within 15 working days" in docs["information-request"]
    assert "relevant to bargaining, within 15 working days" in docs["demand-letter"]
    assert "ten (10) working days, electronically" not in docs["information-request"]
    default = documents(answers("lakeview-vendor-virtual"), tmp_path / "default")
    assert "Please provide it within 10 working days" in default["information-request"]


def test_a_signed_vendor_contract_is_asked_for_as_signed(tmp_path: Path) -> None:
    signed = documents(
        answers(
            "lakeview-vendor-virtual",
            program={
                "vendor_contract_signed": True,
                "vendor_contract_date": "2026-07-01",
                "vendor_contract_ends": "2027-06-30",
            },
        ),
        tmp_path / "signed",
    )
    mou = signed["mou-clean"]
    assert (
        "The District signed its contract with BrightPath Tutoring, Inc. on July 1, 2026, "
        "for a term ending on June 30, 2027." in mou
    )
    assert "Within 10 working days of the signing of this Memorandum of Understanding" in mou
    assert "Renewing, extending or expanding that contract" in mou
    assert "before the District signs it" not in mou and "has not yet signed" not in mou
    request = signed["information-request"]
    assert "The contract the District signed with BrightPath Tutoring, Inc. on July 1, 2026" in (
        request
    )
    assert "after it ends on June 30, 2027" in request
    assert (
        "runs until June 30, 2027: does the District mean to renew it"
        in (signed["impact-questions-clean"])
    )

    unsigned = documents(
        answers("lakeview-vendor-virtual", program={"vendor_contract_signed": False}),
        tmp_path / "unsigned",
    )
    mou = unsigned["mou-clean"]
    assert "The District has not yet signed a contract with BrightPath Tutoring, Inc." in mou
    assert "Before it signs one, the District will give the Union a copy of the contract" in mou
    clause = next(line for line in mou.split("\n") if line.startswith("The vendor contract."))
    assert "The District signed its contract" not in clause and "June 30, 2027" not in clause
    request = unsigned["information-request"]
    assert "The contract the District proposes to sign with BrightPath Tutoring, Inc." in request
    assert "The contract the District signed" not in request


def test_student_records_given_to_the_vendor_bring_the_ferpa_items(tmp_path: Path) -> None:
    shared = documents(
        answers("lakeview-vendor-virtual", program={"student_data_to_vendor": True}),
        tmp_path / "shared",
    )
    assert (
        "the data-sharing agreement under which the Vendor receives students’ education"
        in (shared["mou-clean"])
    )
    request = shared["information-request"]
    assert "Student records given to the vendor." in request
    assert (
        "including the students’ records the District gives BrightPath Tutoring, Inc."
        in (shared["demand-letter"])
    )
    assert "school official with a legitimate educational interest (34 CFR 99.31(a)(1)(i)(B))" in (
        request
    )
    not_shared = documents(
        answers("lakeview-vendor-virtual", program={"student_data_to_vendor": False}),
        tmp_path / "not",
    )
    assert "99.31" not in not_shared["information-request"]
    assert "Student records given to the vendor" not in not_shared["information-request"]
    assert "under which the Vendor receives" not in not_shared["mou-clean"]
    assert "students’ records the District gives" not in not_shared["demand-letter"]


def test_tutoring_terms_follow_the_money(tmp_path: Path) -> None:
    docs = documents(
        answers(
            "lakeview-vendor-virtual",
            funding={"other_sources": ["general_fund"]},
            terms={"funding_notice_days": 75},
        ),
        tmp_path / "funded",
    )
    mou = docs["mou-clean"]
    # The terms follow the Program, not one pot of money, and end only with the MOU itself:
    # no sunset here that the Term clause contradicts.
    assert (
        "apply from the time the Program is funded, for as long as it runs during the term of "
        "this Memorandum of Understanding, whatever money pays for it" in mou
    )
    # The date the money is expected to last is stated once, in the funding clause.
    assert mou.count("to last until June 30, 2027") == 1
    assert "on the day the Program’s money is spent" not in mou
    assert "at least 75 days before the Program’s money runs out" in mou
    assert mou.count("75 days") == 1 and "ninety (90) days" not in mou
    assert "paid for with federal Title I funds, together with the District’s general fund" in mou
    assert "federal Title I funds, with the District’s general fund" in docs["information-request"]
    plain = documents(answers("lakeview-vendor-virtual"), tmp_path / "plain")["mou-clean"]
    assert "at least 60 days before the Program’s money runs out" in plain
    assert "general fund" not in plain


def test_federal_money_brings_time_and_effort_records(tmp_path: Path) -> None:
    federal = documents(
        answers("piedmont-no-bargaining", funding={"federal": True}), tmp_path / "f"
    )
    assert (
        "time-and-effort records that federal rules require (2 CFR 200.430(i))"
        in (federal["mou-clean"])
    )
    assert "The time-and-effort forms and written procedures" in federal["information-request"]
    state_only = documents(
        answers("piedmont-no-bargaining", funding={"federal": False}), tmp_path / "s"
    )
    assert "200.430" not in state_only["mou-clean"] + state_only["impact-questions-clean"]
    assert "time-and-effort" not in state_only["information-request"]


def test_the_mou_says_it_survives_the_contracts_expiry(tmp_path: Path) -> None:
    early = documents(
        answers("lakeview-vendor-virtual", bargaining={"contract_expires": "2027-03-31"}),
        tmp_path / "early",
    )["mou-clean"]
    assert "The Agreement expires on March 31, 2027, before this MOU ends" in early
    # It outlasts the contract to its own end date without binding the next one.
    assert (
        "this MOU stays in effect until its end date unless a successor agreement addresses "
        "tutoring first" in early
    )
    assert "carry into the successor" not in early
    late = documents(
        answers("lakeview-vendor-virtual", bargaining={"contract_expires": "2029-06-30"}),
        tmp_path / "late",
    )["mou-clean"]
    assert "successor agreement" not in late and "expires on" not in late
    # Only a bargained contract has a successor.
    confer = documents(
        answers("cedar-valley-mixed-iep", bargaining={"contract_expires": "2027-03-31"}),
        tmp_path / "confer",
    )["mou-clean"]
    assert "successor agreement" not in confer


def test_the_reopener_and_review_meetings_are_the_teams_number(tmp_path: Path) -> None:
    cba = documents(answers("lakeview-vendor-virtual", terms={"reopener_days": 21}), tmp_path / "a")
    assert "the parties will meet to bargain within 21 days of the notice" in cba["mou-clean"]
    assert "thirty (30) days’ written notice" not in cba["mou-clean"]
    collaboration = answers("minimal-early-draft", bargaining={"status": "none"})
    assert document_form(collaboration, state_facts("CA")) == "collaboration"
    mou = documents(
        answers("minimal-early-draft", bargaining={"status": "none"}, terms={"reopener_days": 21}),
        tmp_path / "b",
    )["mou-clean"]
    assert "meet through the Committee within 21 days of the request" in mou
    confer = documents(
        answers("cedar-valley-mixed-iep", terms={"reopener_days": 21}), tmp_path / "c"
    )["mou-clean"]
    assert "the parties will meet and confer within 21 days of the notice" in confer
    assert "meet to meet" not in confer


def test_esps_in_another_union_are_not_bound_and_sign_nothing(tmp_path: Path) -> None:
    other = documents(
        answers("riverside-inhouse-esps", bargaining={"esp_representation": "other_union"}),
        tmp_path / "other",
    )
    mou = other["mou-clean"]
    assert "The District’s ESPs are represented by another union, [ESP UNION NAME]" in mou
    assert "does not bind them or their union" in mou
    assert "The District will bargain with their own union over those terms" in mou
    assert "teachers and ESPs alike" not in mou
    signers = [line for line in mou.split("\n") if line.startswith("For ")]
    assert signers == [
        "For Riverside Education Association",
        "For Riverside Community School District",
    ]
    assert "classification of education support professionals" not in other["demand-letter"]

    same = documents(
        answers("riverside-inhouse-esps", bargaining={"esp_representation": "same_union"}),
        tmp_path / "same",
    )
    assert (
        "The Union signs for all the Members it represents, teachers and ESPs alike."
        in (same["mou-clean"])
    )
    assert "another union" not in same["mou-clean"]
    assert "classification of education support professionals" in same["demand-letter"]


ESP_MEMBER_WORDS = (
    "whether teacher or ESP",  # paid training
    "ESPs who give added technical support do so in added paid hours",  # technology support
    "ESPs may tutor on the same voluntary terms as other Members",
    "ESPs asked to give added in-school or technical support",
    "Grow Your Own pathway",
)
"""Terms the MOU sets for ESPs as Members: only where the Union represents them."""


@pytest.mark.parametrize("represented_by", ["other_union", "unrepresented"])
def test_esps_the_union_does_not_represent_get_no_member_terms(
    represented_by: str, tmp_path: Path
) -> None:
    # A hybrid program, so the technology-support clause is in as well as paid training.
    given = answers(
        "riverside-inhouse-esps",
        bargaining={"esp_representation": represented_by},
        program={"delivery": "hybrid"},
    )
    mou = documents(given, tmp_path)["mou-clean"]
    assert "Technology support" in mou and "Paid training for tutors" in mou
    for words in ESP_MEMBER_WORDS:
        assert words not in mou, words
    # Every sentence naming ESPs and Members sets them apart.
    apart = ("are not Members", "none of its promises to Members extends to them")
    sentences = [s for line in mou.split("\n") for s in line.split(". ")]
    for sentence in sentences:
        if "ESP" in sentence and "Member" in sentence:
            assert any(words in sentence for words in apart), sentence
    if represented_by == "unrepresented":
        assert (
            "The District’s ESPs are not represented by the Union or by any other union, and "
            "they are not Members." in mou
        )
        assert "another union" not in mou
    else:
        assert "The District’s ESPs are represented by another union" in mou
        assert "not represented by the Union or by any other" not in mou


@pytest.mark.parametrize("represented_by", ["other_union", "unrepresented"])
def test_custodians_the_union_does_not_represent_get_no_terms_from_it(
    represented_by: str, tmp_path: Path
) -> None:
    """Custodians in another union (or in none) are not the Union's to pay: the MOU keeps the
    program's building work off Members instead, and the letter, questions and request ask
    nothing about the custodians' pay."""
    given = answers(
        "riverside-inhouse-esps",
        bargaining={"esp_representation": represented_by},
        program={"needs_space": True, "delivery": "in_person"},
    )
    got = documents(given, tmp_path)
    mou = got["mou-clean"]
    assert "Custodial and building work added by the Program" in mou
    assert "is not assigned to Members" in mou
    assert "assigned to custodial staff as added paid hours" not in mou
    assert "added custodial work" not in got["demand-letter"]
    assert "will they be paid for them" not in got["impact-questions-clean"]
    assert "Will ESPs be asked to give added" not in got["impact-questions-clean"]
    assert "whether ESP work is added" not in got["information-request"]
    same = answers(
        "riverside-inhouse-esps",
        bargaining={"esp_representation": "same_union"},
        program={"needs_space": True, "delivery": "in_person"},
    )
    theirs = documents(same, tmp_path / "same")
    assert "assigned to custodial staff as added paid hours" in theirs["mou-clean"]
    assert "added custodial work" in theirs["demand-letter"]


def test_esps_the_union_represents_keep_their_terms(tmp_path: Path) -> None:
    for represented_by in ("same_union", None):  # unanswered: read as the Union's own
        given = answers(
            "riverside-inhouse-esps",
            bargaining={"esp_representation": represented_by},
            program={"delivery": "hybrid"},
        )
        mou = documents(given, tmp_path / str(represented_by))["mou-clean"]
        for words in ESP_MEMBER_WORDS:
            assert words in mou, (represented_by, words)
        assert "are not Members" not in mou


ABBREVIATIONS = {
    "ESP": "“ESP” means an education support professional",
    "ESSER": "“ESSER” means the federal Elementary and Secondary School Emergency Relief funds",
    "IEP": "“IEP” means a student’s individualized education program",
    "MOU": "“MOU” means a memorandum of understanding",
}
"""What a list or letter without a definitions clause must say before using each one."""


@pytest.mark.parametrize("example", sorted(p.stem for p in EXAMPLES.glob("*.yml")))
def test_lists_and_letters_define_each_abbreviation_they_use(example: str, tmp_path: Path) -> None:
    given = answers(example)
    result = render_answers(given, tmp_path, kit=True, clean=True, today=TODAY)
    texts = {
        p.name: docx_text(p) for p in result.paths if p.suffix == ".docx" and "-mou" not in p.name
    }
    assert len(texts) == 4  # both question lists, the letter and the request
    for name, text in texts.items():
        lines = text.split("\n")
        for short, definition in ABBREVIATIONS.items():
            defined = [i for i, line in enumerate(lines) if line.startswith(definition)]
            used = [
                i
                for i, line in enumerate(lines)
                if i not in defined and re.search(rf"\b{short}s?\b", line)
            ]
            if used:  # defined once, before its first use
                assert len(defined) == 1 and defined[0] < used[0], (name, short)
            else:  # and never where it is not used
                assert not defined, (name, short)
    # The bundled examples between them use each of ESP, ESSER and IEP somewhere.
    if example == "cedar-valley-mixed-iep":
        questions = texts[next(n for n in texts if n.endswith("-impact-questions-clean.docx"))]
        assert "In this list:" in questions
        for short in ("ESP", "ESSER", "IEP"):
            assert ABBREVIATIONS[short] in questions
        request = texts[next(n for n in texts if n.endswith("-information-request.docx"))]
        assert "In this request:" in request and ABBREVIATIONS["IEP"] in request
    letter = texts[next(n for n in texts if n.endswith("-demand-letter.docx"))]
    assert "In this letter" not in letter and not re.search(r"\bIEPs?\b", letter)


ACT_20 = "(Wis. Stat. 118.016, as amended by 2023 Wisconsin Act 20)"
TOO_YOUNG = "For students in kindergarten through grade 2, who are too young for standardized"


def test_wisconsin_early_reading_follows_its_law_and_settles_only_the_effects(
    tmp_path: Path,
) -> None:
    wisconsin = documents(answers("riverside-inhouse-esps", district={"state": "WI"}), tmp_path)
    mou = wisconsin["mou-clean"]
    assert ACT_20 in mou
    assert "This Resolution does not change the screening, the assessments or the plans" in mou
    # Only the effects on Members' work: time, training and pay.
    for effect in (
        "is done in the Member’s workday or, outside it, paid at the Tutoring Rate",
        "training a Member needs to do that work for the Program is given in paid time",
        "no Member’s pay or evaluation depends on the screening results",
    ):
        assert effect in mou, effect
    # No measures of its own for the readers the law screens, and no promise the law may not
    # keep about a family declining a reading plan's help.
    assert TOO_YOUNG not in mou
    assert "Wisconsin law, not this Resolution, governs reading help given under" in mou
    questions = wisconsin["impact-questions-clean"]
    assert "personal reading plans from four-year-old kindergarten through grade 3" in questions
    assert "who are too young for standardized tests" not in questions

    minnesota = documents(answers("riverside-inhouse-esps"), tmp_path / "mn")
    assert TOO_YOUNG in minnesota["mou-clean"]
    for text in (minnesota["mou-clean"], minnesota["impact-questions-clean"]):
        assert "Wisconsin" not in text and "reading plan" not in text
    # A Wisconsin program past grade 3 is not screened under that law.
    older = documents(
        answers("riverside-inhouse-esps", district={"state": "WI"}, program={"grades": [4, 5]}),
        tmp_path / "older",
    )
    assert ACT_20 not in older["mou-clean"] and "reading plan" not in older["mou-clean"]


PERA = (
    "That plan is developed through the joint committee of the District and its teachers "
    "required by the Performance Evaluation Reform Act, 105 ILCS 5/24A-4 (the “PERA joint "
    "committee”)."
)


def test_illinois_evaluations_use_tutoring_only_as_the_pera_joint_committees_plan_allows(
    tmp_path: Path,
) -> None:
    illinois = documents(answers("lakeview-vendor-virtual", district={"state": "IL"}), tmp_path)
    mou = illinois["mou-clean"]
    assert PERA in mou
    assert (
        "will not be used in evaluating any Member or in any decision about a Member’s pay or "
        "employment, except that, for a Member evaluated as a teacher, the District’s teacher "
        "evaluation plan may use them as far as it expressly allows." in mou
    )
    assert (
        "bring tutoring duties or tutoring data into its evaluation plan only through the "
        "PERA joint committee" in mou
    )
    # The test-score clause sends the question to that committee, not to the tutoring one.
    assert "take to the PERA joint committee how to apply it" in mou
    assert "the Committee will recommend how to apply it" not in mou
    assert (
        "Performance Evaluation Reform Act (105 ILCS 5/24A-4)" in illinois["impact-questions-clean"]
    )

    ohio = documents(answers("lakeview-vendor-virtual"), tmp_path / "oh")
    for text in (ohio["mou-clean"], ohio["impact-questions-clean"]):
        assert "PERA" not in text and "Performance Evaluation Reform Act" not in text
    assert (
        "will not be used in evaluating any Member or in any decision about a Member’s pay or "
        "employment. No tutor will report" in ohio["mou-clean"]
    )
    assert "the Committee will recommend how to apply it" in ohio["mou-clean"]


def test_questions_follow_the_facts(tmp_path: Path) -> None:
    esser = documents(answers("cedar-valley-mixed-iep"), tmp_path / "esser")
    questions = esser["impact-questions-clean"]
    assert (
        "that deadline has passed, yet the District expects the money to last until May 31, "
        "2027" in questions
    )
    # The MOU does not print as fact that ESSER money pays for the Program until 2027.
    mou = esser["mou-clean"]
    assert "can no longer be committed to new costs, so the District will name the funds" in mou
    assert "paid for with federal ESSER" not in mou
    # Meeting and conferring without a contract: no question about contract articles.
    assert "Which articles of our agreement" not in questions
    cba = documents(answers("lakeview-vendor-virtual"), tmp_path / "cba")
    assert "Which articles of our agreement" in cba["impact-questions-clean"]
    assert "ESSER" not in cba["impact-questions-clean"]
    stale = documents(answers("piedmont-no-bargaining", funding={"ends": "2025-06-30"}), tmp_path)
    assert "That date is before the 2026-27 school year begins" in stale["impact-questions-clean"]
    # A past end date is not made the end of the tutoring terms.
    assert "end on June 30, 2025" not in stale["mou-clean"]


EVERY_FACT: dict[str, dict[str, Any]] = {
    "bargaining": {
        "union_notified_on": "2026-08-15",
        "union_notified_how": "a board agenda",
        "esp_representation": "other_union",
    },
    "program": {
        "started": True,
        "start_date": "2026-09-08",
        "vendor_contract_signed": True,
        "vendor_contract_date": "2026-07-01",
        "vendor_contract_ends": "2027-06-30",
        "student_data_to_vendor": True,
    },
    "funding": {"federal": True, "other_sources": ["general_fund"]},
    "tutors": {"unit_teachers": True, "esps": True},
}
CONTRACT_FACTS = {
    "contract_expires": "2027-03-31",
    "midterm_article": "Article 3",
    "midterm_notice_days": 30,
}


@pytest.mark.parametrize(
    ("state", "status"), [("OH", "cba"), ("AZ", "meet_and_confer"), ("NC", "none"), ("CA", "none")]
)
def test_every_fact_reads_right_in_each_form(state: str, status: str, tmp_path: Path) -> None:
    sections = {section: dict(values) for section, values in EVERY_FACT.items()}
    sections["district"] = {"state": state}
    sections["bargaining"]["status"] = status
    if status != "none":
        sections["bargaining"].update(CONTRACT_FACTS)
    given = answers("minimal-early-draft", **sections)
    form = document_form(given, state_facts(state))
    files = render_answers(given, tmp_path, kit=True, clean=True, today=TODAY)
    text = all_documents_text({p.name: p for p in files.paths})
    for word in FORBIDDEN[form]:
        assert word not in text, (form, word)
    assert "september 8, 2026" in text and "2 cfr 200.430(i)" in text


def test_an_in_house_program_keeps_its_work_until_notice_and_bargaining(tmp_path: Path) -> None:
    mou = documents(
        answers("riverside-inhouse-esps", bargaining={"tutors_already_negotiated": False}),
        tmp_path / "in-house",
    )["mou-clean"]
    assert "will bargain over the decision and its effects on request" in mou
    # No flat ban beside the promise to bargain: the work waits for notice and bargaining.
    assert (
        "No tutoring work that Members do under this Memorandum of Understanding will be given to "
        "a provider before that notice has been given and that bargaining is complete" in mou
    )
    assert "will not be contracted out during its term" not in mou


def test_committee_and_schedule_deadlines_are_the_teams_numbers(tmp_path: Path) -> None:
    chosen = documents(
        answers(
            "riverside-inhouse-esps",
            terms={"committee_days": 21, "answer_days": 7, "schedule_notice_days": 5},
        ),
        tmp_path / "chosen",
    )["mou-clean"]
    assert "Within 21 days of signing, the parties will form a joint labor-management" in chosen
    assert "who answer in writing within 7 working days" in chosen
    assert "at least 5 working days before sessions start" in chosen
    default = documents(answers("riverside-inhouse-esps"), tmp_path / "default")["mou-clean"]
    assert "Within 30 days of signing, the parties will form" in default
    assert "who answer in writing within 15 working days" in default
    assert (
        "fifteen (15)" not in default and "thirty (30) days of signing, the parties" not in default
    )


def test_the_purpose_speaks_of_the_school_day_only_for_a_school_day_program(
    tmp_path: Path,
) -> None:
    after_school = documents(answers("riverside-inhouse-esps"), tmp_path / "after")["mou-clean"]
    assert "substantial time each week, a steady relationship" in after_school
    assert "during the school day, a steady relationship" not in after_school
    school_day = documents(answers("lakeview-vendor-virtual"), tmp_path / "day")["mou-clean"]
    assert "substantial time each week during the school day, a steady relationship" in school_day


def test_a_start_date_that_has_passed_on_a_planned_program_is_warned(tmp_path: Path) -> None:
    data = yaml.safe_load((EXAMPLES / "lakeview-vendor-virtual.yml").read_text(encoding="utf-8"))
    data["schema_version"] = 2
    data["program"].update({"started": False, "start_date": "2026-01-05"})
    data.setdefault("funding", {})["ends"] = "2026-02-01"
    path = tmp_path / "answers.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    run = run_cli(["render", str(path), "-o", str(tmp_path / "out")])
    assert run.code == 0, run.err
    assert "Warning: program.start_date is January 5, 2026, which has passed" in run.err
    assert "answer started: yes" in run.err
    assert "Warning: funding.ends is February 1, 2026, which has passed" in run.err
    data["program"]["start_date"] = "2099-01-05"
    data["funding"]["ends"] = "2099-06-30"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    later = run_cli(["render", str(path), "-o", str(tmp_path / "out2")])
    assert later.code == 0 and "which has passed" not in later.err


CHOSEN_PERIODS = {
    "delivery_days": 17,
    "response_days": 7,
    "reply_days": 3,
    "hours_per_prep_hour": 2,
    "cancel_notice_hours": 12,
    "pathway_days": 45,
    "reopener_days": 21,
}


def test_deadlines_and_the_preparation_ratio_are_the_teams_numbers(tmp_path: Path) -> None:
    started = {"started": True, "start_date": "2026-09-08"}
    chosen = documents(
        answers("riverside-inhouse-esps", program=started, terms=CHOSEN_PERIODS),
        tmp_path / "chosen",
    )
    mou = chosen["mou-clean"]
    assert "Within 17 days of signing, the District will name the senior leader" in mou
    assert "suitable space for tutoring at each school within 17 days of signing" in mou
    assert "Within 17 days of signing and each term after, the District will give" in mou
    assert "Within 17 days of signing, and before any new tutor starts" in mou
    assert "at the rates in this Memorandum of Understanding, within 17 days of signing" in mou
    assert "Within 45 days of signing, the Committee will propose how ESPs" in mou
    assert "the Committee, which has 7 working days to settle it" in mou
    assert "cancelled with less than 12 hours' notice" in mou
    assert "For every 2 hours of tutoring, a Member who tutors is paid one (1) hour" in mou
    assert "the parties will meet within 21 days to replace the invalid part" in mou
    letter = chosen["demand-letter"]
    assert "within 3 working days to set dates" in letter
    assert "propose to meet within 7 working days of this letter" in letter

    default = documents(answers("riverside-inhouse-esps", program=started), tmp_path / "default")[
        "mou-clean"
    ]
    assert "Within 30 days of signing, the District will name the senior leader" in default
    assert "at each school within 30 days of signing" in default
    assert "which has 10 working days to settle it" in default
    assert "cancelled with less than 24 hours' notice" in default
    assert "For every 3 hours of tutoring" in default
    assert "Within 60 days of signing, the Committee will propose" in default
    for fixed in ("thirty (30)", "ten (10)", "sixty (60)", "twenty-four (24)", "three (3)"):
        assert fixed not in default, fixed


def test_one_hour_and_the_other_dispute_paths_read_right(tmp_path: Path) -> None:
    one = documents(
        answers(
            "riverside-inhouse-esps", terms={"hours_per_prep_hour": 1, "cancel_notice_hours": 1}
        ),
        tmp_path / "one",
    )["mou-clean"]
    assert "For every 1 hour of tutoring, a Member" in one
    assert "cancelled with less than 1 hour's notice" in one
    confer = documents(
        answers(
            "riverside-inhouse-esps",
            bargaining={"status": "meet_and_confer"},
            terms={"response_days": 7},
        ),
        tmp_path / "confer",
    )["mou-clean"]
    assert "If it is not settled within 7 working days, the parties will meet and confer" in confer
    assert "twenty (20) working days" not in confer
    board = documents(
        answers("piedmont-no-bargaining", terms={"response_days": 7}), tmp_path / "nc"
    )["mou-clean"]
    assert "the Superintendent and the Union President meet on it within 7 working days" in board


def test_render_lists_the_new_periods_it_printed_at_their_defaults(tmp_path: Path) -> None:
    data = yaml.safe_load((EXAMPLES / "riverside-inhouse-esps.yml").read_text(encoding="utf-8"))
    data["schema_version"] = 2
    data["program"]["started"] = True  # a running program: the deliverables have a due date
    path = tmp_path / "answers.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    run = run_cli(["render", str(path), "-o", str(tmp_path / "out"), "--kit"])
    assert run.code == 0, run.err
    for line in (
        "  terms.delivery_days: 30 (the union's opening number",
        "  terms.response_days: 10 (the union's opening number",
        "  terms.reply_days: 5 (the union's opening number",
        "  terms.cancel_notice_hours: 24 (the union's opening number",
        "  terms.pathway_days: 60 (the union's opening number",
        "  terms.hours_per_prep_hour: 3 (Sioux City Community School District",
    ):
        assert line in run.out, line
