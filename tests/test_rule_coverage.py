"""Every bundled clause, question and request is chosen by some answers; every topic is used.

A clause no answers can reach is dead weight a reviewer still has to read, and usually a
mistyped rule. This test builds a space of answer sets from the fields the bundled rules
actually read (so it grows with the library), runs the real selection over each, and lists
whatever is never chosen.

The space is the union of:

* the core product: every bargaining status x provider x delivery x each kind of tutor on or
  off, with the other answers alternately all given and all left blank; and
* for each rule, every combination of the values worth trying for the fields it reads (each
  choice, yes/no/blank, each number or date in the rule and one either side, each list value,
  blank), with the other answers given and then left blank.

Every answer set passes the same validation as an answers file before it is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tutorbargain.answers.fields import BY_NAME
from tutorbargain.answers.reading import Answers
from tutorbargain.library.loading import Entry, Library, load_library
from tutorbargain.library.rule_search import answer_space
from tutorbargain.library.rules import describe_rule, fields_in
from tutorbargain.library.selection import select


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def answer_sets(library: Library) -> Iterator[Answers]:
    """The combination space (see `lint.answer_space`), each answer set once, all valid."""
    return answer_space(library)


def test_the_space_grows_with_the_fields_the_rules_read(library: Library) -> None:
    read = set().union(*(fields_in(e.when) for e in library.entries()))
    assert {"bargaining.status", "program.provider", "program.delivery"} <= read
    assert read <= set(BY_NAME)


def _where(entry: Entry) -> str:
    return f"  {entry.kind} {entry.id} ({entry.origin}): when {describe_rule(entry.when)}"


def unreached(library: Library) -> list[str]:
    """What no answer set in the space ever chooses, in words; empty when all is reachable."""
    never = {entry.id: entry for entry in library.entries() if entry.enabled}
    topics_unused = set(library.topics)
    # A posture for a scope of bargaining is chosen by the state's table, not by the answers
    # (test_kit renders the Iowa example into it).
    postures_unused = {posture.id for posture in library.postures if posture.scope is None}
    sets = 0
    for answers in answer_sets(library):
        sets += 1
        selection = select(library, answers)
        postures_unused.discard(selection.posture.id)
        for choice in (*selection.clauses, *selection.questions, *selection.requests):
            if choice.included:
                never.pop(choice.entry.id, None)
                if choice.entry.kind == "clause":
                    topics_unused.discard(choice.entry.topic)
        if not never and not topics_unused and not postures_unused:
            return []
    problems: list[str] = []
    if never:
        problems.append(f"Never included, over {sets} answer sets:")
        problems += [_where(entry) for entry in never.values()]
    if topics_unused:
        problems.append("Topics no included clause ever uses:")
        problems += [
            f"  {topic} ({library.topics[topic].title})" for topic in sorted(topics_unused)
        ]
    if postures_unused:
        problems.append(f"Postures never chosen: {', '.join(sorted(postures_unused))}")
    return problems


def test_every_bundled_entry_and_topic_is_reachable(library: Library) -> None:
    problems = unreached(library)
    assert not problems, "\n".join(problems)


def test_the_check_finds_an_unreachable_clause() -> None:
    """The check is not vacuous: the linter's unreachable fixture is listed, and only it."""
    overlay = Path(__file__).parent / "fixtures" / "lint" / "unreachable"
    problems = unreached(load_library([overlay]))
    listed = [line.split()[1] for line in problems[1:]]
    assert listed == ["contradiction", "q-in-house-vendor"], problems
