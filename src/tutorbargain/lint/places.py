"""Where a text lives in a clause file, so a line of the text becomes a line of the file.

The loader gives each part of an entry a `Place` (file, line, key); a text needs one thing
more: how its lines lie in the file. A ``|`` block or a one-line value maps text line N to one
file line; a folded or quoted value that spans lines does not, and is pointed at as a whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tutorbargain.errors import Place, TutorbargainError
from tutorbargain.yamlfile import YamlDocument, load_yaml, read_text

_ENTRY_KEY = re.compile(r"^(clauses|questions|requests)\[(\d+)\]")


@dataclass(frozen=True)
class TextPlace:
    """Where a piece of Jinja lives, to turn a line of the text into a line of the file."""

    file: str
    key: str
    entry: str = ""
    first_line: int | None = None
    """The file line of the text's first line."""
    exact: bool = True
    """Whether text line N is file line first_line + N - 1 (a ``|`` block, a one-line value)."""
    in_yaml: bool = True
    """A text inside a clause file (messages say "line N of the text"), or a template file."""

    def line(self, text_line: int | None) -> int | None:
        if self.first_line is None:
            return None
        if text_line is None or not self.exact:
            return self.first_line
        return self.first_line + text_line - 1

    def subject(self, text_line: int | None) -> str:
        """What a message is about: "line 3 of the text" in a clause file, or "the template"."""
        if not self.in_yaml:
            return "the template"
        if text_line is None or not self.exact:
            return "the text"
        return f"line {text_line} of the text"


@dataclass
class Files:
    """The YAML files lint looks into, each read once: for text layout, raw rules, entry ids."""

    _docs: dict[str, YamlDocument | None] = field(default_factory=dict)
    _nodes: dict[str, dict[str, yaml.Node]] = field(default_factory=dict)

    def doc(self, path: str) -> YamlDocument | None:
        """The parsed file, or None when it cannot be read (the loader has said why)."""
        if path not in self._docs:
            try:
                self._docs[path] = load_yaml(Path(path), what="a clause file")
            except TutorbargainError:
                self._docs[path] = None
        return self._docs[path]

    def value(self, path: str, key: str) -> Any:
        """The value at a key path (``clauses[2].when.all[1]``), or None."""
        doc = self.doc(path)
        value: Any = doc.data if doc is not None else None
        for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", key):
            if index and isinstance(value, list) and int(index) < len(value):
                value = value[int(index)]
            elif name and isinstance(value, dict):
                value = value.get(name)
            else:
                return None
        return value

    def line_of(self, path: str, key: str) -> int | None:
        doc = self.doc(path)
        return doc.line_of(key) if doc is not None else None

    def entry_id(self, place: Place) -> str:
        """The id of the clause, question or request a place lies in, or "" if none."""
        match = _ENTRY_KEY.match(place.key)
        if not match:
            return ""
        raw = self.value(place.file, match.group(0))
        return str(raw.get("id", "") or "") if isinstance(raw, dict) else ""

    def text_place(self, place: Place, *, entry: str = "") -> TextPlace:
        """The place of a text value: its first line, and whether its lines map one to one."""
        nodes_by_key = self._nodes.get(place.file)
        if nodes_by_key is None:
            try:
                source = read_text(Path(place.file), what="a clause file")
            except TutorbargainError:
                source = ""
            nodes_by_key = self._nodes[place.file] = _value_nodes(source)
        node = nodes_by_key.get(place.key)
        if not isinstance(node, yaml.ScalarNode):
            return TextPlace(place.file, place.key, entry, place.line, exact=False)
        start = node.start_mark.line + 1
        if node.style == "|":
            return TextPlace(place.file, place.key, entry, start + 1, exact=True)
        one_line = node.start_mark.line == node.end_mark.line
        return TextPlace(place.file, place.key, entry, start, exact=one_line)


def at(place: Place, *, entry: str = "") -> TextPlace:
    """A place that is pointed at as a whole (a rule, a source, an entry)."""
    return TextPlace(place.file, place.key, entry, place.line)


def _value_nodes(text: str) -> dict[str, yaml.Node]:
    """The value node of every key path, to know how a text value is laid out in the file."""
    out: dict[str, yaml.Node] = {}
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return out

    def walk(node: yaml.Node, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
                dotted = f"{prefix}.{key}" if prefix else key
                out.setdefault(dotted, value_node)
                walk(value_node, dotted)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                dotted = f"{prefix}[{index}]"
                out.setdefault(dotted, item)
                walk(item, dotted)

    if root is not None:
        walk(root, "")
    return out
