"""Decide which clauses, questions and information requests a set of answers calls for, each
with its reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tutorbargain.answers.fields import BY_NAME
from tutorbargain.answers.reading import Answers
from tutorbargain.library.loading import Entry, Library, Posture, sorted_entries
from tutorbargain.library.rules import evaluate
from tutorbargain.library.states import (
    StateFacts,
    StateWarning,
    base_wages_words,
    document_answers,
    read_as_none,
    state_facts,
)


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


def _choose(entry: Entry, answers: Answers, said: Callable[[str], str]) -> Choice:
    if not entry.enabled:
        return Choice(entry, False, f"switched off (enabled: false) at {entry.origin}")
    verdict = evaluate(entry.when, answers)
    lead = "Included because" if verdict.matched else "Left out because"
    return Choice(entry, verdict.matched, f"{lead} {said('; '.join(verdict.reasons))}.")


def select(library: Library, answers: Answers) -> Selection:
    """Run every rule of the library against the answers, as the documents read them.

    Reads only the state facts table (cached): where the state's law bars agreements with the
    union or lets the district bargain over base wages only, the rules see a local without
    bargaining over the tutoring terms (`states.document_answers`), the reasons say so, and
    the posture for a base-wages scope comes first.
    """
    state = state_facts(answers.get("district.state"), folders=library.folders)
    read = document_answers(answers, state)
    said = _scope_reasons(answers, state) if read is not answers else _as_said
    posture = library.postures[-1]
    posture_reason = ""
    for candidate in library.postures:
        if candidate.scope is not None and candidate.scope != state.bargaining_scope:
            continue
        verdict = evaluate(candidate.when, read)
        if verdict.matched:
            posture = candidate
            posture_reason = (
                base_wages_words(state)
                if candidate.scope == "base_wages"
                else said("; ".join(verdict.reasons))
            )
            break
    return Selection(
        posture=posture,
        posture_reason=posture_reason,
        clauses=tuple(_choose(e, read, said) for e in sorted_entries(library, library.clauses)),
        questions=tuple(_choose(e, read, said) for e in sorted_entries(library, library.questions)),
        requests=tuple(_choose(e, read, said) for e in sorted_entries(library, library.requests)),
    )


def _as_said(reason: str) -> str:
    return reason


def _scope_reasons(answers: Answers, state: StateFacts) -> Callable[[str], str]:
    """Reasons that name the status the answers give, and why the rules read it as none:
    "bargaining status: a collective bargaining agreement, read as no bargaining because Iowa
    law (...) limits bargaining to base wages" (or "because Texas law (...) makes agreements
    between school boards and unions void"), never a bare "no bargaining" the team did not
    answer."""
    status = BY_NAME["bargaining.status"]
    none = f"{status.label}: {status.words_for('none')}"
    given = f"{status.label}: {status.words_for(answers.get(status.name))}"
    limited = f"{given}, read as {status.words_for('none')} because {read_as_none(state)}"
    return lambda reason: reason.replace(none, limited)


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
