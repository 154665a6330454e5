"""The `batch` command: the documents for many locals, one row of a spreadsheet per local.

Registered, with its example, in `tutorbargain.cli.application`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tutorbargain.cli.common import ClausesOpt, ForceOpt, OutOpt, PdfOpt, guarded, say


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
