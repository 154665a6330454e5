"""The python-docx floor both benchmarks measure against: the documents tutorbargain composes,
built by the best means python-docx offers and saved.

It reads the document models as plain data (`model_data`), so the render benchmark can time
it in a fresh interpreter that imports python-docx but not tutorbargain.

Once per process the base document is opened, its numbering added, and it is deep-copied per
document (cheaper than re-reading the template). Per paragraph the style id is set directly
(no lookup by name, no scan of the styles), the paragraph is inserted before the section
properties directly, and runs are added with python-docx's element API (``add_r``/``add_t``)
rather than its per-character text setter. Comments, tables, header and footer use
python-docx's own calls. Same words, styles, numbering and comments as the pipeline.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls
from docx.text.paragraph import Paragraph
from docx.text.run import Run

STYLE = {
    "title": "Title",
    "subtitle": "Subtitle",
    "heading1": "Heading1",
    "heading2": "Heading2",
    "article": "Heading1",
    "section": "ListNumber",
    "item": "ListNumber2",
    "continue": "ListContinue",
    "bullet": "ListBullet",
    "number": "ListNumber",
    "paragraph": "Normal",
    "note": "Quote",
    "centered": "Normal",
    "page_break": "Normal",
}
KEEP_WITH_NEXT = {"title", "subtitle", "heading1", "heading2", "article", "number"}
NUMBERING = {
    "article": (1, 0),
    "section": (1, 1),
    "item": (1, 2),
    "number": (2, 0),
    "bullet": (3, 0),
}
_LISTS = (
    ("decimal", ("Article %1.", "%1.%2", "(%3)")),
    ("decimal", ("%1.",)),
    ("bullet", ("\u2022",)),
)


def model_data(document: Any) -> dict[str, Any]:
    """One tutorbargain document model as plain data (lists, strings, booleans)."""

    def runs(items: Sequence[Any]) -> list[list[Any]]:
        return [[r.text, r.bold, r.placeholder] for r in items]

    def block(b: Any) -> dict[str, Any]:
        table = None
        if b.table is not None:
            table = {
                "rows": [[runs(cell) for cell in row] for row in b.table.rows],
                "header": b.table.header,
                "style": b.table.style,
            }
        return {"kind": b.kind.value, "runs": runs(b.runs), "comment": b.comment, "table": table}

    return {
        "title": document.title,
        "header": runs(document.header),
        "footer": runs(document.footer),
        "blocks": [block(b) for b in document.blocks],
    }


class FloorWriter:
    """Writes document models (as `model_data`) to .docx files; see the module docstring."""

    def __init__(self) -> None:
        base = docx.Document()
        numbering = base.part.numbering_part.element
        for num_id, (fmt, texts) in enumerate(_LISTS, start=1):
            levels = "".join(
                f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                f'<w:lvlText w:val="{text}"/></w:lvl>'
                for i, text in enumerate(texts)
            )
            numbering.insert(
                0,
                parse_xml(
                    f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{900 + num_id}">'
                    f"{levels}</w:abstractNum>"
                ),
            )
            numbering.append(
                parse_xml(
                    f'<w:num {nsdecls("w")} w:numId="{100 + num_id}">'
                    f'<w:abstractNumId w:val="{900 + num_id}"/></w:num>'
                )
            )
        self.base = base

    def write(self, model: dict[str, Any], path: Path) -> float:
        """Build and save one document; returns the seconds spent saving."""
        document = copy.deepcopy(self.base)
        section_properties = document.element.body.sectPr
        for block in model["blocks"]:
            kind = block["kind"]
            if kind == "table":
                self.table(document, block["table"])
                continue
            p = OxmlElement("w:p")
            section_properties.addprevious(p)
            ppr = p.get_or_add_pPr()
            ppr.style = STYLE[kind]
            if kind in NUMBERING:
                num_pr = ppr.get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = NUMBERING[kind][1]
                num_pr.get_or_add_numId().val = 100 + NUMBERING[kind][0]
            if kind in KEEP_WITH_NEXT:
                ppr.keepNext_val = True
            elif kind == "centered":
                ppr.jc_val = WD_ALIGN_PARAGRAPH.CENTER
            paragraph = Paragraph(p, document._body)
            if kind == "page_break":
                p.add_r().add_br().type = "page"
                continue
            runs = self.runs(paragraph, block["runs"])
            if block["comment"] and runs:
                document.add_comment(runs, text=block["comment"], author="tutorbargain")
        section = document.sections[0]
        if model["header"]:
            self.runs(section.header.paragraphs[0], model["header"])
        self.runs(section.footer.paragraphs[0], [*model["footer"], [" Page ", False, False]])
        document.core_properties.title = model["title"][:250]
        start = time.perf_counter()
        document.save(str(path))
        return time.perf_counter() - start

    @staticmethod
    def runs(
        paragraph: Paragraph, runs: Sequence[Sequence[Any]], *, bold: bool = False
    ) -> list[Any]:
        made = []
        for text, run_bold, placeholder in runs:
            r = paragraph._p.add_r()
            r.add_t(text)
            if run_bold or placeholder or bold:
                r.get_or_add_rPr().b_val = True
            if placeholder:
                r.get_or_add_rPr().highlight_val = WD_COLOR_INDEX.YELLOW
            made.append(Run(r, paragraph))
        return made

    def table(self, document: Any, table_model: dict[str, Any]) -> None:
        rows = table_model["rows"]
        if not rows:
            return
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        table._tbl.tblPr.append(parse_xml(f'<w:tblStyle {nsdecls("w")} w:val="TableGrid"/>'))
        for index, (row_model, row) in enumerate(zip(rows, table.rows, strict=True)):
            header = table_model["header"] and index == 0
            for cell_runs, cell in zip(row_model, row.cells, strict=False):
                self.runs(cell.paragraphs[0], cell_runs, bold=header)
