"""The built-in Word styles the writer uses (Title, Heading 1, List Number ...), so a local's
own look applies when they restyle the file, with the numbering each list style carries.
"""

from __future__ import annotations

from collections.abc import Sequence

from tutorbargain.compose.model import BlockKind
from tutorbargain.writers.word.markup import ROOT_NS
from tutorbargain.writers.word.numbering import OWN_NUM_IDS, style_numbering

FONT = "Times New Roman"

STYLE_IDS = {
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
"""The style each kind of block is written in."""


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
    """The styles part of a document written without a letterhead."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles {ROOT_NS}>'
        f"{_DOC_DEFAULTS}{''.join(style_definitions(legal).values())}</w:styles>"
    )
