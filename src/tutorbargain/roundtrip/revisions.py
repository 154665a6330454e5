"""Word's revision marks: numbered, dated w:ins and w:del for runs, paragraph marks and table
rows, the ids and author a redline's revisions take, and Track Changes left on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lxml import etree

from tutorbargain.roundtrip.wordfile import Package, parse_part, serialize, w


class Revisions:
    """Numbers, author and date for every w:ins and w:del written."""

    def __init__(self, author: str, when: dt.datetime, first_id: int) -> None:
        self.author = author
        self.date = when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.next_id = first_id

    def mark(self, tag: str) -> Any:
        """A new, empty w:ins or w:del (``tag``) with the next id."""
        element = etree.Element(w(tag))
        element.set(w("id"), str(self.next_id))
        element.set(w("author"), self.author)
        element.set(w("date"), self.date)
        self.next_id += 1
        return element


_PPR_AFTER_RPR = {w("sectPr"), w("pPrChange")}


def mark_paragraph(paragraph: Any, mark: Any) -> None:
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


def mark_row(row: Any, mark: Any) -> None:
    """Mark a table row inserted or deleted."""
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


def first_free_id(package: Package) -> int:
    """Revision ids must not collide with ids already in the file (comments, old revisions)."""
    highest = 0
    for element in package.document.iter():
        value = element.get(w("id"))
        if value is not None and value.lstrip("-").isdigit():
            highest = max(highest, int(value))
    return highest + 1


def author_of(package: Package) -> str:
    """Whose changes Word shows by default: the file's author, else "Reviewer"."""
    core = parse_part(package, "docProps/core.xml")
    if core is not None:
        for tag in ("{http://purl.org/dc/elements/1.1/}creator",):
            element = core.find(tag)
            if element is not None and (element.text or "").strip():
                return str(element.text).strip()[:100]
    return "Reviewer"


def track_revisions(settings: bytes | None) -> bytes | None:
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
