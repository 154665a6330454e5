"""What every tutorbargain file format shares: a ``schema_version`` and a set of known keys.

Answers files, batch tables, clause files, the state facts table and the interview file each
declare a version and may hold only the keys their format names. The words for a wrong
version or an unknown key are written here once, so every file says the same thing.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Mapping

UPGRADE_HINT = "upgrade tutorbargain (pip install --upgrade tutorbargain)"


def closest(word: str, options: Iterable[str]) -> str | None:
    """The option ``word`` is most likely a misspelling of, or None when none is close."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """`` (did you mean X?)`` for the closest of ``options``, or nothing when none is close."""
    close = closest(word, options)
    return f" (did you mean {close}?)" if close else ""


def shown(value: object) -> str:
    """A value from a user's file as a reader would name it in a message."""
    if isinstance(value, Mapping):
        return "a section of fields"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, bool):  # YAML reads yes, no, true, false, on and off as these
        return f"a yes/no answer ({'yes' if value else 'no'})"
    text = value if isinstance(value, str) else repr(value)
    return f'"{text[:40]}..."' if len(text) > 40 else f'"{text}"'


def version_problem(
    version: object, supported: Collection[int], *, required: bool = True
) -> str | None:
    """What is wrong with a declared ``schema_version``, or None when this tool reads it.

    ``supported`` is in ascending order; its last entry is the version a new file declares.
    A version newer than the last says to upgrade tutorbargain, since the file is not wrong.
    """
    newest = max(supported)
    if version is None:
        if not required:
            return None
        return f"is missing: put 'schema_version: {newest}' at the top"
    if isinstance(version, int) and not isinstance(version, bool):
        if version in supported:
            return None
        if version > newest:
            return f"is {version}, newer than this tutorbargain understands; {UPGRADE_HINT}"
    versions = " or ".join(map(str, sorted(supported)))
    return f"must be {versions}, not {shown(version)}"


def unknown_keys(
    keys: Iterable[object], known: Collection[str], *, what: str = "key", of: str = ""
) -> list[tuple[str, str]]:
    """Each key not in ``known``, in order, with a message that suggests the nearest known one.

    ``of`` names what holds the keys (``a clause``); without it the message says "this file".
    """
    holder = f"of {of}" if of else "this file can hold"
    return [
        (str(key), f"is not a {what} {holder}{did_you_mean(str(key), known)}")
        for key in keys
        if str(key) not in known
    ]
