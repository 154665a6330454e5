"""The drafting check: every MOU the bundled library can produce reads as one agreement.

Over every representative answer combination (the rule search of `lint.answer_space`, the
same space the rule-coverage test walks), the MOU's clauses are rendered to text and checked:

(a) every defined term a clause uses ("the Vendor", "the Tutoring Rate", "the Agreement",
    "the Committee", "this MOU") is defined by a clause of the same document, so a term that
    depends on a clause appears only when that clause is in;
(b) no two clauses that exclude each other are in together;
(c) no duty is stated twice (the same sentence, or the same period with most words shared).

Each failure names the clause ids and the answers that produced it. Only clause text is
rendered (no template, no Word file), so the whole space takes seconds.

The fixtures under tests/fixtures/drafting/ are a local's own clause folders with one defect
each: they show that each check, and `clauses lint`, catches what it claims to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from tutorbargain.answers.fields import BY_NAME
from tutorbargain.answers.reading import Answers
from tutorbargain.compose.drafting import (
    DraftingProblem,
    Rendered,
    check_document,
    citation_problem,
    plain_text,
    rendered_clauses,
    source_problem,
    stated_twice,
    terms_defined,
    terms_used,
)
from tutorbargain.library.loading import Library, load_library
from tutorbargain.lint import answer_space, lint_folder

FIXTURES = Path(__file__).parent / "fixtures" / "drafting"
TODAY = dt.date(2026, 9, 1)
DECIDING = (
    "bargaining.status",
    "program.provider",
    "program.delivery",
    *(name for name in BY_NAME if name.startswith("tutors.")),
)


def _answers_words(answers: Answers) -> str:
    given = {n: answers.get(n) for n in DECIDING}
    return "; ".join(f"{n}={v!r}" for n, v in given.items())


def drafting_failures(library: Library, *, limit: int = 25) -> Iterator[str]:
    """Each distinct drafting problem over the whole space, with the first answers that show it."""
    seen: set[tuple[str, tuple[str, ...], str]] = set()
    for answers in answer_space(library):
        for problem in check_document(library, rendered_clauses(library, answers, today=TODAY)):
            if problem.identity in seen:
                continue
            seen.add(problem.identity)
            yield f"{problem.kind}: {problem}\n    answers: {_answers_words(answers)}"
            if len(seen) >= limit:
                return


def test_every_bundled_mou_defines_its_terms_and_says_each_duty_once() -> None:
    failures = list(drafting_failures(load_library()))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("case", "kind", "ids"),
    [
        ("undefined-term", "undefined-term", ("vendor-reports",)),
        (
            "excluded-pair",
            "excluded-pair",
            ("training-at-regular-rate", "training-at-tutoring-rate"),
        ),
        ("stated-twice", "stated-twice", ("effects-bargaining-changes", "our-notice")),
    ],
)
def test_the_drafting_check_catches_each_defect(case: str, kind: str, ids: tuple[str, ...]) -> None:
    """A deliberate defect in a local's folder is found, named by its clause ids and answers."""
    wanted = f"{kind}: {', '.join(ids)}:"
    failures = drafting_failures(load_library([FIXTURES / case]), limit=10**6)
    found = next((f for f in failures if f.startswith(wanted)), "")
    assert found, f"no failure starting {wanted!r}"
    assert "answers: bargaining.status=" in found


def test_an_in_house_program_is_never_told_about_the_vendor() -> None:
    """The term check is about the document: "the Vendor" is fine with a vendor, not without."""
    library = load_library([FIXTURES / "undefined-term"])
    problems: dict[str, list[DraftingProblem]] = {}
    for answers in answer_space(library):
        provider = str(answers.get("program.provider"))
        found = check_document(library, rendered_clauses(library, answers, today=TODAY))
        problems.setdefault(provider, []).extend(p for p in found if "vendor-reports" in p.ids)
        if {"in_house", "vendor"} <= set(problems) and problems["in_house"]:
            break
    assert problems["in_house"] and '"Vendor"' in problems["in_house"][0].message
    assert problems["vendor"] == []


def test_terms_come_from_the_words_and_from_the_declarations() -> None:
    library = load_library()
    vendor_clause = library.find("definitions-vendor")
    rate_clause = library.find("tutoring-rate")
    assert vendor_clause is not None and rate_clause is not None
    # Quoted in the text: defined without a declaration; "defines:" also counts.
    assert "vendor" in terms_defined(library, Rendered(vendor_clause, '"Vendor" means X.'))
    assert "tutoring-rate" in terms_defined(library, Rendered(rate_clause, "Members are paid."))
    # Used by its words, case as written: "the Vendor" is the term, "a vendor" is not.
    assert "vendor" in terms_used(library, Rendered(rate_clause, "Paid by the Vendor."))
    assert "vendor" not in terms_used(library, Rendered(rate_clause, "Paid by a vendor."))


def test_answers_in_a_clause_never_count_as_its_words() -> None:
    """A district called "Vendor Valley" does not make a clause use the term Vendor."""
    from tutorbargain.compose.markup import DATA, span

    text = f"The {span(DATA, 'Vendor Valley School District')} pays Members."
    assert plain_text(text) == "The X pays Members."


def test_a_repeated_sentence_is_a_duty_stated_twice_but_a_new_duty_is_not() -> None:
    library = load_library()
    a, b = library.find("savings"), library.find("non-precedent")
    assert a is not None and b is not None
    notice = "The District will give the Union written notice thirty (30) days before any change."
    assert stated_twice([Rendered(a, notice), Rendered(b, notice)])
    other = "The District will answer the Union's information request within ten (10) days."
    assert not stated_twice([Rendered(a, notice), Rendered(b, other)])


# ---------------------------------------------------------------- clauses lint


def test_lint_reports_an_undefined_term_at_its_file_and_line() -> None:
    report = lint_folder(FIXTURES / "undefined-term")
    found = [f for f in report.errors if f.entry == "vendor-reports"]
    assert found, report.lines()
    assert found[0].file.endswith("local.yml") and found[0].line == 9
    assert '"Vendor"' in found[0].message and "definitions-vendor" in found[0].message
    assert "district staff" in found[0].message  # the answers that leave the Vendor out


def test_lint_reports_a_pair_that_excludes_each_other() -> None:
    report = lint_folder(FIXTURES / "excluded-pair")
    found = [f for f in report.errors if "excludes training-at-tutoring-rate" in f.message]
    assert len(found) == 1, report.lines()
    assert found[0].line == 13 and found[0].entry == "training-at-regular-rate"


def test_lint_reports_a_duty_stated_twice() -> None:
    report = lint_folder(FIXTURES / "stated-twice")
    found = [f for f in report.errors if "stated twice" in f.message]
    assert found, report.lines()
    assert "effects-bargaining-changes" in found[0].message and found[0].entry == "our-notice"


def test_lint_reports_sources_that_name_no_public_document() -> None:
    report = lint_folder(FIXTURES / "no-public-source")
    by_entry = {f.entry: f for f in report.errors if "source" in f.message}
    assert set(by_entry) == {"from-our-notes", "q-unsourced"}, report.lines()
    assert (
        by_entry["from-our-notes"].line == 11
        and "domain notes" in by_entry["from-our-notes"].message
    )
    assert "names no public document" in by_entry["q-unsourced"].message


@pytest.mark.parametrize(
    "source",
    [
        'NEA/NSSA guide, "Union Members serving as Tutors": first opportunity.',
        "29 CFR 553.30: overtime for similar work.",
        "Tenn. Code 49-5-609(c).",
        "the Sioux City Community School District tutoring MOUs (Sioux City Journal, October 2021)",
        "Nickow, Oreopoulos and Quan, NBER Working Paper 27476 (2020).",
        "The 500-student size is the union's opening number.",
    ],
)
def test_a_public_document_is_a_source(source: str) -> None:
    assert source_problem(source) is None


@pytest.mark.parametrize(
    "source", ["Domain notes, section 2.", "Seen in practice.", "NEA/NSSA guide."]
)
def test_notes_and_vague_words_are_not_a_source(source: str) -> None:
    assert source_problem(source) is not None


@pytest.mark.parametrize(
    "source",
    [
        # A guide section passes the whole source; the district's part still names nothing.
        'NEA/NSSA guide, "Union Members serving as Tutors": first opportunity; Valley Central '
        "School District, New York, tutoring program: posts offered first to current staff.",
        "California PERB, County of Santa Clara (2019): waiver by unreasonable delay.",
    ],
)
def test_each_citation_names_a_document_a_reader_can_find(source: str) -> None:
    assert source_problem(source) is None  # the old check let these through
    assert citation_problem(source) is not None


@pytest.mark.parametrize(
    "source",
    [
        "the Sioux City Community School District tutoring MOUs (Sioux City Journal, October 2021)",
        "California PERB, County of Santa Clara (2021) PERB Decision No. 2799-M: effects.",
        "NLRB v. Acme Industrial Co., 385 U.S. 432 (1967): information.",
    ],
)
def test_a_dated_document_or_decision_number_is_a_citation(source: str) -> None:
    assert citation_problem(source) is None


def test_every_bundled_clause_and_question_cites_findable_documents() -> None:
    # Information requests (97-information-requests.yml) are another branch's file for now.
    bad = [
        (e.id, citation_problem(e.source))
        for e in load_library().entries()
        if e.kind in ("clause", "question") and citation_problem(e.source) is not None
    ]
    assert not bad, bad


def test_every_bundled_source_names_a_public_document() -> None:
    bad = [
        (e.id, e.source) for e in load_library().entries() if source_problem(e.source) is not None
    ]
    assert not bad, bad
