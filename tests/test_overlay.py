"""`--clauses DIR`: a local's own clause files layered over the bundled library, by id.

An overlay entry with a known id changes only the fields it gives, ``enabled: false`` switches a
clause off, and a new id adds a clause. The clauses the tests touch are chosen from the bundled
library at run time (for the Lakeview example), so the tests follow the library as it grows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import EXAMPLES, docx_paragraphs, run_cli
from tutorbargain.answers.reading import load_answers
from tutorbargain.compose.markup import typographic
from tutorbargain.errors import ClauseLibraryError
from tutorbargain.library.loading import Entry, load_library
from tutorbargain.library.rules import Always
from tutorbargain.library.selection import select
from tutorbargain.lint import lint

ANSWERS = EXAMPLES / "lakeview-vendor-virtual.yml"
NEW_TEXT = "Our house language: {{ local.name }} keeps its own words on this."
NEW_TEXT_RENDERED = (
    "Our house language: Lakeview Education Association keeps its own words on this."
)


@dataclass(frozen=True)
class Targets:
    """The bundled clauses an overlay changes: one to reword, one to switch off."""

    reworded: Entry
    switched_off: Entry


@pytest.fixture(scope="module")
def targets() -> Targets:
    """Two body clauses the Lakeview example includes, each with a title no other clause has."""
    library = load_library()
    included = select(library, load_answers(ANSWERS)).included_clauses()
    body_topics = {
        topic
        for article in library.articles
        if article.placement == "body"
        for topic in article.topics
    }
    titles = [c.title for c in library.clauses]
    usable = [
        c
        for c in included
        if c.topic in body_topics and titles.count(c.title) == 1 and not c.defines
    ]  # switching off a clause that defines a term would leave the term undefined
    always = [c for c in usable if isinstance(c.when, Always)]
    ruled = [c for c in usable if not isinstance(c.when, Always)]
    assert always and ruled, "the example needs an always-on and a rule-based body clause"
    return Targets(reworded=always[0], switched_off=ruled[0])


def write_overlay(folder: Path, targets: Targets) -> Path:
    """A local's folder: reword one clause, switch one off, add one of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "house.yml"
    path.write_text(
        f"""\
# Lakeview's house language.
schema_version: 1
clauses:
  - id: {targets.reworded.id}
    text: "{NEW_TEXT}"
  - id: {targets.switched_off.id}
    enabled: false
  - id: house-virtual-parking
    topic: facilities-and-custodial
    title: Quiet rooms for virtual tutoring
    when: {{field: program.delivery, in: [virtual, hybrid]}}
    text: |
      Each school will set aside a quiet room with a working connection for virtual tutoring.
    rationale: Members should not give up their classrooms to a vendor's online sessions.
    source: Lakeview Education Association house language, the union's opening number.
""",
        encoding="utf-8",
    )
    return path


def _mou_paragraphs(out: Path) -> list[str]:
    [mou] = out.glob("*-mou.docx")
    return docx_paragraphs(mou)


def _headed(paragraphs: list[str], title: str) -> bool:
    """Whether a numbered section of the MOU starts with this clause's title (set, as the
    documents set it, in typographic quotes)."""
    return any(p.startswith(f"{typographic(title, '')}.") for p in paragraphs)


def test_load_library_layers_the_overlay_by_id(tmp_path: Path, targets: Targets) -> None:
    house = write_overlay(tmp_path / "house", targets)
    bundled = load_library()
    library = load_library([house.parent])

    reworded = library.find(targets.reworded.id)
    assert reworded is not None
    assert reworded.text == NEW_TEXT
    # Only the text changed: the title, rule and topic are still the bundled clause's.
    assert (reworded.title, reworded.when, reworded.topic) == (
        targets.reworded.title,
        targets.reworded.when,
        targets.reworded.topic,
    )
    assert reworded.origin.startswith(f"{house}, line 4")

    switched_off = library.find(targets.switched_off.id)
    assert switched_off is not None and switched_off.enabled is False

    added = library.find("house-virtual-parking")
    assert added is not None and added.kind == "clause" and added.enabled
    assert len(library.clauses) == len(bundled.clauses) + 1


def test_render_uses_the_overlay(tmp_path: Path, targets: Targets) -> None:
    house = write_overlay(tmp_path / "house", targets).parent
    before = run_cli(["render", str(ANSWERS), "-o", str(tmp_path / "before")])
    after = run_cli(
        ["render", str(ANSWERS), "-o", str(tmp_path / "after"), "--clauses", str(house)]
    )
    assert before.code == 0 and after.code == 0, (before, after)
    before_paragraphs = _mou_paragraphs(tmp_path / "before")
    after_paragraphs = _mou_paragraphs(tmp_path / "after")
    plain, layered = "\n".join(before_paragraphs), "\n".join(after_paragraphs)

    # Reworded: the local's words, filled in, where the bundled words were.
    assert NEW_TEXT_RENDERED not in plain
    assert NEW_TEXT_RENDERED in layered
    # Switched off: its section is gone.
    assert _headed(before_paragraphs, targets.switched_off.title)
    assert not _headed(after_paragraphs, targets.switched_off.title)
    # Added: the new clause, with its title, because the program is virtual.
    assert "Quiet rooms for virtual tutoring" not in plain
    assert "Quiet rooms for virtual tutoring" in layered
    assert "set aside a quiet room with a working connection" in layered


def test_explain_json_gives_the_overlays_reasons(tmp_path: Path, targets: Targets) -> None:
    house = write_overlay(tmp_path / "house", targets)
    result = run_cli(["explain", str(ANSWERS), "--json", "--clauses", str(house.parent)])
    assert result.code == 0, result
    clauses = {c["id"]: c for c in json.loads(result.out)["clauses"]}

    added = clauses["house-virtual-parking"]
    assert added["included"] is True
    assert added["topic"] == "facilities-and-custodial"
    assert added["reason"] == "Included because how tutoring is delivered: online (virtual)."

    off = clauses[targets.switched_off.id]
    assert off["included"] is False
    assert off["reason"] == f"switched off (enabled: false) at {house}, line 6, clauses[1]"

    assert clauses[targets.reworded.id]["included"] is True


def test_explain_text_says_a_clause_is_switched_off(tmp_path: Path, targets: Targets) -> None:
    house = write_overlay(tmp_path / "house", targets)
    result = run_cli(["explain", str(ANSWERS), "--clauses", str(house.parent)])
    assert result.code == 0, result
    assert f"- {targets.switched_off.id}: {targets.switched_off.title}" in result.out
    assert f"switched off (enabled: false) at {house}, line 6" in result.out
    assert "+ house-virtual-parking: Quiet rooms for virtual tutoring" in result.out


def test_later_overlays_win(tmp_path: Path, targets: Targets) -> None:
    first = write_overlay(tmp_path / "first", targets).parent
    second = tmp_path / "second"
    second.mkdir()
    (second / "state.yml").write_text(
        f"schema_version: 1\nclauses:\n  - id: {targets.switched_off.id}\n    enabled: true\n",
        encoding="utf-8",
    )
    library = load_library([first, second])
    entry = library.find(targets.switched_off.id)
    assert entry is not None and entry.enabled is True


def test_the_overlay_lints_clean(tmp_path: Path, targets: Targets) -> None:
    house = write_overlay(tmp_path / "house", targets).parent
    report = lint([house])
    assert report.errors == [], "\n".join(map(str, report.errors))


BROKEN_RULE = """\
schema_version: 1
clauses:
  - id: house-esp-pay
    topic: tutoring-pay-rate
    title: ESP pay
    when:
      all:
        - {field: program.provider, equals: vendor}
        - {field: tutors.esp, equals: true}
    text: ESPs who tutor are paid the tutoring rate.
    rationale: Equal pay for equal work.
    source: House language, the union's opening number.
"""


@pytest.mark.parametrize("command", ["render", "explain"])
def test_an_overlay_with_a_broken_rule_names_its_file_and_line(
    tmp_path: Path, command: str
) -> None:
    house = tmp_path / "house"
    house.mkdir()
    (house / "pay.yml").write_text(BROKEN_RULE, encoding="utf-8")
    out = tmp_path / "out"
    args = [command, str(ANSWERS), "--clauses", str(house)]
    result = run_cli([*args, "-o", str(out)] if command == "render" else args)
    assert result.code == 1, result
    assert "Traceback" not in result.err
    assert result.err.startswith(f"Error: {house / 'pay.yml'}, line 6, clauses[0].when: ")
    assert "field 'tutors.esp' is not in the answers schema (did you mean tutors.esps?)" in (
        result.err
    )
    assert not out.exists(), "nothing may be written when the clause library is broken"


def test_load_library_raises_for_a_broken_overlay(tmp_path: Path) -> None:
    (tmp_path / "pay.yml").write_text(BROKEN_RULE, encoding="utf-8")
    with pytest.raises(ClauseLibraryError) as raised:
        load_library([tmp_path])
    [problem] = raised.value.problems
    assert problem.where == f"{tmp_path / 'pay.yml'}, line 6, clauses[0].when"
    # lint points further in: at the part of the all: list that is wrong.
    [finding] = lint([tmp_path]).errors
    assert (Path(finding.file).name, finding.line, finding.key) == (
        "pay.yml",
        9,
        "clauses[0].when.all[1]",
    )
