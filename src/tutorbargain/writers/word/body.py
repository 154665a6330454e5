"""A document's body, header, footer and comments, as WordprocessingML strings.

Each block becomes a paragraph in its style (numbered through the style's list), or a table;
a clause's rationale becomes a Word comment on the team's copy, and its id a hidden bookmark.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence

from tutorbargain.compose.model import Block, BlockKind, Document, Run
from tutorbargain.writers.word.markup import ROOT_NS, field, runs_xml, text_xml
from tutorbargain.writers.word.numbering import BLOCK_NUMBERING, LEGAL_STYLES, ppr_numbering
from tutorbargain.writers.word.styles import STYLE_IDS
from tutorbargain.writers.word.tables import ANSWER_BOX_HEIGHT, table_xml

COMMENT_AUTHOR = "tutorbargain"
"""Only the team's copy has comments; the district's copy carries no trace of the tool."""

BOOKMARK_MAX = 40
"""Word's longest bookmark name."""
BOOKMARK_PREFIX = "_B"
"""Our hidden bookmarks: "_B" and twelve hex digits (a leading underscore hides it in Word)."""


def bookmark_name(ident: str) -> str:
    """The hidden bookmark for a clause, question or article id: a short hash of the id.

    The name says nothing of the id itself, so the district's copy names no clause of the
    library; a later comparison finds a clause again by hashing the same id.
    """
    return BOOKMARK_PREFIX + hashlib.sha1(ident.encode("utf-8")).hexdigest()[:12]


_ANNOTATION_REF = '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>'
_HEADINGS = {BlockKind.ARTICLE, BlockKind.HEADING1, BlockKind.HEADING2}
_KEEP_TOGETHER = {
    (BlockKind.NUMBER, BlockKind.NOTE),
    (BlockKind.NOTE, BlockKind.TABLE),
    (BlockKind.PARAGRAPH, BlockKind.TABLE),
}
"""A question stays on the page with its "why", the "why" with its answer box, and the
words before a table (the signature lines) with the table."""
_WHOLE = {BlockKind.NUMBER, BlockKind.NOTE}
"""A question and its "why" are never broken across pages either: all of it sits with its box."""


def keeps_with_next(kind: BlockKind, following: BlockKind | None) -> bool:
    """Whether a block of ``kind`` is kept on its page with the block after it (the page
    estimate in `pages` asks the same question, so it lays pages out as they are written)."""
    return kind in _HEADINGS or (kind, following) in _KEEP_TOGETHER


_NO_NUMBER = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'


class BodyWriter:
    """One document's body, comments and bookmarks, as strings."""

    def __init__(
        self,
        model: Document,
        *,
        comments: bool,
        text_width: int,
        nums: Sequence[int],
        box_heights: Mapping[int, int] | None = None,
    ) -> None:
        self.model = model
        self.nums = nums
        self.comments = comments
        self.text_width = text_width
        self.box_heights = box_heights or {}
        """Each answer box's height by its block's index (`pages`); one inch where not given."""
        self.legal = any(b.kind is BlockKind.ARTICLE for b in model.blocks)
        self.comment_xml: list[str] = []
        self.bookmarks: set[str] = set()
        self.stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.paragraphs = 0
        self.words = 0

    def body(self) -> str:
        """The blocks as paragraphs and tables, with the page breaks and spacers Word needs."""
        blocks = self.model.blocks
        parts: list[str] = []
        page_break = after_table = False
        for index, block in enumerate(blocks):
            kind = block.kind
            if kind is BlockKind.PAGE_BREAK:
                page_break = True
                continue
            following = blocks[index + 1].kind if index + 1 < len(blocks) else None
            if kind is BlockKind.TABLE:
                if after_table:  # two tables in a row would merge into one in Word
                    parts.append('<w:p><w:pPr><w:spacing w:after="0"/></w:pPr></w:p>')
                if page_break:
                    parts.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
                    page_break = False
                parts.append(self.table(block, self.box_heights.get(index, ANSWER_BOX_HEIGHT)))
                after_table = True
                continue
            keep = keeps_with_next(kind, following)
            parts.append(
                self.paragraph(block, keep=keep, page_break=page_break, after_table=after_table)
            )
            page_break = after_table = False
        if after_table or page_break or not parts:
            # Word ends a body with a paragraph; a tiny one, so it adds no blank page.
            parts.append(
                '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" '
                'w:lineRule="exact"/><w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>'
            )
        return "".join(parts)

    def paragraph(self, block: Block, *, keep: bool, page_break: bool, after_table: bool) -> str:
        """One block as a paragraph in its style, counted for the document's properties."""
        kind = block.kind
        style = STYLE_IDS[kind]
        props = f'<w:pStyle w:val="{style}"/>'
        if keep:
            props += "<w:keepNext/>"
        if keep and kind in _WHOLE:
            props += "<w:keepLines/>"
        if page_break:
            props += "<w:pageBreakBefore/>"
        if kind in BLOCK_NUMBERING:
            which, level = BLOCK_NUMBERING[kind]
            props += ppr_numbering(self.nums[which], level)
        elif self.legal and style in LEGAL_STYLES:
            props += _NO_NUMBER  # a plain Heading 1 in an agreement (the closing articles)
        if after_table:
            props += '<w:spacing w:before="160"/>'
        if kind is BlockKind.CENTERED:
            props += '<w:jc w:val="center"/>'
        runs = runs_xml(block.runs)
        self.paragraphs += 1
        self.words += len(block.text.split())
        if block.comment and self.comments and block.runs:
            runs = self.comment(runs, block.comment)
        if block.anchor:
            runs = self.bookmark(runs, block.anchor)
        return f"<w:p><w:pPr>{props}</w:pPr>{runs}</w:p>"

    def bookmark(self, runs: str, ident: str) -> str:
        """Wrap ``runs`` in the id's hidden bookmark (once per document: names are unique)."""
        name = bookmark_name(ident)
        if name in self.bookmarks:
            return runs
        number = len(self.bookmarks)
        self.bookmarks.add(name)
        return (
            f'<w:bookmarkStart w:id="{number}" w:name="{name}"/>{runs}'
            f'<w:bookmarkEnd w:id="{number}"/>'
        )

    def comment(self, runs: str, text: str) -> str:
        """Anchor a Word comment (the clause's rationale) on ``runs``."""
        ident = len(self.comment_xml)
        paragraphs = "".join(
            '<w:p><w:pPr><w:pStyle w:val="CommentText"/></w:pPr>'
            + (_ANNOTATION_REF if index == 0 else "")
            + f"<w:r>{text_xml(part)}</w:r></w:p>"
            for index, part in enumerate(text.split("\n\n"))
        )
        self.comment_xml.append(
            f'<w:comment w:id="{ident}" w:author="{COMMENT_AUTHOR}" w:initials="TB" '
            f'w:date="{self.stamp}">{paragraphs}</w:comment>'
        )
        return (
            f'<w:commentRangeStart w:id="{ident}"/>{runs}<w:commentRangeEnd w:id="{ident}"/>'
            '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
            f'<w:commentReference w:id="{ident}"/></w:r>'
        )

    def table(self, block: Block, box_height: int) -> str:
        assert block.table is not None
        xml, words = table_xml(block.table, self.text_width, box_height)
        self.words += words
        return xml

    def header(self) -> str:
        """word/header1.xml: the model's header line, centred."""
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {ROOT_NS}>'
            '<w:p><w:pPr><w:pStyle w:val="Header"/><w:jc w:val="center"/></w:pPr>'
            f"{runs_xml(self.model.header)}</w:p></w:hdr>"
        )

    def footer(self) -> str:
        """word/footer1.xml: the model's footer line, then Page X of Y."""
        runs = [*self.model.footer, Run("  \u00b7  ")] if self.model.footer else []
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {ROOT_NS}>'
            '<w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr>'
            f"{runs_xml([*runs, Run('Page ')])}{field('PAGE')}{runs_xml([Run(' of ')])}"
            f"{field('NUMPAGES')}</w:p></w:ftr>"
        )

    def comments_xml(self) -> str:
        """word/comments.xml: every comment `comment` anchored."""
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments {ROOT_NS}>'
            f"{''.join(self.comment_xml)}</w:comments>"
        )
