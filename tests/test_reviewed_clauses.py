"""Defects a labor-law reviewer found in rendered MOUs, read as the reviewer read them.

Each test renders an example with the facts of the reviewed local and reads the district's
copy of the MOU or the question list.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from conftest import ROOT
from test_program_facts import answers, documents


def _article(mou: str, title: str) -> str:
    """The one paragraph of the MOU that opens with ``title``."""
    found = [line for line in mou.split("\n") if line.strip().startswith(title)]
    assert len(found) == 1, (title, found)
    return found[0]


def test_software_clause_only_where_software_tutors(tmp_path: Path) -> None:
    # A California local with virtual tutoring and no software tutor: no software clause,
    # and no Texas statute in its margin or its questions.
    without = documents(
        answers("minimal-early-draft", program={"uses_software_tutor": False}), tmp_path / "no"
    )
    assert "Software is not a tutor" not in without["mou-clean"]
    assert "count the time a student spends on software" not in without["mou-clean"]
    assert "Will software be used in place of tutors" not in without["impact-questions-clean"]
    with_software = documents(
        answers("minimal-early-draft", program={"uses_software_tutor": True}), tmp_path / "yes"
    )
    assert "Software is not a tutor" in with_software["mou-clean"]
    assert "count the time a student spends on software as tutoring" in with_software["mou-clean"]


def test_software_clause_source_fits_any_state() -> None:
    data = yaml.safe_load((ROOT / "clauses" / "70-workplace.yml").read_text(encoding="utf-8"))
    entries = data["clauses"] + data["questions"]
    for entry in entries:
        if "HB 1416" in entry.get("source", ""):
            # The Texas bill is an example, never the authority for a clause in every state.
            assert "for example" in entry["source"], entry["id"]


def test_no_school_day_promise_for_an_after_school_program(tmp_path: Path) -> None:
    after = documents(
        answers(
            "lakeview-vendor-virtual",
            program={"during_school_day": False, "schedule": ["after_school"]},
        ),
        tmp_path / "after",
    )
    quality = _article(after["mou-clean"], "High-impact standards")
    assert "during the school day" not in quality
    assert "supplied by the District; and clear start and stop dates" in quality
    assert "tutoring during the school day" not in after["impact-questions-clean"]
    during = documents(answers("lakeview-vendor-virtual"), tmp_path / "during")
    assert "Sessions during the school day;" in _article(during["mou-clean"], "High-impact")


DATE = re.compile(
    r"(January|February|March|April|May|June|July|August|September|October|November|"
    r"December) \d{1,2}, \d{4}"
)


def test_the_term_has_one_end_date(tmp_path: Path) -> None:
    florida = documents(
        answers(
            "lakeview-vendor-virtual",
            funding={"ends": "2027-05-29"},
            bargaining={"contract_expires": "2027-06-30"},
        ),
        tmp_path / "fl",
    )["mou-clean"]
    term = _article(florida, "Term and reopening")
    assert [m.group(0) for m in DATE.finditer(term)] == ["May 29, 2027"], term
    assert "ends on May 29, 2027" in term
    assert "whichever" not in term and "end of the" not in term
    assert "until the Program ends" not in term
    # The funding end date is stated once in the funding articles, not twice.
    funding = _article(florida, "Funding and what happens") + _article(
        florida, "Tutoring terms and the Program"
    )
    assert funding.count("May 29, 2027") == 1
    # With no funding date, the term ends on a stated day, not "the end of the school year".
    unknown = documents(
        answers("minimal-early-draft", bargaining={"status": "none"}), tmp_path / "none"
    )["mou-clean"]
    review = _article(unknown, "Term and review")
    assert "ends on June 30, 2027" in review and "end of the" not in review


def test_the_mou_outlasting_the_contract_ends_on_its_own_date(tmp_path: Path) -> None:
    early = documents(
        answers("lakeview-vendor-virtual", bargaining={"contract_expires": "2027-03-31"}),
        tmp_path / "early",
    )["mou-clean"]
    term = _article(early, "Term and reopening")
    assert "ends on June 30, 2027" in term
    assert "The Agreement expires on March 31, 2027, before this MOU ends" in term
    assert "stays in effect until its end date unless a successor agreement" in term
    assert "until the Program ends" not in term
