"""The commands for one local's documents: `render` an answers file, `explain` its choices, or
answer the interview (`new`); and the lines they print after writing.

Registered, with their examples, in `tutorbargain.cli.application`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from tutorbargain.cli.common import (
    AnswersArg,
    ClausesOpt,
    ForceOpt,
    OutOpt,
    PdfOpt,
    guarded,
    load_library,
    say,
)


@guarded
def render(
    answers: AnswersArg,
    output: OutOpt = Path("tutorbargain-out"),
    force: ForceOpt = False,
    clean: Annotated[
        bool,
        typer.Option(
            "--clean", help="Also write a copy of the MOU without comments, to give the district."
        ),
    ] = False,
    kit: Annotated[
        bool,
        typer.Option(
            "--kit", help="Also write the demand-to-bargain letter and the information request."
        ),
    ] = False,
    pdf: PdfOpt = False,
    reference_docx: Annotated[
        Path | None,
        typer.Option(
            "--reference-docx",
            metavar="FILE",
            help="A Word file with your letterhead and styles to write into.",
            show_default=False,
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            metavar="DIR",
            help="A folder with your own versions of the document templates (mou.j2 ...).",
            show_default=False,
        ),
    ] = None,
    clauses: ClausesOpt = None,
    against: Annotated[
        Path | None,
        typer.Option(
            "--against",
            metavar="PREVIOUS.docx",
            help="Your previous MOU (edited in Word or not): write the new one as tracked "
            "changes against it, keeping your team's edits.",
            show_default=False,
        ),
    ] = None,
    author: Annotated[
        str | None,
        typer.Option(
            "--author",
            help="With --against: whose changes Word shows (default: the MOU's author).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write the MOU draft and the impact-question list for an answers file."""
    from tutorbargain.answers.reading import load_answers
    from tutorbargain.render import render_answers

    loaded = load_answers(answers)
    _warn_state(loaded, clauses)
    result = render_answers(
        loaded,
        output,
        force=force,
        clean=clean,
        kit=kit,
        pdf=pdf,
        reference_docx=reference_docx,
        clause_dirs=clauses or (),
        templates_dir=templates,
        against=against,
        author=author,
    )
    say("Wrote:")
    for path in result.paths:
        say(f"  {path}")
    if result.carried is not None:
        _print_carried(result.carried, against)
    from tutorbargain.interview import left_out_for_unknowns

    read = _as_documents_read(loaded, clauses)
    left_out = [gap.line() for gap in left_out_for_unknowns(result.selection, read)]
    _print_placeholders(result.placeholders, left_out)
    _print_defaults(result.defaults_used)
    if result.cost_needs:
        from tutorbargain.answers.fields import BY_NAME

        needs = [f"{BY_NAME[name].label} ({name})" for name in result.cost_needs]
        say("For a cost appendix, also answer: " + ", ".join(needs) + ".")
    say(
        f"Next: open {result.paths[0]} in Word. "
        f"`tutorbargain explain {answers}` shows why each clause is there."
    )


def _print_carried(carried: Any, against: Path | None) -> None:
    from tutorbargain.roundtrip.carryover import summary

    say(f"Against {against}: {summary(carried)}.")
    if not carried.had_record:
        return
    changed = [a for a in carried.comparison.articles if a.status != "unchanged"]
    if changed:
        say("Tracked changes in: " + ", ".join(f"{a.title} ({a.status})" for a in changed) + ".")
    else:
        say("No changes from the previous copy.")


def _as_documents_read(answers: Any, clause_dirs: list[Path] | None) -> Any:
    """The answers as the documents read them (`states.document_answers`), so what an unknown
    answer "left out" is never a clause the state's law keeps out whatever the answer."""
    from tutorbargain.library.states import document_answers, state_facts

    return document_answers(
        answers, state_facts(answers.get("district.state"), folders=clause_dirs or ())
    )


def _warn_state(answers: Any, clause_dirs: list[Path] | None) -> Any:
    """Print, on stderr, the one-line warning when the status conflicts with the state's law,
    and one for each date that today's date makes doubtful."""
    import datetime as dt

    from tutorbargain.answers.timeline import date_warnings
    from tutorbargain.library.states import conflict_warning, warning_line

    warning = conflict_warning(answers, folders=clause_dirs or ())
    if warning is not None:
        typer.echo(warning_line(warning), err=True)
    read = _as_documents_read(answers, clause_dirs)
    for line in date_warnings(read, dt.date.today(), _lines_of(answers.source)):
        typer.echo(f"Warning: {line}", err=True)
    return warning


def _lines_of(source: str) -> Any:
    """Where each field is in the answers file ``source`` (its file and line, as reading's
    problems say), or None when the answers did not come from a file that can be read."""
    from tutorbargain.errors import TutorbargainError
    from tutorbargain.yamlfile import load_yaml

    path = Path(source)
    if not path.is_file():
        return None
    try:
        return load_yaml(path, what="an answers file").where
    except TutorbargainError:
        return None


def _print_defaults(names: list[str]) -> None:
    """The proposal terms printed at their default, with where each default comes from."""
    if names:
        from tutorbargain.answers.fields import BY_NAME

        say(f"Defaults used ({len(names)}; answer them in the answers file to change them):")
        for name in names:
            f = BY_NAME[name]
            say(f"  {name}: {f.default} ({f.default_source})")


def _print_placeholders(placeholders: list[str], left_out: Sequence[str] = ()) -> None:
    """The blanks to fill in, and what unknown answers left out; "nothing" only when true."""
    if placeholders:
        say(f"Fill in before the session ({len(placeholders)} highlighted in the documents):")
        for label in placeholders:
            say(f"  {label}")
    if left_out:
        say("Left out because not known yet:")
        for line in left_out:
            say(f"  {line}")
    if not placeholders and not left_out:
        say("Nothing left to fill in.")


@guarded
def explain(
    answers: AnswersArg,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    clauses: ClausesOpt = None,
) -> None:
    """Show every clause and question, in or out, and why."""
    from tutorbargain.answers.reading import load_answers
    from tutorbargain.library.selection import explain_json, select
    from tutorbargain.library.states import conflict_warning

    loaded = load_answers(answers)
    selection = select(load_library(clauses), loaded)
    warning = conflict_warning(loaded, folders=clauses or ())
    if as_json:
        say(json.dumps(explain_json(selection, warning=warning), indent=2, ensure_ascii=False))
        return
    posture = selection.posture
    say(
        f"{loaded.get('local.name')} and {loaded.get('district.name')}, {loaded.get('school_year')}"
    )
    say(f"Position: {posture.title}")
    if selection.posture_reason:
        say(f"  because {selection.posture_reason}")
    say(f"  source: {posture.source}")
    if warning is not None:
        say(f"Warning: {warning.text}")
        say(f"  source: {warning.source}")
    sections = (
        ("Clauses", selection.clauses),
        ("Questions", selection.questions),
        ("Information requests", selection.requests),
    )
    for heading, choices in sections:
        chosen = [c for c in choices if c.included]
        say()
        say(f"{heading} included ({len(chosen)} of {len(choices)}):")
        for choice in chosen:
            say(f"  + {choice.entry.id}: {choice.entry.title}")
            say(f"      {choice.reason}")
        say(f"{heading} left out ({len(choices) - len(chosen)}):")
        for choice in choices:
            if not choice.included:
                say(f"  - {choice.entry.id}: {choice.entry.title}")
                say(f"      {choice.reason}")


@guarded
def new(
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Start from this answers file (last year's, or another local's): "
            "ask only what it leaves out, then review every answer.",
            show_default=False,
        ),
    ] = None,
    save: Annotated[
        Path | None,
        typer.Option(
            "--save",
            help="Where to save your answers (default: the --answers file, else answers.yml; "
            "asks before replacing).",
            show_default=False,
        ),
    ] = None,
    output: OutOpt = Path("tutorbargain-out"),
) -> None:
    """Answer a short interview, check your answers, and get the MOU draft and questions."""
    from tutorbargain.interview import require_terminal, run_new

    require_terminal()
    from tutorbargain.interview.asker import QuestionaryAsker

    result = run_new(QuestionaryAsker(), start=answers, save=save, out_dir=output)
    _warn_state(result.answers, None)
    if result.rendered is None:
        say("The documents were not written.")
        say(f"To write them into another folder: tutorbargain render {result.saved} -o FOLDER")
        return
    say("Wrote:")
    for path in result.rendered.paths:
        say(f"  {path}")
    from tutorbargain.interview import left_out_for_unknowns

    read = _as_documents_read(result.answers, None)
    left_out = left_out_for_unknowns(result.rendered.selection, read)
    _print_placeholders(result.rendered.placeholders, [gap.line() for gap in left_out])
    _print_defaults(result.rendered.defaults_used)
    if result.rendered.cost_needs:
        from tutorbargain.answers.fields import BY_NAME

        needs = [BY_NAME[name].label for name in result.rendered.cost_needs]
        say("For a cost appendix, also answer: " + ", ".join(needs) + ".")
        say(f"  (`tutorbargain new --answers {result.saved}` lets you add them.)")
    say(f"Next: open {result.rendered.paths[0]} in Word.")
    say(f"`tutorbargain explain {result.saved}` shows why each clause is there.")
