"""One run of the interview: the answers so far, the asking that changes them, the review.

Every typed answer goes through `kinds.parse_value` and the cross-field rules, so the
interview and the answers file say the same thing about the same mistake.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from functools import partial
from typing import Any, TypeVar

from tutorbargain.answers.fields import BY_NAME
from tutorbargain.answers.kinds import (
    KINDS,
    PICKED,
    Asked,
    as_typed_text,
    parse_value,
    read_typed,
    to_plain,
)
from tutorbargain.answers.parsing import ValueProblem
from tutorbargain.answers.reading import Answers, cross_field_problems, validate_flat
from tutorbargain.errors import TutorbargainError
from tutorbargain.interview.asker import NOT_SURE, Asker, GoBack, Heading, Option
from tutorbargain.interview.script import Question, Script, Section, cap, short_prompt
from tutorbargain.library.rules import evaluate_values

UNSURE = "not-sure"
"""The option value of "Not sure yet"; no field's choices use a dash, so it cannot clash."""
BACK = "back"
T = TypeVar("T")
_BACK_PAGE = "<- Back to the previous section"


def _options(q: Question) -> list[Option | Heading]:
    """A choice question's options, with one "Not sure yet" where it may be left blank.

    A field whose own choices already say "not decided yet" gets no second way to say it.
    """
    f = q.field
    options: list[Option | Heading] = [Option(value, cap(words)) for value, words in f.choices]
    if not f.required and not any(words.startswith("not ") for _, words in f.choices):
        options.append(Option(UNSURE, NOT_SURE))
    return options


def _same_name(name: str) -> str:
    return name


def _usual_status(state: Any) -> tuple[str | None, str]:
    """The state's usual bargaining status and why, from the state facts table (by `states`).

    A broken or missing table must not stop the interview: the question's own default stays.
    """
    from tutorbargain.library.states import usual_status

    try:
        usual, why = usual_status(state)
        if usual is not None:
            parse_value(BY_NAME["bargaining.status"], usual)
    except (TutorbargainError, ValueProblem):
        return None, ""
    return usual, why


def _reraise() -> None:
    raise KeyboardInterrupt


class Interview:
    """The answers so far and the asking that changes them.

    ``values`` holds every answered field, typed; None means the person left it blank (the
    documents then show a placeholder). A field missing from ``values`` has not been asked.
    ``on_interrupt`` runs when the person presses Ctrl-C or Esc at a question: it returns to
    go on (the question is asked again) or raises to stop.
    """

    def __init__(
        self,
        asker: Asker,
        script: Script,
        values: Mapping[str, Any] | None = None,
        *,
        on_interrupt: Callable[[], None] = _reraise,
    ) -> None:
        self.asker = asker
        self.script = script
        self.values: dict[str, Any] = dict(values or {})
        self.on_interrupt = on_interrupt
        self.changed = False
        """Whether anything was answered or changed since the start (decides the save offer)."""
        self._shown_section: str | None = None
        self._notices: list[str] = []
        """Notices to repeat just above the review's prompt, where they stay on screen."""

    # ------------------------------------------------------------ what applies

    def applicable(self) -> list[Question]:
        """The questions that apply, in order, judged by the answers that themselves apply."""
        seen: dict[str, Any] = {}
        out: list[Question] = []
        for q in self.script.questions():
            if evaluate_values(q.when, seen):
                out.append(q)
                if q.name in self.values:
                    seen[q.name] = self.values[q.name]
        return out

    def next_missing(self) -> Question | None:
        return next((q for q in self.applicable() if q.name not in self.values), None)

    def drop_inapplicable(self) -> list[tuple[Question, Any]]:
        """Remove answers to questions that no longer apply; return them, to tell the person."""
        keep = {q.name for q in self.applicable()}
        dropped: list[tuple[Question, Any]] = []
        for q in self.script.questions():
            if q.name in self.values and q.name not in keep:
                dropped.append((q, self.values.pop(q.name)))
                self.changed = True
        return dropped

    def settle(self, *, after_change: bool = False, revisit: Iterable[str] = ()) -> None:
        """Ask what is missing (and ``revisit``), in order, until nothing is left to ask.

        Ctrl-B goes back to the question before, in the order asked, across sections and
        skipping questions that do not apply; the questions gone back over are asked again on
        the way forward, each with its answer filled in. Answers that stop applying are dropped.
        """
        self._tell_dropped(self.drop_inapplicable())
        again = set(revisit)
        q = self._next_to_ask(None, again)
        told = False
        while q is not None:
            if after_change and not told and q.name not in self.values:
                self.asker.say()
                self.asker.say("That change brings up more questions.", tone="note")
                told = True
            try:
                self.ask(q, back=True)
            except GoBack:
                before = self._before(q)
                if before is None:
                    self.asker.say("  This is the first question; there is none before it.")
                else:
                    again.add(q.name)
                    q = before
                continue
            again.discard(q.name)
            self._tell_dropped(self.drop_inapplicable())
            q = self._next_to_ask(q, again)

    def _next_to_ask(self, after: Question | None, again: set[str]) -> Question | None:
        """The first question after ``after`` that is unanswered or to be asked again."""
        applicable = self.applicable()
        names = [q.name for q in applicable]
        start = names.index(after.name) + 1 if after is not None and after.name in names else 0
        for q in applicable[start:]:
            if q.name not in self.values or q.name in again:
                return q
        return self.next_missing()

    def _before(self, q: Question) -> Question | None:
        applicable = self.applicable()
        names = [a.name for a in applicable]
        if q.name not in names or names.index(q.name) == 0:
            return None
        return applicable[names.index(q.name) - 1]

    def _tell_dropped(self, dropped: Iterable[tuple[Question, Any]]) -> None:
        shown = [(q, value) for q, value in dropped if value is not None]
        if not shown:
            return
        lines = ["These answers no longer apply to this program, so they were dropped:"]
        lines += [f"  {short_prompt(q)} {q.field.words_for(value)}" for q, value in shown]
        self.asker.say()
        for line in lines:
            self.asker.say(line, tone="note")
        self.asker.say()
        self._notices += lines

    # ------------------------------------------------------------ asking

    def guarded(self, ask: Callable[[], T]) -> T:
        """Ask; on Ctrl-C or Esc run ``on_interrupt`` (go on, or stop) and ask again."""
        while True:
            try:
                return ask()
            except KeyboardInterrupt:
                self.on_interrupt()

    def ask(self, q: Question, *, announce: bool = True, back: bool = False) -> None:
        """Ask one question (offering its current answer, if any) and keep the answer."""
        if announce and q.section != self._shown_section:
            self._announce(q.section)
        has_answer = q.name in self.values
        current = self.values.get(q.name) if has_answer else q.default
        hint = q.hint
        if q.name == "bargaining.status":
            usual, why = _usual_status(self.values.get("district.state"))
            current = current if has_answer or usual is None else parse_value(q.field, usual)
            hint = f"{why} {q.hint}" if why else q.hint
        shown = replace(q, hint=hint)
        value = self.guarded(lambda: self._prompt(shown, current, has_answer=has_answer, back=back))
        if not has_answer or self.values[q.name] != value:
            self.changed = True
        self.values[q.name] = value

    def _announce(self, section_id: str) -> None:
        self._shown_section = section_id
        ids = [s.id for s in self.script.sections]
        section = self.script.section(section_id)
        self.asker.say()
        self.asker.say(
            f"── {section.title} ({ids.index(section_id) + 1} of {len(ids)})", tone="heading"
        )

    def _prompt(self, q: Question, current: Any, *, has_answer: bool, back: bool) -> Any:
        f = q.field
        asked = KINDS[f.kind].asked
        if asked is Asked.YES_NO:
            default = None if current is None else bool(current)
            return self.asker.yes_no(
                q.name, q.prompt, hint=q.hint, default=default, unsure=q.unsure, back=back
            )
        if asked is Asked.PICK:
            pointer: str | None
            if current is None:
                # Enter on an optional question means "not sure", never a silent first choice.
                pointer = UNSURE if (has_answer or not f.required) else None
            else:
                pointer = str(current)
            options = _options(q)
            if pointer == UNSURE and all(getattr(o, "value", None) != UNSURE for o in options):
                # The field's own "not decided yet" is its "Not sure yet".
                pointer = next(v for v, words in f.choices if words.startswith("not "))
            picked = self.asker.select(
                q.name, q.prompt, options, hint=q.hint, default=pointer, back=back
            )
            return None if picked == UNSURE else parse_value(f, picked)

        def check(typed: str) -> str | None:
            try:
                value = read_typed(f, typed)
            except ValueProblem as exc:
                return f"{q.label}: {exc}"
            return self._refusal(q, value)

        typed = self.asker.text(
            q.name,
            q.prompt,
            hint=q.hint,
            default=as_typed_text(f, current),
            validate=check,
            back=back,
        )
        return read_typed(f, typed)

    def _refusal(self, q: Question, value: Any) -> str | None:
        """Why ``value`` cannot stand, by the schema's required flag and cross-field rules."""
        if value is None and q.field.required:
            return f"{q.label}: this one cannot be left blank; the documents need it."
        trial = {**self.values, q.name: value}
        for problem in cross_field_problems(trial, _same_name):
            if problem.where == q.name:
                return f"{q.label}: {problem.message}"
        return None

    # ------------------------------------------------------------ the review screen

    def review(self) -> None:
        """Show every answer; change one, go through a section again, or confirm.

        Ctrl-B goes back to the last question. Notices (answers dropped, answers that do not
        fit) are repeated just above the prompt, so a long review cannot scroll them away.
        """
        while True:
            self.show_answers()
            self._show_notices()
            try:
                action = self.guarded(
                    lambda: self.asker.select(
                        "review",
                        "Is everything right?",
                        [
                            Option("done", "Yes: save the answers and write the documents"),
                            Option("change", "Change one answer"),
                            Option("section", "Go through a section again"),
                        ],
                        default="done",
                        back=True,
                    )
                )
            except GoBack:
                self._shown_section = None
                self.settle(revisit=[self.applicable()[-1].name])
                continue
            if action == "change":
                self._change_one()
            elif action == "section":
                self._redo_section()
            elif not self._fix_conflicts():
                return

    def _pages(self) -> list[tuple[Section, list[Question]]]:
        applicable = self.applicable()
        pages = []
        for section in self.script.sections:
            questions = [q for q in applicable if q.section == section.id]
            if questions:
                pages.append((section, questions))
        return pages

    def show_answers(self) -> None:
        """Every answer by section; a page per section when they would not fit on the screen."""
        pages = self._pages()
        height = 2 + sum(2 + len(questions) for _, questions in pages) + len(self._notices)
        if height + 6 <= self.asker.rows():
            self.asker.say()
            self.asker.say("Your answers", tone="heading")
            for section, questions in pages:
                self.asker.say()
                self.asker.say(section.title, tone="heading")
                for q in questions:
                    self.asker.say(self._line(q))
            self.asker.say()
            return
        index = 0
        while index < len(pages):
            section, questions = pages[index]
            self.asker.say()
            self.asker.say(
                f"Your answers: {section.title} ({index + 1} of {len(pages)})", tone="heading"
            )
            for q in questions:
                self.asker.say(self._line(q))
            self.asker.say()
            self._show_notices()
            if index == len(pages) - 1:
                return
            options: list[Option | Heading] = [
                Option("next", f"Yes. Next: {pages[index + 1][0].title}"),
                Option("change", "Change one of these"),
            ]
            first = index == 0
            try:
                ask = partial(self.asker.select, "review.page", "Are these right?", options)
                picked = self.guarded(
                    partial(ask, default="next", back=not first, back_title=_BACK_PAGE)
                )
            except GoBack:
                index -= 1
                continue
            if picked == "change":
                self._change_one(questions)
                pages = self._pages()
                index = min(index, len(pages) - 1)
            else:
                index += 1

    def _show_notices(self) -> None:
        if self._notices:
            for line in self._notices:
                self.asker.say(line, tone="note")
            self.asker.say()
            self._notices = []

    def _line(self, q: Question) -> str:
        return f"  {short_prompt(q)} -> {self._words(q)}"

    def _words(self, q: Question) -> str:
        value = self.values.get(q.name)
        if value is None:
            return NOT_SURE if q.field.kind in PICKED else "(left blank)"
        return cap(q.field.words_for(value))

    def _change_one(self, only: Sequence[Question] | None = None) -> None:
        """Pick one answer and ask it again; Esc or Back returns to the review unchanged."""
        options: list[Option | Heading] = []
        for section, questions in self._pages():
            if only is not None:
                questions = [q for q in questions if q in only]
            if questions:
                options.append(Heading(section.title))
                options.extend(
                    Option(q.name, f"{short_prompt(q)} {self._words(q)}") for q in questions
                )
        options.append(Option(BACK, "Back to the review (change nothing)"))
        try:
            picked = self.asker.select(
                "review.change", "Which answer do you want to change?", options
            )
        except KeyboardInterrupt:
            return
        question = self.script.find(picked)
        if question is None:
            return
        self._shown_section = question.section
        self.ask(question, announce=False)
        self.settle(after_change=True)

    def _redo_section(self) -> None:
        options: list[Option | Heading] = [Option(s.id, s.title) for s, _ in self._pages()]
        options.append(Option(BACK, "Back to the review (change nothing)"))
        try:
            picked = self.asker.select(
                "review.section", "Which section do you want to go through again?", options
            )
        except KeyboardInterrupt:
            return
        if picked == BACK:
            return
        self._shown_section = None
        names = [q.name for q in self.script.section(picked).questions]
        self.settle(after_change=True, revisit=names)

    def _fix_conflicts(self) -> bool:
        """Run the cross-field rules over everything; re-ask each offending question.

        Returns True when something had to be fixed (so the review is shown again).
        """
        problems = cross_field_problems(self.values, _same_name)
        if not problems:
            return False
        self.asker.say("Some answers do not fit together:", tone="note")
        applicable = {q.name for q in self.applicable()}
        for problem in problems:
            q = self.script.find(problem.where)
            label = q.label if q else problem.where
            self.asker.say(f"  {label}: {problem.message}", tone="note")
            if q is not None and q.name in applicable:
                self.ask(q, announce=False)
            elif problem.where in self.values:
                self.values.pop(problem.where)
                self._notices.append(f"  {label} was dropped: {problem.message}")
                self.asker.say(f"  {label} was dropped.", tone="note")
        self.settle(after_change=True)
        return True

    # ------------------------------------------------------------ the result

    def answers(self) -> Answers:
        """The answers, validated once more as a whole (the same gate as an answers file)."""
        flat = {
            name: to_plain(BY_NAME[name], value)
            for name, value in self.values.items()
            if value is not None
        }
        return validate_flat(flat, lambda name: cap(BY_NAME[name].label), source="your answers")
