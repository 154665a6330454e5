"""The commands about the answers file's format: print its JSON `schema`, `migrate` an old one.

Registered, with their examples, in `tutorbargain.cli.application`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tutorbargain.cli.common import AnswersArg, guarded, say


@guarded
def schema() -> None:
    """Print the JSON Schema of answers files, for an editor to check them as you type."""
    from tutorbargain.answers.reading import json_schema

    say(json.dumps(json_schema(), indent=2))


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
