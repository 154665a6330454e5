"""The bundled clause library: the fixed topic vocabulary, its size, and its sources."""

from __future__ import annotations

from tutorbargain.library.loading import load_library

TOPICS = """parties-and-purpose definitions relationship-to-agreement effects-bargaining
no-unilateral-subcontracting labor-management-committee right-of-first-opportunity
voluntary-participation no-discipline tutoring-pay-rate esp-grow-your-own
student-teacher-compensation retiree-pension-protection vendor-rate-parity
workload-compensation schedule-protection planning-time-protection iep-alignment
facilities-and-custodial scheduling-coordination technology-support ability-to-pay
no-displacement supplement-not-replace objective-student-identification evaluation-protection
content-scope virtual-equity program-quality-standards tutor-training program-leadership-roles
data-privacy professional-development grievance funding-and-sunset duration-and-reopener
savings signatures""".split()


def test_topics_are_the_fixed_vocabulary() -> None:
    library = load_library()
    assert sorted(library.topics) == sorted(TOPICS)
    assert {c.topic for c in library.clauses} == set(TOPICS)


def test_library_is_deep_enough() -> None:
    library = load_library()
    assert len(library.clauses) >= 45
    assert len(library.questions) >= 35


def test_every_entry_names_its_source() -> None:
    """Every entry has a reason and a source; none cites notes no reader has."""
    for entry in load_library().entries():
        assert entry.note.strip() and entry.source.strip(), entry.id
        assert "domain notes" not in entry.source.lower(), (entry.id, entry.source)


def test_terms_are_registered_and_declared_terms_exist() -> None:
    """The term registry holds the terms the issue names, and every declaration points at one."""
    library = load_library()
    assert {"agreement", "mou", "committee", "vendor", "tutoring-rate"} <= set(library.terms)
    assert library.terms["vendor"].pattern().search("the Vendor pays")
    assert not library.terms["vendor"].pattern().search("the vendor pays")
    for entry in library.entries():
        assert set(entry.defines) | set(entry.uses) <= set(library.terms), entry.id
        assert {e for e in entry.excludes} <= {c.id for c in library.clauses}, entry.id
    assert "vendor" in library.find("definitions-vendor").defines  # type: ignore[union-attr]
