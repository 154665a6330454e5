"""The WordprocessingML pieces every part of the file is made of: namespaces, escaped text, runs.

Characters Word cannot store are replaced, never written raw, so a stray control character in
an answer cannot make a file Word refuses to open.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tutorbargain.compose.model import Run

INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = R_NS
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
ROOT_NS = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'


def xml_safe(text: str) -> str:
    """Replace characters Word cannot store with a visible U+FFFD, never write them raw."""
    return INVALID_XML.sub("\ufffd", text)


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities (what xml.sax.saxutils does, without the 15 ms of
    urllib and http.client that importing it costs every render)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc(text: str) -> str:
    """Text for an attribute value or a property: escaped, quotes included."""
    return escape(xml_safe(text)).replace('"', "&quot;")


def text_xml(text: str) -> str:
    """Text as WordprocessingML runs' content: escaped, line breaks as <w:br/>."""
    return "<w:br/>".join(
        f'<w:t xml:space="preserve">{escape(part)}</w:t>' for part in xml_safe(text).split("\n")
    )


_BOLD = "<w:rPr><w:b/></w:rPr>"
_MARKED = '<w:rPr><w:b/><w:highlight w:val="yellow"/></w:rPr>'


def runs_xml(runs: Iterable[Run], *, bold: bool = False) -> str:
    """The runs as <w:r>s; a placeholder is bold on yellow, so the team sees what to fill in."""
    out = []
    for run in runs:
        if run.placeholder:
            rpr = _MARKED
        elif run.bold or bold:
            rpr = _BOLD
        else:
            rpr = ""
        out.append(f"<w:r>{rpr}{text_xml(run.text)}</w:r>")
    return "".join(out)


def field(instruction: str) -> str:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay out pages."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>1</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
