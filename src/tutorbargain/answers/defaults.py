"""Which proposal terms a render read at their default, so the team is told which numbers
they have not chosen yet: those a document prints (`templating.make_fill`) and those a
clause rule compared an answer with (`rules`), since a default can keep a clause out as
surely as it can print a number."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

_DEFAULTS_USED: contextvars.ContextVar[dict[str, None] | None] = contextvars.ContextVar(
    "defaults_used", default=None
)


@contextlib.contextmanager
def recording_defaults() -> Iterator[list[str]]:
    """Collect the names of the defaults read while the block runs, in order."""
    used: dict[str, None] = {}
    names: list[str] = []
    token = _DEFAULTS_USED.set(used)
    try:
        yield names
    finally:
        _DEFAULTS_USED.reset(token)
        names.extend(used)


def note_default(name: str) -> None:
    """Record that field ``name`` was read at its default (nothing outside a recording)."""
    used = _DEFAULTS_USED.get()
    if used is not None:
        used.setdefault(name, None)
