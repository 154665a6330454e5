"""Convert .docx files to PDF with LibreOffice, one process for all the files of a run."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .errors import OutputError, Problem, ToolMissingError
from .output import write_atomic

CANDIDATES = ("soffice", "libreoffice")
PDF_FILTER = 'pdf:writer_pdf_Export:{"ExportNotesInMargin":{"type":"boolean","value":"true"}}'
"""The team's rationales (Word comments) printed in the page margin; a clean copy has none.
LibreOffice 7.5 and later honour the option; 7.4 ignores it and keeps comments as PDF notes."""
TIMEOUT_SECONDS = 300


def find_soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_soffice() -> str:
    program = find_soffice()
    if program is None:
        raise ToolMissingError(
            "PDF output needs LibreOffice, which is not installed. Install it (on Debian or "
            "Ubuntu: sudo apt-get install libreoffice-writer-nogui) or leave out --pdf; the "
            ".docx files open in Word or LibreOffice as they are."
        )
    return program


def convert_to_pdf(files: Sequence[Path], *, force: bool) -> list[Path]:
    """Write ``X.pdf`` beside each ``X.docx``; one LibreOffice start for all of them.

    LibreOffice writes into a private folder with its own profile (so two runs never collide),
    and each PDF is then moved into place atomically.
    """
    if not files:
        return []
    program = require_soffice()
    targets = [f.with_suffix(".pdf") for f in files]
    if not force:
        existing = [t for t in targets if t.exists()]
        if existing:
            raise OutputError(
                "",
                [
                    Problem(
                        ", ".join(map(str, existing)), "already exists; use --force to replace it"
                    )
                ],
            )
    with tempfile.TemporaryDirectory(prefix="tutorbargain-pdf-") as work:
        work_dir = Path(work)
        profile = (work_dir / "profile").as_uri()
        command = [
            program,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            PDF_FILTER,
            "--outdir",
            str(work_dir / "out"),
            *(str(f) for f in files),
        ]
        try:
            result = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
                env={**os.environ, "HOME": str(work_dir)},
            )
        except subprocess.TimeoutExpired:
            raise OutputError(
                "LibreOffice took more than five minutes to make the PDFs; "
                "the .docx files are written."
            ) from None
        written: list[Path] = []
        for source, target in zip(files, targets, strict=True):
            made = work_dir / "out" / f"{source.stem}.pdf"
            if not made.exists():
                detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
                raise OutputError(
                    "",
                    [
                        Problem(
                            str(source), f"LibreOffice could not convert it to PDF ({detail[0]})"
                        )
                    ],
                )
            write_atomic(target, made.read_bytes())
            written.append(target)
    return written
