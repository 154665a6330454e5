"""What every command shares: printing, the Ctrl-C guard, and the options several commands take.

Internal to the CLI package; `tutorbargain.cli` exposes only `app` and `main`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from tutorbargain.errors import Interrupted

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


def load_library(clause_dirs: list[Path] | None) -> Any:
    """The bundled clause library with the user's folders layered over it (loaded on demand)."""
    from tutorbargain.library.loading import load_library as load

    return load(clause_dirs or ())


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
