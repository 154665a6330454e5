"""Compare two Word files and write a redline: NEW's document with Word's own tracked changes.

Each side is read as its accepted text (`wordfile`). Paragraphs and tables are matched by
anchor (the hidden bookmark tutorbargain puts on every clause) where both files have one,
otherwise by their words. A matched paragraph whose words differ gets word-level insertions
and deletions; an unmatched one is inserted or deleted whole. Accepting every change gives
NEW's text, rejecting every change gives OLD's. Built with the standard library's difflib:
no tool we could install with pip wrote revisions both correctly and maintained (see the
commit that added this module).
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from tutorbargain.roundtrip.wordfile import Block, Package, blocks, parse_part, serialize, w

SIMILAR = 0.5
"""How alike two paragraphs must be (difflib ratio) to be shown as one changed paragraph."""
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")
_PLAIN_RUN_CHILDREN = {
    w(t)
    for t in ("rPr", "t", "tab", "br", "cr", "lastRenderedPageBreak", "softHyphen", "noBreakHyphen")
}
_KEPT_MARKERS = {
    w(t)
    for t in (
        "bookmarkStart",
        "bookmarkEnd",
        "commentRangeStart",
        "commentRangeEnd",
        "proofErr",
        "permStart",
        "permEnd",
    )
}
_HEADING = re.compile(r"(?i)^(heading ?1|title)$")


@dataclass
class ArticleSummary:
    """What happened to one article (or the opening before the first one)."""

    title: str
    status: str = "unchanged"
    """unchanged, changed, added or removed."""
    unchanged: int = 0
    changed: int = 0
    added: int = 0
    removed: int = 0

    def count(self, kind: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)

    def settle(self) -> None:
        touched = self.changed + self.added + self.removed
        if touched == 0:
            self.status = "unchanged"
        elif self.added and not (self.unchanged or self.changed or self.removed):
            self.status = "added"
        elif self.removed and not (self.unchanged or self.changed or self.added):
            self.status = "removed"
        else:
            self.status = "changed"


@dataclass
class Comparison:
    """A redline's bytes and its summary."""

    data: bytes
    articles: list[ArticleSummary] = field(default_factory=list)
    old_had_changes: bool = False
    new_had_changes: bool = False

    @property
    def identical(self) -> bool:
        return all(article.status == "unchanged" for article in self.articles)

    def as_json(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "identical": self.identical,
            "old_had_tracked_changes": self.old_had_changes,
            "new_had_tracked_changes": self.new_had_changes,
            "articles": [
                {
                    "title": a.title,
                    "status": a.status,
                    "paragraphs": {
                        "unchanged": a.unchanged,
                        "changed": a.changed,
                        "added": a.added,
                        "removed": a.removed,
                    },
                }
                for a in self.articles
            ],
        }


class _Revisions:
    """Numbers, author and date for every w:ins and w:del written."""

    def __init__(self, author: str, when: dt.datetime, first_id: int) -> None:
        self.author = author
        self.date = when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.next_id = first_id

    def mark(self, tag: str) -> Any:
        element = etree.Element(w(tag))
        element.set(w("id"), str(self.next_id))
        element.set(w("author"), self.author)
        element.set(w("date"), self.date)
        self.next_id += 1
        return element


class _Redliner:
    def __init__(self, old: Package, new: Package, revisions: _Revisions) -> None:
        self.old = old
        self.new = new
        self.rev = revisions
        self.styles = _style_ids(new)
        self.heading_styles = _heading_styles(new) | _heading_styles(old)
        self.num_ids = _num_ids(new)
        self.articles: list[ArticleSummary] = []

    # ------------------------------------------------------------ alignment

    def align(
        self, old: list[Block], new: list[Block]
    ) -> Iterator[tuple[str, Block | None, Block | None]]:
        """Pairs (kind, old, new): equal, changed, removed (old only) or added (new only)."""
        new_anchors = _unique_anchors(new)
        old_anchors = _unique_anchors(old)
        shared = new_anchors & old_anchors

        def key(block: Block) -> str:
            if block.anchor in shared:
                return "A\0" + block.anchor
            return ("T\0" if not block.is_table else "G\0") + block.text

        matcher = difflib.SequenceMatcher(
            None, [key(b) for b in old], [key(b) for b in new], autojunk=False
        )
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                for o, n in zip(old[i1:i2], new[j1:j2], strict=True):
                    yield ("equal" if o.text == n.text else "changed"), o, n
            else:
                yield from self._pair(old[i1:i2], new[j1:j2])

    def _pair(
        self, old: list[Block], new: list[Block]
    ) -> Iterator[tuple[str, Block | None, Block | None]]:
        """Inside a replaced stretch, show alike paragraphs as changed, in order; what is
        struck comes before what replaces it (a cell's last paragraph mark cannot be struck)."""
        i = 0
        waiting: list[Block] = []
        for n in new:
            match = next(
                (
                    k
                    for k in range(i, len(old))
                    if old[k].is_table == n.is_table and _alike(old[k].text, n.text)
                ),
                None,
            )
            if match is None:
                waiting.append(n)
                continue
            for k in range(i, match):
                yield "removed", old[k], None
            for added in waiting:
                yield "added", None, added
            waiting = []
            yield "changed", old[match], n
            i = match + 1
        for k in range(i, len(old)):
            yield "removed", old[k], None
        for added in waiting:
            yield "added", None, added

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
        for kind, o, n in self.align(old_blocks, new_blocks):
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
        if _plain(old.element) and _plain(new.element):
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
            _mark_paragraph(paragraph, self.rev.mark("ins"))
        if element.tag == w("tbl"):
            for row in element.iterchildren(w("tr")):
                _mark_row(row, self.rev.mark("ins"))
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
            _mark_paragraph(paragraph, self.rev.mark("del"))
        if element.tag == w("tbl"):
            for row in element.iterchildren(w("tr")):
                _mark_row(row, self.rev.mark("del"))
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
        old_chars = _characters(old.element)
        new_chars = _characters(paragraph)
        old_text = "".join(c for c, _ in old_chars)
        new_text = "".join(c for c, _ in new_chars)
        old_tokens = _TOKENS.findall(old_text)
        new_tokens = _TOKENS.findall(new_text)
        old_starts = _starts(old_tokens)
        new_starts = _starts(new_tokens)
        pieces: list[Any] = []
        for op, i1, i2, j1, j2 in _word_changes(old_tokens, new_tokens):
            if op in ("delete", "replace"):
                runs = _runs(old_chars[old_starts[i1] : old_starts[i2]], deleted=True)
                pieces.extend(self._wrap("del", runs))
            if op in ("insert", "replace"):
                runs = _runs(new_chars[new_starts[j1] : new_starts[j2]])
                pieces.extend(self._wrap("ins", runs))
            if op == "equal":
                pieces.extend(_runs(new_chars[new_starts[j1] : new_starts[j2]]))
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
                for kind, o, n in self.align(old_cell, new_cell):
                    for element in self.emit(kind, o, n):
                        cell.append(element)
                if cell.find(w("p")) is None:  # a cell must end with a paragraph
                    cell.append(etree.Element(w("p")))
        return [table]


# ---------------------------------------------------------------- helpers


def _alike(old: str, new: str) -> bool:
    return difflib.SequenceMatcher(None, old, new, autojunk=False).ratio() >= SIMILAR


def _unique_anchors(items: list[Block]) -> set[str]:
    seen: dict[str, int] = {}
    for block in items:
        if block.anchor:
            seen[block.anchor] = seen.get(block.anchor, 0) + 1
    return {name for name, count in seen.items() if count == 1}


def _plain(paragraph: Any) -> bool:
    """True when a paragraph holds only text runs, so it can be rebuilt word by word."""
    for child in paragraph:
        if child.tag == w("pPr") or child.tag in _KEPT_MARKERS:
            continue
        if child.tag != w("r"):
            return False
        if child.find(w("commentReference")) is not None:
            continue
        if any(grand.tag not in _PLAIN_RUN_CHILDREN for grand in child):
            return False
    return True


def _characters(paragraph: Any) -> list[tuple[str, Any]]:
    """Each character of a plain paragraph with the run properties it is written in."""
    out: list[tuple[str, Any]] = []
    for run in paragraph.iterchildren(w("r")):
        if run.find(w("commentReference")) is not None:
            continue
        props = run.find(w("rPr"))
        for child in run:
            if child.tag == w("t"):
                out.extend((ch, props) for ch in child.text or "")
            elif child.tag == w("tab"):
                out.append(("\t", props))
            elif child.tag in (w("br"), w("cr")):
                out.append(("\n", props))
            elif child.tag == w("noBreakHyphen"):
                out.append(("\u2011", props))
    return out


def _word_changes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes over words, with changes split only by spaces joined into one, so
    "Lakeview Education Association" -> "Cedar Valley Federation" reads as one replacement."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    merged: list[list[Any]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        spaces_only = op == "equal" and all(token.isspace() for token in old[i1:i2])
        if merged and merged[-1][0] != "equal" and (op != "equal" or spaces_only):
            merged[-1] = ["replace", merged[-1][1], i2, merged[-1][3], j2]
        else:
            merged.append([op, i1, i2, j1, j2])
    return [(str(m[0]), m[1], m[2], m[3], m[4]) for m in merged]


def _starts(tokens: list[str]) -> list[int]:
    """Character offset of each token, and of the end."""
    offsets = [0]
    for token in tokens:
        offsets.append(offsets[-1] + len(token))
    return offsets


def _runs(chars: list[tuple[str, Any]], *, deleted: bool = False) -> list[Any]:
    """Runs for a stretch of characters, one per stretch of the same properties."""
    runs: list[Any] = []
    text_tag = w("delText") if deleted else w("t")
    index = 0
    while index < len(chars):
        props = chars[index][1]
        end = index
        while end < len(chars) and chars[end][1] is props:
            end += 1
        run = etree.Element(w("r"))
        if props is not None:
            run.append(copy.deepcopy(props))
        buffer = ""
        for ch, _ in chars[index:end]:
            if ch in "\t\n\u2011":
                if buffer:
                    _add_text(run, text_tag, buffer)
                    buffer = ""
                tag = {"\t": "tab", "\n": "br", "\u2011": "noBreakHyphen"}[ch]
                run.append(etree.Element(w(tag)))
            else:
                buffer += ch
        if buffer:
            _add_text(run, text_tag, buffer)
        runs.append(run)
        index = end
    return runs


def _add_text(run: Any, tag: str, text: str) -> None:
    element = etree.SubElement(run, tag)
    element.text = text
    element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


_PPR_AFTER_RPR = {w("sectPr"), w("pPrChange")}


def _mark_paragraph(paragraph: Any, mark: Any) -> None:
    """Mark a paragraph's own mark (its pilcrow) inserted or deleted."""
    ppr = paragraph.find(w("pPr"))
    if ppr is None:
        ppr = etree.Element(w("pPr"))
        paragraph.insert(0, ppr)
    rpr = ppr.find(w("rPr"))
    if rpr is None:
        rpr = etree.Element(w("rPr"))
        after = [c for c in ppr if c.tag in _PPR_AFTER_RPR]
        if after:
            after[0].addprevious(rpr)
        else:
            ppr.append(rpr)
    for old in rpr.findall(w("ins")) + rpr.findall(w("del")):
        rpr.remove(old)
    rpr.insert(0, mark)


def _mark_row(row: Any, mark: Any) -> None:
    trpr = row.find(w("trPr"))
    if trpr is None:
        trpr = etree.Element(w("trPr"))
        prex = row.find(w("tblPrEx"))
        if prex is not None:
            prex.addnext(trpr)
        else:
            row.insert(0, trpr)
    change = trpr.find(w("trPrChange"))
    if change is not None:
        change.addprevious(mark)
    else:
        trpr.append(mark)


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


def _first_free_id(package: Package) -> int:
    """Revision ids must not collide with ids already in the file (comments, old revisions)."""
    highest = 0
    for element in package.document.iter():
        value = element.get(w("id"))
        if value is not None and value.lstrip("-").isdigit():
            highest = max(highest, int(value))
    return highest + 1


def _author_of(package: Package) -> str:
    core = parse_part(package, "docProps/core.xml")
    if core is not None:
        for tag in ("{http://purl.org/dc/elements/1.1/}creator",):
            element = core.find(tag)
            if element is not None and (element.text or "").strip():
                return str(element.text).strip()[:100]
    return "Reviewer"


def _track_revisions(settings: bytes | None) -> bytes | None:
    """Turn on Track Changes in the redline, so the next edits are tracked too."""
    if settings is None:
        return None
    try:
        root = etree.fromstring(settings, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return settings
    if root.find(w("trackRevisions")) is None:
        # trackRevisions sits early in CT_Settings, after the view and zoom settings.
        after = None
        for tag in (
            "writeProtection",
            "view",
            "zoom",
            "removePersonalInformation",
            "removeDateAndTime",
            "doNotDisplayPageBoundaries",
            "displayBackgroundShape",
            "printPostScriptOverText",
            "printFractionalCharacterWidth",
            "printFormsData",
            "embedTrueTypeFonts",
            "embedSystemFonts",
            "saveSubsetFonts",
            "saveFormsData",
            "mirrorMargins",
            "alignBordersAndEdges",
            "bordersDoNotSurroundHeader",
            "bordersDoNotSurroundFooter",
            "gutterAtTop",
            "hideSpellingErrors",
            "hideGrammaticalErrors",
            "activeWritingStyle",
            "proofState",
            "formsDesign",
            "attachedTemplate",
            "linkStyles",
            "stylePaneFormatFilter",
            "stylePaneSortMethod",
            "documentType",
            "mailMerge",
            "revisionView",
        ):
            found = root.find(w(tag))
            if found is not None:
                after = found
        element = etree.Element(w("trackRevisions"))
        if after is not None:
            after.addnext(element)
        else:
            root.insert(0, element)
    return serialize(root)


def compare(
    old: Package, new: Package, *, author: str | None = None, when: dt.datetime | None = None
) -> Comparison:
    """The redline of ``new`` against ``old``, as bytes, with a per-article summary."""
    revisions = _Revisions(
        author or _author_of(new), when or dt.datetime.now(dt.timezone.utc), _first_free_id(new)
    )
    redliner = _Redliner(old, new, revisions)
    document = redliner.body()
    parts = dict(new.parts)
    parts["word/document.xml"] = serialize(document)
    settings = _track_revisions(parts.get("word/settings.xml"))
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
