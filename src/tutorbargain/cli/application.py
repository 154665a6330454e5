"""The `tutorbargain` Typer app: its root options, and every command registered in one place.

The commands live in modules of their own; they are registered here, explicitly and in the
order `tutorbargain --help` lists them, so that order never hangs on which module was imported
first. Each command's example (its help's last line) is given with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from tutorbargain import __version__
from tutorbargain.cli import answers_files, batch, clauses, compare, doctor, documents
from tutorbargain.cli.common import say

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


_COMMANDS: tuple[tuple[Callable[..., Any], str], ...] = (
    (documents.render, "tutorbargain render examples/lakeview-vendor-virtual.yml -o out"),
    (documents.explain, "tutorbargain explain answers.yml --json"),
    (answers_files.schema, "tutorbargain schema > answers.schema.json"),
    (batch.batch, "tutorbargain batch examples/locals.csv -o proposals"),
    (documents.new, "tutorbargain new --save lakeview.yml -o lakeview-out"),
    (compare.compare, "tutorbargain compare our-proposal.docx their-counter.docx -o redline.docx"),
    (answers_files.migrate, "tutorbargain migrate answers.yml"),
    (doctor.doctor, "tutorbargain doctor"),
)
_CLAUSES_COMMANDS: tuple[tuple[str, Callable[..., Any], str], ...] = (
    ("list", clauses.clauses_list, "tutorbargain clauses list --questions"),
    ("show", clauses.clauses_show, "tutorbargain clauses show voluntary-participation"),
    ("lint", clauses.clauses_lint, "tutorbargain clauses lint my-clauses"),
)


def _register() -> None:
    for command, example in _COMMANDS:
        app.command(epilog=f"Example: {example}")(command)
    for name, command, example in _CLAUSES_COMMANDS:
        clauses_app.command(name, epilog=f"Example: {example}")(command)


_register()
