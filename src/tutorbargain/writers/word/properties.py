"""The document properties (docProps/core.xml, app.xml): the real title with the parties and
the local as author, so Word's File > Info says what the document is and whose it is.
"""

from __future__ import annotations

import re

from tutorbargain.compose.model import BlockKind, Document
from tutorbargain.writers.word.markup import esc, xml_safe


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


def core_xml(title: str, author: str, stamp: str) -> str:
    """docProps/core.xml; ``stamp`` (UTC, W3CDTF) is when the file was made."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{esc(title)}</dc:title><dc:creator>{esc(author)}</dc:creator>"
        f"<cp:lastModifiedBy>{esc(author)}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def app_xml(words: int, paragraphs: int) -> str:
    """docProps/app.xml, with the counts Word shows before it has laid out the pages."""
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
