"""One entry of a clause file (a clause, an impact question or an information request),
from its YAML mapping, with every problem it has recorded for `loading.read_library`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from tutorbargain.errors import Place, Problem
from tutorbargain.library.model import NOTE_KEY, PLACED, Entry, Library
from tutorbargain.library.rules import Always, Rule, RuleProblem, parse_rule
from tutorbargain.schema import did_you_mean, unknown_keys
from tutorbargain.yamlfile import YamlDocument

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,80}$")
MAX_TEXT = 20_000
_COMMON_KEYS = ("id", "topic", "title", "when", "text", "source", "order", "enabled")
_TERM_KEYS = ("defines", "uses", "excludes")
"""Optional lists on any entry: terms it defines and uses, clauses it cannot stand with."""
RULE_HINT = "A rule looks like: when: {field: tutors.esps, equals: true}"
RULE_CODES = frozenset({"bad-rule", "rule-shape"})
"""The codes of a problem with a ``when`` rule (see `rules.RuleProblem`)."""


@dataclass
class Collector:
    """Gathers every problem in a library so a user sees them all at once."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, where: Place | str, message: str, code: str, hint: str = "") -> None:
        self.problems.append(Problem(where, message, code, hint))


def keys_of(kind: str) -> tuple[str, ...]:
    """The keys an entry of ``kind`` may have, in the order a reader would write them."""
    common = list(_COMMON_KEYS)
    common.insert(common.index("source"), NOTE_KEY[kind])
    return tuple(common)


def parse_entry(
    doc: YamlDocument,
    key: str,
    kind: str,
    raw: Mapping[str, Any],
    library: Library,
    problems: Collector,
    *,
    base: Entry | None,
    new: str = "",
) -> Entry | None:
    """One entry, or None after recording why it cannot be one. ``base`` is the entry an
    overlay changes; ``new`` is the hint for an overlay's id that the library lacks."""
    allowed = keys_of(kind) + _TERM_KEYS
    ok = True
    for name, message in unknown_keys(sorted(map(str, raw)), allowed, of=f"a {kind}"):
        known = keys_of(kind)
        problems.add(
            doc.where(f"{key}.{name}"),
            message,
            "unknown-key",
            f"a {kind} has {', '.join(known[:-1])} and {known[-1]}",
        )
        ok = False
    note_key = NOTE_KEY[kind]
    if base is not None and base.kind != kind:
        problems.add(
            doc.where(key),
            f"id {base.id} is a {base.kind} in the library, not a {kind}",
            "kind-mismatch",
        )
        return None
    entry_id = str(raw.get("id"))
    if base is None:
        missing = sorted({"id", "topic", "title", "text", note_key, "source"} - set(raw))
        if missing:
            problems.add(
                doc.where(key), f"a {kind} needs {', '.join(missing)}", "missing-keys", new
            )
            return None
    if not _ID.match(entry_id):
        problems.add(
            doc.where(f"{key}.id"),
            "an id is lower-case letters, digits and hyphens, like tutoring-rate",
            "bad-id",
        )
        ok = False
    texts: dict[str, str] = {}
    for name in ("topic", "title", "text", note_key, "source"):
        if name in raw:
            value = raw[name]
            if not isinstance(value, str) or not value.strip():
                problems.add(doc.where(f"{key}.{name}"), "must be non-empty text", "empty-text")
                ok = False
            elif len(value) > MAX_TEXT:
                problems.add(
                    doc.where(f"{key}.{name}"),
                    f"is longer than {MAX_TEXT:,} characters",
                    "text-too-long",
                )
                ok = False
            else:
                texts[name] = value.strip() if name != "text" else value
    topic = texts.get("topic", base.topic if base else "")
    if topic and topic not in library.topics:
        problems.add(
            doc.where(f"{key}.topic"),
            f"{topic} is not a topic of the library{did_you_mean(topic, library.topics)}",
            "unknown-topic",
            "every topic id is listed in the bundled library.yml, and "
            "`tutorbargain clauses list` shows them beside their clauses",
        )
        ok = False
    when = (
        base.when
        if base is not None and "when" not in raw
        else rule_at(doc, f"{key}.when", raw.get("when"), problems)
    )
    order = raw.get("order", base.order if base else 100)
    if not isinstance(order, int) or isinstance(order, bool):
        problems.add(doc.where(f"{key}.order"), "must be a whole number", "not-a-number")
        ok = False
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.add(doc.where(f"{key}.enabled"), "must be true or false", "not-yes-no")
        ok = False
    lists: dict[str, tuple[str, ...]] = {}
    for name in _TERM_KEYS:
        if name not in raw:
            lists[name] = getattr(base, name) if base is not None else ()
            continue
        ids = _id_list(raw[name])
        if ids is None:
            problems.add(
                doc.where(f"{key}.{name}"), "must be a list of ids, like [vendor]", "bad-id-list"
            )
            ok = False
            continue
        if name != "excludes":
            for term_id in ids:
                if term_id not in library.terms:
                    problems.add(
                        doc.where(f"{key}.{name}"),
                        f"{term_id} is not a term of the library"
                        f"{did_you_mean(term_id, library.terms)}; the terms are listed "
                        "under terms: in library.yml",
                        "unknown-term",
                    )
                    ok = False
        lists[name] = ids
    if not ok:
        return None
    origin = str(doc.where(key))
    before = dict(base.places) if base is not None else {}
    places = [("entry", doc.where(key))]
    for part in PLACED[1:]:
        kept = part in before and part not in raw
        places.append((part, before[part] if kept else doc.where(f"{key}.{part}")))
    if base is not None:
        return replace(
            base,
            topic=topic,
            title=texts.get("title", base.title),
            when=when,
            text=texts.get("text", base.text),
            note=texts.get(note_key, base.note),
            source=texts.get("source", base.source),
            order=int(order),
            origin=origin,
            enabled=bool(enabled),
            defines=lists["defines"],
            uses=lists["uses"],
            excludes=lists["excludes"],
            places=tuple(places),
        )
    return Entry(
        kind,
        entry_id,
        topic,
        texts["title"],
        when,
        texts["text"],
        texts[note_key],
        texts["source"],
        int(order),
        origin,
        bool(enabled),
        defines=lists["defines"],
        uses=lists["uses"],
        excludes=lists["excludes"],
        places=tuple(places),
    )


def _id_list(raw: object) -> tuple[str, ...] | None:
    """A list of ids (one id alone is a list of one), or None when it is not one."""
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(i, str) and _ID.match(i) for i in items):
        return None
    return tuple(items)


def rule_at(doc: YamlDocument, key: str, raw: object, problems: Collector) -> Rule:
    """The rule at ``key``; on a problem, records it and reads the rule as always."""
    try:
        return parse_rule(raw)
    except RuleProblem as exc:
        hint = RULE_HINT if exc.code == "rule-shape" else ""
        problems.add(doc.where(key), str(exc), exc.code, hint)
        return Always()
