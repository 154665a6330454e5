"""The question list's pages, as LibreOffice lays them out: each page but the last filled to
its foot, and every question on the same page as its answer box."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest

from conftest import EXAMPLES
from tutorbargain.answers.reading import load_answers
from tutorbargain.render import render_answers

TODAY = dt.date(2026, 11, 23)
MARGIN = 72.0
"""Points: the 1-inch top and bottom margins."""
FILLED = 0.90
"""Each page but the last carries ink down past this share of its text area."""
BOX_TOP = 2.0
"""Points between an answer box's top border and its label's text (Table Grid's spacing)."""
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>'
)
_LABEL = ["District’s", "answer", "and", "date:"]


def _need_office() -> None:
    """As tests/test_word.py: in CI (CI=true) LibreOffice must be there; elsewhere, skip."""
    if shutil.which("soffice") and shutil.which("pdftotext"):
        return
    if os.environ.get("CI"):
        pytest.fail("LibreOffice and poppler must be installed in CI (.ci/run installs them)")
    pytest.skip("LibreOffice or poppler is not installed")


@dataclass
class Page:
    height: float
    words: list[tuple[float, float, float, str]]
    """xMin, yMin, yMax and text of each word, in reading order."""


def _pages(pdf: Path) -> list[Page]:
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for chunk in xml.split("<page ")[1:]:
        height = float(re.search(r'height="([\d.]+)"', chunk).group(1))  # type: ignore[union-attr]
        words = [(float(x), float(y0), float(y1), t) for x, y0, y1, t in _WORD.findall(chunk)]
        # Only the text area (a line at its top starts a hair above it): the header and
        # footer sit in the margins.
        top, bottom = MARGIN - 3, height - MARGIN
        pages.append(Page(height, [w for w in words if top <= w[1] < bottom]))
    return pages


def _labels(page: Page) -> list[float]:
    """The top of each answer box label on the page."""
    texts = [w[3] for w in page.words]
    return [page.words[i][1] for i in range(len(texts) - 3) if texts[i : i + 4] == _LABEL]


def _question_numbers(page: Page) -> list[int]:
    """The numbers of the questions that start on the page (a number at the left margin)."""
    return [int(t[:-1]) for x, _, _, t in page.words if re.fullmatch(r"\d+\.", t) and x < 90]


def _box_heights(path: Path) -> list[float]:
    """Each answer box's height in points, as the Word file sets it."""
    document = docx.Document(str(path))
    boxes = [t for t in document.tables if t.cell(0, 0).text.startswith("District")]
    return [box.rows[0].height.pt for box in boxes]  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def question_lists(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    """The two longest examples' question lists, team's and district's copies, as PDFs."""
    _need_office()
    from tutorbargain.writers.pdf import convert_to_pdf

    files = []
    for name in ("cedar-valley-mixed-iep", "lakeview-vendor-virtual"):
        folder = tmp_path_factory.mktemp(name)
        result = render_answers(
            load_answers(EXAMPLES / f"{name}.yml"), folder, today=TODAY, clean=True
        )
        files += [
            p for p in result.paths if re.search(r"-impact-questions(-clean)?\.docx$", p.name)
        ]
    assert len(files) == 4
    return dict(zip(files, convert_to_pdf(files, force=True), strict=True))


def test_every_page_but_the_last_is_filled(question_lists: dict[Path, Path]) -> None:
    for docx_path, pdf in question_lists.items():
        pages = _pages(pdf)
        heights = iter(_box_heights(docx_path))
        filled = []
        for page in pages:
            bottom = max(w[2] for w in page.words)
            for top in _labels(page):
                bottom = max(bottom, top - BOX_TOP + next(heights))
            filled.append((bottom - MARGIN) / (page.height - 2 * MARGIN))
        assert next(heights, None) is None, "every box was found in the PDF"
        assert len(pages) > 10
        short = [(n, round(f, 2)) for n, f in enumerate(filled[:-1], 1) if f < FILLED]
        assert not short, (docx_path.name, short)


def test_each_question_is_on_the_page_of_its_box(question_lists: dict[Path, Path]) -> None:
    for docx_path, pdf in question_lists.items():
        question_page: list[int] = []
        box_page: list[int] = []
        for number, page in enumerate(_pages(pdf), 1):
            question_page += [number] * len(_question_numbers(page))
            box_page += [number] * len(_labels(page))
        assert len(question_page) == len(_box_heights(docx_path)) > 40, docx_path.name
        # The boxes follow the questions in order, so the n-th box is the n-th question's.
        assert question_page == box_page, docx_path.name


def test_boxes_keep_one_inch_under_a_letterhead(tmp_path: Path) -> None:
    # A letterhead brings its own fonts and margins, unknown to the page estimate.
    reference = docx.Document()
    reference.styles["Normal"].font.name = "Arial"
    reference.save(str(tmp_path / "letterhead.docx"))
    result = render_answers(
        load_answers(EXAMPLES / "cedar-valley-mixed-iep.yml"),
        tmp_path / "out",
        today=TODAY,
        reference_docx=tmp_path / "letterhead.docx",
    )
    questions = next(p for p in result.paths if p.name.endswith("-impact-questions.docx"))
    assert set(_box_heights(questions)) == {72.0}
    own = render_answers(
        load_answers(EXAMPLES / "cedar-valley-mixed-iep.yml"), tmp_path / "own", today=TODAY
    )
    questions = next(p for p in own.paths if p.name.endswith("-impact-questions.docx"))
    heights = _box_heights(questions)
    assert min(heights) == 72.0 and max(heights) > 72.0
