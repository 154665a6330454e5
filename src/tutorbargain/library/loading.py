"""The clause library: articles, topics, clauses, impact questions, information requests and
postures, from YAML.

The bundled library ships in the package; a local may layer its own folders over it with
``--clauses DIR``: an entry with a known id overrides the fields it gives (``enabled: false``
switches a clause off), and a new id adds a clause. Every problem names its file and line.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from tutorbargain.errors import ClauseLibraryError, Problem, problems_error
from tutorbargain.library import cache
from tutorbargain.library.rules import (
    AllOf,
    Always,
    AnyOf,
    Compare,
    Not,
    Rule,
    RuleProblem,
    parse_rule,
)
from tutorbargain.yamlfile import YamlDocument, load_yaml

LIBRARY_FILE = "library.yml"
POSTURES_FILE = "postures.yml"
STATES_FILE = "states.yml"
"""The state facts table (read by `states`), which sits beside the clause files."""
CLAUSE_FILE_FORMAT = 1
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,80}$")
MAX_TEXT = 20_000
MODEL_VERSION = 2
"""Bumped when the shape of `Library` changes, so an older cached library is never reused."""


def resource_dir(name: str) -> Path:
    """A bundled data folder (``clauses`` or ``templates``), installed or in a source checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / name, package.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise ClauseLibraryError(
        f"the bundled {name} folder is missing from this installation; reinstall tutorbargain"
    )


@dataclass(frozen=True)
class Article:
    """A heading of the MOU; preamble and closing articles are not numbered."""

    id: str
    title: str
    placement: str  # preamble | body | closing
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    article: str


@dataclass(frozen=True)
class Term:
    """A defined term of the MOU ("the Vendor", "the Tutoring Rate"), from library.yml.

    A clause defines a term when it lists it under ``defines:`` or when its text puts the
    term's ``name`` in quotes ("Vendor" means ...). A text that contains one of ``words`` uses
    the term, declared or not, so an undefined term is caught in a local's own clauses too.
    """

    id: str
    name: str
    words: tuple[str, ...]
    origin: str

    def pattern(self) -> re.Pattern[str]:
        """The words as whole words, case as written: "Vendor" but not "vendor"."""
        return words_pattern(self.words)


@functools.lru_cache(maxsize=256)
def words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


@dataclass(frozen=True)
class Entry:
    """A clause (for the MOU), an impact question (for the table) or an information request
    (for the letter's attachment): all the same shape."""

    kind: str  # clause | question | request
    id: str
    topic: str
    title: str
    when: Rule
    text: str
    note: str
    """A clause's rationale, or a question's or request's why: the reason a team reads."""
    source: str
    order: int
    origin: str
    """``file, line N`` where the entry was defined, for messages."""
    enabled: bool = True
    defines: tuple[str, ...] = ()
    """Term ids this entry defines (see `Term`)."""
    uses: tuple[str, ...] = ()
    """Term ids this entry relies on, beyond those its words show."""
    excludes: tuple[str, ...] = ()
    """Ids of clauses that cannot stand in the same document as this one."""


@dataclass(frozen=True)
class Posture:
    """The local's legal position, chosen by the first posture whose rule holds."""

    id: str
    title: str
    when: Rule
    summary: str
    demand: str
    source: str
    origin: str


@dataclass
class Library:
    version: str
    articles: list[Article]
    topics: dict[str, Topic]
    clauses: list[Entry] = field(default_factory=list)
    questions: list[Entry] = field(default_factory=list)
    requests: list[Entry] = field(default_factory=list)
    postures: list[Posture] = field(default_factory=list)
    folders: tuple[Path, ...] = ()
    terms: dict[str, Term] = field(default_factory=dict)

    def entries(self) -> list[Entry]:
        return [*self.clauses, *self.questions, *self.requests]

    def find(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries() if e.id == entry_id), None)

    def topic_rank(self) -> dict[str, int]:
        """Document order of topics: article by article, topic by topic."""
        ranks: dict[str, int] = {}
        for article in self.articles:
            for topic in article.topics:
                ranks[topic] = len(ranks)
        return ranks


# ---------------------------------------------------------------- loading

_COMMON_KEYS = {"id", "topic", "title", "when", "text", "source", "order", "enabled"}
TERM_KEYS = ("defines", "uses", "excludes")
"""Optional lists on any entry: terms it defines and uses, clauses it cannot stand with."""
_CLAUSE_KEYS = {*_COMMON_KEYS, "rationale", *TERM_KEYS}
_QUESTION_KEYS = {*_COMMON_KEYS, "why", *TERM_KEYS}
NOTE_KEY = {"clause": "rationale", "question": "why", "request": "why"}
KINDS = (("clause", "clauses"), ("question", "questions"), ("request", "requests"))
"""Each kind of entry and the section of a clause file that lists it."""


class Collector:
    """Gathers every problem in a library so a user sees them all at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def raise_if_any(self, source: str) -> None:
        if self.problems:
            raise problems_error(ClauseLibraryError, source, self.problems)


def load_library(extra_dirs: Sequence[Path] = (), *, base: Path | None = None) -> Library:
    """Load the bundled library (or ``base``) and layer ``extra_dirs`` over it, in order.

    A library that loaded cleanly is cached on disk as plain JSON data (see `cache`), keyed by
    every file's size and time and by the loader's own code, so a later run skips parsing
    forty YAML files. What is read back only ever becomes the library's own types.
    """
    base_dir = base or resource_dir("clauses")
    try:
        cache_key = cache.files_key([base_dir, *extra_dirs], MODEL_VERSION)
    except OSError:
        cache_key = None  # a missing folder: let the loader say so in words
    if cache_key is not None:
        data = cache.load("library", cache_key)
        if data is not None:
            with contextlib.suppress(ValueError):
                return library_from_json(data)
    library = _load_library(base_dir, extra_dirs)
    if cache_key is not None:
        cache.store("library", cache_key, library_to_json(library))
    return library


# ---------------------------------------------------------------- the library as plain data

_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (Library, Article, Topic, Entry, Term, Posture, Compare, AllOf, AnyOf, Not, Always)
}
"""The only types a cached library may contain; anything else in the data is refused."""
_FIELDS = {name: frozenset(f.name for f in dataclasses.fields(cls)) for name, cls in _TYPES.items()}


def _plain(value: object) -> Any:
    """A value as JSON data, with a ``~`` tag where JSON has no type of its own."""
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


def _load_library(base_dir: Path, extra_dirs: Sequence[Path]) -> Library:
    problems = Collector()
    library = load_frame(base_dir, problems)
    problems.raise_if_any(str(base_dir))
    by_id: dict[str, Entry] = {}
    for folder in (base_dir, *extra_dirs):
        _load_folder(folder, library, by_id, problems, overlay=folder is not base_dir)
    problems.raise_if_any(str(extra_dirs[-1] if extra_dirs else base_dir))
    entries = list(by_id.values())
    for entry in entries:
        for other in entry.excludes:
            if other not in by_id:
                problems.add(entry.origin, f"excludes {other}, which is not an id in the library")
    problems.raise_if_any(str(extra_dirs[-1] if extra_dirs else base_dir))
    library.clauses = [e for e in entries if e.kind == "clause"]
    library.questions = [e for e in entries if e.kind == "question"]
    library.requests = [e for e in entries if e.kind == "request"]
    library.folders = (base_dir, *extra_dirs)
    return library


def load_frame(folder: Path, problems: Collector) -> Library:
    doc = load_yaml(folder / LIBRARY_FILE, what="a clause library file")
    data = file_mapping(doc, "", problems)
    check_format(doc, data, problems)
    version = str(data.get("version", "unversioned"))
    articles: list[Article] = []
    topics: dict[str, Topic] = {}
    raw_articles = data.get("articles")
    if not isinstance(raw_articles, list):
        problems.add(doc.where("articles"), "must be a list of articles")
        return Library(version, articles, topics)
    for index, raw in enumerate(raw_articles):
        key = f"articles[{index}]"
        if not isinstance(raw, Mapping):
            problems.add(doc.where(key), "must be an article with id, title and topics")
            continue
        topic_ids: list[str] = []
        for t_index, raw_topic in enumerate(raw.get("topics") or []):
            t_key = f"{key}.topics[{t_index}]"
            if not isinstance(raw_topic, Mapping) or not {"id", "title"} <= set(raw_topic):
                problems.add(doc.where(t_key), "a topic needs an id and a title")
                continue
            topic = Topic(str(raw_topic["id"]), str(raw_topic["title"]), str(raw["id"]))
            if topic.id in topics:
                problems.add(doc.where(t_key), f"topic {topic.id} is listed twice")
            topics[topic.id] = topic
            topic_ids.append(topic.id)
        placement = str(raw.get("placement", "body"))
        if placement not in ("preamble", "body", "closing"):
            problems.add(doc.where(f"{key}.placement"), "must be preamble, body or closing")
        articles.append(
            Article(str(raw.get("id")), str(raw.get("title")), placement, tuple(topic_ids))
        )
    library = Library(version, articles, topics)
    library.terms = _load_terms(doc, data.get("terms"), problems)
    library.postures = _load_postures(folder, problems)
    return library


def _load_terms(doc: YamlDocument, raw_terms: object, problems: Collector) -> dict[str, Term]:
    """The term registry: each term's id, its quoted name, and the words that use it."""
    terms: dict[str, Term] = {}
    if raw_terms is None:
        return terms
    if not isinstance(raw_terms, list):
        problems.add(doc.where("terms"), "must be a list of terms, each with id, name and words")
        return terms
    for index, raw in enumerate(raw_terms):
        key = f"terms[{index}]"
        if not isinstance(raw, Mapping) or not {"id", "name", "words"} <= set(raw):
            problems.add(doc.where(key), "a term needs an id, a name and words (a list)")
            continue
        words = raw["words"]
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            problems.add(doc.where(f"{key}.words"), "must be a list of words, like [the Vendor]")
            continue
        term = Term(str(raw["id"]), str(raw["name"]), tuple(words), doc.where(key))
        if term.id in terms:
            problems.add(doc.where(f"{key}.id"), f"term {term.id} is listed twice")
        terms[term.id] = term
    return terms


def _load_postures(folder: Path, problems: Collector) -> list[Posture]:
    path = folder / POSTURES_FILE
    doc = load_yaml(path, what="a postures file")
    data = file_mapping(doc, "", problems)
    postures: list[Posture] = []
    for index, raw in enumerate(data.get("postures") or []):
        key = f"postures[{index}]"
        missing = {"id", "title", "summary", "demand", "source"} - set(raw or {})
        if missing:
            problems.add(doc.where(key), f"a posture needs {', '.join(sorted(missing))}")
            continue
        rule = _rule(doc, key, raw.get("when"), problems)
        postures.append(
            Posture(
                str(raw["id"]),
                str(raw["title"]),
                rule,
                str(raw["summary"]),
                str(raw["demand"]),
                str(raw["source"]),
                doc.where(key),
            )
        )
    if not postures or not isinstance(postures[-1].when, Always):
        problems.add(doc.where("postures"), "the last posture must have no rule (always)")
    return postures


def clause_files(folder: Path) -> list[Path]:
    """The clause files of a folder: every .yml/.yaml but the library, postures, states files."""
    if not folder.is_dir():
        raise ClauseLibraryError("", [Problem(str(folder), "is not a folder of clause files")])
    files = [p for p in sorted(folder.iterdir()) if p.suffix in (".yml", ".yaml")]
    return [p for p in files if p.name not in (LIBRARY_FILE, POSTURES_FILE, STATES_FILE)]


def _load_folder(
    folder: Path,
    library: Library,
    by_id: dict[str, Entry],
    problems: Collector,
    *,
    overlay: bool,
) -> None:
    files = clause_files(folder)
    if overlay and not files and not (folder / STATES_FILE).is_file():
        problems.add(str(folder), "has no clause files (.yml)")
    seen_here: dict[str, str] = {}
    for path in files:
        doc = load_yaml(path, what="a clause file")
        data = file_mapping(doc, "", problems)
        check_format(doc, data, problems)
        unknown = set(map(str, data)) - {"schema_version", *(section for _, section in KINDS)}
        for key in sorted(unknown):
            problems.add(
                doc.where(key),
                "is not a section of a clause file (use clauses:, questions: or requests:)",
            )
        for kind, section in KINDS:
            items = data.get(section) or []
            if not isinstance(items, list):
                problems.add(doc.where(section), f"must be a list of {section}")
                continue
            for index, raw in enumerate(items):
                key = f"{section}[{index}]"
                if not isinstance(raw, Mapping):
                    problems.add(doc.where(key), f"each of {section} must be a mapping")
                    continue
                entry_id = str(raw.get("id", ""))
                if entry_id in seen_here:
                    problems.add(
                        doc.where(f"{key}.id"),
                        f"id {entry_id} is already used at {seen_here[entry_id]}",
                    )
                    continue
                seen_here[entry_id] = doc.where(key)
                old = by_id.get(entry_id)
                if old is not None and not overlay:
                    continue
                entry = parse_entry(doc, key, kind, raw, library, problems, base=old)
                if entry is not None:
                    by_id[entry.id] = entry


def parse_entry(
    doc: YamlDocument,
    key: str,
    kind: str,
    raw: Mapping[str, Any],
    library: Library,
    problems: Collector,
    *,
    base: Entry | None,
) -> Entry | None:
    allowed = _CLAUSE_KEYS if kind == "clause" else _QUESTION_KEYS
    ok = True
    for name in sorted(set(map(str, raw)) - allowed):
        from tutorbargain.schema import did_you_mean

        problems.add(
            doc.where(f"{key}.{name}"), f"is not a key of a {kind}{did_you_mean(name, allowed)}"
        )
        ok = False
    note_key = NOTE_KEY[kind]
    if base is not None and base.kind != kind:
        problems.add(doc.where(key), f"id {base.id} is a {base.kind} in the library, not a {kind}")
        return None
    if base is None:
        missing = sorted({"id", "topic", "title", "text", note_key, "source"} - set(raw))
        if missing:
            problems.add(doc.where(key), f"a {kind} needs {', '.join(missing)}")
            return None
    entry_id = str(raw.get("id"))
    if not _ID.match(entry_id):
        problems.add(
            doc.where(f"{key}.id"),
            "an id is lower-case letters, digits and hyphens, like tutoring-rate",
        )
        ok = False
    texts: dict[str, str] = {}
    for name in ("topic", "title", "text", note_key, "source"):
        if name in raw:
            value = raw[name]
            if not isinstance(value, str) or not value.strip():
                problems.add(doc.where(f"{key}.{name}"), "must be non-empty text")
                ok = False
            elif len(value) > MAX_TEXT:
                problems.add(doc.where(f"{key}.{name}"), f"is longer than {MAX_TEXT:,} characters")
                ok = False
            else:
                texts[name] = value.strip() if name != "text" else value
    topic = texts.get("topic", base.topic if base else "")
    if topic and topic not in library.topics:
        from tutorbargain.schema import did_you_mean

        problems.add(
            doc.where(f"{key}.topic"),
            f"{topic} is not a topic of the library{did_you_mean(topic, library.topics)}",
        )
        ok = False
    when = (
        base.when
        if base is not None and "when" not in raw
        else _rule(doc, f"{key}.when", raw.get("when"), problems)
    )
    order = raw.get("order", base.order if base else 100)
    if not isinstance(order, int) or isinstance(order, bool):
        problems.add(doc.where(f"{key}.order"), "must be a whole number")
        ok = False
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.add(doc.where(f"{key}.enabled"), "must be true or false")
        ok = False
    lists: dict[str, tuple[str, ...]] = {}
    for name in TERM_KEYS:
        if name not in raw:
            lists[name] = getattr(base, name) if base is not None else ()
            continue
        ids = id_list(raw[name])
        if ids is None:
            problems.add(doc.where(f"{key}.{name}"), "must be a list of ids, like [vendor]")
            ok = False
            continue
        if name != "excludes":
            for term_id in ids:
                if term_id not in library.terms:
                    from tutorbargain.schema import did_you_mean

                    problems.add(
                        doc.where(f"{key}.{name}"),
                        f"{term_id} is not a term of the library"
                        f"{did_you_mean(term_id, library.terms)}; the terms are listed "
                        "under terms: in library.yml",
                    )
                    ok = False
        lists[name] = ids
    if not ok:
        return None
    origin = doc.where(key)
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
    )


def id_list(raw: object) -> tuple[str, ...] | None:
    """A list of ids (one id alone is a list of one), or None when it is not one."""
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(i, str) and _ID.match(i) for i in items):
        return None
    return tuple(items)


def _rule(doc: YamlDocument, key: str, raw: object, problems: Collector) -> Rule:
    try:
        return parse_rule(raw)
    except RuleProblem as exc:
        problems.add(doc.where(key), str(exc))
        return Always()


def file_mapping(doc: YamlDocument, key: str, problems: Collector) -> Mapping[str, Any]:
    if isinstance(doc.data, Mapping):
        return doc.data
    problems.add(doc.path, "must be a YAML mapping (keys and values)")
    return {}


def check_format(doc: YamlDocument, data: Mapping[str, Any], problems: Collector) -> None:
    version = data.get("schema_version")
    if version != CLAUSE_FILE_FORMAT:
        problems.add(
            doc.where("schema_version"),
            f"must be {CLAUSE_FILE_FORMAT} (put 'schema_version: 1' at the top)",
        )


def sorted_entries(library: Library, entries: Iterable[Entry]) -> list[Entry]:
    """Entries in document order: by article, then topic, then their own order, then id."""
    rank = library.topic_rank()
    return sorted(entries, key=lambda e: (rank.get(e.topic, 10**6), e.order, e.id))
