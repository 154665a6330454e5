"""Upgrade an answers file to the current schema version, changing nothing else in it.

Version 2 only adds fields, so a version 1 file means the same under version 2: upgrading is
rewriting the one ``schema_version`` line. The file is the team's own work (their comments,
their order, their blank lines), so the new text is the old text with that value replaced,
byte for byte elsewhere, and the line endings and byte-order mark the file already had.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from tutorbargain.answers.fields import SCHEMA_VERSION
from tutorbargain.answers.reading import validate_data, version_problem
from tutorbargain.errors import AnswersError, InputFileError, Problem, TutorbargainError
from tutorbargain.yamlfile import parse_yaml, read_bytes, where

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Migration:
    """The upgraded text of one answers file, and what the upgrade found."""

    source: str
    old_version: int | None
    """The version the file declared (None when it declared none)."""
    data: bytes
    """The file's new bytes (the old bytes when nothing needed changing)."""
    still_wrong: tuple[Problem, ...]
    """What `render` would still refuse in the upgraded file (not caused by the upgrade)."""

    @property
    def changed(self) -> bool:
        return self.old_version != SCHEMA_VERSION


def migrate_bytes(raw: bytes, *, source: str) -> Migration:
    """Upgrade the bytes of an answers file; `InputFileError` / `AnswersError` if it cannot be."""
    bom = _BOM if raw.startswith(_BOM) else b""
    try:
        text = raw[len(bom) :].decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputFileError(
            "", [Problem(where(source, line), "is not UTF-8 text; save it as UTF-8 and try again")]
        ) from None
    doc = parse_yaml(text, path=source)
    if not isinstance(doc.data, Mapping):
        kind = "empty" if doc.data is None else "not a set of answers (local:, district:, ...)"
        raise AnswersError("", [Problem(source, f"is {kind}, so there is nothing to upgrade")])
    declared = doc.data.get("schema_version")
    if declared is None:
        old_version = None
        new_text = _insert_version(text, source)
    else:
        problem = version_problem(declared)
        if problem:
            raise AnswersError("", [Problem(doc.where("schema_version"), problem)])
        old_version = int(declared)
        new_text = text if old_version == SCHEMA_VERSION else _replace_version(text)
    data = bom + new_text.encode("utf-8")
    return Migration(source, old_version, data, _still_wrong(new_text, source))


def _root(text: str) -> yaml.MappingNode:
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    assert isinstance(node, yaml.MappingNode)  # parse_yaml has checked it is a mapping
    return node


def _replace_version(text: str) -> str:
    """The text with the value of the top-level ``schema_version`` key replaced."""
    for key, value in _root(text).value:
        if key.value == "schema_version":
            start, end = value.start_mark.index, value.end_mark.index
            return f"{text[:start]}{SCHEMA_VERSION}{text[end:]}"
    raise AssertionError("schema_version was read from this text")


def _insert_version(text: str, source: str) -> str:
    """The text with a ``schema_version`` line put before its first key (after any comments
    and a ``---`` line at the top, so a heading comment stays the heading)."""
    root = _root(text)
    if root.flow_style:
        raise AnswersError(
            "",
            [
                Problem(
                    source,
                    "is written in braces on one line, so it cannot be upgraded without "
                    f"rewriting it: add 'schema_version: {SCHEMA_VERSION}' yourself",
                )
            ],
        )
    newline = "\r\n" if "\r\n" in text else "\n"
    first_key = root.value[0][0].start_mark
    line_start = first_key.index - first_key.column
    return f"{text[:line_start]}schema_version: {SCHEMA_VERSION}{newline}{text[line_start:]}"


def _still_wrong(text: str, source: str) -> tuple[Problem, ...]:
    doc = parse_yaml(text, path=source)
    try:
        validate_data(doc.data, doc.where, source=source, need_version=True)
    except TutorbargainError as exc:
        return exc.problems
    return ()


def migrate_file(path: Path) -> Migration:
    """Read ``path`` and upgrade it (in memory: the caller decides where the bytes go)."""
    raw = read_bytes(path, what="an answers file")
    return migrate_bytes(raw, source=str(path))
