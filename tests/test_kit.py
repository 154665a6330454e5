"""The bargaining kit: the local's posture, the demand letter, the information request, costs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import EXAMPLES, docx_text
from tutorbargain.answers.reading import answers_from_mapping, load_answers
from tutorbargain.compose.costing import estimate
from tutorbargain.library.loading import load_library
from tutorbargain.library.selection import select
from tutorbargain.render import render_answers

TODAY = dt.date(2026, 11, 23)


def _kit(answers_path: Path, tmp_path: Path) -> tuple[str, str, str]:
    result = render_answers(load_answers(answers_path), tmp_path, kit=True, today=TODAY)
    by_end = {p.name.rsplit("-", 2)[-2] + "-" + p.name.rsplit("-", 2)[-1]: p for p in result.paths}
    letter = docx_text(by_end["demand-letter.docx"])
    request = docx_text(by_end["information-request.docx"])
    questions = docx_text(by_end["impact-questions.docx"])
    return letter, request, questions


def test_vendor_program_letter_demands_effects_bargaining(tmp_path: Path) -> None:
    letter, request, questions = _kit(EXAMPLES / "lakeview-vendor-virtual.yml", tmp_path)
    assert "Re: Demand to bargain over the effects of Lakeview Learning Boost" in letter
    assert "Dear Dr. Bell:" in letter  # title and surname, never the first name
    assert "must bargain with the Union over that decision’s effects" in letter
    # A union letter concedes no legal point: it neither grants nor claims the decision.
    assert "Whatever the District’s duty as to the decision to use an outside provider" in letter
    assert "may be the District’s to make" not in letter
    # Effects only: no halt to the decision, no status quo on the program itself.
    assert "does not ask the District to halt its decision" in letter
    # Ohio's impasse rule is not in the state table: the letter claims none of its own.
    assert (
        "until the parties have completed bargaining over those effects as Ohio law requires"
        in (letter)
    )
    assert "keep the status quo" not in letter and "reach agreement" not in letter
    assert "[DATE THE UNION LEARNED OF THE PROGRAM]" in letter
    assert "[CONTRACT ARTICLE ON MID-TERM BARGAINING]" in letter
    assert "the pension protection of retired educators who tutor" in letter
    assert "technology support, recording of sessions" in letter
    assert "education support professionals" not in letter  # ESPs do not tutor here
    assert "[DATE SENT]" in letter and "[PROPOSED DATES]" in letter
    assert "Attachment: Request for information" in letter
    # The information request: items chosen by the same rules as clauses.
    assert "The vendor contract and costs." in request
    assert "BrightPath Tutoring, Inc." in request
    assert "Technology and platform." in request and "Retirees." in request
    assert "Tutor selection." not in request  # no district employees tutor
    assert "IEP alignment." not in request
    assert "duty to furnish, on request, information the Union needs to bargain" in request
    assert "the bids of other vendors" in request  # relevance shown for non-unit data
    assert "Why the Union needs it" in request
    # The question list opens with the posture and its source.
    assert questions.index("Effects bargaining over an outsourced program") < questions.index(
        "Parties and Purpose"
    )
    assert "duty to bargain over any impacts or effects" in questions


def test_negotiated_terms_letter_refuses_contracting_out(tmp_path: Path) -> None:
    letter, request, _ = _kit(EXAMPLES / "cedar-valley-mixed-iep.yml", tmp_path)
    assert "Re: Demand to meet and confer over Cedar Valley Accelerate" in letter
    # Impasse is bargaining's word; a meet-and-confer letter does not claim a statute either.
    assert "Until meeting and conferring is complete, the Union demands" in letter
    assert "impasse" not in letter
    assert (
        "The District meets and confers with the Union under [THE LAW, BOARD RESOLUTION OR "
        "POLICY UNDER WHICH THE DISTRICT MEETS AND CONFERS]" in letter
    )
    assert "collective bargaining agreement" not in letter
    assert "To meet and confer in good faith" in request and "duty to bargain" not in request
    assert "cannot contract out tutoring work on its own" in letter
    assert "not contract out tutoring work that the parties have already negotiated" in letter
    assert "added work to align tutoring with students’ individualized education programs" in letter
    assert "IEP alignment." in request and "Tutor selection." in request


def test_no_bargaining_letter_asks_to_collaborate(tmp_path: Path) -> None:
    letter, request, _ = _kit(EXAMPLES / "piedmont-no-bargaining.yml", tmp_path)
    assert "Re: Request to meet and collaborate on Piedmont Reads and Counts" in letter
    assert "The Union asks the District to meet with us before the program starts" in letter
    assert "joint labor-management committee" in letter
    assert "as a proposed resolution for the Board to consider and adopt" in letter  # NC
    for word in ("demand", "unfair labor practice", "grievance", "status quo", "agree, in writing"):
        assert word not in letter.lower(), word
    assert request.startswith("Public Records Request")
    assert "Why the Union needs it" not in request  # a records request needs no reasons
    assert "Dear Superintendent:" in letter  # no superintendent named


def test_in_house_program_is_mandatory_bargaining(tmp_path: Path) -> None:
    answers = answers_from_mapping(
        {
            "local": {"name": "Elm Park Teachers Union"},
            "district": {"name": "Elm Park Schools", "state": "IL"},
            "school_year": "2026-27",
            "bargaining": {"status": "cba", "tutors_already_negotiated": False},
            "program": {"provider": "in_house", "delivery": "in_person"},
            "tutors": {"unit_teachers": True},
        }
    )
    library = load_library()
    selection = select(library, answers)
    assert selection.posture.id == "mandatory"
    result = render_answers(answers, tmp_path, kit=True, today=TODAY)
    letter = docx_text(next(p for p in result.paths if p.name.endswith("demand-letter.docx")))
    assert "Tutoring by District employees is added work for added pay" in letter
    assert "bargain with the Union over the terms of tutoring work" in letter


@pytest.mark.parametrize(
    ("example", "posture"),
    [
        ("lakeview-vendor-virtual.yml", "effects"),
        ("riverside-inhouse-esps.yml", "base-wages"),  # Iowa Code 20.9: base wages only
        ("piedmont-no-bargaining.yml", "collaboration"),
        ("cedar-valley-mixed-iep.yml", "no-contracting-out"),
    ],
)
def test_postures_follow_the_guide(example: str, posture: str) -> None:
    assert select(load_library(), load_answers(EXAMPLES / example)).posture.id == posture


def test_vendor_costs_add_up() -> None:
    costs = estimate(load_answers(EXAMPLES / "lakeview-vendor-virtual.yml"))
    assert costs is not None
    # 420 students / 3 = 140 groups; 140 x 3 sessions x 30 min x 24 weeks = 5,040 hours.
    assert costs.tutoring_hours == 5040
    assert [(line.item, line.amount) for line in costs.lines] == [("Vendor tutoring", 315000)]
    assert costs.total == 315000 and costs.per_student == 750
    comparisons = {line.item: line.amount for line in costs.comparisons}
    assert comparisons["The same hours tutored by unit members"] == 226800  # 5,040 x $45
    gap = comparisons["Vendor rate against the certificated hourly rate (more per hour)"]
    assert gap == Decimal("20.70")
    assert all(not line.in_total for line in costs.comparisons)


def test_no_cost_appendix_without_dosage() -> None:
    assert estimate(load_answers(EXAMPLES / "minimal-early-draft.yml")) is None
