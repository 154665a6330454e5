"""Where the question list's pages will break, estimated, so each page's answer boxes can share
the room left at its foot instead of leaving it blank.

A question, its "why" and its box are kept on one page, so a page ends where the next whole
question does not fit: up to a fifth of the page would be left blank. Here the writer lays the
list out as Word and LibreOffice will (Times New Roman's widths, the own styles' sizes and
spacing, greedy line breaks at spaces) and, on each page that ends after a box, makes that
page's boxes taller by an equal share of what is left. The estimate errs on the long side
(every gap counted in full, breaks only at spaces) and leaves a line's worth unfilled, so a
page it misjudges a little still ends with its last box instead of pushing it over.

Only a document in the writer's own styles is laid out: under a local's letterhead the fonts,
sizes and margins are the letterhead's, unknown here, and every box stays one inch.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from tutorbargain.compose.model import Block, BlockKind, Run
from tutorbargain.writers.word.body import keeps_with_next
from tutorbargain.writers.word.tables import ANSWER_BOX_HEIGHT

PAGE_HEIGHT = 12960
"""Twips between the 1-inch top and bottom margins of a Letter page (parts.OWN_SECTION)."""
ROOM_LEFT = 360
"""Twips (a line and a quarter) each page keeps unfilled, for what the estimate misjudges."""
LINE = 1.15 * 1.1
"""A line, in ems: Times New Roman's own line height (1.15 em) at the styles' 1.1 spacing."""
TABLE_LINE = 1.15
"""A line in a table cell (Table Grid sets single spacing)."""

_CHARS = "".join(map(chr, range(32, 127))) + "‘’“”–—·…§•é"
_REGULAR = (
    "250 333 408 500 500 833 778 180 333 333 500 564 250 333 250 278 500 500 500 500 500 500 "
    "500 500 500 500 278 278 564 564 564 444 921 722 667 667 722 611 556 722 722 333 389 722 "
    "611 889 722 722 556 722 667 556 611 722 722 944 722 722 611 333 278 333 469 500 333 444 "
    "500 444 500 444 333 500 500 278 278 500 278 778 500 500 500 500 333 389 278 500 500 722 "
    "500 500 444 480 200 480 541 333 333 444 444 500 1000 333 1000 500 350 444"
)
_ITALIC = (
    "250 333 420 500 500 833 778 214 333 333 500 675 250 333 250 278 500 500 500 500 500 500 "
    "500 500 500 500 333 333 675 675 675 500 920 611 611 667 722 611 611 722 722 333 444 667 "
    "556 833 667 722 611 722 611 500 556 722 611 833 611 556 556 389 278 389 422 500 333 500 "
    "500 444 500 444 278 500 500 278 278 444 278 722 500 500 500 500 389 389 278 500 444 667 "
    "444 444 389 400 275 400 541 333 333 556 556 500 889 250 889 500 350 444"
)
_BOLD = (
    "250 333 555 500 500 1000 833 278 333 333 500 570 250 333 250 278 500 500 500 500 500 500 "
    "500 500 500 500 333 333 570 570 570 500 930 722 667 722 722 667 611 778 778 389 500 778 "
    "667 944 722 778 611 778 722 556 667 722 722 1000 722 722 667 333 278 333 581 500 333 500 "
    "556 444 556 444 333 500 556 278 333 556 278 833 556 500 556 556 444 389 333 556 500 722 "
    "500 500 444 394 220 394 520 333 333 500 500 500 1000 333 1000 500 350 444"
)
WIDTHS = {
    style: dict(zip(_CHARS, (int(w) for w in table.split()), strict=True))
    for style, table in (("regular", _REGULAR), ("italic", _ITALIC), ("bold", _BOLD))
}
"""Thousandths of an em: Times New Roman's advance widths (the same as Adobe's Times-Roman
metrics, and as Liberation Serif, which LibreOffice uses in its place)."""
WIDEST = 1000
"""A character not in the table is counted as wide as an em, so a line is never underrated."""


@dataclass(frozen=True)
class _Style:
    size: float
    """Points."""
    before: int
    after: int
    """Twips."""
    indent: int = 0
    """Twips in from the left margin."""
    bold: bool = False
    italic: bool = False


_STYLES = {
    BlockKind.TITLE: _Style(18, 0, 80, bold=True),
    BlockKind.SUBTITLE: _Style(12.5, 0, 280),
    BlockKind.HEADING1: _Style(13, 320, 120, bold=True),
    BlockKind.HEADING2: _Style(12, 200, 80, bold=True),
    BlockKind.NUMBER: _Style(11.5, 0, 120, indent=540),
    BlockKind.PARAGRAPH: _Style(11.5, 0, 120),
    BlockKind.NOTE: _Style(10, 0, 120, indent=540, italic=True),
}
"""What styles.py gives each kind of block the question list uses."""
_BOX_INDENT = 540 + 2 * 108
"""The box's indent under the question number and its cell's left and right margins."""
_CELL_SPACING = 80
"""Table Grid's 2 points above and below a cell's paragraph."""
AFTER_TABLE = 160
"""The space before the paragraph that follows a table (body.py)."""


def text_width(text: str, size: float, *, bold: bool = False, italic: bool = False) -> float:
    """The width of ``text`` in twips at ``size`` points."""
    return _units(text, "bold" if bold else "italic" if italic else "regular") * size * 20 / 1000


@functools.lru_cache(maxsize=2048)
def _units(word: str, face: str) -> int:
    """A word's width in thousandths of an em; cached, since the same words fill every
    local's question list (a batch measured each word's letters again for every row). A
    hundred locals' lists hold about 2,000 distinct words: the bound keeps a long batch's
    memory flat while the words every list shares stay cached."""
    widths = WIDTHS[face]
    return sum(widths.get(c, WIDEST) for c in word)


def line_count(runs: Sequence[Run], width: int, style: _Style) -> int:
    """How many lines the runs fill in ``width`` twips, breaking only at spaces."""
    return _lines(tuple((run.text, run.bold) for run in runs), width, style)


@functools.lru_cache(maxsize=1024)
def _lines(runs: tuple[tuple[str, bool], ...], width: int, style: _Style) -> int:
    """`line_count` of the runs' words; cached, as most questions read the same in every
    local's list (bounded: a question naming a local's answers is met once)."""
    scale = style.size * 20 / 1000
    words: list[float] = []
    for text, bold in runs:
        face = "bold" if style.bold or bold else "italic" if style.italic else "regular"
        for index, word in enumerate(text.split(" ")):
            w = _units(word, face) * scale
            if index == 0 and words:
                words[-1] += w  # a run that starts mid-word continues it
            else:
                words.append(w)
    space = text_width(" ", style.size, italic=style.italic)
    lines, used = 1, -space
    for w in words:
        if used + space + w > width and used > 0:
            lines, used = lines + 1, w
        else:
            used += space + w
    return lines


@dataclass
class _Piece:
    """One block as the layout sees it."""

    before: int
    height: int
    """Its lines (or the box), without the space around it."""
    after: int
    line: int
    """One line's height, for a paragraph that may break across pages (0: it may not)."""
    keep_next: bool
    box: bool = False


def _pieces(blocks: Sequence[Block], text_width_: int) -> list[_Piece] | None:
    """The blocks as pieces, or None for a block the estimate cannot lay out."""
    pieces: list[_Piece] = []
    after_table = False
    for index, block in enumerate(blocks):
        following = blocks[index + 1].kind if index + 1 < len(blocks) else None
        if block.kind is BlockKind.TABLE:
            if block.table is None or block.table.style != "answer" or len(block.table.rows) != 1:
                return None
            cell = _Style(11.5, 0, 0)
            lines = max(
                line_count(runs, text_width_ - _BOX_INDENT, cell) for runs in block.table.rows[0]
            )
            inside = round(lines * TABLE_LINE * cell.size * 20) + 2 * _CELL_SPACING
            pieces.append(_Piece(0, max(ANSWER_BOX_HEIGHT, inside), 0, 0, False, box=True))
            after_table = True
            continue
        style = _STYLES.get(block.kind)
        if style is None:
            return None
        lines = line_count(block.runs, text_width_ - style.indent, style)
        line = round(LINE * style.size * 20)
        keep = keeps_with_next(block.kind, following)
        keep_lines = keep or block.kind in (BlockKind.TITLE, BlockKind.SUBTITLE)
        before = AFTER_TABLE if after_table else style.before
        pieces.append(_Piece(before, lines * line, style.after, 0 if keep_lines else line, keep))
        after_table = False
    return pieces


def _chains(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Pieces kept on one page together: each kept with the next, up to one that is not."""
    chains: list[list[_Piece]] = [[]]
    for piece in pieces:
        chains[-1].append(piece)
        if not piece.keep_next:
            chains.append([])
    return [chain for chain in chains if chain]


def _height(chain: list[_Piece]) -> int:
    """A chain's height with every gap counted in full (the estimate's long side)."""
    return sum(p.before + p.height + p.after for p in chain)


def box_heights(blocks: Sequence[Block], text_width_: int) -> dict[int, int] | None:
    """Each answer box's height in twips, by its block's index; None if the list cannot be
    laid out here (then every box stays one inch).

    A page's boxes share what the page leaves below its last box, less `ROOM_LEFT`; the boxes
    of the last page, and of a page that ends with text running over, stay one inch.
    """
    pieces = _pieces(blocks, text_width_)
    if pieces is None:
        return None
    indexes = [i for i, b in enumerate(blocks) if b.kind is BlockKind.TABLE]
    boxes = iter(indexes)
    box_of = {id(p): next(boxes) for p in pieces if p.box}
    pages: list[tuple[list[_Piece], int]] = []
    page: list[_Piece] = []
    used = 0
    for chain in _chains(pieces):
        height = _height(chain)
        if height > PAGE_HEIGHT:
            return None
        if used + height <= PAGE_HEIGHT:
            page.extend(chain)
            used += height
            continue
        last = chain[-1] if len(chain) == 1 else None
        if last is not None and last.line:
            # A paragraph running over: the lines that fit (two at least) stay, the rest go.
            room = (PAGE_HEIGHT - used - last.before) // last.line
            lines = last.height // last.line
            if room >= 2 and lines - room >= 2:
                pages.append((page, 0))  # ends in text: nothing to share
                page, used = [last], (lines - room) * last.line + last.after
                continue
        pages.append((page, PAGE_HEIGHT - used))
        page, used = list(chain), height
    heights = {box_of[id(p)]: p.height for p in pieces if p.box}
    for page, left in pages:
        on_page = [p for p in page if p.box]
        if not on_page or not page[-1].box or left <= ROOM_LEFT:
            continue
        share = (left - ROOM_LEFT) // len(on_page)
        for piece in on_page:
            heights[box_of[id(piece)]] += share
    return heights
