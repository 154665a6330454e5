"""The bundled clause library: the fixed topic vocabulary, its size, and its sources."""

from __future__ import annotations

from tutorbargain.library import load_library

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
    for entry in load_library().entries():
        assert entry.note.strip() and entry.source.strip(), entry.id
        assert any(
            word in entry.source
            for word in ("NEA/NSSA guide", "District toolkit", "Domain notes", "domain notes")
        ), (entry.id, entry.source)
