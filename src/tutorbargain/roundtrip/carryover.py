"""Re-render against the team's edited copy: keep their Word edits, track what the answers change.

The previous team copy records (`provenance`) a hash of each clause as tutorbargain wrote
it. Against the new render, clause by clause:

- the team did not touch it: the new generated words stand (changes show as tracked);
- the team edited it and the new answers do not change it: the team's words stay;
- both changed it: the team's words stay and a comment carries the new generated words;
- the team struck it: it stays struck, unless the new answers change it (then it returns,
  tracked as an insertion, with a comment saying why);
- a clause the new answers newly call for is inserted.

The result is then redlined against the previous copy, so every change is a tracked change.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from tutorbargain.roundtrip.comparison import Comparison
from tutorbargain.roundtrip.provenance import Record, read_record, text_hash, units
from tutorbargain.roundtrip.redline import compare
from tutorbargain.roundtrip.wordfile import (
    Package,
    package_from_bytes,
    parse_part,
    read_package,
    serialize,
    w,
)

AUTHOR = "tutorbargain"


@dataclass
class Carried:
    """A redline against the previous copy and what happened to the team's edits."""

    comparison: Comparison
    kept: list[str] = field(default_factory=list)
    """Anchors of clauses whose team edits were kept."""
    conflicts: list[str] = field(default_factory=list)
    kept_struck: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)
    had_record: bool = True


class _Comments:
    """The comments part of the new copy, to which the team's comments are carried."""

    def __init__(self, new: Package, previous: Package) -> None:
        self.root = parse_part(new, "word/comments.xml")
        self.previous = parse_part(previous, "word/comments.xml")
        ids = (
            [int(c.get(w("id"), "0")) for c in self.root.iter(w("comment"))]
            if self.root is not None
            else []
        )
        self.next_id = max([*ids, _highest_id(new.document)], default=0) + 1
        self.stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def available(self) -> bool:
        return self.root is not None

    def carry(self, elements: list[Any]) -> None:
        """Give the team's comments in carried paragraphs new ids in the new copy."""
        if self.root is None:
            for element in elements:
                _drop_comment_marks(element)
            return
        by_id = {
            c.get(w("id")): c
            for c in (self.previous.iter(w("comment")) if self.previous is not None else [])
        }
        mapping: dict[str, str] = {}
        for element in elements:
            for mark in element.iter(
                w("commentRangeStart"), w("commentRangeEnd"), w("commentReference")
            ):
                old = mark.get(w("id"))
                if old not in mapping:
                    mapping[old] = str(self.next_id)
                    self.next_id += 1
                    source = by_id.get(old)
                    if source is not None:
                        comment = copy.deepcopy(source)
                        comment.set(w("id"), mapping[old])
                        self.root.append(comment)
                mark.set(w("id"), mapping[old])

    def add(self, paragraph: Any, text: str) -> None:
        """Anchor a new comment of tutorbargain's on a whole paragraph."""
        if self.root is None:
            return
        ident = str(self.next_id)
        self.next_id += 1
        comment = etree.SubElement(
            self.root,
            w("comment"),
            {w("id"): ident, w("author"): AUTHOR, w("initials"): "TB", w("date"): self.stamp},
        )
        for part in text.split("\n"):
            p = etree.SubElement(comment, w("p"))
            r = etree.SubElement(p, w("r"))
            t = etree.SubElement(r, w("t"))
            t.text = part
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        ppr = paragraph.find(w("pPr"))
        start = etree.Element(w("commentRangeStart"), {w("id"): ident})
        if ppr is not None:
            ppr.addnext(start)
        else:
            paragraph.insert(0, start)
        paragraph.append(etree.Element(w("commentRangeEnd"), {w("id"): ident}))
        run = etree.SubElement(paragraph, w("r"))
        etree.SubElement(run, w("commentReference"), {w("id"): ident})

    def data(self) -> bytes | None:
        return None if self.root is None else serialize(self.root)


def _highest_id(document: Any) -> int:
    highest = 0
    for element in document.iter(w("commentRangeStart"), w("commentReference")):
        value = element.get(w("id"), "0")
        if value.isdigit():
            highest = max(highest, int(value))
    return highest


def _drop_comment_marks(element: Any) -> None:
    for mark in list(element.iter(w("commentRangeStart"), w("commentRangeEnd"))):
        mark.getparent().remove(mark)
    for reference in list(element.iter(w("commentReference"))):
        run = reference.getparent()
        run.getparent().remove(run)


def _first_paragraph(elements: list[Any]) -> Any | None:
    for element in elements:
        if element.tag == w("p"):
            return element
        found = element.find(f".//{w('p')}")
        if found is not None:
            return found
    return None


def carry_over(previous: Package, new: Package, *, author: str | None = None) -> Carried:
    """The new team copy with the team's edits from ``previous`` kept, redlined against it."""
    record = read_record(previous)
    if record is None:
        return Carried(compare(previous, new, author=author), had_record=False)
    merged, carried = _merge(previous, new, record)
    carried.comparison = compare(previous, merged, author=author)
    return carried


def _merge(previous: Package, new: Package, record: Record) -> tuple[Package, Carried]:
    old_units = {unit.anchor: unit for unit in units(previous)}
    document = copy.deepcopy(new.document)
    body = document.find(w("body"))
    section = body.find(w("sectPr"))
    for child in list(body):
        if child is not section:
            body.remove(child)
    comments = _Comments(new, previous)
    carried = Carried(comparison=None)  # type: ignore[arg-type]

    def place(elements: list[Any]) -> None:
        for element in elements:
            if section is not None:
                section.addprevious(element)
            else:
                body.append(element)

    for unit in units(new):
        generated = record.units.get(unit.anchor)
        fresh = [copy.deepcopy(b.element) for b in unit.blocks]
        new_changes_it = generated is None or text_hash(unit.text) != generated
        before = old_units.get(unit.anchor)
        if before is None:
            if generated is not None:  # the team struck this clause
                if not new_changes_it:
                    carried.kept_struck.append(unit.anchor)
                    continue
                carried.returned.append(unit.anchor)
                first = _first_paragraph(fresh)
                if first is not None:
                    comments.add(
                        first,
                        "Your team had struck this clause. The changed answers change it, so "
                        "it is offered again here; strike it again if you still do not want it.",
                    )
            place(fresh)
            continue
        team_edited = generated is not None and text_hash(before.text) != generated
        if not team_edited:
            place(fresh)
            continue
        kept = [copy.deepcopy(b.element) for b in before.blocks]
        comments.carry(kept)
        carried.kept.append(unit.anchor)
        if new_changes_it:
            carried.conflicts.append(unit.anchor)
            first = _first_paragraph(kept)
            if first is not None:
                comments.add(
                    first,
                    "Your team's words are kept here. The changed answers would now give:\n"
                    + unit.text,
                )
        place(kept)

    parts = dict(new.parts)
    parts["word/document.xml"] = serialize(document)
    data = comments.data()
    if data is not None:
        parts["word/comments.xml"] = data
    merged = Package(path=new.path, parts=parts, document=document)
    return merged, carried


def summary(carried: Carried) -> str:
    """What happened to the team's edits, in one sentence's parts ("kept your team's edits in
    2 clause(s); 1 of them also changed ...")."""
    if not carried.had_record:
        return (
            "it holds no record of what tutorbargain wrote (it may be the district's copy or "
            "another file), so edits in it could not be told apart: every difference from it "
            "is a tracked change"
        )
    if not (carried.kept or carried.kept_struck or carried.returned):
        return "it holds no edits by your team; what the answers change is tracked"
    parts = [f"kept your team's edits in {len(carried.kept)} clause(s)"]
    if carried.conflicts:
        parts.append(
            f"{len(carried.conflicts)} of them also changed with the answers "
            "(the new wording is in a comment beside each)"
        )
    if carried.kept_struck:
        parts.append(f"{len(carried.kept_struck)} clause(s) your team struck stay struck")
    if carried.returned:
        parts.append(
            f"{len(carried.returned)} struck clause(s) return because the answers change them "
            "(each with a comment)"
        )
    return "; ".join(parts)


def render_against(previous_path: Path, new_data: bytes, *, author: str | None = None) -> Carried:
    """Carry the team's edits from ``previous_path`` into a render's new team copy."""
    previous = read_package(previous_path)
    new = package_from_bytes(new_data, Path("new.docx"))
    return carry_over(previous, new, author=author)


def without_comments(data: bytes) -> bytes:
    """A copy for the district: no comments, no team record (for --clean with --against)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    root = etree.fromstring(parts["word/document.xml"])
    _drop_comment_marks(root)
    parts["word/document.xml"] = serialize(root)
    dropped = {name for name in parts if name.startswith("customXml/tutorbargain-provenance")}
    dropped |= {"customXml/_rels/tutorbargain-provenance.xml.rels", "word/comments.xml"}
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    for rel in list(rels):
        target = rel.get("Target", "")
        if target.endswith(("comments.xml", "tutorbargain-provenance.xml")):
            rels.remove(rel)
    parts["word/_rels/document.xml.rels"] = serialize(rels)
    types = etree.fromstring(parts["[Content_Types].xml"])
    for override in list(types):
        if override.get("PartName", "").lstrip("/") in dropped:
            types.remove(override)
    parts["[Content_Types].xml"] = serialize(types)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            if name not in dropped:
                archive.writestr(name, content)
    return buffer.getvalue()
