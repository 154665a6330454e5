"""The word-level diff inside a changed paragraph: its characters with their formatting, the
words that changed, and new runs for a stretch of characters in the formatting they had.
"""

from __future__ import annotations

import copy
import difflib
import re
from typing import Any

from lxml import etree

from tutorbargain.roundtrip.wordfile import w

TOKENS = re.compile(r"\w+|\s+|[^\w\s]")
"""Words, runs of spaces and single punctuation marks: what a change is made of."""
_PLAIN_RUN_CHILDREN = {
    w(t)
    for t in ("rPr", "t", "tab", "br", "cr", "lastRenderedPageBreak", "softHyphen", "noBreakHyphen")
}
_KEPT_MARKERS = {
    w(t)
    for t in (
        "bookmarkStart",
        "bookmarkEnd",
        "commentRangeStart",
        "commentRangeEnd",
        "proofErr",
        "permStart",
        "permEnd",
    )
}


def plain(paragraph: Any) -> bool:
    """True when a paragraph holds only text runs, so it can be rebuilt word by word."""
    for child in paragraph:
        if child.tag == w("pPr") or child.tag in _KEPT_MARKERS:
            continue
        if child.tag != w("r"):
            return False
        if child.find(w("commentReference")) is not None:
            continue
        if any(grand.tag not in _PLAIN_RUN_CHILDREN for grand in child):
            return False
    return True


def characters(paragraph: Any) -> list[tuple[str, Any]]:
    """Each character of a plain paragraph with the run properties it is written in."""
    out: list[tuple[str, Any]] = []
    for run in paragraph.iterchildren(w("r")):
        if run.find(w("commentReference")) is not None:
            continue
        props = run.find(w("rPr"))
        for child in run:
            if child.tag == w("t"):
                out.extend((ch, props) for ch in child.text or "")
            elif child.tag == w("tab"):
                out.append(("\t", props))
            elif child.tag in (w("br"), w("cr")):
                out.append(("\n", props))
            elif child.tag == w("noBreakHyphen"):
                out.append(("\u2011", props))
    return out


def word_changes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes over words, with changes split only by spaces joined into one, so
    "Lakeview Education Association" -> "Cedar Valley Federation" reads as one replacement."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    merged: list[list[Any]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        spaces_only = op == "equal" and all(token.isspace() for token in old[i1:i2])
        if merged and merged[-1][0] != "equal" and (op != "equal" or spaces_only):
            merged[-1] = ["replace", merged[-1][1], i2, merged[-1][3], j2]
        else:
            merged.append([op, i1, i2, j1, j2])
    return [(str(m[0]), m[1], m[2], m[3], m[4]) for m in merged]


def starts(tokens: list[str]) -> list[int]:
    """Character offset of each token, and of the end."""
    offsets = [0]
    for token in tokens:
        offsets.append(offsets[-1] + len(token))
    return offsets


def rebuilt_runs(chars: list[tuple[str, Any]], *, deleted: bool = False) -> list[Any]:
    """Runs for a stretch of characters, one per stretch of the same properties."""
    runs: list[Any] = []
    text_tag = w("delText") if deleted else w("t")
    index = 0
    while index < len(chars):
        props = chars[index][1]
        end = index
        while end < len(chars) and chars[end][1] is props:
            end += 1
        run = etree.Element(w("r"))
        if props is not None:
            run.append(copy.deepcopy(props))
        buffer = ""
        for ch, _ in chars[index:end]:
            if ch in "\t\n\u2011":
                if buffer:
                    _add_text(run, text_tag, buffer)
                    buffer = ""
                tag = {"\t": "tab", "\n": "br", "\u2011": "noBreakHyphen"}[ch]
                run.append(etree.Element(w(tag)))
            else:
                buffer += ch
        if buffer:
            _add_text(run, text_tag, buffer)
        runs.append(run)
        index = end
    return runs


def _add_text(run: Any, tag: str, text: str) -> None:
    element = etree.SubElement(run, tag)
    element.text = text
    element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
