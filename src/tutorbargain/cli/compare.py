"""The `compare` command: a redline of two versions of an MOU, as Word's tracked changes.

Registered, with its example, in `tutorbargain.cli.application`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tutorbargain.cli.common import ForceOpt, guarded, say


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
