"""Write a `model.Document` as a Word file a bargaining team can work in.

Built-in styles (Title, Heading 1-2, List Number, Normal ...) so a local's own style changes
apply; real Word numbering for articles (Article 1, 1.1, (a)); a header naming the parties and
saying DRAFT; a footer with Page X of Y fields; rationales as Word comments.

Speed: python-docx looks styles up by scanning every style on each assignment, so this writer
prepares one template per process (fonts, numbering, page) and sets style ids directly.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Inches, Pt, RGBColor

from .errors import InputFileError, Problem
from .model import Block, BlockKind, Document, Run

FONT = "Times New Roman"
AUTHOR = "tutorbargain"
INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

LEGAL_ABSTRACT_ID = 901
LIST_ABSTRACT_ID = 902
BULLET_ABSTRACT_ID = 903

_STYLE_IDS = {
    BlockKind.TITLE: "Title",
    BlockKind.SUBTITLE: "Subtitle",
    BlockKind.HEADING1: "Heading1",
    BlockKind.HEADING2: "Heading2",
    BlockKind.ARTICLE: "Heading1",
    BlockKind.SECTION: "ListNumber",
    BlockKind.ITEM: "ListNumber2",
    BlockKind.CONTINUE: "ListContinue",
    BlockKind.BULLET: "ListBullet",
    BlockKind.NUMBER: "ListNumber",
    BlockKind.PARAGRAPH: "Normal",
    BlockKind.NOTE: "Quote",
    BlockKind.CENTERED: "Normal",
}
_HEADINGS = {BlockKind.ARTICLE, BlockKind.HEADING1, BlockKind.HEADING2}
_KEEP_TOGETHER = {
    (BlockKind.NUMBER, BlockKind.NOTE),
    (BlockKind.NOTE, BlockKind.TABLE),
    (BlockKind.PARAGRAPH, BlockKind.TABLE),
}
"""A question stays on the page with its "why", the "why" with its answer box, and the
words before a table (the signature lines) with the table."""
_REQUIRED_STYLES = (
    *set(_STYLE_IDS.values()),
    "Header",
    "Footer",
    "TableGrid",
    "CommentText",
    "CommentReference",
)


def xml_safe(text: str) -> str:
    """Replace characters Word cannot store with a visible U+FFFD, never write them raw."""
    return INVALID_XML.sub("\ufffd", text)


BOOKMARK_MAX = 40
"""Word's longest bookmark name."""
_NOT_NAME = re.compile(r"[^A-Za-z0-9_]")


def bookmark_name(ident: str) -> str:
    """The hidden bookmark (a leading underscore hides it in Word) for a clause or question id.

    "-" and any other character Word refuses in a name become "_"; a name over 40 characters is
    cut and given a short hash of the whole id, so two long ids never share a bookmark.
    """
    name = "_" + _NOT_NAME.sub("_", ident)
    if len(name) <= BOOKMARK_MAX:
        return name
    digest = hashlib.sha1(ident.encode("utf-8")).hexdigest()[:6]
    return f"{name[: BOOKMARK_MAX - 7]}_{digest}"


# ---------------------------------------------------------------- the prepared template


def _numbering_xml() -> list[Any]:
    """Abstract numbering: legal (Article 1 / 1.1 / (a)), a running list, and bullets."""

    def level(ilvl: int, fmt: str, text: str, left: int, hanging: int, suffix: str = "tab") -> str:
        suff = "" if suffix == "tab" else f'<w:suff w:val="{suffix}"/>'
        return (
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{suff}'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr></w:lvl>'
        )

    legal = (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{LEGAL_ABSTRACT_ID}">'
        '<w:multiLevelType w:val="multilevel"/>'
        + level(0, "decimal", "Article %1.", 0, 0, suffix="space")
        + level(1, "decimal", "%1.%2", 720, 720)
        + level(2, "lowerLetter", "(%3)", 1440, 720)
        + "</w:abstractNum>"
    )
    running = (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{LIST_ABSTRACT_ID}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        + level(0, "decimal", "%1.", 540, 540)
        + "</w:abstractNum>"
    )
    bullets = (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{BULLET_ABSTRACT_ID}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        + level(0, "bullet", "\u2022", 720, 360)
        + "</w:abstractNum>"
    )
    return [parse_xml(legal), parse_xml(running), parse_xml(bullets)]


def _own_fonts(element: Any) -> None:
    """Point every font setting under ``element`` at our font, dropping theme fonts."""
    for fonts in element.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attr), FONT)


def _tune_styles(document: Any) -> None:
    styles = document.styles
    _own_fonts(styles.element)
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    looks = {
        "Title": (18, True, WD_ALIGN_PARAGRAPH.CENTER, 0, 4),
        "Subtitle": (12.5, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 14),
        "Heading1": (13, True, None, 16, 6),
        "Heading2": (12, True, None, 10, 4),
    }
    for style_id, (size, bold, align, before, after) in looks.items():
        style = _style_by_id(styles, style_id)
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        fmt = style.paragraph_format
        fmt.space_before = Pt(before)
        fmt.space_after = Pt(after)
        if align is not None:
            fmt.alignment = align
        _drop_borders(style.element)
        _drop_character_spacing(style.element)
    quote = _style_by_id(styles, "Quote")
    quote.font.italic = True
    quote.font.size = Pt(10)
    quote.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    quote.paragraph_format.left_indent = Inches(0.375)
    quote.paragraph_format.right_indent = Inches(0)
    quote.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    for style_id in ("ListNumber", "ListNumber2", "ListBullet", "ListContinue"):
        style = _style_by_id(styles, style_id)
        style.paragraph_format.space_after = Pt(6)
        _drop_contextual_spacing(style.element)
    _style_by_id(styles, "ListContinue").paragraph_format.left_indent = Inches(0.5)
    for style_id in ("Header", "Footer"):
        _style_by_id(styles, style_id).font.size = Pt(9)


def _drop_borders(style_element: Any) -> None:
    ppr = style_element.find(qn("w:pPr"))
    if ppr is not None:
        border = ppr.find(qn("w:pBdr"))
        if border is not None:
            ppr.remove(border)


def _drop_character_spacing(style_element: Any) -> None:
    rpr = style_element.find(qn("w:rPr"))
    if rpr is not None:
        for child in rpr.findall(qn("w:spacing")):
            rpr.remove(child)


def _drop_contextual_spacing(style_element: Any) -> None:
    ppr = style_element.find(qn("w:pPr"))
    if ppr is not None:
        for child in ppr.findall(qn("w:contextualSpacing")):
            ppr.remove(child)


def _style_by_id(styles: Any, style_id: str) -> Any:
    for style in styles:
        if style.style_id == style_id:
            return style
    raise KeyError(style_id)


def _prepare(base: Any, *, own_look: bool) -> bytes:
    """Tune a base document once: numbering, and (unless it is the local's) styles and page."""
    if own_look:
        _tune_styles(base)
    numbering = base.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    for abstract in _numbering_xml():
        existing = numbering.xpath(
            f"w:abstractNum[@w:abstractNumId='{abstract.get(qn('w:abstractNumId'))}']"
        )
        for old in existing:
            numbering.remove(old)
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
    if own_look:
        section = base.sections[0]
        section.page_width, section.page_height = Inches(8.5), Inches(11)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Inches(1))
        section.header_distance = Inches(0.5)
        section.footer_distance = Inches(0.5)
    body = base.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    base.core_properties.author = AUTHOR
    buffer = io.BytesIO()
    base.save(buffer)
    return buffer.getvalue()


_PREPARED: dict[str, bytes] = {}


def _template_bytes(reference: Path | None) -> bytes:
    key = str(reference.resolve()) if reference else ""
    if key not in _PREPARED:
        if reference is None:
            _PREPARED[key] = _prepare(docx.Document(), own_look=True)
        else:
            _PREPARED[key] = _prepare(_open_reference(reference), own_look=False)
    return _PREPARED[key]


def _open_reference(path: Path) -> Any:
    """A local's letterhead document, with any built-in style it lacks copied in."""
    if not path.exists():
        raise InputFileError("", [Problem(str(path), "no such file")])
    if not path.is_file():
        raise InputFileError("", [Problem(str(path), "is not a file")])
    try:
        document = docx.Document(str(path))
    except Exception:  # python-docx raises several types for a file that is not .docx
        raise InputFileError(
            "",
            [
                Problem(
                    str(path),
                    "is not a Word document that can be read; open it in Word "
                    "and save it as a .docx file",
                )
            ],
        ) from None
    fallback = docx.Document()
    have = {s.get(qn("w:styleId")) for s in document.styles.element.iter(qn("w:style"))}
    for style in fallback.styles.element.iter(qn("w:style")):
        style_id = style.get(qn("w:styleId"))
        if style_id in _REQUIRED_STYLES and style_id not in have:
            document.styles.element.append(copy.deepcopy(style))
    return document


# ---------------------------------------------------------------- writing one document


_NUMBERING: dict[BlockKind, tuple[int, int]] = {
    BlockKind.ARTICLE: (LEGAL_ABSTRACT_ID, 0),
    BlockKind.SECTION: (LEGAL_ABSTRACT_ID, 1),
    BlockKind.ITEM: (LEGAL_ABSTRACT_ID, 2),
    BlockKind.NUMBER: (LIST_ABSTRACT_ID, 0),
    BlockKind.BULLET: (BULLET_ABSTRACT_ID, 0),
}
TEXT_WIDTH = 9360
"""Twentieths of a point between 1-inch margins on a Letter page."""
_COLUMN_SHARES = {1: (1.0,), 2: (0.5, 0.5), 3: (0.28, 0.5, 0.22)}


def _text(text: str) -> str:
    """Text as WordprocessingML runs' content: escaped, line breaks as <w:br/>."""
    return "<w:br/>".join(
        f'<w:t xml:space="preserve">{escape(part)}</w:t>' for part in xml_safe(text).split("\n")
    )


def _runs_xml(runs: Iterable[Run], *, bold: bool = False) -> str:
    out = []
    for run in runs:
        props = ""
        if run.bold or run.placeholder or bold:
            props += "<w:b/>"
        if run.placeholder:
            props += '<w:highlight w:val="yellow"/>'
        rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
        out.append(f"<w:r>{rpr}{_text(run.text)}</w:r>")
    return "".join(out)


class _Writer:
    """Builds the body as one WordprocessingML string, parsed once: python-docx's per-element
    API costs about a millisecond a paragraph, this costs a few microseconds."""

    def __init__(self, model: Document, *, comments: bool, reference: Path | None) -> None:
        self.model = model
        self.comments = comments
        self.document = docx.Document(io.BytesIO(_template_bytes(reference)))
        self.reference = reference
        self.num_ids: dict[int, int] = {}
        self.comment_xml: list[str] = []
        self.bookmarks: set[str] = set()
        self.next_comment_id = _next_comment_id(self.document)
        self.stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    def num_id(self, abstract_id: int) -> int:
        """A fresh numbering instance per document, started at 1 (so every document restarts)."""
        if abstract_id not in self.num_ids:
            numbering = self.document.part.numbering_part.element
            used = [int(n) for n in numbering.xpath("w:num/@w:numId")]
            num_id = max(used, default=0) + 1
            overrides = "".join(
                f'<w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="1"/></w:lvlOverride>'
                for lvl in range(3 if abstract_id == LEGAL_ABSTRACT_ID else 1)
            )
            numbering.append(
                parse_xml(
                    f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                    f'<w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'
                )
            )
            self.num_ids[abstract_id] = num_id
        return self.num_ids[abstract_id]

    def write(self) -> bytes:
        blocks = self.model.blocks
        parts: list[str] = []
        for index, block in enumerate(blocks):
            following = blocks[index + 1].kind if index + 1 < len(blocks) else None
            keep = block.kind in _HEADINGS or (block.kind, following) in _KEEP_TOGETHER
            parts.append(self.block(block, keep_with_next=keep))
        body = self.document.element.body
        section = body.find(qn("w:sectPr"))
        for element in parse_xml(f"<w:body {nsdecls('w')}>{''.join(parts)}</w:body>"):
            if section is not None:
                section.addprevious(element)
            else:
                body.append(element)
        self.write_comments()
        self.header_footer()
        props = self.document.core_properties
        props.title = xml_safe(self.model.title)[:250]
        props.author = AUTHOR
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    def block(self, block: Block, *, keep_with_next: bool = False) -> str:
        kind = block.kind
        if kind is BlockKind.TABLE:
            return self.table(block)
        if kind is BlockKind.PAGE_BREAK:
            return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
        props = f'<w:pStyle w:val="{_STYLE_IDS[kind]}"/>'
        if keep_with_next:
            props += "<w:keepNext/>"
        if kind in _NUMBERING:
            abstract_id, level = _NUMBERING[kind]
            props += (
                f'<w:numPr><w:ilvl w:val="{level}"/>'
                f'<w:numId w:val="{self.num_id(abstract_id)}"/></w:numPr>'
            )
        if kind is BlockKind.CENTERED:
            props += '<w:jc w:val="center"/>'
        runs = _runs_xml(block.runs)
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
        ident = self.next_comment_id + len(self.comment_xml)
        paragraphs = "".join(
            '<w:p><w:pPr><w:pStyle w:val="CommentText"/></w:pPr>'
            + (_ANNOTATION_REF if index == 0 else "")
            + f"<w:r>{_text(part)}</w:r></w:p>"
            for index, part in enumerate(text.split("\n\n"))
        )
        self.comment_xml.append(
            f'<w:comment w:id="{ident}" w:author="{AUTHOR}" w:initials="TB" '
            f'w:date="{self.stamp}">{paragraphs}</w:comment>'
        )
        return (
            f'<w:commentRangeStart w:id="{ident}"/>{runs}<w:commentRangeEnd w:id="{ident}"/>'
            '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
            f'<w:commentReference w:id="{ident}"/></w:r>'
        )

    def write_comments(self) -> None:
        """Put the collected comments into the comments part, in one parse."""
        if not self.comment_xml:
            return
        self.document.comments  # noqa: B018 (creates the comments part if the template has none)
        part = next(
            p for p in self.document.part.package.iter_parts() if p.partname == "/word/comments.xml"
        )
        xml = f"<w:comments {nsdecls('w')}>{''.join(self.comment_xml)}</w:comments>"
        for element in parse_xml(xml):
            part.element.append(element)

    def table(self, block: Block) -> str:
        table = block.table
        assert table is not None
        if not table.rows:
            return ""
        columns = max(len(row) for row in table.rows)
        indent = 540 if table.style == "answer" else 0
        shares = _COLUMN_SHARES.get(columns, tuple(1 / columns for _ in range(columns)))
        widths = [int((TEXT_WIDTH - indent) * share) for share in shares]
        props = '<w:tblStyle w:val="TableGrid"/>' if table.style in ("grid", "answer") else ""
        props += '<w:tblW w:w="0" w:type="auto"/>'
        if indent:
            # Line the box up under the question text, not the question number.
            props += f'<w:tblInd w:w="{indent}" w:type="dxa"/>'
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        rows = []
        for index, row in enumerate(table.rows):
            header = table.header and index == 0
            row_props = "<w:cantSplit/>"
            if header:
                row_props += "<w:tblHeader/>"
            if table.style == "answer":
                row_props += '<w:trHeight w:val="950" w:hRule="atLeast"/>'
            elif table.style == "signature" and index > 0:
                row_props += '<w:trHeight w:val="500" w:hRule="atLeast"/>'
            # A signature block is never split across pages: each row keeps with the next.
            keep = table.style == "signature" and index < len(table.rows) - 1
            cell_props = "<w:pPr><w:keepNext/></w:pPr>" if keep else ""
            cells = []
            for column in range(columns):
                runs = row[column] if column < len(row) else []
                cells.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{widths[column]}" w:type="dxa"/></w:tcPr>'
                    f"<w:p>{cell_props}{_runs_xml(runs, bold=header)}</w:p></w:tc>"
                )
            rows.append(f"<w:tr><w:trPr>{row_props}</w:trPr>{''.join(cells)}</w:tr>")
        # A small gap after the table, so the next paragraph does not touch it.
        gap = '<w:p><w:pPr><w:pStyle w:val="Normal"/><w:spacing w:after="40"/></w:pPr></w:p>'
        return (
            f"<w:tbl><w:tblPr>{props}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
            f"{''.join(rows)}</w:tbl>{gap}"
        )

    def header_footer(self) -> None:
        section = self.document.sections[0]
        if self.model.header:
            header = section.header
            paragraph = header.paragraphs[0] if self.reference is None else header.add_paragraph()
            paragraph._p.get_or_add_pPr().style = "Header"
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _append_runs(paragraph, self.model.header)
        footer = section.footer
        paragraph = footer.paragraphs[0] if self.reference is None else footer.add_paragraph()
        paragraph._p.get_or_add_pPr().style = "Footer"
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer_runs = [*self.model.footer, Run("  \u00b7  ")] if self.model.footer else []
        _append_runs(paragraph, [*footer_runs, Run("Page ")])
        _field(paragraph, "PAGE")
        _append_runs(paragraph, [Run(" of ")])
        _field(paragraph, "NUMPAGES")


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay out pages."""
    xml = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>1</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    for element in parse_xml(f"<w:p {nsdecls('w')}>{xml}</w:p>"):
        paragraph._p.append(element)


_ANNOTATION_REF = '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>'


def _next_comment_id(document: Any) -> int:
    """The first free comment id (a letterhead document may already hold comments)."""
    for part in document.part.package.iter_parts():
        if part.partname == "/word/comments.xml":
            ids = [int(i) for i in part.element.xpath("w:comment/@w:id")]
            return max(ids, default=-1) + 1
    return 0


def _append_runs(paragraph: Any, runs: Iterable[Run]) -> None:
    for element in parse_xml(f"<w:p {nsdecls('w')}>{_runs_xml(runs)}</w:p>"):
        paragraph._p.append(element)


def write_docx(model: Document, *, comments: bool = True, reference: Path | None = None) -> bytes:
    """The .docx file for ``model`` as bytes; the caller writes it (atomically)."""
    return _Writer(model, comments=comments, reference=reference).write()
