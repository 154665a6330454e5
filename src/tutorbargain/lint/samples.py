"""The answers `clauses lint` renders each text with, and the context each renders in.

Each entry is rendered for answers that include it (found by the rule search), with every other
answer given and then only the required ones, and for each combination of the answers that
shape a document (see `rule_search.CORE`).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from tutorbargain.answers.fields import BY_NAME
from tutorbargain.answers.reading import Answers
from tutorbargain.errors import TutorbargainError
from tutorbargain.library.model import KINDS, Entry, Library, Posture
from tutorbargain.library.rule_search import CORE, TUTOR_KINDS, complete_answers, frozen
from tutorbargain.library.rules import evaluate_values, fields_in

TODAY = dt.date(2026, 9, 1)
"""A fixed "today" for sample renders, so the linter's results never depend on the date."""


class Samples:
    """Answer sets to render texts with: each entry's own, then every core combination."""

    def __init__(
        self, library: Library, on_error: Callable[[Posture, TutorbargainError], None]
    ) -> None:
        """``on_error`` hears of a posture text that cannot be rendered for some answers."""
        self.library = library
        self.on_error = on_error
        self._contexts: dict[tuple[tuple[str, Any], ...], dict[str, Any] | None] = {}
        self._postures_only = replace(library)
        for _, section in KINDS:  # the posture is all a context needs from the selection
            setattr(self._postures_only, section, [])
        self.generic: list[tuple[str, Answers, dict[str, Any]]] = []
        combos = itertools.product(*(BY_NAME[n].choice_values() for n in CORE))
        for index, combo in enumerate(combos):
            # Every combination once; every value with the other answers given and blank.
            minimal = index % 2 == 1
            assignment = dict(zip(CORE, combo, strict=True))
            answers = complete_answers(assignment, minimal=minimal)
            ctx = self.context(answers) if answers is not None else None
            if answers is not None and ctx is not None:
                extent = "only the required answers" if minimal else "every other answer"
                label = f"answers with {describe(assignment)} and {extent} given"
                self.generic.append((label, answers, ctx))

    def for_entry(self, entry: Entry, found: Answers) -> Iterator[tuple[str, dict[str, Any]]]:
        """Contexts whose answers include ``entry``: its own two, then the generic ones."""
        deciding = {n: found.get(n) for n in fields_in(entry.when)}
        like = f"answers with {describe(deciding)} and" if deciding else "answers with"
        own = [(f"{like} every other answer given", found)]
        blank = complete_answers(deciding, minimal=True)
        if blank is not None:
            own.append((f"{like} only the required answers given", blank))
        for label, answers in own:
            ctx = self.context(answers)
            if ctx is not None:
                yield label, ctx
        for label, answers, ctx in self.generic:
            if evaluate_values(entry.when, answers.values):
                yield label, ctx

    def context(self, answers: Answers) -> dict[str, Any] | None:
        """The context a clause text renders with, as `documents.compose` builds it."""
        key = tuple((name, frozen(value)) for name, value in sorted(answers.values.items()))
        if key not in self._contexts:
            from tutorbargain.compose.costing import estimate
            from tutorbargain.compose.documents import base_context, cost_view
            from tutorbargain.library.selection import select

            selection = select(self._postures_only, answers)
            try:
                ctx = base_context(answers, selection, self.library, today=TODAY)
                ctx["costs"] = cost_view(estimate(answers))
            except TutorbargainError as exc:  # a posture text that cannot be rendered
                self.on_error(selection.posture, exc)
                ctx = None
            self._contexts[key] = ctx
        return self._contexts[key]


def describe_answers(answers: Answers) -> str:
    """The answers that decide the core of a document, in words, for a drafting finding."""
    names = [*CORE, *TUTOR_KINDS]
    return describe({n: answers.get(n) for n in names})


def describe(values: Mapping[str, Any]) -> str:
    """Answers in words: "Bargaining status: cba; Provider: a vendor"."""
    return "; ".join(f"{BY_NAME[n].label}: {BY_NAME[n].words_for(v)}" for n, v in values.items())
