"""The one document model every writer reads: blocks of runs, a header and a footer.

Templates render to markup, `markup.parse` turns markup into this model, and the .docx and
Markdown writers each turn the model into a file. Nothing here knows about Word or Jinja.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class BlockKind(str, Enum):
    TITLE = "title"
    SUBTITLE = "subtitle"
    HEADING1 = "heading1"
    HEADING2 = "heading2"
    ARTICLE = "article"
    """A numbered article heading: Article 1, Article 2 ..."""
    SECTION = "section"
    """A numbered clause inside an article: 1.1, 1.2 ..."""
    ITEM = "item"
    """A lettered item inside a section: (a), (b) ..."""
    CONTINUE = "continue"
    """A further paragraph of a section, indented under it."""
    BULLET = "bullet"
    NUMBER = "number"
    """An item of the document's one running numbered list (the impact questions)."""
    PARAGRAPH = "paragraph"
    NOTE = "note"
    CENTERED = "centered"
    TABLE = "table"
    PAGE_BREAK = "page_break"


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text with one look. A placeholder marks an unknown answer to fill in.

    Frozen: the parser hands the same runs to every block that reads the same."""

    text: str
    bold: bool = False
    placeholder: bool = False


@dataclass
class Table:
    rows: list[list[list[Run]]]
    header: bool = False
    style: str = "grid"
    """grid (every border), signature (lines to sign on), answer (a box to write in)."""
    align: list[str] = field(default_factory=list)
    """Per column: "left", "right" or "center" (missing columns are left); amounts go right."""


@dataclass
class Block:
    kind: BlockKind
    runs: list[Run] = field(default_factory=list)
    comment: str | None = None
    table: Table | None = None
    anchor: str | None = None
    """The id of the clause, article or question this block prints (a hidden bookmark in Word),
    so a later comparison can find the block again after the team edits the file."""
    defines: str | None = None
    """In a document with no definitions clause: the abbreviation this block defines ("ESP"),
    or "" for the words that lead into the definitions. Composing keeps a definition only
    where the rest of the document uses its abbreviation (`documents.keep_used_definitions`)."""

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)
    header: list[Run] = field(default_factory=list)
    footer: list[Run] = field(default_factory=list)
    title: str = ""
    author: str = ""
    """Who the file says wrote it (the local); empty means the local named in the subtitle."""

    def placeholders(self) -> list[str]:
        """Every distinct placeholder in reading order, for the "fill these in" list."""
        seen: dict[str, None] = {}
        for block in self.blocks:
            for run in all_runs(block):
                if run.placeholder:
                    seen.setdefault(run.text, None)
        return list(seen)

    def text(self) -> str:
        """All the words, one block a line (for tests and previews)."""
        lines: list[str] = []
        for block in self.blocks:
            if block.table is not None:
                for row in block.table.rows:
                    lines.append(" | ".join("".join(r.text for r in cell) for cell in row))
            else:
                lines.append(block.text)
        return "\n".join(lines)


def all_runs(block: Block) -> list[Run]:
    """Every run of a block: its own, or its table's cells'."""
    if block.table is None:
        return block.runs
    return [run for row in block.table.rows for cell in row for run in cell]
