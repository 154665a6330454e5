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
import json
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from tutorbargain import __version__
from tutorbargain.roundtrip.wordfile import Block, Package, blocks, current_anchor, parse_part, w

NAMESPACE = "urn:tutorbargain:provenance:1"
PART = "customXml/tutorbargain-provenance.xml"
PROPS_PART = "customXml/tutorbargain-provenance-props.xml"
RELS_PART = "customXml/_rels/tutorbargain-provenance.xml.rels"
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
    return units_of(package.body)


def units_of(body: Any) -> list[Unit]:
    out: list[Unit] = [Unit(HEAD)]
    for block in blocks(body):
        if block.anchor:
            out.append(Unit(block.anchor, [block]))
        else:
            out[-1].blocks.append(block)
    return out


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
            _recorded_anchor(unit.get("anchor", "")): unit.get("text", "")
            for unit in root.iter(f"{{{NAMESPACE}}}unit")
        },
    )


def _recorded_anchor(anchor: str) -> str:
    """A recorded unit's anchor as bookmarks are named today (a record from before they were
    hashed names the clause id itself)."""
    return anchor if anchor == HEAD or not anchor.startswith("_") else current_anchor(anchor)


@dataclass(frozen=True)
class Stamp:
    """What the Word writer needs to put the record into a team copy as it writes it."""

    library: str
    answers: str
    """The answers' hash (`answers_hash`)."""

    def parts(
        self, document_xml: str
    ) -> tuple[dict[str, bytes], tuple[str, str, str], dict[str, str]]:
        """The record's parts, the document's relationship to it, and their content types,
        worked out from the main document as written (so it matches what a reader sees)."""
        root = etree.fromstring(document_xml.encode("utf-8"))
        record = Record(
            tool=__version__,
            library=self.library,
            answers=self.answers,
            units={u.anchor: text_hash(u.text) for u in units_of(root.find(w("body")))},
        )
        parts = {
            PART: record_xml(record),
            PROPS_PART: (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<ds:datastoreItem xmlns:ds="http://schemas.openxmlformats.org/officeDocument/'
                f'2006/customXml" ds:itemID="{_DATASTORE_ID}"><ds:schemaRefs>'
                f'<ds:schemaRef ds:uri="{NAMESPACE}"/></ds:schemaRefs></ds:datastoreItem>'
            ).encode(),
            RELS_PART: (
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/customXmlProps" '
                b'Target="tutorbargain-provenance-props.xml"/></Relationships>'
            ),
        }
        return parts, ("rIdTbRecord", _REL_TYPE, "../" + PART), {"/" + PROPS_PART: _PROPS_TYPE}
