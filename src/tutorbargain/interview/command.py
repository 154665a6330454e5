"""`tutorbargain new` as a function: welcome, interview, review, save the answers, render.

The CLI only checks for a terminal (`require_terminal`) and prints what `run_new` returns.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from tutorbargain import schema
from tutorbargain.answers.fields import BY_NAME, SUPPORTED_VERSIONS
from tutorbargain.answers.kinds import parse_value
from tutorbargain.answers.parsing import ValueProblem
from tutorbargain.answers.reading import Answers, flatten
from tutorbargain.errors import (
    AnswersError,
    Interrupted,
    Problem,
    TutorbargainError,
    problems_error,
)
from tutorbargain.interview.asker import Asker
from tutorbargain.interview.saving import offer_stop, same_file, save_final
from tutorbargain.interview.script import Script, load_script
from tutorbargain.interview.session import Interview
from tutorbargain.yamlfile import load_yaml

if TYPE_CHECKING:
    from tutorbargain.render import RenderResult


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
    interview.on_interrupt = partial(offer_stop, interview, target, start=start, today=day)
    _introduce(asker, start, interview, problems)
    try:
        interview.settle()
        interview.review()
        answers = interview.answers()
        if start is not None and not interview.changed and same_file(target, start):
            saved = target
            asker.say(f"Your answers are unchanged in {saved}.")
        else:
            saved = save_final(interview, target, start=start, today=day)
            asker.say(f"Saved your answers in {saved}.")
    except KeyboardInterrupt:
        offer_stop(interview, target, start=start, today=day, can_go_on=False)
        raise AssertionError("offer_stop always stops here") from None
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
    problem = schema.version_problem(data.get("schema_version"), SUPPORTED_VERSIONS, required=False)
    if problem:
        raise AnswersError("", [Problem(doc.where("schema_version"), problem)])
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
