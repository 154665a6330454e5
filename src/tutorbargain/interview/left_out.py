"""What the blanks left out: entries a render dropped only because an answer is not known.

"Not sure yet" on IEP students leaves out the IEP clauses; `render` and `new` tell the person
which answer would bring them in, instead of only "Nothing left to fill in".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tutorbargain.answers.fields import BY_NAME, Field, Kind
from tutorbargain.answers.kinds import PICKED
from tutorbargain.answers.reading import Answers
from tutorbargain.interview.script import Script, load_script, short_prompt
from tutorbargain.library.rules import Rule, evaluate, fields_in

if TYPE_CHECKING:
    from tutorbargain.library.selection import Selection


@dataclass(frozen=True)
class LeftOut:
    """Entries a render left out only because one answer is not known yet."""

    field: Field
    question: str
    """The interview's question for the field (or its label when the interview does not ask)."""
    titles: tuple[str, ...]

    def line(self) -> str:
        """ "Students with IEPs; IEP alignment (answer "Will ...?" to include them)"."""
        return f"{'; '.join(self.titles)}\n    (answer {self.question} to include them)"


def left_out_for_unknowns(
    selection: Selection, answers: Answers, script: Script | None = None
) -> list[LeftOut]:
    """What an unknown answer removed from the documents, by the answer that would bring it in.

    An entry counts when its rule reads an unanswered yes/no or choice field and some answer
    to that field alone would include it: "Not sure yet" on IEP students leaves out the IEP
    clauses, and the person is told so instead of "Nothing left to fill in".
    """
    found: dict[str, list[str]] = {}
    for choice in (*selection.clauses, *selection.questions, *selection.requests):
        entry = choice.entry
        if choice.included or not entry.enabled:
            continue
        for name in sorted(fields_in(entry.when)):
            f = BY_NAME[name]
            if answers.get(name) is not None or f.kind not in PICKED:
                continue
            trials = [True, False] if f.kind is Kind.BOOL else [v for v, _ in f.choices]
            if any(_includes(entry.when, answers, name, value) for value in trials):
                titles = found.setdefault(name, [])
                if entry.title not in titles:
                    titles.append(entry.title)
    script = script or load_script()
    out = []
    for name, titles in found.items():
        q = script.find(name)
        words = f'"{short_prompt(q)}"' if q else BY_NAME[name].label
        out.append(LeftOut(BY_NAME[name], f"{words} ({name})", tuple(titles)))
    return out


def _includes(rule: Rule, answers: Answers, name: str, value: Any) -> bool:
    trial = Answers(values={**answers.values, name: value}, source=answers.source)
    return evaluate(rule, trial).matched
