"""Read a local's letterhead (``--reference-docx``) and keep only its look.

A reference file is someone's Word document: it may hold comments ("SECRET: we settle at
$50"), tracked changes with people's names, custom XML, properties, a thumbnail, a body, links
to files or web pages outside it, or a part that unpacks to a gigabyte. From it this takes ONLY
its styles, numbering, page set-up (size, margins), headers and footers with their pictures,
and the theme and font table those need. Nothing else reaches any output.

A file that links outside itself (``TargetMode="External"``, e.g. a header picture linked to
``file:///...`` or a web address) is refused, naming the link: Word or LibreOffice would fetch
it each time an output is opened or printed. Sizes are checked before anything is unpacked.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from tutorbargain.errors import InputFileError, Problem
from tutorbargain.writers.word.markup import REL, W_NS
from tutorbargain.writers.word.numbering import (
    OWN_ABSTRACT_IDS,
    abstract_numbering,
    numbering_instances,
    style_numbering,
)
from tutorbargain.writers.word.parts import IMAGE_TYPES, TEXT_WIDTH
from tutorbargain.writers.word.styles import REQUIRED_STYLES, style_definitions

MAX_PART_BYTES = 16 * 1024 * 1024
"""The largest part a letterhead may hold unpacked (a logo picture is well under this)."""
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_PARTS = 1000
W = f"{{{W_NS}}}"
R_ATTR = f"{{{REL}}}"
IMAGE_REL = f"{REL}/image"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_TRACKED_DROP = ("del", "moveFrom", "rPrChange", "pPrChange", "sectPrChange", "tblPrChange",
                 "trPrChange", "tcPrChange", "tblGridChange", "numberingChange",
                 "commentRangeStart", "commentRangeEnd", "commentReference", "dataBinding",
                 "permStart", "permEnd", "customXmlInsRangeStart", "customXmlDelRangeStart",
                 "customXmlInsRangeEnd", "customXmlDelRangeEnd")  # fmt: skip
"""Elements of a header or footer that carry history, people or links to other parts."""


def _problem(path: Path, message: str) -> InputFileError:
    return InputFileError("", [Problem(str(path), message)])


def _size(count: int) -> str:
    if count >= 1024**3:
        return f"{count / 1024**3:.1f} GiB"
    return f"{count / 1024**2:.1f} MB"


@dataclass
class Letterhead:
    """What a render takes from a reference file: ready-made parts and their wiring."""

    text_width: int
    section_xml: str
    """The page set-up (sectPr children) without header and footer references."""
    section_refs: str
    """Header and footer references to ``parts``."""
    parts: dict[str, bytes]
    relations: list[tuple[str, str, str]]
    has_header: bool
    has_footer: bool
    num_ids: tuple[int, int, int]
    abstract_ids: tuple[int, int, int]
    styles_tree: Any = field(repr=False)
    numbering_tree: Any = field(repr=False)
    _cache: dict[tuple[str, bool], str] = field(default_factory=dict, repr=False)

    def styles_xml(self, legal: bool) -> str:
        """Its styles, with each style the writer needs added where it lacks one, and the
        numbering tied to Heading 1 / List Number so Word numbers an added clause."""
        key = ("styles", legal)
        if key not in self._cache:
            root = _copy(self.styles_tree)
            ours = style_definitions(legal, self.num_ids)
            have = {s.get(f"{W}styleId"): s for s in root.iter(f"{W}style")}
            for style_id in REQUIRED_STYLES:
                if style_id not in have:
                    root.append(_fragment(ours[style_id]))
            for style_id in ("Heading1", "ListNumber", "ListNumber2", "ListBullet"):
                style = have.get(style_id)
                if style is None:
                    continue
                ppr = style.find(f"{W}pPr")
                if ppr is None:
                    ppr = etree.SubElement(style, f"{W}pPr")
                for old in ppr.findall(f"{W}numPr"):
                    ppr.remove(old)
                tie = style_numbering(style_id, legal, self.num_ids)
                if tie:
                    ppr.insert(_numpr_position(ppr), _fragment(tie))
            self._cache[key] = _serialize(root)
        return self._cache[key]

    def numbering_xml(self, legal: bool) -> str:
        key = ("numbering", legal)
        if key not in self._cache:
            root = _copy(self.numbering_tree)
            first_num = root.find(f"{W}num")
            for element in _fragments(abstract_numbering(legal, self.abstract_ids)):
                if first_num is not None:
                    first_num.addprevious(element)
                else:
                    root.append(element)
            for element in _fragments(numbering_instances(self.num_ids, self.abstract_ids)):
                root.append(element)
            self._cache[key] = _serialize(root)
        return self._cache[key]


def _numpr_position(ppr: Any) -> int:
    """numPr comes after pStyle, keepNext, keepLines, pageBreakBefore, framePr, widowControl."""
    before = {"pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl"}
    index = 0
    for index, child in enumerate(ppr):
        if etree.QName(child).localname not in before:
            return index
    return len(ppr)


def _fragment(xml: str) -> Any:
    return _fragments(xml)[0]


def _fragments(xml: str) -> list[Any]:
    wrapper = etree.fromstring(f'<w:x xmlns:w="{W_NS}" xmlns:r="{REL}">{xml}</w:x>', _PARSER)
    return list(wrapper)


def _copy(tree: Any) -> Any:
    return etree.fromstring(etree.tostring(tree), _PARSER)


def _serialize(root: Any) -> str:
    body: str = etree.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body


_LOADED: dict[tuple[str, int, int], Letterhead] = {}


def load_letterhead(path: Path) -> Letterhead:
    """The letterhead in ``path``, read once per process (keyed by path, size and time)."""
    if not path.exists():
        raise _problem(path, "no such file")
    if not path.is_file():
        raise _problem(path, "is not a file")
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _LOADED:
        _LOADED[key] = _read(path)
    return _LOADED[key]


_NOT_WORD = "is not a Word document that can be read; open it in Word and save it as a .docx file"


def _read(path: Path) -> Letterhead:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _problem(path, _NOT_WORD) from None
    with archive:
        return _Reader(path, archive).letterhead()


class _Reader:
    def __init__(self, path: Path, archive: zipfile.ZipFile) -> None:
        self.path = path
        self.archive = archive
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise _problem(path, f"holds {len(infos)} parts; a letterhead needs far fewer")
        total = 0
        for info in infos:
            # Declared sizes, checked before anything is unpacked (a zip bomb says the truth
            # here or fails its check when read, since zipfile stops at the declared size).
            if info.file_size > MAX_PART_BYTES:
                raise _problem(
                    path,
                    f"holds a part ({info.filename}) that unpacks to {_size(info.file_size)}; "
                    f"a letterhead's parts are at most {_size(MAX_PART_BYTES)}. Save the "
                    "letterhead again with smaller pictures",
                )
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise _problem(
                path,
                f"unpacks to {_size(total)}; a letterhead is at most {_size(MAX_TOTAL_BYTES)}",
            )
        self.names = {info.filename for info in infos}
        self.parts: dict[str, bytes] = {}
        self.relations: list[tuple[str, str, str]] = []
        self.media = 0

    def read(self, name: str) -> bytes:
        try:
            return self.archive.read(name)
        except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise _problem(self.path, _NOT_WORD) from None

    def xml(self, name: str) -> Any:
        try:
            return etree.fromstring(self.read(name), _PARSER)
        except etree.XMLSyntaxError:
            raise _problem(self.path, f"{_NOT_WORD} (its part {name} is damaged)") from None

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, target part name) of ``part``; refuses external links."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", f"{base}.rels")
        if rels_name not in self.names:
            return {}
        found: dict[str, tuple[str, str]] = {}
        for rel in self.xml(rels_name):
            kind, target = rel.get("Type", ""), rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                raise _problem(
                    self.path,
                    f"links to something outside the file ({target[:120]}) from {part}; "
                    "Word or LibreOffice would fetch it whenever a document made from it is "
                    "opened. Insert the picture (or remove the link) in the letterhead and "
                    "save it again",
                )
            if target.startswith("/"):
                resolved = posixpath.normpath(target[1:])
            else:
                resolved = posixpath.normpath(posixpath.join(folder, target))
            found[rel.get("Id", "")] = (kind, resolved)
        return found

    def letterhead(self) -> Letterhead:
        main = "word/document.xml"
        for kind, target in self._package_rels().values():
            if kind.endswith("/officeDocument"):
                main = target
        if main not in self.names:
            raise _problem(self.path, _NOT_WORD)
        doc_rels = self.rels(main)
        by_type = {kind.rsplit("/", 1)[-1]: target for kind, target in doc_rels.values()}
        document = self.xml(main)
        body = document.find(f"{W}body")
        sect = None if body is None else body.find(f"{W}sectPr")
        if sect is None and body is not None:
            found = body.findall(f".//{W}sectPr")
            sect = found[-1] if found else None

        refs: list[str] = []
        has_header = has_footer = False
        section: list[str] = []
        width = TEXT_WIDTH
        if sect is not None:
            for child in sect:
                name = etree.QName(child).localname
                if name in ("headerReference", "footerReference"):
                    rel = doc_rels.get(child.get(f"{R_ATTR}id", ""))
                    if rel is None or rel[1] not in self.names:
                        continue
                    new = self.furniture(rel[1], "header" if name.startswith("h") else "footer")
                    kind = child.get(f"{W}type", "default")
                    refs.append(f'<w:{name} w:type="{kind}" r:id="{new}"/>')
                    if name == "headerReference":
                        has_header = True
                    else:
                        has_footer = True
                elif name in ("printerSettings", "sectPrChange", "footnotePr", "endnotePr"):
                    continue
                elif not any(a.startswith(R_ATTR) for a in child.attrib):
                    section.append(etree.tostring(child, encoding="unicode"))
            width = _text_width(sect)

        styles = self.xml(by_type["styles"]) if "styles" in by_type else _empty("styles")
        numbering = (
            self.xml(by_type["numbering"]) if "numbering" in by_type else _empty("numbering")
        )
        for pic in numbering.findall(f"{W}numPicBullet"):
            numbering.remove(pic)
        for pic in numbering.iter(f"{W}lvlPicBulletId"):
            pic.getparent().remove(pic)
        abstract = [int(a) for a in numbering.xpath("w:abstractNum/@w:abstractNumId",
                                                    namespaces={"w": W_NS})]  # fmt: skip
        nums = [int(n) for n in numbering.xpath("w:num/@w:numId", namespaces={"w": W_NS})]
        if set(abstract) & set(OWN_ABSTRACT_IDS):
            start = max(abstract) + 1
            abstract_ids = (start, start + 1, start + 2)
        else:
            abstract_ids = OWN_ABSTRACT_IDS
        first = max(nums, default=0) + 1
        if "theme" in by_type and by_type["theme"] in self.names:
            self.parts["word/theme/theme1.xml"] = self.read(by_type["theme"])
            self.relations.append(("rIdLhTheme", f"{REL}/theme", "theme/theme1.xml"))
        if "fontTable" in by_type and by_type["fontTable"] in self.names:
            fonts = self.xml(by_type["fontTable"])
            for embedded in fonts.xpath(".//*[starts-with(local-name(), 'embed')]"):
                embedded.getparent().remove(embedded)
            self.parts["word/fontTable.xml"] = _serialize(fonts).encode("utf-8")
            self.relations.append(("rIdLhFonts", f"{REL}/fontTable", "fontTable.xml"))
        return Letterhead(
            text_width=width,
            section_xml="".join(section),
            section_refs="".join(refs),
            parts=self.parts,
            relations=self.relations,
            has_header=has_header,
            has_footer=has_footer,
            num_ids=(first, first + 1, first + 2),
            abstract_ids=abstract_ids,
            styles_tree=styles,
            numbering_tree=numbering,
        )

    def _package_rels(self) -> dict[str, tuple[str, str]]:
        if "_rels/.rels" not in self.names:
            return {}
        return self.rels("")

    def furniture(self, part: str, kind: str) -> str:
        """Copy a header or footer (cleaned) and its pictures; returns its relationship id."""
        number = sum(1 for r in self.relations if r[1].endswith(f"/{kind}")) + 1
        name = f"lh-{kind}{number}.xml"
        rid = f"rIdLh{kind.title()}{number}"
        root = self.xml(part)
        for element in list(root.iter()):
            if not isinstance(element.tag, str):
                continue
            local = etree.QName(element).localname
            if element.tag.startswith(W) and local in _TRACKED_DROP:
                element.getparent().remove(element)
        for inserted in list(root.iter(f"{W}ins", f"{W}moveTo")):
            parent = inserted.getparent()
            index = parent.index(inserted)
            for child in list(inserted):
                parent.insert(index, child)
                index += 1
            parent.remove(inserted)
        kept: list[tuple[str, str, str]] = []
        wanted = self.rels(part)
        for old_id, (rel_type, target) in wanted.items():
            extension = target.rsplit(".", 1)[-1].lower()
            if rel_type == IMAGE_REL and extension in IMAGE_TYPES and target in self.names:
                self.media += 1
                media = f"media/lh-image{self.media}.{extension}"
                self.parts[f"word/{media}"] = self.read(target)
                kept.append((old_id, IMAGE_REL, media))
        kept_ids = {k[0] for k in kept}
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            for attr in [a for a in element.attrib if a.startswith(R_ATTR)]:
                if element.attrib[attr] not in kept_ids:
                    del element.attrib[attr]  # a link to a part that was not copied
        self.parts[f"word/{name}"] = _serialize(root).encode("utf-8")
        if kept:
            body = "".join(
                f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in kept
            )
            self.parts[f"word/_rels/{name}.rels"] = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f"{body}</Relationships>"
            ).encode()
        self.relations.append((rid, f"{REL}/{kind}", name))
        return rid


def _empty(kind: str) -> Any:
    return etree.fromstring(f'<w:{kind} xmlns:w="{W_NS}" xmlns:r="{REL}"/>', _PARSER)


def _text_width(sect: Any) -> int:
    """Twentieths of a point between the margins: page width less left, right and gutter."""

    def number(element: Any, attr: str, default: int) -> int:
        if element is None:
            return default
        try:
            return int(float(element.get(f"{W}{attr}", default)))
        except ValueError:
            return default

    size = sect.find(f"{W}pgSz")
    margins = sect.find(f"{W}pgMar")
    width = number(size, "w", 12240)
    if (
        size is not None
        and size.get(f"{W}orient") == "landscape"
        and width < number(size, "h", 15840)
    ):
        width = number(size, "h", 15840)
    inner = (
        width
        - number(margins, "left", 1440)
        - number(margins, "right", 1440)
        - number(margins, "gutter", 0)
    )
    return inner if 1440 <= inner <= 31680 else TEXT_WIDTH
