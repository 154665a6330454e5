"""The Word files: valid parts, real numbering, comments, header and footer, and the pages
LibreOffice lays out from them."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from lxml import etree

from conftest import EXAMPLE_FILES, EXAMPLES, docx_comments, docx_parts, docx_text, run_cli
from tutorbargain.answers.reading import load_answers
from tutorbargain.compose.documents import compose
from tutorbargain.library.loading import load_library
from tutorbargain.library.selection import select
from tutorbargain.render import render_answers
from tutorbargain.writers.word import write_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TODAY = dt.date(2026, 11, 23)
HAVE_OFFICE = bool(shutil.which("soffice") and shutil.which("pdftotext"))


def _need_office() -> None:
    if HAVE_OFFICE:
        return
    if os.environ.get("CI"):
        pytest.fail("LibreOffice and poppler must be installed in CI (.ci/run installs them)")
    pytest.skip("LibreOffice or poppler is not installed")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """Every example rendered once, with the kit and a clean copy."""
    out: dict[str, list[Path]] = {}
    for path in EXAMPLE_FILES:
        folder = tmp_path_factory.mktemp(path.stem)
        result = render_answers(load_answers(path), folder, today=TODAY, kit=True, clean=True)
        out[path.stem] = [p for p in result.paths if p.suffix == ".docx"]
    return out


@pytest.fixture(scope="module")
def pdfs(
    rendered: dict[str, list[Path]], tmp_path_factory: pytest.TempPathFactory
) -> dict[Path, Path]:
    """Every .docx converted to PDF in one LibreOffice run, as `--pdf` does."""
    _need_office()
    from tutorbargain.writers.pdf import convert_to_pdf

    files = [p for paths in rendered.values() for p in paths]
    made = convert_to_pdf(files, force=True)
    return dict(zip(files, made, strict=True))


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def test_every_part_is_well_formed_xml(rendered: dict[str, list[Path]]) -> None:
    for paths in rendered.values():
        for path in paths:
            for name, data in docx_parts(path).items():
                if name.endswith((".xml", ".rels")):
                    etree.fromstring(data)  # raises on a broken part
            docx.Document(str(path))


def test_built_in_styles_and_numbering(rendered: dict[str, list[Path]]) -> None:
    mou = next(p for p in rendered["lakeview-vendor-virtual"] if p.name.endswith("-mou.docx"))
    document = docx.Document(str(mou))
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "List Number", "List Number 2", "Normal"} <= styles
    articles = [
        p for p in document.paragraphs if p.style.name == "Heading 1" and p._p.pPr.numPr is not None
    ]
    assert articles[0].text == "Definitions"
    # Numbers come from Word numbering, not typed digits.
    assert not any(re.match(r"\s*(Article\s+)?\d", p.text) for p in articles)
    numbering = document.part.numbering_part.element
    num_id = articles[0]._p.pPr.numPr.numId.val
    num = numbering.xpath(f"w:num[@w:numId='{num_id}']")[0]
    abstract_id = num.xpath("w:abstractNumId/@w:val")[0]
    levels = numbering.xpath(
        f"w:abstractNum[@w:abstractNumId='{abstract_id}']/w:lvl/w:lvlText/@w:val"
    )
    assert levels[:3] == ["Article %1.", "%1.%2", "(%3)"]
    assert num.xpath("w:lvlOverride[@w:ilvl='0']/w:startOverride/@w:val") == ["1"]


def test_numbering_restarts_in_a_second_document_of_the_same_process() -> None:
    library = load_library()
    models = []
    for name in ("lakeview-vendor-virtual.yml", "piedmont-no-bargaining.yml"):
        answers = load_answers(EXAMPLES / name)
        models.append(
            compose(answers, library, select(library, answers), today=TODAY).documents["mou"]
        )
    first, second = (docx.Document(io.BytesIO(write_docx(m))) for m in models)
    for document in (first, second):
        numbering = document.part.numbering_part.element
        heading = next(
            p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None
        )
        num_id = heading._p.pPr.numPr.numId.val
        assert numbering.xpath(
            f"w:num[@w:numId='{num_id}']/w:lvlOverride[@w:ilvl='0']/w:startOverride/@w:val"
        ) == ["1"]
        # One numbering instance per document: the second did not inherit the first's count.
        legal = [
            n for n in numbering.xpath("w:num") if n.xpath("w:abstractNumId/@w:val") == ["901"]
        ]
        assert len(legal) == 1


def test_comments_are_anchored_and_absent_when_clean(rendered: dict[str, list[Path]]) -> None:
    for paths in rendered.values():
        mou = next(p for p in paths if p.name.endswith("-mou.docx"))
        clean = next(p for p in paths if p.name.endswith("-mou-clean.docx"))
        body = etree.fromstring(docx_parts(mou)["word/document.xml"])
        ids = {c.get(f"{W}id") for c in body.iter(f"{W}commentRangeStart")}
        ends = {c.get(f"{W}id") for c in body.iter(f"{W}commentRangeEnd")}
        refs = {c.get(f"{W}id") for c in body.iter(f"{W}commentReference")}
        comments = docx_comments(mou)
        assert len(comments) >= 30
        assert len(ids) == len(comments) and ids == ends == refs
        assert all("Why this clause:" in c for c in comments)
        clean_body = docx_parts(clean)["word/document.xml"]
        assert b"commentRangeStart" not in clean_body and docx_comments(clean) == []


def test_placeholders_are_highlighted(rendered: dict[str, list[Path]]) -> None:
    mou = next(p for p in rendered["minimal-early-draft"] if p.name.endswith("-mou.docx"))
    document = docx.Document(str(mou))
    marked = [r for p in document.paragraphs for r in p.runs if r.text == "[VENDOR NAME]"]
    assert marked and all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in marked)


def test_signature_and_cost_tables(rendered: dict[str, list[Path]]) -> None:
    mou = next(p for p in rendered["riverside-inhouse-esps"] if p.name.endswith("-mou.docx"))
    document = docx.Document(str(mou))
    # Iowa bargains base wages only (Iowa Code 20.9): the Union submits, the Board votes.
    signature = next(t for t in document.tables if "Submitted by" in t.cell(0, 0).text)
    assert signature.cell(0, 0).text == "Submitted by Riverside Education Association"
    assert signature.cell(0, 1).text == "Action of the Board (for the Board’s records)"
    assert "Angela Ruiz" in signature.cell(2, 0).text and "Vote:" in signature.cell(2, 1).text
    cost = next(t for t in document.tables if t.cell(0, 0).text == "Item")
    amounts = {row.cells[0].text: row.cells[2].text for row in cost.rows}
    assert amounts["Total"] == "$230,400"


def test_answer_boxes_leave_room_to_write(rendered: dict[str, list[Path]]) -> None:
    questions = next(
        p for p in rendered["cedar-valley-mixed-iep"] if p.name.endswith("-impact-questions.docx")
    )
    document = docx.Document(str(questions))
    boxes = [t for t in document.tables if t.cell(0, 0).text.startswith("District")]
    assert len(boxes) > 10
    for box in boxes:
        height = box.rows[0].height
        assert height is not None and height.inches >= 1.0, height


def test_header_and_footer(rendered: dict[str, list[Path]]) -> None:
    mou = next(p for p in rendered["cedar-valley-mixed-iep"] if p.name.endswith("-mou.docx"))
    document = docx.Document(str(mou))
    header = document.sections[0].header.paragraphs[0].text
    assert "Cedar Valley Federation of Teachers and Cedar Valley R-II School District" in header
    assert "DRAFT for discussion" in header and "not legal advice" in header
    footer = etree.tostring(document.sections[0].footer._element).decode()
    assert "PAGE" in footer and "NUMPAGES" in footer and "generated November 23, 2026" in footer
    section = document.sections[0]
    assert section.page_width.inches == 8.5 and section.left_margin.inches == 1


def test_reference_docx_keeps_the_local_letterhead(tmp_path: Path) -> None:
    reference = docx.Document()
    reference.styles["Normal"].font.name = "Arial"
    reference.sections[0].header.paragraphs[0].text = "LAKEVIEW EA LETTERHEAD"
    reference.add_paragraph("old body text that must not survive")
    ref_path = tmp_path / "letterhead.docx"
    reference.save(str(ref_path))
    result = run_cli(
        [
            "render",
            str(EXAMPLES / "lakeview-vendor-virtual.yml"),
            "-o",
            str(tmp_path / "out"),
            "--reference-docx",
            str(ref_path),
        ]
    )
    assert result.code == 0, result.err
    mou = tmp_path / "out" / "lakeview-education-association-mou.docx"
    document = docx.Document(str(mou))
    header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
    # The letterhead's header replaces the tool's: one header, not two stacked.
    assert header.strip() == "LAKEVIEW EA LETTERHEAD"
    assert document.styles["Normal"].font.name == "Arial"
    assert "old body text" not in docx_text(mou)
    assert "The effects of the vendor’s program" in docx_text(mou)


def test_reference_docx_that_is_not_word(tmp_path: Path) -> None:
    bad = tmp_path / "letterhead.docx"
    bad.write_text("not a zip")
    result = run_cli(
        ["render", str(EXAMPLE_FILES[0]), "-o", str(tmp_path / "out"), "--reference-docx", str(bad)]
    )
    assert result.code == 1 and "letterhead.docx" in result.err and "Word" in result.err
    assert not (tmp_path / "out").exists()


def test_pdf_without_libreoffice_says_so(tmp_path: Path) -> None:
    env_path = os.environ.get("PATH", "")
    try:
        os.environ["PATH"] = str(tmp_path)  # no soffice on this PATH
        result = run_cli(["render", str(EXAMPLE_FILES[0]), "-o", str(tmp_path / "out"), "--pdf"])
    finally:
        os.environ["PATH"] = env_path
    assert result.code == 1
    assert "LibreOffice" in result.err and "not installed" in result.err
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ pages, via LibreOffice


def test_articles_in_order_with_numbers(pdfs: dict[Path, Path]) -> None:
    library = load_library()
    for docx_path, pdf in pdfs.items():
        if not docx_path.name.endswith("-mou.docx"):
            continue
        text = "\n".join(_pages(pdf))
        found = re.findall(r"^\s*Article (\d+)\. (.+?)\s*$", text, flags=re.M)
        numbers = [int(n) for n, _ in found]
        assert numbers == list(range(1, len(numbers) + 1)), (docx_path.name, numbers)
        titles = [title for _, title in found]
        order = [a.title for a in library.articles if a.placement == "body"]
        # An article holding only some of its topics is headed by those (documents.py).
        known = [t for t in titles if t in order]
        assert known == [t for t in order if t in known], docx_path.name
        assert re.search(r"^\s*1\.1\s", text, flags=re.M), "sections are numbered 1.1, 1.2 ..."


def test_header_and_page_numbers_on_every_page(pdfs: dict[Path, Path]) -> None:
    for docx_path, pdf in pdfs.items():
        pages = _pages(pdf)
        minimum, maximum = (4, 20) if "-mou" in docx_path.name else (1, 20)
        assert minimum <= len(pages) <= maximum, (docx_path.name, len(pages))
        team_copy = docx_path.name.endswith(("-mou.docx", "-impact-questions.docx"))
        for number, page in enumerate(pages, start=1):
            # The team's copies say draft; the district's copies and letters never do.
            assert ("not legal advice" in page) == team_copy, (docx_path.name, number)
            assert f"Page {number} of {len(pages)}" in page, (docx_path.name, number)


def test_cli_pdf_writes_pdfs(tmp_path: Path) -> None:
    _need_office()
    result = run_cli(
        ["render", str(EXAMPLES / "piedmont-no-bargaining.yml"), "-o", str(tmp_path), "--pdf"]
    )
    assert result.code == 0, result.err
    pdf = tmp_path / "piedmont-county-association-of-educators-mou.pdf"
    assert pdf.exists()
    assert "Proposed Board Resolution" in "\n".join(_pages(pdf))


_ANNOTATION = re.compile(rb"/Subtype\s*/Text\b.*?/Contents\s*<([0-9A-Fa-f]+)>", re.DOTALL)


def _pdf_notes(pdf: Path) -> list[str]:
    """The text of each comment (PDF text annotation) LibreOffice wrote into the PDF."""
    notes = []
    for hexed in _ANNOTATION.findall(pdf.read_bytes()):
        notes.append(bytes.fromhex(hexed.decode()).decode("utf-16"))
    return notes


def test_team_pdf_carries_each_rationale_and_clean_pdf_none(pdfs: dict[Path, Path]) -> None:
    # Margin comments need LibreOffice 7.5; older ones still export each as a PDF comment.
    team = next(p for p in pdfs if p.name == "riverside-education-association-mou.docx")
    clean = next(p for p in pdfs if p.name.endswith("-mou-clean.docx"))
    rationales = [c for c in docx_comments(team) if c.startswith("Why this clause")]
    notes = _pdf_notes(pdfs[team])
    assert len(rationales) > 10
    assert sorted(" ".join(n.split()) for n in notes if n.startswith("Why this clause")) == sorted(
        " ".join(r.split()) for r in rationales
    )
    assert _pdf_notes(pdfs[clean]) == []
