"""The Word package as a Word user and a later `compare` see it: properties, compatibility,
numbering that belongs to styles, comment styles, layout details, and the team copy's
provenance part (never in the district's copy)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from conftest import EXAMPLES, docx_parts
from tutorbargain import __version__
from tutorbargain.answers.reading import load_answers
from tutorbargain.render import render_answers
from tutorbargain.roundtrip import provenance
from tutorbargain.roundtrip.wordfile import read_package

TODAY = dt.date(2026, 11, 23)
EXAMPLE = EXAMPLES / "riverside-inhouse-esps.yml"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("package")
    result = render_answers(load_answers(EXAMPLE), folder, today=TODAY, kit=True, clean=True)
    return {p.name.split("-association-")[-1]: p for p in result.paths if p.suffix == ".docx"}


def test_properties_name_the_document_and_the_local(files: dict[str, Path]) -> None:
    for name, path in files.items():
        parts = docx_parts(path)
        core = parts["docProps/core.xml"].decode()
        app = parts["docProps/app.xml"].decode()
        props = docx.Document(str(path)).core_properties
        assert props.author == "Riverside Education Association", name
        assert props.created is not None and props.created.date() == dt.date.today()
        assert "2013" not in core and "python-docx" not in core + app, name
        assert "<Application>Microsoft Office Word</Application>" in app
        assert not any("thumbnail" in p or "bibliography" in p.lower() for p in parts)
        settings = parts["word/settings.xml"].decode()
        assert re.search(r'compatibilityMode"[^>]*w:val="15"', settings)
    mou = docx.Document(str(files["mou.docx"])).core_properties
    # Iowa bargains base wages only (Iowa Code 20.9): the example is a proposed resolution.
    assert mou.title.startswith("Proposed Board Resolution")
    assert "by Riverside Education Association" in mou.title


def test_applying_a_style_in_word_numbers_the_paragraph(files: dict[str, Path]) -> None:
    """A clause added in Word with List Number, or an article with Heading 1, resolves to the
    legal numbering through its style alone (no numPr of its own)."""
    document = docx.Document(str(files["mou.docx"]))
    numbering = document.part.numbering_part.element
    for style_name, level, text in (
        ("Heading 1", "0", "Article %1."),
        ("List Number", "1", "%1.%2"),
        ("List Number 2", "2", "(%3)"),
    ):
        added = document.add_paragraph("Added in Word.", style=style_name)
        assert added._p.pPr.numPr is None
        num_pr = document.styles[style_name].element.pPr.numPr
        assert num_pr is not None and num_pr.ilvl.val == int(level), style_name
        num = numbering.xpath(f"w:num[@w:numId='{num_pr.numId.val}']")[0]
        abstract = num.xpath("w:abstractNumId/@w:val")[0]
        levels = numbering.xpath(
            f"w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl[@w:ilvl='{level}']"
            "/w:lvlText/@w:val"
        )
        assert levels == [text]


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_a_clause_added_in_word_gets_the_next_number(
    files: dict[str, Path], tmp_path: Path
) -> None:
    document = docx.Document(str(files["mou.docx"]))
    headings = [p for p in document.paragraphs if p.style.name == "Heading 1" and p.text]
    article = headings[1]  # Article 2: add a clause at its end, as a user would in Word
    following = headings[2]
    added = following.insert_paragraph_before("ZEBRA clause added by the team.", "List Number")
    assert added._p.pPr.numPr is None
    edited = tmp_path / "edited.docx"
    document.save(str(edited))
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(edited)],
        capture_output=True, check=True, timeout=300,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "edited.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    numbers = re.findall(r"^\s*2\.(\d+)\s", text, flags=re.M)
    zebra = re.search(r"^\s*2\.(\d+)\s+ZEBRA", text, flags=re.M)
    assert article.text and zebra, text[:2000]
    assert int(zebra.group(1)) == max(int(n) for n in numbers)
    assert int(zebra.group(1)) >= 2


def test_styles_layout_and_no_spacers(files: dict[str, Path]) -> None:
    parts = docx_parts(files["mou.docx"])
    styles = parts["word/styles.xml"].decode()
    for style_id in ("CommentText", "CommentReference"):
        assert f'w:styleId="{style_id}"' in styles
    assert "<w:widowControl/>" in styles
    body = docx.Document(io.BytesIO(_bytes(files["mou.docx"]))).element.body
    children = list(body)
    for index, child in enumerate(children[:-1]):
        if child.tag == qn("w:tbl"):
            nxt = children[index + 1]
            # The next paragraph has words (no empty spacer) unless it is the body's end.
            if nxt.tag == qn("w:p") and index + 2 < len(children) - 1:
                assert "".join(t.text or "" for t in nxt.iter(qn("w:t"))).strip()
    breaks = [
        p for p in body.iter(qn("w:p")) if p.find(f".//{qn('w:pageBreakBefore')}") is not None
    ]
    assert breaks and all("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in breaks)
    assert b'w:type="page"' not in parts["word/document.xml"]


def test_amount_columns_are_right_aligned(files: dict[str, Path]) -> None:
    document = docx.Document(str(files["mou.docx"]))
    cost = next(t for t in document.tables if t.cell(0, 0).text == "Item")
    for row in cost.rows[1:]:
        assert row.cells[-1].paragraphs[0].alignment == 2  # right
        assert row.cells[0].paragraphs[0].alignment is None


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


def test_the_team_copy_records_its_provenance_and_the_clean_copy_does_not(
    files: dict[str, Path],
) -> None:
    """The record (written by `provenance` over this writer's output) reads back."""
    record = provenance.read_record(read_package(files["mou.docx"]))
    assert record is not None and record.tool.endswith(__version__)
    assert len(record.units) >= 30
    for name in ("mou-clean.docx", "demand-letter.docx", "information-request.docx"):
        assert provenance.read_record(read_package(files[name])) is None, name
        assert not any(p.startswith("customXml/") for p in docx_parts(files[name]))
