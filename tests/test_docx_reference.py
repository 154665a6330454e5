"""A letterhead (--reference-docx) gives its look and nothing else: crafted reference files
with a secret comment, tracked changes, properties, an external link and a zip bomb."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from conftest import EXAMPLES, docx_parts, run_cli

SECRET = "SECRET we settle at fifty dollars"
EXAMPLE = EXAMPLES / "lakeview-vendor-virtual.yml"


def _letterhead(tmp_path: Path, *, margins: float = 1.0) -> Path:
    """A Word file with a letterhead and private things a user would not want to travel."""
    reference = docx.Document()
    reference.styles["Normal"].font.name = "Arial"
    section = reference.sections[0]
    section.left_margin = section.right_margin = docx.shared.Inches(margins)
    section.header.paragraphs[0].text = "MAPLE EA LETTERHEAD"
    section.footer.paragraphs[0].text = "12 Union Street, Maple"
    paragraph = reference.add_paragraph(f"old body {SECRET}")
    reference.add_comment(paragraph.runs, text=SECRET, author="Pat Negotiator")
    reference.core_properties.author = "Pat Negotiator"
    reference.core_properties.comments = SECRET
    reference.core_properties.last_modified_by = "Pat Negotiator"
    path = tmp_path / "letterhead.docx"
    reference.save(str(path))
    return path


def _rewrite(path: Path, change: dict[str, bytes]) -> None:
    """Replace or add parts of a .docx (a crafted file)."""
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts.update(change)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _render(tmp_path: Path, reference: Path) -> tuple[int, str, Path]:
    out = tmp_path / "out"
    result = run_cli(
        ["render", str(EXAMPLE), "-o", str(out), "--kit", "--clean", "--reference-docx",
         str(reference)]
    )  # fmt: skip
    return result.code, result.err, out


def test_nothing_private_reaches_any_output(tmp_path: Path) -> None:
    reference = _letterhead(tmp_path)
    custom = b'<?xml version="1.0"?><secret xmlns="urn:x">' + SECRET.encode() + b"</secret>"
    _rewrite(reference, {"customXml/item9.xml": custom, "docProps/thumbnail.jpeg": b"\xff\xd8"})
    code, err, out = _render(tmp_path, reference)
    assert code == 0, err
    outputs = sorted(out.glob("*.docx"))
    assert len(outputs) == 6  # the clean copies (MOU and questions) and the letters included
    for path in outputs:
        for name, data in docx_parts(path).items():
            assert SECRET.encode() not in data, (path.name, name)
            assert b"Pat Negotiator" not in data, (path.name, name)
            assert "thumbnail" not in name and "item9" not in name
        document = docx.Document(str(path))
        header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
        footer = "\n".join(p.text for p in document.sections[0].footer.paragraphs)
        assert header.strip() == "MAPLE EA LETTERHEAD"  # one header: the letterhead's
        assert "12 Union Street" in footer
        assert document.styles["Normal"].font.name == "Arial"
        assert "old body" not in "\n".join(p.text for p in document.paragraphs)


def test_an_external_link_is_refused_naming_it(tmp_path: Path) -> None:
    reference = _letterhead(tmp_path)
    with zipfile.ZipFile(reference) as archive:
        header = next(n for n in archive.namelist() if n.startswith("word/header"))
        rels_name = header.replace("word/", "word/_rels/") + ".rels"
        rels = archive.read(rels_name) if rels_name in archive.namelist() else None
    link = (
        '<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/image" Target="file:///etc/passwd" TargetMode="External"/>'
    )
    if rels is None:
        rels = (
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"></Relationships>'
        )
    _rewrite(
        reference,
        {rels_name: rels.replace(b"</Relationships>", link.encode() + b"</Relationships>")},
    )
    code, err, out = _render(tmp_path, reference)
    assert code == 1
    assert "letterhead.docx" in err and "file:///etc/passwd" in err
    assert not out.exists() or not any(out.iterdir())


def test_a_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    reference = _letterhead(tmp_path)
    # A part declaring 1 GiB unpacked: written as a stored entry whose header claims the size.
    buffer = io.BytesIO()
    with zipfile.ZipFile(reference) as source, zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
        info = zipfile.ZipInfo("word/media/huge.bin")
        target.writestr(info, b"0" * 1024)
    data = bytearray(buffer.getvalue())
    # Patch the central directory's uncompressed size of the last entry to 1 GiB.
    marker = data.rfind(b"PK\x01\x02")
    data[marker + 24 : marker + 28] = (1024**3).to_bytes(4, "little")
    reference.write_bytes(bytes(data))
    code, err, _ = _render(tmp_path, reference)
    assert code == 1
    assert "letterhead.docx" in err and "word/media/huge.bin" in err and "GiB" in err


@pytest.mark.parametrize("margins", [1.75])
def test_tables_fit_a_narrower_page(tmp_path: Path, margins: float) -> None:
    code, err, out = _render(tmp_path, _letterhead(tmp_path, margins=margins))
    assert code == 0, err
    limit = int((8.5 - 2 * margins) * 1440)
    for path in out.glob("*.docx"):
        document = docx.Document(str(path))
        for table in document.tables:
            widths = [int(c.get(docx.oxml.ns.qn("w:w"))) for c in table._tbl.tblGrid]
            indent = table._tbl.tblPr.find(docx.oxml.ns.qn("w:tblInd"))
            extra = int(indent.get(docx.oxml.ns.qn("w:w"))) if indent is not None else 0
            assert sum(widths) + extra <= limit, path.name
