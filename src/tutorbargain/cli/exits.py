"""Running the CLI: the one place where errors become messages and exit codes.

Exit codes, set only in `main`: 0 done; 1 bad input, a refused overwrite or a missing tool
(one message, nothing written); 2 a command-line mistake; 3 a bug (a crash report is saved);
130 stopped with Ctrl-C.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import typer

from tutorbargain import __version__
from tutorbargain.cli.application import app
from tutorbargain.errors import Interrupted, TutorbargainError

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


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
