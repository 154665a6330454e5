"""The console script's entry point: guards the import of the CLI itself against Ctrl-C.

Importing Typer and friends takes a tenth of a second; a Ctrl-C in that moment should end as
quietly as one anywhere else (exit 130, no traceback).
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from tutorbargain.cli import main as cli_main

        # A Ctrl-C in the instant between the command's end and the CLI ignoring it (while
        # its exit is on the way out) ends the same way, not with a traceback.
        cli_main()
    except KeyboardInterrupt:
        sys.stderr.write("Stopped.\n")
        sys.exit(130)
