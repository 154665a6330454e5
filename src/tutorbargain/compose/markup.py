"""The small markup that templates write, and its parser into the document model.

Templates are Jinja text; what they print from answers or clause files arrives wrapped in
*data spans* (see `templating`), so only the template's own words can start a heading or a
table. A user's district called "# Local | 1" is just text.

Block markers, at the start of a line of template text:

    # Title              #+ Subtitle          ## Heading           ### Subheading
    #. Numbered article  § Numbered section   - Item ((a) under a section, else a bullet)
    1. Running number    > Note (small, italic)   ^ Centered line      | table | row |
    @header text         @footer text         @table grid|signature|answer   @pagebreak
    @author text (who the Word file says wrote it)

A blank line ends a block; other lines continue the block above (a line ending in a
backslash keeps its line break, for addresses). ``**bold**`` inside template text.
Placeholders, comments and anchors (a block's clause or question id) come from template
helpers, not from markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tutorbargain.compose.model import Block, BlockKind, Document, Run, Table

ESC = "\ue000"
"""Private-use character that opens and closes spans; doubled inside a span when literal."""
DATA, PLACEHOLDER, COMMENT, ANCHOR, END = "d", "p", "c", "a", "e"


def span(kind: str, text: str) -> str:
    """Encode text as a span that the parser will treat as data, never as markup."""
    return f"{ESC}{kind}{text.replace(ESC, ESC + ESC)}{ESC}{END}"


@dataclass
class _Piece:
    """A stretch of rendered text: literal template text, or a data/placeholder/comment span."""

    kind: str  # "t" literal text, or DATA / PLACEHOLDER / COMMENT / ANCHOR
    text: str


def _pieces(source: str) -> list[_Piece]:
    """Split rendered text into template text and spans (found with str.find: it is hot)."""
    pieces: list[_Piece] = []
    i, n = 0, len(source)
    while i < n:
        j = source.find(ESC, i)
        if j < 0:
            pieces.append(_Piece("t", source[i:]))
            break
        kind = source[j + 1] if j + 1 < n else ""
        if kind not in (DATA, PLACEHOLDER, COMMENT, ANCHOR):
            # A stray marker in template text: keep it as text rather than guess.
            pieces.append(_Piece("t", source[i : j + 1]))
            i = j + 1
            continue
        if j > i:
            pieces.append(_Piece("t", source[i:j]))
        k, chunks = j + 2, []
        while k < n:
            m = source.find(ESC, k)
            if m < 0:
                chunks.append(source[k:])
                k = n
                break
            chunks.append(source[k:m])
            follower = source[m + 1] if m + 1 < n else ""
            if follower == END:
                k = m + 2
                break
            chunks.append(ESC)  # a doubled (escaped) marker, or a stray one
            k = m + 2 if follower == ESC else m + 1
        pieces.append(_Piece(kind, "".join(chunks)))
        i = k
    return pieces


def _lines(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Split on newlines that are in template text; newlines in data are spaces."""
    lines: list[list[_Piece]] = [[]]
    for piece in pieces:
        if piece.kind != "t":
            text = " ".join(piece.text.split()) if piece.kind == DATA else piece.text
            lines[-1].append(_Piece(piece.kind, text))
            continue
        parts = piece.text.split("\n")
        for index, part in enumerate(parts):
            if index:
                lines.append([])
            if part:
                lines[-1].append(_Piece("t", part))
    return lines


_MARKERS: list[tuple[str, BlockKind]] = [
    ("#. ", BlockKind.ARTICLE),
    ("#+ ", BlockKind.SUBTITLE),
    ("### ", BlockKind.HEADING2),
    ("## ", BlockKind.HEADING1),
    ("# ", BlockKind.TITLE),
    ("§ ", BlockKind.SECTION),
    ("- ", BlockKind.BULLET),
    ("> ", BlockKind.NOTE),
    ("^ ", BlockKind.CENTERED),
]
_NUMBER = re.compile(r"^\d+\. ")
_HEADINGS = {
    BlockKind.TITLE,
    BlockKind.SUBTITLE,
    BlockKind.HEADING1,
    BlockKind.HEADING2,
    BlockKind.ARTICLE,
}


class _Builder:
    def __init__(self) -> None:
        self.doc = Document()
        self.block: list[_Piece] | None = None
        self.kind = BlockKind.PARAGRAPH
        self.in_section = False
        self.table_rows: list[list[_Piece]] = []
        self.table_style = "grid"
        self.joiner = " "
        self.pending: list[_Piece] = []
        """Anchors met at the start of a line, waiting for the block that line belongs to."""

    def flush(self) -> None:
        if self.table_rows:
            self._flush_table()
        if self.block is None:
            return
        runs, comments, anchors = _runs(self.block)
        kind = self.kind
        if kind in _HEADINGS:
            self.in_section = False
        elif kind is BlockKind.SECTION:
            self.in_section = True
        elif kind is BlockKind.BULLET and self.in_section:
            kind = BlockKind.ITEM
        elif kind is BlockKind.PARAGRAPH and self.in_section:
            kind = BlockKind.CONTINUE
        if runs or comments:
            text = "".join(run.text for run in runs)
            if kind is BlockKind.TITLE and not self.doc.title:
                self.doc.title = text
            self.doc.blocks.append(
                Block(
                    kind,
                    runs,
                    comment="\n\n".join(comments) if comments else None,
                    anchor=anchors[0] if anchors else None,
                )
            )
        self.block = None

    def start(self, kind: BlockKind, pieces: list[_Piece]) -> None:
        self.flush()
        self.kind = kind
        self.block = pieces

    def add_line(self, pieces: list[_Piece]) -> None:
        """One line; anchors that open it belong to the block the line starts or continues,
        so ``{{ anchor(id) }}- item`` is still an item."""
        lead = 0
        while lead < len(pieces) and pieces[lead].kind == ANCHOR:
            lead += 1
        if lead:
            self.pending.extend(pieces[:lead])
            if lead == len(pieces):
                return
            pieces = pieces[lead:]
        self._add_line(pieces)
        if self.pending and self.block is not None:
            self.block.extend(self.pending)
            self.pending = []

    def _add_line(self, pieces: list[_Piece]) -> None:
        if not _has_text(pieces):
            self.flush()
            return
        joiner, self.joiner = self.joiner, " "
        last = pieces[-1]
        if last.kind == "t" and last.text.rstrip().endswith("\\"):
            pieces = [*pieces[:-1], _Piece("t", last.text.rstrip()[:-1])]
            self.joiner = "\n"
        first = pieces[0]
        if first.kind == "t":
            head = first.text.lstrip()
            pieces = [_Piece("t", head), *pieces[1:]]
            if head.startswith("|"):
                if self.block is not None:
                    self.flush()
                self.table_rows.append(pieces)
                return
            if self.table_rows:
                self._flush_table()
            if head.startswith("@"):
                self._directive(pieces)
                return
            for marker, kind in _MARKERS:
                if head.startswith(marker):
                    self.start(kind, [_Piece("t", head[len(marker) :]), *pieces[1:]])
                    return
            number = _NUMBER.match(head)
            if number:
                self.start(BlockKind.NUMBER, [_Piece("t", head[number.end() :]), *pieces[1:]])
                return
        if self.table_rows:
            self._flush_table()
        if self.block is None:
            self.start(BlockKind.PARAGRAPH, pieces)
        else:
            self.block.extend([_Piece("t", joiner), *pieces])

    def _directive(self, pieces: list[_Piece]) -> None:
        self.flush()
        name, _, rest = pieces[0].text[1:].partition(" ")
        value = [_Piece("t", rest), *pieces[1:]]
        if name == "header":
            self.doc.header = _runs(value)[0]
        elif name == "footer":
            self.doc.footer = _runs(value)[0]
        elif name == "author":
            self.doc.author = "".join(run.text for run in _runs(value)[0])
        elif name == "pagebreak":
            self.in_section = False
            self.doc.blocks.append(Block(BlockKind.PAGE_BREAK))
        elif name == "table":
            self.table_style = rest.strip() or "grid"
        else:
            raise ValueError(f"unknown directive @{name}")

    def _flush_table(self) -> None:
        rows: list[list[list[Run]]] = []
        header = False
        align: list[str] = []
        for line in self.table_rows:
            cells = _cells(line)
            rule = [re.fullmatch(r"\s*(:?)-{3,}(:?)\s*", _plain(c)) for c in cells]
            if cells and all(rule):
                header = bool(rows)
                align = [_ALIGN[(m.group(1), m.group(2))] for m in rule if m]
                continue
            rows.append([_runs(cell)[0] for cell in cells])
        width = max((len(row) for row in rows), default=0)
        for row in rows:
            row.extend([] for _ in range(width - len(row)))
        if self.table_style == "grid" and "right" not in align and _money_column(rows, header):
            align = [*(align or ["left"] * width)[: width - 1], "right"]
        self.doc.blocks.append(
            Block(
                BlockKind.TABLE,
                table=Table(rows=rows, header=header, style=self.table_style, align=align),
            )
        )
        self.table_rows = []
        self.table_style = "grid"


_ALIGN = {("", ""): "left", (":", ""): "left", ("", ":"): "right", (":", ":"): "center"}
_AMOUNT = re.compile(r"-?\$[\d,]+(\.\d+)?|\[[^\]]*\]|")


def _money_column(rows: list[list[list[Run]]], header: bool) -> bool:
    """True when every cell under the header in the last column is an amount (or a blank)."""
    cells = ["".join(r.text for r in row[-1]).strip() for row in rows[1 if header else 0 :] if row]
    return any(cells) and all(_AMOUNT.fullmatch(c) for c in cells)


def _has_text(pieces: list[_Piece]) -> bool:
    return any(p.kind != "t" or p.text.strip() for p in pieces)


def _plain(pieces: list[_Piece]) -> str:
    return "".join(p.text for p in pieces)


def _cells(line: list[_Piece]) -> list[list[_Piece]]:
    """Split a table row on the | characters of template text only."""
    cells: list[list[_Piece]] = [[]]
    for piece in line:
        if piece.kind != "t":
            cells[-1].append(piece)
            continue
        parts = piece.text.split("|")
        for index, part in enumerate(parts):
            if index:
                cells.append([])
            if part:
                cells[-1].append(_Piece("t", part))
    # Drop the empty cells outside the first and last bars.
    if cells and not _has_text(cells[0]):
        cells = cells[1:]
    if cells and not _has_text(cells[-1]):
        cells = cells[:-1]
    return cells


def _runs(pieces: list[_Piece]) -> tuple[list[Run], list[str], list[str]]:
    """Inline pass: ``**`` toggles bold in template text; spans keep their kind."""
    runs: list[Run] = []
    comments: list[str] = []
    anchors: list[str] = []
    bold = False

    def add(text: str, *, placeholder: bool = False) -> None:
        if not text:
            return
        last = runs[-1] if runs else None
        if last and last.bold == bold and last.placeholder == placeholder and not placeholder:
            last.text += text
        else:
            runs.append(Run(text, bold=bold, placeholder=placeholder))

    for piece in pieces:
        if piece.kind == COMMENT:
            comments.append(piece.text)
        elif piece.kind == ANCHOR:
            if piece.text:
                anchors.append(piece.text)
        elif piece.kind == PLACEHOLDER:
            add(f"[{piece.text}]", placeholder=True)
        elif piece.kind == DATA:
            add(piece.text)
        else:
            parts = piece.text.split("**")
            for index, part in enumerate(parts):
                if index:
                    bold = not bold
                add(typographic(part, runs[-1].text[-1:] if runs else ""))
    _tidy_spaces(runs)
    return [run for run in runs if run.text], comments, anchors


_OPENS_AFTER = " \t\n([{/\u2013\u2014\u201c\u2018-"
"""Characters after which a quote mark opens a quotation rather than closing one."""
_OPENING_DOUBLE = re.compile(f'(?<=[{re.escape(_OPENS_AFTER)}])"')
_OPENING_SINGLE = re.compile(f"(?<=[{re.escape(_OPENS_AFTER)}])'")


def typographic(text: str, before: str) -> str:
    """The template's own straight quotes and apostrophes as a typesetter would set them.

    Only template and clause text comes here: a user's answers stay as typed. ``before`` is
    the character printed just before ``text`` (an answer's last letter, say), so the quote
    after ``"{{ program name }}`` closes.
    """
    if '"' not in text and "'" not in text:
        return text
    marked = (before[-1:] or " ") + text
    marked = _OPENING_DOUBLE.sub("\u201c", marked).replace('"', "\u201d")
    marked = _OPENING_SINGLE.sub("\u2018", marked).replace("'", "\u2019")
    return marked[1:]


_SPACES = re.compile(r"[ \t]+")
_AROUND_BREAK = re.compile(r"[ \t]*\n[ \t]*")


def _tidy_spaces(runs: list[Run]) -> None:
    """Collapse runs of spaces across run edges and trim the block's ends."""
    previous_space = True
    for run in runs:
        text = run.text
        if "\t" in text or "  " in text:
            text = _SPACES.sub(" ", text)
        if "\n" in text:
            text = _AROUND_BREAK.sub("\n", text)
        if previous_space and text.startswith(" "):
            text = text[1:]
        if text:
            previous_space = text.endswith((" ", "\n"))
        run.text = text
    for run in reversed(runs):
        run.text = run.text.rstrip(" ")
        if run.text:
            break


def parse(source: str) -> Document:
    """Parse rendered template text into a `Document`."""
    builder = _Builder()
    for line in _lines(_pieces(source)):
        builder.add_line(line)
    builder.flush()
    return builder.doc
