"""Read any .docx for comparison: its body as blocks of accepted text, safely.

A file handed back across the table may be the district's own, edited in any word processor,
with or without tracked changes. This module opens it as data (size-checked zip, XML parsed
without entities or network), accepts any tracked changes it holds (so it is compared as it
would read once accepted), and lists its paragraphs and tables with their text and anchors.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from tutorbargain.errors import InputFileError, Problem
from tutorbargain.writers.word.body import bookmark_name

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W_NS}
MAX_PART = 64 * 1024 * 1024
"""Largest uncompressed part read from a Word file (a 300-page contract is a few MB)."""
MAX_TOTAL = 256 * 1024 * 1024
WORD_BOOKMARKS = ("_GoBack", "_Toc", "_Ref", "_Hlk", "_Hlt", "_MON_", "_PictureBullets")
"""Hidden bookmarks Word makes for itself; every other name starting with "_" is an anchor."""

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False
)


def w(tag: str) -> str:
    """The Clark name of a WordprocessingML tag: ``w("p")`` -> ``{ns}p``."""
    return f"{{{W_NS}}}{tag}"


@dataclass
class Package:
    """A Word file's parts, as bytes, with its main document parsed."""

    path: Path
    parts: dict[str, bytes]
    document: Any
    had_tracked_changes: bool = False

    @property
    def body(self) -> Any:
        return self.document.find(w("body"))


@dataclass
class Block:
    """One paragraph or table of a body, with the words it says once changes are accepted."""

    element: Any
    text: str
    anchor: str | None = None
    style: str | None = None
    cells: list[list[list[Block]]] = field(default_factory=list)
    """For a table: rows of cells of paragraph blocks."""

    @property
    def is_table(self) -> bool:
        return bool(self.element.tag == w("tbl"))


def _problem(path: Path, message: str) -> InputFileError:
    return InputFileError("", [Problem(str(path), message)])


def read_package(path: Path) -> Package:
    """Open a .docx, refusing what is not one and anything too large to be a real document."""
    if not path.exists():
        raise _problem(path, "no such file")
    if not path.is_file():
        raise _problem(path, "is not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _problem(path, f"cannot be read ({exc.strerror or exc})") from None
    return package_from_bytes(data, path)


def package_from_bytes(data: bytes, path: Path) -> Package:
    """A package from a Word file's bytes; ``path`` names it in messages."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _problem(
            path, "is not a Word document (.docx); open it in Word and save it as .docx"
        ) from None
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        big = [info for info in infos if info.file_size > MAX_PART]
        if big or sum(info.file_size for info in infos) > MAX_TOTAL:
            name = big[0].filename if big else "its parts together"
            raise _problem(path, f"is too large to compare ({name} would unpack too large)")
        if "word/document.xml" not in archive.namelist():
            raise _problem(path, "is not a Word document (it has no word/document.xml)")
        try:
            parts = {info.filename: archive.read(info) for info in infos}
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError):
            raise _problem(path, "is damaged; open it in Word and save it again") from None
    try:
        document = etree.fromstring(parts["word/document.xml"], _PARSER)
    except etree.XMLSyntaxError:
        raise _problem(
            path, "is damaged (its text cannot be read); open it in Word and save it again"
        ) from None
    if document.find(w("body")) is None:
        raise _problem(path, "is not a Word document (its main part has no body)")
    package = Package(path=path, parts=parts, document=document)
    package.had_tracked_changes = accept_all(document)
    return package


def parse_part(package: Package, name: str) -> Any | None:
    """Another XML part of the package, parsed safely, or None when it is missing or broken."""
    data = package.parts.get(name)
    if data is None:
        return None
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return None


_CHANGE_TAGS = (
    "ins",
    "del",
    "moveFrom",
    "moveTo",
    "rPrChange",
    "pPrChange",
    "sectPrChange",
    "tblPrChange",
    "trPrChange",
    "tcPrChange",
    "tblGridChange",
    "numberingChange",
)
_RANGE_TAGS = ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd")


def _remove(element: Any) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _unwrap(element: Any) -> None:
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)


def accept_all(root: Any) -> bool:
    """Accept every tracked change under ``root`` in place, as Word's "Accept All" does.

    Returns True if there were any, so a summary can say the file was compared as accepted.
    """
    found = any(root.find(f".//{w(tag)}") is not None for tag in _CHANGE_TAGS)
    if not found:
        return False
    marks = (w("rPr"), w("trPr"))
    for element in list(root.iter(w("del"), w("moveFrom"))):
        parent = element.getparent()
        if parent is None or parent.tag not in marks:
            _remove(element)  # deleted words go
        elif parent.tag == w("trPr"):
            _remove(parent.getparent())  # a deleted table row goes
    for paragraph in list(root.iter(w("p"))):
        mark = paragraph.find(f"{w('pPr')}/{w('rPr')}/{w('del')}")
        if mark is None:
            continue
        _remove(mark)  # a deleted paragraph mark: this paragraph runs on into the next
        following = paragraph.getnext()
        if following is None or following.tag != w("p"):
            continue
        content = [child for child in paragraph if child.tag != w("pPr")]
        ppr = following.find(w("pPr"))
        at = 0 if ppr is None else following.index(ppr) + 1
        for offset, child in enumerate(content):
            following.insert(at + offset, child)
        _remove(paragraph)
    for element in list(root.iter(w("ins"), w("moveTo"))):
        parent = element.getparent()
        if parent is not None and parent.tag in marks:
            _remove(element)  # an inserted mark or row stays, unmarked
        else:
            _unwrap(element)
    for element in list(root.iter(*(w(t) for t in _CHANGE_TAGS[4:] + _RANGE_TAGS))):
        _remove(element)  # formatting changes: the new formatting stays
    return True


_TEXT_TAGS = {w("t"): None, w("tab"): "\t", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "-"}


def paragraph_text(paragraph: Any) -> str:
    """The words of a paragraph as a reader sees them (tabs and line breaks included)."""
    out: list[str] = []
    for element in paragraph.iter(*_TEXT_TAGS):
        if element.tag == w("t"):
            out.append(element.text or "")
        else:
            out.append(_TEXT_TAGS[element.tag] or "")
    return "".join(out)


def _anchor(paragraph: Any) -> str | None:
    for mark in paragraph.iter(w("bookmarkStart")):
        name = mark.get(w("name")) or ""
        if name.startswith("_") and not name.startswith(WORD_BOOKMARKS):
            return current_anchor(name)
    return None


_HASHED = re.compile(r"_B[0-9a-f]{12}")


def current_anchor(name: str) -> str:
    """A bookmark as today's writer names it. Files written before bookmarks were hashed name
    the id itself ("_tutoring_rate" for tutoring-rate): those are hashed the same way, so a
    team's copy from an earlier version still lines up clause by clause."""
    if _HASHED.fullmatch(name):
        return name
    return bookmark_name(name[1:].replace("_", "-"))


def _style(paragraph: Any) -> str | None:
    style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
    return None if style is None else style.get(w("val"))


def blocks(container: Any) -> list[Block]:
    """The paragraphs and tables directly inside a body or a table cell, in order."""
    out: list[Block] = []
    for element in container:
        if element.tag == w("p"):
            out.append(Block(element, paragraph_text(element), _anchor(element), _style(element)))
        elif element.tag == w("tbl"):
            rows = [
                [blocks(cell) for cell in row.iterchildren(w("tc"))]
                for row in element.iterchildren(w("tr"))
            ]
            text = "\n".join(
                "\t".join("\n".join(b.text for b in cell) for cell in row) for row in rows
            )
            out.append(Block(element, text, cells=rows))
        elif element.tag == w("sdt"):  # a content control: its content counts as body
            content = element.find(w("sdtContent"))
            if content is not None:
                out.extend(blocks(content))
    return out


def serialize(root: Any) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data
