"""The package around the document: the fixed parts (settings, page set-up), content types,
relationships, and the zip itself.

The zip's dates are fixed, so the same document always gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence

from tutorbargain.writers.word.markup import PKG_REL, ROOT_NS, esc

TEXT_WIDTH = 9360
"""Twentieths of a point between 1-inch margins on a Letter page."""
OWN_SECTION = (
    '<w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" '
    'w:left="1440" w:header="720" w:footer="720" w:gutter="0"/><w:cols w:space="720"/>'
    '<w:docGrid w:linePitch="360"/>'
)
"""A Letter page with 1-inch margins, for a document written without a letterhead."""

SETTINGS_XML = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings {ROOT_NS}>'
    '<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>'
    '<w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
    '<w:compatSetting w:name="overrideTableStyleFontSizeAndJustification" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
    '<w:compatSetting w:name="enableOpenTypeFeatures" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
    '<w:compatSetting w:name="doNotFlipMirrorIndents" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
    "</w:compat></w:settings>"
)
"""Current Word's compatibility mode, so Word opens the file without "Compatibility Mode"."""

CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml"
CONTENT_TYPES = {
    "/word/document.xml": f"{CT_MAIN}.document.main+xml",
    "/word/styles.xml": f"{CT_MAIN}.styles+xml",
    "/word/numbering.xml": f"{CT_MAIN}.numbering+xml",
    "/word/settings.xml": f"{CT_MAIN}.settings+xml",
    "/word/comments.xml": f"{CT_MAIN}.comments+xml",
    "/word/fontTable.xml": f"{CT_MAIN}.fontTable+xml",
    "/word/theme/theme1.xml": "application/vnd.openxmlformats-officedocument.theme+xml",
    "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
}
CT_HEADER = f"{CT_MAIN}.header+xml"
CT_FOOTER = f"{CT_MAIN}.footer+xml"
IMAGE_TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "emf": "image/x-emf",
    "wmf": "image/x-wmf",
    "svg": "image/svg+xml",
}

ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)


def content_types(parts: Iterable[str], overrides: dict[str, str]) -> str:
    """[Content_Types].xml: the overrides, and a default for each kind of picture in ``parts``."""
    extensions = {name.rsplit(".", 1)[-1].lower() for name in parts if "/media/" in name}
    defaults = "".join(
        f'<Default Extension="{ext}" ContentType="{IMAGE_TYPES[ext]}"/>'
        for ext in sorted(extensions)
        if ext in IMAGE_TYPES
    )
    items = "".join(
        f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{defaults}{items}</Types>'
    )


def rels(relations: Sequence[tuple[str, str, str]]) -> str:
    """A relationships part from (id, type, target) triples."""
    body = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{esc(target)}"/>'
        for rid, kind, target in relations
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{PKG_REL}">{body}</Relationships>'
    )


def zip_parts(parts: dict[str, bytes | str]) -> bytes:
    """The .docx bytes: ``parts`` in their order, deflated, every entry dated 1980-01-01."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return buffer.getvalue()
