"""Write a `model.Document` as a Word file a bargaining team can work in.

The package is written directly as WordprocessingML strings in a zip: no python-docx, no
template to open, no XML tree to build, so a document costs a few milliseconds and the writer
imports nothing heavy. What a Word user expects is all here: built-in styles (Title, Heading 1,
List Number ...) so a local's own look applies; numbering tied to those styles, so a clause
added in Word gets the next number; a header and a footer with Page X of Y; rationales as Word
comments (the team's copy only); each clause's id as a hidden bookmark; document properties
naming the real title and the local; current Word's compatibility mode.

A local's letterhead (``--reference-docx``) is read by `docx_reference`, which keeps only its
styles, numbering, page set-up, headers and footers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from tutorbargain.compose.model import Block, BlockKind, Document, Run

if TYPE_CHECKING:
    from tutorbargain.roundtrip.provenance import Stamp
    from tutorbargain.writers.reference import Letterhead

FONT = "Times New Roman"
COMMENT_AUTHOR = "tutorbargain"
"""Only the team's copy has comments; the district's copy carries no trace of the tool."""
INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

LEGAL_ABSTRACT_ID = 901
LIST_ABSTRACT_ID = 902
BULLET_ABSTRACT_ID = 903
TEXT_WIDTH = 9360
"""Twentieths of a point between 1-inch margins on a Letter page."""

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = R_NS
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
ROOT_NS = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'


def xml_safe(text: str) -> str:
    """Replace characters Word cannot store with a visible U+FFFD, never write them raw."""
    return INVALID_XML.sub("\ufffd", text)


def _esc(text: str) -> str:
    return escape(xml_safe(text), {'"': "&quot;"})


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


# ---------------------------------------------------------------- styles and numbering

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
LEGAL, RUNNING, BULLETS = 0, 1, 2
"""The three lists every document has, as indexes into its numbering ids."""
OWN_NUM_IDS = (1, 2, 3)
"""Numbering instances: each document has its own numbering part, so each starts at 1."""
OWN_ABSTRACT_IDS = (LEGAL_ABSTRACT_ID, LIST_ABSTRACT_ID, BULLET_ABSTRACT_ID)
_NUMBERING: dict[BlockKind, tuple[int, int]] = {
    BlockKind.ARTICLE: (LEGAL, 0),
    BlockKind.SECTION: (LEGAL, 1),
    BlockKind.ITEM: (LEGAL, 2),
    BlockKind.NUMBER: (RUNNING, 0),
    BlockKind.BULLET: (BULLETS, 0),
}
LEGAL_STYLES = {"Heading1": 0, "ListNumber": 1, "ListNumber2": 2}
"""In an agreement (a document with articles), applying these styles in Word numbers the
paragraph: Heading 1 is the next article, List Number the next clause, List Number 2 (a)."""


def style_numbering(style_id: str, legal: bool, nums: Sequence[int]) -> str:
    """The numPr a style carries, so applying it in Word numbers the paragraph ("" for none)."""
    if legal and style_id in LEGAL_STYLES:
        return _ppr_numbering(nums[LEGAL], LEGAL_STYLES[style_id])
    if not legal and style_id == "ListNumber":
        return _ppr_numbering(nums[RUNNING], 0)
    if style_id == "ListBullet":
        return _ppr_numbering(nums[BULLETS], 0)
    return ""


def _ppr_numbering(num_id: int, level: int) -> str:
    return f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'


def _style(
    style_id: str,
    name: str,
    *,
    kind: str = "paragraph",
    based: str | None = "Normal",
    ppr: str = "",
    rpr: str = "",
    extra: str = "",
) -> str:
    based_on = f'<w:basedOn w:val="{based}"/>' if based else ""
    follow = '<w:next w:val="Normal"/>' if kind == "paragraph" and style_id != "Normal" else ""
    return (
        f'<w:style w:type="{kind}" w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/>{based_on}{follow}{extra}<w:qFormat/>'
        + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "")
        + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "")
        + "</w:style>"
    )


def style_definitions(legal: bool, nums: Sequence[int] = OWN_NUM_IDS) -> dict[str, str]:
    """Every style the writer uses, by id; ``legal`` ties Heading 1 and List Number 1-2 to the
    article numbering (an agreement), otherwise List Number is the running question list."""

    def tie(style_id: str) -> str:
        return style_numbering(style_id, legal, nums)

    black = '<w:color w:val="000000"/>'
    return {
        "Normal": _style(
            "Normal",
            "Normal",
            based=None,
            extra="",
            ppr='<w:widowControl/><w:spacing w:after="120" w:line="264" w:lineRule="auto"/>',
        ).replace("<w:style ", '<w:style w:default="1" ', 1),
        "Title": _style(
            "Title",
            "Title",
            ppr='<w:keepNext/><w:spacing w:before="0" w:after="80"/><w:jc w:val="center"/>',
            rpr=f'<w:b/><w:bCs/>{black}<w:sz w:val="36"/><w:szCs w:val="36"/>',
        ),
        "Subtitle": _style(
            "Subtitle",
            "Subtitle",
            ppr='<w:keepNext/><w:spacing w:before="0" w:after="280"/><w:jc w:val="center"/>',
            rpr=f'{black}<w:sz w:val="25"/><w:szCs w:val="25"/>',
        ),
        "Heading1": _style(
            "Heading1",
            "heading 1",
            ppr="<w:keepNext/><w:keepLines/>"
            + tie("Heading1")
            + '<w:spacing w:before="320" w:after="120"/><w:outlineLvl w:val="0"/>',
            rpr=f'<w:b/><w:bCs/>{black}<w:sz w:val="26"/><w:szCs w:val="26"/>',
        ),
        "Heading2": _style(
            "Heading2",
            "heading 2",
            ppr='<w:keepNext/><w:keepLines/><w:spacing w:before="200" w:after="80"/>'
            '<w:outlineLvl w:val="1"/>',
            rpr=f'<w:b/><w:bCs/>{black}<w:sz w:val="24"/><w:szCs w:val="24"/>',
        ),
        "ListNumber": _style("ListNumber", "List Number", ppr=tie("ListNumber")),
        "ListNumber2": _style("ListNumber2", "List Number 2", ppr=tie("ListNumber2")),
        "ListBullet": _style("ListBullet", "List Bullet", ppr=tie("ListBullet")),
        "ListContinue": _style("ListContinue", "List Continue", ppr='<w:ind w:left="720"/>'),
        "Quote": _style(
            "Quote",
            "Quote",
            ppr='<w:ind w:left="540" w:right="0"/><w:jc w:val="left"/>',
            rpr='<w:i/><w:iCs/><w:color w:val="404040"/><w:sz w:val="20"/><w:szCs w:val="20"/>',
        ),
        "Header": _style(
            "Header",
            "header",
            ppr='<w:tabs><w:tab w:val="center" w:pos="4680"/><w:tab w:val="right" w:pos="9360"/>'
            '</w:tabs><w:spacing w:after="0"/>',
            rpr='<w:sz w:val="18"/><w:szCs w:val="18"/>',
        ),
        "Footer": _style(
            "Footer",
            "footer",
            ppr='<w:tabs><w:tab w:val="center" w:pos="4680"/><w:tab w:val="right" w:pos="9360"/>'
            '</w:tabs><w:spacing w:after="0"/>',
            rpr='<w:sz w:val="18"/><w:szCs w:val="18"/>',
        ),
        "CommentText": _style(
            "CommentText",
            "annotation text",
            ppr='<w:spacing w:after="80" w:line="240" w:lineRule="auto"/>',
            rpr='<w:sz w:val="20"/><w:szCs w:val="20"/>',
        ),
        "CommentReference": _style(
            "CommentReference",
            "annotation reference",
            kind="character",
            based="DefaultParagraphFont",
            rpr='<w:sz w:val="16"/><w:szCs w:val="16"/>',
        ),
        "DefaultParagraphFont": '<w:style w:type="character" w:default="1" '
        'w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/>'
        '<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
        "TableNormal": '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>'
        '<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:style>",
        "TableGrid": '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
        '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="39"/><w:pPr><w:spacing '
        'w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr><w:tblPr><w:tblBorders>'
        + "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        + "</w:tblBorders></w:tblPr></w:style>",
        "NoList": '<w:style w:type="numbering" w:default="1" w:styleId="NoList">'
        '<w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>",
    }


REQUIRED_STYLES = tuple(style_definitions(True))

_DOC_DEFAULTS = (
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
    '<w:sz w:val="23"/><w:szCs w:val="23"/><w:lang w:val="en-US" w:eastAsia="en-US" '
    'w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl/>'
    '<w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
    "</w:docDefaults>"
)


def own_styles_xml(legal: bool) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles {ROOT_NS}>'
        f"{_DOC_DEFAULTS}{''.join(style_definitions(legal).values())}</w:styles>"
    )


def _level(
    ilvl: int,
    fmt: str,
    text: str,
    left: int,
    hanging: int,
    *,
    suffix: str = "tab",
    style: str = "",
) -> str:
    suff = "" if suffix == "tab" else f'<w:suff w:val="{suffix}"/>'
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{pstyle}{suff}'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr></w:lvl>'
    )


def abstract_numbering(legal: bool, ids: Sequence[int] = OWN_ABSTRACT_IDS) -> str:
    """Legal numbering (Article 1 / 1.1 / (a)), a running list and bullets, as abstractNums;
    each level names the style that carries it, as Word's own style-linked lists do."""
    styles = ("Heading1", "ListNumber", "ListNumber2") if legal else ("", "", "")
    return (
        f'<w:abstractNum w:abstractNumId="{ids[LEGAL]}">'
        '<w:multiLevelType w:val="multilevel"/>'
        + _level(0, "decimal", "Article %1.", 0, 0, suffix="space", style=styles[0])
        + _level(1, "decimal", "%1.%2", 720, 720, style=styles[1])
        + _level(2, "lowerLetter", "(%3)", 1440, 720, style=styles[2])
        + f'</w:abstractNum><w:abstractNum w:abstractNumId="{ids[RUNNING]}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        + _level(0, "decimal", "%1.", 540, 540, style="" if legal else "ListNumber")
        + f'</w:abstractNum><w:abstractNum w:abstractNumId="{ids[BULLETS]}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        + _level(0, "bullet", "\u2022", 720, 360, style="ListBullet")
        + "</w:abstractNum>"
    )


def numbering_instances(
    nums: Sequence[int] = OWN_NUM_IDS, ids: Sequence[int] = OWN_ABSTRACT_IDS
) -> str:
    """The three numbering instances, each started at 1."""
    out = []
    for num, abstract, levels in zip(nums, ids, (3, 1, 1), strict=True):
        overrides = "".join(
            f'<w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="1"/></w:lvlOverride>'
            for lvl in range(levels)
        )
        out.append(
            f'<w:num w:numId="{num}"><w:abstractNumId w:val="{abstract}"/>{overrides}</w:num>'
        )
    return "".join(out)


def own_numbering_xml(legal: bool) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering {ROOT_NS}>'
        f"{abstract_numbering(legal)}{numbering_instances()}</w:numbering>"
    )


# ---------------------------------------------------------------- fixed parts

SETTINGS_XML = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings {ROOT_NS}>'
    '<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>'
    '<w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
    '<w:compatSetting w:name="overrideTableStyleFontSizeAndJustification" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
    '<w:compatSetting w:name="enableOpenTypeFeatures" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
    '<w:compatSetting w:name="doNotFlipMirrorIndents" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
    "</w:compat></w:settings>"
)

CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_CONTENT_TYPES = {
    "/word/document.xml": f"{CT_MAIN}.document.main+xml",
    "/word/styles.xml": f"{CT_MAIN}.styles+xml",
    "/word/numbering.xml": f"{CT_MAIN}.numbering+xml",
    "/word/settings.xml": f"{CT_MAIN}.settings+xml",
    "/word/comments.xml": f"{CT_MAIN}.comments+xml",
    "/word/fontTable.xml": f"{CT_MAIN}.fontTable+xml",
    "/word/theme/theme1.xml": "application/vnd.openxmlformats-officedocument.theme+xml",
    "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
}
CT_HEADER = f"{CT_MAIN}.header+xml"
CT_FOOTER = f"{CT_MAIN}.footer+xml"
IMAGE_TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "emf": "image/x-emf",
    "wmf": "image/x-wmf",
    "svg": "image/svg+xml",
}

_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)


def _content_types(parts: Iterable[str], overrides: dict[str, str]) -> str:
    extensions = {name.rsplit(".", 1)[-1].lower() for name in parts if "/media/" in name}
    defaults = "".join(
        f'<Default Extension="{ext}" ContentType="{IMAGE_TYPES[ext]}"/>'
        for ext in sorted(extensions)
        if ext in IMAGE_TYPES
    )
    items = "".join(
        f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{defaults}{items}</Types>'
    )


def _rels(relations: Sequence[tuple[str, str, str]]) -> str:
    body = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{_esc(target)}"/>'
        for rid, kind, target in relations
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{PKG_REL}">{body}</Relationships>'
    )


def _core_xml(title: str, author: str, stamp: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_esc(title)}</dc:title><dc:creator>{_esc(author)}</dc:creator>"
        f"<cp:lastModifiedBy>{_esc(author)}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _app_xml(words: int, paragraphs: int) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        'docPropsVTypes"><Template>Normal.dotm</Template><TotalTime>0</TotalTime>'
        f"<Words>{words}</Words><Application>Microsoft Office Word</Application>"
        f"<DocSecurity>0</DocSecurity><Paragraphs>{paragraphs}</Paragraphs>"
        "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
        "<AppVersion>16.0000</AppVersion></Properties>"
    )


OWN_SECTION = (
    '<w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" '
    'w:left="1440" w:header="720" w:footer="720" w:gutter="0"/><w:cols w:space="720"/>'
    '<w:docGrid w:linePitch="360"/>'
)


# ---------------------------------------------------------------- runs and paragraphs


def _text(text: str) -> str:
    """Text as WordprocessingML runs' content: escaped, line breaks as <w:br/>."""
    return "<w:br/>".join(
        f'<w:t xml:space="preserve">{escape(part)}</w:t>' for part in xml_safe(text).split("\n")
    )


_BOLD = "<w:rPr><w:b/></w:rPr>"
_MARKED = '<w:rPr><w:b/><w:highlight w:val="yellow"/></w:rPr>'


def _runs_xml(runs: Iterable[Run], *, bold: bool = False) -> str:
    out = []
    for run in runs:
        if run.placeholder:
            rpr = _MARKED
        elif run.bold or bold:
            rpr = _BOLD
        else:
            rpr = ""
        out.append(f"<w:r>{rpr}{_text(run.text)}</w:r>")
    return "".join(out)


def _field(instruction: str) -> str:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay out pages."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>1</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


_ANNOTATION_REF = '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>'
_HEADINGS = {BlockKind.ARTICLE, BlockKind.HEADING1, BlockKind.HEADING2}
_KEEP_TOGETHER = {
    (BlockKind.NUMBER, BlockKind.NOTE),
    (BlockKind.NOTE, BlockKind.TABLE),
    (BlockKind.PARAGRAPH, BlockKind.TABLE),
}
"""A question stays on the page with its "why", the "why" with its answer box, and the
words before a table (the signature lines) with the table."""
ANSWER_BOX_HEIGHT = 1440
"""Twips (one inch): room for the District to write a few lines by hand."""
_COLUMN_SHARES = {1: (1.0,), 2: (0.5, 0.5), 3: (0.28, 0.5, 0.22)}
_NO_NUMBER = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'


def document_title(model: Document) -> str:
    """The title with the parties: "Memorandum of Understanding between A and B"."""
    subtitle = next((b.text for b in model.blocks if b.kind is BlockKind.SUBTITLE), "")
    title = model.title
    if subtitle and title:
        joiner = " " if subtitle[:1].islower() else " \u2013 "
        title = f"{title}{joiner}{subtitle}"
    return " ".join(xml_safe(title or subtitle).split())[:250]


_PARTY = re.compile(r"^(?:between\s+)?(.+?)\s+(?:and|to)\s+", re.IGNORECASE)


def document_author(model: Document) -> str:
    """The local: the model's author, else the first party named in the subtitle."""
    if model.author.strip():
        return " ".join(model.author.split())[:250]
    subtitle = next((b.text for b in model.blocks if b.kind is BlockKind.SUBTITLE), "")
    match = _PARTY.match(subtitle)
    return match.group(1).strip()[:250] if match else ""


class _Writer:
    """One document's body, comments and bookmarks, as strings."""

    def __init__(
        self, model: Document, *, comments: bool, text_width: int, nums: Sequence[int]
    ) -> None:
        self.model = model
        self.nums = nums
        self.comments = comments
        self.text_width = text_width
        self.legal = any(b.kind is BlockKind.ARTICLE for b in model.blocks)
        self.comment_xml: list[str] = []
        self.bookmarks: set[str] = set()
        self.stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.paragraphs = 0
        self.words = 0

    def body(self) -> str:
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
                parts.append(self.table(block))
                after_table = True
                continue
            keep = kind in _HEADINGS or (kind, following) in _KEEP_TOGETHER
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
        kind = block.kind
        style = _STYLE_IDS[kind]
        props = f'<w:pStyle w:val="{style}"/>'
        if keep:
            props += "<w:keepNext/>"
        if page_break:
            props += "<w:pageBreakBefore/>"
        if kind in _NUMBERING:
            which, level = _NUMBERING[kind]
            props += _ppr_numbering(self.nums[which], level)
        elif self.legal and style in LEGAL_STYLES:
            props += _NO_NUMBER  # a plain Heading 1 in an agreement (the closing articles)
        if after_table:
            props += '<w:spacing w:before="160"/>'
        if kind is BlockKind.CENTERED:
            props += '<w:jc w:val="center"/>'
        runs = _runs_xml(block.runs)
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
            + f"<w:r>{_text(part)}</w:r></w:p>"
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

    def table(self, block: Block) -> str:
        table = block.table
        assert table is not None
        if not table.rows:
            return ""
        columns = max(len(row) for row in table.rows)
        indent = 540 if table.style == "answer" else 0
        width = self.text_width - indent
        shares = _COLUMN_SHARES.get(columns, tuple(1 / columns for _ in range(columns)))
        widths = [int(width * share) for share in shares]
        props = '<w:tblStyle w:val="TableGrid"/>' if table.style in ("grid", "answer") else ""
        props += f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        if indent:
            # Line the box up under the question text, not the question number.
            props += f'<w:tblInd w:w="{indent}" w:type="dxa"/>'
        props += '<w:tblLayout w:type="fixed"/>'
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        aligns = [table.align[c] if c < len(table.align) else "left" for c in range(columns)]
        rows = []
        for index, row in enumerate(table.rows):
            header = table.header and index == 0
            row_props = "<w:cantSplit/>"
            if header:
                row_props += "<w:tblHeader/>"
            if table.style == "answer":
                row_props += f'<w:trHeight w:val="{ANSWER_BOX_HEIGHT}" w:hRule="atLeast"/>'
            elif table.style == "signature" and index > 0:
                row_props += '<w:trHeight w:val="500" w:hRule="atLeast"/>'
            # A signature block is never split across pages: each row keeps with the next.
            keep = table.style == "signature" and index < len(table.rows) - 1
            cells = []
            for column in range(columns):
                runs = row[column] if column < len(row) else []
                ppr = "<w:keepNext/>" if keep else ""
                if aligns[column] != "left" and not header:
                    ppr += f'<w:jc w:val="{aligns[column]}"/>'
                cells.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{widths[column]}" w:type="dxa"/></w:tcPr>'
                    f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}"
                    f"{_runs_xml(runs, bold=header)}</w:p></w:tc>"
                )
                self.words += sum(len(r.text.split()) for r in runs)
            rows.append(f"<w:tr><w:trPr>{row_props}</w:trPr>{''.join(cells)}</w:tr>")
        return (
            f"<w:tbl><w:tblPr>{props}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
        )

    def header(self) -> str:
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {ROOT_NS}>'
            '<w:p><w:pPr><w:pStyle w:val="Header"/><w:jc w:val="center"/></w:pPr>'
            f"{_runs_xml(self.model.header)}</w:p></w:hdr>"
        )

    def footer(self) -> str:
        runs = [*self.model.footer, Run("  \u00b7  ")] if self.model.footer else []
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {ROOT_NS}>'
            '<w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr>'
            f"{_runs_xml([*runs, Run('Page ')])}{_field('PAGE')}{_runs_xml([Run(' of ')])}"
            f"{_field('NUMPAGES')}</w:p></w:ftr>"
        )

    def comments_xml(self) -> str:
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments {ROOT_NS}>'
            f"{''.join(self.comment_xml)}</w:comments>"
        )


# ---------------------------------------------------------------- the package


def _zip(parts: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return buffer.getvalue()


def write_docx(
    model: Document,
    *,
    comments: bool = True,
    reference: Path | None = None,
    stamp: Stamp | None = None,
) -> bytes:
    """The .docx file for ``model`` as bytes; the caller writes it (atomically).

    ``comments`` marks the team's copy (rationales as Word comments); the district's copy
    (``comments=False``) has none. ``stamp`` puts the team's record of what was generated
    (`provenance`) into the file, for a later ``render --against``.
    """
    letterhead: Letterhead | None = None
    if reference is not None:
        from tutorbargain.writers.reference import load_letterhead

        letterhead = load_letterhead(reference)
    width = letterhead.text_width if letterhead else TEXT_WIDTH
    nums = letterhead.num_ids if letterhead else OWN_NUM_IDS
    writer = _Writer(model, comments=comments, text_width=width, nums=nums)
    body = writer.body()
    legal = writer.legal

    parts: dict[str, bytes | str] = {}
    overrides = dict(_CONTENT_TYPES)
    relations: list[tuple[str, str, str]] = [
        ("rId1", f"{REL}/styles", "styles.xml"),
        ("rId2", f"{REL}/settings", "settings.xml"),
        ("rId3", f"{REL}/numbering", "numbering.xml"),
    ]
    section_refs = ""
    if letterhead is not None:
        styles = letterhead.styles_xml(legal)
        numbering = letterhead.numbering_xml(legal)
        section = letterhead.section_xml
        parts.update(letterhead.parts)
        for name in letterhead.parts:
            base = name.rsplit("/", 1)[-1]
            if name.endswith(".xml") and base.startswith("lh-header"):
                overrides[f"/{name}"] = CT_HEADER
            elif name.endswith(".xml") and base.startswith("lh-footer"):
                overrides[f"/{name}"] = CT_FOOTER
        relations.extend(letterhead.relations)
        section_refs = letterhead.section_refs
        has_header, has_footer = letterhead.has_header, letterhead.has_footer
        for name in ("/word/theme/theme1.xml", "/word/fontTable.xml"):
            if name[1:] not in letterhead.parts:
                overrides.pop(name)
    else:
        styles, numbering, section = own_styles_xml(legal), own_numbering_xml(legal), OWN_SECTION
        has_header = has_footer = False
        overrides.pop("/word/theme/theme1.xml")
        overrides.pop("/word/fontTable.xml")
    if model.header and not has_header:
        parts["word/header1.xml"] = writer.header()
        overrides["/word/header1.xml"] = CT_HEADER
        relations.append(("rIdTbHeader", f"{REL}/header", "header1.xml"))
        section_refs += '<w:headerReference w:type="default" r:id="rIdTbHeader"/>'
    if not has_footer:
        parts["word/footer1.xml"] = writer.footer()
        overrides["/word/footer1.xml"] = CT_FOOTER
        relations.append(("rIdTbFooter", f"{REL}/footer", "footer1.xml"))
        section_refs += '<w:footerReference w:type="default" r:id="rIdTbFooter"/>'
    if writer.comment_xml:
        parts["word/comments.xml"] = writer.comments_xml()
        relations.append(("rIdTbComments", f"{REL}/comments", "comments.xml"))
    else:
        overrides.pop("/word/comments.xml")
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {ROOT_NS}>'
        f"<w:body>{body}<w:sectPr>{section_refs}{section}</w:sectPr></w:body></w:document>"
    )
    if stamp is not None:
        record_parts, relation, record_types = stamp.parts(document)
        parts.update(record_parts)
        relations.append(relation)
        overrides.update(record_types)
    ordered: dict[str, bytes | str] = {
        "[Content_Types].xml": _content_types([*parts, "word/document.xml"], overrides),
        "_rels/.rels": _ROOT_RELS,
        "docProps/core.xml": _core_xml(document_title(model), document_author(model), writer.stamp),
        "docProps/app.xml": _app_xml(writer.words, writer.paragraphs),
        "word/document.xml": document,
        "word/_rels/document.xml.rels": _rels(relations),
        "word/styles.xml": styles,
        "word/settings.xml": SETTINGS_XML,
        "word/numbering.xml": numbering,
        **parts,
    }
    return _zip(ordered)
