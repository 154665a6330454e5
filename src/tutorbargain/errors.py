"""The errors tutorbargain raises for a user to read.

Every error a user can cause is a `TutorbargainError`. The CLI turns one into a plain message
and exit code 1 in one place; anything else that escapes is a bug (exit 3).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in a user's file: where it is and what is wrong."""

    where: str
    """The file, line and field, already in words (``answers.yml, line 4, pay.tutoring_rate``)."""
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class TutorbargainError(Exception):
    """Root of every error caused by the user's input or environment (exit code 1)."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = tuple(problems)

    def lines(self) -> list[str]:
        """The message as the lines a user reads: a heading, then one line per problem."""
        if len(self.problems) == 1 and not self.message:
            return [str(self.problems[0])]
        return [self.message, *(f"  - {problem}" for problem in self.problems)]

    def __str__(self) -> str:
        return "\n".join(self.lines())


class InputFileError(TutorbargainError):
    """Raised when a file the user named cannot be read or parsed (missing, not UTF-8, bad YAML)."""


class AnswersError(TutorbargainError):
    """Raised when an answers file or a batch row breaks the answers schema."""


class ClauseLibraryError(TutorbargainError):
    """Raised when a clause file or a document template is broken (bad rule, bad Jinja)."""


class OutputError(TutorbargainError):
    """Raised when an output cannot be written, or would overwrite a file without ``--force``."""


class ToolMissingError(TutorbargainError):
    """Raised when a feature needs a program that is not installed (LibreOffice for PDF)."""


class Interrupted(TutorbargainError):
    """Raised when the user stops an interactive command (Ctrl-C, Esc); exit code 130."""


def problems_error(
    cls: type[TutorbargainError], source: str, problems: Sequence[Problem]
) -> TutorbargainError:
    """Build one error for a list of problems, worded for one problem or for several."""
    if len(problems) == 1:
        return cls("", problems)
    return cls(f"{source} has {len(problems)} problems:", problems)
