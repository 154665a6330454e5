"""Every article, clause, question and request in a generated .docx carries a hidden bookmark
named by a hash of its id, so a later comparison can find it again after the team edits the
file, while the name says nothing of the clause library."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import docx
import pytest

from conftest import EXAMPLES
from tutorbargain.answers.reading import load_answers
from tutorbargain.compose.markup import ESC, parse
from tutorbargain.compose.model import BlockKind, Document
from tutorbargain.compose.templating import compile_template, render
from tutorbargain.library.loading import load_library
from tutorbargain.library.selection import select
from tutorbargain.render import render_answers
from tutorbargain.writers.word import BOOKMARK_MAX, bookmark_name

TODAY = dt.date(2026, 11, 23)
EXAMPLE = EXAMPLES / "lakeview-vendor-virtual.yml"


def _bookmarks(path: Path) -> dict[str, str]:
    """Bookmark name -> the text of the paragraph it starts in."""
    document = docx.Document(str(path))
    found: dict[str, str] = {}
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for paragraph in document.element.body.iter(f"{w}p"):
        for mark in paragraph.iter(f"{w}bookmarkStart"):
            text = "".join(t.text or "" for t in paragraph.iter(f"{w}t"))
            found[mark.get(f"{w}name")] = text
    return found


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("anchors")
    result = render_answers(load_answers(EXAMPLE), folder, today=TODAY, kit=True, clean=True)
    return {p.name: p for p in result.paths if p.suffix == ".docx"}


def _one(kit: dict[str, Path], ending: str) -> Path:
    return next(path for name, path in kit.items() if name.endswith(ending))


def test_every_clause_and_article_has_its_bookmark(kit: dict[str, Path]) -> None:
    library = load_library()
    selection = select(library, load_answers(EXAMPLE))
    marks = _bookmarks(_one(kit, "-mou.docx"))
    for entry in selection.included_clauses():
        assert bookmark_name(entry.id) in marks, entry.id
    topics = {e.topic for e in selection.included_clauses()}
    for article in library.articles:  # the preamble has no heading of its own
        if article.placement != "preamble" and topics & set(article.topics):
            assert bookmark_name(article.id) in marks, article.id
    # The bookmark sits on the clause's own words, not on a neighbour.
    body = {t for a in library.articles if a.placement == "body" for t in a.topics}
    clause = next(e for e in selection.included_clauses() if e.topic in body)
    assert clause.title in marks[bookmark_name(clause.id)]


def test_the_clean_copy_keeps_the_anchors(kit: dict[str, Path]) -> None:
    """Anchors let the team compare what the district sends back, so the clean copy has them
    too; they are hidden bookmarks, not visible text."""
    clean = _bookmarks(_one(kit, "-mou-clean.docx"))
    team = _bookmarks(_one(kit, "-mou.docx"))
    assert clean.keys() == team.keys()
    assert all(name.startswith("_") for name in clean)


def test_questions_and_requests_have_bookmarks(kit: dict[str, Path]) -> None:
    selection = select(load_library(), load_answers(EXAMPLE))
    questions = _bookmarks(_one(kit, "-impact-questions.docx"))
    for entry in selection.included_questions():
        assert bookmark_name(entry.id) in questions, entry.id
    requests = _bookmarks(_one(kit, "-information-request.docx"))
    for entry in selection.included_requests():
        assert bookmark_name(entry.id) in requests, entry.id


def test_bookmark_ids_are_unique_and_paired(kit: dict[str, Path]) -> None:
    for path in kit.values():
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml").decode()
        starts = re.findall(r'<w:bookmarkStart w:id="(\d+)" w:name="([^"]+)"', xml)
        ends = re.findall(r'<w:bookmarkEnd w:id="(\d+)"', xml)
        assert len({i for i, _ in starts}) == len(starts)
        assert len({n for _, n in starts}) == len(starts)
        assert sorted(i for i, _ in starts) == sorted(ends)


def test_bookmark_names_follow_words_rules_and_name_no_clause() -> None:
    name = bookmark_name("purpose-shared-goal")
    assert re.fullmatch(r"_B[0-9a-f]{12}", name) and len(name) <= BOOKMARK_MAX
    assert "purpose" not in name
    assert bookmark_name("purpose-shared-goal") == name  # the same id, the same bookmark
    long_a = "a-very-long-clause-identifier-about-virtual-tutoring-one"
    long_b = "a-very-long-clause-identifier-about-virtual-tutoring-two"
    assert bookmark_name(long_a) != bookmark_name(long_b)
    assert re.fullmatch(r"_[A-Za-z0-9_]+", bookmark_name('x"<&>é y'))


def _parse(template: str, **values: object) -> Document:
    return parse(render(compile_template(template, name="test"), values))


def test_an_anchor_belongs_to_the_block_it_opens_or_sits_in() -> None:
    doc = _parse(
        "## Heading{{ anchor('h-1') }}\n\n"
        "{{ anchor('c-1') }}{{ body }}\n\n"
        "{{ anchor('c-2') }}- an item\n- another\n\n"
        "§ **Title.** {{ anchor('c-3') }}Text\ngoes on.\n",
        body="First paragraph of a clause.",
    )
    assert [(b.kind, b.anchor) for b in doc.blocks] == [
        (BlockKind.HEADING1, "h-1"),
        (BlockKind.PARAGRAPH, "c-1"),
        (BlockKind.BULLET, "c-2"),
        (BlockKind.BULLET, None),
        (BlockKind.SECTION, "c-3"),
    ]
    # An anchor is never text, and a user's words cannot make one.
    assert "c-1" not in doc.text()
    assert _parse("{{ x }}", x=f"{ESC}aforged{ESC}e").blocks[0].anchor is None
