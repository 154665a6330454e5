"""The team copy's record of what tutorbargain wrote, kept inside the .docx as custom XML.

Word keeps custom XML parts through every edit and save. The record holds the tool and
library versions, a hash of the answers, and a hash of the words of each clause as
generated, so a later render can tell which clauses the team has since changed in Word. The
district's copy never carries it.

A "unit" is an anchored paragraph (a clause, question or article heading, by its hidden
bookmark) and every paragraph after it up to the next anchor: a paragraph the team adds
inside a clause belongs to that clause.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from . import __version__
from .wordfile import Block, Package, blocks, parse_part

NAMESPACE = "urn:tutorbargain:provenance:1"
PART = "customXml/tutorbargain-provenance.xml"
PROPS_PART = "customXml/tutorbargain-provenance-props.xml"
HEAD = "(opening)"
"""The unit of whatever stands before the first anchor (the title and parties)."""
_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_DATASTORE_ID = "{6A1B2C3D-7E8F-4A5B-9C0D-1E2F3A4B5C6D}"


@dataclass
class Unit:
    """A clause (or heading, or question) as it stands in a body: its anchor and blocks."""

    anchor: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)


@dataclass
class Record:
    """What tutorbargain wrote into a team copy."""

    tool: str
    library: str
    answers: str
    units: dict[str, str]
    """anchor -> hash of the unit's words as generated."""


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def answers_hash(values: dict[str, Any]) -> str:
    data = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return text_hash(data)


def units(package: Package) -> list[Unit]:
    """The body split at each anchored paragraph."""
    out: list[Unit] = [Unit(HEAD)]
    for block in blocks(package.body):
        if block.anchor:
            out.append(Unit(block.anchor, [block]))
        else:
            out[-1].blocks.append(block)
    return out


def build_record(package: Package, *, library: str, answers: str) -> Record:
    return Record(
        tool=__version__,
        library=library,
        answers=answers,
        units={unit.anchor: text_hash(unit.text) for unit in units(package)},
    )


def record_xml(record: Record) -> bytes:
    root = etree.Element(
        f"{{{NAMESPACE}}}provenance",
        nsmap={"tb": NAMESPACE},
        tool=record.tool,
        library=record.library,
        answers=record.answers,
    )
    for anchor, digest in record.units.items():
        etree.SubElement(root, f"{{{NAMESPACE}}}unit", anchor=anchor, text=digest)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def read_record(package: Package) -> Record | None:
    """The record in a team copy, or None (a district copy, or a file from elsewhere)."""
    root = parse_part(package, PART)
    if root is None or root.tag != f"{{{NAMESPACE}}}provenance":
        return None
    return Record(
        tool=root.get("tool", ""),
        library=root.get("library", ""),
        answers=root.get("answers", ""),
        units={
            unit.get("anchor", ""): unit.get("text", "")
            for unit in root.iter(f"{{{NAMESPACE}}}unit")
        },
    )


def attach(data: bytes, record: Record) -> bytes:
    """The same .docx with the record as a custom XML part, related from the document."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[PART] = record_xml(record)
    parts[PROPS_PART] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<ds:datastoreItem xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'customXml" ds:itemID="{_DATASTORE_ID}"><ds:schemaRefs>'
        f'<ds:schemaRef ds:uri="{NAMESPACE}"/></ds:schemaRefs></ds:datastoreItem>'
    ).encode()
    parts["customXml/_rels/tutorbargain-provenance.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/customXmlProps" Target="tutorbargain-provenance-props.xml"/>'
        b"</Relationships>"
    )
    parts["word/_rels/document.xml.rels"] = _with_relationship(
        parts["word/_rels/document.xml.rels"]
    )
    parts["[Content_Types].xml"] = _with_content_types(parts["[Content_Types].xml"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _with_relationship(rels: bytes) -> bytes:
    root = etree.fromstring(rels)
    target = "../" + PART
    if any(rel.get("Target") == target for rel in root):
        return rels
    ids = {rel.get("Id") for rel in root}
    number = 1
    while f"rIdTb{number}" in ids:
        number += 1
    etree.SubElement(
        root,
        "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship",
        Id=f"rIdTb{number}",
        Type=_REL_TYPE,
        Target=target,
    )
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def _with_content_types(types: bytes) -> bytes:
    ns = "http://schemas.openxmlformats.org/package/2006/content-types"
    root = etree.fromstring(types)
    if not any(d.get("Extension") == "xml" for d in root.iter(f"{{{ns}}}Default")):
        etree.SubElement(root, f"{{{ns}}}Default", Extension="xml", ContentType="application/xml")
    name = "/" + PROPS_PART
    if not any(o.get("PartName") == name for o in root.iter(f"{{{ns}}}Override")):
        etree.SubElement(root, f"{{{ns}}}Override", PartName=name, ContentType=_PROPS_TYPE)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def stamp(data: bytes, *, library: str, answers: dict[str, Any]) -> bytes:
    """A team copy with its record attached, worked out from the file as written."""
    from pathlib import Path

    from .wordfile import package_from_bytes

    package = package_from_bytes(data, Path("team-copy.docx"))
    record = build_record(package, library=library, answers=answers_hash(answers))
    return attach(data, record)
