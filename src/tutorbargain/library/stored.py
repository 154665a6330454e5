"""The clause library as plain JSON data, for the on-disk cache (see `cache`).

Only the library's own types are written, each tagged with its name, and only those types are
made when it is read back: a cached file can never become anything but a library.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from tutorbargain.errors import Place
from tutorbargain.library.model import Article, Entry, Library, Posture, Term, Topic
from tutorbargain.library.rules import AllOf, Always, AnyOf, Compare, Not

_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (Library, Article, Topic, Entry, Term, Posture, Compare, AllOf, AnyOf, Not, Always)
}
"""The only types a cached library may contain; anything else in the data is refused."""
_FIELDS = {name: frozenset(f.name for f in dataclasses.fields(cls)) for name, cls in _TYPES.items()}


def _plain(value: object) -> Any:
    """A value as JSON data, with a ``~`` tag where JSON has no type of its own."""
    if isinstance(value, Place):  # before str: a Place is also its words
        return {"~": "place", "file": value.file, "line": value.line, "key": value.key}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return {"~": "tuple", "items": [_plain(v) for v in value]}
    if isinstance(value, frozenset | set):
        return {"~": "set", "items": sorted((_plain(v) for v in value), key=repr)}
    if isinstance(value, Mapping):
        return {"~": "dict", "items": [[_plain(k), _plain(v)] for k, v in value.items()]}
    if isinstance(value, Decimal):
        return {"~": "decimal", "text": str(value)}
    if isinstance(value, dt.date):
        return {"~": "date", "text": value.isoformat()}
    if isinstance(value, Path):
        return {"~": "path", "text": str(value)}
    name = type(value).__name__
    if _TYPES.get(name) is type(value) and dataclasses.is_dataclass(value):
        fields = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"~": name, "fields": fields}
    raise TypeError(f"a {name} cannot be cached")


def _typed(data: dict[str, Any]) -> Any:
    """`_plain` undone, one JSON object at a time (innermost first, as `json.loads` calls
    it); raises ValueError/TypeError/KeyError on anything `_plain` did not make."""
    if "~" not in data:
        return data  # the fields of a dataclass, turned into it one level up
    tag = data["~"]
    if tag == "tuple":
        return tuple(data["items"])
    if tag == "set":
        return frozenset(data["items"])
    if tag == "dict":
        return {k: v for k, v in data["items"]}
    if tag == "decimal":
        return Decimal(str(data["text"]))
    if tag == "date":
        return dt.date.fromisoformat(str(data["text"]))
    if tag == "place":
        line = data["line"]
        if not (line is None or isinstance(line, int)):
            raise ValueError("a cached place has no line number")
        return Place(str(data["file"]), line, str(data["key"]))
    if tag == "path":
        return Path(str(data["text"]))
    given = data["fields"]
    if not isinstance(given, dict) or given.keys() != _FIELDS[str(tag)]:
        raise ValueError(f"the fields of a cached {tag} do not match")
    return _TYPES[str(tag)](**given)


def library_to_json(library: Library) -> bytes:
    """The library as JSON data, for the cache."""
    return json.dumps(_plain(library), ensure_ascii=False).encode("utf-8")


def library_from_json(data: bytes) -> Library:
    """A library read back from `library_to_json`, checked to be one: ValueError otherwise."""
    try:
        library = json.loads(data, object_hook=_typed)
    except (KeyError, TypeError, RecursionError) as exc:
        raise ValueError(f"not a cached library ({exc})") from None
    if not isinstance(library, Library):
        raise ValueError("not a library")
    kinds = {"clauses": library.clauses, "questions": library.questions}
    kinds["requests"] = library.requests
    checks = [
        all(isinstance(a, Article) for a in library.articles),
        all(isinstance(k, str) and isinstance(t, Topic) for k, t in library.topics.items()),
        all(isinstance(p, Posture) and _is_rule(p.when) for p in library.postures),
        all(isinstance(f, Path) for f in library.folders),
        all(isinstance(k, str) and isinstance(t, Term) for k, t in library.terms.items()),
    ]
    for section, entries in kinds.items():
        checks += [
            isinstance(e, Entry)
            and f"{e.kind}s" == section
            and _is_rule(e.when)
            and all(isinstance(getattr(e, n), str) for n in ("id", "topic", "title", "text"))
            and isinstance(e.order, int)
            and all(isinstance(p, Place) for _, p in e.places)
            for e in entries
        ]
    if not all(checks):
        raise ValueError("a cached library is not in the shape of one")
    return library


def _is_rule(rule: object) -> bool:
    if isinstance(rule, Always):
        return True
    if isinstance(rule, Compare):
        return isinstance(rule.field, str) and isinstance(rule.op, str)
    if isinstance(rule, Not):
        return _is_rule(rule.rule)
    if isinstance(rule, AllOf | AnyOf):
        return isinstance(rule.rules, tuple) and all(_is_rule(r) for r in rule.rules)
    return False
