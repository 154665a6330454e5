"""Tables in Word: the District's answer boxes, the signature block and grids, at fixed widths
that fill the text column, so Word and LibreOffice lay them out the same.
"""

from __future__ import annotations

from tutorbargain.compose.model import Table
from tutorbargain.writers.word.markup import runs_xml

ANSWER_BOX_HEIGHT = 1440
"""Twips (one inch): room for the District to write a few lines by hand."""
COLUMN_SHARES = {1: (1.0,), 2: (0.5, 0.5), 3: (0.28, 0.5, 0.22)}
"""Each column's share of the width, by column count (any other count shares it evenly)."""


def table_xml(
    table: Table, text_width: int, box_height: int = ANSWER_BOX_HEIGHT
) -> tuple[str, int]:
    """The table as a <w:tbl> (or "" for one with no rows), and the words in its cells.

    ``box_height`` is an answer box's least height: one inch, or more where the box shares the
    room left at its page's foot (`pages`)."""
    if not table.rows:
        return "", 0
    columns = max(len(row) for row in table.rows)
    words = 0
    indent = 540 if table.style == "answer" else 0
    width = text_width - indent
    shares = COLUMN_SHARES.get(columns, tuple(1 / columns for _ in range(columns)))
    widths = [int(width * share) for share in shares]
    props = '<w:tblStyle w:val="TableGrid"/>' if table.style in ("grid", "answer") else ""
    props += f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
    if indent:
        # Line the box up under the question text, not the question number.
        props += f'<w:tblInd w:w="{indent}" w:type="dxa"/>'
    props += '<w:tblLayout w:type="fixed"/>'
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    aligns = [table.align[c] if c < len(table.align) else "left" for c in range(columns)]
    rows = []
    for index, row in enumerate(table.rows):
        header = table.header and index == 0
        row_props = "<w:cantSplit/>"
        if header:
            row_props += "<w:tblHeader/>"
        if table.style == "answer":
            row_props += f'<w:trHeight w:val="{box_height}" w:hRule="atLeast"/>'
        elif table.style == "signature" and index > 0:
            row_props += '<w:trHeight w:val="500" w:hRule="atLeast"/>'
        # A signature block is never split across pages: each row keeps with the next.
        keep = table.style == "signature" and index < len(table.rows) - 1
        cells = []
        for column in range(columns):
            runs = row[column] if column < len(row) else []
            ppr = "<w:keepNext/>" if keep else ""
            if aligns[column] != "left" and not header:
                ppr += f'<w:jc w:val="{aligns[column]}"/>'
            cells.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{widths[column]}" w:type="dxa"/></w:tcPr>'
                f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}"
                f"{runs_xml(runs, bold=header)}</w:p></w:tc>"
            )
            words += sum(len(r.text.split()) for r in runs)
        rows.append(f"<w:tr><w:trPr>{row_props}</w:trPr>{''.join(cells)}</w:tr>")
    return (
        f"<w:tbl><w:tblPr>{props}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>",
        words,
    )
