"""A text that cannot be rendered, as data: its code, its place and the words of what is wrong.

A clause's text, a posture's and a document template are user data, so any failure in one is
a message for the person who wrote it. `RenderError` words that message once; `clauses lint`
reads the same failure's parts (``code``, ``reason``, ``place``, ``text_line``) and never its
wording.
"""

from __future__ import annotations

import decimal
import re
from types import TracebackType
from typing import Any

import jinja2

from tutorbargain.errors import ClauseLibraryError, Place, Problem


class RenderError(ClauseLibraryError):
    """A clause text, a posture text or a document template that cannot be rendered.

    Its one problem is worded for the user as ever; the parts are data besides, so a program
    (`clauses lint`) reads what it needs and never the wording: ``code``, the kind of failure;
    ``reason``, the words that say what the text does wrong, without the heading before them;
    ``place``, where the text is (a clause's text, a template file; None for a posture's);
    ``text_line``, the line of the text that failed, when it is known.
    """

    def __init__(
        self,
        where: str,
        heading: str,
        reason: str,
        *,
        code: str,
        place: Place | None = None,
        text_line: int | None = None,
    ) -> None:
        super().__init__("", [Problem(where, f"{heading}: {reason}", code)])
        self.where, self.heading, self.reason = where, heading, reason
        self.code, self.place, self.text_line = code, place, text_line

    def __reduce__(self) -> tuple[Any, ...]:
        arguments = (self.where, self.heading, self.reason)
        options = {"code": self.code, "place": self.place, "text_line": self.text_line}
        return (_rebuild, (arguments, options))


def _rebuild(arguments: tuple[str, str, str], options: dict[str, Any]) -> RenderError:
    return RenderError(*arguments, **options)


TEMPLATE_SYNTAX = "template-syntax"
"""The code of a text or template that is not valid Jinja."""
BAD_MARKUP = "bad-markup"
"""The code of a template whose rendered text is not valid document markup."""


def describe(exc: Exception) -> tuple[str, str]:
    """A template failure as a code and in words for the person who wrote the clause file."""
    if isinstance(exc, jinja2.UndefinedError):
        name = re.search(r"attribute '([^']+)'|'([^']+)' is undefined", str(exc))
        what = next((g for g in name.groups() if g), "") if name else ""
        return "unknown-name", (
            f"uses '{what}', which is not an answer or a name clause text can use "
            "(`tutorbargain clauses lint` lists the names)"
        )
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return "not-allowed", f"uses something clause text may not use ({exc})"
    if isinstance(exc, jinja2.TemplateError):
        return "template-error", str(exc)
    if isinstance(exc, OverflowError | MemoryError):
        return "too-large", "asks for a range or a text far too large"
    if isinstance(exc, RecursionError):
        return "too-deep", (
            "is nested too deeply to be filled in (split the expression into simpler steps)"
        )
    if isinstance(exc, TypeError) and "no loader" in str(exc):
        return "no-include", (
            "uses {% include %}, {% import %} or {% extends %}, which clause text cannot "
            "(each clause stands alone): write the words out in the clause itself"
        )
    if isinstance(exc, TypeError) and "NoneType" in str(exc):
        return "blank-answer", (
            "does arithmetic or a comparison with an answer that may be left blank"
        )
    if isinstance(exc, decimal.DecimalException | ZeroDivisionError):
        return "bad-arithmetic", (
            "does arithmetic with an amount that cannot be done "
            "(dividing by zero, or a number far too large)"
        )
    return "render-error", f"fails with {type(exc).__name__}: {exc}"


def template_line(exc: BaseException, name: str) -> int | None:
    """The template line a render error happened on, from Jinja's rewritten traceback."""
    line: int | None = None
    for error in (exc, exc.__context__, exc.__cause__):
        tb: TracebackType | None = error.__traceback__ if error is not None else None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == name:
                line = tb.tb_lineno
            tb = tb.tb_next
        if line is not None:
            return line
    return None
