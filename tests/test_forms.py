"""The legal form of the documents follows the state's law and the answered status.

A bargained MOU, a meet-and-confer memorandum, a proposal for the board to adopt where the
state voids agreements with a union, or a collaboration agreement; the letter and the
information request speak the same form's language, and the district's copies carry no trace
of the tool. The words each form must never use are kept here as data.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

from conftest import EXAMPLES, docx_parts, docx_text
from tutorbargain.answers.reading import Answers, answers_from_mapping
from tutorbargain.library.states import document_form, load_states, state_facts
from tutorbargain.render import render_answers
from tutorbargain.writers.markdown import write_markdown

TODAY = dt.date(2026, 11, 23)
STATES = tuple(load_states())
"""Every state of the bundled table (clauses/states.yml)."""
STATUSES = ("cba", "meet_and_confer", "none")

NO_CONTRACT = (
    "grievance",
    "arbitration",
    "ratif",
    "savings",
    "reopen",
    "retroactive",
    "precedent",
    "unfair labor practice",
    "unfair practice",
    "improper practice",
    "collective bargaining agreement",
    "status quo",
    "agree, in writing",
)
NO_BARGAINING_DOCTRINE = ("mandatory subject", "presumed relevant", "bargaining deadline")
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "bargained_mou": ("until the parties reach agreement",),
    "meet_and_confer": ("until the parties reach agreement", "ratif", "grievance procedure of"),
    "board_proposal": (*NO_CONTRACT, *NO_BARGAINING_DOCTRINE),
    "collaboration": (*NO_CONTRACT, *NO_BARGAINING_DOCTRINE),
}
"""Words (lower case) no document of the form may contain, in body, headers or footers."""
NO_FORUM = ("unfair labor practice", "unfair practice", "improper practice")
"""Where the state has no board to hear the charge, no document threatens one."""
TOOL_TRACES = ("tutorbargain", "legal advice", "generated")
"""What the district's copies and the letters never say, in any part of the file."""


def minimal(state: str, status: str, **sections: dict[str, Any]) -> Answers:
    data = yaml.safe_load((EXAMPLES / "minimal-early-draft.yml").read_text(encoding="utf-8"))
    data["schema_version"] = 2  # the same answers, and room for the newer facts
    data["district"]["state"] = state
    data["bargaining"]["status"] = status
    for section, values in sections.items():
        data.setdefault(section, {}).update(values)
    if data["program"]["provider"] == "in_house":
        data["program"].pop("vendor_name", None)
    return answers_from_mapping(data)


def render(answers: Answers, folder: Path, **options: Any) -> dict[str, Path]:
    """Every file of a full render (kit and clean copies), keyed by its kind."""
    result = render_answers(answers, folder, kit=True, clean=True, today=TODAY, **options)
    keys = ("mou-clean", "impact-questions-clean", "mou", "impact-questions", "demand-letter")
    out: dict[str, Path] = {}
    for path in result.paths:
        stem = path.name.removesuffix(path.suffix)
        kind = next((k for k in (*keys, "information-request") if stem.endswith(k)), stem)
        out[kind + ("-md" if path.suffix == ".md" else "")] = path
    return out


def every_part_text(path: Path) -> str:
    """The text of the body and of every header and footer, in lower case.

    (The file's properties are the Word writer's, checked in its own tests.)"""
    parts = docx_parts(path)
    chosen = [
        name for name in parts if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name)
    ]
    xml = " ".join(parts[name].decode("utf-8") for name in chosen)
    return re.sub(r"<[^>]+>", "", xml).lower()


def all_documents_text(files: dict[str, Path]) -> str:
    return "\n".join(
        every_part_text(p) if p.suffix == ".docx" else p.read_text(encoding="utf-8").lower()
        for p in files.values()
    )


PROGRAMS: dict[str, dict[str, Any]] = {
    "vendor": {},  # the minimal example as it is: a vendor's program, effects only
    "in_house": {"program": {"provider": "in_house"}, "tutors": {"unit_teachers": True}},
}


@pytest.mark.parametrize("program", PROGRAMS)
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("state", STATES)
def test_every_state_and_status_avoids_the_words_its_form_forbids(
    state: str, status: str, program: str, tmp_path: Path
) -> None:
    answers = minimal(state, status, **PROGRAMS[program])
    facts = state_facts(state)
    form = document_form(answers, facts)
    text = all_documents_text(render(answers, tmp_path))
    for word in FORBIDDEN[form]:
        assert word not in text, (state, status, form, word)
    if facts.labor_board is None:
        for word in NO_FORUM:
            assert word not in text, (state, status, word)
    else:  # a threat names the forum that would hear it, in the state's own words
        charge = facts.labor_board_charge or "unfair labor practice"
        for found in re.finditer(charge, text):
            assert facts.labor_board.lower() in text[found.end() : found.end() + 200], state
        if charge != "unfair labor practice":
            assert "unfair labor practice" not in text, (state, charge)


@pytest.mark.parametrize("state", ["NC", "TX", "GA"])
def test_void_agreement_states_get_a_board_proposal(state: str, tmp_path: Path) -> None:
    files = render(minimal(state, "none"), tmp_path)
    mou = docx_text(files["mou-clean"])
    assert mou.startswith("Proposed Board Resolution")
    assert "WHEREAS" in mou and "NOW, THEREFORE, BE IT RESOLVED that the Board" in mou
    assert "the Board may adopt it in whole or in part by its own act" in mou
    assert "Submitted by Harbor City Teachers Association" in mou
    assert "Action of the Board (for the Board’s records)" in mou
    assert "Vote: ______ in favor, ______ against" in mou and "Submission and Adoption" in mou
    assert "For Harbor City Unified School District" not in mou  # no second signing party
    assert "Memorandum of Understanding" not in mou and "Collaboration Agreement" not in mou
    # A resolution is the Board's own act: no "agreement", no "parties" agreeing to it.
    assert "This Resolution is District policy, adopted by the Board’s own vote" in mou
    assert "the District and the Union will form a joint labor-management committee" in mou
    assert "No precedent" not in mou  # a policy the Board may change binds no future Board
    assert "this agreement" not in mou.lower() and "the parties" not in mou.lower()
    with_esps = docx_text(
        render(minimal(state, "none", tutors={"esps": True}), tmp_path / "esps")["mou-clean"]
    )
    assert "The District will link the Program to a Grow Your Own pathway" in with_esps
    assert "the parties" not in with_esps.lower()
    letter = docx_text(files["demand-letter"])
    assert "Re: Request to meet and collaborate on" in letter
    assert "as a proposed resolution for the Board to consider and adopt" in letter
    request = docx_text(files["information-request"])
    assert request.startswith("Public Records Request")
    law = state_facts(state).public_records_law
    assert law and f"Under the {law}" in request and "Why the Union needs it" not in request
    # Every term the request uses is defined in it.
    assert "(the “Union”), which represents employees of the District (its “Members”)" in request
    assert "Tenn" not in all_documents_text(files)


VOID_STATUS_WORDS = ("binding", "both parties", "status quo", "must meet and confer", "demand")
"""What no district document of a state that voids agreements says, whatever status is
answered: no contract, no two signing parties, no demand to keep the status quo."""


@pytest.mark.parametrize("status", ["meet_and_confer", "cba"])
@pytest.mark.parametrize("state", ["TX", "NC"])
def test_void_agreement_states_get_the_resolution_whatever_the_status(
    state: str, status: str, tmp_path: Path
) -> None:
    answers = minimal(state, status, **PROGRAMS["in_house"])
    assert document_form(answers, state_facts(state)) == "board_proposal"
    files = render(answers, tmp_path / status)
    same = render(minimal(state, "none", **PROGRAMS["in_house"]), tmp_path / "none")
    for kind in ("mou-clean", "demand-letter", "information-request", "impact-questions-clean"):
        text = docx_text(files[kind])
        assert text == docx_text(same[kind]), (state, status, kind)  # the form status none gets
    for kind in ("mou-clean", "demand-letter"):
        for word in VOID_STATUS_WORDS:
            assert word not in docx_text(files[kind]).lower(), (state, status, kind, word)
    assert "must meet and confer" not in docx_text(files["impact-questions"]).lower()
    mou = docx_text(files["mou-clean"])
    assert mou.startswith("Proposed Board Resolution")
    assert "NOW, THEREFORE, BE IT RESOLVED that the Board" in mou
    assert "Memorandum of Understanding" not in mou
    assert "Re: Request to meet and collaborate on" in docx_text(files["demand-letter"])


def test_bargaining_state_without_bargaining_gets_a_collaboration_agreement(
    tmp_path: Path,
) -> None:
    assert document_form(minimal("CA", "none"), state_facts("CA")) == "collaboration"
    files = render(minimal("CA", "none"), tmp_path)
    mou = docx_text(files["mou-clean"])
    assert mou.startswith("Collaboration Agreement")
    assert "This Collaboration Agreement (this “agreement”) is made between" in mou
    assert "For Harbor City Unified School District" in mou  # both sign a collaboration
    assert "either party may ask in writing to review it" in mou
    assert "NOW, THEREFORE" not in mou and "Submitted by" not in mou
    request = docx_text(files["information-request"])
    assert request.startswith("Public Records Request")
    assert "Under the California Public Records Act" in request


def test_meet_and_confer_memorandum_speaks_its_own_words(tmp_path: Path) -> None:
    files = render(minimal("AZ", "meet_and_confer"), tmp_path)
    mou = docx_text(files["mou-clean"])
    assert (
        "reached by Harbor City Teachers Association and Harbor City Unified School District"
        in (mou)
    )
    assert "have met and conferred in good faith" in mou and "bargained" not in mou
    letter = docx_text(files["demand-letter"])
    assert "Re: Demand to meet and confer over the effects of" in letter
    assert "until meeting and conferring over those effects is complete" in letter
    request = docx_text(files["information-request"])
    assert "To meet and confer in good faith over" in request


def test_bargained_mou_and_effects_letter(tmp_path: Path) -> None:
    files = render(minimal("CA", "cba"), tmp_path)
    mou = docx_text(files["mou-clean"])
    assert mou.startswith("Memorandum of Understanding")
    assert "This Memorandum of Understanding (the “MOU”) is made between" in mou
    assert "ratified by the Union’s members" in mou and "binding arbitration" in mou
    letter = docx_text(files["demand-letter"])
    # A vendor program: bargain its effects before they are implemented, no halt demanded.
    assert "Re: Demand to bargain over the effects of" in letter
    assert "The Union does not ask the District to halt its decision" in letter
    assert (
        "until bargaining over those effects is complete, by agreement or by completing the "
        "impasse procedures of Cal. Gov. Code 3548-3548.3"
    ) in letter
    assert "arises under the Educational Employment Relations Act" in letter  # from the table
    # California's EERA names the charge "unfair practice" (Cal. Gov. Code 3541.5).
    assert "as an unfair practice before the Public Employment Relations Board" in letter
    assert "unfair labor practice" not in letter
    assert "[CONTRACT ARTICLE ON MID-TERM BARGAINING]" in letter
    assert "[DATE THE UNION LEARNED OF THE PROGRAM]" in letter
    request = docx_text(files["information-request"])
    assert "duty to furnish, on request, information the Union needs to bargain" in request
    assert "the bids of other vendors" in request and "Why the Union needs it" in request


def test_the_new_york_letter_names_the_taylor_laws_improper_practice(tmp_path: Path) -> None:
    letter = docx_text(render(minimal("NY", "cba"), tmp_path)["demand-letter"])
    assert "as an improper practice before the Public Employment Relations Board" in letter
    assert "unfair labor practice" not in letter and "unfair practice" not in letter


def _board_definition(mou: str) -> str:
    [line] = [line for line in mou.split("\n") if line.startswith("“Board” means")]
    return line


def test_the_board_is_defined_by_the_states_name_for_it_and_never_in_a_circle(
    tmp_path: Path,
) -> None:
    # In Florida the district is its school board: "The School Board of ... County, Florida"
    # (Fla. Stat. 1001.40), so "the District's board" would define the Board by itself.
    florida = minimal(
        "FL", "cba", district={"name": "The School Board of Manatee Shores County, Florida"}
    )
    mou = docx_text(render(florida, tmp_path / "fl")["mou-clean"])
    assert "The School Board of Manatee Shores County, Florida (the “District”)" in mou
    board = _board_definition(mou)
    assert (
        board == "“Board” means the members of the district school board acting together by vote."
    )
    assert "District" not in board and "board of education" not in mou
    california = docx_text(render(minimal("CA", "cba"), tmp_path / "ca")["mou-clean"])
    assert _board_definition(california) == "“Board” means the District’s governing board."
    # Texas: a resolution to the board of trustees (Tex. Educ. Code 11.051).
    texas = docx_text(render(minimal("TX", "none"), tmp_path / "tx")["mou-clean"])
    assert "to the District’s Board of Trustees (the “Board”) for adoption" in texas
    assert "BE IT RESOLVED that the Board of Trustees of Harbor City Unified School District" in (
        texas
    )
    ohio = docx_text(render(minimal("OH", "cba"), tmp_path / "oh")["mou-clean"])
    assert _board_definition(ohio) == "“Board” means the District’s board of education."


@pytest.mark.parametrize(
    ("state", "until"),
    [
        ("CA", "by completing the impasse procedures of Cal. Gov. Code 3548-3548.3"),
        ("FL", "by completing the impasse procedures of Fla. Stat. 447.403"),
        ("NY", "Until the parties have completed bargaining as New York law requires"),
        ("OH", "Until the parties have completed bargaining as Ohio law requires"),
    ],
)
def test_the_letter_says_when_the_district_may_act_as_the_states_law_does(
    state: str, until: str, tmp_path: Path
) -> None:
    """No public-sector letter borrows the private sector's "good-faith impasse"."""
    letter = docx_text(
        render(minimal(state, "cba", **PROGRAMS["in_house"]), tmp_path)["demand-letter"]
    )
    assert until in letter
    assert "impasse)" not in letter and "good-faith impasse" not in letter


FUTURE_OR_QUESTION = re.compile(
    r"as soon as|when it is signed|\bwill\b|\bplans? to\b|\bexpects?\b|meant to|\?|^How ",
    flags=re.I | re.M,
)
"""Wording that asks for a record still to be made, or asks a question: a records law (and a
request for information) reaches the records that exist; questions go in the question list."""


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("state", ["TX", "CA", "NY"])
def test_the_information_request_asks_only_for_records_that_exist(
    state: str, status: str, tmp_path: Path
) -> None:
    answers = minimal(
        state,
        status,
        program={
            "provider": "mixed",
            "vendor_contract_signed": False,
            "started": True,
            "start_date": "2026-09-08",
            "delivery": "hybrid",
            "serves_iep_students": True,
            "needs_space": True,
            "student_data_to_vendor": True,
        },
        tutors={"retirees": True, "esps": True, "unit_teachers": True},
        funding={"federal": True},
    )
    request = docx_text(render(answers, tmp_path)["information-request"])
    asked = "\n".join(
        line for line in request.split("\n") if not line.startswith("Why the Union needs it")
    )
    assert "Retirees." in asked and "vendor contract" in asked.lower()  # the items are there
    found = FUTURE_OR_QUESTION.findall(asked)
    assert not found, (state, status, found)
    assert "records as they exist when" in request or "as they exist when the District" in request


def test_district_copies_and_letters_carry_no_trace_of_the_tool(tmp_path: Path) -> None:
    files = render(minimal("CA", "cba"), tmp_path)
    for kind in ("mou-clean", "impact-questions-clean", "demand-letter", "information-request"):
        text = every_part_text(files[kind])
        for trace in TOOL_TRACES:
            assert trace not in text, (kind, trace)
    assert "union proposal, november 23, 2026, version 1" in every_part_text(files["mou-clean"])
    # The team's copy may say what it is.
    assert "not legal advice" in every_part_text(files["mou"])
    questions = docx_text(files["impact-questions"])
    clean_questions = docx_text(files["impact-questions-clean"])
    assert "Where the Union stands" in questions
    assert "Where the Union stands" not in clean_questions
    assert "may not have to bargain" not in clean_questions  # the legal point stays with the team
    markdown = files["impact-questions-md"].read_text(encoding="utf-8")
    assert "box" not in markdown and "District’s answer and date: ____" in markdown


def test_cost_estimate_is_the_teams_in_whole_dollars(tmp_path: Path) -> None:
    answers = answers_from_mapping(
        yaml.safe_load((EXAMPLES / "lakeview-vendor-virtual.yml").read_text(encoding="utf-8"))
    )
    files = render(answers, tmp_path)
    team, district = docx_text(files["mou"]), docx_text(files["mou-clean"])
    assert "The Team’s Cost Estimate" in team and "For the Union’s bargaining team only" in team
    assert "Cost Estimate" not in district and "$315,000" not in district
    # 140 groups x 3 sessions x 24 weeks x 30 minutes = 302,400 minutes = 5,040 hours.
    assert "140 groups × 3 sessions × 24 weeks × 30 minutes = 302,400 minutes" in team
    assert "5,040 hours × $62.50 an hour" in team and "$315,000" in team
    assert "$750\n" in team + "\n" and "$750.00" not in team  # per student, whole dollars
    assert "$20.70" in team  # a per-hour difference keeps its cents
    assert not re.search(r"\d x \d", team) and " min " not in team


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Dr. Marcus Bell", "Dear Dr. Bell:"),
        ("Marcus Bell, Ed.D.", "Dear Dr. Bell:"),
        ("Ana de la Cruz", "Dear Superintendent de la Cruz:"),
        ("Marcus Bell", "Dear Superintendent Bell:"),
    ],
)
def test_letter_salutation_uses_title_and_surname(name: str, expected: str, tmp_path: Path) -> None:
    answers = minimal("CA", "cba", district={"superintendent": name})
    letter = docx_text(render(answers, tmp_path)["demand-letter"])
    assert expected in letter and f"Dear {name}" not in letter


def test_letter_has_room_to_sign_and_a_letterhead_unless_one_is_given(tmp_path: Path) -> None:
    letter = docx_text(render(minimal("CA", "cba"), tmp_path / "plain")["demand-letter"])
    lines = letter.split("\n")
    assert lines[0] == "Harbor City Teachers Association"
    assert "[UNION MAILING ADDRESS]" in letter
    assert re.search(r"Sincerely,\n\n\n\n\[UNION PRESIDENT\]", letter), "room to sign"
    reference = tmp_path / "letterhead.docx"
    docx.Document().save(str(reference))
    headed = render(minimal("CA", "cba"), tmp_path / "headed", reference_docx=reference)
    text = docx_text(headed["demand-letter"])
    assert "[UNION MAILING ADDRESS]" not in text
    assert not text.startswith("Harbor City Teachers Association")


def test_headings_name_only_what_the_article_holds(tmp_path: Path) -> None:
    answers = minimal("CA", "cba", tutors={"retirees": True, "esps": False})
    mou = docx_text(render(answers, tmp_path)["mou"])
    assert "Education Support Professionals, Student Teachers and Retirees" not in mou
    assert re.search(r"^Retirees$", mou, flags=re.M), "the article holds only the retiree clause"


def test_markdown_question_list_offers_a_line_for_each_answer() -> None:
    from tutorbargain.compose.documents import compose
    from tutorbargain.library.loading import load_library
    from tutorbargain.library.selection import select

    library = load_library()
    answers = minimal("OH", "cba")
    doc = compose(answers, library, select(library, answers), today=TODAY).documents["questions"]
    markdown = write_markdown(doc)
    questions = len(re.findall(r"^\d+\. ", markdown, flags=re.M))
    assert questions and markdown.count("District’s answer and date: ____") == questions


def test_a_running_program_is_not_planned_and_an_affiliate_takes_its_article(
    tmp_path: Path,
) -> None:
    started = minimal(
        "NC",
        "none",
        program={"started": True, "start_date": "2026-09-08"},
        local={"affiliate": "North Carolina Association of Educators"},
    )
    files = render(started, tmp_path / "nc")
    mou = docx_text(files["mou-clean"])
    assert "WHEREAS the District began offering [PROGRAM NAME] on September 8, 2026" in mou
    assert "plans to offer" not in mou
    assert "an affiliate of the North Carolina Association of Educators" in mou
    assert "An affiliate of the North Carolina Association of Educators" in docx_text(
        files["demand-letter"]
    )
    named = minimal("CA", "cba", local={"affiliate": "The California Teachers Association"})
    mou = docx_text(render(named, tmp_path / "ca")["mou-clean"])
    assert "an affiliate of The California Teachers Association" in mou
    assert "the The" not in mou


def _started(state: str, status: str, **sections: dict[str, Any]) -> Answers:
    """The minimal example, already running, with District staff tutoring."""
    program = {"provider": "in_house", "started": True, "start_date": "2026-09-08"}
    return minimal(
        state,
        status,
        **{"tutors": {"unit_teachers": True}, **sections, "program": program},
    )


@pytest.mark.parametrize(("state", "status"), [("NC", "none"), ("CA", "none")])
def test_a_letter_asking_pay_for_work_done_comes_with_the_term_that_pays_it(
    state: str, status: str, tmp_path: Path
) -> None:
    files = render(_started(state, status), tmp_path)
    letter = docx_text(files["demand-letter"])
    document = docx_text(files["mou-clean"])
    assert "be paid for every hour of that work not yet paid, at the rate in force" in letter
    assert "Pay for hours already worked. The Program began on September 8, 2026." in document
    assert "for each hour actually worked and not yet paid, at the rate in force for that work" in (
        document
    )
    # Paying what was earned, never a raise for past service (which a resolution cannot give).
    assert "at the rates in this" not in document.split("Pay for hours already worked")[1]
    assert "on the terms we reach together" not in letter


def test_an_mou_letter_demands_back_pay_only_when_the_mou_pays_it(tmp_path: Path) -> None:
    files = render(_started("CA", "cba"), tmp_path / "staff")
    assert "be made whole: paid, on the terms bargained" in docx_text(files["demand-letter"])
    assert "Work already done. The Program began on September 8, 2026." in docx_text(
        files["mou-clean"]
    )
    # A vendor's program with no Member tutoring: the MOU has no back pay, so neither does
    # the letter, in any form.
    for status in STATUSES:
        answers = minimal("CA", status, program={"started": True}, tutors={"unit_teachers": False})
        files = render(answers, tmp_path / status)
        letter, document = docx_text(files["demand-letter"]), docx_text(files["mou-clean"])
        assert "Work already done" not in document and "hours already worked" not in document
        assert "made whole" not in letter and "paid for every hour" not in letter, status
        assert "begun" in letter or "already in effect" in letter  # the letter still knows


DEFINED = re.compile(r"“([^”]+)” means")
INLINE_DEFINED = re.compile(r"\((?:the|its|this) “([^”]+)”\)")


def _definitions_and_body(path: Path) -> tuple[list[str], str]:
    """(terms the Definitions article defines, the rest of the document's text)."""
    inside, defs, body = False, [], []
    for paragraph in docx.Document(str(path)).paragraphs:
        if paragraph.style is not None and paragraph.style.name.startswith("Heading"):
            inside = paragraph.text == "Definitions"
        (defs if inside else body).append(paragraph.text)
    return DEFINED.findall("\n".join(defs)), "\n".join(body)


def _used(term: str, text: str) -> bool:
    """The term as written (a lower-case term may open a sentence), or its plural."""
    first = f"(?i:{re.escape(term[0])})" if term[0].islower() else re.escape(term[0])
    return re.search(rf"\b{first}{re.escape(term[1:])}s?\b", text) is not None


def _variants() -> list[tuple[str, Answers]]:
    """Each example, and each example in every status, with and without ESPs tutoring, run
    by a vendor or by District staff."""
    out = []
    for path in sorted(EXAMPLES.glob("*.yml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.append((path.stem, answers_from_mapping(raw)))
        for status, esps, provider in itertools.product(
            STATUSES, (False, True), ("vendor", "in_house")
        ):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            data["schema_version"] = 2
            if status != data["bargaining"]["status"]:
                data["bargaining"] = {"status": status}
            data.setdefault("tutors", {})["esps"] = esps
            data["program"]["provider"] = provider
            if provider == "in_house":
                for key in [k for k in data["program"] if "vendor" in k]:
                    del data["program"][key]
            else:
                data["program"].setdefault("vendor_name", "Acme Learning")
            name = f"{path.stem}/{status}/esps={esps}/{provider}"
            out.append((name, answers_from_mapping(data)))
    return out


def test_every_defined_term_is_used_once_defined_and_esp_only_where_esps_work(
    tmp_path: Path,
) -> None:
    checked_no_esp = 0
    for name, answers in _variants():
        result = render_answers(answers, tmp_path / name.replace("/", "-"), today=TODAY)
        mou = next(p for p in result.paths if p.name.endswith("-mou.docx"))
        terms, body = _definitions_and_body(mou)
        assert "Program" in terms and "Member" in terms, name
        for term in terms:
            assert _used(term, body), f"{name}: “{term}” is defined but never used"
        text = docx_text(mou)
        named = terms + INLINE_DEFINED.findall(text)
        assert len(named) == len(set(named)), f"{name}: a term is defined twice: {named}"
        if _used("ESP", body):
            assert "ESP" in terms, f"{name}: ESP used but not defined"
        esp_work = (
            answers.get("tutors.esps")
            or answers.get("program.delivery") in ("virtual", "hybrid")
            or answers.get("program.needs_space")
        )
        if not esp_work:  # no ESP tutors or supports the program: the word is nowhere
            checked_no_esp += 1
            for path in result.paths:
                shown = docx_text(path) if path.suffix == ".docx" else path.read_text("utf-8")
                assert not re.search(r"\bESPs?\b", shown), (name, path.name)
    assert checked_no_esp >= 3


NO_CONTRACT_HEADINGS = (
    "agreement",
    "bargain",
    "grievance",
    "arbitration",
    "reopen",
    "savings",
    "ratif",
    "contracting out",
    "unilateral",
    "dispute",
)
"""Words no article or topic heading of a form without a contract may use."""


@pytest.mark.parametrize("program", ["vendor", "in_house"])
@pytest.mark.parametrize("state", ["NC", "CA"])
def test_no_contract_forms_title_no_article_or_topic_after_a_contract(
    state: str, program: str, tmp_path: Path
) -> None:
    answers = minimal(state, "none", **PROGRAMS[program])
    form = document_form(answers, state_facts(state))
    files = render(answers, tmp_path)
    headings = [
        p.text
        for kind in ("mou", "impact-questions")
        for p in docx.Document(str(files[kind])).paragraphs
        if p.style is not None and p.style.name.startswith("Heading")
    ]
    assert "Relationship to District Policy and Notice of Changes" in headings
    assert "Raising Concerns" in headings and "Funding and Term" in headings
    for heading in headings:
        for word in NO_CONTRACT_HEADINGS:
            assert word not in heading.lower(), (form, heading)
    if form == "board_proposal":  # one party submits a resolution: nobody signs it
        assert "Submission and Adoption" in headings
        assert not any("Signature" in h for h in headings), headings


def test_each_why_fits_the_program_it_is_shown_for(tmp_path: Path) -> None:
    """A why never hedges on a fact the answers settle ("where evaluations use test scores")
    and never says a District program is "run by others"."""
    for example in ("lakeview-vendor-virtual", "riverside-inhouse-esps", "piedmont-no-bargaining"):
        raw = yaml.safe_load((EXAMPLES / f"{example}.yml").read_text(encoding="utf-8"))
        files = render(answers_from_mapping(raw), tmp_path / example)
        markdown = files["impact-questions-md"].read_text(encoding="utf-8")
        whys = re.findall(r"^> Why it matters: (.+)$", markdown, flags=re.M)
        assert whys, example
        for why in whys:
            assert not re.search(r"(^|; )where evaluations", why, flags=re.I), (example, why)
            assert "run by others" not in why and "only promises" not in why, (example, why)
            assert "the term of the document" not in why, (example, why)
        scores = "Teacher evaluations here use student test scores"
        assert (scores in markdown) is bool(raw["program"].get("evaluation_uses_test_scores"))
    piedmont = (tmp_path / "piedmont-no-bargaining").glob("*questions.md")
    assert not re.search(r"\bESPs?\b", next(piedmont).read_text(encoding="utf-8"))


# ---------------------------------------------------------------- a scope of base wages only

BARGAINING_WORDS = (
    "demand",
    "status quo",
    "unfair labor practice",
    "improper practice",
    "grievance",
    "impasse",
    "duty to bargain",
    "no law requires the district to bargain",
    "memorandum of understanding",
)
"""What no document says where the law keeps the tutoring terms out of bargaining."""


@pytest.mark.parametrize(
    ("state", "law"),
    [
        ("WI", "Wisconsin law (Wis. Stat. 111.70(4)(mb))"),
        ("IA", "Iowa law (Iowa Code 20.9(1) and (3))"),
    ],
)
@pytest.mark.parametrize("status", ["cba", "meet_and_confer"])
def test_base_wages_only_states_send_the_terms_to_the_board_even_with_a_contract(
    state: str, law: str, status: str, tmp_path: Path
) -> None:
    answers = minimal(state, status, **PROGRAMS["in_house"])
    assert document_form(answers, state_facts(state)) == "board_proposal"
    files = render(answers, tmp_path)
    mou = docx_text(files["mou-clean"])
    assert mou.startswith("Proposed Board Resolution")
    assert "NOW, THEREFORE, BE IT RESOLVED that the Board" in mou
    assert "have bargained over the program" not in mou and "binding arbitration" not in mou
    letter = docx_text(files["demand-letter"])
    assert (
        f"{law} limits the District’s bargaining with the Union to base wages, so the pay and "
        "other terms of tutoring work are not settled at the bargaining table"
    ) in letter
    assert "asks the Board to adopt those terms by its own vote" in letter
    assert "asks the District to meet with us" in letter
    district = "\n".join(
        every_part_text(files[k]) for k in ("mou-clean", "demand-letter", "information-request")
    )
    for word in BARGAINING_WORDS:
        assert word not in district, (state, status, word)
    assert docx_text(files["information-request"]).startswith("Public Records Request")
    questions = docx_text(files["impact-questions"])
    assert "Board policy (state law limits bargaining to base wages)" in questions
    assert f"{law} limits the bargaining of Harbor City Unified School District" in questions


def test_wisconsin_names_its_law_without_commentary(tmp_path: Path) -> None:
    facts = state_facts("WI")
    assert facts.bargaining_law == "Municipal Employment Relations Act, Wis. Stat. 111.70"
    assert facts.bargaining_scope == "base_wages" and "111.70(4)(mb)" in facts.sources["scope"]
    assert "20.9(1)" in state_facts("IA").sources["scope"]
    letter = docx_text(render(minimal("WI", "cba"), tmp_path)["demand-letter"])
    assert "(base wages only" not in letter and "Act 10)" not in letter


@pytest.mark.parametrize(("state", "status"), [("MN", "cba"), ("OH", "cba"), ("IL", "cba")])
def test_a_full_scope_state_still_bargains_its_mou(state: str, status: str, tmp_path: Path) -> None:
    answers = minimal(state, status)
    assert document_form(answers, state_facts(state)) == "bargained_mou"
    files = render(answers, tmp_path)
    assert docx_text(files["mou-clean"]).startswith("Memorandum of Understanding")
    assert "Re: Demand to bargain over the effects of" in docx_text(files["demand-letter"])


NO_BARGAINING_STATES = ("GA", "NC", "TX", "VA", "SC", "AZ", "AL")


@pytest.mark.parametrize("state", NO_BARGAINING_STATES)
def test_the_collaboration_position_reads_as_sentences_and_claims_void_only_where_it_is(
    state: str, tmp_path: Path
) -> None:
    answers = minimal(state, "none")
    assert document_form(answers, state_facts(state)) == "board_proposal"
    questions = docx_text(render(answers, tmp_path)["impact-questions"])
    [summary] = [
        line for line in questions.split("\n") if line.startswith("Collaboration (no bargaining")
    ]
    facts = state_facts(state)
    assert "(under" not in summary and "no force" not in summary
    assert ("would be void" in summary) is (facts.agreements_void is True), summary
    if facts.agreements_void:
        assert f"Under {facts.bargaining_law_words}, a signed agreement" in summary
    else:
        assert f"No {facts.name} statute authorizes a school board to sign an agreement" in summary
    assert summary.endswith("."), summary


def _notified(state: str, days_ago: int, **bargaining: Any) -> Answers:
    learned = TODAY - dt.timedelta(days=days_ago)
    return minimal(
        state, "cba", bargaining={"union_notified_on": learned.isoformat(), **bargaining}
    )


@pytest.mark.parametrize(
    ("days_ago", "bargaining", "prompt"),
    [
        (10, {}, True),  # within the 14 days of timeline.PROMPT_DAYS
        (14, {}, True),
        (15, {}, False),
        (104, {}, False),
        (104, {"midterm_notice_days": 120}, True),  # within the contract's own period
        (104, {"midterm_notice_days": 30}, False),
    ],
)
def test_the_letter_calls_its_demand_prompt_only_within_the_period(
    days_ago: int, bargaining: dict[str, Any], prompt: bool, tmp_path: Path
) -> None:
    letter = docx_text(render(_notified("CA", days_ago, **bargaining), tmp_path)["demand-letter"])
    assert "The Union learned of the program on" in letter
    assert ("makes this demand promptly" in letter) is prompt


def test_a_letter_without_the_date_claims_no_promptness(tmp_path: Path) -> None:
    letter = docx_text(render(minimal("CA", "cba"), tmp_path)["demand-letter"])
    assert "[DATE THE UNION LEARNED OF THE PROGRAM]." in letter
    assert "promptly" not in letter
