"""The clause library's own types: articles, topics, terms, entries and postures.

`loading` builds a `Library` from YAML files; `stored` turns one into plain JSON data for the
cache and back; `selection` and `compose` read one. Nothing here reads a file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tutorbargain.errors import ClauseLibraryError, Place
from tutorbargain.library.rules import Rule

LIBRARY_FILE = "library.yml"
POSTURES_FILE = "postures.yml"
SCOPES = ("full", "base_wages")
"""What a state's law lets a district bargain over with teachers (the states.yml scope fact):
``full`` is wages, hours and terms of employment; ``base_wages`` is base wages only (Wisconsin,
Iowa), which leaves the tutoring terms (supplemental pay, hours, duties) outside bargaining."""
STATES_FILE = "states.yml"
"""The state facts table (read by `states`), which sits beside the clause files."""
NOTE_KEY = {"clause": "rationale", "question": "why", "request": "why"}
"""Each kind of entry and the key of the reason a team reads (a clause's rationale)."""
KINDS = (("clause", "clauses"), ("question", "questions"), ("request", "requests"))
"""Each kind of entry and the section of a clause file that lists it."""
PLACED = ("entry", "text", "when", "source")
"""The parts of an entry whose place is kept (an overlay may set each in another file);
``entry`` is the entry itself, where it was last given."""


@functools.cache
def resource_dir(name: str) -> Path:
    """A bundled data folder (``clauses`` or ``templates``), installed or in a source checkout.
    Cached: an install does not move while it runs, and resolving the path cost every local's
    documents a few system calls."""
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
    """Where the entry was defined (``file, line N, key``, the words of its `Place`), for
    messages; `place_of` gives it as data."""
    enabled: bool = True
    defines: tuple[str, ...] = ()
    """Term ids this entry defines (see `Term`)."""
    uses: tuple[str, ...] = ()
    """Term ids this entry relies on, beyond those its words show."""
    excludes: tuple[str, ...] = ()
    """Ids of clauses that cannot stand in the same document as this one."""
    places: tuple[tuple[str, Place], ...] = ()
    """Where each part in `PLACED` was last set: an overlay that changes only the title leaves
    the text's place in the bundled file. For messages that point at the part itself."""

    def place_of(self, part: str) -> Place | None:
        """Where ``part`` (one of `PLACED`) was last set, if the loader recorded it."""
        return dict(self.places).get(part)


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
    scope: str | None = None
    """A state scope of bargaining (`states.SCOPES`): the posture is for states whose law has
    it, chosen before any rule there and never elsewhere; None for every state."""


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


def sorted_entries(library: Library, entries: Iterable[Entry]) -> list[Entry]:
    """Entries in document order: by article, then topic, then their own order, then id."""
    rank = library.topic_rank()
    return sorted(entries, key=lambda e: (rank.get(e.topic, 10**6), e.order, e.id))
