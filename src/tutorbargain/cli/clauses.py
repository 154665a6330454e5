"""The `clauses` commands: list, show and lint the clause library (the bundled one and yours).

Registered, with their examples, in `tutorbargain.cli.application`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tutorbargain.cli.common import ClausesOpt, guarded, load_library, say


@guarded
def clauses_list(
    questions: Annotated[
        bool, typer.Option("--questions", help="List impact questions instead of clauses.")
    ] = False,
    clauses: ClausesOpt = None,
) -> None:
    """List the clauses (or questions) of the library, by topic."""
    from tutorbargain.library.loading import sorted_entries

    library = load_library(clauses)
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


@guarded
def clauses_show(
    clause_id: Annotated[str, typer.Argument(metavar="ID", help="A clause or question id.")],
    clauses: ClausesOpt = None,
) -> None:
    """Show one clause or question: its rule, text, and why it is there."""
    from tutorbargain.errors import ClauseLibraryError
    from tutorbargain.schema import did_you_mean

    library = load_library(clauses)
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
