"""Write a `model.Document` as a Word file a bargaining team can work in.

The package is written directly as WordprocessingML strings in a zip: no python-docx, no
template to open, no XML tree to build, so a document costs a few milliseconds and the writer
imports nothing heavy. What a Word user expects is all here: built-in styles (Title, Heading 1,
List Number ...) so a local's own look applies; numbering tied to those styles, so a clause
added in Word gets the next number; a header and a footer with Page X of Y; rationales as Word
comments (the team's copy only); each clause's id as a hidden bookmark; document properties
naming the real title and the local; current Word's compatibility mode.

The pieces live beside this module, one idea each: `markup` (namespaces, escaped text, runs),
`styles`, `numbering`, `body` (paragraphs, comments, bookmarks), `tables`, `pages` (the
answer boxes' heights, from where the pages will break), `properties`
(docProps) and `parts` (content types, relationships, the zip). Here they are put together.

A local's letterhead (``--reference-docx``) is read by `reference`, which keeps only its
styles, numbering, page set-up, headers and footers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tutorbargain.compose.model import Document
from tutorbargain.writers.word.body import BOOKMARK_MAX, COMMENT_AUTHOR, BodyWriter, bookmark_name
from tutorbargain.writers.word.markup import REL, ROOT_NS, W_NS, xml_safe
from tutorbargain.writers.word.numbering import (
    OWN_ABSTRACT_IDS,
    OWN_NUM_IDS,
    abstract_numbering,
    numbering_instances,
    own_numbering_xml,
    style_numbering,
)
from tutorbargain.writers.word.pages import box_heights
from tutorbargain.writers.word.parts import (
    CONTENT_TYPES,
    CT_FOOTER,
    CT_HEADER,
    IMAGE_TYPES,
    OWN_SECTION,
    ROOT_RELS,
    SETTINGS_XML,
    TEXT_WIDTH,
    content_types,
    rels,
    zip_parts,
)
from tutorbargain.writers.word.properties import app_xml, core_xml, document_author, document_title
from tutorbargain.writers.word.styles import REQUIRED_STYLES, own_styles_xml, style_definitions
from tutorbargain.writers.word.tables import ANSWER_BOX_HEIGHT

if TYPE_CHECKING:
    from tutorbargain.roundtrip.provenance import Stamp
    from tutorbargain.writers.reference import Letterhead

__all__ = [
    "ANSWER_BOX_HEIGHT",
    "BOOKMARK_MAX",
    "COMMENT_AUTHOR",
    "IMAGE_TYPES",
    "OWN_ABSTRACT_IDS",
    "REL",
    "REQUIRED_STYLES",
    "TEXT_WIDTH",
    "W_NS",
    "abstract_numbering",
    "bookmark_name",
    "document_author",
    "document_title",
    "numbering_instances",
    "style_definitions",
    "style_numbering",
    "write_docx",
    "xml_safe",
]


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
    # Under a letterhead its fonts and margins are unknown, so its boxes stay one inch.
    heights = box_heights(model.blocks, width) if letterhead is None else None
    writer = BodyWriter(model, comments=comments, text_width=width, nums=nums, box_heights=heights)
    body = writer.body()
    legal = writer.legal

    parts: dict[str, bytes | str] = {}
    overrides = dict(CONTENT_TYPES)
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
        "[Content_Types].xml": content_types([*parts, "word/document.xml"], overrides),
        "_rels/.rels": ROOT_RELS,
        "docProps/core.xml": core_xml(document_title(model), document_author(model), writer.stamp),
        "docProps/app.xml": app_xml(writer.words, writer.paragraphs),
        "word/document.xml": document,
        "word/_rels/document.xml.rels": rels(relations),
        "word/styles.xml": styles,
        "word/settings.xml": SETTINGS_XML,
        "word/numbering.xml": numbering,
        **parts,
    }
    return zip_parts(ordered)
