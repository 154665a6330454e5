"""Compare two Word files and write a redline: NEW's document with Word's own tracked changes.

Each side is read as its accepted text (`wordfile`). Paragraphs and tables are matched by
anchor (the hidden bookmark tutorbargain puts on every clause) where both files have one,
otherwise by their words. A matched paragraph whose words differ gets word-level insertions
and deletions; an unmatched one is inserted or deleted whole. Accepting every change gives
NEW's text, rejecting every change gives OLD's. Built with the standard library's difflib:
no tool we could install with pip wrote revisions both correctly and maintained (see the
commit that added this module).

Here the redline is put together; `alignment` pairs the blocks, `worddiff` finds the words
that changed inside a paragraph, `revisions` writes Word's marks and `comparison` is the
summary ``compare`` prints.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from tutorbargain.roundtrip.alignment import align
from tutorbargain.roundtrip.comparison import ArticleSummary, Comparison
from tutorbargain.roundtrip.revisions import (
    Revisions,
    author_of,
    first_free_id,
    mark_paragraph,
    mark_row,
    track_revisions,
)
from tutorbargain.roundtrip.worddiff import (
    TOKENS,
    characters,
    plain,
    rebuilt_runs,
    starts,
    word_changes,
)
from tutorbargain.roundtrip.wordfile import Block, Package, blocks, parse_part, serialize, w

_HEADING = re.compile(r"(?i)^(heading ?1|title)$")


class _Redliner:
    """One redline: NEW's document rebuilt with OLD's differences as revisions."""

    def __init__(self, old: Package, new: Package, revisions: Revisions) -> None:
        self.old = old
        self.new = new
        self.rev = revisions
        self.styles = _style_ids(new)
        self.heading_styles = _heading_styles(new) | _heading_styles(old)
        self.num_ids = _num_ids(new)
        self.articles: list[ArticleSummary] = []

    # ------------------------------------------------------------ the body

    def body(self) -> Any:
        old_blocks = blocks(self.old.body)
        new_blocks = blocks(self.new.body)
        out = copy.deepcopy(self.new.document)
        body = out.find(w("body"))
        section = body.find(w("sectPr"))
        for child in list(body):
            if child is not section:
                body.remove(child)
        current = ArticleSummary("Opening (before the first article)")
        self.articles.append(current)
        for kind, o, n in align(old_blocks, new_blocks):
            block = n if n is not None else o
            assert block is not None
            if not block.is_table and self._is_heading(block):
                current = ArticleSummary(block.text.strip() or "(untitled article)")
                self.articles.append(current)
            current.count({"equal": "unchanged"}.get(kind, kind))
            for element in self.emit(kind, o, n):
                if section is not None:
                    section.addprevious(element)
                else:
                    body.append(element)
        for article in self.articles:
            article.settle()
        opening = self.articles[0]
        if not (opening.unchanged or opening.changed or opening.added or opening.removed):
            self.articles.pop(0)  # the file starts with its first article
        return out

    def _is_heading(self, block: Block) -> bool:
        return block.style is not None and block.style in self.heading_styles

    def emit(self, kind: str, old: Block | None, new: Block | None) -> list[Any]:
        if kind == "equal":
            assert new is not None
            return [copy.deepcopy(new.element)]
        if kind == "added":
            assert new is not None
            return [self.inserted(new)]
        if kind == "removed":
            assert old is not None
            return [self.deleted(old)]
        assert old is not None and new is not None
        if old.is_table and new.is_table:
            return self.changed_table(old, new)
        if plain(old.element) and plain(new.element):
            return [self.changed_paragraph(old, new)]
        return [self.deleted(old), self.inserted(new)]

    # ------------------------------------------------------------ whole blocks

    def inserted(self, block: Block) -> Any:
        element = copy.deepcopy(block.element)
        paragraphs = [element] if element.tag == w("p") else list(element.iter(w("p")))
        for paragraph in paragraphs:
            for run in list(paragraph.iter(w("r"))):
                if run.getparent().tag in (w("ins"), w("del")):
                    continue
                wrapper = self.rev.mark("ins")
                run.addprevious(wrapper)
                wrapper.append(run)
            mark_paragraph(paragraph, self.rev.mark("ins"))
        if element.tag == w("tbl"):
            for row in element.iterchildren(w("tr")):
                mark_row(row, self.rev.mark("ins"))
        return element

    def deleted(self, block: Block) -> Any:
        element = copy.deepcopy(block.element)
        for tag in (
            "commentRangeStart",
            "commentRangeEnd",
            "bookmarkStart",
            "bookmarkEnd",
            "drawing",
            "pict",
            "object",
        ):
            for item in list(element.iter(w(tag))):
                item.getparent().remove(item)
        for reference in list(element.iter(w("commentReference"))):
            run = reference.getparent()
            run.getparent().remove(run)
        self._fit_formatting(element)
        paragraphs = [element] if element.tag == w("p") else list(element.iter(w("p")))
        for paragraph in paragraphs:
            for run in list(paragraph.iter(w("r"))):
                for text in run.iter(w("t")):
                    text.tag = w("delText")
                for text in run.iter(w("instrText")):
                    text.tag = w("delInstrText")
                wrapper = self.rev.mark("del")
                run.addprevious(wrapper)
                wrapper.append(run)
            mark_paragraph(paragraph, self.rev.mark("del"))
        if element.tag == w("tbl"):
            for row in element.iterchildren(w("tr")):
                mark_row(row, self.rev.mark("del"))
        return element

    def _fit_formatting(self, element: Any) -> None:
        """An old paragraph placed in the new file may only name styles and lists it has."""
        for tag in ("pStyle", "rStyle", "tblStyle"):
            for style in list(element.iter(w(tag))):
                if style.get(w("val")) not in self.styles:
                    style.getparent().remove(style)
        for num_pr in list(element.iter(w("numPr"))):
            num_id = num_pr.find(w("numId"))
            if num_id is None or num_id.get(w("val")) not in self.num_ids:
                num_pr.getparent().remove(num_pr)

    # ------------------------------------------------------------ changes inside

    def changed_paragraph(self, old: Block, new: Block) -> Any:
        paragraph = copy.deepcopy(new.element)
        old_chars = characters(old.element)
        new_chars = characters(paragraph)
        old_text = "".join(c for c, _ in old_chars)
        new_text = "".join(c for c, _ in new_chars)
        old_tokens = TOKENS.findall(old_text)
        new_tokens = TOKENS.findall(new_text)
        old_starts = starts(old_tokens)
        new_starts = starts(new_tokens)
        pieces: list[Any] = []
        for op, i1, i2, j1, j2 in word_changes(old_tokens, new_tokens):
            if op in ("delete", "replace"):
                runs = rebuilt_runs(old_chars[old_starts[i1] : old_starts[i2]], deleted=True)
                pieces.extend(self._wrap("del", runs))
            if op in ("insert", "replace"):
                runs = rebuilt_runs(new_chars[new_starts[j1] : new_starts[j2]])
                pieces.extend(self._wrap("ins", runs))
            if op == "equal":
                pieces.extend(rebuilt_runs(new_chars[new_starts[j1] : new_starts[j2]]))
        openers = [c for c in paragraph if c.tag in (w("bookmarkStart"), w("commentRangeStart"))]
        closers = [
            c
            for c in paragraph
            if c.tag in (w("bookmarkEnd"), w("commentRangeEnd"))
            or (c.tag == w("r") and c.find(w("commentReference")) is not None)
        ]
        for child in list(paragraph):
            if child.tag != w("pPr"):
                paragraph.remove(child)
        for piece in [*openers, *pieces, *closers]:
            paragraph.append(piece)
        return paragraph

    def _wrap(self, tag: str, runs: list[Any]) -> list[Any]:
        if not runs:
            return []
        wrapper = self.rev.mark(tag)
        for run in runs:
            wrapper.append(run)
        return [wrapper]

    def changed_table(self, old: Block, new: Block) -> list[Any]:
        shape_old = [len(row) for row in old.cells]
        shape_new = [len(row) for row in new.cells]
        if shape_old != shape_new:
            return [self.deleted(old), self.inserted(new)]
        table = copy.deepcopy(new.element)
        new_cells = [list(row.iterchildren(w("tc"))) for row in table.iterchildren(w("tr"))]
        for r, row in enumerate(new_cells):
            for c, cell in enumerate(row):
                old_cell, new_cell = old.cells[r][c], new.cells[r][c]
                if [b.text for b in old_cell] == [b.text for b in new_cell]:
                    continue
                for child in list(cell):
                    if child.tag != w("tcPr"):
                        cell.remove(child)
                for kind, o, n in align(old_cell, new_cell):
                    for element in self.emit(kind, o, n):
                        cell.append(element)
                if cell.find(w("p")) is None:  # a cell must end with a paragraph
                    cell.append(etree.Element(w("p")))
        return [table]


def _style_ids(package: Package) -> set[str]:
    styles = parse_part(package, "word/styles.xml")
    if styles is None:
        return set()
    return {s.get(w("styleId")) for s in styles.iter(w("style")) if s.get(w("styleId"))}


def _heading_styles(package: Package) -> set[str]:
    """Styles that start an article: outline level 1 (Heading 1), by definition or by name."""
    styles = parse_part(package, "word/styles.xml")
    found: set[str] = set()
    if styles is None:
        return {"Heading1"}
    for style in styles.iter(w("style")):
        style_id = style.get(w("styleId")) or ""
        name = style.find(w("name"))
        level = style.find(f"{w('pPr')}/{w('outlineLvl')}")
        outline_one = level is not None and level.get(w("val")) == "0"
        named = _HEADING.match(name.get(w("val")) if name is not None else style_id)
        if (outline_one or named) and style_id and style_id != "Title":
            found.add(style_id)
    return found or {"Heading1"}


def _num_ids(package: Package) -> set[str]:
    numbering = parse_part(package, "word/numbering.xml")
    if numbering is None:
        return set()
    return {n.get(w("numId")) for n in numbering.iter(w("num")) if n.get(w("numId"))}


def compare(
    old: Package, new: Package, *, author: str | None = None, when: dt.datetime | None = None
) -> Comparison:
    """The redline of ``new`` against ``old``, as bytes, with a per-article summary."""
    revisions = Revisions(
        author or author_of(new), when or dt.datetime.now(dt.timezone.utc), first_free_id(new)
    )
    redliner = _Redliner(old, new, revisions)
    document = redliner.body()
    parts = dict(new.parts)
    parts["word/document.xml"] = serialize(document)
    settings = track_revisions(parts.get("word/settings.xml"))
    if settings is not None:
        parts["word/settings.xml"] = settings
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return Comparison(
        data=buffer.getvalue(),
        articles=redliner.articles,
        old_had_changes=old.had_tracked_changes,
        new_had_changes=new.had_tracked_changes,
    )


def compare_files(old_path: Path, new_path: Path, *, author: str | None = None) -> Comparison:
    from tutorbargain.roundtrip.wordfile import read_package

    return compare(read_package(old_path), read_package(new_path), author=author)
