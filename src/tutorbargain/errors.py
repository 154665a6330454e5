"""The errors tutorbargain raises for a user to read.

Every error a user can cause is a `TutorbargainError`. The CLI turns one into a plain message
and exit code 1 in one place; anything else that escapes is a bug (exit 3).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class Place(str):
    """Where in a user's file something is: the file, its line (1-based) and the key path.

    The parts are data (``place.file``, ``place.line``, ``place.key``); the value itself is
    the one wording every message uses, ``answers.yml, line 4, pay.tutoring_rate``, with the
    parts that are not known left out. A Place is a `str` so that code reading a location as
    words (a message, a caller that only knows names) takes one without change.
    """

    file: str
    line: int | None
    key: str
    """The dotted key path, like ``clauses[3].when``; empty for a whole file."""

    def __new__(cls, file: str, line: int | None = None, key: str = "") -> Place:
        parts = [file, *([f"line {line}"] if line is not None else []), *([key] if key else [])]
        place = super().__new__(cls, ", ".join(parts))
        object.__setattr__(place, "file", file)
        object.__setattr__(place, "line", line)
        object.__setattr__(place, "key", key)
        return place

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Place cannot be changed")

    def __repr__(self) -> str:
        return f"Place({self.file!r}, {self.line!r}, {self.key!r})"

    def __reduce__(self) -> tuple[type[Place], tuple[str, int | None, str]]:
        return (Place, (self.file, self.line, self.key))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in a user's file: where, what, and what to do.

    ``where`` is a `Place` (file, line and key as data) wherever the place is known in a file,
    or plain words from callers that only know a name (a field of the answers, a row of a
    table). ``code`` is a short, stable id for the kind of problem (``unknown-key``), so a
    program reacts to the kind of problem and never to its wording.
    """

    where: str
    """A `Place`, or the location in words (``answers.yml, line 4, pay.tutoring_rate``)."""
    message: str
    code: str = ""
    hint: str = ""
    """What to do about it, where the message only says what is wrong (may be empty)."""

    @property
    def place(self) -> Place | None:
        """The location as data, when the problem has one."""
        return self.where if isinstance(self.where, Place) else None

    @property
    def advice(self) -> str:
        """The message with its hint: a hint that is a sentence of its own (capitalised)
        follows a full stop, a lower-case one follows a semicolon."""
        if not self.hint:
            return self.message
        if self.hint[:1].isupper():
            return f"{self.message.rstrip('.')}. {self.hint}"
        return f"{self.message}; {self.hint}"

    def __str__(self) -> str:
        return f"{self.where}: {self.advice}" if self.where else self.advice


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


def by_line(problems: Sequence[Problem]) -> list[Problem]:
    """Problems in the order a reader meets them in the file: those of the whole file (no
    line) first, then by line; checks that run in another order do not reorder the list."""
    return sorted(problems, key=_line_of)


def _line_of(problem: Problem) -> int:
    place = problem.place
    return place.line or 0 if place is not None else 0


def problems_error(
    cls: type[TutorbargainError], source: str, problems: Sequence[Problem]
) -> TutorbargainError:
    """Build one error for a list of problems, worded for one problem or for several."""
    if len(problems) == 1:
        return cls("", problems)
    return cls(f"{source} has {len(problems)} problems:", problems)
