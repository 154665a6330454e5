"""Drafting checks on the clauses of one document: terms, excluded pairs, repeated duties.

A lawyer reading an MOU strikes a term it never defines ("the Vendor" in an in-house
program), two clauses that cannot both hold, and the same duty stated twice with two
numbers waiting to drift apart. These functions find those in the clauses chosen for one set
of answers, rendered to text; `lint` runs them on sample answers and the drafting test on
every answer combination of the rule search. They also judge whether a source names a
document a reader can look up.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from tutorbargain.answers.reading import Answers
from tutorbargain.compose.markup import COMMENT, DATA, END, ESC, PLACEHOLDER
from tutorbargain.library.loading import Entry, Library, words_pattern

_SPAN = re.compile(f"{ESC}[{DATA}{PLACEHOLDER}{COMMENT}](?:[^{ESC}]|{ESC}{ESC})*{ESC}{END}")


def plain_text(rendered: str) -> str:
    """Rendered text with every answer and placeholder replaced by a neutral "X".

    A district called "Vendor Valley" must not count as using the term Vendor; the check is
    about the clause's own words.
    """
    return _SPAN.sub("X", rendered)


@dataclass(frozen=True)
class Rendered:
    """A clause chosen for a document, with its text rendered for the answers."""

    entry: Entry
    text: str


@dataclass(frozen=True)
class DraftingProblem:
    """One defect in one document, naming the clauses it is about.

    ``kind`` is a stable code and ``subject`` what the defect is about beyond the clause ids
    (the term, the other clause, the two sentences), so a program tells two problems apart by
    `identity` and never by the wording of ``message``.
    """

    kind: str  # undefined-term | excluded-pair | stated-twice
    ids: tuple[str, ...]
    message: str
    subject: str = ""

    @property
    def identity(self) -> tuple[str, tuple[str, ...], str]:
        """The same defect found for other answers has the same identity."""
        return (self.kind, self.ids, self.subject)

    def __str__(self) -> str:
        return f"{', '.join(self.ids)}: {self.message}"


def terms_used(library: Library, clause: Rendered) -> set[str]:
    """Terms the clause relies on: declared under ``uses:`` or shown by its words."""
    return set(_term_words(_terms_key(library), plain_text(clause.text))[0]) | set(
        clause.entry.uses
    )


def terms_defined(library: Library, clause: Rendered) -> set[str]:
    """Terms the clause defines: declared under ``defines:`` or named in quotes in its text."""
    return set(_term_words(_terms_key(library), plain_text(clause.text))[1]) | set(
        clause.entry.defines
    )


def _terms_key(library: Library) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    return tuple((t.id, t.name, t.words) for t in library.terms.values())


@functools.lru_cache(maxsize=8192)
def _term_words(
    terms: tuple[tuple[str, str, tuple[str, ...]], ...], text: str
) -> tuple[frozenset[str], frozenset[str]]:
    """(terms whose words the text uses, terms the text defines in quotes); the same clause
    renders to the same text for most answers, so this is cached."""
    used = frozenset(t_id for t_id, _, words in terms if words_pattern(words).search(text))
    quoted = frozenset(
        t_id for t_id, name, _ in terms if f'"{name}"' in text or f"\u201c{name}\u201d" in text
    )
    return used, quoted


def undefined_terms(library: Library, clauses: Sequence[Rendered]) -> list[DraftingProblem]:
    """Each term a clause uses that no clause of the same document defines."""
    defined: set[str] = set()
    for clause in clauses:
        defined |= terms_defined(library, clause)
    problems = []
    for clause in clauses:
        for term_id in sorted(terms_used(library, clause) - defined):
            term = library.terms[term_id]
            definers = [
                e.id for e in library.clauses if term_id in e.defines or f'"{term.name}"' in e.text
            ]
            problems.append(
                DraftingProblem(
                    "undefined-term",
                    (clause.entry.id,),
                    f'uses "{term.name}" ({term_id}), but no clause in this document defines '
                    f"it (defined by: {', '.join(definers) or 'no clause'})",
                    term_id,
                )
            )
    return problems


def excluded_pairs(clauses: Sequence[Rendered]) -> list[DraftingProblem]:
    """Each pair of clauses in the document where one says it cannot stand with the other."""
    ids = {c.entry.id for c in clauses}
    problems = []
    for clause in clauses:
        for other in clause.entry.excludes:
            if other in ids:
                problems.append(
                    DraftingProblem(
                        "excluded-pair",
                        (clause.entry.id, other),
                        f"{clause.entry.id} excludes {other}, but both are in the document",
                        other,
                    )
                )
    return problems


_SENTENCE = re.compile(r"(?<=[.;:])\s+|\n+")
_WORD = re.compile(r"[a-z]{4,}|\d+")
_PERIOD = re.compile(r"\b(?:\w+ \()?(\d+|X)\)? (?:calendar |working |school )?days?\b")
_STOP = frozenset(
    "will with that this their them they have from each under shall other than into only "
    "when where which there before after"
    "".split()
)


@functools.lru_cache(maxsize=8192)
def _sentences(text: str) -> tuple[tuple[str, frozenset[str], bool], ...]:
    """Each sentence of six words or more: its text, its content words, whether it sets a
    period of days."""
    out = []
    for sentence in _SENTENCE.split(plain_text(text)):
        sentence = sentence.strip()
        if len(sentence.split()) >= 6:
            words = frozenset(w for w in _WORD.findall(sentence.lower()) if w not in _STOP)
            out.append((sentence, words, bool(_PERIOD.search(sentence))))
    return tuple(out)


def stated_twice(clauses: Sequence[Rendered]) -> list[DraftingProblem]:
    """Pairs of clauses that state the same duty: the same sentence, or two sentences that
    set a period (days) and share most of their words."""
    first: dict[str, tuple[str, str]] = {}
    periods: list[tuple[str, str, frozenset[str]]] = []
    problems: list[DraftingProblem] = []
    reported: set[tuple[str, str]] = set()

    def report(other_id: str, other: str, entry_id: str, sentence: str) -> None:
        if other_id == entry_id or (other_id, entry_id) in reported:
            return
        reported.add((other_id, entry_id))
        problems.append(
            DraftingProblem(
                "stated-twice",
                (other_id, entry_id),
                f'the same duty is stated twice: "{other}" ({other_id}) and '
                f'"{sentence}" ({entry_id})',
                f"{other}\n{sentence}",
            )
        )

    for clause in clauses:
        entry_id = clause.entry.id
        for sentence, words, period in _sentences(clause.text):
            earlier = first.setdefault(sentence.lower(), (entry_id, sentence))
            if earlier[0] != entry_id:
                report(earlier[0], earlier[1], entry_id, sentence)
            if not period:
                continue
            for other_id, other, other_words in periods:
                overlap = len(words & other_words) / max(1, len(words | other_words))
                if overlap >= 0.5:
                    report(other_id, other, entry_id, sentence)
            periods.append((entry_id, sentence, words))
    return problems


def check_document(library: Library, clauses: Sequence[Rendered]) -> list[DraftingProblem]:
    """Every drafting problem of one document's clauses."""
    return [
        *undefined_terms(library, clauses),
        *excluded_pairs(clauses),
        *stated_twice(clauses),
    ]


# ---------------------------------------------------------------- sources

_NO_DOCUMENT = re.compile(r"domain notes|internal notes|our notes", re.IGNORECASE)
_GUIDE = re.compile(r"NEA/NSSA guide,\s+(?:\"[^\"]+\"|introduction|workplace questions)")
_TOOLKIT = re.compile(r"(?:Accelerator|NSSA)[^.;]*toolkit,? section \d", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_STATUTE = re.compile(
    r"\b\d+ (?:CFR|C\.F\.R\.|U\.S\.C\.)|\bCode\b|\bG\.S\.|\bGen\. Stat\.|\bStat\.|\bAct\b|"
    r"\b(?:HB|SB|PA) \d+|\bR\.C\.|\bMCL\b|\bA\.R\.S\.|\bK\.S\.A\.|§"
)
_DISTRICT = re.compile(
    r"School District|Public Schools|County Schools|agreement, Article [IVX\d]+|side letter"
)
UNION_NUMBER = "union's opening number"
"""Words a source may use for a number with no public source: the team sets it."""


def source_problem(source: str) -> str | None:
    """Why a source names no public document a reader can look up, or None when it does.

    A public document is the NEA/NSSA guide with a section, the Accelerator's toolkit with a
    section, a statute or regulation, or a named district's agreement, a report or a study
    with its year. "Domain notes" is a file no reader has.
    """
    if _NO_DOCUMENT.search(source):
        return (
            'cites "domain notes", which no reader can look up: name the public document '
            "behind the fact (a guide section, a statute, a district's MOU and year, a study)"
        )
    if (
        _GUIDE.search(source)
        or _TOOLKIT.search(source)
        or _YEAR.search(source)
        or _STATUTE.search(source)
        or _DISTRICT.search(source)
        or UNION_NUMBER in source
    ):
        return None
    return (
        "names no public document: cite the NEA/NSSA guide and its section in quotes, a "
        "statute, a named district's agreement and its year, or a study; or say it is the "
        f"{UNION_NUMBER}"
    )


_CITATION_SPLIT = re.compile(r";\s+")
_NAMED_DISTRICT = re.compile(r"School District|Public Schools|County Schools")
_DOCUMENT = re.compile(
    r"agreement|\bMOUs?\b|contract|side letter|resolution|polic(?:y|ies)|minutes|Journal|"
    r"News|Record|report|terms",
    re.IGNORECASE,
)
_LABOR_BOARD = re.compile(r"\b(?:PERB|NLRB|MERC|SERB)\b|Labor Relations Board")
_DECISION_NUMBER = re.compile(
    r"Decision No\.|Dec\. No\.|Case No\.|\b\d+ U\.S\. \d+|\b\d+ NLRB(?: No\.)? \d+"
)


def citation_problem(source: str) -> str | None:
    """Why one citation of a source cannot be looked up, or None when each of them can.

    `source_problem` passes a source when any part of it names a document; this reads each
    part (they are separated by semicolons) on its own: a named district's program needs the
    document and its year or its news report, a labor board's ruling needs its decision
    number. A reader who cannot find the document cannot check the clause.
    """
    for part in _CITATION_SPLIT.split(" ".join(source.split())):
        dated = _YEAR.search(part) or "not confirmed" in part
        if _NAMED_DISTRICT.search(part) and not (_DOCUMENT.search(part) and dated):
            return (
                f"cites {part.split(':')[0]!r} with no document and year: name the "
                "district's agreement, MOU or the news report, and its year"
            )
        if _LABOR_BOARD.search(part) and not _DECISION_NUMBER.search(part):
            return (
                f"cites {part.split(':')[0]!r} with no decision number: give the board's "
                "decision number (for example PERB Decision No. 2799-M), or cite the guide"
            )
    return None


def rendered_clauses(library: Library, answers: Answers, *, today: dt.date) -> list[Rendered]:
    """The MOU's clauses for these answers, each rendered as `documents.compose` renders it
    (no template, no Word file: the drafting check must run over thousands of answer sets)."""
    from tutorbargain.compose.documents import base_context, render_entry
    from tutorbargain.library.selection import select

    selection = select(library, answers)
    ctx = base_context(answers, selection, library, today=today)
    return [Rendered(e, render_entry(e, ctx)) for e in selection.included_clauses()]
