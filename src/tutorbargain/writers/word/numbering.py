"""The three lists every document has: legal numbering (Article 1 / 1.1 / (a)), a running list
and bullets, each tied to the style that carries it so a paragraph added in Word is numbered.

A letterhead keeps its own lists; `reference` adds these under ids its numbering leaves free.
"""

from __future__ import annotations

from collections.abc import Sequence

from tutorbargain.compose.model import BlockKind
from tutorbargain.writers.word.markup import ROOT_NS

LEGAL_ABSTRACT_ID = 901
LIST_ABSTRACT_ID = 902
BULLET_ABSTRACT_ID = 903
LEGAL, RUNNING, BULLETS = 0, 1, 2
"""The three lists every document has, as indexes into its numbering ids."""
OWN_NUM_IDS = (1, 2, 3)
"""Numbering instances: each document has its own numbering part, so each starts at 1."""
OWN_ABSTRACT_IDS = (LEGAL_ABSTRACT_ID, LIST_ABSTRACT_ID, BULLET_ABSTRACT_ID)
BLOCK_NUMBERING: dict[BlockKind, tuple[int, int]] = {
    BlockKind.ARTICLE: (LEGAL, 0),
    BlockKind.SECTION: (LEGAL, 1),
    BlockKind.ITEM: (LEGAL, 2),
    BlockKind.NUMBER: (RUNNING, 0),
    BlockKind.BULLET: (BULLETS, 0),
}
"""Which list and level a block of each numbered kind takes."""
LEGAL_STYLES = {"Heading1": 0, "ListNumber": 1, "ListNumber2": 2}
"""In an agreement (a document with articles), applying these styles in Word numbers the
paragraph: Heading 1 is the next article, List Number the next clause, List Number 2 (a)."""


def style_numbering(style_id: str, legal: bool, nums: Sequence[int]) -> str:
    """The numPr a style carries, so applying it in Word numbers the paragraph ("" for none)."""
    if legal and style_id in LEGAL_STYLES:
        return ppr_numbering(nums[LEGAL], LEGAL_STYLES[style_id])
    if not legal and style_id == "ListNumber":
        return ppr_numbering(nums[RUNNING], 0)
    if style_id == "ListBullet":
        return ppr_numbering(nums[BULLETS], 0)
    return ""


def ppr_numbering(num_id: int, level: int) -> str:
    """A paragraph's (or style's) place in a list."""
    return f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'


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
    """The numbering part of a document written without a letterhead."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering {ROOT_NS}>'
        f"{abstract_numbering(legal)}{numbering_instances()}</w:numbering>"
    )
