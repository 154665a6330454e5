"""The `tutorbargain` command: parse options, call the library, print plain words.

`app` is the Typer app (tests call it directly); `main` runs it and turns every error into a
message and an exit code. The modules under it are internal: `application` registers the
commands that `documents`, `batch`, `clauses`, `compare`, `answers_files` and `doctor` define,
`common` holds what they share, and `exits` holds `main`.

Heavy libraries load inside the commands that need them, so ``--help`` is quick.
"""

from tutorbargain.cli.application import app
from tutorbargain.cli.exits import main

__all__ = ["app", "main"]
