"""The interview behind `tutorbargain new`: ask, review, save the answers, render.

What is asked, and when, is data in ``interview.yml`` beside this module: each question fills
one answers-file field, and its ``when`` rule (the clause-rule syntax, decided by `rules`) says
whether it applies to this program. Every typed answer goes through `answers.parse_value` and
the cross-field rules, so the wizard and the answers file say the same thing about the same
mistake. The library entry point is `run_new`; the CLI only checks for a terminal and prints.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import yaml

from tutorbargain import __version__
from tutorbargain.answers.fields import (
    BY_NAME,
    FIELDS,
    SCHEMA_VERSION,
    SUPPORTED_VERSIONS,
    Field,
    Kind,
)
from tutorbargain.answers.reading import (
    Answers,
    Locate,
    ValueProblem,
    cross_field_problems,
    flatten,
    parse_value,
    to_plain,
    validate_flat,
)
from tutorbargain.errors import (
    AnswersError,
    InputFileError,
    Interrupted,
    Problem,
    TutorbargainError,
    problems_error,
)
from tutorbargain.interview.asker import NOT_SURE, Asker, GoBack, Heading, Option
from tutorbargain.library.rules import (
    Rule,
    RuleProblem,
    evaluate,
    evaluate_values,
    fields_in,
    parse_rule,
)
from tutorbargain.schema import did_you_mean
from tutorbargain.yamlfile import load_yaml

if TYPE_CHECKING:
    from tutorbargain.library.selection import Selection
    from tutorbargain.render import RenderResult

INTERVIEW_FILE = Path(__file__).with_name("interview.yml")
INTERVIEW_FORMAT = 1

UNSURE = "not-sure"
"""The option value of "Not sure yet"; no field's choices use a dash, so it cannot clash."""
BACK = "back"
T = TypeVar("T")
_BACK_PAGE = "<- Back to the previous section"

_TOP_KEYS = {"schema_version", "sections", "skipped"}
_SECTION_KEYS = {"id", "title", "questions"}
_QUESTION_KEYS = {"field", "prompt", "hint", "when", "default", "unsure"}


# ---------------------------------------------------------------- the questions, as data


@dataclass(frozen=True)
class Question:
    """One question: the field it fills, its words, when it applies and what Enter gives."""

    field: Field
    section: str
    prompt: str
    hint: str
    """One line on why the answer matters at the bargaining table."""
    when: Rule
    default: Any = None
    """A typed value (parsed by `answers.parse_value`), or None for no default."""
    unsure: bool = False
    """For a yes/no field: also offer "Not sure yet", which leaves it blank."""

    @property
    def name(self) -> str:
        return self.field.name

    @property
    def label(self) -> str:
        """The field's label as the start of a line: "Vendor name"."""
        return _cap(self.field.label)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Script:
    """Every question in the order asked, and the fields deliberately not asked, with why."""

    sections: tuple[Section, ...]
    skipped: Mapping[str, str]

    def questions(self) -> list[Question]:
        return [q for section in self.sections for q in section.questions]

    def find(self, name: str) -> Question | None:
        return next((q for q in self.questions() if q.name == name), None)

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def unasked(self) -> list[str]:
        """Schema fields neither asked nor skipped with a reason: a gap in the interview."""
        asked = {q.name for q in self.questions()}
        return [f.name for f in FIELDS if f.name not in asked and f.name not in self.skipped]


def load_script(path: Path = INTERVIEW_FILE) -> Script:
    """Read and check an interview file; every problem names its line.

    A question's ``when`` may only read fields asked before it, so whether it applies is known
    when its turn comes, and a later answer can never change what was asked earlier.
    """
    doc = load_yaml(path, what="an interview file")
    data = doc.data
    if not isinstance(data, Mapping):
        raise InputFileError("", [Problem(str(path), "must hold sections: and their questions")])
    problems: list[Problem] = []
    for key in set(map(str, data)) - _TOP_KEYS:
        problems.append(
            Problem(
                doc.where(key), f"is not a key of an interview file{did_you_mean(key, _TOP_KEYS)}"
            )
        )
    if data.get("schema_version") != INTERVIEW_FORMAT:
        problems.append(Problem(doc.where("schema_version"), f"must be {INTERVIEW_FORMAT}"))
    asked: list[str] = []
    sections: list[Section] = []
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        problems.append(Problem(doc.where("sections"), "must be a list of sections"))
        raw_sections = []
    for index, raw in enumerate(raw_sections):
        key = f"sections[{index}]"
        if not isinstance(raw, Mapping) or not {"id", "title", "questions"} <= set(raw):
            problems.append(Problem(doc.where(key), "a section needs an id, a title and questions"))
            continue
        for extra in set(map(str, raw)) - _SECTION_KEYS:
            problems.append(Problem(doc.where(f"{key}.{extra}"), "is not a key of a section"))
        section_id = str(raw["id"])
        questions = [
            q
            for q_index, raw_q in enumerate(raw["questions"] or [])
            if (
                q := _question(
                    doc.where, f"{key}.questions[{q_index}]", raw_q, section_id, asked, problems
                )
            )
        ]
        sections.append(Section(section_id, str(raw["title"]), tuple(questions)))
    skipped = _skipped(doc.where, data.get("skipped"), asked, problems)
    if problems:
        raise problems_error(InputFileError, str(path), problems)
    return Script(tuple(sections), skipped)


def _question(
    where: Locate, key: str, raw: object, section: str, asked: list[str], problems: list[Problem]
) -> Question | None:
    """One question from the file, or None (with problems noted) when it cannot be used."""
    if not isinstance(raw, Mapping):
        problems.append(Problem(where(key), "a question needs field, prompt and hint"))
        return None
    for extra in set(map(str, raw)) - _QUESTION_KEYS:
        hint = did_you_mean(extra, _QUESTION_KEYS)
        problems.append(Problem(where(f"{key}.{extra}"), f"is not a key of a question{hint}"))
    name = str(raw.get("field"))
    f = BY_NAME.get(name)
    if f is None:
        hint = did_you_mean(name, BY_NAME)
        problems.append(Problem(where(f"{key}.field"), f"'{name}' is not an answers field{hint}"))
        return None
    if name in asked:
        problems.append(Problem(where(f"{key}.field"), f"{name} is asked twice"))
    words = {part: raw.get(part) for part in ("prompt", "hint")}
    for part, text in words.items():
        if not isinstance(text, str) or not text.strip():
            problems.append(
                Problem(where(f"{key}.{part}" if part in raw else key), f"needs a {part}")
            )
    try:
        when = parse_rule(raw.get("when"))
    except RuleProblem as exc:
        problems.append(Problem(where(f"{key}.when"), str(exc)))
        when = parse_rule(None)
    later = sorted(fields_in(when) - set(asked))
    if later:
        problems.append(
            Problem(
                where(f"{key}.when"),
                f"reads {', '.join(later)}, which is not asked before this question",
            )
        )
    default = None
    if "default" in raw:
        try:
            default = parse_value(f, raw["default"])
        except ValueProblem as exc:
            problems.append(Problem(where(f"{key}.default"), f"the default {exc}"))
    unsure = raw.get("unsure", False)
    if not isinstance(unsure, bool) or (unsure and f.kind is not Kind.BOOL):
        problems.append(Problem(where(f"{key}.unsure"), "is true or false, for yes/no fields"))
        unsure = False
    asked.append(name)
    return Question(f, section, str(words["prompt"]), str(words["hint"]), when, default, unsure)


def _skipped(
    where: Locate, raw: object, asked: list[str], problems: list[Problem]
) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        problems.append(Problem(where("skipped"), "must map field names to the reason"))
        return {}
    skipped: dict[str, str] = {}
    for name, reason in raw.items():
        key = f"skipped.{name}"
        if str(name) not in BY_NAME:
            problems.append(
                Problem(where(key), f"is not an answers field{did_you_mean(str(name), BY_NAME)}")
            )
        elif str(name) in asked:
            problems.append(Problem(where(key), "is asked, so it cannot also be skipped"))
        elif not isinstance(reason, str) or not reason.strip():
            problems.append(Problem(where(key), "needs the reason it is not asked"))
        else:
            skipped[str(name)] = reason
    return skipped


# ---------------------------------------------------------------- reading what was typed


def read_typed(f: Field, typed: str) -> Any:
    """What a person typed, as the field's value (or `ValueProblem`), by `answers.parse_value`.

    Only the shape of the input differs from a file: a list is typed as one line, so its items
    are split at commas or semicolons first.
    """
    if f.kind is Kind.LIST and typed.strip():
        value = parse_value(f, re.split(r"[,;]", typed))
        return value or None
    return parse_value(f, typed)


def as_typed_text(f: Field, value: Any) -> str:
    """A value as a person would type it, to offer as the default when it is asked again."""
    if value is None or value == []:
        return ""
    return f.words_for(value)


def _options(q: Question) -> list[Option | Heading]:
    """A choice question's options, with one "Not sure yet" where it may be left blank.

    A field whose own choices already say "not decided yet" gets no second way to say it.
    """
    f = q.field
    options: list[Option | Heading] = [Option(value, _cap(words)) for value, words in f.choices]
    if not f.required and not any(words.startswith("not ") for _, words in f.choices):
        options.append(Option(UNSURE, NOT_SURE))
    return options


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _same_name(name: str) -> str:
    return name


def short_prompt(q: Question) -> str:
    """The question without its typing example: "Which school year is the program for?"."""
    return re.sub(r"\s*\([^()]*\)$", "", q.prompt)


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


# ---------------------------------------------------------------- one run of the interview


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
        if f.kind is Kind.BOOL:
            default = None if current is None else bool(current)
            return self.asker.yes_no(
                q.name, q.prompt, hint=q.hint, default=default, unsure=q.unsure, back=back
            )
        if f.kind is Kind.CHOICE:
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
            return "(left blank)" if q.field.kind not in (Kind.BOOL, Kind.CHOICE) else NOT_SURE
        return _cap(q.field.words_for(value))

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
        return validate_flat(flat, lambda name: _cap(BY_NAME[name].label), source="your answers")


# ---------------------------------------------------------------- starting from a file


def read_answers_file(path: Path) -> tuple[dict[str, Any], list[Problem]]:
    """The answers a file already gives, typed, to start an interview from.

    Unlike `answers.load_answers`, a file may be unfinished: missing answers are simply asked.
    A value that does not fit is left out and reported (it will be asked again); an unknown
    key or a newer schema version stops with an `AnswersError`, since saving would lose it.
    """
    doc = load_yaml(path, what="an answers file")
    data = {} if doc.data is None else doc.data
    if not isinstance(data, Mapping):
        raise AnswersError(
            "", [Problem(str(path), "must be a set of answers (local:, district:, ...)")]
        )
    version = data.get("schema_version")
    if version is not None and version not in SUPPORTED_VERSIONS:
        raise AnswersError(
            "",
            [
                Problem(
                    doc.where("schema_version"),
                    f"is {version!r}, but this tutorbargain reads schema version {SCHEMA_VERSION}",
                )
            ],
        )
    flat, unknown = flatten(data, doc.where)
    if unknown:
        raise problems_error(AnswersError, str(path), unknown)
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, raw in flat.items():
        f = BY_NAME[name]
        try:
            value = parse_value(f, raw)
        except ValueProblem as exc:
            problems.append(Problem(doc.where(name), str(exc)))
            continue
        if value is None and f.required:
            continue
        values[name] = value
    return values, problems


# ---------------------------------------------------------------- writing the answers file


def answers_yaml(
    values: Mapping[str, Any],
    *,
    path: Path,
    library_version: str,
    today: dt.date,
    finished: bool = True,
) -> str:
    """The answers as a commented YAML file that `render` reads unchanged.

    Sections come in schema order, each field under a comment with its help text; a field the
    person left blank is written empty, marked "not answered yet", to fill in later. The
    header records the tool and clause-library versions, which make a later re-render
    explainable. Values go through ``yaml.safe_dump``, so any text survives the round trip.
    """
    lines = [
        f"# Answers for tutorbargain, written by `tutorbargain new` on {today.isoformat()}",
        f"# (tutorbargain {__version__}, clause library {library_version}).",
    ]
    if finished:
        lines.append(f"# Write the documents again:  tutorbargain render {path}")
        lines.append(f"# Change answers in the interview:  tutorbargain new --answers {path}")
    else:
        lines.append(f"# Not finished yet: `tutorbargain new --answers {path}` asks the rest.")
    lines.append(f"schema_version: {SCHEMA_VERSION}")
    current: str | None = None
    for f in FIELDS:
        if f.name not in values:
            continue
        if f.section != current:
            current = f.section
            lines.append("")
            if f.section:
                lines.append(f"{f.section}:")
        indent = "  " if f.section else ""
        lines.append(f"{indent}# {f.help}")
        lines.append(indent + _yaml_item(f, values[f.name]))
    return "\n".join(lines) + "\n"


def _yaml_item(f: Field, value: Any) -> str:
    """``key: value`` for one field, as a person would write it and YAML reads it back."""
    if value is None:
        return f"{f.key}:  # not answered yet"
    plain = to_plain(f, value)
    if f.kind is Kind.MONEY:  # 41.80, not 41.8: a plain number either way
        return f"{f.key}: {plain if isinstance(plain, int) else format(value, 'f')}"
    if f.kind is Kind.DATE:  # ISO dates stay text to the loader, so no quotes are needed
        return f"{f.key}: {plain}"
    if f.kind is Kind.GRADES:  # [K, 1, 2] rather than ['K', '1', '2']
        plain = [int(grade) if grade.isdigit() else grade for grade in plain]
    dumped = yaml.safe_dump(
        {f.key: plain},
        allow_unicode=True,
        sort_keys=False,
        width=1_000_000,
        default_flow_style=None if isinstance(plain, list) else False,
    )
    return str(dumped).rstrip("\n")


def write_answers(path: Path, text: str) -> None:
    """Write the answers file atomically: a Ctrl-C never leaves half a file."""
    from tutorbargain.writers.output import prepare_dir, write_atomic

    prepare_dir(path.parent)
    write_atomic(path, text.encode("utf-8"))


def _library_version() -> str:
    """The clause library's version for the file header; a broken library must not stop a save."""
    from tutorbargain.library.loading import load_library

    try:
        return load_library().version
    except TutorbargainError:
        return "unknown"


def _free_name(path: Path) -> Path:
    """``answers.yml`` -> ``answers-2.yml`` (or -3, ...), a name not yet taken."""
    number = 2
    while True:
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        if not candidate.exists():
            return candidate
        number += 1


def _same_file(a: Path, b: Path | None) -> bool:
    return b is not None and a.resolve() == b.resolve()


# ---------------------------------------------------------------- the whole command


@dataclass
class NewResult:
    """What `run_new` did: where it saved the answers, and what it rendered (None if declined)."""

    saved: Path
    answers: Answers
    rendered: RenderResult | None


def run_new(
    asker: Asker,
    *,
    start: Path | None = None,
    save: Path | None = None,
    out_dir: Path = Path("tutorbargain-out"),
    script: Script | None = None,
    today: dt.date | None = None,
) -> NewResult:
    """Interview, review, save the answers and render: `tutorbargain new` as a function.

    Answers go back into the file the interview started from (after saying so), else into
    ``save`` (default ``answers.yml``); an answers file already there is offered to resume,
    and is never replaced by a partial save. Raises `Interrupted` when the person stops (after
    offering to go on or save), and the usual `TutorbargainError` subclasses for a bad start
    file or an unwritable output.
    """
    day = today or dt.date.today()
    _welcome(asker)
    start, target = _where(asker, start, save)
    interview = Interview(asker, script or load_script())
    if start is not None:
        interview.values, problems = read_answers_file(start)
    else:
        problems = []
    interview.on_interrupt = partial(_offer_stop, interview, target, start=start, today=day)
    _introduce(asker, start, interview, problems)
    try:
        interview.settle()
        interview.review()
        answers = interview.answers()
        if start is not None and not interview.changed and _same_file(target, start):
            saved = target
            asker.say(f"Your answers are unchanged in {saved}.")
        else:
            saved = _save_final(interview, target, start=start, today=day)
            asker.say(f"Saved your answers in {saved}.")
    except KeyboardInterrupt:
        _offer_stop(interview, target, start=start, today=day, can_go_on=False)
        raise AssertionError("_offer_stop always stops here") from None
    try:
        rendered = _render(asker, answers, out_dir, today=day)
    except KeyboardInterrupt:
        raise Interrupted(
            f"Stopped. Your answers are saved in {saved}; "
            f"`tutorbargain render {saved}` writes the documents."
        ) from None
    return NewResult(saved=saved, answers=answers, rendered=rendered)


def _where(asker: Asker, start: Path | None, save: Path | None) -> tuple[Path | None, Path]:
    """Which file to start from and which to save into, offering to resume one found there.

    Without ``--answers``, an answers file already at the save path (``answers.yml`` by
    default) is named first and offered to pick up from; declining keeps it as it is.
    """
    target = save or start or Path("answers.yml")
    if start is not None or not target.is_file():
        return start, target
    try:
        found, _ = read_answers_file(target)
    except TutorbargainError as exc:
        asker.say(f"{target} is here already, but it cannot be read ({exc}).", tone="note")
        asker.say("It stays as it is; you will choose where to save at the end.", tone="note")
        return None, target
    asker.say(f"There is already an answers file here: {target}, with {len(found)} answers.")
    resume = asker.confirm(
        "start.resume",
        f"Pick up from {target}?",
        hint=f"Yes: only what it leaves out is asked. No: start afresh; {target} stays as it is.",
        default=True,
    )
    if resume:
        return target, target
    asker.say(f"Starting afresh. {target} stays as it is; you choose where to save at the end.")
    return None, target


def _welcome(asker: Asker) -> None:
    asker.say(
        "This interview asks about your local, the district and the tutoring program "
        "(about ten minutes), shows you every answer to check, then writes an MOU draft "
        "and a list of impact questions."
    )
    asker.say("  - Press Enter to keep the answer already shown.")
    asker.say(
        '  - Don\'t know something yet? Leave it blank or choose "Not sure yet": the '
        "documents will show a highlighted blank, like [VENDOR RATE], or tell you what was "
        "left out until you know."
    )
    asker.say("  - Ctrl-B goes back to the question before, with its answer filled in.")
    asker.say("  - Ctrl-C or Esc pauses: go on, or save your answers and finish later.")
    asker.say()


def _introduce(
    asker: Asker, start: Path | None, interview: Interview, problems: list[Problem]
) -> None:
    if start is None:
        return
    asker.say(
        f"Starting from {start}, which answers {len(interview.values)} questions. "
        "You will be asked only what it leaves out, then see every answer to check."
    )
    if problems:
        asker.say("These answers in it do not fit, so they will be asked again:", tone="note")
        for problem in problems:
            asker.say(f"  {problem}", tone="note")


def _save_final(interview: Interview, path: Path, *, start: Path | None, today: dt.date) -> Path:
    """Pick where to save (never replacing a file unasked) and write the answers there.

    The file the interview started from is offered first, answer Yes by default: the
    answers end in one file, not in a new one beside a stale copy.
    """
    asker = interview.asker
    while path.is_dir() or path.exists() or path.is_symlink():
        if path.is_dir():
            asker.say(f"{path} is a folder.", tone="note")
        elif _same_file(path, start):
            if asker.confirm(
                "save.back",
                f"Save your answers back into {path}, the file you started from?",
                hint="No: keep it as it was and save into another file.",
                default=True,
            ):
                break
        elif asker.confirm(
            "save.replace", f"{path} already exists. Replace it with these answers?", default=False
        ):
            break
        typed = asker.text(
            "save.path",
            "Save the answers to which file instead?",
            default=str(_free_name(path)),
            validate=_check_save_path,
        )
        path = Path(typed.strip())
    text = answers_yaml(
        interview.values, path=path, library_version=_library_version(), today=today
    )
    write_answers(path, text)
    return path


def _check_save_path(typed: str) -> str | None:
    if not typed.strip():
        return "Type a file name, like answers-2.yml."
    if Path(typed.strip()).is_dir():
        return f"{typed.strip()} is a folder; type a file name, like answers-2.yml."
    return None


def _partial_target(path: Path, start: Path | None) -> tuple[Path, str]:
    """Where answers so far go, and why there: never over a file they did not start from."""
    if _same_file(path, start):
        return path, " (the file you started from)"
    if path.exists() or path.is_symlink():
        return _free_name(path), f" ({path} stays as it is)"
    return path, ""


def _offer_stop(
    interview: Interview,
    path: Path,
    *,
    start: Path | None,
    today: dt.date,
    can_go_on: bool = True,
) -> None:
    """After Ctrl-C or Esc: offer to go on (the default), save and stop, or stop.

    Returns to go on; otherwise raises `Interrupted`. Stopping without saving what was
    answered asks once more, and No goes on (or saves, where going on is not possible).
    A second Ctrl-C at the offer stops at once; a file is written whole or not at all.
    """
    asker = interview.asker
    unchanged = f" {start} is unchanged." if start is not None else ""
    something = interview.changed and bool(interview.values)
    target, why = _partial_target(path, start)
    options: list[Option] = []
    if can_go_on:
        options.append(Option("go-on", "Go on with the interview"))
    if something:
        options.append(Option("save", f"Save the answers so far in {target}{why}, and stop"))
        options.append(Option("quit", "Stop without saving"))
    else:
        options.append(Option("quit", "Stop (there is nothing new to save)"))
    try:
        asker.say()
        picked = asker.select(
            "stop", "You pressed Ctrl-C or Esc. What now?", options, default=options[0].value
        )
        if picked == "go-on":
            asker.say("Going on.")
            return
        if picked == "quit" and something:
            since = f" since starting from {start}" if start is not None else ""
            if not asker.confirm(
                "stop.discard", f"Throw away the answers you gave{since}?", default=False
            ):
                if can_go_on:
                    asker.say("Going on.")
                    return
                picked = "save"
    except KeyboardInterrupt:
        raise Interrupted(f"Stopped. Nothing was saved.{unchanged}") from None
    if picked == "quit":
        raise Interrupted(f"Stopped. Nothing was saved.{unchanged}")
    text = answers_yaml(
        interview.values,
        path=target,
        library_version=_library_version(),
        today=today,
        finished=interview.next_missing() is None,
    )
    try:
        write_answers(target, text)
    except TutorbargainError as exc:
        raise Interrupted(f"Stopped. The answers could not be saved: {exc}") from None
    except KeyboardInterrupt:
        raise Interrupted("Stopped. Nothing was saved.") from None
    raise Interrupted(
        f"Stopped. Your answers so far are in {target}.\n"
        f"To finish, run: tutorbargain new --answers {target}"
    )


# ---------------------------------------------------------------- what the blanks left out


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
            if answers.get(name) is not None or f.kind not in (Kind.BOOL, Kind.CHOICE):
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


def _render(
    asker: Asker, answers: Answers, out_dir: Path, *, today: dt.date
) -> RenderResult | None:
    """Render into ``out_dir``, asking before replacing this local's documents there."""
    from tutorbargain.render import output_names, render_answers
    from tutorbargain.writers.output import slugify

    names = output_names(slugify(answers.get("local.name")))
    existing = [out_dir / name for name in names.values() if (out_dir / name).exists()]
    force = False
    if existing:
        force = asker.confirm(
            "render.replace",
            f"{out_dir} already has this local's documents. Replace them?",
            hint=f"For example {existing[0].name}.",
            default=False,
        )
        if not force:
            return None
    asker.say("Writing the documents...")
    return render_answers(answers, out_dir, force=force, today=today)


def require_terminal(stream: TextIO | None = None) -> None:
    """Refuse to start without a terminal to ask in, pointing to the command that needs none."""
    stream = sys.stdin if stream is None else stream
    try:
        interactive = stream is not None and stream.isatty()
    except (ValueError, OSError):
        interactive = False
    if not interactive:
        raise TutorbargainError(
            "`tutorbargain new` asks questions, so it needs a terminal; without one, write an "
            "answers file and run `tutorbargain render ANSWERS` instead."
        )
