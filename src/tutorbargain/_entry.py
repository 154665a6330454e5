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
        _stopped()
    except Exception as exc:
        # Python wraps a Ctrl-C that lands while a class is being built during an import
        # (in __set_name__, say) in a RuntimeError; it is still the user's Ctrl-C.
        if _caused_by_ctrl_c(exc):
            _stopped()
        raise


def _caused_by_ctrl_c(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _stopped() -> None:
    sys.stderr.write("Stopped.\n")
    sys.exit(130)
