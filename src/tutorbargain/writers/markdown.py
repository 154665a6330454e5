"""Write a `model.Document` as Markdown, numbered the way the Word file numbers it.

For reading in a browser, an email or a git diff. User text is escaped, so a district called
"*Best* #1" stays words; placeholders are bold, like ``**[VENDOR RATE]**``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tutorbargain.compose.model import Block, BlockKind, Document, Run

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#&~])")
_LINE_START = re.compile(r"^(\s*)([-+>]|\d+[.)])(\s)")


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _inline(runs: Iterable[Run]) -> str:
    out: list[str] = []
    for run in runs:
        text = _escape(run.text)
        if run.placeholder:
            out.append(f"**{text}**")
        elif run.bold and text.strip():
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            out.append(f"{lead}**{text.strip()}**{trail}")
        else:
            out.append(text)
    line = "".join(out).replace("\n", "  \n")
    return _LINE_START.sub(r"\1\\\2\3", line)


def _letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(97 + rest) + letters
    return letters


def write_markdown(doc: Document) -> str:
    """The Markdown text of ``doc``."""
    lines: list[str] = []
    article = section = item = number = 0

    def add(text: str) -> None:
        lines.append(text)
        lines.append("")

    for block in doc.blocks:
        kind = block.kind
        text = _inline(block.runs)
        if kind is BlockKind.TITLE:
            add(f"# {text}")
        elif kind is BlockKind.SUBTITLE:
            add(f"*{text}*")
        elif kind is BlockKind.HEADING1:
            add(f"## {text}")
        elif kind is BlockKind.HEADING2:
            add(f"### {text}")
        elif kind is BlockKind.ARTICLE:
            article, section = article + 1, 0
            add(f"## Article {article}. {text}")
        elif kind is BlockKind.SECTION:
            section, item = section + 1, 0
            label = f"{article}.{section}" if article else f"{section}."
            add(f"**{label}** {text}")
        elif kind is BlockKind.ITEM:
            item += 1
            add(f"    ({_letter(item)}) {text}")
        elif kind is BlockKind.CONTINUE:
            add(f"    {text}")
        elif kind is BlockKind.BULLET:
            lines.append(f"- {text}")
        elif kind is BlockKind.NUMBER:
            number += 1
            add(f"{number}. {text}")
        elif kind is BlockKind.NOTE:
            add(f"> {text}")
        elif kind is BlockKind.TABLE:
            add(_table(block))
        elif kind is BlockKind.PAGE_BREAK:
            add("---")
        else:
            add(text)
    if doc.footer:
        add(f"*{_inline(doc.footer)}*")
    return "\n".join(_tidy(lines)).rstrip() + "\n"


def _tidy(lines: list[str]) -> list[str]:
    """No more than one blank line in a row; a bullet list ends with a blank line."""
    out: list[str] = []
    for line in lines:
        if out and out[-1].startswith("- ") and line and not line.startswith("- "):
            out.append("")
        if line == "" and out and out[-1] == "":
            continue
        out.append(line)
    return out


def _table(block: Block) -> str:
    table = block.table
    assert table is not None
    if table.style == "answer":
        label = " ".join(_inline(cell) for row in table.rows for cell in row if cell)
        return f"{label} ______________________________________________"
    rows = [[_inline(cell) or " " for cell in row] for row in table.rows]
    width = max(len(row) for row in rows)
    if not table.header:
        rows.insert(0, [" "] * width)
    rows.insert(1, ["---"] * width)
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)
