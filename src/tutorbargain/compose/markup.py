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

import functools
import re
from collections.abc import Sequence
from enum import Enum
from typing import NamedTuple

from tutorbargain.compose.model import Block, BlockKind, Document, Run, Table

ESC = "\ue000"
"""Private-use character that opens and closes spans; doubled inside a span when literal."""
DATA, PLACEHOLDER, COMMENT, ANCHOR, END = "d", "p", "c", "a", "e"
DEFINES = "f"
"""A span naming the abbreviation its block defines (see `model.Block.defines`)."""
NEWLINE = "n"
"""After ESC inside a span: a line break of the span's text (a comment's paragraphs), so that
every newline left in rendered text is one the template wrote."""


def span(kind: str, text: str) -> str:
    """Encode text as a span that the parser will treat as data, never as markup."""
    body = text.replace(ESC, ESC + ESC)
    if "\n" in body:
        body = body.replace("\n", ESC + NEWLINE)
    return f"{ESC}{kind}{body}{ESC}{END}"


_Piece = tuple[str, str]
"""A stretch of rendered text as (kind, text): kind is TEXT for literal template text, or
DATA / PLACEHOLDER / COMMENT / ANCHOR for a span. Plain tuples: a document has thousands."""
TEXT = "t"
_SPAN_KINDS = frozenset((DATA, PLACEHOLDER, COMMENT, ANCHOR, DEFINES))


def _pieces(line: str) -> list[_Piece]:
    """Split one line of rendered text into pieces.

    Whitespace in data collapses to single spaces, so an answer never starts a line of markup.
    """
    parts = line.split(ESC)
    if len(parts) % 2 and all(
        parts[i][:1] in _SPAN_KINDS and parts[i + 1][:1] == END for i in range(1, len(parts), 2)
    ):
        return _plain_spans(parts)
    return _escaped_pieces(line)


def _plain_spans(parts: list[str]) -> list[_Piece]:
    """The pieces of a line whose spans hold no marker of their own (nearly every line), from
    its text split on the marker: template text, then each span and the text after it."""
    pieces: list[_Piece] = [(TEXT, parts[0])] if parts[0] else []
    for i in range(1, len(parts), 2):
        opened, after = parts[i], parts[i + 1]
        kind, body = opened[0], opened[1:]
        pieces.append((kind, " ".join(body.split()) if kind == DATA else body))
        if len(after) > 1:
            pieces.append((TEXT, after[1:]))
    return pieces


def _escaped_pieces(line: str) -> list[_Piece]:
    """`_pieces` for a line with a marker inside a span (a doubled one, a span's line break)
    or a stray one: spans are found one by one with str.find."""
    pieces: list[_Piece] = []
    i, n = 0, len(line)
    while i < n:
        j = line.find(ESC, i)
        span = j >= 0 and line[j + 1 : j + 2] in _SPAN_KINDS
        # Template text up to the span; a stray marker stays in it rather than guess.
        stop = j if span else n if j < 0 else j + 1
        if stop > i:
            pieces.append((TEXT, line[i:stop]))
        i = stop
        if not span:
            continue
        kind, k = line[j + 1], j + 2
        m = line.find(ESC, k)
        if m >= 0 and line[m + 1 : m + 2] == END:
            body, i = line[k:m], m + 2  # the common span: no marker inside
        else:
            body, i = _span_body(line, k)
        pieces.append((kind, " ".join(body.split()) if kind == DATA else body))
    return pieces


def _span_body(source: str, k: int) -> tuple[str, int]:
    """A span's text from ``k`` to its end marker, undoing its escapes; and where the text
    after the span starts. A span left open runs to the end of the line."""
    chunks: list[str] = []
    n = len(source)
    while k < n:
        m = source.find(ESC, k)
        if m < 0:
            chunks.append(source[k:])
            return "".join(chunks), n
        chunks.append(source[k:m])
        follower = source[m + 1 : m + 2]
        if follower == END:
            return "".join(chunks), m + 2
        if follower == NEWLINE:
            chunks.append("\n")
            k = m + 2
            continue
        chunks.append(ESC)  # a doubled (escaped) marker, or a stray one
        k = m + 2 if follower == ESC else m + 1
    return "".join(chunks), k


_MARKERS = {
    "#. ": BlockKind.ARTICLE,
    "#+ ": BlockKind.SUBTITLE,
    "### ": BlockKind.HEADING2,
    "## ": BlockKind.HEADING1,
    "# ": BlockKind.TITLE,
    "§ ": BlockKind.SECTION,
    "- ": BlockKind.BULLET,
    "> ": BlockKind.NOTE,
    "^ ": BlockKind.CENTERED,
}
_MARKER = re.compile("|".join(map(re.escape, _MARKERS)) + r"|\d+\. ")
"""Any block marker, or a running number (``12. ``): one match a line, not one a marker."""
_HEADINGS = {
    BlockKind.TITLE,
    BlockKind.SUBTITLE,
    BlockKind.HEADING1,
    BlockKind.HEADING2,
    BlockKind.ARTICLE,
}


class _Does(Enum):
    """What a line of markup does to the document being built."""

    ANCHORS = "anchors"  # only anchors: they wait for the next block
    BLANK = "blank"  # ends the block
    ROW = "row"  # a table row
    DIRECTIVE = "directive"  # @header, @table ...
    START = "start"  # starts a block of `kind`
    MORE = "more"  # continues the block above, or starts a paragraph


class _Line(NamedTuple):
    """One line of markup, read: the same for every local whose documents hold it."""

    does: _Does
    pieces: tuple[_Piece, ...]
    """The line's pieces, less its leading anchors, its marker and a closing backslash."""
    anchors: tuple[_Piece, ...] = ()
    """Anchors that open the line: they belong to the block it starts or continues, so
    ``{{ anchor(id) }}- item`` is an item."""
    kind: BlockKind = BlockKind.PARAGRAPH
    breaks: bool = False
    """The line ends in a backslash: it keeps its line break."""


@functools.lru_cache(maxsize=1024)
def _read(line: str) -> _Line:
    """Read one line of rendered text. Cached: nearly every line of a local's documents is
    the template's own, the same for every local. The bound (the lines of a few locals'
    documents) keeps those that recur and a long batch's memory flat: a thousand locals hold
    some 20,000 distinct lines, most met once."""
    pieces = _pieces(line)
    lead = 0
    while lead < len(pieces) and pieces[lead][0] == ANCHOR:
        lead += 1
    anchors, pieces = tuple(pieces[:lead]), pieces[lead:]
    if not pieces:
        return _Line(_Does.ANCHORS if anchors else _Does.BLANK, (), anchors)
    if not _has_text(pieces):
        return _Line(_Does.BLANK, (), anchors)
    breaks = False
    kind, text = pieces[-1]
    if kind == TEXT and "\\" in text:
        text = text.rstrip()
        if text.endswith("\\"):
            pieces[-1] = (TEXT, text[:-1])
            breaks = True
    kind, text = pieces[0]
    if kind == TEXT:
        head = text.lstrip()
        pieces[0] = (TEXT, head)
        first = head[:1]
        if first == "|":
            return _Line(_Does.ROW, tuple(pieces), anchors, breaks=breaks)
        if first == "@":
            return _Line(_Does.DIRECTIVE, tuple(pieces), anchors, breaks=breaks)
        marker = _MARKER.match(head)
        if marker:
            pieces[0] = (TEXT, head[marker.end() :])
            starts = _MARKERS.get(marker.group(), BlockKind.NUMBER)
            return _Line(_Does.START, tuple(pieces), anchors, starts, breaks)
    return _Line(_Does.MORE, tuple(pieces), anchors, breaks=breaks)


class _Builder:
    def __init__(
        self, in_section: bool = False, table_style: str = "grid", pending: Sequence[_Piece] = ()
    ) -> None:
        self.doc = Document()
        self.block: list[_Piece] | None = None
        self.kind = BlockKind.PARAGRAPH
        self.in_section = in_section
        self.table_rows: list[tuple[_Piece, ...]] = []
        self.table_style = table_style
        self.joiner = " "
        self.pending: list[_Piece] = list(pending)
        """Anchors met at the start of a line, waiting for the block that line belongs to."""
        self.settings: dict[str, list[Run] | str] = {}
        """What the directives set for the whole document (header, footer, author)."""

    def flush(self) -> None:
        if self.table_rows:
            self._flush_table()
        if self.block is None:
            return
        runs, comments, anchors, defines = _inline(tuple(self.block))
        self.block = None
        kind = self.kind
        if kind is BlockKind.PARAGRAPH:
            if self.in_section:
                kind = BlockKind.CONTINUE
        elif kind is BlockKind.SECTION:
            self.in_section = True
        elif kind is BlockKind.BULLET:
            if self.in_section:
                kind = BlockKind.ITEM
        elif kind in _HEADINGS:
            self.in_section = False
        if runs or comments:
            if kind is BlockKind.TITLE and not self.doc.title:
                self.doc.title = "".join(run.text for run in runs)
            self.doc.blocks.append(
                Block(
                    kind,
                    list(runs),
                    comment="\n\n".join(comments) if comments else None,
                    anchor=anchors[0] if anchors else None,
                    defines=defines,
                )
            )

    def start(self, kind: BlockKind, pieces: list[_Piece]) -> None:
        self.flush()
        self.kind = kind
        self.block = pieces

    def add_line(self, line: _Line) -> None:
        """One line, read: anchors that open it wait for the block it starts or continues."""
        self.pending.extend(line.anchors)
        does = line.does
        if does is _Does.ANCHORS:
            return
        if does is _Does.BLANK:
            self.flush()
            return
        joiner, self.joiner = self.joiner, "\n" if line.breaks else " "
        if does is _Does.ROW:
            if self.block is not None:
                self.flush()
            self.table_rows.append(line.pieces)
            return
        if self.table_rows:
            self._flush_table()
        if does is _Does.DIRECTIVE:
            self._directive(list(line.pieces))
        elif does is _Does.START:
            self.start(line.kind, list(line.pieces))
        elif self.block is None:
            self.start(BlockKind.PARAGRAPH, list(line.pieces))
        else:
            self.block.append((TEXT, joiner))
            self.block.extend(line.pieces)
        if self.pending and self.block is not None:
            self.block.extend(self.pending)
            self.pending = []

    def _directive(self, pieces: list[_Piece]) -> None:
        self.flush()
        name, _, rest = pieces[0][1][1:].partition(" ")
        value = [(TEXT, rest), *pieces[1:]]
        if name in ("header", "footer"):
            self.settings[name] = _runs(value)
        elif name == "author":
            self.settings[name] = "".join(run.text for run in _runs(value))
        elif name == "pagebreak":
            self.in_section = False
            self.doc.blocks.append(Block(BlockKind.PAGE_BREAK))
        elif name == "table":
            self.table_style = rest.strip() or "grid"
        else:
            raise ValueError(f"unknown directive @{name}")

    def _flush_table(self) -> None:
        rows, header, align = _table(tuple(self.table_rows), self.table_style)
        table = Table(
            rows=[[list(cell) for cell in row] for row in rows],
            header=header,
            style=self.table_style,
            align=list(align),
        )
        self.doc.blocks.append(Block(BlockKind.TABLE, table=table))
        self.table_rows = []
        self.table_style = "grid"


_TableParts = tuple[tuple[tuple[tuple[Run, ...], ...], ...], bool, tuple[str, ...]]


@functools.lru_cache(maxsize=64)
def _table(lines: tuple[tuple[_Piece, ...], ...], style: str) -> _TableParts:
    """A table's rows of cells of runs, whether it has a header, and its columns' alignment.
    Cached: the answer boxes are the same in every local's documents (a few dozen tables
    recur; signature blocks and cost tables, naming the local, are met once)."""
    rows: list[list[tuple[Run, ...]]] = []
    header = False
    align: list[str] = []
    for line in lines:
        cells = _cells(line)
        rule = [_RULE.fullmatch(_plain(c)) for c in cells]
        if cells and all(rule):
            header = bool(rows)
            align = [_ALIGN[(m.group(1), m.group(2))] for m in rule if m]
            continue
        rows.append([_inline(tuple(cell))[0] for cell in cells])
    width = max((len(row) for row in rows), default=0)
    for row in rows:
        row.extend(() for _ in range(width - len(row)))
    if style == "grid" and "right" not in align and _money_column(rows, header):
        align = [*(align or ["left"] * width)[: width - 1], "right"]
    return tuple(tuple(row) for row in rows), header, tuple(align)


_RULE = re.compile(r"\s*(:?)-{3,}(:?)\s*")
"""A table's alignment row: ``|---|:---:|``; it marks the rows above as the header."""
_ALIGN = {("", ""): "left", (":", ""): "left", ("", ":"): "right", (":", ":"): "center"}
_AMOUNT = re.compile(r"-?\$[\d,]+(\.\d+)?|\[[^\]]*\]|")


def _money_column(rows: Sequence[Sequence[Sequence[Run]]], header: bool) -> bool:
    """True when every cell under the header in the last column is an amount (or a blank)."""
    cells = ["".join(r.text for r in row[-1]).strip() for row in rows[1 if header else 0 :] if row]
    return any(cells) and all(_AMOUNT.fullmatch(c) for c in cells)


def _has_text(pieces: Sequence[_Piece]) -> bool:
    return any(kind != TEXT or text.strip() for kind, text in pieces)


def _plain(pieces: Sequence[_Piece]) -> str:
    return "".join(text for _, text in pieces)


def _cells(line: Sequence[_Piece]) -> list[list[_Piece]]:
    """Split a table row on the | characters of template text only."""
    cells: list[list[_Piece]] = [[]]
    for kind, text in line:
        if kind != TEXT:
            cells[-1].append((kind, text))
            continue
        parts = text.split("|")
        for index, part in enumerate(parts):
            if index:
                cells.append([])
            if part:
                cells[-1].append((TEXT, part))
    # Drop the empty cells outside the first and last bars.
    if cells and not _has_text(cells[0]):
        cells = cells[1:]
    if cells and not _has_text(cells[-1]):
        cells = cells[:-1]
    return cells


def _runs(pieces: list[_Piece]) -> list[Run]:
    """The runs of a directive's text (a new list; the runs, which never change, are shared
    with every other text of the same pieces)."""
    return list(_inline(tuple(pieces))[0])


@functools.lru_cache(maxsize=1024)
def _inline(
    pieces: tuple[_Piece, ...],
) -> tuple[tuple[Run, ...], tuple[str, ...], tuple[str, ...], str | None]:
    """Inline pass: ``**`` toggles bold in template text; spans keep their kind. A block's
    runs, comments, anchors, and the abbreviation it defines (None: it defines none).

    Text of one look gathers in ``texts`` and becomes a `Run` only when the look changes,
    after spaces are tidied: most blocks make one or two runs from many pieces. Cached, with
    the same bound as `_read`: most blocks read the same in every local's documents.
    """
    looks: list[tuple[str, bool, bool]] = []  # (text, bold, placeholder), in order
    texts: list[str] = []  # the text so far of the look being gathered
    bold = gathering_bold = False
    last = ""  # the last character added, for the quote after it
    comments: list[str] = []
    anchors: list[str] = []
    defines: str | None = None

    def add(part: str) -> None:
        """Add non-empty text in the current look, closing the look gathered so far if the
        boldness changed."""
        nonlocal texts, gathering_bold, last
        if texts and gathering_bold != bold:
            looks.append(("".join(texts), gathering_bold, False))
            texts = []
        texts.append(part)
        gathering_bold = bold
        last = part[-1]

    for kind, text in pieces:
        if kind == TEXT:
            parts = text.split("**") if "**" in text else (text,)
            for index, part in enumerate(parts):
                if index:
                    bold = not bold
                if part:
                    add(typographic(part, last) if "'" in part or '"' in part else part)
        elif kind == DATA:
            if text:
                add(text)
        elif kind == PLACEHOLDER:
            if texts:
                looks.append(("".join(texts), gathering_bold, False))
                texts = []
            looks.append((f"[{text}]", bold, True))
            last = "]"
        elif kind == COMMENT:
            comments.append(text)
        elif kind == ANCHOR and text:
            anchors.append(text)
        elif kind == DEFINES and defines is None:
            defines = text
    if texts:
        looks.append(("".join(texts), gathering_bold, False))
    return tuple(_tidy_spaces(looks)), tuple(comments), tuple(anchors), defines


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
    return _typeset(text, _opens(before))


def typographic_once(text: str, before: str) -> str:
    """`typographic` for text made for one local (a selection reason naming its answers):
    not cached, so a batch's cache holds only words that recur in every local's documents."""
    if '"' not in text and "'" not in text:
        return text
    return _typeset.__wrapped__(text, _opens(before))


def _opens(before: str) -> bool:
    """Whether a quote mark after ``before`` opens a quotation."""
    return not before or before[-1] in _OPENS_AFTER


@functools.lru_cache(maxsize=1024)
def _typeset(text: str, opens: bool) -> str:
    """`typographic` for text whose first quote mark ``opens`` (or not) by what precedes it.

    Cached: the same template words recur in every local's documents, and of what came
    before only that one yes-or-no matters. A few hundred distinct texts fill a batch's
    documents; the bound keeps a long batch's memory flat.
    """
    marked = (" " if opens else "x") + text
    marked = _OPENING_DOUBLE.sub("\u201c", marked).replace('"', "\u201d")
    marked = _OPENING_SINGLE.sub("\u2018", marked).replace("'", "\u2019")
    return marked[1:]


_SPACES = re.compile(r"[ \t]+")
_AROUND_BREAK = re.compile(r"[ \t]*\n[ \t]*")


def _tidy_spaces(looks: list[tuple[str, bool, bool]]) -> list[Run]:
    """The runs of a block: runs of spaces collapsed across run edges, the ends trimmed,
    and runs left empty dropped."""
    runs: list[Run] = []
    previous_space = True
    for text, bold, placeholder in looks:
        if "\t" in text or "  " in text:
            text = _SPACES.sub(" ", text)
        if "\n" in text:
            text = _AROUND_BREAK.sub("\n", text)
        if previous_space and text[:1] == " ":
            text = text[1:]
        if text:
            previous_space = text[-1] in " \n"
            runs.append(Run(text, bold, placeholder))
    while runs:
        text = runs[-1].text.rstrip(" ")
        if text:
            runs[-1] = Run(text, runs[-1].bold, runs[-1].placeholder)
            break
        runs.pop()
    return runs


class _Chunk(NamedTuple):
    """What a stretch of markup between two empty lines adds to a document, and the state it
    leaves for the next: the same for every local whose documents hold that stretch."""

    blocks: tuple[Block, ...]
    """Blocks to copy, never to hand out: a script may change the document it is given."""
    title: str
    settings: tuple[tuple[str, list[Run] | str], ...]
    in_section: bool
    table_style: str
    pending: tuple[_Piece, ...]


@functools.lru_cache(maxsize=2048)
def _chunk(text: str, in_section: bool, table_style: str, pending: tuple[_Piece, ...]) -> _Chunk:
    """Read a stretch of lines with no empty line in it, given the state the stretch before
    left. Cached: most of a local's documents are stretches every local's documents hold, and
    reading them again line by line was half the cost of composing a local. The bound holds
    the stretches of several locals' documents, as those of a state's own clauses recur only
    every few locals; it fills within the first hundred, so a long batch's memory stays flat."""
    builder = _Builder(in_section, table_style, pending)
    blank = _Does.BLANK
    for part in text.split("\n"):
        line = _read(part)
        if line.does is blank and builder.block is None and not builder.table_rows:
            builder.pending.extend(line.anchors)  # nothing to end: the common blank line
        else:
            builder.add_line(line)
    builder.flush()  # the empty line after the stretch, or the end of the text
    return _Chunk(
        tuple(builder.doc.blocks),
        builder.doc.title,
        tuple(builder.settings.items()),
        builder.in_section,
        builder.table_style,
        tuple(builder.pending),
    )


def _copy(block: Block) -> Block:
    """A block of its own for one document (runs, which never change, are shared)."""
    table = block.table
    if table is not None:
        table = Table(
            rows=[[list(cell) for cell in row] for row in table.rows],
            header=table.header,
            style=table.style,
            align=list(table.align),
        )
    return Block(block.kind, list(block.runs), block.comment, table, block.anchor, block.defines)


def parse(source: str) -> Document:
    """Parse rendered template text into a `Document`."""
    doc = Document()
    in_section, table_style = False, "grid"
    pending: tuple[_Piece, ...] = ()
    for text in source.split("\n\n"):
        chunk = _chunk(text, in_section, table_style, pending)
        doc.blocks.extend(map(_copy, chunk.blocks))
        if chunk.title and not doc.title:
            doc.title = chunk.title
        for name, value in chunk.settings:
            if name == "author":
                doc.author = str(value)
            else:
                setattr(doc, name, list(value))
        in_section, table_style, pending = chunk.in_section, chunk.table_style, chunk.pending
    return doc
