"""Read a user's YAML file into plain data plus the line of every key.

Users type these files by hand, so every failure becomes an `InputFileError` naming the file and
line. Dates stay strings (the schema parses them, so "2027-02-30" gets a message, not a crash),
and aliases are refused (an alias bomb loads fast but explodes when walked).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tutorbargain.errors import InputFileError, Place, Problem

MAX_FILE_BYTES = 4 * 1024 * 1024
"""Larger than any real answers or clause file; a guard against reading a disk image."""

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type, misc]
    """SafeLoader (C-accelerated where available) that leaves timestamps as strings."""


_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_DECIMAL = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
"""The only whole numbers read as numbers: plain decimals. YAML 1.1 would also read ``5:00``
as 300 (base 60), ``0x12C`` as 300 and ``012`` as 10; those stay text, so the field that
gets them says in words that it wants a number."""
MAX_DIGITS = 4_300
"""Python's own ceiling for reading a number from text; anything longer is out of range."""

_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, _DECIMAL if tag == _INT else rx)
        for tag, rx in resolvers
        if tag != "tag:yaml.org,2002:timestamp"
    ]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


@dataclass
class YamlDocument:
    """A parsed YAML file: its data and the line (1-based) of each dotted key path."""

    path: str
    data: Any
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, dotted: str) -> int | None:
        """The line of ``dotted`` or of its nearest parent that the file has."""
        key = dotted
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key.rpartition(".")[0]
        return None

    def where(self, dotted: str) -> Place:
        """The place of ``dotted``: this file, the line of the key (or its nearest parent)."""
        return Place(self.path, self.line_of(dotted), dotted)


def where(path: str, line: int | None, dotted: str = "") -> Place:
    """A location from its parts (`Place` puts it into words)."""
    return Place(path, line, dotted)


def read_bytes(path: Path, *, what: str, read: bool = True, limit: int = MAX_FILE_BYTES) -> bytes:
    """A user's file as bytes (or, with ``read=False``, only its checks), every way it can fail
    turned into a message about ``what`` (a folder, a device, a missing or huge file)."""
    name = str(path)
    try:
        if path.is_dir():
            raise InputFileError("", [Problem(name, f"is a folder, not {what}", "is-folder")])
        if path.exists() and not path.is_file():
            # A device or a pipe: its reported size says nothing, and /dev/zero never ends.
            raise InputFileError(
                "", [Problem(name, f"is not a regular file, so not {what}", "not-a-file")]
            )
        with path.open("rb") as handle:
            # Read one byte past the limit rather than trust the size the system reports.
            raw = handle.read(limit + 1) if read else b""
        if len(raw) > limit:
            raise InputFileError(
                "",
                [
                    Problem(
                        name, f"is more than {limit:,} bytes, too large to be {what}", "too-large"
                    )
                ],
            )
    except FileNotFoundError:
        raise InputFileError("", [Problem(name, "no such file", "no-such-file")]) from None
    except PermissionError:
        raise InputFileError(
            "", [Problem(name, "cannot be read (permission denied)", "unreadable")]
        ) from None
    except OSError as exc:
        raise InputFileError(
            "", [Problem(name, f"cannot be read ({exc.strerror})", "unreadable")]
        ) from None
    return raw


def read_text(path: Path, *, what: str) -> str:
    """Read a UTF-8 text file, turning every way it can fail into a message about ``what``."""
    name = str(path)
    raw = read_bytes(path, what=what)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        raise InputFileError(
            "",
            [
                Problem(
                    where(name, bad_line),
                    "is not UTF-8 text; save it as UTF-8 and try again",
                    "not-utf8",
                )
            ],
        ) from None
    return text


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def load_yaml(path: Path, *, what: str) -> YamlDocument:
    """Read and parse ``path``; ``what`` names the kind of file in messages."""
    return parse_yaml(read_text(path, what=what), path=str(path))


def parse_yaml(text: str, *, path: str) -> YamlDocument:
    """Parse YAML text into data and a line map; every failure is an `InputFileError`."""
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        code = f"U+{ord(bad.group()):04X}"
        raise InputFileError(
            "",
            [
                Problem(
                    where(path, line),
                    f"has an invisible control character ({code}); delete it",
                    "control-character",
                )
            ],
        )
    if "\t" in text:
        for number, line_text in enumerate(text.splitlines(), start=1):
            if line_text[: len(line_text) - len(line_text.lstrip(" \t"))].count("\t"):
                raise InputFileError(
                    "",
                    [
                        Problem(
                            where(path, number),
                            "is indented with a tab; use spaces instead",
                            "tab-indent",
                        )
                    ],
                )
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(path=path, data=None)
        lines: dict[str, int] = {}
        _check_and_map(node, "", lines, set(), path, text)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        mark_line = mark.line + 1 if mark is not None else None
        problem = (exc.problem or exc.context or "is not valid YAML").strip()
        if "mapping values are not allowed" in problem:
            problem += " (a value with ': ' in it needs quotes, like name: \"Reading: Boost\")"
        elif "could not find expected ':'" in problem or "expected <block end>" in problem:
            problem += " (check the indentation: each key in a section lines up under the last)"
        raise InputFileError(
            "", [Problem(where(path, mark_line), f"is not valid YAML: {problem}", "not-yaml")]
        ) from None
    except yaml.YAMLError as exc:
        raise InputFileError("", [Problem(path, f"is not valid YAML: {exc}", "not-yaml")]) from None
    except RecursionError:
        raise InputFileError(
            "", [Problem(path, "is nested too deeply to be read", "too-deep")]
        ) from None
    finally:
        loader.dispose()
    return YamlDocument(path=path, data=data, lines=lines)


def _alias_line(source: str) -> int | None:
    """The line of the first alias (``*name``): composed nodes only remember the anchor."""
    try:
        for token in yaml.scan(source, Loader=_Loader):
            if isinstance(token, yaml.AliasToken):
                return int(token.start_mark.line) + 1
    except yaml.YAMLError:
        return None
    return None


def _check_and_map(
    node: yaml.Node,
    prefix: str,
    lines: dict[str, int],
    seen: set[int],
    path: str,
    source: str = "",
) -> None:
    """Record each key's line, refusing a node reached twice (an alias or a merge key)."""
    if id(node) in seen:
        raise InputFileError(
            "",
            [
                Problem(
                    where(path, _alias_line(source) or node.start_mark.line + 1),
                    "uses a YAML alias (*name); write the value out in full instead",
                    "yaml-alias",
                )
            ],
        )
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first_line: dict[object, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            line = key_node.start_mark.line + 1
            if key_node.tag == _BOOL:
                dotted = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
                raise InputFileError(
                    "",
                    [
                        Problem(
                            where(path, line, dotted),
                            f"is read as a yes/no answer, not a name; write it in quotes "
                            f'("{key_node.value}":) if it is meant as a name',
                            "yes-no-key",
                        )
                    ],
                )
            if key_node.value in first_line:
                dotted = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
                raise InputFileError(
                    "",
                    [
                        Problem(
                            where(path, line, dotted),
                            f"is given twice (lines {first_line[key_node.value]} and {line}); "
                            "keep one of them",
                            "duplicate-key",
                        )
                    ],
                )
            first_line[key_node.value] = line
    if (
        isinstance(node, yaml.ScalarNode)
        and node.tag == _INT
        and len(node.value.replace("_", "")) > MAX_DIGITS
    ):
        raise InputFileError(
            "",
            [
                Problem(
                    where(path, node.start_mark.line + 1, prefix),
                    f"is a number of more than {MAX_DIGITS:,} digits, out of any range",
                    "number-too-long",
                )
            ],
        )
    for key, child in _children(node, prefix):
        if key not in lines:
            lines[key] = child.start_mark.line + 1
        _check_and_map(child, key, lines, seen, path, source)


def _children(node: yaml.Node, prefix: str) -> Iterator[tuple[str, yaml.Node]]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                key = "?"
            elif key_node.tag == "tag:yaml.org,2002:null":
                key = "null"  # `~:`, `null:` and `: x` all mean a key with no name
            else:
                key = str(key_node.value)
            dotted = f"{prefix}.{key}" if prefix else key
            yield dotted, key_node
            yield dotted, value_node
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield f"{prefix}[{index}]", item
