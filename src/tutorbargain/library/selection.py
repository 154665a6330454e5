"""Decide which clauses, questions and information requests a set of answers calls for, each
with its reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tutorbargain.answers.reading import Answers
from tutorbargain.library.loading import Entry, Library, Posture, sorted_entries
from tutorbargain.library.rules import evaluate
from tutorbargain.library.states import StateWarning


@dataclass(frozen=True)
class Choice:
    """One clause or question, whether it is in, and why, in words."""

    entry: Entry
    included: bool
    reason: str

    def as_json(self) -> dict[str, Any]:
        e = self.entry
        return {
            "id": e.id,
            "topic": e.topic,
            "title": e.title,
            "included": self.included,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Selection:
    posture: Posture
    posture_reason: str
    clauses: tuple[Choice, ...]
    questions: tuple[Choice, ...]
    requests: tuple[Choice, ...] = ()

    def included_clauses(self) -> list[Entry]:
        return [c.entry for c in self.clauses if c.included]

    def included_questions(self) -> list[Entry]:
        return [c.entry for c in self.questions if c.included]

    def included_requests(self) -> list[Entry]:
        return [c.entry for c in self.requests if c.included]


def _choose(entry: Entry, answers: Answers) -> Choice:
    if not entry.enabled:
        return Choice(entry, False, f"switched off (enabled: false) at {entry.origin}")
    verdict = evaluate(entry.when, answers)
    lead = "Included because" if verdict.matched else "Left out because"
    return Choice(entry, verdict.matched, f"{lead} {'; '.join(verdict.reasons)}.")


def select(library: Library, answers: Answers) -> Selection:
    """Run every rule of the library against the answers. Pure: reads nothing from disk."""
    posture = library.postures[-1]
    posture_reason = ""
    for candidate in library.postures:
        verdict = evaluate(candidate.when, answers)
        if verdict.matched:
            posture = candidate
            posture_reason = "; ".join(verdict.reasons)
            break
    return Selection(
        posture=posture,
        posture_reason=posture_reason,
        clauses=tuple(_choose(e, answers) for e in sorted_entries(library, library.clauses)),
        questions=tuple(_choose(e, answers) for e in sorted_entries(library, library.questions)),
        requests=tuple(_choose(e, answers) for e in sorted_entries(library, library.requests)),
    )


def explain_json(selection: Selection, *, warning: StateWarning | None = None) -> dict[str, Any]:
    """The exact shape `explain --json` prints; a contract for scripts.

    A ``warnings`` list (each with text and source) appears only when the answered status
    conflicts with the state's law, so the shape for other answers stays as it was.
    """
    data: dict[str, Any] = {
        "schema_version": 1,
        "clauses": [c.as_json() for c in selection.clauses],
        "questions": [c.as_json() for c in selection.questions],
    }
    if warning is not None:
        data["warnings"] = [warning.as_json()]
    return data
