"""The `tutorbargain` command: parse options, call the library, print plain words.

Exit codes, set only in `main`: 0 done; 1 bad input, a refused overwrite or a missing tool
(one message, nothing written); 2 a command-line mistake; 3 a bug (a crash report is saved);
130 stopped with Ctrl-C.

Heavy libraries load inside the commands that need them, so ``--help`` is quick.
"""

from __future__ import annotations

import functools
import json
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from tutorbargain import __version__
from tutorbargain.errors import Interrupted, TutorbargainError

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

app = typer.Typer(
    name="tutorbargain",
    help="Draft a tutoring MOU and impact-bargaining questions for a teachers' union local.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
clauses_app = typer.Typer(help="Read and check the clause library.", no_args_is_help=True)
app.add_typer(clauses_app, name="clauses")

F = TypeVar("F", bound=Callable[..., Any])


def guarded(func: F) -> F:
    """Turn Ctrl-C inside a command into `Interrupted`, so `main` can exit 130 cleanly."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KeyboardInterrupt:
            raise Interrupted(
                "Stopped. Any file already written is complete; none was left half-written."
            ) from None

    return wrapper  # type: ignore[return-value]


def say(text: str = "") -> None:
    typer.echo(text)


def _version(value: bool) -> None:
    if value:
        say(f"tutorbargain {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Draft a tutoring MOU and impact-bargaining questions for a teachers' union local.

    Start with `tutorbargain new` (an interview) or `tutorbargain render answers.yml`.
    """


AnswersArg = Annotated[
    Path,
    typer.Argument(metavar="ANSWERS", help="The answers file (YAML).", show_default=False),
]
OutOpt = Annotated[
    Path,
    typer.Option("--output", "-o", metavar="DIR", help="Folder to write the documents in."),
]
ClausesOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--clauses",
        metavar="DIR",
        help="A folder of your own clause files, layered over the "
        "bundled library (repeat for more than one).",
        show_default=False,
    ),
]

PdfOpt = Annotated[bool, typer.Option("--pdf", help="Also write PDFs (needs LibreOffice).")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace documents that already exist.")]


def _library(clause_dirs: list[Path] | None) -> Any:
    from tutorbargain.library.loading import load_library

    return load_library(clause_dirs or ())


@app.command(epilog="Example: tutorbargain render examples/lakeview-vendor-virtual.yml -o out")
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

    left_out = [gap.line() for gap in left_out_for_unknowns(result.selection, loaded)]
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


def _warn_state(answers: Any, clause_dirs: list[Path] | None) -> Any:
    """Print, on stderr, the one-line warning when the status conflicts with the state's law."""
    from tutorbargain.library.states import conflict_warning, warning_line

    warning = conflict_warning(answers, folders=clause_dirs or ())
    if warning is not None:
        typer.echo(warning_line(warning), err=True)
    return warning


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


@app.command(epilog="Example: tutorbargain explain answers.yml --json")
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
    selection = select(_library(clauses), loaded)
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


@app.command(epilog="Example: tutorbargain schema > answers.schema.json")
@guarded
def schema() -> None:
    """Print the JSON Schema of answers files, for an editor to check them as you type."""
    from tutorbargain.answers.reading import json_schema

    say(json.dumps(json_schema(), indent=2))


@clauses_app.command("list", epilog="Example: tutorbargain clauses list --questions")
@guarded
def clauses_list(
    questions: Annotated[
        bool, typer.Option("--questions", help="List impact questions instead of clauses.")
    ] = False,
    clauses: ClausesOpt = None,
) -> None:
    """List the clauses (or questions) of the library, by topic."""
    from tutorbargain.library.loading import sorted_entries

    library = _library(clauses)
    entries = sorted_entries(library, library.questions if questions else library.clauses)
    topic = None
    for entry in entries:
        if entry.topic != topic:
            topic = entry.topic
            say(f"{library.topics[topic].title} ({topic})")
        off = "" if entry.enabled else "  [switched off]"
        say(f"  {entry.id}: {entry.title}{off}")
    say(
        f"{len(entries)} {'questions' if questions else 'clauses'}, "
        f"library version {library.version}"
    )


@clauses_app.command("show", epilog="Example: tutorbargain clauses show voluntary-participation")
@guarded
def clauses_show(
    clause_id: Annotated[str, typer.Argument(metavar="ID", help="A clause or question id.")],
    clauses: ClausesOpt = None,
) -> None:
    """Show one clause or question: its rule, text, and why it is there."""
    from tutorbargain.errors import ClauseLibraryError
    from tutorbargain.schema import did_you_mean

    library = _library(clauses)
    entry = library.find(clause_id)
    if entry is None:
        hint = did_you_mean(clause_id, [e.id for e in library.entries()])
        raise ClauseLibraryError(
            f"There is no clause or question with id '{clause_id}'{hint}. "
            "`tutorbargain clauses list` lists them."
        )
    from tutorbargain.library.rules import describe_rule

    say(f"{entry.title}  ({entry.kind} {entry.id}, topic {entry.topic})")
    say(f"Defined at: {entry.origin}")
    say(f"Included when: {describe_rule(entry.when)}")
    say(f"{'Rationale' if entry.kind == 'clause' else 'Why it matters'}: {entry.note}")
    say(f"Source: {entry.source}")
    say("Text:")
    for line in entry.text.rstrip().splitlines():
        say(f"  {line}")


@app.command(epilog="Example: tutorbargain batch examples/locals.csv -o proposals")
@guarded
def batch(
    locals_file: Annotated[
        Path | None,
        typer.Argument(
            metavar="LOCALS",
            help="The spreadsheet of locals (.csv or .xlsx), or a YAML list (.yml).",
            show_default=False,
        ),
    ] = None,
    output: OutOpt = Path("tutorbargain-out"),
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", min=1, help="How many locals to render at once (up to one per CPU core)."
        ),
    ] = 1,
    force: ForceOpt = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and list what would be written.")
    ] = False,
    pdf: PdfOpt = False,
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet",
            help="The sheet to read in a workbook (first one if not given).",
            show_default=False,
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            help="Write an empty spreadsheet (.csv or .xlsx) with every column, instead of "
            "rendering.",
            show_default=False,
        ),
    ] = None,
    clauses: ClausesOpt = None,
    against: Annotated[
        Path | None,
        typer.Option(
            "--against",
            metavar="DIR",
            help="An earlier batch's output folder: each local's MOU is written as tracked "
            "changes against its MOU there, keeping the team's edits.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write the documents for many locals: one row of a spreadsheet per local."""
    from tutorbargain import batch as batch_lib

    if template is not None:
        if locals_file is not None:
            raise typer.BadParameter("give either LOCALS or --template, not both")
        say(f"Wrote {batch_lib.write_template(template, force=force)}. Fill in one row per local.")
        return
    if locals_file is None:
        raise typer.BadParameter("name the spreadsheet of locals, or use --template PATH")
    with batch_lib.terminal_listener(say) as listener:
        result = batch_lib.run_batch(
            locals_file,
            output,
            jobs=jobs,
            force=force,
            dry_run=dry_run,
            pdf=pdf,
            sheet=sheet,
            clause_dirs=clauses or (),
            listener=listener,
            against=against,
        )
    say(result.summary())
    result.raise_for_failures()


@clauses_app.command("lint", epilog="Example: tutorbargain clauses lint my-clauses")
@guarded
def clauses_lint(
    folder: Annotated[
        Path | None,
        typer.Argument(
            metavar="DIR",
            help="A folder of your own clause files, checked as layered over the bundled "
            "library. Leave it out to check the bundled library.",
            show_default=False,
        ),
    ] = None,
    clauses: ClausesOpt = None,
) -> None:
    """Check clause files for mistakes: structure, ids, rules, text, topics, reachability."""
    from tutorbargain.errors import ClauseLibraryError
    from tutorbargain.lint import lint, lint_folder

    report = lint_folder(folder, under=clauses or ()) if folder else lint(clauses or ())
    for line in report.lines():
        say(line)
    if report.findings:
        say()
    if report.errors:
        raise ClauseLibraryError(f"{report.summary()} Fix the errors above and check again.")
    say(report.summary())


@app.command(epilog="Example: tutorbargain new --save lakeview.yml -o lakeview-out")
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

    left_out = left_out_for_unknowns(result.rendered.selection, result.answers)
    _print_placeholders(result.rendered.placeholders, [gap.line() for gap in left_out])
    _print_defaults(result.rendered.defaults_used)
    if result.rendered.cost_needs:
        from tutorbargain.answers.fields import BY_NAME

        needs = [BY_NAME[name].label for name in result.rendered.cost_needs]
        say("For a cost appendix, also answer: " + ", ".join(needs) + ".")
        say(f"  (`tutorbargain new --answers {result.saved}` lets you add them.)")
    say(f"Next: open {result.rendered.paths[0]} in Word.")
    say(f"`tutorbargain explain {result.saved}` shows why each clause is there.")


@app.command(
    epilog="Example: tutorbargain compare our-proposal.docx their-counter.docx -o redline.docx"
)
@guarded
def compare(
    old: Annotated[
        Path, typer.Argument(metavar="OLD", help="The earlier version (.docx).", show_default=False)
    ],
    new: Annotated[
        Path, typer.Argument(metavar="NEW", help="The later version (.docx).", show_default=False)
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Where to write the redline (default: NEW's name with -redline).",
            show_default=False,
        ),
    ] = None,
    author: Annotated[
        str | None,
        typer.Option(
            "--author",
            help="Whose changes Word shows (default: NEW's author).",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    force: ForceOpt = False,
) -> None:
    """Write a redline: NEW with Word's tracked changes showing what changed since OLD."""
    from tutorbargain.roundtrip.redline import compare_files
    from tutorbargain.writers.output import write_files

    target = output or new.with_name(f"{new.stem}-redline.docx")
    if target.suffix.lower() != ".docx":
        target = target.with_suffix(".docx")
    result = compare_files(old, new, author=author)
    write_files({target: result.data}, force=force)
    if as_json:
        say(json.dumps({**result.as_json(), "redline": str(target)}, indent=2))
        return
    for name, had in ((old, result.old_had_changes), (new, result.new_had_changes)):
        if had:
            say(f"{name} held tracked changes: it was compared as if they were all accepted.")
    if result.identical:
        say(f"No differences: {new} says the same as {old}.")
    else:
        width = max(len(a.title) for a in result.articles)
        for article in result.articles:
            counts = ", ".join(
                f"{number} {label}"
                for number, label in (
                    (article.changed, "changed"),
                    (article.added, "added"),
                    (article.removed, "removed"),
                )
                if number
            )
            detail = f" ({counts} paragraphs)" if counts and article.status == "changed" else ""
            say(f"  {article.title.ljust(min(width, 60))}  {article.status}{detail}")
    say(f"Wrote {target}. Open it in Word and use Review > Accept or Reject for each change.")


@app.command(epilog="Example: tutorbargain migrate answers.yml")
@guarded
def migrate(
    answers: AnswersArg,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the upgraded file here instead of replacing ANSWERS.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the --output file if it exists.")
    ] = False,
) -> None:
    """Upgrade an answers file to the current schema version, keeping its comments and order."""
    from tutorbargain.answers.fields import SCHEMA_VERSION
    from tutorbargain.answers.migrate import migrate_file
    from tutorbargain.writers.output import write_atomic, write_files

    result = migrate_file(answers)
    if not result.changed and output is None:
        say(f"{answers} already uses schema version {SCHEMA_VERSION}; nothing to change.")
    else:
        if output is None:
            target = answers.resolve()  # a link to the team's file updates the file itself
            mode = target.stat().st_mode & 0o777
            write_atomic(target, result.data)
            target.chmod(mode)
            written = answers
        else:
            write_files({output: result.data}, force=force)
            written = output
        if result.old_version is None:
            say(f"Added 'schema_version: {SCHEMA_VERSION}' to the top of {written}.")
        elif result.changed:
            say(
                f"Upgraded {written} from schema version {result.old_version} to "
                f"{SCHEMA_VERSION}. Nothing else changed: every answer means what it meant, "
                "and your comments are kept."
            )
        else:
            say(
                f"Wrote {written}: the same as {answers}, "
                f"which already uses version {SCHEMA_VERSION}."
            )
        say(
            f"Version {SCHEMA_VERSION} can hold more answers (the contract's end date, whether "
            "the program has started, the periods the union proposes, ...); "
            f"`tutorbargain new --answers {written}` asks only the ones not answered yet."
        )
    if result.still_wrong:
        say()
        say(f"`tutorbargain render` will still refuse {output or answers} until these are fixed:")
        for problem in result.still_wrong:
            say(f"  - {problem}")


@app.command(epilog="Example: tutorbargain doctor")
@guarded
def doctor(clauses: ClausesOpt = None) -> None:
    """Show what is installed and whether each feature is ready (paste it into a bug report)."""
    from tutorbargain.doctor import diagnose

    diagnosis = diagnose(clause_dirs=clauses or ())
    for line in diagnosis.lines():
        say(line)
    diagnosis.raise_if_broken()


def _crash_report(exc: BaseException) -> Path | None:
    """Save the traceback with versions, ready for a bug report; return where it went."""
    import platform
    import tempfile
    import traceback

    text = (
        f"tutorbargain {__version__}\nPython {platform.python_version()} on "
        f"{platform.platform()}\nCommand: {' '.join(sys.argv)}\n\n"
        + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    )
    try:
        fd, name = tempfile.mkstemp(prefix="tutorbargain-crash-", suffix=".log")
        with open(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        return Path(name)
    except OSError:
        return None


def main() -> None:
    """Run the CLI; the one place where errors become messages and exit codes."""
    try:
        app()
    except Interrupted as exc:
        typer.echo(exc.message, err=True)
        sys.exit(getattr(exc, "exit_code", EXIT_INTERRUPTED))  # 143 for a batch sent SIGTERM
    except KeyboardInterrupt:
        typer.echo("Stopped.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except TutorbargainError as exc:
        lines = exc.lines()
        typer.echo(f"Error: {lines[0]}", err=True)
        for line in lines[1:]:
            typer.echo(line, err=True)
        sys.exit(EXIT_INPUT)
    except Exception as exc:  # a bug: say so plainly and keep the details for a report
        report = _crash_report(exc)
        where = f" Details are saved in {report}." if report else ""
        typer.echo(
            f"Error: tutorbargain hit a bug ({type(exc).__name__}: {exc}).{where} "
            "Please report it with that file.",
            err=True,
        )
        sys.exit(EXIT_BUG)
    finally:
        # The command is over and its files are complete: a Ctrl-C now, while Python shuts
        # down, must not print a traceback or change the exit code.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
