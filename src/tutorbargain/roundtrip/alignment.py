"""Match two runs of blocks (paragraphs and tables) for a redline.

Blocks are matched by anchor (the hidden bookmark tutorbargain puts on every clause) where both
sides have the same one once, otherwise by their text; inside a stretch that differs, alike
paragraphs are paired as changed, so a reworded clause shows its edits rather than a delete
and an insert.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from tutorbargain.roundtrip.wordfile import Block

SIMILAR = 0.5
"""How alike two paragraphs must be (difflib ratio) to be shown as one changed paragraph."""


def align(old: list[Block], new: list[Block]) -> Iterator[tuple[str, Block | None, Block | None]]:
    """Pairs (kind, old, new): equal, changed, removed (old only) or added (new only)."""
    new_anchors = _unique_anchors(new)
    old_anchors = _unique_anchors(old)
    shared = new_anchors & old_anchors

    def key(block: Block) -> str:
        if block.anchor in shared:
            return "A\0" + block.anchor
        return ("T\0" if not block.is_table else "G\0") + block.text

    matcher = difflib.SequenceMatcher(
        None, [key(b) for b in old], [key(b) for b in new], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for o, n in zip(old[i1:i2], new[j1:j2], strict=True):
                yield ("equal" if o.text == n.text else "changed"), o, n
        else:
            yield from _pair(old[i1:i2], new[j1:j2])


def _pair(old: list[Block], new: list[Block]) -> Iterator[tuple[str, Block | None, Block | None]]:
    """Inside a replaced stretch, show alike paragraphs as changed, in order; what is
    struck comes before what replaces it (a cell's last paragraph mark cannot be struck)."""
    i = 0
    waiting: list[Block] = []
    for n in new:
        match = next(
            (
                k
                for k in range(i, len(old))
                if old[k].is_table == n.is_table and _alike(old[k].text, n.text)
            ),
            None,
        )
        if match is None:
            waiting.append(n)
            continue
        for k in range(i, match):
            yield "removed", old[k], None
        for added in waiting:
            yield "added", None, added
        waiting = []
        yield "changed", old[match], n
        i = match + 1
    for k in range(i, len(old)):
        yield "removed", old[k], None
    for added in waiting:
        yield "added", None, added


def _alike(old: str, new: str) -> bool:
    return difflib.SequenceMatcher(None, old, new, autojunk=False).ratio() >= SIMILAR


def _unique_anchors(items: list[Block]) -> set[str]:
    seen: dict[str, int] = {}
    for block in items:
        if block.anchor:
            seen[block.anchor] = seen.get(block.anchor, 0) + 1
    return {name for name, count in seen.items() if count == 1}
