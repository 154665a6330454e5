"""Read the clause library: articles, topics, clauses, impact questions, information requests
and postures, from YAML.

The bundled library ships in the package; a local may layer its own folders over it with
``--clauses DIR``: an entry with a known id overrides the fields it gives (``enabled: false``
switches a clause off), and a new id adds a clause.

`read_library` is the one pass over the files: it reads every file, keeps going past a broken
one, and returns the library with every problem it found, each with its `Place` and a stable
code. `load_library` raises on those problems; `clauses lint` reports them and adds its own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from tutorbargain.errors import (
    ClauseLibraryError,
    Place,
    Problem,
    TutorbargainError,
    problems_error,
)
from tutorbargain.library import cache
from tutorbargain.library.entries import RULE_CODES, Collector, parse_entry, rule_at
from tutorbargain.library.model import (
    KINDS,
    LIBRARY_FILE,
    NOTE_KEY,
    POSTURES_FILE,
    SCOPES,
    STATES_FILE,
    Article,
    Entry,
    Library,
    Posture,
    Term,
    Topic,
    resource_dir,
    sorted_entries,
    words_pattern,
)
from tutorbargain.library.rules import Always
from tutorbargain.library.stored import library_from_json, library_to_json
from tutorbargain.schema import did_you_mean, unknown_keys, version_problem
from tutorbargain.yamlfile import YamlDocument, load_yaml

CLAUSE_FILE_FORMAT = 1
MODEL_VERSION = 3
"""Bumped when the shape of `Library` changes, so an older cached library is never reused."""

_SECTIONS = tuple(section for _, section in KINDS)
YAML_HINT = (
    "Check the indentation of this line and the one above it: the keys of one clause line up "
    "under its '- id:', two spaces in from the dash"
)
"""What to do about a clause file that is not valid YAML (mostly a key out of line)."""


def load_library(extra_dirs: Sequence[Path] = (), *, base: Path | None = None) -> Library:
    """Load the bundled library (or ``base``) and layer ``extra_dirs`` over it, in order.

    Raises `ClauseLibraryError` listing every problem `read_library` finds. A library that
    loaded cleanly is cached on disk as plain JSON data (see `cache`), keyed by every file's
    size and time and by the loader's own code, so a later run skips parsing forty YAML files.
    What is read back only ever becomes the library's own types.
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
    library, problems = read_library(extra_dirs, base=base_dir)
    if problems or library is None:
        source = extra_dirs[-1] if extra_dirs and library is not None else base_dir
        raise problems_error(ClauseLibraryError, str(source), problems)
    if cache_key is not None:
        cache.store("library", cache_key, library_to_json(library))
    return library


def read_library(
    extra_dirs: Sequence[Path] = (), *, base: Path | None = None
) -> tuple[Library | None, list[Problem]]:
    """The merged library and every problem in its files; never raises for a broken file.

    The library is None when its frame (library.yml, postures.yml) cannot be read, since no
    clause can be checked without its topics; otherwise it holds every entry that could be
    read, so a problem in one clause does not hide the others.
    """
    base_dir = base or resource_dir("clauses")
    folders = (base_dir, *extra_dirs)
    problems = Collector()
    _read_states(folders, problems)
    library = _read_frame(base_dir, problems)
    if problems.problems:
        return None, problems.problems
    by_id: dict[str, Entry] = {}
    for folder in folders:
        _read_folder(folder, library, by_id, problems, overlay=folder is not base_dir)
    entries = list(by_id.values())
    if not problems.problems:
        for entry in entries:
            for other in entry.excludes:
                if other not in by_id:
                    problems.add(
                        entry.origin,
                        f"excludes {other}, which is not an id in the library",
                        "unknown-exclude",
                    )
    for kind, section in KINDS:
        setattr(library, section, [e for e in entries if e.kind == kind])
    library.folders = folders
    return library, problems.problems


def _read(path: Path, what: str, problems: Collector) -> YamlDocument | None:
    """A YAML file, or None after recording why it cannot be read."""
    try:
        return load_yaml(path, what=what)
    except TutorbargainError as exc:
        for problem in exc.problems or [Problem(str(path), exc.message, "unreadable")]:
            hint = YAML_HINT if problem.code == "not-yaml" and what == "a clause file" else ""
            problems.problems.append(replace(problem, hint=hint or problem.hint))
        return None


def _read_states(folders: Sequence[Path], problems: Collector) -> None:
    """The problems of each folder's state facts table (the table itself is read by `states`)."""
    from tutorbargain.library.states import check_states  # states reads the model from here

    for folder in folders:
        path = folder / STATES_FILE
        if path.is_file():
            doc = _read(path, "a state facts file", problems)
            if doc is not None:
                problems.problems.extend(check_states(doc))


# ---------------------------------------------------------------- the frame


def _read_frame(folder: Path, problems: Collector) -> Library:
    """The articles, topics, terms and postures of the base folder."""
    doc = _read(folder / LIBRARY_FILE, "a clause library file", problems)
    if doc is None:
        return Library("unversioned", [], {})
    data = _file_mapping(doc, problems)
    _check_format(doc, data, problems)
    version = str(data.get("version", "unversioned"))
    articles: list[Article] = []
    topics: dict[str, Topic] = {}
    raw_articles = data.get("articles")
    if not isinstance(raw_articles, list):
        problems.add(doc.where("articles"), "must be a list of articles", "not-a-list")
        return Library(version, articles, topics)
    for index, raw in enumerate(raw_articles):
        key = f"articles[{index}]"
        if not isinstance(raw, Mapping):
            problems.add(
                doc.where(key), "must be an article with id, title and topics", "not-an-article"
            )
            continue
        topic_ids: list[str] = []
        for t_index, raw_topic in enumerate(raw.get("topics") or []):
            t_key = f"{key}.topics[{t_index}]"
            if not isinstance(raw_topic, Mapping) or not {"id", "title"} <= set(raw_topic):
                problems.add(doc.where(t_key), "a topic needs an id and a title", "not-a-topic")
                continue
            topic = Topic(str(raw_topic["id"]), str(raw_topic["title"]), str(raw["id"]))
            if topic.id in topics:
                problems.add(
                    doc.where(t_key), f"topic {topic.id} is listed twice", "duplicate-topic"
                )
            topics[topic.id] = topic
            topic_ids.append(topic.id)
        placement = str(raw.get("placement", "body"))
        if placement not in ("preamble", "body", "closing"):
            problems.add(
                doc.where(f"{key}.placement"), "must be preamble, body or closing", "bad-placement"
            )
        articles.append(
            Article(str(raw.get("id")), str(raw.get("title")), placement, tuple(topic_ids))
        )
    library = Library(version, articles, topics)
    library.terms = _read_terms(doc, data.get("terms"), problems)
    library.postures = _read_postures(folder, problems)
    return library


def _read_terms(doc: YamlDocument, raw_terms: object, problems: Collector) -> dict[str, Term]:
    """The term registry: each term's id, its quoted name, and the words that use it."""
    terms: dict[str, Term] = {}
    if raw_terms is None:
        return terms
    if not isinstance(raw_terms, list):
        problems.add(
            doc.where("terms"),
            "must be a list of terms, each with id, name and words",
            "not-a-list",
        )
        return terms
    for index, raw in enumerate(raw_terms):
        key = f"terms[{index}]"
        if not isinstance(raw, Mapping) or not {"id", "name", "words"} <= set(raw):
            problems.add(
                doc.where(key), "a term needs an id, a name and words (a list)", "not-a-term"
            )
            continue
        words = raw["words"]
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            problems.add(
                doc.where(f"{key}.words"), "must be a list of words, like [the Vendor]", "bad-words"
            )
            continue
        term = Term(str(raw["id"]), str(raw["name"]), tuple(words), str(doc.where(key)))
        if term.id in terms:
            problems.add(
                doc.where(f"{key}.id"), f"term {term.id} is listed twice", "duplicate-term"
            )
        terms[term.id] = term
    return terms


def _read_postures(folder: Path, problems: Collector) -> list[Posture]:
    doc = _read(folder / POSTURES_FILE, "a postures file", problems)
    if doc is None:
        return []
    data = _file_mapping(doc, problems)
    postures: list[Posture] = []
    for index, raw in enumerate(data.get("postures") or []):
        key = f"postures[{index}]"
        missing = {"id", "title", "summary", "demand", "source"} - set(raw or {})
        if missing:
            problems.add(
                doc.where(key), f"a posture needs {', '.join(sorted(missing))}", "missing-keys"
            )
            continue
        rule = rule_at(doc, key, raw.get("when"), problems)
        scope = raw.get("scope")
        if scope is not None and scope not in SCOPES:
            problems.add(
                doc.where(f"{key}.scope"), f"must be one of {', '.join(SCOPES)}", "bad-value"
            )
            scope = None
        postures.append(
            Posture(
                str(raw["id"]),
                str(raw["title"]),
                rule,
                str(raw["summary"]),
                str(raw["demand"]),
                str(raw["source"]),
                str(doc.where(key)),
                scope,
            )
        )
    if not postures or not isinstance(postures[-1].when, Always):
        problems.add(
            doc.where("postures"),
            "the last posture must have no rule (always)",
            "last-posture-rule",
        )
    return postures


# ---------------------------------------------------------------- clause files


def _clause_files(folder: Path, problems: Collector) -> list[Path]:
    """The clause files of a folder: every .yml/.yaml but the library, postures, states files."""
    if not folder.is_dir():
        problems.add(str(folder), "is not a folder of clause files", "not-a-folder")
        return []
    files = [p for p in sorted(folder.iterdir()) if p.suffix in (".yml", ".yaml")]
    return [p for p in files if p.name not in (LIBRARY_FILE, POSTURES_FILE, STATES_FILE)]


def _read_folder(
    folder: Path,
    library: Library,
    by_id: dict[str, Entry],
    problems: Collector,
    *,
    overlay: bool,
) -> None:
    files = _clause_files(folder, problems)
    if overlay and folder.is_dir() and not files and not (folder / STATES_FILE).is_file():
        problems.add(
            str(folder),
            "has no clause files: put your clauses in files ending in .yml",
            "no-clause-files",
        )
    seen_here: dict[str, Place] = {}
    for path in files:
        doc = _read(path, "a clause file", problems)
        if doc is None:
            continue
        data = _file_mapping(doc, problems)
        _check_format(doc, data, problems)
        others = sorted(str(key) for key in data if str(key) != "schema_version")
        for key, message in unknown_keys(others, _SECTIONS, what="section", of="a clause file"):
            problems.add(
                doc.where(key),
                message,
                "unknown-section",
                f"a clause file has {', '.join(s + ':' for s in _SECTIONS[:-1])} "
                f"and {_SECTIONS[-1]}:",
            )
        for kind, section in KINDS:
            items = data.get(section) or []
            if not isinstance(items, list):
                problems.add(
                    doc.where(section),
                    f"must be a list of {section}, each starting with '- id:'",
                    "not-a-list",
                )
                continue
            for index, raw in enumerate(items):
                key = f"{section}[{index}]"
                if not isinstance(raw, Mapping):
                    problems.add(
                        doc.where(key),
                        f"each of {section} must be a set of keys (id:, topic:, title:, ...)",
                        "not-an-entry",
                    )
                    continue
                entry_id = str(raw.get("id", "") or "")
                if entry_id in seen_here:
                    problems.add(
                        doc.where(f"{key}.id"),
                        f"the id {entry_id} is already used at {seen_here[entry_id]}",
                        "duplicate-id",
                        "each clause and question in a folder needs its own id, so rename one "
                        "of them (or delete the copy)",
                    )
                    continue
                if entry_id:
                    seen_here[entry_id] = doc.where(key)
                old = by_id.get(entry_id)
                if old is not None and not overlay:
                    continue
                new = _new_id_hint(entry_id, kind, by_id) if overlay and old is None else ""
                entry = parse_entry(doc, key, kind, raw, library, problems, base=old, new=new)
                if entry is not None:
                    by_id[entry.id] = entry


def _new_id_hint(entry_id: str, kind: str, by_id: Mapping[str, Entry]) -> str:
    """For an overlay's entry with an id the library lacks: the existing id it may mean."""
    close = did_you_mean(entry_id, by_id)
    if not close:
        return ""
    return (
        f"The id {entry_id} is not in the library, so this adds a new {kind}{close}: "
        "to change an existing one, use its exact id"
    )


def _file_mapping(doc: YamlDocument, problems: Collector) -> Mapping[str, Any]:
    if isinstance(doc.data, Mapping):
        return doc.data
    problems.add(Place(doc.path), "must be a YAML mapping (keys and values)", "not-a-mapping")
    return {}


def _check_format(doc: YamlDocument, data: Mapping[str, Any], problems: Collector) -> None:
    problem = version_problem(data.get("schema_version"), (CLAUSE_FILE_FORMAT,))
    if problem is not None:
        # A missing version belongs at the top of the file.
        where = Place(doc.path, doc.line_of("schema_version") or 1, "schema_version")
        problems.add(where, problem, "schema-version")


__all__ = [
    "CLAUSE_FILE_FORMAT",
    "KINDS",
    "LIBRARY_FILE",
    "NOTE_KEY",
    "POSTURES_FILE",
    "RULE_CODES",
    "STATES_FILE",
    "Article",
    "Entry",
    "Library",
    "Posture",
    "Term",
    "Topic",
    "library_from_json",
    "library_to_json",
    "load_library",
    "read_library",
    "resource_dir",
    "sorted_entries",
    "words_pattern",
]
